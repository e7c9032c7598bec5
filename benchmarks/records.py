"""Records-store figures: autosave latency and dashboard query times, SQLite beside PostgreSQL.

    .venv/bin/python benchmarks/records.py              # 500 learners x 40 activities x 5 attempts
    .venv/bin/python benchmarks/records.py --quick      # a smaller cohort, for a smoke run

PostgreSQL is measured when ``--postgres URL`` or ``$GOALSTUDIO_TEST_POSTGRES_URL`` names a
server (``bash .ci/postgres.sh`` starts one); the run uses a fresh schema and drops it after.

Each figure is printed beside a baseline measured in the same run on the same database:
- autosave: a bare one-row INSERT and COMMIT through the driver, without the gateway;
- dashboard queries: ``SELECT count(*) FROM attempts``, the cost of touching every attempt once.
Budgets (issue 4): autosave p95 under 20 ms; each dashboard query under 300 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

from goalstudio._environment import TEST_POSTGRES_URL_ENV
from goalstudio._vocabulary import CRITERIA, VERDICTS
from goalstudio.records import RecordStore
from goalstudio.records import _schema as s

AUTOSAVE_BUDGET_MS = 20.0
QUERY_BUDGET_MS = 300.0
PHRASES = [
    "non-compliant",
    "suffers from",
    "the schizophrenic",
    "addict",
    "manipulative",
    "attention seeking",
    "lacks insight",
    "challenging behaviour",
    "frequent flyer",
    "refuses",
    "clean",
    "dirty urine",
    "committed suicide",
    "low functioning",
    "treatment resistant",
    "in denial",
    "failed treatment",
    "resistant",
    "difficult patient",
    "bed blocker",
]
PLAN = (
    'Goal: "I want to get back to singing in the choir by Christmas." (Priya)\n'
    "  Strengths: strong voice, knows the choir leader\n"
    "  Barrier: panic on buses\n"
    "  Objective: Priya goes to two rehearsals a month by October.\n"
    "    - Priya: chooses which rehearsals to try first\n"
    "    - Sister (Ana): lifts to rehearsal on Tuesdays\n"
    "    - Care co-ordinator: weekly session practising her breathing plan, until September\n"
) * 4


def _now(offset: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(1_750_000_000 + offset)) + ".000000Z"


def _review(rng: random.Random) -> str:
    findings = [
        {
            "rule_id": "language",
            "criterion": "language",
            "severity": "warning",
            "phrase": rng.choice(PHRASES),
            "start": 10,
            "end": 20,
            "message": "This wording can label the person.",
            "suggestion": "Describe what happens.",
        }
        for _ in range(rng.randint(0, 3))
    ]
    findings.append(
        {
            "rule_id": "roles.person_owns_action",
            "criterion": "roles",
            "severity": "info",
            "message": "Add an action the person owns.",
        }
    )
    verdicts = {c: rng.choice(VERDICTS) for c in CRITERIA}
    return json.dumps({"findings": findings, "verdicts": verdicts}, sort_keys=True)


def seed(store: RecordStore, learners: int, activities: int, attempts: int) -> int:
    """Fill the store through its own insert path (attempts also fill the findings table)."""
    rng = random.Random(4)
    text_bytes = PLAN.encode()
    count = 0
    for learner in range(learners):
        name = f"learner-{learner:04d}"
        attempt_rows: list[dict[str, Any]] = []
        event_rows: list[dict[str, Any]] = []
        for activity in range(activities):
            module = str(activity // 5)
            act = f"m{module}-activity-{activity:02d}"
            base = learner * 10_000 + activity * 100
            event_rows.append(
                {
                    "record_id": str(uuid.uuid4()),
                    "learner": name,
                    "activity": act,
                    "scenario": "priya",
                    "module": module,
                    "kind": "started",
                    "detail": "{}",
                    "created_at": _now(base),
                }
            )
            for number in range(attempts):
                review = _review(rng)
                score = s_score(review)
                attempt_rows.append(
                    {
                        "record_id": str(uuid.uuid4()),
                        "learner": name,
                        "activity": act,
                        "scenario": "priya",
                        "module": module,
                        "text": text_bytes,
                        "review": review,
                        "score": score,
                        "submitted_at": _now(base + number + 1),
                    }
                )
            if rng.random() < 0.8:
                event_rows.append(
                    {
                        "record_id": str(uuid.uuid4()),
                        "learner": name,
                        "activity": act,
                        "scenario": "priya",
                        "module": module,
                        "kind": "completed",
                        "detail": "{}",
                        "created_at": _now(base + 50),
                    }
                )
        rating_rows = [
            {
                "record_id": str(uuid.uuid4()),
                "learner": name,
                "phase": phase,
                "domain": domain,
                "rating": rng.randint(1, 5),
                "created_at": _now(learner),
            }
            for phase in ("pre", "post")
            for domain in "ABCDE"
        ]

        def work(
            conn: Any, a: Any = attempt_rows, e: Any = event_rows, r: Any = rating_rows
        ) -> None:
            RecordStore._insert_attempts(conn, a)
            conn.execute(insert(s.events), e)
            conn.execute(insert(s.self_ratings), r)

        store._write(work)
        count += len(attempt_rows)
    return count


def s_score(review: str) -> float:
    from goalstudio.records import score_from_review

    value = score_from_review(json.loads(review))
    assert value is not None
    return value


def _ms(seconds: float) -> float:
    return seconds * 1000.0


def autosave_latencies(store: RecordStore, saves: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of each autosave (a typical plan, a little longer)."""
    wall, cpu = [], []
    for i in range(saves):
        body = PLAN + f"\nTyping continues ({i})."
        started, cpu_started = time.perf_counter(), time.process_time()
        store.save_draft("learner-0001", "m3-activity-15", body, scenario="priya")
        cpu.append(_ms(time.process_time() - cpu_started))
        wall.append(_ms(time.perf_counter() - started))
    return wall, cpu


