"""Audit rounds built from the scenarios' plans, for the audit dashboard's tests.

Three rounds, as a team might run them: a baseline of the scenarios' deficit-led plans, a
mid-course round of half-way rewrites (the model rewrite with the old goals still beneath it),
and a follow-up of the model rewrites. Each is read by ``run_audit`` from a folder of files, as
`goalstudio audit run` reads a team's plans.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from goalstudio.audit import run_audit
from goalstudio.grading._simulate import partial_plan
from goalstudio.records import RecordStore
from goalstudio.scenarios import list_scenarios, load

ROUNDS = ("baseline", "mid-course", "follow-up")
# When each round was run, for pictures that read like a year's work (the store dates a round
# when it is first run, which in a test is now).
DATES = {"baseline": "2026-02-02", "mid-course": "2026-06-01", "follow-up": "2026-11-02"}


def _texts(version: str, count: int) -> dict[str, str]:
    out = {}
    for summary in list_scenarios()[:count]:
        case = load(summary.id)
        if version == "baseline":
            out[summary.id] = case.deficit_plan
        elif version == "mid-course":
            out[summary.id] = partial_plan(case)
        else:
            out[summary.id] = case.model_rewrite
    return out


def write_rounds(folder: Path, url: str, rounds: tuple[str, ...] = ROUNDS, count: int = 12) -> None:
    """Run each round over a folder of plan files into the store at ``url``."""
    with RecordStore(url) as store:
        for name in rounds:
            plans = folder / name
            plans.mkdir(parents=True, exist_ok=True)
            for case, text in _texts(name, count).items():
                (plans / f"{case}.txt").write_text(text, encoding="utf-8")
            run = run_audit(plans, name, store)
            assert run.read == count and not run.refused, (name, run)


def date_rounds(path: Path) -> None:
    """Give each round of the SQLite store at ``path`` its date from ``DATES``."""
    with sqlite3.connect(path) as conn:
        for name, day in DATES.items():
            conn.execute(
                "UPDATE audit_rounds SET created_at = ? WHERE name = ?", (f"{day}T10:00:00Z", name)
            )
    conn.close()
