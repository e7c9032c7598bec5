"""Feedback a learner reads to the end: the person's pronouns, verbs read as verbs, and the
course section each finding points to named as the learner sees it."""

from __future__ import annotations

import dataclasses

import pytest

from goalstudio import load_scenario
from goalstudio._pronouns import pronouns_of
from goalstudio.courseware.manifest import where_taught
from goalstudio.grading._simulate import partial_plan
from goalstudio.rubric import review

SAMIRA = "samira-camhs-to-adult-architecture"


@pytest.mark.parametrize(
    ("stated", "they", "them", "their", "loves"),
    [
        ("she/her", "she", "her", "her", "loves"),
        ("He/Him", "he", "him", "his", "loves"),
        ("they/them", "they", "them", "their", "love"),
        ("she/they", "she", "her", "her", "loves"),
        ("", "they", "them", "their", "love"),
        ("ze/zir", "they", "them", "their", "love"),
    ],
)
def test_pronouns_come_from_what_the_scenario_states(stated, they, them, their, loves) -> None:
    p = pronouns_of(stated)
    assert (p.they, p.them, p.their, p.verb("love", "loves")) == (they, them, their, loves)


def test_messages_about_samira_use_her_pronouns_not_their() -> None:
    case = load_scenario(SAMIRA)
    assert case.person.pronouns.startswith("she")
    result = review(partial_plan(case), case.locale, case)
    texts = [f.message + " " + f.suggestion for f in result.findings]
    assert any("is written about Samira, not in her words." in t for t in texts)
    assert any("or things she loves" in t for t in texts)
    assert not [t for t in texts if "Samira" in t and " their " in f" {t} "]


def test_without_a_scenario_the_person_is_they() -> None:
    result = review("Person: Jo\nGoal: Reduce symptoms.\n")
    message = next(f for f in result.findings if f.rule == "own_words.goal-not-in-own-words")
    assert message.message.endswith("not in their words.")


def _verbless(step: str) -> bool:
    text = (
        'Goal: "I want to finish my degree." (Samira)\n'
        "  Objective: Samira hands in her portfolio by 1 May.\n"
        f"    - {step}\n"
        "      When: by 31 January\n"
    )
    return any(f.rule == "action_oriented.action-no-verb" for f in review(text).findings)


@pytest.mark.parametrize(
    "step",
    [
        "CAMHS psychiatrist: hands the prescribing over to her GP",
        "CAMHS psychiatrist: hands Samira's sertraline prescribing over to her GP",
        "Samira: leads the part of the meeting about her sharing agreement",
        "Mother (Rania): comes to the transition meeting",
        "Samira: wears the locator watch on her walks",
        "Samira: switches on the spending block in her banking app",
        "Samira: phones the wellbeing service",
    ],
)
def test_steps_that_open_with_a_verb_are_read_as_verbs(step: str) -> None:
    assert not _verbless(step)


@pytest.mark.parametrize(
    "step",
    [
        "CAMHS psychiatrist: medication review",
        "CAMHS practitioner: risk assessment and safety plan reviewed",
        "Nurse: weekly visits by the team",
        "Team: letters requesting contact",
    ],
)
def test_steps_without_a_verb_are_still_noted(step: str) -> None:
    assert _verbless(step)


def test_revisit_names_the_section_as_the_learner_sees_it() -> None:
    assert where_taught("04-writing-the-plan#the-persons-role") == (
        "Module 4, Writing the plan: The shape of a plan"
    )
    assert where_taught("04-writing-the-plan") == "Module 4, Writing the plan"
    assert where_taught("04-writing-the-plan#no-such-section") == "Module 4, Writing the plan"
    assert where_taught("not-a-module") == "not-a-module"


# --------------------------------------------------------------------------------------------
# feedback_digest: what works, the changes that matter most, the rest by kind


def _samira_partial():
    case = load_scenario(SAMIRA)
    return case, review(partial_plan(case), case.locale, case)


def test_digest_keeps_every_finding_once_and_explains_each_kind_once() -> None:
    from goalstudio.rubric import feedback_digest

    _case, result = _samira_partial()
    digest = feedback_digest(result)
    groups = [*digest.priorities, *digest.groups]
    shown = [place for group in groups for place in group.places]
    assert sorted(shown, key=id) == sorted(result.findings, key=id)
    assert digest.findings == len(result.findings)
    kinds = [(g.rule, g.why) for g in groups]
    assert len(kinds) == len(set(kinds))  # one group, so one explanation, per kind
    assert len(groups) < len(result.findings) / 2
    for group in groups:
        assert all(p.rule == group.rule and p.why == group.why for p in group.places)
        order = [result.findings.index(p) for p in group.places]
        assert order == sorted(order)  # places in plan order


