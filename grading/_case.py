"""Which case (scenario) a learner works on, so that a team cannot share answers.

Each learner gets one scenario per assignment, chosen by rendezvous hashing of the learner id
and the assignment id: the same learner always gets the same case, neighbours usually get
different ones, and adding a scenario moves only the learners who now get the new one.

The learner id is, in order: ``GOALSTUDIO_LEARNER``; during nbgrader's autograde, the student
folder the notebook is graded in (``autograded/<student>/<assignment>/``); ``JUPYTERHUB_USER``;
the name chosen in the welcome module; the operating-system user. When the answer itself names
the person of another case (``Person: Javi``), the checks follow the answer, so a learner whose
id was different at home is still graded on the case they wrote about.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from goalstudio import Scenario, environment, list_scenarios, load_scenario


def learner_id() -> str:
    """Who is working on (or being graded on) this notebook."""
    configured = os.environ.get(environment.LEARNER_ENV, "").strip()
    if configured:
        return configured
    if os.environ.get("NBGRADER_EXECUTION") == "autograde":
        here = Path.cwd()
        if here.parent.parent.name == "autograded":
            return here.parent.name
    hub = os.environ.get("JUPYTERHUB_USER", "").strip()
    if hub:
        return hub
    try:
        from goalstudio import current_learner  # written by the welcome module

        return current_learner()
    except Exception:
        try:
            return getpass.getuser()
        except Exception:
            return "learner"


def choose(learner: str, assignment: str, cases: Sequence[str]) -> str:
    """The case for this learner and assignment (rendezvous hashing: stable and spread)."""
    if not cases:
        raise ValueError("there are no cases to choose from: add a scenario first")

    def weight(case: str) -> bytes:
        return hashlib.sha256(f"{assignment}\x00{learner}\x00{case}".encode()).digest()

    return max(sorted(set(cases)), key=weight)


@lru_cache(maxsize=32)
def scenario(case_id: str) -> Scenario:
    """A scenario, loaded once per kernel."""
    return load_scenario(case_id)


def all_cases() -> list[str]:
    """Every scenario id (read once per kernel: the cases do not change while it runs)."""
    return list(_all_cases())


@lru_cache(maxsize=1)
def _all_cases() -> tuple[str, ...]:
    return tuple(s.id for s in list_scenarios())


def first_name(case: Scenario) -> str:
    """How the checks name the person: the name they go by, else the first name."""
    for view in case.perspectives:
        if view.party == "person":
            known = re.match(r"\s*([^\s()]+)\s*\(", view.who)
            if known:
                return known.group(1)
    words = case.person.in_their_words
    for marker in ("calls me ", "call me ", "known as "):
        at = words.find(marker)
        if at >= 0:
            name = words[at + len(marker) :].split()[0].strip(".,;:!?\"'")
            if name and name[0].isupper():
                return name
    return case.person.name.split()[0]


def names_of(case: Scenario) -> list[str]:
    """Every way the answer might name the person."""
    names = {case.person.name, case.person.name.split()[0], first_name(case)}
    return sorted(n for n in names if n)


def case_named_in(text: str, cases: Sequence[str]) -> str | None:
    """The one case whose person the answer names in a ``Person:`` or ``View: Person`` line."""
    wanted: list[str] = []
    for raw in text.splitlines():
        line = raw.strip().lower()
        if line.startswith("person:"):
            wanted.append(line.split(":", 1)[1].strip())
        elif line.startswith("view:") and "person" in line and "(" in line:
            wanted.append(line.split("(", 1)[1].rstrip(")").strip())
    if not wanted:
        return None
    found = []
    for case_id in cases:
        try:
            names = [n.lower() for n in names_of(scenario(case_id))]
        except Exception:
            continue
        if any(w == n or w.startswith(n + " ") for w in wanted for n in names):
            found.append(case_id)
    return found[0] if len(found) == 1 else None
