"""A trial JupyterHub on loopback, for the live hub test and the hub load benchmark.

The hub runs the configuration `goalstudio hub config --authenticator dummy` writes, as root,
with the local process spawner: every hub user is an account on this machine. Needs root,
`useradd`, configurable-http-proxy (npm) and a PostgreSQL server (.ci/postgres.sh);
`missing_requirement()` says which is missing.
"""

from __future__ import annotations

import importlib.util
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from tests._postgres_admin import postgres_port, psql
from tests.conftest import free_port

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
ASSIGNMENT = "01-spot-the-language"
COURSE = "team-workshop"


def _load_hubclient() -> ModuleType:
    spec = importlib.util.spec_from_file_location("hubclient", REPO / "deploy/hub/hubclient.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["hubclient"] = module
    spec.loader.exec_module(module)
    return module


hc = _load_hubclient()


def find_proxy() -> str | None:
    """configurable-http-proxy on PATH, or where .ci/run installs it."""
    found = shutil.which("configurable-http-proxy")
    if found:
        return found
    local = REPO / ".ci" / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
    return str(local) if local.exists() else None


def missing_requirement() -> str | None:
    """Why the real-hub test cannot run here, or None."""
    if sys.platform != "linux" or os.geteuid() != 0:
        return "needs root on Linux: the hub makes an account per learner (CI runs as root)"
    for tool in ("useradd", "userdel", "su", "runuser"):
        if not shutil.which(tool):
            return f"needs {tool} to make learner accounts"
    if find_proxy() is None:
        return (
            "configurable-http-proxy is not installed (.ci/run installs it: npm install "
            "--prefix .ci/node configurable-http-proxy@4)"
        )
    port = postgres_port()
    if port is None:
        return "no PostgreSQL server: GOALSTUDIO_TEST_POSTGRES_URL is unset (bash .ci/postgres.sh)"
    if psql(port, "SELECT 1").returncode != 0:
        return f"cannot reach PostgreSQL on port {port} as the postgres account"
    probe = subprocess.run(
        ["runuser", "-u", "nobody", "--", sys.executable, "-c", "import goalstudio, jupyterhub"],
        capture_output=True,
        text=True,
        check=False,
        cwd="/",
    )
    if probe.returncode != 0:
        return (
            f"other accounts cannot use this Python environment ({sys.executable}); learner "
            f"servers run as their own accounts: {probe.stderr.strip()[-300:]}. Let them reach "
            "it (chmod o+x on each folder above the interpreter and the checkout, as .ci/run does)"
        )
    return None


@dataclass
class Workshop:
    hub: Any
    root: Path
    process: subprocess.Popen[bytes]
    log: Path
    facilitator: str
    learners: list[str]
    tokens: dict[str, str] = field(default_factory=dict)
    admin_url: str = ""
    proxy_pid: int = 0

    def server(self, name: str) -> Any:
        return hc.Server(self.hub, name, self.tokens[name])

    def as_user(self, name: str, code: str) -> str:
        return str(self.server(name).run(code))

    def hub_log(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-6000:]


def _start_hub(root: Path, config: Path, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    with (root / "hub.log").open("wb") as log:
        return subprocess.Popen(
            [str(VENV_BIN / "jupyterhub"), "-f", str(config)],
            cwd=root,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


class HubUnavailable(RuntimeError):
    """The trial hub could not start; the message holds the hub's log."""


@contextmanager
def running_hub(facilitator: str, learners: list[str]) -> Iterator[Workshop]:
    """A trial hub on loopback with its own PostgreSQL database; everything it made (accounts,
    database roles, folders, processes) is removed afterwards. Used by benchmarks/hub_load.py."""
    tag = secrets.token_hex(2)
    everyone = [facilitator, *learners]
    pg_port = postgres_port()
    assert pg_port is not None
    admin_role, database, password = f"gs_hub_admin_{tag}", f"gs_hub_{tag}", secrets.token_hex(8)
    made = psql(
        pg_port,
        f"CREATE ROLE {admin_role} LOGIN CREATEROLE PASSWORD '{password}';\n"
        f"CREATE DATABASE {database} OWNER {admin_role};",
    )
    assert made.returncode == 0, made.stderr
    admin_url = f"postgresql+psycopg://{admin_role}:{password}@127.0.0.1:{pg_port}/{database}"
    root = Path(tempfile.mkdtemp(prefix="gs-hub-", dir="/tmp"))
    os.chmod(root, 0o755)
    port = free_port()
    token = secrets.token_hex(16)
    config = root / "jupyterhub_config.py"
    assert (
        subprocess.run(
            [
                str(VENV_BIN / "goalstudio"),
                "hub",
                "config",
                "--authenticator",
                "dummy",
                "--out",
                str(config),
            ],
            capture_output=True,
            check=False,
        ).returncode
        == 0
    )
    with config.open("a", encoding="utf-8") as handle:
        handle.write(
            "\n# Added by the test: a service that drives the hub's REST API.\n"
            f'c.JupyterHub.services = [{{"name": "hub-test", "api_token": "{token}"}}]\n'
            'c.JupyterHub.load_roles = [{"name": "admin", "services": ["hub-test"]}]\n'
            "# Ports of its own, so it never meets another hub's proxy on this machine.\n"
            f"c.JupyterHub.hub_port = {free_port()}\n"
            f'c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{free_port()}"\n'
        )
    proxy = find_proxy()
    assert proxy
    env = dict(os.environ)
    env.update(
        {
            "PATH": os.pathsep.join([str(Path(proxy).parent), str(VENV_BIN), env["PATH"]]),
            "GOALSTUDIO_HUB_ROOT": str(root / "srv"),
            "GOALSTUDIO_HUB_COURSE": COURSE,
            "GOALSTUDIO_HUB_FACILITATORS": facilitator,
            "GOALSTUDIO_HUB_RECORDS_ADMIN_URL": admin_url,
            "GOALSTUDIO_HUB_IP": "127.0.0.1",
            "GOALSTUDIO_HUB_PORT": str(port),
        }
    )
    env.pop("GOALSTUDIO_RECORDS_URL", None)
    process = _start_hub(root, config, port, env)
    hub = hc.Hub(f"http://127.0.0.1:{port}", token)
    ws = Workshop(hub, root, process, root / "hub.log", facilitator, learners, admin_url=admin_url)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise HubUnavailable(f"the hub stopped at start-up:\n{ws.hub_log()}")
            try:
                if hc.request("GET", f"{hub.base}/hub/api/", token, timeout=2).status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise HubUnavailable(f"the hub did not answer within 60 s:\n{ws.hub_log()}")
            time.sleep(0.3)
        ws.proxy_pid = int((root / "srv" / "jupyterhub-proxy.pid").read_text().strip())
        yield ws
    finally:
        if ws.proxy_pid and alive(ws.proxy_pid):
            os.kill(ws.proxy_pid, signal.SIGTERM)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)
        for name in everyone:
            subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True, check=False)
        for name in everyone:
            try:
                pwd.getpwnam(name)
            except KeyError:
                continue
            subprocess.run(["userdel", "-r", name], capture_output=True, check=False)
        roles = ", ".join(f'"gs_{n}"' for n in everyone)
        psql(pg_port, f"DROP DATABASE IF EXISTS {database} WITH (FORCE);")
        psql(pg_port, f"DROP ROLE IF EXISTS {roles};")
        psql(pg_port, f"DROP ROLE IF EXISTS {admin_role};")
        shutil.rmtree(root, ignore_errors=True)


FACILITATOR_RUNS = """
import json, subprocess, sys
from pathlib import Path
gs = str(Path(sys.executable).with_name("goalstudio"))
def run(*args):
    done = subprocess.run([gs, "workshop", *args, "--dir", {course!r}], capture_output=True,
                          text=True)
    if done.returncode:
        raise RuntimeError(" ".join(args) + ": " + done.stdout[-1500:] + done.stderr[-1500:])
    return done.stdout
print(json.dumps({{"out": run(*{args!r})}}))
"""
