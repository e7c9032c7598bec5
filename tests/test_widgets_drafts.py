"""Drafts: an exercise's state is its synced draft traits; a change saves itself after a pause,
and a draft saved by an earlier version (the same keys) comes back."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from goalstudio.records import RecordStore
from goalstudio.widgets import (
    ChartReview,
    ConceptCheck,
    ExchangeMap,
    GoalDiscovery,
    LanguageSpotter,
    PlanBuilder,
    PlanRewriter,
    Reflection,
    RiskConversation,
    SelfRating,
    SortExercise,
)
from goalstudio.widgets._base import Exercise
from goalstudio.widgets._debounce import ManualClock

CASE = "bernie-cmht-allotment"

# The keys each exercise's draft has always had: a learner's saved work must keep restoring.
DRAFTS: dict[str, tuple[Callable[..., Exercise], set[str]]] = {
    "spotter": (lambda **kw: LanguageSpotter(CASE, **kw), {"marked", "rewording"}),
    "discovery": (lambda **kw: GoalDiscovery(CASE, **kw), {"shown", "goals", "typing"}),
    "rewriter": (
        lambda **kw: PlanRewriter(CASE, **kw),
        {"text", "hints_shown", "submitted", "form", "disagreement"},
    ),
    "builder": (
        lambda **kw: PlanBuilder(CASE, **kw),
        {"text", "hints_shown", "submitted", "form", "disagreement"},
    ),
    "exchange": (
        lambda **kw: ExchangeMap(CASE, **kw),
        {"sorted", "other_views", "shared", "outcomes"},
    ),
    "conversation": (lambda **kw: RiskConversation(CASE, **kw), {"run", "practice", "decision"}),
    "chart": (lambda **kw: ChartReview(CASE, **kw), {"plan", "answers", "notes"}),
    "rating": (lambda **kw: SelfRating("pre", **kw), {"ratings"}),
    "reflection": (lambda **kw: Reflection("03", **kw), {"text"}),
    "check": (lambda **kw: ConceptCheck("03-outputs", **kw), {"selected", "chosen"}),
    "sort": (lambda **kw: SortExercise("01-relational-managerial", **kw), {"placed"}),
}


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'records.sqlite'}"


def _save(url: str, activity: str, state: dict[str, object], scenario: str = "") -> None:
    with RecordStore(url) as store:
        text = json.dumps({"format": 1, "state": state})
        store.save_draft("sam", activity, text, scenario=scenario)


@pytest.mark.parametrize("name", sorted(DRAFTS))
def test_the_draft_is_the_exercises_synced_traits(name: str, url: str) -> None:
    make, keys = DRAFTS[name]
    widget = make(learner="sam", store_url=url)
    assert widget.last_error is None
    assert set(widget.state()) == keys
    for trait in widget.draft_keys().values():
        assert trait in widget.keys  # synced with the front end, as a widget's state is
    json.dumps(widget.state())  # and JSON, as the records store keeps it


def test_a_learners_change_saves_itself_after_a_pause(url: str) -> None:
    clock = ManualClock()
    widget = Reflection("03", learner="sam", store_url=url, clock=clock)
    widget.area.value = "I will ask what a good day looks like."  # as the browser sends it
    assert widget.text == "I will ask what a good day looks like."
    clock.advance(widget.autosave_delay - 0.01)
    assert widget.saved_version is None
    clock.advance(0.01)
    assert widget.saved_version == 1
    with RecordStore(url) as store:
        draft = store.get_draft("sam", widget.activity)
    assert json.loads(draft.text)["state"] == {"text": "I will ask what a good day looks like."}


def test_setting_a_draft_trait_updates_the_controls_and_saves(url: str) -> None:
    clock = ManualClock()
    widget = SortExercise("01-relational-managerial", learner="sam", store_url=url, clock=clock)
    widget.placed = {"0": "relational", "2": "managerial"}  # as a front end syncing state would
    assert [c.value for c in widget.choices[:3]] == ["relational", None, "managerial"]
    clock.advance(widget.autosave_delay)
    assert widget.saved_version == 1


def test_a_plan_draft_saved_before_the_traits_comes_back(url: str) -> None:
    form = {
        "text": "I want the plot back",
        "own_words": True,
        "strengths": ["knows every plant"],
        "barriers": [],
        "objectives": [],
    }
    _save(
        url,
        "plan-rewriter",
        {
            "text": 'Goal: "I want the plot back the way Jean kept it." (Bernie)\n',
            "hints_shown": 1,
            "submitted": False,
            "form": form,
            "disagreement": {"who": "Siobhan", "about": "moving in", "revisit": "June"},
        },
        scenario=CASE,
    )
    widget = PlanRewriter(CASE, learner="sam", store_url=url)
    assert widget.editor.value.startswith('Goal: "I want the plot back')
    assert widget.hints_shown == 1 and "1 left" not in widget.hint_button.description
    assert widget.form.goal.value == "I want the plot back"
    assert widget.form.strengths.value == "knows every plant"
    assert widget.disagreement_form.about.value == "moving in"
    assert widget.feedback is not None and widget.feedback.text == widget.editor.value
    assert "restored" in widget.status.value


def test_self_ratings_saved_by_domain_come_back(url: str) -> None:
    _save(url, "self-rating-pre", {"C": 4, "Z": 2})  # the shape before ratings was a trait
    widget = SelfRating("pre", learner="sam", store_url=url)
    assert widget.ratings == {"C": 4}  # a domain that does not exist is left out
    assert widget.pickers["C"].value == 4 and widget.pickers["A"].value is None


def test_a_part_that_no_longer_fits_starts_fresh_and_the_rest_comes_back(url: str) -> None:
    _save(url, "concept-check-03-outputs", {"selected": "z", "chosen": ["a", "q"]})
    widget = ConceptCheck("03-outputs", learner="sam", store_url=url)
    assert widget.selected is None and widget.choice.value is None  # no answer "z"
    assert widget.chosen == ["a"]  # "q" is not an answer; "a" was checked, and is shown
    assert "Not quite: A is not the best answer" in widget.feedback.value
