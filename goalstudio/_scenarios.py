"""Finding, loading and checking scenario files.

Built-in scenarios ship in the ``goalstudio.scenarios`` package (the ``scenarios/`` folder).
Trainers add their own folders through ``GOALSTUDIO_SCENARIOS_PATH`` (several folders are
separated by ``os.pathsep``: ``:`` on Linux and macOS, ``;`` on Windows).

Every problem names the file, the line and column where it can be found, the field, what is
wrong and how to fix it. Checking a file reports all of its problems at once, so an author can
fix them in one pass.
"""

from __future__ import annotations

import difflib
import os
import re
import types
import typing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NoReturn

import yaml
from pydantic import BaseModel, ValidationError

from goalstudio._bounds import NestingTooDeep, YamlAliasUsed, check_yaml_tree
from goalstudio._conversation import Conversation, Node, conversation_problems
from goalstudio._plantext import PlanParseError, parse_plan
from goalstudio._scenario_model import Scenario

if TYPE_CHECKING:
    from goalstudio.rubric import Finding

ENV_VAR = "GOALSTUDIO_SCENARIOS_PATH"
MAX_SCENARIO_BYTES = 1_000_000
SUFFIXES = (".yaml", ".yml")
_PLAN_FIELDS = ("deficit_plan", "model_rewrite")
# A "before" plan needs at least this many of the five criteria not met or partly met.
MIN_DEFICIT_CRITERIA = 3

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class ScenarioProblem:
    """One problem in a scenario file: where it is, which field, and what to do about it."""

    path: str
    line: int | None
    column: int | None
    field: str | None
    message: str
    severity: Severity = "error"

    @property
    def is_warning(self) -> bool:
        """A warning: the scenario works, but it will teach less well until it is fixed."""
        return self.severity == "warning"

    def __str__(self) -> str:
        where = [self.path]
        if self.line is not None:
            where.append(f"line {self.line}")
            if self.column is not None:
                where.append(f"column {self.column}")
        if self.field:
            where.append(f"field {self.field}")
        label = "warning: " if self.is_warning else ""
        return f"{', '.join(where)}: {label}{self.message}"


class ScenarioError(ValueError):
    """Scenario files that cannot be used. ``problems`` lists every problem found."""

    def __init__(self, problems: Sequence[ScenarioProblem]) -> None:
        self.problems = list(problems)
        super().__init__(self._text())

    def _text(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        head = f"{len(self.problems)} problems with scenarios:"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])

    def __str__(self) -> str:
        return self._text()


@dataclass(frozen=True)
class ScenarioSummary:
    """What a trainer needs to pick a scenario for a session."""

    id: str
    title: str
    locale: str
    setting: str
    tags: tuple[str, ...]
    path: str

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "locale": self.locale,
            "setting": self.setting,
            "tags": list(self.tags),
            "path": self.path,
        }


# --------------------------------------------------------------------------------------------
# Where scenario files live


@dataclass(frozen=True)
class _Source:
    """A scenario file, on disk or inside the installed package."""

    ref: Traversable
    display: str

    @property
    def stem(self) -> str:
        name = self.ref.name
        for suffix in SUFFIXES:
            if name.endswith(suffix):
                return name[: -len(suffix)]
        return name.rsplit(".", 1)[0] if "." in name else name


def _is_scenario_name(name: str) -> bool:
    return name.endswith(SUFFIXES) and not name.startswith((".", "_"))


def _builtin_folder() -> Traversable:
    return resources.files("goalstudio.scenarios")


def extra_folders() -> list[Path]:
    """The folders named in ``GOALSTUDIO_SCENARIOS_PATH``, in order (empty parts skipped)."""
    raw = os.environ.get(ENV_VAR, "")
    return [Path(part) for part in raw.split(os.pathsep) if part.strip()]


def _folder_sources(folder: Traversable, display: str) -> list[_Source]:
    entries = [e for e in folder.iterdir() if e.is_file() and _is_scenario_name(e.name)]
    entries.sort(key=lambda e: e.name)
    return [_Source(e, f"{display.rstrip('/' + os.sep)}{os.sep}{e.name}") for e in entries]


def _known_sources() -> tuple[list[_Source], list[ScenarioProblem]]:
    """Built-in scenario files, then those from GOALSTUDIO_SCENARIOS_PATH, with folder problems."""
    builtin = _builtin_folder()
    sources = _folder_sources(builtin, str(builtin))
    problems: list[ScenarioProblem] = []
    for folder in extra_folders():
        if not folder.is_dir():
            problems.append(
                ScenarioProblem(
                    str(folder),
                    None,
                    None,
                    None,
                    f"this folder is named in {ENV_VAR} but does not exist. Check the spelling "
                    f"of the folder, or remove it from {ENV_VAR}.",
                )
            )
            continue
        sources += _folder_sources(folder, str(folder))
    return sources, problems


