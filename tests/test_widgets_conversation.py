"""RiskConversation, driven through its public methods, checked against the core and the store."""

from __future__ import annotations

from pathlib import Path

import pytest

from goalstudio import RiskDecision
from goalstudio.exercises.conversation import (
    METER_START,
    ConversationRun,
    draft_risk_decision,
    risk_decision_problems,
)
from goalstudio.records import RecordStore
from goalstudio.scenarios import list_scenarios, load
from goalstudio.widgets import RiskConversation
from goalstudio.widgets._debounce import ManualClock

SCENARIOS = [s.id for s in list_scenarios()]


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'records.sqlite'}"


def best_path(widget: RiskConversation) -> None:
    """Always pick a 'good' reply when there is one: reaches the shared-plan ending."""
    while not widget.run.finished:
        choices = widget.run.node.choices
        good = [i for i, c in enumerate(choices) if c.quality == "good"]
        widget.choose(good[0] if good else 0)


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_playing_to_an_ending_moves_meters_records_events_and_starts_a_decision(
    scenario_id: str, url: str
) -> None:
    widget = RiskConversation(scenario_id, learner="sam", store_url=url)
    assert widget.last_error is None
    assert widget.trust_bar.value == METER_START
    best_path(widget)
    assert widget.last_error is None
    assert widget.run.ending is not None and widget.run.ending.kind == "shared_plan"
    assert widget.trust_bar.value == widget.run.trust > METER_START
    assert "Ending:" in widget.ending_box.value
    # Without practice mode the coach speaks at the end, about every reply.
    assert widget.coach.value.count("<li>") == len(widget.run.turns)
    with RecordStore(url) as store:
        events = store.get_events("sam", "risk-conversation")
    kinds = [e.kind for e in events]
    assert kinds.count("conversation_choice") == len(widget.run.turns)
    assert kinds[-1] == "completed" and events[-1].detail["ending"] == "shared_plan"
    scenario = load(scenario_id)
    assert widget.form.goal.value.strip()
    start = scenario.risk_decision
    assert start is not None, "every built-in conversation says what its decision is about"
    risk = next(r for r in scenario.risk_items if r.risk == start.risk)
    assert widget.form.person_view.value.startswith(risk.person_view.strip())
    assert widget.form.goal.value == start.goal
    assert widget.form.decision_maker.value == start.decision_maker
    assert widget.form.capacity.value == start.capacity
    widget.close()


def test_practice_mode_shows_the_coach_after_each_reply(url: str) -> None:
    widget = RiskConversation("bernie-cmht-allotment", learner="sam", store_url=url)
    widget.choose(0)
    assert widget.coach.value == ""
    widget.practice.value = True
    assert "Helpful reply" in widget.coach.value
    first_feedback = widget.run.turns[0].feedback.split()[0]
    assert first_feedback in widget.coach.value


def test_step_back_and_replay_explore_other_branches(url: str) -> None:
    widget = RiskConversation("bernie-cmht-allotment", learner="sam", store_url=url)
    widget.choose(1)  # a poor reply
    assert widget.run.trust < METER_START
    widget.back()
    assert widget.run.node.id == widget.run.conversation.start
    assert widget.run.unexplored_here() == [0, 2]
    assert "(tried before)" in widget.replies.options[1][0]
    widget.choose(0)
    widget.restart()
    assert widget.run.turns == [] and widget.trust_bar.value == METER_START
    widget.back()  # nothing to undo: a friendly message, not an exception
    assert widget.last_error is not None and "nothing to undo" in widget.last_error
    assert "Traceback" not in widget.status.value


def test_invalid_choice_is_a_friendly_message(url: str) -> None:
    widget = RiskConversation("bernie-cmht-allotment", learner="sam", store_url=url)
    assert widget.choose(7) is None
    assert widget.last_error is not None and "choose a reply from 1 to 3" in widget.last_error


def test_unknown_scenario_shows_a_message_instead_of_raising(url: str) -> None:
    widget = RiskConversation("no-such-case", learner="sam", store_url=url)
    assert widget.last_error is not None
    assert "no-such-case" in widget.last_error


def test_decision_record_completeness_check_and_save(url: str) -> None:
    widget = RiskConversation("bernie-cmht-allotment", learner="sam", store_url=url)
    best_path(widget)
    form = widget.form
    problems = form.check()
    assert "Set a review date." in problems and "Not complete yet" in form.result.value
    assert form.save() is None
    benefits = [b for _d, b, _r, _n in form.options]
    risks = [r for _d, _b, r, _n in form.options]
    for area in benefits:
        area.value = "Bernie keeps her day for the plot"
    for area in risks:
        area.value = "A larger supply at home in a bad week"
    form.safety.value = "Niece (Siobhan): keeps the tablets in the anniversary fortnight"
    for party, area in form.positions.items():
        area.value = f"The {party}'s position as stated"
    form.decision_text.value = "Fortnightly supply from April, with Bernie's March plan"
    form.review_date.value = "30 June"
    form.dissent.value = "Siobhan would still prefer Bernie to stay with her in March"
    assert form.check() == []
    assert widget.model_box.value == ""
    record = form.save()
    assert isinstance(record, RiskDecision)
    # Studying alone: the case's model plan and its common mistakes open once it is saved.
    assert "Compare: one possible plan for this case" in widget.model_box.value
    assert "Common mistakes with this case" in widget.model_box.value
    assert record.has_do_nothing_option()
    assert record.safety_measures[0].owner == "natural_support"
    assert record.dissent == ["Siobhan would still prefer Bernie to stay with her in March"]
    with RecordStore(url) as store:
        attempts = store.get_attempts("sam", "risk-conversation")
    assert len(attempts) == 1
    assert RiskDecision.model_validate_json(attempts[0].text) == record


