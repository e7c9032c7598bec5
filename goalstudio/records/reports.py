"""Reports over the records store: what the facilitator dashboards and the course home read.

Every function takes an open ``RecordStore`` and returns plain rows (named tuples, or the
store's own record types), empty when the store holds nothing yet. Counting, averaging and
"latest attempt" selection happen in the database; Python only reshapes the aggregated rows.
The definitions of "completed" and "time on task" live here (``progress``), so the course home
and the dashboards cannot disagree. Nothing here imports pandas: a dashboard makes its frames.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple, TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy import String, case, cast, func, literal, select, union_all
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.sql.elements import ColumnElement

from goalstudio._vocabulary import CRITERIA, VERDICT_SCORES, VERDICTS
from goalstudio.records import _schema as s
from goalstudio.records._latest import Brief, LatestAttempts
from goalstudio.records._progress import IDLE_MINUTES, completes_module, minutes_on_task
from goalstudio.records._store import RecordStore
from goalstudio.records._types import Override, RatingPair

T = TypeVar("T")


# -- the rows ---------------------------------------------------------------------------------


class Working(NamedTuple):
    """What a learner did last (``doing``: started, writing, submitted...), and when."""

    learner: str
    activity: str
    scenario: str
    module: str
    doing: str
    at: str


class Submission(NamedTuple):
    """A learner's latest reviewed attempt at an activity, with its verdict per criterion."""

    learner: str
    activity: str
    scenario: str
    module: str
    record_id: str
    submitted_at: str
    score: float | None
    outcomes: str | None
    personalised: str | None
    roles: str | None
    own_words: str | None
    action_oriented: str | None


class CriteriaRow(NamedTuple):
    """A learner's mean credit per criterion (met 1, partly 0.5, not met 0) over ``reviewed``
    latest reviewed attempts; None where no review gave the criterion a verdict."""

    learner: str
    reviewed: int
    outcomes: float | None
    personalised: float | None
    roles: float | None
    own_words: float | None
    action_oriented: float | None


class CheckAnswers(NamedTuple):
    """How many learners chose ``answer`` of a concept check first, and at any try."""

    check: str
    answer: str
    first: int
    chosen: int


class ActivitySpan(NamedTuple):
    learner: str
    module: str
    activity: str
    started: int
    completed: int
    attempts: int
    first_at: str
    last_at: str


class ModuleWork(NamedTuple):
    """A learner's work in a module: activities started and completed, attempts, minutes on
    task, last activity, and whether the module is completed (1) or not (0)."""

    learner: str
    module: str
    started: int
    completed: int
    attempts: int
    minutes: float
    last_active: str
    module_completed: int


class LastSeen(NamedTuple):
    learner: str
    last_active: str


class Inactive(NamedTuple):
    learner: str
    last_active: str
    days_inactive: float


class Competence(NamedTuple):
    """Mean pre and post self-rating (1-5) beside the demonstrated score (0-1, and on 1-5)."""

    learner: str
    pre: float | None
    post: float | None
    demonstrated: float | None
    demonstrated_1_5: float | None
    scored_activities: int


class RatingChange(NamedTuple):
    domain: str
    pre: float | None
    post: float | None
    pre_learners: int
    post_learners: int


class Phrase(NamedTuple):
    """A flagged phrase: how often, by how many learners, in the recent and the earlier span,
    and its trend ("rising", "falling", "steady" or "new")."""

    phrase: str
    rule_id: str
    occurrences: int
    learners: int
    recent: int
    before: int
    trend: str


class PhraseDay(NamedTuple):
    phrase: str
    day: str
    times: int  # (a tuple has a count method already)


class PhraseBoard(NamedTuple):
    """The ranked phrases, and the top phrases' counts per day (dated once, for both)."""

    phrases: list[Phrase]
    by_day: list[PhraseDay]


class ReviewedPlan(NamedTuple):
    learner: str
    activity: str
    scenario: str
    record_id: str


class VerdictCount(NamedTuple):
    criterion: str
    scenario: str
    verdict: str
    times: int  # (a tuple has a count method already)


