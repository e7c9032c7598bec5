"""The rubric judges meaning, not surface: each example of issue 13's "What was seen" (1-6)
gets the verdict an expert would give, with a message that teaches the point."""

from __future__ import annotations

from pathlib import Path

import pytest

from goalstudio._scenarios import load_file
from goalstudio.rubric import CRITERIA, classify, review
from goalstudio.rubric._analysis import analyse

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"

KOFI = """\
Person: Kofi
Goal: "I'll stick with my depot and never miss clinic." (Kofi)
  Objective: Kofi has his depot every two weeks at the Riverside clinic until June.
    - Kofi: goes to the clinic every other Tuesday
    - Brother (Kwame): makes sure Kofi gets to clinic
    - Community nurse: checks adherence and gives the depot
"""


def _rules(result: object) -> set[str]:
    return {f.rule for f in result.findings}  # type: ignore[attr-defined]


def _message(result: object, rule: str) -> str:
    found = [f for f in result.findings if f.rule == rule]  # type: ignore[attr-defined]
    assert found, f"expected a finding {rule}"
    return found[0].message + " " + found[0].suggestion


# 1. A quoted compliance goal --------------------------------------------------------------


def test_a_quoted_compliance_goal_meets_none_of_the_meaning_criteria() -> None:
    result = review(KOFI)
    verdicts = {c: result.verdict(c) for c in CRITERIA}
    assert verdicts["outcomes"] == "not_met"
    assert verdicts["personalised"] == "not_met"
    assert verdicts["own_words"] == "not_met"
    assert verdicts["roles"] == "partly"  # his only step is following treatment
    assert result.labels[0].label == "deficit_led"


def test_the_quoted_compliance_goal_is_told_why_quotes_are_not_meaning() -> None:
    result = review(KOFI)
    outcome = _message(result, "outcomes.goal-is-output")
    assert "stick with my depot" in outcome
    assert "Quotation marks show whose words these are, not what the goal is for" in outcome
    words = _message(result, "own_words.service-aim-in-voice")
    assert "do not make a service or treatment aim Kofi's goal" in words
    personal = _message(result, "personalised.detail-not-about-life")
    assert "aims at 'stick with my depot': using or following a service" in personal
    assert "A name in a sentence like this does not make the goal Kofi's" in personal


# 2. First person does not outweigh the aim -------------------------------------------------


@pytest.mark.parametrize(
    ("goal", "label", "rule"),
    [
        (
            "I want to keep coming to the clubhouse and doing my groups.",
            "deficit_led",
            "outcomes.goal-is-output",
        ),
        (
            "I want to feel better in myself and live well.",
            "mixed",
            "outcomes.goal-is-generic",
        ),
        (
            "I just don't want to end up back on the ward.",
            "mixed",
            "outcomes.goal-is-output",
        ),
    ],
)
def test_a_first_person_service_slogan_or_avoidance_goal_does_not_meet_outcomes(
    goal: str, label: str, rule: str
) -> None:
    assert classify(goal, "goal").label == label
    result = review(f"Person: Sam\nGoal: {goal}\n")
    assert result.verdict("outcomes") == "not_met"
    assert rule in _rules(result)


def test_a_slogan_goal_is_asked_what_the_person_would_be_doing() -> None:
    result = review("Person: Sam\nGoal: I want to feel better in myself and live well.\n")
    message = _message(result, "outcomes.goal-is-generic")
    assert "'feel better'" in message
    assert "could be anyone's" in message
    assert "what would you be doing?" in message


# 3. Objectives are read for outputs -------------------------------------------------------


@pytest.mark.parametrize(
    "objective",
    [
        "Tanya finishes an 8-week DBT skills group by July.",
        "Tanya has lithium levels checked every three months and keeps every appointment.",
        "Tanya stays abstinent for 90 days.",
    ],
)
def test_an_output_objective_under_a_life_goal_makes_outcomes_partly(objective: str) -> None:
    plan = (
        "Person: Tanya\n"
        'Goal: "I want to go back to my job at the garden centre by the autumn." (Tanya)\n'
        f"  Objective: {objective}\n"
        "    - Tanya: tells her manager which days suit her\n"
    )
    result = review(plan)
    assert result.verdict("outcomes") == "partly"
    message = _message(result, "outcomes.objective-is-output")
    assert objective in message  # names the objective
    assert "What would that make possible for you?" in message


def test_an_objective_that_says_what_the_treatment_is_for_is_not_an_output() -> None:
    plan = (
        "Person: Kemi\n"
        'Goal: "I want to pass my evening classes this year." (Kemi)\n'
        "  Objective: Kemi takes her tablets at breakfast so that she can stay awake for her "
        "evening classes.\n"
        "    - Kemi: asks her psychiatrist about the timing of her dose\n"
    )
    result = review(plan)
    assert result.verdict("outcomes") == "met"
    assert "outcomes.objective-is-output" not in _rules(result)


