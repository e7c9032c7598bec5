"""The facilitator dashboards in a real browser: `goalstudio dashboard` serves them with Voilà and
headless Chromium opens each one.

One server for the module (each Voilà start costs seconds): the served records file is swapped
between the stores under test (empty, small, XSS payloads, 500 learners). Screenshots go to
docs/img/dashboard-*.png. Skipped, with the reason, when /usr/bin/chromium is missing.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from goalstudio.records import RecordStore
from goalstudio.rubric import review
from goalstudio.widgets.dashboards import fill_sample_store
from tests.browser._chromium import CHARTS_DRAWN, CHROMIUM, DASHBOARD_CHARTS
from tests.conftest import REPO, free_port, stop

# Screenshots refresh docs/img only when asked, so an ordinary test run never changes the repository.
IMAGES = (
    REPO / "docs" / "img"
    if os.environ.get("GOALSTUDIO_UPDATE_SCREENSHOTS", "") == "1"
    else Path(tempfile.gettempdir()) / "goalstudio-screenshots"
)
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian Chromium is not at /usr/bin/chromium"),
]

DATA_DASHBOARDS = [name for name in DASHBOARD_CHARTS if name != "06-scenario-explorer"]
SMALL = {"learners": 12, "activities": 6, "attempts": 2, "seed": 3}
GROUPS = {"Amina": "North team", "Ben": "North team", "Chloe": "South team"}

XSS = [
    "<script>window.__xss = 1; alert('name')</script>",
    '<img src=x onerror="window.__xss = 2; alert(2)">',
    "javascript:alert(3)",
    '<svg onload="window.__xss = 4; alert(4)"></svg>',
    '" onmouseover="alert(5)" data-x="',
    "&lt;b&gt;entity&lt;/b&gt; &amp; &#60;i&#62;",
    "L" * 3000 + "<b id=xss-long>long</b>",
]
VERDICTS = ("met", "partly", "not_met")
XSS_PLAN = (
    'Goal: "<script>window.__xss = 6; alert(6)</script>" (Sam)\n'
    '  Objective: <img src=x onerror="alert(7)"> goes to the choir by June.\n'
    '    - Sam: <a href="javascript:alert(8)">chooses</a> the rehearsals\n'
)

# The token `goalstudio dashboard` requires (given in JUPYTER_TOKEN, as a person may).
TOKEN = "dashboard-browser-test-token"


# Voilà's log line once it listens (so a connection is to it, not to another process on the port),
# and what the studio or Voilà says when the port was taken between free_port() and the start
# (other tests' kernels pick ports the same way).
LISTENING = "Voilà is running at"
PORT_TAKEN = ("is in use", "is already in use")


def _log_tail(log: Path) -> str:
    return log.read_text(encoding="utf-8", errors="replace")[-3000:]


def _wait_for_port(
    port: int, proc: subprocess.Popen[bytes], log: Path, timeout: float = 90
) -> bool:
    """True once this Voilà listens on ``port``; False if the port was taken first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            if any(m in log.read_text(encoding="utf-8", errors="replace") for m in PORT_TAKEN):
                return False
            pytest.fail(
                f"goalstudio dashboard stopped with exit code {proc.returncode}:\n{_log_tail(log)}"
            )
        if LISTENING in log.read_text(encoding="utf-8", errors="replace"):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    return True
        time.sleep(0.2)
    pytest.fail(f"Voilà did not listen on port {port} within {timeout} s:\n{_log_tail(log)}")