def _duplicate_problems(sources: Iterable[_Source]) -> list[ScenarioProblem]:
    first: dict[str, _Source] = {}
    problems: list[ScenarioProblem] = []
    for source in sources:
        seen = first.get(source.stem)
        if seen is None:
            first[source.stem] = source
            continue
        problems.append(
            ScenarioProblem(
                source.display,
                None,
                None,
                "id",
                f"the id '{source.stem}' is used twice: here and in {seen.display}. Each "
                "scenario needs its own id: rename one of the two files and change the 'id:' "
                "line inside it to match.",
            )
        )
    return problems


# --------------------------------------------------------------------------------------------
# Public API


def list_scenarios() -> list[ScenarioSummary]:
    """Every known scenario, sorted by id.

    Raises ``ScenarioError`` listing every problem when any scenario is invalid.
    """
    summaries, problems = survey_scenarios()
    if problems:
        raise ScenarioError(problems)
    return summaries


def survey_scenarios() -> tuple[list[ScenarioSummary], list[ScenarioProblem]]:
    """The scenarios that load, sorted by id, and every problem with those that do not.

    ``goalstudio scenarios list`` uses this so that one unfinished file in a trainer's folder
    does not hide every other scenario.
    """
    sources, problems = _known_sources()
    problems += _duplicate_problems(sources)
    doubled = {p.path for p in problems}
    summaries: list[ScenarioSummary] = []
    for source in sources:
        try:
            scenario = _load_source(source)
        except ScenarioError as exc:
            problems += exc.problems
            continue
        if source.display in doubled:
            continue
        summaries.append(
            ScenarioSummary(
                id=scenario.id,
                title=scenario.title,
                locale=scenario.locale,
                setting=scenario.setting.kind,
                tags=tuple(scenario.tags),
                path=source.display,
            )
        )
    return sorted(summaries, key=lambda s: s.id), problems


def load(scenario_id: str) -> Scenario:
    """The scenario with this id, from the built-in folder or GOALSTUDIO_SCENARIOS_PATH."""
    sources, folder_problems = _known_sources()
    matches = [s for s in sources if s.stem == scenario_id]
    if len(matches) > 1:
        raise ScenarioError(_duplicate_problems(matches))
    if not matches:
        known = sorted({s.stem for s in sources})
        close = difflib.get_close_matches(scenario_id, known, n=1, cutoff=0.6)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        extra = ""
        if folder_problems:
            extra = " " + " ".join(str(p) for p in folder_problems)
        raise ScenarioError(
            [
                ScenarioProblem(
                    scenario_id,
                    None,
                    None,
                    None,
                    f"there is no scenario with the id '{scenario_id}'.{hint} "
                    f"Known ids: {', '.join(known) or '(none)'}. To add your own, put its "
                    f"folder in {ENV_VAR}.{extra}",
                )
            ]
        )
    return _load_source(matches[0])


def load_file(path: str | os.PathLike[str]) -> Scenario:
    """Load and check one scenario file. ``ScenarioError`` lists every problem in it."""
    p = Path(path)
    if not p.exists():
        raise ScenarioError(
            [ScenarioProblem(str(p), None, None, None, "no such file. Check the path.")]
        )
    if p.is_dir():
        raise ScenarioError(
            [
                ScenarioProblem(
                    str(p),
                    None,
                    None,
                    None,
                    "this is a folder; give the path of one scenario file (.yaml).",
                )
            ]
        )
    return _load_source(_Source(p, str(p)))


def validate_paths(
    paths: Sequence[str | os.PathLike[str]], *, rubric: bool = True
) -> list[ScenarioProblem]:
    """Check files and folders of scenarios; every problem found, in file order.

    With no paths, checks every known scenario (built in and from GOALSTUDIO_SCENARIOS_PATH).
    With ``rubric`` (the default), a scenario that loads is also checked against the studio's
    own rubric: a model rewrite that misses a criterion or has a language finding is an error,
    and a deficit-led plan that already meets three or more criteria is a warning
    (``ScenarioProblem.severity``).
    """
    return check_paths(paths, rubric=rubric)[1]


def check_paths(
    paths: Sequence[str | os.PathLike[str]], *, rubric: bool = True
) -> tuple[int, list[ScenarioProblem]]:
    """Like ``validate_paths``, and also how many scenario files were checked."""
    if paths:
        sources, problems = _sources_for_paths(paths)
        problems += _duplicate_problems(sources)
        problems += _clashes_with_known(sources)
    else:
        sources, problems = _known_sources()
        problems += _duplicate_problems(sources)
    for source in sources:
        problems += _check_source(source, rubric=rubric)
    return len(sources), problems


def _resolved(source: _Source) -> Path:
    return Path(str(source.ref)).resolve()


