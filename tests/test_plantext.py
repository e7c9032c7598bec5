"""The plain-text plan format: reading, writing, round trips and every error a learner can hit."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goalstudio import (
    ActionStep,
    DeferredNeed,
    Goal,
    Objective,
    Plan,
    PlanDisagreement,
    PlanParseError,
    format_plan,
    parse_plan,
)

EXAMPLE = """\
Goal: "I want to get back to singing in the choir by Christmas." (Priya)
  Strengths: strong voice, knows the choir leader
  Barrier: panic on buses
  Objective: Priya goes to two rehearsals a month by October.
    - Priya: chooses which rehearsals to try first
    - Sister (Ana): lifts to rehearsal on Tuesdays
    - Care co-ordinator: weekly session practising her breathing plan for the bus
      When: until end of September
Deferred: weight gain on current medication (Priya wants to raise it with the psychiatrist in January)
"""


def _problems(text: str) -> list[tuple[int, int, str]]:
    with pytest.raises(PlanParseError) as info:
        parse_plan(text)
    return [(p.line, p.column, f"{p.message} {p.fix}") for p in info.value.problems]


def test_the_architecture_example_reads_into_the_model() -> None:
    plan = parse_plan(EXAMPLE)
    goal = plan.goals[0]
    assert goal.quoted and goal.expressed_by == "Priya"
    assert goal.own_words == "I want to get back to singing in the choir by Christmas."
    assert goal.strengths == ["strong voice", "knows the choir leader"]
    assert goal.barriers == ["panic on buses"]
    objective = goal.objectives[0]
    assert objective.text == "Priya goes to two rehearsals a month by October."
    owners = [(a.owner_label, a.owner) for a in objective.actions]
    assert owners == [
        ("Priya", "person"),
        ("Sister (Ana)", "natural_support"),
        ("Care co-ordinator", "practitioner"),
    ]
    assert objective.actions[2].timeframe == "until end of September"
    assert plan.deferred == [
        DeferredNeed(
            need="weight gain on current medication",
            reason="Priya wants to raise it with the psychiatrist in January",
        )
    ]


def test_source_spans_point_at_the_statement_text() -> None:
    plan = parse_plan(EXAMPLE)
    for _kind, text, model in plan.statements():
        span = model.source
        assert EXAMPLE[span.start : span.end] == text
    action = plan.goals[0].objectives[0].actions[1]
    assert (action.source.line, action.source.column) == (6, 21)


def test_person_header_crisis_plan_reviews_status_and_several_goals() -> None:
    text = """Person: Mr Tomás Ó Briain
Goal: “Get my allotment going again” (Tomás)
  Status: on-hold
  Objective: Tomás digs over one bed by April
    * Tomás: picks the seeds
    • Friend (Kofi): brings the rotavator
Goal: Tomás has a paid job by summer
  Objective: Tomás applies for two jobs a month
    - Employment specialist: meets Tomás fortnightly
