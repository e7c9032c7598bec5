"""Tables of the records store, and the ordered list of migrations that builds them.

``MIGRATIONS[n - 1]`` takes a database from schema version ``n - 1`` to ``n``. To change the
schema, append a step (never edit a released one) and bump nothing else: ``SCHEMA_VERSION`` is
the length of the list. A released step that creates a table may refer to the table objects below
only while those tables keep that shape; when a later step alters a table, freeze the old
definition inside the older step first.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    bindparam,
    insert,
    inspect,
    select,
    update,
)

KEY = 200  # longest learner, activity, scenario or module name
# Large values (learner text, review JSON) are the last columns of their tables: SQLite reads a
# row's columns in order, so small columns placed after a large one would cost a read of it.
metadata = MetaData()
_id = BigInteger().with_variant(Integer, "sqlite")  # INTEGER PRIMARY KEY is SQLite's rowid


def _key(name: str) -> Column[str]:
    return Column(name, String(KEY), nullable=False)


def _stamp(name: str) -> Column[str]:
    # ISO 8601 UTC with microseconds ("2026-11-26T02:43:18.123456Z"): sorts as text everywhere.
    return Column(name, String(32), nullable=False)


schema_version = Table(
    "schema_version",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("version", Integer, nullable=False),
    _stamp("updated_at"),
)

drafts = Table(
    "drafts",
    metadata,
    Column("id", _id, primary_key=True, autoincrement=True),
    Column("record_id", String(36), nullable=False, unique=True),
    _key("learner"),
    _key("activity"),
    _key("scenario"),
    Column("version", Integer, nullable=False),
    Column("digest", String(64), nullable=False),
    _stamp("saved_at"),
    Column("text", LargeBinary, nullable=False),
    UniqueConstraint("learner", "activity", "scenario", "version", name="uq_drafts_version"),
)

attempts = Table(
    "attempts",
    metadata,
    Column("id", _id, primary_key=True, autoincrement=True),
    Column("record_id", String(36), nullable=False, unique=True),
    _key("learner"),
    _key("activity"),
    _key("scenario"),
    _key("module"),
    Column("score", Float, nullable=True),
    _stamp("submitted_at"),
    Column("review", Text, nullable=False),  # JSON, ASCII-only (json.dumps ensure_ascii)
    Column("text", LargeBinary, nullable=False),
    # Covering indexes: the dashboard queries read these columns without touching the rows.
    Index("ix_attempts_learner_activity", "learner", "activity", "id", "score", "module"),
    Index("ix_attempts_learner_module", "learner", "module", "submitted_at"),
)

reflections = Table(
    "reflections",
    metadata,
    Column("id", _id, primary_key=True, autoincrement=True),
    Column("record_id", String(36), nullable=False, unique=True),
    _key("learner"),
    _key("activity"),
    _key("scenario"),
    _key("module"),
    _stamp("created_at"),
    Column("text", LargeBinary, nullable=False),
    Index("ix_reflections_learner_activity", "learner", "activity"),
)

self_ratings = Table(
    "self_ratings",
    metadata,
    Column("id", _id, primary_key=True, autoincrement=True),
    Column("record_id", String(36), nullable=False, unique=True),
    _key("learner"),
    Column("phase", String(8), nullable=False),
    _key("domain"),
    Column("rating", Integer, nullable=False),
    _stamp("created_at"),
    Index("ix_self_ratings_learner", "learner", "domain", "phase", "id"),
)

events = Table(
    "events",
    metadata,
    Column("id", _id, primary_key=True, autoincrement=True),
    Column("record_id", String(36), nullable=False, unique=True),
    _key("learner"),
    _key("activity"),
    _key("scenario"),
    _key("module"),
    Column("kind", String(32), nullable=False),
    Column("detail", Text, nullable=False),  # JSON, ASCII-only
    _stamp("created_at"),
    Index("ix_events_learner_module", "learner", "module", "kind", "activity", "created_at"),
)

# Added in schema version 2: one row per finding of each attempt's review, so that counting the
# language findings of a whole cohort is one GROUP BY in the database. Version 3 added
# ``submitted_at``, the attempt's time copied onto each of its findings, so that dating findings
# (the language board's trend) needs no join to the attempts, and widened ``ix_findings_phrase``
# with the rule id.
findings = Table(
    "findings",
    metadata,
    Column("id", _id, primary_key=True, autoincrement=True),
    Column("attempt_id", _id, ForeignKey("attempts.id", ondelete="CASCADE"), nullable=False),
    _key("learner"),
    _key("activity"),
    _key("module"),
    Column("rule_id", String(KEY), nullable=False),
    Column("criterion", String(KEY), nullable=False),
    Column("severity", String(32), nullable=False),
    Column("phrase", String(KEY), nullable=False),  # normalised; '' when not a language finding
    # The attempt's submitted_at. Added by ALTER TABLE, so it sits last and has a default.
    Column("submitted_at", String(32), nullable=False, server_default=""),
    # Covering indexes: the language board ranks phrases (with their learners and rule) and
    # counts them by day without reading the rows.
    Index("ix_findings_phrase", "phrase", "learner", "rule_id"),
    Index("ix_findings_attempt", "attempt_id"),
    Index("ix_findings_phrase_day", "phrase", "submitted_at"),
)

# Added in schema version 4: a facilitator's override of one verdict of an attempt's review,
# kept beside the verdict: the stored review is never changed, so both stay on record. The
# latest override of a criterion of an attempt is the one that counts.
overrides = Table(
    "overrides",
    metadata,
    Column("id", _id, primary_key=True, autoincrement=True),
    Column("record_id", String(36), nullable=False, unique=True),
    Column("attempt_id", _id, ForeignKey("attempts.id", ondelete="CASCADE"), nullable=False),
    _key("criterion"),
    Column("rubric_verdict", String(16), nullable=False),  # what the review said
    Column("verdict", String(16), nullable=False),  # what the facilitator says
    _key("facilitator"),
    _stamp("created_at"),
    Column("reason", LargeBinary, nullable=False),
    Index("ix_overrides_attempt", "attempt_id", "criterion", "id"),
)

# Added in schema version 5: practice audits of a team's de-identified plans. A round is a name
# and a date; each plan read in it is one row keyed by the digest of its source file, so reading
# the same folder again adds nothing. ``summary`` is the plan's review in brief (JSON, ASCII).
# No learner column: these are the service's plans, not a learner's work, and on the hub only
# facilitators may read them.
audit_rounds = Table(
    "audit_rounds",
    metadata,
    Column("id", _id, primary_key=True, autoincrement=True),
    Column("name", String(KEY), nullable=False, unique=True),
    Column("locale", String(8), nullable=False),
    _stamp("created_at"),
)

audit_plans = Table(
    "audit_plans",
    metadata,
    Column("id", _id, primary_key=True, autoincrement=True),
    Column("round_id", _id, ForeignKey("audit_rounds.id", ondelete="CASCADE"), nullable=False),
    Column("digest", String(64), nullable=False),
    Column("source", String(KEY), nullable=False),  # the file's name within the folder
    Column("kind", String(16), nullable=False),  # plan, text or docx
    Column("read", String(16), nullable=False),  # full, part or statements
    Column("words", Integer, nullable=False),
    _stamp("added_at"),
    Column("summary", Text, nullable=False),
    UniqueConstraint("round_id", "digest", name="uq_audit_plans_digest"),
)


# Added in schema version 6: the studio's check of each attempt's review. A learner's kernel
# writes the review it computed; on a shared hub a learner controls that kernel, so the
# dashboards recompute plan reviews from the submitted text (RecordStore.verify_reviews) and
# record here that an attempt was checked, with the kernel's review when it differed. On the hub
# only facilitators may read or write this table.
def _review_check_columns() -> list[Column[Any]]:
    """review_checks' columns as schema version 6 made them (new objects on each call)."""
    return [
        Column(
            "attempt_id",
            _id,
            ForeignKey("attempts.id", ondelete="CASCADE"),
            primary_key=True,
            autoincrement=False,
        ),
        Column("outcome", String(16), nullable=False),  # confirmed, changed, unreadable, not_a_plan
        _stamp("checked_at"),
        Column("submitted_review", Text, nullable=False),  # the kernel's review when changed
    ]


