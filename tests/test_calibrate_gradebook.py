"""`workshop calibrate --gradebook` against real nbgrader gradebooks (issue 18 §2).

Each marker has their own course folder, made by `workshop init`, whose gradebook.db is written
with nbgrader's own Gradebook API: the assignment's real graded cells (read from the source
notebook `init` copied), submissions, the automatic checks' scores, and the levels each marker
gave on the manual rubric items. Nothing is mocked: the command reads the files nbgrader wrote.
"""

from __future__ import annotations

import json
import os
import sys
import warnings
from pathlib import Path

import pytest

from goalstudio import cli
from goalstudio._calibrate import Mark, alpha

pytestmark = pytest.mark.slow  # nbgrader runs its alembic helper to make each gradebook

ASSIGNMENT = "02-rewrite-the-plan"
# The levels each marker gave (None: not marked yet), per learner, on (meaning, usable).
LEVELS: dict[str, dict[str, tuple[int | None, int | None]]] = {
    "Ana": {"kit": (3, 2), "sam": (0, 1), "lee": (2, 2), "jo": (1, 0)},
    "Ben": {"kit": (3, 3), "sam": (0, 0), "lee": (0, 2), "jo": (1, None)},
}
# The automatic checks' points (the same in every marker's copy: one autograde run).
AUTO = {"kit": 1.0, "sam": 0.0, "lee": 0.5, "jo": 0.25}


def _graded_cells(course: Path) -> list[dict[str, object]]:
    notebook = course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    out = []
    for cell in cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("points"):
            out.append({"type": cell["cell_type"], **meta})
    return out


def _marker_course(root: Path, marker: str) -> Path:
    from nbgrader.api import Gradebook

    course = root / marker.lower()
    assert cli.main(["workshop", "init", str(course), "--course", "calibration"]) == 0
    cells = _graded_cells(course)
    manual = {str(c["grade_id"]) for c in cells if c.get("task")}
    assert manual == {"meaning", "usable"}  # the rubric items the calibration reads
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "calibration") as gb:
        gb.update_or_create_assignment(ASSIGNMENT)
        gb.update_or_create_notebook(ASSIGNMENT, ASSIGNMENT)
        for cell in cells:
            name, points = str(cell["grade_id"]), float(str(cell["points"]))
            if cell.get("task"):
                gb.update_or_create_task_cell(
                    name, ASSIGNMENT, ASSIGNMENT, max_score=points, cell_type="markdown"
                )
            else:
                gb.update_or_create_grade_cell(
                    name, ASSIGNMENT, ASSIGNMENT, max_score=points, cell_type="code"
                )
        for learner, (meaning, usable) in LEVELS[marker].items():
            gb.update_or_create_student(learner)
            with warnings.catch_warnings():  # nbgrader's own autoflush notice, as in autograde
                warnings.filterwarnings("ignore", message=".*not in session.*")
                gb.add_submission(ASSIGNMENT, learner)
            for cell in cells:
                name = str(cell["grade_id"])
                grade = gb.find_grade(name, ASSIGNMENT, ASSIGNMENT, learner)
                if name == "meaning":
                    grade.manual_score = meaning
                elif name == "usable":
                    grade.manual_score = usable
                else:
                    grade.auto_score = AUTO[learner] * float(str(cell["points"]))
            gb.db.commit()
    return course


@pytest.fixture(scope="module")
def courses(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("markers")
    old = os.environ.get("PATH", "")
    os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + old  # nbgrader's alembic
    try:
        return {marker: _marker_course(root, marker) for marker in LEVELS}
    finally:
        os.environ["PATH"] = old


def test_calibrate_reads_each_markers_levels_from_their_gradebook(
    courses: dict[str, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    # Run as a trainer would: from a folder that is not a course, with only the system's tools
    # on PATH (reading a gradebook must not need nbgrader's 'alembic' helper).
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    monkeypatch.chdir(tmp_path)
    given = [f"{marker}={folder}" for marker, folder in courses.items()]
    capsys.readouterr()
    assert cli.main(["workshop", "calibrate", ASSIGNMENT, "--gradebook", *given]) == 0
    report = capsys.readouterr().out

    # The levels as the markers gave them; jo's 'usable' is not marked by Ben, so it is left out.
    marks = [
        Mark(marker, learner, item, level)
        for marker, by_learner in LEVELS.items()
        for learner, levels in by_learner.items()
        for item, level in zip(("meaning", "usable"), levels, strict=True)
        if level is not None
    ]
    learners = ["jo", "kit", "lee", "sam"]

    def row(marker: str, item: str) -> list[float]:
        index = ("meaning", "usable").index(item)
        levels = [LEVELS[marker][learner][index] for learner in learners]
        return [float("nan") if v is None else float(v) for v in levels]

    meaning = alpha([row("Ana", "meaning"), row("Ben", "meaning")])
    usable = alpha([row("Ana", "usable"), row("Ben", "usable")])
    assert meaning is not None and usable is not None
    assert len(marks) == 15
    assert "2 markers (Ana, Ben), 4 submissions" in report
    assert f"meaning: {meaning:.3f}" in report
    assert f"usable: {usable:.3f}" in report
    # lee's meaning: Ana 2, Ben 0 is the one disagreement of more than one level.
    assert "More than one level apart (1)" in report
    assert "lee, meaning: Ana 2, Ben 0" in report
    # The automatic checks (read from the first marker's gradebook, as none is in --dir).
    assert "jo: 0.5, 25%" in report  # consensus: meaning 1, usable 0 (Ana only): mean 0.5
    assert "kit: 2.8, 100%" in report  # meaning 3, usable median(2, 3) = 2.5: mean 2.75
    assert "Rank correlation (Spearman): 1.00" in report


def test_a_marker_without_a_gradebook_gets_a_clear_message(
    courses: dict[str, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    empty = tmp_path / "ben-course"
    assert cli.main(["workshop", "init", str(empty), "--course", "calibration"]) == 0
    capsys.readouterr()
    code = cli.main(
        [
            "workshop",
            "calibrate",
            ASSIGNMENT,
            "--gradebook",
            f"Ana={courses['Ana']}",
            f"Ben={empty}",
        ]
    )
    assert code == 1
    error = capsys.readouterr().err
    assert "gradebook.db does not exist yet" in error
    assert "Traceback" not in error
