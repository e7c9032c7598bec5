"""The five recording criteria: each with a clear positive and a clear negative plan."""

from __future__ import annotations

from pathlib import Path

import pytest

from goalstudio import Scenario, parse_plan
from goalstudio._scenarios import ScenarioError, load_file
from goalstudio.rubric import CRITERIA, Review, review

PLANS = Path(__file__).parent / "fixtures" / "plans"
SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


def valid_scenarios() -> list[Scenario]:
    """Every built-in scenario that loads (broken files are the scenario tests' business)."""
    out = []
    for path in sorted(SCENARIOS.glob("*.yaml")):
        try:
            out.append(load_file(path))
        except ScenarioError:
            continue
    return out


def plan_text(name: str) -> str:
    return (PLANS / name).read_text(encoding="utf-8")


def rules(result: Review) -> set[str]:
    return {f.rule for f in result.findings}


@pytest.fixture(scope="module")
def good() -> Review:
    return review(plan_text("person-centred.txt"))


@pytest.fixture(scope="module")
def poor() -> Review:
    return review(plan_text("deficit-led.txt"))


def test_person_centred_plan_meets_every_criterion(good: Review) -> None:
    assert {c: good.verdict(c) for c in CRITERIA} == dict.fromkeys(CRITERIA, "met")
    assert not [f for f in good.findings if f.severity == "warning"]


def test_deficit_led_plan_fails_the_person_centred_criteria(poor: Review) -> None:
    for criterion in ("outcomes", "personalised", "roles", "own_words"):
        assert poor.verdict(criterion) == "not_met", criterion


def test_every_verdict_carries_evidence(good: Review, poor: Review) -> None:
    for result in (good, poor):
        assert set(result.verdicts) == set(CRITERIA)
        for verdict in result.verdicts.values():
            assert verdict.evidence, verdict.criterion


# 1. Outcomes, not outputs -------------------------------------------------------------------


def test_outcomes_flags_compliance_goal_with_span_on_the_words(poor: Review) -> None:
    text = plan_text("deficit-led.txt")
    finding = next(f for f in poor.findings if f.rule == "outcomes.goal-is-output")
    assert finding.location == "goal 1"
    assert finding.span_in == "plan"
    assert finding.span is not None
    assert text[finding.span[0] : finding.span[1]] == "comply"
    assert "What would that make possible for you?" in finding.suggestion
    assert finding.teaches.startswith("03-from-deficits-to-outcomes")


@pytest.mark.parametrize(
    "goal",
    [
        "Patient to attend day centre three times a week.",
        "Remain stable in the community.",
        "Reduce auditory hallucinations.",
        "Discharge to GP within 6 months.",
        "Mr Okafor will engage with the CMHT.",
    ],
)
def test_outcomes_not_met_for_service_outputs(goal: str) -> None:
    result = review(f"Goal: {goal}\n  Objective: Something by May.\n    - Nurse: visits weekly\n")
    assert result.verdict("outcomes") == "not_met"
    assert "outcomes.goal-is-output" in rules(result)


def test_outcomes_partly_when_one_goal_is_an_output() -> None:
    text = plan_text("person-centred.txt") + "Goal: Client will comply with medication.\n"
    assert review(text).verdict("outcomes") == "partly"


def test_outcome_framed_through_a_service_is_info_not_warning() -> None:
    result = review(
        'Goal: "I want to feel less anxious so I can get back to my job at the bakery." (Ana)\n'
    )
    assert result.verdict("outcomes") == "met"
    led = [f for f in result.findings if f.rule == "outcomes.goal-leads-with-output"]
    assert led and led[0].severity == "info"


# 2. Personalised ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "stock",
    [
        "Engage in meaningful activity.",
        "Promote recovery.",
        "Maintain current level of functioning.",
    ],
)
def test_stock_phrases_are_flagged_with_what_to_ask(stock: str) -> None:
    result = review(f"Goal: {stock}\n")
    found = [f for f in result.findings if f.rule == "personalised.stock-phrase"]
    assert found and found[0].severity == "warning"
    assert found[0].suggestion.endswith("?") or "?" in found[0].suggestion
    assert result.verdict("personalised") == "not_met"


