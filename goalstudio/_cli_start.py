"""``goalstudio start``: prepare the workspace, then open JupyterLab on the first module."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from goalstudio._course import ManifestError, first_module_file
from goalstudio._server_token import TOKEN_ENV, server_token, with_token
from goalstudio._workspace import WorkspaceError, default_workspace, prepare_workspace
from goalstudio.cli import CliError

_TRUE = {"1", "true", "yes", "on"}
# The page Voilà opens first in app mode (read by goalstudio._voila_app; no Jupyter import here).
OPEN_PATH_ENV = "GOALSTUDIO_OPEN_PATH"


def register(sub: Any) -> None:
    start = sub.add_parser("start", help="open the studio in JupyterLab")
    start.add_argument(
        "--workspace",
        metavar="DIR",
        help="your course folder (default: $GOALSTUDIO_WORKSPACE or ~/goal-discovery-studio)",
    )
    start.add_argument("--port", type=int, help="port to serve on (default: $PORT or 8888)")
    start.add_argument(
        "--no-browser",
        action="store_true",
        help="do not open a browser (also NO_BROWSER=1); for headless use",
    )
    start.add_argument(
        "--app",
        action="store_true",
        help="open the course in app mode (Voila): exercises and text only, no code",
    )
    start.add_argument(
        "--dry-run", action="store_true", help="prepare the workspace and print the command only"
    )
    start.set_defaults(handler=_start)


def _start(args: argparse.Namespace) -> int:
    workspace = Path(args.workspace).expanduser() if args.workspace else default_workspace()
    port = args.port if args.port is not None else _port_from_env()
    if not 0 < port < 65536:
        raise CliError(f"port {port} is out of range: choose a number from 1024 to 65535.")
    no_browser = args.no_browser or os.environ.get("NO_BROWSER", "").lower() in _TRUE
    try:
        report = prepare_workspace(workspace)
        first = first_module_file()
    except (WorkspaceError, ManifestError) as exc:
        raise CliError(str(exc)) from None
    if report.copied:
        print(f"Copied {len(report.copied)} course files into {report.root}.")
    if report.updated:
        print(f"Updated {len(report.updated)} course files you had not changed.")
    if report.kept:
        print(f"Kept your own version of {len(report.kept)} files: {', '.join(report.kept)}.")
    if args.app:
        command = app_command(workspace.resolve(), port, no_browser=no_browser)
        url = f"http://127.0.0.1:{port}/voila/render/{first}"
    else:
        command = lab_command(workspace.resolve(), port, first, no_browser=no_browser)
        url = f"http://127.0.0.1:{port}/lab"
    if args.dry_run:
        print(" ".join(command))
        return 0
    # The server requires this token (another account on this machine can reach 127.0.0.1).
    token = server_token()
    print(f"Opening the studio at {with_token(url, token)} (press Ctrl+C to stop).")
    sys.stdout.flush()
    env = dict(os.environ, GOALSTUDIO_WORKSPACE=str(workspace.resolve()))
    env[TOKEN_ENV] = token
    if args.app:
        env[OPEN_PATH_ENV] = f"voila/render/{first}"
    # Replace this process, so stopping the studio (Ctrl+C or a signal) reaches JupyterLab
    # directly and it shuts its kernels down cleanly.
    os.execve(sys.executable, command, env)
    return 0  # pragma: no cover - execve does not return


def _port_from_env() -> int:
    raw = os.environ.get("PORT", "").strip()
    if not raw:
        return 8888
    try:
        return int(raw)
    except ValueError:
        raise CliError(f"PORT={raw!r} is not a number: set PORT to a port such as 8888.") from None


def lab_command(workspace: Path, port: int, first: str, *, no_browser: bool) -> list[str]:
    """The JupyterLab command line for this workspace (the first item is the interpreter)."""
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={workspace}",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--LabApp.default_url=/lab/tree/{first}",
        # Offline by design: no news feed or update checks reaching out to the internet.
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if no_browser:
        command.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Containers and CI machines often run as root; JupyterLab refuses that unless told.
        command.append("--allow-root")
    return command


def app_command(workspace: Path, port: int, *, no_browser: bool) -> list[str]:
    """The Voila command line for app mode: sources stripped, no tracebacks, a token required
    (from JUPYTER_TOKEN; the interpreter first)."""
    command = [
        sys.executable,
        "-m",
        "goalstudio._voila_app",
        str(workspace),
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0",
        "--Voila.auto_token=True",
        "--strip_sources=True",
        "--show_tracebacks=False",
    ]
    if no_browser:
        command.append("--no-browser")
    return command
