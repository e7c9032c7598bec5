"""``RecordStore``: the one gateway to learning records (SQLite by default, PostgreSQL at scale).

Every write runs in its own transaction. On SQLite a write starts with ``BEGIN IMMEDIATE`` so it
takes the write lock before reading anything (no lock upgrades, so no deadlocks), waits on a busy
timeout, and the whole transaction is retried with backoff if the database stays busy. Dashboard
queries aggregate in SQL.
"""

from __future__ import annotations

import functools
import json
import math
import os
import random
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar

from sqlalchemy import (
    Connection,
    Engine,
    create_engine,
    event,
    insert,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, NoSuchModuleError
from sqlalchemy.pool import StaticPool

from goalstudio._environment import RECORDS_CHECKED_ENV
from goalstudio._vocabulary import CRITERIA, VERDICTS
from goalstudio.records import _brief, _verify
from goalstudio.records import _queries as q
from goalstudio.records import _schema as s
from goalstudio.records._errors import (
    RecordInputError,
    RecordNotFound,
    RecordStoreCorrupt,
    RecordStoreTooNew,
    RecordStoreUnavailable,
)
from goalstudio.records._score import score_from_review
from goalstudio.records._text import decode_text, digest, encode_text
from goalstudio.records._types import (
    EVENT_KINDS,
    PHASES,
    RATING_MAX,
    RATING_MIN,
    Attempt,
    AuditPlan,
    AuditRound,
    Draft,
    Event,
    EventKind,
    FindingCount,
    LatestReview,
    LearnerProgress,
    ModuleProgress,
    Override,
    Phase,
    RatingPair,
    Reflection,
    ReviewCheck,
    SelfRating,
)

T = TypeVar("T")
_SQLITE_MAGIC = b"SQLite format 3\x00"
_PG_MIGRATION_LOCK = 4_201_726  # any fixed number: serialises migrations across processes


def now_iso() -> str:
    """The current time as stored: ISO 8601, UTC, microseconds ("2026-11-26T02:43:18.123456Z")."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _check_key(value: object, field: str, *, required: bool) -> str:
    if not isinstance(value, str):
        raise RecordInputError(f"{field} must be text (str), not {type(value).__name__}")
    if required and not value.strip():
        raise RecordInputError(f"{field} must not be empty")
    if len(value) > s.KEY:
        raise RecordInputError(f"{field} is {len(value)} characters long; the limit is {s.KEY}")
    if "\x00" in value or any("\ud800" <= ch <= "\udfff" for ch in value):
        raise RecordInputError(f"{field} {value!r} holds characters that cannot be stored")
    return value


def _to_json(value: Any, field: str) -> str:
    if value is None:
        value = {}
    dump = getattr(value, "model_dump", None)
    if callable(dump):  # a pydantic model such as the rubric's Review
        value = dump(mode="json")
    if not isinstance(value, Mapping):
        raise RecordInputError(f"{field} must be a mapping (dict) or a model, not {type(value)}")
    try:
        # ensure_ascii keeps the column plain ASCII, so lone surrogates and NUL survive exactly.
        return json.dumps(value, ensure_ascii=True, sort_keys=True, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise RecordInputError(f"{field} cannot be stored as JSON: {exc}") from None


def _review_verdict(review_json: str, criterion: str) -> str | None:
    """The verdict a stored review gives a criterion (``verdicts`` as the rubric writes it)."""
    try:
        verdicts = json.loads(review_json).get("verdicts")
    except (ValueError, AttributeError):
        return None
    said = _brief.verdicts_of(verdicts).get(criterion)
    return said if said in VERDICTS else None


def _check_score(score: float | None) -> float | None:
    if score is None:
        return None
    if isinstance(score, bool) or not isinstance(score, int | float) or not math.isfinite(score):
        raise RecordInputError(f"score must be a number from 0 to 1, not {score!r}")
    if not 0.0 <= float(score) <= 1.0:
        raise RecordInputError(f"score must be from 0 to 1, not {score!r}")
    return float(score)


# SQLite files whose pages passed the quick check in this process: (path, size, mtime_ns).
_PAGES_CHECKED: set[tuple[str, int, int]] = set()


def _checked_by_parent(key: tuple[str, int, int]) -> bool:
    """True when the process that started this one checked this version of the file (a
    dashboard server for its kernels: each would otherwise read the whole file again)."""
    note = os.environ.get(RECORDS_CHECKED_ENV, "")
    try:
        return bool(note) and tuple(json.loads(note)) == key
    except (ValueError, TypeError):
        return False


def _create_private(path: Path) -> None:
    """Create a new records file readable by its owner only (0600), in a new folder that only
    its owner can open (0700). Learner drafts are private; other accounts on a shared machine
    must not read them. An existing file or folder keeps the permissions it has."""
    if not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(path.parent, 0o700)  # mkdir's mode is filtered by the umask
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except FileExistsError:
        return
    os.close(fd)
    os.chmod(path, 0o600)  # whatever the umask; SQLite gives its -wal and -shm files the same


class RecordStore:
    """The gateway to learning records: ``with RecordStore(url) as store: ...``.

    ``url`` is a SQLAlchemy URL (``sqlite:///path/records.sqlite``,
    ``postgresql+psycopg://user:password@host/db``) or a plain path to a SQLite file. When it is
    None, ``$GOALSTUDIO_RECORDS_URL`` is used, else the SQLite file in the learner's workspace.
    Opening creates the tables in an empty database, upgrades an older one (after copying a
    SQLite file to ``<name>.backup-v<N>-<time>.sqlite``), and refuses a newer or damaged one.
    """

    def __init__(self, url: str | Path | None = None, *, busy_timeout: float = 30.0) -> None:
        if url is None:
            from goalstudio.learner import records_url

            url = records_url()
        self._url = self._parse_url(url)
        self._busy_timeout = busy_timeout
        self._retry_for = max(busy_timeout * 2, 1.0)
        self.path: Path | None = None  # the SQLite file, when there is one
        self.backup_path: Path | None = None  # the copy taken before an upgrade, if any
        self.dialect = self._url.get_backend_name()
        if self.dialect == "sqlite":
            self._engine = self._sqlite_engine()
        else:
            try:
                self._engine = create_engine(self._url)
            except (ArgumentError, NoSuchModuleError, ImportError) as exc:
                raise RecordStoreUnavailable(
                    f"cannot use the records URL {self.where}: {exc}. For PostgreSQL install "
                    "goal-discovery-studio[postgres] and use postgresql+psycopg://..."
                ) from None
        self._damaged: RecordStoreCorrupt | None = None
        try:
            if self.dialect == "sqlite" and self.path is not None:
                self._check_pages()
            self._migrate()
            if self.dialect == "sqlite":
                self._use_wal()
        except BaseException:
            self._engine.dispose()
            raise

    # -- opening -------------------------------------------------------------------------------

    @staticmethod
    def _parse_url(url: str | Path) -> URL:
        if isinstance(url, Path) or "://" not in url:
            return make_url(f"sqlite:///{Path(url).expanduser()}")
        try:
            parsed = make_url(url)
        except ArgumentError:
            raise RecordStoreUnavailable(
                f"{url!r} is not a database URL. Use sqlite:///path/to/records.sqlite or "
                "postgresql+psycopg://user:password@host/database."
            ) from None
        if parsed.drivername in ("postgres", "postgresql"):
            # Hosting services hand out postgres:// URLs; the studio talks to them with psycopg 3.
            parsed = parsed.set(drivername="postgresql+psycopg")
        return parsed

    @property
    def where(self) -> str:
        """The file or server the store uses, without any password."""
        if self.path is not None:
            return str(self.path)
        return self._url.render_as_string(hide_password=True)

    @property
    def url(self) -> str:
        return self._url.render_as_string(hide_password=False)

    def _sqlite_engine(self) -> Engine:
        database = self._url.database or ""
        if database in ("", ":memory:"):
            engine = create_engine(
                "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
            )
        else:
            path = Path(database).expanduser().absolute()
            self.path = path
            self._check_sqlite_file(path)
            _create_private(path)
            engine = create_engine(
                f"sqlite:///{path}",
                connect_args={"timeout": self._busy_timeout, "check_same_thread": False},
            )
        busy_ms = int(self._busy_timeout * 1000)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see _on_begin)
            cursor = dbapi_conn.cursor()
            try:
                cursor.execute(f"PRAGMA busy_timeout = {busy_ms}")
                cursor.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: safe after a crash
                cursor.execute("PRAGMA foreign_keys = ON")
            finally:
                cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            conn.exec_driver_sql(conn.info.pop("goalstudio_begin", "BEGIN"))

        return engine

    def _check_sqlite_file(self, path: Path) -> None:
        """Refuse a file that is not a SQLite database or is shorter than its header says."""
        if path.is_dir():
            raise RecordStoreUnavailable(
                f"{path} is a folder; give the path of a records file such as records.sqlite."
            )
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            return
        if size == 0:
            return  # an empty file holds no data: it becomes a new records database
        with path.open("rb") as handle:
            header = handle.read(100)
        if not header.startswith(_SQLITE_MAGIC):
            raise self._corrupt("it is not a SQLite database")
        wal = path.with_name(path.name + "-wal")
        if len(header) < 100 or (wal.exists() and wal.stat().st_size > 0):
            return  # the write-ahead log may still hold pages; SQLite itself will judge
        page_size = int.from_bytes(header[16:18], "big")
        page_size = 65536 if page_size == 1 else page_size
        pages = int.from_bytes(header[28:32], "big")
        counter_valid = header[24:28] == header[92:96]
        if page_size and (size % page_size or (counter_valid and size < pages * page_size)):
            raise self._corrupt("the file is shorter than its header says (it was truncated)")

    def _corrupt(self, why: str) -> RecordStoreCorrupt:
        where = self.where
        return RecordStoreCorrupt(
            f"{where} cannot be opened as a records database: {why}. Nothing was changed in it. "
            f"Restore your latest backup (files named {Path(where).stem}.backup-*.sqlite next to "
            "it, or a copy you keep), or move the file aside and the studio will start a new, "
            "empty one. Ask your facilitator if you are not sure."
        )

    def _migrate(self) -> None:
        def step(conn: Connection) -> None:
            if self.dialect == "postgresql":
                conn.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK}
                )
            found = self._stored_version(conn)
            if found > s.SCHEMA_VERSION:
                raise RecordStoreTooNew(
                    f"{self.where} was written by a newer version of Goal Discovery Studio "
                    f"(records schema version {found}; this version understands up to "
                    f"{s.SCHEMA_VERSION}). It was left untouched. Update the studio "
                    "(pip install --upgrade goal-discovery-studio) or use another records file."
                )
            if found == s.SCHEMA_VERSION:
                return
            if found > 0:
                self._backup_before_upgrade(conn, found)
            for number in range(found + 1, s.SCHEMA_VERSION + 1):
                s.MIGRATIONS[number - 1](conn)
            if found == 0:
                conn.execute(
                    insert(s.schema_version),
                    {"id": 1, "version": s.SCHEMA_VERSION, "updated_at": now_iso()},
                )
            else:
                conn.execute(
                    s.schema_version.update()
                    .where(s.schema_version.c.id == 1)
                    .values(version=s.SCHEMA_VERSION, updated_at=now_iso())
                )

        # Most opens find the current version: check with a plain read first (cheap, no lock).
        if self._read(self._stored_version) != s.SCHEMA_VERSION:
            self._write(step)

    def _use_wal(self) -> None:
        """Switch the file to write-ahead logging (kept in the file, so this runs once per file).

        Only done after the schema check, so a file that is not ours is never changed."""

        if self.path is None:
            return  # an in-memory database has no log file
        delay = 0.002
        deadline = time.monotonic() + self._retry_for
        while True:
            raw = self._engine.raw_connection()
            try:
                cursor = raw.cursor()  # autocommit: the journal mode cannot change in a transaction
                if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    cursor.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                lowered = str(exc).lower()
                if ("locked" in lowered or "busy" in lowered) and time.monotonic() < deadline:
                    time.sleep(delay * random.uniform(0.5, 1.5))
                    delay = min(delay * 2, 0.2)
                    continue
                raise RecordStoreUnavailable(f"{self.where} cannot be opened: {exc}") from None
            finally:
                raw.close()

    def _stored_version(self, conn: Connection) -> int:
        names = set(inspect(conn).get_table_names())
        if "schema_version" not in names:
            ours = names.intersection(s.OUR_TABLES)
            if ours or (self.dialect == "sqlite" and names):
                raise RecordStoreUnavailable(
                    f"{self.where} holds tables ({', '.join(sorted(names)[:5])}) but no "
                    "records schema version, so it is not a Goal Discovery Studio records "
                    "database. It was left untouched; point GOALSTUDIO_RECORDS_URL at a records "
                    "file or an empty database."
                )
            return 0
        version = conn.execute(
            select(s.schema_version.c.version).where(s.schema_version.c.id == 1)
        ).scalar()
        if version is None:
            raise self._corrupt("its schema_version table is empty")
        return int(version)

    def _backup_before_upgrade(self, conn: Connection, found: int) -> None:
        if self.path is None:
            return  # in-memory SQLite needs none; PostgreSQL upgrades in one transaction
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        target = self.path.with_name(f"{self.path.stem}.backup-v{found}-{stamp}.sqlite")
        # A second connection reads the file: we hold the write lock, so nothing changes while
        # it copies, and SQLite lets readers in beside a writer.
        source = sqlite3.connect(
            f"{self.path.as_uri()}?mode=ro", uri=True, timeout=self._busy_timeout
        )
        _create_private(target)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        self.backup_path = target

    # -- transactions ----------------------------------------------------------------------------

    def _check_pages(self) -> None:
        """Refuse a file with damaged pages at open, rather than answer some reads and fail
        others. SQLite's quick check reads every page once, so it runs once per process for
        each version of the file (its size and time of change)."""
        assert self.path is not None
        try:
            info = self.path.stat()
        except FileNotFoundError:
            return
        if info.st_size == 0:
            return
        key = (str(self.path), info.st_size, info.st_mtime_ns)
        if key in _PAGES_CHECKED or _checked_by_parent(key):
            return

        def work(conn: Connection) -> str:
            rows = conn.exec_driver_sql("PRAGMA quick_check(1)").all()
            return str(rows[0][0]) if rows else "ok"

        verdict = self._run(work, write=False)
        if verdict != "ok":
            raise self._corrupt(f"SQLite found damaged pages ('{verdict}')")
        _PAGES_CHECKED.add(key)

    def checked_note(self) -> str:
        """What a process this one starts may be told (in ``GOALSTUDIO_RECORDS_CHECKED``) so
        that its own opens skip the page check while the file is unchanged: the file's path,
        size and time of change as this process found its pages sound. Empty when there is no
        file or its current version was not checked here."""
        if self.path is None:
            return ""
        try:
            info = self.path.stat()
        except FileNotFoundError:
            return ""
        key = (str(self.path), info.st_size, info.st_mtime_ns)
        return json.dumps(list(key)) if key in _PAGES_CHECKED else ""

    def _run(self, work: Callable[[Connection], T], *, write: bool) -> T:
        if self._damaged is not None:
            raise self._damaged  # once damage is seen, every read and write says so alike
        delay = 0.002
        deadline = time.monotonic() + self._retry_for
        reconnects = 0
        while True:
            try:
                with self._engine.connect() as conn:
                    if write and self.dialect == "sqlite":
                        conn.info["goalstudio_begin"] = "BEGIN IMMEDIATE"
                    with conn.begin():
                        return work(conn)
            except DBAPIError as exc:
                # A dropped connection (a server restart) is retried once on a fresh one; a
                # busy database or a clash between writers is retried with backoff until the
                # deadline.
                if exc.connection_invalidated:
                    reconnects += 1
                    if reconnects <= 1:
                        continue
                    raise self._translate(exc) from None
                if self._retryable(exc) and time.monotonic() < deadline:
                    time.sleep(delay * random.uniform(0.5, 1.5))
                    delay = min(delay * 2, 0.2)
                    continue
                error = self._translate(exc)
                if isinstance(error, RecordStoreCorrupt):
                    self._damaged = error
                raise error from None

    def _write(self, work: Callable[[Connection], T]) -> T:
        return self._run(work, write=True)

    def _read(self, work: Callable[[Connection], T]) -> T:
        return self._run(work, write=False)

    def _report(self, query: Any) -> list[Any]:
        """Rows of a dashboard query. On PostgreSQL the transaction may sort in memory
        (64 MB) rather than spill to disk: a cohort's latest reviews are a few megabytes."""

        def work(conn: Connection) -> list[Any]:
            if self.dialect == "postgresql":
                conn.exec_driver_sql("SET LOCAL work_mem = '64MB'")
            return list(conn.execute(query).all())

        return self._read(work)

    def _retryable(self, exc: DBAPIError) -> bool:
        message = str(exc.orig).lower()
        if self.dialect == "sqlite":
            return "locked" in message or "busy" in message
        code = getattr(exc.orig, "sqlstate", None)
        # serialization failure, deadlock, and a unique clash on a draft version number
        if code in ("40001", "40P01"):
            return True
        return isinstance(exc, IntegrityError) and "uq_drafts_version" in message

    def _translate(self, exc: DBAPIError) -> Exception:
        message = str(exc.orig)
        lowered = message.lower()
        if self.dialect == "sqlite" and (
            "malformed" in lowered or "not a database" in lowered or "corrupt" in lowered
        ):
            return self._corrupt(f"SQLite reports '{message}'")
        if self.dialect == "sqlite" and ("unable to open" in lowered or "readonly" in lowered):
            return RecordStoreUnavailable(
                f"{self.where} cannot be written ({message}). Check that the folder exists and "
                "that you may write to it."
            )
        if exc.connection_invalidated or isinstance(exc.orig, OSError) or "connect" in lowered:
            return RecordStoreUnavailable(
                f"the records database at {self.where} cannot be reached ({message.strip()}). "
                "Check that the server is running and the URL is right, then try again."
            )
        return RecordStoreUnavailable(f"the records database at {self.where} failed: {message}")

    # -- context manager -----------------------------------------------------------------------

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._engine.dispose()

    def __repr__(self) -> str:
        return f"RecordStore({self.where!r})"

    # -- drafts --------------------------------------------------------------------------------

    def save_draft(self, learner: str, activity: str, text: str, *, scenario: str = "") -> Draft:
        """Autosave: keep ``text`` as the newest version. Saving the same text again is a no-op."""
        key = self._key(learner, activity, scenario)
        data = encode_text(text, "text")
        fingerprint = digest(data)
        d = s.drafts

        def work(conn: Connection) -> Draft:
            latest = conn.execute(
                select(d.c.version, d.c.digest, d.c.saved_at)
                .where(*self._match(d, key))
                .order_by(d.c.version.desc())
                .limit(1)
            ).first()
            if latest is not None and latest.digest == fingerprint:
                return Draft(*key, version=latest.version, text=text, saved_at=latest.saved_at)
            version = 1 if latest is None else latest.version + 1
            saved_at = now_iso()
            conn.execute(
                insert(d),
                {
                    "record_id": str(uuid.uuid4()),
                    "learner": key[0],
                    "activity": key[1],
                    "scenario": key[2],
                    "version": version,
                    "text": data,
                    "digest": fingerprint,
                    "saved_at": saved_at,
                },
            )
            return Draft(*key, version=version, text=text, saved_at=saved_at)

        return self._write(work)

    def get_draft(
        self, learner: str, activity: str, *, scenario: str = "", version: int | None = None
    ) -> Draft:
        """The latest draft (or the given version). Raises RecordNotFound naming the key."""
        key = self._key(learner, activity, scenario)
        d = s.drafts
        query = select(d.c.version, d.c.text, d.c.saved_at).where(*self._match(d, key))
        if version is None:
            query = query.order_by(d.c.version.desc()).limit(1)
        else:
            query = query.where(d.c.version == version)
        row = self._read(lambda conn: conn.execute(query).first())
        if row is None:
            named = self._named(key)
            if version is not None:
                named["version"] = str(version)
            raise RecordNotFound("draft", named)
        return Draft(*key, version=row.version, text=decode_text(row.text), saved_at=row.saved_at)

    def draft_history(self, learner: str, activity: str, *, scenario: str = "") -> list[Draft]:
        """Every saved version, oldest first (empty when nothing was saved)."""
        key = self._key(learner, activity, scenario)
        d = s.drafts
        query = (
            select(d.c.version, d.c.text, d.c.saved_at)
            .where(*self._match(d, key))
            .order_by(d.c.version)
        )
        rows = self._read(lambda conn: conn.execute(query).all())
        return [
            Draft(*key, version=r.version, text=decode_text(r.text), saved_at=r.saved_at)
            for r in rows
        ]

    # -- attempts, reflections, ratings, events ------------------------------------------------

    def add_attempt(
        self,
        learner: str,
        activity: str,
        text: str,
        review: Mapping[str, Any] | Any = None,
        *,
        scenario: str = "",
        module: str = "",
        score: float | None = None,
    ) -> Attempt:
        """Record submitted plan text with its serialised review.

        ``review`` is a mapping (or a pydantic model, dumped as JSON). Its ``findings`` are also
        stored one per row, so the dashboards count language findings in SQL. ``score`` (0 to 1)
        defaults to ``score_from_review(review)``.
        """
        key = self._key(learner, activity, scenario)
        module = _check_key(module, "module", required=False)
        review_json = _to_json(review, "review")
        decoded: dict[str, Any] = json.loads(review_json)
        score = _check_score(score_from_review(decoded) if score is None else score)
        record_id, submitted_at = str(uuid.uuid4()), now_iso()
        row: dict[str, Any] = {
            "record_id": record_id,
            "learner": key[0],
            "activity": key[1],
            "scenario": key[2],
            "module": module,
            "text": encode_text(text, "text"),
            "review": review_json,
            "score": score,
            "submitted_at": submitted_at,
        }
        self._write(lambda conn: self._insert_attempts(conn, [row]))
        return Attempt(record_id, *key, module, text, decoded, score, submitted_at)

    @staticmethod
    def _insert_attempts(conn: Connection, rows: list[dict[str, Any]]) -> None:
        """Insert attempts and their findings (the caller holds the transaction)."""
        a = s.attempts
        if not rows:
            return
        ids = (
            conn.execute(insert(a).returning(a.c.id, sort_by_parameter_order=True), rows)
            .scalars()
            .all()
        )
        finding_rows: list[dict[str, Any]] = []
        for attempt_id, row in zip(ids, rows, strict=True):
            decoded = json.loads(row["review"])
            if isinstance(decoded, Mapping):
                finding_rows.extend(
                    {
                        "attempt_id": attempt_id,
                        "learner": row["learner"],
                        "activity": row["activity"],
                        "module": row["module"],
                        "submitted_at": row["submitted_at"],
                        **finding,
                    }
                    for finding in s.finding_rows(decoded)
                )
        if finding_rows:
            conn.execute(insert(s.findings), finding_rows)

    def add_reflection(
        self, learner: str, activity: str, text: str, *, scenario: str = "", module: str = ""
    ) -> Reflection:
        key = self._key(learner, activity, scenario)
        module = _check_key(module, "module", required=False)
        record = Reflection(str(uuid.uuid4()), *key, module, text, now_iso())
        row = {
            "record_id": record.record_id,
            "learner": key[0],
            "activity": key[1],
            "scenario": key[2],
            "module": module,
            "text": encode_text(text, "text"),
            "created_at": record.created_at,
        }
        self._write(lambda conn: conn.execute(insert(s.reflections), row))
        return record

    def add_self_rating(self, learner: str, phase: Phase, domain: str, rating: int) -> SelfRating:
        """A pre- or post-course self-rating from 1 (not confident) to 5 (very confident)."""
        learner = _check_key(learner, "learner", required=True)
        domain = _check_key(domain, "domain", required=True)
        if phase not in PHASES:
            raise RecordInputError(f"phase must be 'pre' or 'post', not {phase!r}")
        if isinstance(rating, bool) or not isinstance(rating, int):
            raise RecordInputError(f"rating must be a whole number, not {rating!r}")
        if not RATING_MIN <= rating <= RATING_MAX:
            raise RecordInputError(
                f"rating must be from {RATING_MIN} to {RATING_MAX}, not {rating}"
            )
        record = SelfRating(str(uuid.uuid4()), learner, phase, domain, rating, now_iso())
        row = {
            "record_id": record.record_id,
            "learner": learner,
            "phase": phase,
            "domain": domain,
            "rating": rating,
            "created_at": record.created_at,
        }
        self._write(lambda conn: conn.execute(insert(s.self_ratings), row))
        return record

    def add_event(
        self,
        learner: str,
        activity: str,
        kind: EventKind,
        detail: Mapping[str, Any] | None = None,
        *,
        scenario: str = "",
        module: str = "",
    ) -> Event:
        """Record that a learner started, revealed a hint, chose a reply, or completed."""
        key = self._key(learner, activity, scenario)
        module = _check_key(module, "module", required=False)
        if kind not in EVENT_KINDS:
            raise RecordInputError(f"kind must be one of {', '.join(EVENT_KINDS)}; not {kind!r}")
        detail_json = _to_json(detail, "detail")
        record = Event(str(uuid.uuid4()), *key, module, kind, json.loads(detail_json), now_iso())
        row = {
            "record_id": record.record_id,
            "learner": key[0],
            "activity": key[1],
            "scenario": key[2],
            "module": module,
            "kind": kind,
            "detail": detail_json,
            "created_at": record.created_at,
        }
        self._write(lambda conn: conn.execute(insert(s.events), row))
        return record

    # -- facilitators' overrides ---------------------------------------------------------------

    def add_override(
        self, attempt: str, criterion: str, verdict: str, reason: str, *, by: str
    ) -> Override:
        """Record that a facilitator disagrees with one verdict of an attempt's review.

        ``attempt`` is the attempt's ``record_id``; ``criterion`` one of the five criteria;
        ``verdict`` the facilitator's (``met``, ``partly`` or ``not_met``); ``reason`` why, in
        their words; ``by`` who. The review's own verdict is kept beside it, unchanged. A later
        override of the same criterion of the same attempt takes the place of an earlier one
        (both stay on record).
        """
        by = _check_key(by, "by (the facilitator's name)", required=True)
        if criterion not in CRITERIA:
            raise RecordInputError(
                f"criterion must be one of {', '.join(CRITERIA)}, not {criterion!r}"
            )
        if verdict not in VERDICTS:
            raise RecordInputError(f"verdict must be met, partly or not_met, not {verdict!r}")
        if not isinstance(reason, str) or not reason.strip():
            raise RecordInputError("reason must say why the verdict is overridden")
        a, o = s.attempts, s.overrides
        record_id, created_at = str(uuid.uuid4()), now_iso()

        def work(conn: Connection) -> Override:
            row = conn.execute(
                select(a.c.id, a.c.learner, a.c.activity, a.c.scenario, a.c.review).where(
                    a.c.record_id == attempt
                )
            ).first()
            if row is None:
                raise RecordNotFound("attempt", {"record_id": attempt})
            said = _review_verdict(row.review, criterion)
            if said is None:
                raise RecordInputError(
                    f"attempt {attempt} has no rubric verdict for {criterion!r} to override"
                )
            conn.execute(
                insert(o),
                {
                    "record_id": record_id,
                    "attempt_id": row.id,
                    "criterion": criterion,
                    "rubric_verdict": said,
                    "verdict": verdict,
                    "facilitator": by,
                    "created_at": created_at,
                    "reason": encode_text(reason, "reason"),
                },
            )
            return Override(
                record_id,
                attempt,
                row.learner,
                row.activity,
                row.scenario,
                criterion,
                said,
                verdict,
                by,
                reason,
                created_at,
            )

        return self._write(work)

    # -- the studio's check of learners' reviews ------------------------------------------------

    def verify_reviews(self) -> ReviewCheck:
        """Recompute the review of every plan attempt not yet checked from its submitted text,
        with the studio's rubric, and put the studio's review (score and findings) in place
        where the stored one differs. Each attempt is checked once, so calling this before
        every dashboard read costs little. On a hub this needs the facilitators' role."""
        if self._read(_verify.all_checked):
            return ReviewCheck(0, 0)
        reviewer = _verify.Reviewer()
        checked = changed = 0
        while True:
            rows = self._read(lambda conn: _verify.unchecked(conn, _verify.BATCH))
            if not rows:
                break
            # The rubric runs between the read and the write: no write lock is held meanwhile.
            write = functools.partial(
                _verify.record, checked=[reviewer.check(row) for row in rows], at=now_iso()
            )
            changed += self._write(write)
            checked += len(rows)
            if len(rows) < _verify.BATCH:
                break
        return ReviewCheck(checked, changed)

    def add_audit_plans(
        self, round_name: str, plans: Iterable[Mapping[str, Any]], *, locale: str = "en-GB"
    ) -> int:
        """Add plans to the audit round ``round_name`` (created if new); returns how many were
        added. Each plan is a mapping with ``digest`` (of its source file), ``source``,
        ``kind``, ``read``, ``words`` and ``summary`` (a mapping). A plan whose digest the round
        already holds is skipped, so reading the same folder twice adds nothing."""
        round_name = _check_key(round_name, "round (the audit round's name)", required=True)
        rows = []
        for plan in plans:
            summary = _to_json(plan.get("summary"), "summary")
            rows.append(
                {
                    "digest": _check_key(plan.get("digest"), "digest", required=True),
                    "source": _check_key(plan.get("source"), "source", required=True),
                    "kind": _check_key(plan.get("kind"), "kind", required=True)[:16],
                    "read": _check_key(plan.get("read"), "read", required=True)[:16],
                    "words": int(plan.get("words") or 0),
                    "summary": summary,
                }
            )
        r, p = s.audit_rounds, s.audit_plans
        added_at = now_iso()

        def work(conn: Connection) -> int:
            found = conn.execute(select(r.c.id, r.c.locale).where(r.c.name == round_name)).first()
            if found is None:
                conn.execute(insert(r).values(name=round_name, locale=locale, created_at=added_at))
                round_id = conn.execute(select(r.c.id).where(r.c.name == round_name)).scalar_one()
            elif found.locale != locale:
                raise RecordInputError(
                    f"audit round {round_name!r} was read with locale {found.locale}; run it "
                    f"again with --locale {found.locale}, or give this run a new round name"
                )
            else:
                round_id = found.id
            have = set(conn.execute(select(p.c.digest).where(p.c.round_id == round_id)).scalars())
            new = []
            for row in rows:
                if row["digest"] not in have:
                    have.add(row["digest"])
                    new.append({**row, "round_id": round_id, "added_at": added_at})
            if new:
                conn.execute(insert(p), new)
            return len(new)

        return self._write(work)

    def audit_rounds(self) -> list[AuditRound]:
        """Every audit round, oldest first, with its plan count."""
        from sqlalchemy import func

        r, p = s.audit_rounds, s.audit_plans
        query = (
            select(r.c.name, r.c.locale, r.c.created_at, func.count(p.c.id))
            .select_from(r.outerjoin(p, p.c.round_id == r.c.id))
            .group_by(r.c.id, r.c.name, r.c.locale, r.c.created_at)
            .order_by(r.c.created_at, r.c.id)
        )
        rows = self._read(lambda conn: conn.execute(query).all())
        return [AuditRound(n, loc, at, int(count)) for n, loc, at, count in rows]

    def audit_plans(self, round_name: str) -> list[AuditPlan]:
        """The plans of an audit round, in the order they were added."""
        r, p = s.audit_rounds, s.audit_plans

        def work(conn: Connection) -> list[Any] | None:
            round_id = conn.execute(select(r.c.id).where(r.c.name == round_name)).scalar()
            if round_id is None:
                return None
            query = (
                select(p.c.source, p.c.digest, p.c.kind, p.c.read, p.c.words)
                .add_columns(p.c.added_at, p.c.summary)
                .where(p.c.round_id == round_id)
                .order_by(p.c.id)
            )
            return list(conn.execute(query).all())

        rows = self._read(work)
        if rows is None:
            raise RecordNotFound("audit round", {"name": round_name})
        return [
            AuditPlan(round_name, src, dig, kind, read, int(words), at, json.loads(summary))
            for src, dig, kind, read, words, at, summary in rows
        ]

    def get_overrides(
        self,
        attempt: str | None = None,
        *,
        learner: str | None = None,
        latest_only: bool = False,
    ) -> list[Override]:
        """Facilitators' overrides, oldest first: of one attempt (its ``record_id``), of one
        learner, or all. ``latest_only`` keeps the latest override of each criterion of each
        attempt, the one that counts."""
        a, o = s.attempts, s.overrides
        query = (
            select(
                o.c.record_id,
                a.c.record_id.label("attempt_record_id"),
                a.c.learner,
                a.c.activity,
                a.c.scenario,
                o.c.criterion,
                o.c.rubric_verdict,
                o.c.verdict,
                o.c.facilitator,
                o.c.reason,
                o.c.created_at,
                o.c.attempt_id,
            )
            .join(a, a.c.id == o.c.attempt_id)
            .order_by(o.c.id)
        )
        if attempt is not None:
            query = query.where(a.c.record_id == attempt)
        if learner is not None:
            query = query.where(a.c.learner == learner)
        rows = self._read(lambda conn: conn.execute(query).all())
        if latest_only:
            last = {(r.attempt_id, r.criterion): r for r in rows}
            rows = [r for r in rows if last[(r.attempt_id, r.criterion)] is r]
        return [
            Override(
                r.record_id,
                r.attempt_record_id,
                r.learner,
                r.activity,
                r.scenario,
                r.criterion,
                r.rubric_verdict,
                r.verdict,
                r.facilitator,
                decode_text(r.reason),
                r.created_at,
            )
            for r in rows
        ]

    # -- reading records back ------------------------------------------------------------------

    def get_attempt(self, record_id: str) -> Attempt:
        a = s.attempts
        query = select(a).where(a.c.record_id == record_id)
        row = self._read(lambda conn: conn.execute(query).first())
        if row is None:
            raise RecordNotFound("attempt", {"record_id": record_id})
        return self._attempt(row)

    def get_attempts(self, learner: str, activity: str | None = None) -> list[Attempt]:
        """A learner's attempts, oldest first (at one activity when ``activity`` is given)."""
        a = s.attempts
        query = select(a).where(a.c.learner == learner).order_by(a.c.id)
        if activity is not None:
            query = query.where(a.c.activity == activity)
        rows = self._read(lambda conn: conn.execute(query).all())
        return [self._attempt(r) for r in rows]

    def get_reflections(self, learner: str, activity: str | None = None) -> list[Reflection]:
        r = s.reflections
        query = select(r).where(r.c.learner == learner).order_by(r.c.id)
        if activity is not None:
            query = query.where(r.c.activity == activity)
        rows = self._read(lambda conn: conn.execute(query).all())
        return [
            Reflection(
                x.record_id,
                x.learner,
                x.activity,
                x.scenario,
                x.module,
                decode_text(x.text),
                x.created_at,
            )
            for x in rows
        ]

    def get_self_ratings(self, learner: str) -> list[SelfRating]:
        t = s.self_ratings
        query = select(t).where(t.c.learner == learner).order_by(t.c.id)
        rows = self._read(lambda conn: conn.execute(query).all())
        return [
            SelfRating(x.record_id, x.learner, x.phase, x.domain, x.rating, x.created_at)
            for x in rows
        ]

    def get_events(self, learner: str, activity: str | None = None) -> list[Event]:
        e = s.events
        query = select(e).where(e.c.learner == learner).order_by(e.c.id)
        if activity is not None:
            query = query.where(e.c.activity == activity)
        rows = self._read(lambda conn: conn.execute(query).all())
        return [
            Event(
                x.record_id,
                x.learner,
                x.activity,
                x.scenario,
                x.module,
                x.kind,
                json.loads(x.detail),
                x.created_at,
            )
            for x in rows
        ]

    @staticmethod
    def _attempt(row: Any) -> Attempt:
        return Attempt(
            row.record_id,
            row.learner,
            row.activity,
            row.scenario,
            row.module,
            decode_text(row.text),
            json.loads(row.review),
            row.score,
            row.submitted_at,
        )

    # -- dashboard queries (all aggregation happens in the database) ---------------------------

    def learner_progress(self, learner: str | None = None) -> list[LearnerProgress]:
        """Per learner and module: activities started and completed, attempts, last activity."""
        rows = self._report(q.learner_progress(learner))
        return [
            LearnerProgress(
                r.learner,
                r.module,
                int(r.started),
                int(r.completed),
                int(r.attempts),
                r.last_active,
            )
            for r in rows
        ]

    def module_progress(self) -> list[ModuleProgress]:
        """Per module: learners active, learners who completed something, completions,
        attempts, and the mean score of each learner's latest attempt at each activity."""
        rows = self._report(q.module_progress())
        return [
            ModuleProgress(
                r.module,
                int(r.learners),
                int(r.finishers),
                int(r.completed),
                int(r.attempts),
                None if r.mean is None else float(r.mean),
            )
            for r in rows
        ]

    def latest_reviews(
        self, *, learner: str | None = None, activity: str | None = None
    ) -> list[LatestReview]:
        """The most recent attempt of each learner at each activity, with its review."""
        rows = self._report(q.latest_reviews(learner, activity))
        return [LatestReview(*r) for r in rows]

    def language_finding_counts(
        self, *, module: str | None = None, activity: str | None = None, latest_only: bool = False
    ) -> list[FindingCount]:
        """How often each language phrase was flagged (most frequent first), and in how many
        learners' work. ``latest_only`` counts only each learner's latest attempt at each
        activity, so a learner who resubmits the same wording is not counted twice."""
        rows = self._report(q.language_finding_counts(module, activity, latest_only))
        return [FindingCount(r.phrase, int(r.occurrences), int(r.learners)) for r in rows]

    def self_ratings_with_scores(self) -> list[RatingPair]:
        """Each learner's latest pre and post self-rating per domain, beside the mean score of
        their latest attempt at each activity."""
        rows = self._report(q.self_ratings_with_scores())
        return [
            RatingPair(
                r.learner,
                r.domain,
                r.pre,
                r.post,
                None if r.score is None else float(r.score),
                int(r.scored),
            )
            for r in rows
        ]

    # -- helpers -------------------------------------------------------------------------------

    @staticmethod
    def _key(learner: str, activity: str, scenario: str) -> tuple[str, str, str]:
        return (
            _check_key(learner, "learner", required=True),
            _check_key(activity, "activity", required=True),
            _check_key(scenario, "scenario", required=False),
        )

    @staticmethod
    def _match(table: Any, key: tuple[str, str, str]) -> Iterable[Any]:
        return (
            table.c.learner == key[0],
            table.c.activity == key[1],
            table.c.scenario == key[2],
        )

    @staticmethod
    def _named(key: tuple[str, str, str]) -> dict[str, str]:
        named = {"learner": key[0], "activity": key[1]}
        if key[2]:
            named["scenario"] = key[2]
        return named
