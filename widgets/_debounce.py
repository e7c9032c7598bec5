"""Run something once, a short pause after the last change (autosave, live feedback).

The debouncer waits with a ``Clock``: ``KernelClock`` (the default) uses the kernel's event loop
inside a kernel and a timer thread elsewhere; ``ManualClock`` moves only when told, so a test
drives the pause exactly instead of sleeping through it.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import threading
from collections.abc import Callable
from typing import Protocol


class Handle(Protocol):
    """A call waiting on a clock."""

    def cancel(self) -> None: ...


class Clock(Protocol):
    """Calls ``fn`` once, ``delay`` seconds from now."""

    def call_later(self, delay: float, fn: Callable[[], object]) -> Handle: ...


class KernelClock:
    """Real time. Inside a kernel the call runs on the kernel's event loop (the main thread,
    between messages); elsewhere (scripts, a plain test) on a timer thread."""

    def call_later(self, delay: float, fn: Callable[[], object]) -> Handle:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            timer = threading.Timer(delay, fn)
            timer.daemon = True
            timer.start()
            return timer
        return loop.call_later(delay, fn)


class _Waiting:
    def __init__(self) -> None:
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


class ManualClock:
    """A clock that stands still until ``advance(seconds)``, which runs every call that falls
    due, in time order, on the caller's thread."""

    def __init__(self) -> None:
        self.now = 0.0
        self._queue: list[tuple[float, int, _Waiting, Callable[[], object]]] = []
        self._order = itertools.count()

    def call_later(self, delay: float, fn: Callable[[], object]) -> Handle:
        handle = _Waiting()
        heapq.heappush(self._queue, (self.now + delay, next(self._order), handle, fn))
        return handle

    @property
    def waiting(self) -> int:
        """How many calls are still to come."""
        return sum(1 for _due, _n, handle, _fn in self._queue if not handle.cancelled)

    def advance(self, seconds: float) -> None:
        until = self.now + seconds
        while self._queue and self._queue[0][0] <= until:
            due, _n, handle, fn = heapq.heappop(self._queue)
            self.now = due
            if not handle.cancelled:
                fn()
        self.now = until


class Debouncer:
    """Run ``fn`` once, ``delay`` seconds after the last ``trigger()``; ``flush()`` runs a
    pending call now, ``cancel()`` drops it."""

    def __init__(self, delay: float, fn: Callable[[], object], clock: Clock | None = None) -> None:
        self.delay = delay
        self._fn = fn
        self._clock: Clock = clock if clock is not None else KernelClock()
        self._lock = threading.Lock()
        self._handle: Handle | None = None
        self._token: object | None = None  # which trigger the waiting call belongs to

    @property
    def pending(self) -> bool:
        return self._handle is not None

    def trigger(self) -> None:
        with self._lock:
            self._cancel_locked()
            token = self._token = object()
            self._handle = self._clock.call_later(self.delay, lambda: self._fire(token))

    def _cancel_locked(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
        self._handle = self._token = None

    def cancel(self) -> None:
        with self._lock:
            self._cancel_locked()

    def _fire(self, token: object) -> None:
        with self._lock:
            if self._token is not token:
                return  # cancelled, flushed or triggered again since
            self._handle = self._token = None
        self._fn()

    def flush(self) -> None:
        with self._lock:
            if self._handle is None:
                return
            self._cancel_locked()
        self._fn()
