"""Small helpers the exercises share (no Jupyter here)."""

from __future__ import annotations

import re

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
