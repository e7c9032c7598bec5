"""How a grading kernel starts: a kernelspec written for it, preheated when a server runs.

A kernelspec is Jupyter's own statement of how to start a kernel, so grading changes nothing
inside nbgrader or jupyter_client: for each notebook, ``GradingExecute`` writes the spec of the
kernel the notebook names into a private folder and starts the kernel from there. The spec is
the installed one with its command changed:

- while a preheated kernel server runs (``launch``/``wait_ready``): the client
  (``_forkclient.py``), which asks the server to fork a kernel that has already imported the
  studio (``_forkserver``);
- otherwise, as root: the kernel's own command inside the sandbox (``_sandbox.py``), which
  switches to the grading account before the kernel starts;
- otherwise: the kernel's own command.

If the server cannot start (or on systems without ``fork``), ordinary kernels are used, so
grading works either way.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from jupyter_client.kernelspec import KernelSpecManager

CLIENT = Path(__file__).with_name("_forkclient.py")
SANDBOX = Path(__file__).with_name("_sandbox.py")
# How a kernelspec may name this Python (jupyter_client starts sys.executable for these).
_PYTHON_NAMES = {"python", f"python{sys.version_info[0]}", "python{}.{}".format(*sys.version_info)}


@dataclass
class _Server:
    process: subprocess.Popen[bytes]
    socket: str
    folder: str
    log: IO[bytes]
    ready: bool = False


_server: list[_Server] = []  # the one server this process started, while it runs


def available() -> bool:
    return hasattr(os, "fork") and sys.platform != "win32"


def launch() -> None:
    """Start a kernel server in the background; ``wait_ready`` before using it."""
    if _server or not available():
        return
    folder = tempfile.mkdtemp(prefix="gs-kernels-")
    sock = os.path.join(folder, "kernels.sock")
    log = open(os.path.join(folder, "server.log"), "wb")  # noqa: SIM115 - closed in stop()
    process = subprocess.Popen(
        [sys.executable, "-m", "goalstudio.grading._forkserver", sock],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=log,
    )
    _server.append(_Server(process, sock, folder, log))


def wait_ready(ready_timeout: float = 120.0) -> str | None:
    """The server's socket once it is ready, or ``None`` (then ordinary kernels are used)."""
    if not _server:
        return None
    server = _server[0]
    if server.ready:
        return server.socket
    assert server.process.stdout is not None
    deadline = time.monotonic() + ready_timeout
    line = b""
    while time.monotonic() < deadline:
        line = server.process.stdout.readline()
        if line.strip() == b"ready" or not line:
            break
    if line.strip() != b"ready":
        stop()
        return None
    server.ready = True
    return server.socket


def start(ready_timeout: float = 120.0) -> str | None:
    """Start a kernel server and wait for it: its socket, or ``None`` if it could not start."""
    launch()
    return wait_ready(ready_timeout)


def server_pid() -> int | None:
    """The kernel server's process id, while it runs."""
    return _server[0].process.pid if _server else None


def stop() -> None:
    if not _server:
        return
    server = _server.pop()
    if server.process.poll() is None:
        server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
    if server.process.stdout is not None:
        server.process.stdout.close()
    server.log.close()
    shutil.rmtree(server.folder, ignore_errors=True)


def kernel_command(argv: list[str], server: str | None) -> list[str]:
    """A kernelspec's command as grading runs it: ``python -m ipykernel_launcher ARGS`` becomes
    the client of the preheated ``server`` (when there is one); as root, any other kernel is
    wrapped in the sandbox (it switches to the grading account)."""
    argv = list(argv)
    if argv and argv[0] in _PYTHON_NAMES:
        argv[0] = sys.executable
    if (
        server
        and len(argv) >= 3
        and os.path.realpath(argv[0]) == os.path.realpath(sys.executable)
        and argv[1:3] == ["-m", "ipykernel_launcher"]
    ):
        return [sys.executable, "-S", str(CLIENT), server, *argv[3:]]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return [sys.executable, "-S", str(SANDBOX), *argv]
    return argv


def grading_kernelspecs(folder: str, name: str, server: str | None) -> KernelSpecManager:
    """Write the spec of kernel ``name`` as grading starts it into ``folder`` (a new, private
    folder of the grading process), and a spec manager that finds only what is there."""
    spec = KernelSpecManager().get_kernel_spec(name)
    data = spec.to_dict()
    data["argv"] = kernel_command(spec.argv, server)
    target = os.path.join(folder, name.lower())
    os.mkdir(target, 0o700)
    with open(os.path.join(target, "kernel.json"), "w", encoding="utf-8") as file:
        json.dump(data, file)
    return KernelSpecManager(kernel_dirs=[folder], ensure_native_kernel=False)
