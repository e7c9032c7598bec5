"""The risk conversations model safe, lawful practice (issue 14 §5): one test per corrected row.

Each test pins the corrected reply or explanation, and fails if the wrong teaching returns.
"""

from __future__ import annotations

import re

import pytest

from goalstudio import RiskDecision, RiskOption, list_scenarios, load_scenario
from goalstudio._conversation import Choice, Node
from goalstudio._scenarios.model import Scenario
from goalstudio.exercises.conversation import (
    ConversationRun,
    build_risk_decision,
    draft_risk_decision,
    risk_decision_problems,
)

IDS = [s.id for s in list_scenarios()]


def _node(scenario_id: str, node_id: str) -> Node:
    return load_scenario(scenario_id).conversation.node(node_id)


def _good(scenario_id: str, node_id: str) -> Choice:
    (choice,) = [c for c in _node(scenario_id, node_id).choices if c.quality == "good"]
    return choice


def _all_text(scenario: Scenario) -> str:
    parts = [scenario.person.history, scenario.person.background]
    parts += [a.reason for a in scenario.assessment]
    for node in scenario.conversation.nodes:
        parts.append(node.says)
        parts += [c.reply + " " + c.feedback for c in node.choices]
        if node.ending is not None:
            parts.append(node.ending.summary)
    parts += scenario.facilitator_notes.discussion_questions
    return " ".join(" ".join(parts).split())


# --- Samira: at seventeen she decides what her parents are told ---------------------------


def test_samira_decides_now_not_at_eighteen() -> None:
    scenario = load_scenario("samira-camhs-to-adult-architecture")
    text = _all_text(scenario)
    assert "At eighteen you decide what your parents are told" not in text
    assert "At eighteen Samira decides what is shared" not in text
    family = _good(scenario.id, "family")
    assert "You decide what your parents are told, now" in family.reply
    assert "serious risk" in family.reply
    assert "Mental Capacity Act 2005 applies from sixteen" in family.feedback
    sharing = next(c for c in _node(scenario.id, "sharing").choices if c.quality == "mixed")
    assert "is already hers" in sharing.feedback
    assert "serious risk of harm" in sharing.feedback
    reason = next(a.reason for a in scenario.assessment if "parents are told" in a.need)
    assert "presumed to have capacity" in reason and "serious risk" in reason


def test_samira_check_in_explores_how_strong_and_what_helps() -> None:
    reply = _good("samira-camhs-to-adult-architecture", "check_in").reply
    assert "how strong does it get" in reply and "what helps it pass" in reply
    assert _node("samira-camhs-to-adult-architecture", "nights").says.startswith("It passes.")


def test_samira_parents_are_not_a_stock_strict_family() -> None:
    says = _node("samira-camhs-to-adult-architecture", "guarded").says
    assert "strict" not in says
    assert "stuff about me they don't know yet" in says


# --- Balwinder: permission before the subject, and an open question -----------------------


def test_balwinder_is_asked_where_before_the_nights_are_named() -> None:
    choice = _good("balwinder-family-wedding-sewa", "worries")
    assert "heavy thoughts you told me about" not in choice.reply
    assert "here, or just the two of us" in choice.reply
    assert "Permission came before the sensitive subject" in choice.feedback


def test_balwinder_is_asked_openly_about_thoughts_of_ending_her_life() -> None:
    choice = _good("balwinder-family-wedding-sewa", "night")
    assert "you have no thoughts" not in choice.reply
    assert "have you had thoughts of ending your life?" in choice.reply
    assert "does not invite a 'no'" in choice.feedback
    assert _node("balwinder-family-wedding-sewa", "faith").says.startswith("No.")


@pytest.mark.parametrize(
    ("scenario_id", "reply_start"),
    [
        ("balwinder-family-wedding-sewa", "I understand, but I'd like to speak to you on your own"),
        ("bree-perinatal-bathtime", "Are you having thoughts about harming your baby"),
    ],
)
def test_the_right_question_at_the_wrong_moment_is_mixed(
    scenario_id: str, reply_start: str
) -> None:
    choice = next(
        c for c in _node(scenario_id, "opening").choices if c.reply.startswith(reply_start)
    )
    assert choice.quality == "mixed"
    assert choice.effect.trust == -1
    assert "The right question at the wrong moment" in choice.feedback


