"""The debouncer: one call a pause after the last trigger, driven by a clock the test moves."""

from __future__ import annotations

import asyncio
import threading

import pytest

from goalstudio.widgets._debounce import Debouncer, KernelClock, ManualClock


def test_runs_once_a_pause_after_the_last_trigger() -> None:
    clock = ManualClock()
    calls: list[float] = []
    debouncer = Debouncer(0.05, lambda: calls.append(clock.now), clock)
    for _ in range(5):  # a burst: each trigger restarts the pause
        debouncer.trigger()
        clock.advance(0.01)
    assert calls == [] and debouncer.pending
    clock.advance(0.2)
    assert calls == [pytest.approx(0.09)]  # the last trigger at 0.04, plus the 0.05 pause
    assert not debouncer.pending and clock.waiting == 0


def test_flush_runs_a_pending_call_now_and_only_once() -> None:
    clock = ManualClock()
    calls: list[str] = []
    debouncer = Debouncer(1.0, lambda: calls.append("ran"), clock)
    debouncer.flush()
    assert calls == []  # nothing pending: nothing to run
    debouncer.trigger()
    debouncer.flush()
    assert calls == ["ran"] and not debouncer.pending
    clock.advance(5)
    assert calls == ["ran"]  # the timer it replaced does not run it again


def test_cancel_drops_the_pending_call() -> None:
    clock = ManualClock()
    calls: list[str] = []
    debouncer = Debouncer(1.0, lambda: calls.append("ran"), clock)
    debouncer.trigger()
    debouncer.cancel()
    clock.advance(5)
    assert calls == [] and not debouncer.pending


def test_in_a_kernel_the_call_runs_on_the_event_loop_thread() -> None:
    # A kernel runs an asyncio loop: widget callbacks must run there, between messages.
    ran_on: list[int] = []

    async def main() -> None:
        done = asyncio.Event()
        debouncer = Debouncer(0, lambda: (ran_on.append(threading.get_ident()), done.set()))
        debouncer.trigger()
        await asyncio.wait_for(done.wait(), timeout=10)

    asyncio.run(main())
    assert ran_on == [threading.get_ident()]


def test_outside_a_kernel_the_call_runs_on_a_timer_thread() -> None:
    done = threading.Event()
    Debouncer(0, done.set, KernelClock()).trigger()
    assert done.wait(timeout=10)
