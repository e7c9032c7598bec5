"""Criterion 1: outcomes, not just outputs.

A goal should say what changes in the person's life. Attendance, compliance, engagement,
stability, discharge and symptom reduction are outputs the service counts; they may serve a
goal but are not one.
"""

from __future__ import annotations

from collections.abc import Iterator

from goalstudio.rubric._analysis import (
    EXTRA_FAMILY_LABELS,
    SYSTEM_OUTPUT_FAMILIES,
    Analysis,
    Evidence,
)
from goalstudio.rubric._context import Context, Statement
from goalstudio.rubric._data import rubric_data
from goalstudio.rubric._types import CriterionResult, Finding, Rule, Verdict

TEACHES = "03-from-deficits-to-outcomes#outputs"
WHY = (
    "Services used, appointments kept and symptoms reduced can be counted, but they do not "
    "say what would be different in a life. An outcome does, and it is what keeps the person "
    "and the team working towards the same thing."
)


def output_evidence(analysis: Analysis) -> Evidence | None:
    """The first service-output wording in a statement, if any."""
    for item in analysis.evidence:
        if item.family in SYSTEM_OUTPUT_FAMILIES:
            return item
    return None


def is_life_outcome(analysis: Analysis) -> bool:
    """The statement names a change in the person's life, or is in their own voice."""
    from goalstudio.rubric._classify import _classify

    if output_evidence(analysis) is not None:
        return _classify(analysis, "goal").label == "person_centred"
    return bool(
        analysis.life_domains or analysis.first_person or analysis.quoted or analysis.proper_nouns
    )


def _label(family: str) -> str:
    group = rubric_data().groups.get(family)
    if group is not None:
        return group.label
    return EXTRA_FAMILY_LABELS.get(family, family.replace("_", " "))


def _goal_is_output(context: Context) -> Iterator[Finding]:
    for goal in context.goals():
        found = output_evidence(goal.analysis)
        if found is None or is_life_outcome(goal.analysis):
            continue
        yield context.finding(
            "outcomes.goal-is-output",
            "outcomes",
            "warning",
            f"{goal.location.capitalize()} is about {_label(found.family)} ('{found.words}'). "
            f"That is something the service counts, not a change in {context.possessive} life.",
            statement=goal,
            start=found.start,
            end=found.end,
            suggestion=(
                f'Ask {context.name}: "What would that make possible for you?" and write '
                f"the answer as the goal, in {context.pronouns.their} words. Keep the service "
                "as an action step that serves it."
            ),
            why=WHY,
            teaches=TEACHES,
        )


def _goal_leads_with_output(context: Context) -> Iterator[Finding]:
    for goal in context.goals():
        found = output_evidence(goal.analysis)
        if found is None or not is_life_outcome(goal.analysis):
            continue
        yield context.finding(
            "outcomes.goal-leads-with-output",
            "outcomes",
            "info",
            f"{goal.location.capitalize()} names a life outcome, and also frames it through "
            f"{_label(found.family)} ('{found.words}').",
            statement=goal,
            start=found.start,
            end=found.end,
            suggestion=(
                "Lead with the life outcome. The service or treatment can move into an action "
                "step that says how it helps."
            ),
            why=WHY,
            teaches=TEACHES,
        )


def _objective_is_output(context: Context) -> Iterator[Finding]:
    for objective in context.objectives():
        found = output_evidence(objective.analysis)
        if found is None or is_life_outcome(objective.analysis):
            continue
        if found.family not in ("compliance", "service_aim", "engagement", "service_use"):
            continue
        yield context.finding(
            "outcomes.objective-is-output",
            "outcomes",
            "info",
            f"{objective.location.capitalize()} measures {_label(found.family)} "
            f"('{found.words}'), which the service counts.",
            statement=objective,
            start=found.start,
            end=found.end,
            suggestion=(
                f"Make the objective a short step in {context.possessive} life towards the "
                "goal; put the service into an action step."
            ),
            why=WHY,
            teaches=TEACHES,
        )


def _goal_outcome_unclear(context: Context) -> Iterator[Finding]:
    for goal in context.goals():
        analysis = goal.analysis
        if output_evidence(analysis) is not None or is_life_outcome(analysis):
            continue
        yield context.finding(
            "outcomes.goal-outcome-unclear",
            "outcomes",
            "info",
            f"It is not clear what would change in {context.possessive} life if "
            f"{goal.location} were reached.",
            statement=goal,
            suggestion=(
                "Name the change: a role, a relationship, a place, an activity or a feeling "
                f"that matters to {context.name}."
            ),
            why=WHY,
            teaches="03-from-deficits-to-outcomes#outcomes",
        )


RULES = (
    Rule("outcomes.goal-is-output", "outcomes", "A goal is a service output", _goal_is_output),
    Rule(
        "outcomes.goal-leads-with-output",
        "outcomes",
        "A goal frames a life outcome through a service",
        _goal_leads_with_output,
    ),
    Rule(
        "outcomes.objective-is-output",
        "outcomes",
        "An objective measures service use",
        _objective_is_output,
    ),
    Rule(
        "outcomes.goal-outcome-unclear",
        "outcomes",
        "A goal names no change in the person's life",
        _goal_outcome_unclear,
    ),
)


def assess(context: Context) -> CriterionResult:
    goals = context.goals()
    life: list[Statement] = []
    output: list[Statement] = []
    for goal in goals:
        if is_life_outcome(goal.analysis):
            life.append(goal)
        elif output_evidence(goal.analysis) is not None:
            output.append(goal)
    evidence = [f"{g.location}: a change in {context.possessive} life ('{g.text}')" for g in life]
    for g in output:
        found = output_evidence(g.analysis)
        words = found.words if found else g.text
        evidence.append(f"{g.location}: a service output ('{words}')")
    verdict: Verdict
    if goals and len(life) == len(goals):
        verdict = "met"
    elif not life:
        verdict = "not_met"
    else:
        verdict = "partly"
    if not evidence:
        evidence.append("no goal names a change in the person's life or a service output")
    return CriterionResult("outcomes", verdict, tuple(evidence))