# --- Bree: a promise a mandated reporter can keep -----------------------------------------


def test_bree_is_promised_only_what_can_be_kept() -> None:
    choice = _good("bree-perinatal-bathtime", "dcs_answer")
    assert not choice.reply.startswith("I'd tell you first.")
    assert "I'd always try to tell you first, unless telling you first put Wren at risk" in (
        choice.reply
    )
    assert "mandated reporter" in choice.feedback
    repair = _good("bree-perinatal-bathtime", "false_promise")
    assert "I'd always try to tell you first, unless that put Wren at risk" in repair.reply


# --- Bernie: ask about thoughts now, and what makes it hard to say --------------------------


def test_bernie_is_asked_how_the_thoughts_are_now_before_a_larger_supply() -> None:
    worry = _good("bernie-cmht-allotment", "worry_shared")
    assert "I don't think that means it will happen again" not in worry.reply
    assert "how are those thoughts now?" in worry.reply
    assert worry.next == "thoughts_now"
    assert _good("bernie-cmht-allotment", "what_matters").next == "thoughts_now"
    # Every good path to Bernie's plan for the tablets passes the question.
    into_her_plan = [
        n.id
        for n in load_scenario("bernie-cmht-allotment").conversation.nodes
        for c in n.choices
        if c.next == "her_plan" and c.quality == "good"
    ]
    assert into_her_plan == ["thoughts_now"]


def test_bernie_is_asked_what_makes_it_hard_to_say() -> None:
    choice = _good("bernie-cmht-allotment", "her_plan")
    assert "What makes it hard to say in front of the psychiatrist?" in choice.reply
    assert "take it to Dr Mahlangu together" not in choice.reply
    assert choice.next == "hard_to_say"


# --- Earl and Beth: endings that only hold what the person agreed --------------------------


def test_earl_agrees_in_his_own_words_before_the_ending_assumes_it() -> None:
    scenario = load_scenario("earl-dementia-keys")
    agrees = scenario.conversation.node("earl_agrees")
    assert "I'll wear it on my walk" in agrees.says
    assert "I won't drive till somebody fair has tested me" in agrees.says
    assert _good(scenario.id, "walking").next == "earl_agrees"
    summary = scenario.conversation.node("end_shared").ending
    assert summary is not None and "the locator watch he agreed to wear" in summary.summary


def test_beths_limits_are_dropped_and_greg_s_wish_is_recorded() -> None:
    scenario = load_scenario("beth-group-home-bus-to-mom")
    ending = scenario.conversation.node("end_shared").ending
    assert ending is not None
    assert "HCBS settings rule" in ending.summary
    assert "phone rule and the proposed supervised visits come out of her plan" in ending.summary
    plan = scenario.model_rewrite_model()
    assert "until ten" not in scenario.model_rewrite
    (disagreement,) = plan.disagreements
    assert disagreement.who == "Greg and Beth" and "supervised" in disagreement.about


def test_beth_is_not_thanked_for_an_apology_she_did_not_owe() -> None:
    choice = _good("beth-group-home-bus-to-mom", "guilty")
    assert "Thank you for saying sorry" not in choice.reply
    assert choice.reply.startswith("You don't need to say sorry.")


# --- Javi: one schedule, a pharmacy, and what his consent allows ---------------------------


def test_javi_is_on_monthly_buprenorphine_with_one_group_schedule() -> None:
    scenario = load_scenario("javi-oud-taper")
    answers = " ".join(t.answer for t in scenario.goal_discovery)
    assert "window by nine" not in answers and "take doses home" not in answers
    assert "Tuesday and Thursday, like the paper says" not in answers
    assert "Monday, Wednesday and Thursday" in answers
    assert "picks up his prescription at the pharmacy each month" in scenario.person.history


