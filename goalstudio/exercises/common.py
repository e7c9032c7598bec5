"""Small helpers the exercises share (no Jupyter here)."""

from __future__ import annotations

import re

from goalstudio._locale import Locale
from goalstudio._scenario_model import Scenario

_KNOWN_AS = re.compile(r"^\s*([^()]+?)\s*\(")


def known_as(scenario: Scenario) -> str:
    """The name the person goes by: 'Bernie (Bernadette Quinn)' gives 'Bernie'."""
    for view in scenario.perspectives:
        if view.party == "person":
            found = _KNOWN_AS.match(view.who)
            if found and len(found.group(1).split()) == 1:
                return found.group(1)
    return scenario.person.name.split()[0]


def family_party(locale: Locale) -> str:
    """The family party in the locale's words: 'Family or carer' (UK), 'Family' (US)."""
    carer = locale.carer
    return "Family" if "family" in carer.lower() else f"Family or {carer}"


def supporter_words(locale: Locale) -> str:
    """Natural supports in the locale's words, for the owner picker."""
    carer = locale.carer
    return "Family member or friend" if "family" in carer.lower() else f"Family, friend or {carer}"
