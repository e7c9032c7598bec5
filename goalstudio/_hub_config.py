"""A team workshop on one JupyterHub: the configuration, and the hooks the hub calls.

The design (docs/deploy.md and docs/decisions.md say why):

- every hub user is an operating-system account of the same name, made on first spawn, with a
  home folder only they can open (0700), so no learner can read another's drafts or feedback;
- facilitators are hub admins and members of the OS group ``goalstudio-facilitators``, the only
  group that can open the nbgrader course folder (gradebook, submissions, feedback);
- the nbgrader exchange is the standard one; each learner submits under their hub name
  (``CourseDirectory.student_id`` from ``JUPYTERHUB_USER``);
- learning records go to one PostgreSQL database. Each hub user gets a database role of their
  own, with a password the hub derives from a secret only it can read, and row-level security
  lets a learner's role see and write only that learner's rows. Facilitators' roles see all.

This module is part of the core: it imports nothing from Jupyter. The hub's configuration
file imports it and hands its hooks the spawner (duck-typed here).
"""

from __future__ import annotations

import grp
import hashlib
import hmac
import json
import os
import pwd
import re
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from goalstudio._environment import (
    GRADEBOOK_ENV,
    HUB_COURSE_ENV,
    HUB_FACILITATORS_ENV,
    HUB_IP_ENV,
    HUB_PORT_ENV,
    HUB_RECORDS_ADMIN_URL_ENV,
    HUB_ROOT_ENV,
    RECORDS_URL_ENV,
    WORKSPACE_ENV,
)

AUTHENTICATORS = ("dummy", "native", "oauth", "lti")
FACILITATOR_GROUP = "goalstudio-facilitators"
LEARNER_GROUP = "goalstudio-learners"
LEARNERS_DB_ROLE = "goalstudio_learners"
FACILITATORS_DB_ROLE = "goalstudio_facilitators"
ROLE_MAP_TABLE = "goalstudio_hub_roles"
# Hub names become OS account names: lower-case letters, digits, '-' and '_', starting with a
# letter, at most 32 characters (useradd's limit).
USERNAME_PATTERN = r"^[a-z][a-z0-9_-]{0,31}$"
_NAME = re.compile(USERNAME_PATTERN)
_RECORD_TABLES = ("drafts", "attempts", "reflections", "self_ratings", "events", "findings")
# A team's practice audits (goalstudio audit) and the studio's check of learners' reviews
# (RecordStore.verify_reviews): facilitators only; learners get no access at all.
_FACILITATOR_TABLES = ("audit_rounds", "audit_plans", "review_checks")


class HubSetupError(RuntimeError):
    """The hub cannot be set up or a server cannot be prepared; the message says what to do."""


@dataclass(frozen=True)
class HubSettings:
    """Where a one-server workshop keeps its shared files, and who facilitates."""

    root: Path = Path("/srv/goalstudio")
    course_id: str = "workshop"
    facilitators: tuple[str, ...] = ()
    records_admin_url: str = ""
    ip: str = ""
    port: int = 8000

    @property
    def course_dir(self) -> Path:
        return self.root / "course"

    @property
    def exchange_dir(self) -> Path:
        return self.root / "exchange"

    @property
    def etc_dir(self) -> Path:
        """Jupyter settings every single-user server reads (the nbgrader exchange)."""
        return self.root / "etc" / "jupyter"

    @property
    def learner_etc_dir(self) -> Path:
        """Jupyter settings only learners' servers read (their nbgrader student id)."""
        return self.root / "etc" / "jupyter-learner"

    @property
    def secret_file(self) -> Path:
        return self.root / "secrets" / "records-password-key"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> HubSettings:
        env = dict(os.environ if environ is None else environ)
        facilitators = tuple(
            sorted({n.strip() for n in env.get(HUB_FACILITATORS_ENV, "").split(",") if n.strip()})
        )
        for name in facilitators:
            check_username(name, where=HUB_FACILITATORS_ENV)
        try:
            port = int(env.get(HUB_PORT_ENV, "8000"))
        except ValueError:
            raise HubSetupError(
                f"{HUB_PORT_ENV}={env[HUB_PORT_ENV]!r} is not a port number."
            ) from None
        return cls(
            root=Path(env.get(HUB_ROOT_ENV) or "/srv/goalstudio"),
            course_id=env.get(HUB_COURSE_ENV) or "workshop",
            facilitators=facilitators,
            records_admin_url=env.get(HUB_RECORDS_ADMIN_URL_ENV, ""),
            ip=env.get(HUB_IP_ENV, ""),
            port=port,
        )


