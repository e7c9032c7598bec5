"""How quick the exercises are, measured against bare ipywidgets in the same run.

    .venv/bin/python benchmarks/widgets.py [--repeat N]

Prints:
- import time of ``goalstudio.widgets`` against ``import ipywidgets`` (fresh interpreters);
- the time to build each exercise (records store, scenario and restore included) against a bare
  ``ipywidgets.Textarea``;
- the review round trip for a burst of keystrokes in the PlanRewriter: the cost of each
  keystroke while typing, and the time from the last keystroke to updated chips (the debounce
  pause excluded; it is a fixed wait, REVIEW_DELAY), against setting a bare Textarea's value.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def _import_time(module: str, repeat: int) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    runs = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(repeat)
    ]
    return statistics.median(runs)


def _median(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    repeat = max(1, args.repeat)

    base = _import_time("ipywidgets", repeat)
    ours = _import_time("goalstudio.widgets", repeat)
    print(f"import   ipywidgets {base * 1000:8.1f} ms")
    print(f"import   goalstudio.widgets {ours * 1000:8.1f} ms   ratio {ours / base:5.1f}x")

    import ipywidgets as w

    from goalstudio import widgets as gw
    from goalstudio.scenarios import load

    scenario = load("bernie-cmht-allotment")
    folder = Path(tempfile.mkdtemp(prefix="gs-bench-"))
    url = f"sqlite:///{folder / 'records.sqlite'}"
    # Warm the caches a learner's first exercise pays for once (lexicon, rubric data).
    gw.PlanRewriter(scenario, learner="warm", store_url=url).close()

    textarea = _median(lambda: w.Textarea(value=scenario.deficit_plan).close(), repeat * 20)
    print(f"\nbuild    bare Textarea {textarea * 1000:8.2f} ms")
    builders: dict[str, Callable[[], object]] = {
        "PlanRewriter": lambda: gw.PlanRewriter(scenario, learner="b", store_url=url),
        "PlanBuilder": lambda: gw.PlanBuilder(scenario, learner="b", store_url=url),
        "LanguageSpotter": lambda: gw.LanguageSpotter(scenario, learner="b", store_url=url),
        "GoalDiscovery": lambda: gw.GoalDiscovery(scenario, learner="b", store_url=url),
        "ExchangeMap": lambda: gw.ExchangeMap(scenario, learner="b", store_url=url),
        "RiskConversation": lambda: gw.RiskConversation(scenario, learner="b", store_url=url),
        "ChartReview": lambda: gw.ChartReview(scenario, learner="b", store_url=url),
        "SelfRating": lambda: gw.SelfRating("pre", learner="b", store_url=url),
        "Reflection": lambda: gw.Reflection("03", learner="b", store_url=url),
    }
    for name, build in builders.items():

        def once(build: Callable[[], object] = build) -> None:
            widget = build()
            assert getattr(widget, "last_error", None) is None, widget
            widget.close()  # type: ignore[attr-defined]

        took = _median(once, repeat)
        print(f"build    {name:<16} {took * 1000:8.1f} ms   ratio {took / textarea:7.0f}x")

    # A burst of keystrokes: each one changes the value, as the browser sends it.
    text = scenario.model_rewrite
    burst = [text[: len(text) - 30 + i] for i in range(31)]
    widget = gw.PlanRewriter(scenario, learner="typing", store_url=url)
    bare = w.Textarea()
    per_key, to_chips, bare_key = [], [], []
    for _ in range(repeat):
        widget.type_text("")
        widget.flush()
        start = time.perf_counter()
        for value in burst:
            widget.type_text(value)
        per_key.append((time.perf_counter() - start) / len(burst))
        start = time.perf_counter()
        widget._reviewer.flush()  # the review that runs when the pause ends
        to_chips.append(time.perf_counter() - start)
        widget._saver.cancel()
        start = time.perf_counter()
        for value in burst:
            bare.value = value
        bare_key.append((time.perf_counter() - start) / len(burst))
    assert widget.chips.value.count("Met</span>") == 5
    key, chips, plain = (statistics.median(x) for x in (per_key, to_chips, bare_key))
    print(f"\ntyping   bare Textarea, per keystroke {plain * 1e6:8.1f} us")
    print(f"typing   PlanRewriter, per keystroke  {key * 1e6:8.1f} us   ratio {key / plain:5.1f}x")
    pause = gw.plan.REVIEW_DELAY * 1000
    print(
        f"review   last keystroke -> chips     {chips * 1000:8.2f} ms (+ the {pause:.0f} ms pause)"
    )
    print(f"         feedback {pause + chips * 1000:.0f} ms after typing stops (budget 300 ms)")
    widget.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
