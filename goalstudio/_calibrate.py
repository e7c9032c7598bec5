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

from goalstudio._bounds import safe_yaml

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


def _read_file(path: Path, what: str) -> bytes:
    """At most MAX_MARKS_BYTES of the file, or an error that names it and says what to check."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_MARKS_BYTES + 1)
    except OSError as exc:
        raise CalibrationError(f"{path}: cannot be read ({exc.strerror}).") from None
    if len(data) > MAX_MARKS_BYTES:
        raise CalibrationError(f"{path} is larger than 5 MB; is this {what}?")
    return data


def read_marks(path: Path, assignment: str) -> list[Mark]:
    """One marker's CSV. Blank levels are skipped (not yet marked); anything else that is
    not a level from 0 to 3 is an error naming the line."""
    items = items_of(assignment)
    data = _read_file(path, "a marks file")
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


# -- the calibration set: practice submissions with reference levels --------------------------

PRACTICE_SET = Path(__file__).parent / "data" / "calibration_set.yaml"
VERSION_WORDS = {
    "deficit": "the case's deficit-led answer as it stands",
    "partial": "a half-way rewrite",
    "model": "the model answer",
}


@dataclass(frozen=True)
class Reference:
    level: int
    why: str


@dataclass(frozen=True)
class PracticeSubmission:
    """One practice submission: its id (what a marker writes in 'learner'), the case it was
    built from, which version of an answer it is, its answers and the reference levels."""

    id: str
    scenario: str
    version: str
    answers: dict[str, str]
    reference: dict[str, Reference]


def practice_set(assignment: str, path: Path = PRACTICE_SET) -> tuple[PracticeSubmission, ...]:
    """The practice submissions of one assignment, from the shipped set or a team's own copy.
    A copy that cannot be used is named with what to fix."""
    import yaml

    items = items_of(assignment)
    data = _read_file(path, "a calibration set")
    try:
        # Aliases and deep nesting are refused before any data is built: a team's copy is input.
        loaded = safe_yaml(data.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError, ValueError) as exc:
        raise CalibrationError(f"{path}: not a YAML calibration set ({exc}).") from None
    try:
        entries = loaded["assignments"][assignment]
        out = []
        for entry in entries:
            reference = {
                item: Reference(
                    int(entry["reference"][item]["level"]), str(entry["reference"][item]["why"])
                )
                for item in items
            }
            if any(r.level not in LEVELS for r in reference.values()):
                raise ValueError("a reference level is not 0 to 3")
            out.append(
                PracticeSubmission(
                    str(entry["id"]),
                    str(entry["scenario"]),
                    str(entry["version"]),
                    {str(k): str(v) for k, v in entry["answers"].items()},
                    reference,
                )
            )
    except (KeyError, TypeError, ValueError) as exc:
        raise CalibrationError(
            f"{path}: the practice submissions of {assignment} are not complete ({exc!s}). "
            "Each needs id, scenario, version, answers, and a level (0 to 3) and a why for "
            f"each of {', '.join(items)}."
        ) from None
    if not out:
        raise CalibrationError(f"{path} has no practice submissions for {assignment}.")
    return tuple(out)


def rubric_levels(assignment: str) -> dict[str, tuple[str, list[str]]]:
    """Each rubric item's question and level descriptions, read from the assignment notebook
    the course ships (so the practice sheet says exactly what the notebook says)."""
    import importlib.util
    import json

    spec = importlib.util.find_spec("goalstudio.course")
    folders = list(spec.submodule_search_locations or []) if spec else []
    out: dict[str, tuple[str, list[str]]] = {}
    for folder in folders:
        notebook = Path(folder) / "assignments" / assignment / f"{assignment}.ipynb"
        if not notebook.exists():
            continue
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if grade_id not in items_of(assignment):
                continue
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            lines = source.splitlines()
            title = lines[0].split(":", 1)[-1].strip() if lines else grade_id
            levels = [
                line.split("|")[2].strip()
                for line in lines
                if line.startswith("| ") and line.split("|")[1].strip().isdigit()
            ]
            out[grade_id] = (title, levels)
    return out


def practice_sheet(assignment: str, submissions: Sequence[PracticeSubmission]) -> str:
    """What a new marker reads: the rubric items' levels, then each submission's answers."""
    lines = [
        f"# Practice marking: {assignment}",
        "",
        f"Mark each of these {len(submissions)} submissions on the rubric items below, on your "
        "own, before you look at anyone else's marks. Write a level from 0 to 3 for each "
        "submission and item in your copy of the marks sheet, then run "
        f"`goalstudio workshop calibrate {assignment} --practice --marks YOUR-SHEET.csv` to see "
        "where your levels differ from the calibration set's reference levels, and why.",
        "",
        "Everyone in these submissions is fictional: each is built from one of the studio's "
        "case studies.",
        "",
    ]
    for item, (title, levels) in rubric_levels(assignment).items():
        lines += [f"## Rubric item `{item}`: {title}", ""]
        lines += [f"- **{n}**: {text}" for n, text in enumerate(levels)]
        lines.append("")
    for submission in submissions:
        lines += [f"## {submission.id}", ""]
        for kind, text in submission.answers.items():
            lines += [f"The answer ({kind}):", "", "```", text.rstrip(), "```", ""]
    return "\n".join(lines)


@dataclass(frozen=True)
class PracticeResult:
    """One marker's levels beside the reference levels."""

    marker: str
    rows: tuple[tuple[PracticeSubmission, str, int, Reference], ...]  # submission, item, level
    alpha: float | None  # the marker and the reference as two raters

    @property
    def same(self) -> int:
        return sum(1 for _s, _i, level, ref in self.rows if level == ref.level)

    @property
    def within_one(self) -> int:
        return sum(1 for _s, _i, level, ref in self.rows if abs(level - ref.level) <= 1)