def check_username(name: str, *, where: str = "the hub user name") -> str:
    if not _NAME.match(name):
        raise HubSetupError(
            f"{where}: {name!r} cannot be used as an account name. Use lower-case letters, "
            "digits, '-' or '_', starting with a letter, at most 32 characters (e.g. 'sam-lee')."
        )
    return name


# --------------------------------------------------------------------------------------------
# Records: one PostgreSQL database, one role per hub user, row-level security


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


# --------------------------------------------------------------------------------------------
# Accounts, folders and the course


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise HubSetupError(
            f"'{' '.join(command)}' failed ({result.stderr.strip() or result.returncode})."
        )


def _ensure_group(name: str) -> int:
    try:
        return grp.getgrnam(name).gr_gid
    except KeyError:
        _run(["groupadd", "--system", name])
        return grp.getgrnam(name).gr_gid


def ensure_account(name: str, *, facilitator: bool) -> pwd.struct_passwd:
    """The OS account of a hub user: made on first spawn, in the learners' group (and the
    facilitators' group for facilitators). An account the studio did not make is refused, so
    a hub name such as 'postgres' can never run a server as a system account."""
    check_username(name)
    learners_gid = _ensure_group(LEARNER_GROUP)
    facilitators_gid = _ensure_group(FACILITATOR_GROUP)
    try:
        account = pwd.getpwnam(name)
    except KeyError:
        # An empty home (no skeleton files): everything inside it is made as the learner.
        with tempfile.TemporaryDirectory(prefix="gs-skel-") as empty:
            _run(
                [
                    "useradd",
                    "--create-home",
                    "--skel",
                    empty,
                    "--shell",
                    "/bin/bash",
                    "-G",
                    LEARNER_GROUP,
                    name,
                ]
            )
        account = pwd.getpwnam(name)
    members = set(grp.getgrgid(learners_gid).gr_mem)
    if name not in members:
        raise HubSetupError(
            f"an account named '{name}' already exists on this server and was not made by the "
            "studio, so no server is started for it. Choose another hub name."
        )
    in_facilitators = name in grp.getgrgid(facilitators_gid).gr_mem
    if facilitator and not in_facilitators:
        _run(["usermod", "-a", "-G", FACILITATOR_GROUP, name])
    elif not facilitator and in_facilitators:
        _run(["gpasswd", "-d", name, FACILITATOR_GROUP])
    _close_home(account)
    return account


def _close_home(account: pwd.struct_passwd) -> None:
    """Make the home folder 0700 (no one else can open it), without following a link: the
    folder is opened with O_NOFOLLOW and must be a directory the account owns."""
    try:
        fd = os.open(account.pw_dir, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError as exc:
        raise HubSetupError(
            f"the home folder of '{account.pw_name}' ({account.pw_dir}) is not a folder that "
            f"can be opened ({exc.strerror}); no server is started for it."
        ) from None
    try:
        if os.fstat(fd).st_uid != account.pw_uid:
            raise HubSetupError(
                f"the home folder of '{account.pw_name}' ({account.pw_dir}) belongs to another "
                "account; no server is started for it."
            )
        os.fchmod(fd, 0o700)
    finally:
        os.close(fd)


def learner_process(account: pwd.struct_passwd) -> dict[str, Any]:
    """``subprocess`` arguments that run a command as the account itself: its uid, its groups,
    a clean environment and a private umask. Root's rights never reach the command."""
    groups = [g.gr_gid for g in grp.getgrall() if account.pw_name in g.gr_mem]
    return {
        "user": account.pw_uid,
        "group": account.pw_gid,
        "extra_groups": groups,
        "umask": 0o077,
        "cwd": "/",
        "env": {
            "HOME": account.pw_dir,
            "USER": account.pw_name,
            "LOGNAME": account.pw_name,
            "PATH": os.defpath,
            "LANG": "C.UTF-8",
        },
    }


def prepare_home(account: pwd.struct_passwd, *, facilitator: bool) -> Path:
    """Copy the course (learner release) into the user's workspace; facilitators also get the
    dashboards in ``facilitator/``. Files the user changed are kept.

    Runs ``goalstudio._hub_home`` *as the user*: the hub (root) never opens, writes or chowns a
    path inside a home folder, so a link the user planted there reaches only their own files."""
    command = [sys.executable, "-m", "goalstudio._hub_home"]
    if facilitator:
        command.append("--facilitator")
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        **learner_process(account),
    )
    if result.returncode != 0:
        said = (result.stderr.strip().splitlines() or [f"exit status {result.returncode}"])[-1]
        raise HubSetupError(
            f"the course could not be copied into {account.pw_dir}/goal-discovery-studio "
            f"for '{account.pw_name}' ({said}). Ask them to move that folder aside, or see "
            "docs/deploy.md."
        )
    return Path(account.pw_dir) / "goal-discovery-studio"