def _clashes_with_known(sources: list[_Source]) -> list[ScenarioProblem]:
    """Checked files whose id is already taken by a different scenario the studio loads."""
    known, _ = _known_sources()
    stems = [s.stem for s in sources]
    problems: list[ScenarioProblem] = []
    for source in sources:
        if stems.count(source.stem) > 1:
            continue  # already reported as a duplicate among the checked files
        for other in known:
            if other.stem == source.stem and _resolved(other) != _resolved(source):
                problems.append(
                    ScenarioProblem(
                        source.display,
                        None,
                        None,
                        "id",
                        f"the id '{source.stem}' is already used by {other.display}, which the "
                        "studio also loads. Each scenario needs its own id: rename this file "
                        "and change the 'id:' line inside it to match.",
                    )
                )
                break
    return problems


def _sources_for_paths(
    paths: Sequence[str | os.PathLike[str]],
) -> tuple[list[_Source], list[ScenarioProblem]]:
    sources: list[_Source] = []
    problems: list[ScenarioProblem] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = _folder_sources(path, str(path))
            if not found:
                problems.append(
                    ScenarioProblem(
                        str(path),
                        None,
                        None,
                        None,
                        "this folder has no scenario files in it (files ending in .yaml).",
                    )
                )
        elif path.is_file():
            found = [_Source(path, str(path))]
        else:
            problems.append(
                ScenarioProblem(
                    str(path), None, None, None, "no such file or folder. Check the path."
                )
            )
            continue
        for source in found:
            key = Path(str(source.ref)).resolve()
            if key not in seen:
                seen.add(key)
                sources.append(source)
    return sources, problems


def _check_source(source: _Source, *, rubric: bool) -> list[ScenarioProblem]:
    try:
        scenario, text, root = _read_source(source)
    except ScenarioError as exc:
        return exc.problems
    problems = quotation_problems(scenario, path=source.display, text=text, root=root)
    if rubric:
        problems += rubric_problems(scenario, path=source.display, text=text, root=root)
    return problems


# --------------------------------------------------------------------------------------------
# Reading one file


class _Loader(yaml.SafeLoader):
    """A safe loader that refuses a key written twice in the same mapping."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, (str, int, float, bool)) and key in seen:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping",
                    node.start_mark,
                    f"the key '{key}' appears twice",
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", _Loader)


def _load_source(source: _Source) -> Scenario:
    return _read_source(source)[0]


def _read_source(source: _Source) -> tuple[Scenario, str, yaml.Node]:
    """The scenario, with the file's text and YAML node tree (for line numbers)."""
    path = source.display
    data = _read_bytes(source)
    text = _decode(path, data)
    root, raw = _parse_yaml(path, text)
    return _validate(path, source.stem, text, root, raw), text, root


def _fail(path: str, message: str, line: int | None = None, column: int | None = None) -> NoReturn:
    raise ScenarioError([ScenarioProblem(path, line, column, None, message)])


def _too_large(path: str, size: int) -> NoReturn:
    _fail(
        path,
        f"the file is {size / 1_000_000:.1f} MB, over the 1 MB limit for a scenario. "
        "A scenario is usually 20 to 60 KB: check that this is the right file.",
    )


def _read_bytes(source: _Source) -> bytes:
    path = source.display
    try:
        # Check the size first so a huge file is never read into memory.
        if isinstance(source.ref, Path) and source.ref.stat().st_size > MAX_SCENARIO_BYTES:
            _too_large(path, source.ref.stat().st_size)
        data = source.ref.read_bytes()
    except OSError as exc:
        _fail(path, f"the file cannot be read ({exc.strerror or exc}).")
    if len(data) > MAX_SCENARIO_BYTES:
        _too_large(path, len(data))
    return data


