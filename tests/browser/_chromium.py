"""Debian's Chromium, started the one way every browser test and benchmark uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
# Without the networking flags Chromium reaches for Google's hosts, which this offline studio
# (and the CI machine's closed network) must never need.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def launch_chromium(playwright: Any) -> Any:
    """A headless Chromium browser from a ``sync_playwright()`` context."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


# True once at least ``n`` plotly charts have drawn their data. Counting ``.main-svg`` is not
# enough: plotly makes three of them per chart before any trace is drawn.
CHARTS_DRAWN = """(n) => [...document.querySelectorAll('.js-plotly-plot')].filter(
    (plot) => plot.querySelector('g.trace, g.hm, g.sankey')).length >= n"""

# Each facilitator notebook and the number of charts it draws once it has data (the browser
# tests and benchmarks/dashboards.py both wait for this many).
DASHBOARD_CHARTS = {
    "01-workshop-board": 1,
    "02-cohort-progress": 2,
    "03-competence-gap": 2,
    "04-language-board": 2,
    "05-rubric-profile": 2,
    "06-scenario-explorer": 1,
}
