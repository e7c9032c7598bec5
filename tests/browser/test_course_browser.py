"""A learner's walk through modules 0 and 3 in app mode (``goalstudio start --app``).

Headless Chromium drives the real command: Voilà serves the learner release from a fresh
workspace, with sources stripped. The learner sets their name and terminology, writes a
reflection, rewrites a plan in module 3 and submits it, sees their progress on the course home,
then comes back to module 3 and finds their work. Screenshots refresh docs/img/course-*.png
only when GOALSTUDIO_UPDATE_SCREENSHOTS=1.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from goalstudio.scenarios import load
from tests.browser._a11y import wait_until_rendered
from tests.browser._chromium import CHROMIUM
from tests.conftest import REPO, free_port

# The module's own exercises, not the short concept checks placed between them.
EXERCISE = ".gs-exercise:not(:has(.gs-check-question))"
UPDATE_IMAGES = os.environ.get("GOALSTUDIO_UPDATE_SCREENSHOTS", "") == "1"
IMAGES = REPO / "docs" / "img"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.xdist_group("course-browser"),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian Chromium is not at /usr/bin/chromium"),
]


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, str]]:
    home = tmp_path_factory.mktemp("learner")
    workspace = home / "ws"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOALSTUDIO_", "JUPYTERHUB"))}
    env.update(HOME=str(home), JUPYTER_RUNTIME_DIR=str(home / "rt"))
    port = free_port()
    log = (home / "app.log").open("wb")
    env.pop("JUPYTER_TOKEN", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "goalstudio.cli", "start", "--app", "--no-browser"]  # noqa: RUF005
        + ["--port", str(port), "--workspace", str(workspace)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        token = ""
        while not token and time.monotonic() < deadline:
            for line in (home / "app.log").read_text(errors="replace").splitlines():
                if line.startswith("Open the studio at ") and "token=" in line:
                    token = line.split("token=", 1)[1].strip()
            time.sleep(0.1)
        while time.monotonic() < deadline:
            assert proc.poll() is None, (home / "app.log").read_text()
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}", workspace, token
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


def _open(browser, app, name: str, exercises: int):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(f"{app[0]}/voila/render/{name}?token={app[2]}", timeout=120_000, wait_until="commit")
    page.locator(".gs-exercise, .gs-home").nth(exercises - 1).wait_for(timeout=90_000)
    # App mode renders progressively: wait for every cell's output before using the page.
    wait_until_rendered(page, app[1] / name)
    text = page.locator("body").inner_text()
    # App mode: the learner sees prose and exercises, never code or facilitator notes.
    assert "from goalstudio" not in text and "import " not in text
    assert "Facilitator notes" not in text and "Traceback" not in text
    return page


def _shot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    folder = IMAGES if UPDATE_IMAGES else Path(os.environ.get("TMPDIR", "/tmp"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    # Voilà scrolls inside the page, so grow the viewport to the content's height first.
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('body, body *')].map(e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": 1280, "height": min(int(height) + 40, 12_000)})
    page.wait_for_timeout(300)
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
    return path


def _reflect(page, text: str) -> None:  # type: ignore[no-untyped-def]
    reflection = page.locator(EXERCISE).last
    reflection.get_by_label("Your reflection").fill(text)
    reflection.get_by_role("button", name="Save my reflection").click()
    reflection.get_by_text("Your reflection is saved.").wait_for(timeout=10_000)


def _answer_a_concept_check(page) -> None:  # type: ignore[no-untyped-def]
    """A wrong answer explains its misconception; the right one, reached from the keyboard,
    opens why the others miss (both answers are recorded: checked at the end of the walk)."""
    check = page.locator(".gs-exercise:has(.gs-check-question)").first
    question = "Which of these is an outcome rather than an output?"
    assert question in check.inner_text()
    check.get_by_text("A. Bernie will attend the Recovery College weekly.").click()
    check.get_by_role("button", name="Check my answer").click()
    feedback = check.get_by_role("alert").filter(has_text="Not quite")
    feedback.wait_for(timeout=10_000)
    assert "Attending a group is a service delivered" in feedback.inner_text()
    # Keyboard only: arrow keys move through the answers; Enter on the button checks.
    check.get_by_label("A. Bernie will attend the Recovery College weekly.").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert check.get_by_label(
        "C. Bernie is working her allotment two mornings a week by May."
    ).is_checked()
    page.wait_for_timeout(500)  # let the choice reach the kernel before the button does
    check.get_by_role("button", name="Check my answer").focus()
    page.keyboard.press("Enter")
    check.get_by_role("alert").filter(has_text="Yes: C is the best answer").wait_for(timeout=10_000)
    check.get_by_text("Why the other answers miss").click()
    check.get_by_text("A referral is an output").wait_for(timeout=5_000)
    check.scroll_into_view_if_needed()
    folder = IMAGES if UPDATE_IMAGES else Path(os.environ.get("TMPDIR", "/tmp"))
    check.screenshot(path=str(folder / "course-concept-check.png"))


def test_a_learner_walks_through_modules_0_and_3(browser, app) -> None:  # type: ignore[no-untyped-def]
    # Module 0: settings and privacy.
    page = _open(browser, app, "00-welcome.ipynb", exercises=2)
    assert "Never type details of a real person" in page.locator("body").inner_text()
    page.get_by_label("Display name").fill("Robin")
    page.get_by_label("UK terms (care plan, care co-ordinator, carer)").check()
    page.get_by_label("UK cases only").check()
    page.get_by_role("button", name="Save my settings").click()
    page.get_by_text("Saved. You are Robin").wait_for(timeout=10_000)
    config = json.loads((app[1] / ".goalstudio" / "config.json").read_text())
    assert config == {"learner": "Robin", "locale": "en-GB", "scenario_set": "en-GB"}
    _reflect(page, "I will ask what a good day looks like before I open the form.")
    _shot(page, "course-module-00")
    page.close()

    # Module 3: answer a concept check, spot the language, rewrite the plan, submit, reflect.
    page = _open(browser, app, "03-from-deficits-to-outcomes.ipynb", exercises=3)
    assert "Bernie" in page.locator(EXERCISE).nth(1).inner_text()
    _answer_a_concept_check(page)
    spotter = page.locator(EXERCISE).nth(0)
    spotter.get_by_role("button", name="compliant", exact=False).first.click()
    spotter.get_by_role("button", name="Show what the studio finds").click()
    spotter.get_by_text("You found").wait_for(timeout=10_000)
    rewriter = page.locator(EXERCISE).nth(1)
    rewrite = load("bernie-cmht-allotment").model_rewrite
    rewriter.get_by_label("Your plan text").fill(rewrite)
    page.wait_for_function(
        f"() => [...document.querySelectorAll('{EXERCISE}')[1].querySelectorAll('.gs-chip')]"
        ".every(c => c.innerText.endsWith(': Met'))",
        timeout=15_000,
    )
    rewriter.get_by_role("button", name="Submit my plan").click()
    page.wait_for_timeout(500)
    assert rewriter.locator(".gs-error").count() == 0
    folder = IMAGES if UPDATE_IMAGES else Path(os.environ.get("TMPDIR", "/tmp"))
    rewriter.screenshot(path=str(folder / "course-module-03-rewrite.png"))
    # Studying alone: the model answer and common mistakes open now that the plan is submitted.
    after = page.locator(".gs-exercise", has_text="After you submit")
    after.get_by_role("button", name="Show the model answer and common mistakes").click()
    after.locator("h4", has_text="Common mistakes").wait_for(timeout=10_000)
    assert "Model answer" in after.inner_text()
    _reflect(page, "Outcomes, not outputs: I will write the allotment first.")
    _shot(page, "course-module-03")
    page.close()

    # The course home shows both modules completed and where to pick up.
    page = _open(browser, app, "home.ipynb", exercises=1)
    home = page.locator(".gs-home")
    home.get_by_text("Robin: 2 of 9 modules completed").wait_for(timeout=10_000)
    assert "Pick up at module 01" in home.inner_text()
    _shot(page, "course-home")
    page.close()

    # Close everything and come back: module 3 restores the rewrite.
    page = _open(browser, app, "03-from-deficits-to-outcomes.ipynb", exercises=3)
    rewriter = page.locator(EXERCISE).nth(1)
    rewriter.get_by_text("Welcome back").wait_for(timeout=10_000)
    assert rewriter.get_by_label("Your plan text").input_value() == rewrite
    page.close()

    # Both answers to the concept check are in the records store, for the facilitator's board.
    from goalstudio.records import RecordStore

    with RecordStore(f"sqlite:///{app[1] / '.goalstudio' / 'records.sqlite'}") as store:
        events = store.get_events("Robin", "concept-check-03-outputs")
    assert [e.detail["answer"] for e in events if e.kind == "check_answered"] == ["a", "c"]