def test_digest_raises_two_or_three_changes_from_different_criteria_worst_first() -> None:
    from goalstudio.rubric import feedback_digest

    _case, result = _samira_partial()
    digest = feedback_digest(result)
    assert 2 <= len(digest.priorities) <= 3
    criteria = [g.criterion for g in digest.priorities]
    assert len(set(criteria)) == len(criteria)
    assert all(g.severity == "warning" for g in digest.priorities)
    # Within a criterion, a goal that is a service output comes before objectives that are.
    assert digest.priorities[0].rule == "outcomes.goal-is-output"
    # The three goals still written about Samira are one change, not three.
    words = next(g for g in digest.priorities if g.criterion == "own_words")
    assert [p.location for p in words.places] == ["goal 5", "goal 6", "goal 7"]
    assert words.title == "A goal is not in the person's words"
    # Nothing left over outranks a priority.
    verdict = {"not_met": 0, "partly": 1, "met": 2}
    worst = max(verdict[result.verdict(c)] for c in criteria)
    for group in digest.groups:
        if group.severity == "warning" and group.criterion in result.verdicts:
            assert group.criterion in criteria or verdict[result.verdict(group.criterion)] >= worst


def test_a_criterion_not_met_comes_before_one_partly_met() -> None:
    from goalstudio.rubric import feedback_digest

    text = (
        "Person: Jo\n"
        "Goal: Reduce symptoms of psychosis.\n"
        "  Objective: Jo attends all appointments.\n"
        "    - Care co-ordinator: monitors mental state\n"
        "      When: weekly\n"
    )
    result = review(text)
    digest = feedback_digest(result)
    first = digest.priorities[0]
    assert result.verdict(first.criterion) == "not_met"
    assert digest.priorities[0].criterion != "structure"


def test_digest_names_what_the_plan_does_well() -> None:
    from goalstudio.rubric import feedback_digest

    case, result = _samira_partial()
    well = {s.criterion: s.text for s in feedback_digest(result).strengths}
    assert well["own_words"] == "Goals 1, 2, 3 and 4: quoted, in Samira's words"
    assert well["roles"].startswith("10 action steps owned by the person")
    model = review(case.model_rewrite, case.locale, case)
    met = {c for c, v in model.verdicts.items() if v.verdict == "met"}
    arranged = feedback_digest(model)
    assert {s.criterion for s in arranged.strengths} == met
    assert not [g for g in arranged.priorities if g.severity == "warning"]


def test_top_zero_leaves_every_finding_in_the_groups() -> None:
    from goalstudio.rubric import feedback_digest

    result = review(load_scenario(SAMIRA).deficit_plan)
    digest = feedback_digest(result, top=0)
    assert digest.priorities == ()
    assert digest.findings == len(result.findings) > 0
    assert digest.to_dict()["priorities"] == []


# --------------------------------------------------------------------------------------------
# The nbgrader feedback page


def _page_for(plan: str) -> str:
    from goalstudio import grading
    from goalstudio.grading._feedback import render_feedback
    from goalstudio.grading._result import RESULT_MIME

    case = load_scenario(SAMIRA)
    checks = [
        dataclasses.replace(check, case=SAMIRA)  # as work.check() records the case
        for check in (
            grading.plan_readable(plan, case, points=1),
            *(grading.criterion(plan, case, name) for name in ("outcomes", "own_words")),
        )
    ]
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": "# Assignment 2"},
        {
            "cell_type": "code",
            "metadata": {"nbgrader": {"solution": True, "grade_id": "answer-plan"}},
            "source": "%%answer plan\n" + plan,
            "outputs": [],
        },
    ]
    for check in checks:
        cells.append(
            {
                "cell_type": "code",
                "metadata": {"nbgrader": {"grade": True, "grade_id": check.check}},
                "source": "work.check()",
                "outputs": [
                    {
                        "output_type": "execute_result",
                        "data": {"text/plain": repr(check), RESULT_MIME: check.to_dict()},
                    }
                ],
            }
        )
    return render_feedback({"cells": cells}, learner="sam", assignment="02", grades={}, comments={})


def test_feedback_page_reads_strengths_then_priorities_then_kinds() -> None:
    case = load_scenario(SAMIRA)
    page = _page_for(partial_plan(case))
    well = page.index("What your plan does well")
    top = page.index("The changes that would matter most")
    rest = page.index("Other things to look at")
    assert well < top < rest
    # Each kind explains itself once, not once per place.
    assert page.count("Why it matters") < 20
    assert page.count("Goals kept in the person&#39;s own words are the ones") == 1
    assert "not in her words" in page and "their words" not in page
    # The criterion checks point at the review instead of repeating it.
    assert 'class="gs-scores"' in page and page.count('data-check="criterion-') == 2
    assert "the persons role" not in page and "Module 4, Writing the plan" in page
    # The plan itself is still on the page, folded away above its review.
    assert "Show your answer as you handed it in" in page
    assert "I want to swim again without hiding my arms." in page


