"""The command line, run in-process through ``main(argv)``."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from goalstudio import __version__
from goalstudio.cli import main

GOOD = 'Goal: "I want to cook for my family again" (Sam)\n  Objective: Sam cooks one meal a week by June\n    - Sam: picks the recipe\n      When: each Sunday\n'
BROKEN = 'Goal: "I want to cook" (Sam)\n  Objective: Sam cooks weekly\n    - pick a recipe\n'


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"goalstudio {__version__}"


def test_no_command_prints_help_and_fails(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 1
    assert "COMMAND" in capsys.readouterr().err


def test_unknown_command_is_a_plain_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frobnicate"]) == 1
    err = capsys.readouterr().err
    assert "invalid choice" in err and "Traceback" not in err


def test_plan_check_prints_the_structure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sam.plan"
    path.write_text(GOOD, encoding="utf-8")
    assert main(["plan", "check", str(path)]) == 0
    out = capsys.readouterr().out
    assert 'Goal 1: "I want to cook for my family again" (in Sam\'s words)' in out
    assert "- Sam (the person): picks the recipe [each Sunday]" in out
    assert "OK: 1 goal(s), 1 objective(s), 1 action step(s)." in out


def test_plan_check_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "sam.plan"
    path.write_text(GOOD, encoding="utf-8")
    assert main(["plan", "check", "--format", "json", str(path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["goals"][0]["objectives"][0]["actions"][0]["owner"] == "person"


def test_plan_check_explains_a_broken_plan_by_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.plan"
    path.write_text(BROKEN, encoding="utf-8")
    assert main(["plan", "check", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}: 1 problem to fix:" in err
    assert "line 3, column 5: This action step has no owner." in err
    assert "Traceback" not in err


def test_plan_check_reads_standard_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(GOOD.encode())))
    assert main(["plan", "check", "-"]) == 0
    assert "OK:" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: None, "no such file"),
        (lambda p: p.mkdir(), "this is a folder"),
        (lambda p: p.write_bytes(b"Goal: caf\xe9"), "is not UTF-8 text"),
        (lambda p: p.write_bytes(b""), "The plan is empty"),
    ],
    ids=["missing-file", "folder", "not-utf8", "empty-file"],
)
def test_plan_check_bad_input_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], setup: object, message: str
) -> None:
    path = tmp_path / "input.plan"
    setup(path)  # type: ignore[operator]
    assert main(["plan", "check", str(path)]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_unexpected_failure_is_shown_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    def boom(*_args: object, **_kwargs: object) -> object:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("goalstudio.cli._plan.parse_plan", boom)
    path = tmp_path / "sam.plan"
    path.write_text(GOOD, encoding="utf-8")
    assert main(["plan", "check", str(path)]) == 1
    err = capsys.readouterr().err
    assert "disk on fire" in err and "GOALSTUDIO_DEBUG=1" in err and "Traceback" not in err
