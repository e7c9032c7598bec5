"""``goalstudio workshop``: course set-up, robustness of cohort autograding, and the leak test."""

from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path

import pytest

from goalstudio import cli, grading
from goalstudio.grading import open_course
from goalstudio.grading._case import all_cases, scenario
from goalstudio.grading._simulate import case_for, simulate_submission

A1 = "01-spot-the-language"
A2 = "02-rewrite-the-plan"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


# --------------------------------------------------------------------------------------------
# Quick: no kernels


def test_init_writes_config_and_every_assignment(tmp_path, capsys):
    code, out, _ = run(["workshop", "init", str(tmp_path / "c"), "--course", "team-a"], capsys)
    assert code == 0
    config = (tmp_path / "c" / "nbgrader_config.py").read_text()
    assert "c.CourseDirectory.course_id = 'team-a'" in config
    assert "HideTestsFromFeedback" in config
    for assignment in grading.available_assignments():
        assert (tmp_path / "c" / "source" / assignment / f"{assignment}.ipynb").exists()
    assert f"workshop assign {A1}" in out
    assert len(grading.available_assignments()) == 4


def test_init_refuses_an_existing_course_and_bad_ids(tmp_path, capsys):
    run(["workshop", "init", str(tmp_path), "--course", "a"], capsys)
    code, _, err = run(["workshop", "init", str(tmp_path), "--course", "a"], capsys)
    assert code == 1 and "already holds a course" in err
    code, _, err = run(["workshop", "init", str(tmp_path / "x"), "--course", "a b"], capsys)
    assert code == 1 and "cannot be a course id" in err


