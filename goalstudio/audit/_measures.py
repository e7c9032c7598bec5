"""The measures of an audit round, and the difference between two rounds with a bootstrap CI.

Every measure is a ratio of sums over plans (for example language findings over thousands of
words), so plans of different lengths weigh as their size. The confidence interval resamples
whole plans, with replacement, within each round: a plan is the unit the team wrote.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from goalstudio.records import AuditPlan
from goalstudio.rubric import CHART_ITEMS, CRITERIA, CRITERION_TITLES, VERDICT_SCORES, VERDICTS

BOOTSTRAP_SAMPLES = 2000
SEED = 20261206  # a fixed seed: the same rounds always give the same report


@dataclass(frozen=True)
class Measure:
    """One measure: its id, a plain title, the unit shown, and how to read it from a plan
    (numerator, denominator); a plan the measure does not apply to gives (0, 0)."""

    id: str
    title: str
    unit: str  # "share" (shown as a percentage) or "rate"
    higher_is_better: bool
    part: Callable[[dict[str, Any], int], tuple[float, float]]


def _criterion(name: str) -> Callable[[dict[str, Any], int], tuple[float, float]]:
    def part(summary: dict[str, Any], _words: int) -> tuple[float, float]:
        verdict = summary.get("verdicts", {}).get(name)
        return (VERDICT_SCORES[verdict], 1.0) if verdict in VERDICT_SCORES else (0.0, 0.0)

    return part


def _goal_share(label: str) -> Callable[[dict[str, Any], int], tuple[float, float]]:
    def part(summary: dict[str, Any], _words: int) -> tuple[float, float]:
        goals = summary.get("goals", {})
        return float(goals.get(label, 0)), float(sum(goals.values()))

    return part


def _language(summary: dict[str, Any], words: int) -> tuple[float, float]:
    return float(summary.get("language", {}).get("count", 0)), words / 1000


def _deficit_statements(summary: dict[str, Any], _words: int) -> tuple[float, float]:
    labels = summary.get("labels", {})
    return float(labels.get("deficit_led", 0)), float(sum(labels.values()))


def _chart_yes(item: str) -> Callable[[dict[str, Any], int], tuple[float, float]]:
    def part(summary: dict[str, Any], _words: int) -> tuple[float, float]:
        answer = summary.get("chart", {}).get(item)
        return (1.0 if answer == "yes" else 0.0, 1.0) if answer else (0.0, 0.0)

    return part


MEASURES: tuple[Measure, ...] = (
    *(
        Measure(f"criterion:{c}", CRITERION_TITLES[c], "share", True, _criterion(c))
        for c in CRITERIA
    ),
    Measure(
        "goals:life_outcomes",
        "Goals that are life outcomes (person-centred)",
        "share",
        True,
        _goal_share("person_centred"),
    ),
    Measure(
        "goals:service",
        "Goals about services or compliance (deficit-led)",
        "share",
        False,
        _goal_share("deficit_led"),
    ),
    Measure(
        "statements:deficit_led",
        "Statements that are deficit-led",
        "share",
        False,
        _deficit_statements,
    ),
    Measure(
        "language:per_1000",
        "Language findings per 1,000 words",
        "rate",
        False,
        _language,
    ),
    *(
        Measure(f"chart:{item}", f"COCAPP: {question}", "share", True, _chart_yes(item))
        for item, question in CHART_ITEMS
    ),
)


def _parts(plans: Sequence[AuditPlan], measure: Measure) -> np.ndarray:
    return np.array([measure.part(p.summary, p.words) for p in plans], dtype=float).reshape(-1, 2)


def value(plans: Sequence[AuditPlan], measure: Measure) -> float | None:
    """The measure over a round's plans; None when no plan gives it."""
    parts = _parts(plans, measure)
    total = parts[:, 1].sum()
    return float(parts[:, 0].sum() / total) if total > 0 else None


