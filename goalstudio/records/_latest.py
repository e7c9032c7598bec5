"""Each learner's latest attempt at each activity, in brief, kept between reads of one store.

The dashboards' criteria, verdicts and chart-review answers sit inside each attempt's review
(JSON, 20-30 KB for a real rubric review). Reading them from every latest review on every
refresh of a live board costs seconds at cohort scale, so a checked attempt's brief is kept in
the store (``records._brief``), and this keeps the briefs it has read: one grouped pass over the
attempts' covering index finds the latest ids, and only the briefs not seen before are read.
Only attempts the studio has checked (``review_checks``) are kept, since a checked review never
changes again; an unchecked one is read from its review afresh each time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, exists, func, select

from goalstudio._vocabulary import CRITERIA
from goalstudio.records import _brief
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
            kept = select(c.c.attempt_id, c.c.brief).where(
                c.c.attempt_id.in_(part), c.c.brief != ""
            )
            found = _from_kept(conn.execute(kept).all())
            fresh.extend(found)
            # Unchecked attempts (and any brief that cannot be read) from their reviews.
            rest = set(part) - {b.id for b in found}
            if rest:
                query = select(*_columns(store)).where(a.c.id.in_(rest))
                fresh.extend(_brief_of(row) for row in conn.execute(query))
        for brief in fresh:
            if wanted[brief.id]:
                self._kept[brief.id] = brief
        out = [self._kept[i] for i in wanted if i in self._kept]
        unchecked = [b for b in fresh if not wanted[b.id]]
        self._mark, self._last = (None, []) if unchecked else (mark, out)
        return out + unchecked


def _columns(store: RecordStore) -> list[Any]:
    a = s.attempts
    return [
        a.c.id,
        a.c.learner,
        a.c.activity,
        a.c.scenario,
        a.c.module,
        a.c.record_id,
        a.c.submitted_at,
        a.c.score,
        _brief.review_parts(store.dialect),
    ]


def _brief_of(row: Any) -> Brief:
    verdicts, answers = _brief.parse_parts(row[8])
    fields = list(row[1:8])
    return _make(int(row[0]), fields, verdicts, answers)


def _from_kept(rows: Sequence[Any]) -> list[Brief]:
    """The briefs that read from (attempt id, brief) rows. Each is parsed on its own: joined into
    one JSON array, a damaged brief could pass its neighbour's values to another attempt."""
    out = []
    for attempt_id, text in rows:
        decoded = _brief.decode(text)
        if decoded is not None:
            fields, verdicts, answers = decoded
            out.append(_make(int(attempt_id), fields, verdicts, answers))
    return out


def _make(
    attempt_id: int,
    fields: list[Any],
    verdicts: Mapping[str, str],
    answers: list[list[str]] | None,
) -> Brief:
    learner, activity, scenario, module, record_id, submitted_at, score = fields
    return Brief(
        attempt_id,
        str(learner),
        str(activity),
        str(scenario),
        str(module),
        str(record_id),
        str(submitted_at),
        None if score is None else float(score),
        tuple(map(verdicts.get, CRITERIA)),
        None if answers is None else tuple((str(i), str(v)) for i, v in answers),
    )
