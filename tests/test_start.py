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

from goalstudio.cli import main
from goalstudio.courseware.manifest import first_module_file, load_manifest
from goalstudio.courseware.workspace import prepare_workspace
from tests.conftest import free_port


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


def test_an_edited_notebook_from_before_a_move_still_loads_its_exercises(tmp_path: Path) -> None:
    # Before the course home moved into widgets, notebooks imported it from goalstudio.course._kit.
    # A learner who had written in such a notebook keeps every edit; only the moved name changes.
    ws = tmp_path / "ws"
    prepare_workspace(ws)
    rel = next(
        rel
        for rel in sorted(p.relative_to(ws).as_posix() for p in ws.rglob("*.ipynb"))
        if "goalstudio.widgets.course_home" in (ws / rel).read_text(encoding="utf-8")
    )
    notebook = ws / rel
    data = json.loads(notebook.read_text(encoding="utf-8"))
    data["cells"].append({"cell_type": "markdown", "metadata": {}, "source": ["My notes: Kai."]})
    data["cells"].append(
        {
            "cell_type": "code",
            "execution_count": None,
            "metadata": {},
            "outputs": [],
            "source": ["# mine: goalstudio.course._kit_notes stays\n", "x = 1\n"],
        }
    )
    old = json.dumps(data, indent=1).replace(
        "goalstudio.widgets.course_home", "goalstudio.course._kit"
    )
    notebook.write_text(old, encoding="utf-8")

    report = prepare_workspace(ws)

    assert rel in report.kept
    assert report.imports_updated == [rel]
    text = notebook.read_text(encoding="utf-8")
    assert 'goalstudio.course._kit"' not in text and "goalstudio.course._kit " not in text
    assert "goalstudio.widgets.course_home" in text
    assert "My notes: Kai." in text
    assert "goalstudio.course._kit_notes stays" in text  # a longer name is not the module
    assert prepare_workspace(ws).imports_updated == []  # brought up to date once


def _open_in_jupyterlab(notebook: Path) -> None:
    """What JupyterLab does to a module a learner only opens and runs: new metadata, outputs,
    execution counts, another JSON layout. None of it is the learner's content."""
    data = json.loads(notebook.read_text(encoding="utf-8"))
    data["metadata"]["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)"}
    data["metadata"]["language_info"] = {"name": "python", "version": "3.11.2"}
    for number, cell in enumerate(data["cells"], start=1):
        cell.setdefault("metadata", {})["trusted"] = True
        if cell["cell_type"] == "code":
            cell["execution_count"] = number
            cell["outputs"] = [
                {
                    "output_type": "display_data",
                    "data": {"text/plain": ["Settings()"]},
                    "metadata": {},
                }
            ]
    notebook.write_text(json.dumps(data, indent=2), encoding="utf-8")


