"""Quotations in a model rewrite must be things the person says in the scenario.

Learners are shown the model rewrite as what good looks like. If it puts words in quotation
marks that the person never said, it teaches the opposite of "in the person's own words", so
``scenarios validate`` checks every quoted goal attributed to the person and every quotation in
the crisis plan against what the scenario records the person saying (a tolerant word match).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from goalstudio._scenarios.model import Scenario

_QUOTATION = re.compile(r'["“]([^"“”]+)["”]')
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class UnrecordedQuote:
    """A quotation in the model rewrite that nothing the person says in the scenario matches."""

    plan_line: int  # 1-based line of the model rewrite
    column: int  # 1-based column of the quotation on that line
    quote: str
    where: str  # "goal" or "crisis plan"
    closest: str | None  # the nearest sentence the person does say, to quote instead


def unrecorded_quotes(scenario: Scenario) -> list[UnrecordedQuote]:
    """Every quotation in the model rewrite that is not in the person's recorded words."""
    from goalstudio.rubric import person_sayings, quote_is_recorded

    sayings = person_sayings(scenario)
    names = _person_names(scenario)
    found: list[UnrecordedQuote] = []
    plan = scenario.model_rewrite_model()
    for goal in plan.goals:
        if not goal.quoted or goal.source is None:
            continue
        if goal.expressed_by and not _names_person(goal.expressed_by, names):
            continue  # someone else's words (a carer's goal, say): not the person's to check
        if not quote_is_recorded(goal.text, sayings):
            found.append(
                UnrecordedQuote(
                    goal.source.line,
                    goal.source.column,
                    goal.text,
                    "goal",
                    _closest(goal.text, sayings),
                )
            )
    for number, line in enumerate(scenario.model_rewrite.splitlines(), start=1):
        if not line.strip().lower().startswith("crisis plan"):
            continue
        for match in _QUOTATION.finditer(line):
            quote = match.group(1).strip()
            if quote and not quote_is_recorded(quote, sayings):
                found.append(
                    UnrecordedQuote(
                        number, match.start() + 1, quote, "crisis plan", _closest(quote, sayings)
                    )
                )
    return found


def _person_names(scenario: Scenario) -> set[str]:
    words = {w.strip("()").lower() for w in scenario.person.name.split()}
    words.add(scenario.known_as.lower())
    return {w for w in words if w}


def _names_person(attribution: str, names: set[str]) -> bool:
    return any(w.strip("(),").lower() in names for w in attribution.split())


def _closest(quote: str, sayings: list[str]) -> str | None:
    sentences = [s.strip() for saying in sayings for s in _SENTENCE_END.split(saying) if s.strip()]
    best = difflib.get_close_matches(quote, sentences, n=1, cutoff=0.4)
    return " ".join(best[0].split()) if best else None
