"""The audit rounds over time: each round's profile and the change from one round to the next.

The facilitators' dashboard reads this, so it shows the same numbers as the audit report: the
same measures (``_measures``), and the same bootstrap interval for each change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from goalstudio.audit._measures import (
    MEASURES,
    Difference,
    Measure,
    compare,
    goal_profile,
    value,
    verdict_profile,
)
from goalstudio.records import AuditPlan, AuditRound, RecordNotFound, RecordStore

# What the dashboard follows over time: the five criteria, what the goals are about, language.
HEADLINE_MEASURES: tuple[Measure, ...] = tuple(
    m for m in MEASURES if m.id.startswith(("criterion:", "goals:", "language:"))
)


@dataclass(frozen=True)
class RoundProfile:
    """One round: its name, date and plan count; how many plans met, partly met and did not yet
    meet each criterion; how many goals were life outcomes, mixed, or about services; and the
    value of each headline measure (None where no plan gives it)."""

    round: AuditRound
    verdicts: dict[str, dict[str, int]]
    goals: dict[str, int]
    values: dict[str, float | None]
    read_in_part: int  # plans read only in part or statement by statement

    @property
    def date(self) -> str:
        return self.round.created_at[:10]


@dataclass(frozen=True)
class RoundChange:
    """The change on each headline measure from one round to the next, with its 95% interval."""

    before: str
    after: str
    differences: tuple[Difference, ...]


@dataclass(frozen=True)
class AuditHistory:
    rounds: tuple[RoundProfile, ...]  # oldest first
    changes: tuple[RoundChange, ...]  # one per pair of consecutive rounds


def profile(audit_round: AuditRound, plans: Sequence[AuditPlan]) -> RoundProfile:
    return RoundProfile(
        round=audit_round,
        verdicts=verdict_profile(plans),
        goals=goal_profile(plans),
        values={m.id: value(plans, m) for m in HEADLINE_MEASURES},
        read_in_part=sum(1 for p in plans if p.read != "full"),
    )


def audit_history(store: RecordStore) -> AuditHistory:
    """Every audit round in the store, oldest first, and the change between consecutive rounds
    that hold plans. A round removed while this reads is left out."""
    loaded: list[tuple[AuditRound, list[AuditPlan]]] = []
    for audit_round in store.audit_rounds():
        try:
            loaded.append((audit_round, store.audit_plans(audit_round.name)))
        except RecordNotFound:
            continue
    with_plans = [(r, plans) for r, plans in loaded if plans]  # a round may hold none
    changes = tuple(
        RoundChange(a.name, b.name, tuple(compare(pa, pb, HEADLINE_MEASURES)))
        for (a, pa), (b, pb) in pairwise(with_plans)
    )
    return AuditHistory(tuple(profile(r, plans) for r, plans in loaded), changes)
