"""``goalstudio start``: prepare the workspace, then open the course.

Two routes, one command. Learners get **app mode** by default: Voilà shows each module's text and
exercises as soon as the page opens, with no code. Trainers and anyone who wants the code use
``--lab``: JupyterLab on the first module, where the exercises appear after Run > Run All Cells
(each hidden exercise cell says so on its first line, the one JupyterLab shows).

Either way the studio prints one address that works, with its access token, and nothing from
Jupyter's start-up chatter: the server logs only warnings and errors.
"""

from __future__ import annotations

import argparse
import os
import sys
from importlib import resources
from pathlib import Path
from typing import Any

from goalstudio._environment import OPEN_PATH_ENV, WORKSPACE_ENV
from goalstudio._server_token import server_token
from goalstudio._voila_settings import CULLING, KERNEL_START, TEMPLATE
from goalstudio.cli import CliError
from goalstudio.courseware.manifest import ManifestError, first_module_file
from goalstudio.courseware.workspace import WorkspaceError, default_workspace, prepare_workspace

_TRUE = {"1", "true", "yes", "on"}


def register(sub: Any) -> None:
    start = sub.add_parser(
        "start",
        help="open the course (app mode for learners; --lab for JupyterLab)",
        description="Open the course. Learners get app mode: each module opens with its "
        "exercises ready and no code. Trainers can use --lab for JupyterLab.",
    )
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
    route = start.add_mutually_exclusive_group()
    route.add_argument(
        "--app",
        action="store_true",
        help="app mode (the default): each module opens with its exercises ready, no code",
    )
    route.add_argument(
        "--lab",
        action="store_true",
        help="JupyterLab, for trainers: run a module (Run > Run All Cells) to show its exercises",
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
        print(
            f"Kept your own version of {len(report.kept)} files you changed (they do not "
            f"receive course updates): {', '.join(report.kept)}."
        )
    if report.imports_updated:
        print(
            "Your changes are kept; the studio only updated the line that loads the exercises in "
            f"{', '.join(report.imports_updated)}, because that part of the studio has moved."
        )
    root = workspace.resolve()
    token = studio_token()
    if args.lab:
        command = lab_command(root, port, first, no_browser=no_browser)
        url = lab_url(port, first, token)
    else:
        command = app_command(root, port, no_browser=no_browser)
        url = app_url(port, first, token)
    if args.dry_run:
        print(" ".join(command))
        return 0
    print(f"Open the studio at {url}")
    if args.lab:
        print("JupyterLab: choose Run > Run All Cells in a module to show its exercises.")
    else:
        print("App mode: each module opens with its exercises ready. Trainers: add --lab.")
    print("Press Ctrl+C to stop. Jupyter's warnings, if any, follow below.")
    sys.stdout.flush()
    env = studio_env(root, token)
    # Replace this process, so stopping the studio (Ctrl+C or a signal) reaches the server
    # directly and it shuts its kernels down cleanly. The workspace is the working folder, so
    # nothing that reads the current folder looks outside it.
    os.chdir(root)
    os.execve(sys.executable, command, env)
    return 0  # pragma: no cover - execve does not return


def studio_token() -> str:
    """The access token for this start: ``JUPYTER_TOKEN`` if set, else a new random one."""
    return server_token()


def studio_env(workspace: Path, token: str) -> dict[str, str]:
    """The server's environment: the workspace, the token (never on the command line, where
    other accounts could read it), the studio's Voilà template, and no DeprecationWarnings
    from Jupyter's own packages in the learner's terminal."""
    env = dict(os.environ, JUPYTER_TOKEN=token)
    env[WORKSPACE_ENV] = str(workspace)
    # The page Voilà opens first in app mode (goalstudio._voila_app reads it, adds the token).
    env[OPEN_PATH_ENV] = f"voila/render/{first_module_file()}"
    paths = [str(_template_root())]
    if env.get("JUPYTER_PATH"):
        paths.append(env["JUPYTER_PATH"])
    env["JUPYTER_PATH"] = os.pathsep.join(paths)
    env.setdefault("PYTHONWARNINGS", "ignore::DeprecationWarning")
    return env


def lab_url(port: int, first: str, token: str) -> str:
    return f"http://127.0.0.1:{port}/lab/tree/{first}?token={token}"


def app_url(port: int, first: str, token: str) -> str:
    return f"http://127.0.0.1:{port}/voila/render/{first}?token={token}"


def _template_root() -> Path:
    return Path(str(resources.files("goalstudio.widgets.dashboards") / "share"))


def lab_settings_dir() -> Path:
    """JupyterLab settings the studio ships: no "official Jupyter news?" pop-up."""
    return Path(str(resources.files("goalstudio") / "data" / "lab-settings"))


def _port_from_env() -> int:
    raw = os.environ.get("PORT", "").strip()
    if not raw:
        return 8888
    try:
        return int(raw)
    except ValueError:
        raise CliError(f"PORT={raw!r} is not a number: set PORT to a port such as 8888.") from None


# JupyterLab, with Jupyter's own DeprecationWarnings silenced. PYTHONWARNINGS is not enough: the
# Voilà server extension turns traitlets' DeprecationWarnings back on when it is imported.
QUIET_LAB = (
    "import runpy, sys, warnings; import voila; "
    "warnings.filterwarnings('ignore', category=DeprecationWarning); "
    "sys.argv[0] = 'jupyter-lab'; runpy.run_module('jupyterlab', run_name='__main__')"
)


def lab_command(workspace: Path, port: int, first: str, *, no_browser: bool) -> list[str]:
    """The JupyterLab command line for this workspace (the first item is the interpreter)."""
    command = [
        sys.executable,
        "-c",
        QUIET_LAB,
        f"--ServerApp.root_dir={workspace}",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--LabApp.default_url=/lab/tree/{first}",
        # Offline by design: no news feed or update checks reaching out to the internet, and
        # no pop-up asking whether to fetch them (the shipped overrides answer "no").
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        f"--LabApp.app_settings_dir={lab_settings_dir()}",
        # The grading tool belongs in the trainer's nbgrader course folder, not a learner's
        # workspace, where it only logs that it "will not work correctly".
        "--ServerApp.jpserver_extensions=nbgrader.server_extensions.formgrader=False",
        "--ServerApp.log_level=WARN",
        "--LabApp.log_level=WARN",
    ]
    if no_browser:
        command.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Containers and CI machines often run as root; JupyterLab refuses that unless told.
        command.append("--allow-root")
    return command


def app_command(workspace: Path, port: int, *, no_browser: bool) -> list[str]:
    """The Voila command line for app mode: sources stripped, no tracebacks (interpreter first).

    The token comes from ``JUPYTER_TOKEN`` (``auto_token``), so it never shows in the process
    list. The studio's template sets the cookie Voilà's close-page beacon needs, and idle
    kernels of closed pages are culled exactly as ``goalstudio dashboard`` does."""
    command = [
        sys.executable,
        "-m",
        # Voilà, opening the browser at the address with the token (Voilà's own leaves it out).
        "goalstudio._voila_app",
        str(workspace),
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0",
        "--Voila.auto_token=True",
        "--Voila.log_level=WARN",
        f"--template={TEMPLATE}",
        "--strip_sources=True",
        "--show_tracebacks=False",
        # Show each cell's output as soon as it has run: the first exercise accepts input
        # while the rest of the module is still being prepared (benchmarks/modules.py).
        "--VoilaConfiguration.progressive_rendering=True",
        *CULLING,
        *KERNEL_START,
    ]
    if no_browser:
        command.append("--no-browser")
    return command
