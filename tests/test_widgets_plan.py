"""PlanRewriter and PlanBuilder, driven through their public methods."""

from __future__ import annotations

from pathlib import Path

import pytest

from goalstudio.records import RecordStore
from goalstudio.rubric import CRITERIA, review
from goalstudio.scenarios import list_scenarios, load
from goalstudio.widgets import PlanBuilder, PlanRewriter
from goalstudio.widgets._debounce import ManualClock
from goalstudio.widgets.plan import REVIEW_DELAY

SCENARIOS = [s.id for s in list_scenarios()]


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'records.sqlite'}"


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_chips_follow_the_core_review_of_the_text(scenario_id: str, url: str) -> None:
    widget = PlanRewriter(scenario_id, learner="sam", store_url=url)
    scenario = load(scenario_id)
    assert widget.last_error is None
    assert widget.editor.value == scenario.deficit_plan
    expected = review(scenario.deficit_plan, scenario.locale, scenario)
    before = {c.criterion: c.verdict for c in widget.feedback.chips}
    assert before == {c: expected.verdict(c) for c in CRITERIA}
    assert "Not met yet" in widget.chips.value  # words, not only colour
    widget.type_text(scenario.model_rewrite)
    widget.flush()
    model = review(scenario.model_rewrite, scenario.locale, scenario)
    after = [c.verdict for c in widget.feedback.chips]
    assert after == [model.verdict(c) for c in CRITERIA]
    assert widget.chips.value.count("Met</span>") == after.count("met")
    assert widget.chips.value.count("Not met yet</span>") == after.count("not_met")


def test_model_rewrite_meets_every_criterion(url: str) -> None:
    widget = PlanRewriter("bernie-cmht-allotment", learner="sam", store_url=url)
    assert widget.scenario is not None
    widget.type_text(widget.scenario.model_rewrite)
    widget.flush()
    assert [c.verdict for c in widget.feedback.chips] == ["met"] * 5
    assert widget.chips.value.count("Met</span>") == 5 and "Not met" not in widget.chips.value


def test_review_waits_for_the_pause_then_follows_typing(url: str) -> None:
    # How quickly it follows is measured in benchmarks/widgets.py, not asserted here.
    clock = ManualClock()
    widget = PlanRewriter("bernie-cmht-allotment", learner="sam", store_url=url, clock=clock)
    scenario = widget.scenario
    assert scenario is not None
    old = widget.chips.value
    text = scenario.model_rewrite
    for cut in range(len(text) - 40, len(text) + 1, 10):  # a burst of keystrokes
        widget.type_text(text[:cut])
        clock.advance(REVIEW_DELAY / 2)  # typing on, faster than the pause
    assert widget.chips.value == old  # nothing yet: the review waits for the pause
    clock.advance(REVIEW_DELAY / 2 - 0.001)
    assert widget.chips.value == old
    clock.advance(0.001)
    assert widget.chips.value != old
    assert widget.feedback is not None and widget.feedback.text == text


def test_findings_are_listed_with_lines_and_highlighted(url: str) -> None:
    widget = PlanRewriter("bernie-cmht-allotment", learner="sam", store_url=url)
    fb = widget.feedback
    assert fb is not None and fb.findings
    located = [f for f in fb.findings if f.line is not None]
    assert located and f"Line {located[0].line}:" in widget.findings.value
    assert widget.marked.value.count('<mark class="gs-mark">') >= 1
    assert '<mark class="gs-mark">Maintain mental state and prevent relapse' in widget.marked.value


def test_learner_text_is_escaped(url: str) -> None:
    widget = PlanBuilder("bernie-cmht-allotment", learner="sam", store_url=url)
    widget.type_text('Goal: "I want <script>alert(1)</script> back" (Bernie)')
    widget.flush()
    assert "<script>" not in widget.findings.value + widget.marked.value
    widget.type_text("Goal: Maintain <img src=x> stability")
    widget.flush()
    assert widget.feedback is not None and widget.feedback.readable
    shown = widget.findings.value + widget.marked.value
    assert "<img" not in shown and "&lt;img src=x&gt;" in shown


