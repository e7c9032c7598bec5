"""The SQL behind the dashboard queries. Everything aggregates in the database.

"Latest" means the attempt recorded last for a learner and activity: no attempt at the same
learner and activity has a higher id. Where only the score and module are needed, that test is
written as ``NOT EXISTS`` so that SQLite and PostgreSQL answer it from the covering index
(learner, activity, id, score, module) without reading the attempts, which hold the large plan
text. Where the attempt itself is needed, the ids come from one grouped pass over that index.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, case, exists, func, literal, select, union_all

from goalstudio.records import _schema as s


def no_later_attempt(learner: Any, activity: Any, attempt_id: Any) -> Any:
    """True when no attempt at this learner and activity was recorded after ``attempt_id``."""
    later = s.attempts.alias("later")
    return ~exists(
        select(literal(1)).where(
            and_(
                later.c.learner == learner,
                later.c.activity == activity,
                later.c.id > attempt_id,
            )
        )
    )


def latest_ids(learner: str | None, activity: str | None) -> Select[Any]:
    """The ids of the latest attempts (one grouped pass over the covering index)."""
    a = s.attempts
    query = select(func.max(a.c.id)).group_by(a.c.learner, a.c.activity)
    if learner is not None:
        query = query.where(a.c.learner == learner)
    if activity is not None:
        query = query.where(a.c.activity == activity)
    return query


def learner_progress(learner: str | None = None) -> Select[Any]:
    """Rows of (learner, module, started, completed, attempts, last_active)."""
    e, a = s.events, s.attempts
    from_events = select(
        e.c.learner,
        e.c.module,
        func.count(func.distinct(case((e.c.kind == "started", e.c.activity)))).label("st"),
        func.count(func.distinct(case((e.c.kind == "completed", e.c.activity)))).label("co"),
        literal(0).label("att"),
        func.max(e.c.created_at).label("last"),
    ).group_by(e.c.learner, e.c.module)
    from_attempts = select(
        a.c.learner,
        a.c.module,
        literal(0).label("st"),
        literal(0).label("co"),
        func.count().label("att"),
        func.max(a.c.submitted_at).label("last"),
    ).group_by(a.c.learner, a.c.module)
    if learner is not None:
        from_events = from_events.where(e.c.learner == learner)
        from_attempts = from_attempts.where(a.c.learner == learner)
    both = union_all(from_events, from_attempts).subquery("both_sources")
    return (
        select(
            both.c.learner,
            both.c.module,
            func.sum(both.c.st).label("started"),
            func.sum(both.c.co).label("completed"),
            func.sum(both.c.att).label("attempts"),
            func.max(both.c.last).label("last_active"),
        )
        .group_by(both.c.learner, both.c.module)
        .order_by(both.c.learner, both.c.module)
    )


def module_progress() -> Select[Any]:
    """Rows of (module, learners, finishers, completed, attempts, mean) from learner progress."""
    a = s.attempts
    per_learner = learner_progress().order_by(None).subquery("per_learner")
    counts = (
        select(
            per_learner.c.module,
            func.count().label("learners"),
            func.sum(case((per_learner.c.completed > 0, 1), else_=0)).label("finishers"),
            func.sum(per_learner.c.completed).label("completed"),
            func.sum(per_learner.c.attempts).label("attempts"),
        )
        .group_by(per_learner.c.module)
        .subquery("counts")
    )
    scores = (
        select(a.c.module, func.avg(a.c.score).label("mean"))
        .where(no_later_attempt(a.c.learner, a.c.activity, a.c.id))
        .group_by(a.c.module)
        .subquery("scores")
    )
    return (
        select(counts, scores.c.mean)
        .outerjoin(scores, scores.c.module == counts.c.module)
        .order_by(counts.c.module)
    )


def latest_reviews(learner: str | None, activity: str | None) -> Select[Any]:
    a = s.attempts
    query = select(
        a.c.learner,
        a.c.activity,
        a.c.scenario,
        a.c.module,
        a.c.record_id,
        a.c.score,
        a.c.submitted_at,
        a.c.review,
    ).where(a.c.id.in_(latest_ids(learner, activity)))
    return query.order_by(a.c.learner, a.c.activity)


def language_finding_counts(
    module: str | None, activity: str | None, latest_only: bool
) -> Select[Any]:
    f = s.findings
    query = select(
        f.c.phrase,
        func.count().label("occurrences"),
        func.count(func.distinct(f.c.learner)).label("learners"),
    ).where(f.c.phrase != "")
    if module is not None:
        query = query.where(f.c.module == module)
    if activity is not None:
        query = query.where(f.c.activity == activity)
    if latest_only:
        query = query.where(f.c.attempt_id.in_(latest_ids(None, activity)))
    return query.group_by(f.c.phrase).order_by(func.count().desc(), f.c.phrase)


def self_ratings_with_scores() -> Select[Any]:
    t, a = s.self_ratings, s.attempts
    scores = (
        select(
            a.c.learner,
            func.avg(a.c.score).label("score"),
            func.count(a.c.score).label("scored"),
        )
        .where(no_later_attempt(a.c.learner, a.c.activity, a.c.id))
        .group_by(a.c.learner)
        .subquery("scores")
    )
    newer = t.alias("newer")
    newest = ~exists(
        select(literal(1)).where(
            and_(
                newer.c.learner == t.c.learner,
                newer.c.domain == t.c.domain,
                newer.c.phase == t.c.phase,
                newer.c.id > t.c.id,
            )
        )
    )
    ratings = select(t.c.learner, t.c.domain, t.c.phase, t.c.rating).where(newest)
    rated = ratings.subquery("ratings")
    return (
        select(
            rated.c.learner,
            rated.c.domain,
            func.max(case((rated.c.phase == "pre", rated.c.rating))).label("pre"),
            func.max(case((rated.c.phase == "post", rated.c.rating))).label("post"),
            func.max(scores.c.score).label("score"),
            func.coalesce(func.max(scores.c.scored), 0).label("scored"),
        )
        .outerjoin(scores, scores.c.learner == rated.c.learner)
        .group_by(rated.c.learner, rated.c.domain)
        .order_by(rated.c.learner, rated.c.domain)
    )
