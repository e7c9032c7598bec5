"""`goalstudio start`: the workspace is prepared safely and JupyterLab serves the first module."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from goalstudio._course import first_module_file, load_manifest
from goalstudio._workspace import prepare_workspace
from goalstudio.cli import main
from tests.conftest import free_port

TOKEN = "studio-test-token"


def test_first_start_copies_the_course(tmp_path: Path) -> None:
    report = prepare_workspace(tmp_path / "ws")
    first = first_module_file()
    assert first in report.copied
    assert (tmp_path / "ws" / first).is_file()
    assert not any(part.startswith(("facilitator", "assignments")) for part in report.copied)


def test_second_start_keeps_a_notebook_the_learner_edited(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    prepare_workspace(ws)
    notebook = ws / first_module_file()
    edited = notebook.read_text(encoding="utf-8").replace("Welcome", "My notes: Welcome", 1)
    notebook.write_text(edited, encoding="utf-8")
    report = prepare_workspace(ws)
    assert notebook.read_text(encoding="utf-8") == edited
    assert report.kept == [first_module_file()]
    assert report.copied == [] and report.updated == []


def test_deleted_course_file_is_restored(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    prepare_workspace(ws)
    (ws / first_module_file()).unlink()
    assert prepare_workspace(ws).copied == [first_module_file()]


def test_unchanged_old_copy_is_updated_to_the_new_course(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    prepare_workspace(ws)
    notebook = ws / first_module_file()
    # Simulate a copy from an older release that the learner never touched.
    notebook.write_text("old release", encoding="utf-8")
    state = ws / ".goalstudio" / "installed.json"
    installed = json.loads(state.read_text())
    import hashlib

    installed[first_module_file()] = hashlib.sha256(b"old release").hexdigest()
    state.write_text(json.dumps(installed))
    report = prepare_workspace(ws)
    assert report.updated == [first_module_file()]
    assert notebook.read_text(encoding="utf-8") != "old release"


def test_lost_install_record_never_overwrites(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    prepare_workspace(ws)
    notebook = ws / first_module_file()
    notebook.write_text("learner's own work", encoding="utf-8")
    (ws / ".goalstudio" / "installed.json").write_text("{not json", encoding="utf-8")
    prepare_workspace(ws)
    assert notebook.read_text(encoding="utf-8") == "learner's own work"


def test_workspace_that_cannot_be_created_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["start", "--dry-run", "--workspace", str(blocker / "ws")]) == 1
    err = capsys.readouterr().err
    assert "Cannot create the workspace folder" in err and "--workspace" in err


def test_dry_run_honours_port_and_no_browser_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PORT", "8123")
    monkeypatch.setenv("NO_BROWSER", "1")
    assert main(["start", "--dry-run", "--workspace", str(tmp_path / "ws")]) == 0
    command = capsys.readouterr().out.strip().splitlines()[-1]
    assert "--ServerApp.port=8123" in command
    assert "--no-browser" in command
    assert f"--LabApp.default_url=/lab/tree/{first_module_file()}" in command


def test_bad_port_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("PORT", "eighty")
    assert main(["start", "--dry-run", "--workspace", str(tmp_path)]) == 1
    assert "PORT='eighty' is not a number" in capsys.readouterr().err


def test_manifest_lists_exactly_the_module_notebooks(repo: Path) -> None:
    manifest = load_manifest()
    listed = [m.file for m in manifest.modules]
    on_disk = sorted(p.name for p in (repo / "course").glob("[0-9][0-9]-*.ipynb"))
    assert sorted(listed) == on_disk
    assert listed == sorted(listed), "modules are listed in course order"
    assert [m.id for m in manifest.modules] == [f[:2] for f in listed]


def _get(url: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return int(response.status), response.read()


@pytest.mark.slow
def test_start_serves_lab_and_the_first_notebook_then_stops_cleanly(tmp_path: Path) -> None:
    port = free_port()
    ws = tmp_path / "ws"
    env = dict(
        os.environ,
        JUPYTER_TOKEN=TOKEN,
        HOME=str(tmp_path),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "rt"),
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "goalstudio.cli",
            "start",
            "--no-browser",
            "--port",
            str(port),
            "--workspace",
            str(ws),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        status = 0
        while time.monotonic() < deadline:
            try:
                status, body = _get(f"http://127.0.0.1:{port}/lab")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                assert process.poll() is None, (
                    process.stdout.read().decode() if process.stdout else ""
                )
                time.sleep(0.5)
        assert status == 200 and b"JupyterLab" in body
        status, body = _get(f"http://127.0.0.1:{port}/api/contents/{first_module_file()}")
        model = json.loads(body)
        assert model["type"] == "notebook"
        assert model["content"]["cells"][0]["source"].startswith("# Welcome")
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            raise
        if process.stdout:
            process.stdout.close()
    # Nothing left behind: the whole process group is gone.
    with pytest.raises(ProcessLookupError):
        os.killpg(process.pid, 0)
