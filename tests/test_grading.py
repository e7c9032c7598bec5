"""goalstudio.grading: the checks learners are graded by, their feedback, and the case choice.

These run without Jupyter kernels; tests/test_workshop*.py run nbgrader itself.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from goalstudio import grading, load_scenario
from goalstudio.grading._feedback import render_feedback, strip_for_feedback
from goalstudio.grading._result import RESULT_MIME
from goalstudio.grading._simulate import partial_plan

REPO = Path(__file__).resolve().parent.parent
ASSIGNMENTS = REPO / "course" / "assignments"


@pytest.fixture(scope="module")
def javi():
    return load_scenario("javi-oud-taper")


@pytest.fixture(scope="module")
def bernie():
    return load_scenario("bernie-cmht-allotment")


def test_public_api_is_pinned():
    def style(name: str) -> tuple[int, str]:  # ruff's order: CONSTANTS, Classes, functions
        return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)

    assert grading.__all__ == sorted(grading.__all__, key=style)
    assert grading.__all__ == [
        "VERDICT_CREDIT",
        "Assignment",
        "AutogradeReport",
        "CheckResult",
        "Course",
        "FeedbackReport",
        "HideTestsFromFeedback",
        "LearnerResult",
        "Point",
        "WorkshopError",
        "adopt_orphans",
        "assign",
        "autograde",
        "automatic_verdicts",
        "available_assignments",
        "choose",
        "collect",
        "criterion",
        "current",
        "exchange_negotiation",
        "exchange_views",
        "feedback",
        "gradebook_frame",
        "gradebook_scores",
        "grades_table",
        "init_course",
        "labelled_outputs",
        "learner_id",
        "open_course",
        "output_items",
        "plan_readable",
        "read_exchange",
        "read_labels",
        "read_phrases",
        "read_risk",
        "record",
        "render_feedback",
        "rewritten",
        "risk_record",
        "spotted_language",
        "start",
        "write_grades_csv",
    ]
    for name in grading.__all__:
        assert getattr(grading, name) is not None


def test_importing_the_checks_does_not_load_nbgrader_or_pandas():
    code = (
        "import sys\nfrom goalstudio import grading\n"
        "print('nbgrader' in sys.modules, 'pandas' in sys.modules, 'IPython' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "False"]


# --------------------------------------------------------------------------------------------
# CheckResult: a number for nbgrader, feedback for people


def test_result_prints_as_its_score_and_is_clipped():
    result = grading.CheckResult("c", "Title", 5, 2)
    assert repr(result) == "2"
    assert float(result) == 2.0
    assert repr(grading.CheckResult("c", "Title", -1, 2)) == "0"
    assert repr(grading.CheckResult("c", "Title", 1.256, 2)) == "1.26"


def test_revisit_names_the_module():
    from goalstudio.grading._result import revisit

    assert revisit("03-from-deficits-to-outcomes#outputs") == (
        "Module 3, From problem lists to outcomes: Outputs and outcomes"
    )
    # The section's own heading, never the link's words ("the persons role").
    assert revisit("04-writing-the-plan#the-persons-role") == (
        "Module 4, Writing the plan: The shape of a plan"
    )
    assert revisit("somewhere") == "somewhere"


def test_result_html_escapes_learner_text():
    point = grading.Point("missing", "<script>alert(1)</script>", suggestion="a & b")
    html = grading.CheckResult("c", "T", 0, 1, (point,))._repr_html_()
    assert "<script>" not in html
    assert "&lt;script&gt;" in html and "a &amp; b" in html


def test_result_bundle_carries_score_html_and_data():
    result = grading.CheckResult("c", "T", 1, 2, (grading.Point("good", "ok"),), case="x")
    bundle = result._repr_mimebundle_()
    assert bundle["text/plain"] == "1"
    assert bundle[RESULT_MIME]["case"] == "x"
    assert bundle[RESULT_MIME]["points_noted"][0]["message"] == "ok"


# --------------------------------------------------------------------------------------------
# Plans: criteria follow the rubric's verdicts


def test_model_rewrite_earns_every_criterion(javi):
    for name in ("outcomes", "personalised", "roles", "own_words", "action_oriented"):
        result = grading.criterion(javi.model_rewrite, javi, name, points=2)
        assert result.score == 2, result.text()


def test_deficit_plan_gets_feedback_that_teaches_not_a_traceback(javi):
    result = grading.criterion(javi.deficit_plan, javi, "outcomes", points=2)
    assert result.score == 0
    text = result.text()
    assert "maintain abstinence" in text
    assert "What would that make possible" in text
    assert "AssertionError" not in text and "Traceback" not in text
    assert any(p.teaches.startswith("03-from-deficits") for p in result.points_noted)


def test_partial_credit_follows_partly_verdicts(javi):
    from goalstudio.rubric import review

    text = partial_plan(javi)
    verdicts = review(text, locale=javi.locale, scenario=javi).verdicts
    for name in ("outcomes", "personalised", "own_words"):
        expected = 2 * grading.VERDICT_CREDIT[verdicts[name].verdict]
        assert grading.criterion(text, javi, name, points=2).score == expected
    assert verdicts["outcomes"].verdict == "partly"
    assert grading.criterion(text, javi, "outcomes", points=2).score == 1


def test_unreadable_plan_names_lines_and_fixes(javi):
    result = grading.plan_readable("Goal: to be well\n  - Bob: visits", javi, points=1)
    assert result.score == 0
    assert "Line 2" in result.text()
    criterion = grading.criterion("Goal: to be well\n  - Bob: visits", javi, "roles", points=2)
    assert criterion.score == 0 and "could not be read" in criterion.text()


def test_template_left_in_place_scores_nothing_and_says_so(javi):
    result = grading.plan_readable('Person: [name]\nGoal: "[goal]" (x)', javi)
    assert result.score == 0 and "[name]" in result.text()


def test_empty_answers_score_zero_with_a_message(javi):
    for check in (
        grading.plan_readable,
        grading.rewritten,
        grading.spotted_language,
        grading.labelled_outputs,
        grading.exchange_views,
        grading.exchange_negotiation,
        grading.risk_record,
    ):
        result = check("", javi)
        assert result.score == 0
        assert result.points_noted and result.points_noted[0].tone == "missing"


@pytest.mark.parametrize(
    "text",
    ["\x00\x01", "Goal:" * 500, "%%answer plan", "}{][", 'Goal: "\n', "Ω" * 3000, "\r\n\r\n"],
)
def test_no_check_raises_for_odd_text(javi, text):
    for check in (
        grading.plan_readable,
        grading.rewritten,
        grading.spotted_language,
        grading.labelled_outputs,
        grading.exchange_views,
        grading.exchange_negotiation,
        grading.risk_record,
    ):
        result = check(text, javi)
        assert 0 <= result.score <= result.points
    assert 0 <= grading.criterion(text, javi, "outcomes", points=2).score <= 2


def test_copying_the_old_plan_is_not_a_rewrite(javi):
    assert grading.rewritten(javi.deficit_plan, javi).score == 0
    assert grading.rewritten(javi.model_rewrite, javi).score == 1


# --------------------------------------------------------------------------------------------
# Assignment 1


def test_spotting_language_scores_what_was_found(javi):
    from goalstudio.rubric import load_lexicon

    every = {m.matched_text for m in load_lexicon(javi.locale).find(javi.deficit_plan)}
    assert {"comply", "relapse"} <= {w.lower() for w in every}
    full = grading.spotted_language("\n".join(sorted(every)), javi, points=3)
    assert full.score == 3, full.text()
    some = grading.spotted_language("client\ncomply", javi, points=3)
    assert 0 < some.score < 3
    missed = [p.message for p in some.points_noted if p.tone == "missing"]
    assert any("relapse" in m for m in missed)
    wrong = grading.spotted_language("client\ncomply\nbananas", javi, points=3)
    assert wrong.score < some.score
    assert any("not in Javi's plan" in p.message for p in wrong.points_noted)


def test_labelling_outputs_and_outcomes(javi):
    items = grading.output_items(javi)
    assert {label for _, label in items} == {"output", "outcome"}
    assert all(text not in javi.model_rewrite for text, _ in items)  # never leaks the model
    right = "\n".join(f"{n}: {label}" for n, (_, label) in enumerate(items, 1))
    assert grading.labelled_outputs(right, javi).score == 3
    flipped = {"output": "outcome", "outcome": "output"}
    wrong = "\n".join(f"{n}: {flipped[label]}" for n, (_, label) in enumerate(items, 1))
    result = grading.labelled_outputs(wrong, javi)
    assert result.score == 0
    assert "it names something the service provides" in result.text()
    garbled = grading.labelled_outputs("one is an output\n2: maybe", javi)
    assert garbled.score == 0 and "NUMBER: output" in garbled.text()


# --------------------------------------------------------------------------------------------
# Assignments 3 and 4

EXCHANGE = """
View: Person (Javi)
  Matters: being on time for Sofia
  Concerns: that staying on medication means he is not really clean
  Proposes: off buprenorphine in three months
