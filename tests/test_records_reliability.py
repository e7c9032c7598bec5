"""Records are never lost: many writers at once, a writer killed mid-stream, damaged files,
migrations from older schemas and refusal of newer ones."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text

from goalstudio.records import (
    SCHEMA_VERSION,
    RecordStore,
    RecordStoreCorrupt,
    RecordStoreTooNew,
    RecordStoreUnavailable,
)
from goalstudio.records.reports import language_by_day
from tests._records_support import store_url

__all__ = ["store_url"]

WRITERS = 30
WRITES_EACH = 200
# PostgreSQL answers each write in a network round trip or more, so its run uses fewer writes
# per process (still 30 processes at once) to keep the suite quick on two cores.
WRITES_EACH_POSTGRES = 60


def _writer(url: str, number: int, start: Any, errors: Any, writes: int) -> None:
    try:
        with RecordStore(url) as store:
            start.wait(60)
            for i in range(writes):
                if i % 2 == 0:
                    store.save_draft(f"learner-{number}", f"act-{i % 4}", f"draft {number}/{i}")
                else:
                    review = {"findings": [{"rule_id": "language", "phrase": f"p{i % 3}"}]}
                    store.add_attempt(
                        f"learner-{number}",
                        f"act-{i % 4}",
                        f"plan {number}/{i}",
                        review,
                        module="3",
                        score=0.5,
                    )
    except BaseException:
        errors.put(f"writer {number}: {traceback.format_exc()}")
        raise


@pytest.mark.slow
def test_thirty_processes_writing_at_once_lose_nothing(store_url: str) -> None:
    with RecordStore(store_url):
        pass  # create the schema once, as the first learner to open it would
    writes = WRITES_EACH if store_url.startswith("sqlite") else WRITES_EACH_POSTGRES
    context = multiprocessing.get_context("fork")
    start = context.Event()
    errors = context.Queue()
    workers = [
        context.Process(target=_writer, args=(store_url, n, start, errors, writes))
        for n in range(WRITERS)
    ]
    for worker in workers:
        worker.start()
    start.set()
    for worker in workers:
        worker.join(240)
    problems = []
    while not errors.empty():
        problems.append(errors.get())
    assert problems == []
    assert [w.exitcode for w in workers] == [0] * WRITERS
    with RecordStore(store_url) as store:
        for n in range(WRITERS):
            for activity in range(4):
                history = store.draft_history(f"learner-{n}", f"act-{activity}")
                assert [d.version for d in history] == list(range(1, len(history) + 1))
                expected = [f"draft {n}/{i}" for i in range(activity, writes, 4) if i % 2 == 0]
                assert [d.text for d in history] == expected
            attempts = store.get_attempts(f"learner-{n}")
            assert sorted(a.text for a in attempts) == sorted(
                f"plan {n}/{i}" for i in range(1, writes, 2)
            )
        total = sum(c.occurrences for c in store.language_finding_counts())
        assert total == WRITERS * writes // 2
        progress = store.learner_progress()
        assert sum(p.attempts for p in progress) == WRITERS * writes // 2


_CRASH_WRITER = """
import sys
from goalstudio.records import RecordStore
with RecordStore(sys.argv[1]) as store:
    i = 0
    while True:
        store.save_draft("sam", "autosave", f"save {i} " + "x" * (i % 500))
        if i % 3 == 0:
            store.add_attempt("sam", "autosave", f"attempt {i}", {"findings": []})
        print(i, flush=True)
        i += 1
