"""The golden thread (goal -> objective -> action), deferred needs, plan size, treatment links,
and recovery-oriented language findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from goalstudio.rubric import Review, review

PLANS = Path(__file__).parent / "fixtures" / "plans"


@pytest.fixture(scope="module")
def gaps() -> tuple[str, Review]:
    text = (PLANS / "structure-gaps.txt").read_text(encoding="utf-8")
    return text, review(text)


def by_rule(result: Review, rule: str) -> list[str]:
    return [f.location for f in result.findings if f.rule == rule]


def test_goal_without_objectives(gaps: tuple[str, Review]) -> None:
    assert by_rule(gaps[1], "structure.goal-no-objectives") == ["goal 1"]


def test_objective_without_actions(gaps: tuple[str, Review]) -> None:
    assert by_rule(gaps[1], "structure.objective-no-actions") == ["goal 2 > objective 1"]


def test_goals_without_strengths_or_barriers(gaps: tuple[str, Review]) -> None:
    assert by_rule(gaps[1], "structure.goal-no-strengths") == ["goal 1", "goal 2", "goal 3"]
    # Barriers matter once there are objectives to work on them.
    assert by_rule(gaps[1], "structure.goal-no-barriers") == ["goal 2", "goal 3"]


def test_deferred_need_without_reason_has_a_plan_span(gaps: tuple[str, Review]) -> None:
    text, result = gaps
    finding = next(f for f in result.findings if f.rule == "structure.deferred-no-reason")
    assert finding.location == "deferred 1"
    assert finding.severity == "warning"
    assert finding.span is not None and text[finding.span[0] : finding.span[1]] == "weight"


def test_deferred_need_with_reason_is_fine() -> None:
    text = (PLANS / "person-centred.txt").read_text(encoding="utf-8")
    assert not by_rule(review(text), "structure.deferred-no-reason")


def test_treatment_not_linked_to_the_persons_goal(gaps: tuple[str, Review]) -> None:
    text, result = gaps
    finding = next(f for f in result.findings if f.rule == "structure.treatment-unlinked")
    assert finding.location == "goal 3 > objective 1 > action 1"
    assert finding.span is not None
    assert text[finding.span[0] : finding.span[1]] == "depot injection"
    assert "honours the person" in finding.suggestion


def test_treatment_serving_the_persons_own_goal_is_linked() -> None:
    text = (
        'Goal: "I want to get back to my job at the bakery." (Ana)\n'
        "  Objective: Ana works two mornings a week by June.\n"
        "    - Nurse: gives depot injection fortnightly\n"
        "    - Ana: phones the bakery manager on Monday\n"
    )
    assert not by_rule(review(text), "structure.treatment-unlinked")


def test_a_brief_first_plan_is_not_penalised_but_many_goals_are_noted() -> None:
    brief = (
        'Goal: "I want to sleep through the night." (Ana)\n'
        "  Strengths: likes routine\n"
        "  Barriers: noisy street\n"
        "  Objective: Ana tries earplugs for two weeks from Monday.\n"
        "    - Ana: buys earplugs on Saturday\n"
    )
    result = review(brief)
    assert not [f for f in result.findings if f.criterion == "structure"]
    many = "".join(f'Goal: "I want thing {n}." (Ana)\n' for n in range(7))
    assert by_rule(review(many), "structure.too-many-goals") == ["plan"]


def test_language_findings_quote_explain_and_never_rewrite() -> None:
    text = (PLANS / "deficit-led.txt").read_text(encoding="utf-8")
    result = review(text)
    language = result.language_findings
    assert language
    for finding in language:
        assert finding.criterion == "language"
        assert finding.why and len(finding.alternatives) >= 2
        if finding.span_in == "plan":
            assert finding.span is not None
            assert text[finding.span[0] : finding.span[1]] == finding.quote
    # The review never changes the learner's text.
    assert (PLANS / "deficit-led.txt").read_text(encoding="utf-8") == text


def test_language_in_strengths_barriers_and_crisis_plan_is_found() -> None:
    text = (
        'Goal: "I want to see my son." (Ana)\n'
        "  Strengths: not an addict any more\n"
        "  Barriers: non-compliant with meds\n"
        "Crisis plan: staff to call police if Ana is manipulative\n"
    )
    locations = {f.location for f in review(text).language_findings}
    assert {"goal 1 > strengths", "goal 1 > barriers", "crisis plan"} <= locations


def test_findings_are_in_plan_order() -> None:
    text = (PLANS / "structure-gaps.txt").read_text(encoding="utf-8")
    result = review(text)
    order = [f.location.split(" > ")[0] for f in result.findings if f.location.startswith("goal")]
    assert order == sorted(order, key=lambda loc: int(loc.split()[1]))