def test_personal_detail_meets_personalised(good: Review) -> None:
    evidence = " ".join(good.verdicts["personalised"].evidence)
    assert "personal detail" in evidence


def test_generic_goal_without_detail_is_raised() -> None:
    result = review("Goal: Improve daily routine.\n")
    assert "personalised.goal-without-detail" in rules(result)


# 3. Roles -----------------------------------------------------------------------------------


def test_staff_only_plan_fails_roles() -> None:
    result = review(plan_text("staff-only.txt"))
    assert result.verdict("roles") == "not_met"
    assert "roles.staff-only" in rules(result)


def test_plan_without_actions_fails_roles() -> None:
    result = review('Goal: "I want to sing again." (Priya)\n  Objective: Sings by May.\n')
    assert result.verdict("roles") == "not_met"
    assert "roles.no-actions" in rules(result)


def test_person_and_supporters_meet_roles(good: Review) -> None:
    assert good.verdict("roles") == "met"
    evidence = " ".join(good.verdicts["roles"].evidence)
    assert "the person" in evidence and "family or friends" in evidence


@pytest.fixture(scope="module")
def scenario_with_family() -> Scenario:
    with_family = [s for s in valid_scenarios() if any(p.party == "family" for p in s.perspectives)]
    # Every scenario has the four parties, family among them: none found is a failure.
    assert with_family, "no scenario with a family perspective"
    return with_family[0]


def test_scenario_family_expected_when_it_has_one(scenario_with_family: Scenario) -> None:
    text = plan_text("supporters-missing.txt")
    without = review(text)
    assert without.verdict("roles") == "met"  # no scenario: nothing more is expected
    withs = review(text, scenario=scenario_with_family)
    assert withs.verdict("roles") == "partly"
    finding = next(f for f in withs.findings if f.rule == "roles.no-natural-support")
    family = next(p.who for p in scenario_with_family.perspectives if p.party == "family")
    assert family in finding.message


def test_scenario_supporters_satisfied_by_a_natural_support_step(
    scenario_with_family: Scenario,
) -> None:
    result = review(plan_text("person-centred.txt"), scenario=scenario_with_family)
    assert "roles.no-natural-support" not in rules(result)


# 4. Own words -------------------------------------------------------------------------------


def test_goal_about_the_person_is_not_own_words(poor: Review) -> None:
    assert "own_words.goal-not-in-own-words" in rules(poor)


def test_quoted_attributed_goal_meets_own_words(good: Review) -> None:
    assert good.verdict("own_words") == "met"
    assert "in Priya's words" in good.verdicts["own_words"].evidence[0]


def test_quote_without_name_is_noted() -> None:
    result = review(plan_text("unattributed-quote.txt"))
    assert result.verdict("own_words") == "met"
    assert "own_words.quote-not-attributed" in rules(result)


def test_first_person_unquoted_counts_and_suggests_quoting() -> None:
    result = review("Goal: I want to see my grandson more.\n")
    assert result.verdict("own_words") == "met"
    assert "own_words.first-person-unquoted" in rules(result)


def test_own_words_partly_when_mixed() -> None:
    text = 'Goal: "I want to swim again." (Jo)\nGoal: Maintain current functioning.\n'
    assert review(text).verdict("own_words") == "partly"


# 5. Action-oriented -------------------------------------------------------------------------


def test_vague_untimed_objective_and_verbless_steps_fail_action_oriented() -> None:
    result = review(plan_text("not-action-oriented.txt"))
    assert result.verdict("action_oriented") == "not_met"
    found = rules(result)
    assert {
        "action_oriented.objective-no-timeframe",
        "action_oriented.objective-not-observable",
        "action_oriented.action-no-verb",
        "action_oriented.action-no-when",
    } <= found


