"""ChartReview: suggestions per COCAPP item, the learner's answers, the one-page summary."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from goalstudio.records import RecordStore
from goalstudio.rubric import CHART_ITEMS, chart_review
from goalstudio.scenarios import list_scenarios, load
from goalstudio.widgets import ChartReview

SCENARIOS = [s.id for s in list_scenarios()]


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'records.sqlite'}"


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_suggestions_match_the_core_for_every_item(scenario_id: str, url: str) -> None:
    widget = ChartReview(scenario_id, learner="sam", store_url=url)
    widget.load_scenario_plan()
    assert widget.suggest() == len(CHART_ITEMS)
    scenario = load(scenario_id)
    core = chart_review(scenario.deficit_plan, scenario.locale)
    assert {k: p.value for k, (p, _n) in widget.controls.items()} == {
        i.id: i.answer for i in core.items
    }
    assert "human reviewer" in widget.items_box.children[0].value


def test_learner_changes_answers_adds_notes_and_exports(url: str, tmp_path: Path) -> None:
    widget = ChartReview("bernie-cmht-allotment", learner="sam <b>", store_url=url)
    widget.load_scenario_plan()
    widget.suggest()
    suggested = widget.session.suggestions.item("relationships").answer  # type: ignore[union-attr]
    new = "yes" if suggested != "yes" else "no"
    widget.answer("relationships", new, "Siobhan is only named as a risk <script>x</script>")
    widget.controls["advance_directives"][1].value = "Ask about an advance statement"  # typing
    page = widget.export(tmp_path / "summary.html")
    assert page is not None and widget.last_error is None
    assert (tmp_path / "summary.html").read_text(encoding="utf-8") == page
    assert "<script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    assert "sam &lt;b&gt;" in page
    assert "(changed from the suggestion)" in page and "Ask about an advance statement" in page
    assert page.count("<tr>") == len(CHART_ITEMS) + 1
    assert "<mark>" in page
    link = widget.download.value
    encoded = link.split("base64,")[1].split('"')[0]
    assert base64.b64decode(encoded).decode("utf-8") == page
    with RecordStore(url) as store:
        (attempt,) = store.get_attempts("sam <b>", "chart-review")
    assert attempt.review["items"]["relationships"] == {
        "suggested": suggested,
        "answer": new,
        "note": "Siobhan is only named as a risk <script>x</script>",
    }
    assert attempt.review["changed"] == ["relationships"]


def test_a_pasted_plan_that_cannot_be_read_names_the_line(url: str) -> None:
    widget = ChartReview(None, learner="sam", store_url=url)
    widget.paste("Goal: something\nthis is not plan text")
    assert widget.suggest() is None
    assert widget.last_error is not None and "line 2" in widget.last_error.lower()
    assert widget.export() is None and "suggested answers first" in (widget.last_error or "")


def test_wrong_answer_value_is_friendly(url: str) -> None:
    widget = ChartReview("javi-oud-taper", learner="sam", store_url=url)
    widget.load_scenario_plan()
    widget.suggest()
    widget.answer("relationships", "maybe")
    assert "answer yes, no or unclear" in (widget.last_error or "")


def test_answers_and_notes_are_restored(url: str) -> None:
    widget = ChartReview("javi-oud-taper", learner="sam", store_url=url)
    widget.load_scenario_plan()
    widget.suggest()
    widget.answer("co_production", "no", "written by staff alone")
    widget.flush()
    widget.close()
    again = ChartReview("javi-oud-taper", learner="sam", store_url=url)
    assert again.session is not None
    assert again.session.answers["co_production"] == "no"
    assert again.controls["co_production"][1].value == "written by staff alone"