def _wait_for_pools(log: Path, proc: subprocess.Popen[bytes], timeout: float = 180) -> None:
    """Preheated kernels: wait until every dashboard has its kernel ready (2 cores are slow)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log.read_text(encoding="utf-8", errors="replace")
        filled = {n for n in DASHBOARD_CHARTS if f"Kernel pool of {n}.ipynb is filled" in text}
        if len(filled) == len(DASHBOARD_CHARTS):
            return
        if proc.poll() is not None:
            pytest.fail(
                f"goalstudio dashboard stopped with exit code {proc.returncode}:\n{_log_tail(log)}"
            )
        time.sleep(0.5)
    pytest.fail(f"the dashboards' kernels were not ready within {timeout} s:\n{_log_tail(log)}")


class Served:
    """The served records file, and the prepared stores that can be swapped into it."""

    def __init__(self, folder: Path, base: str) -> None:
        self.folder = folder
        self.base = base
        self.path = folder / "served.sqlite"
        self.url = f"sqlite:///{self.path}"

    def use(self, prepared: Path | None) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        if prepared is None:
            with RecordStore(self.url):
                pass  # a new, empty store
        else:
            shutil.copyfile(prepared, self.path)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("dashboards")
    roster = folder / "roster.csv"
    roster.write_text(
        "learner,group\n" + "".join(f"{k},{v}\n" for k, v in GROUPS.items()), encoding="utf-8"
    )
    served = Served(folder, "")
    served.use(None)
    log_path = folder / "voila.log"
    env = dict(os.environ, NO_BROWSER="1", JUPYTER_TOKEN=TOKEN)  # every request needs it
    env.pop("GOALSTUDIO_GRADEBOOK", None)
    code = "import sys; from goalstudio.cli import main; sys.exit(main())"
    for _attempt in range(3):  # a port taken before Voilà binds it: start again on another
        port = free_port()
        with log_path.open("wb") as log:
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    code,
                    "dashboard",
                    "--records",
                    served.url,
                    "--roster",
                    str(roster),
                    "--port",
                    str(port),
                    "--no-browser",
                ],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=folder,
            )
        try:
            if _wait_for_port(port, proc, log_path):
                break
        except BaseException:
            proc.kill()
            raise
    else:
        pytest.fail(
            f"three free ports were taken before Voilà could listen:\n{_log_tail(log_path)}"
        )
    served.base = f"http://127.0.0.1:{port}"
    try:
        _wait_for_pools(log_path, proc)
        yield served
    finally:
        stop(proc, grace=20)


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("small") / "small.sqlite"
    fill_sample_store(f"sqlite:///{path}", **SMALL)
    return path


class Page:
    """A dashboard page with everything it requested, logged to the console or popped up."""

    def __init__(self, browser: Any, served: Served, name: str, height: int = 1200) -> None:
        self.page = browser.new_page(viewport={"width": 1280, "height": height})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

        def dialog(d: Any) -> None:
            self.dialogs.append(d.message)
            d.dismiss()

        self.page.on("dialog", dialog)
        self.page.goto(f"{served.base}/voila/render/{name}.ipynb?token={TOKEN}", timeout=120_000)
        self.page.wait_for_selector(".gs-dashboard", timeout=90_000)

    def charts(self, count: int, timeout: float = 60_000) -> None:
        self.page.wait_for_function(
            CHARTS_DRAWN,
            arg=count,
            timeout=timeout,
        )

    def text(self) -> str:
        return str(self.page.locator(".gs-dashboard").first.inner_text())

    def off_loopback(self) -> list[str]:
        return [
            u
            for u in self.requests
            if urlparse(u).scheme in ("http", "https", "ws", "wss")
            and urlparse(u).hostname not in ("127.0.0.1", "localhost")
        ]

    def shot(self, name: str) -> None:
        IMAGES.mkdir(parents=True, exist_ok=True)
        board = self.page.locator(".gs-dashboard").first
        box = board.bounding_box()
        assert box is not None
        self.page.set_viewport_size(
            {"width": 1280, "height": min(int(box["y"] + box["height"]) + 40, 6000)}
        )
        self.page.wait_for_timeout(400)
        board.screenshot(path=str(IMAGES / f"dashboard-{name}.png"))

    def close(self) -> None:
        self.page.close()


def test_empty_store_shows_a_friendly_message_on_every_dashboard(browser, served) -> None:  # type: ignore[no-untyped-def]
    served.use(None)
    for name in DATA_DASHBOARDS:  # the scenario explorer does not read the store
        page = Page(browser, served, name)
        page.page.get_by_text("No data yet").first.wait_for(timeout=60_000)
        assert page.page.locator(".js-plotly-plot").count() == 0
        text = page.text()
        assert "Traceback" not in text and "Error" not in text
        assert page.errors == [], page.errors
        assert page.off_loopback() == []
        if name == "01-workshop-board":
            page.shot("empty")
        page.close()


def _check_workshop_board(page: Page, served: Served) -> None:
    assert "Amina" in page.text()
    # A plan is open below the cards when the facilitator ticks the box (issue 16, trap 5).
    card = page.page.locator(".gs-card", has=page.page.get_by_role("button")).first
    author = card.locator(".gs-who").inner_text()
    card.get_by_role("button", name="Open plan and review").click()
    panel = page.page.get_by_role("region", name="Plan and review")
    panel.get_by_role("heading", name=f"{author}: ", exact=False).wait_for(timeout=10_000)
    page.page.get_by_label("Anonymise for projection").check()
    page.page.wait_for_function(
        "() => !document.querySelector('.gs-dashboard').innerText.includes('Amina')",
        timeout=20_000,
    )
    text = page.text()
    assert "Learner 1" in text
    assert not any(n in text for n in ("Amina", "Ben", "Chloe", "Liam"))
    heading = panel.get_by_role("heading").first.inner_text()
    assert heading.startswith("Learner ") and author not in heading
    # Tooltips and charts too: nothing on the page names a learner.
    html = page.page.locator(".gs-dashboard").first.inner_html()
    assert not any(n in html for n in ("Amina", "Chloe")), "a name in the markup"
    page.charts(1)
    assert "Amina" not in page.page.locator(".js-plotly-plot").first.inner_html()
    page.shot("anonymised-panel")
    page.page.get_by_label("Anonymise for projection").uncheck()
    page.page.get_by_text("Amina").first.wait_for(timeout=20_000)
    # A learner submits while the board is open: the card arrives on the next automatic refresh.
    # Her review is the rubric's own: the board checks each review against the plan text.
    nia_plan = 'Goal: "I want to swim again." (Nia)'
    with RecordStore(served.url) as store:
        store.add_attempt(
            "Newcomer Nia",
            "m9-rewrite-live",
            nia_plan,
            review(nia_plan).to_dict(),
            scenario="live-session",
            module="9",
        )
    # The card arrives by the board's own refresh: the page is not reloaded.
    page.page.locator(".gs-card", has_text="Newcomer Nia").first.wait_for(timeout=20_000)
    card = page.page.locator(".gs-card", has_text="Newcomer Nia").first
    assert "Outcomes: Met" in card.inner_text() and "Roles: Not met yet" in card.inner_text()
    card.get_by_role("button", name="Open plan and review").click()
    page.page.get_by_text("I want to swim again.").first.wait_for(timeout=10_000)


def test_the_landing_page_lists_the_dashboards_by_title(browser, served) -> None:  # type: ignore[no-untyped-def]
    from goalstudio.widgets.dashboards._index import MODEL_ANSWERS_MARK, PAGES

    page = browser.new_page(viewport={"width": 1000, "height": 900})
    page.goto(f"{served.base}/?token={TOKEN}", timeout=60_000)  # every page needs the token
    page.get_by_role("heading", name="Facilitator dashboards").wait_for(timeout=30_000)
    links = page.get_by_role("link").all_inner_texts()
    assert links == [p.title for p in PAGES]
    assert ".ipynb" not in page.locator("main").inner_text()
    marked = page.locator("li", has_text=MODEL_ANSWERS_MARK)
    assert marked.count() == 1 and "Scenario explorer" in marked.inner_text()
    IMAGES.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(IMAGES / "dashboards-index.png"), full_page=True)
    page.get_by_role("link", name=PAGES[0].title).focus()  # reachable by keyboard
    page.close()


def _check_cohort_filters(page: Page) -> None:
    assert "Liam" in page.page.locator(".js-plotly-plot").first.inner_html()
    page.page.get_by_label("Group").select_option("South team")
    page.page.wait_for_function(
        "() => { const p = document.querySelector('.js-plotly-plot');"
        " return p && !p.innerHTML.includes('Liam') && p.innerHTML.includes('Chloe'); }",
        timeout=20_000,
    )
    page.page.get_by_label("From").fill("2099-01-01")
    page.page.get_by_label("From").press("Enter")
    page.page.get_by_text("No activity matches these filters").wait_for(timeout=20_000)


def test_small_store_every_dashboard_draws_its_charts_offline(browser, served, small_store) -> None:  # type: ignore[no-untyped-def]
    served.use(small_store)
    for name, charts in DASHBOARD_CHARTS.items():
        page = Page(browser, served, name)
        page.charts(charts)
        assert "No data yet" not in page.text()
        # The template's chart script draws every chart but the Sankey diagram (which needs the
        # whole of plotly.js, so plotly's renderer draws it, with a still image marked decorative).
        scripted = page.page.locator(".gs-plot.js-plotly-plot").count()
        # The page began loading its notebook's bundle before any chart arrived.
        metadata = json.loads((REPO / "course" / "facilitator" / f"{name}.ipynb").read_text())
        bundle = metadata["metadata"].get("goalstudio", {}).get("plotly_bundle")
        early = page.page.evaluate(
            "[...document.scripts].map(s => s.textContent)"
            ".filter(t => t.startsWith('goalstudioCharts.load('))"
        )
        assert early == ([] if bundle is None else [f'goalstudioCharts.load("{bundle}");']), name
        if name == "06-scenario-explorer":
            assert scripted == 0
            page.page.wait_for_selector("img.plot-img", state="attached")
            assert page.page.locator("img.plot-img:not([alt=''])").count() == 0
        else:
            assert scripted == charts, name
        page.shot(name.split("-", 1)[1])
        if name == "01-workshop-board":
            _check_workshop_board(page, served)
        if name == "02-cohort-progress":
            _check_cohort_filters(page)
        assert page.errors == [], f"{name}: {page.errors}"
        assert page.off_loopback() == [], f"{name} requested {page.off_loopback()}"
        assert any("/voila/render/" in u for u in page.requests)
        page.close()
        if name == "01-workshop-board":
            served.use(small_store)  # the other screenshots without the board's newcomer


def _xss_store(folder: Path) -> Path:
    path = folder / "xss.sqlite"
    with RecordStore(f"sqlite:///{path}") as store:
        for i, payload in enumerate(XSS):
            learner = payload[:200]
            store.add_event(learner, f"act-{i}", "started", scenario=payload[:200], module="1")
            store.save_draft(learner, f"act-{i}", XSS_PLAN + payload, scenario=payload[:200])
            store.add_attempt(
                learner,
                f"act-{i}",
                XSS_PLAN + payload,
                {
                    "verdicts": {  # a different score for each learner, so each dot can be hovered
                        "outcomes": {"verdict": VERDICTS[i % 3]},
                        "own_words": VERDICTS[(i // 3) % 3],
                    },
                    "findings": [{"criterion": "outcomes", "message": payload}],
                    "language": [
                        {
                            "rule": "language.client",
                            "criterion": "language",
                            "quote": payload[:150],
                            "message": payload,
                        }
                    ],
                },
                scenario=payload[:200],
                module=payload[:200],
            )
            store.add_self_rating(learner, "pre", "A", 1 + i % 5)  # apart, to hover each
            store.add_self_rating(learner, "post", "A", 1 + (i + 3) % 5)
    # Hostile text inside the reviews too (finding messages, quotes): marked as already checked,
    # so the dashboards keep these reviews as they are and their escaping is tested.
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO review_checks (attempt_id, outcome, checked_at, submitted_review) "
            "SELECT id, 'confirmed', '', '' FROM attempts"
        )
    # `with` only commits: close, so the rows leave the write-ahead log for the file itself,
    # which is what the test copies into the served store.
    conn.close()
    return path


def test_learner_text_is_shown_literally_never_run(browser, served, tmp_path) -> None:  # type: ignore[no-untyped-def]
    served.use(_xss_store(tmp_path))
    for name in DATA_DASHBOARDS:
        page = Page(browser, served, name)
        page.charts(1)
        if name == "01-workshop-board":
            for button in page.page.get_by_role("button", name="Open plan and review").all()[:3]:
                button.click()
                page.page.wait_for_timeout(300)
            page.page.get_by_text("chooses</a> the rehearsals", exact=False).first.wait_for(
                timeout=10_000
            )
        if name == "02-cohort-progress":
            page.page.get_by_label("Anonymise for projection").check()
            page.page.wait_for_timeout(500)
            page.page.get_by_label("Anonymise for projection").uncheck()
            page.page.wait_for_timeout(500)
        page.page.wait_for_timeout(500)
        injected = page.page.evaluate(
            """() => ({
                flag: window.__xss || 0,
                img: document.querySelectorAll('img[src="x"]').length,
                svg: document.querySelectorAll('svg[onload]').length,
                long: document.querySelectorAll('#xss-long').length,
                hover: document.querySelectorAll('[onmouseover]').length,
                js: [...document.querySelectorAll('a[href]')].filter(a => a.href.startsWith('javascript:')).length,
                // The studio's own chart calls carry learner text as JSON data, with every < > &
                // escaped; any other script holding the payload was injected.
                scripts: [...document.querySelectorAll('script')].filter(s => s.textContent.includes('__xss')
                    && !s.textContent.startsWith('goalstudioCharts.draw(document.currentScript, ')).length,
                raw: [...document.querySelectorAll('script')].filter(s => s.textContent.startsWith('goalstudioCharts.draw(')
                    && /[<>&]/.test(s.textContent)).length,
            })"""
        )
        assert injected == {
            "flag": 0,
            "img": 0,
            "svg": 0,
            "long": 0,
            "hover": 0,
            "js": 0,
            "scripts": 0,
            "raw": 0,
        }, (name, injected)
        assert page.dialogs == [], (name, page.dialogs)
        text = page.text()
        if name == "03-competence-gap":  # names appear only in the hover labels
            hovers = []
            for point in page.page.locator(".scatterlayer .points path").all():
                point.hover(force=True)
                page.page.wait_for_timeout(150)
                hovers.append(page.page.locator(".hoverlayer").first.text_content() or "")
            assert any("<script>window.__xss = 1; alert('name')</script>" in h for h in hovers)
            assert any("&lt;b&gt;entity&lt;/b&gt;" in h for h in hovers)
            assert page.page.evaluate("() => window.__xss || 0") == 0
        elif name == "04-language-board":
            assert (
                "<script>window.__xss = 1; alert('name')</script>".casefold()[:150]
                in text.casefold()
            )
        elif name == "05-rubric-profile":  # learner text (case study keys) only in the menu
            options = " ".join(page.page.locator("select option").all_inner_texts())
            options = options.replace("\xa0", " ")  # ipywidgets shows spaces as no-break
            assert "<script>window.__xss = 1; alert('name')</script>" in options
            assert "&lt;b&gt;entity&lt;/b&gt; &amp; &#60;i&#62;" in options
        else:
            assert "<script>window.__xss = 1; alert('name')</script>" in text, name
            assert "&lt;b&gt;entity&lt;/b&gt; &amp; &#60;i&#62;" in text, name
        assert page.errors == [], (name, page.errors)
        page.close()


def test_a_500_learner_store_renders_every_dashboard(browser, served, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "large.sqlite"
    fill_sample_store(f"sqlite:///{path}", learners=500, activities=8, attempts=2, seed=5)
    served.use(path)
    for name in DATA_DASHBOARDS:
        page = Page(browser, served, name)
        page.charts(DASHBOARD_CHARTS[name], timeout=90_000)
        assert page.errors == [], (name, page.errors)
        if name == "01-workshop-board":
            assert "Who is working on what (500 learners)" in page.text()
            page.shot("workshop-board-500")
        if name in ("02-cohort-progress", "03-competence-gap"):
            # too many learners for a mark each: the charts show the whole group
            assert "500 learners: more than 60" in page.text(), name
            page.shot(name.split("-", 1)[1] + "-500")
        page.close()


def test_the_audit_rounds_page_shows_rounds_over_time_and_how_to_start(
    browser, served, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from tests._audit_support import date_rounds, write_rounds
    from tests.browser._a11y import AXE, Report, check

    name = "07-audit-rounds"
    served.use(None)
    page = Page(browser, served, name)
    page.page.get_by_text("No data yet").first.wait_for(timeout=60_000)
    assert "goalstudio audit run FOLDER --round baseline" in page.text()
    assert page.page.locator(".js-plotly-plot").count() == 0
    page.close()

    path = tmp_path / "audit.sqlite"
    write_rounds(tmp_path, f"sqlite:///{path}")
    date_rounds(path)
    served.use(path)
    page = Page(browser, served, name)
    page.charts(3)
    # Each chart is drawn once by the template's chart script, named for assistive technology,
    # with no still image beside it (plotly's own renderer makes one).
    assert page.page.locator('.gs-plot[role="figure"][aria-label]').count() == 3
    assert page.page.locator("img.plot-img").count() == 0
    text = page.text()
    for expected in (
        "3 rounds, oldest first",
        "2026-02-02",
        "From baseline to mid-course",
        "From mid-course to follow-up",
        "Better",
    ):
        assert expected in text, expected
    # Usable from the keyboard: Refresh is reached by Tab and pressed with Enter.
    refresh = page.page.get_by_role("button", name="Refresh")
    refresh.focus()
    assert page.page.evaluate("() => document.activeElement.textContent.trim()") == "Refresh"
    page.page.keyboard.press("Enter")
    page.page.get_by_text("Read from").first.wait_for(timeout=20_000)
    if AXE.is_file() or os.environ.get("CI"):  # .ci/run installs axe-core from npm
        report = Report()
        check(page.page, "dashboard: audit rounds", report)  # axe: labels, contrast, tables
        assert report.serious() == {}, report.pages
    assert page.errors == [], page.errors
    assert page.off_loopback() == []
    page.shot("audit-rounds")
    page.close()
