"""The plain-text plan format: a parser (text -> ``Plan``) and a formatter (``Plan`` -> text).

The format is keyword-led, so indentation is a help to the reader and never an error::

    Person: Priya
    Goal: "I want to get back to singing in the choir by Christmas." (Priya)
      Strengths: strong voice, knows the choir leader
      Barriers: panic on buses
      Objective: Priya goes to two rehearsals a month by October.
        - Priya: chooses which rehearsals to try first
        - Sister (Ana): lifts to rehearsal on Tuesdays
          When: every Tuesday from September
    Deferred: weight gain on current medication (Priya wants to raise it in January)
    Disagreement: Ana and Priya: whether Priya goes alone (revisited in October)
    Crisis plan: in Priya's words, in her WRAP
    Review: 1 December 2026

Every problem is reported with its line and column, what was expected, and how to fix it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from pydantic import ValidationError

from goalstudio._model import (
    LIFECYCLE_STATUSES,
    ActionStep,
    DeferredNeed,
    Goal,
    LifecycleStatus,
    Objective,
    Plan,
    PlanDisagreement,
    SourceSpan,
)
from goalstudio._owners import resolve_owner

MAX_PLAN_BYTES = 1_000_000

# Keyword (lower case, as typed) -> canonical keyword.
_KEYWORDS = {
    "person": "person",
    "goal": "goal",
    "objective": "objective",
    "strengths": "strengths",
    "strength": "strengths",
    "barriers": "barriers",
    "barrier": "barriers",
    "status": "status",
    "when": "when",
    "deferred": "deferred",
    "disagreement": "disagreement",
    "disagreements": "disagreement",
    "crisis plan": "crisis plan",
    "review": "review",
}
_CANONICAL_SPELLING = {
    "person": "Person:",
    "goal": "Goal:",
    "objective": "Objective:",
    "strengths": "Strengths:",
    "barriers": "Barriers:",
    "status": "Status:",
    "when": "When:",
    "deferred": "Deferred:",
    "disagreement": "Disagreement:",
    "crisis plan": "Crisis plan:",
    "review": "Review:",
}
_BULLETS = ("-", "*", "•", "–", "—")
_KEYWORD_LINE = re.compile(r"([A-Za-z][A-Za-z ]{0,20}?)\s*(\d{0,3})\s*:(.*)", re.DOTALL)
_QUOTED_GOAL = re.compile(r'["“](.*)["”]\s*(?:\(([^()]+)\))?', re.DOTALL)
_MAX_LABEL_WORDS = 6


@dataclass(frozen=True)
class PlanProblem:
    """One problem in plan text: where it is, what went wrong, and what to do."""

    line: int
    column: int
    message: str
    fix: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.message} {self.fix}"


class PlanParseError(ValueError):
    """Plan text that cannot be read. ``problems`` lists every problem found, in line order."""

    def __init__(self, problems: list[PlanProblem], source: str = "plan") -> None:
        self.problems = problems
        self.source = source
        lines = [f"{source}: {p}" for p in problems]
        super().__init__("\n".join(lines))


@dataclass
class _Action:
    label: str
    text: str
    span: SourceSpan
    label_column: int
    timeframe: str | None = None


@dataclass
class _Objective:
    text: str
    span: SourceSpan
    actions: list[_Action] = field(default_factory=list)


@dataclass
class _Goal:
    text: str
    quoted: bool
    expressed_by: str | None
    span: SourceSpan
    strengths: list[str] = field(default_factory=list)
    barriers: list[str] = field(default_factory=list)
    status: LifecycleStatus = "active"
    objectives: list[_Objective] = field(default_factory=list)


@dataclass
class _State:
    person: str | None = None
    goals: list[_Goal] = field(default_factory=list)
    deferred: list[DeferredNeed] = field(default_factory=list)
    disagreements: list[PlanDisagreement] = field(default_factory=list)
    crisis_plan: str | None = None
    reviews: list[str] = field(default_factory=list)
    problems: list[PlanProblem] = field(default_factory=list)
    last_action: _Action | None = None


def parse_plan(text: str, *, source: str = "plan") -> Plan:
    """Read plan text into a ``Plan``. Raises ``PlanParseError`` listing every problem."""
    if not isinstance(text, str):
        raise TypeError(f"plan text must be str, not {type(text).__name__}")
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > MAX_PLAN_BYTES:
        raise PlanParseError(
            [
                PlanProblem(
                    1,
                    1,
                    f"The plan is {size / 1_000_000:.1f} MB, over the 1 MB limit.",
                    "A plan is usually a page or two: paste one person's plan at a time.",
                )
            ],
            source,
        )
    text = text.removeprefix("\ufeff")
    state = _State()
    offset = 0
    for number, raw in enumerate(text.splitlines(keepends=True), start=1):
        line = raw.rstrip("\r\n")
        _parse_line(state, line, number, offset)
        offset += len(raw)
    if not state.goals and not state.problems:
        state.problems.append(
            PlanProblem(
                1,
                1,
                "The plan is empty: there is no goal in it.",
                'Start with a goal in the person\'s words, e.g. Goal: "I want to ..." (Name)',
            )
        )
    if state.problems:
        raise PlanParseError(state.problems, source)
    return _build(state, source)


def _parse_line(state: _State, line: str, number: int, offset: int) -> None:
    stripped = line.strip()
    if not stripped or stripped.startswith("#"):
        return
    indent = len(line) - len(line.lstrip())
    column = indent + 1
    if stripped.startswith(_BULLETS):
        _parse_action(state, line, stripped, number, offset, indent)
        return
    match = _KEYWORD_LINE.fullmatch(stripped)
    keyword = _KEYWORDS.get(" ".join(match.group(1).lower().split())) if match else None
    if match is None or keyword is None:
        state.problems.append(_unknown_line(stripped, number, column, match))
        return
    raw_value = match.group(3)
    value = raw_value.strip()
    value_start = (
        offset
        + indent
        + (len(stripped) - len(raw_value))
        + (len(raw_value) - len(raw_value.lstrip()))
    )
    value_column = value_start - offset + 1
    if not value:
        state.problems.append(
            PlanProblem(
                number,
                column,
                f"'{_CANONICAL_SPELLING[keyword]}' has nothing after it.",
                f"Write the {keyword} on the same line, after the colon.",
            )
        )
        return
    span = SourceSpan(
        line=number, column=value_column, start=value_start, end=value_start + len(value)
    )
    _KEYWORD_HANDLERS[keyword](state, value, span)


def _unknown_line(
    stripped: str, number: int, column: int, match: re.Match[str] | None
) -> PlanProblem:
    if match is not None:
        typed = " ".join(match.group(1).split())
        close = difflib.get_close_matches(typed.lower(), list(_KEYWORDS), n=1, cutoff=0.6)
        if close:
            spelling = _CANONICAL_SPELLING[_KEYWORDS[close[0]]]
            return PlanProblem(
                number,
                column,
                f"'{typed}:' is not a plan keyword.",
                f"Did you mean '{spelling}'?",
            )
    return PlanProblem(
        number,
        column,
        "This line does not start with a plan keyword or an action bullet.",
        "Start it with Goal:, Objective:, Strengths:, Barriers:, Deferred:, Disagreement: or "
        "Review:, or "
        "write an action as '- Owner: what they will do'. If it continues the line above, "
        "join the two lines.",
    )


def _parse_action(
    state: _State, line: str, stripped: str, number: int, offset: int, indent: int
) -> None:
    body = stripped[1:]
    body_start = offset + indent + 1 + (len(body) - len(body.lstrip()))
    body = body.strip()
    column = indent + 1
    goal = state.goals[-1] if state.goals else None
    objective = goal.objectives[-1] if goal and goal.objectives else None
    if objective is None:
        where = "a goal and an objective" if goal is None else "an objective"
        state.problems.append(
            PlanProblem(
                number,
                column,
                f"This action step comes before {where}, so it serves nothing in the plan.",
                "Put it under an 'Objective:' line, so every action serves an objective.",
            )
        )
        return
    label, colon, text = body.partition(":")
    label = label.strip()
    text_stripped = text.strip()
    if not colon or not label or len(label.split()) > _MAX_LABEL_WORDS:
        state.problems.append(
            PlanProblem(
                number,
                column,
                "This action step has no owner.",
                "Say who does it before a colon, e.g. '- Priya: chooses the first rehearsal' "
                "or '- Care co-ordinator: ...'.",
            )
        )
        return
    if not text_stripped:
        state.problems.append(
            PlanProblem(
                number,
                column,
                f"The action for '{label}' is empty.",
                "Write what they will do after the colon.",
            )
        )
        return
    text_start = body_start + len(body) - len(text) + (len(text) - len(text.lstrip()))
    span = SourceSpan(
        line=number,
        column=text_start - offset + 1,
        start=text_start,
        end=text_start + len(text_stripped),
    )
    label_column = indent + 2 + (len(stripped[1:]) - len(stripped[1:].lstrip()))
    action = _Action(label=label, text=text_stripped, span=span, label_column=label_column)
    objective.actions.append(action)
    state.last_action = action


def _on_person(state: _State, value: str, span: SourceSpan) -> None:
    if state.person is not None:
        state.problems.append(
            PlanProblem(
                span.line,
                1,
                "A plan is about one person, and 'Person:' appears twice.",
                "Keep one 'Person:' line.",
            )
        )
        return
    state.person = value


def _on_goal(state: _State, value: str, span: SourceSpan) -> None:
    quoted = _QUOTED_GOAL.fullmatch(value)
    if quoted and quoted.group(1).strip():
        inner = quoted.group(1)
        lead = len(inner) - len(inner.lstrip())
        inner_span = SourceSpan(
            line=span.line,
            column=span.column + 1 + lead,
            start=span.start + 1 + lead,
            end=span.start + 1 + lead + len(inner.strip()),
        )
        who = quoted.group(2).strip() if quoted.group(2) else None
        goal = _Goal(text=inner.strip(), quoted=True, expressed_by=who or None, span=inner_span)
    else:
        goal = _Goal(text=value, quoted=False, expressed_by=None, span=span)
    state.goals.append(goal)
    state.last_action = None


def _on_objective(state: _State, value: str, span: SourceSpan) -> None:
    if not state.goals:
        state.problems.append(
            PlanProblem(
                span.line,
                1,
                "This objective has no goal above it.",
                "Write the goal it serves first, on a 'Goal:' line above.",
            )
        )
        return
    state.goals[-1].objectives.append(_Objective(text=value, span=span))
    state.last_action = None


def _split_items(value: str) -> list[str]:
    separator = ";" if ";" in value else ","
    return [item.strip() for item in value.split(separator) if item.strip()]


def _goal_detail(state: _State, span: SourceSpan, keyword: str) -> _Goal | None:
    if state.goals:
        return state.goals[-1]
    state.problems.append(
        PlanProblem(
            span.line,
            1,
            f"'{_CANONICAL_SPELLING[keyword]}' belongs to a goal, and there is no goal above it.",
            "Move it under the 'Goal:' line it describes.",
        )
    )
    return None


def _on_strengths(state: _State, value: str, span: SourceSpan) -> None:
    goal = _goal_detail(state, span, "strengths")
    if goal:
        goal.strengths.extend(_split_items(value))


def _on_barriers(state: _State, value: str, span: SourceSpan) -> None:
    goal = _goal_detail(state, span, "barriers")
    if goal:
        goal.barriers.extend(_split_items(value))


def _on_status(state: _State, value: str, span: SourceSpan) -> None:
    goal = _goal_detail(state, span, "status")
    if goal is None:
        return
    status = value.lower().replace(" ", "-")
    if status not in LIFECYCLE_STATUSES:
        state.problems.append(
            PlanProblem(
                span.line,
                span.column,
                f"'{value}' is not a goal status.",
                "Use one of: " + ", ".join(LIFECYCLE_STATUSES) + ".",
            )
        )
        return
    goal.status = status  # checked against the Literal above


def _on_when(state: _State, value: str, span: SourceSpan) -> None:
    action = state.last_action
    if action is None:
        state.problems.append(
            PlanProblem(
                span.line,
                1,
                "'When:' says when an action step happens, and there is no action step above it.",
                "Put it on the line after the action it times.",
            )
        )
        return
    if action.timeframe is not None:
        state.problems.append(
            PlanProblem(
                span.line,
                1,
                "This action step already has a 'When:' line.",
                "Keep one 'When:' line per action step.",
            )
        )
        return
    action.timeframe = value


def _on_deferred(state: _State, value: str, span: SourceSpan) -> None:
    need, reason = _split_trailing_parenthesis(value)
    state.deferred.append(DeferredNeed(need=need, reason=reason, source=span))


def _on_disagreement(state: _State, value: str, span: SourceSpan) -> None:
    who, colon, rest = value.partition(":")
    about, revisit = _split_trailing_parenthesis(rest.strip())
    if not colon or not who.strip() or not about.strip():
        state.problems.append(
            PlanProblem(
                span.line,
                span.column,
                "A disagreement needs who disagrees, a colon, then what about.",
                "Write it as 'Disagreement: Pearl and Levi: whether Levi stays on the CTO "
                "(revisited at the tribunal in May)', with how it will be revisited in brackets.",
            )
        )
        return
    state.disagreements.append(
        PlanDisagreement(who=who.strip(), about=about, revisit=revisit, source=span)
    )


def _split_trailing_parenthesis(value: str) -> tuple[str, str | None]:
    """'weight gain (she will raise it in January)' -> need and reason."""
    if not value.endswith(")"):
        return value, None
    depth = 0
    for index in range(len(value) - 1, -1, -1):
        char = value[index]
        if char == ")":
            depth += 1
        elif char == "(":
            depth -= 1
            if depth == 0:
                need, reason = value[:index].strip(), value[index + 1 : -1].strip()
                if need and reason:
                    return need, reason
                return value, None
    return value, None


def _on_crisis_plan(state: _State, value: str, span: SourceSpan) -> None:
    if state.crisis_plan is not None:
        state.crisis_plan += " " + value
    else:
        state.crisis_plan = value


def _on_review(state: _State, value: str, span: SourceSpan) -> None:
    state.reviews.append(value)


_KEYWORD_HANDLERS = {
    "person": _on_person,
    "goal": _on_goal,
    "objective": _on_objective,
    "strengths": _on_strengths,
    "barriers": _on_barriers,
    "status": _on_status,
    "when": _on_when,
    "deferred": _on_deferred,
    "disagreement": _on_disagreement,
    "crisis plan": _on_crisis_plan,
    "review": _on_review,
}


def _build(state: _State, source: str) -> Plan:
    # Once per plan, not per action: a long plan repeats the same few names in every goal,
    # and resolve_owner reads every name it is given (quadratic time otherwise).
    names = list(dict.fromkeys([state.person or ""] + [g.expressed_by or "" for g in state.goals]))
    goals: list[Goal] = []
    for g in state.goals:
        objectives: list[Objective] = []
        for o in g.objectives:
            actions: list[ActionStep] = []
            for a in o.actions:
                # An owner the studio cannot place is kept as "someone else" (the rubric says
                # so in an info finding); real plans name people and places we do not list.
                owner = resolve_owner(a.label, names) or "other"
                actions.append(
                    ActionStep(
                        text=a.text,
                        owner=owner,
                        owner_label=a.label,
                        timeframe=a.timeframe,
                        source=a.span,
                    )
                )
            objectives.append(Objective(text=o.text, actions=actions, source=o.span))
        goals.append(
            Goal(
                text=g.text,
                quoted=g.quoted,
                expressed_by=g.expressed_by,
                strengths=g.strengths,
                barriers=g.barriers,
                lifecycle_status=g.status,
                objectives=objectives,
                source=g.span,
            )
        )
    try:
        return Plan(
            person=state.person,
            goals=goals,
            deferred=state.deferred,
            disagreements=state.disagreements,
            crisis_plan=state.crisis_plan,
            review_dates=state.reviews,
        )
    except ValidationError as exc:  # pragma: no cover - the parser builds valid parts
        raise PlanParseError([PlanProblem(1, 1, str(exc), "")], source) from None


def format_plan(plan: Plan) -> str:
    """Write a ``Plan`` as plain text that ``parse_plan`` reads back into an equal plan."""
    out: list[str] = []
    if plan.person:
        out += [f"Person: {plan.person}", ""]
    for index, goal in enumerate(plan.goals):
        if index:
            out.append("")
        if goal.quoted:
            who = f" ({goal.expressed_by})" if goal.expressed_by else ""
            out.append(f'Goal: "{goal.text}"{who}')
        else:
            out.append(f"Goal: {goal.text}")
        if goal.lifecycle_status != "active":
            out.append(f"  Status: {goal.lifecycle_status}")
        if goal.strengths:
            out.append(f"  Strengths: {_join_items(goal.strengths)}")
        if goal.barriers:
            out.append(f"  Barriers: {_join_items(goal.barriers)}")
        for objective in goal.objectives:
            out.append(f"  Objective: {objective.text}")
            for action in objective.actions:
                out.append(f"    - {action.owner_label}: {action.text}")
                if action.timeframe:
                    out.append(f"      When: {action.timeframe}")
    if plan.deferred or plan.disagreements or plan.crisis_plan or plan.review_dates:
        out.append("")
    for need in plan.deferred:
        reason = f" ({need.reason})" if need.reason else ""
        out.append(f"Deferred: {need.need}{reason}")
    for item in plan.disagreements:
        revisit = f" ({item.revisit})" if item.revisit else ""
        out.append(f"Disagreement: {item.who}: {item.about}{revisit}")
    if plan.crisis_plan:
        out.append(f"Crisis plan: {plan.crisis_plan}")
    for review in plan.review_dates:
        out.append(f"Review: {review}")
    return "\n".join(out) + "\n"


def _join_items(items: list[str]) -> str:
    return ("; " if any("," in item for item in items) else ", ").join(items)
