"""Use preheated kernels (``_forkserver``) for the notebooks one autograde worker runs.

``start()`` launches a kernel server for this process and points nbgrader's notebook runner
at it; ``stop()`` ends it. If the server cannot start (or on systems without ``fork``), nothing
changes and nbgrader starts ordinary kernels, so grading works either way.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

CLIENT = Path(__file__).with_name("_forkclient.py")
SANDBOX = Path(__file__).with_name("_sandbox.py")
_state: dict[str, Any] = {"server": None, "socket": None, "folder": None, "patched": False}


def available() -> bool:
    return hasattr(os, "fork") and sys.platform != "win32"


def launch() -> Any:
    """Start a kernel server in the background; ``wait_ready`` before using it."""
    if not available():
        return None
    folder = tempfile.mkdtemp(prefix="gs-kernels-")
    sock = os.path.join(folder, "kernels.sock")
    log = open(os.path.join(folder, "server.log"), "wb")  # noqa: SIM115 - closed in stop()
    server = subprocess.Popen(
        [sys.executable, "-m", "goalstudio.grading._forkserver", sock],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=log,
    )
    _state.update(server=server, socket=None, pending=sock, folder=folder, log=log)
    return server


def wait_ready(ready_timeout: float = 120.0) -> str | None:
    """The server's socket once it is ready, or ``None`` (then ordinary kernels are used)."""
    server = _state.get("server")
    if server is None:
        return None
    if _state.get("socket"):
        return str(_state["socket"])
    assert server.stdout is not None
    deadline = time.monotonic() + ready_timeout
    line = b""
    while time.monotonic() < deadline:
        line = server.stdout.readline()
        if line.strip() == b"ready" or not line:
            break
    if line.strip() != b"ready":
        stop()
        return None
    _state["socket"] = _state["pending"]
    return str(_state["socket"])


def use(sock: str | None) -> None:
    """Point this process's notebook runner at a running server (``None``: ordinary kernels).
    Either way, kernels start through ``kernel_command`` (the sandbox when running as root)."""
    _state["socket"] = sock
    _patch()


def start(ready_timeout: float = 120.0) -> bool:
    """Start a kernel server for this process and use it. Returns whether it is in use."""
    if _state["server"] is not None:
        return True
    if not available():
        return False
    folder = tempfile.mkdtemp(prefix="gs-kernels-")
    sock = os.path.join(folder, "kernels.sock")
    log = open(os.path.join(folder, "server.log"), "wb")  # noqa: SIM115 - closed in stop()
    server = subprocess.Popen(
        [sys.executable, "-m", "goalstudio.grading._forkserver", sock],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=log,
    )
    deadline = time.monotonic() + ready_timeout
    line = b""
    assert server.stdout is not None
    while time.monotonic() < deadline:
        line = server.stdout.readline()
        if line.strip() == b"ready" or not line:
            break
    if line.strip() != b"ready":
        server.kill()
        server.wait()
        log.close()
        return False
    _state.update(server=server, socket=sock, folder=folder, log=log)
    _patch()
    return True


def server_pid() -> int | None:
    """The kernel server's process id, while it runs."""
    server = _state.get("server")
    return int(server.pid) if server is not None else None


def stop() -> None:
    server = _state.get("server")
    if server is None:
        return
    if server.poll() is None:
        server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    if server.stdout is not None:
        server.stdout.close()
    _state["log"].close()
    if _state.get("folder"):
        shutil.rmtree(_state["folder"], ignore_errors=True)
    _state.update(server=None, socket=None, pending=None, folder=None)


def kernel_command(cmd: list[str]) -> list[str]:
    """Swap ``python -m ipykernel_launcher ARGS`` for the client, when a server is running;
    as root, wrap any other kernel in the sandbox (it switches to the grading account)."""
    sock = _state.get("socket")
    if (
        sock
        and len(cmd) >= 3
        and os.path.realpath(cmd[0]) == os.path.realpath(sys.executable)
        and cmd[1:3] == ["-m", "ipykernel_launcher"]
    ):
        return [sys.executable, "-S", str(CLIENT), sock, *cmd[3:]]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return [sys.executable, "-S", str(SANDBOX), *cmd]
    return cmd


def manager_class() -> Any:
    """The kernel manager grading uses: every kernel starts through ``kernel_command``."""
    if _state.get("manager") is None:
        from jupyter_client.manager import AsyncKernelManager

        class PreheatedKernelManager(AsyncKernelManager):  # type: ignore[misc]
            def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
                return kernel_command(super().format_kernel_cmd(extra_arguments))

        _state["manager"] = PreheatedKernelManager
    return _state["manager"]


def _patch() -> None:
    if _state["patched"]:
        return
    from nbgrader.preprocessors import execute

    execute.AsyncKernelManager = manager_class()
    _state["patched"] = True
