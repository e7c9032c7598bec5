"""Chart review: suggested answers to the COCAPP care plan review template.

Simpson et al. (2016) reviewed care plans against a structured template (COCAPP, Appendix 3).
``chart_review(plan)`` suggests ``yes``, ``no`` or ``unclear`` for the eleven items that can be
read from a written plan, with the evidence and a confidence. Where the plan text cannot
settle an item, the answer is ``unclear``: it is never guessed. A human reviewer confirms
every answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from goalstudio._model import Goal, Plan
from goalstudio._plantext import parse_plan
from goalstudio.rubric._analysis import analyse
from goalstudio.rubric._classify import _classify
from goalstudio.rubric._context import Context, Statement, build_context
from goalstudio.rubric._rules_outcomes import output_evidence
from goalstudio.rubric._text import PhraseIndex, normalise, tokenise

Answer = Literal["yes", "no", "unclear"]

CHART_ITEMS: tuple[tuple[str, str], ...] = (
    ("persons_views", "Inclusion of the person's views"),
    ("co_production", "Co-production"),
    ("strengths_based", "Strengths-based assessment"),
    ("personalisation", "Personalisation"),
    ("recovery_oriented", "Recovery-oriented practice"),
    ("person_centred_goals", "Person-centred goals (rather than system-based goals)"),
    ("views_in_risk_crisis_relapse", "The person's views in the risk, crisis and relapse plans"),
    ("social_and_medical_outcomes", "Orientation to social and medical outcomes"),
    ("self_management", "Encouragement for self-management"),
    ("relationships", "Recognition of personal relationships"),
    ("advance_directives", "Advance directives"),
)
HUMAN_NOTE = (
    "These are suggested answers read from the wording of the plan. A human reviewer checks "
    "and confirms every answer, using the notes and the conversation behind the plan."
)
_ADVANCE = PhraseIndex(
    ("advance", p)
    for p in (
        "advance statement",
        "advance directive",
        "advance decision",
        "advance decision to refuse treatment",
        "psychiatric advance directive",
        "ad",
        "adrt",
        "lasting power of attorney",
        "health care proxy",
        "healthcare proxy",
        "joint crisis plan",
    )
)
_PERSON_VIEW = PhraseIndex(
    ("view", p)
    for p in (
        "in her words",
        "in his words",
        "in their words",
        "in my words",
        "own words",
        "wants",
        "would like",
        "prefers",
        "asked",
        "agreed",
        "agrees",
        "chose",
        "chooses",
        "said",
        "says",
        "wrap",
        "wellness recovery action plan",
        "i",
        "my",
        "we",
    )
)
_SELF_MANAGEMENT = PhraseIndex(
    ("self", p)
    for p in (
        "wrap",
        "wellness recovery action plan",
        "self management",
        "self-management",
        "manage my",
        "notice",
        "practise",
        "practice",
        "my plan",
        "own plan",
        "relapse signature",
        "early warning signs",
        "breathing",
        "routine",
    )
)


@dataclass(frozen=True)
class ChartEvidence:
    """A piece of the plan that supports an answer, and where it is."""

    location: str
    quote: str
    span: tuple[int, int] | None
    span_in: Literal["plan", "statement"] | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "location": self.location,
            "quote": self.quote,
            "span": list(self.span) if self.span else None,
            "span_in": self.span_in,
        }


@dataclass(frozen=True)
class ChartItem:
    """One template item: the suggested answer, how sure it is, and why."""

    id: str
    question: str
    answer: Answer
    confidence: float
    note: str
    evidence: tuple[ChartEvidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "question": self.question,
            "answer": self.answer,
            "confidence": self.confidence,
            "note": self.note,
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass(frozen=True)
class ChartReview:
    """Suggested answers for the eleven items, with a note that a human confirms them."""

    items: tuple[ChartItem, ...]
    note: str = HUMAN_NOTE

    def item(self, item_id: str) -> ChartItem:
        for entry in self.items:
            if entry.id == item_id:
                return entry
        known = ", ".join(i for i, _ in CHART_ITEMS)
        raise KeyError(f"no chart review item '{item_id}'; items: {known}")

    def to_dict(self) -> dict[str, Any]:
        return {"note": self.note, "items": [i.to_dict() for i in self.items]}


def _evidence(statement: Statement, start: int = 0, end: int | None = None) -> ChartEvidence:
    stop = len(statement.text) if end is None else end
    span, span_in = statement.span(start, stop)
    return ChartEvidence(
        statement.location,
        statement.text[start:stop],
        span,
        "plan" if span_in == "plan" else "statement",
    )


def _plain(location: str, quote: str) -> ChartEvidence:
    return ChartEvidence(location, quote, None, None)


def chart_review(plan_or_text: Plan | str, locale: str = "en-GB") -> ChartReview:
    """Suggested answers for the COCAPP care plan review items that a plan's text can show."""
    plan = parse_plan(plan_or_text) if isinstance(plan_or_text, str) else plan_or_text
    if not isinstance(plan, Plan):
        raise TypeError(f"chart_review() takes a Plan or plan text, not {type(plan).__name__}")
    context = build_context(plan, locale, None)
    items = [
        _persons_views(context),
        _co_production(context),
        _strengths(context),
        _personalisation(context),
        _recovery(context),
        _person_centred_goals(context),
        _risk_crisis_relapse(context),
        _social_medical(context),
        _self_management(context),
        _relationships(context),
        _advance_directives(context),
    ]
    return ChartReview(tuple(items))