LEARNER_SERVER_CONFIG = {
    "ServerApp": {"jpserver_extensions": {"nbgrader.server_extensions.formgrader": False}}
}


def dashboard_server_config() -> dict[str, Any]:
    """Voilà settings for ``/voila/render/...`` on every single-user server: the same offline
    template, stripped sources and hidden tracebacks as ``goalstudio dashboard``."""
    from goalstudio._voila_settings import EXTENSION_DENYLIST, TEMPLATE

    return {
        "VoilaConfiguration": {
            "template": TEMPLATE,
            "strip_sources": True,
            "show_tracebacks": False,
            "extension_denylist": list(EXTENSION_DENYLIST),
        }
    }


def dashboard_template_root() -> Path:
    """The folder holding ``voila/templates/goalstudio``, found without importing the widgets
    (which would pull Jupyter into the hub process)."""
    import importlib.util

    spec = importlib.util.find_spec("goalstudio.widgets")
    if spec is None or not spec.submodule_search_locations:
        raise HubSetupError("goalstudio.widgets is not installed: reinstall the studio.")
    return Path(next(iter(spec.submodule_search_locations))) / "dashboards" / "share"


NBGRADER_SHARED_CONFIG = """\
# nbgrader settings every single-user server reads (written by the hub at start-up).
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = {course_id!r}
c.Exchange.root = {exchange!r}
"""

NBGRADER_LEARNER_CONFIG = """\
# nbgrader settings learners' servers read (written by the hub at start-up). Facilitators'
# servers do not read this file: to collect, their student id must stay '*' (everyone).
import os

c = get_config()  # noqa: F821
# Each learner submits and fetches feedback under their hub name, not the OS account's.
c.CourseDirectory.student_id = os.environ.get("JUPYTERHUB_USER", "*")
"""


def prepare_shared_folders(settings: HubSettings) -> None:
    """Once, when the hub starts: the exchange, the course folder and the settings folder."""
    facilitators_gid = _ensure_group(FACILITATOR_GROUP)
    _ensure_group(LEARNER_GROUP)
    settings.root.mkdir(parents=True, exist_ok=True)
    os.chmod(settings.root, 0o755)
    (settings.root / "secrets").mkdir(parents=True, exist_ok=True)
    os.chmod(settings.root / "secrets", 0o700)  # cookie secret and the records password key
    settings.exchange_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(settings.exchange_dir, 0o1777)  # nbgrader's own permissions model
    shared = NBGRADER_SHARED_CONFIG.format(
        course_id=settings.course_id, exchange=str(settings.exchange_dir)
    )
    for folder, text in (
        (settings.etc_dir, shared),
        (settings.learner_etc_dir, NBGRADER_LEARNER_CONFIG),
    ):
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder, 0o755)
        os.chmod(folder.parent, 0o755)
        config = folder / "nbgrader_config.py"
        config.write_text(text, encoding="utf-8")
        os.chmod(config, 0o644)
    # Learners have no use for nbgrader's instructor tools (formgrader, create assignment):
    # their servers do not load them, which also makes each server start sooner.
    server_config = settings.learner_etc_dir / "jupyter_server_config.json"
    server_config.write_text(json.dumps(LEARNER_SERVER_CONFIG, indent=1), encoding="utf-8")
    os.chmod(server_config, 0o644)
    # Dashboards served by the facilitator's own server use the offline template too.
    voila_config = settings.etc_dir / "jupyter_server_config.json"
    voila_config.write_text(json.dumps(dashboard_server_config(), indent=1), encoding="utf-8")
    os.chmod(voila_config, 0o644)
    course = settings.course_dir
    if not (course / "nbgrader_config.py").exists():
        _run(
            [
                str(Path(sys.executable).with_name("goalstudio")),
                "workshop",
                "init",
                str(course),
                "--course",
                settings.course_id,
            ]
        )
        fd = os.open(course / "nbgrader_config.py", os.O_WRONLY | os.O_APPEND | os.O_NOFOLLOW)
        with os.fdopen(fd, "a", encoding="utf-8") as handle:
            handle.write(
                f"\n# Set by the hub: the shared exchange.\nc.Exchange.root = "
                f"{str(settings.exchange_dir)!r}\n"
            )
    # Only facilitators can open the course folder: gradebook, submissions and feedback.
    # Facilitators can write here, so links are never followed: walk() does not descend into
    # linked folders, and links themselves are left alone.
    for here, _dirs, files in os.walk(course):
        _own_by_facilitators(here, facilitators_gid)
        for name in files:
            _own_by_facilitators(os.path.join(here, name), facilitators_gid)


