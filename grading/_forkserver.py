"""Preheated kernels for cohort autograding: fork a warm kernel instead of starting a cold one.

Starting a Python kernel and importing the studio into it costs more than a second per
notebook, and a cohort pays it once per learner. This server imports ipykernel and the studio
once, warms the rubric's caches, then forks a fresh kernel process for each notebook. Every
notebook still runs in its own new process (a learner's code never touches the server or
another learner's kernel); it simply starts with those modules already imported.

    python -m goalstudio.grading._forkserver SOCKET

It prints ``ready`` when it accepts requests from ``_forkclient.py``, stops when its parent
process ends, and takes its kernels with it.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import signal
import socket
import sys
import traceback
from typing import Any

from . import _sandbox

_KERNEL_MODULES = (
    # What a kernel imports while it starts, so that each forked kernel need not.
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.debugger",
    "IPython.core.completerlib",
    "IPython.core.debugger",
    "IPython.extensions.storemagic",
    "psutil",
)


def warm() -> None:
    import importlib
    import threading

    for name in _KERNEL_MODULES:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)

    from ._case import all_cases, scenario
    from ._checks import criterion

    # One case per locale loads the rubric's data and each lexicon; the rest load on demand.
    seen: set[str] = set()
    for case_id in all_cases():
        case = scenario(case_id)
        if case.locale in seen:
            continue
        seen.add(case.locale)
        # As a check cell shows it: its feedback from the HTML template, too.
        criterion(case.deficit_plan, case, "outcomes", points=1)._repr_mimebundle_()
    if threading.active_count() != 1:  # forking while other threads run is not safe
        raise RuntimeError("a module started a thread while warming up; not preheating")


def _child(request: dict[str, Any]) -> int:
    os.setsid()
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD):
        signal.signal(signum, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    cwd = str(request["cwd"])
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update({str(k): str(v) for k, v in request["env"].items()})
    if sys.path:
        sys.path[0] = cwd
    argv = [str(a) for a in request["argv"]]
    _sandbox.enter(argv)  # as root: the grading account, from here on
    sys.argv = ["ipykernel_launcher", *argv]
    from ipykernel.kernelapp import IPKernelApp

    IPKernelApp.launch_instance()
    return 0


def serve(path: str) -> None:
    parent = os.getppid()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    buffers: dict[socket.socket, bytes] = {}
    pids: dict[socket.socket, int] = {}
    owners: dict[int, socket.socket] = {}
    print("ready", flush=True)
    try:
        while True:
            if os.getppid() != parent:
                break
            for key, _ in selector.select(timeout=0.05):
                sock = key.fileobj
                assert isinstance(sock, socket.socket)
                if sock is listener:
                    conn, _ = listener.accept()
                    buffers[conn] = b""
                    selector.register(conn, selectors.EVENT_READ)
                    continue
                try:
                    data = sock.recv(1 << 20)
                except OSError:
                    data = b""
                if not data:  # the client went away: its kernel goes too
                    selector.unregister(sock)
                    pid = pids.pop(sock, None)
                    if pid is not None and pid in owners:
                        with contextlib.suppress(ProcessLookupError):
                            os.kill(pid, signal.SIGKILL)
                    buffers.pop(sock, None)
                    sock.close()
                    continue
                if sock in pids:
                    continue
                buffers[sock] += data
                if b"\n" not in buffers[sock]:
                    continue
                request = json.loads(buffers[sock].split(b"\n", 1)[0])
                pid = os.fork()
                if pid == 0:
                    code = 1
                    try:
                        selector.close()
                        listener.close()
                        for other in list(buffers):
                            other.close()
                        code = _child(request)
                    except SystemExit as exc:
                        code = exc.code if isinstance(exc.code, int) else 0
                    except BaseException:
                        traceback.print_exc()
                    finally:
                        sys.stdout.flush()
                        sys.stderr.flush()
                        os._exit(code)
                pids[sock] = pid
                owners[pid] = sock
                sock.sendall(json.dumps({"pid": pid}).encode("utf-8") + b"\n")
            while owners:
                try:
                    pid, status = os.waitpid(-1, os.WNOHANG)
                except ChildProcessError:
                    break
                if pid == 0:
                    break
                owner = owners.pop(pid, None)
                if owner is not None:
                    with contextlib.suppress(OSError):
                        code = os.waitstatus_to_exitcode(status)
                        owner.sendall(json.dumps({"exit": code}).encode("utf-8") + b"\n")
    finally:
        for pid in list(owners):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def main() -> int:
    path = sys.argv[1]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    warm()
    try:
        serve(path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
