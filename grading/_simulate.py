"""Made-up submissions, for trying a course folder end to end before real learners arrive.

``simulate_submission`` fills the answer cells of the learner version with the given text and
files it under ``submitted/LEARNER/ASSIGNMENT/`` as nbgrader expects, with a timestamp. The
tests and the autograde benchmark use it; a trainer can use it to rehearse a workshop.
"""

from __future__ import annotations

import copy
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ._case import choose, scenario
from ._course_folder import Course


def fill_answers(notebook: dict[str, Any], answers: dict[str, str]) -> dict[str, Any]:
    """A copy of ``notebook`` with each ``%%answer KIND`` cell's text replaced."""
    out = copy.deepcopy(notebook)
    for cell in out.get("cells", []):
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        first, _, _rest = source.partition("\n")
        if cell.get("cell_type") == "code" and first.startswith("%%answer"):
            kind = (first.split()[1:] or ["plan"])[0]
            if kind in answers:
                cell["source"] = f"{first}\n{answers[kind]}"
    return out


def simulate_submission(
    course: Course,
    assignment: str,
    learner: str,
    answers: dict[str, str],
    *,
    timestamp: datetime | None = None,
    with_timestamp: bool = True,
) -> Path:
    """Write one learner's submission; returns its folder."""
    release = course.root / "release" / assignment
    folder = course.path("submitted", learner, assignment)
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(release.glob("*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        filled = fill_answers(notebook, answers)
        (folder / path.name).write_text(json.dumps(filled, indent=1), encoding="utf-8")
    if with_timestamp:
        when = timestamp or datetime.now(UTC)
        (folder / "timestamp.txt").write_text(
            when.strftime("%Y-%m-%d %H:%M:%S.%f %Z"), encoding="utf-8"
        )
    return folder


def partial_plan(case: Any) -> str:
    """A half-way rewrite: the model rewrite with the old deficit-led goals still beneath it."""
    old = case.deficit_plan
    body = old[old.index("Goal:") :] if "Goal:" in old else ""
    kept = [
        line
        for line in body.splitlines()
        if not re.match(r"\s*(Crisis plan|Review|Deferred|Person)\s*:", line, re.IGNORECASE)
    ]
    return str(case.model_rewrite).rstrip() + "\n" + "\n".join(kept) + "\n"


def case_for(learner: str, assignment: str) -> Any:
    """The scenario a learner is given for an assignment (built-in and configured scenarios)."""
    from ._case import all_cases

    return scenario(choose(learner, assignment, all_cases()))
