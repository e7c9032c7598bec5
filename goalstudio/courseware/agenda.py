"""``goalstudio workshop plan``: a suggested agenda for a whole-team day, and ready programmes.

- ``plan_day(minutes, tag)`` picks modules that fit the time exactly, with breaks, breakouts,
  the cases the module's exercises can open (filtered by tag and locale) and where a peer
  trainer leads.
- ``load_programme(name)`` reads a programme template (``course/programme-<name>.yaml``): a
  two-day intensive, then case consultations and implementation-barrier sessions, with
  preparation checklists and self-study between sessions.
- Run sheets render as Markdown, or as HTML from ``run_sheet.html.j2`` and ``run_sheet.css``
  (Jinja2 with autoescape, so every value is escaped).

The command itself (``goalstudio workshop plan``) is in ``goalstudio.cli._workshop``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from typing import Literal

import yaml
from pydantic import Field, ValidationError

from goalstudio._bounds import safe_yaml
from goalstudio._model import StrictModel
from goalstudio._vocabulary import LOCALES
from goalstudio.courseware.manifest import CourseManifest, Module, load_manifest
from goalstudio.templates import html_templates

START = 9 * 60 + 30
BREAK_MINUTES = 15
LUNCH_MINUTES = 45
CLOSE_MINUTES = 15
CLOSE_TITLE = "Close: one change each, and what to bring next"
# Course order matters, but when the day is short these modules come first.
CORE_ORDER = ("00", "03", "02", "04", "06", "05", "01", "08", "07")


@dataclass
class Slot:
    start: int
    minutes: int
    title: str
    module: Module | None = None
    scenarios: list[str] = field(default_factory=list)
    breakout: str = ""
    peer_leads: str = ""

    @property
    def time(self) -> str:
        end = self.start + self.minutes
        return f"{self.start // 60:02d}:{self.start % 60:02d}-{end // 60:02d}:{end % 60:02d}"


@dataclass
class DayPlan:
    minutes: int
    tag: str
    slots: list[Slot]
    left_out: list[Module]

    @property
    def teaching_minutes(self) -> int:
        return sum(s.minutes for s in self.slots if s.module is not None)


class AgendaError(ValueError):
    """The agenda cannot be planned; the message says why and what to change."""


PRACTICE_TITLE = "Practice: each group opens another case in today's exercises"
MIN_PRACTICE = 15  # shorter spare time lengthens the close instead


def _scenarios_for(tag: str, locales: tuple[str, ...]) -> list[tuple[str, frozenset[str]]]:
    """(id, tags) of every case a learner can open (it loads), with ``tag``, in ``locales``."""
    from goalstudio._scenarios.cases import openable_cases

    return [
        (s.id, frozenset(s.tags))
        for s in openable_cases()
        if (not tag or tag in s.tags) and s.locale in locales
    ]


def _pick(scenarios: list[tuple[str, frozenset[str]]], module: Module, turn: int) -> list[str]:
    """Up to three case studies for a module whose exercises open a case (none otherwise):
    those sharing its tags first, then in turn."""
    from goalstudio._scenarios.cases import module_case_exercises

    if not scenarios or not module_case_exercises(module.file):
        return []
    rotated = scenarios[turn % len(scenarios) :] + scenarios[: turn % len(scenarios)]
    ranked = sorted(rotated, key=lambda s: -len(s[1] & set(module.tags)))
    return [sid for sid, _tags in ranked[:3]]


def _layout(chosen: list[Module], minutes: int, start: int) -> list[Slot]:
    """Modules in course order with breaks and lunch, ending with the close."""
    slots: list[Slot] = []
    clock = start
    last_pause, had_lunch = clock, False
    for n, module in enumerate(chosen):
        slots.append(
            Slot(
                clock,
                module.minutes.workshop,
                f"Module {module.id}: {module.title}",
                module,
                [],
                module.breakout,
                module.peer_leads,
            )
        )
        clock += module.minutes.workshop
        lunch = minutes >= 300 and not had_lunch and clock >= 12 * 60
        if n == len(chosen) - 1 or minutes < 180 or (clock - last_pause < 90 and not lunch):
            continue
        length = LUNCH_MINUTES if lunch else BREAK_MINUTES
        slots.append(Slot(clock, length, "Lunch" if lunch else "Break"))
        had_lunch = had_lunch or lunch
        clock += length
        last_pause = clock
    slots.append(Slot(clock, CLOSE_MINUTES, CLOSE_TITLE))
    return slots


def plan_day(
    minutes: int,
    tag: str = "",
    manifest: CourseManifest | None = None,
    start: int = START,
    locales: tuple[str, ...] = LOCALES,
) -> DayPlan:
    """Fit modules into exactly ``minutes`` (workshop timings), favouring modules tagged ``tag``.

    Modules are added in priority order while the laid-out day (with its breaks, lunch and
    close) still fits; spare time becomes a practice slot on another case, or a longer close.
    Case studies are named only for modules whose exercises open a case, from the cases that
    load, in ``locales`` and with ``tag``.
    """
    manifest = manifest or load_manifest()
    if minutes < 60:
        raise AgendaError(f"--minutes {minutes} is too short: plan at least 60 minutes.")
    if minutes > 600:
        raise AgendaError(f"--minutes {minutes} is more than a day; use --template two-day.")
    scenarios = _scenarios_for(tag, locales)
    if tag and not scenarios and any(tag in m.tags for m in manifest.modules):
        # A path through the course (leadership, peer-staff) tags modules, not cases.
        scenarios = _scenarios_for("", locales)
    if tag and not scenarios:
        raise AgendaError(
            f"no scenario has the tag {tag!r}"
            + (f" in {' or '.join(locales)}" if len(locales) == 1 else "")
            + "; see the tags with `goalstudio scenarios list`."
        )
    tagged = [m.id for m in manifest.modules if tag and tag in m.tags]
    order = ["00", *tagged, *[i for i in CORE_ORDER if i not in tagged]]
    known = {m.id for m in manifest.modules}
    chosen: list[Module] = []
    for module_id in dict.fromkeys(i for i in order if i in known):
        trial = sorted([*chosen, manifest.module(module_id)], key=lambda m: m.id)
        if _end(_layout(trial, minutes, start)) - start <= minutes:
            chosen = trial
    slots = _layout(chosen, minutes, start)
    turn = 0
    for slot in slots:
        if slot.module is not None and slot.module.id != "00":
            slot.scenarios = _pick(scenarios, slot.module, turn)
            turn += 1
    spare = minutes - (_end(slots) - start)
    close = slots[-1]
    if spare >= MIN_PRACTICE and any(s.scenarios for s in slots):
        used = {sid for s in slots for sid in s.scenarios}
        others = [sid for sid, _tags in scenarios if sid not in used] or [
            sid for sid, _tags in scenarios
        ]
        slots.insert(-1, Slot(close.start, spare, PRACTICE_TITLE, scenarios=others[:3]))
        close.start += spare
    else:
        close.minutes += spare
    left_out = [m for m in manifest.modules if m not in chosen]
    return DayPlan(minutes, tag, slots, left_out)


def _end(slots: list[Slot]) -> int:
    return slots[-1].start + slots[-1].minutes


# -- programme templates -----------------------------------------------------------------------


class IntensiveDay(StrictModel):
    day: int = Field(ge=1)
    modules: list[str] = Field(min_length=1)
    tag: str = ""


class FollowUpSession(StrictModel):
    type: Literal["case-consultation", "implementation-barriers"]
    title: str
    week: int = Field(ge=1, le=4)
    purpose: str
    checklist: list[str] = Field(min_length=1)


class FollowUp(StrictModel):
    months: int = Field(ge=1, le=24)
    sessions: list[FollowUpSession] = Field(min_length=1)


class SelfStudy(StrictModel):
    after: str
    suggest: list[str] = Field(min_length=1)


class Programme(StrictModel):
    schema_version: Literal[1] = 1
    title: str
    intensive: list[IntensiveDay] = Field(min_length=1)
    follow_up: FollowUp
    self_study: list[SelfStudy] = Field(default_factory=list)


def load_programme(name: str) -> Programme:
    source = resources.files("goalstudio.course").joinpath(f"programme-{name}.yaml")
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AgendaError(
            f"no programme template {name!r} (looked for course/programme-{name}.yaml); "
            "try --template two-day."
        ) from None
    try:
        return Programme.model_validate(safe_yaml(text))
    except (yaml.YAMLError, ValidationError, ValueError) as exc:
        raise AgendaError(f"course/programme-{name}.yaml is not valid: {exc}") from None


# -- rendering ---------------------------------------------------------------------------------


def day_markdown(plan: DayPlan) -> list[str]:
    lines = [
        "| time | session | case studies | breakout | peer trainer leads |",
        "|---|---|---|---|---|",
    ]
    for s in plan.slots:
        lines.append(
            f"| {s.time} | {s.title} | {', '.join(s.scenarios)} | {s.breakout} | {s.peer_leads} |"
        )
    if plan.left_out:
        lines.append("")
        lines.append(
            "Not in this day (suggest for self-study): "
            + "; ".join(
                f"module {m.id} {m.title} ({m.minutes.self_study} min)" for m in plan.left_out
            )
        )
    return lines


def plan_markdown(plan: DayPlan) -> str:
    tag = f", focus: {plan.tag}" if plan.tag else ""
    head = [
        f"# Workshop run sheet ({plan.minutes} minutes{tag})",
        "",
        f"Teaching time {plan.teaching_minutes} minutes, plus breaks and a close. Project the "
        "module notebooks; send groups into the named case studies for breakouts (each "
        "exercise opens them with 'Choose another case study'). Remind the room: never type "
        "details of a real person.",
        "",
    ]
    return "\n".join([*head, *day_markdown(plan)]) + "\n"


def programme_markdown(programme: Programme, manifest: CourseManifest | None = None) -> str:
    manifest = manifest or load_manifest()
    out = [f"# {programme.title}", ""]
    for day in programme.intensive:
        minutes = sum(manifest.module(i).minutes.workshop for i in day.modules)
        total = minutes + 2 * BREAK_MINUTES + LUNCH_MINUTES + CLOSE_MINUTES
        sub = CourseManifest(
            title=manifest.title, modules=[manifest.module(i) for i in day.modules]
        )
        plan = plan_day(min(600, total), day.tag, sub)
        out += [f"## Day {day.day}", "", *day_markdown(plan), ""]
    out += [f"## Follow-up: {programme.follow_up.months} months, twice a month", ""]
    for session in programme.follow_up.sessions:
        out += [
            f"### {session.title} (week {session.week} of each month)",
            "",
            session.purpose,
            "",
            "Preparation checklist:",
            "",
            *[f"- [ ] {item}" for item in session.checklist],
            "",
        ]
    if programme.self_study:
        out += ["## Self-study between sessions", ""]
        for path in programme.self_study:
            out += [f"- After the {path.after}: " + "; ".join(path.suggest)]
    return "\n".join(out) + "\n"


@dataclass
class _Block:
    """One piece of a run sheet page: a heading, a table, a list or a paragraph."""

    kind: Literal["heading", "table", "list", "paragraph"]
    text: str = ""
    level: int = 1
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    items: list[str] = field(default_factory=list)


def _blocks(markdown: str) -> list[_Block]:
    """The run sheet's Markdown (only what the studio writes) as headings, tables, lists and
    paragraphs."""
    blocks: list[_Block] = []
    open_block: _Block | None = None  # the table or list still being filled
    for line in markdown.splitlines():
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if set("".join(cells)) <= set("-"):
                continue
            if open_block is None or open_block.kind != "table":
                open_block = _Block("table", header=cells)
                blocks.append(open_block)
            else:
                open_block.rows.append(cells)
        elif line.startswith("- "):
            if open_block is None or open_block.kind != "list":
                open_block = _Block("list")
                blocks.append(open_block)
            open_block.items.append(line[2:].replace("[ ] ", "☐ ", 1))
        else:
            open_block = None
            if line.startswith("#"):
                level = min(len(line) - len(line.lstrip("#")), 6)
                blocks.append(_Block("heading", line.lstrip("#").strip(), level))
            elif line.strip():
                blocks.append(_Block("paragraph", line))
    return blocks


def markdown_to_html(markdown: str, title: str) -> str:
    """A small, safe HTML rendering of the run sheet (headings, tables, lists, paragraphs), from
    ``run_sheet.html.j2``; Jinja2's autoescape escapes every value."""
    from markupsafe import Markup

    css = resources.files("goalstudio.courseware").joinpath("run_sheet.css")
    template = html_templates("goalstudio.courseware").get_template("run_sheet.html.j2")
    return template.render(
        title=title,
        css=Markup(css.read_text(encoding="utf-8").strip()),  # our own file, not user text
        blocks=_blocks(markdown),
    )
