"""Grade a cohort's submissions with nbgrader, in parallel, one learner's problem never
stopping the batch; the report says in plain words how each submission went.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
import signal
import sys
import time
import warnings
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._course_folder import (
    CONFIG_NAME,
    DEFAULT_TIMEOUT,
    Course,
    Progress,
    WorkshopError,
    known_assignment,
    log_tail,
    open_course,
)
from ._processes import children, end_children
from ._submissions import postcheck, precheck, submissions


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


# Worker processes: each opens the course once and grades one learner per task.

_WORKER: dict[str, Any] = {}


def _worker_init(root: str, timeout: int, kernels: str | None = None) -> None:
    if multiprocessing.parent_process() is not None:
        # A worker: Ctrl+C reaches the whole terminal, and the main process stops the workers
        # (and their kernels) itself, so a worker never dies half-way with a traceback.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    course = open_course(Path(root))
    course.config.Execute.timeout = timeout
    _grade_safely(course.config)
    # The kernels start preheated when a server runs (``_kernels``; None: ordinary kernels).
    course.config.GradingExecute.kernel_server = kernels or ""
    _WORKER["course"] = course
    _WORKER["api"] = course.api()
    logging.getLogger("traitlets").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", module="nbgrader")
    warnings.filterwarnings("ignore", message=".*not in session.*")


def _grade_safely(config: Any) -> None:
    """nbgrader's steps, with a learner's code never run: the notebook is rebuilt from the
    release first (only answer texts are the learner's), and kernels run in the sandbox."""
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import Execute

    from ._execute import GradingExecute
    from ._rebuild import RebuildFromRelease

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
    return learner, bool(result["success"]), log_tail(result, 6), time.perf_counter() - started


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
    from . import _kernels, _sandbox

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
    before = children()
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
        end_children(before, keep=_kernels.server_pid())
        _kernels.stop()
        end_children(before)
        shutil.rmtree(folder, ignore_errors=True)
        if given is None:
            os.environ.pop(_sandbox.GRADING_FOLDER_ENV, None)
        else:
            os.environ[_sandbox.GRADING_FOLDER_ENV] = given


def _check_grader_account() -> tuple[int, int] | None:
    """As root, kernels run as the grading account: it must be able to run this Python."""
    import subprocess

    from ._sandbox import SandboxError, grader_ids

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


def _autograde(
    course: Course,
    assignment: str,
    workers: int,
    limit: int,
    learners: list[str] | None,
    progress: Progress | None,
    started: float,
) -> AutogradeReport:
    from . import _kernels

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
    with course.gradebook():
        pass  # opened once here first: nbgrader brings an older gradebook up to date
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
