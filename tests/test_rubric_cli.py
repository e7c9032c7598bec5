"""`goalstudio review` and `goalstudio classify`, called in-process."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from goalstudio.cli import main

PLANS = Path(__file__).parent / "fixtures" / "plans"


def stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))


def test_review_text_shows_verdicts_findings_and_chart(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", str(PLANS / "deficit-led.txt")]) == 0
    out = capsys.readouterr().out
    assert "Outcomes, not just outputs: not met yet" in out
    assert "goal 1 [" in out  # findings carry spans
    assert "Chart review" in out and "human reviewer" in out
    assert "Language (" in out


def test_review_json_is_complete(capsys: pytest.CaptureFixture[str]) -> None:
    path = PLANS / "person-centred.txt"
    assert main(["review", "--format", "json", str(path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data["verdicts"]) == {
        "outcomes",
        "personalised",
        "roles",
        "own_words",
        "action_oriented",
    }
    assert data["verdicts"]["outcomes"]["verdict"] == "met"
    assert len(data["chart_review"]["items"]) == 11
    assert {"findings", "structure", "language", "note", "source"} <= set(data)


def test_review_json_spans_index_the_file(capsys: pytest.CaptureFixture[str]) -> None:
    path = PLANS / "deficit-led.txt"
    text = path.read_text(encoding="utf-8")
    assert main(["review", "--format", "json", str(path)]) == 0
    data = json.loads(capsys.readouterr().out)
    spanned = [f for f in data["findings"] + data["language"] if f["span_in"] == "plan"]
    assert spanned
    for finding in spanned:
        start, end = finding["span"]
        assert text[start:end] == finding["quote"]


def test_review_locale_changes_the_words(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(PLANS / "deficit-led.txt")
    main(["review", "--locale", "en-US", path])
    us = capsys.readouterr().out
    main(["review", "--locale", "en-GB", path])
    uk = capsys.readouterr().out
    assert "treatment plan" in us and "treatment plan" not in uk


def test_review_reads_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stdin(monkeypatch, 'Goal: "I want to sing again." (Priya)\n')
    assert main(["review", "-"]) == 0
    assert "Review of standard input" in capsys.readouterr().out


def test_review_parse_error_names_lines_and_exits_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stdin(monkeypatch, 'Goal: "I want to sing." (Priya)\nObjectiv: sing by May\n')
    assert main(["review", "-"]) == 1
    err = capsys.readouterr().err
    assert "line 2" in err and "Objective:" in err
    assert "Traceback" not in err


def test_review_missing_file_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", "no-such-plan.txt"]) == 1
    assert "no such file" in capsys.readouterr().err


def test_review_bad_locale_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", "--locale", "fr-FR", str(PLANS / "deficit-led.txt")]) == 1
    assert "en-GB" in capsys.readouterr().err


def test_classify_jsonl_one_line_per_input_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stdin(
        monkeypatch,
        "Client will comply with medication.\n\nI want to sing in the choir again.\r\n",
    )
    assert main(["classify", "--format", "jsonl", "-"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    records = [json.loads(line) for line in lines]
    assert [r["label"] for r in records] == ["deficit_led", None, "person_centred"]
    assert records[1] == {"text": "", "label": None, "reasons": ["blank line: nothing to classify"]}
    for record in records:
        assert set(record) == {"text", "label", "reasons"}
    assert records[2]["text"] == "I want to sing in the choir again."


def test_classify_text_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "statements.txt"
    path.write_text("Promote recovery.\n\nI will phone my brother on Sundays.\n", encoding="utf-8")
    assert main(["classify", str(path)]) == 0
    lines = capsys.readouterr().out.split("\n")
    assert lines[0].startswith("deficit_led\tPromote recovery.")
    assert lines[1] == ""
    assert lines[2].startswith("person_centred\t")


def test_classify_rejects_non_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("caf\xe9 staff\n".encode("latin-1"))
    assert main(["classify", str(path)]) == 1
    assert "UTF-8" in capsys.readouterr().err


def test_classify_empty_input_gives_no_lines(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stdin(monkeypatch, "")
    assert main(["classify", "--format", "jsonl", "-"]) == 0
    assert capsys.readouterr().out == ""


def test_review_with_a_scenario_expects_its_supporters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenarios = sorted((Path(__file__).resolve().parent.parent / "scenarios").glob("*.yaml"))
    plan = str(PLANS / "supporters-missing.txt")
    assert len(scenarios) >= 12  # the built-in library; an empty folder must not pass
    for path in scenarios:
        code = main(["review", "--format", "json", "--scenario", str(path), plan])
        out = capsys.readouterr().out
        assert code == 0, path.name  # every built-in scenario loads
        data = json.loads(out)
        rules = {f["rule"] for f in data["findings"]}
        assert "roles.no-natural-support" in rules, path.name


def test_review_with_an_unknown_scenario_is_a_clear_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["review", "--scenario", "no-such-case", str(PLANS / "deficit-led.txt")]) == 1
    err = capsys.readouterr().err
    assert "no-such-case" in err and "Traceback" not in err
