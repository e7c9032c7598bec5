"""Hand an assignment out (``assign``) and bring submissions in (``collect``)."""

from __future__ import annotations

import logging
import re
import shutil
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

from ._course_folder import (
    CONFIG_NAME,
    Course,
    WorkshopError,
    known_assignment,
    log_tail,
)


def assign(
    course: Course, assignment: str, *, release: bool = False, due: str | None = None
) -> str:
    """Generate the learner version (``release/ID``) and, on a hub, release it to the exchange."""
    known_assignment(course, assignment)
    if due:
        try:
            when = datetime.fromisoformat(due)
        except ValueError:
            raise WorkshopError(
                f"'{due}' is not a date and time: write it like 2026-12-01 17:00."
            ) from None
        with course.gradebook() as gb:
            gb.update_or_create_assignment(assignment, duedate=when)
    api = course.api()
    result = api.generate_assignment(assignment, force=True, create=True)
    if not result["success"]:
        raise WorkshopError(
            f"nbgrader could not generate '{assignment}'. Its log says:\n{log_tail(result)}"
        )
    _check_release_is_clean(course, assignment)
    folder = course.root / "release" / assignment
    if not release:
        return (
            f"Generated the learner version of '{assignment}' in {folder}. Working locally: "
            "give each learner a copy of that folder. On a hub: run again with --release."
        )
    result = api.release_assignment(assignment)
    if not result["success"]:
        raise WorkshopError(
            f"The learner version is in {folder}, but releasing it to the nbgrader exchange "
            f"failed. Check c.Exchange.root in {CONFIG_NAME}. The log says:\n{log_tail(result)}"
        )
    return f"Released '{assignment}' to the nbgrader exchange; learners can fetch it now."


def _check_release_is_clean(course: Course, assignment: str) -> None:
    """The learner version must carry no hidden tests and no facilitator notes."""
    for notebook in (course.root / "release" / assignment).glob("*.ipynb"):
        text = notebook.read_text(encoding="utf-8")
        if "BEGIN HIDDEN TESTS" in text or "BEGIN SOLUTION" in text:
            raise WorkshopError(
                f"{notebook} still contains hidden tests or solutions; do not hand it out. "
                "Check the source notebook's nbgrader cell markers."
            )


def collect(course: Course, assignment: str, *, from_folder: Path | None = None) -> list[str]:
    """Bring submissions into ``submitted/``: from the hub exchange, or from a folder of files.

    A folder may hold ``LEARNER.ipynb`` files or ``LEARNER/<notebook>.ipynb`` folders. Each is
    filed under ``submitted/LEARNER/ASSIGNMENT/`` with a ``timestamp.txt`` taken from the time
    the file was last saved. Returns one line per learner.
    """
    known_assignment(course, assignment)
    if from_folder is None:
        api = course.api()
        # nbgrader logs each collected submission at INFO; the 'traitlets' logger it uses is
        # at WARNING by default, so without this the log we read holds no submission lines.
        level = api.log.level
        api.log.setLevel(logging.INFO)
        try:
            result = api.collect(assignment)
        finally:
            api.log.setLevel(level)
        if not result["success"]:
            raise WorkshopError(
                "Collecting from the nbgrader exchange failed. Working locally? Use "
                f"'collect {assignment} --from FOLDER'. The log says:\n{log_tail(result)}"
            )
        found = re.compile(r"(Collecting|Updating) submission: (.+) " + re.escape(assignment) + "$")
        return [
            f"{match.group(2)}: {'new' if match.group(1) == 'Collecting' else 'updated'}"
            for line in (result.get("log") or "").splitlines()
            if (match := found.search(line.strip()))
        ]
    if not from_folder.is_dir():
        raise WorkshopError(f"{from_folder} is not a folder of submitted notebooks.")
    notebook_name = f"{assignment}.ipynb"
    lines = []
    for item in sorted(from_folder.iterdir()):
        if item.name.startswith("."):
            continue
        if item.is_file() and item.suffix == ".ipynb":
            learner, files = item.stem, [item]
        elif item.is_dir():
            learner, files = item.name, sorted(item.glob("*.ipynb"))
        else:
            continue
        learner = unicodedata.normalize("NFC", learner).strip()
        why = learner_id_problem(learner)
        if why is not None:
            lines.append(f"skipped {item.name!r}: {why}")
            continue
        target = course.path("submitted", learner, assignment)
        target.mkdir(parents=True, exist_ok=True)
        newest = 0.0
        for file in files:
            name = notebook_name if item.is_file() else file.name
            shutil.copy2(file, target / name)
            newest = max(newest, file.stat().st_mtime)
        if newest:
            stamp = datetime.fromtimestamp(newest, tz=UTC)
            (target / "timestamp.txt").write_text(
                stamp.strftime("%Y-%m-%d %H:%M:%S.%f %Z"), encoding="utf-8"
            )
        lines.append(f"{learner}: {len(files)} notebook(s)")
    return lines


# A learner id becomes a folder name and a gradebook key: letters and digits in any script,
# with '.', '_', '-', '@' and inner spaces; never empty, hidden, a path or a formula.
_LEARNER_ID = re.compile(r"^[^\W_][\w.@ -]{0,99}$")


def learner_id_problem(learner: str) -> str | None:
    """Why ``learner`` (from a file or folder name) cannot be a learner id, or None."""
    if not learner:
        return "the name is empty, so it is not a learner id. Rename it to the learner's id."
    if not _LEARNER_ID.match(learner) or learner.endswith(" "):
        return (
            "a learner id starts with a letter or digit and holds only letters, digits, "
            "spaces, '.', '_', '-' and '@' (at most 100). Rename it to the learner's id."
        )
    return None
