"""Facilitator dashboards at cohort scale: time until each dashboard's charts are visible.

Fills a records store with 500 learners x 40 activities x 5 attempts (through the store's CSV
import), serves the facilitator notebooks with the same Voilà settings as
``goalstudio dashboard`` (preheated kernels, offline template) together with a floor notebook
that only imports pandas and plotly and draws one chart, and opens each page in headless
Chromium (Playwright). For each page it measures the time from navigation until its charts are
drawn, each load with a freshly preheated kernel. Each dashboard load follows a floor load,
and its ratio to that floor load is taken; the figure is the median over ``--runs`` such pairs.
Targets: each dashboard at most 1.2x the floor with the store unchanged, and 1.3x with
``--changing``, which adds a record before each load, so that every dashboard reads the store
again when it is opened (a live workshop).

First, the first open: the workshop board opened as soon as the server answers, while its kernels
are still preheating (a facilitator opening the board as the workshop starts), timed the same
way, ``--first-opens`` times, each with a fresh server and a fresh browser. Target: their median
at most twice the board's median warm load of the same run.

    .venv/bin/python benchmarks/dashboards.py [--learners 500] [--activities 40] [--attempts 5]
                                              [--runs 5] [--first-opens 3] [--store PATH]
                                              [--changing]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from goalstudio.cli._dashboard import facilitator_folder, voila_command, voila_env  # noqa: E402
from goalstudio.records import RecordStore  # noqa: E402
from goalstudio.widgets.dashboards import fill_sample_store  # noqa: E402
from tests.browser._chromium import (  # noqa: E402
    CHARTS_DRAWN,
    CHROMIUM,
    DASHBOARD_CHARTS,
    launch_chromium,
)
from tests.conftest import free_port, stop  # noqa: E402

FLOOR_PAGE = "00-floor"
# The token the dashboard server requires.
TOKEN = "dashboard-benchmark-token"
PAGES = {FLOOR_PAGE: 1, **DASHBOARD_CHARTS}  # page -> charts drawn on a full store
FIRST_PAGE = "01-workshop-board"  # what a facilitator opens as the workshop starts
FLOOR = """import pandas as pd
import plotly.graph_objects as go
from IPython.display import display

