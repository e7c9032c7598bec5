"""Owners real plans name: education, justice, work and benefits, primary care, housing, faith
and community groups, in both locales. An owner the studio still cannot place never stops the
review: the step is kept as someone else's and an info finding asks who they are.

Issue 13, "What was seen" 9: "- College: ...", "- Tutor (Dan): ...", "- Probation: ..." and
"- Jobcentre: ..." stopped the whole review with "I can't tell who 'College' is".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from goalstudio import parse_plan
from goalstudio._owners import resolve_owner
from goalstudio.cli import main
from goalstudio.rubric import review


@pytest.mark.parametrize(
    ("label", "owner"),
    [
        # Education (both locales)
        ("College", "agency"),
        ("School", "agency"),
        ("University", "agency"),
        ("Community college", "agency"),
        ("Teacher", "practitioner"),
        ("Tutor (Dan)", "practitioner"),
        ("Lecturer (Ms Obi)", "practitioner"),
        ("Guidance counselor", "practitioner"),
        ("SENCO", "practitioner"),
        # Justice
        ("Probation", "agency"),
        ("Probation officer (Jo)", "practitioner"),
        ("Parole officer", "practitioner"),
        ("Youth offending team", "agency"),
        # Work and benefits
        ("Jobcentre", "agency"),
        ("Jobcentre Plus", "agency"),
        ("Work coach (Aisha)", "practitioner"),
        ("Job coach", "practitioner"),
        ("Social Security", "agency"),
        ("Citizens Advice", "agency"),
        ("Vocational rehabilitation counselor", "practitioner"),
        # Primary care
        ("GP surgery", "practitioner"),
        ("PCP", "practitioner"),
        ("Primary care", "agency"),
        ("Social prescriber", "practitioner"),
        # Housing
        ("Housing association", "agency"),
        ("Tenancy support", "practitioner"),
        ("Supported housing", "agency"),
        ("Landlord", "natural_support"),
        # Faith and community groups
        ("Pastor (Ruth)", "natural_support"),
        ("Faith community", "natural_support"),
        ("Walking group", "natural_support"),
        ("Men's Shed", "natural_support"),
        ("Deaf club", "natural_support"),
        ("AA sponsor", "peer"),
        ("SMART Recovery", "peer"),
        ("Food bank", "agency"),
        ("Universal Credit", "agency"),
        ("Talking Therapies", "agency"),
        ("Salvation Army", "agency"),
        ("Section 8", "agency"),
        ("YMCA", "agency"),
    ],
)
def test_common_owners_are_placed(label: str, owner: str) -> None:
    assert resolve_owner(label, ["Priya"]) == owner


def test_a_stranger_is_still_not_guessed() -> None:
    assert resolve_owner("Bob", ["Priya"]) is None


PLAN = """Person: Priya
Goal: "I want to go back to college" (Priya)
  Strengths: loves drawing
  Barriers: worried about money
  Objective: Priya enrols on the art access course by September.
    - Priya: visits the open day on 14 June
    - College: sends Priya the enrolment pack by May
    - Tutor (Dan): meets Priya to plan her timetable in July
    - Probation: agrees the Tuesday class fits her appointments by June
    - Jobcentre: confirms studying keeps her benefits by June
    - Bob: drives her to the open day on 14 June
"""


def test_a_plan_naming_college_tutor_probation_and_jobcentre_is_reviewed() -> None:
    plan = parse_plan(PLAN)
    owners = [a.owner for a in plan.actions()]
    assert owners == ["person", "agency", "practitioner", "agency", "agency", "other"]
    result = review(PLAN)
    # The review runs to the end: every criterion has a verdict.
    assert set(result.verdicts) >= {"outcomes", "roles", "own_words"}


def test_an_unplaced_owner_is_someone_else_with_a_gentle_finding() -> None:
    result = review(PLAN)
    found = [f for f in result.findings if f.rule == "structure.owner-unplaced"]
    assert len(found) == 1
    finding = found[0]
    # Teaching message: it names who, says how the step is read, and how to fix it.
    assert finding.severity == "info"
    assert "I can't tell who 'Bob' is" in finding.message
    assert "someone else's step" in finding.message
    assert "'Friend (Bob):'" in finding.suggestion
    assert finding.quote == "drives her to the open day on 14 June"


def test_an_unplaced_owner_without_a_person_line_hints_at_person() -> None:
    text = (
        'Goal: "I want to swim again" (Jo)\n  Objective: Jo swims weekly\n    - Jojo: packs a bag\n'
    )
    finding = next(f for f in review(text).findings if f.rule == "structure.owner-unplaced")
    assert "If Jojo is the person, add 'Person: Jojo' at the top." in finding.suggestion


def test_someone_else_is_not_the_persons_own_step() -> None:
    text = (
        "Person: Priya\n"
        'Goal: "I want to go back to college" (Priya)\n'
        "  Objective: Priya enrols by September.\n"
        "    - Bob: drives her to the open day\n"
    )
    roles = review(text).verdicts["roles"]
    assert roles.verdict == "not_met"
    assert any("owned by someone else" in e for e in roles.evidence)


def test_us_plan_with_school_and_parole() -> None:
    text = (
        "Person: Marcus\n"
        'Goal: "I want to finish my GED" (Marcus)\n'
        "  Objective: Marcus passes the math test by May.\n"
        "    - Marcus: studies with the tutor on Mondays\n"
        "    - Community college: holds a seat in the Monday class\n"
        "    - Parole officer (Ms Diaz): moves check-ins to Thursdays\n"
    )
    plan = parse_plan(text)
    assert [a.owner for a in plan.actions()] == ["person", "agency", "practitioner"]
    assert not [f for f in review(text, "en-US").findings if f.rule == "structure.owner-unplaced"]


@pytest.mark.parametrize(
    ("label", "owner"),
    [
        ("Mr Washington", "person"),
        ("Mr. Washington", "person"),
        ("Mrs Dhillon", "person"),
        ("Dr Washington", "practitioner"),
        ("Mr Deacon", None),  # a surname, not a faith role
    ],
)
def test_the_person_by_title_and_surname(label: str, owner: str | None) -> None:
    assert resolve_owner(label, ["Earl Washington", "Balwinder Kaur Dhillon"]) == owner


def test_plan_check_shows_an_unplaced_owner_as_someone_else(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "p.plan"
    path.write_text(PLAN, encoding="utf-8")
    assert main(["plan", "check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "- Bob (someone else): drives her to the open day" in out
    assert "- College (service): sends Priya the enrolment pack by May" in out
    assert "- Tutor (Dan) (practitioner):" in out
