"""Marker calibration: do two or more facilitators give the same levels on the rubric items?

Each marker fills a CSV (``marker,learner,item,level``) for the same submissions; agreement is
Krippendorff's alpha for ordinal data (the ``krippendorff`` package), per rubric item and over
all items, and every submission and item where markers are more than one level apart is listed.
"""

from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

# The manually marked rubric items of assignments 2 to 4 (course/assignments/build_sources.py),
# each scored 0 to 3.
MANUAL_ITEMS: dict[str, tuple[str, ...]] = {
    "02-rewrite-the-plan": ("meaning", "usable"),
    "03-negotiated-plan": ("fair-views", "negotiation"),
    "04-risk-decision": ("balance", "shared-safety"),
}
LEVELS = (0, 1, 2, 3)
COLUMNS = ("marker", "learner", "item", "level")
MAX_MARKS_BYTES = 5_000_000


class CalibrationError(ValueError):
    """Marks that cannot be used as they are; the message names the file, the line and the fix."""


@dataclass(frozen=True)
class Mark:
    marker: str
    learner: str
    item: str
    level: int


@dataclass(frozen=True)
class Disagreement:
    learner: str
    item: str
    levels: dict[str, int]  # marker -> level

    @property
    def spread(self) -> int:
        return max(self.levels.values()) - min(self.levels.values())


@dataclass(frozen=True)
class Calibration:
    assignment: str
    markers: tuple[str, ...]
    learners: tuple[str, ...]
    alpha: dict[str, float | None]  # item -> alpha (None when it cannot be computed)
    overall: float | None
    disagreements: tuple[Disagreement, ...]


def items_of(assignment: str) -> tuple[str, ...]:
    try:
        return MANUAL_ITEMS[assignment]
    except KeyError:
        raise CalibrationError(
            f"{assignment} has no rubric items marked by hand; calibrate one of "
            f"{', '.join(MANUAL_ITEMS)}"
        ) from None


