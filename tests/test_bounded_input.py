"""Small or endless input cannot exhaust memory or time, and odd streams give one plain line.

Each test reproduces what a probe found: `plan check /dev/zero` grew to 23 GiB, a 342-byte YAML
alias bomb hung `scenarios validate`, a 57 MB line took minutes in `language`, and a closed
stdin, a broken pipe or a full disk gave a generic error.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from goalstudio.cli import main
from goalstudio.courseware.manifest import ManifestError, parse_manifest
from goalstudio.courseware.release import CourseToolError, read_notebook
from goalstudio.records import RecordInputError, RecordStore, import_records

pytestmark = pytest.mark.slow

# A 342-byte "billion laughs": each level repeats the one above nine times.
ALIAS_BOMB = textwrap.dedent(
    """\
    a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
    b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
    c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
    d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
    e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
    f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
    g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
    h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
    i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
    """
)


def _limit_memory() -> None:
    # 1.5 GiB of address space: enough for the studio, far too little for unbounded reading.
    limit = 1536 * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _goalstudio(
    *args: str, stdin: object = None, stdout: object = subprocess.PIPE
) -> subprocess.CompletedProcess[str]:
    code = "import sys; from goalstudio.cli import main; raise SystemExit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        stdin=stdin,  # type: ignore[arg-type]
        stdout=stdout,  # type: ignore[arg-type]
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        preexec_fn=_limit_memory,
    )


def test_an_endless_file_is_refused_at_the_limit() -> None:
    result = _goalstudio("plan", "check", "/dev/zero")
    assert result.returncode == 1
    assert "larger than the 1 MB limit" in result.stderr
    assert "Traceback" not in result.stderr


def test_endless_standard_input_is_refused_at_the_limit() -> None:
    with open("/dev/zero", "rb") as zeros:
        result = _goalstudio("classify", "-", stdin=zeros)
    assert result.returncode == 1
    assert "standard input is larger than the 1 MB limit" in result.stderr


def test_a_yaml_alias_bomb_is_refused_at_once(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(ALIAS_BOMB, encoding="utf-8")
    plan = tmp_path / "plan.txt"
    plan.write_text('Goal: "I want to sing in the choir again." (Priya)\n', encoding="utf-8")
    for command in (
        ["scenarios", "validate", str(bomb)],
        ["scenarios", "preview", str(bomb), "--out", str(tmp_path / "page.html")],
        ["review", "--scenario", str(bomb), str(plan)],
    ):
        result = _goalstudio(*command)
        assert result.returncode == 1, command
        assert "alias" in result.stderr, (command, result.stderr)
        assert "Traceback" not in result.stderr


def test_scenarios_validate_names_the_alias_and_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(ALIAS_BOMB, encoding="utf-8")
    assert main(["scenarios", "validate", str(bomb)]) == 1
    err = capsys.readouterr().err
    assert "bomb.yaml" in err and "line 1" in err
    assert "write the text out in full" in err


def test_deep_nesting_in_a_scenario_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deep = tmp_path / "deep.yaml"
    deep.write_text("id: deep\nnotes: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    assert main(["scenarios", "validate", str(deep)]) == 1
    err = capsys.readouterr().err
    assert "deep.yaml" in err and "nesting" in err
    assert "RecursionError" not in err


def test_a_manifest_with_aliases_or_deep_nesting_is_refused() -> None:
    with pytest.raises(ManifestError, match="alias"):
        parse_manifest(ALIAS_BOMB)
    with pytest.raises(ManifestError, match="nested more than"):
        parse_manifest("modules: " + "[" * 100 + "]" * 100)


def test_a_deeply_nested_notebook_is_a_clear_error(tmp_path: Path) -> None:
    notebook = tmp_path / "deep.ipynb"
    notebook.write_text('{"cells": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    with pytest.raises(CourseToolError, match="nested too deeply"):
        read_notebook(notebook)


def test_a_deeply_nested_import_is_a_clear_error(tmp_path: Path) -> None:
    with (
        RecordStore(f"sqlite:///{tmp_path / 'records.sqlite'}") as store,
        pytest.raises(RecordInputError, match="nested too deeply"),
    ):
        import_records(store, "[" * 100_000 + "]" * 100_000)


def test_a_line_over_the_limit_is_refused_and_the_rest_are_read(tmp_path: Path) -> None:
    text = tmp_path / "statements.txt"
    text.write_text(
        "Client is non-compliant with medication.\n" + "word " * 5000 + "\nI want to sing.\n",
        encoding="utf-8",
    )
    result = _goalstudio("language", "--format", "jsonl", str(text))
    assert result.returncode == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["text"] for line in lines] == [
        "Client is non-compliant with medication.",
        "I want to sing.",
    ]
    assert "line 2 is over 20,000 characters" in result.stderr


def test_closed_standard_input_is_one_plain_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", None)
    assert main(["plan", "check", "-"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("goalstudio: standard input is closed")
    assert err.count("\n") == 1


def test_a_broken_pipe_stops_quietly(tmp_path: Path) -> None:
    statements = tmp_path / "many.txt"
    statements.write_text("Client refuses to engage.\n" * 20_000, encoding="utf-8")
    code = "import sys; from goalstudio.cli import main; raise SystemExit(main(sys.argv[1:]))"
    process = subprocess.Popen(
        [sys.executable, "-c", code, "language", str(statements)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()  # the reader goes away, as `| head -1` does
    with process.stderr:
        err = process.stderr.read().decode()
    process.wait(timeout=120)
    assert "Traceback" not in err
    assert "Exception ignored" not in err


def test_a_full_disk_is_one_plain_line(tmp_path: Path) -> None:
    plan = tmp_path / "plan.txt"
    plan.write_text('Goal: "I want to sing in the choir again." (Priya)\n', encoding="utf-8")
    with open("/dev/full", "w") as full:
        result = _goalstudio("plan", "check", str(plan), stdout=full)
    assert result.returncode == 1
    assert result.stderr.strip().startswith("goalstudio: the disk is full")
    assert result.stderr.strip().count("\n") == 0
