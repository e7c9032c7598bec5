"""A trainer's course folder over nbgrader: its settings file, and opening it.

Everything in the workshop commands works on a course folder made by ``goalstudio workshop
init``: nbgrader's own layout (``source/``, ``release/``, ``submitted/``, ``autograded/``,
``feedback/``, a SQLite ``gradebook.db``) and an ``nbgrader_config.py``, so nbgrader's own
commands keep working on it.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

CONFIG_NAME = "nbgrader_config.py"
DEFAULT_TIMEOUT = 60
# Seconds a gradebook write waits for another's to finish (they take milliseconds).
GRADEBOOK_WAIT = 120

Progress = Callable[[int, int, str], None]


class WorkshopError(Exception):
    """Something a trainer can fix, said in one plain message."""


def assignments_dir() -> Path:
    """Where the studio's assignment sources are installed."""
    return Path(str(resources.files("goalstudio.course") / "assignments"))


def available_assignments() -> list[str]:
    root = assignments_dir()
    return sorted(p.name for p in root.iterdir() if p.is_dir() and (p / f"{p.name}.ipynb").exists())


_CONFIG_TEMPLATE = """\
# nbgrader settings for a Goal Discovery Studio workshop, written by
# 'goalstudio workshop init'. nbgrader's own commands read this file too.
# Settings: https://nbgrader.readthedocs.io/en/stable/configuration/config_options.html
c = get_config()  # noqa: F821

c.CourseDirectory.course_id = {course_id!r}

# Answer cells hold plain text under a '%%answer' line: leave the template in place.
c.ClearSolutions.code_stub = {{"python": ""}}

# A notebook cell that runs longer than this (in seconds) is stopped and marked.
c.Execute.timeout = {timeout}
# On a busy machine a cell's output can arrive a little after the cell has finished: wait
# for it (nbgrader's default of 4 s would mark the check as failed).
c.Execute.iopub_timeout = 30

# Late submissions: nbgrader's policy. "none" records lateness without a penalty; see
# nbgrader's LateSubmissionPlugin to deduct points instead.
c.LateSubmissionPlugin.penalty_method = "none"

# If someone runs 'nbgrader generate_feedback' directly, hidden tests and tracebacks still
# stay out of the feedback. ('goalstudio workshop feedback' writes richer feedback.)
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "goalstudio.grading.HideTestsFromFeedback",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]

# Grading never runs a learner's code: each submission is rebuilt from the released notebook
# with only the answer texts taken from the learner's file, and checked in a kernel with a
# private folder and a clean environment (as an unprivileged account when run as root).
# 'goalstudio workshop autograde' always does this; these lines make nbgrader's own
# 'autograde' do it too.
c.Autograde.sanitize_preprocessors = [
    "goalstudio.grading._rebuild.RebuildFromRelease",
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "nbgrader.preprocessors.OverwriteCells",
    "nbgrader.preprocessors.CheckCellMetadata",
]
c.Autograde.autograde_preprocessors = [
    "goalstudio.grading._execute.GradingExecute",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# On JupyterHub, the nbgrader exchange is where 'assign --release', 'collect' and
# 'feedback' hand files to learners and back. Uncomment and set it for your hub:
# c.Exchange.root = "/srv/nbgrader/exchange"
"""


@dataclass
class Course:
    """An open course folder."""

    root: Path
    course_id: str
    timeout: int = DEFAULT_TIMEOUT
    config: Any = None

    @property
    def db_path(self) -> Path:
        return self.root / "gradebook.db"

    @property
    def db_url(self) -> str:
        """The gradebook, for nbgrader and for us: the one the course's settings name, else
        ``gradebook.db`` here. Parallel autograde workers write to that one at a time: a write
        waits up to ``GRADEBOOK_WAIT`` seconds for SQLite's write lock while another worker's
        write finishes (SQLite's own default gives up after 5)."""
        configured = self.config.CourseDirectory.get("db_url") if self.config is not None else None
        return str(configured or f"sqlite:///{self.db_path}?timeout={GRADEBOOK_WAIT}")

    def path(self, step: str, learner: str, assignment: str) -> Path:
        return self.root / step / learner / assignment if learner else self.root / step / assignment

    def api(self) -> Any:
        tools_on_path()
        from nbgrader.apps import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory

        coursedir = CourseDirectory(config=self.config)
        coursedir.root = str(self.root)
        # Without a hub exchange nbgrader logs a CRITICAL line on every start; working locally
        # that is expected, and the commands that need the exchange say so themselves.
        quiet = logging.getLogger("traitlets")
        level = quiet.level
        quiet.setLevel(logging.CRITICAL + 1)
        try:
            return NbGraderAPI(coursedir=coursedir, config=self.config)
        finally:
            quiet.setLevel(level)

    @contextmanager
    def gradebook(self) -> Iterator[Any]:
        tools_on_path()
        from nbgrader.api import Gradebook

        with Gradebook(self.db_url, self.course_id) as gb:
            yield gb