frame = pd.DataFrame({"x": list("abcde"), "y": [3, 1, 4, 1, 5]})
fig = go.Figure(go.Bar(x=frame["x"], y=frame["y"]))
display({"application/vnd.plotly.v1+json": fig.to_plotly_json()}, raw=True)"""


def write_floor(folder: Path) -> None:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(FLOOR, metadata={"jupyter": {"source_hidden": True}})
    cell.id = "floor"
    nb.cells = [cell]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(nb, folder / f"{FLOOR_PAGE}.ipynb")


def pools_filled(log: Path) -> dict[str, int]:
    text = log.read_text(errors="replace")
    return {name: text.count(f"Kernel pool of {name}.ipynb is filled") for name in PAGES}


def wait_until(predicate, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise SystemExit(f"timed out waiting for {what}")


@contextlib.contextmanager
def served(folder: Path, env: dict[str, str], log: Path) -> Iterator[str]:
    """The dashboards served as ``goalstudio dashboard`` serves them, until the block ends;
    yields the base address once the server answers."""
    port = free_port()
    with log.open("wb") as out:
        proc = subprocess.Popen(
            voila_command(folder, port, no_browser=True),
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=folder.parent,
        )
    try:
        wait_until(lambda: listening(port), 120, "the server")
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc, grace=20)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=500)
    parser.add_argument("--activities", type=int, default=40)
    parser.add_argument("--attempts", type=int, default=5)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--first-opens",
        type=int,
        default=3,
        help="how many first opens to time (each with a fresh server and browser)",
    )
    parser.add_argument("--store", help="reuse (or create) the records file at this path")
    parser.add_argument(
        "--changing",
        action="store_true",
        help="add a record before each page load, so every dashboard re-reads the store on view "
        "(the cost of a live workshop; without it the preheated snapshot is still current)",
    )
    args = parser.parse_args()
    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} is missing: install Debian's chromium package")

    work = Path(tempfile.mkdtemp(prefix="gs-dash-bench-"))
    store_path = Path(args.store) if args.store else work / "records.sqlite"
    url = f"sqlite:///{store_path}"
    with RecordStore(url) as store:
        empty = not store.learner_progress(learner="learner-0001")
        if empty:
            started = time.perf_counter()
            added = fill_sample_store(
                store,
                learners=args.learners,
                activities=args.activities,
                attempts=args.attempts,
                seed=1,
            )
            print(f"filled the store: {added} records in {time.perf_counter() - started:.1f} s")
    with RecordStore(url) as store:
        checked = store.checked_note()  # as goalstudio dashboard passes it to its kernels
    size_mb = store_path.stat().st_size / 1e6
    print(
        f"store: {args.learners} learners x {args.activities} activities x {args.attempts} "
        f"attempts ({size_mb:.0f} MB SQLite)"
    )

    folder = work / "served"
    folder.mkdir()
    for notebook in facilitator_folder().glob("*.ipynb"):
        shutil.copy(notebook, folder / notebook.name)
    write_floor(folder)
    env = voila_env(url, None, None, token=TOKEN, records_checked=checked)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        # Each first open: a fresh server and a fresh browser, as the workshop starts.
        firsts = []
        for sample in range(args.first_opens):
            wait_for_quiet()
            browser = launch_chromium(p)
            try:
                with served(folder, env, work / f"voila-first-{sample}.log") as base:
                    firsts.append(timed_load(browser, base, FIRST_PAGE, PAGES[FIRST_PAGE]))
            finally:
                browser.close()
        wait_for_quiet()
        browser = launch_chromium(p)
        try:
            log = work / "voila.log"
            with served(folder, env, log) as base:
                wait_until(lambda: all(pools_filled(log).values()), 300, "the preheated kernels")
                timings, paired = measure(
                    browser, base, log, args.runs, url if args.changing else None
                )
        finally:
            browser.close()
    floor = statistics.median(timings[FLOOR_PAGE])
    print(f"\n{'page':<24}{'median s':>10}{'runs (s)':>36}{'x floor':>10}")
    print(f"{FLOOR_PAGE:<24}{floor:>10.2f}{'(loaded before each page)':>36}{1.0:>10.2f}")
    worst = 0.0
    for name, pairs in paired.items():
        values = [page for _floor, page in pairs]
        # Each load is compared with the floor loaded just before it, so that the machine's
        # drift during the run cancels out; the median of those ratios is the figure.
        ratio = statistics.median(page / floor_load for floor_load, page in pairs)
        worst = max(worst, ratio)
        runs = ", ".join(f"{v:.2f}" for v in values)
        print(f"{name:<24}{statistics.median(values):>10.2f}{runs:>36}{ratio:>10.2f}")
    target = 1.3 if args.changing else 1.2
    verdict = "meets" if worst <= target else "misses"
    print(f"\nworst dashboard: {worst:.2f}x the floor ({verdict} the {target}x target)")
    warm = statistics.median(timings[FIRST_PAGE])
    first = statistics.median(firsts)
    verdict = "meets" if first <= 2 * warm else "misses"
    shown = ", ".join(f"{v:.2f}" for v in firsts)
    print(
        f"first open of {FIRST_PAGE} as the server starts (median of {len(firsts)}: {shown} s): "
        f"{first:.2f} s, {first / warm:.2f}x its warm load ({verdict} the 2x target)"
    )
    mode = "records added before each load" if args.changing else "store unchanged since preheat"
    print(f"mode: {mode}")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0


def measure(  # type: ignore[no-untyped-def]
    browser, base: str, log: Path, runs: int, changing: str | None
) -> tuple[dict[str, list[float]], dict[str, list[tuple[float, float]]]]:
    """Every load's seconds by page, and each dashboard's loads paired with the floor load made
    just before it."""
    timings: dict[str, list[float]] = {name: [] for name in PAGES}
    paired: dict[str, list[tuple[float, float]]] = {
        name: [] for name in PAGES if name != FLOOR_PAGE
    }
    # One untimed load of every page first, so that the browser's cache holds the static
    # files each page needs (the floor needs fewer of them than the widget pages do), as it
    # does for a facilitator who has the dashboards open during a workshop.
    for name, charts in PAGES.items():
        load_page(browser, base, log, name, charts, None)
    for _ in range(runs):
        for name in paired:
            floor = load_page(browser, base, log, FLOOR_PAGE, PAGES[FLOOR_PAGE], changing)
            page = load_page(browser, base, log, name, PAGES[name], changing)
            timings[FLOOR_PAGE].append(floor)
            timings[name].append(page)
            paired[name].append((floor, page))
    return timings, paired


def listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _cpu_times() -> tuple[int, int]:
    """(busy, total) jiffies of all cores, from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle and iowait
    return sum(fields) - idle, sum(fields)


def wait_for_quiet(limit: float = 0.15, window: float = 0.5, timeout: float = 30.0) -> None:
    """Wait until the machine's CPU use over ``window`` seconds is below ``limit`` (or give up
    after ``timeout``), so that every load, floor or dashboard, starts from the same quiet."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        busy, total = _cpu_times()
        time.sleep(window)
        busy2, total2 = _cpu_times()
        if (busy2 - busy) / max(total2 - total, 1) < limit:
            return


def load_page(  # type: ignore[no-untyped-def]
    browser, base: str, log: Path, name: str, charts: int, changing: str | None
) -> float:
    """Seconds from navigation until the page's charts have drawn their data."""
    filled = pools_filled(log)[name]
    wait_until(lambda: pools_filled(log)[name] >= filled, 300, "a kernel")
    wait_for_quiet()  # the last page's kernel refill may still be busy: start from a quiet machine
    if changing:
        with RecordStore(changing) as store:
            store.add_event("benchmark-newcomer", "live", "started")
    seconds = timed_load(browser, base, name, charts)
    # wait for the pool to refill before the next page, so each load is preheated
    wait_until(lambda: pools_filled(log)[name] > filled, 300, "the pool refill")
    return seconds


def timed_load(browser, base: str, name: str, charts: int) -> float:  # type: ignore[no-untyped-def]
    """Seconds from navigation until the page's charts have drawn their data."""
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    started = time.perf_counter()
    page.goto(f"{base}/voila/render/{name}.ipynb?token={TOKEN}", timeout=300_000)
    page.wait_for_function(CHARTS_DRAWN, arg=charts, timeout=300_000)
    seconds = time.perf_counter() - started
    # Leave the page as a facilitator's tab does, so that Voilà's "beforeunload" beacon shuts
    # its kernel down. (Playwright's close skips that, so kernels, a live workshop board's
    # polling among them, would pile up and slow the later loads.)
    page.goto("about:blank")
    page.close()
    return seconds


if __name__ == "__main__":
    raise SystemExit(main())