Crisis plan: Tomás rings his brother first, then the crisis line
Review: 1 March 2027
Review: 1 June 2027
"""
    plan = parse_plan(text)
    assert plan.person == "Mr Tomás Ó Briain"
    assert plan.goals[0].text == "Get my allotment going again"
    assert plan.goals[0].lifecycle_status == "on-hold"
    assert plan.goals[1].quoted is False
    assert [a.owner for a in plan.actions()] == ["person", "natural_support", "practitioner"]
    assert plan.crisis_plan == "Tomás rings his brother first, then the crisis line"
    assert plan.review_dates == ["1 March 2027", "1 June 2027"]


def test_windows_line_endings_tabs_blank_lines_comments_and_bom() -> None:
    text = '\ufeff# draft for supervision\r\n\r\nGoal: "I want a dog" (Jo)\r\n\tObjective: Jo visits the rescue centre by May\r\n\t\t- Jo: books the visit\r\n'
    plan = parse_plan(text)
    assert plan.goals[0].objectives[0].actions[0].text == "books the visit"
    assert format_plan(plan) == format_plan(parse_plan(text.replace("\r\n", "\n")))


def test_non_ascii_names_and_right_to_left_text() -> None:
    text = 'Goal: "أريد أن أعود إلى العمل" (Layla)\n  Objective: Layla meets Zoë at the café weekly 🎶\n    - Layla: chooses the café\n'
    plan = parse_plan(text)
    assert plan.goals[0].text == "أريد أن أعود إلى العمل"
    assert parse_plan(format_plan(plan)) == plan


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("", 1, 1, "empty"),
        ("   \n\n# only a comment\n", 1, 1, "empty"),
        ("Objective: walk the dog daily", 1, 1, "no goal above it"),
        ('Goal: "x" (Jo)\n  Objective: y\n    - walk the dog', 3, 5, "no owner"),
        ('Goal: "x" (Jo)\n  Objective: y\n    - Jo:', 3, 5, "is empty"),
        ('Goal: "x" (Jo)\n    - Jo: books it', 2, 5, "before an objective"),
        ('Goal: "x" (Jo)\n  Objetive: y', 2, 3, "Did you mean 'Objective:'"),
        ('Goal: "x" (Jo)\n  just some words', 2, 3, "does not start with a plan keyword"),
        ("Goal:", 1, 1, "nothing after it"),
        ('Goal: "x" (Jo)\n  Status: finished', 2, 11, "not a goal status"),
        ("Strengths: kind\nGoal: x", 1, 1, "no goal above it"),
        ('Goal: "x" (Jo)\nWhen: Tuesdays', 2, 1, "no action step above it"),
        ("Person: A\nPerson: B\nGoal: x", 2, 1, "appears twice"),
    ],
    ids=[
        "empty",
        "only-blank-and-comments",
        "objective-without-goal",
        "action-without-owner",
        "action-without-text",
        "action-without-objective",
        "misspelt-keyword",
        "stray-line",
        "keyword-without-value",
        "bad-status",
        "strengths-before-goal",
        "when-without-action",
        "two-people",
    ],
)
def test_each_malformed_case_names_line_column_and_fix(
    text: str, line: int, column: int, words: str
) -> None:
    problems = _problems(text)
    assert (problems[0][0], problems[0][1]) == (line, column)
    assert words in problems[0][2]


def test_every_problem_is_reported_at_once_and_in_the_message() -> None:
    text = 'Goal: "x" (Jo)\n  Objetive: y\n  Objective: z\n    - walk\n'
    with pytest.raises(PlanParseError) as info:
        parse_plan(text, source="jo.plan")
    assert [p.line for p in info.value.problems] == [2, 4]
    assert str(info.value).splitlines()[0].startswith("jo.plan: line 2, column 3:")


def test_input_over_one_megabyte_is_refused_clearly() -> None:
    text = 'Goal: "x" (Jo)\n' + "# padding\n" * 110_000
    problems = _problems(text)
    assert "over the 1 MB limit" in problems[0][2]


def test_a_large_plan_just_under_the_limit_parses() -> None:
    block = 'Goal: "I want to swim" (Jo)\n  Objective: Jo swims weekly\n    - Jo: packs a bag\n'
    text = block * (900_000 // len(block))
    plan = parse_plan(text)
    assert len(plan.goals) == 900_000 // len(block)


def test_format_is_stable_and_round_trips() -> None:
    once = format_plan(parse_plan(EXAMPLE))
    assert format_plan(parse_plan(once)) == once
    assert parse_plan(once) == parse_plan(EXAMPLE)


def test_items_with_commas_survive_a_round_trip() -> None:
    plan = parse_plan('Goal: "x" (Jo)\n  Strengths: kind, funny; loyal\n')
    assert plan.goals[0].strengths == ["kind, funny", "loyal"]
    assert parse_plan(format_plan(plan)) == plan


def test_parser_refuses_non_text() -> None:
    with pytest.raises(TypeError, match="must be str"):
        parse_plan(b"Goal: x")  # type: ignore[arg-type]


# --- Disagreement: kept in the plan, never dropped ---------------------------------------------

DISAGREEING = """\
Person: Levi
Goal: "Back on the tools with my own van." (Levi)
Disagreement: Pearl (Levi's mum) and Levi: Pearl wants the CTO kept; Levi wants it ended (revisited at the Tribunal hearing in May, with both there)
Disagreement: Levi and Dr Hale: the dose
"""


def test_disagreement_reads_who_what_about_and_how_it_is_revisited() -> None:
    plan = parse_plan(DISAGREEING)
    first, second = plan.disagreements
    assert first == PlanDisagreement(
        who="Pearl (Levi's mum) and Levi",
        about="Pearl wants the CTO kept; Levi wants it ended",
        revisit="revisited at the Tribunal hearing in May, with both there",
    )
    assert first.source is not None and (first.source.line, first.source.column) == (3, 15)
    assert (second.who, second.about, second.revisit) == ("Levi and Dr Hale", "the dose", None)


def test_disagreement_round_trips() -> None:
    plan = parse_plan(DISAGREEING)
    text = format_plan(plan)
    assert "Disagreement: Pearl (Levi's mum) and Levi: Pearl wants the CTO kept;" in text
    assert parse_plan(text) == plan
    assert format_plan(parse_plan(text)) == text


@pytest.mark.parametrize(
    "line", ["Disagreement: Mum wants the CTO kept", "Disagreement: : about nothing"]
)
def test_disagreement_without_who_says_how_to_write_it(line: str) -> None:
    with pytest.raises(PlanParseError) as info:
        parse_plan(f"Goal: x\n{line}\n")
    (problem,) = info.value.problems
    assert problem.line == 2
    assert "needs who disagrees, a colon, then what about" in problem.message
    assert "Disagreement: Pearl and Levi:" in problem.fix


def test_a_plan_without_disagreements_loads_as_before() -> None:
    old = {"schema_version": 1, "goals": [{"text": "x"}]}
    assert Plan.model_validate(old).disagreements == []


# --- property: any plan the model allows survives format -> parse unchanged --------------------

_SAFE = st.characters(
    blacklist_categories=("Cc", "Cs", "Zl", "Zp"),
    blacklist_characters='"“”();#:-*•–—',
)
_words = st.text(_SAFE, min_size=1, max_size=30).map(str.strip).filter(lambda s: bool(s))
_items = st.lists(_words.filter(lambda s: "," not in s and ";" not in s), max_size=3)
_labels = st.sampled_from(
    [
        ("Jo", "person"),
        ("Sister (Ana)", "natural_support"),
        ("Peer mentor", "peer"),
        ("Care co-ordinator", "practitioner"),
        ("Crisis team", "agency"),
    ]
)


@st.composite
def _actions(draw: st.DrawFn) -> ActionStep:
    label, owner = draw(_labels)
    return ActionStep(
        text=draw(_words), owner=owner, owner_label=label, timeframe=draw(st.none() | _words)
    )


_objectives = st.builds(Objective, text=_words, actions=st.lists(_actions(), max_size=3))


@st.composite
def _goals(draw: st.DrawFn) -> Goal:
    quoted = draw(st.booleans())
    return Goal(
        text=draw(_words),
        quoted=quoted,
        expressed_by="Jo" if quoted and draw(st.booleans()) else None,
        strengths=draw(_items),
        barriers=draw(_items),
        lifecycle_status=draw(st.sampled_from(["active", "proposed", "on-hold", "completed"])),
        objectives=draw(st.lists(_objectives, max_size=3)),
    )


_plans = st.builds(
    Plan,
    person=st.just("Jo"),
    goals=st.lists(_goals(), min_size=1, max_size=3),
    deferred=st.lists(st.builds(DeferredNeed, need=_words, reason=st.none() | _words), max_size=2),
    disagreements=st.lists(
        st.builds(PlanDisagreement, who=_words, about=_words, revisit=st.none() | _words),
        max_size=2,
    ),
    crisis_plan=st.none() | _words,
    review_dates=st.lists(_words, max_size=2),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_plans)
def test_property_format_then_parse_gives_an_equal_plan(plan: Plan) -> None:
    text = format_plan(plan)
    again = parse_plan(text)
    assert again == plan
    assert format_plan(again) == text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_property_any_text_parses_or_fails_with_located_problems(text: str) -> None:
    try:
        plan = parse_plan(text)
    except PlanParseError as exc:
        assert exc.problems
        lines = max(1, len(text.splitlines()))
        assert all(1 <= p.line <= lines and p.column >= 1 for p in exc.problems)
        assert all(p.fix for p in exc.problems)
    else:
        assert parse_plan(format_plan(plan)) == plan