def _own_by_facilitators(path: str, gid: int) -> None:
    """root:facilitators, 2770 for folders and 0660 for files; a link is skipped, and the
    change is made on the opened item itself (O_NOFOLLOW), never on what a name points to."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return  # a link (ELOOP), or gone: nothing of ours to set
    try:
        mode = os.fstat(fd).st_mode
        if not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
            return
        os.fchown(fd, 0, gid)
        os.fchmod(fd, 0o2770 if stat.S_ISDIR(mode) else 0o660)
    finally:
        os.close(fd)


def hub_environment(
    settings: HubSettings, hub_name: str, records_url: str, *, facilitator: bool, home: str
) -> dict[str, str]:
    """What a single-user server needs to know: its records URL, the exchange settings and,
    for facilitators, the course folder the dashboards read the gradebook from."""
    env = {
        RECORDS_URL_ENV: records_url,
        WORKSPACE_ENV: f"{home}/goal-discovery-studio",
        "JUPYTER_CONFIG_PATH": str(settings.etc_dir),
    }
    if facilitator:
        env[GRADEBOOK_ENV] = str(settings.course_dir)
        # Where Voilà finds the studio's offline template (no CDN links).
        env["JUPYTER_PATH"] = str(dashboard_template_root())
    else:
        env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
            [str(settings.learner_etc_dir), str(settings.etc_dir)]
        )
    return env


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


def pre_spawn_hook(spawner: Any, settings: HubSettings | None = None) -> None:
    """Before a server starts: the account, the home folder, the course, the records role."""
    settings = settings or HubSettings.from_env()
    name = str(spawner.user.name)
    facilitator = name in settings.facilitators
    account = ensure_account(name, facilitator=facilitator)
    prepare_home(account, facilitator=facilitator)
    url = records_url_for(settings, name, facilitator=facilitator)
    spawner.environment.update(
        hub_environment(settings, name, url, facilitator=facilitator, home=account.pw_dir)
    )


def on_hub_start(settings: HubSettings) -> None:
    """Run from the configuration file as the hub starts (as root)."""
    if os.geteuid() != 0:
        raise HubSetupError(
            "the hub must run as root: it makes an account for each learner and starts their "
            "server as that account. Run 'sudo jupyterhub -f jupyterhub_config.py'."
        )
    from goalstudio._hub_facilitators import refuse_shipped_password

    refuse_shipped_password(settings)
    prepare_shared_folders(settings)
    if settings.records_admin_url:
        secure_records_database(settings.records_admin_url)


def split_names(value: Iterable[str]) -> list[str]:
    return sorted({v.strip() for v in value if v.strip()})


# --------------------------------------------------------------------------------------------
# The configuration file (``goalstudio hub config``)

_HEADER = """\
# JupyterHub configuration for a Goal Discovery Studio team workshop on one server.
# Written by 'goalstudio hub config --authenticator {auth}'. Run it as root:
#
#     jupyterhub -f jupyterhub_config.py
#
# Needs: this Python environment with goal-discovery-studio[hub,postgres] installed, the npm
# package configurable-http-proxy on PATH, and a PostgreSQL database for the shared records.
# Lines marked PRODUCTION are the ones to change before real learners use the hub.
# docs/deploy.md explains each choice.
import asyncio
import os
import sys
from pathlib import Path