View: Family (Marisol, his sister)
  Matters: Javi alive and a father to Sofia
  Concerns: overdose if he stops too fast
View: Practitioner (Keisha, case manager)
  Matters: his goals and his safety
  Concerns: a fast taper
View: Agency (the program)
  Matters: medical necessity for Medicaid
  Concerns: continuity of care
Agree: Javi keeps his custody days (person, family, practitioner)
Disagree: how fast to taper
  Person: within three months
  Practitioner: slowly, with naloxone at home
  Handled: a slow taper reviewed monthly; both views stay on record
Outcome: Javi picks Sofia up on time every Tuesday and Thursday
"""


def test_exchange_checks(javi):
    assert grading.exchange_views(EXCHANGE, javi).score == 2
    assert grading.exchange_negotiation(EXCHANGE, javi).score == 2
    only_two = EXCHANGE.split("View: Practitioner")[0]
    views = grading.exchange_views(only_two, javi)
    assert views.score == 1
    assert "no view from the practitioner" in views.text()
    no_dissent = re.sub(r"Disagree:.*?Outcome", "Outcome", EXCHANGE, flags=re.DOTALL)
    negotiation = grading.exchange_negotiation(no_dissent, javi)
    assert 0 < negotiation.score < 2
    assert "never erased" in negotiation.text()


def test_exchange_reader_reports_unknown_lines():
    answer = grading.read_exchange("View: Neighbour (Bob)\nColour: blue")
    assert [p.line for p in answer.problems] == [1, 2]


RISK = """
Goal: drive for a living again
Person's view: "I've done eight months. I know what a slip feels like."
Option: Do nothing (stay on the current dose)
  Benefits: no change to what is working
  Risks: Javi feels stuck