"""


@pytest.mark.slow
def test_a_writer_killed_mid_stream_loses_no_returned_save(store_url: str) -> None:
    writer = subprocess.Popen(
        [sys.executable, "-c", _CRASH_WRITER, store_url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None
    returned: list[int] = []
    deadline = time.monotonic() + 60
    while len(returned) < 300 and time.monotonic() < deadline:
        line = writer.stdout.readline()
        if not line:
            break
        returned.append(int(line))
    os.kill(writer.pid, signal.SIGKILL)
    rest, err = writer.communicate(timeout=30)
    returned.extend(int(x) for x in rest.split())
    assert writer.returncode == -signal.SIGKILL, err
    assert len(returned) >= 300, err
    with RecordStore(store_url) as store:
        saved = {d.text.split(" ")[1] for d in store.draft_history("sam", "autosave")}
        assert {str(i) for i in returned} <= saved
        attempts = {a.text for a in store.get_attempts("sam")}
        assert {f"attempt {i}" for i in returned if i % 3 == 0} <= attempts
        latest = store.get_draft("sam", "autosave")
        assert int(latest.text.split(" ")[1]) >= returned[-1]
    if store_url.startswith("sqlite"):
        path = store_url.removeprefix("sqlite:///")
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


# -- damaged files -----------------------------------------------------------------------------------


def _filled(path: Path, drafts: int = 300) -> bytes:
    with RecordStore(path) as store:
        for i in range(drafts):
            store.save_draft("sam", f"a{i % 7}", f"version {i} " + "words " * 50)
    with sqlite3.connect(path) as conn:  # fold the write-ahead log into the file
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path.read_bytes()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _assert_clear_error(message: str, path: Path) -> None:
    assert str(path) in message
    assert "backup" in message
    assert "Nothing was changed" in message


@pytest.mark.parametrize("keep", [0.5, 0.9, 0.2])
def test_truncated_file_gives_a_clear_error_and_is_left_alone(tmp_path: Path, keep: float) -> None:
    path = tmp_path / "records.sqlite"
    data = _filled(path)
    path.write_bytes(data[: int(len(data) * keep)])
    before = _digest(path)
    with pytest.raises(RecordStoreCorrupt) as caught, RecordStore(path) as store:
        store.get_draft("sam", "a1")
    _assert_clear_error(str(caught.value), path)
    assert _digest(path) == before


def test_garbage_file_is_not_mistaken_for_an_empty_store(tmp_path: Path) -> None:
    path = tmp_path / "records.sqlite"
    path.write_bytes(os.urandom(8192))
    before = _digest(path)
    with pytest.raises(RecordStoreCorrupt) as caught:
        RecordStore(path)
    _assert_clear_error(str(caught.value), path)
    assert "not a SQLite database" in str(caught.value)
    assert _digest(path) == before


def test_damaged_pages_give_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "records.sqlite"
    data = bytearray(_filled(path))
    page = int.from_bytes(data[16:18], "big")
    for start in range(page, len(data), page):  # scribble over every page but the first
        data[start + 8 : start + 64] = os.urandom(56)
    path.write_bytes(bytes(data))
    with pytest.raises(RecordStoreCorrupt) as caught, RecordStore(path) as store:
        for i in range(7):
            store.draft_history("sam", f"a{i}")
    _assert_clear_error(str(caught.value), path)


def test_one_damaged_page_makes_the_whole_store_refuse(tmp_path: Path) -> None:
    # With one page scribbled over, SQLite would answer the reads that miss it and fail
    # the others; the store refuses at open instead, the same for every reader.
    path = tmp_path / "records.sqlite"
    data = bytearray(_filled(path))
    page = int.from_bytes(data[16:18], "big")
    last = (len(data) // page - 1) * page
    data[last + 8 : last + 64] = os.urandom(56)
    path.write_bytes(bytes(data))
    before = _digest(path)
    with pytest.raises(RecordStoreCorrupt, match="damaged pages") as caught:
        RecordStore(path)
    _assert_clear_error(str(caught.value), path)
    assert _digest(path) == before


def test_another_programs_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
        conn.execute("INSERT INTO recipes VALUES ('soup')")
    conn.close()
    before = _digest(path)
    with pytest.raises(RecordStoreUnavailable, match="not a Goal Discovery Studio records"):
        RecordStore(path)
    assert _digest(path) == before


def test_empty_file_and_missing_folder_become_a_new_store(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    with RecordStore(empty) as store:
        store.save_draft("sam", "a", "first words")
    nested = tmp_path / "workspace" / ".goalstudio" / "records.sqlite"
    with RecordStore(f"sqlite:///{nested}") as store:
        assert store.path == nested
        store.save_draft("sam", "a", "first words")
    assert nested.exists()


def test_a_folder_is_not_a_records_file(tmp_path: Path) -> None:
    with pytest.raises(RecordStoreUnavailable, match="is a folder"):
        RecordStore(tmp_path)


def test_unreachable_server_gives_a_clear_error() -> None:
    url = "postgresql+psycopg://nobody:secret@127.0.0.1:9/none?connect_timeout=2"
    with pytest.raises(RecordStoreUnavailable) as caught:
        RecordStore(url)
    message = str(caught.value)
    assert "cannot be reached" in message
    assert "secret" not in message
    assert "127.0.0.1:9" in message


def test_plain_postgres_urls_use_psycopg() -> None:
    url = "postgres://nobody:secret@127.0.0.1:9/none?connect_timeout=2"
    with pytest.raises(RecordStoreUnavailable, match="cannot be reached") as caught:
        RecordStore(url)
    assert "postgresql+psycopg://nobody:***@127.0.0.1:9/none" in str(caught.value)


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path: Path) -> None:
    path = tmp_path / "records.sqlite"
    with RecordStore(path, busy_timeout=12.5) as store:
        store.save_draft("sam", "a", "x")
        with store._engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 12500


# -- migrations --------------------------------------------------------------------------------------


def _set_version(url: str, version: int) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE schema_version SET version = :v"), {"v": version})
    engine.dispose()


def _make_version_1(url: str) -> None:
    """A store as version 1 of the studio left it: no findings table."""
    with RecordStore(url) as store:
        store.save_draft("sam", "a", "an old draft")
        store.add_attempt(
            "sam", "a", "old plan", {"findings": [{"rule_id": "language", "phrase": "Addict"}]}
        )
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE overrides"))  # added in version 4
        conn.execute(text("DROP TABLE findings"))
        conn.execute(text("UPDATE schema_version SET version = 1"))
    engine.dispose()


def test_opening_an_older_store_upgrades_it(store_url: str) -> None:
    _make_version_1(store_url)
    with RecordStore(store_url) as store:
        assert store.get_draft("sam", "a").text == "an old draft"
        assert [(c.phrase, c.occurrences) for c in store.language_finding_counts()] == [
            ("addict", 1)
        ]
        with store._engine.connect() as conn:
            version = conn.exec_driver_sql("SELECT version FROM schema_version").scalar()
        assert version == SCHEMA_VERSION
        if store.path is not None:
            backups = list(store.path.parent.glob("records.backup-v1-*.sqlite"))
            assert len(backups) == 1
            with sqlite3.connect(backups[0]) as conn:
                old = conn.execute("SELECT version FROM schema_version").fetchone()
                tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            conn.close()
            assert old == (1,)
            assert "findings" not in tables


def _make_version_2(url: str) -> dict[str, str]:
    """A store as version 2 of the studio left it: findings without their attempt's time.

    Returns each attempt's record id with the time it was (re)dated to."""
    times = {}
    with RecordStore(url) as store:
        for n, (learner, phrases) in enumerate(
            [
                ("sam", ["Addict", "Non-compliant"]),
                ("kai", ["Addict"]),
                ("ana", []),
                ("sam", ["Addict"]),
            ]
        ):
            findings = [
                {"rule_id": "language.x", "phrase": p, "criterion": "language"} for p in phrases
            ]
            attempt = store.add_attempt(learner, f"a{n % 2}", f"plan {n}", {"findings": findings})
            times[attempt.record_id] = f"2026-11-{10 + n:02d}T09:00:00.000000Z"
    engine = create_engine(url)
    with engine.begin() as conn:
        for record_id, stamp in times.items():
            conn.execute(
                text("UPDATE attempts SET submitted_at = :t WHERE record_id = :r"),
                {"t": stamp, "r": record_id},
            )
        conn.execute(text("DROP TABLE overrides"))  # added in version 4
        conn.execute(text("DROP INDEX ix_findings_phrase_day"))
        conn.execute(text("DROP INDEX ix_findings_phrase"))
        conn.execute(text("ALTER TABLE findings DROP COLUMN submitted_at"))
        conn.execute(text("CREATE INDEX ix_findings_phrase ON findings (phrase, learner)"))
        conn.execute(text("UPDATE schema_version SET version = 2"))
    engine.dispose()
    return times


