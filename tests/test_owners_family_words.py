"""Family words that scenario authors write before the colon are read as natural supports.

Hyphenated in-laws are one word to the owner reader, so each needs its own entry; these were
refused as unknown owners until the scenario library used them.
"""

from __future__ import annotations

import pytest

from goalstudio import parse_plan
from goalstudio._owners import resolve_owner


@pytest.mark.parametrize(
    "label",
    [
        "Mother-in-law (Darlene)",
        "Daughter-in-law (Harpreet)",
        "Brother-in-law",
        "In-laws",
        "Granddaughter (Simran)",
        "Grandson (Arjun)",
        "Grandchildren",
        "Stepdaughter (Mia)",
    ],
)
def test_family_labels_are_natural_supports(label: str) -> None:
    assert resolve_owner(label) == "natural_support"


def test_a_plan_with_in_laws_and_grandchildren_parses() -> None:
    plan = parse_plan(
        'Goal: "I want to give Wren her bath." (Bree)\n'
        "  Objective: Bree gives Wren her bath twice a week by March.\n"
        "    - Mother-in-law (Darlene): hands bath time over to Bree\n"
        "    - Granddaughter (Simran): walks with her to the gurdwara\n"
    )
    assert [a.owner for a in plan.actions()] == ["natural_support", "natural_support"]


def test_hyphenated_staff_titles_are_not_mistaken_for_family() -> None:
    assert resolve_owner("Care co-ordinator") == "practitioner"