review_checks = Table(
    "review_checks",
    metadata,
    *_review_check_columns(),
    # Added in schema version 7: the attempt's brief, what the dashboards read (records._brief).
    # Last, as ALTER TABLE adds it: a changed review's submitted_review is read on the way.
    Column("brief", Text, nullable=False, server_default=""),
)

AUDIT_TABLES = ("audit_rounds", "audit_plans")

OUR_TABLES = ("schema_version", "drafts", "attempts", "reflections", "self_ratings", "events")


def _clean_key(value: object) -> str:
    text = str(value) if value is not None else ""
    text = " ".join(text.split())
    return text.encode("utf-8", "replace").decode("utf-8").replace("\x00", "")[:KEY]


def normalise_phrase(phrase: object) -> str:
    """How a finding's phrase is counted: case-folded, spaces collapsed, at most 200 characters."""
    return _clean_key(phrase).casefold()[:KEY]


def finding_rows(review: Mapping[str, Any]) -> Iterator[dict[str, str]]:
    """The findings of a serialised review, in the shape of the ``findings`` table.

    A finding is a mapping with ``rule_id`` (or ``rule``), ``criterion``, ``severity`` and, for
    language findings, the ``phrase`` (or the rubric's ``quote``) that was flagged. Findings are
    read from ``findings``, ``language`` and ``structure``. Other keys are ignored here.
    """
    # The rubric's Review.to_dict() keeps language and structure findings in their own lists,
    # and a language finding quotes the flagged words in ``quote``.
    for key in ("findings", "language", "structure"):
        items = review.get(key)
        if not isinstance(items, list):
            continue
        for item in items:
            if not isinstance(item, Mapping):
                continue
            criterion = _clean_key(item.get("criterion", ""))
            phrase = item.get("phrase", "")
            if not phrase and criterion == "language":
                phrase = item.get("quote", "")
            yield {
                "rule_id": _clean_key(item.get("rule_id", item.get("rule", ""))),
                "criterion": criterion,
                "severity": _clean_key(item.get("severity", ""))[:32],
                "phrase": normalise_phrase(phrase),
            }