from goalstudio import _hub_config as studio

c = get_config()  # noqa: F821

# -- The workshop ----------------------------------------------------------------------------
# Each value can also be given as an environment variable of the same name.
DEFAULTS = {{
    # Where the shared files live: the nbgrader course folder (facilitators only), the
    # exchange, the hub's own database and secrets.
    "GOALSTUDIO_HUB_ROOT": "/srv/goalstudio",
    # The nbgrader course id learners fetch and submit under.
    "GOALSTUDIO_HUB_COURSE": "workshop",
    # Facilitators, comma-separated hub names: hub admins who can open the course folder,
    # the gradebook and the dashboards. Everyone else who logs in is a learner.
    "GOALSTUDIO_HUB_FACILITATORS": "facilitator",
    # PostgreSQL for the shared records, as a role that may create roles (CREATEROLE) and
    # owns the database. Each hub user gets a role of their own with row-level security.
    # PRODUCTION (secrets): use a strong password, or keep it in the environment, not in this file.
    "GOALSTUDIO_HUB_RECORDS_ADMIN_URL": (
        "postgresql+psycopg://goalstudio_admin:change-me@127.0.0.1:5432/goalstudio"
    ),
    # Where the hub listens. PRODUCTION (HTTPS): "" (all addresses), port 443, with HTTPS.
    "GOALSTUDIO_HUB_IP": "127.0.0.1",
    "GOALSTUDIO_HUB_PORT": "8000",
}}
settings = studio.HubSettings.from_env({{**DEFAULTS, **os.environ}})
studio.on_hub_start(settings)  # folders, exchange, course folder, records roles and policies

