"""The privacy check is wired into saving: a learner is warned, before submitting, when text
looks like it identifies a real person; they can change it or submit it as written, and the
autosaved draft keeps every word either way."""

from __future__ import annotations

from pathlib import Path

import pytest

from goalstudio.records import RecordStore
from goalstudio.widgets import PlanRewriter, Reflection

IDENTIFYING = "I met Jane Doe (03/04/1985) today; her mobile is 07911 123456."


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'records.sqlite'}"


def test_a_reflection_that_looks_identifying_is_held_with_a_plain_warning(url: str) -> None:
    widget = Reflection("00", learner="sam", store_url=url, autosave=False)
    widget.type_text(IDENTIFYING)
    assert widget.submit() is None
    warning = widget.privacy.value
    assert "a name with a date of birth" in warning and "Jane Doe" in warning
    assert "a phone number" in warning and "07911 123456" in warning
    assert "Nothing has been submitted yet" in warning
    with RecordStore(url) as store:
        assert store.get_reflections("sam") == []
    # Changed to made-up details: saved at once, and the warning goes.
    widget.type_text("I met a person I support today and we planned the week.")
    assert widget.submit() is not None
    assert widget.privacy.value == ""
    with RecordStore(url) as store:
        assert len(store.get_reflections("sam")) == 1


def test_asking_again_submits_the_text_exactly_as_written(url: str) -> None:
    widget = Reflection("00", learner="sam", store_url=url, autosave=False)
    widget.type_text(IDENTIFYING)
    assert widget.submit() is None
    assert widget.submit() == IDENTIFYING
    with RecordStore(url) as store:
        (saved,) = store.get_reflections("sam")
    assert saved.text == IDENTIFYING


def test_a_plan_submission_is_held_until_the_learner_decides(url: str) -> None:
    widget = PlanRewriter("bernie-cmht-allotment", learner="sam", store_url=url)
    text = widget.scenario.model_rewrite + "\n# Bernie's phone: 07911 123456\n"
    widget.type_text(text)
    assert widget.submit() is None
    assert "a phone number" in widget.privacy.value
    with RecordStore(url) as store:
        assert store.get_attempts("sam") == []
    widget.type_text(widget.scenario.model_rewrite)
    assert widget.submit() is not None
    with RecordStore(url) as store:
        assert len(store.get_attempts("sam")) == 1


def test_autosave_keeps_every_word_and_warns_at_once(url: str) -> None:
    widget = Reflection("00", learner="sam", store_url=url)
    widget.type_text(IDENTIFYING)
    widget.flush()
    assert "a phone number" in widget.privacy.value
    assert "Nothing has been submitted" not in widget.privacy.value
    with RecordStore(url) as store:
        draft = store.get_draft("sam", widget.activity)
    assert "07911 123456" in draft.text
    widget.type_text("We planned the week together.")
    widget.flush()
    assert widget.privacy.value == ""
