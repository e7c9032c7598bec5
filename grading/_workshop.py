"""A trainer's course folder over nbgrader: set up, hand out, collect, grade, feed back, export.

Everything here works on a course folder made by ``goalstudio workshop init``: nbgrader's own
layout (``source/``, ``release/``, ``submitted/``, ``autograded/``, ``feedback/``, a SQLite
``gradebook.db``) and an ``nbgrader_config.py``, so nbgrader's own commands keep working on it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import multiprocessing
import os
import re
import shutil
import signal
import sys
import time
import unicodedata
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

CONFIG_NAME = "nbgrader_config.py"
LOCK_NAME = ".gradebook.lock"
DEFAULT_TIMEOUT = 60

Progress = Callable[[int, int, str], None]


class WorkshopError(Exception):
    """Something a trainer can fix, said in one plain message."""


# --------------------------------------------------------------------------------------------
# The course folder


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

    def path(self, step: str, learner: str, assignment: str) -> Path:
        return self.root / step / learner / assignment if learner else self.root / step / assignment

    def api(self) -> Any:
        _tools_on_path()
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
        _tools_on_path()
        from nbgrader.api import Gradebook

        with Gradebook(f"sqlite:///{self.db_path}", self.course_id) as gb:
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
    return Course(folder, course_id, timeout, merged)


def known_assignment(course: Course, assignment: str) -> None:
    source = course.root / "source" / assignment
    if not source.is_dir():
        have = sorted(p.name for p in (course.root / "source").glob("*") if p.is_dir())
        raise WorkshopError(
            f"there is no assignment '{assignment}' in {course.root / 'source'}. "
            f"Assignments here: {', '.join(have) or '(none)'}."
        )


# --------------------------------------------------------------------------------------------
# Assign


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
            f"nbgrader could not generate '{assignment}'. Its log says:\n{_log_tail(result)}"
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
            f"failed. Check c.Exchange.root in {CONFIG_NAME}. The log says:\n{_log_tail(result)}"
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


def _log_tail(result: dict[str, Any], lines: int = 12) -> str:
    """The end of nbgrader's log, led by the exception that stopped it (if any)."""
    text = (result.get("log") or "") + "\n" + (result.get("error") or "")
    all_lines = text.strip().splitlines()
    causes = [ln.strip() for ln in all_lines if re.match(r"\s*[\w.]+(Error|Exception): ", ln)]
    tail = all_lines[-lines:]
    if causes and causes[0] not in (t.strip() for t in tail):
        tail = [causes[0], *tail]
    return "\n".join(tail)


def _tools_on_path() -> None:
    """nbgrader runs its helper 'alembic' by name: make sure this Python's tools are found."""
    tools = str(Path(sys.executable).parent)
    path = os.environ.get("PATH", "")
    if tools not in path.split(os.pathsep):
        os.environ["PATH"] = tools + (os.pathsep + path if path else "")


# --------------------------------------------------------------------------------------------
# Collect


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
                f"'collect {assignment} --from FOLDER'. The log says:\n{_log_tail(result)}"
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


# --------------------------------------------------------------------------------------------
# Autograde


@dataclass
class LearnerResult:
    """How one learner's submission went, in words a trainer can act on."""

    learner: str
    status: str  # graded | not_graded
    score: float | None = None
    max_score: float | None = None
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def line(self) -> str:
        if self.status == "graded" and self.score is not None:
            head = f"{self.learner}: {self.score:g} / {self.max_score:g}"
        else:
            head = f"{self.learner}: not graded"
        return head + ("".join(f"\n    - {n}" for n in self.notes))


@dataclass
class AutogradeReport:
    assignment: str
    workers: int
    seconds: float
    results: list[LearnerResult]

    @property
    def graded(self) -> list[LearnerResult]:
        return [r for r in self.results if r.status == "graded"]

    def summary(self) -> str:
        lines = [
            f"Autograded '{self.assignment}': {len(self.graded)} of {len(self.results)} "
            f"submissions graded in {self.seconds:.1f} s with {self.workers} worker(s)."
        ]
        lines += [r.line() for r in self.results]
        noted = sum(1 for r in self.results if r.notes)
        if noted:
            lines.append(f"{noted} submission(s) have notes above; the rest went smoothly.")
        return "\n".join(lines)


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

    from goalstudio.grading._rebuild import rebuild

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
    from goalstudio.grading._case import all_cases, choose
    from goalstudio.grading._result import RESULT_MIME

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


# Worker processes: each opens the course once and grades one learner per task.

_WORKER: dict[str, Any] = {}


def _worker_init(root: str, timeout: int, kernels: str | None = None) -> None:
    import logging
    import warnings

    from goalstudio.grading import _kernels, _lock

    if multiprocessing.parent_process() is not None:
        # A worker: Ctrl+C reaches the whole terminal, and the main process stops the workers
        # (and their kernels) itself, so a worker never dies half-way with a traceback.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    course = open_course(Path(root))
    course.config.Execute.timeout = timeout
    _grade_safely(course.config)
    _lock.install(course.root / LOCK_NAME)
    _WORKER["course"] = course
    _WORKER["api"] = course.api()
    logging.getLogger("traitlets").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", module="nbgrader")
    warnings.filterwarnings("ignore", message=".*not in session.*")
    _kernels.use(kernels)