Option: A slow taper with weekly check-ins
  Benefits: his own choice; fewer clinic visits
  Risks: cravings; overdose after a slip
Strengths: eight months without using; honest with his case manager
Safer: Sister (Marisol): keeps naloxone at home
Position (person): wants to start in May
Position (family): worried but supportive
Position (practitioner): supports a slow taper with review
Decision: a slow taper starting in May
Dissent: the prescriber would rather wait until probation ends
Review: 1 June 2026
"""


def test_risk_record_check(javi):
    assert grading.risk_record(RISK, javi).score == 3
    no_do_nothing = RISK.replace("Option: Do nothing (stay on the current dose)", "Option: Stay")
    result = grading.risk_record(no_do_nothing, javi)
    assert result.score < 3
    assert "'Do nothing'" in result.text()
    staff_only = RISK.replace("Safer: Sister (Marisol)", "Safer: Case manager")
    assert "Safer:" in grading.risk_record(staff_only, javi).text()


# --------------------------------------------------------------------------------------------
# Which case a learner gets


def test_case_choice_is_stable_and_spread():
    cases = ["a", "b", "c", "d"]
    assert grading.choose("ana", "02", cases) == grading.choose("ana", "02", list(reversed(cases)))
    chosen = {grading.choose(f"learner {n}", "02", cases) for n in range(40)}
    assert chosen == set(cases)
    # Adding a case moves only learners to the new case.
    for n in range(40):
        before = grading.choose(f"learner {n}", "02", cases)
        after = grading.choose(f"learner {n}", "02", [*cases, "e"])
        assert after in (before, "e")


def test_learner_id_during_autograde_comes_from_the_folder(tmp_path, monkeypatch):
    folder = tmp_path / "autograded" / "zoë smith" / "02"
    folder.mkdir(parents=True)
    monkeypatch.delenv("GOALSTUDIO_LEARNER", raising=False)
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    monkeypatch.chdir(folder)
    assert grading.learner_id() == "zoë smith"
    monkeypatch.setenv("GOALSTUDIO_LEARNER", "set by trainer")
    assert grading.learner_id() == "set by trainer"


def test_answer_that_names_another_case_is_graded_on_that_case(javi, bernie, monkeypatch):
    monkeypatch.setenv("GOALSTUDIO_LEARNER", "someone")
    work = grading.start("02-rewrite-the-plan", cases=["javi-oud-taper", "bernie-cmht-allotment"])
    other = bernie if work.case.id == javi.id else javi
    grading.record("plan", other.model_rewrite)
    assert work.case_for("plan").id == other.id
    assert work.criterion("outcomes", points=2).case == other.id
    assert work.criterion("outcomes", points=2).score == 2


def test_record_gives_a_plain_status(monkeypatch):
    monkeypatch.setenv("GOALSTUDIO_LEARNER", "someone")
    grading.start("02-rewrite-the-plan", cases=["javi-oud-taper"])
    assert "empty" in grading.record("plan", "  ")
    assert "[name]" in grading.record("plan", "Person: [name]")
    assert "Line 1" in grading.record("plan", "Objective: x")
    assert grading.record("plan", load_scenario("javi-oud-taper").model_rewrite).startswith(
        "Saved."
    )
    assert repr(grading.current().preview("plan")) == "So far: The studio can read your answer."
    with pytest.raises(ValueError, match="answer kind"):
        grading.record("essay", "x")


# --------------------------------------------------------------------------------------------
# Feedback pages never show test code


def _graded_notebook(marker: str) -> dict:
    check = grading.CheckResult("c", "Outcomes", 1, 2, (grading.Point("missing", "<b>x</b>"),))
    return {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": "# Assignment"},
            {
                "cell_type": "code",
                "metadata": {"nbgrader": {"solution": True, "grade_id": "answer"}},
                "source": "%%answer plan\n<script>alert('learner')</script>",
                "outputs": [],
            },
            {
                "cell_type": "code",
                "metadata": {"nbgrader": {"grade": True, "grade_id": "outcomes", "points": 2}},
                "source": f"work.preview('plan')\n### BEGIN HIDDEN TESTS\n# {marker}\n"
                "### END HIDDEN TESTS",
                "outputs": [
                    {
                        "output_type": "execute_result",
                        "data": {
                            "text/plain": "1",
                            "text/html": check._repr_html_(),
                            RESULT_MIME: check.to_dict(),
                        },
                    }
                ],
            },
            {
                "cell_type": "code",
                "metadata": {"nbgrader": {"grade": True, "grade_id": "roles", "points": 2}},
                "source": f"assert False, '{marker}'",
                "outputs": [
                    {
                        "output_type": "error",
                        "ename": "AssertionError",
                        "evalue": marker,
                        "traceback": [f"assert False, '{marker}'"],
                    }
                ],
            },
        ]
    }


def test_feedback_page_shows_feedback_but_no_test_code():
    marker = "leak-marker-7f3a9c"
    page = render_feedback(
        _graded_notebook(marker),
        learner="Zoë <b>",
        assignment="02",
        grades={"outcomes": {"score": 1, "max_score": 2}, "roles": {"score": 0, "max_score": 2}},
        comments={"outcomes": "Good start <i>really</i>"},
        score=1,
        max_score=4,
    )
    assert marker not in page
    assert "AssertionError" in page  # the name of the problem, never its text
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "Zoë &lt;b&gt;" in page
    assert "Marker: Good start &lt;i&gt;really&lt;/i&gt;" in page
    assert "Outcomes" in page and "1 of 2 points" in page


def test_strip_for_nbgraders_own_feedback_removes_tests_and_tracebacks():
    marker = "leak-marker-b41d"
    for cell in _graded_notebook(marker)["cells"]:
        stripped = strip_for_feedback(cell)
        assert marker not in json.dumps(stripped)


# --------------------------------------------------------------------------------------------
# The assignment sources


def test_assignment_notebooks_match_their_build_script():
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_sources", ASSIGNMENTS / "build_sources.py")
    assert spec and spec.loader
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    for assignment in build.BUILDERS:
        path = ASSIGNMENTS / assignment / f"{assignment}.ipynb"
        assert path.read_text(encoding="utf-8") == build.render(assignment), (
            f"{path} is out of date: run course/assignments/build_sources.py"
        )


@pytest.mark.parametrize("assignment", grading.available_assignments())
def test_assignment_source_is_valid_nbgrader_without_outputs(assignment):
    from nbgrader.nbgraderformat import MetadataValidator

    nb = nbformat.read(ASSIGNMENTS / assignment / f"{assignment}.ipynb", as_version=4)
    MetadataValidator().validate_nb(nb)
    checks = 0
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and cell.cell_type == "code":
            checks += 1
            last = cell.source.strip().splitlines()[-1]
            if "END HIDDEN TESTS" in last:
                last = cell.source.split("### END HIDDEN TESTS")[0].strip().splitlines()[-1]
            points = re.search(r"points=([\d.]+)", last)
            assert points and float(points.group(1)) == meta["points"], cell.source
            name = re.search(r'(?:check|criterion)\("([\w-]+)"', last)
            assert name, last
            if "work.check(" in last:
                assert hasattr(grading, name.group(1)), name.group(1)
        if meta.get("solution"):
            assert cell.source.startswith("%%answer ")
            assert "### BEGIN SOLUTION" in cell.source
    assert checks >= 1
    assert assignment in {
        "01-spot-the-language",
        "02-rewrite-the-plan",
        "03-negotiated-plan",
        "04-risk-decision",
    }


def test_every_assignment_has_a_manual_rubric_with_four_levels_except_the_first():
    for assignment in grading.available_assignments():
        nb = nbformat.read(ASSIGNMENTS / assignment / f"{assignment}.ipynb", as_version=4)
        tasks = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("task")]
        if assignment.startswith("01"):
            assert tasks == []
            continue
        assert len(tasks) == 2
        for task in tasks:
            rows = [ln for ln in task.source.splitlines() if re.match(r"\| \d \|", ln)]
            assert [r[2] for r in rows] == ["0", "1", "2", "3"]
            sources = ("PCCP-AM", "Exchange Model", "Department of Health")
            assert any(source in task.source for source in sources)
