"""Write each learner's feedback page into the course folder, and release them on a hub."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from ._course_folder import (
    CONFIG_NAME,
    Course,
    Progress,
    WorkshopError,
    known_assignment,
    log_tail,
)
from ._feedback import render_feedback


@dataclass
class FeedbackReport:
    assignment: str
    written: list[Path]
    skipped: list[str]
    released: str

    def summary(self) -> str:
        lines = [f"Feedback for '{self.assignment}': {len(self.written)} file(s) written."]
        lines += [f"  not written: {s}" for s in self.skipped]
        if self.released:
            lines.append(self.released)
        return "\n".join(lines)


def feedback(
    course: Course,
    assignment: str,
    *,
    release: bool = False,
    progress: Progress | None = None,
) -> FeedbackReport:
    """Write each learner's feedback page, and release it to the exchange on a hub."""
    known_assignment(course, assignment)
    autograded = course.root / "autograded"
    learners = sorted(p.name for p in autograded.glob("*") if (p / assignment).is_dir())
    written: list[Path] = []
    skipped: list[str] = []
    for number, learner in enumerate(learners, 1):
        try:
            written.extend(write_feedback(course, assignment, learner))
        except WorkshopError as exc:
            skipped.append(f"{learner}: {exc}")
        if progress:
            progress(number, len(learners), learner)
    released = ""
    if release:
        result = course.api().release_feedback(assignment)
        if not result["success"]:
            raise WorkshopError(
                "The feedback files are written, but releasing them to the nbgrader exchange "
                f"failed. Check c.Exchange.root in {CONFIG_NAME}.\n{log_tail(result)}"
            )
        released = "Released to the nbgrader exchange: learners fetch it with 'Fetch Feedback'."
    else:
        released = (
            f"Working locally: each learner's page is in {course.root / 'feedback'}/LEARNER/"
            f"{assignment}/. On a hub, run again with --release."
        )
    return FeedbackReport(assignment, written, skipped, released)


def write_feedback(course: Course, assignment: str, learner: str) -> list[Path]:
    """Write ``feedback/LEARNER/ASSIGNMENT/<notebook>.html`` and its ``timestamp.txt``."""
    from nbgrader.api import MissingEntry

    source_dir = course.path("autograded", learner, assignment)
    target = course.path("feedback", learner, assignment)
    notebooks = sorted(source_dir.glob("*.ipynb"))
    if not notebooks:
        raise WorkshopError("no graded notebook; run 'goalstudio workshop autograde' first.")
    target.mkdir(parents=True, exist_ok=True)
    written = []
    with course.gradebook() as gb:
        try:
            gb.find_submission(assignment, learner)
        except MissingEntry:
            raise WorkshopError("the gradebook has no graded submission for this learner") from None
        for path in notebooks:
            name = path.stem
            try:
                nb_record = gb.find_submission_notebook(name, assignment, learner)
            except MissingEntry:
                continue
            grades = {
                g.name: {
                    "score": g.score
                    if (g.auto_score is not None or g.manual_score is not None)
                    else None,
                    "max_score": g.max_score,
                }
                for g in nb_record.grades
            }
            comments = {
                c.name: (c.manual_comment or "") for c in nb_record.comments if c.manual_comment
            }
            page = render_feedback(
                json.loads(path.read_text(encoding="utf-8")),
                learner=learner,
                assignment=assignment,
                grades=grades,
                comments=comments,
                score=float(nb_record.score),
                max_score=float(nb_record.max_score),
                late_penalty=float(nb_record.late_submission_penalty or 0),
            )
            out = target / f"{name}.html"
            out.write_text(page, encoding="utf-8")
            written.append(out)
    stamp = source_dir / "timestamp.txt"
    if stamp.exists():
        shutil.copy2(stamp, target / "timestamp.txt")
    else:
        (target / "timestamp.txt").write_text("", encoding="utf-8")
    # nbgrader's exchange names released feedback by a hash keyed on this secret (written at
    # submission), so only the learner who submitted can find their page: keep it beside it.
    for folder in (source_dir, course.path("submitted", learner, assignment)):
        secret = folder / "submission_secret.txt"
        if secret.exists():
            shutil.copy2(secret, target / "submission_secret.txt")
            break
    return written