def _grade_safely(config: Any) -> None:
    """nbgrader's steps, with a learner's code never run: the notebook is rebuilt from the
    release first (only answer texts are the learner's), and kernels run in the sandbox."""
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import Execute

    from goalstudio.grading._execute import GradingExecute
    from goalstudio.grading._rebuild import RebuildFromRelease

    traits = Autograde.class_traits()
    sanitize = list(traits["sanitize_preprocessors"].default())
    steps = list(traits["autograde_preprocessors"].default())
    config.Autograde.sanitize_preprocessors = [RebuildFromRelease, *sanitize]
    config.Autograde.autograde_preprocessors = [
        GradingExecute if step is Execute else step for step in steps
    ]


def _grade_one(assignment: str, learner: str) -> tuple[str, bool, str, float]:
    started = time.perf_counter()
    api = _WORKER["api"]
    result = api.autograde(assignment, learner, force=True, create=True)
    return learner, bool(result["success"]), _log_tail(result, 6), time.perf_counter() - started


def autograde(
    course: Course,
    assignment: str,
    *,
    workers: int = 1,
    timeout: int | None = None,
    learners: list[str] | None = None,
    progress: Progress | None = None,
    preheat: bool = True,
) -> AutogradeReport:
    """Grade every submission of ``assignment``; one learner's problem never stops the batch."""
    from goalstudio.grading import _kernels, _sandbox

    limit = course.timeout if timeout is None else timeout
    if not isinstance(limit, int) or limit <= 0:
        where = "--timeout" if timeout is not None else f"c.Execute.timeout in {CONFIG_NAME}"
        raise WorkshopError(
            f"{where} is {limit}: give the longest a check may run, in whole seconds (1 or "
            f"more; {DEFAULT_TIMEOUT} suits most workshops)."
        )
    known_assignment(course, assignment)
    if not (course.root / "release" / assignment).is_dir():
        raise WorkshopError(
            f"'{assignment}' has not been generated yet: run 'goalstudio workshop assign "
            f"{assignment}' first."
        )
    ids = _check_grader_account()
    started = time.perf_counter()
    before = _children()
    folder = _sandbox.run_folder(ids)
    given = os.environ.get(_sandbox.GRADING_FOLDER_ENV)
    os.environ[_sandbox.GRADING_FOLDER_ENV] = folder  # workers inherit it
    try:
        if preheat:  # warms up in the background while the submissions are checked
            _kernels.launch()
        return _autograde(course, assignment, workers, limit, learners, progress, started)
    finally:
        # Workers first (with the kernels they started), then the kernel server: a worker
        # still running must not ask a stopped server for a kernel.
        _end_children(before, keep=_kernels.server_pid())
        _kernels.stop()
        _end_children(before)
        shutil.rmtree(folder, ignore_errors=True)
        if given is None:
            os.environ.pop(_sandbox.GRADING_FOLDER_ENV, None)
        else:
            os.environ[_sandbox.GRADING_FOLDER_ENV] = given


