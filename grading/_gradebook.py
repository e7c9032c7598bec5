"""The nbgrader gradebook as tidy pandas frames, and an LMS-ready CSV.

``gradebook_frame(course_dir)`` has one row per learner, assignment, notebook and criterion
(each graded cell is one criterion: a check or a rubric item). ``grades_table`` widens it to one
row per learner with a column per assignment and criterion, which most LMS gradebooks import.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

COLUMNS = [
    "learner",
    "assignment",
    "notebook",
    "criterion",
    "kind",
    "score",
    "max_score",
    "auto_score",
    "manual_score",
    "needs_manual_grade",
    "late_penalty",
    "submitted_at",
]


def gradebook_frame(course_dir: str | Path) -> Any:
    """Every grade in the course's gradebook: learner x assignment x criterion, one per row."""
    import pandas as pd

    from ._course_folder import WorkshopError, open_course

    course = open_course(Path(course_dir))
    here = course.db_url.startswith(f"sqlite:///{course.db_path}?")  # not one set elsewhere
    if here and not course.db_path.exists():
        raise WorkshopError(
            f"{course.db_path} does not exist yet: run 'goalstudio workshop assign' first."
        )
    rows: list[dict[str, Any]] = []
    with course.gradebook() as gb:
        for assignment in gb.assignments:
            for submission in assignment.submissions:
                for notebook in submission.notebooks:
                    penalty = float(notebook.late_submission_penalty or 0)
                    for grade in notebook.grades:
                        kind = _kind(grade.cell)
                        rows.append(
                            {
                                "learner": submission.student.id,
                                "assignment": assignment.name,
                                "notebook": notebook.name,
                                "criterion": grade.name,
                                "kind": kind,
                                "score": float(grade.score),
                                "max_score": float(grade.max_score),
                                "auto_score": grade.auto_score,
                                "manual_score": grade.manual_score,
                                "needs_manual_grade": bool(grade.needs_manual_grade),
                                "late_penalty": penalty,
                                "submitted_at": submission.timestamp,
                            }
                        )
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame = frame.astype(
        {
            "score": "float64",
            "max_score": "float64",
            "auto_score": "float64",
            "manual_score": "float64",
            "late_penalty": "float64",
            "needs_manual_grade": "bool",
        }
    )
    return frame.sort_values(["learner", "assignment", "notebook", "criterion"]).reset_index(
        drop=True
    )


def gradebook_scores(course_dir: str | Path | None) -> tuple[Any | None, str]:
    """Per learner and assignment: score, max_score and percent from the nbgrader gradebook.

    Returns ``(None, why)`` when there is no gradebook to read, so a dashboard can say why.
    """
    if not course_dir:
        return None, "No gradebook folder was given (goalstudio dashboard --gradebook DIR)."
    try:
        frame = gradebook_frame(course_dir)
    except Exception as exc:  # any failure reading the gradebook: show why, keep the dashboard
        return None, f"The gradebook in {course_dir} cannot be read yet: {exc}"
    if frame.empty:
        return None, f"The gradebook in {course_dir} has no grades yet."
    out = frame.groupby(["learner", "assignment"], as_index=False).agg(
        score=("score", "sum"), max_score=("max_score", "sum")
    )
    percent = (100.0 * out["score"] / out["max_score"].where(out["max_score"] > 0)).round(1)
    return out.assign(percent=percent), ""


def _kind(cell: Any) -> str:
    """'auto' for an autograded check, 'manual' for a rubric item a marker scores."""
    from nbgrader.api import TaskCell

    if isinstance(cell, TaskCell) or cell.cell_type == "markdown":
        return "manual"
    return "auto"


def grades_table(course_dir: str | Path) -> Any:
    """One row per learner; a column per ``assignment:criterion``, per assignment, and a total."""
    import pandas as pd

    frame = gradebook_frame(course_dir)
    if frame.empty:
        return pd.DataFrame(columns=["learner", "total", "max_total"])
    frame = frame.assign(column=frame["assignment"] + ":" + frame["criterion"])
    wide = frame.pivot_table(index="learner", columns="column", values="score", aggfunc="sum")
    per_assignment = frame.groupby(["learner", "assignment"])["score"].sum().unstack()
    penalties = (
        frame.drop_duplicates(["learner", "assignment", "notebook"])
        .groupby(["learner", "assignment"])["late_penalty"]
        .sum()
        .unstack()
        .reindex_like(per_assignment)
        .fillna(0)
    )
    per_assignment = per_assignment - penalties
    maxima = (
        frame.drop_duplicates(["assignment", "notebook", "criterion"])
        .groupby("assignment")["max_score"]
        .sum()
    )
    per_assignment.columns = [f"{a}:total" for a in per_assignment.columns]
    out = pd.concat([per_assignment, wide], axis=1)
    out = out[sorted(out.columns)]
    out["total"] = per_assignment.sum(axis=1)
    out["max_total"] = float(maxima.sum())
    manual = frame.groupby("learner")["needs_manual_grade"].any()
    out["needs_manual_grading"] = manual.reindex(out.index).fillna(False).astype(bool)
    return out.reset_index()


def write_grades_csv(course_dir: str | Path, path: str | Path | None = None) -> str:
    """The grades table as CSV text; also written to ``path`` when given."""
    table = grades_table(course_dir)
    text: str = table.to_csv(index=False, float_format="%g")
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text