def test_unreadable_text_names_the_line_and_cannot_be_submitted(url: str) -> None:
    widget = PlanRewriter("bernie-cmht-allotment", learner="sam", store_url=url)
    widget.type_text("Goal: Bernie gets her allotment back\n  this line has no keyword")
    widget.flush()
    assert "Line 2:" in widget.findings.value
    assert all(c.verdict == "pending" for c in widget.feedback.chips)
    assert "waiting for plan text" in widget.chips.value
    assert widget.submit() is None
    assert widget.last_error is not None and "fix the lines" in widget.last_error
    with RecordStore(url) as store:
        assert store.get_attempts("sam") == []


def test_hints_one_at_a_time_each_recorded(url: str) -> None:
    widget = PlanRewriter("javi-oud-taper", learner="sam", store_url=url)
    total = len(widget.hints)
    first = widget.reveal_hint()
    assert first is not None and "Javi" in first
    assert widget.hint_box.value.count("<li>") == 1
    assert widget.hint_button.description == f"Show a hint ({total - 1} left)"
    for _ in range(total - 1):
        widget.reveal_hint()
    assert widget.hint_button.disabled
    assert widget.reveal_hint() is None and "no more hints" in (widget.last_error or "")
    with RecordStore(url) as store:
        events = store.get_events("sam", "plan-rewriter")
    assert [e.detail["hint"] for e in events if e.kind == "hint_revealed"] == list(
        range(1, total + 1)
    )


def test_model_rewrite_opens_after_submit_or_for_a_facilitator(url: str) -> None:
    widget = PlanRewriter("bernie-cmht-allotment", learner="sam", store_url=url)
    assert widget.model_button.disabled
    assert widget.reveal_model() is None and widget.model_box.value == ""
    result = widget.submit()
    assert result is not None and set(result["verdicts"]) >= set(CRITERIA)
    assert not widget.model_button.disabled
    assert widget.reveal_model() == load("bernie-cmht-allotment").model_rewrite
    # Self-study learners also see the mistakes people often make with this case.
    assert "Common mistakes with this case" in widget.model_box.value
    assert "Giving every action to the care co-ordinator" in widget.model_box.value
    with RecordStore(url) as store:
        (attempt,) = store.get_attempts("sam", "plan-rewriter")
    assert attempt.text == widget.editor.value
    assert attempt.review["verdicts"]["outcomes"]["verdict"] == "not_met"
    assert attempt.score is not None and attempt.score < 0.5
    facilitator = PlanRewriter(
        "bernie-cmht-allotment", learner="fac", store_url=url, facilitator=True
    )
    assert facilitator.reveal_model() is not None