def _question(item_id: str) -> str:
    return dict(CHART_ITEMS)[item_id]


def _item(
    item_id: str, answer: Answer, confidence: float, note: str, evidence: list[ChartEvidence]
) -> ChartItem:
    return ChartItem(item_id, _question(item_id), answer, confidence, note, tuple(evidence[:5]))


def _persons_views(context: Context) -> ChartItem:
    evidence: list[ChartEvidence] = []
    for goal in context.goals():
        model = goal.model
        assert isinstance(model, Goal)
        if model.quoted or goal.analysis.first_person:
            evidence.append(_evidence(goal))
    for statement in context.statements:
        if statement.kind == "goal":
            continue
        hit = next(_PERSON_VIEW.scan(statement.analysis.tokens), None)
        if hit is not None:
            evidence.append(_evidence(statement, hit.start, hit.end))
    if evidence:
        return _item(
            "persons_views",
            "yes",
            0.8,
            "Goals or steps are in the person's words or record what they want.",
            evidence,
        )
    return _item(
        "persons_views",
        "no",
        0.6,
        "Nothing in the wording records the person's own view; check the notes before confirming.",
        [],
    )


def _co_production(context: Context) -> ChartItem:
    person_steps = [a for a in context.actions() if getattr(a.model, "owner", None) == "person"]
    own_goals = [
        g for g in context.goals() if getattr(g.model, "quoted", False) or g.analysis.first_person
    ]
    if person_steps and own_goals:
        return _item(
            "co_production",
            "yes",
            0.7,
            "The goals are in the person's words and the person has steps of their own.",
            [_evidence(own_goals[0]), _evidence(person_steps[0])],
        )
    if context.actions() and not person_steps and not own_goals:
        return _item(
            "co_production",
            "no",
            0.6,
            "Only staff act and no goal is in the person's words.",
            [_evidence(context.actions()[0])],
        )
    return _item(
        "co_production",
        "unclear",
        0.4,
        "The text alone cannot show how jointly the plan was written.",
        [_evidence(s) for s in (*own_goals[:1], *person_steps[:1])],
    )


def _strengths(context: Context) -> ChartItem:
    evidence = [
        _plain(f"goal {n} > strengths", ", ".join(goal.strengths))
        for n, goal in enumerate(context.plan.goals, start=1)
        if goal.strengths
    ]
    if evidence:
        return _item(
            "strengths_based",
            "yes",
            0.8,
            "Goals name the strengths they build on.",
            evidence,
        )
    return _item(
        "strengths_based",
        "no",
        0.6,
        "No strengths are recorded against any goal.",
        [],
    )


