"""The golden thread: goal -> objective -> action step, strengths, barriers and deferred needs.

Every objective serves a goal and every action serves an objective (the parser already refuses
an action or objective with nothing above it). These rules check the rest of the thread: goals
with objectives, objectives with steps, strengths and barriers, reasons for deferred needs, a
plan of a manageable size, and treatment steps linked to what the person wants.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from goalstudio._model import ActionStep, Goal, Objective
from goalstudio.rubric._context import Context, Rule
from goalstudio.rubric._rules_action import has_purpose_link
from goalstudio.rubric._rules_outcomes import is_life_outcome
from goalstudio.rubric._types import Finding

TEACHES = "04-writing-the-plan#golden-thread"
WHY = (
    "The golden thread links each step to an objective and each objective to a goal that "
    "matters to the person, so everyone can see why each part of the plan is there."
)
MAX_GOALS = 5
_TREATMENT = ("treatment", "compliance")


def _goal_no_objectives(context: Context) -> Iterator[Finding]:
    for goal in context.goals():
        model = goal.model
        assert isinstance(model, Goal)
        if model.objectives:
            continue
        yield context.finding(
            "structure.goal-no-objectives",
            "structure",
            "warning",
            f"{goal.location.capitalize()} has no objectives yet.",
            statement=goal,
            suggestion=(
                f"Add one or two short steps {context.name} could reach in the next weeks "
                "or months, on 'Objective:' lines under the goal."
            ),
            why=WHY,
            teaches=TEACHES,
        )


def _objective_no_actions(context: Context) -> Iterator[Finding]:
    for objective in context.objectives():
        model = objective.model
        assert isinstance(model, Objective)
        if model.actions:
            continue
        yield context.finding(
            "structure.objective-no-actions",
            "structure",
            "warning",
            f"{objective.location.capitalize()} has no action steps, so no one has a part "
            "in reaching it.",
            statement=objective,
            suggestion="Add steps under it as '- Owner: what they will do'.",
            why=WHY,
            teaches=TEACHES,
        )


def _goal_no_strengths(context: Context) -> Iterator[Finding]:
    for goal in context.goals():
        model = goal.model
        assert isinstance(model, Goal)
        if model.strengths:
            continue
        yield context.finding(
            "structure.goal-no-strengths",
            "structure",
            "info",
            f"{goal.location.capitalize()} does not say which of {context.possessive} "
            "strengths it draws on.",
            statement=goal,
            suggestion=(
                "Add a 'Strengths:' line: skills, interests, people and places that will help."
            ),
            why=(
                "Plans built on strengths are more hopeful and more likely to work, and "
                "reviews of care plans find strengths are talked about but rarely written "
                "down (Simpson et al. 2016)."
            ),
            teaches="04-writing-the-plan#strengths-and-barriers",
        )


def _goal_no_barriers(context: Context) -> Iterator[Finding]:
    for goal in context.goals():
        model = goal.model
        assert isinstance(model, Goal)
        if model.barriers or not model.objectives:
            continue
        yield context.finding(
            "structure.goal-no-barriers",
            "structure",
            "info",
            f"{goal.location.capitalize()} does not name what stands in the way.",
            statement=goal,
            suggestion=(
                "Add a 'Barriers:' line. Assessed needs belong in the plan when they get in "
                "the way of this goal; the objectives then work on them."
            ),
            why=WHY,
            teaches="04-writing-the-plan#strengths-and-barriers",
        )


def _deferred_without_reason(context: Context) -> Iterator[Finding]:
    for number, need in enumerate(context.plan.deferred, start=1):
        if need.reason:
            continue
        span = (need.source.start, need.source.end) if need.source else None
        yield Finding(
            rule="structure.deferred-no-reason",
            criterion="structure",
            severity="warning",
            message=f"Deferred need {number} ('{need.need}') does not say why it waits.",
            location=f"deferred {number}",
            span=span,
            span_in="plan" if span else None,
            quote=need.need,
            suggestion=(
                "Add the reason in brackets: whose choice it was and when it will be "
                "revisited, e.g. (she wants to raise it at the January review)."
            ),
            why=(
                "An assessed need can wait when it is not getting in the way of the person's "
                "goals and is not an immediate safety concern. Recording why shows it was "
                "heard and not forgotten."
            ),
            teaches="03-from-deficits-to-outcomes#deferring-needs",
        )


def _too_many_goals(context: Context) -> Iterator[Finding]:
    count = len(context.plan.goals)
    if count <= MAX_GOALS:
        return
    yield context.finding(
        "structure.too-many-goals",
        "structure",
        "info",
        f"The plan has {count} goals. A plan is easier to use with a few goals that "
        f"matter most to {context.name}.",
        suggestion=(
            "Ask which goals matter most right now, and defer the others with a reason. "
            "A first plan can be brief and grow over time."
        ),
        why=WHY,
        teaches="04-writing-the-plan#brief-first-plan",
    )


def _treatment_unlinked(context: Context) -> Iterator[Finding]:
    goals = {g.goal_index: g for g in context.goals()}
    for action in context.actions():
        model = action.model
        assert isinstance(model, ActionStep)
        found = next((e for e in action.analysis.evidence if e.family in _TREATMENT), None)
        if found is None or has_purpose_link(action):
            continue
        goal = goals.get(action.goal_index)
        if goal is not None and is_life_outcome(goal.analysis):
            continue
        yield context.finding(
            "structure.treatment-unlinked",
            "structure",
            "warning",
            f"{action.location.capitalize()} names a treatment ('{found.words}') that is not "
            f"linked to anything {context.name} wants.",
            statement=action,
            start=found.start,
            end=found.end,
            suggestion=(
                "Say how the treatment helps with the person's own goal (\"... so that she can "
                '..."). This honours the person and also satisfies the chart.'
            ),
            why=(
                "Medical necessity and the person's goal are not rivals: a treatment step "
                "that names the life goal it serves meets both."
            ),
            teaches="04-writing-the-plan#honour-the-person",
        )


def _owner_unplaced(context: Context) -> Iterator[Finding]:
    for action in context.actions():
        model = action.model
        assert isinstance(model, ActionStep)
        if model.owner != "other":
            continue
        label = model.owner_label
        yield context.finding(
            "structure.owner-unplaced",
            "structure",
            "info",
            f"I can't tell who '{label}' is, so {action.location} is reviewed as someone "
            f"else's step: not {context.possessive} own and not a service's.",
            statement=action,
            suggestion=(
                f"Say who {label} is to {context.name}, e.g. 'Friend ({label}):', "
                f"'Tutor ({label}):' or 'Nurse ({label}):'."
                + (
                    f" If {label} is the person, add 'Person: {label}' at the top."
                    if not context.plan.person
                    else ""
                )
            ),
            why=(
                "Naming each owner's role shows who does what: the person, the people in "
                "their life, peers, or staff and services."
            ),
            teaches="04-writing-the-plan#golden-thread",
        )


_EXCHANGE = "05-the-exchange-model#disagreement"
_DISAGREEMENT_WHY = (
    "The Exchange Model asks that disagreement is recorded, never dropped: each party's "
    "position stays on the record, and a date to come back to it shows the question is open."
)
# Plan wording that says people disagree, outside a Disagreement: line.
_DISAGREE_WORDS = re.compile(
    r"\b(disagree\w*|do(?:es)?\s*n[o']t\s+agree|not\s+agreed?|objects?\s+to|against\s+the)\b",
    re.IGNORECASE,
)


def _disagreement_no_revisit(context: Context) -> Iterator[Finding]:
    for number, item in enumerate(context.plan.disagreements, start=1):
        if item.revisit:
            continue
        span = (item.source.start, item.source.end) if item.source else None
        yield Finding(
            rule="structure.disagreement-no-revisit",
            criterion="structure",
            severity="warning",
            message=(
                f"Disagreement {number} ({item.who}) does not say how or when it will be revisited."
            ),
            location=f"disagreement {number}",
            span=span,
            span_in="plan" if span else None,
            quote=item.about,
            suggestion=(
                "Add in brackets when, where and with whom it will be looked at again, e.g. "
                "(revisited at the June review, with both there)."
            ),
            why=_DISAGREEMENT_WHY,
            teaches=_EXCHANGE,
        )


def _disagreement_unrecorded(context: Context) -> Iterator[Finding]:
    if context.plan.disagreements:
        return
    for statement in [*context.goals(), *context.objectives(), *context.actions()]:
        found = _DISAGREE_WORDS.search(statement.text)
        if found is None:
            continue
        yield context.finding(
            "structure.disagreement-unrecorded",
            "structure",
            "info",
            f"{statement.location.capitalize()} mentions a disagreement ('{found.group(0)}'), "
            "but the plan has no 'Disagreement:' line to keep it.",
            statement=statement,
            start=found.start(),
            end=found.end(),
            suggestion=(
                "Record it on its own line: 'Disagreement: WHO: what about, with each "
                "position (how and when it will be revisited)'."
            ),
            why=_DISAGREEMENT_WHY,
            teaches=_EXCHANGE,
        )
        return


RULES = (
    Rule(
        "structure.goal-no-objectives",
        "structure",
        "A goal has no objectives",
        _goal_no_objectives,
    ),
    Rule(
        "structure.objective-no-actions",
        "structure",
        "An objective has no action steps",
        _objective_no_actions,
    ),
    Rule(
        "structure.goal-no-strengths",
        "structure",
        "A goal names no strengths",
        _goal_no_strengths,
    ),
    Rule("structure.goal-no-barriers", "structure", "A goal names no barriers", _goal_no_barriers),
    Rule(
        "structure.deferred-no-reason",
        "structure",
        "A deferred need has no reason",
        _deferred_without_reason,
    ),
    Rule(
        "structure.too-many-goals", "structure", "More goals than a plan can hold", _too_many_goals
    ),
    Rule(
        "structure.treatment-unlinked",
        "structure",
        "A treatment step is not linked to the person's goal",
        _treatment_unlinked,
    ),
    Rule(
        "structure.disagreement-no-revisit",
        "structure",
        "A recorded disagreement does not say how it will be revisited",
        _disagreement_no_revisit,
    ),
    Rule(
        "structure.disagreement-unrecorded",
        "structure",
        "The plan mentions a disagreement without recording it",
        _disagreement_unrecorded,
    ),
    Rule(
        "structure.owner-unplaced",
        "structure",
        "An action step's owner is someone the studio cannot place",
        _owner_unplaced,
    ),
)
