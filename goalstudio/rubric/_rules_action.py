"""Criterion 5: action-oriented.

Objectives are observable, short-term and time-bound. Action steps start with a verb, have an
owner and a when, and professional steps say what they are for.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from goalstudio._model import ActionStep
from goalstudio._vocabulary import Verdict
from goalstudio.rubric._context import Context, Rule, Statement
from goalstudio.rubric._data import rubric_data
from goalstudio.rubric._types import CriterionResult, Finding

TEACHES = "04-writing-the-plan#objectives"
WHY = (
    "An objective that anyone can see happen, by a date, lets the person and the team know "
    "when it is done and celebrate it. Steps with an owner and a when get done; steps "
    "without them drift."
)
_STAFF = ("practitioner", "agency")
_SYSTEM_TASKS = ("treatment", "compliance", "service_aim", "engagement", "symptom", "insight")


def objective_time_bound(objective: Statement) -> bool:
    return objective.analysis.time_bound


def objective_observable(objective: Statement) -> bool:
    analysis = objective.analysis
    return analysis.measured or not analysis.vague


def action_has_when(action: Statement) -> bool:
    model = action.model
    assert isinstance(model, ActionStep)
    return model.timeframe is not None or action.analysis.time_bound


# Words that follow a verb in the third person ("hands the ...", "leads her ...", "switches on
# ..."), but rarely follow a plural noun used as a heading ("visits by ...", "reviews of ...").
_FOLLOWS_A_VERB = (
    "the a an her his their my your its this that these those him them me us it some any each "
    "every both all one two three over up out back down off through round around away home "
    "together"
)
_AFTER_A_VERB = frozenset(_FOLLOWS_A_VERB.split())
_SKIPPED = frozenset(("will", "to", "then", "also", "and", "first", "please"))


def starts_with_verb(action: Statement) -> bool:
    """Whether an action step opens with what will be done.

    A word from the verb list opens it ("phones", "practising"). So does a word in the third
    person that reads as a verb from what follows it: "hands the prescribing over", "leads
    the part of the meeting", "wears the watch", "hands Samira's prescribing over".
    """
    if action.analysis.starts_with_verb:
        return True
    tokens = [t for t in action.analysis.tokens[:4] if t.text.lower() not in _SKIPPED]
    if len(tokens) < 2:
        return False
    first, after = tokens[0], tokens[1]
    low = first.text.lower()
    third_person = low.endswith("s") and not low.endswith(("ss", "us", "is", "'s"))
    if not third_person or first.text.isupper():
        return False
    return after.text.lower() in _AFTER_A_VERB or (after.capitalised and not after.text.isupper())


def has_purpose_link(statement: Statement) -> bool:
    """'so that', 'in order to', 'because', or 'to' followed by a verb."""
    data = rubric_data()
    tokens = statement.analysis.tokens
    if data.purpose_words.contains(tokens):
        return True
    return any(
        a.text.lower() == "to" and b.stem in data.verbs for a, b in itertools.pairwise(tokens[1:])
    )


_NUMBER_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}


def long_horizon(objective: Statement) -> str | None:
    """'within two years', 'in 5 years', 'long term': words that put an objective far off."""
    tokens = objective.analysis.tokens
    for before, token in itertools.pairwise(tokens):
        if token.stem != "year":
            continue
        low = before.text.lower()
        count = int(low) if low.isdigit() else _NUMBER_WORDS.get(low, 0)
        if count >= 2:
            return objective.text[before.start : token.end]
    for before, token in itertools.pairwise(tokens):
        if before.text.lower() == "long" and token.text.lower() == "term":
            return objective.text[before.start : token.end]
    return None


def _objective_no_time(context: Context) -> Iterator[Finding]:
    for objective in context.objectives():
        if objective_time_bound(objective):
            continue
        yield context.finding(
            "action_oriented.objective-no-timeframe",
            "action_oriented",
            "warning",
            f"{objective.location.capitalize()} does not say by when.",
            statement=objective,
            suggestion="Add a date or a time frame, e.g. 'by the end of March' or 'within six "
            "weeks'. Short-term objectives are easier to reach and to celebrate.",
            why=WHY,
            teaches=TEACHES,
        )


def _objective_not_observable(context: Context) -> Iterator[Finding]:
    for objective in context.objectives():
        if objective_observable(objective):
            continue
        yield context.finding(
            "action_oriented.objective-not-observable",
            "action_oriented",
            "warning",
            f"{objective.location.capitalize()} describes an inner change that no one can "
            "see happen.",
            statement=objective,
            suggestion=(
                f"Say what {context.name} will be doing, and how often or how many, when it "
                "is reached."
            ),
            why=WHY,
            teaches=TEACHES,
        )


def _objective_far_off(context: Context) -> Iterator[Finding]:
    for objective in context.objectives():
        words = long_horizon(objective)
        if words is None:
            continue
        start = objective.text.find(words)
        yield context.finding(
            "action_oriented.objective-not-short-term",
            "action_oriented",
            "info",
            f"{objective.location.capitalize()} is set far ahead ('{words}').",
            statement=objective,
            start=start,
            end=start + len(words),
            suggestion=(
                "Objectives are short-term steps towards the goal. What could "
                f"{context.name} reach in the next few weeks or months?"
            ),
            why=WHY,
            teaches=TEACHES,
        )


def _action_no_verb(context: Context) -> Iterator[Finding]:
    for action in context.actions():
        if starts_with_verb(action):
            continue
        yield context.finding(
            "action_oriented.action-no-verb",
            "action_oriented",
            "info",
            f"{action.location.capitalize()} does not start with what will be done.",
            statement=action,
            suggestion="Start the step with a verb: 'phones', 'visits', 'practises', 'drives'.",
            why=WHY,
            teaches="04-writing-the-plan#action-steps",
        )


def _action_no_when(context: Context) -> Iterator[Finding]:
    for action in context.actions():
        if action_has_when(action):
            continue
        yield context.finding(
            "action_oriented.action-no-when",
            "action_oriented",
            "info",
            f"{action.location.capitalize()} does not say when it happens.",
            statement=action,
            suggestion="Add when, on the step or on a 'When:' line under it.",
            why=WHY,
            teaches="04-writing-the-plan#action-steps",
        )


def _action_no_purpose(context: Context) -> Iterator[Finding]:
    for action in context.actions():
        model = action.model
        assert isinstance(model, ActionStep)
        if model.owner not in _STAFF or has_purpose_link(action):
            continue
        if not any(e.family in _SYSTEM_TASKS for e in action.analysis.evidence):
            continue
        yield context.finding(
            "action_oriented.action-no-purpose",
            "action_oriented",
            "info",
            f"{action.location.capitalize()} does not say what it is for in "
            f"{context.possessive} life.",
            statement=action,
            suggestion="Add the link: '... so that ...' or '... to help ...', naming the goal.",
            why=(
                "Linking each professional step to the person's goal honours the person and "
                "satisfies the chart: it shows why the service is needed."
            ),
            teaches="04-writing-the-plan#golden-thread",
        )


RULES = (
    Rule(
        "action_oriented.objective-no-timeframe",
        "action_oriented",
        "An objective has no time frame",
        _objective_no_time,
    ),
    Rule(
        "action_oriented.objective-not-observable",
        "action_oriented",
        "An objective cannot be observed",
        _objective_not_observable,
    ),
    Rule(
        "action_oriented.objective-not-short-term",
        "action_oriented",
        "An objective is set years ahead",
        _objective_far_off,
    ),
    Rule(
        "action_oriented.action-no-verb",
        "action_oriented",
        "An action step does not start with a verb",
        _action_no_verb,
    ),
    Rule(
        "action_oriented.action-no-when",
        "action_oriented",
        "An action step has no when",
        _action_no_when,
    ),
    Rule(
        "action_oriented.action-no-purpose",
        "action_oriented",
        "A professional step has no purpose link",
        _action_no_purpose,
    ),
)


def assess(context: Context) -> CriterionResult:
    objectives = context.objectives()
    actions = context.actions()
    good_objectives = [o for o in objectives if objective_time_bound(o) and objective_observable(o)]
    timed_actions = [a for a in actions if action_has_when(a)]
    evidence = [
        f"{len(good_objectives)} of {len(objectives)} objectives observable and time-bound",
        f"{len(timed_actions)} of {len(actions)} action steps say when",
    ]
    verdict: Verdict
    if not objectives or (not good_objectives and not timed_actions):
        verdict = "not_met"
    elif len(good_objectives) == len(objectives) and 2 * len(timed_actions) >= len(actions):
        verdict = "met"
    else:
        verdict = "partly"
    return CriterionResult("action_oriented", verdict, tuple(evidence))
