"""Cohort autograding: nbgrader's serial ``autograde`` against ``goalstudio workshop autograde``.

Generates 30 submissions of one assignment (model rewrites, deficit-led copies, partial
plans, empty answers), copies the course folder twice, and in the same run grades one copy with
``nbgrader autograde ID`` and the other with ``goalstudio workshop autograde ID --workers N``.
Prints both wall times, the ratio (target: 0.6 or less), checks that every cell's score is
identical, and measures where the time goes: starting a kernel, importing the studio inside
it, and running the checks.

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
    from goalstudio.grading._simulate import case_for, simulate_submission
    from goalstudio.grading._workshop import assign, init_course, open_course

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


def kernel_costs(cwd: Path, repeats: int = 3) -> tuple[float, float]:
    """Seconds to start (and stop) a kernel, and to import the studio's grading inside it."""
    from jupyter_client.manager import start_new_kernel

    starts, imports = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        km, kc = start_new_kernel(kernel_name="python3", cwd=str(cwd))
        starts.append(time.perf_counter() - started)
        started = time.perf_counter()
        kc.execute_interactive("from goalstudio import grading", timeout=60)
        imports.append(time.perf_counter() - started)
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return statistics.median(starts), statistics.median(imports)


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
        shutil.copytree(base, serial_dir)
        shutil.copytree(base, ours_dir)

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
        a, b = cell_scores(serial_dir / "gradebook.db"), cell_scores(ours_dir / "gradebook.db")
        same = a == b and len(a) > 0
        start_cost, import_cost = kernel_costs(base)

    ratio = ours / serial
    per = serial / args.learners
    print(f"nbgrader autograde (serial):         {serial:6.1f} s  ({per:.2f} s a submission)")
    print(f"goalstudio autograde --workers {args.workers}:   {ours:6.1f} s")
    print(f"ratio: {ratio:.2f} (target <= 0.60)  {'MET' if ratio <= 0.6 else 'NOT MET'}")
    print(f"per-cell scores identical: {same} ({len(a)} grades compared)")
    print("where a submission's time goes (medians):")
    print(f"  starting a kernel:                      {start_cost:.2f} s")
    print(f"  importing goalstudio.grading in it:     {import_cost:.2f} s")
    rest = max(per - start_cost - import_cost, 0.0)
    print(f"  running the checks, nbgrader's own work: {rest:.2f} s")
    floor = (start_cost + import_cost) * args.learners / args.workers
    print(
        f"floor with {args.workers} workers (kernel start + import only, perfectly shared): "
        f"{floor:.1f} s"
    )
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
