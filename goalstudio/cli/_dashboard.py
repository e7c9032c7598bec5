"""``goalstudio dashboard``: serve the facilitator dashboards with Voilà.

Voilà runs as its own process (``python -m goalstudio._voila_app``, which is Voilà opening the
browser with the token), so the core never imports Jupyter. It requires a token: the studio
makes one, passes it in ``JUPYTER_TOKEN`` and prints it in the address. It serves
``course/facilitator/*.ipynb`` with sources stripped, tracebacks off, preheated kernels, the
studio's copy of the lab template (without the CDN stylesheet links) and the JupyterLab
extensions that dashboards do not use switched off, so the page works offline and its console
stays clean. Behind JupyterHub the same notebooks open at ``/voila/render/...``.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
from contextlib import closing
from importlib import resources
from pathlib import Path
from typing import Any

from goalstudio._environment import (
    CHART_SCRIPT_ENV,
    GRADEBOOK_ENV,
    RECORDS_CHECKED_ENV,
    RECORDS_URL_ENV,
    ROSTER_ENV,
)
from goalstudio._server_token import TOKEN_ENV, server_token, with_token
from goalstudio._voila_settings import CULLING, EXTENSION_DENYLIST, KERNEL_START, TEMPLATE
from goalstudio.cli import CliError

# Voilà, opening the browser with the token (goalstudio/_voila_app.py).
VOILA_MODULE = "goalstudio._voila_app"
# The page a facilitator opens as the workshop starts: its kernel preheats first, alone.
FIRST_PAGE = "01-workshop-board.ipynb"
# Seconds before Voilà starts a page's next kernel once one is taken (Voilà's default is 1):
# preheating it keeps a core busy for about three seconds, which the page being opened needs.
FILL_DELAY = 5
_TRUE = {"1", "true", "yes", "on"}


def register(sub: Any) -> None:
    dash = sub.add_parser(
        "dashboard",
        help="serve the facilitator dashboards (Voilà)",
        description="Serve the facilitator dashboards in Voilà: the live workshop board, cohort "
        "progress, the competence gap, the language board, the rubric profile and the "
        "scenario explorer.",
    )
    dash.add_argument(
        "--records",
        metavar="URL",
        help=f"the records store: sqlite:///path/records.sqlite, a file path, or a PostgreSQL "
        f"URL (default: ${RECORDS_URL_ENV}, else the workspace file)",
    )
    dash.add_argument(
        "--gradebook",
        metavar="DIR",
        help=f"the nbgrader course folder, for assignment scores (default: ${GRADEBOOK_ENV})",
    )
    dash.add_argument(
        "--roster",
        metavar="CSV",
        help=f"a CSV with learner and group columns, for the group filter (default: ${ROSTER_ENV})",
    )
    dash.add_argument("--port", type=int, default=8866, help="port to serve on (default: 8866)")
    dash.add_argument(
        "--no-browser", action="store_true", help="do not open a browser (also NO_BROWSER=1)"
    )
    dash.add_argument(
        "--dry-run", action="store_true", help="check the settings and print the command only"
    )
    dash.set_defaults(handler=_dashboard)


def facilitator_folder() -> Path:
    """The folder of facilitator notebooks inside the installed course."""
    folder = Path(str(resources.files("goalstudio.course") / "facilitator"))
    if not folder.is_dir():
        raise CliError(
            f"the facilitator dashboards are missing from {folder}; reinstall "
            "goal-discovery-studio (pip install --force-reinstall goal-discovery-studio)."
        )
    return folder


def template_root() -> Path:
    """The folder that holds ``voila/templates/goalstudio`` (added to JUPYTER_PATH)."""
    return Path(str(resources.files("goalstudio.widgets.dashboards") / "share"))


def kernel_pools() -> str:
    """Voilà's kernel pools as the server starts: one preheated kernel for the first page only.
    The server (``goalstudio._voila_app``) fills the other pages' pools once the first page's
    kernel is ready, so the page opened first is ready soonest."""
    import json

    return json.dumps({"default": {"pool_size": 0}, FIRST_PAGE: {"pool_size": 1}})


def voila_command(folder: Path, port: int, *, no_browser: bool) -> list[str]:
    """The Voilà command line (the first item is the interpreter)."""
    denylist = "[" + ",".join(f"'{name}'" for name in EXTENSION_DENYLIST) + "]"
    command = [
        sys.executable,
        "-m",
        VOILA_MODULE,
        str(folder),
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0",
        # Every request needs the token from JUPYTER_TOKEN (voila_env): another account on
        # this machine can reach 127.0.0.1 too.
        "--Voila.auto_token=True",
        f"--template={TEMPLATE}",
        "--strip_sources=True",
        "--show_tracebacks=False",
        "--VoilaConfiguration.preheat_kernel=True",
        "--VoilaConfiguration.default_pool_size=1",
        f"--VoilaKernelManager.kernel_pools_config={kernel_pools()}",
        f"--TokenVoila.first_page={FIRST_PAGE}",
        f"--VoilaKernelManager.fill_delay={FILL_DELAY}",
        *KERNEL_START,
        f"--VoilaConfiguration.extension_denylist={denylist}",
        *CULLING,
    ]
    if no_browser:
        command.append("--no-browser")
    return command


def voila_env(
    records: str | None,
    gradebook: str | None,
    roster: str | None,
    *,
    token: str,
    records_checked: str = "",
) -> dict[str, str]:
    """The environment for Voilà and its kernels: settings, the token every request needs,
    and the template on JUPYTER_PATH. ``records_checked`` is the records store's
    ``checked_note()`` from opening it here, so the kernels need not check its pages again."""
    env = dict(os.environ)
    env[TOKEN_ENV] = token
    paths = [str(template_root())]
    if env.get("JUPYTER_PATH"):
        paths.append(env["JUPYTER_PATH"])
    env["JUPYTER_PATH"] = os.pathsep.join(paths)
    # The template's pages draw charts with its own script: the kernels send charts for it.
    env[CHART_SCRIPT_ENV] = "1"
    for name, value in (
        (RECORDS_URL_ENV, records),
        (GRADEBOOK_ENV, gradebook),
        (ROSTER_ENV, roster),
        (RECORDS_CHECKED_ENV, records_checked),
    ):
        if value:
            env[name] = value
    return env


def _check(args: argparse.Namespace) -> tuple[str | None, str | None, str | None, str]:
    if not 0 < args.port < 65536:
        raise CliError(f"port {args.port} is out of range: choose a number from 1024 to 65535.")
    records = args.records or os.environ.get(RECORDS_URL_ENV) or None
    checked = ""  # the store's checked_note(), for the kernels
    if records is not None:
        given = records
        path = sqlite_path(records)
        if path is not None:
            _check_existing_store(given, path)
            records = f"sqlite:///{path.resolve()}"
        if not args.dry_run:  # a dry run changes nothing, not even an upgrade of the store
            from goalstudio.records import RecordStore, RecordStoreError

            try:
                with RecordStore(records) as store:
                    records = store.url
                    checked = store.checked_note()
            except RecordStoreError as exc:
                raise CliError(f"--records {given}: {exc}") from None
    gradebook = args.gradebook or os.environ.get(GRADEBOOK_ENV) or None
    if gradebook is not None:
        if not Path(gradebook).expanduser().is_dir():
            raise CliError(
                f"--gradebook {gradebook} is not a folder: give the nbgrader course folder "
                "(the one 'goalstudio workshop' set up)."
            )
        gradebook = str(Path(gradebook).expanduser().resolve())
    roster = args.roster or os.environ.get(ROSTER_ENV) or None
    if roster is not None:
        if not Path(roster).expanduser().is_file():
            raise CliError(
                f"--roster {roster} is not a file: give a CSV with learner and group columns."
            )
        roster = str(Path(roster).expanduser().resolve())
    return records, gradebook, roster, checked


def port_in_use(port: int) -> bool:
    """True when something on this machine already listens on ``port`` at 127.0.0.1. Voilà
    would stop with a bare "no available port" (it may not move: the printed address must hold)."""
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def sqlite_path(records: str) -> Path | None:
    """The file behind a SQLite records setting (a URL or a plain path); None for a server."""
    if records.startswith("sqlite:///"):
        return Path(records.removeprefix("sqlite:///")).expanduser()
    if "://" in records or records.startswith("sqlite:"):
        return None
    return Path(records).expanduser()


def _check_existing_store(given: str, path: Path) -> None:
    """Dashboards read learners' work: they open an existing store, never make a new empty one
    (a mistyped path would show empty boards). Checked read-only, so nothing is written."""
    if not path.is_file():
        found = find_stores(path)
        hint = (
            "Records stores found nearby: " + ", ".join(str(p) for p in found) + "."
            if found
            else "No records store was found nearby: give the path of the workshop's "
            "records.sqlite (learners' work is in .goalstudio/records.sqlite inside their "
            "course folder)."
        )
        raise CliError(f"--records {given}: there is no records store at {path}. {hint}")
    import sqlite3

    try:
        with closing(
            sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        ) as db:
            ours = db.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
            ).fetchone()
    except sqlite3.Error as exc:
        raise CliError(
            f"--records {given}: {path} cannot be read as a records store ({exc}). Give the "
            "path of the workshop's records.sqlite."
        ) from None
    if not ours:
        raise CliError(
            f"--records {given}: {path} is a database, but not a Goal Discovery Studio records "
            "store. Give the path of the workshop's records.sqlite."
        )


def find_stores(missing: Path, *, limit: int = 6) -> list[Path]:
    """Records stores near a path that does not exist: in its nearest existing folder (and
    the course folders just inside it), the default workspace, and the current folder."""
    from goalstudio.courseware.workspace import STATE_DIR, default_workspace

    folder = missing.parent
    while not folder.is_dir() and folder != folder.parent:
        folder = folder.parent
    places = [folder, Path.cwd()]
    found: list[Path] = []
    for place in places:
        patterns = ("*.sqlite", f"*/{STATE_DIR}/records.sqlite", f"{STATE_DIR}/records.sqlite")
        for pattern in patterns:
            try:
                found += sorted(place.glob(pattern))[:limit]
            except OSError:
                continue
    default = default_workspace() / STATE_DIR / "records.sqlite"
    if default.is_file():
        found.append(default)
    unique: list[Path] = []
    for path in found:
        if path.is_file() and ".backup-" not in path.name and path.resolve() not in unique:
            unique.append(path.resolve())
    return unique[:limit]


def _dashboard(args: argparse.Namespace) -> int:
    records, gradebook, roster, checked = _check(args)
    no_browser = args.no_browser or os.environ.get("NO_BROWSER", "").lower() in _TRUE
    command = voila_command(facilitator_folder(), args.port, no_browser=no_browser)
    token = server_token()
    env = voila_env(records, gradebook, roster, token=token, records_checked=checked)
    if args.dry_run:
        print(" ".join(command))
        return 0
    if port_in_use(args.port):
        raise CliError(
            f"port {args.port} is in use (perhaps by dashboards already running: their address "
            "is printed where they were started). Stop them, or choose another port with --port."
        )
    address = with_token(f"http://127.0.0.1:{args.port}/", token)
    print(f"Serving the facilitator dashboards at {address} (press Ctrl+C to stop).")
    sys.stdout.flush()
    # Replace this process, so Ctrl+C reaches Voilà and it shuts its kernels down cleanly.
    os.execve(sys.executable, command, env)
    return 0  # pragma: no cover - execve does not return