def template(assignment: str, learners: Iterable[str]) -> str:
    """A CSV for one marker to fill: a row per learner and rubric item, level left blank."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    names = sorted(set(learners)) or ["LEARNER"]
    for learner in names:
        for item in items_of(assignment):
            writer.writerow(["YOUR NAME", learner, item, ""])
    return out.getvalue()


def read_marks(path: Path, assignment: str) -> list[Mark]:
    """One marker's CSV. Blank levels are skipped (not yet marked); anything else that is
    not a level from 0 to 3 is an error naming the line."""
    items = items_of(assignment)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_MARKS_BYTES + 1)
    except OSError as exc:
        raise CalibrationError(f"{path}: cannot be read ({exc.strerror}).") from None
    if len(data) > MAX_MARKS_BYTES:
        raise CalibrationError(f"{path} is larger than 5 MB; is this a marks file?")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CalibrationError(
            f"{path}: byte {exc.start} is not UTF-8 text. Save the file as CSV UTF-8."
        ) from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise CalibrationError(
            f"{path}, line 1: the columns {', '.join(missing)} are missing; the first line "
            f"must be {','.join(COLUMNS)} (write a template with --template)."
        )
    marks = []
    for row in reader:
        line = reader.line_num
        marker, learner = (row["marker"] or "").strip(), (row["learner"] or "").strip()
        item, level = (row["item"] or "").strip(), (row["level"] or "").strip()
        if not level:
            continue
        if not marker or marker == "YOUR NAME":
            raise CalibrationError(f"{path}, line {line}: write the marker's name in 'marker'.")
        if item not in items:
            raise CalibrationError(
                f"{path}, line {line}: item {item!r} is not a rubric item of {assignment}; "
                f"use one of {', '.join(items)}."
            )
        if level not in {str(v) for v in LEVELS}:
            raise CalibrationError(
                f"{path}, line {line}: level {level!r} must be a whole number from 0 to 3."
            )
        marks.append(Mark(marker, learner, item, int(level)))
    return marks


def alpha(matrix: Sequence[Sequence[float]], value_domain: Sequence[int] = LEVELS) -> float | None:
    """Krippendorff's alpha (ordinal; levels 0 to 3 unless told) of a markers x units matrix
    (NaN: not marked). None when there is nothing to compare: no unit with two marks, or
    every mark the same level (no variation, so agreement cannot be told from chance)."""
    import krippendorff
    import numpy as np

    data = np.array(matrix, dtype=float)
    pairable = (np.sum(~np.isnan(data), axis=0) >= 2).sum() if data.size else 0
    values = data[~np.isnan(data)]
    if pairable == 0 or len(set(values.tolist())) < 2:
        return None
    result = float(
        krippendorff.alpha(
            reliability_data=data, value_domain=list(value_domain), level_of_measurement="ordinal"
        )
    )
    return None if math.isnan(result) else result


def calibrate(marks: Iterable[Mark], assignment: str) -> Calibration:
    items = items_of(assignment)
    levels: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)  # (learner, item)
    markers: set[str] = set()
    for mark in marks:
        levels[(mark.learner, mark.item)][mark.marker] = mark.level
        markers.add(mark.marker)
    ordered = tuple(sorted(markers))
    learners = tuple(sorted({learner for learner, _ in levels}))

    def matrix(units: list[tuple[str, str]]) -> list[list[float]]:
        return [[float(levels[u].get(m, math.nan)) for u in units] for m in ordered]

    per_item = {
        item: alpha(matrix([(learner, item) for learner in learners if (learner, item) in levels]))
        for item in items
    }
    overall = alpha(matrix(sorted(levels)))
    apart = tuple(
        Disagreement(learner, item, dict(sorted(given.items())))
        for (learner, item), given in sorted(levels.items())
        if len(given) >= 2 and max(given.values()) - min(given.values()) > 1
    )
    return Calibration(assignment, ordered, learners, per_item, overall, apart)


def _shown(value: float | None) -> str:
    return "not enough marks to tell" if value is None else f"{value:.3f}"


def report(result: Calibration) -> str:
    """The calibration as plain text for the facilitators."""
    lines = [
        f"Calibration of {result.assignment}: {len(result.markers)} markers "
        f"({', '.join(result.markers)}), {len(result.learners)} submissions.",
        "",
        "Krippendorff's alpha (ordinal): 1 is perfect agreement, 0 is what chance would give.",
    ]
    for item, value in result.alpha.items():
        lines.append(f"  {item}: {_shown(value)}")
    lines.append(f"  all items: {_shown(result.overall)}")
    lines.append("")
    if result.disagreements:
        lines.append(f"More than one level apart ({len(result.disagreements)}): talk these through")
        for d in result.disagreements:
            given = ", ".join(f"{m} {v}" for m, v in d.levels.items())
            lines.append(f"  {d.learner}, {d.item}: {given}")
    else:
        lines.append("No submission has markers more than one level apart.")
    return "\n".join(lines)


# -- gradebooks and the rubric's automatic verdicts -------------------------------------------


def marks_from_gradebook(
    rows: Iterable[dict[str, object]], assignment: str, marker: str
) -> list[Mark]:
    """A marker's levels from their gradebook's rows (``goalstudio.grading.gradebook_frame``
    as records): the manual rubric items of the assignment that they have scored."""
    items = items_of(assignment)
    marks = []
    for row in rows:
        score = row.get("manual_score")
        if row.get("assignment") != assignment or row.get("criterion") not in items:
            continue
        if not isinstance(score, int | float) or math.isnan(score):
            continue  # not marked yet
        level = round(float(score))
        if level in LEVELS:
            marks.append(Mark(marker, str(row["learner"]), str(row["criterion"]), level))
    return marks


def automatic_shares(rows: Iterable[dict[str, object]], assignment: str) -> dict[str, float]:
    """Each learner's share of the automatic checks' points on the assignment (0 to 1)."""
    got: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for row in rows:
        if row.get("assignment") != assignment or row.get("kind") != "auto":
            continue
        score, most = row.get("score"), row.get("max_score")
        if isinstance(score, int | float) and isinstance(most, int | float) and most > 0:
            got[str(row["learner"])][0] += float(score)
            got[str(row["learner"])][1] += float(most)
    return {learner: s / m for learner, (s, m) in got.items() if m > 0}


@dataclass(frozen=True)
class AutomaticComparison:
    """The markers' consensus (median level over markers, mean over items, 0 to 3) beside the
    rubric's automatic share for each learner, and their rank correlation (Spearman)."""

    rows: tuple[tuple[str, float, float], ...]  # learner, consensus, automatic share
    spearman: float | None


def _ranks(values: Sequence[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1  # ties share the mean rank
        i = j + 1
    return ranks


def compare_automatic(marks: Iterable[Mark], shares: dict[str, float]) -> AutomaticComparison:
    import statistics

    by_unit: dict[tuple[str, str], list[int]] = defaultdict(list)
    for mark in marks:
        by_unit[(mark.learner, mark.item)].append(mark.level)
    per_learner: dict[str, list[float]] = defaultdict(list)
    for (learner, _item), levels in by_unit.items():
        per_learner[learner].append(float(statistics.median(levels)))
    rows = tuple(
        (learner, statistics.fmean(levels), shares[learner])
        for learner, levels in sorted(per_learner.items())
        if learner in shares
    )
    spearman = None
    if len(rows) >= 3:
        a, b = _ranks([r[1] for r in rows]), _ranks([r[2] for r in rows])
        if len(set(a)) > 1 and len(set(b)) > 1:
            spearman = statistics.correlation(a, b)
    return AutomaticComparison(rows, spearman)


def automatic_report(comparison: AutomaticComparison) -> str:
    if not comparison.rows:
        return "The rubric's automatic checks: no graded submission matches the marks."
    lines = [
        "The markers' consensus beside the rubric's automatic checks:",
        "  learner: consensus level (0-3), automatic checks (% of points)",
    ]
    for learner, consensus, share in comparison.rows:
        lines.append(f"  {learner}: {consensus:.1f}, {share:.0%}")
    if comparison.spearman is None:
        lines.append("  Rank correlation: needs three or more submissions that differ.")
    else:
        lines.append(
            f"  Rank correlation (Spearman): {comparison.spearman:.2f}. The automatic checks read "
            "the wording; the rubric items judge meaning, so expect them to agree only in part."
        )
    return "\n".join(lines)
