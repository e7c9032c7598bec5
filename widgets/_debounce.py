"""Run something once, a short pause after the last change (autosave, live feedback)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable


class Debouncer:
    """Run ``fn`` once, ``delay`` seconds after the last ``trigger()``.

    Inside a kernel it uses the kernel's event loop, so the call runs on the main thread between
    messages; elsewhere (tests, scripts) a timer thread. ``flush()`` runs a pending call now.
    """

    def __init__(self, delay: float, fn: Callable[[], None]) -> None:
        self.delay = delay
        self._fn = fn
        self._lock = threading.Lock()
        self._handle: asyncio.TimerHandle | threading.Timer | None = None

    @property
    def pending(self) -> bool:
        return self._handle is not None

    def trigger(self) -> None:
        with self._lock:
            self._cancel_locked()
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                timer = threading.Timer(self.delay, self._fire)
                timer.daemon = True
                self._handle = timer
                timer.start()
            else:
                self._handle = loop.call_later(self.delay, self._fire)

    def _cancel_locked(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def cancel(self) -> None:
        with self._lock:
            self._cancel_locked()

    def _fire(self) -> None:
        with self._lock:
            if self._handle is None:
                return
            self._handle = None
        self._fn()

    def flush(self) -> None:
        with self._lock:
            if self._handle is None:
                return
            self._cancel_locked()
        self._fn()