def test_facilitator_flag_from_the_environment(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOALSTUDIO_FACILITATOR", "1")
    widget = PlanRewriter("javi-oud-taper", learner="fac", store_url=url)
    assert not widget.model_button.disabled


def test_structured_form_writes_plan_text_the_review_reads(url: str) -> None:
    widget = PlanBuilder("bernie-cmht-allotment", learner="sam", store_url=url)
    form = widget.form
    form.goal.value = "I want the plot back the way Jean kept it"
    form.strengths.value = "thirty years of growing vegetables"
    objective, rows = form.objectives[0]
    objective.value = "Bernie works on the plot two mornings a week by 30 April"
    rows[0][2].value, rows[0][3].value = "chooses her two plot mornings", "every Sunday"
    rows[1][0].value, rows[1][1].value = "natural_support", "Siobhan"
    rows[1][2].value, rows[1][3].value = "helps with the heavy digging", "first Saturday of March"
    rows[2][0].value, rows[2][1].value = "practitioner", "Olu"
    rows[2][2].value, rows[2][3].value = "visits at the plot", "monthly"
    added = widget.add_form_goal()
    assert added is not None and widget.last_error is None
    assert widget.editor.value.startswith("Person: Bernadette Quinn")
    assert '"I want the plot back the way Jean kept it" (Bernie)' in widget.editor.value
    assert "- Family or friend (Siobhan): helps with the heavy digging" in widget.editor.value
    assert "- Care co-ordinator (Olu): visits at the plot" in widget.editor.value
    assert form.goal.value == ""  # ready for the next goal
    widget.flush()
    verdicts = {c.criterion: c.verdict for c in widget.feedback.chips}
    assert verdicts["own_words"] == "met" and verdicts["roles"] != "not_met"


def test_form_without_a_goal_is_a_friendly_message(url: str) -> None:
    widget = PlanBuilder("javi-oud-taper", learner="sam", store_url=url)
    assert widget.add_form_goal() is None
    assert widget.last_error == "That did not work: write the goal first"


def test_us_locale_terms(url: str) -> None:
    widget = PlanRewriter("javi-oud-taper", learner="sam", store_url=url)
    assert "treatment plan" in widget.children[2].value  # after the style and the case picker
    labels = [label for label, _ in widget.form.objectives[0][1][0][0].options]
    assert any("case manager" in label for label in labels)


def test_draft_restores_text_hints_and_form(url: str) -> None:
    widget = PlanRewriter("bernie-cmht-allotment", learner="sam", store_url=url)
    widget.type_text("Goal: Bernie is back at the allotment")
    widget.reveal_hint()
    widget.form.goal.value = "half-typed goal"
    widget.flush()
    widget.close()
    again = PlanRewriter("bernie-cmht-allotment", learner="sam", store_url=url)
    assert again.editor.value == "Goal: Bernie is back at the allotment"
    assert again.hints_shown == 1 and again.hint_box.value.count("<li>") == 1
    assert again.form.goal.value == "half-typed goal"
    assert again.feedback is not None and again.feedback.readable


def test_the_form_offers_a_disagreement_line_the_review_reads(url: str) -> None:
    widget = PlanBuilder("bernie-cmht-allotment", learner="sam", store_url=url)
    form = widget.disagreement_form
    assert [c.description for c in (form.who, form.about, form.revisit)] == [
        "Who disagrees (optional)",
        "About what, with each position",
        "How and when it will be revisited",
    ]
    widget.type_text('Person: Bernie\nGoal: "I want my own tablets" (Bernie)\n')
    form.who.value = "Siobhan and Bernie"
    form.about.value = "Siobhan wants Bernie to move in; Bernie wants to stay home"
    form.revisit.value = "revisited at the June review, with both there"
    line = widget.add_form_disagreement()
    assert line == (
        "Disagreement: Siobhan and Bernie: Siobhan wants Bernie to move in; Bernie wants to "
        "stay home (revisited at the June review, with both there)"
    )
    assert widget.editor.value.endswith(line + "\n")
    assert form.who.value == ""
    widget.flush()
    assert widget.feedback is not None and widget.feedback.readable


def test_a_disagreement_without_who_is_a_friendly_message(url: str) -> None:
    widget = PlanBuilder("javi-oud-taper", learner="sam", store_url=url)
    widget.disagreement_form.about.value = "the taper"
    assert widget.add_form_disagreement() is None
    assert widget.last_error is not None and "say who disagrees" in widget.last_error


def test_a_half_written_disagreement_is_kept_in_the_draft(url: str) -> None:
    widget = PlanRewriter("levi-cto-joinery", learner="sam", store_url=url)
    widget.disagreement_form.who.value = "Pearl and Levi"
    widget.flush()
    widget.close()
    again = PlanRewriter("levi-cto-joinery", learner="sam", store_url=url)
    assert again.disagreement_form.who.value == "Pearl and Levi"
