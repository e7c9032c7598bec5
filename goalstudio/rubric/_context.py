"""What every rule reads: the plan, its statements analysed once, the locale and the scenario;
and the ``Rule`` that reads it."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from goalstudio._locale import Locale, get_locale
from goalstudio._model import ActionStep, Goal, Objective, Plan, SourceSpan
from goalstudio._pronouns import Pronouns, pronouns_of
from goalstudio._vocabulary import Criterion
from goalstudio.rubric._analysis import Analysis, Subject, analyse
from goalstudio.rubric._classify import _classify
from goalstudio.rubric._types import Finding, Severity

if TYPE_CHECKING:
    from goalstudio._scenarios.model import Scenario


@dataclass
class Statement:
    """A goal, objective or action step with its place in the plan and its analysis."""

    kind: str  # goal | objective | action_step
    text: str
    model: Goal | Objective | ActionStep
    location: str
    order: int
    goal_index: int
    analysis: Analysis
    source: SourceSpan | None

    @functools.cached_property
    def label(self) -> str:
        """deficit_led, mixed or person_centred, as ``classify`` would say.

        An action step's text starts after its owner ("- Priya: chooses ..."), so the owner
        the plan names stands in for the subject the words leave out.
        """
        analysis = self.analysis
        if isinstance(self.model, ActionStep):
            analysis = dataclasses.replace(
                analysis,
                subject=_OWNER_SUBJECT[self.model.owner],
                subject_words=self.model.owner_label,
            )
        return _classify(analysis, self.kind).label

    def span(self, start: int, end: int) -> tuple[tuple[int, int], str]:
        """A span relative to this statement, moved into the plan text when we know where."""
        if self.source is not None:
            return (self.source.start + start, self.source.start + end), "plan"
        return (start, end), "statement"


@dataclass
class Context:
    """Read-only view of one plan for the rules."""

    plan: Plan
    locale: Locale
    scenario: Scenario | None
    statements: list[Statement] = field(default_factory=list)
    _kinds: dict[str, list[Statement]] = field(default_factory=dict, repr=False)

    @functools.cached_property
    def name(self) -> str:
        """How messages refer to the person: their first name (or title and name), or
        'the person'."""
        if self.plan.person:
            return _short_name(self.plan.person)
        for goal in self.plan.goals:
            if goal.expressed_by:
                return _short_name(goal.expressed_by)
        return "the person"

    @functools.cached_property
    def pronouns(self) -> Pronouns:
        """The person's pronouns from the scenario ("she/her"), else singular "they"."""
        return pronouns_of(self.scenario.person.pronouns if self.scenario is not None else None)

    @functools.cached_property
    def possessive(self) -> str:
        name = self.name
        if name == "the person":
            return "the person's"
        return f"{name}'" if name.endswith("s") else f"{name}'s"

    @functools.cached_property
    def sayings(self) -> tuple[str, ...] | None:
        """What the scenario records the person saying (None without a scenario)."""
        if self.scenario is None:
            return None
        from goalstudio.rubric._recorded import person_sayings

        return tuple(person_sayings(self.scenario))

    def term(self, key: str) -> str:
        return self.locale.term(key)

    def goals(self) -> list[Statement]:
        return self._by_kind("goal")

    def objectives(self) -> list[Statement]:
        return self._by_kind("objective")

    def actions(self) -> list[Statement]:
        return self._by_kind("action_step")

    def _by_kind(self, kind: str) -> list[Statement]:
        # Worked out once per review: rules ask for these lists again and again.
        if not self._kinds:
            for statement in self.statements:
                self._kinds.setdefault(statement.kind, []).append(statement)
            self._kinds.setdefault("", [])
        return self._kinds.get(kind, [])

    def finding(
        self,
        rule: str,
        criterion: Criterion,
        severity: Severity,
        message: str,
        *,
        statement: Statement | None = None,
        start: int | None = None,
        end: int | None = None,
        location: str | None = None,
        **extra: Any,
    ) -> Finding:
        """A finding, with its span worked out from the statement it is about."""
        span: tuple[int, int] | None = None
        span_in: str | None = None
        quote = ""
        if statement is not None:
            s = 0 if start is None else start
            e = len(statement.text) if end is None else end
            span, span_in = statement.span(s, e)
            quote = statement.text[s:e]
            location = location or statement.location
        return Finding(
            rule=rule,
            criterion=criterion,
            severity=severity,
            message=message,
            location=location or "plan",
            span=span,
            span_in=span_in,  # type: ignore[arg-type]
            quote=quote,
            **extra,
        )


_OWNER_SUBJECT: dict[str, Subject] = {
    "person": "named",
    "natural_support": "natural_support",
    "peer": "peer",
    "practitioner": "staff",
    "agency": "agency",
    "other": "implicit",
}
_TITLES = frozenset(["mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame"])


def _short_name(full: str) -> str:
    """'Javier Morales' -> 'Javier'; 'Mr Okafor' stays; 'Priya' stays; 'Bernadette (Bernie)
    Quinn' -> 'Bernie', the name the person goes by."""
    opened, closed = full.find("("), full.find(")")
    if 0 < opened < closed and full[opened + 1 : closed].strip():
        return full[opened + 1 : closed].strip()
    words = full.split()
    if len(words) < 2 or words[0].lower().rstrip(".") in _TITLES:
        return full
    return words[0]


def build_context(plan: Plan, locale: str, scenario: Scenario | None) -> Context:
    """Analyse every statement once, in plan order."""
    terms = get_locale(locale)
    context = Context(plan=plan, locale=terms, scenario=scenario)
    order = 0
    for g_index, goal in enumerate(plan.goals, start=1):
        goal_where = f"goal {g_index}"
        context.statements.append(
            Statement(
                "goal",
                goal.text,
                goal,
                goal_where,
                order,
                g_index,
                analyse(goal.text, lexicon_locale=locale),
                goal.source,
            )
        )
        order += 1
        for o_index, objective in enumerate(goal.objectives, start=1):
            obj_where = f"{goal_where} > objective {o_index}"
            context.statements.append(
                Statement(
                    "objective",
                    objective.text,
                    objective,
                    obj_where,
                    order,
                    g_index,
                    analyse(objective.text, lexicon_locale=locale),
                    objective.source,
                )
            )
            order += 1
            for a_index, action in enumerate(objective.actions, start=1):
                context.statements.append(
                    Statement(
                        "action_step",
                        action.text,
                        action,
                        f"{obj_where} > action {a_index}",
                        order,
                        g_index,
                        analyse(action.text, lexicon_locale=locale),
                        action.source,
                    )
                )
                order += 1
    return context


Check = Callable[[Context], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """One small check. It reads the plan through the context and yields findings."""

    id: str
    criterion: Criterion
    summary: str
    check: Check = field(repr=False)

    def run(self, context: Context) -> list[Finding]:
        return list(self.check(context))