def test_safety_measure_without_an_owner_is_named() -> None:
    scenario = load("javi-oud-taper")
    draft = draft_risk_decision(scenario)
    draft.safety_measures = ["keeps an eye on things"]
    problems = risk_decision_problems(draft, [scenario.person.name])
    assert any("write who does it" in p for p in problems)


def test_draft_restores_path_and_decision_after_rebuild(url: str) -> None:
    widget = RiskConversation("javi-oud-taper", learner="sam", store_url=url)
    best_path(widget)
    widget.form.review_date.value = "end of August"
    widget.practice.value = True
    widget.flush()
    path = [t.choice for t in widget.run.turns]
    widget.close()
    again = RiskConversation("javi-oud-taper", learner="sam", store_url=url)
    assert [t.choice for t in again.run.turns] == path
    assert again.run.finished and again.form.review_date.value == "end of August"
    assert again.practice.value is True
    assert "restored" in again.status.value
    # Another learner starts fresh.
    other = RiskConversation("javi-oud-taper", learner="alex", store_url=url)
    assert other.run.turns == []


def test_saved_path_that_no_longer_fits_the_graph_stops_where_it_stops() -> None:
    conversation = load("bernie-cmht-allotment").conversation
    run = ConversationRun.from_state(conversation, {"path": [0, 9, 0]})
    assert len(run.turns) == 1


def test_autosave_waits_for_a_pause_in_typing(url: str) -> None:
    clock = ManualClock()
    widget = RiskConversation("bernie-cmht-allotment", learner="sam", store_url=url, clock=clock)
    widget.choose(0)
    clock.advance(widget.autosave_delay - 0.01)
    assert widget.saved_version is None  # not while the learner may still be going
    clock.advance(0.01)
    assert widget.last_error is None
    assert widget.saved_version == 1
    clock.advance(60)
    assert widget.saved_version == 1  # saved once, not again without a change


def test_own_words_are_checked_and_pointed_at_the_closest_reply(url: str) -> None:
    widget = RiskConversation("bernie-cmht-allotment", learner="sam", store_url=url)
    widget.choose(0)  # 'meaning' takes no typed replies: the general checks apply
    assert not widget.run.node.free_text
    assert widget.own.say_button.layout.display == "none"
    checks = widget.check_own_words(
        "The queue on a Friday keeps you from the plot. What would a Friday look like instead?"
    )
    assert checks is not None
    assert [name for name, _ok, _advice in checks] == [
        "Recovery-oriented language",
        "An open question",
        "Reflects what the person said",
    ]
    poor = widget.check_own_words("You must stay compliant with your tablets.")
    assert poor is not None
    passed = {name: ok for name, ok, _advice in poor}
    assert passed["Recovery-oriented language"] is False
    assert passed["An open question"] is False
    assert "&#x27;compliant&#x27;" in widget.own.result.value  # escaped, as all text is
    assert widget.check_own_words("   ") is None and "write your reply" in (widget.last_error or "")
    widget.choose(0)
    assert widget.own.text.value == ""  # a new turn starts with an empty box


def test_say_buttons_wait_until_the_kernel_holds_the_learners_reply(url: str) -> None:
    # A click on a busy kernel can overtake a throttled widget update; a button that is only
    # enabled once the reply has arrived cannot lose it.
    widget = RiskConversation("bernie-cmht-allotment", learner="sam", store_url=url)
    assert widget.run.node.free_text
    assert widget.own.say_button.disabled  # nothing typed yet
    widget.own.text.value = "   "
    assert widget.own.say_button.disabled
    widget.own.text.value = "What would getting your own tablets back mean to you?"
    assert not widget.own.say_button.disabled
    widget.own.say_button.click()
    assert len(widget.run.turns) == 1
    assert widget.own.say_button.disabled  # a fresh, empty box for the next point
    assert widget.replies.value is None and widget.say_button.disabled
    widget.replies.value = 0
    assert not widget.say_button.disabled
    widget.say_button.click()
    assert len(widget.run.turns) == 2
    assert widget.replies.value is None and widget.say_button.disabled
    best_path(widget)
    widget.replies.value = None
    assert widget.say_button.disabled  # the conversation has ended