def test_feedback_page_for_a_model_rewrite_leads_with_what_works() -> None:
    page = _page_for(load_scenario(SAMIRA).model_rewrite)
    assert page.index("What your plan does well") < page.index("Your scores, check by check")
    assert "Goals 1, 2, 3 and 4: quoted, in Samira&#39;s words" in page
    assert "gs-chip gs-not_met" not in page
    # Notes on a plan that meets every criterion are not presented as needed changes.
    assert "The changes that would matter most" not in page


# --------------------------------------------------------------------------------------------
# The live review in the plan rewriter


def test_live_review_leads_with_what_works_and_explains_each_kind_once(tmp_path) -> None:
    from goalstudio.widgets import PlanRewriter

    widget = PlanRewriter(SAMIRA, learner="sam", store_url=f"sqlite:///{tmp_path / 'r.db'}")
    widget.type_text(partial_plan(load_scenario(SAMIRA)))
    widget.flush()
    fb = widget.feedback
    assert fb is not None and fb.priorities and fb.kinds
    shown = widget.findings.value
    assert shown.index("Working well") < shown.index("The changes that would matter most")
    assert shown.index("The changes that would matter most") < shown.index("Other things")
    kinds = len(fb.priorities) + len(fb.kinds)
    assert shown.count("Why it matters") == kinds < len(fb.findings) / 2
    # Every place keeps its line, so the learner can find it in the text.
    words = next(k for k in fb.priorities if k.criterion == "own_words")
    assert words.places[0].text == "Goal 5 is written about Samira, not in her words."
    assert all(f"Line {p.line}:" in shown for p in words.places)
    assert "their words" not in shown


# --------------------------------------------------------------------------------------------
# The chart review


def test_chart_review_reads_what_the_plan_shows_then_the_gaps_that_matter_most() -> None:
    from goalstudio.exercises.chart import arrange_chart
    from goalstudio.rubric import chart_review

    case = load_scenario(SAMIRA)
    suggestions = chart_review(case.deficit_plan, case.locale)
    order = arrange_chart(suggestions)
    assert sorted(i.id for i in order.items) == sorted(i.id for i in suggestions.items)
    assert all(i.answer == "yes" for i in order.well)
    assert 1 <= len(order.most) <= 3 and all(i.answer == "no" for i in order.most)
    assert [i.confidence for i in order.most] == sorted(
        (i.confidence for i in order.most), reverse=True
    )
    gaps = [i for i in order.rest if i.answer == "no"]
    assert all(g.confidence <= order.most[-1].confidence for g in gaps)
    answers = [i.answer for i in order.rest]
    assert answers == sorted(answers, key=lambda a: a == "unclear")  # gaps, then unclear


def test_chart_widget_shows_the_parts_in_that_order(tmp_path) -> None:
    from goalstudio.widgets import ChartReview

    widget = ChartReview(SAMIRA, learner="sam", store_url=f"sqlite:///{tmp_path / 'r.db'}")
    widget.load_scenario_plan()
    assert widget.suggest() == 11
    texts = [getattr(c, "value", "") for c in widget.items_box.children]
    assert "Look first at:" in texts[0]
    headings = [t for t in texts if t.startswith("<h4>")]
    assert headings[-2:] == [
        "<h4>The gaps that matter most</h4>",
        "<h4>Other gaps, and what the text cannot show</h4>",
    ]


def test_a_kind_in_one_line_names_its_places_once() -> None:
    from goalstudio.rubric import feedback_digest

    _case, result = _samira_partial()
    groups = {g.rule: g for g in feedback_digest(result, top=0).groups}
    timing = groups["action_oriented.objective-no-timeframe"].in_one_line()
    assert timing == (
        "An objective has no time frame: goal 6 > objective 1, goal 6 > objective 2 and "
        "goal 7 > objective 1."
    )
    staff = groups["roles.objective-staff-only"].in_one_line()
    assert staff.startswith("Only staff act under an objective: goal 5 > objective 1, ")
    # Places that say different things keep their own words.
    output = groups["outcomes.objective-is-output"].in_one_line()
    assert "('compliant')" in output and "('engage with')" in output


def test_a_finding_about_the_whole_plan_is_said_once_not_placed() -> None:
    from goalstudio.exercises.plan import plan_feedback
    from goalstudio.widgets._plan_review import findings_html

    case = load_scenario("bernie-cmht-allotment")
    fb = plan_feedback(case.deficit_plan, case.locale, case)
    staff = next(
        k for k in fb.priorities + fb.kinds if k.criterion == "roles" and not k.places[0].line
    )
    assert staff.title == "Only staff and services act in this plan"
    shown = findings_html(fb)
    part = shown[shown.index(staff.title) :]
    assert "<li><b></b>Plan</li>" not in part[:600]  # no bare "Plan" listed as its place
