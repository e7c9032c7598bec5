"""The studio's shared words, defined once: criteria, verdicts, their scores, and locales.

A leaf module (it imports nothing of the studio), so the records store, the rubric, grading,
widgets and benchmarks can all use it without loading each other. Widgets and grading take
these names from ``goalstudio.rubric`` (criteria, verdicts, scores) and ``goalstudio``
(locales), which re-export them.
"""

from __future__ import annotations

from typing import Literal

# The five recording criteria a plan is reviewed against, then the two whole-plan aspects
# (structure and language) that findings can also be about.
Criterion = Literal[
    "outcomes",
    "personalised",
    "roles",
    "own_words",
    "action_oriented",
    "structure",
    "language",
]
CRITERIA: tuple[Criterion, ...] = (
    "outcomes",
    "personalised",
    "roles",
    "own_words",
    "action_oriented",
)
CRITERION_TITLES: dict[str, str] = {
    "outcomes": "Outcomes, not just outputs",
    "personalised": "Personalised, not generic",
    "roles": "A role for the person and their supporters",
    "own_words": "The person's own words",
    "action_oriented": "Action-oriented",
    "structure": "Structure (the golden thread)",
    "language": "Recovery-oriented language",
}
# Where space is short (chart axes, table columns, chips).
CRITERION_SHORT_TITLES: dict[str, str] = {
    "outcomes": "Outcomes",
    "personalised": "Personalised",
    "roles": "Roles",
    "own_words": "Own words",
    "action_oriented": "Action-oriented",
}

Verdict = Literal["met", "partly", "not_met"]
VERDICTS: tuple[Verdict, ...] = ("met", "partly", "not_met")
# What a learner reads for each verdict ("yet": a verdict is a step, not a judgement).
VERDICT_WORDS: dict[str, str] = {"met": "Met", "partly": "Partly met", "not_met": "Not met yet"}
# The share of a criterion's credit each verdict earns (gradebook, averages, dashboards).
VERDICT_SCORES: dict[str, float] = {"met": 1.0, "partly": 0.5, "not_met": 0.0}

LocaleCode = Literal["en-GB", "en-US"]
LOCALES: tuple[LocaleCode, ...] = ("en-GB", "en-US")
DEFAULT_LOCALE: LocaleCode = "en-GB"
