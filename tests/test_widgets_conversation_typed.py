"""RiskConversation: replies typed in the learner's own words, scored against a node's criteria."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from goalstudio import Scenario
from goalstudio._conversation import Node
from goalstudio.exercises.reply import branch_for, says_phrase, score_typed_reply
from goalstudio.records import RecordStore
from goalstudio.scenarios import list_scenarios, load
from goalstudio.widgets import RiskConversation

SCENARIOS = [s.id for s in list_scenarios()]


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'records.sqlite'}"


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_every_scenario_takes_typed_replies_and_scores_the_script_fairly(
    scenario_id: str,
) -> None:
    scenario = load(scenario_id)
    free = [n for n in scenario.conversation.nodes if n.free_text]
    assert 1 <= len(free) <= 2
    for node in free:
        kinds = {c.kind for c in node.criteria}
        assert len(node.criteria) >= 2 and kinds - {"open_question"}
        for i, choice in enumerate(node.choices):
            scored = score_typed_reply(choice.reply, node, scenario.locale)
            if choice.quality == "good":
                assert scored.quality == "good", choice.reply
                assert node.choices[scored.branch].quality == "good"
            elif choice.quality == "poor":
                assert scored.quality == "poor", choice.reply
                assert scored.branch == i or node.choices[scored.branch].quality == "poor"
            else:
                assert scored.quality != "good", choice.reply


def test_a_good_typed_reply_carries_on_by_the_good_branch_and_is_recorded(url: str) -> None:
    widget = RiskConversation("bernie-cmht-allotment", learner="sam", store_url=url)
    assert widget.run.node.free_text
    assert widget.own.say_button.layout.display == "flex"
    typed = "Your own tablets, on your terms. How would it feel to have them back?"
    turn = widget.say_own_words(typed)
    assert turn is not None and turn.typed and turn.quality == "good"
    assert widget.run.node.id == "meaning"  # where the good scripted reply leads
    assert "You, in your own words:" in widget.transcript.value
    assert "carries on as if you had said" in turn.feedback
    with RecordStore(url) as store:
        (event,) = store.get_events("sam", "risk-conversation")
    assert event.detail["typed"] is True and event.detail["met"] == event.detail["checks"] == 4
    widget.flush()
    widget.close()
    again = RiskConversation("bernie-cmht-allotment", learner="sam", store_url=url)
    assert again.run.node.id == "meaning"
    assert again.run.turns[0].reply == typed and again.run.turns[0].typed
    assert "You, in your own words:" in again.transcript.value


def test_a_poor_typed_reply_meets_the_poor_branch_and_says_what_to_try(url: str) -> None:
    widget = RiskConversation("bernie-cmht-allotment", learner="sam", store_url=url)
    checks = widget.check_own_words("After March that is not possible. Are you compliant?")
    assert checks is not None
    passed = {name: ok for name, ok, _advice in checks}
    assert passed["Does not shut the door or put the checklist first"] is False
    assert "press 'Say my own words'" in widget.own.result.value
    turn = widget.say_own_words("After March that is not possible. Are you compliant?")
    assert turn is not None and turn.quality == "poor"
    assert widget.run.node.id == "shut_down"
    assert widget.trust_bar.value < 5
    assert "hear why this matters so much to Bernie" in turn.feedback


def test_typed_replies_are_refused_kindly_where_the_node_does_not_take_them(url: str) -> None:
    widget = RiskConversation("bernie-cmht-allotment", learner="sam", store_url=url)
    widget.choose(0)
    assert widget.say_own_words("What matters most to you about the plot?") is None
    assert "choose one of the replies" in (widget.last_error or "")
    assert len(widget.run.turns) == 1
    widget.back()
    assert widget.say_own_words("   ") is None and "write your reply" in (widget.last_error or "")


def _node(**extra: Any) -> dict[str, Any]:
    return {
        "id": "a",
        "says": "I want my tablets back.",
        "choices": [
            {"reply": "What would that mean?", "next": "b", "quality": "good", "feedback": "ok"},
            {"reply": "Not possible.", "next": "b", "quality": "poor", "feedback": "no"},
        ],
        **extra,
    }


def test_the_schema_asks_for_criteria_with_free_text_and_phrases_where_needed() -> None:
    with pytest.raises(ValueError, match="add 'criteria'"):
        Node.model_validate(_node(free_text=True))
    crit = {"kind": "open_question", "name": "Asks", "advice": "Ask 'what'."}
    with pytest.raises(ValueError, match="free_text: true"):
        Node.model_validate(_node(criteria=[crit]))
    key = {"kind": "key_idea", "name": "Names the tablets", "advice": "Name them."}
    with pytest.raises(ValueError, match="needs 'phrases'"):
        Node.model_validate(_node(free_text=True, criteria=[key]))
    with pytest.raises(ValueError, match="needs choices too"):
        Node.model_validate({"id": "a", "says": "Hi.", "free_text": True, "criteria": [crit]})
    node = Node.model_validate(_node(free_text=True, criteria=[crit]))
    assert node.free_text and node.criteria[0].kind == "open_question"


def test_a_scenario_without_typed_replies_still_loads() -> None:
    data = load("javi-oud-taper").model_dump()
    for n in data["conversation"]["nodes"]:
        n["free_text"], n["criteria"] = False, []
    scenario = Scenario.model_validate(data)
    assert not any(n.free_text for n in scenario.conversation.nodes)


def test_phrases_match_at_the_start_of_a_word_whatever_the_case() -> None:
    assert says_phrase("Your Tablets, back", "tablet")
    assert not says_phrase("a stablet", "tablet")
    assert says_phrase("you   said  no", "you said no")
    assert says_phrase("I can’t promise", "can't promise")


def test_branch_falls_back_to_the_nearest_quality_then_the_closest_words() -> None:
    node = Node.model_validate(
        {
            "id": "a",
            "says": "Hi.",
            "choices": [
                {
                    "reply": "Tell me about the plot.",
                    "next": "b",
                    "quality": "good",
                    "feedback": ".",
                },
                {
                    "reply": "The weekly packs stay.",
                    "next": "c",
                    "quality": "poor",
                    "feedback": ".",
                },
                {
                    "reply": "Tablets first, plot later.",
                    "next": "d",
                    "quality": "poor",
                    "feedback": ".",
                },
            ],
        }
    )
    # No mixed reply: a mixed reply takes the poor branch unless its score is near good (issue
    # 13: never the good branch by default).
    assert branch_for("anything", "mixed", node) == 1
    assert branch_for("anything", "mixed", node, share=0.8) == 0
    assert branch_for("plot later, tablets", "poor", node) == 2
    assert branch_for("nothing in common", "poor", node) == 1  # a tie: the first in the script
