"""Every page a user sees, once, with axe-core (WCAG 2.2 AA): no serious or critical violation.

One walk (tests/browser/_a11y.py) opens the course home and every module in app mode and in
JupyterLab, the dashboards' landing page and every dashboard, a scenario preview, a chart-review
export and a feedback page. On the way, in app mode, it checks keyboard-only use of the plan
rewriter, the risk conversation and a concept check (every control reached by Tab, in page
order, each with a visible focus ring), and that the live review speaks through one polite live
region, once the review settles, not on every keystroke.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

from tests.browser import _a11y
from tests.browser._chromium import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.xdist_group("accessibility-browser"),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian Chromium is not at /usr/bin/chromium"),
]

# The module's own exercises, without the concept checks placed between them.
EXERCISE = ".gs-exercise:not(:has(.gs-check-question))"
CHECK = ".gs-exercise:has(.gs-check-question)"

# Marks each visible control in an exercise with its page order; returns how many.
_MARK = """(root) => {
  const sel = 'button:not([disabled]), textarea:not([disabled]), select:not([disabled]),'
    + ' input:not([type=hidden]):not([disabled]), [tabindex="0"], summary, a[href]';
  const groups = new Map();
  let n = 0;
  for (const el of root.querySelectorAll(sel)) {
    if (!el.offsetParent) continue;            // not shown (another tab, a collapsed part)
    if (el.type === 'radio') {                 // a group of radio buttons counts as one control
      const group = el.closest('.widget-radio-box') || el.parentElement;
      if (groups.has(group)) { el.dataset.kb = String(groups.get(group)); continue; }
      groups.set(group, n);
    }
    el.dataset.kb = String(n++);
  }
  return n;
}"""
# The focused control's mark, and whether its focus can be seen (an outline or a ring).
_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el.dataset.kb === undefined) return null;
  const s = getComputedStyle(el);
  const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
    || (s.boxShadow && s.boxShadow !== 'none');
  return {kb: Number(el.dataset.kb), visible: ring};
}"""


def keyboard_reaches_every_control(page: Any, exercise: Any, what: str) -> None:
    count = exercise.evaluate(_MARK)
    assert count > 0, f"{what}: no controls"
    exercise.locator("[data-kb='0']").first.focus()
    reached: list[int] = []
    unseen_focus: list[int] = []
    for _ in range(count * 3 + 10):
        focused = page.evaluate(_FOCUSED)
        if focused is not None:
            if not reached or reached[-1] != focused["kb"]:
                reached.append(focused["kb"])
            if not focused["visible"]:
                unseen_focus.append(focused["kb"])
        if len(set(reached)) == count:
            break
        page.keyboard.press("Tab")
    assert sorted(set(reached)) == list(range(count)), f"{what}: Tab reached {reached} of {count}"
    assert reached == sorted(reached), f"{what}: Tab order {reached} is not the page order"
    assert not unseen_focus, f"{what}: no visible focus on controls {unseen_focus}"


def live_review_speaks_once_settled(page: Any, rewriter: Any) -> None:
    live = rewriter.locator("[aria-live]")
    editor = rewriter.get_by_label("Your plan text")
    editor.focus()
    page.keyboard.press("End")
    page.keyboard.type(" Goal: I want to grow my own food again. (Bernie)", delay=60)
    # While typing, nothing is announced; the summary comes once the review has settled.
    assert live.count() == 0 or "Live review" not in live.first.inner_text()
    live.first.wait_for(state="attached", timeout=10_000)
    page.wait_for_function(
        "() => [...document.querySelectorAll('[aria-live]')]"
        ".some(e => e.textContent.startsWith('Live review:'))",
        timeout=10_000,
    )
    assert live.count() == 1, "one live region for the review, not one per panel"
    assert live.first.get_attribute("aria-live") == "polite"
    said = live.first.inner_text()
    assert " criteria met" in said or "cannot be read yet" in said
    # The chips and findings change with every pause in typing: they are not live regions.
    assert rewriter.locator(".gs-chip[aria-live], [role=status] .gs-chip").count() == 0


def closed_page_stops_its_kernel(page: Any) -> None:
    """App mode: Voilà's close-page beacon gets through (the studio's template sets the XSRF
    cookie it needs), so a closed page's kernel stops at once, not at the idle cull."""
    import urllib.error
    import urllib.parse
    import urllib.request

    kernel = page.evaluate(
        "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
    )
    url = urllib.parse.urlsplit(page.url)
    token = urllib.parse.parse_qs(url.query)["token"][0]
    api = f"{url.scheme}://{url.netloc}/api/kernels/{kernel}?token={token}"
    with urllib.request.urlopen(api, timeout=10) as response:
        assert response.status == 200  # running while the page is open
    page.goto("about:blank")  # the learner leaves the page: Voilà's beacon goes out
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(api, timeout=10):
                time.sleep(0.5)
        except urllib.error.HTTPError as exc:
            assert exc.code == 404
            return
    pytest.fail("the closed page's kernel was still running 20 s later")


def lab_shows_how_to_run(page: Any, name: str) -> None:
    """JupyterLab, before anything runs: where each exercise will appear, the hidden cell's one
    visible line says how to show it."""
    if name == "home.ipynb" or not name[:2].isdigit():
        return
    text = page.locator(".jp-Notebook").first.inner_text()
    assert "Run > Run All Cells" in text, f"{name}: no hint where the exercises appear"
    # No "get notified about official Jupyter news?" pop-up (the studio's settings answer it).
    assert page.get_by_text("Jupyter news").count() == 0


def _on_app_page(page: Any, name: str) -> None:
    if name.startswith("03-"):
        rewriter = page.locator(EXERCISE, has=page.get_by_label("Your plan text")).first
        keyboard_reaches_every_control(page, rewriter, "plan rewriter")
        live_review_speaks_once_settled(page, rewriter)
    if name.startswith("06-"):
        conversation = page.locator(EXERCISE, has_text="conversation").first
        keyboard_reaches_every_control(page, conversation, "risk conversation")
    if name.startswith("00-") and page.locator(CHECK).count():
        keyboard_reaches_every_control(page, page.locator(CHECK).first, "concept check")
    if name == "home.ipynb":
        closed_page_stops_its_kernel(page)


def test_every_page_has_no_serious_accessibility_violations(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    if not _a11y.AXE.is_file():
        message = f"axe-core is not installed at {_a11y.AXE} (.ci/run installs it from npm)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    report = _a11y.walk(
        browser, tmp_path, on_app_page=_on_app_page, on_lab_page=lab_shows_how_to_run
    )
    print("\n" + report.table())
    expected = {f"app: {f}" for f in _a11y.course_files()} | {
        f"lab: {f}" for f in _a11y.course_files()
    }
    assert expected <= set(report.pages), "every module in app mode and in JupyterLab"
    assert "dashboards: index" in report.pages and "file: feedback.html" in report.pages
    assert report.serious() == {}, report.serious()