def test_commands_outside_a_course_folder_say_what_to_do(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(["workshop", "autograde", A1], capsys)
    assert code == 1
    assert "not a course folder" in err and "workshop init" in err
    assert "Traceback" not in err


def test_unknown_assignment_lists_the_known_ones(tmp_path, capsys):
    run(["workshop", "init", str(tmp_path), "--course", "a"], capsys)
    code, _, err = run(["workshop", "assign", "99-nope", "--dir", str(tmp_path)], capsys)
    assert code == 1 and A1 in err and "99-nope" in err


def test_grading_before_assigning_says_to_assign_first(tmp_path, capsys):
    run(["workshop", "init", str(tmp_path), "--course", "a"], capsys)
    code, _, err = run(["workshop", "autograde", A1, "--dir", str(tmp_path)], capsys)
    assert code == 1 and f"workshop assign {A1}" in err


def test_help_lists_the_actions(capsys):
    code, out, _ = run(["workshop", "--help"], capsys)
    assert code == 0
    for action in ("init", "assign", "collect", "autograde", "feedback", "grades", "nbgrader"):
        assert action in out


def test_help_lists_plan_with_a_description_and_plan_help_works(capsys):
    code, out, _ = run(["workshop", "--help"], capsys)
    assert code == 0
    lines = [line.strip() for line in out.splitlines()]
    plan = [line for line in lines if line.split(" ", 1)[0] == "plan"]
    assert len(plan) == 1 and "agenda" in plan[0] and "run sheet" in plan[0]
    code, out, _ = run(["workshop", "plan", "--help"], capsys)
    assert code == 0
    assert "--minutes" in out and "--template" in out


def test_other_actions_go_to_nbgrader(monkeypatch, capsys):
    from goalstudio.cli import _workshop

    calls = []
    monkeypatch.setattr(_workshop.subprocess, "call", lambda cmd, env: calls.append(cmd) or 7)
    code, _, _ = run(["workshop", "db", "student", "list", "--log-level=ERROR"], capsys)
    assert code == 7
    assert calls[0][1:] == ["-m", "nbgrader", "db", "student", "list", "--log-level=ERROR"]


def test_collect_from_a_folder_files_each_learner(tmp_path, capsys):
    run(["workshop", "init", str(tmp_path / "c"), "--course", "a"], capsys)
    returned = tmp_path / "returned"
    (returned / "Zoë Ødegård").mkdir(parents=True)
    (returned / "ana.ipynb").write_text("{}")
    (returned / "Zoë Ødegård" / f"{A1}.ipynb").write_text("{}")
    code, out, _ = run(
        ["workshop", "collect", A1, "--from", str(returned), "--dir", str(tmp_path / "c")], capsys
    )
    assert code == 0 and "Collected 2" in out
    for learner in ("ana", "Zoë Ødegård"):
        folder = tmp_path / "c" / "submitted" / learner / A1
        assert (folder / f"{A1}.ipynb").exists()
        assert (folder / "timestamp.txt").read_text().strip()


# --------------------------------------------------------------------------------------------
# nbgrader runs (slow: they start kernels)


def _course(tmp_path: Path, assignment: str, capsys, timeout: int = 30):
    root = tmp_path / "course"
    assert (
        run(["workshop", "init", str(root), "--course", "t", "--timeout", str(timeout)], capsys)[0]
        == 0
    )
    return root


def _plant_marker(root: Path, assignment: str) -> str:
    """Put a unique marker inside every hidden test of the course's source notebook."""
    marker = f"leak-marker-{uuid.uuid4().hex}"
    path = root / "source" / assignment / f"{assignment}.ipynb"
    data = json.loads(path.read_text())
    planted = 0
    for cell in data["cells"]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if "### BEGIN HIDDEN TESTS" in source:
            cell["source"] = source.replace(
                "### BEGIN HIDDEN TESTS", f"### BEGIN HIDDEN TESTS\n# {marker}"
            )
            planted += 1
    assert planted
    path.write_text(json.dumps(data))
    return marker


def _a1_answers(case) -> dict[str, str]:
    from goalstudio.rubric import load_lexicon

    phrases = sorted({m.matched_text for m in load_lexicon(case.locale).find(case.deficit_plan)})
    labels = [f"{n}: {label}" for n, (_, label) in enumerate(grading.output_items(case), 1)]
    return {"phrases": "\n".join(phrases), "labels": "\n".join(labels)}


def _edit_notebook(folder: Path, name: str, change) -> None:
    path = folder / name
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def _code_cell(source: str) -> dict:
    return {
        "id": uuid.uuid4().hex[:8],
        "cell_type": "code",
        "metadata": {},
        "source": source,
        "outputs": [],
        "execution_count": None,
    }


@pytest.mark.slow
def test_robustness_every_odd_submission_gets_a_message_and_the_batch_finishes(tmp_path, capsys):
    root = _course(tmp_path, A1, capsys, timeout=6)
    assert run(["workshop", "assign", A1, "--dir", str(root)], capsys)[0] == 0
    course = open_course(root)
    nb = f"{A1}.ipynb"

    def good(learner: str) -> Path:
        return simulate_submission(course, A1, learner, _a1_answers(case_for(learner, A1)))

    good("correct")
    simulate_submission(course, A1, "empty", {})
    tampered = simulate_submission(course, A1, "tampered", {})

    def tamper(data):
        cells = data["cells"]
        for cell in cells:
            if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "spot-language":
                cell["source"] = "3.0"  # trying to award itself full marks
        data["cells"] = [
            c
            for c in cells
            if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") != "spot-outputs"
        ]

    _edit_notebook(tampered, nb, tamper)
    _edit_notebook(good("raises"), nb, lambda d: d["cells"].insert(4, _code_cell("1/0")))
    _edit_notebook(
        good("loops"), nb, lambda d: d["cells"].insert(4, _code_cell("while True:\n    pass"))
    )

    def cut_first_line(data):
        for cell in data["cells"]:
            if cell["metadata"].get("nbgrader", {}).get("grade_id") == "answer-phrases":
                source = (
                    "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
                )
                cell["source"] = source.split("\n", 1)[1]

    _edit_notebook(good("no magic"), nb, cut_first_line)
    good("no stamp")
    (root / "submitted" / "no stamp" / A1 / "timestamp.txt").unlink()
    good("Zoë Ødegård-Nakamura")
    wrong = root / "submitted" / "wrong" / A1
    wrong.mkdir(parents=True)
    shutil.copy(root / "source" / A2 / f"{A2}.ipynb", wrong / f"{A2}.ipynb")
    (root / "submitted" / "nothing" / A1).mkdir(parents=True)
    broken = root / "submitted" / "broken" / A1
    broken.mkdir(parents=True)
    (broken / nb).write_text("{ this is not json")

    report = grading.autograde(course, A1, workers=2)
    by = {r.learner: r for r in report.results}
    assert len(by) == 11
    notes = {name: " ".join(r.notes) for name, r in by.items()}

    assert by["correct"].score == 6 and not by["correct"].notes
    assert by["empty"].score == 0 and "No answer was written" in notes["empty"]
    assert by["tampered"].score == 0  # the edited check was put back and graded for real
    assert "Released cells were changed" in notes["tampered"]
    assert "edited: spot-language" in notes["tampered"]
    assert "deleted: spot-outputs" in notes["tampered"]
    # Cells a learner added are left out and never run (issue 15 §2), and the trainer is told.
    assert by["raises"].score == 6 and "ZeroDivisionError" not in notes["raises"]
    assert "1 cell(s) the learner added were left out of grading and not run" in notes["raises"]
    assert "a code cell starting '1/0'" in notes["raises"]
    assert by["loops"].score == 6 and "'while True:'" in notes["loops"]
    assert "more than 6 s" not in notes["loops"]
    assert by["no stamp"].score == 6 and "timestamp.txt is missing" in notes["no stamp"]
    assert by["Zoë Ødegård-Nakamura"].score == 6 and not by["Zoë Ødegård-Nakamura"].notes
    assert by["wrong"].status == "not_graded" and f"looks like assignment '{A2}'" in notes["wrong"]
    assert by["nothing"].status == "not_graded" and "No notebook was submitted" in notes["nothing"]
    assert by["broken"].status == "not_graded" and "cannot be opened" not in notes["broken"]
    assert "can be opened" in notes["broken"]
    summary = report.summary()
    assert "8 of 11 submissions graded" in summary
    # An answer cell without its '%%answer' line: the line is put back and the text read.
    assert by["no magic"].score == 6 and "(answer-phrases) was removed" in notes["no magic"]
    assert "Traceback" not in summary

    # The same submissions graded one at a time by plain nbgrader kernels score the same.
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    for name in ("correct", "tampered"):
        shutil.rmtree(copy / "autograded" / name)
    serial = grading.autograde(
        open_course(copy), A1, workers=1, preheat=False, learners=["correct", "tampered"]
    )
    for result in serial.results:
        assert result.score == by[result.learner].score
    frame_a = grading.gradebook_frame(root).set_index(["learner", "criterion"])["score"]
    frame_b = grading.gradebook_frame(copy).set_index(["learner", "criterion"])["score"]
    for key in frame_b.index:
        if key[0] in ("correct", "tampered"):
            assert frame_a[key] == frame_b[key]


@pytest.mark.slow
def test_hidden_tests_never_reach_any_feedback_file(tmp_path, capsys):
    from nbgrader.apps import NbGraderAPI  # noqa: F401 - nbgrader is what we guard against

    root = _course(tmp_path, A2, capsys)
    marker = _plant_marker(root, A2)
    assert run(["workshop", "assign", A2, "--dir", str(root)], capsys)[0] == 0
    assert marker not in (root / "release" / A2 / f"{A2}.ipynb").read_text()
    course = open_course(root)
    copied = case_for("copier", A2)
    simulate_submission(course, A2, "copier", {"plan": copied.deficit_plan})
    simulate_submission(course, A2, "writer", {"plan": case_for("writer", A2).model_rewrite})
    others = [c for c in all_cases() if c != case_for("borrower", A2).id]

    simulate_submission(course, A2, "borrower", {"plan": scenario(others[0]).model_rewrite})
    code, out, _ = run(["workshop", "autograde", A2, "--workers", "2", "--dir", str(root)], capsys)
    assert code == 0
    borrower = out.split("borrower:")[1].split("\ncopier:")[0]
    assert f"about case {others[0]}, not the case this learner was given" in borrower
    assert "copier:" in out and "writer:" in out
    # The hidden tests did run at grading: the marker is in the graded notebooks.
    assert marker in (root / "autograded" / "copier" / A2 / f"{A2}.ipynb").read_text()

    code, out, _ = run(["workshop", "feedback", A2, "--dir", str(root)], capsys)
    assert code == 0 and "3 file(s) written" in out
    ours = sorted((root / "feedback").rglob("*.html"))
    assert len(ours) == 3
    page = (root / "feedback" / "copier" / A2 / f"{A2}.html").read_text()
    assert (
        "almost the same as the plan you were asked to rewrite" in page
    )  # hidden check's feedback
    assert "Rubric review" in page and "gs-chip" in page

    # nbgrader's own generate_feedback, with the course's settings, does not leak either.
    result = course.api().generate_feedback(A2)
    assert result["success"], result.get("log")
    everything = sorted((root / "feedback").rglob("*.html"))
    assert everything
    for path in everything:
        text = path.read_text()
        assert marker not in text, path
        assert "BEGIN HIDDEN TESTS" not in text, path


@pytest.mark.slow
def test_assign_release_puts_the_learner_version_in_the_exchange(tmp_path, capsys):
    root = tmp_path / "course"
    assert run(["workshop", "init", str(root), "--course", "hub-course"], capsys)[0] == 0
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    exchange.chmod(0o777)
    config = root / "nbgrader_config.py"
    config.write_text(config.read_text() + f"\nc.Exchange.root = {str(exchange)!r}\n")
    code, out, err = run(["workshop", "assign", A1, "--release", "--dir", str(root)], capsys)
    assert code == 0, err
    assert "Released" in out
    released = exchange / "hub-course" / "outbound" / A1 / f"{A1}.ipynb"
    assert released.exists()
    assert "HIDDEN TESTS" not in released.read_text()


def test_a_submission_whose_kernel_failed_is_graded_again_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from goalstudio.grading import _autograde

    calls: list[str] = []
    monkeypatch.setattr(_autograde, "_worker_init", lambda *args: None)

    def grade(assignment: str, learner: str) -> tuple[str, bool, str, float]:
        calls.append(learner)
        return learner, True, "", 0.1

    monkeypatch.setattr(_autograde, "_grade_one", grade)
    outcomes = [
        ("ok", True, "", 1.0),
        ("died", False, "DeadKernelError: Kernel died before replying to kernel_info", 1.0),
        ("loops", False, "CellTimeoutError: A cell timed out while it was being executed", 1.0),
    ]
    again = _autograde._retry_once("a2", outcomes, "/nowhere", 30)
    assert calls == ["died"]  # a cell that runs too long is not run again
    assert [(o[0], o[1]) for o in again] == [("ok", True), ("died", True), ("loops", False)]


def test_a_gradebook_the_settings_name_is_the_one_used(tmp_path, capsys):
    root = tmp_path / "course"
    assert cli.main(["workshop", "init", str(root), "--course", "t"]) == 0
    assert open_course(root).db_url == f"sqlite:///{root / 'gradebook.db'}?timeout=120"
    elsewhere = tmp_path / "kept" / "grades.db"
    elsewhere.parent.mkdir()
    with (root / "nbgrader_config.py").open("a", encoding="utf-8") as config:
        config.write(f"c.CourseDirectory.db_url = 'sqlite:///{elsewhere}'\n")
    course = open_course(root)
    assert course.db_url == f"sqlite:///{elsewhere}"
    with course.gradebook() as gb:
        gb.update_or_create_student("sam")
    assert elsewhere.exists() and not course.db_path.exists()
    assert course.api().coursedir.db_url == course.db_url  # nbgrader's commands use it too