class AnswerCount(NamedTuple):
    item: str
    scenario: str
    answer: str
    times: int  # (a tuple has a count method already)


# -- SQL pieces -------------------------------------------------------------------------------


def _rows(store: RecordStore, query: Any) -> list[Any]:
    return store._report(query)


def json_text(store: RecordStore, column: Any, *path: str) -> ColumnElement[Any]:
    """The text at ``path`` inside a JSON text column, evaluated by the database."""
    if store.dialect == "postgresql":
        return func.jsonb_extract_path_text(cast(column, JSONB), *[literal(p) for p in path])
    return func.json_extract(column, "$." + ".".join(f'"{p}"' for p in path))


def verdict_expr(store: RecordStore, criterion: str) -> ColumnElement[Any]:
    """A review's verdict for one criterion ({"verdicts": {c: {"verdict": v}}} or {c: v})."""
    column = s.attempts.c.review
    return func.coalesce(
        json_text(store, column, "verdicts", criterion, "verdict"),
        json_text(store, column, "verdicts", criterion),
    )


def _reviewed(store: RecordStore) -> ColumnElement[bool]:
    return verdict_expr(store, CRITERIA[0]).is_not(None)


def _window(column: Any, since: str | None, until: str | None) -> list[ColumnElement[bool]]:
    out: list[ColumnElement[bool]] = []
    if since:
        out.append(column >= since)
    if until:
        out.append(column < until)
    return out


def _mean(values: Iterable[float | None]) -> float | None:
    given = [float(v) for v in values if v is not None]
    return sum(given) / len(given) if given else None


# -- the live workshop board ------------------------------------------------------------------


def change_marker(store: RecordStore) -> tuple[int, ...]:
    """The newest row id of each table: a cheap way to tell whether anything was added."""
    tables = (s.attempts, s.events, s.drafts, s.reflections, s.self_ratings, s.overrides)
    query = select(*[select(func.max(t.c.id)).scalar_subquery() for t in tables])
    row = _rows(store, query)[0]
    return tuple(int(v or 0) for v in row)


def now_working(store: RecordStore) -> list[Working]:
    """What each learner did last, newest first.

    The newest row of each learner in events, attempts and drafts is found by id through the
    tables' learner indexes (ids grow as records are written), so the big attempt rows are only
    read for the few hundred winners.
    """
    e, a, d = s.events, s.attempts, s.drafts

    def newest(table: Any) -> Any:
        return (
            select(func.max(table.c.id).label("id"))
            .group_by(table.c.learner)
            .subquery(f"newest_{table.name}")
        )

    ne, na, nd = newest(e), newest(a), newest(d)
    doing = case(
        (e.c.kind == "started", literal("started")),
        (e.c.kind == "hint_revealed", literal("asked for a hint")),
        (e.c.kind == "conversation_choice", literal("in a conversation")),
        (e.c.kind == "completed", literal("completed")),
        (e.c.kind == "check_answered", literal("answered a concept check")),
        else_=e.c.kind,
    )
    parts = union_all(
        select(e.c.learner, e.c.activity, e.c.scenario, e.c.module, doing, e.c.created_at).join(
            ne, ne.c.id == e.c.id
        ),
        select(
            a.c.learner,
            a.c.activity,
            a.c.scenario,
            a.c.module,
            literal("submitted"),
            a.c.submitted_at,
        ).join(na, na.c.id == a.c.id),
        select(
            d.c.learner,
            d.c.activity,
            d.c.scenario,
            literal("", String),
            literal("writing"),
            d.c.saved_at,
        ).join(nd, nd.c.id == d.c.id),
    ).subquery("parts")
    cols = list(parts.c)
    ranked = select(
        *cols,
        func.row_number()
        .over(partition_by=cols[0], order_by=(cols[5].desc(), cols[4].desc()))
        .label("rn"),
    ).subquery("ranked")
    rc = list(ranked.c)
    query = select(*rc[:6]).where(ranked.c.rn == 1).order_by(rc[5].desc(), rc[0])
    return [Working(*row) for row in _rows(store, query)]