@dataclass(frozen=True)
class Difference:
    """Round ``b`` minus round ``a`` on one measure, with its 95% bootstrap interval."""

    measure: Measure
    a: float | None
    b: float | None
    difference: float | None
    low: float | None
    high: float | None

    @property
    def clear(self) -> bool:
        """The interval leaves out zero: a change the data show, not just noise."""
        return self.low is not None and self.high is not None and (self.low > 0 or self.high < 0)


def _boot(parts: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    n = len(parts)
    picks = rng.integers(0, n, size=(BOOTSTRAP_SAMPLES, n))
    sums = parts[picks].sum(axis=1)  # (samples, 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(sums[:, 0] / sums[:, 1])


def compare(
    a: Sequence[AuditPlan], b: Sequence[AuditPlan], measures: Sequence[Measure] = MEASURES
) -> list[Difference]:
    """The difference (b - a) on each measure with a 95% percentile bootstrap interval."""
    rng = np.random.default_rng(SEED)
    out = []
    for measure in measures:
        va, vb = value(a, measure), value(b, measure)
        if va is None or vb is None:
            out.append(Difference(measure, va, vb, None, None, None))
            continue
        pa, pb = _parts(a, measure), _parts(b, measure)
        pa, pb = pa[pa[:, 1] > 0], pb[pb[:, 1] > 0]
        diffs = _boot(pb, rng) - _boot(pa, rng)
        diffs = diffs[np.isfinite(diffs)]
        low, high = np.percentile(diffs, [2.5, 97.5])
        out.append(Difference(measure, va, vb, vb - va, float(low), float(high)))
    return out


def verdict_profile(plans: Sequence[AuditPlan]) -> dict[str, dict[str, int]]:
    """How many plans met, partly met and did not yet meet each criterion."""
    profile: dict[str, dict[str, int]] = {c: dict.fromkeys(VERDICTS, 0) for c in CRITERIA}
    for plan in plans:
        for criterion, verdict in plan.summary.get("verdicts", {}).items():
            if criterion in profile and verdict in profile[criterion]:
                profile[criterion][verdict] += 1
    return profile


def chart_profile(plans: Sequence[AuditPlan]) -> dict[str, dict[str, int]]:
    """How many plans got each suggested answer on each COCAPP item."""
    profile = {item: {"yes": 0, "no": 0, "unclear": 0} for item, _ in CHART_ITEMS}
    for plan in plans:
        for item, answer in plan.summary.get("chart", {}).items():
            if item in profile and answer in profile[item]:
                profile[item][answer] += 1
    return profile


def goal_profile(plans: Sequence[AuditPlan]) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for plan in plans:
        counts.update(plan.summary.get("goals", {}))
    return {k: counts[k] for k in ("person_centred", "mixed", "deficit_led")}


def common_phrases(plans: Sequence[AuditPlan], top: int = 10) -> list[tuple[str, int]]:
    """The deficit phrases found in most plans, with how many plans use each (ties in
    alphabetical order, so the same rounds always give the same list)."""
    counts: Counter[str] = Counter()
    for plan in plans:
        counts.update(set(plan.summary.get("language", {}).get("phrases", [])))
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]


def needs_work(plans: Sequence[AuditPlan], top: int = 10) -> list[dict[str, Any]]:
    """The statements that most need work: deficit-led first, then by the warnings on them."""
    rank = {"deficit_led": 0, "mixed": 1}
    found: dict[str, dict[str, Any]] = {}  # the same wording in several plans is shown once
    for plan in plans:
        for item in plan.summary.get("needs_work", []):
            key = " ".join(str(item.get("text", "")).lower().split())
            if key in found:
                found[key]["sources"].append(plan.source)
            else:
                found[key] = {**item, "sources": [plan.source]}
    ranked = sorted(
        found.values(),
        key=lambda i: (
            rank.get(i.get("label", ""), 2),
            -int(i.get("warnings", 0)),
            -len(i["sources"]),
        ),
    )
    return ranked[:top]
