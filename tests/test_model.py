"""The core model: what it accepts, what it refuses, and why."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from goalstudio import (
    ActionStep,
    Agreement,
    Choice,
    Conversation,
    DeferredNeed,
    Disagreement,
    Ending,
    ExchangeRecord,
    Goal,
    Node,
    Objective,
    Perspective,
    Plan,
    RiskDecision,
    RiskOption,
    SafetyMeasure,
    get_locale,
    resolve_owner,
)


def _plan() -> Plan:
    return Plan(
        person="Priya",
        goals=[
            Goal(
                text="I want to sing in the choir again",
                quoted=True,
                expressed_by="Priya",
                strengths=["strong voice"],
                barriers=["panic on buses"],
                objectives=[
                    Objective(
                        text="Priya goes to two rehearsals a month by October",
                        actions=[
                            ActionStep(
                                text="chooses a rehearsal", owner="person", owner_label="Priya"
                            ),
                            ActionStep(
                                text="lifts on Tuesdays",
                                owner="natural_support",
                                owner_label="Sister (Ana)",
                                timeframe="every Tuesday",
                            ),
                        ],
                    )
                ],
            )
        ],
        deferred=[DeferredNeed(need="weight gain", reason="raise it in January")],
    )


def test_plan_holds_goals_objectives_and_actions_in_order() -> None:
    plan = _plan()
    kinds = [kind for kind, _text, _model in plan.statements()]
    assert kinds == ["goal", "objective", "action_step", "action_step"]
    assert [a.owner for a in plan.actions()] == ["person", "natural_support"]
    assert plan.goals[0].own_words == "I want to sing in the choir again"
    assert plan.schema_version == 1


def test_unquoted_goal_has_no_own_words() -> None:
    assert Goal(text="Improve coping skills").own_words is None


def test_plan_needs_at_least_one_goal() -> None:
    with pytest.raises(ValidationError, match="goals"):
        Plan(goals=[])


def test_unknown_field_is_refused() -> None:
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        Plan.model_validate({"goals": [{"text": "x"}], "goalz": []})


def test_unknown_owner_role_is_refused() -> None:
    with pytest.raises(ValidationError, match="owner"):
        ActionStep(text="helps", owner="staff", owner_label="Staff")  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["", "   ", "two\nlines"])
def test_blank_or_multiline_statement_is_refused(text: str) -> None:
    with pytest.raises(ValidationError):
        Objective(text=text)


def test_statement_whitespace_is_trimmed() -> None:
    assert Objective(text="  goes to choir  ").text == "goes to choir"


def test_attribution_needs_the_persons_own_words() -> None:
    with pytest.raises(ValidationError, match="not quoted"):
        Goal(text="Improve coping", expressed_by="Priya")


def test_wrong_schema_version_is_refused() -> None:
    with pytest.raises(ValidationError, match="schema_version"):
        Plan.model_validate({"schema_version": 2, "goals": [{"text": "x"}]})


def test_equality_ignores_source_positions() -> None:
    from goalstudio import SourceSpan

    a = Objective(text="x", source=SourceSpan(line=1, column=1, start=0, end=1))
    b = Objective(text="x", source=SourceSpan(line=9, column=3, start=50, end=51))
    assert a == b
    assert "source" not in a.model_dump()


@pytest.mark.parametrize(
    ("label", "owner"),
    [
        ("Priya", "person"),
        ("Me", "person"),
        ("Sister (Ana)", "natural_support"),
        ("Ana (sister)", "natural_support"),
        ("Neighbour", "natural_support"),
        ("Peer support worker (Tom)", "peer"),
        ("Care co-ordinator", "practitioner"),
        ("Case manager", "practitioner"),
        ("Psychiatrist", "practitioner"),
        ("Family therapist", "practitioner"),
        ("Crisis team", "agency"),
        ("CMHT", "agency"),
    ],
)
def test_owner_label_maps_to_a_role(label: str, owner: str) -> None:
    assert resolve_owner(label, ["Priya"]) == owner


def test_unknown_owner_label_is_not_guessed() -> None:
    assert resolve_owner("Bob", ["Priya"]) is None


def _perspective(party: str) -> Perspective:
    return Perspective(party=party, who=f"the {party}", what_matters=["being heard"])  # type: ignore[arg-type]


def test_exchange_record_keeps_disagreements_and_reports_missing_parties() -> None:
    record = ExchangeRecord(
        perspectives=[_perspective("person"), _perspective("family")],
        agreements=[Agreement(text="Sunday lunch matters", parties=["person", "family"])],
        disagreements=[
            Disagreement(
                topic="living alone",
                positions={"person": "I want my own flat", "family": "too soon"},
            )
        ],
    )
    assert record.missing_parties() == ["practitioner", "agency"]
    assert record.disagreements[0].positions["family"] == "too soon"


def test_exchange_record_refuses_two_views_from_one_party() -> None:
    with pytest.raises(ValidationError, match="repeated: person"):
        ExchangeRecord(perspectives=[_perspective("person"), _perspective("person")])


def test_disagreement_needs_two_positions() -> None:
    with pytest.raises(ValidationError):
        Disagreement(topic="money", positions={"person": "mine"})


def test_risk_decision_records_do_nothing_option_and_dissent() -> None:
    decision = RiskDecision(
        goal="Visit my brother in Leeds by train",
        person_view="I have done this trip for years",
        options=[
            RiskOption(description="Travel alone", benefits=["independence"], risks=["panic"]),
            RiskOption(description="Do nothing", is_do_nothing=True, risks=["isolation"]),
        ],
        safety_measures=[SafetyMeasure(action="text on arrival", owner="person")],
        positions={"person": "go", "family": "worried but supportive"},
        decision="Travel alone with a check-in text",
        dissent=["Mother would prefer a lift"],
        review_date="after the first trip",
    )
    assert decision.has_do_nothing_option()
    assert decision.dissent == ["Mother would prefer a lift"]


def _choice(next_id: str, quality: str = "good") -> Choice:
    return Choice(reply=f"go to {next_id}", next=next_id, quality=quality, feedback="why")  # type: ignore[arg-type]


def _ending(node_id: str) -> Node:
    return Node(id=node_id, says="bye", ending=Ending(kind="shared_plan", title="t", summary="s"))


def test_playable_conversation_is_accepted() -> None:
    conv = Conversation(
        start="a",
        nodes=[
            Node(id="a", says="hello", choices=[_choice("b"), _choice("end", "poor")]),
            Node(id="b", says="more", choices=[_choice("a"), _choice("end")]),
            _ending("end"),
        ],
    )
    assert [n.id for n in conv.endings()] == ["end"]
    assert conv.node("b").says == "more"
    with pytest.raises(KeyError, match="known nodes: a, b, end"):
        conv.node("zzz")


@pytest.mark.parametrize(
    ("nodes", "message"),
    [
        ([Node(id="a", says="hi", choices=[_choice("nowhere")]), _ending("end")], "does not exist"),
        (
            [Node(id="a", says="hi", choices=[_choice("end")]), _ending("end"), _ending("lost")],
            "never be reached",
        ),
        (
            [
                Node(id="a", says="hi", choices=[_choice("b"), _choice("end")]),
                Node(id="b", says="stuck"),
                _ending("end"),
            ],
            "dead end",
        ),
        (
            [
                Node(id="a", says="hi", choices=[_choice("b"), _choice("end")]),
                Node(id="b", says="x", choices=[_choice("c")]),
                Node(id="c", says="y", choices=[_choice("b")]),
                _ending("end"),
            ],
            "loop with no way out",
        ),
        ([Node(id="a", says="hi", choices=[_choice("a")])], "no ending"),
    ],
    ids=["dangling-edge", "unreachable-node", "dead-end", "cycle-without-exit", "no-ending"],
)
def test_unplayable_conversation_is_refused(nodes: list[Node], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Conversation(start="a", nodes=nodes)


def test_missing_start_node_is_named() -> None:
    with pytest.raises(ValidationError, match="start node 'zz' does not exist"):
        Conversation(start="zz", nodes=[_ending("end")])


def test_effects_are_bounded() -> None:
    with pytest.raises(ValidationError):
        Choice(reply="r", next="n", quality="good", feedback="f", effect={"trust": 5})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("code", "key", "term"),
    [
        ("en-GB", "care_plan", "care plan"),
        ("en-US", "care_plan", "treatment plan"),
        ("en-GB", "care_coordinator", "care co-ordinator"),
        ("en-US", "care_coordinator", "case manager"),
        ("en-GB", "carer", "carer"),
        ("en-US", "carer", "family member"),
        ("en-GB", "service_user", "service user"),
        ("en-US", "service_user", "person served"),
        ("en-GB", "country", "UK"),
        ("en-US", "country", "US"),
    ],
)
def test_locale_terms(code: str, key: str, term: str) -> None:
    assert get_locale(code).term(key) == term


def test_unknown_locale_and_term_name_the_choices() -> None:
    with pytest.raises(ValueError, match="en-GB, en-US"):
        get_locale("fr-FR")
    with pytest.raises(KeyError, match="care_plan"):
        get_locale("en-GB").term("nonsense")
