"""Paths through the course for leaders and peer staff, and a task at the end of every module.

What a trainer relies on: ``workshop plan --tag leadership`` (or ``peer-staff``) plans a day of
exactly the modules the path's guide names; every module ends with one task to do at work before
the next session; and the sections the rubric and the paths point to teach what they promise.
"""

from __future__ import annotations

import re

import pytest

from goalstudio.courseware.agenda import AgendaError, plan_day
from goalstudio.courseware.manifest import Module, load_manifest
from goalstudio.courseware.release import cell_text, is_facilitator_cell, read_notebook
from tests.conftest import REPO

COURSE = REPO / "course"
FACILITATOR = COURSE / "facilitator"


def _learner_markdown(file: str) -> list[str]:
    cells = read_notebook(COURSE / file)["cells"]
    return [
        cell_text(c) for c in cells if c["cell_type"] == "markdown" and not is_facilitator_cell(c)
    ]


def _section(text: str, anchor: str) -> str:
    """The text from ``<a id="anchor">`` to the next heading of the same or a higher level."""
    start = text.index(f'<a id="{anchor}"></a>')
    heading = re.search(r"^(#+) ", text[start:], re.MULTILINE)
    assert heading is not None
    level = len(heading.group(1))
    rest = text[start + heading.end() :]
    end = re.search(rf"^#{{1,{level}}} ", rest, re.MULTILINE)
    return rest[: end.start()] if end else rest


def _named_modules(text: str, sentence: str) -> set[str]:
    """The module numbers named in the sentence that starts with ``sentence``."""
    start = text.index(sentence)
    end = re.compile(r"\.(\s|$)").search(text, start)
    assert end is not None
    return {f"{int(n):02d}" for n in re.findall(r"\b(\d)\b", text[start : end.start()])}


@pytest.mark.parametrize(
    ("tag", "guide", "sentence", "minutes"),
    [
        ("leadership", "leadership-path.md", "The modules in the path are tagged", 330),
        ("peer-staff", "peer-trainers.md", "The peer-staff track is the modules tagged", 360),
    ],
)
def test_a_path_plans_a_day_of_the_modules_its_guide_names(
    tag: str, guide: str, sentence: str, minutes: int
) -> None:
    tagged = {m.id for m in load_manifest().modules if tag in m.tags}
    text = (FACILITATOR / guide).read_text(encoding="utf-8")
    assert _named_modules(text, sentence) == tagged
    assert f"--minutes {minutes} --tag {tag}" in text
    plan = plan_day(minutes, tag)
    planned = {s.module.id for s in plan.slots if s.module is not None}
    assert tagged <= planned, f"the {tag} day leaves out {sorted(tagged - planned)}"
    # A path tags modules, not cases: the day still names cases for its exercises.
    assert any(s.scenarios for s in plan.slots)


def test_a_tag_on_neither_modules_nor_cases_is_still_an_error() -> None:
    with pytest.raises(AgendaError, match="no scenario has the tag 'no-such-path'"):
        plan_day(330, "no-such-path")


def test_the_leadership_section_closes_the_path_and_names_its_modules() -> None:
    module_08 = "\n".join(_learner_markdown("08-reviewing-and-measuring.ipynb"))
    section = _section(module_08, "leadership")
    tagged = {m.id for m in load_manifest().modules if "leadership" in m.tags}
    assert _named_modules(section, "short path") == tagged
    for part in ("Supervising plans", "Auditing as a team", "What leadership must change"):
        assert part in section
    assert '"including and especially leadership"' in section


@pytest.mark.parametrize("module", load_manifest().modules, ids=lambda m: m.id)
def test_every_module_ends_with_one_task_for_between_sessions(module: Module) -> None:
    cells = _learner_markdown(module.file)
    task = [c for c in cells if '<a id="between-sessions"></a>' in c]
    assert len(task) == 1
    assert cells.index(task[0]) == len(cells) - 2  # just before the key points
    bullets = re.findall(r"^- ", task[0], re.MULTILINE)
    assert len(bullets) == 1, "one real-world task, not a list"
    assert "privacy rule" in task[0]


def test_strengths_are_taught_where_the_rubric_sends_learners() -> None:
    # The rubric's strengths and barrier findings link to 04-writing-the-plan#strengths-and-barriers.
    module_04 = "\n".join(_learner_markdown("04-writing-the-plan.ipynb"))
    section = _section(module_04, "strengths-and-barriers")
    assert section.lstrip().startswith("Strengths")
    assert "barrier" in section.lower() and "Strengths:" in section


@pytest.mark.parametrize(
    ("file", "anchor", "must_say"),
    [
        ("04-writing-the-plan.ipynb", "funders-pay-for-interventions", "do not pay for goals"),
        ("04-writing-the-plan.ipynb", "brief-first-plan", "trust grows"),
        ("05-the-exchange-model.ipynb", "information-sharing", "needs their agreement"),
        ("05-the-exchange-model.ipynb", "natural-supports", "it is often not possible"),
        ("06-risk-conversations.ipynb", "capacity", "Adults with Incapacity (Scotland) Act 2000"),
        ("06-risk-conversations.ipynb", "positive-risk", "dignity of risk"),
        ("08-reviewing-and-measuring.ipynb", "what-chart-review-cannot-see", "proxy"),
        ("00-welcome.ipynb", "how-the-course-runs", "implementation-barrier session"),
    ],
)
def test_practice_from_the_reference_material_is_taught(
    file: str, anchor: str, must_say: str
) -> None:
    text = "\n".join(_learner_markdown(file))
    assert must_say in " ".join(_section(text, anchor).split())


def test_the_peer_pack_covers_every_module_and_stepping_back() -> None:
    pack = (FACILITATOR / "peer-trainers.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d) [A-Z]", pack, re.MULTILINE)
    assert rows == [str(n) for n in range(9)]
    assert "## Stepping back from a clinical role" in pack
    assert "only by choice" in next(m.peer_leads for m in load_manifest().modules if m.id == "05")


def test_the_disagreement_line_module_5_teaches_is_one_the_studio_reads() -> None:
    from goalstudio._plantext import parse_plan

    text = "\n".join(_learner_markdown("05-the-exchange-model.ipynb"))
    section = _section(text, "disagreement")
    example = re.search(r"```\n(Disagreement: .+)\n```", section)
    assert example is not None
    plan = parse_plan('Goal: "I want to sing again." (Priya)\n' + example.group(1))
    [recorded] = plan.disagreements
    assert recorded.who == "Ana and Priya" and "December review" in recorded.revisit
