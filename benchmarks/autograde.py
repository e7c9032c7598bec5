"""Cohort autograding: nbgrader's serial ``autograde`` against ``goalstudio workshop autograde``.

Generates 30 submissions of one assignment (model rewrites, deficit-led copies, partial
plans, empty answers), copies the course folder twice, and in the same run grades one copy with
``nbgrader autograde ID`` and the other with ``goalstudio workshop autograde ID --workers N``.
Prints the wall times (nbgrader serial; the studio with one worker; the studio with N workers),
the ratio (target: 0.6 or less), checks that every cell's score is identical in all three, and
measures where the time goes: starting a kernel, loading the studio in it, the checks, and
nbgrader's own work.

    .venv/bin/python benchmarks/autograde.py [--learners 30] [--workers 2] [--assignment ID]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ASSIGNMENT = "02-rewrite-the-plan"


def make_course(root: Path, assignment: str, learners: int) -> None:
    from goalstudio.grading import assign, init_course, open_course
    from goalstudio.grading._simulate import case_for, simulate_submission

    init_course(root, "benchmark", timeout=30)
    course = open_course(root)
    assign(course, assignment)
    for number in range(learners):
        learner = f"learner-{number:02d}"
        case = case_for(learner, assignment)
        kind = number % 4
        if kind == 0:
            answers = {"plan": case.model_rewrite}
        elif kind == 1:
            answers = {"plan": case.deficit_plan}
        elif kind == 2:
            first_goal = case.model_rewrite.split("\nGoal:")[0]
            answers = {"plan": first_goal}
        else:
            answers = {}
        simulate_submission(course, assignment, learner, answers)


def cell_scores(db: Path) -> dict[tuple[str, str], float]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT student.id, base_cell.name, grade.auto_score "
            "FROM grade JOIN submitted_notebook ON grade.notebook_id = submitted_notebook.id "
            "JOIN submitted_assignment ON submitted_notebook.assignment_id = "
            "submitted_assignment.id JOIN student ON submitted_assignment.student_id = "
            "student.id JOIN base_cell ON grade.cell_id = base_cell.id"
        ).fetchall()
    return {(s, c): (score if score is not None else -1.0) for s, c, score in rows}


def run(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        print(done.stdout[-2000:], done.stderr[-2000:], sep="\n", file=sys.stderr)
        raise SystemExit(f"{' '.join(command)} failed with exit code {done.returncode}")
    return seconds


WARM_UP = (
    "from goalstudio import grading\n"
    "work = grading.start('02-rewrite-the-plan')\n"
    "work.criterion('outcomes', points=2);\n"
)


def kernel_costs(cwd: Path, repeats: int = 3) -> tuple[float, float, float]:
    """Medians: start a cold kernel; load the studio and its rubric in it; start a preheated one."""
    from jupyter_client.manager import KernelManager, start_new_kernel

    from goalstudio.grading import _kernels

    starts, imports, preheated = [], [], []
    for _ in range(repeats):
        started = time.perf_counter()
        km, kc = start_new_kernel(kernel_name="python3", cwd=str(cwd))
        starts.append(time.perf_counter() - started)
        started = time.perf_counter()
        kc.execute_interactive(WARM_UP, timeout=60)
        imports.append(time.perf_counter() - started)
        kc.stop_channels()
        km.shutdown_kernel(now=True)

    server = _kernels.start()
    if server is not None:
        try:
            for _ in range(repeats):
                with tempfile.TemporaryDirectory(prefix="gs-bench-spec-") as specs:
                    started = time.perf_counter()
                    km = KernelManager(
                        kernel_name="python3",
                        kernel_spec_manager=_kernels.grading_kernelspecs(specs, "python3", server),
                    )
                    km.start_kernel(cwd=str(cwd))
                    kc = km.client()
                    kc.start_channels()
                    kc.wait_for_ready(timeout=60)
                    kc.execute_interactive(WARM_UP, timeout=60)
                    preheated.append(time.perf_counter() - started)
                    kc.stop_channels()
                    km.shutdown_kernel(now=True)
        finally:
            _kernels.stop()
    return (
        statistics.median(starts),
        statistics.median(imports),
        statistics.median(preheated) if preheated else float("nan"),
    )


def checks_cost(assignment: str, learners: int) -> float:
    """Seconds to run every autograded check on one answer, in a warm process (median)."""
    from goalstudio import grading
    from goalstudio.grading._simulate import case_for
    from goalstudio.rubric import CRITERIA

    times = []
    for number in range(min(learners, 8)):
        case = case_for(f"learner-{number:02d}", assignment)
        text = case.model_rewrite + "\n# " + str(number)  # a fresh text each time: no cache
        started = time.perf_counter()
        grading.plan_readable(text, case)
        grading.rewritten(text, case)
        for name in CRITERIA:
            grading.criterion(text, case, name, points=2)
        grading.criterion(text, case, "structure", points=2)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--assignment", default=ASSIGNMENT)
    args = parser.parse_args(argv)
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory(prefix="gs-bench-") as tmp:
        base = Path(tmp) / "course"
        started = time.perf_counter()
        make_course(base, args.assignment, args.learners)
        print(
            f"made {args.learners} submissions of {args.assignment} in "
            f"{time.perf_counter() - started:.1f} s"
        )
        serial_dir, ours_dir = Path(tmp) / "serial", Path(tmp) / "ours"
        one_dir = Path(tmp) / "one"
        shutil.copytree(base, serial_dir)
        shutil.copytree(base, ours_dir)
        shutil.copytree(base, one_dir)

        serial = run([str(bin_dir / "nbgrader"), "autograde", args.assignment], serial_dir)
        ours = run(
            [
                str(bin_dir / "goalstudio"),
                "workshop",
                "autograde",
                args.assignment,
                "--workers",
                str(args.workers),
            ],
            ours_dir,
        )
        one = run(
            [str(bin_dir / "goalstudio"), "workshop", "autograde", args.assignment],
            one_dir,
        )
        a, b = cell_scores(serial_dir / "gradebook.db"), cell_scores(ours_dir / "gradebook.db")
        c = cell_scores(one_dir / "gradebook.db")
        same = a == b == c and len(a) > 0
        for key in sorted(set(a) | set(b) | set(c)):
            if not a.get(key) == b.get(key) == c.get(key):
                print(
                    f"  differs: {key}: nbgrader {a.get(key)}, workers {b.get(key)}, "
                    f"one worker {c.get(key)}"
                )
        start_cost, studio_cost, preheated_cost = kernel_costs(base)
        check_cost = checks_cost(args.assignment, args.learners)

    n = args.learners
    ratio = ours / serial
    per, per_one = serial / n, one / n
    print(f"nbgrader autograde (serial):            {serial:6.1f} s  ({per:.2f} s a submission)")
    print(f"goalstudio autograde, 1 worker:         {one:6.1f} s  ({per_one:.2f} s a submission)")
    print(f"goalstudio autograde, {args.workers} workers:        {ours:6.1f} s")
    print(
        f"ratio ({args.workers} workers / serial): {ratio:.2f} (target <= 0.60)  "
        f"{'MET' if ratio <= 0.6 else 'NOT MET'}"
    )
    print(f"per-cell scores identical in all three runs: {same} ({len(a)} grades compared)")
    print("where one submission's time goes with nbgrader (medians):")
    print(f"  start a cold kernel:                          {start_cost:.2f} s")
    print(f"  load the studio and its rubric in it:         {studio_cost:.2f} s")
    print(f"  run the checks themselves (warm):             {check_cost:.2f} s")
    rest = max(per - start_cost - studio_cost - check_cost, 0.0)
    print(f"  nbgrader's own work (sanitise, run cells, gradebook, files): {rest:.2f} s")
    print("with the studio's preheated kernels:")
    print(f"  start a preheated kernel, studio loaded:      {preheated_cost:.2f} s")
    floor = (rest + check_cost) * n / max(args.workers, 1)
    print(
        f"floor for {n} submissions on {args.workers} cores (nbgrader's own work and the "
        f"checks, no kernel start-up, perfectly shared): {floor:.1f} s"
    )
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
