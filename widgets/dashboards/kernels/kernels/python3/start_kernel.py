"""Start a kernel of the facilitator dashboard server (``goalstudio dashboard``).

The server preheats one kernel per page, all at once as it starts. On a small machine they
shared its cores, and the workshop board, the page a facilitator opens as the workshop begins,
drew only after all of them (12 s on two cores, five times a warm load). So every page's kernel
but the board's (``goalstudio dashboard`` marks them with ``WAIT_ENV`` through Voilà's kernel
pools) waits here, before Python loads anything, until the board's kernel has preheated and its
page has had time to draw (``READY_FILE``), or ``WAIT_LIMIT`` seconds.

It runs as a plain script (``python start_kernel.py -f FILE``), without the studio, so it names
its two settings itself; ``tests/test_dashboard_kernels.py`` pins them to the studio's.
"""

from __future__ import annotations

import os
import runpy
import sys
import time
from collections.abc import Callable
from pathlib import Path

WAIT_ENV = "GOALSTUDIO_AFTER_FIRST_PAGE"  # set for every page but the first
# The first page's kernel writes the server's process id to this file in Jupyter's runtime
# folder (a file left by an earlier server on the same port holds another id).
READY_FILE = "goalstudio-dashboard-first-page-{port}.ready"
WAIT_LIMIT = 30.0  # seconds; Voilà waits 60 for a kernel to start


def ready_file(runtime_dir: str, port: str) -> Path:
    """The first page's file for the server on ``port``."""
    return Path(runtime_dir) / READY_FILE.format(port=port)


def first_page_ready(path: Path, server: int) -> bool:
    """True when the first page's kernel of the server with process id ``server`` wrote it."""
    try:
        return path.read_text(encoding="utf-8").strip() == str(server)
    except OSError:
        return False


def wait_for_first_page(
    path: Path,
    server: int,
    limit: float = WAIT_LIMIT,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> bool:
    """Wait until the first page's kernel of this server is ready (True), or ``limit`` seconds
    (False). ``clock`` and ``sleep`` are there so a test can run the wait on a clock of its own."""
    deadline = clock() + limit
    while not first_page_ready(path, server):
        if clock() >= deadline:
            return False
        sleep(0.1)
    return True


def main() -> None:
    """Wait if this is a later page's preheated kernel, then run ipykernel as usual."""
    if os.environ.get(WAIT_ENV) and os.environ.get("VOILA_PREHEAT") == "True":
        from jupyter_core.paths import jupyter_runtime_dir

        port = os.environ.get("VOILA_APP_PORT", "")
        wait_for_first_page(ready_file(jupyter_runtime_dir(), port), os.getppid())
    sys.argv = ["ipykernel_launcher", *sys.argv[1:]]
    runpy.run_module("ipykernel_launcher", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