def _decode(path: str, data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        _fail(
            path,
            f"byte {exc.start} is not UTF-8 text. Save the file as UTF-8 (in most editors: "
            "'Save as', then choose the UTF-8 encoding) and try again.",
            line,
            column,
        )
    if not text.strip():
        _fail(
            path,
            "the file is empty. Start from the template instead: 'goalstudio scenarios new "
            "ID' writes one ('goalstudio scenarios guide' explains).",
        )
    return text


_YAML_HINTS: tuple[tuple[str, str], ...] = (
    (
        "that cannot start any token",
        "YAML does not allow tab characters for indentation: use spaces instead.",
    ),
    (
        "mapping values are not allowed here",
        "The value on this line has a colon in it: put the whole value in double quotes, "
        "or check that this line is indented like its neighbours.",
    ),
    (
        "could not find expected ':'",
        "Each field needs a colon after its name ('name: value'). Check this line and the "
        "line above for a missing colon or a line that should be indented further.",
    ),
    (
        "did not find expected key",
        "Check the indentation here: lines of the same list or field must start in the same "
        "column, and a value that starts with a quote must end with one.",
    ),
    (
        "did not find expected '-' indicator",
        "Every item of a list starts with '- ' in the same column: check the indentation.",
    ),
    (
        "found unexpected end of stream",
        "A quote was opened and never closed: add the closing quote.",
    ),
    (
        "while scanning a quoted scalar",
        "A quote was opened and never closed: add the closing quote.",
    ),
    (
        "expected a single document",
        "A scenario file holds one scenario: remove the '---' line that starts a second one.",
    ),
    (
        "appears twice",
        "Each field may appear only once in the same block: delete one of the two, or merge "
        "what they say.",
    ),
)


def _yaml_hint(text: str) -> str:
    for needle, hint in _YAML_HINTS:
        if needle in text:
            return hint
    return "Check the indentation, colons and quotes on this line and the line above."


def _compose(loader_class: Any, text: str) -> tuple[yaml.Node | None, Any]:
    """The node tree (with line numbers) and the data. Raises ``yaml.YAMLError``."""
    loader = loader_class(text)
    try:
        root = loader.get_single_node()
        check_yaml_tree(root)  # before any data is built: an alias bomb expands exponentially
        if root is None or list(_duplicate_keys(root)):
            return root, None  # reported by the caller, before any data is built
        return root, loader.construct_document(root)
    finally:
        loader.dispose()


def _parse_yaml(path: str, text: str) -> tuple[yaml.Node, Any]:
    try:
        # libyaml is about ten times faster; the pure-Python parser words errors best.
        root, raw = _compose(_FAST_LOADER, text)
    except YamlAliasUsed as exc:
        _fail(path, str(exc).split(": ", 1)[1], exc.line)
    except NestingTooDeep as exc:
        _fail(path, str(exc))
    except yaml.YAMLError as fast_error:
        try:
            root, raw = _compose(_Loader, text)
        except yaml.YAMLError as exc:
            _fail_yaml(path, exc, text)
        except (RecursionError, NestingTooDeep, YamlAliasUsed):
            _fail_yaml(path, fast_error, text)  # libyaml's own message is the clearer one
        _fail_yaml(path, fast_error, text)  # pragma: no cover - both parsers agree in practice
    if root is None:
        _fail(path, "the file has no content, only comments. Add the scenario's fields.")
    duplicates = list(_duplicate_keys(root))
    if duplicates:
        raise ScenarioError(
            [
                ScenarioProblem(
                    path,
                    node.start_mark.line + 1,
                    node.start_mark.column + 1,
                    field,
                    f"the field '{node.value}' appears twice in the same block (first on "
                    f"line {first.start_mark.line + 1}). Keep one of them: delete the "
                    "other, or merge what they say.",
                )
                for node, first, field in duplicates
            ]
        )
    if not isinstance(raw, dict):
        kind = "a list" if isinstance(raw, list) else "a single value"
        _fail(
            path,
            f"the file holds {kind}, but a scenario is a set of fields ('id: ...', "
            "'title: ...' and so on), each at the start of a line.",
            root.start_mark.line + 1,
            root.start_mark.column + 1,
        )
    return root, raw


_CURLY_QUOTES = "\u201c\u201d\u2018\u2019"


def _fail_yaml(path: str, exc: yaml.YAMLError, text: str = "") -> NoReturn:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        message = f"this is not valid YAML ({problem}). {_yaml_hint(problem)}"
        if mark is not None and _has_curly_quotes(text, mark.line):
            message += (
                " This line has curly quotes (\u201c \u201d), which many editors type for you; "
                "YAML only understands straight ones (\"). Turn off 'smart quotes' in your editor "
                "and type the quotes again."
            )
        if mark is not None:
            _fail(path, message, mark.line + 1, mark.column + 1)
        _fail(path, message)
    _fail(path, f"this is not valid YAML ({exc}). {_yaml_hint(str(exc))}")


def _has_curly_quotes(text: str, line_index: int) -> bool:
    lines = text.splitlines()
    nearby = lines[max(0, line_index - 1) : line_index + 1]
    return any(q in line for line in nearby for q in _CURLY_QUOTES)


def _duplicate_keys(
    node: yaml.Node, path: tuple[str | int, ...] = ()
) -> Iterable[tuple[yaml.ScalarNode, yaml.ScalarNode, str]]:
    if isinstance(node, yaml.MappingNode):
        first: dict[str, yaml.ScalarNode] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                key = str(key_node.value)
                if key in first:
                    yield key_node, first[key], format_field((*path, key))
                else:
                    first[key] = key_node
                yield from _duplicate_keys(value_node, (*path, key))
            else:
                yield from _duplicate_keys(value_node, path)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _duplicate_keys(item, (*path, index))


# --------------------------------------------------------------------------------------------
# Validation errors in plain words


def format_field(loc: Sequence[str | int]) -> str:
    """``('perspectives', 2, 'what_matters')`` -> ``perspectives[2].what_matters``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _locate(root: yaml.Node, loc: Sequence[str | int]) -> tuple[int, int, bool]:
    """The 1-based line and column of the deepest node on ``loc``, and whether all of it exists."""
    node = root
    mark = root.start_mark
    for part in loc:
        nxt: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value == part:
                    mark, nxt = key_node.start_mark, value_node
                    break
        elif (
            isinstance(node, yaml.SequenceNode)
            and isinstance(part, int)
            and 0 <= part < len(node.value)
        ):
            nxt = node.value[part]
            mark = nxt.start_mark
        if nxt is None:
            return mark.line + 1, mark.column + 1, False
        node = nxt
    return mark.line + 1, mark.column + 1, True


def _node_at(root: yaml.Node, loc: Sequence[str | int]) -> yaml.Node | None:
    node: yaml.Node | None = root
    for part in loc:
        nxt: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value == part:
                    nxt = value_node
        elif (
            isinstance(node, yaml.SequenceNode)
            and isinstance(part, int)
            and 0 <= part < len(node.value)
        ):
            nxt = node.value[part]
        node = nxt
        if node is None:
            return None
    return node


def _validate(path: str, stem: str, text: str, root: yaml.Node, raw: dict[Any, Any]) -> Scenario:
    problems = _placeholder_problems(path, text, root)
    unfinished = {p.field for p in problems if p.field}
    scenario: Scenario | None = None
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            for problem in _explain(path, text, root, raw, error):
                # A field that still holds a placeholder is reported once, as a placeholder.
                if not any(_within(problem.field, field) for field in unfinished):
                    problems.append(problem)
    file_id = raw.get("id")
    if isinstance(file_id, str) and file_id != stem:
        line, column, _ = _locate(root, ("id",))
        problems.append(
            ScenarioProblem(
                path,
                line,
                column,
                "id",
                f"the id '{file_id}' does not match the file name '{stem}'. Make them the "
                f"same: either change the line to 'id: {stem}' or rename the file to "
                f"'{file_id}.yaml'.",
            )
        )
    if problems:
        problems.sort(key=lambda p: (p.line or 0, p.column or 0))
        raise ScenarioError(problems)
    assert scenario is not None
    return scenario


# What ``goalstudio scenarios new`` writes wherever the author has something to fill in.
PLACEHOLDER = "TODO"
_PLACEHOLDER_RE = re.compile(rf"\b{PLACEHOLDER}\b")


def _within(field: str | None, outer: str) -> bool:
    return field is not None and (field == outer or field.startswith((outer + ".", outer + "[")))


def _scalars(
    node: yaml.Node, loc: tuple[str | int, ...] = ()
) -> Iterable[tuple[tuple[str | int, ...], yaml.ScalarNode]]:
    if isinstance(node, yaml.ScalarNode):
        yield loc, node
    elif isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
            yield from _scalars(value_node, (*loc, key))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _scalars(item, (*loc, index))


def _placeholder_problems(path: str, text: str, root: yaml.Node) -> list[ScenarioProblem]:
    """Every value that still holds a TODO from the template, at its line in the file.

    A plan (a ``|`` block) reports each of its lines that still has one; any other value
    reports its first.
    """
    problems: list[ScenarioProblem] = []
    file_lines = text.splitlines()
    for loc, node in _scalars(root):
        if not _PLACEHOLDER_RE.search(str(node.value)):
            continue
        last = min(node.end_mark.line, len(file_lines) - 1)
        for number in range(node.start_mark.line, last + 1):
            raw = file_lines[number]
            if number == node.start_mark.line:
                raw = " " * node.start_mark.column + raw[node.start_mark.column :]
            match = _PLACEHOLDER_RE.search(raw)
            if match is None:
                continue
            shown = raw.strip()
            if len(shown) > 70:
                shown = shown[:69] + "…"
            problems.append(
                ScenarioProblem(
                    path,
                    number + 1,
                    match.start() + 1,
                    format_field(loc),
                    f"still to fill in: {shown!r}.",
                )
            )
            if node.style != "|":
                break
    return problems


def _explain(
    path: str, text: str, root: yaml.Node, raw: dict[Any, Any], error: Any
) -> list[ScenarioProblem]:
    loc: tuple[str | int, ...] = tuple(error["loc"])
    kind: str = error["type"]
    field = format_field(loc) or None
    line, column, _found = _locate(root, loc)
    if kind == "value_error" and len(loc) == 1 and loc[0] in _PLAN_FIELDS:
        plan_problems = _plan_problems(path, text, root, str(loc[0]), raw.get(str(loc[0])))
        if plan_problems:
            return plan_problems
    if kind == "value_error" and loc == ("conversation",):
        graph = _graph_problems(path, root, raw.get("conversation"))
        if graph:
            return graph
    if not loc and kind == "value_error" and "perspectives" in str(error["msg"]):
        field = "perspectives"
        line, column, _found = _locate(root, ("perspectives",))
        return [
            ScenarioProblem(
                path,
                line,
                column,
                field,
                _plain_message(error, loc) + " There is one view each from the person, "
                "family, practitioner and agency: add the missing one, or correct a 'party:' "
                "line that is repeated.",
            )
        ]
    return [ScenarioProblem(path, line, column, field, _plain_message(error, loc))]


def _plain_message(error: Any, loc: tuple[str | int, ...]) -> str:
    kind: str = error["type"]
    msg: str = error["msg"]
    ctx: dict[str, Any] = error.get("ctx") or {}
    value = error.get("input")
    name = str(loc[-1]) if loc and isinstance(loc[-1], str) else "this field"
    if kind == "missing":
        parent = format_field(loc[:-1])
        if parent:
            return (
                f"the field '{name}' is missing from '{parent}' (which starts on this line). "
                "Add it there, indented like the other fields in that block; "
                "docs/scenario-format.md says what it holds."
            )
        return (
            f"the field '{name}' is missing. Add it as a line of its own, starting at the left "
            "edge; docs/scenario-format.md says what it holds."
        )
    if kind == "extra_forbidden":
        allowed = _allowed_fields(loc[:-1])
        close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        known = f" The fields allowed here are: {', '.join(allowed)}." if allowed else ""
        return f"'{name}' is not a field the scenario format knows.{hint}{known}"
    if kind == "value_error":
        text = msg.removeprefix("Value error, ")
        return text if text.endswith((".", "?", "!")) else text + "."
    if kind == "literal_error":
        return f"'{value}' is not one of the choices here. Use one of: {ctx.get('expected')}."
    if kind == "string_pattern_mismatch" and name == "id":
        return (
            f"'{value}' cannot be used as an id: use 2 to 64 lower-case letters, digits and "
            "hyphens, starting with a letter or digit (e.g. 'amira-cmht')."
        )
    if kind == "too_short":
        wanted = ctx.get("min_length", 1)
        return (
            f"this needs at least {wanted} item{'s' if wanted != 1 else ''}, and it has "
            f"{ctx.get('actual_length', 0)}. Add items, each on its own line starting with '- '."
        )
    if kind == "too_long":
        wanted = ctx.get("max_length")
        return f"this can have at most {wanted} items, and it has {ctx.get('actual_length')}."
    if kind == "string_type":
        return f"this should be text, but it is {_describe(value)}."
    if kind == "list_type":
        return (
            f"this should be a list (each item on its own line starting with '- '), but it is "
            f"{_describe(value)}."
        )
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return (
            f"this should be a group of fields (each 'name: value' on its own line, indented "
            f"under '{name}:'), but it is {_describe(value)}."
        )
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"this should be a whole number, but it is {_describe(value)}."
    if kind.startswith(("greater_than", "less_than")):
        return msg.replace("Input should be", "this should be") + f" (it is {value})."
    return msg.replace("Input should be", "this should be")


def _describe(value: object) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"'{str(value).lower()}' (a yes/no value)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of fields"
    text = str(value)
    return f"'{text if len(text) <= 40 else text[:39] + '…'}'"


def _allowed_fields(loc: Sequence[str | int]) -> list[str]:
    """The field names of the model found by following ``loc`` from ``Scenario``."""
    current: Any = Scenario
    for part in loc:
        if isinstance(part, int):
            continue
        model = _model_of(current)
        if model is None or part not in model.model_fields:
            return []
        current = model.model_fields[part].annotation
    model = _model_of(current)
    return list(model.model_fields) if model is not None else []


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            model = _model_of(arg)
            if model is not None:
                return model
    return None


def _plan_problems(
    path: str, text: str, root: yaml.Node, field: str, value: object
) -> list[ScenarioProblem]:
    if not isinstance(value, str):
        return []
    try:
        parse_plan(value, source=field)
    except PlanParseError as exc:
        plan_problems = exc.problems
    else:  # pragma: no cover - only called when the validator rejected the plan
        return []
    node = _node_at(root, (field,))
    key_line, key_column, _ = _locate(root, (field,))
    plan_lines = value.splitlines()
    out: list[ScenarioProblem] = []
    for problem in plan_problems:
        shown = ""
        if 1 <= problem.line <= len(plan_lines):
            quoted = plan_lines[problem.line - 1].strip()
            if len(quoted) > 70:
                quoted = quoted[:69] + "…"
            shown = f" The line reads: {quoted!r}."
        line, column = key_line, key_column
        mapped = _plan_line_in_file(node, text, problem.line, problem.column)
        if mapped is not None:
            line, column = mapped
        out.append(
            ScenarioProblem(
                path,
                line,
                column,
                field,
                f"line {problem.line} of the plan: {problem.message}{shown} {problem.fix}",
            )
        )
    return out


def _plan_line_in_file(
    node: yaml.Node | None, text: str, plan_line: int, plan_column: int
) -> tuple[int, int] | None:
    """Where line ``plan_line`` of a literal block (``|``) sits in the YAML file, 1-based."""
    if not isinstance(node, yaml.ScalarNode) or node.style != "|":
        return None
    file_lines = text.splitlines()
    first_content = node.start_mark.line + 1  # 0-based line after the '|' indicator
    indent = None
    for raw in file_lines[first_content : node.end_mark.line + 1]:
        if raw.strip():
            indent = len(raw) - len(raw.lstrip(" "))
            break
    if indent is None:
        return None
    return first_content + plan_line, plan_column + indent


_NODE_IN_MESSAGE = re.compile(r"node '([^']*)'")


def _graph_problems(path: str, root: yaml.Node, raw: object) -> list[ScenarioProblem]:
    """Each conversation-graph problem on its own, at the line of the node concerned."""
    if not isinstance(raw, dict):
        return []
    try:
        nodes = [Node.model_validate(n) for n in raw.get("nodes", [])]
        conv = Conversation.model_construct(start=str(raw.get("start")), nodes=nodes)
        messages = conversation_problems(conv)
    except (ValidationError, TypeError):
        return []
    index = {n.id: i for i, n in enumerate(nodes)}
    out: list[ScenarioProblem] = []
    for message in messages:
        loc: tuple[str | int, ...] = ("conversation",)
        if message.startswith("start node"):
            loc = ("conversation", "start")
        else:
            match = _NODE_IN_MESSAGE.search(message)
            if match and match.group(1) in index:
                loc = ("conversation", "nodes", index[match.group(1)])
                if "leads to" in message:
                    loc = _choice_loc(nodes, index[match.group(1)], message) or loc
        line, column, _ = _locate(root, loc)
        out.append(
            ScenarioProblem(path, line, column, format_field(loc), message + _graph_hint(message))
        )
    return out


def _graph_hint(message: str) -> str:
    if "which does not exist" in message:
        return ". Check the spelling after 'next:', or add a node with that id."
    if "can never be reached" in message:
        target = _NODE_IN_MESSAGE.search(message)
        name = target.group(1) if target else "it"
        return f". Make a reply lead to it ('next: {name}'), or delete the node."
    if message.startswith("start node"):
        return ". Set 'start:' to the id of the first node."
    if "must be unique" in message:
        return ". Give each node its own id."
    return "." if not message.endswith(".") else ""


def _choice_loc(nodes: list[Node], node_index: int, message: str) -> tuple[str | int, ...] | None:
    target = re.search(r"leads to '([^']*)'", message)
    if target is None:
        return None
    for choice_index, choice in enumerate(nodes[node_index].choices):
        if choice.next == target.group(1):
            return ("conversation", "nodes", node_index, "choices", choice_index, "next")
    return None


# --------------------------------------------------------------------------------------------
# Quotations in the model rewrite: the person's own words, or none


def quotation_problems(
    scenario: Scenario,
    *,
    path: str,
    text: str | None = None,
    root: yaml.Node | None = None,
) -> list[ScenarioProblem]:
    """An error for each quotation in the model rewrite that the person never says."""
    from goalstudio._scenario_quotes import unrecorded_quotes
    from goalstudio.exercises.common import known_as

    name = known_as(scenario)
    problems: list[ScenarioProblem] = []
    for found in unrecorded_quotes(scenario):
        line: int | None = None
        column: int | None = None
        where = f"line {found.plan_line} of the plan: "
        if root is not None and text is not None:
            line, column, _ = _locate(root, ("model_rewrite",))
            node = _node_at(root, ("model_rewrite",))
            spot = _plan_line_in_file(node, text, found.plan_line, found.column)
            if spot is not None:
                line, column = spot
                where = ""
        shown = found.quote if len(found.quote) <= 80 else found.quote[:79] + "…"
        closest = f' The nearest thing {name} says is: "{found.closest}".' if found.closest else ""
        problems.append(
            ScenarioProblem(
                path,
                line,
                column,
                "model_rewrite",
                f'{where}the {found.where} quotes {name} as saying "{shown}", but {name} never '
                "says that in the scenario (in_their_words, what_matters, the goal-discovery "
                f"answers, {name}'s perspective or lines in the conversation).{closest} Quote "
                f"{name}'s words as {name} says them, add where {name} says it to the scenario, "
                "or take the quotation marks off and write it as the plan's own words.",
            )
        )
    return problems


# --------------------------------------------------------------------------------------------
# Rubric checks: the "before" plan must give learners something to rewrite, and the model
# rewrite must pass the studio's own rubric.


def rubric_problems(
    scenario: Scenario,
    *,
    path: str,
    text: str | None = None,
    root: yaml.Node | None = None,
) -> list[ScenarioProblem]:
    """The rubric's view of a scenario's two plans, as problems with file lines.

    - Each criterion the model rewrite does not meet, and each language finding in it, is an
      error: learners are shown the model rewrite as what good looks like, so the studio must
      not contradict itself.
    - A deficit-led plan with fewer than three of the five criteria not met or partly met is a
      warning: the scenario still works, but the "before" plan gives learners little to rewrite.

    ``text`` and ``root`` (the file's text and YAML node tree) place each problem on the file
    line of the plan line concerned; without them the problem names the plan line only.
    """
    from goalstudio.rubric import CRITERIA, review

    where = _PlanPlace(path, text, root)
    problems: list[ScenarioProblem] = []

    before = review(scenario.deficit_plan, locale=scenario.locale, scenario=scenario)
    weak = [c for c in CRITERIA if before.verdict(c) != "met"]
    if len(weak) < MIN_DEFICIT_CRITERIA:
        problems.append(where.problem("deficit_plan", None, _deficit_message(weak), True))

    model = review(scenario.model_rewrite, locale=scenario.locale, scenario=scenario)
    for criterion in CRITERIA:
        result = model.verdicts[criterion]
        if result.verdict == "met":
            continue
        findings = [f for f in model.findings_for(criterion) if f.span_in == "plan"]
        findings.sort(key=lambda f: f.severity != "warning")
        first = findings[0] if findings else None
        problems.append(
            where.problem(
                "model_rewrite",
                first,
                _criterion_message(result.title, result.verdict, result.evidence, first, where),
                False,
            )
        )
    for finding in model.language_findings:
        problems.append(where.problem("model_rewrite", finding, _language_message(finding), False))
    problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    return problems


def _deficit_message(weak: Sequence[str]) -> str:
    from goalstudio.rubric import CRITERIA, CRITERION_TITLES

    met_text = "; ".join(f"'{CRITERION_TITLES[c]}'" for c in CRITERIA if c not in weak)
    return (
        f"the deficit-led plan is not deficit-led enough to teach from: the rubric finds "
        f"{len(weak)} of the 5 criteria not met or partly met, and a 'before' plan needs at "
        f"least {MIN_DEFICIT_CRITERIA}, so learners have something to rewrite. Already met: "
        f"{met_text}. Write it the way real deficit-led plans are written: goals in staff "
        "words ('Maintain mental state'), service outputs ('attend all appointments'), "
        "actions only for staff, and no dates."
    )


def _criterion_message(
    title: str,
    verdict: str,
    evidence: tuple[str, ...],
    finding: Finding | None,
    where: _PlanPlace,
) -> str:
    said = "partly met" if verdict == "partly" else "not met"
    because = f" ({'; '.join(evidence)})" if evidence and finding is None else ""
    detail = ""
    if finding is not None:
        detail = f" On {where.plan_line_label(finding)}: {finding.message}"
        if finding.suggestion:
            detail += f" {finding.suggestion}"
    return (
        f"the model rewrite must meet all five criteria, and '{title}' is {said}{because}."
        f"{detail} Learners see the model rewrite as what good looks like, so fix this line "
        "and check again."
    )


def _language_message(finding: Finding) -> str:
    suggestion = f" {finding.suggestion}" if finding.suggestion else ""
    return (
        f"the model rewrite must have no language findings, and the rubric flags "
        f"'{finding.quote}': {finding.message}{suggestion} Reword it in the person's terms."
    )


@dataclass(frozen=True)
class _PlanPlace:
    """Turns a finding's place in plan text into a line and column in the scenario file."""

    path: str
    text: str | None
    root: yaml.Node | None

    def _plan(self, field: str) -> str:
        node = _node_at(self.root, (field,)) if self.root is not None else None
        return str(node.value) if isinstance(node, yaml.ScalarNode) else ""

    @staticmethod
    def plan_line_of(finding: Finding, plan_text: str) -> tuple[int, int] | None:
        if finding.span is None or finding.span_in != "plan":
            return None
        start = finding.span[0]
        line = plan_text.count("\n", 0, start) + 1
        column = start - (plan_text.rfind("\n", 0, start) + 1) + 1
        return line, column

    def plan_line_label(self, finding: Finding) -> str:
        spot = self.plan_line_of(finding, self._plan("model_rewrite"))
        quote = f" ('{finding.quote}')" if finding.quote else ""
        return f"plan line {spot[0]}{quote}" if spot else f"{finding.location}{quote}"

    def problem(
        self, field: str, finding: Finding | None, message: str, warning: bool
    ) -> ScenarioProblem:
        line: int | None = None
        column: int | None = None
        if self.root is not None and self.text is not None:
            line, column, _ = _locate(self.root, (field,))
            spot = None
            if finding is not None:
                plan_text = self._plan(field)
                at = self.plan_line_of(finding, plan_text) if plan_text else None
                if at is not None:
                    spot = _plan_line_in_file(_node_at(self.root, (field,)), self.text, *at)
                    if spot is None:
                        message = f"line {at[0]} of the plan: {message}"
            if spot is not None:
                line, column = spot
        elif finding is not None:
            message = f"{finding.location}: {message}"
        return ScenarioProblem(
            self.path, line, column, field, message, "warning" if warning else "error"
        )
