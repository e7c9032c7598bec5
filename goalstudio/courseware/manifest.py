"""The course manifest, the learner's course settings, and their progress through the modules.

- ``load_manifest()``: ``course/manifest.yaml``, the modules in order with their files, timings,
  objectives and NCAPPS competency domain.
- ``course_settings()`` / ``save_course_settings()``: the terminology (``en-GB``/``en-US``) and the
  scenario set a learner chose in the welcome module, kept in the workspace config file beside
  the display name (see ``goalstudio.learner``).
- ``course_scenario(gb=..., us=...)``: the scenario a module uses for this learner.
- ``course_progress(store, learner)``: which modules are started and completed, and where to
  pick up. A module is *completed* when its end-of-module reflection is saved.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import yaml
from pydantic import Field, ValidationError, field_validator

from goalstudio._bounds import NestingTooDeep, YamlAliasUsed, safe_yaml
from goalstudio._model import StrictModel, _not_blank, _not_blank_items
from goalstudio._vocabulary import DEFAULT_LOCALE, LOCALES
from goalstudio.learner import config_path, read_config, update_config

if TYPE_CHECKING:
    from goalstudio.records import RecordStore

# NCAPPS competency domains (A-E); see CONTENT.md.
Domain = Literal["A", "B", "C", "D", "E"]
DOMAIN_TITLES: dict[str, str] = {
    "A": "strengths-based, culturally informed, whole-person",
    "B": "connections inside the system and out",
    "C": "rights, choice and control",
    "D": "partnership and facilitation",
    "E": "documentation, implementation and monitoring",
}
# "matching" follows the learner's terminology; "en-GB"/"en-US" pick that country's scenarios;
# "mixed" uses each module's first choice, so a learner meets both UK and US practice.
SCENARIO_SETS = ("matching", "en-GB", "en-US", "mixed")


class Minutes(StrictModel):
    self_study: int = Field(ge=1, le=600)
    workshop: int = Field(ge=1, le=600)


class Module(StrictModel):
    """One numbered module of the course."""

    id: str = Field(pattern=r"^\d\d$")
    title: str
    file: str = Field(pattern=r"^\d\d-[a-z0-9-]+\.ipynb$")
    minutes: Minutes
    domain: Domain
    objectives: list[str] = Field(min_length=1)
    tags: list[str] = Field(default_factory=list)
    # Added for workshop planning; optional so older manifests still load.
    questions: list[str] = Field(default_factory=list)
    exercises: list[str] = Field(default_factory=list)
    breakout: str = ""
    peer_leads: str = ""

    _check_title = field_validator("title")(_not_blank)
    _check_objectives = field_validator("objectives")(_not_blank_items)


class CourseManifest(StrictModel):
    schema_version: Literal[1] = 1
    title: str
    home: str = "home.ipynb"
    modules: list[Module] = Field(min_length=1)

    def module(self, module_id: str) -> Module:
        for module in self.modules:
            if module.id == module_id:
                return module
        raise KeyError(f"no module {module_id!r} in course/manifest.yaml")


class ManifestError(ValueError):
    """The course manifest is missing or malformed."""


def parse_manifest(text: str, source: str = "course/manifest.yaml") -> CourseManifest:
    try:
        return CourseManifest.model_validate(safe_yaml(text))
    except yaml.YAMLError as exc:
        raise ManifestError(f"{source} is not valid YAML: {exc}") from None
    except (NestingTooDeep, YamlAliasUsed) as exc:
        raise ManifestError(f"{source}: {exc}") from None
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'top level'}: {e['msg']}" for e in exc.errors()
        )
        raise ManifestError(f"{source} is not valid: {problems}") from None


def load_manifest() -> CourseManifest:
    """The packaged ``course/manifest.yaml``."""
    source = resources.files("goalstudio.course").joinpath("manifest.yaml")
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ManifestError("course/manifest.yaml is missing from the installation.") from None
    return parse_manifest(text)


def first_module_file() -> str:
    """The notebook a new learner opens first."""
    return load_manifest().modules[0].file


# -- the learner's course settings -------------------------------------------------------------


@dataclass(frozen=True)
class CourseSettings:
    locale: str = "en-GB"
    scenario_set: str = "matching"
    case_tag: str = ""  # the topic the learner filters the case picker by ("" for any)


def course_settings() -> CourseSettings:
    """The terminology and scenario set chosen in the welcome module (defaults if not chosen)."""
    data = read_config(config_path())
    locale = data.get("locale")
    scenario_set = data.get("scenario_set")
    case_tag = data.get("case_tag")
    return CourseSettings(
        locale=locale if isinstance(locale, str) and locale in LOCALES else DEFAULT_LOCALE,
        scenario_set=(
            scenario_set
            if isinstance(scenario_set, str) and scenario_set in SCENARIO_SETS
            else "matching"
        ),
        case_tag=case_tag if isinstance(case_tag, str) and len(case_tag) <= 64 else "",
    )


def save_case_tag(tag: str) -> Path:
    """Remember the topic the learner chose in a case picker, for every exercise."""
    if len(tag) > 64 or any(c.isspace() for c in tag):
        raise ValueError("choose a topic from the list")
    return update_config(case_tag=tag)


def save_course_settings(*, locale: str, scenario_set: str) -> Path:
    """Keep the choices in the workspace config; the name and other settings there are kept."""
    if locale not in LOCALES:
        raise ValueError(f"choose the terminology en-GB (UK) or en-US (US), not {locale!r}")
    if scenario_set not in SCENARIO_SETS:
        raise ValueError(
            f"choose a scenario set from {', '.join(SCENARIO_SETS)}, not {scenario_set!r}"
        )
    return update_config(locale=locale, scenario_set=scenario_set)


def course_scenario(*, gb: str, us: str, first: Literal["gb", "us"] = "gb") -> str:
    """The scenario id a module uses for this learner: ``gb`` (a UK case) or ``us`` (a US case).

    ``first`` is the module's own choice, used when the learner asked for a mixed set.
    """
    settings = course_settings()
    wanted = settings.scenario_set
    if wanted == "matching":
        wanted = settings.locale
    elif wanted == "mixed":
        wanted = "en-GB" if first == "gb" else "en-US"
    return gb if wanted == "en-GB" else us


# -- progress ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModuleStatus:
    id: str
    title: str
    file: str
    minutes: int
    status: Literal["not started", "started", "completed"]
    last_active: str = ""
    minutes_on_task: float = 0.0  # as every dashboard measures it (records.reports)


@dataclass(frozen=True)
class CourseProgress:
    learner: str
    modules: list[ModuleStatus]

    @property
    def completed(self) -> int:
        return sum(m.status == "completed" for m in self.modules)

    @property
    def next_module(self) -> ModuleStatus | None:
        """Where to pick up: the first module in course order that is not completed."""
        return next((m for m in self.modules if m.status != "completed"), None)

    @property
    def minutes_left(self) -> int:
        return sum(m.minutes for m in self.modules if m.status != "completed")

    @property
    def minutes_on_task(self) -> float:
        """Time on task so far, as every dashboard measures it."""
        return round(sum(m.minutes_on_task for m in self.modules), 1)


def course_progress(
    store: RecordStore, learner: str, manifest: CourseManifest | None = None
) -> CourseProgress:
    """Each module's status for ``learner``, read from the records store.

    Started: any attempt, event or reflection recorded with the module's id. Completed and
    minutes on task: the definitions the dashboards read too (``records.reports.progress``).
    """
    from goalstudio.records.reports import progress

    manifest = manifest or load_manifest()
    work = {row.module: row for row in progress(store, learner=learner)}
    modules = []
    for m in manifest.modules:
        row = work.get(m.id)
        status: Literal["not started", "started", "completed"] = (
            "not started" if row is None else "completed" if row.module_completed else "started"
        )
        modules.append(
            ModuleStatus(
                id=m.id,
                title=m.title,
                file=m.file,
                minutes=m.minutes.self_study,
                status=status,
                last_active=row.last_active if row else "",
                minutes_on_task=round(row.minutes, 1) if row else 0.0,
            )
        )
    return CourseProgress(learner=learner, modules=modules)


# -- where a point is taught --------------------------------------------------------------------

_ANCHOR = re.compile(r"""<a\s+id=["']([^"']+)["']\s*>\s*</a>""")
_HEADING_LINE = re.compile(r"^#{1,6}\s+(.+?)\s*$", re.MULTILINE)


@functools.cache
def _sections(notebook: str) -> dict[str, str]:
    """Each anchor of a packaged course notebook, and the heading of the section it marks."""
    source = resources.files("goalstudio.course").joinpath(notebook)
    try:
        cells = json.loads(source.read_text(encoding="utf-8")).get("cells", [])
    except (FileNotFoundError, ValueError):
        return {}
    found: dict[str, str] = {}
    waiting: list[str] = []  # anchors seen before the heading they sit above
    for cell in cells:
        if cell.get("cell_type") != "markdown":
            continue
        text = "".join(cell.get("source", []))
        for match in re.finditer(f"{_ANCHOR.pattern}|{_HEADING_LINE.pattern}", text, re.M):
            anchor, heading = match.group(1), match.group(2)
            if anchor:
                waiting.append(anchor)
                continue
            title = re.sub(r"<[^>]+>|[*_`]", "", heading).strip()
            found.setdefault(title.replace(" ", "-"), title)
            for name in waiting:
                found.setdefault(name, title)
            waiting = []
    return found


def where_taught(teaches: str) -> str:
    """'04-writing-the-plan#the-persons-role' -> 'Module 4, Writing the plan: The shape of a plan'.

    The module's title comes from the manifest and the section's from its heading in the
    notebook, as the learner sees them; a link the course does not have is returned as it is.
    """
    page, _, anchor = teaches.partition("#")
    try:
        module = next(m for m in load_manifest().modules if m.file == f"{page}.ipynb")
    except (StopIteration, ManifestError):
        return teaches
    where = f"Module {int(module.id)}, {module.title}"
    section = _sections(module.file).get(anchor) if anchor else None
    return f"{where}: {section}" if section else where
