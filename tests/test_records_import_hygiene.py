"""Imports report what they would otherwise hide (issue 15 §5-6): records repeated in a file,
records of other learners, texts that look identifying, and texts longer than the csv module's
default field limit."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from goalstudio.cli import main
from goalstudio.records import RecordInputError, RecordStore, export_csv, import_records


def _export(store: RecordStore) -> str:
    out = io.StringIO(newline="")
    export_csv(store, out)
    return out.getvalue()


@pytest.fixture
def source(tmp_path: Path) -> Iterator[RecordStore]:
    with RecordStore(f"sqlite:///{tmp_path / 'source.sqlite'}") as store:
        store.add_reflection("sam", "m3-a", "I noticed my own words changed", module="3")
        store.add_reflection("kai", "m3-a", "Call me on 07911 123456", module="3")
        yield store


def _target(tmp_path: Path) -> RecordStore:
    return RecordStore(f"sqlite:///{tmp_path / 'target.sqlite'}")


def test_a_record_repeated_in_the_file_is_counted_not_hidden(
    source: RecordStore, tmp_path: Path
) -> None:
    text = _export(source)
    header, *rows = text.splitlines(keepends=True)
    with _target(tmp_path) as target:
        summary = import_records(target, header + "".join(rows) + rows[0])
    assert (summary.added, summary.skipped, summary.repeated) == (2, 0, 1)
    assert "1 repeated in the file (kept once)" in str(summary)


def test_two_different_records_under_one_id_are_refused(
    source: RecordStore, tmp_path: Path
) -> None:
    text = _export(source)
    header, first, *_rest = text.splitlines(keepends=True)
    changed = first.replace("I noticed", "I saw")
    with _target(tmp_path) as target:
        with pytest.raises(RecordInputError, match="appears twice in the file"):
            import_records(target, header + first + changed)
        assert target.get_reflections("sam") == []


def test_another_learners_records_are_refused_before_anything_is_merged(
    source: RecordStore, tmp_path: Path
) -> None:
    text = _export(source)
    with _target(tmp_path) as target:
        with pytest.raises(RecordInputError, match=r"other learners as well as sam: kai \(1\)"):
            import_records(target, text, learner="sam")
        assert target.get_reflections("sam") == []
        summary = import_records(target, text)
    assert summary.learners == (("kai", 1), ("sam", 1))


def test_identifying_text_in_an_import_is_named(
    source: RecordStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "export.csv"
    path.write_text(_export(source), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'target.sqlite'}"
    assert main(["records", "import", str(path), "--url", url]) == 0
    out, err = capsys.readouterr()
    assert "Records by learner: kai (1), sam (1)" in out
    assert "1 imported text(s) look like they could identify a real person" in err
    assert "(kai, m3-a): a phone number" in err and "07911 123456" in err


def test_cli_learner_option_refuses_someone_elses_records(
    source: RecordStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "export.csv"
    path.write_text(_export(source), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'target.sqlite'}"
    assert main(["records", "import", str(path), "--url", url, "--learner", "sam"]) == 1
    err = capsys.readouterr().err
    assert "kai (1)" in err and err.count("Nothing was imported") == 1


def test_long_text_survives_csv_export_and_import(tmp_path: Path) -> None:
    long_text = "I want to write my story. " * 20_000  # 520,000 characters
    with RecordStore(f"sqlite:///{tmp_path / 'source.sqlite'}") as store:
        store.add_reflection("sam", "m8", long_text)
        text = _export(store)
    with _target(tmp_path) as target:
        assert import_records(target, text).added == 1
        (saved,) = target.get_reflections("sam")
    assert saved.text == long_text
