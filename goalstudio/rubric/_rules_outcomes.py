"""Criterion 1: outcomes, not just outputs.

A goal should say what changes in the person's life. Attendance, compliance, engagement,
stability, discharge and symptom reduction are outputs the service counts; they may serve a
goal but are not one.
"""

from __future__ import annotations

from collections.abc import Iterator

from goalstudio._model import Goal
from goalstudio._vocabulary import Verdict
from goalstudio.rubric._aim import AIM_WORDS
from goalstudio.rubric._analysis import (
    EXTRA_FAMILY_LABELS,
    SYSTEM_OUTPUT_FAMILIES,
    Analysis,
)
from goalstudio.rubric._context import Context, Rule, Statement
from goalstudio.rubric._data import rubric_data
from goalstudio.rubric._text import Evidence
from goalstudio.rubric._types import CriterionResult, Finding

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
    """The statement's aim is a change in the person's life, or leads to one ("so that").

    Read from the aim, not the voice: a compliance, service, symptom or generic aim is not a
    life outcome in anyone's words. A statement with nothing the rubric can type counts when
    it names a life domain or a person or place, or is in the person's voice with no service
    wording at all.
    """
    aim = analysis.aim
    if aim.kind == "life" or aim.link == "life":
        return True
    if aim.kind != "unclear":
        return False
    if output_evidence(analysis) is not None:
        return False
    return bool(
        analysis.life_domains or analysis.first_person or analysis.quoted or analysis.proper_nouns
    )


def _aim_words(analysis: Analysis) -> str:
    aim = analysis.aim
    if aim.head:
        return aim.head
    return analysis.text[aim.start : aim.end] or analysis.text


def _label(family: str) -> str:
    group = rubric_data().groups.get(family)
    if group is not None:
        return group.label
    return EXTRA_FAMILY_LABELS.get(family, family.replace("_", " "))


def _kind_words(analysis: Analysis) -> str:
    aim = analysis.aim
    if aim.family and aim.family not in ("life", "generic", "avoidance", "autonomy"):
        return _label(aim.family)
    if aim.family == "avoidance":
        return "something to avoid"
    return AIM_WORDS[aim.kind]


def _voice_note(statement: Statement, context: Context) -> str:
    """Why the person's voice does not settle it, when the goal is in their voice."""
    analysis = statement.analysis
    model = statement.model
    quoted = analysis.quoted or (isinstance(model, Goal) and model.quoted)
    if quoted:
        return (
            " Quotation marks show whose words these are, not what the goal is for: a "
            "service or treatment aim stays one in anyone's voice."
        )
    if analysis.first_person:
        return (
            " Writing it in the first person does not change what it aims at: a service or "
            "treatment aim stays one in anyone's voice."
        )
    return ""


def _goal_is_output(context: Context) -> Iterator[Finding]:
    for goal in context.goals():
        analysis = goal.analysis
        aim = analysis.aim
        if is_life_outcome(analysis):
            continue
        if aim.kind in ("service", "symptom", "abstinence"):
            start, end = _head_span(goal)
            yield context.finding(
                "outcomes.goal-is-output",
                "outcomes",
                "warning",
                f"{goal.location.capitalize()} is about {_kind_words(analysis)} "
                f"('{_aim_words(analysis)}'). That is something the service counts, not a "
                f"change in {context.possessive} life." + _voice_note(goal, context),
                statement=goal,
                start=start,
                end=end,
                suggestion=(
                    f'Ask {context.name}: "What would that make possible for you?" and write '
                    f"the answer as the goal, in {context.pronouns.their} words. Keep the "
                    "service as an action step that serves it."
                ),
                why=WHY,
                teaches=TEACHES,
            )


def _goal_is_generic(context: Context) -> Iterator[Finding]:
    for goal in context.goals():
        analysis = goal.analysis
        if analysis.aim.kind != "generic" or is_life_outcome(analysis):
            continue
        start, end = _head_span(goal)
        voice = (
            f" It is in {context.possessive} voice, but the words could be anyone's."
            if analysis.first_person or analysis.quoted
            else ""
        )
        yield context.finding(
            "outcomes.goal-is-generic",
            "outcomes",
            "warning",
            f"{goal.location.capitalize()} aims at '{_aim_words(analysis)}', which does not "
            f"say what would be different in {context.possessive} life.{voice}",
            statement=goal,
            start=start,
            end=end,
            suggestion=(
                f'Ask {context.name}: "If you felt that way, what would you be doing?" '
                "Write that: a role, a relationship, a place or an activity."
            ),
            why=WHY,
            teaches="03-from-deficits-to-outcomes#outcomes",
        )


