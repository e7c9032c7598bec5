"""The shared records on a hub: one PostgreSQL database, one role per hub user, row-level
security so that a learner's role sees and writes only that learner's rows; facilitators' roles
see all. Each role's password is derived from a secret only the hub (root) can read."""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path
from typing import Any

from goalstudio._environment import HUB_RECORDS_ADMIN_URL_ENV
from goalstudio.hub.settings import (
    FACILITATORS_DB_ROLE,
    LEARNERS_DB_ROLE,
    ROLE_MAP_TABLE,
    HubSettings,
    HubSetupError,
    check_username,
)

_RECORD_TABLES = ("drafts", "attempts", "reflections", "self_ratings", "events", "findings")
# A team's practice audits (goalstudio audit) and the studio's check of learners' reviews
# (RecordStore.verify_reviews): facilitators only; learners get no access at all.
_FACILITATOR_TABLES = ("audit_rounds", "audit_plans", "review_checks")


def _admin_engine(admin_url: str) -> Any:
    from sqlalchemy import create_engine

    return create_engine(admin_url, isolation_level="AUTOCOMMIT")


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def db_role(hub_name: str) -> str:
    """The database role of a hub user."""
    return f"gs_{check_username(hub_name)}"


def _password(secret: bytes, hub_name: str) -> str:
    return hmac.new(secret, f"records:{hub_name}".encode(), hashlib.sha256).hexdigest()


def _own_row_check(table: str) -> str:
    """What a learner may write: their own rows, and for findings, findings of their own
    attempts. A foreign key is checked without row-level security, so without the second
    test a learner could attach a finding to another learner's attempt."""
    own = "learner = goalstudio_current_learner()"
    if table != "findings":
        return own
    # Nor may they add findings once the studio has checked the attempt's review: the
    # language board would count them (goalstudio_review_unchecked reads the facilitators'
    # review_checks table on their behalf).
    return (
        f"{own} AND EXISTS (SELECT 1 FROM attempts a WHERE a.id = attempt_id "
        "AND a.learner = goalstudio_current_learner()) "
        "AND goalstudio_review_unchecked(attempt_id)"
    )


