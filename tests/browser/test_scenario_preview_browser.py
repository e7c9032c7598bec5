"""A scenario preview page in headless Chromium: walk the conversation by keyboard, offline.

The page is opened from a file:// URL. Every request the page makes is recorded, and none may
leave file:// (or loopback). With GOALSTUDIO_UPDATE_SCREENSHOTS=1 the test also refreshes
docs/img/scenario-preview-*.png. Skipped when Debian's Chromium is not at /usr/bin/chromium.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from goalstudio._scenarios import ENV_VAR, load
from goalstudio._scenarios.preview import write_preview
from tests.browser._chromium import CHROMIUM, launch_chromium
from tests.conftest import REPO

UPDATE_IMAGES = os.environ.get("GOALSTUDIO_UPDATE_SCREENSHOTS", "") == "1"
IMAGES = REPO / "docs" / "img"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian Chromium is not at /usr/bin/chromium"),
]


@pytest.fixture
def page(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    monkeypatch.delenv(ENV_VAR, raising=False)
    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            yield browser.new_page(viewport={"width": 1280, "height": 900})
        finally:
            browser.close()


def _is_local(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in ("file", "data", "about", "blob"):
        return True
    return parsed.hostname in ("localhost", "127.0.0.1", "::1")


def _focused(page: Any) -> str:
    return str(page.evaluate("document.activeElement.id || document.activeElement.textContent"))


def test_walk_the_conversation_by_keyboard_to_an_ending_offline(page: Any, tmp_path: Path) -> None:
    scenario = load("javi-oud-taper")
    out = tmp_path / "javi.html"
    write_preview(scenario, out)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(out.as_uri())

    conv = scenario.conversation
    node = conv.node(conv.start)
    path = [node.id]
    page.focus("#walk-restart")  # the control just before the replies
    while node.ending is None:
        assert page.locator("#walk-says").text_content() == node.says
        good = next(i for i, c in enumerate(node.choices) if c.quality == "good")
        for _ in range(good + 1):  # Tab along the replies to the good one
            page.keyboard.press("Tab")
        assert _focused(page) == node.choices[good].reply
        page.keyboard.press("Enter")
        feedback = page.locator("#walk-feedback")
        assert feedback.is_visible()
        assert node.choices[good].feedback.split()[0] in (feedback.text_content() or "")
        assert _focused(page) == "Continue"  # focus moves to the way on
        page.keyboard.press("Enter")
        assert _focused(page) == "walk-heading"  # and then back to the new turn
        node = conv.node(node.choices[good].next)
        path.append(node.id)

    ending = page.locator("#walk-ending")
    assert ending.is_visible()
    assert ending.get_attribute("data-ending") == "shared_plan"
    assert node.ending is not None and node.ending.title in (ending.text_content() or "")
    assert page.locator("#walk-trail li").count() == len(path) - 1
    assert page.locator("#walk-choices button").count() == 0
    score = page.locator("#walk-score").text_content() or ""
    assert score.startswith("Trust +")

    if UPDATE_IMAGES:  # a reply chosen, its feedback showing, mid-conversation
        page.locator("#walk-restart").press("Enter")
        page.locator("#walk-choices button").first.press("Enter")
        page.locator("#conversation").screenshot(
            path=str(IMAGES / "scenario-preview-javi-walkthrough.png")
        )

    assert not errors, errors
    assert requests, "the page itself should be the first request"
    assert all(_is_local(url) for url in requests), [u for u in requests if not _is_local(u)]


def test_the_map_legend_fits_a_small_conversation(page: Any, tmp_path: Path) -> None:
    """The legend was text inside the drawing, cut off when the drawing was narrow. It is page
    text now: it wraps, and every word of it shows."""
    from goalstudio._scenarios import load_file
    from goalstudio._scenarios.preview import MAP_LEGEND

    small = load_file(REPO / "tests" / "fixtures" / "scenarios" / "valid-minimal.yaml")
    out = tmp_path / "small.html"
    write_preview(small, out)
    page.set_viewport_size({"width": 480, "height": 800})
    page.goto(out.as_uri())
    legend = page.locator(".map-legend")
    assert legend.inner_text() == MAP_LEGEND
    box, width = legend.bounding_box(), page.evaluate("document.documentElement.clientWidth")
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    assert page.evaluate("el => el.scrollWidth <= el.clientWidth", legend.element_handle())
    # Nothing written inside the drawing runs past its edge.
    overflow = page.evaluate(
        """() => { const svg = document.querySelector('svg.map');
        const w = svg.viewBox.baseVal.width;
        return [...svg.querySelectorAll('text')].filter(t => { const b = t.getBBox();
        return b.x < 0 || b.x + b.width > w; }).map(t => t.textContent); }"""
    )
    assert overflow == []


@pytest.mark.skipif(not UPDATE_IMAGES, reason="set GOALSTUDIO_UPDATE_SCREENSHOTS=1 to refresh")
def test_refresh_preview_screenshots(page: Any, tmp_path: Path) -> None:
    for scenario_id, name in [
        ("bernie-cmht-allotment", "bernie"),
        ("javi-oud-taper", "javi"),
    ]:
        out = tmp_path / f"{name}.html"
        write_preview(load(scenario_id), out)
        page.goto(out.as_uri())
        page.screenshot(path=str(IMAGES / f"scenario-preview-{name}-top.png"))
        page.locator("#plans").screenshot(path=str(IMAGES / f"scenario-preview-{name}-plans.png"))
    page.locator(".map-wrap").screenshot(path=str(IMAGES / "scenario-preview-javi-map.png"))
    for name in ("bernie-top", "bernie-plans", "javi-top", "javi-plans", "javi-map"):
        image = IMAGES / f"scenario-preview-{name}.png"
        assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", image  # written, and a picture