def _medical_only(context: Context) -> bool:
    families = ("symptom", "compliance", "treatment", "risk", "service_use", "insight")
    goals_and_objectives = [s for s in context.statements if s.kind != "action_step"]
    return bool(goals_and_objectives) and all(
        not s.analysis.life_domains and any(e.family in families for e in s.analysis.evidence)
        for s in goals_and_objectives
    )


def _personalisation(context: Context) -> ChartItem:
    if _medical_only(context):
        return _item(
            "personalisation",
            "no",
            0.7,
            "The plan is about medication, symptoms or risk only, which the template does not "
            "count as personalisation.",
            [_evidence(s) for s in context.goals()],
        )
    chosen = [
        s
        for s in context.statements
        if s.analysis.has("choice") or (s.kind == "goal" and s.analysis.proper_nouns)
    ]
    statements = [s for s in context.statements if s.kind != "action_step"]
    if not chosen and statements and all(s.label == "deficit_led" for s in statements):
        return _item(
            "personalisation",
            "no",
            0.6,
            "Every goal and objective is set around the service, and no choice of the "
            "person's is recorded.",
            [_evidence(s) for s in context.goals()],
        )
    if chosen:
        return _item(
            "personalisation",
            "yes",
            0.6,
            "The plan records the person's choices or details particular to them.",
            [_evidence(s) for s in chosen],
        )
    return _item(
        "personalisation",
        "unclear",
        0.4,
        "The wording does not show whether the person had choice and control over the support.",
        [],
    )


def _recovery(context: Context) -> ChartItem:
    life = [s for s in context.statements if s.kind != "action_step" and s.analysis.life_domains]
    if life:
        domains = sorted({d for s in life for d in s.analysis.life_domains})
        return _item(
            "recovery_oriented",
            "yes",
            0.7,
            "The plan works on life beyond services: " + ", ".join(domains) + ".",
            [_evidence(s) for s in life],
        )
    return _item(
        "recovery_oriented",
        "no",
        0.6,
        "No goal or objective works on relationships, learning, work, money, home, "
        "wellbeing or a sense of purpose.",
        [],
    )


def _person_centred_goals(context: Context) -> ChartItem:
    goals = context.goals()
    labels = [(_classify(g.analysis, "goal").label, g) for g in goals]
    person = [g for label, g in labels if label == "person_centred"]
    system = [g for label, g in labels if label == "deficit_led"]
    if goals and len(person) * 2 > len(goals):
        return _item(
            "person_centred_goals",
            "yes",
            0.7,
            f"{len(person)} of {len(goals)} goals are led by the person's own aims.",
            [_evidence(g) for g in person],
        )
    if goals and len(system) * 2 > len(goals):
        return _item(
            "person_centred_goals",
            "no",
            0.7,
            f"{len(system)} of {len(goals)} goals are system-based (such as compliance or "
            "service use).",
            [_evidence(g) for g in system],
        )
    return _item(
        "person_centred_goals",
        "unclear",
        0.4,
        "The goals mix the person's aims with system aims; a reviewer should weigh them.",
        [_evidence(g) for g in goals],
    )


def _risk_crisis_relapse(context: Context) -> ChartItem:
    crisis = context.plan.crisis_plan
    if not crisis:
        return _item(
            "views_in_risk_crisis_relapse",
            "unclear",
            0.3,
            "The plan text has no crisis, risk or relapse plan, so the person's view of them "
            "cannot be read here.",
            [],
        )
    tokens = tokenise(normalise(crisis))
    hit = next(_PERSON_VIEW.scan(tokens), None)
    if hit is not None:
        return _item(
            "views_in_risk_crisis_relapse",
            "yes",
            0.7,
            "The crisis plan records the person's own view or words.",
            [_plain("crisis plan", crisis)],
        )
    return _item(
        "views_in_risk_crisis_relapse",
        "unclear",
        0.4,
        "There is a crisis plan, but its wording does not show whether the person had a say.",
        [_plain("crisis plan", crisis)],
    )