def test_opening_a_module_is_not_an_edit(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    prepare_workspace(ws)
    first = first_module_file()
    _open_in_jupyterlab(ws / first)
    report = prepare_workspace(ws)
    assert report.kept == [] and report.copied == []


def test_an_opened_module_still_receives_course_updates(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    prepare_workspace(ws)
    first = first_module_file()
    notebook = ws / first
    # An older release of the module, which the learner then opened and ran.
    old = json.loads(notebook.read_text(encoding="utf-8"))
    old["cells"][0]["source"] = "# Welcome (last year's wording)\n"
    notebook.write_text(json.dumps(old, indent=1), encoding="utf-8")
    state = ws / ".goalstudio" / "installed.json"
    from goalstudio.courseware.workspace import content_fingerprint

    installed = json.loads(state.read_text())
    installed[first] = content_fingerprint(first, notebook.read_bytes())
    state.write_text(json.dumps(installed))
    _open_in_jupyterlab(notebook)
    report = prepare_workspace(ws)
    assert report.updated == [first] and report.kept == []
    assert "last year's wording" not in notebook.read_text(encoding="utf-8")


def test_an_answer_typed_into_a_cell_is_an_edit(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    prepare_workspace(ws)
    first = first_module_file()
    notebook = ws / first
    data = json.loads(notebook.read_text(encoding="utf-8"))
    data["cells"].append(
        {"cell_type": "markdown", "id": "mine", "metadata": {}, "source": "My note"}
    )
    notebook.write_text(json.dumps(data, indent=1), encoding="utf-8")
    assert prepare_workspace(ws).kept == [first]
    assert "My note" in notebook.read_text(encoding="utf-8")


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
    assert main(["start", "--lab", "--dry-run", "--workspace", str(tmp_path / "ws")]) == 0
    command = capsys.readouterr().out.strip().splitlines()[-1]
    assert "--ServerApp.port=8123" in command
    assert "--no-browser" in command
    assert f"--LabApp.default_url=/lab/tree/{first_module_file()}" in command


def test_learners_get_app_mode_by_default_and_trainers_can_choose_jupyterlab(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["start", "--dry-run", "--workspace", str(tmp_path / "ws")]) == 0
    command = capsys.readouterr().out.strip().splitlines()[-1]
    assert " -m goalstudio._voila_app " in command and "--strip_sources=True" in command
    assert main(["start", "--lab", "--dry-run", "--workspace", str(tmp_path / "ws")]) == 0
    assert "runpy.run_module('jupyterlab'" in capsys.readouterr().out


def test_app_mode_culls_idle_kernels_like_the_dashboards(tmp_path: Path) -> None:
    from goalstudio.cli._dashboard import voila_command
    from goalstudio.cli._start import app_command

    app = app_command(tmp_path, 8888, no_browser=True)
    dashboards = voila_command(tmp_path, 8866, no_browser=True)
    culling = [a for a in dashboards if a.startswith("--MappingKernelManager.cull")]
    assert len(culling) == 2 and all(a in app for a in culling)
    # Both wait as long for a slow kernel: Voilà leaves a page that gave up on it loading for ever.
    waits = [a for a in dashboards if a.startswith("--VoilaExecutor.startup_timeout=")]
    assert waits == ["--VoilaExecutor.startup_timeout=600"] and waits[0] in app
    # The studio's template (which lets Voilà's close-page beacon through) serves both.
    assert "--template=goalstudio" in app and "--template=goalstudio" in dashboards


def test_jupyterlab_never_asks_about_jupyter_news(tmp_path: Path) -> None:
    from goalstudio.cli._start import lab_command, lab_settings_dir

    command = lab_command(tmp_path, 8888, first_module_file(), no_browser=True)
    assert f"--LabApp.app_settings_dir={lab_settings_dir()}" in command
    overrides = json.loads((lab_settings_dir() / "overrides.json").read_text(encoding="utf-8"))
    notification = overrides["@jupyterlab/apputils-extension:notification"]
    assert notification == {"fetchNews": "false", "checkForUpdates": False}


def test_each_hidden_exercise_cell_says_how_to_show_it_in_jupyterlab(tmp_path: Path) -> None:
    from goalstudio.courseware.workspace import RUN_HINT

    prepare_workspace(tmp_path / "ws")
    for module in load_manifest().modules:
        cells = json.loads((tmp_path / "ws" / module.file).read_text(encoding="utf-8"))["cells"]
        hidden = [c for c in cells if c["cell_type"] == "code"]
        assert hidden, module.file
        for cell in hidden:
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            assert source.startswith(RUN_HINT), (module.file, source[:80])
            assert "Run > Run All Cells" in source.splitlines()[0]


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
    with urllib.request.urlopen(url, timeout=5) as response:
        return int(response.status), response.read()


def printed_address(process: subprocess.Popen[bytes], lines: list[str]) -> str:
    """Read the start command's output up to the one address it prints."""
    assert process.stdout is not None
    for raw in process.stdout:
        line = raw.decode(errors="replace").rstrip()
        lines.append(line)
        if line.startswith("Open the studio at "):
            return line.removeprefix("Open the studio at ")
    raise AssertionError("no address printed:\n" + "\n".join(lines))


@pytest.mark.slow
def test_start_lab_prints_one_working_address_then_stops_cleanly(tmp_path: Path) -> None:
    port = free_port()
    ws = tmp_path / "ws"
    env = {k: v for k, v in os.environ.items() if k not in ("JUPYTER_TOKEN", "PYTHONWARNINGS")}
    env.update(HOME=str(tmp_path), JUPYTER_RUNTIME_DIR=str(tmp_path / "rt"))
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "goalstudio.cli",
            "start",
            "--lab",
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
    lines: list[str] = []
    try:
        address = printed_address(process, lines)
        assert address.startswith(f"http://127.0.0.1:{port}/lab/tree/{first_module_file()}?token=")
        deadline = time.monotonic() + 90
        status, body = 0, b""
        while time.monotonic() < deadline:
            try:
                status, body = _get(address)  # the printed address alone: no login page
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                assert process.poll() is None, "\n".join(lines)
                time.sleep(0.5)
        assert status == 200 and b"JupyterLab" in body
        token = address.split("token=", 1)[1]
        base = f"http://127.0.0.1:{port}"
        status, body = _get(f"{base}/api/contents/{first_module_file()}?token={token}")
        model = json.loads(body)
        assert model["type"] == "notebook"
        assert model["content"]["cells"][0]["source"].startswith("# Welcome")
        with pytest.raises(urllib.error.HTTPError):  # without the token: refused
            _get(f"{base}/api/contents/{first_module_file()}")
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            raise
        if process.stdout:
            lines += process.stdout.read().decode(errors="replace").splitlines()
            process.stdout.close()
    # Nothing left behind: the whole process group is gone.
    with pytest.raises(ProcessLookupError):
        os.killpg(process.pid, 0)
    # One address, and none of Jupyter's start-up noise.
    output = "\n".join(lines)
    assert output.count("http://") <= 2, output  # ours, and Jupyter's one warning-level copy
    for noise in ("DeprecationWarning", "will not work correctly", "[I ", "nbgrader_config"):
        assert noise not in output, output
