"""The audit report in headless Chromium: offline, both charts drawn, the comparison readable.

Two rounds are built from a mixed folder (studio plan text, free text with headings and labels,
prose, a Word document and one identifying file that is refused) and a follow-up folder of
better plans. With GOALSTUDIO_UPDATE_SCREENSHOTS=1 the test also refreshes
docs/img/audit-report-*.png. Skipped when Debian's Chromium is not at /usr/bin/chromium.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from goalstudio.audit import run_audit
from goalstudio.audit._report import load_rounds, render_html
from goalstudio.records import RecordStore
from tests.browser._chromium import CHARTS_DRAWN, CHROMIUM, launch_chromium
from tests.conftest import REPO
from tests.test_audit import FIXTURES, _docx

UPDATE_IMAGES = os.environ.get("GOALSTUDIO_UPDATE_SCREENSHOTS", "") == "1"
IMAGES = REPO / "docs" / "img"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian Chromium is not at /usr/bin/chromium"),
]

_NAMES = ["Kit", "Amira", "Joel", "Mei", "Tariq", "Ruth", "Dev", "Lena", "Sam", "Priya"]
_AIMS = [
    "cook Sunday dinner for my brother again",
    "get back to the allotment twice a week",
    "swim with my daughter at the leisure centre",
    "find a part-time job in a bakery",
]
_DEFICIT = [
    "To be compliant with medication and engage with services.",
    "To maintain stability and prevent relapse.",
    "To attend all appointments and gain insight into illness.",
]


def _person_centred(n: int) -> str:
    name, aim = _NAMES[n % len(_NAMES)], _AIMS[n % len(_AIMS)]
    return (
        f'Goal: "I want to {aim}." ({name})\n'
        f"  Strengths: {n + 2} years of cooking for the family, a brother who calls weekly\n"
        f"  Objective: {name} does this twice in the next {n % 5 + 4} weeks.\n"
        f"    - {name}: chooses the day and tells the family\n"
        "    - Brother (Ray): comes round for the first two times\n"
        "    - Care co-ordinator: meets fortnightly to plan the next step together\n"
    )


def _deficit_led(n: int) -> str:
    return (
        "Need: " + _DEFICIT[n % 3] + "\n"
        "Goal: " + _DEFICIT[(n + 1) % 3] + "\n"
        f"Intervention: Care co-ordinator to monitor mental state every {n + 1} weeks.\n"
        "Intervention: Client to attend depot clinic.\n"
    )


def build_rounds(folder: Path) -> tuple[Path, Path]:
    """A baseline folder (mostly deficit-led, every kind of file) and a better follow-up."""
    before, after = folder / "baseline", folder / "follow-up"
    shutil.copytree(FIXTURES, before)
    _docx(before / "06-word.docx")
    after.mkdir()
    for n in range(24):
        (before / f"plan-{n:02d}.txt").write_text(
            _deficit_led(n) if n % 4 else _person_centred(n), encoding="utf-8"
        )
        (after / f"plan-{n:02d}.txt").write_text(
            _deficit_led(n) if n % 4 == 1 else _person_centred(n), encoding="utf-8"
        )
    return before, after


@pytest.fixture
def report(tmp_path: Path) -> Path:
    before, after = build_rounds(tmp_path)
    with RecordStore(tmp_path / "r.sqlite") as store:
        assert [r.source for r in run_audit(before, "baseline", store).refused] == [
            "05-identifying.txt"
        ]
        run_audit(after, "follow-up", store)
        page = render_html(load_rounds(store, ["baseline", "follow-up"]))
    out = tmp_path / "audit.html"
    out.write_text(page, encoding="utf-8")
    return out


@pytest.fixture
def page() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            yield browser.new_page(viewport={"width": 1280, "height": 900})
        finally:
            browser.close()


def _is_local(url: str) -> bool:
    return urlparse(url).scheme in ("file", "data", "about", "blob")


def test_the_report_opens_offline_with_its_charts_and_comparison(page: Any, report: Path) -> None:
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(report.as_uri())
    page.wait_for_function(CHARTS_DRAWN, arg=2, timeout=30_000)
    assert errors == []
    assert [url for url in requests if not _is_local(url)] == []
    heading = page.get_by_role("heading", name="What changed from baseline to follow-up")
    assert heading.is_visible()
    summary = page.locator(".summary").inner_text()
    assert "got better where" in summary and "not proof" in summary
    # The clearly improved criterion is shown in bold with an interval that leaves out zero.
    row = page.locator("tr.clear", has_text="Outcomes, not just outputs")
    assert row.count() == 1
    if UPDATE_IMAGES:
        page.screenshot(path=str(IMAGES / "audit-report-top.png"))
        page.locator("#profile").scroll_into_view_if_needed()
        page.locator("section[aria-labelledby=profile]").screenshot(
            path=str(IMAGES / "audit-report-profile.png")
        )
        page.locator("section[aria-labelledby=work]").screenshot(
            path=str(IMAGES / "audit-report-needs-work.png")
        )
