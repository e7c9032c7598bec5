"""Criterion 4: the person's own words.

A goal written as the person said it (a quote, or the first person) and attributed to them
keeps their voice in the plan. A goal written about them in service language loses it.
"""

from __future__ import annotations

from collections.abc import Iterator

from goalstudio._model import Goal
from goalstudio.rubric._context import Context, Statement
from goalstudio.rubric._types import CriterionResult, Finding, Rule, Verdict

TEACHES = "02-goal-discovery#own-words"
WHY = (
    "Goals kept in the person's own words are the ones they recognise, remember and work "
    "towards. Rewording them into service language moves the plan away from the person."
)


def in_own_words(goal: Statement) -> bool:
    model = goal.model
    assert isinstance(model, Goal)
    return model.quoted or goal.analysis.first_person or goal.analysis.quoted


def _label(context: Context) -> str:
    return "Name" if context.name == "the person" else context.name


def _not_own_words(context: Context) -> Iterator[Finding]:
    for goal in context.goals():
        if in_own_words(goal):
            continue
        yield context.finding(
            "own_words.goal-not-in-own-words",
            "own_words",
            "warning",
            f"{goal.location.capitalize()} is written about {context.name}, not in "
            f"{context.pronouns.their} words.",
            statement=goal,
            suggestion=(
                f"Write the goal as {context.name} said it, in quotation marks, with "
                f"{context.pronouns.their} "
                f'name after it: Goal: "I want to ..." ({_label(context)})'
            ),
            why=WHY,
            teaches=TEACHES,
        )


def _quote_without_attribution(context: Context) -> Iterator[Finding]:
    for goal in context.goals():
        model = goal.model
        assert isinstance(model, Goal)
        if not model.quoted or model.expressed_by:
            continue
        yield context.finding(
            "own_words.quote-not-attributed",
            "own_words",
            "info",
            f"{goal.location.capitalize()} is a quote, but the plan does not say whose words "
            "they are.",
            statement=goal,
            suggestion="Add the person's name in brackets after the closing quotation mark.",
            why=WHY,
            teaches=TEACHES,
        )


def _first_person_unquoted(context: Context) -> Iterator[Finding]:
    for goal in context.goals():
        model = goal.model
        assert isinstance(model, Goal)
        if model.quoted or not goal.analysis.first_person:
            continue
        yield context.finding(
            "own_words.first-person-unquoted",
            "own_words",
            "info",
            f"{goal.location.capitalize()} is in the first person. If these are "
            f"{context.possessive} exact words, mark them as a quote.",
            statement=goal,
            suggestion='Put the words in quotation marks and add the name: "..." (Name).',
            why=WHY,
            teaches=TEACHES,
        )


RULES = (
    Rule(
        "own_words.goal-not-in-own-words",
        "own_words",
        "A goal is not in the person's words",
        _not_own_words,
    ),
    Rule(
        "own_words.quote-not-attributed",
        "own_words",
        "A quoted goal says nobody's name",
        _quote_without_attribution,
    ),
    Rule(
        "own_words.first-person-unquoted",
        "own_words",
        "A first-person goal is not marked as a quote",
        _first_person_unquoted,
    ),
)


def assess(context: Context) -> CriterionResult:
    goals = context.goals()
    own = [g for g in goals if in_own_words(g)]
    evidence: list[str] = []
    for goal in goals:
        model = goal.model
        assert isinstance(model, Goal)
        if model.quoted and model.expressed_by:
            evidence.append(f"{goal.location}: quoted, in {model.expressed_by}'s words")
        elif model.quoted or goal.analysis.quoted:
            evidence.append(f"{goal.location}: quoted, not attributed")
        elif goal.analysis.first_person:
            evidence.append(f"{goal.location}: in the first person")
        else:
            evidence.append(f"{goal.location}: written about the person")
    verdict: Verdict
    if goals and len(own) == len(goals):
        verdict = "met"
    elif not own:
        verdict = "not_met"
    else:
        verdict = "partly"
    return CriterionResult("own_words", verdict, tuple(evidence))