def test_opening_a_version_2_store_dates_its_findings(store_url: str) -> None:
    times = _make_version_2(store_url)
    with RecordStore(store_url) as store:
        with store._engine.connect() as conn:
            version = conn.exec_driver_sql("SELECT version FROM schema_version").scalar()
            assert version == SCHEMA_VERSION
            rows = conn.execute(
                text(
                    "SELECT a.record_id, f.phrase, f.submitted_at FROM findings f "
                    "JOIN attempts a ON a.id = f.attempt_id ORDER BY f.id"
                )
            ).all()
            indexes = {i["name"]: i["column_names"] for i in inspect(conn).get_indexes("findings")}
        # Every finding now carries exactly its own attempt's time, none left blank.
        assert [(phrase, stamp) for _, phrase, stamp in rows] == [
            ("addict", "2026-11-10T09:00:00.000000Z"),
            ("non-compliant", "2026-11-10T09:00:00.000000Z"),
            ("addict", "2026-11-11T09:00:00.000000Z"),
            ("addict", "2026-11-13T09:00:00.000000Z"),
        ]
        assert all(stamp == times[record_id] for record_id, _, stamp in rows)
        assert indexes["ix_findings_phrase"] == ["phrase", "learner", "rule_id"]
        assert indexes["ix_findings_phrase_day"] == ["phrase", "submitted_at"]
        by_day = language_by_day(store, ["addict", "non-compliant"])
        assert [tuple(d) for d in by_day] == [
            ("addict", "2026-11-10", 1),
            ("non-compliant", "2026-11-10", 1),
            ("addict", "2026-11-11", 1),
            ("addict", "2026-11-13", 1),
        ]
        # A write after the upgrade dates its findings as it stores them.
        later = store.add_attempt("kai", "a9", "new", {"findings": [{"phrase": "Addict"}]})
        with store._engine.connect() as conn:
            stamp = conn.execute(
                text(
                    "SELECT f.submitted_at FROM findings f JOIN attempts a "
                    "ON a.id = f.attempt_id WHERE a.record_id = :r"
                ),
                {"r": later.record_id},
            ).scalar()
        assert stamp == later.submitted_at
        if store.path is not None:
            backups = list(store.path.parent.glob("records.backup-v2-*.sqlite"))
            assert len(backups) == 1
            with sqlite3.connect(backups[0]) as old:
                version = old.execute("SELECT version FROM schema_version").fetchone()
                columns = [r[1] for r in old.execute("PRAGMA table_info(findings)")]
            old.close()
            assert version == (2,)
            assert "submitted_at" not in columns


