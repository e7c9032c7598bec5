"""Every process autograde starts ends with it: workers, kernels, the kernel server."""

from __future__ import annotations

import contextlib
import sys
from typing import Any


def adopt_orphans() -> None:
    """Make this process adopt every process it starts, even one whose parent has ended, so
    that ``end_children`` finds them all (Linux). The command line calls it: no kernel
    outlives ``goalstudio workshop autograde``, even when a worker is stopped mid-notebook."""
    if sys.platform != "linux":
        return
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER


def children() -> set[int]:
    import psutil

    with contextlib.suppress(psutil.Error):
        return {child.pid for child in psutil.Process().children()}
    return set()


def end_children(before: set[int], grace: float = 5.0, keep: int | None = None) -> None:
    """Stop every process autograde started that is still running (workers, kernels, the
    kernel server), and theirs; processes the caller had already started are left alone."""
    import psutil

    for _round in range(3):  # a process whose parent ends is adopted: look again
        left: list[Any] = []
        with contextlib.suppress(psutil.Error):
            for child in psutil.Process().children():
                if child.pid in before or child.pid == keep:
                    continue
                with contextlib.suppress(psutil.Error):
                    left += [child, *child.children(recursive=True)]
        if not left:
            return
        for process in left:
            with contextlib.suppress(psutil.Error):
                process.terminate()
        _gone, alive = psutil.wait_procs(left, timeout=grace)
        for process in alive:
            with contextlib.suppress(psutil.Error):
                process.kill()
        psutil.wait_procs(alive, timeout=grace)