def _social_medical(context: Context) -> ChartItem:
    statements = [s for s in context.statements if s.kind != "action_step"]
    social = [s for s in statements if s.analysis.life_domains]
    medical = [
        s
        for s in statements
        if output_evidence(s.analysis) is not None and not s.analysis.life_domains
    ]
    balance = (
        f"{len(social)} goal(s) or objective(s) with a social outcome, {len(medical)} with a "
        "medical or service focus only"
    )
    if social:
        lean = "more social" if len(social) >= len(medical) else "more medical"
        return _item(
            "social_and_medical_outcomes",
            "yes",
            0.7,
            f"Social outcomes are present; on balance the plan is {lean} ({balance}).",
            [_evidence(s) for s in social],
        )
    if medical:
        return _item(
            "social_and_medical_outcomes",
            "no",
            0.7,
            f"Only medical or service outcomes ({balance}).",
            [_evidence(s) for s in medical],
        )
    return _item(
        "social_and_medical_outcomes",
        "unclear",
        0.4,
        "The outcomes are too general to say whether they are social or medical.",
        [],
    )


def _self_management(context: Context) -> ChartItem:
    person_steps = [a for a in context.actions() if getattr(a.model, "owner", None) == "person"]
    tools: list[ChartEvidence] = []
    for statement in context.statements:
        hit = next(_SELF_MANAGEMENT.scan(statement.analysis.tokens), None)
        if hit is not None:
            tools.append(_evidence(statement, hit.start, hit.end))
    if context.plan.crisis_plan and _SELF_MANAGEMENT.contains(
        tokenise(normalise(context.plan.crisis_plan))
    ):
        tools.append(_plain("crisis plan", context.plan.crisis_plan))
    if person_steps or tools:
        return _item(
            "self_management",
            "yes",
            0.7,
            "The person has steps of their own or self-management tools in the plan.",
            [*(_evidence(a) for a in person_steps), *tools],
        )
    if context.actions():
        return _item(
            "self_management",
            "no",
            0.6,
            "Every step is taken by staff or services; none is the person's own.",
            [],
        )
    return _item(
        "self_management",
        "unclear",
        0.3,
        "The plan has no action steps yet.",
        [],
    )


def _relationships(context: Context) -> ChartItem:
    supporters = [
        a for a in context.actions() if getattr(a.model, "owner", None) == "natural_support"
    ]
    related = [
        s
        for s in context.statements
        if any(e.family == "life" for e in s.analysis.evidence)
        and "relationships" in s.analysis.life_domains
    ]
    if supporters or related:
        return _item(
            "relationships",
            "yes",
            0.7,
            "The plan works on or draws on the person's relationships.",
            [_evidence(s) for s in (*related, *supporters)],
        )
    return _item(
        "relationships",
        "no",
        0.6,
        "No family member, friend or other relationship appears in the goals or steps.",
        [],
    )


def _advance_directives(context: Context) -> ChartItem:
    texts: list[tuple[str, str]] = [(s.location, s.text) for s in context.statements]
    if context.plan.crisis_plan:
        texts.append(("crisis plan", context.plan.crisis_plan))
    for number, need in enumerate(context.plan.deferred, start=1):
        texts.append(
            (f"deferred {number}", need.need + (f" ({need.reason})" if need.reason else ""))
        )
    for location, text in texts:
        tokens = analyse(text).tokens
        for hit in _ADVANCE.scan(tokens):
            if hit.phrase == "ad" and text[hit.start : hit.end] != "AD":
                continue
            return _item(
                "advance_directives",
                "yes",
                0.7,
                "The plan refers to an advance statement or directive; a reviewer checks it "
                "is signed and supported by workers.",
                [_plain(location, text)],
            )
    return _item(
        "advance_directives",
        "unclear",
        0.3,
        "The plan text does not mention an advance statement or directive. One may exist "
        "elsewhere, so this cannot be answered from the plan alone.",
        [],
    )
