"""Looking at submissions before and after grading: what a trainer should know, as notes."""

from __future__ import annotations

import json
import warnings
from typing import Any

from ._course_folder import Course


def submissions(course: Course, assignment: str) -> list[str]:
    folder = course.root / "submitted"
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if (p / assignment).is_dir())


def _released_notebook(course: Course, assignment: str, name: str) -> Any:
    import nbformat

    path = course.root / "release" / assignment / name
    if not path.is_file():
        return None
    return nbformat.read(path, as_version=nbformat.NO_CONVERT)


def precheck(course: Course, assignment: str, learner: str) -> tuple[bool, list[str]]:
    """Problems nbgrader would stop on or pass over silently, as notes. ``(gradable, notes)``."""
    import nbformat

    from ._rebuild import rebuild

    folder = course.path("submitted", learner, assignment)
    expected = sorted(p.name for p in (course.root / "release" / assignment).glob("*.ipynb"))
    notes: list[str] = []
    if learner != learner.strip() or not learner:
        return False, [
            "The learner folder name starts or ends with a space; nbgrader cannot tell it "
            "apart from the name without it. Rename the folder."
        ]
    present = sorted(p.name for p in folder.glob("*.ipynb"))
    if not present:
        return False, [
            f"No notebook was submitted (expected {', '.join(expected)}). Ask the learner to "
            "submit again."
        ]
    if not set(present) & set(expected):
        others = [
            p.parent.name
            for name in present
            for p in (course.root / "source").glob(f"*/{name}")
            if p.parent.name != assignment
        ]
        hint = f" It looks like assignment '{others[0]}'." if others else ""
        return False, [
            f"The submission holds {', '.join(present)}, not {', '.join(expected)}: this is "
            f"not assignment '{assignment}'.{hint} Ask the learner to submit the right one."
        ]
    if not (folder / "timestamp.txt").exists():
        notes.append(
            "No submission time was recorded (timestamp.txt is missing), so it is treated as "
            "on time."
        )
    for name in sorted(set(present) & set(expected)):
        path = folder / name
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                nb = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
            cells = nb["cells"]
        except Exception:
            return False, [
                f"{name} is not a notebook that can be opened (it may be damaged or empty). "
                "Ask the learner to submit it again from Jupyter."
            ]
        released = _released_notebook(course, assignment, name)
        if released is not None:
            # What grading will leave out of this file (it grades the released notebook
            # with only the answer texts taken from the learner's file).
            notes.extend(rebuild(released, nb).notes())
        answers = [c for c in cells if c.get("metadata", {}).get("nbgrader", {}).get("solution")]
        if answers and all(_unchanged_answer(c, course, assignment) for c in answers):
            notes.append("No answer was written: every answer cell is as it was released.")
    return True, notes


def _unchanged_answer(cell: Any, course: Course, assignment: str) -> bool:
    grade_id = cell["metadata"]["nbgrader"].get("grade_id")
    for notebook in (course.root / "release" / assignment).glob("*.ipynb"):
        data = json.loads(notebook.read_text(encoding="utf-8"))
        for original in data.get("cells", []):
            if original.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
                source = original.get("source", "")
                text = "".join(source) if isinstance(source, list) else source
                mine = cell.get("source", "")
                mine = "".join(mine) if isinstance(mine, list) else mine
                return bool(text.strip() == mine.strip())
    return False


def postcheck(course: Course, assignment: str, learner: str, timeout: int) -> list[str]:
    """What happened while the notebook ran: errors, time-outs, and answers about another case."""
    from ._case import all_cases, choose
    from ._result import RESULT_MIME

    notes = []
    for path in sorted(course.path("autograded", learner, assignment).glob("*.ipynb")):
        data = json.loads(path.read_text(encoding="utf-8"))
        graded_on = {
            str(output.get("data", {}).get(RESULT_MIME, {}).get("case", ""))
            for cell in data.get("cells", [])
            for output in cell.get("outputs", [])
            if isinstance(output.get("data", {}).get(RESULT_MIME), dict)
        } - {""}
        given = choose(learner, assignment, all_cases()) if graded_on else ""
        if graded_on - {given}:
            notes.append(
                f"The answer is about case {', '.join(sorted(graded_on - {given}))}, not the "
                f"case this learner was given ({given}), and was checked against it. Check the "
                "learner id matches the one they used, and that the answer is their own."
            )
        for number, cell in enumerate(data.get("cells", []), 1):
            meta = cell.get("metadata", {}).get("nbgrader", {})
            for output in cell.get("outputs", []):
                if output.get("output_type") != "error":
                    continue
                name = output.get("ename", "an error")
                where = "a check" if meta.get("grade") and not meta.get("solution") else "a cell"
                if name in ("CellTimeoutError", "KeyboardInterrupt"):  # stopped at the time limit
                    notes.append(
                        f"{where.capitalize()} (cell {number}) ran for more than {timeout} s "
                        "and was stopped; the rest of the notebook was still graded."
                    )
                else:
                    notes.append(
                        f"{where.capitalize()} (cell {number}) stopped with {name}; the rest "
                        "of the notebook was still graded."
                    )
                break
    return notes
