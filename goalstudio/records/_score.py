"""A review's score from 0 to 1: one rule for the store, its import and its review check."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from goalstudio._vocabulary import VERDICT_SCORES


def score_from_review(review: Mapping[str, Any]) -> float | None:
    """A score from 0 to 1: ``review["score"]`` if given, else the mean of the verdicts
    (met = 1, partly = 0.5, not met = 0). ``verdicts`` may map criterion to verdict or be a list
    of ``{"criterion", "verdict"}``. None when the review holds neither."""
    given = review.get("score")
    if isinstance(given, int | float) and not isinstance(given, bool):
        return float(given)
    verdicts = review.get("verdicts")
    values: list[object] = []
    if isinstance(verdicts, Mapping):
        values = list(verdicts.values())
    elif isinstance(verdicts, list):
        values = [v.get("verdict") for v in verdicts if isinstance(v, Mapping)]
    values = [v.get("verdict") if isinstance(v, Mapping) else v for v in values]
    points = [VERDICT_SCORES[v] for v in values if isinstance(v, str) and v in VERDICT_SCORES]
    return sum(points) / len(points) if points else None