def submissions(store: RecordStore, limit: int = 24) -> list[Submission]:
    """The newest reviewed submissions (each learner's latest at each activity), newest first,
    with each criterion's verdict ("met", "partly", "not_met")."""
    reviewed = [b for b in _latest(store) if b.reviewed]
    reviewed.sort(key=lambda b: (b.submitted_at, b.id), reverse=True)
    return [
        Submission(
            b.learner,
            b.activity,
            b.scenario,
            b.module,
            b.record_id,
            b.submitted_at,
            b.score,
            *b.verdicts,
        )
        for b in reviewed[:limit]
    ]


def criteria_matrix(store: RecordStore, *, with_overrides: bool = True) -> list[CriteriaRow]:
    """Learners by the five criteria: the mean credit (met 1, partly 0.5, not met 0) of each
    learner's latest reviewed attempt at each activity, by learner.

    Where a facilitator has overridden a verdict, the facilitator's verdict is credited."""
    credits: dict[str, list[list[float]]] = {}
    counts: Counter[str] = Counter()
    for brief in _latest(store):
        if brief.reviewed:
            counts[brief.learner] += 1
            given = credits.setdefault(brief.learner, [[] for _ in CRITERIA])
            for column, verdict in zip(given, brief.verdicts, strict=True):
                if verdict in VERDICT_SCORES:
                    column.append(VERDICT_SCORES[verdict])
    rows = [
        CriteriaRow(learner, counts[learner], *[_mean(c) for c in credits[learner]])
        for learner in sorted(credits)
    ]
    if not with_overrides or not rows:
        return rows
    by_learner = {row.learner: i for i, row in enumerate(rows)}
    for o in overrides_in_force(store):
        i = by_learner.get(o.learner)
        if i is None or o.criterion not in CRITERIA:
            continue
        row = rows[i]
        value = getattr(row, o.criterion)
        if value is not None:
            change = VERDICT_SCORES[o.verdict] - VERDICT_SCORES[o.rubric_verdict]
            rows[i] = row._replace(**{o.criterion: value + change / row.reviewed})
    return rows


def check_answers(store: RecordStore) -> list[CheckAnswers]:
    """How many learners chose each answer of each concept check, counted in the database.

    ``first`` counts learners whose first answer to the check it was (the misconception they
    came in with); ``chosen`` learners who chose it at any try. One pass over the answers: each
    is numbered within its learner and check, and the first ones are counted beside the
    distinct learners.
    """
    from goalstudio.exercises.check import CHECK_ACTIVITY_PREFIX

    e = s.events
    answers = (
        select(
            e.c.activity,
            e.c.learner,
            json_text(store, e.c.detail, "answer").label("answer"),
            func.row_number()
            .over(partition_by=(e.c.learner, e.c.activity), order_by=e.c.id)
            .label("n"),
        )
        .where(e.c.kind == "check_answered")
        .subquery("answers")
    )
    a = answers.c
    query = (
        select(
            a.activity,
            a.answer,
            func.sum(case((a.n == 1, 1), else_=0)),
            func.count(func.distinct(a.learner)),
        )
        .where(a.answer.is_not(None))
        .group_by(a.activity, a.answer)
        .order_by(a.activity, a.answer)
    )
    return [
        CheckAnswers(
            str(activity).removeprefix(CHECK_ACTIVITY_PREFIX), answer, int(first), int(chosen)
        )
        for activity, answer, first, chosen in _rows(store, query)
    ]


# -- progress: "completed" and "time on task" ---------------------------------------------------


