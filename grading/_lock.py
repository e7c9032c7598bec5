"""One writer at a time for nbgrader's SQLite gradebook, across processes.

nbgrader opens a short-lived ``Gradebook`` for every read and write and closes it again; the
slow part of autograding (running the notebook) happens with no gradebook open. Holding an
exclusive file lock for the life of each ``Gradebook`` makes every worker's database work
strictly one at a time, while the notebooks themselves run in parallel. The lock is re-entrant
inside one process, because nbgrader sometimes opens a gradebook inside another.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: the caller falls back to one worker
    fcntl = None  # type: ignore[assignment]

_state: dict[str, Any] = {"fd": None, "depth": 0, "path": None, "installed": False}


def available() -> bool:
    return fcntl is not None


def _acquire() -> None:
    if _state["depth"] == 0:
        fd = os.open(_state["path"], os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(fd, fcntl.LOCK_EX)
        _state["fd"] = fd
    _state["depth"] += 1


def _release() -> None:
    if _state["depth"] == 0:
        return
    _state["depth"] -= 1
    if _state["depth"] == 0 and _state["fd"] is not None:
        fcntl.flock(_state["fd"], fcntl.LOCK_UN)
        os.close(_state["fd"])
        _state["fd"] = None


def install(lock_path: Path) -> None:
    """Wrap nbgrader's ``Gradebook`` in this process so each one holds the lock while open."""
    _state["path"] = str(lock_path)
    if _state["installed"]:
        return
    from nbgrader import api

    original_init = api.Gradebook.__init__
    original_close = api.Gradebook.close

    def locked_init(self: Any, *args: Any, **kwargs: Any) -> None:
        _acquire()
        self._goalstudio_locked = True
        try:
            original_init(self, *args, **kwargs)
        except BaseException:
            self._goalstudio_locked = False
            _release()
            raise

    def locked_close(self: Any) -> None:
        try:
            original_close(self)
        finally:
            if getattr(self, "_goalstudio_locked", False):
                self._goalstudio_locked = False
                _release()

    api.Gradebook.__init__ = locked_init  # type: ignore[method-assign]
    api.Gradebook.close = locked_close  # type: ignore[method-assign]
    _state["installed"] = True


def held() -> bool:
    return bool(_state["depth"])
