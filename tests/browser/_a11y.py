"""Accessibility, measured: axe-core on every page a user of the studio sees.

axe-core comes from the npm registry into the checkout (``.ci/run`` installs it under
``.ci/node``, as it does JupyterHub's proxy) and is injected into each page from that local file:
no CDN. The rules are WCAG 2.0, 2.1 and 2.2 A and AA; a *serious* or *critical* violation fails
``test_accessibility_browser.py``, and ``python tests/browser/a11y_report.py`` prints the count
per page.

The pages: the course home and every module in app mode (Voilà) and in JupyterLab, the
dashboards' landing page and every dashboard, a scenario preview, a chart-review export and an
assignment feedback page. In JupyterLab axe checks the notebook's outputs, where the exercises
are: JupyterLab's own menus and panels are not the studio's to change.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.conftest import REPO, free_port

AXE = REPO / ".ci" / "node" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SERIOUS = ("serious", "critical")
# The module's own exercises: what a learner must be able to reach before axe looks.
READY = ".gs-exercise, .gs-home, .gs-dashboard"

_RUN = """async ([tags, scope]) => {
  const context = scope ? {include: Array.from(document.querySelectorAll(scope))} : document;
  const result = await axe.run(context, {runOnly: {type: 'tag', values: tags},
                                         resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.length, where: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


@dataclass
class Report:
    """Each page's axe violations, in the order the pages were visited."""

    pages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def serious(self) -> dict[str, list[dict[str, Any]]]:
        return {
            name: [v for v in found if v["impact"] in SERIOUS]
            for name, found in self.pages.items()
            if any(v["impact"] in SERIOUS for v in found)
        }

    def table(self) -> str:
        width = max([len(n) for n in self.pages] + [4])
        lines = [f"{'page':<{width}}  serious+critical  moderate+minor"]
        for name, found in self.pages.items():
            bad = sum(1 for v in found if v["impact"] in SERIOUS)
            lines.append(f"{name:<{width}}  {bad:>16}  {len(found) - bad:>14}")
        return "\n".join(lines)


def check(page: Any, name: str, report: Report, scope: str | None = None) -> None:
    """Run axe on ``page`` (only inside ``scope`` when given) and record what it found."""
    if scope is not None:
        assert page.locator(scope).count() > 0, f"{name}: nothing matches {scope}"
    page.add_script_tag(path=str(AXE))
    report.pages[name] = page.evaluate(_RUN, [TAGS, scope])


# -- servers ----------------------------------------------------------------------------------


def _env(home: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GOALSTUDIO_", "JUPYTERHUB", "JUPYTER_TOKEN"))
    }
    env.update(
        HOME=str(home),
        NO_BROWSER="1",
        JUPYTER_RUNTIME_DIR=str(home / "rt"),
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
    )
    return env


@contextmanager
def serve(args: list[str], home: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """Run a ``goalstudio`` command that serves pages; yields the address it printed."""
    home.mkdir(parents=True, exist_ok=True)
    log_path = home / f"{args[0]}.log"
    log = log_path.open("wb")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "goalstudio.cli", *args, "--port", str(port), "--no-browser"],
        env=env or _env(home),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        address = ""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(log_path.read_text(errors="replace")[-3000:])
            found = re.search(rf"(http://127\.0\.0\.1:{port}/\S*)", log_path.read_text())
            if found and not address:
                address = found.group(1).rstrip(".")
            with socket.socket() as sock:
                if address and sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        else:
            raise RuntimeError(f"nothing served on {port}: " + log_path.read_text()[-3000:])
        try:
            yield address
        except Exception as exc:  # a page that failed: the server's side of it, in the report
            exc.add_note(f"{log_path} ends:\n{log_path.read_text(errors='replace')[-4000:]}")
            raise
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


def _base_and_query(address: str) -> tuple[str, str]:
    base = re.match(r"http://127\.0\.0\.1:\d+", address)
    assert base, address
    query = address.split("?", 1)[1] if "?" in address else ""
    return base.group(0), query


# -- the pages --------------------------------------------------------------------------------


def course_files() -> list[str]:
    from goalstudio.courseware.manifest import load_manifest

    manifest = load_manifest()
    return [manifest.home, *(m.file for m in manifest.modules)]


def expected_outputs(notebook: Path) -> int:
    """How many outputs a notebook shows once every cell has run: one per code cell that ends
    in an expression (a widget), none for a cell of imports."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    count = 0
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        lines = [ln for ln in source.splitlines() if ln.strip() and not ln.startswith("#")]
        if lines and not lines[-1].startswith(("from ", "import ")):
            count += 1
    return count


def wait_until_rendered(page: Any, notebook: Path, timeout: float = 180_000) -> None:
    """App mode renders progressively: wait until every cell's output is on the page."""
    page.wait_for_function(
        "(n) => document.querySelectorAll('.jp-OutputArea-output').length >= n",
        arg=expected_outputs(notebook),
        timeout=timeout,
    )


def visit_app_mode(browser: Any, home: Path, report: Report, on_page: Callable[..., None]) -> None:
    with serve(["start", "--app", "--workspace", str(home / "ws")], home / "app") as address:
        base, query = _base_and_query(address)
        for name in course_files():
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{base}/voila/render/{name}?{query}", timeout=180_000)
            page.locator(READY).first.wait_for(timeout=180_000)
            wait_until_rendered(page, home / "ws" / name)
            check(page, f"app: {name}", report)
            on_page(page, name)
            page.close()


def visit_jupyterlab(
    browser: Any, home: Path, report: Report, on_page: Callable[..., None] | None = None
) -> None:
    with serve(["start", "--lab", "--workspace", str(home / "ws")], home / "lab") as address:
        base, query = _base_and_query(address)
        for name in course_files():
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            # "reset": a fresh JupyterLab layout, not the previous module's tab restored.
            page.goto(f"{base}/lab/tree/{name}?reset&{query}", timeout=180_000)
            page.locator(".jp-Notebook").first.wait_for(timeout=180_000)
            page.get_by_text("| Idle").first.wait_for(timeout=180_000)
            if on_page is not None:
                on_page(page, name)  # before the notebook runs: what a learner sees first
            page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
            page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
            page.locator(f".jp-OutputArea-output :is({READY})").first.wait_for(timeout=180_000)
            page.get_by_text("| Idle").first.wait_for(timeout=180_000)
            check(page, f"lab: {name}", report, scope=".jp-OutputArea-output")
            # Close the notebook and its kernel, so the next module starts from a quiet server.
            page.evaluate(
                "async () => { const r = await fetch('/api/sessions', {headers: {Authorization:"
                " 'token ' + new URLSearchParams(location.search).get('token')}});"
                " for (const s of await r.json()) await fetch('/api/sessions/' + s.id,"
                " {method: 'DELETE', headers: {Authorization: 'token ' +"
                " new URLSearchParams(location.search).get('token')}}); }"
            )
            page.close()


def visit_dashboards(browser: Any, home: Path, report: Report) -> None:
    from goalstudio.widgets.dashboards import fill_sample_store
    from tests.browser._chromium import CHARTS_DRAWN, DASHBOARD_CHARTS

    home.mkdir(parents=True, exist_ok=True)
    records = home / "records.sqlite"
    fill_sample_store(f"sqlite:///{records}", learners=12, activities=6, attempts=2, seed=3)
    with serve(["dashboard", "--records", str(records)], home / "dash") as address:
        base, query = _base_and_query(address)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}/?{query}", timeout=120_000)
        page.locator("main").wait_for(timeout=60_000)
        check(page, "dashboards: index", report)
        page.close()
        for name, charts in DASHBOARD_CHARTS.items():
            page = browser.new_page(viewport={"width": 1280, "height": 1200})
            page.goto(f"{base}/voila/render/{name}.ipynb?{query}", timeout=180_000)
            page.locator(".gs-dashboard").first.wait_for(timeout=180_000)
            page.wait_for_function(CHARTS_DRAWN, arg=charts, timeout=120_000)
            check(page, f"dashboard: {name}", report)
            page.close()


def visit_files(browser: Any, folder: Path, report: Report) -> None:
    """The pages the studio writes as files: a scenario preview, a chart-review export and an
    assignment feedback page."""
    from goalstudio._scenarios.preview import write_preview
    from goalstudio.grading import render_feedback
    from goalstudio.scenarios import load
    from goalstudio.widgets import ChartReview
    from tests.test_grading import _graded_notebook

    folder.mkdir(parents=True, exist_ok=True)
    preview = folder / "preview.html"
    write_preview(load("bernie-cmht-allotment"), preview)
    chart = ChartReview(
        "bernie-cmht-allotment", learner="Robin", store_url=f"sqlite:///{folder / 'r.sqlite'}"
    )
    chart.load_scenario_plan()
    chart.suggest()
    chart.export(folder / "chart-review.html")
    (folder / "feedback.html").write_text(
        render_feedback(
            _graded_notebook("a check's own code never shows"),
            learner="Robin",
            assignment="02-rewrite-the-plan",
            grades={
                "outcomes": {"score": 1, "max_score": 2},
                "roles": {"score": 0, "max_score": 2},
            },
            comments={"outcomes": "A good start: the goal is in Bernie's words."},
            score=1,
            max_score=4,
        ),
        encoding="utf-8",
    )
    for name in ("preview.html", "chart-review.html", "feedback.html"):
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto((folder / name).as_uri())
        check(page, f"file: {name}", report)
        page.close()


def walk(
    browser: Any,
    home: Path,
    on_app_page: Callable[..., None] | None = None,
    on_lab_page: Callable[..., None] | None = None,
) -> Report:
    """Every page, once; ``on_app_page(page, name)`` runs on each app-mode page after axe,
    ``on_lab_page(page, name)`` on each JupyterLab module before it runs."""
    report = Report()
    visit_files(browser, home / "files", report)
    visit_app_mode(browser, home, report, on_app_page or (lambda _page, _name: None))
    visit_dashboards(browser, home / "dashboards", report)
    visit_jupyterlab(browser, home, report, on_lab_page)
    return report


def to_json(report: Report) -> str:
    return json.dumps(report.pages, indent=1)
