"""Shared helpers for tests that set a hub's PostgreSQL up as its administrator would.

The server is the one ``GOALSTUDIO_TEST_POSTGRES_URL`` names, or the one ``.ci/postgres.sh``
wrote to ``.ci/postgres.env``; roles and databases are made with ``psql`` as the ``postgres``
account, so these tests need root (CI runs as root) and skip with the reason otherwise.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from goalstudio.hub.database import db_role

REPO = Path(__file__).resolve().parent.parent

# Database roles are shared by the whole server: names of these tests' own, never a real hub's.
_TAG = secrets.token_hex(3)
LEARNERS = (f"ana-rls-{_TAG}", f"bo-rls-{_TAG}", f"cy-rls-{_TAG}", f"di-rls-{_TAG}")


def postgres_port() -> int | None:
    """The port of the test server, or None when no server has been set up."""
    from sqlalchemy.engine import make_url

    url = os.environ.get("GOALSTUDIO_TEST_POSTGRES_URL", "").strip()
    if not url:
        env_file = REPO / ".ci" / "postgres.env"
        if env_file.exists():
            text = env_file.read_text(encoding="utf-8")
            url = text.split("=", 1)[1].strip().strip("'\"") if "=" in text else ""
    if not url:
        return None
    return make_url(url).port or 5432


def psql(port: int, sql: str) -> subprocess.CompletedProcess[str]:
    """Run ``sql`` as the server's superuser (the ``postgres`` account)."""
    return subprocess.run(
        ["su", "postgres", "-s", "/bin/sh", "-c", f"psql -p {port} -v ON_ERROR_STOP=1 -qAt"],
        input=sql,
        capture_output=True,
        text=True,
        check=False,
    )


def why_no_admin() -> str | None:
    """Why a test cannot make PostgreSQL roles here, or None."""
    if sys.platform != "linux" or os.geteuid() != 0:
        return "needs root to create a PostgreSQL role that may create roles (CI runs as root)"
    port = postgres_port()
    if port is None:
        return "no PostgreSQL server: GOALSTUDIO_TEST_POSTGRES_URL is unset (bash .ci/postgres.sh)"
    if psql(port, "SELECT 1").returncode != 0:
        return f"cannot reach PostgreSQL on port {port} as the postgres account"
    return None


@pytest.fixture
def admin_url() -> Iterator[str]:
    """A fresh database and an admin role that may create roles, as a hub's records admin URL;
    both, and the roles of ``LEARNERS``, are removed afterwards."""
    why = why_no_admin()
    if why is not None:
        pytest.skip(why)
    port = postgres_port()
    assert port is not None
    tag = secrets.token_hex(3)
    role, database, password = f"gs_rls_admin_{tag}", f"gs_rls_{tag}", secrets.token_hex(8)
    made = psql(
        port,
        f"CREATE ROLE {role} LOGIN CREATEROLE PASSWORD '{password}';\n"
        f"CREATE DATABASE {database} OWNER {role};",
    )
    assert made.returncode == 0, made.stderr
    try:
        yield f"postgresql+psycopg://{role}:{password}@127.0.0.1:{port}/{database}"
    finally:
        psql(port, f"DROP DATABASE IF EXISTS {database} WITH (FORCE);")
        for name in LEARNERS:
            psql(port, f'DROP ROLE IF EXISTS "{db_role(name)}";')  # names hold dashes
        psql(port, f"DROP ROLE IF EXISTS {role};")