def init_course(root: Path, course_id: str, *, timeout: int = DEFAULT_TIMEOUT) -> list[str]:
    """Create a course folder with every assignment's source. Returns the assignment ids."""
    if not course_id.strip() or any(c in course_id for c in "/\\ "):
        raise WorkshopError(
            f"'{course_id}' cannot be a course id: use letters, digits, '-' or '_', "
            "e.g. --course recovery-planning-2026."
        )
    root = root.resolve()
    config = root / CONFIG_NAME
    if config.exists():
        raise WorkshopError(
            f"{config} already exists, so this folder already holds a course. Choose an empty "
            "folder, or keep using this one with 'goalstudio workshop assign'."
        )
    root.mkdir(parents=True, exist_ok=True)
    copied = []
    for assignment in available_assignments():
        target = root / "source" / assignment
        if target.exists():
            raise WorkshopError(f"{target} already exists; move it away or choose another folder.")
        shutil.copytree(assignments_dir() / assignment, target)
        copied.append(assignment)
    config.write_text(
        _CONFIG_TEMPLATE.format(course_id=course_id, timeout=int(timeout)), encoding="utf-8"
    )
    return copied


def open_course(root: Path | None = None) -> Course:
    """The course in ``root`` (default: the current folder), with its nbgrader settings."""
    from traitlets.config.loader import Config, PyFileConfigLoader

    folder = (root or Path.cwd()).resolve()
    config_file = folder / CONFIG_NAME
    if not config_file.exists():
        raise WorkshopError(
            f"{folder} has no {CONFIG_NAME}, so it is not a course folder. Run "
            "'goalstudio workshop init FOLDER --course ID' first, or pass --dir FOLDER."
        )
    try:
        config = PyFileConfigLoader(CONFIG_NAME, path=str(folder)).load_config()
    except Exception as exc:
        raise WorkshopError(
            f"{config_file} cannot be read ({exc}). Fix the line it names."
        ) from None
    merged = Config()
    merged.merge(config)
    merged.CourseDirectory.root = str(folder)
    course_id = str(merged.CourseDirectory.get("course_id", "") or "")
    timeout = int(merged.Execute.get("timeout", DEFAULT_TIMEOUT) or DEFAULT_TIMEOUT)
    course = Course(folder, course_id, timeout, merged)
    merged.CourseDirectory.db_url = course.db_url  # nbgrader's setting for its gradebook
    return course


def known_assignment(course: Course, assignment: str) -> None:
    source = course.root / "source" / assignment
    if not source.is_dir():
        have = sorted(p.name for p in (course.root / "source").glob("*") if p.is_dir())
        raise WorkshopError(
            f"there is no assignment '{assignment}' in {course.root / 'source'}. "
            f"Assignments here: {', '.join(have) or '(none)'}."
        )


def log_tail(result: dict[str, Any], lines: int = 12) -> str:
    """The end of nbgrader's log, led by the exception that stopped it (if any)."""
    text = (result.get("log") or "") + "\n" + (result.get("error") or "")
    all_lines = text.strip().splitlines()
    causes = [ln.strip() for ln in all_lines if re.match(r"\s*[\w.]+(Error|Exception): ", ln)]
    tail = all_lines[-lines:]
    if causes and causes[0] not in (t.strip() for t in tail):
        tail = [causes[0], *tail]
    return "\n".join(tail)


def tools_on_path() -> None:
    """nbgrader runs its helper 'alembic' by name: make sure this Python's tools are found."""
    tools = str(Path(sys.executable).parent)
    path = os.environ.get("PATH", "")
    if tools not in path.split(os.pathsep):
        os.environ["PATH"] = tools + (os.pathsep + path if path else "")