def baseline_insert(store: RecordStore, saves: int) -> list[float]:
    """A bare INSERT + COMMIT through the same driver and database: the floor for a write."""
    with store._engine.connect() as conn:
        conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS bench_floor (id INTEGER, body TEXT)")
        conn.commit()
    raw = store._engine.raw_connection()
    times = []
    try:
        cursor = raw.cursor()
        marker = "?" if store.dialect == "sqlite" else "%s"
        for i in range(saves):
            started = time.perf_counter()
            if store.dialect == "sqlite":
                cursor.execute("BEGIN")
            cursor.execute(f"INSERT INTO bench_floor VALUES ({marker}, {marker})", (i, PLAN))
            raw.commit() if store.dialect != "sqlite" else cursor.execute("COMMIT")
            times.append(_ms(time.perf_counter() - started))
    finally:
        raw.close()
    return times


def query_times(store: RecordStore, repeats: int) -> dict[str, tuple[list[float], list[float]]]:
    """Wall-clock and CPU milliseconds of each dashboard query. For SQLite the query runs in
    this process, so its CPU time is what the query costs on an otherwise idle machine."""

    def floor() -> Any:
        return store._read(lambda c: c.execute(text("SELECT count(*) FROM attempts")).scalar())

    queries: dict[str, Callable[[], Any]] = {
        "baseline: count(*) of attempts": floor,
        "learner_progress()": store.learner_progress,
        "module_progress()": store.module_progress,
        "latest_reviews()": store.latest_reviews,
        "language_finding_counts()": store.language_finding_counts,
        "language_finding_counts(latest_only)": lambda: store.language_finding_counts(
            latest_only=True
        ),
        "self_ratings_with_scores()": store.self_ratings_with_scores,
    }
    results: dict[str, tuple[list[float], list[float]]] = {}
    for name, run in queries.items():
        run()  # warm the cache once, as a dashboard that has just loaded would
        wall, cpu = [], []
        for _ in range(repeats):
            started, cpu_started = time.perf_counter(), time.process_time()
            run()
            cpu.append(_ms(time.process_time() - cpu_started))
            wall.append(_ms(time.perf_counter() - started))
        results[name] = (wall, cpu)
    return results


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


@contextmanager
def sqlite_url() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="gs-bench-") as folder:
        yield f"sqlite:///{Path(folder) / 'records.sqlite'}"