def _create(conn: Connection, *tables: Table) -> None:
    for table in tables:
        table.create(conn)


def _v1_base_tables(conn: Connection) -> None:
    _create(conn, schema_version, drafts, attempts, reflections, self_ratings, events)


def _frozen_metadata() -> MetaData:
    """Metadata for an older step's own copy of a table, with the attempts table its foreign
    key names."""
    frozen = MetaData()
    Table("attempts", frozen, Column("id", _id, primary_key=True))
    return frozen


def _v2_findings_table() -> Table:
    """The findings table as schema version 2 created it (frozen: version 3 altered it)."""
    return Table(
        "findings",
        _frozen_metadata(),
        Column("id", _id, primary_key=True, autoincrement=True),
        Column("attempt_id", _id, ForeignKey("attempts.id", ondelete="CASCADE"), nullable=False),
        _key("learner"),
        _key("activity"),
        _key("module"),
        Column("rule_id", String(KEY), nullable=False),
        Column("criterion", String(KEY), nullable=False),
        Column("severity", String(32), nullable=False),
        Column("phrase", String(KEY), nullable=False),
        Index("ix_findings_phrase", "phrase", "learner"),
        Index("ix_findings_attempt", "attempt_id"),
    )


def _v2_findings(conn: Connection) -> None:
    table = _v2_findings_table()
    table.create(conn)
    rows = conn.execute(
        select(
            attempts.c.id,
            attempts.c.learner,
            attempts.c.activity,
            attempts.c.module,
            attempts.c.review,
        )
    )
    batch: list[dict[str, Any]] = []
    for attempt_id, learner, activity, module, review in rows:
        try:
            decoded = json.loads(review)
        except ValueError:
            continue
        if not isinstance(decoded, Mapping):
            continue
        for row in finding_rows(decoded):
            batch.append(
                {
                    "attempt_id": attempt_id,
                    "learner": learner,
                    "activity": activity,
                    "module": module,
                    **row,
                }
            )
    if batch:
        conn.execute(insert(table), batch)


