"""LanguageSpotter: marking words, the reveal and its counts, live checking of a rewording."""

from __future__ import annotations

from pathlib import Path

import pytest

from goalstudio.records import RecordStore
from goalstudio.rubric import load_lexicon
from goalstudio.scenarios import list_scenarios, load
from goalstudio.widgets import LanguageSpotter

SCENARIOS = [s.id for s in list_scenarios()]


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'records.sqlite'}"


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_marking_every_lexicon_phrase_finds_them_all(scenario_id: str, url: str) -> None:
    scenario = load(scenario_id)
    widget = LanguageSpotter(scenario, learner="sam", store_url=url)
    assert widget.last_error is None
    matches = load_lexicon(scenario.locale).find(scenario.deficit_plan)
    assert matches, "every deficit-led plan has language to spot"
    for m in matches:
        widget.mark(m.matched_text)
    result = widget.reveal()
    assert result is not None
    assert len(result.found) == len(matches) and result.missed == []
    assert f"You found {len(matches)} of {len(matches)}." in widget.counts.value


def test_counts_found_missed_and_over_flagged(url: str) -> None:
    widget = LanguageSpotter("bernie-cmht-allotment", learner="sam", store_url=url)
    widget.mark("compliant")
    widget.mark("fortnightly")
    result = widget.reveal()
    assert result is not None
    total = len(load_lexicon("en-GB").find(widget.spot.text))
    assert [m.matched_text for m in result.found] == ["compliant"]
    assert len(result.missed) == total - 1
    assert [widget.spot.text[s:e] for s, e in result.over_flagged] == ["fortnightly"]
    assert result.score == pytest.approx(1 / (total + 1))
    assert "Missed:" in widget.results.value and "You marked:" in widget.results.value
    repeated = [m for m in result.missed if m.matched_text == "compliant"]
    assert widget.results.value.count("Found: “compliant”") == 1
    if repeated:
        assert "Missed: “compliant”" in widget.results.value
    with RecordStore(url) as store:
        (attempt,) = store.get_attempts("sam", "language-spotter")
    assert attempt.review["kind"] == "language_spotter"
    assert attempt.review["found"][0]["phrase"] == "compliant"
    assert attempt.score == pytest.approx(result.score)


def test_clicking_a_word_twice_unmarks_it(url: str) -> None:
    widget = LanguageSpotter("javi-oud-taper", learner="sam", store_url=url)
    assert widget.toggle(3) is True and widget.word_buttons[3].value is True
    assert widget.word_buttons[3].description.startswith("✓ ")  # not colour alone
    widget.word_buttons[3].value = False  # as a click in the browser does
    assert widget.spot.marked == set()
    assert not widget.word_buttons[3].description.startswith("✓")
    assert widget.toggle(10_000) is None and "no word 10001" in (widget.last_error or "")


def test_neighbouring_marked_words_make_one_phrase() -> None:
    from goalstudio.exercises.spotter import SpotterState

    state = SpotterState("Reduce social isolation now", "en-GB")
    state.toggle(0)
    state.toggle(1)
    state.toggle(3)
    assert state.marked_spans() == [(0, 13), (24, 27)]


def test_rewording_is_checked_as_the_learner_types(url: str) -> None:
    widget = LanguageSpotter("bernie-cmht-allotment", learner="sam", store_url=url)
    widget.type_rewording("Bernie to be compliant with <b>medication</b>")
    assert widget.reword_result.value == ""  # waits for the pause
    widget.flush()
    assert "compliant" in widget.reword_result.value and "Consider:" in widget.reword_result.value
    assert "<b>medication" not in widget.reword_result.value
    assert widget.check_rewording() == ["compliant"]
    widget.type_rewording("Bernie takes her tablets in the way she has agreed with her GP")
    widget.flush()
    assert "finds nothing to question" in widget.reword_result.value


def test_marks_and_rewording_are_restored(url: str) -> None:
    widget = LanguageSpotter("javi-oud-taper", learner="sam", store_url=url)
    widget.toggle(2)
    widget.toggle(5)
    widget.type_rewording("half a sentence")
    widget.flush()
    widget.close()
    again = LanguageSpotter("javi-oud-taper", learner="sam", store_url=url)
    assert again.spot.marked == {2, 5}
    assert again.word_buttons[5].value is True
    assert again.reword_area.value == "half a sentence"


def test_a_passage_can_be_given_directly(url: str) -> None:
    widget = LanguageSpotter(
        None, passage="He is a schizophrenic and non-compliant.", learner="s", store_url=url
    )
    result = widget.reveal()
    assert result is not None and len(result.missed) == 2


@pytest.mark.parametrize("locale", ["en-GB", "en-US"])
def test_alternatives_learners_see_stand_on_their_own(locale: str) -> None:
    pronouns = {"he", "she", "they", "him", "her", "them", "his", "hers", "their"}
    lexicon = load_lexicon(locale)
    for entry in lexicon.entries:
        for alternative in entry.alternatives:
            assert alternative.strip().lower() not in pronouns, (entry.id, alternative)
    patient = lexicon.get("the-patient")
    assert patient is not None
    assert "the person" in patient.alternatives
    assert not any("Priya" in a for a in patient.alternatives)