def test_javi_hears_what_probation_is_told_under_his_consent() -> None:
    scenario = load_scenario("javi-oud-taper")
    choice = next(
        c
        for c in scenario.conversation.node("guarded").choices
        if c.reply.startswith("I'm required")
    )
    assert "True, perhaps" not in choice.feedback
    assert "42 CFR Part 2" in choice.feedback
    assert "only what Javi's signed consent allows" in choice.feedback
    assert "from her faith" not in _all_text(scenario)


# --- Levi, Delroy, Carla: the law of their own locale ---------------------------------------


def test_levi_false_choice_separates_force_from_recall() -> None:
    choice = next(
        c
        for c in _node("levi-cto-joinery", "opening").choices
        if c.reply.startswith("It's your choice, of course")
    )
    assert "Kindly meant, but not true" not in choice.feedback
    assert "s.64D" in choice.feedback and "s.17E" in choice.feedback
    assert "nobody can force the" in choice.feedback
    repair = _good("levi-cto-joinery", "false_choice")
    assert "Nobody can force the injection on you here" in repair.reply
    assert "she can recall you" in repair.reply


def test_delroy_was_removed_under_a_section_135_warrant_not_136() -> None:
    history = load_scenario("delroy-ward-to-home-kezia").person.history
    assert "warrant under Section 135(1)" in " ".join(history.split())
    assert "136" not in history


def test_carla_hears_what_a_directive_can_do_in_her_state() -> None:
    choice = _good("carla-declines-act-deaf", "directive")
    assert "hospitals have to take it into account" not in choice.reply
    assert "in our state" in choice.reply
    assert "health-care proxy" in choice.reply
    assert "depends on state law" in choice.feedback
    assert "health-care proxy" in load_scenario("carla-declines-act-deaf").model_rewrite


# --- The drafted decision record fits the conversation --------------------------------------

# Words that must be in the drafted goal and in the risk it is weighed against.
MATCH = {
    "balwinder-family-wedding-sewa": ("Punjab", "Punjab"),
    "bernie-cmht-allotment": ("fortnightly", "Overdose"),
    "beth-group-home-bus-to-mom": ("bus", "bus"),
    "bree-perinatal-bathtime": ("bath", "Wren"),
    "carla-declines-act-deaf": ("text", "lithium"),
    "delroy-ward-to-home-kezia": ("tremor", "lithium"),
    "earl-dementia-keys": ("Loretta", "driving"),
    "javi-oud-taper": ("Suboxone", "taper"),
    "levi-cto-joinery": ("injection", "injection"),
    "linh-csc-back-to-campus": ("campus", "sleep"),
    "lonnie-housing-first-winter": ("Doc", "winter"),
    "samira-camhs-to-adult-architecture": ("parents", "parents"),
}


def test_every_builtin_scenario_is_matched() -> None:
    assert set(MATCH) == set(IDS)


@pytest.mark.parametrize("scenario_id", IDS)
def test_drafted_decision_weighs_the_risk_of_the_goal_talked_about(scenario_id: str) -> None:
    scenario = load_scenario(scenario_id)
    start = scenario.risk_decision
    assert start is not None
    run = ConversationRun(scenario.conversation)
    draft = draft_risk_decision(scenario, run)
    goal_word, risk_word = MATCH[scenario_id]
    assert goal_word in draft.goal
    risk = next(r for r in scenario.risk_items if r.risk == start.risk)
    assert risk_word in risk.risk
    assert draft.person_view.startswith(risk.person_view.strip())
    assert draft.strengths == list(risk.protective_factors)
    assert start.decision_maker == draft.decision_maker and draft.capacity == start.capacity
    assert any(o.is_do_nothing for o in draft.options)
    assert draft.options[1].description == start.other_option


def test_bernie_and_earl_no_longer_pair_the_wrong_goal_and_risk() -> None:
    bernie = draft_risk_decision(load_scenario("bernie-cmht-allotment"))
    assert "plot" not in bernie.goal and "Siobhan hold them" in bernie.person_view
    earl = draft_risk_decision(load_scenario("earl-dementia-keys"))
    assert "walk" not in earl.goal.lower()