def secure_records_database(admin_url: str) -> None:
    """Create the records tables (as their owner) and lock them down: no access for anyone
    but the two group roles; learners see and write only their own rows."""
    from sqlalchemy import text

    from goalstudio.records import RecordStore

    with RecordStore(admin_url):
        pass  # creates or upgrades the tables, owned by the admin role
    engine = _admin_engine(admin_url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(4201727)"))
            try:
                for role in (LEARNERS_DB_ROLE, FACILITATORS_DB_ROLE):
                    found = conn.execute(
                        text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}
                    ).first()
                    if not found:
                        conn.execute(text(f"CREATE ROLE {role} NOLOGIN"))
                conn.execute(
                    text(
                        f"CREATE TABLE IF NOT EXISTS {ROLE_MAP_TABLE} "
                        "(role_name text PRIMARY KEY, learner text NOT NULL)"
                    )
                )
                conn.execute(text(f"REVOKE ALL ON {ROLE_MAP_TABLE} FROM PUBLIC"))
                conn.execute(
                    text(
                        "CREATE OR REPLACE FUNCTION goalstudio_current_learner() RETURNS text "
                        "LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS "
                        f"$$ SELECT learner FROM {ROLE_MAP_TABLE} "
                        "WHERE role_name = session_user $$"
                    )
                )
                conn.execute(
                    text("REVOKE ALL ON FUNCTION goalstudio_current_learner() FROM PUBLIC")
                )
                conn.execute(
                    text(
                        "GRANT EXECUTE ON FUNCTION goalstudio_current_learner() TO "
                        f"{LEARNERS_DB_ROLE}"
                    )
                )
                conn.execute(
                    text(
                        "CREATE OR REPLACE FUNCTION goalstudio_review_unchecked(bigint) "
                        "RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER "
                        "SET search_path = public AS $$ SELECT NOT EXISTS "
                        "(SELECT 1 FROM review_checks WHERE attempt_id = $1) $$"
                    )
                )
                conn.execute(
                    text("REVOKE ALL ON FUNCTION goalstudio_review_unchecked(bigint) FROM PUBLIC")
                )
                conn.execute(
                    text(
                        "GRANT EXECUTE ON FUNCTION goalstudio_review_unchecked(bigint) TO "
                        f"{LEARNERS_DB_ROLE}"
                    )
                )
                for table in _FACILITATOR_TABLES:
                    conn.execute(text(f"REVOKE ALL ON {table} FROM PUBLIC, {LEARNERS_DB_ROLE}"))
                    conn.execute(
                        text(
                            "GRANT SELECT, INSERT, UPDATE, DELETE ON "
                            f"{table} TO {FACILITATORS_DB_ROLE}"
                        )
                    )
                conn.execute(text("REVOKE ALL ON schema_version FROM PUBLIC"))
                conn.execute(
                    text(
                        f"GRANT SELECT ON schema_version TO {LEARNERS_DB_ROLE}, "
                        f"{FACILITATORS_DB_ROLE}"
                    )
                )
                conn.execute(
                    text(
                        "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO "
                        f"{LEARNERS_DB_ROLE}, {FACILITATORS_DB_ROLE}"
                    )
                )
                for table in _RECORD_TABLES:
                    conn.execute(text(f"REVOKE ALL ON {table} FROM PUBLIC"))
                    conn.execute(text(f"GRANT SELECT, INSERT ON {table} TO {LEARNERS_DB_ROLE}"))
                    conn.execute(
                        text(
                            "GRANT SELECT, INSERT, UPDATE, DELETE ON "
                            f"{table} TO {FACILITATORS_DB_ROLE}"
                        )
                    )
                    conn.execute(text(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"))
                    conn.execute(text(f"DROP POLICY IF EXISTS own_rows ON {table}"))
                    conn.execute(
                        text(
                            f"CREATE POLICY own_rows ON {table} TO {LEARNERS_DB_ROLE} "
                            "USING (learner = goalstudio_current_learner()) "
                            f"WITH CHECK ({_own_row_check(table)})"
                        )
                    )
                    conn.execute(text(f"DROP POLICY IF EXISTS all_rows ON {table}"))
                    conn.execute(
                        text(
                            f"CREATE POLICY all_rows ON {table} TO {FACILITATORS_DB_ROLE} "
                            "USING (true) WITH CHECK (true)"
                        )
                    )
                # A facilitator's override of a verdict is the facilitators' record alone:
                # learners neither read nor write it (their own review stays as it was).
                conn.execute(text("REVOKE ALL ON overrides FROM PUBLIC"))
                conn.execute(text(f"GRANT SELECT, INSERT ON overrides TO {FACILITATORS_DB_ROLE}"))
                conn.execute(text("ALTER TABLE overrides ENABLE ROW LEVEL SECURITY"))
                conn.execute(text("DROP POLICY IF EXISTS all_rows ON overrides"))
                conn.execute(
                    text(
                        f"CREATE POLICY all_rows ON overrides TO {FACILITATORS_DB_ROLE} "
                        "USING (true) WITH CHECK (true)"
                    )
                )
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(4201727)"))
    finally:
        engine.dispose()


def provision_records_role(
    admin_url: str, hub_name: str, *, facilitator: bool, secret: bytes
) -> str:
    """Create or refresh the hub user's database role; returns the URL their server uses."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    role = db_role(hub_name)
    password = _password(secret, hub_name)
    group = FACILITATORS_DB_ROLE if facilitator else LEARNERS_DB_ROLE
    other = LEARNERS_DB_ROLE if facilitator else FACILITATORS_DB_ROLE
    engine = _admin_engine(admin_url)
    try:
        with engine.connect() as conn:
            exists = conn.execute(
                text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}
            ).first()
            # The password is hex from HMAC: no quoting problems. Only a superuser may name
            # SUPERUSER or BYPASSRLS in ALTER ROLE (PostgreSQL 15+), so a refresh leaves them out
            # and checks them instead: a server restart must not fail on them.
            if exists:
                conn.execute(
                    text(
                        f"ALTER ROLE {_quote(role)} LOGIN NOCREATEDB NOCREATEROLE "
                        f"PASSWORD '{password}'"
                    )
                )
                powers = conn.execute(
                    text("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = :r"),
                    {"r": role},
                ).scalar()
                if powers:
                    raise HubSetupError(
                        f"the database role {role} is a superuser or bypasses row-level "
                        "security, so no server is started for it. Remove those attributes."
                    )
            else:
                conn.execute(
                    text(
                        f"CREATE ROLE {_quote(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
                        f"NOBYPASSRLS PASSWORD '{password}'"
                    )
                )
            conn.execute(text(f"REVOKE {other} FROM {_quote(role)}"))
            conn.execute(text(f"GRANT {group} TO {_quote(role)}"))
            conn.execute(
                text(
                    f"INSERT INTO {ROLE_MAP_TABLE} (role_name, learner) VALUES (:r, :n) "
                    "ON CONFLICT (role_name) DO UPDATE SET learner = EXCLUDED.learner"
                ),
                {"r": role, "n": hub_name},
            )
    finally:
        engine.dispose()
    url = make_url(admin_url).set(username=role, password=password)
    return url.render_as_string(hide_password=False)


def read_or_make_secret(path: Path) -> bytes:
    """The key the hub derives database passwords from: made once, readable by root only."""
    if path.exists():
        return path.read_bytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(os.urandom(32).hex().encode())
    return path.read_bytes()


def records_url_for(
    settings: HubSettings, name: str, *, facilitator: bool, secret: bytes | None = None
) -> str:
    """The hub user's own records URL (their role is made or refreshed first)."""
    if not settings.records_admin_url:
        raise HubSetupError(
            f"{HUB_RECORDS_ADMIN_URL_ENV} is not set: the hub needs a PostgreSQL URL for the "
            "shared records (see docs/deploy.md)."
        )
    return provision_records_role(
        settings.records_admin_url,
        name,
        facilitator=facilitator,
        secret=secret if secret is not None else read_or_make_secret(settings.secret_file),
    )
