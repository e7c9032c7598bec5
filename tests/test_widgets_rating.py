"""SelfRating and Reflection: saved to the records store, restored when rebuilt."""

from __future__ import annotations

from pathlib import Path

import pytest

from goalstudio.records import RecordStore
from goalstudio.widgets import Reflection, SelfRating


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'records.sqlite'}"


def test_pre_and_post_ratings_are_saved_and_compared(url: str) -> None:
    pre = SelfRating("pre", learner="sam", store_url=url)
    for domain, rating in zip("ABCDE", [2, 3, 1, 4, 2], strict=True):
        pre.rate(domain, rating)
    assert pre.submit() == {"A": 2, "B": 3, "C": 1, "D": 4, "E": 2}
    post = SelfRating("post", learner="sam", store_url=url)
    for domain, rating in zip("ABCDE", [4, 3, 2, 3, 5], strict=True):
        post.rate(domain, rating)
    post.submit()
    assert "up 2 since the start" in post.summary.value
    assert "the same as at the start" in post.summary.value
    assert "down 1 since the start" in post.summary.value
    with RecordStore(url) as store:
        ratings = store.get_self_ratings("sam")
    assert [(r.phase, r.domain, r.rating) for r in ratings][:2] == [
        ("pre", "A", 2),
        ("pre", "B", 3),
    ]
    assert len(ratings) == 10


def test_every_domain_is_needed_and_bad_values_are_friendly(url: str) -> None:
    widget = SelfRating("pre", learner="sam", store_url=url)
    widget.rate("A", 3)
    assert widget.submit() is None
    assert "still to rate: B, C, D, E" in (widget.last_error or "")
    widget.rate("A", 9)
    assert "from 1 to 5" in (widget.last_error or "")
    widget.rate("Z", 3)
    assert "choose a domain" in (widget.last_error or "")
    with RecordStore(url) as store:
        assert store.get_self_ratings("sam") == []


def test_ratings_in_progress_are_restored(url: str) -> None:
    widget = SelfRating("post", learner="sam", store_url=url)
    widget.rate("C", 5)
    widget.flush()
    widget.close()
    again = SelfRating("post", learner="sam", store_url=url)
    assert again.pickers["C"].value == 5 and again.pickers["A"].value is None
    assert SelfRating("pre", learner="sam", store_url=url).pickers["C"].value is None


def test_reflection_is_saved_with_its_module_and_restored(url: str) -> None:
    widget = Reflection("00", learner="sam", store_url=url)
    assert "Welcome" in widget.children[1].value  # the module's own title from the manifest
    assert widget.submit() is None and "write a few words" in (widget.last_error or "")
    widget.type_text("I will ask what a good day looks like <before> I ask about risk.")
    widget.flush()
    widget.close()
    again = Reflection("00", learner="sam", store_url=url)
    assert again.area.value.startswith("I will ask")
    assert again.submit() is not None
    with RecordStore(url) as store:
        (saved,) = store.get_reflections("sam")
    assert saved.module == "00" and saved.activity == "reflection-00"
    assert saved.text == "I will ask what a good day looks like <before> I ask about risk."


def test_wrong_phase_is_a_friendly_message(url: str) -> None:
    widget = SelfRating("middle", learner="sam", store_url=url)
    assert "the phase is 'pre'" in (widget.last_error or "")
    assert "Traceback" not in widget.status.value
