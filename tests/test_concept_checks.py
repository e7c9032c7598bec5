"""Concept checks: questions as validated data, the widget, the lint spacing and the board."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from goalstudio.courseware.manifest import load_manifest
from goalstudio.courseware.release import check_gaps, checks_in, lint_course, read_notebook
from goalstudio.exercises.check import CheckFileError, get_check, load_checks, parse_check_file
from goalstudio.records import RecordStore
from goalstudio.records import reports as q
from goalstudio.widgets import ConceptCheck
from goalstudio.widgets.dashboards._board import check_answers_html
from goalstudio.widgets.dashboards._common import frame
from tests.conftest import REPO

COURSE = REPO / "course"

GOOD = """\
schema_version: 1
module: '03'
checks:
- id: 03-sample
  question: Which is an outcome?
  teaches: 03-from-deficits-to-outcomes#outcomes
  source: Miller and Barrie, 2016
  answers:
  - text: A weekly visit.
    why: A visit is a service delivered, an output.
  - text: Back at the allotment by May.
    correct: true
    why: It is a change in the person's life.
"""


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'records.sqlite'}"


def test_every_module_has_checks_and_every_wrong_answer_its_own_explanation() -> None:
    checks = load_checks()
    assert {c.module for c in checks} == {m.id for m in load_manifest().modules}
    for check in checks:
        right = [a for a in check.answers if a.correct]
        assert len(right) == 1, check.id
        whys = [a.why for a in check.answers]
        assert len(set(whys)) == len(whys), check.id
    # The right answer is not always in the same place.
    assert len({c.right_key for c in checks}) >= 3


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda t: t.replace("    why: A visit is a service delivered, an output.\n", ""),
            "course/checks/03.yaml, line 9: checks[0].answers[0].why: Field required. Fix: add it.",
        ),
        (
            lambda t: t.replace(
                "  - text: A weekly visit.\n", "  - text: A weekly visit.\n    correct: true\n"
            ),
            "course/checks/03.yaml, line 4: checks[0]: mark exactly one answer 'correct: true' "
            "(this check has 2)",
        ),
        (
            lambda t: t.replace(
                "It is a change in the person's life.", "A visit is a service delivered, an output."
            ),
            "give each wrong answer its own explanation",
        ),
        (
            lambda t: t.replace("  question:", "  questoin:"),
            "line 5: checks[0].questoin: Extra inputs are not permitted. Fix: remove it, or check "
            "its spelling (allowed: id, kind, question, answers, teaches, source)",
        ),
        (
            lambda t: t.replace("- id: 03-sample", "- id: 04-sample"),
            "start its id with '03-'",
        ),
        (
            lambda t: t.replace("  question: Which is an outcome?", "  question: [unclosed"),
            "course/checks/03.yaml, line 6: this is not valid YAML",
        ),
    ],
)
def test_a_bad_check_file_names_the_file_the_line_and_the_fix(change: Any, expected: str) -> None:
    assert parse_check_file(GOOD, "course/checks/03.yaml").checks[0].right_key == "b"
    with pytest.raises(CheckFileError) as caught:
        parse_check_file(change(GOOD), "course/checks/03.yaml")
    assert expected in str(caught.value)


def test_a_wrong_answer_explains_its_misconception_and_the_room_is_counted(url: str) -> None:
    widget = ConceptCheck("03-outputs", learner="ana", store_url=url)
    check = get_check("03-outputs")
    assert widget.module == "03"
    # The question labels the radio group, so a screen reader announces it with the answers.
    assert widget.choice.description == check.question
    assert widget.check_button.disabled  # nothing chosen yet
    widget.choose("a")
    assert not widget.check_button.disabled
    outcome = widget.check_answer()
    assert outcome is not None and not outcome.correct
    assert 'role="alert"' in widget.feedback.value and "Not quite: A" in widget.feedback.value
    assert "Attending a group is a service delivered" in widget.feedback.value
    assert widget.others.value == ""  # the other explanations open once it is solved
    widget.choose("c")
    assert widget.check_answer().correct  # type: ignore[union-attr]
    assert "Yes: C is the best answer" in widget.feedback.value
    assert "Why the other answers miss" in widget.others.value
    assert (
        "Referral" not in widget.others.value and "A referral is an output" in widget.others.value
    )

    bo = ConceptCheck("03-outputs", learner="bo", store_url=url)
    bo.choose("c")
    bo.check_answer()
    with RecordStore(url) as store:
        events = store.get_events("ana", check.activity)
        assert [(e.kind, e.detail["answer"], e.detail["try"]) for e in events] == [
            ("check_answered", "a", 1),
            ("check_answered", "c", 2),
        ]
        counts = frame(q.check_answers(store), q.CheckAnswers)
    assert counts.to_dict("records") == [
        {"check": "03-outputs", "answer": "a", "first": 1, "chosen": 1},
        {"check": "03-outputs", "answer": "c", "first": 1, "chosen": 2},
    ]
    panel = check_answers_html(counts)
    assert "Most chosen wrong first answer: A</b> (1 of 2)" in panel
    assert "Attending a group is a service delivered" in panel


def test_the_answer_is_restored_and_bad_input_is_friendly(url: str) -> None:
    widget = ConceptCheck("06-asking", learner="ana", store_url=url)
    assert widget.check_answer() is None
    assert "choose an answer first" in (widget.last_error or "")
    widget.choose("z")
    assert "choose one of the answers A, B" in (widget.last_error or "")
    widget.choose("b")
    widget.check_answer()
    widget.close()
    again = ConceptCheck("06-asking", learner="ana", store_url=url)
    assert again.choice.value == "b" and again.answers.solved
    assert "Yes: B" in again.feedback.value
    missing = ConceptCheck("06-no-such-check", learner="ana", store_url=url)
    assert "no concept check '06-no-such-check'" in (missing.last_error or "")
    assert "Traceback" not in (missing.last_error or "")


def test_no_learner_goes_more_than_about_15_minutes_without_a_check() -> None:
    for module in load_manifest().modules:
        nb = read_notebook(COURSE / module.file)
        asked = [c for cell in nb["cells"] for c in checks_in(cell)]
        assert asked, module.id
        for gap in check_gaps(nb, module.minutes.self_study):
            assert gap.minutes <= gap.allowed, (module.id, gap)


def _copy(tmp_path: Path) -> Path:
    source = tmp_path / "course"
    shutil.copytree(COURSE, source, ignore=shutil.ignore_patterns("assignments", "facilitator"))
    return source


def test_lint_finds_a_long_stretch_an_unknown_check_and_a_check_never_asked(
    tmp_path: Path,
) -> None:
    source = _copy(tmp_path)
    path = source / "03-from-deficits-to-outcomes.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    # Without the check between the spotter and the rewrite, 36 minutes pass without one.
    nb["cells"] = [c for c in nb["cells"] if c.get("id") != "check-03-language"]
    nb["cells"].append(
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "typo",
            "metadata": {"jupyter": {"source_hidden": True}},
            "outputs": [],
            "source": ['ConceptCheck("03-no-such")'],
        }
    )
    path.write_text(json.dumps(nb), encoding="utf-8")
    problems = [str(p) for p in lint_course(source)]
    assert any(
        "without a concept check before this concept check" in p and "of the manifest's 55" in p
        for p in problems
    ), problems
    assert any("ConceptCheck('03-no-such') is not in course/checks/" in p for p in problems)
    assert any("the check '03-language' is asked 0 times" in p for p in problems)


def test_lint_reads_check_language_and_sections(tmp_path: Path) -> None:
    source = _copy(tmp_path)
    path = source / "checks" / "03.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "why: >-\n      A referral is an output.",
        "why: >-\n      The client is non-compliant. A referral is an output.",
        1,
    ).replace(
        "teaches: 03-from-deficits-to-outcomes#personalised",
        "teaches: 03-from-deficits-to-outcomes#nowhere",
    )
    path.write_text(text, encoding="utf-8")
    problems = [str(p) for p in lint_course(source)]
    assert any("03-outputs: language: 'non-compliant'" in p for p in problems), problems
    assert any("03-criteria: teaches '03-from-deficits-to-outcomes#nowhere'" in p for p in problems)