@contextmanager
def postgres_url(base: str) -> Iterator[str]:
    schema = f"gs_bench_{uuid.uuid4().hex[:10]}"
    engine = create_engine(base)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def measure(url: str, args: argparse.Namespace, label: str) -> dict[str, Any]:
    with RecordStore(url) as store:
        started = time.perf_counter()
        rows = seed(store, args.learners, args.activities, args.attempts)
        seeded = time.perf_counter() - started
        with store._engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")  # as autovacuum / PRAGMA optimize would
            conn.commit()
        print(f"{label}: seeded {rows:,} attempts in {seeded:.1f} s", file=sys.stderr)
        saves, saves_cpu = autosave_latencies(store, args.saves)
        floor = baseline_insert(store, args.saves)
        queries = query_times(store, args.repeats)
    return {"saves": saves, "saves_cpu": saves_cpu, "floor": floor, "queries": queries}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=500)
    parser.add_argument("--activities", type=int, default=40)
    parser.add_argument("--attempts", type=int, default=5)
    parser.add_argument("--saves", type=int, default=500, help="autosaves to time")
    parser.add_argument("--repeats", type=int, default=5, help="runs of each query")
    parser.add_argument("--postgres", default=os.environ.get(TEST_POSTGRES_URL_ENV))
    parser.add_argument("--quick", action="store_true", help="50 learners, 100 saves")
    args = parser.parse_args(argv)
    if args.quick:
        args.learners, args.saves, args.repeats = 50, 100, 3

    load_before = os.getloadavg()[0]
    backends: dict[str, dict[str, Any]] = {}
    with sqlite_url() as url:
        backends["SQLite"] = measure(url, args, "SQLite")
    if args.postgres:
        try:
            with postgres_url(args.postgres) as url:
                backends["PostgreSQL"] = measure(url, args, "PostgreSQL")
        except Exception as exc:  # a benchmark reports what it could not measure, and goes on
            print(f"PostgreSQL skipped: {exc}", file=sys.stderr)
    else:
        print(f"PostgreSQL skipped: no --postgres URL or {TEST_POSTGRES_URL_ENV}", file=sys.stderr)

    columns: list[tuple[str, str, str]] = []  # (heading, backend, wall or cpu)
    for name in backends:
        columns.append((f"{name} wall", name, "wall"))
        if name == "SQLite":
            columns.append(("SQLite CPU", name, "cpu"))
    cohort = f"{args.learners} learners x {args.activities} activities x {args.attempts} attempts"
    print(f"Records store benchmark ({cohort}; {args.saves} autosaves; median of {args.repeats})")
    print(
        f"machine: {os.cpu_count()} cores; load average {load_before:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end (wall-clock figures grow with load)"
    )
    print(f"{'':40}" + "".join(f"{c[0]:>17}" for c in columns) + f"{'budget':>9}")

    def line(label: str, values: list[float | None], budget: str = "") -> None:
        cells = "".join(f"{'':>17}" if v is None else f"{v:>14.2f} ms" for v in values)
        print(f"{label:40}{cells}{budget:>9}")

    def saves(pick: Callable[[list[float]], float]) -> list[float | None]:
        return [
            pick(backends[b]["saves" if kind == "wall" else "saves_cpu"]) for _, b, kind in columns
        ]

    line("autosave p50", saves(statistics.median))
    line("autosave p95", saves(p95), f"{AUTOSAVE_BUDGET_MS:.0f} ms")
    line("autosave max", saves(max))
    line(
        "  baseline: bare INSERT+COMMIT p95",
        [p95(backends[b]["floor"]) if kind == "wall" else None for _, b, kind in columns],
    )
    first = next(iter(backends.values()))
    for query in first["queries"]:
        baseline = query.startswith("baseline")
        values: list[float | None] = [
            statistics.median(backends[b]["queries"][query][0 if kind == "wall" else 1])
            for _, b, kind in columns
        ]
        line(
            f"  {query}" if baseline else query,
            values,
            "" if baseline else f"{QUERY_BUDGET_MS:.0f} ms",
        )
    failures = [
        f"{name} autosave p95"
        for name, b in backends.items()
        if p95(b["saves"]) > AUTOSAVE_BUDGET_MS
    ] + [
        f"{name} {query}"
        for name, b in backends.items()
        for query, (wall, _cpu) in b["queries"].items()
        if not query.startswith("baseline") and statistics.median(wall) > QUERY_BUDGET_MS
    ]
    print("within budget" if not failures else "over budget: " + "; ".join(failures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
