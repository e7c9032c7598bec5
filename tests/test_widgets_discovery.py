"""GoalDiscovery: the conversation (own or derived), capturing goals, feedback, feeding the plan."""

from __future__ import annotations

from pathlib import Path

import pytest

from goalstudio import Scenario
from goalstudio._plantext import parse_plan
from goalstudio._scenarios.model import DiscoveryTurn
from goalstudio.exercises.discovery import discovery_turns
from goalstudio.records import RecordStore
from goalstudio.scenarios import list_scenarios, load
from goalstudio.widgets import GoalDiscovery, PlanBuilder

SCENARIOS = [s.id for s in list_scenarios()]


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'records.sqlite'}"


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_every_scenario_has_its_own_discovery_conversation(scenario_id: str, url: str) -> None:
    scenario = load(scenario_id)
    turns = discovery_turns(scenario)
    assert turns == scenario.goal_discovery and 6 <= len(turns) <= 10
    kinds = [t.kind for t in turns]
    assert {"good_day", "laddering", "less_helpful"} <= set(kinds)
    assert all(t.coach for t in turns if t.kind == "less_helpful")
    widget = GoalDiscovery(scenario, learner="sam", store_url=url)
    assert widget.last_error is None
    while not widget.next_button.disabled:
        widget.next_turn()
    assert widget.transcript.value.count("You ask:") == len(turns)
    assert widget.transcript.value.count("A less helpful question") == kinds.count("less_helpful")
    named = [g for t in turns for g in t.goals]
    assert len(named) >= 3
    for goal in named:
        feedback = widget.capture(goal)
        assert feedback is not None and feedback.own_words
        assert feedback.outcome_label == "person_centred", goal
    review = widget.submit()
    assert review is not None and review["named_goals_captured"] == len(named)
    assert review["score"] == 1.0


@pytest.mark.parametrize("scenario_id", ["bernie-cmht-allotment", "delroy-ward-to-home-kezia"])
def test_without_a_conversation_the_persons_own_words_are_used(scenario_id: str, url: str) -> None:
    scenario = load(scenario_id).model_copy(update={"goal_discovery": []})
    turns = discovery_turns(scenario)
    assert turns
    words = " ".join(scenario.person.in_their_words.split())
    for turn in turns:
        for sentence in turn.answer.split(". "):
            assert sentence.strip(". ") in words  # never words the person did not say
    named = [g for t in turns for g in t.goals]
    assert named
    widget = GoalDiscovery(scenario, learner="sam", store_url=url)
    for goal in named:
        feedback = widget.capture(goal)
        assert feedback is not None and feedback.own_words


def test_a_less_helpful_question_must_say_why() -> None:
    turn = {"ask": "Are you compliant?", "answer": "Yes.", "kind": "less_helpful"}
    with pytest.raises(ValueError, match="coach"):
        DiscoveryTurn.model_validate(turn)
    DiscoveryTurn.model_validate({**turn, "coach": "A closed question about our worry."})


def test_feedback_tells_the_persons_goal_from_the_services(url: str) -> None:
    widget = GoalDiscovery("bernie-cmht-allotment", learner="sam", store_url=url)
    widget.next_turn()
    own = widget.capture("What I want is the plot back the way Jean kept it")
    ours = widget.capture("Maintain mental state and comply with medication")
    assert own is not None and own.own_words and own.outcome_label != "deficit_led"
    assert ours is not None and not ours.own_words and ours.outcome_label == "deficit_led"
    assert "service's goal" in ours.whose
    assert "Own words" in widget.goal_list.value and "Service or deficit" in widget.goal_list.value
    widget.capture("maintain  mental state and comply with medication")
    assert "already on the list" in (widget.last_error or "")
    widget.remove(1)
    assert [g.goal for g in widget.goals] == ["What I want is the plot back the way Jean kept it"]
    widget.remove(5)
    assert "no goal 6" in (widget.last_error or "")


def test_goals_are_saved_and_start_the_plan_builder(url: str) -> None:
    widget = GoalDiscovery("javi-oud-taper", learner="sam", store_url=url)
    assert widget.submit() is None and "at least one" in (widget.last_error or "")
    widget.next_turn()
    widget.next_turn()
    widget.capture("I want my CDL back and a real job.")
    widget.capture("I want to be the dad who's there on time, every time.")
    review = widget.submit()
    assert review is not None and review["score"] == 1.0
    with RecordStore(url) as store:
        (attempt,) = store.get_attempts("sam", "goal-discovery")
    assert attempt.text.splitlines()[0] == "I want my CDL back and a real job."
    builder = PlanBuilder("javi-oud-taper", learner="sam", store_url=url)
    goals = builder.use_discovered_goals()
    assert goals is not None and len(goals) == 2
    plan = parse_plan(builder.editor.value)
    assert [g.text for g in plan.goals] == [
        "I want my CDL back and a real job.",
        "I want to be the dad who's there on time, every time.",
    ]
    assert all(g.quoted and g.expressed_by == "Javi" for g in plan.goals)
    other = PlanBuilder("bernie-cmht-allotment", learner="sam", store_url=url)
    assert other.use_discovered_goals() is None
    assert "finish the goal discovery" in (other.last_error or "")


def test_a_scenario_can_carry_its_own_conversation(url: str) -> None:
    data = load("bernie-cmht-allotment").model_dump()
    data["goal_discovery"] = [
        {
            "ask": "What would a good Friday look like?",
            "answer": "Frank up at the plot, a flask of tea, and Jean's roses cut back.",
            "kind": "good_day",
            "goals": ["Jean's roses cut back"],
        }
    ]
    scenario = Scenario.model_validate(data)
    widget = GoalDiscovery(scenario, learner="sam", store_url=url)
    assert "a flask of tea" in widget.transcript.value
    assert widget.capture("Jean's roses cut back") is not None
    data["goal_discovery"][0]["goals"] = ["roses pruned by the gardener"]
    with pytest.raises(ValueError, match="word for word"):
        Scenario.model_validate(data)


def test_discovery_is_restored(url: str) -> None:
    widget = GoalDiscovery("bernie-cmht-allotment", learner="sam", store_url=url)
    widget.next_turn()
    widget.capture("the plot back the way Jean kept it")
    widget.area.value = "people round for a cup"
    widget.flush()
    widget.close()
    again = GoalDiscovery("bernie-cmht-allotment", learner="sam", store_url=url)
    assert again.shown == 2 and [g.goal for g in again.goals] == [
        "the plot back the way Jean kept it"
    ]
    assert again.area.value == "people round for a cup"
