"""chart_review(): suggested answers to the COCAPP care plan review items."""

from __future__ import annotations

from pathlib import Path

import pytest

from goalstudio.rubric import CHART_ITEMS, HUMAN_NOTE, ChartReview, chart_review

PLANS = Path(__file__).parent / "fixtures" / "plans"


@pytest.fixture(scope="module")
def good() -> ChartReview:
    return chart_review((PLANS / "person-centred.txt").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def poor() -> ChartReview:
    return chart_review((PLANS / "deficit-led.txt").read_text(encoding="utf-8"))


def answers(review: ChartReview) -> dict[str, str]:
    return {item.id: item.answer for item in review.items}


def test_eleven_items_in_template_order(good: ChartReview) -> None:
    assert [i.id for i in good.items] == [i for i, _ in CHART_ITEMS]
    assert len(good.items) == 11


def test_says_plainly_that_a_human_confirms(good: ChartReview) -> None:
    assert good.note == HUMAN_NOTE
    assert "human reviewer" in good.note
    assert good.to_dict()["note"] == HUMAN_NOTE


def test_person_centred_plan_answers_yes_where_the_text_shows_it(good: ChartReview) -> None:
    got = answers(good)
    for item in (
        "persons_views",
        "co_production",
        "strengths_based",
        "personalisation",
        "recovery_oriented",
        "person_centred_goals",
        "views_in_risk_crisis_relapse",
        "social_and_medical_outcomes",
        "self_management",
        "relationships",
    ):
        assert got[item] == "yes", item


def test_deficit_plan_answers_no_where_the_text_shows_absence(poor: ChartReview) -> None:
    got = answers(poor)
    for item in (
        "persons_views",
        "co_production",
        "strengths_based",
        "personalisation",
        "recovery_oriented",
        "person_centred_goals",
        "social_and_medical_outcomes",
        "self_management",
        "relationships",
    ):
        assert got[item] == "no", item


def test_items_the_text_cannot_settle_are_unclear_never_guessed(
    good: ChartReview, poor: ChartReview
) -> None:
    # No plan mentions an advance statement: it may exist elsewhere, so it is unclear.
    assert good.item("advance_directives").answer == "unclear"
    assert poor.item("advance_directives").answer == "unclear"
    # The deficit plan's crisis plan is in staff voice only: the person's say cannot be read.
    assert poor.item("views_in_risk_crisis_relapse").answer == "unclear"
    no_crisis = chart_review('Goal: "I want to sing." (Priya)\n')
    assert no_crisis.item("views_in_risk_crisis_relapse").answer == "unclear"
    for item in (*good.items, *poor.items):
        if item.answer == "unclear":
            assert item.confidence <= 0.5


def test_advance_statement_is_found_with_evidence() -> None:
    text = (
        'Goal: "I want to stay at home with my wife." (Earl)\n'
        "Crisis plan: Earl's advance statement says he prefers home treatment\n"
    )
    item = chart_review(text).item("advance_directives")
    assert item.answer == "yes"
    assert item.evidence and "advance statement" in item.evidence[0].quote


def test_medication_only_plan_is_not_personalisation() -> None:
    text = "Goal: Client will comply with medication.\n  Objective: Reduce symptoms by May.\n"
    assert chart_review(text).item("personalisation").answer == "no"


def test_evidence_spans_point_into_the_plan_text(good: ChartReview) -> None:
    text = (PLANS / "person-centred.txt").read_text(encoding="utf-8")
    item = good.item("persons_views")
    spans = [e for e in item.evidence if e.span is not None]
    assert spans
    for evidence in spans:
        assert evidence.span_in == "plan"
        start, end = evidence.span  # type: ignore[misc]
        assert text[start:end] == evidence.quote


def test_confidence_is_a_probability_and_dict_is_complete(good: ChartReview) -> None:
    for item in good.items:
        assert 0.0 < item.confidence <= 1.0
        data = item.to_dict()
        assert set(data) == {"id", "question", "answer", "confidence", "note", "evidence"}
        assert data["note"]


def test_unknown_item_names_the_known_ones(good: ChartReview) -> None:
    with pytest.raises(KeyError, match="persons_views"):
        good.item("personal_budget")