# 4. Custodial steps are not roles ----------------------------------------------------------

JADE = """\
Person: Jade
Goal: "I want to finish my level 2 in childcare at college." (Jade)
  Objective: Jade goes to college four days a week until the summer term ends.
    - Mum: locks away the car keys every night
    - Partner (Lee): reads her messages
    - Care co-ordinator: tells the team when she misses college
"""


def test_custodial_steps_are_named_kindly_and_not_counted() -> None:
    result = review(JADE + "    - Jade: takes her medication every morning\n")
    assert result.verdict("roles") == "partly"
    custodial = [f for f in result.findings if f.rule == "roles.custodial-step"]
    assert [f.quote for f in custodial] == [
        "locks away",
        "reads her",
        "tells the team when",
    ]
    message = custodial[0].message + " " + custodial[0].suggestion
    assert "may well come from care and worry" in message
    assert "is not a role in Jade's plan" in message
    assert "Did Jade choose this?" in message
    only = _message(result, "roles.person-only-compliance")
    assert "takes her medication every morning" in only


def test_without_a_step_of_her_own_roles_is_not_met_and_custodial_steps_are_still_named() -> None:
    result = review(JADE)
    assert result.verdict("roles") == "not_met"
    assert "roles.custodial-step" in _rules(result)
    assert "roles.no-person-action" in _rules(result) or "roles.staff-only" in _rules(result)


def test_a_safety_step_the_person_asked_for_counts_as_support() -> None:
    plan = (
        "Person: Bernie\n"
        'Goal: "I want my allotment back the way Jean kept it." (Bernie)\n'
        "  Objective: Bernie works on the plot two mornings a week by April.\n"
        "    - Bernie: chooses her plot mornings\n"
        "    - Niece (Siobhan): keeps Bernie's tablets over the anniversary fortnight, as "
        "Bernie asked\n"
    )
    result = review(plan)
    assert "roles.custodial-step" not in _rules(result)
    assert result.verdict("roles") == "met"


# 5. Own words are checked against the person ----------------------------------------------


@pytest.fixture(scope="module")
def bernie():  # type: ignore[no-untyped-def]
    return load_file(SCENARIOS / "bernie-cmht-allotment.yaml")


def _bernie_plan(goal: str) -> str:
    return (
        "Person: Bernadette (Bernie) Quinn\n"
        f'Goal: "{goal}" (Bernie)\n'
        "  Objective: Bernie works on the plot two mornings a week by the end of April.\n"
        "    - Bernie: chooses her two plot mornings each week\n"
    )


def test_an_invented_quote_is_partly_and_the_learner_is_asked_to_check_with_her(
    bernie,  # type: ignore[no-untyped-def]
) -> None:
    result = review(
        _bernie_plan("I want to run a stall at the farmers' market with my veg."),
        scenario=bernie,
    )
    assert result.verdict("own_words") == "partly"
    message = _message(result, "own_words.quote-not-recorded")
    assert "these words are not recorded as Bernie's: check with her." in message


def test_a_recorded_quote_with_small_edits_meets_own_words(bernie) -> None:  # type: ignore[no-untyped-def]
    result = review(
        _bernie_plan("What I want is the plot back the way Jean kept it."), scenario=bernie
    )
    assert result.verdict("own_words") == "met"
    assert "own_words.quote-not-recorded" not in _rules(result)


def test_without_a_scenario_an_attributed_quote_still_counts() -> None:
    result = review(_bernie_plan("I want to run a stall at the farmers' market with my veg."))
    assert result.verdict("own_words") == "met"


# 6. A real mixed class ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("Reduce anxiety so that she can return to work.", "a life aim in clinical framing"),
        ("I will stop drinking.", "the person's voice, abstinence as the end"),
        ('"I don\'t want to feel so down all the time."', "own words, symptom framing"),
        ("Client will attend the job club to find employment.", "a service route to work"),
        ("I want to be happy again.", "the person's voice, a slogan"),
    ],
)
def test_mixed_is_a_judgement_about_the_statement(text: str, why: str) -> None:
    result = classify(text, "goal")
    assert result.label == "mixed", f"{text!r} is mixed ({why}); reasons: {result.reasons}"


def test_the_aim_reading_sets_voice_aside() -> None:
    aim = analyse('"I\'ll stick with my depot and never miss clinic." (Kofi)').aim
    assert (aim.kind, aim.family) == ("service", "compliance")
    linked = analyse("Reduce anxiety so that she can return to work.").aim
    assert (linked.kind, linked.link) == ("symptom", "life")
    assert linked.is_output is False
    assert analyse("I want to get back to work as a bus driver.").aim.kind == "life"
    # a depot can be where the job is
    assert analyse("I want to get back to work. The depot, if not driving yet.").aim.kind == "life"
