"""The catalogue of scenarios: where the files are, and loading and checking them by id or path.

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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import yaml

from goalstudio._environment import SCENARIOS_PATH_ENV
from goalstudio._scenarios._checks import quotation_problems, rubric_problems
from goalstudio._scenarios._errors import ScenarioError, ScenarioProblem
from goalstudio._scenarios._problems import validate
from goalstudio._scenarios._read import Source, decode, is_scenario_name, parse_yaml, read_bytes
from goalstudio._scenarios.model import Scenario

ENV_VAR = SCENARIOS_PATH_ENV  # the name goalstudio.scenarios publishes


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


def _builtin_folder() -> Traversable:
    return resources.files("goalstudio.scenarios")


def extra_folders() -> list[Path]:
    """The folders named in ``GOALSTUDIO_SCENARIOS_PATH``, in order (empty parts skipped)."""
    raw = os.environ.get(ENV_VAR, "")
    return [Path(part) for part in raw.split(os.pathsep) if part.strip()]


def _folder_sources(folder: Traversable, display: str) -> list[Source]:
    entries = [e for e in folder.iterdir() if e.is_file() and is_scenario_name(e.name)]
    entries.sort(key=lambda e: e.name)
    return [Source(e, f"{display.rstrip('/' + os.sep)}{os.sep}{e.name}") for e in entries]


def known_sources() -> tuple[list[Source], list[ScenarioProblem]]:
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


def _duplicate_problems(sources: Iterable[Source]) -> list[ScenarioProblem]:
    first: dict[str, Source] = {}
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
    sources, problems = known_sources()
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
    sources, folder_problems = known_sources()
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
    return _load_source(Source(p, str(p)))


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
        sources, problems = known_sources()
        problems += _duplicate_problems(sources)
    for source in sources:
        problems += _check_source(source, rubric=rubric)
    return len(sources), problems


def _resolved(source: Source) -> Path:
    return Path(str(source.ref)).resolve()


def _clashes_with_known(sources: list[Source]) -> list[ScenarioProblem]:
    """Checked files whose id is already taken by a different scenario the studio loads."""
    known, _ = known_sources()
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
) -> tuple[list[Source], list[ScenarioProblem]]:
    sources: list[Source] = []
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
            found = [Source(path, str(path))]
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


def _check_source(source: Source, *, rubric: bool) -> list[ScenarioProblem]:
    try:
        scenario, text, root = _read_source(source)
    except ScenarioError as exc:
        return exc.problems
    problems = quotation_problems(scenario, path=source.display, text=text, root=root)
    if rubric:
        problems += rubric_problems(scenario, path=source.display, text=text, root=root)
    return problems


def _load_source(source: Source) -> Scenario:
    return _read_source(source)[0]


def _read_source(source: Source) -> tuple[Scenario, str, yaml.Node]:
    """The scenario, with the file's text and YAML node tree (for line numbers)."""
    path = source.display
    text = decode(path, read_bytes(source))
    root, raw = parse_yaml(path, text)
    return validate(path, source.stem, text, root, raw), text, root
