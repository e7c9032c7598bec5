"""The studio's check of learners' reviews (RecordStore.verify_reviews) at cohort scale.

Fills a SQLite records store with a sample cohort, then times: the first check of every
attempt; a check with nothing new (what each dashboard refresh pays on a live board); a check
after one new attempt. Baseline, measured in the same run: the rubric profile query, which every
refresh of that dashboard runs anyway. The sample repeats a few plan texts, which the check
reviews once each, so the first check here is mostly database work; the rubric's own time per
plan is printed too.

    .venv/bin/python benchmarks/verify_reviews.py [--learners 500] [--activities 8]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from goalstudio.records import RecordStore  # noqa: E402
from goalstudio.records import reports as q  # noqa: E402
from goalstudio.rubric import review  # noqa: E402
from goalstudio.scenarios import load  # noqa: E402
from goalstudio.widgets.dashboards import fill_sample_store  # noqa: E402


def _ms(work: object) -> float:
    start = time.perf_counter()
    work()  # type: ignore[operator]
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=500)
    parser.add_argument("--activities", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'records.sqlite'}"
        fill_sample_store(url, learners=args.learners, activities=args.activities, attempts=2)
        with RecordStore(url) as store:
            attempts = q.store_counts(store)["plans"]
            first = _ms(store.verify_reviews)
            idle = statistics.median(_ms(store.verify_reviews) for _ in range(9))
            profile = statistics.median(_ms(lambda: q.rubric_profile(store)) for _ in range(9))
            case = load("bernie-cmht-allotment")
            store.add_attempt("new", "m3", case.deficit_plan, {"verdicts": {}}, scenario=case.id)
            one = _ms(store.verify_reviews)
    plan = load("carla-declines-act-deaf").deficit_plan
    rubric = statistics.median(_ms(lambda: review(plan)) for _ in range(9))
    print(f"store: {args.learners} learners, {attempts} plan attempts (SQLite)")
    print(f"first check of every attempt:      {first:9.1f} ms")
    print(f"check with nothing new (median):   {idle:9.1f} ms")
    print(f"check after one new attempt:       {one:9.1f} ms")
    print(f"baseline, rubric profile (median): {profile:9.1f} ms")
    print(f"the rubric on one plan (median):   {rubric:9.1f} ms")
    print(f"nothing new / rubric profile:      {idle / profile:9.2f}x")


if __name__ == "__main__":
    main()
