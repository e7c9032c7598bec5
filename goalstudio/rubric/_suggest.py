"""Suggestions that fit the person: from their own words when a scenario is known.

The lexicon's alternatives are generic: they model a wording and never state facts about a
person (no "mornings with her son" for a woman with no son); where a life detail is needed they
leave a gap in brackets ("back at [an activity they name]"). When the review knows the
scenario, an aim the service set ("remain stable", "engage with services") is answered from the
person instead: a goal in their own words, what matters to them, a strength to build on. The
generic alternatives are also fitted to the person: their name for "the person's name", and
their pronouns where the example uses another person's.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from goalstudio._pronouns import Pronouns

if TYPE_CHECKING:
    from goalstudio._scenarios.model import Scenario

# Categories whose alternatives are aims: answered from the person when we know them.
AIM_CATEGORIES = frozenset({"system_outcome"})
_NAME_PLACEHOLDERS = ("the person's name",)
_SUBJECT = re.compile(r"\b(he|she)\b", re.IGNORECASE)
_REFLEXIVE = re.compile(r"\b(himself|herself)\b", re.IGNORECASE)
_HIS = re.compile(r"\bhis\b", re.IGNORECASE)
_HIM = re.compile(r"\bhim\b", re.IGNORECASE)
# "her" is "him" before these words or at the end, else "his" ("her mood" / "with her until").
_HER = re.compile(
    r"\bher\b(?=(\s+(?:until|when|and|to|at|about|if|on|in|for|with|as|every|"
    r"again|how|what|know|feel|feels|get|go|before|after|that|this)\b|\W*$|[,.;:]))?",
    re.IGNORECASE,
)


def _keep_case(found: str, word: str) -> str:
    return word.capitalize() if found[:1].isupper() else word


def fit_pronouns(text: str, pronouns: Pronouns) -> str:
    """An example written about 'her' or 'him', re-told with the person's he or she.

    Singular 'they' needs the verbs changed too, so examples are left as written for it.
    """
    if pronouns.plural_verbs:
        return text
    subject, obj, possessive = pronouns.they, pronouns.them, pronouns.their
    reflexive = "herself" if subject == "she" else "himself"
    text = _SUBJECT.sub(lambda m: _keep_case(m.group(), subject), text)
    text = _REFLEXIVE.sub(lambda m: _keep_case(m.group(), reflexive), text)
    if subject == "she":
        text = _HIS.sub(lambda m: _keep_case(m.group(), possessive), text)
        return _HIM.sub(lambda m: _keep_case(m.group(), obj), text)
    return _HER.sub(
        lambda m: _keep_case(m.group(), obj if m.group(1) is not None else possessive), text
    )


def _short(name: str) -> str:
    return name.split()[0] if name.strip() else "the person"


def _clean(item: str) -> str:
    """One suggestion on one line, with no ';' (the suggestion line joins them with '; ')."""
    return " ".join(item.replace(";", ",").split()).rstrip(".")


def from_the_person(scenario: Scenario, name: str, turn: int = 0) -> list[str]:
    """Suggestions drawn from the scenario's person: a goal in their own words, then what
    matters to them, then a strength. ``turn`` rotates through them so that several findings
    in one plan do not all offer the same words."""
    person = scenario.person
    who = name or _short(person.name)
    goals = [goal for step in scenario.goal_discovery for goal in step.goals]
    pools = [
        [f'{who}\'s own words: "{_clean(goal)}"' for goal in goals],
        [f"what matters to {who}: {_clean(item)}" for item in person.what_matters],
        [f"a strength to build on: {_clean(item)}" for item in person.strengths],
    ]
    return [pool[turn % len(pool)] for pool in pools if pool]


def fit_alternatives(
    alternatives: tuple[str, ...],
    category: str,
    *,
    scenario: Scenario | None,
    name: str,
    pronouns: Pronouns,
) -> tuple[str, ...]:
    """The alternatives to show for one finding, fitted to the person where we know them."""
    if scenario is None:
        return alternatives
    fitted = []
    for alternative in alternatives:
        if alternative in _NAME_PLACEHOLDERS:
            alternative = name
        fitted.append(fit_pronouns(alternative, pronouns))
    if category in AIM_CATEGORIES:
        questions = [alt for alt in fitted if alt.endswith("?")]
        rest = [alt for alt in fitted if not alt.endswith("?")]
        turn = sum(map(ord, alternatives[0])) if alternatives else 0
        own = from_the_person(scenario, name, turn)[:2]
        return tuple(dict.fromkeys([*own, *questions, *rest]))
    return tuple(dict.fromkeys(fitted))