def _head_span(statement: Statement) -> tuple[int | None, int | None]:
    """The span of the words that typed the aim, in the statement."""
    aim = statement.analysis.aim
    if aim.head:
        at = statement.text.find(aim.head, aim.start)
        if at < 0:
            at = statement.text.find(aim.head)
        if at >= 0:
            return at, at + len(aim.head)
    return None, None


def _goal_leads_with_output(context: Context) -> Iterator[Finding]:
    for goal in context.goals():
        analysis = goal.analysis
        if not is_life_outcome(analysis):
            continue
        aim = analysis.aim
        if aim.kind in ("service", "symptom", "abstinence"):
            start, end = _head_span(goal)
            what, words = _kind_words(analysis), _aim_words(analysis)
        else:
            found = output_evidence(analysis)
            if found is None:
                continue
            start, end = found.start, found.end
            what, words = _label(found.family), found.words
        yield context.finding(
            "outcomes.goal-leads-with-output",
            "outcomes",
            "info",
            f"{goal.location.capitalize()} names a life outcome, and also frames it through "
            f"{what} ('{words}').",
            statement=goal,
            start=start,
            end=end,
            suggestion=(
                "Lead with the life outcome. The service or treatment can move into an action "
                "step that says how it helps."
            ),
            why=WHY,
            teaches=TEACHES,
        )


def objective_is_output(objective: Statement) -> bool:
    """An objective whose aim is a service, a symptom or abstinence, linked to no life
    outcome ("finishes an 8-week DBT skills group", "stays abstinent for 90 days")."""
    return objective.analysis.aim.is_output


def _objective_is_output(context: Context) -> Iterator[Finding]:
    for objective in context.objectives():
        if not objective_is_output(objective):
            continue
        analysis = objective.analysis
        start, end = _head_span(objective)
        yield context.finding(
            "outcomes.objective-is-output",
            "outcomes",
            "warning",
            f"{objective.location.capitalize()} ('{objective.text}') measures "
            f"{_kind_words(analysis)} ('{_aim_words(analysis)}'): an output the service "
            "counts, not a step in a life.",
            statement=objective,
            start=start,
            end=end,
            suggestion=(
                f'Ask {context.name}: "What would that make possible for you?" Make the '
                f"objective a step in {context.possessive} life towards the goal, and put the "
                "service or treatment into an action step that says how it helps."
            ),
            why=WHY,
            teaches=TEACHES,
        )


def _goal_outcome_unclear(context: Context) -> Iterator[Finding]:
    for goal in context.goals():
        analysis = goal.analysis
        if is_life_outcome(analysis) or analysis.aim.kind != "unclear":
            continue
        if output_evidence(analysis) is not None:
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
        "An objective is an output, not a step in a life",
        _objective_is_output,
    ),
    Rule(
        "outcomes.goal-is-generic",
        "outcomes",
        "A goal is a slogan that could be anyone's",
        _goal_is_generic,
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
    evidence: list[str] = []
    for goal in goals:
        analysis = goal.analysis
        if is_life_outcome(analysis):
            life.append(goal)
            evidence.append(
                f"{goal.location}: a change in {context.possessive} life ('{goal.text}')"
            )
        elif analysis.aim.kind == "generic":
            evidence.append(
                f"{goal.location}: a slogan, not a change in a life ('{_aim_words(analysis)}')"
            )
        elif analysis.aim.kind != "unclear" or output_evidence(analysis) is not None:
            evidence.append(f"{goal.location}: a service output ('{_aim_words(analysis)}')")
    outputs = [o for o in context.objectives() if objective_is_output(o)]
    for objective in outputs:
        evidence.append(
            f"{objective.location}: an output, not a step in a life "
            f"('{_aim_words(objective.analysis)}')"
        )
    verdict: Verdict
    if goals and len(life) == len(goals) and not outputs:
        verdict = "met"
    elif not life:
        verdict = "not_met"
    else:
        verdict = "partly"
    if not evidence:
        evidence.append("no goal names a change in the person's life or a service output")
    return CriterionResult("outcomes", verdict, tuple(evidence))
