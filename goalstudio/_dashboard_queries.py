"""Data for the facilitator dashboards: pandas frames from SQL aggregates over the records store.

Every function takes an open ``RecordStore`` and returns a ``pandas.DataFrame`` (empty, with its
columns, when the store holds nothing yet). Counting, averaging and "latest attempt" selection
happen in the database; Python only reshapes the aggregated rows. The store's own dashboard
queries (``learner_progress``, ``module_progress``, ``language_finding_counts``,
``self_ratings_with_scores``) are used where they fit; the queries here are read-only and go
through the store's connection handling (busy timeouts and retries).

pandas is imported when a function is first called, so importing the core stays light.
"""

from __future__ import annotations

import csv
import importlib
import io
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import (
    Connection,
    Float,
    String,
    case,
    cast,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.sql.elements import ColumnElement

from goalstudio._progress_rules import completes_module, minutes_on_task
from goalstudio._vocabulary import CRITERIA, VERDICT_SCORES, VERDICTS
from goalstudio.records import RecordStore
from goalstudio.records import _schema as s

T = TypeVar("T")
Frame = Any  # a pandas.DataFrame (pandas ships no type information)


def _pd() -> Any:
    return importlib.import_module("pandas")


def _read(store: RecordStore, work: Callable[[Connection], T]) -> T:
    # The store has no public connection API; its reader gives retries on a busy database.
    return store._read(work)


def _rows(store: RecordStore, query: Any) -> list[Any]:
    return _read(store, lambda conn: list(conn.execute(query).all()))


def _frame(rows: Iterable[Sequence[Any]], columns: Sequence[str]) -> Frame:
    return _pd().DataFrame([tuple(r) for r in rows], columns=list(columns))


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


def _credit(verdict: ColumnElement[Any]) -> ColumnElement[Any]:
    return case(
        *[(verdict == v, literal(score, Float)) for v, score in VERDICT_SCORES.items()],
        else_=literal(None, Float),
    )


def _latest_ids(*where: ColumnElement[bool]) -> Any:
    a = s.attempts
    query = select(func.max(a.c.id).label("id")).group_by(a.c.learner, a.c.activity)
    if where:
        query = query.where(*where)
    return query.subquery("latest")


def _reviewed(store: RecordStore) -> ColumnElement[bool]:
    return verdict_expr(store, CRITERIA[0]).is_not(None)


# -- the live workshop board ------------------------------------------------------------------


def change_marker(store: RecordStore) -> tuple[int, ...]:
    """The newest row id of each table: a cheap way to tell whether anything was added."""
    tables = (s.attempts, s.events, s.drafts, s.reflections, s.self_ratings, s.overrides)
    query = select(*[select(func.max(t.c.id)).scalar_subquery() for t in tables])
    row = _read(store, lambda conn: conn.execute(query).one())
    return tuple(int(v or 0) for v in row)


def now_working(store: RecordStore) -> Frame:
    """What each learner did last: learner, activity, scenario, module, doing, at (newest first).

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
    names = ("learner", "activity", "scenario", "module", "doing", "at")
    return _frame(_rows(store, query), names)


def submissions(store: RecordStore, limit: int = 24) -> Frame:
    """The newest reviewed submissions (each learner's latest at each activity), newest first:
    learner, activity, scenario, module, record_id, submitted_at, score and a verdict column per
    criterion ("met", "partly", "not_met")."""
    a = s.attempts
    latest = _latest_ids()
    query = (
        select(
            a.c.learner,
            a.c.activity,
            a.c.scenario,
            a.c.module,
            a.c.record_id,
            a.c.submitted_at,
            a.c.score,
            *[verdict_expr(store, c).label(c) for c in CRITERIA],
        )
        .join(latest, latest.c.id == a.c.id)
        .where(_reviewed(store))
        .order_by(a.c.submitted_at.desc(), a.c.id.desc())
        .limit(limit)
    )
    names = ("learner", "activity", "scenario", "module", "record_id", "submitted_at", "score")
    return _frame(_rows(store, query), (*names, *CRITERIA))


def criteria_matrix(store: RecordStore, *, with_overrides: bool = True) -> Frame:
    """Learners by the five criteria: the mean credit (met 1, partly 0.5, not met 0) of each
    learner's latest reviewed attempt at each activity. Columns: learner, reviewed, criteria.

    Where a facilitator has overridden a verdict, the facilitator's verdict is credited."""
    a = s.attempts
    latest = _latest_ids()
    query = (
        select(
            a.c.learner,
            func.count().label("reviewed"),
            *[func.avg(_credit(verdict_expr(store, c))).label(c) for c in CRITERIA],
        )
        .join(latest, latest.c.id == a.c.id)
        .where(_reviewed(store))
        .group_by(a.c.learner)
        .order_by(a.c.learner)
    )
    frame = _frame(_rows(store, query), ("learner", "reviewed", *CRITERIA))
    frame = frame.astype({c: "float64" for c in CRITERIA})
    if not with_overrides or frame.empty:
        return frame
    for o in overrides_in_force(store).itertuples():
        if o.learner in set(frame["learner"]) and o.criterion in CRITERIA:
            row = frame["learner"] == o.learner
            change = VERDICT_SCORES[o.verdict] - VERDICT_SCORES[o.rubric_verdict]
            frame.loc[row, o.criterion] += change / frame.loc[row, "reviewed"]
    return frame


def check_answers(store: RecordStore) -> Frame:
    """How many learners chose each answer of each concept check, counted in the database.

    Columns: check (its id), answer (its letter), first (learners whose first answer to the
    check it was: the misconception they came in with) and chosen (learners who chose it at any
    try). One pass over the answers: each is numbered within its learner and check, and the
    first ones are counted beside the distinct learners.
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
    rows = [
        (str(activity).removeprefix(CHECK_ACTIVITY_PREFIX), answer, int(first), int(chosen))
        for activity, answer, first, chosen in _rows(store, query)
    ]
    frame = _frame(rows, ("check", "answer", "first", "chosen"))
    return frame.astype({"first": "int64", "chosen": "int64"})


# -- cohort progress --------------------------------------------------------------------------


def _window(column: Any, since: str | None, until: str | None) -> list[ColumnElement[bool]]:
    out: list[ColumnElement[bool]] = []
    if since:
        out.append(column >= since)
    if until:
        out.append(column < until)
    return out


def activity_spans(
    store: RecordStore, *, since: str | None = None, until: str | None = None
) -> Frame:
    """Per learner, module and activity: started, completed, attempts, first_at, last_at.

    ``since``/``until`` are ISO dates or times (UTC); a record counts when it falls inside.
    """
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
    names = ("learner", "module", "activity", "started", "completed", "attempts", "first_at")
    frame = _frame(_rows(store, query), (*names, "last_at"))
    return frame.astype({"started": "int64", "completed": "int64", "attempts": "int64"})


def progress(store: RecordStore, *, since: str | None = None, until: str | None = None) -> Frame:
    """Per learner and module: activities started and completed, attempts, minutes on task, last
    activity, and whether the module is completed. "Completed" and "time on task" are the course
    home's definitions (``goalstudio._progress_rules``): a saved reflection completes its
    activity, and the module when it is the module's own reflection."""
    pd = _pd()
    spans = activity_spans(store, since=since, until=until)
    columns = [
        "learner",
        "module",
        "started",
        "completed",
        "attempts",
        "minutes",
        "last_active",
        "module_completed",
    ]
    r = s.reflections
    saved = _frame(
        _rows(
            store,
            select(r.c.learner, r.c.module, r.c.activity, func.max(r.c.created_at))
            .where(*_window(r.c.created_at, since, until))
            .group_by(r.c.learner, r.c.module, r.c.activity),
        ),
        ("learner", "module", "activity", "last_at"),
    )
    if not saved.empty:
        saved = saved.assign(started=1, completed=1, attempts=0, first_at=saved["last_at"])
        # A reflection is its activity's completion, whether or not an event said so too.
        spans = pd.concat([spans, saved[spans.columns]], ignore_index=True)
        spans = spans.groupby(["learner", "module", "activity"], as_index=False).agg(
            started=("started", "max"),
            completed=("completed", "max"),
            attempts=("attempts", "sum"),
            first_at=("first_at", "min"),
            last_at=("last_at", "max"),
        )
    if spans.empty:
        return pd.DataFrame(columns=columns)
    spans = spans.assign(
        last_active=spans["last_at"],
        module_completed=[
            int(bool(c) and completes_module(a, m))
            for a, m, c in zip(spans["activity"], spans["module"], spans["completed"], strict=True)
        ],
    )
    out = spans.groupby(["learner", "module"], as_index=False).agg(
        started=("started", "sum"),
        completed=("completed", "sum"),
        attempts=("attempts", "sum"),
        last_active=("last_active", "max"),
        module_completed=("module_completed", "max"),
    )
    minutes = minutes_on_task(record_times(store, since=since, until=until))
    out["minutes"] = [
        minutes.get((learner, module), 0.0)
        for learner, module in zip(out["learner"], out["module"], strict=True)
    ]
    return out[columns]


def store_counts(store: RecordStore) -> dict[str, int]:
    """How much of each kind of work the store holds: submitted plans (reviewed attempts),
    self-ratings, reflections and events. For empty states that say the actual reason."""

    def count(table: Any, *where: ColumnElement[bool]) -> int:
        rows = _rows(store, select(func.count()).select_from(table).where(*where))
        return int(rows[0][0]) if rows else 0

    return {
        "plans": count(s.attempts, _reviewed(store)),
        "self_ratings": count(s.self_ratings),
        "reflections": count(s.reflections),
        "events": count(s.events),
    }


def record_times(
    store: RecordStore,
    *,
    learner: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> list[tuple[str, str, str]]:
    """Every event, attempt and reflection as ``(learner, module, time)``: what time on task
    is measured from."""
    parts = []
    for table, stamp in (
        (s.events, s.events.c.created_at),
        (s.attempts, s.attempts.c.submitted_at),
        (s.reflections, s.reflections.c.created_at),
    ):
        where = _window(stamp, since, until)
        if learner is not None:
            where.append(table.c.learner == learner)
        parts.append(select(table.c.learner, table.c.module, stamp).where(*where))
    return [(str(a), str(b), str(c)) for a, b, c in _rows(store, union_all(*parts))]


def last_seen(store: RecordStore) -> Frame:
    """Each learner's most recent record of any kind: learner, last_active (ISO text)."""
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
    return _frame(_rows(store, query), ("learner", "last_active"))


def inactive(store: RecordStore, days: float, *, now: datetime | None = None) -> Frame:
    """Learners with no record for at least ``days`` days: learner, last_active, days_inactive
    (longest inactive first)."""
    pd = _pd()
    seen = last_seen(store)
    if seen.empty:
        return pd.DataFrame(columns=["learner", "last_active", "days_inactive"])
    moment = pd.Timestamp(now or datetime.now(UTC))
    if moment.tzinfo is None:
        moment = moment.tz_localize("UTC")
    stamps = pd.to_datetime(seen["last_active"], utc=True, format="ISO8601")
    seen = seen.assign(days_inactive=((moment - stamps).dt.total_seconds() / 86400.0).round(1))
    out = seen[seen["days_inactive"] >= days]
    return out.sort_values(["days_inactive", "learner"], ascending=[False, True]).reset_index(
        drop=True
    )


def module_summary(store: RecordStore) -> Frame:
    """The store's per-module summary: module, learners, learners_completed_any,
    activities_completed, attempts, mean_score."""
    rows = store.module_progress()
    names = (
        "module",
        "learners",
        "learners_completed_any",
        "activities_completed",
        "attempts",
        "mean_score",
    )
    return _frame(
        (
            (
                r.module,
                r.learners,
                r.learners_completed_any,
                r.activities_completed,
                r.attempts,
                r.mean_score,
            )
            for r in rows
        ),
        names,
    )


def load_roster(path: str | Path | None) -> Frame:
    """A roster CSV with ``learner`` and ``group`` columns (other columns are ignored).

    Missing file or columns give an empty roster; errors name the file and the fix.
    """
    pd = _pd()
    empty = pd.DataFrame(columns=["learner", "group"])
    if not path:
        return empty
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ValueError(
            f"the roster {file} cannot be read ({exc.strerror}); check the path"
        ) from None
    reader = csv.DictReader(io.StringIO(text))
    fields = [f.strip().lower() for f in (reader.fieldnames or [])]
    if "learner" not in fields or "group" not in fields:
        raise ValueError(
            f"the roster {file} needs a header line with 'learner' and 'group' columns "
            f"(it has: {', '.join(fields) or 'no header'})"
        )
    rows = []
    for row in reader:
        clean = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
        if clean.get("learner"):
            rows.append((clean["learner"], clean.get("group") or "(no group)"))
    return pd.DataFrame(rows, columns=["learner", "group"]).drop_duplicates("learner")


def gradebook_scores(course_dir: str | Path | None) -> tuple[Frame | None, str]:
    """Per learner and assignment: score, max_score and percent from the nbgrader gradebook.

    Returns ``(None, why)`` when there is no gradebook to read, so a dashboard can say why.
    """
    if not course_dir:
        return None, "No gradebook folder was given (goalstudio dashboard --gradebook DIR)."
    try:
        grading = importlib.import_module("goalstudio.grading")
        frame = grading.gradebook_frame(course_dir)
    except Exception as exc:  # any failure reading the gradebook: show why, keep the dashboard
        return None, f"The gradebook in {course_dir} cannot be read yet: {exc}"
    if frame.empty:
        return None, f"The gradebook in {course_dir} has no grades yet."
    out = frame.groupby(["learner", "assignment"], as_index=False).agg(
        score=("score", "sum"), max_score=("max_score", "sum")
    )
    percent = (100.0 * out["score"] / out["max_score"].where(out["max_score"] > 0)).round(1)
    return out.assign(percent=percent), ""


# -- the competence gap -----------------------------------------------------------------------


def competence(store: RecordStore) -> Frame:
    """Per learner: mean pre and post self-rating (1-5) across domains beside the demonstrated
    score (0-1, from the latest attempt at each activity) and the same score on the 1-5 scale.
    Columns: learner, pre, post, demonstrated, demonstrated_1_5, scored_activities."""
    pd = _pd()
    pairs = store.self_ratings_with_scores()
    raw = _frame(
        (
            (p.learner, p.domain, p.pre, p.post, p.demonstrated_score, p.scored_activities)
            for p in pairs
        ),
        ("learner", "domain", "pre", "post", "demonstrated", "scored_activities"),
    )
    columns = ["learner", "pre", "post", "demonstrated", "demonstrated_1_5", "scored_activities"]
    if raw.empty:
        return pd.DataFrame(columns=columns)
    raw = raw.astype({"pre": "float64", "post": "float64", "demonstrated": "float64"})
    out = raw.groupby("learner", as_index=False).agg(
        pre=("pre", "mean"),
        post=("post", "mean"),
        demonstrated=("demonstrated", "max"),
        scored_activities=("scored_activities", "max"),
    )
    out["demonstrated_1_5"] = 1.0 + 4.0 * out["demonstrated"]
    return out[columns]


def rating_change(store: RecordStore) -> Frame:
    """Per domain: the team's mean pre and post self-rating and how many learners gave each."""
    pairs = store.self_ratings_with_scores()
    raw = _frame(((p.domain, p.pre, p.post) for p in pairs), ("domain", "pre", "post")).astype(
        {"pre": "float64", "post": "float64"}
    )
    out = raw.groupby("domain", as_index=False).agg(
        pre=("pre", "mean"),
        post=("post", "mean"),
        pre_learners=("pre", "count"),
        post_learners=("post", "count"),
    )
    return out.sort_values("domain").reset_index(drop=True)


# -- the language board -----------------------------------------------------------------------


def language_phrases(
    store: RecordStore,
    *,
    top: int = 30,
    recent_days: float = 7.0,
    now: datetime | None = None,
    by_day: Frame | None = None,
) -> Frame:
    """The ``top`` deficit phrases the team still uses, most frequent first, with their trend.

    Columns: phrase, rule_id, occurrences, learners, recent, before, trend ("rising",
    "falling", "steady", "new") where ``recent`` counts the last ``recent_days`` and
    ``before`` the same span before that, counted in whole days (UTC). ``rule_id`` is the
    lexicon rule that flagged it. The ranking reads the findings table alone; only the top
    phrases' findings are dated, by ``language_by_day``; that frame is kept in
    ``.attrs["by_day"]`` for a chart over time.
    """
    pd = _pd()
    f = s.findings
    names = ("phrase", "rule_id", "occurrences", "learners", "recent", "before")
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
    ranked = _frame(_rows(store, ranking), names[:4])
    if ranked.empty:
        return pd.DataFrame(columns=[*names, "trend"])
    if by_day is None:
        by_day = language_by_day(store, list(ranked["phrase"]))
    moment = now or datetime.now(UTC)
    cut = (moment - timedelta(days=recent_days)).strftime("%Y-%m-%d")
    cut_before = (moment - timedelta(days=2 * recent_days)).strftime("%Y-%m-%d")
    days = by_day["day"]
    dated = by_day.assign(
        recent=by_day["count"].where(days >= cut, 0),
        before=by_day["count"].where((days >= cut_before) & (days < cut), 0),
    )
    trend_rows = dated.groupby("phrase", as_index=False)[["recent", "before"]].sum()
    frame = ranked.merge(trend_rows, on="phrase", how="left").fillna({"recent": 0, "before": 0})
    frame = frame.astype({n: "int64" for n in names[2:]})
    recent, before = frame["recent"], frame["before"]
    trend = pd.Series("steady", index=frame.index)
    trend[recent > before * 1.25] = "rising"
    trend[recent < before * 0.8] = "falling"
    trend[(before == 0) & (recent > 0)] = "new"
    trend[(before == 0) & (recent == 0)] = "steady"
    out = frame.assign(trend=trend)
    out.attrs["by_day"] = by_day
    return out


def language_by_day(store: RecordStore, phrases: Sequence[str]) -> Frame:
    """How often each of ``phrases`` was flagged per day: phrase, day (YYYY-MM-DD), count."""
    pd = _pd()
    if not phrases:
        return pd.DataFrame(columns=["phrase", "day", "count"])
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
    return _frame(_rows(store, query), ("phrase", "day", "count"))


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


def overrides_in_force(store: RecordStore) -> Frame:
    """The facilitators' overrides that count: the latest override of each criterion of each
    learner's latest attempt at each activity, newest first. Columns: learner, activity,
    scenario, criterion, rubric_verdict, verdict, by, reason, created_at."""
    from goalstudio.records._text import decode_text

    a, o = s.attempts, s.overrides
    latest = _latest_ids()
    last = (
        select(func.max(o.c.id).label("id"))
        .group_by(o.c.attempt_id, o.c.criterion)
        .subquery("last_override")
    )
    query = (
        select(
            a.c.learner,
            a.c.activity,
            a.c.scenario,
            o.c.criterion,
            o.c.rubric_verdict,
            o.c.verdict,
            o.c.facilitator,
            o.c.reason,
            o.c.created_at,
        )
        .join(last, last.c.id == o.c.id)
        .join(a, a.c.id == o.c.attempt_id)
        .join(latest, latest.c.id == a.c.id)
        .order_by(o.c.id.desc())
    )
    rows = [(*r[:7], decode_text(r[7]), r[8]) for r in _rows(store, query)]
    return _frame(
        rows,
        (
            "learner",
            "activity",
            "scenario",
            "criterion",
            "rubric_verdict",
            "verdict",
            "by",
            "reason",
            "created_at",
        ),
    )


def reviewed_plans(store: RecordStore, scenario: str | None = None) -> Frame:
    """Each learner's latest reviewed attempt at each activity, to choose one to override
    (the review itself is not read). Columns: learner, activity, scenario, record_id."""
    a = s.attempts
    latest = _latest_ids()
    query = (
        select(a.c.learner, a.c.activity, a.c.scenario, a.c.record_id)
        .join(latest, latest.c.id == a.c.id)
        .where(_reviewed(store))
        .order_by(a.c.learner, a.c.activity, a.c.scenario)
    )
    if scenario is not None:
        query = query.where(a.c.scenario == scenario)
    return _frame(_rows(store, query), ("learner", "activity", "scenario", "record_id"))


def _apply_overrides(profile: Frame, overrides: Frame) -> Frame:
    """Move each overridden verdict from the rubric's count to the facilitator's."""
    if overrides.empty:
        return profile
    moves = [
        *((r.criterion, r.scenario, r.rubric_verdict, -1) for r in overrides.itertuples()),
        *((r.criterion, r.scenario, r.verdict, 1) for r in overrides.itertuples()),
    ]
    delta = _frame(moves, ("criterion", "scenario", "verdict", "count"))
    both = _pd().concat([profile, delta], ignore_index=True)
    summed = both.groupby(["criterion", "scenario", "verdict"], as_index=False)["count"].sum()
    return summed[summed["count"] > 0].reset_index(drop=True)


def rubric_profile(store: RecordStore, *, with_overrides: bool = True) -> Frame:
    """Verdict counts per criterion and scenario over each learner's latest reviewed attempt at
    each activity. Columns: criterion, scenario, verdict, count.

    Where a facilitator has overridden a verdict, the facilitator's verdict is counted (unless
    ``with_overrides`` is false); ``overrides_in_force`` lists them."""
    a = s.attempts
    latest = _latest_ids()
    # Read each latest review once (materialised), then count each criterion's verdicts.
    reviewed = (
        select(
            a.c.scenario.label("scenario"),
            *[verdict_expr(store, c).label(c) for c in CRITERIA],
        )
        .join(latest, latest.c.id == a.c.id)
        .where(_reviewed(store))
        .cte("reviewed")
        .prefix_with("MATERIALIZED")
    )
    parts = union_all(
        *[
            select(
                literal(c, String).label("criterion"),
                reviewed.c.scenario,
                reviewed.c[c].label("verdict"),
                func.count().label("n"),
            )
            .where(reviewed.c[c].in_(VERDICTS))
            .group_by(reviewed.c.scenario, reviewed.c[c])
            for c in CRITERIA
        ]
    ).subquery("parts")
    query = select(parts.c.criterion, parts.c.scenario, parts.c.verdict, parts.c.n).order_by(
        parts.c.criterion, parts.c.scenario, parts.c.verdict
    )
    profile = _frame(_rows(store, query), ("criterion", "scenario", "verdict", "count"))
    return _apply_overrides(profile, overrides_in_force(store)) if with_overrides else profile


def chart_item_profile(store: RecordStore) -> Frame:
    """Answer counts per chart-review item and scenario over the latest chart reviews.
    Columns: item, scenario, answer ("yes", "no", "unclear"), count."""
    from goalstudio.rubric import CHART_ITEMS

    a = s.attempts
    latest = _latest_ids()
    items = [item for item, _title in CHART_ITEMS]
    reviews = (
        select(
            a.c.scenario.label("scenario"),
            *[json_text(store, a.c.review, "items", i, "answer").label(i) for i in items],
        )
        .join(latest, latest.c.id == a.c.id)
        .where(json_text(store, a.c.review, "kind") == "chart_review")
        .cte("chart_reviews")
        .prefix_with("MATERIALIZED")
    )
    parts = union_all(
        *[
            select(
                literal(i, String).label("item"),
                reviews.c.scenario,
                reviews.c[i].label("answer"),
                func.count().label("n"),
            )
            .where(reviews.c[i].is_not(None))
            .group_by(reviews.c.scenario, reviews.c[i])
            for i in items
        ]
    ).subquery("parts")
    query = select(parts.c.item, parts.c.scenario, parts.c.answer, parts.c.n).order_by(
        parts.c.item, parts.c.scenario, parts.c.answer
    )
    return _frame(_rows(store, query), ("item", "scenario", "answer", "count"))


__all__ = [
    "activity_spans",
    "change_marker",
    "chart_item_profile",
    "competence",
    "criteria_matrix",
    "gradebook_scores",
    "inactive",
    "json_text",
    "language_by_day",
    "language_phrases",
    "last_seen",
    "load_roster",
    "module_summary",
    "now_working",
    "overrides_in_force",
    "phrase_alternatives",
    "progress",
    "rating_change",
    "reviewed_plans",
    "rubric_profile",
    "submissions",
    "verdict_expr",
]
