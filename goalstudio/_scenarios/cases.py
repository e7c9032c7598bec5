"""Which case studies a learner can open, for the exercises' case picker and the workshop plan.

Every scenario-based exercise opens the module's own case by default (``scenario(gb=..., us=...)``
in the notebook) and can open any other case that loads, filtered by the learner's locale (their
scenario set) and a tag they choose. ``goalstudio workshop plan`` names only cases that the
module's exercises can open: none for a module without a scenario-based exercise.
"""

from __future__ import annotations

import json
import os
import re
from importlib import resources
from typing import Any

from goalstudio._scenarios._catalogue import ScenarioSummary, known_sources, survey_scenarios
from goalstudio._vocabulary import LOCALES

# The exercises that open a case study (a LanguageSpotter given a passage does not).
CASE_EXERCISES = (
    "ChartReview",
    "ExchangeMap",
    "GoalDiscovery",
    "LanguageSpotter",
    "PlanBuilder",
    "PlanRewriter",
    "RiskConversation",
)
_CASE_CALL = re.compile(r"\b(" + "|".join(CASE_EXERCISES) + r")\(\s*scenario\(")
_cache: dict[str, Any] = {}


def case_exercises(notebook: dict[str, Any]) -> list[str]:
    """The scenario-based exercises a module notebook's learner cells open, in order."""
    found: list[str] = []
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        tags = cell.get("metadata", {}).get("tags", [])
        if any(t in ("facilitator", "model-answer", "solution") for t in tags):
            continue
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else str(source)
        found += _CASE_CALL.findall(text)
    return found


def module_case_exercises(module_file: str) -> list[str]:
    """``case_exercises`` of a packaged module notebook (empty if it cannot be read)."""
    try:
        text = resources.files("goalstudio.course").joinpath(module_file).read_text("utf-8")
        return case_exercises(json.loads(text))
    except (OSError, ValueError):
        return []


def openable_cases() -> list[ScenarioSummary]:
    """Every case that loads (built-in and from GOALSTUDIO_SCENARIOS_PATH), sorted by id.

    A case with problems is left out rather than stopping the picker. The list is kept while
    no scenario file changes (reading every case takes about half a second).
    """
    sources, _ = known_sources()
    key = []
    for source in sources:
        try:
            key.append((source.display, os.stat(source.display).st_mtime_ns))
        except OSError:
            key.append((source.display, 0))
    if _cache.get("key") != key:
        _cache["cases"] = survey_scenarios()[0]
        _cache["key"] = key
    return list(_cache["cases"])


def case_locales(scenario_set: str, locale: str) -> tuple[str, ...]:
    """The locales of the cases a learner sees: from their scenario set (see ``_course``)."""
    if scenario_set == "mixed":
        return LOCALES
    if scenario_set in LOCALES:
        return (scenario_set,)
    return (locale,)


def case_choices(default: str, *, locales: tuple[str, ...], tag: str = "") -> list[ScenarioSummary]:
    """The module's own case first, then every other openable case in ``locales`` with ``tag``."""
    cases = openable_cases()
    own = [c for c in cases if c.id == default]
    rest = [
        c for c in cases if c.id != default and c.locale in locales and (not tag or tag in c.tags)
    ]
    return own + rest


def case_tags(locales: tuple[str, ...]) -> list[str]:
    """The tags of the openable cases in ``locales``, most used first (then alphabetical)."""
    counts: dict[str, int] = {}
    for case in openable_cases():
        if case.locale in locales:
            for tag in case.tags:
                counts[tag] = counts.get(tag, 0) + 1
    return sorted(counts, key=lambda t: (-counts[t], t))
