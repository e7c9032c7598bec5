"""Reading one scenario file: bounded, decoded, parsed as YAML, and every place findable.

A file is read through one safe YAML loader. libyaml (PyYAML's C parser, about ten times faster)
reads every file; only when a file is not valid YAML is it read again by the same loader's
pure-Python parser, whose messages word the problem best. Aliases and deep nesting are refused,
and a key written twice is reported at both lines, on the node tree before any data is built.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, NoReturn

import yaml

from goalstudio._bounds import NestingTooDeep, YamlAliasUsed, check_yaml_tree
from goalstudio._scenarios._errors import ScenarioError, ScenarioProblem, format_field

MAX_SCENARIO_BYTES = 1_000_000
SUFFIXES = (".yaml", ".yml")
_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# A key written twice: its node, the node of its first writing, and the field it is in.
_Duplicate = tuple[yaml.ScalarNode, yaml.ScalarNode, str]


@dataclass(frozen=True)
class Source:
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


def is_scenario_name(name: str) -> bool:
    return name.endswith(SUFFIXES) and not name.startswith((".", "_"))


def fail(path: str, message: str, line: int | None = None, column: int | None = None) -> NoReturn:
    raise ScenarioError([ScenarioProblem(path, line, column, None, message)])


def _too_large(path: str, size: int) -> NoReturn:
    fail(
        path,
        f"the file is {size / 1_000_000:.1f} MB, over the 1 MB limit for a scenario. "
        "A scenario is usually 20 to 60 KB: check that this is the right file.",
    )


def read_bytes(source: Source) -> bytes:
    path = source.display
    try:
        # Check the size first so a huge file is never read into memory.
        if isinstance(source.ref, Path) and source.ref.stat().st_size > MAX_SCENARIO_BYTES:
            _too_large(path, source.ref.stat().st_size)
        data = source.ref.read_bytes()
    except OSError as exc:
        fail(path, f"the file cannot be read ({exc.strerror or exc}).")
    if len(data) > MAX_SCENARIO_BYTES:
        _too_large(path, len(data))
    return data


def decode(path: str, data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        fail(
            path,
            f"byte {exc.start} is not UTF-8 text. Save the file as UTF-8 (in most editors: "
            "'Save as', then choose the UTF-8 encoding) and try again.",
            line,
            column,
        )
    if not text.strip():
        fail(
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
)


def _yaml_hint(text: str) -> str:
    for needle, hint in _YAML_HINTS:
        if needle in text:
            return hint
    return "Check the indentation, colons and quotes on this line and the line above."


def _compose(loader_class: Any, text: str) -> tuple[yaml.Node | None, Any, list[_Duplicate]]:
    """The node tree (with line numbers), the data and any key written twice in a block.

    Raises ``yaml.YAMLError``. No data is built for a file with a key written twice.
    """
    loader = loader_class(text)
    try:
        root = loader.get_single_node()
        check_yaml_tree(root)  # before any data is built: an alias bomb expands exponentially
        if root is None:
            return None, None, []
        duplicates = list(_duplicate_keys(root))
        if duplicates:
            return root, None, duplicates  # reported by the caller
        return root, loader.construct_document(root), []
    finally:
        loader.dispose()


def parse_yaml(path: str, text: str) -> tuple[yaml.Node, Any]:
    try:
        root, raw, duplicates = _compose(_FAST_LOADER, text)
    except YamlAliasUsed as exc:
        fail(path, str(exc).split(": ", 1)[1], exc.line)
    except NestingTooDeep as exc:
        fail(path, str(exc))
    except yaml.YAMLError as fast_error:
        try:
            root, raw, duplicates = _compose(yaml.SafeLoader, text)
        except yaml.YAMLError as exc:
            _fail_yaml(path, exc, text)
        except (RecursionError, NestingTooDeep, YamlAliasUsed):
            _fail_yaml(path, fast_error, text)  # libyaml's own message is the clearer one
        _fail_yaml(path, fast_error, text)  # pragma: no cover - both parsers agree in practice
    if root is None:
        fail(path, "the file has no content, only comments. Add the scenario's fields.")
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
        fail(
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
            fail(path, message, mark.line + 1, mark.column + 1)
        fail(path, message)
    fail(path, f"this is not valid YAML ({exc}). {_yaml_hint(str(exc))}")


def _has_curly_quotes(text: str, line_index: int) -> bool:
    lines = text.splitlines()
    nearby = lines[max(0, line_index - 1) : line_index + 1]
    return any(q in line for line in nearby for q in _CURLY_QUOTES)


def _duplicate_keys(node: yaml.Node, path: tuple[str | int, ...] = ()) -> Iterable[_Duplicate]:
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


def locate(root: yaml.Node, loc: Sequence[str | int]) -> tuple[int, int, bool]:
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


def node_at(root: yaml.Node, loc: Sequence[str | int]) -> yaml.Node | None:
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