def test_opening_a_newer_store_is_refused_and_leaves_it_alone(store_url: str) -> None:
    with RecordStore(store_url) as store:
        store.save_draft("sam", "a", "from the future")
        where = store.where
    _set_version(store_url, SCHEMA_VERSION + 1)
    with pytest.raises(RecordStoreTooNew) as caught:
        RecordStore(store_url)
    message = str(caught.value)
    assert where in message
    assert f"records schema version {SCHEMA_VERSION + 1}" in message
    assert f"understands up to {SCHEMA_VERSION}" in message
    assert "Update the studio" in message
    _set_version(store_url, SCHEMA_VERSION)
    with RecordStore(store_url) as store:
        assert store.get_draft("sam", "a").text == "from the future"


@pytest.mark.slow
def test_many_processes_opening_an_old_store_upgrade_it_once(tmp_path: Path) -> None:
    path = tmp_path / "records.sqlite"
    url = f"sqlite:///{path}"
    _make_version_1(url)
    script = (
        "import sys\nfrom goalstudio.records import RecordStore\n"
        "with RecordStore(sys.argv[1]) as s:\n    s.save_draft(sys.argv[2], 'a', 'hello')\n"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, url, f"learner-{n}"], stderr=subprocess.PIPE, text=True
        )
        for n in range(4)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    assert len(list(tmp_path.glob("records.backup-v1-*.sqlite"))) == 1
    with RecordStore(url) as store:
        assert len(store.language_finding_counts()) == 1
        for n in range(4):
            assert store.get_draft(f"learner-{n}", "a").text == "hello"


def test_a_child_process_skips_the_page_check_its_parent_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A dashboard server checks the file's pages once and tells its kernels, which would each
    read the whole file again; a file changed since is checked again."""
    from goalstudio.records import _store

    url = f"sqlite:///{tmp_path / 'records.sqlite'}"
    with RecordStore(url) as store:
        store.add_event("sam", "a1", "started")
    with RecordStore(url) as store:
        note = store.checked_note()
    assert json.loads(note)[0] == str(tmp_path / "records.sqlite")
    monkeypatch.setattr(_store, "_PAGES_CHECKED", set())
    monkeypatch.setenv("GOALSTUDIO_RECORDS_CHECKED", note)
    with RecordStore(url) as store:
        assert store.checked_note() == ""  # skipped here: nothing to hand on
    monkeypatch.setenv("GOALSTUDIO_RECORDS_CHECKED", "not json")
    with RecordStore(url) as store:
        assert store.checked_note() == note  # checked here
    with RecordStore(f"sqlite:///{tmp_path / 'new.sqlite'}") as new:
        assert new.checked_note() == ""  # a new, empty file: no pages to check
