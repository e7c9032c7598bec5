"""Sample records for trying the dashboards, for their tests and for the benchmark.

``fill_sample_store(url, learners=12)`` adds a believable cohort in one transaction (through the
store's CSV import): learners starting and finishing activities over the last few weeks, plan
attempts (a case's deficit-led plan, or its model rewrite more often as a learner progresses) with
the real rubric's reviews, chart reviews, and pre/post self-ratings. The data is generated from a
seed, so the same call gives the same cohort.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import random
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from goalstudio.records import CSV_COLUMNS, RecordStore, import_records

FIRST_NAMES = (
    "Amina",
    "Ben",
    "Chloe",
    "Dev",
    "Efua",
    "Finn",
    "Grace",
    "Hamid",
    "Isla",
    "Jonah",
    "Kemi",
    "Liam",
    "Maya",
    "Nico",
    "Olu",
    "Priya",
    "Quinn",
    "Rosa",
    "Sam",
    "Tariq",
    "Uma",
    "Vik",
    "Wren",
    "Yusuf",
    "Zara",
)


@functools.cache
def _palette() -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """(scenario id, ((plan text, its review as JSON), ...)) for a few built-in scenarios: the
    case's deficit-led plan and its model rewrite, each with the real rubric's review. The
    dashboards check every review against the text (``RecordStore.verify_reviews``), so the
    sample's reviews are the ones the studio computes."""
    from goalstudio.rubric import review
    from goalstudio.scenarios import list_scenarios, load

    out = []
    for summary in list_scenarios()[:6]:
        scenario = load(summary.id)
        plans = tuple(
            (text, json.dumps(review(text, scenario.locale, scenario).to_dict()))
            for text in (scenario.deficit_plan, scenario.model_rewrite)
        )
        out.append((summary.id, plans))
    return tuple(out)


def _guard(value: str) -> str:
    return "'" + value if value.startswith(("=", "+", "-", "@", "\t", "\r", "'")) else value


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def sample_records_csv(
    learners: int = 12,
    activities: int = 6,
    attempts: int = 2,
    *,
    seed: int = 7,
    now: datetime | None = None,
    names: Sequence[str] | None = None,
    days: int = 21,
) -> str:
    """A records export (CSV) holding a sample cohort; see the module docstring."""
    rng = random.Random(seed)
    moment = now or datetime.now(UTC)
    start = moment - timedelta(days=days)
    palette = _palette()
    domains = ("A", "B", "C", "D", "E")
    buffer = io.StringIO()
    out = csv.DictWriter(buffer, fieldnames=list(CSV_COLUMNS))
    out.writeheader()

    def row(kind: str, learner: str, at: datetime, **cells: Any) -> None:
        base = {c: "" for c in CSV_COLUMNS}
        base.update(
            record_id=str(uuid.UUID(int=rng.getrandbits(128))),
            kind=kind,
            learner=_guard(learner),
            created_at=_stamp(at),
        )
        base.update({k: _guard(v) if isinstance(v, str) else v for k, v in cells.items()})
        out.writerow(base)

    for n in range(learners):
        if names is not None:
            learner = names[n % len(names)] if n < len(names) else f"{names[n % len(names)]}-{n}"
        elif learners <= len(FIRST_NAMES):
            learner = FIRST_NAMES[n]
        else:
            learner = f"learner-{n + 1:04d}"
        skill = rng.uniform(0.25, 0.95)
        confident = rng.uniform(0.0, 1.0)
        idle = rng.random() < 0.15  # some self-study learners drift away
        span_days = days * (0.4 if idle else 1.0)
        at = start + timedelta(hours=rng.uniform(0, 24))
        for d in domains:
            pre = max(1, min(5, round(2.5 + 2.5 * confident + rng.uniform(-0.7, 0.7))))
            row("self_rating", learner, at, phase="pre", domain=d, rating=pre)
        for a in range(activities):
            module = str(1 + (a * 4) // max(activities, 1))
            scenario, plans = palette[(n + a) % len(palette)]
            chart_review = a % 5 == 4
            activity = f"m{module}-{'chart-review' if chart_review else 'rewrite'}-{a + 1}"
            at = start + timedelta(days=span_days * (a + rng.random()) / max(activities, 1))
            row(
                "event",
                learner,
                at,
                activity=activity,
                scenario=scenario,
                module=module,
                event="started",
                detail="{}",
            )
            for k in range(attempts):
                at += timedelta(minutes=rng.uniform(2, 15))
                progress = skill * (0.55 + 0.45 * (a + (k + 1) / attempts) / activities)
                if chart_review:
                    from goalstudio.rubric import CHART_ITEMS

                    items = {
                        i: {
                            "suggested": "no",
                            "note": "",
                            "answer": rng.choices(
                                ("yes", "unclear", "no"), (progress, 0.2, 1 - progress)
                            )[0],
                        }
                        for i, _t in CHART_ITEMS
                    }
                    review: dict[str, Any] = {"kind": "chart_review", "items": items, "changed": []}
                    review_json = json.dumps(review, sort_keys=True)
                    text = f"Chart review by {learner} for {scenario}, attempt {k + 1}"
                else:
                    # The deficit-led plan, or the rewrite more often as the learner progresses.
                    text, review_json = plans[int(rng.random() < progress)]
                row(
                    "attempt",
                    learner,
                    at,
                    activity=activity,
                    scenario=scenario,
                    module=module,
                    text=text,
                    detail=review_json,
                )
            if rng.random() < 0.85:
                row(
                    "event",
                    learner,
                    at + timedelta(minutes=1),
                    activity=activity,
                    scenario=scenario,
                    module=module,
                    event="completed",
                    detail="{}",
                )
        if not idle and rng.random() < 0.7:
            at += timedelta(hours=1)
            for d in domains:
                post = max(1, min(5, round(1.5 + 3.5 * skill + rng.uniform(-0.7, 0.7))))
                row("self_rating", learner, at, phase="post", domain=d, rating=post)
    return buffer.getvalue()


def fill_sample_store(store_or_url: RecordStore | str, **options: Any) -> int:
    """Add a sample cohort to a records store (see ``sample_records_csv`` for the options).
    Returns how many records were added."""
    text = sample_records_csv(**options)
    if isinstance(store_or_url, RecordStore):
        return import_records(store_or_url, text).added
    with RecordStore(store_or_url) as store:
        return import_records(store, text).added