def activity_spans(
    store: RecordStore,
    *,
    learner: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> list[ActivitySpan]:
    """Per learner, module and activity: started, completed, attempts, first_at, last_at.

    ``since``/``until`` are ISO dates or times (UTC); a record counts when it falls inside.
    """
    return _activity_spans(store, _one(learner), since, until)


def _activity_spans(
    store: RecordStore, learners: Sequence[str] | None, since: str | None, until: str | None
) -> list[ActivitySpan]:
    e, a = s.events, s.attempts
    from_events = select(
        e.c.learner,
        e.c.module,
        e.c.activity,
        case((e.c.kind == "started", 1), else_=0).label("st"),
        case((e.c.kind == "completed", 1), else_=0).label("co"),
        literal(0).label("att"),
        e.c.created_at.label("at"),
    ).where(*_window(e.c.created_at, since, until))
    from_attempts = select(
        a.c.learner,
        a.c.module,
        a.c.activity,
        literal(0),
        literal(0),
        literal(1),
        a.c.submitted_at,
    ).where(*_window(a.c.submitted_at, since, until))
    if learners is not None:
        from_events = from_events.where(e.c.learner.in_(learners))
        from_attempts = from_attempts.where(a.c.learner.in_(learners))
    both = union_all(from_events, from_attempts).subquery("both")
    query = (
        select(
            both.c.learner,
            both.c.module,
            both.c.activity,
            func.max(both.c.st),
            func.max(both.c.co),
            func.sum(both.c.att),
            func.min(both.c.at),
            func.max(both.c.at),
        )
        .group_by(both.c.learner, both.c.module, both.c.activity)
        .order_by(both.c.learner, both.c.module, both.c.activity)
    )
    return [
        ActivitySpan(lr, m, act, int(st), int(co), int(att), first, last)
        for lr, m, act, st, co, att, first, last in _rows(store, query)
    ]


def progress(
    store: RecordStore,
    *,
    learner: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> list[ModuleWork]:
    """Per learner and module (sorted): activities started and completed, attempts, minutes on
    task, last activity, and whether the module is completed. The course home reads the same.

    - An **activity is completed** when the studio records a ``completed`` event for it, or
      its reflection is saved (a saved reflection completes its activity).
    - A **module is completed** when the learner saves the module's own reflection
      (``reflection-<module>``), the last step of every module.
    - **Time on task** adds up the gaps between a learner's consecutive records (events,
      attempts, reflections), in time order, leaving out any gap longer than
      ``IDLE_MINUTES`` (a break, not work). Each gap counts for the module of the record
      that ends it.

    Over the whole store (no learner, no dates), the store keeps each learner's rows and reads
    again only the learners with records added since (``_KeptProgress``).
    """
    if learner is None and not since and not until:
        kept = _PROGRESS.get(store)
        if kept is None:
            kept = _PROGRESS[store] = _KeptProgress()
        return kept.read(store)
    return _progress(store, _one(learner), since, until)


def _progress(
    store: RecordStore, learners: Sequence[str] | None, since: str | None, until: str | None
) -> list[ModuleWork]:
    spans: dict[tuple[str, str, str], list[Any]] = {}
    for span in _activity_spans(store, learners, since, until):
        spans[(span.learner, span.module, span.activity)] = list(span[3:])
    r = s.reflections
    saved = select(r.c.learner, r.c.module, r.c.activity, func.max(r.c.created_at)).where(
        *_window(r.c.created_at, since, until)
    )
    if learners is not None:
        saved = saved.where(r.c.learner.in_(learners))
    for who, module, activity, at in _rows(
        store, saved.group_by(r.c.learner, r.c.module, r.c.activity)
    ):
        # A reflection is its activity's completion, whether or not an event said so too.
        found = spans.setdefault((who, module, activity), [1, 1, 0, at, at])
        found[0], found[1] = 1, 1
        found[3], found[4] = min(found[3], at), max(found[4], at)
    if not spans:
        return []
    minutes = minutes_on_task(_record_times(store, learners, since, until))
    modules: dict[tuple[str, str], list[Any]] = {}
    for (who, module, activity), (started, completed, attempts, _first, last) in spans.items():
        total = modules.setdefault((who, module), [0, 0, 0, "", 0])
        total[0] += started
        total[1] += completed
        total[2] += attempts
        total[3] = max(total[3], last)
        total[4] = max(total[4], int(bool(completed) and completes_module(activity, module)))
    return [
        ModuleWork(who, module, st, co, att, minutes.get((who, module), 0.0), last, done)
        for (who, module), (st, co, att, last, done) in sorted(modules.items())
    ]


def record_times(
    store: RecordStore,
    *,
    learner: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> list[tuple[str, str, str]]:
    """Every event, attempt and reflection as ``(learner, module, time)``: what time on task
    is measured from."""
    return _record_times(store, _one(learner), since, until)


def _record_times(
    store: RecordStore, learners: Sequence[str] | None, since: str | None, until: str | None
) -> list[tuple[str, str, str]]:
    parts = []
    for table, stamp in (
        (s.events, s.events.c.created_at),
        (s.attempts, s.attempts.c.submitted_at),
        (s.reflections, s.reflections.c.created_at),
    ):
        where = _window(stamp, since, until)
        if learners is not None:
            where.append(table.c.learner.in_(learners))
        parts.append(select(table.c.learner, table.c.module, stamp).where(*where))
    return [(str(a), str(b), str(c)) for a, b, c in _rows(store, union_all(*parts))]


def _one(learner: str | None) -> list[str] | None:
    return None if learner is None else [learner]


class _KeptProgress:
    """One store's progress rows by learner, and the marks (count and newest id of each of the
    learner's events, attempts and reflections) they were read at."""

    def __init__(self) -> None:
        self._marks: dict[str, tuple[int, ...]] = {}
        self._rows: dict[str, list[ModuleWork]] = {}

    def read(self, store: RecordStore) -> list[ModuleWork]:
        marks = _learner_marks(store)  # before the rows: a record added between reads again
        changed = [who for who, mark in marks.items() if self._marks.get(who) != mark]
        if len(changed) * 2 > len(marks):  # most of the store: one pass over all of it
            self._rows = {}
            fresh = _progress(store, None, None, None)
        else:
            for who in changed:
                self._rows.pop(who, None)
            fresh = _progress(store, changed, None, None) if changed else []
        for row in fresh:
            self._rows.setdefault(row.learner, []).append(row)
        self._rows = {who: rows for who, rows in self._rows.items() if who in marks}
        self._marks = marks
        return [row for who in sorted(self._rows) for row in self._rows[who]]


def _learner_marks(store: RecordStore) -> dict[str, tuple[int, ...]]:
    """Per learner: how many events, attempts and reflections, and the newest id of each (read
    from the tables' learner indexes)."""
    parts = union_all(
        *[
            select(literal(n).label("part"), t.c.learner, func.count(), func.max(t.c.id)).group_by(
                t.c.learner
            )
            for n, t in enumerate((s.events, s.attempts, s.reflections))
        ]
    )
    marks: dict[str, list[int]] = {}
    for part, who, count, newest in _rows(store, parts):
        mark = marks.setdefault(who, [0] * 6)
        mark[2 * part], mark[2 * part + 1] = int(count), int(newest)
    return {who: tuple(mark) for who, mark in marks.items()}


_PROGRESS: WeakKeyDictionary[RecordStore, _KeptProgress] = WeakKeyDictionary()


def store_counts(store: RecordStore) -> dict[str, int]:
    """How much of each kind of work the store holds: submitted plans (reviewed attempts),
    self-ratings, reflections and events. For empty states that say the actual reason."""

    def count(table: Any, *where: ColumnElement[bool]) -> Any:
        return select(func.count()).select_from(table).where(*where).scalar_subquery()

    query = select(
        count(s.attempts, _reviewed(store)),
        count(s.self_ratings),
        count(s.reflections),
        count(s.events),
    )
    plans, ratings, reflections, events = _rows(store, query)[0]
    return {
        "plans": int(plans),
        "self_ratings": int(ratings),
        "reflections": int(reflections),
        "events": int(events),
    }


def last_seen(store: RecordStore) -> list[LastSeen]:
    """Each learner's most recent record of any kind (ISO text), by learner."""
    e, a, d, r, t = s.events, s.attempts, s.drafts, s.reflections, s.self_ratings
    parts = union_all(
        select(e.c.learner, func.max(e.c.created_at).label("at")).group_by(e.c.learner),
        select(a.c.learner, func.max(a.c.submitted_at)).group_by(a.c.learner),
        select(d.c.learner, func.max(d.c.saved_at)).group_by(d.c.learner),
        select(r.c.learner, func.max(r.c.created_at)).group_by(r.c.learner),
        select(t.c.learner, func.max(t.c.created_at)).group_by(t.c.learner),
    ).subquery("parts")
    query = (
        select(parts.c.learner, func.max(parts.c.at))
        .group_by(parts.c.learner)
        .order_by(parts.c.learner)
    )
    return [LastSeen(*row) for row in _rows(store, query)]


def inactive(store: RecordStore, days: float, *, now: datetime | None = None) -> list[Inactive]:
    """Learners with no record for at least ``days`` days, longest inactive first."""
    moment = now or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    out = []
    for seen in last_seen(store):
        stamp = datetime.fromisoformat(seen.last_active.replace("Z", "+00:00"))
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=UTC)
        idle = round((moment - stamp).total_seconds() / 86400.0, 1)
        if idle >= days:
            out.append(Inactive(seen.learner, seen.last_active, idle))
    return sorted(out, key=lambda row: (-row.days_inactive, row.learner))


# -- the competence gap -----------------------------------------------------------------------


def competence(store: RecordStore) -> list[Competence]:
    """Per learner: mean pre and post self-rating (1-5) across domains beside the demonstrated
    score (0-1, from the latest attempt at each activity) and the same score on the 1-5 scale."""
    by_learner: dict[str, list[Any]] = {}
    for pair in _rating_pairs(store):
        by_learner.setdefault(pair.learner, []).append(pair)
    out = []
    for learner in sorted(by_learner):
        pairs = by_learner[learner]
        shown = [p.demonstrated_score for p in pairs if p.demonstrated_score is not None]
        demonstrated = max(shown) if shown else None
        out.append(
            Competence(
                learner,
                _mean(p.pre for p in pairs),
                _mean(p.post for p in pairs),
                demonstrated,
                None if demonstrated is None else 1.0 + 4.0 * demonstrated,
                max(p.scored_activities for p in pairs),
            )
        )
    return out


def rating_change(store: RecordStore) -> list[RatingChange]:
    """Per domain: the team's mean pre and post self-rating and how many learners gave each."""
    by_domain: dict[str, list[Any]] = {}
    for pair in _rating_pairs(store):
        by_domain.setdefault(pair.domain, []).append(pair)
    return [
        RatingChange(
            domain,
            _mean(p.pre for p in pairs),
            _mean(p.post for p in pairs),
            sum(p.pre is not None for p in pairs),
            sum(p.post is not None for p in pairs),
        )
        for domain, pairs in sorted(by_domain.items())
    ]


# -- the language board -----------------------------------------------------------------------


def language_phrases(
    store: RecordStore,
    *,
    top: int = 30,
    recent_days: float = 7.0,
    now: datetime | None = None,
) -> PhraseBoard:
    """The ``top`` deficit phrases the team still uses, most frequent first, with their trend.

    ``recent`` counts the last ``recent_days`` and ``before`` the same span before that,
    counted in whole days (UTC); ``rule_id`` is the lexicon rule that flagged the phrase. The
    ranking reads the findings table alone; only the top phrases' findings are dated (by
    ``language_by_day``), and those counts per day come back beside the ranking for a chart.
    The board is kept until a finding is added or removed.
    """
    moment = now or datetime.now(UTC)
    cut = (moment - timedelta(days=recent_days)).strftime("%Y-%m-%d")
    cut_before = (moment - timedelta(days=2 * recent_days)).strftime("%Y-%m-%d")
    return _kept(
        store,
        ("language_phrases", top, cut, cut_before),
        (s.findings,),
        lambda: _language_phrases(store, top, cut, cut_before),
    )


def _language_phrases(store: RecordStore, top: int, cut: str, cut_before: str) -> PhraseBoard:
    f = s.findings
    ranking = (
        select(
            f.c.phrase,
            func.max(f.c.rule_id),
            func.count(),
            func.count(func.distinct(f.c.learner)),
        )
        .where(f.c.phrase != "")
        .group_by(f.c.phrase)
        .order_by(func.count().desc(), f.c.phrase)
        .limit(top)
    )
    ranked = _rows(store, ranking)
    if not ranked:
        return PhraseBoard([], [])
    by_day = language_by_day(store, [row[0] for row in ranked])
    recent: Counter[str] = Counter()
    before: Counter[str] = Counter()
    for dated in by_day:
        if dated.day >= cut:
            recent[dated.phrase] += dated.times
        elif dated.day >= cut_before:
            before[dated.phrase] += dated.times
    phrases = [
        Phrase(
            phrase,
            rule_id,
            int(occurrences),
            int(learners),
            recent[phrase],
            before[phrase],
            _trend(recent[phrase], before[phrase]),
        )
        for phrase, rule_id, occurrences, learners in ranked
    ]
    return PhraseBoard(phrases, by_day)


def _trend(recent: int, before: int) -> str:
    if before == 0:
        return "new" if recent > 0 else "steady"
    if recent > before * 1.25:
        return "rising"
    if recent < before * 0.8:
        return "falling"
    return "steady"


def language_by_day(store: RecordStore, phrases: Sequence[str]) -> list[PhraseDay]:
    """How often each of ``phrases`` was flagged per day (YYYY-MM-DD), oldest day first."""
    if not phrases:
        return []
    f = s.findings
    # Each finding carries its attempt's time (schema version 3), so no join to the attempts:
    # the count is answered from the (phrase, submitted_at) index alone.
    day = func.substr(f.c.submitted_at, 1, 10)
    query = (
        select(f.c.phrase, day.label("day"), func.count())
        .where(f.c.phrase.in_(list(phrases)))
        .group_by(f.c.phrase, day)
        .order_by(day, f.c.phrase)
    )
    return [PhraseDay(phrase, when, int(n)) for phrase, when, n in _rows(store, query)]


def phrase_alternatives(rule_ids: Iterable[str], locale: str = "en-GB") -> dict[str, str]:
    """The lexicon's preferred alternatives for each ``language.<entry>`` rule id (entries of
    ``locale`` first, then those of the other locale)."""
    from goalstudio.rubric import load_lexicon

    other = "en-US" if locale == "en-GB" else "en-GB"
    by_id = {entry.id: entry for entry in load_lexicon(other).entries}
    by_id.update({entry.id: entry for entry in load_lexicon(locale).entries})
    out: dict[str, str] = {}
    for rule_id in rule_ids:
        entry = by_id.get(str(rule_id).removeprefix("language."))
        if entry is not None and entry.alternatives:
            out[rule_id] = "; ".join(entry.alternatives[:3])
    return out


# -- the rubric profile -----------------------------------------------------------------------


def overrides_in_force(store: RecordStore) -> list[Override]:
    """The facilitators' overrides that count, newest first: the latest override of each
    criterion of each learner's latest attempt at each activity."""
    latest = {b.record_id for b in _latest(store)}
    overrides = store.get_overrides(latest_only=True)
    return [o for o in reversed(overrides) if o.attempt_record_id in latest]


def reviewed_plans(store: RecordStore, scenario: str | None = None) -> list[ReviewedPlan]:
    """Each learner's latest reviewed attempt at each activity, to choose one to override."""
    plans = [
        ReviewedPlan(b.learner, b.activity, b.scenario, b.record_id)
        for b in _latest(store)
        if b.reviewed and (scenario is None or b.scenario == scenario)
    ]
    return sorted(plans)


def rubric_profile(store: RecordStore, *, with_overrides: bool = True) -> list[VerdictCount]:
    """Verdict counts per criterion and scenario over each learner's latest reviewed attempt at
    each activity, sorted by criterion, scenario and verdict.

    Where a facilitator has overridden a verdict, the facilitator's verdict is counted (unless
    ``with_overrides`` is false); ``overrides_in_force`` lists them."""
    counts: Counter[tuple[str, str, str]] = Counter()
    for brief in _latest(store):
        if brief.reviewed:
            for criterion, verdict in zip(CRITERIA, brief.verdicts, strict=True):
                if verdict in VERDICTS:
                    counts[(criterion, brief.scenario, verdict)] += 1
    if with_overrides:
        for o in overrides_in_force(store):
            # Move the overridden verdict from the rubric's count to the facilitator's.
            counts[(o.criterion, o.scenario, o.rubric_verdict)] -= 1
            counts[(o.criterion, o.scenario, o.verdict)] += 1
    return [VerdictCount(*key, n) for key, n in sorted(counts.items()) if n > 0]


def chart_item_profile(store: RecordStore) -> list[AnswerCount]:
    """Answer counts ("yes", "no", "unclear") per chart-review item and scenario over the
    latest chart reviews."""
    from goalstudio.rubric import CHART_ITEMS

    items = {item for item, _title in CHART_ITEMS}
    counts: Counter[tuple[str, str, str]] = Counter()
    for brief in _latest(store):
        for item, answer in brief.chart_answers or ():
            if item in items:
                counts[(item, brief.scenario, answer)] += 1
    return [AnswerCount(*key, n) for key, n in sorted(counts.items())]


def _rating_pairs(store: RecordStore) -> list[RatingPair]:
    """The store's self-ratings beside the demonstrated scores, kept until a self-rating or an
    attempt is added or a review checked (which may change a score)."""
    return _kept(
        store,
        ("rating_pairs",),
        (s.self_ratings, s.attempts, s.review_checks),
        store.self_ratings_with_scores,
    )


def _kept(
    store: RecordStore, key: tuple[Any, ...], tables: Sequence[Any], read: Callable[[], T]
) -> T:
    """``read()``, or what it gave last time for ``key`` when none of ``tables`` has gained or
    lost a row since (their row counts and newest keys are one cheap query)."""
    mark = _table_marks(store, tables)
    memo = _MEMO.setdefault(store, {})
    found = memo.get(key)
    if found is not None and found[0] == mark:
        kept: T = found[1]
        return kept
    value = read()
    memo[key] = (mark, value)
    return value


def _table_marks(store: RecordStore, tables: Sequence[Any]) -> tuple[int, ...]:
    columns = []
    for table in tables:
        newest = next(iter(table.primary_key.columns))
        columns.append(select(func.count()).select_from(table).scalar_subquery())
        columns.append(select(func.max(newest)).scalar_subquery())
    return tuple(int(v or 0) for v in _rows(store, select(*columns))[0])


_MEMO: WeakKeyDictionary[RecordStore, dict[tuple[Any, ...], tuple[tuple[int, ...], Any]]] = (
    WeakKeyDictionary()
)


def _latest(store: RecordStore) -> list[Brief]:
    """The brief of each learner's latest attempt at each activity, read incrementally: the
    store keeps the briefs it has read (see ``records._latest``)."""
    kept = _KEPT.get(store)
    if kept is None:
        kept = _KEPT[store] = LatestAttempts()
    return kept.read(store)


_KEPT: WeakKeyDictionary[RecordStore, LatestAttempts] = WeakKeyDictionary()


__all__ = [
    "IDLE_MINUTES",
    "ActivitySpan",
    "AnswerCount",
    "CheckAnswers",
    "Competence",
    "CriteriaRow",
    "Inactive",
    "LastSeen",
    "ModuleWork",
    "Phrase",
    "PhraseBoard",
    "PhraseDay",
    "RatingChange",
    "ReviewedPlan",
    "Submission",
    "VerdictCount",
    "Working",
    "activity_spans",
    "change_marker",
    "chart_item_profile",
    "check_answers",
    "competence",
    "criteria_matrix",
    "inactive",
    "json_text",
    "language_by_day",
    "language_phrases",
    "last_seen",
    "now_working",
    "overrides_in_force",
    "phrase_alternatives",
    "progress",
    "rating_change",
    "record_times",
    "reviewed_plans",
    "rubric_profile",
    "store_counts",
    "submissions",
    "verdict_expr",
]
