"""Shared fixtures for the records-store tests: one store URL per backend.

``store_url`` runs a test against a fresh SQLite file and, when ``GOALSTUDIO_TEST_POSTGRES_URL``
names a reachable server (``.ci/postgres.sh`` starts one), against a fresh PostgreSQL schema.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

POSTGRES_ENV = "GOALSTUDIO_TEST_POSTGRES_URL"


def postgres_base_url() -> str:
    """The server URL, or skip with the reason it cannot be used."""
    url = os.environ.get(POSTGRES_ENV, "").strip()
    if not url:
        pytest.skip(f"{POSTGRES_ENV} is not set (bash .ci/postgres.sh starts a local server)")
    return url


def _reachable(url: str) -> str | None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url, connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # any failure to connect means: skip, saying why
        return f"{type(exc).__name__}: {str(exc).strip().splitlines()[0]}"
    finally:
        engine.dispose()
    return None


_unreachable: dict[str, str | None] = {}


def fresh_postgres_url() -> Iterator[str]:
    """A URL whose search_path is a new, empty schema (dropped afterwards)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = postgres_base_url()
    if base not in _unreachable:
        _unreachable[base] = _reachable(base)
    if _unreachable[base] is not None:
        pytest.skip(f"PostgreSQL at {POSTGRES_ENV} is unreachable: {_unreachable[base]}")
    schema = f"gs_test_{uuid.uuid4().hex[:12]}"
    engine = create_engine(base)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    # synchronous_commit=off: the server still commits every transaction before it answers, it
    # only skips waiting for the disk, which keeps 6,000 concurrent writes quick in the tests.
    options = f"-csearch_path={schema} -csynchronous_commit=off"
    url = make_url(base).update_query_dict({"options": options})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL for an empty records store on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'records.sqlite'}"
    else:
        yield from fresh_postgres_url()
