"""How long a learner waits: from opening each module until its first exercise accepts input.

In app mode (``goalstudio start``, Voilà) and in JupyterLab (``goalstudio start --lab``, where the
learner chooses Run > Run All Cells as soon as the kernel is ready), beside a *floor* notebook
that shows one ipywidgets Textarea, measured in the same run on the same server. "Accepts
input" means the first enabled control inside the first exercise is visible.

Each module's load is paired with a floor load just before it, and the median of the paired
ratios is reported, so drift on a shared machine cancels out (as benchmarks/dashboards.py does).
Target (issue 16): every module within 1.5x the floor.

    .venv/bin/python benchmarks/modules.py [--repeats N] [--only app|lab] [--modules 00 03]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.browser import _a11y
from tests.browser._chromium import launch_chromium

TARGET = 1.5
FLOOR = "floor.ipynb"
# The first control of the first exercise (or of the floor's Textarea) that can take input.
FIRST_INPUT = (
    ":is(.gs-exercise, .gs-floor) :is(textarea, input, button, select):not([disabled]) >> nth=0"
)


def write_floor(workspace: Path) -> None:
    cell = {
        "cell_type": "code",
        "execution_count": None,
        "id": "floor",
        "metadata": {"jupyter": {"source_hidden": True}},
        "outputs": [],
        "source": 'import ipywidgets as w\nbox = w.Textarea(description="Your notes")\n'
        'box.add_class("gs-floor")\nbox',
    }
    notebook = {
        "cells": [{"cell_type": "markdown", "id": "t", "metadata": {}, "source": "# Floor"}, cell],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (workspace / FLOOR).write_text(json.dumps(notebook), encoding="utf-8")


def open_app(browser: Any, base: str, query: str, name: str) -> float:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        started = time.perf_counter()
        page.goto(f"{base}/voila/render/{name}?{query}", timeout=180_000, wait_until="commit")
        page.locator(FIRST_INPUT).wait_for(state="visible", timeout=180_000)
        return time.perf_counter() - started
    finally:
        page.close()


def open_lab(browser: Any, base: str, query: str, name: str) -> float:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        started = time.perf_counter()
        page.goto(f"{base}/lab/tree/{name}?reset&{query}", timeout=180_000, wait_until="commit")
        page.get_by_text("| Idle").first.wait_for(timeout=180_000)
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        page.locator(FIRST_INPUT).wait_for(state="visible", timeout=180_000)
        elapsed = time.perf_counter() - started
        page.evaluate(  # shut the kernel down, so the next load starts from a quiet server
            "async () => { const t = new URLSearchParams(location.search).get('token');"
            " const h = {headers: {Authorization: 'token ' + t}};"
            " for (const s of await (await fetch('/api/sessions', h)).json())"
            " await fetch('/api/sessions/' + s.id, {method: 'DELETE', ...h}); }"
        )
        return elapsed
    finally:
        page.close()


def measure(browser: Any, home: Path, mode: str, modules: list[str], repeats: int) -> list[tuple]:
    workspace = home / "ws"
    opener = open_app if mode == "app" else open_lab
    args = ["start", f"--{mode}", "--workspace", str(workspace)]
    rows = []
    # The first start copies the course in; the floor goes in beside it before serving.
    from goalstudio.courseware.workspace import prepare_workspace

    prepare_workspace(workspace)
    write_floor(workspace)
    with _a11y.serve(args, home / mode) as address:
        base, query = _a11y._base_and_query(address)
        opener(browser, base, query, FLOOR)  # warm-up: the first kernel start is the slowest
        for name in modules:
            floors, times, ratios = [], [], []
            for _ in range(repeats):
                floor = opener(browser, base, query, FLOOR)
                took = opener(browser, base, query, name)
                floors.append(floor)
                times.append(took)
                ratios.append(took / floor)
            rows.append(
                (
                    mode,
                    name,
                    statistics.median(floors),
                    statistics.median(times),
                    statistics.median(ratios),
                )
            )
            print(f"  {mode:<4} {name:<40} {rows[-1][3]:6.2f} s  x{rows[-1][4]:.2f}", flush=True)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--only", choices=["app", "lab"], action="append")
    parser.add_argument("--modules", nargs="*", help="module ids, e.g. 00 03 (default: all)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from goalstudio.courseware.manifest import load_manifest

    modules = [m.file for m in load_manifest().modules if not args.modules or m.id in args.modules]
    rows: list[tuple] = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            for mode in args.only or ["app", "lab"]:
                rows += measure(browser, Path(tmp) / mode, mode, modules, args.repeats)
        finally:
            browser.close()
    print()
    print(f"{'mode':<5} {'module':<40} {'floor s':>8} {'module s':>9} {'ratio':>6}  target")
    slow = 0
    for mode, name, floor, took, ratio in rows:
        ok = ratio <= TARGET
        slow += not ok
        print(
            f"{mode:<5} {name:<40} {floor:8.2f} {took:9.2f} {ratio:6.2f}  "
            f"{'within' if ok else 'OVER'} {TARGET}x"
        )
    print(f"\n{len(rows) - slow} of {len(rows)} module loads within {TARGET}x the floor.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