def _check_grader_account() -> tuple[int, int] | None:
    """As root, kernels run as the grading account: it must be able to run this Python."""
    import subprocess

    from goalstudio.grading._sandbox import SandboxError, grader_ids

    try:
        ids = grader_ids()
    except SandboxError as exc:
        raise WorkshopError(str(exc)) from None
    if ids is None:
        return None
    probe = subprocess.run(
        [sys.executable, "-c", "import goalstudio.grading"],
        user=ids[0],
        group=ids[1],
        extra_groups=[],
        cwd="/",
        env={"PATH": os.defpath, "HOME": "/"},
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.returncode != 0:
        raise WorkshopError(
            f"grading kernels run as an unprivileged account (uid {ids[0]}), and it cannot use "
            f"this Python environment ({sys.executable}): let other accounts reach it (chmod "
            "o+x on each folder above it) or set GOALSTUDIO_GRADER_ACCOUNT. It said: "
            f"{(probe.stderr.strip().splitlines() or ['nothing'])[-1]}"
        )
    return ids


def adopt_orphans() -> None:
    """Make this process adopt every process it starts, even one whose parent has ended, so
    that ``_end_children`` finds them all (Linux). The command line calls it: no kernel
    outlives ``goalstudio workshop autograde``, even when a worker is stopped mid-notebook."""
    if sys.platform != "linux":
        return
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER


def _children() -> set[int]:
    import psutil

    with contextlib.suppress(psutil.Error):
        return {child.pid for child in psutil.Process().children()}
    return set()


def _end_children(before: set[int], grace: float = 5.0, keep: int | None = None) -> None:
    """Stop every process autograde started that is still running (workers, kernels, the
    kernel server), and theirs; processes the caller had already started are left alone."""
    import psutil

    for _round in range(3):  # a process whose parent ends is adopted: look again
        left: list[Any] = []
        with contextlib.suppress(psutil.Error):
            for child in psutil.Process().children():
                if child.pid in before or child.pid == keep:
                    continue
                with contextlib.suppress(psutil.Error):
                    left += [child, *child.children(recursive=True)]
        if not left:
            return
        for process in left:
            with contextlib.suppress(psutil.Error):
                process.terminate()
        _gone, alive = psutil.wait_procs(left, timeout=grace)
        for process in alive:
            with contextlib.suppress(psutil.Error):
                process.kill()
        psutil.wait_procs(alive, timeout=grace)


def _autograde(
    course: Course,
    assignment: str,
    workers: int,
    limit: int,
    learners: list[str] | None,
    progress: Progress | None,
    started: float,
) -> AutogradeReport:
    from goalstudio.grading import _kernels, _lock

    everyone = learners if learners is not None else submissions(course, assignment)
    results: dict[str, LearnerResult] = {}
    todo = []
    for learner in everyone:
        try:
            gradable, notes = precheck(course, assignment, learner)
        except Exception as exc:  # one odd submission never stops the batch
            gradable, notes = True, [f"The submission could not be checked before grading ({exc})."]
        results[learner] = LearnerResult(
            learner, "graded" if gradable else "not_graded", notes=notes
        )
        if gradable:
            todo.append(learner)
    done = len(everyone) - len(todo)
    if progress:
        progress(done, len(everyone), "checked submissions")
    workers = max(1, min(int(workers), len(todo) or 1))
    if not _lock.available():
        workers = 1
    outcomes = []
    kernels = _kernels.wait_ready() if todo else None
    if workers == 1:
        _worker_init(str(course.root), limit, kernels)
        for learner in todo:
            outcomes.append(_grade_one(assignment, learner))
            done += 1
            if progress:
                progress(done, len(everyone), learner)
    else:
        context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_worker_init,
            initargs=(str(course.root), limit, kernels),
        )
        try:
            futures = [pool.submit(_grade_one, assignment, learner) for learner in todo]
            for future in as_completed(futures):
                outcomes.append(future.result())
                done += 1
                if progress:
                    progress(done, len(everyone), outcomes[-1][0])
        except BaseException:
            # Stopped (Ctrl+C) or failed: no queued notebook starts; the caller ends the
            # workers and their kernels.
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
    outcomes = _retry_once(assignment, outcomes, str(course.root), limit)
    for learner, success, log, seconds in outcomes:
        result = results[learner]
        result.seconds = seconds
        if not success:
            result.status = "not_graded"
            result.notes.append(f"nbgrader could not grade this submission: {_last_error(log)}")
        else:
            try:
                result.notes.extend(postcheck(course, assignment, learner, limit))
            except Exception as exc:
                result.notes.append(f"The graded notebook could not be read back ({exc}).")
    _fill_scores(course, assignment, results)
    ordered = [results[name] for name in everyone]
    return AutogradeReport(assignment, workers, time.perf_counter() - started, ordered)


def _retry_once(
    assignment: str, outcomes: list[tuple[str, bool, str, float]], root: str, limit: int
) -> list[tuple[str, bool, str, float]]:
    """Grade again, once and in an ordinary kernel, any submission whose grading failed for a
    reason other than its own cell running too long: on a busy machine a kernel can die or
    answer late, and that must not cost a learner their grade. A submission that is really
    broken fails the same way twice and keeps its note."""
    failed = [o for o in outcomes if not o[1] and not _cell_timed_out(o[2])]
    if not failed:
        return outcomes
    _worker_init(root, limit, None)
    again = {learner: _grade_one(assignment, learner) for learner, *_rest in failed}
    return [again.get(o[0], o) for o in outcomes]


def _cell_timed_out(log: str) -> bool:
    return "CellTimeoutError" in log or "timed out" in log.lower()


def _last_error(log: str) -> str:
    lines = [ln for ln in log.splitlines() if ln.strip()]
    errors = [ln for ln in lines if "[ERROR]" in ln or "Error" in ln]
    return (errors or lines or ["no details were logged"])[-1].replace("[ERROR]", "").strip()


def _fill_scores(course: Course, assignment: str, results: dict[str, LearnerResult]) -> None:
    from nbgrader.api import MissingEntry

    with course.gradebook() as gb:
        for learner, result in results.items():
            if result.status != "graded":
                continue
            try:
                submission = gb.find_submission(assignment, learner)
            except MissingEntry:
                result.status = "not_graded"
                continue
            result.score = float(submission.score)
            result.max_score = float(submission.max_score)


# --------------------------------------------------------------------------------------------
# Feedback


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
    from goalstudio.grading._feedback import write_feedback

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
                f"failed. Check c.Exchange.root in {CONFIG_NAME}.\n{_log_tail(result)}"
            )
        released = "Released to the nbgrader exchange: learners fetch it with 'Fetch Feedback'."
    else:
        released = (
            f"Working locally: each learner's page is in {course.root / 'feedback'}/LEARNER/"
            f"{assignment}/. On a hub, run again with --release."
        )
    return FeedbackReport(assignment, written, skipped, released)
