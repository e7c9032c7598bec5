"""The rules behind "completed" and "time on task", which ``reports.progress`` applies for the
course home and every facilitator dashboard alike (they disagreed: a module the home page showed
completed was missing from the dashboards, and ten minutes of work read as one).

- A **module is completed** when the learner saves its reflection (activity ``reflection-<id>``),
  the last step of every module.
- An **activity is completed** when the studio records a ``completed`` event for it, or, for a
  module's reflection, when the reflection is saved.
- **Time on task** adds up the gaps between a learner's consecutive records (events, attempts,
  reflections, self-ratings), in time order, leaving out any gap longer than ``IDLE_MINUTES``:
  that is a break, not work. Each gap counts for the module of the record that ends it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import UTC, datetime

IDLE_MINUTES = 30.0


def reflection_activity(module: str) -> str:
    """The activity id of a module's reflection, whose saving completes the module."""
    return f"reflection-{module}"


def completes_module(activity: str, module: str) -> bool:
    return activity == reflection_activity(module)


def minutes_on_task(records: Iterable[tuple[str, str, str]]) -> dict[tuple[str, str], float]:
    """Minutes on task per (learner, module) from ``(learner, module, ISO time)`` records."""
    by_learner: dict[str, list[tuple[datetime, str]]] = {}
    for learner, module, at in records:
        by_learner.setdefault(learner, []).append((_parse(at), module))
    minutes: dict[tuple[str, str], float] = {}
    for learner, times in by_learner.items():
        times.sort()
        for (before, _), (after, module) in itertools.pairwise(times):
            gap = (after - before).total_seconds() / 60.0
            if gap <= IDLE_MINUTES:
                key = (learner, module)
                minutes[key] = minutes.get(key, 0.0) + gap
        for _, module in times:
            minutes.setdefault((learner, module), 0.0)
    return minutes


def _parse(at: str) -> datetime:
    moment = datetime.fromisoformat(at.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