def check_practice_marks(
    marks: Iterable[Mark], submissions: Sequence[PracticeSubmission], source: Path
) -> list[Mark]:
    """The marks, once each names a submission of the set."""
    known = {s.id for s in submissions}
    out = list(marks)
    for mark in out:
        if mark.learner not in known:
            raise CalibrationError(
                f"{source}: '{mark.learner}' is not a practice submission of this calibration "
                f"set; use the ids the practice template lists ({', '.join(sorted(known))})."
            )
    return out


def compare_practice(
    marks: Iterable[Mark], submissions: Sequence[PracticeSubmission]
) -> list[PracticeResult]:
    """Each marker's levels against the reference, in the set's order."""
    by_marker: dict[str, dict[tuple[str, str], int]] = defaultdict(dict)
    for mark in marks:
        by_marker[mark.marker][(mark.learner, mark.item)] = mark.level
    results = []
    for marker, given in sorted(by_marker.items()):
        rows = tuple(
            (submission, item, given[(submission.id, item)], reference)
            for submission in submissions
            for item, reference in submission.reference.items()
            if (submission.id, item) in given
        )
        matrix = [[float(r[2]) for r in rows], [float(r[3].level) for r in rows]]
        results.append(PracticeResult(marker, rows, alpha(matrix) if rows else None))
    return results


def practice_report(
    assignment: str,
    results: Sequence[PracticeResult],
    automatic: dict[str, list[str]],
) -> str:
    """Each marker's levels beside the reference, the reason for every reference they differ
    from, and the rubric's automatic checks on each submission."""
    lines = [f"Practice marking of {assignment} against the calibration set's reference levels."]
    for result in results:
        total = len(result.rows)
        lines += [
            "",
            f"{result.marker}: {result.same} of {total} levels the same as the reference, "
            f"{result.within_one} of {total} within one level.",
            f"  Krippendorff's alpha (ordinal) between {result.marker} and the reference: "
            f"{_shown(result.alpha)}",
        ]
        seen: list[str] = []
        for submission, item, level, reference in result.rows:
            if submission.id not in seen:
                seen.append(submission.id)
                words = VERSION_WORDS.get(submission.version, submission.version)
                lines += ["", f"  {submission.id}: {words} ({submission.scenario})"]
                checks = automatic.get(submission.id, [])
                if checks:
                    lines.append("    The rubric's automatic checks: " + "; ".join(checks) + ".")
            apart = level - reference.level
            if apart == 0:
                lines.append(f"    {item}: {result.marker} {level}, reference {level}: the same.")
                continue
            how = "above" if apart > 0 else "below"
            lines.append(
                f"    {item}: {result.marker} {level}, reference {reference.level} "
                f"({abs(apart)} level{'s' if abs(apart) > 1 else ''} {how}). "
                f"Why the reference is {reference.level}: {reference.why}"
            )
    lines += [
        "",
        "Talk through each difference with an experienced marker: what you could point to in "
        "the answer, and which level description it fits. The reference levels are where a "
        "discussion starts (the facilitator guide says how they were set), not a verdict.",
    ]
    return "\n".join(lines)