def _v3_finding_times(conn: Connection) -> None:
    """Copy each attempt's submitted_at onto its findings (one UPDATE in the database) and
    rebuild the phrase indexes so that the language board reads only indexes."""
    preparer = conn.dialect.identifier_preparer
    conn.exec_driver_sql(
        f"ALTER TABLE {preparer.format_table(findings)} ADD COLUMN "
        f"{preparer.format_column(findings.c.submitted_at)} VARCHAR(32) NOT NULL DEFAULT ''"
    )
    submitted = (
        select(attempts.c.submitted_at)
        .where(attempts.c.id == findings.c.attempt_id)
        .scalar_subquery()
    )
    conn.execute(update(findings).values(submitted_at=submitted))
    for index in _v2_findings_table().indexes:
        if index.name == "ix_findings_phrase":
            index.drop(conn)
    for index in findings.indexes:
        if index.name in ("ix_findings_phrase", "ix_findings_phrase_day"):
            index.create(conn)


def _v4_overrides(conn: Connection) -> None:
    overrides.create(conn)


def _v5_audits(conn: Connection) -> None:
    # checkfirst: a store taken back to an older version by hand (as the upgrade tests do)
    # may still hold these tables; a real older store never does.
    for table in (audit_rounds, audit_plans):
        table.create(conn, checkfirst=True)


def _v6_review_checks_table() -> Table:
    """The review_checks table as schema version 6 created it (frozen: version 7 added brief)."""
    return Table("review_checks", _frozen_metadata(), *_review_check_columns())


def _v6_review_checks(conn: Connection) -> None:
    _v6_review_checks_table().create(conn, checkfirst=True)


def _v7_review_briefs(conn: Connection) -> None:
    """Add each checked attempt's brief (``records._brief``), written for the checks made so
    far: read once here, so no dashboard reads those reviews again."""
    from goalstudio.records import _brief

    if "brief" not in {c["name"] for c in inspect(conn).get_columns("review_checks")}:
        preparer = conn.dialect.identifier_preparer
        conn.exec_driver_sql(
            f"ALTER TABLE {preparer.format_table(review_checks)} ADD COLUMN "
            f"{preparer.format_column(review_checks.c.brief)} TEXT NOT NULL DEFAULT ''"
        )
    a, c = attempts, review_checks
    parts = _brief.review_parts(conn.dialect.name)
    columns = [a.c[name] for name in _brief.FIELDS]
    query = (
        select(a.c.id, *columns, parts)
        .join(c, c.c.attempt_id == a.c.id)
        .where(c.c.brief == "")
        .order_by(a.c.id)
    )
    last = None
    while True:  # in batches, so a large store is never held in memory at once
        batch_query = query if last is None else query.where(a.c.id > last)
        rows = conn.execute(batch_query.limit(_BRIEF_BATCH)).all()
        if not rows:
            return
        briefs = [{"key": row[0], "made": _brief.encode(row[1:-1], row[-1])} for row in rows]
        conn.execute(
            update(c).where(c.c.attempt_id == bindparam("key")).values(brief=bindparam("made")),
            briefs,
        )
        last = rows[-1][0]


_BRIEF_BATCH = 2000  # checked attempts read and written at a time by _v7_review_briefs


Migration = Callable[[Connection], None]
MIGRATIONS: tuple[Migration, ...] = (
    _v1_base_tables,
    _v2_findings,
    _v3_finding_times,
    _v4_overrides,
    _v5_audits,
    _v6_review_checks,
    _v7_review_briefs,
)
SCHEMA_VERSION = len(MIGRATIONS)
