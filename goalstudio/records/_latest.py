"""Each learner's latest attempt at each activity, in brief, kept between reads of one store.

The dashboards' criteria, verdicts and chart-review answers sit inside each attempt's review
(JSON, about 19 KB for a real rubric review). Reading them from every latest review on every
refresh of a live board costs seconds at cohort scale, so a store keeps the brief of each
attempt it has read: one grouped pass over the attempts' covering index finds the latest ids,
and only the reviews not seen before are read. Only attempts the studio has checked
(``review_checks``) are kept, since a checked review never changes again; an unchecked one is
read afresh each time.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Text, cast, exists, func, select
from sqlalchemy.dialects.postgresql import JSONB

from goalstudio._vocabulary import CRITERIA
from goalstudio.records import _schema as s

if TYPE_CHECKING:
    from goalstudio.records._store import RecordStore

_BATCH = 500  # ids per IN list


@dataclass(frozen=True, slots=True)
class Brief:
    """What the dashboards read of one attempt: its keys, score, the verdict of each criterion
    (None where the review gives none), and for a chart review each item's answer."""

    id: int
    learner: str
    activity: str
    scenario: str
    module: str
    record_id: str
    submitted_at: str
    score: float | None
    verdicts: tuple[str | None, ...]
    chart_answers: tuple[tuple[str, str], ...] | None  # None: not a chart review

    @property
    def reviewed(self) -> bool:
        """A plan review: the rubric gave the first criterion a verdict."""
        return self.verdicts[0] is not None


class LatestAttempts:
    """The briefs of one store's latest attempts; ``read`` brings them up to date."""

    def __init__(self) -> None:
        self._kept: dict[int, Brief] = {}
        self._mark: tuple[int, ...] | None = None  # the tables as the last read found them
        self._last: list[Brief] = []

    def read(self, store: RecordStore) -> list[Brief]:
        """The brief of each learner's latest attempt at each activity."""
        return store._read(lambda conn: self._read(store, conn))

    def _read(self, store: RecordStore, conn: Connection) -> list[Brief]:
        a, c = s.attempts, s.review_checks
        # Nothing added, removed or checked since a read that found everything checked: the
        # same briefs (counts and the newest id, from small indexes: about 2 ms).
        mark_query = select(
            select(func.count()).select_from(a).scalar_subquery(),
            select(func.max(a.c.id)).scalar_subquery(),
            select(func.count()).select_from(c).scalar_subquery(),
        )
        mark = tuple(int(v or 0) for v in conn.execute(mark_query).one())
        if mark == self._mark:
            return self._last
        latest = (
            select(func.max(a.c.id).label("id"))
            .group_by(a.c.learner, a.c.activity)
            .subquery("latest")
        )
        checked = exists().where(c.c.attempt_id == latest.c.id)
        rows = conn.execute(select(latest.c.id, checked.label("checked"))).all()
        wanted = {int(i): bool(done) for i, done in rows}
        # Attempts no longer latest, or not checked, are read again when needed.
        self._kept = {i: b for i, b in self._kept.items() if wanted.get(i)}
        missing = [i for i in wanted if i not in self._kept]
        fresh: list[Brief] = []
        for start in range(0, len(missing), _BATCH):
            part = missing[start : start + _BATCH]
            query = select(*_columns(store)).where(a.c.id.in_(part))
            fresh.extend(_brief(store, row) for row in conn.execute(query))
        for brief in fresh:
            if wanted[brief.id]:
                self._kept[brief.id] = brief
        out = [self._kept[i] for i in wanted if i in self._kept]
        unchecked = [b for b in fresh if not wanted[b.id]]
        self._mark, self._last = (None, []) if unchecked else (mark, out)
        return out + unchecked


def _columns(store: RecordStore) -> list[Any]:
    a = s.attempts
    brief: Any
    if store.dialect == "postgresql":
        review = cast(a.c.review, JSONB)
        parts = func.jsonb_build_array(review["verdicts"], review["kind"], review["items"])
        brief = cast(parts, Text)
    else:
        # One parse of the review for all three parts.
        brief = func.json_extract(a.c.review, "$.verdicts", "$.kind", "$.items")
    return [
        a.c.id,
        a.c.learner,
        a.c.activity,
        a.c.scenario,
        a.c.module,
        a.c.record_id,
        a.c.submitted_at,
        a.c.score,
        brief,
    ]


def _brief(store: RecordStore, row: Any) -> Brief:
    try:
        verdicts, kind, items = json.loads(row[8]) if row[8] else (None, None, None)
    except (ValueError, TypeError):
        verdicts, kind, items = None, None, None
    return Brief(
        int(row[0]),
        row[1],
        row[2],
        row[3],
        row[4],
        row[5],
        row[6],
        None if row[7] is None else float(row[7]),
        tuple(_verdict(verdicts, c) for c in CRITERIA),
        _answers(items) if kind == "chart_review" else None,
    )


def _verdict(verdicts: object, criterion: str) -> str | None:
    """{"verdicts": {c: {"verdict": v}}} or {c: v}."""
    said = verdicts.get(criterion) if isinstance(verdicts, Mapping) else None
    if isinstance(said, Mapping):
        said = said.get("verdict")
    return said if isinstance(said, str) else None


def _answers(items: object) -> tuple[tuple[str, str], ...]:
    if not isinstance(items, Mapping):
        return ()
    out = []
    for item, given in items.items():
        answer = given.get("answer") if isinstance(given, Mapping) else None
        if isinstance(answer, str):
            out.append((str(item), answer))
    return tuple(out)
