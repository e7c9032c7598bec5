"""Any case, any exercise: the case picker of every scenario-based exercise."""

from __future__ import annotations

from pathlib import Path

import pytest

from goalstudio._scenarios.cases import case_choices, openable_cases
from goalstudio.widgets import (
    ChartReview,
    ExchangeMap,
    GoalDiscovery,
    LanguageSpotter,
    PlanRewriter,
    Reflection,
    RiskConversation,
)


@pytest.fixture
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("GOALSTUDIO_WORKSPACE", str(tmp_path / "ws"))
    return f"sqlite:///{tmp_path / 'records.sqlite'}"


@pytest.mark.parametrize(
    "exercise", [ChartReview, ExchangeMap, GoalDiscovery, LanguageSpotter, RiskConversation]
)
def test_every_scenario_exercise_opens_another_case(exercise: type, url: str) -> None:
    widget = exercise("bernie-cmht-allotment", learner="ana", store_url=url)
    assert widget.picker is not None and widget.picker in widget.children
    assert "Bernie wants her tablets" in widget.picker.current.value
    assert widget.open_case("levi-cto-joinery") == "levi-cto-joinery"
    assert widget.scenario_id == "levi-cto-joinery" and widget.last_error is None
    assert "Levi wants his van" in widget.picker.current.value
    # The US case brings US terms with it.
    assert widget.open_case("javi-oud-taper") == "javi-oud-taper"
    assert widget.locale.code == "en-US"


def test_the_picker_lists_the_learners_cases_with_the_modules_own_first(url: str) -> None:
    widget = PlanRewriter("javi-oud-taper", learner="ana", store_url=url)
    picker = widget.picker
    assert picker is not None and picker.chooser.layout.display == "none"
    picker.show_choices()
    ids = [value for _label, value in picker.cases.options]
    # A learner with UK settings (the default) sees the module's US case, then UK cases only.
    assert ids[0] == "javi-oud-taper" and picker.cases.options[0][0].startswith("This module's")
    uk = sorted(c.id for c in openable_cases() if c.locale == "en-GB")
    assert ids[1:] == uk
    picker.topic.value = "transitions"
    ids = [value for _label, value in picker.cases.options]
    assert ids == [
        "javi-oud-taper",
        "delroy-ward-to-home-kezia",
        "samira-camhs-to-adult-architecture",
    ]
    # The topic is remembered for the next exercise.
    again = PlanRewriter("bernie-cmht-allotment", learner="ana", store_url=url)
    assert again.picker is not None
    again.picker.show_choices()
    assert again.picker.topic.value == "transitions"
    picker.cases.value = "samira-camhs-to-adult-architecture"
    picker.open_selected()
    assert widget.scenario_id == "samira-camhs-to-adult-architecture"


def test_each_case_keeps_its_own_draft_and_state(url: str) -> None:
    widget = PlanRewriter("bernie-cmht-allotment", learner="ana", store_url=url)
    widget.type_text("Goal: Bernie's own words")
    widget.reveal_hint()
    widget.open_case("levi-cto-joinery")
    assert widget.hints_shown == 0 and not widget.submitted
    assert widget.editor.value == widget.scenario.deficit_plan  # type: ignore[union-attr]
    widget.type_text("Goal: Levi's plan")
    widget.open_case("bernie-cmht-allotment")
    assert widget.editor.value == "Goal: Bernie's own words" and widget.hints_shown == 1
    widget.open_case("levi-cto-joinery")
    assert widget.editor.value == "Goal: Levi's plan"


def test_a_case_that_cannot_open_keeps_the_one_open(url: str) -> None:
    widget = GoalDiscovery("bernie-cmht-allotment", learner="ana", store_url=url)
    assert widget.open_case("no-such-case") is None
    assert widget.scenario_id == "bernie-cmht-allotment"
    assert "cannot be opened" in (widget.last_error or "")


def test_passages_and_reflections_have_no_picker(url: str) -> None:
    assert (
        LanguageSpotter(passage="Goal: be compliant.", learner="ana", store_url=url).picker is None
    )
    assert Reflection(module="03", learner="ana", store_url=url).picker is None


def test_case_choices_follow_locale_and_tag() -> None:
    us = case_choices("bernie-cmht-allotment", locales=("en-US",), tag="risk")
    assert us[0].id == "bernie-cmht-allotment"
    assert all(c.locale == "en-US" and "risk" in c.tags for c in us[1:]) and len(us) > 3


def test_after_submitting_goal_discovery_shows_the_goals_the_person_named(url: str) -> None:
    from goalstudio.scenarios import load

    widget = GoalDiscovery("bernie-cmht-allotment", learner="ana", store_url=url)
    assert widget.model_box.value == ""  # nothing to copy before trying
    widget.capture("I want the plot back")
    assert widget.submit() is not None
    named = [g for t in load("bernie-cmht-allotment").goal_discovery for g in t.goals]
    assert "The goals Bernie named, in Bernie's own words" in widget.model_box.value
    assert all(goal.replace('"', "&quot;")[:20] in widget.model_box.value for goal in named)


def test_after_saving_an_exchange_map_a_negotiated_plan_and_the_mistakes_open(url: str) -> None:
    from goalstudio.scenarios import load

    widget = ExchangeMap("levi-cto-joinery", learner="ana", store_url=url)
    assert widget.model_box.value == ""
    widget.set_outcome(0, "Levi back on the tools by June", "Levi asks Hendry's", "person")
    assert widget.submit() is not None, widget.last_error
    case = load("levi-cto-joinery")
    assert "One possible plan negotiated from these views" in widget.model_box.value
    assert (
        case.facilitator_notes.common_mistakes[0][:30].replace("'", "&#x27;")
        in widget.model_box.value
    )
