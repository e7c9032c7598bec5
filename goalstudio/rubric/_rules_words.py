"""Criterion 4: the person's own words.

A goal written as the person said it (a quote, or the first person) and attributed to them
keeps their voice in the plan. A goal written about them in service language loses it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from goalstudio._model import Goal
from goalstudio._vocabulary import Verdict
from goalstudio.rubric._context import Context, Rule, Statement
from goalstudio.rubric._recorded import quote_is_recorded
from goalstudio.rubric._types import CriterionResult, Finding

TEACHES = "02-goal-discovery#own-words"
WHY = (
    "Goals kept in the person's own words are the ones they recognise, remember and work "
    "towards. Rewording them into service language moves the plan away from the person."
)


def _voiced(goal: Statement) -> bool:
    model = goal.model
    assert isinstance(model, Goal)
    return model.quoted or goal.analysis.first_person or goal.analysis.quoted


def _quoted(goal: Statement) -> bool:
    model = goal.model
    assert isinstance(model, Goal)
    return model.quoted or goal.analysis.quoted


def _sayings(context: Context) -> tuple[str, ...] | None:
    return context.sayings


@functools.lru_cache(maxsize=1024)
def _is_recorded(quote: str, sayings: tuple[str, ...]) -> bool:
    # Each goal is asked about by several rules and the verdict: match it once.
    return quote_is_recorded(quote, sayings)


def unrecorded(goal: Statement, context: Context) -> bool:
    """A quoted goal whose words the scenario does not record the person saying."""
    sayings = _sayings(context)
    if sayings is None or not _quoted(goal):
        return False
    return not _is_recorded(goal.text, sayings)


def service_in_voice(goal: Statement, context: Context) -> bool:
    """A goal in quotes or the first person whose aim is following or using a service, and
    which the scenario does not record the person saying: the voice is borrowed."""
    if not _voiced(goal) or goal.analysis.aim.kind != "service":
        return False
    sayings = _sayings(context)
    return sayings is None or not _quoted(goal) or not _is_recorded(goal.text, sayings)


def in_own_words(goal: Statement, context: Context | None = None) -> bool:
    """The goal is in the person's words: quoted or in the first person, with a quote the
    scenario records them saying (when there is a scenario), and not a service aim in a
    borrowed voice."""
    if not _voiced(goal):
        return False
    if context is None:
        return goal.analysis.aim.kind != "service"
    return not unrecorded(goal, context) and not service_in_voice(goal, context)


def _label(context: Context) -> str:
    return "Name" if context.name == "the person" else context.name


def _not_recorded(context: Context) -> Iterator[Finding]:
    for goal in context.goals():
        if not unrecorded(goal, context):
            continue
        p = context.pronouns
        yield context.finding(
            "own_words.quote-not-recorded",
            "own_words",
            "warning",
            f"{goal.location.capitalize()} is in quotation marks, but these words are not "
            f"recorded as {context.possessive}: check with {p.them}.",
            statement=goal,
            suggestion=(
                f"Use what {context.name} said in the goal discovery conversation, or read "
                f"your wording back to {p.them} and keep {p.their} version. If the words "
                "are yours, take the quotation marks off."
            ),
            why=(
                "Quotation marks say these are the person's own words. Words put in someone's "
                "mouth, however kindly meant, are the team's goal in the person's voice."
            ),
            teaches=TEACHES,
        )


def _service_in_voice(context: Context) -> Iterator[Finding]:
    for goal in context.goals():
        if unrecorded(goal, context) or not service_in_voice(goal, context):
            continue
        aim = goal.analysis.aim
        words = aim.head or goal.text[aim.start : aim.end]
        p = context.pronouns
        marks = "Quotation marks" if _quoted(goal) else "The first person"
        yield context.finding(
            "own_words.service-aim-in-voice",
            "own_words",
            "warning",
            f"{goal.location.capitalize()} is written as if {context.name} said it, but what "
            f"it aims at ('{words}') is the service's. {marks} can show whose words these "
            f"are; they do not make a service or treatment aim {context.possessive} goal.",
            statement=goal,
            suggestion=(
                f'Ask {context.name}: "What do you want in your life?" and quote {p.their} '
                "answer. The treatment can then be an action step that serves it."
            ),
            why=WHY,
            teaches=TEACHES,
        )


def _not_own_words(context: Context) -> Iterator[Finding]:
    for goal in context.goals():
        if _voiced(goal):
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
        if model.quoted or not goal.analysis.first_person or service_in_voice(goal, context):
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
        "own_words.quote-not-recorded",
        "own_words",
        "A quoted goal is not something the person is recorded saying",
        _not_recorded,
    ),
    Rule(
        "own_words.service-aim-in-voice",
        "own_words",
        "A service aim written in the person's voice",
        _service_in_voice,
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
    own = [g for g in goals if in_own_words(g, context)]
    borrowed = [g for g in goals if unrecorded(g, context)]
    evidence: list[str] = []
    for goal in goals:
        model = goal.model
        assert isinstance(model, Goal)
        if unrecorded(goal, context):
            evidence.append(
                f"{goal.location}: quoted, but not recorded as {context.possessive} words"
            )
        elif service_in_voice(goal, context):
            evidence.append(f"{goal.location}: a service aim in the person's voice")
        elif model.quoted and model.expressed_by:
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
    elif not own and not borrowed:
        verdict = "not_met"
    else:
        verdict = "partly"  # a quote not recorded as theirs is at best partly theirs
    return CriterionResult("own_words", verdict, tuple(evidence))