c.JupyterHub.ip = settings.ip
c.JupyterHub.port = settings.port
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.db_url = f"sqlite:///{{settings.root / 'jupyterhub.sqlite'}}"
c.JupyterHub.cookie_secret_file = str(settings.root / "secrets" / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(settings.root / "jupyterhub-proxy.pid")

# PRODUCTION (HTTPS): give the certificate and key (or put the hub behind a proxy that
# terminates HTTPS, such as nginx or Caddy, and keep the hub on 127.0.0.1).
# c.JupyterHub.ssl_cert = "/etc/letsencrypt/live/hub.example.org/fullchain.pem"
# c.JupyterHub.ssl_key = "/etc/letsencrypt/live/hub.example.org/privkey.pem"

# -- Who can log in --------------------------------------------------------------------------
# Hub names become account names on this server: lower-case letters, digits, '-' and '_'.
c.Authenticator.username_pattern = studio.USERNAME_PATTERN
c.Authenticator.admin_users = set(settings.facilitators)
c.JupyterHub.load_groups = {{"facilitators": {{"users": list(settings.facilitators)}}}}
"""

_AUTH = {
    "dummy": """\
# PRODUCTION (authentication): the dummy authenticator lets anyone in with any password.
# It is for trying the hub out on 127.0.0.1 only. For real use choose --authenticator native,
# oauth or lti.
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allow_all = True
""",
    "native": """\
# NativeAuthenticator: people sign up on the hub's own page and a facilitator approves them
# at /hub/authorize. Install with: pip install jupyterhub-nativeauthenticator
c.JupyterHub.authenticator_class = "native"
# PRODUCTION (authentication): keep open_signup False, so a facilitator approves each person.
c.NativeAuthenticator.open_signup = False
c.NativeAuthenticator.minimum_password_length = 12
# NativeAuthenticator authorises an admin's name at sign-up, so a facilitator's login also
# needs the server administrator's approval: sudo goalstudio hub approve-facilitator NAME
from goalstudio import _hub_facilitators  # noqa: E402

c.Authenticator.post_auth_hook = _hub_facilitators.facilitator_login_hook(settings)
c.Authenticator.allow_all = True  # anyone approved may log in
""",
    "oauth": """\
# OAuth / OpenID Connect through your organisation's identity provider (Entra ID, Google,
# Keycloak, ...). Install with: pip install oauthenticator
# PRODUCTION (authentication): register the hub with the provider; the callback URL is
# https://YOUR-HUB/hub/oauth_callback. Keep the secret in the environment.
c.JupyterHub.authenticator_class = "generic-oauth"
c.GenericOAuthenticator.client_id = os.environ.get("OAUTH_CLIENT_ID", "")
c.GenericOAuthenticator.client_secret = os.environ.get("OAUTH_CLIENT_SECRET", "")
c.GenericOAuthenticator.oauth_callback_url = "https://hub.example.org/hub/oauth_callback"
c.GenericOAuthenticator.authorize_url = "https://login.example.org/oauth2/authorize"
c.GenericOAuthenticator.token_url = "https://login.example.org/oauth2/token"
c.GenericOAuthenticator.userdata_url = "https://login.example.org/oauth2/userinfo"
c.GenericOAuthenticator.scope = ["openid", "profile", "email"]
# The claim used as the hub name; it must fit the pattern above (e.g. a staff number).
c.GenericOAuthenticator.username_claim = "preferred_username"
# PRODUCTION (authentication): only members of the workshop group in your provider may log in.
c.GenericOAuthenticator.allowed_groups = {"recovery-planning-workshop"}
c.GenericOAuthenticator.claim_groups_key = "groups"
""",
    "lti": """\
# LTI 1.3 launch from your learning management system (Moodle, Canvas, Blackboard).
# Install with: pip install jupyterhub-ltiauthenticator
# PRODUCTION (authentication): register the hub as an LTI 1.3 tool in the LMS and copy its
# values here.
c.JupyterHub.authenticator_class = "lti13"
c.LTI13Authenticator.issuer = "https://lms.example.org"
c.LTI13Authenticator.authorize_url = "https://lms.example.org/mod/lti/auth.php"
c.LTI13Authenticator.jwks_endpoint = "https://lms.example.org/mod/lti/certs.php"
c.LTI13Authenticator.client_id = [os.environ.get("LTI_CLIENT_ID", "")]
# The launch field used as the hub name; it must fit the pattern above.
c.LTI13Authenticator.username_key = "sub"
c.Authenticator.allow_all = True  # the LMS decides who may launch
""",
}

_FOOTER = """\

# -- Learner servers -------------------------------------------------------------------------
# Each hub user runs their server as their own account on this server (made on first login,
# home folder 0700). PRODUCTION (spawner): for more than about 40 learners, or to cap each learner's
# memory, use DockerSpawner or SystemdSpawner (see docs/deploy.md), or Kubernetes.
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(Path(sys.executable).with_name("jupyterhub-singleuser"))]
c.Spawner.notebook_dir = "~"
c.Spawner.default_url = "/lab/tree/goal-discovery-studio/home.ipynb"


async def prepare_server(spawner):
    # Account, home folder, course copy and records role; in a thread, so the hub keeps
    # answering while a room full of learners log in at once.
    await asyncio.get_running_loop().run_in_executor(None, studio.pre_spawn_hook, spawner, settings)


c.Spawner.pre_spawn_hook = prepare_server
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
# Servers stop with the hub, so no learner process outlives the workshop.
c.JupyterHub.cleanup_servers = True
# Idle servers: install jupyterhub-idle-culler and uncomment to stop servers idle for 1 hour.
# c.JupyterHub.services = [{{"name": "idle-culler",
#     "command": [sys.executable, "-m", "jupyterhub_idle_culler", "--timeout=3600"]}}]
# c.JupyterHub.load_roles = [{{"name": "idle-culler", "services": ["idle-culler"],
#     "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]}}]

# The facilitator dashboards are in each facilitator's workspace, at
#   /user/FACILITATOR/voila/render/goal-discovery-studio/facilitator/01-workshop-board.ipynb
# A learner who asks for that address is refused by the hub; learners' own servers have no
# dashboards, and their database role shows them only their own records.
"""


def render_config(authenticator: str = "dummy") -> str:
    """The ``jupyterhub_config.py`` text for one workshop server."""
    if authenticator not in AUTHENTICATORS:
        raise HubSetupError(
            f"unknown authenticator {authenticator!r}: choose one of {', '.join(AUTHENTICATORS)}."
        )
    return _HEADER.format(auth=authenticator) + "\n" + _AUTH[authenticator] + _FOOTER.format()
