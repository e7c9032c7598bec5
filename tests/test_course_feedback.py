"""The course home's "Your feedback" section: which pages it lists, and how it opens them."""

from __future__ import annotations

import html
import unicodedata
from pathlib import Path

import pytest

from goalstudio.learner import set_learner_name
from goalstudio.widgets.course_home import YourFeedback, find_feedback, render_feedback_list

A1 = "01-spot-the-language"
A2 = "02-rewrite-the-plan"


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    ws = tmp_path / "home" / "goal-discovery-studio"
    ws.mkdir(parents=True)
    monkeypatch.setenv("GOALSTUDIO_WORKSPACE", str(ws))
    for name in ("GOALSTUDIO_RECORDS_URL", "JUPYTERHUB_USER", "SERVER_SOFTWARE"):
        monkeypatch.delenv(name, raising=False)
    for name in ("VOILA_KERNEL_ID", "VOILA_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return ws


def sent_page(ws: Path, learner: str, assignment: str, stamp: str = "", body: str = "") -> Path:
    """A page in the layout 'goalstudio workshop feedback' writes, as a trainer sends it."""
    folder = ws / "feedback" / learner / assignment
    folder.mkdir(parents=True)
    page = folder / f"{assignment}.html"
    page.write_text(f"<html><body><h1>Feedback</h1>{body}</body></html>", encoding="utf-8")
    (folder / "timestamp.txt").write_text(stamp, encoding="utf-8")
    return page


def test_lists_exactly_the_learners_pages_with_dates_and_links(workspace: Path) -> None:
    sent_page(workspace, "sam", A1, "2026-11-02 09:15:00.000000 UTC")
    sent_page(workspace, "sam", A2, "2026-11-20 14:40:03.5 UTC")
    sent_page(workspace, "ana", A2, "2026-11-21 10:00:00 UTC", body="ANA-ONLY")
    set_learner_name("sam")

    box = YourFeedback()

    assert [(p.assignment, p.date) for p in box.pages] == [
        (A2, "2026-11-20 14:40"),
        (A1, "2026-11-02 09:15"),
    ]
    listing = box.listing.value
    assert "2 feedback pages for you" in listing
    assert f'href="feedback/sam/{A1}/{A1}.html"' in listing
    assert f'href="feedback/sam/{A2}/{A2}.html"' in listing
    assert "ana" not in listing and "2026-11-21" not in listing
    assert [b.description for b in box.buttons.children] == [
        f"Show {A2} (2026-11-20)",
        f"Show {A1} (2026-11-02)",
    ]
    box.buttons.children[0].click()
    assert "ANA-ONLY" not in box.viewer.value and "Feedback" in box.viewer.value


def test_no_feedback_gives_a_friendly_message(workspace: Path) -> None:
    sent_page(workspace, "ana", A1)  # someone else's page is not yours
    box = YourFeedback(learner="sam")
    assert box.pages == []
    assert "No feedback yet" in box.listing.value
    assert "Fetch Feedback" in box.listing.value
    assert box.buttons.children == ()
    assert (
        "No feedback yet" in YourFeedback(learner="sam", workspace=workspace / "none").listing.value
    )


def test_pages_fetched_from_the_nbgrader_exchange_are_listed(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = workspace.parent
    # nbgrader's fetch_feedback layout: [COURSE/]ASSIGNMENT/feedback/TIMESTAMP/NOTEBOOK.html
    plain = home / A1 / "feedback" / "2026-11-03 08:00:00.000001 UTC"
    plain.mkdir(parents=True)
    (plain / f"{A1}.html").write_text("<p>one</p>", encoding="utf-8")
    nested = home / "team-2026" / A2 / "feedback" / "2026-11-22 16:05:00 UTC"
    nested.mkdir(parents=True)
    (nested / f"{A2}.html").write_text("<p>two</p>", encoding="utf-8")
    # not a folder nbgrader made: ignored
    (home / "notes" / "feedback" / "misc").mkdir(parents=True)
    (home / "notes" / "feedback" / "misc" / "x.html").write_text("x", encoding="utf-8")

    # Started locally, the server's root is the workspace: the home folder is not searched.
    assert find_feedback("sam", workspace) == []
    # On the hub each server starts in the home folder, the workspace's parent.
    monkeypatch.setenv("JUPYTERHUB_USER", "sam")
    pages = find_feedback("sam", workspace)
    assert [(p.assignment, p.date) for p in pages] == [
        (A2, "2026-11-22 16:05"),
        (A1, "2026-11-03 08:00"),
    ]
    assert pages[1].href == f"../{A1}/feedback/2026-11-03%2008%3A00%3A00.000001%20UTC/{A1}.html"
    box = YourFeedback()
    assert box.pages == pages
    assert box.show(0) and "two" in html.unescape(box.viewer.value)


def test_names_and_pages_are_escaped_and_shown_in_a_frame_without_scripts(
    workspace: Path,
) -> None:
    learner = "Sam &amp; <b>'Ro'"
    evil = '<img src=x onerror="alert(1)">'
    sent_page(workspace, learner, evil, body='<script>alert("x")</script>&amp;')
    box = YourFeedback(learner=learner)
    assert len(box.pages) == 1
    assert evil not in box.listing.value and html.escape(evil) in box.listing.value
    assert box.show(0)
    frame = box.viewer.value
    assert frame.startswith("<iframe") and 'sandbox=""' in frame
    assert "<script>" not in frame and "&lt;script&gt;" in frame
    # The page's own text reaches the frame unchanged once the browser unescapes srcdoc.
    assert '<script>alert("x")</script>&amp;' in html.unescape(frame)


def test_a_learner_folder_named_on_a_mac_or_in_other_case_still_matches(workspace: Path) -> None:
    sent_page(workspace, unicodedata.normalize("NFD", "Zoë"), A1)
    sent_page(workspace, "ZOË", A2)
    assert {p.assignment for p in find_feedback("zoë", workspace)} == {A1, A2}


def test_a_page_that_disappears_says_so_in_plain_words(workspace: Path) -> None:
    page = sent_page(workspace, "sam", A1)
    box = YourFeedback(learner="sam")
    page.unlink()
    assert not box.show(0)
    assert 'role="alert"' in box.viewer.value and "Refresh" in box.viewer.value
    box.refresh()
    assert box.pages == [] and "No feedback yet" in box.listing.value


def test_date_falls_back_to_the_file_date_and_voila_gets_no_file_links(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent_page(workspace, "sam", A1, stamp="")
    (page,) = find_feedback("sam", workspace)
    assert len(page.date) == len("2026-11-26 04:10")
    assert "open in a new tab" in render_feedback_list([page])
    # Voila serves no HTML files from the workspace: there the Show button is the way in.
    monkeypatch.setenv("SERVER_SOFTWARE", "voila/0.5.13")
    box = YourFeedback(learner="sam")
    assert "href=" not in box.listing.value and len(box.buttons.children) == 1
