"""Generic errors become specific ones, and spreadsheet cells never run (issue 15 §5)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from goalstudio import cli
from goalstudio._spreadsheet import guard_cell

A1 = "01-spot-the-language"


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_course_build_out_a_file_says_a_folder_is_needed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "FILE"
    target.write_text("x")
    code, _, err = _run(["course", "build", "--out", str(target)], capsys)
    assert code == 1
    assert "is a file, but the learner release is a folder" in err
    assert target.read_text() == "x"


def test_workshop_init_on_a_file_says_a_folder_is_needed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "FILE"
    target.write_text("x")
    code, _, err = _run(["workshop", "init", str(target), "--course", "c"], capsys)
    assert code == 1 and "the course folder must be a folder" in err


def test_a_file_name_that_is_not_a_learner_id_is_skipped_and_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    course = tmp_path / "c"
    _run(["workshop", "init", str(course), "--course", "a"], capsys)
    returned = tmp_path / "returned"
    returned.mkdir()
    (returned / " .ipynb").write_text("{}")
    (returned / "=cmd.ipynb").write_text("{}")
    (returned / "ana.ipynb").write_text("{}")
    code, out, _ = _run(
        ["workshop", "collect", A1, "--from", str(returned), "--dir", str(course)], capsys
    )
    assert code == 0
    assert "skipped ' .ipynb'" in out and "skipped '=cmd.ipynb'" in out
    assert sorted(p.name for p in (course / "submitted").iterdir()) == ["ana"]


def test_grades_output_into_a_missing_folder_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    course = tmp_path / "c"
    _run(["workshop", "init", str(course), "--course", "a"], capsys)
    missing = tmp_path / "no-such-folder" / "grades.csv"
    code, _, err = _run(
        ["workshop", "grades", "--dir", str(course), "--format", "csv", "--output", str(missing)],
        capsys,
    )
    assert code == 1
    assert f"the folder {missing.parent} does not exist" in err


@pytest.mark.parametrize("value", ["=HYPERLINK(1)", "+1", "-cmd", "@SUM(A1)", "\tx"])
def test_spreadsheet_cells_that_could_run_get_an_apostrophe(value: str) -> None:
    assert guard_cell(value) == "'" + value
    assert guard_cell("ana") == "ana"


def _statement(tmp_path: Path) -> dict[str, object]:
    from goalstudio.records import RecordStore, export_xapi

    with RecordStore(f"sqlite:///{tmp_path / 'source.sqlite'}") as store:
        store.add_attempt("sam", "m3", "Goal: to sing again", {"findings": []})
        (statement,) = export_xapi(store)
    return dict(statement)


@pytest.mark.parametrize(
    "timestamp", ["0001-01-01T00:00:00-05:00", "1066-10-14T09:00:00Z", "9999-12-31T23:59:59-14:00"]
)
def test_an_out_of_range_timestamp_is_a_clear_error(tmp_path: Path, timestamp: str) -> None:
    from goalstudio.records import RecordInputError, RecordStore, import_records

    statement = _statement(tmp_path)
    statement["timestamp"] = timestamp
    with (
        RecordStore(f"sqlite:///{tmp_path / 'target.sqlite'}") as store,
        pytest.raises(RecordInputError, match="outside the years 1970 to 9999"),
    ):
        import_records(store, json.dumps([statement]))


def test_an_xapi_object_that_is_an_agent_is_refused(tmp_path: Path) -> None:
    from goalstudio.records import RecordInputError, RecordStore, import_records

    statement = _statement(tmp_path)
    statement["object"] = {"objectType": "Agent", "name": "sam", "mbox": "mailto:sam@example.org"}
    with (
        RecordStore(f"sqlite:///{tmp_path / 'target.sqlite'}") as store,
        pytest.raises(RecordInputError, match="its object is an Agent"),
    ):
        import_records(store, json.dumps([statement]))
