"""The exercises in a real browser: Voilà serves notebooks, headless Chromium drives them.

Screenshots go to docs/img/ (they are part of the documentation and are refreshed by this
test). Skipped, with the reason, when Debian's Chromium is not installed at /usr/bin/chromium.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

from goalstudio.records import RecordStore
from goalstudio.scenarios import load
from tests.browser._chromium import CHROMIUM
from tests.conftest import REPO, free_port, stop

# Screenshots refresh docs/img/ only when asked (GOALSTUDIO_UPDATE_SCREENSHOTS=1), so an
# ordinary test run never changes files in the repository.
UPDATE_IMAGES = os.environ.get("GOALSTUDIO_UPDATE_SCREENSHOTS", "") == "1"
IMAGES = REPO / "docs" / "img"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("widgets-browser"),  # one Voilà server for the whole module
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian Chromium is not at /usr/bin/chromium"),
]

NOTEBOOKS = {
    "plan": ["from goalstudio.widgets import PlanRewriter\nPlanRewriter('bernie-cmht-allotment')"],
    "risk": [
        "from goalstudio.widgets import RiskConversation\nRiskConversation('bernie-cmht-allotment')"
    ],
    # One kernel for the rest keeps the test quick; each exercise is its own cell.
    "others": [
        "from goalstudio.widgets import *",
        "LanguageSpotter('javi-oud-taper')",
        "ChartReview('bernie-cmht-allotment')",
        "ExchangeMap('bernie-cmht-allotment')",
        "GoalDiscovery('javi-oud-taper')",
        "SelfRating('pre')",
    ],
}
ORDER = ["spotter", "chart", "exchange", "discovery", "rating"]  # exercises in "others"


def _write_notebooks(folder: Path) -> None:
    for name, cells in NOTEBOOKS.items():
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(code) for code in cells]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
        nbformat.write(nb, folder / f"{name}.ipynb")


def _wait_for_port(port: int, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"Voilà stopped with exit code {proc.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    pytest.fail(f"Voilà did not listen on port {port} within {timeout} s")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    folder = tmp_path_factory.mktemp("voila")
    _write_notebooks(folder)
    url = f"sqlite:///{folder / 'records.sqlite'}"
    env = dict(os.environ, GOALSTUDIO_RECORDS_URL=url, JUPYTERHUB_USER="browser-learner")
    port = free_port()
    log = (folder / "voila.log").open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "voila",
            str(folder),
            "--no-browser",
            f"--port={port}",
            "--Voila.ip=127.0.0.1",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=folder,
    )
    try:
        _wait_for_port(port, proc)
        yield f"http://127.0.0.1:{port}", url
    finally:
        stop(proc, grace=15)
        log.close()


def _open(browser, server, name: str, height: int = 1400):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1280, "height": height})
    page.goto(f"{server[0]}/voila/render/{name}.ipynb")
    page.wait_for_selector(".gs-exercise", timeout=90_000)
    return page


def _shot(page, name: str, index: int = 0) -> Path:  # type: ignore[no-untyped-def]
    """The whole exercise. Chromium paints only what fits the viewport, so grow it first."""
    folder = IMAGES if UPDATE_IMAGES else Path(os.environ.get("TMPDIR", "/tmp"))
    folder.mkdir(parents=True, exist_ok=True)
    exercise = page.locator(".gs-exercise").nth(index)
    exercise.scroll_into_view_if_needed()
    box = exercise.bounding_box()
    assert box is not None
    page.set_viewport_size({"width": 1280, "height": int(box["height"]) + 80})
    exercise.scroll_into_view_if_needed()
    page.wait_for_timeout(200)
    path = folder / f"{name}.png"
    exercise.screenshot(path=str(path))
    assert path.stat().st_size > 5_000
    return path


def test_typing_in_the_plan_rewriter_updates_the_chips(browser, server) -> None:  # type: ignore[no-untyped-def]
    page = _open(browser, server, "plan")
    chips = page.locator(".gs-chip")
    chips.first.wait_for()
    before = chips.all_inner_texts()
    assert len(before) == 5 and any("Not met yet" in c for c in before)
    _shot(page, "plan-rewriter-before")
    editor = page.get_by_label("Your plan text")
    editor.fill(load("bernie-cmht-allotment").model_rewrite[:-1])
    editor.press_sequentially("\n", delay=20)  # the last keystroke, typed
    page.wait_for_function(
        "() => [...document.querySelectorAll('.gs-chip')].every(c => c.innerText.endsWith(': Met'))",
        timeout=10_000,
    )
    assert all(t.endswith(": Met") for t in chips.all_inner_texts())
    _shot(page, "plan-rewriter-after")
    # The page is reloaded (Voilà starts a new kernel): the autosaved draft comes back.
    page.wait_for_timeout(1500)  # the autosave runs about a second after typing stops
    page.reload()
    page.wait_for_selector(".gs-exercise", timeout=90_000)
    page.get_by_text("Welcome back").wait_for(timeout=10_000)
    restored = page.get_by_label("Your plan text").input_value()
    assert restored == load("bernie-cmht-allotment").model_rewrite[:-1] + "\n"
    page.close()


def test_risk_conversation_plays_to_an_ending(browser, server) -> None:  # type: ignore[no-untyped-def]
    page = _open(browser, server, "risk")
    scenario = load("bernie-cmht-allotment")
    node = scenario.conversation.node(scenario.conversation.start)
    # The opening takes a reply in the learner's own words: type it and say it.
    assert node.free_text
    page.get_by_label("Your own words").fill(
        "Your own tablets, on your terms. How would it feel to have them back?"
    )
    page.get_by_role("button", name="Say my own words").click()
    node = scenario.conversation.node(node.choices[0].next)  # where a good reply leads
    page.get_by_text("You, in your own words:").wait_for(timeout=10_000)
    page.wait_for_function(
        "(says) => document.querySelector('.gs-exercise').innerText.includes(says)",
        arg=node.says.strip()[:40],
        timeout=10_000,
    )
    steps = 0
    while node.ending is None and steps < 20:
        good = next(i for i, c in enumerate(node.choices) if c.quality == "good")
        page.get_by_label(f"{good + 1}. {node.choices[good].reply}", exact=False).first.check()
        page.get_by_role("button", name="Say this reply").click()
        node = scenario.conversation.node(node.choices[good].next)
        page.wait_for_function(
            "(says) => document.querySelector('.gs-exercise').innerText.includes(says)",
            arg=node.says.strip()[:40],
            timeout=30_000,
        )
        steps += 1
    assert node.ending is not None
    page.get_by_text(f"Ending: {node.ending.title}").wait_for(timeout=10_000)
    assert "Trust: " in page.locator(".gs-meter").inner_text()
    _shot(page, "risk-conversation-ending")
    with RecordStore(server[1]) as store:
        events = store.get_events("browser-learner", "risk-conversation")
    assert [e.kind for e in events][-1] == "completed"
    page.close()


def test_the_other_exercises_work_in_the_page(browser, server) -> None:  # type: ignore[no-untyped-def]
    page = _open(browser, server, "others")
    exercises = page.locator(".gs-exercise")
    exercises.nth(len(ORDER) - 1).wait_for(timeout=90_000)
    for n in range(len(ORDER)):
        text = exercises.nth(n).inner_text()
        assert "Traceback" not in text and "went wrong" not in text
    assert page.locator(".gs-error").count() == 0
    spotter, chart = exercises.nth(0), exercises.nth(1)
    spotter.get_by_role("button", name="Client", exact=True).first.click()
    spotter.get_by_role("button", name="Show what the studio finds").click()
    spotter.get_by_text("You found").wait_for(timeout=10_000)
    assert "Missed:" in spotter.inner_text()
    chart.get_by_role("button", name="Load the case study's plan").click()
    chart.get_by_role("button", name="Suggest answers").click()
    chart.get_by_text("Suggested:").first.wait_for(timeout=10_000)
    assert chart.get_by_text("Suggested:").count() == 11
    exchange, discovery = exercises.nth(2), exercises.nth(3)
    # The map's own choices, not the case picker's (hidden until a learner asks for it).
    exchange.locator(".gs-card select").first.select_option(label="Agree")
    shared = exchange.locator(".gs-shared-with").first
    shared.get_by_label("Family or carer").check()
    shared.get_by_label("The practitioner").check()
    exchange.get_by_role("button", name="Check my map").click()
    exchange.get_by_text("Each agreement says who shares it").wait_for(timeout=10_000)
    for _ in range(2):
        discovery.get_by_role("button", name="Ask the next question").click()
    discovery.get_by_text("A less helpful question").wait_for(timeout=10_000)
    assert "Coach:" in discovery.inner_text()
    for n, name in enumerate(ORDER):
        _shot(page, name, n)
    page.close()