@pytest.mark.parametrize(
    ("scenario_id", "law"),
    [
        ("bernie-cmht-allotment", "Mental Capacity Act 2005"),
        ("samira-camhs-to-adult-architecture", "applies from sixteen"),
        ("levi-cto-joinery", "s.64D"),
        ("beth-group-home-bus-to-mom", "guardian"),
        ("bree-perinatal-bathtime", "mandated reporters"),
    ],
)
def test_who_decides_follows_the_locale_law(scenario_id: str, law: str) -> None:
    start = load_scenario(scenario_id).risk_decision
    assert start is not None
    assert law in start.decision_maker + " " + start.capacity


def test_a_decision_record_needs_who_decides_and_capacity() -> None:
    scenario = load_scenario("javi-oud-taper")
    draft = draft_risk_decision(scenario)
    draft.decision_maker = ""
    draft.capacity = " "
    problems = risk_decision_problems(draft, [scenario.person.name])
    assert "Say who makes this decision, and on what authority." in problems
    assert any(p.startswith("Say how the person's capacity") for p in problems)


def test_the_saved_record_keeps_who_decides_and_capacity() -> None:
    scenario = load_scenario("bernie-cmht-allotment")
    draft = draft_risk_decision(scenario)
    for option in draft.options:
        option.benefits, option.risks = ["her day back"], ["a bad week"]
    draft.safety_measures = ["Niece (Siobhan): keeps the tablets in the anniversary fortnight"]
    draft.positions = {p: "as stated" for p in draft.positions}
    draft.decision, draft.review_date = "Fortnightly from April", "30 June"
    record = build_risk_decision(draft, [scenario.person.name])
    assert record.decision_maker is not None and record.decision_maker.startswith("Bernie")
    assert record.capacity is not None and "presumed" in record.capacity
    assert RiskDecision.model_validate_json(record.model_dump_json()) == record
    assert draft.from_state(draft.to_state()) == draft


def test_a_record_saved_before_the_new_fields_still_loads() -> None:
    old = RiskDecision(
        goal="g",
        person_view="v",
        options=[RiskOption(description="Do nothing", is_do_nothing=True)],
        decision="d",
        review_date="r",
    ).model_dump()
    del old["decision_maker"], old["capacity"]
    record = RiskDecision.model_validate(old)
    assert record.schema_version == 1
    assert (record.decision_maker, record.capacity) == (None, None)


def test_a_risk_decision_naming_an_unlisted_risk_is_refused() -> None:
    data = load_scenario("bernie-cmht-allotment").model_dump()
    data["risk_decision"]["risk"] = "Gardening"
    with pytest.raises(ValueError, match="is not one of the risk_items"):
        Scenario.model_validate(data)


# --- Goal discovery and consistency ---------------------------------------------------------

_LADDER = re.compile(r"\b(give you|give the two of you|does that give you|give them)\b")


@pytest.mark.parametrize("scenario_id", IDS)
def test_turns_labelled_laddering_ask_what_it_would_give(scenario_id: str) -> None:
    for turn in load_scenario(scenario_id).goal_discovery:
        if turn.kind == "laddering":
            assert _LADDER.search(turn.ask), turn.ask


def test_bernies_niamh_answer_says_it_once() -> None:
    (turn,) = [
        t for t in load_scenario("bernie-cmht-allotment").goal_discovery if "Niamh" in t.answer
    ]
    assert turn.answer.count("starts school in September") == 1
    assert turn.goals == ["I want to be at the school gate for Niamh's"]


def test_bernie_counts_eight_months_everywhere() -> None:
    text = _all_text(load_scenario("bernie-cmht-allotment"))
    answers = " ".join(t.answer for t in load_scenario("bernie-cmht-allotment").goal_discovery)
    assert "for six months" not in answers
    assert "Eight months" in text and "for eight months" in answers
