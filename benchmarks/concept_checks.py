"""Concept checks at cohort scale, and the case picker's list of cases.

Prints, each against a baseline measured in the same run:

- the board's ``check_answers`` query (first answer and any answer per check and answer,
  counted in the database) over a cohort that answered every concept check, against the
  board's own ``now_working`` query on the same store;
- building a ``ConceptCheck`` widget, against building a ``Reflection`` (the lightest exercise);
- the case picker's list of openable cases: read once (every case file parsed and validated),
  then again from the cache, against loading the one case an exercise opens.

    .venv/bin/python benchmarks/concept_checks.py [--learners 500] [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from goalstudio._scenarios.cases import _cache, openable_cases  # noqa: E402
from goalstudio.exercises.check import load_checks  # noqa: E402
from goalstudio.records import RecordStore  # noqa: E402
from goalstudio.records import reports as q  # noqa: E402
from goalstudio.scenarios import load  # noqa: E402


def timed(fn: Callable[[], object], runs: int) -> float:
    """Median seconds of ``runs`` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def fill(store: RecordStore, learners: int) -> int:
    """Every learner answers every check: a wrong answer first for one in three, then right."""
    checks = load_checks()
    added = 0
    for n in range(learners):
        learner = f"learner-{n:04d}"
        for c, check in enumerate(checks):
            keys = check.letters()
            tries = [keys[(n + c) % len(keys)]] if (n + c) % 3 == 0 else []
            tries = [k for k in tries if k != check.right_key] + [check.right_key]
            for t, key in enumerate(tries, start=1):
                store.add_event(
                    learner,
                    check.activity,
                    "check_answered",
                    {"check": check.id, "answer": key, "correct": key == check.right_key, "try": t},
                    module=check.module,
                )
                added += 1
    return added


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'records.sqlite'}"
        with RecordStore(url) as store:
            start = time.perf_counter()
            events = fill(store, args.learners)
            print(
                f"store: {args.learners} learners, {len(load_checks())} checks, "
                f"{events} answers (filled in {time.perf_counter() - start:.1f} s)"
            )
            answers = timed(lambda: q.check_answers(store), args.runs)
            working = timed(lambda: q.now_working(store), args.runs)
            rows = len(q.check_answers(store))
        print(
            f"check_answers: {answers * 1000:.1f} ms ({rows} rows); baseline now_working "
            f"{working * 1000:.1f} ms; ratio {answers / working:.2f}"
        )

        from goalstudio.widgets import ConceptCheck, Reflection

        check = timed(
            lambda: ConceptCheck("03-outputs", learner="b", store_url=url).close(), args.runs
        )
        reflection = timed(
            lambda: Reflection(module="03", learner="b", store_url=url).close(), args.runs
        )
        print(
            f"ConceptCheck build: {check * 1000:.1f} ms; baseline Reflection "
            f"{reflection * 1000:.1f} ms; ratio {check / reflection:.2f}"
        )

    _cache.clear()
    cold = timed(openable_cases, 1)
    warm = timed(openable_cases, args.runs)
    one = timed(lambda: load("bernie-cmht-allotment"), args.runs)
    print(
        f"case list: first read {cold * 1000:.0f} ms, cached {warm * 1000:.2f} ms; baseline "
        f"loading the one case an exercise opens {one * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