def test_objective_years_ahead_is_noted_as_not_short_term() -> None:
    text = (
        'Goal: "I want to be a nurse." (Ade)\n'
        "  Objective: Ade qualifies as a nurse within three years.\n"
        "    - Ade: visits the college open day on 3 March\n"
    )
    result = review(text)
    found = [f for f in result.findings if f.rule == "action_oriented.objective-not-short-term"]
    assert found and found[0].quote == "three years"
    near = text.replace("within three years", "by the end of June")
    assert "action_oriented.objective-not-short-term" not in rules(review(near))


def test_timed_observable_objectives_meet_action_oriented(good: Review) -> None:
    assert good.verdict("action_oriented") == "met"


def test_professional_step_without_purpose_is_raised(poor: Review) -> None:
    steps = [f for f in poor.findings if f.rule == "action_oriented.action-no-purpose"]
    assert steps and all("> action" in f.location for f in steps)


def test_professional_step_with_so_that_is_not_raised(good: Review) -> None:
    assert "action_oriented.action-no-purpose" not in rules(good)


# Locale -------------------------------------------------------------------------------------


def test_messages_use_the_locale_terms() -> None:
    text = "Goal: Engage in meaningful activity.\n"
    uk = review(text, locale="en-GB")
    us = review(text, locale="en-US")
    uk_msg = next(f.message for f in uk.findings if f.rule == "personalised.stock-phrase")
    us_msg = next(f.message for f in us.findings if f.rule == "personalised.stock-phrase")
    assert "care plan" in uk_msg and "treatment plan" in us_msg


def test_unknown_locale_is_refused_with_the_choices() -> None:
    with pytest.raises(ValueError, match="en-GB, en-US"):
        review("Goal: x\n", locale="fr-FR")


def test_review_accepts_a_plan_object_with_plan_spans() -> None:
    text = plan_text("deficit-led.txt")
    from_text = review(text)
    from_plan = review(parse_plan(text))
    assert [f.to_dict() for f in from_text.findings] == [f.to_dict() for f in from_plan.findings]


def test_plan_built_without_text_gives_statement_spans() -> None:
    plan = parse_plan(plan_text("deficit-led.txt"))
    bare = plan.model_copy(deep=True)
    for goal in bare.goals:
        object.__setattr__(goal, "source", None)
    result = review(bare)
    finding = next(f for f in result.findings if f.rule == "outcomes.goal-is-output")
    assert finding.span_in == "statement"
    assert finding.span is not None
    assert bare.goals[0].text[finding.span[0] : finding.span[1]] == "comply"


# Scenarios ----------------------------------------------------------------------------------


def test_every_scenario_model_rewrite_passes_and_deficit_plan_does_not() -> None:
    assert valid_scenarios(), "no built-in scenario loads"
    for scenario in valid_scenarios():
        model = review(scenario.model_rewrite, locale=scenario.locale, scenario=scenario)
        assert model.verdict("outcomes") == "met", scenario.id
        assert model.verdict("own_words") == "met", scenario.id
        assert model.verdict("roles") == "met", scenario.id
        deficit = review(scenario.deficit_plan, locale=scenario.locale, scenario=scenario)
        assert deficit.verdict("own_words") == "not_met", scenario.id
        assert deficit.verdict("outcomes") != "met", scenario.id


def test_review_labels_every_statement_with_the_owner_as_subject(
    good: Review, poor: Review
) -> None:
    assert [label.label for label in good.labels] == ["person_centred"] * len(good.labels)
    assert {label.label for label in poor.labels} == {"deficit_led"}
    kinds = [label.kind for label in good.labels]
    assert kinds[:3] == ["goal", "objective", "action_step"]
    data = good.to_dict()["labels"][2]
    assert data == {
        "location": "goal 1 > objective 1 > action 1",
        "kind": "action_step",
        "text": "chooses which rehearsals to try first",
        "label": "person_centred",
    }
