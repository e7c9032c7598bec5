"""A whole workshop, as a trainer runs it: init, assign, collect, autograde, feedback, grades.

Thirty simulated learners work locally and hand their notebooks back in a folder: some write a
good rewrite, some half of one, some copy the deficit-led plan, some hand in nothing, and some
tamper with the locked checks. A unique marker planted in the hidden tests must appear in no
feedback file.
"""

from __future__ import annotations

import csv
import io
import json
import uuid

import pytest

from goalstudio import cli
from goalstudio.grading._simulate import case_for, fill_answers, partial_plan

A2 = "02-rewrite-the-plan"
AUTO_POINTS = 14  # plan-readable 1, rewritten 1, six criteria x 2
KINDS = ["correct"] * 9 + ["partial"] * 8 + ["deficit"] * 7 + ["empty"] * 3 + ["tampered"] * 3


def expected_auto(text: str, case) -> float:
    """What the autograded checks give this answer when run directly, outside nbgrader."""
    from goalstudio import grading

    total = grading.plan_readable(text, case, points=1).score
    total += grading.rewritten(text, case, points=1).score
    for name in ("outcomes", "personalised", "roles", "own_words", "action_oriented", "structure"):
        total += grading.criterion(text, case, name, points=2).score
    return round(total, 2)


def _cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    code = cli.main(argv)
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Traceback" not in out + err
    return out


@pytest.mark.slow
def test_a_whole_workshop_from_init_to_grades(tmp_path, capsys, monkeypatch):
    root = tmp_path / "workshop"
    _cli(["workshop", "init", str(root), "--course", "team-2026", "--timeout", "30"], capsys)
    monkeypatch.chdir(root)

    marker = f"leak-marker-{uuid.uuid4().hex}"
    source = root / "source" / A2 / f"{A2}.ipynb"
    source.write_text(
        source.read_text().replace("### BEGIN HIDDEN TESTS", f"### BEGIN HIDDEN TESTS\\n# {marker}")
    )
    out = _cli(["workshop", "assign", A2], capsys)
    assert "Generated the learner version" in out
    release = json.loads((root / "release" / A2 / f"{A2}.ipynb").read_text())

    # Learners fill in the released notebook and hand it back in a folder.
    returned = tmp_path / "returned"
    returned.mkdir()
    learners: dict[str, str] = {}
    for number, kind in enumerate(KINDS):
        learner = f"learner {number:02d}" if number % 5 else f"léarner {number:02d}"
        learners[learner] = kind
        case = case_for(learner, A2)
        answers = {
            "correct": {"plan": case.model_rewrite},
            "partial": {"plan": partial_plan(case)},
            "deficit": {"plan": case.deficit_plan},
            "empty": {},
            "tampered": {"plan": case.deficit_plan},
        }[kind]
        notebook = fill_answers(release, answers)
        if kind == "tampered":
            for cell in notebook["cells"]:
                if cell["metadata"].get("nbgrader", {}).get("grade"):
                    cell["source"] = "2.0"
        (returned / f"{learner}.ipynb").write_text(json.dumps(notebook))
    out = _cli(["workshop", "collect", A2, "--from", str(returned)], capsys)
    assert f"Collected {len(KINDS)} submission(s)" in out

    out = _cli(["workshop", "autograde", A2, "--workers", "2"], capsys)
    assert f"{len(KINDS)} of {len(KINDS)} submissions graded" in out, out
    assert "with 2 worker(s)" in out

    out = _cli(["workshop", "feedback", A2], capsys)
    assert f"{len(KINDS)} file(s) written" in out

    grades_path = tmp_path / "grades.csv"
    _cli(["workshop", "grades", "--format", "csv", "--output", str(grades_path)], capsys)
    rows = {row["learner"]: row for row in csv.DictReader(io.StringIO(grades_path.read_text()))}
    assert set(rows) == set(learners)
    header = next(iter(rows.values())).keys()
    for criterion in ("outcomes", "own-words", "roles", "meaning", "usable"):
        assert f"{A2}:{criterion}" in header

    def auto(row: dict[str, str]) -> float:
        manual = float(row[f"{A2}:meaning"]) + float(row[f"{A2}:usable"])
        return float(row[f"{A2}:total"]) - manual

    template = next(
        "".join(c["source"]).split("\n", 1)[1]
        for c in release["cells"]
        if "".join(c["source"]).startswith("%%answer plan")
    )
    for learner, kind in learners.items():
        case = case_for(learner, A2)
        text = {
            "correct": case.model_rewrite,
            "partial": partial_plan(case),
            "empty": template,
        }.get(kind, case.deficit_plan)
        assert auto(rows[learner]) == expected_auto(text, case), (learner, kind)

    scores = {kind: [auto(rows[n]) for n, k in learners.items() if k == kind] for kind in KINDS}
    assert scores["correct"] == [AUTO_POINTS] * 9
    assert scores["empty"] == [0] * 3
    assert all(0 < s < AUTO_POINTS for s in scores["partial"])
    assert max(scores["deficit"]) < min(scores["partial"])
    # Tampering gains nothing: the checks were restored and scored the deficit-led answer.
    assert all(s < AUTO_POINTS / 2 for s in scores["tampered"])
    for row in rows.values():
        assert row["needs_manual_grading"] in ("True", "False")

    # The tidy frame behind dashboards: learner x assignment x criterion, one row each.
    from goalstudio.grading import gradebook_frame
    from goalstudio.grading._gradebook import COLUMNS

    frame = gradebook_frame(root)
    assert list(frame.columns) == COLUMNS
    assert len(frame) == len(KINDS) * 10
    assert not frame.duplicated(["learner", "assignment", "criterion"]).any()
    kinds = frame.drop_duplicates("criterion").set_index("criterion")["kind"]
    assert kinds["meaning"] == kinds["usable"] == "manual"
    assert kinds["outcomes"] == kinds["plan-readable"] == "auto"
    assert frame.groupby("learner")["score"].sum().to_dict() == {
        name: float(rows[name][f"{A2}:total"]) for name in learners
    }

    # Feedback: every learner has a page with their answer and the rubric review; none leaks.
    pages = sorted((root / "feedback").rglob("*.html"))
    assert len(pages) == len(KINDS)
    for learner, kind in learners.items():
        page = (root / "feedback" / learner / A2 / f"{A2}.html").read_text()
        case = case_for(learner, A2)
        assert "Your answer (plan)" in page
        if kind in ("correct", "partial", "deficit", "tampered"):
            assert "Rubric review" in page and "gs-chip" in page
            first_goal = next(ln for ln in case.model_rewrite.splitlines() if "Goal:" in ln)
            if kind == "correct":
                assert "found nothing to change" in page or "gs-met" in page
                assert first_goal.split('"')[1][:20].replace("'", "&#39;") in page
        if kind == "deficit":
            assert "What would that make possible" in page.replace("&#34;", '"')
        if kind == "empty":
            assert "replace each part in square brackets".lower() in page.lower()
    for path in (root / "feedback").rglob("*"):
        if path.is_file():
            assert marker not in path.read_text(), path
    assert marker in (root / "autograded" / "learner 01" / A2 / f"{A2}.ipynb").read_text()
