"""The calibration set for new markers (issue 18 §2): practice submissions built from the
scenarios' plans, with reference levels that follow from the rubric's level descriptions and
what each version is; a new marker marks them and sees where they differ, and why."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from goalstudio import cli, load_scenario
from goalstudio._calibrate import (
    MANUAL_ITEMS,
    PRACTICE_SET,
    CalibrationError,
    Mark,
    compare_practice,
    practice_set,
    rubric_levels,
)
from goalstudio.grading import automatic_verdicts, read_exchange, read_risk
from goalstudio.grading._case import names_of
from goalstudio.grading._practice import SET, reference_levels

ASSIGNMENTS = list(MANUAL_ITEMS)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_each_assignment_has_six_submissions_two_of_each_version_from_six_cases(
    assignment: str,
) -> None:
    submissions = practice_set(assignment)
    assert [s.id for s in submissions] == [f"practice-{n}" for n in range(1, 7)]
    assert Counter(s.version for s in submissions) == {"deficit": 2, "partial": 2, "model": 2}
    assert len({s.scenario for s in submissions}) == 6
    # The order gives nothing away: the versions are mixed, not in level order.
    versions = [s.version for s in submissions]
    assert versions != sorted(versions, key=["deficit", "partial", "model"].index)
    assert [(s.scenario, s.version) for s in submissions] == list(SET[assignment])
    for submission in submissions:
        assert set(submission.reference) == set(MANUAL_ITEMS[assignment])
        for reference in submission.reference.values():
            assert f"level {reference.level}" in reference.why.lower()


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_reference_levels_follow_from_the_rules_and_rise_with_the_version(
    assignment: str,
) -> None:
    submissions = practice_set(assignment)
    for submission in submissions:
        case = load_scenario(submission.scenario)
        derived = reference_levels(assignment, case, submission.version, submission.answers)
        assert {item: level for item, (level, _why) in derived.items()} == {
            item: r.level for item, r in submission.reference.items()
        }, submission.id
    for item in MANUAL_ITEMS[assignment]:
        by_version: dict[str, set[int]] = {}
        for s in submissions:
            by_version.setdefault(s.version, set()).add(s.reference[item].level)
        assert max(by_version["deficit"]) < min(by_version["partial"])
        assert max(by_version["partial"]) < min(by_version["model"])


def test_the_answers_are_what_the_studio_reads_and_the_engine_ranks_them_alike() -> None:
    for assignment in ASSIGNMENTS:
        for submission in practice_set(assignment):
            case = load_scenario(submission.scenario)
            answers = submission.answers
            if "exchange" in answers:
                assert read_exchange(answers["exchange"]).problems == []
            if "risk" in answers:
                assert read_risk(answers["risk"], names_of(case)).problems == []
            checks = automatic_verdicts(assignment, answers, case)
            assert checks
            if submission.version == "model":
                assert all(line.endswith(": met") for line in checks), (submission.id, checks)
            if submission.version == "deficit":
                assert not all(line.endswith(": met") for line in checks), submission.id


def test_the_rubric_levels_come_from_the_assignment_notebooks() -> None:
    levels = rubric_levels("04-risk-decision")
    assert list(levels) == ["balance", "shared-safety"]
    title, described = levels["shared-safety"]
    assert title == "Is keeping safe shared, specific and reviewed? (3 points)"
    assert len(described) == 4
    assert (
        described[0] == "No one is named to make the plan safer, or only staff monitor the person."
    )


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(["workshop", "calibrate", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _fill(template: Path, out: Path, marker: str, levels: dict[tuple[str, str], int]) -> Path:
    rows = template.read_text(encoding="utf-8").splitlines()
    lines = [rows[0]]
    for row in rows[1:]:
        _name, learner, item, _level = row.split(",")
        lines.append(f"{marker},{learner},{item},{levels[(learner, item)]}")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def test_a_new_marker_marks_the_set_and_sees_each_difference_with_its_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assignment = "02-rewrite-the-plan"
    template = tmp_path / "marks.csv"
    code, out, _err = _run(capsys, assignment, "--practice", "--template", str(template))
    assert code == 0 and "marks-submissions.md" in out
    sheet = (tmp_path / "marks-submissions.md").read_text(encoding="utf-8")
    submissions = practice_set(assignment)
    for submission in submissions:
        assert f"## {submission.id}" in sheet
        assert submission.answers["plan"].splitlines()[2] in sheet
        assert submission.version not in sheet.split(f"## {submission.id}")[1][:40]
    assert "- **3**: All of level 2, and the plan is short enough to read in two minutes" in sheet

    reference = {(s.id, item): r.level for s in submissions for item, r in s.reference.items()}
    agreed = _fill(template, tmp_path / "ana.csv", "Ana", reference)
    code, out, _err = _run(capsys, assignment, "--practice", "--marks", str(agreed))
    assert code == 0
    assert "Ana: 12 of 12 levels the same as the reference, 12 of 12 within one level." in out
    assert "between Ana and the reference: 1.000" in out

    # practice-2 is a deficit-led plan (reference 0 and 0); Ben reads it as level 2 on meaning.
    off = {**reference, ("practice-2", "meaning"): 2, ("practice-3", "usable"): 3}
    ben = _fill(template, tmp_path / "ben.csv", "Ben", off)
    code, out, _err = _run(capsys, assignment, "--practice", "--marks", str(ben))
    assert code == 0
    assert "Ben: 10 of 12 levels the same as the reference, 11 of 12 within one level." in out
    assert "meaning: Ben 2, reference 0 (2 levels above). Why the reference is 0: " in out
    assert "usable: Ben 3, reference 2 (1 level above)" in out
    assert "words, about" in out  # the reason usable is not 3: the plan's length
    # The rubric's automatic checks beside the marks.
    assert "The rubric's automatic checks: Outcomes, not just outputs: not met yet" in out


def test_practice_marks_that_cannot_be_used_get_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assignment = "04-risk-decision"
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("marker,learner,item,level\nAna,kit,balance,2\n", encoding="utf-8")
    code, _out, err = _run(capsys, assignment, "--practice", "--marks", str(wrong))
    assert code == 1
    assert "'kit' is not a practice submission of this calibration set" in err
    assert "practice-1" in err and "Traceback" not in err

    blank = tmp_path / "blank.csv"
    blank.write_text("marker,learner,item,level\nAna,practice-1,balance,\n", encoding="utf-8")
    code, _out, err = _run(capsys, assignment, "--practice", "--marks", str(blank))
    assert code == 1 and "no levels yet" in err

    code, _out, err = _run(capsys, assignment, "--practice", "--gradebook", "Ana=course")
    assert code == 1 and "not --gradebook" in err

    broken = tmp_path / "set.yaml"
    broken.write_text("assignments:\n  04-risk-decision:\n    - id: practice-1\n", "utf-8")
    code, _out, err = _run(capsys, assignment, "--practice-set", str(broken), "--marks", str(blank))
    assert code == 1
    assert f"{broken}: the practice submissions of 04-risk-decision are not complete" in err


def test_a_team_can_use_its_own_reviewed_copy_of_the_set(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    written = tmp_path / "copy.yaml"
    code, out, _err = _run(capsys, "03-negotiated-plan", "--copy-set", str(written))
    assert code == 0 and "--practice-set" in out
    assert written.read_bytes() == PRACTICE_SET.read_bytes()
    code, _out, err = _run(capsys, "03-negotiated-plan", "--copy-set", str(written))
    assert code == 1 and "already exists" in err  # a team's edited copy is never overwritten
    data = yaml.safe_load(written.read_text(encoding="utf-8"))
    first = data["assignments"]["03-negotiated-plan"][0]
    first["reference"]["fair-views"] = {"level": 3, "why": "Our team agreed level 3 on 1 May."}
    copy = tmp_path / "our-set.yaml"
    copy.write_text(yaml.safe_dump(data), encoding="utf-8")
    submissions = practice_set("03-negotiated-plan", copy)
    assert submissions[0].reference["fair-views"].level == 3
    (result,) = compare_practice([Mark("Ana", "practice-1", "fair-views", 2)], submissions)
    assert (result.same, result.within_one) == (0, 1)
    with pytest.raises(CalibrationError, match="cannot be read"):
        practice_set("03-negotiated-plan", tmp_path / "missing.yaml")


def test_a_copy_of_the_set_with_yaml_aliases_is_refused_before_it_is_built(
    tmp_path: Path,
) -> None:
    # A team's copy is input like any other file: an alias "bomb" must not expand in memory.
    copy = tmp_path / "our-set.yaml"
    copy.write_text(
        'a: &a ["x", "x", "x", "x"]\nb: &b [*a, *a, *a, *a]\nc: [*b, *b, *b, *b]\n',
        encoding="utf-8",
    )
    with pytest.raises(CalibrationError, match="YAML alias") as refused:
        practice_set("03-negotiated-plan", copy)
    assert str(copy) in str(refused.value)
