"""Grading never runs a learner's code (issue 15 §2).

Each submission is rebuilt from the released notebook with only the answer texts taken from
the learner's file; the checks run in a kernel with a private folder, a clean environment and,
as root, an unprivileged account; a bad --timeout is refused; Ctrl+C stops autograde with its
kernels and leaves no temporary folder behind.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import nbformat
import pytest

from goalstudio import _environment, cli, grading
from goalstudio.grading import _sandbox, open_course
from goalstudio.grading._rebuild import rebuild
from goalstudio.grading._simulate import case_for, simulate_submission

A1 = "01-spot-the-language"
A2 = "02-rewrite-the-plan"


def _released(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Any]:
    root = tmp_path / "course"
    assert cli.main(["workshop", "init", str(root), "--course", "t", "--timeout", "30"]) == 0
    assert cli.main(["workshop", "assign", A1, "--dir", str(root)]) == 0
    capsys.readouterr()
    path = root / "release" / A1 / f"{A1}.ipynb"
    return root, nbformat.read(path, as_version=4)


def _cell(nb: Any, grade_id: str) -> Any:
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def _code(source: str) -> Any:
    return nbformat.v4.new_code_cell(source)


# --------------------------------------------------------------------------------------------
# The rebuild (quick: no kernels)


def test_only_answer_texts_are_taken_from_the_learners_file(tmp_path, capsys):
    _root, released = _released(tmp_path, capsys)
    mine = copy.deepcopy(released)
    answer = _cell(mine, "answer-phrases")
    answer.source = "%%answer phrases\nmaintain compliance"
    answer.metadata["nbgrader"]["points"] = 99  # a learner's metadata is never used
    _cell(mine, "spot-language").source = "print('full marks')"
    mine.cells.insert(3, _code("import os\nos.system('touch /tmp/owned')"))
    mine.cells = [
        c for c in mine.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "part-b"
    ]

    rebuilt = rebuild(released, mine)

    graded = rebuilt.notebook
    assert [c.metadata for c in graded.cells] == [c.metadata for c in released.cells]
    assert [c.cell_type for c in graded.cells] == [c.cell_type for c in released.cells]
    assert _cell(graded, "answer-phrases").source == "%%answer phrases\nmaintain compliance"
    assert _cell(graded, "spot-language").source == _cell(released, "spot-language").source
    assert not any("os.system" in c.source for c in graded.cells)
    assert rebuilt.edited == ["spot-language"] and rebuilt.deleted == ["part-b"]
    assert rebuilt.added == ["a code cell starting 'import os'"]
    notes = " ".join(rebuilt.notes())
    assert "left out of grading and not run" in notes and "edited: spot-language" in notes


def test_python_in_an_answer_cell_is_read_as_text_under_the_released_line(tmp_path, capsys):
    _root, released = _released(tmp_path, capsys)
    mine = copy.deepcopy(released)
    _cell(mine, "answer-phrases").source = "import os\nos.remove('/etc/passwd')"
    _cell(mine, "answer-labels").source = "%%bash\nrm -rf ~"
    _cell(mine, "answer-labels").cell_type = "markdown"

    rebuilt = rebuild(released, mine)

    phrases = _cell(rebuilt.notebook, "answer-phrases")
    assert phrases.source == "%%answer phrases\nimport os\nos.remove('/etc/passwd')"
    labels = _cell(rebuilt.notebook, "answer-labels")
    # The whole text sits under the released line: to IPython it is one string for %%answer.
    assert labels.cell_type == "code" and labels.source == "%%answer labels\n%%bash\nrm -rf ~"
    assert rebuilt.header_restored == ["answer-phrases", "answer-labels"]
    assert "was removed or changed" in " ".join(rebuilt.notes())


def test_an_untouched_submission_is_graded_as_released(tmp_path, capsys):
    _root, released = _released(tmp_path, capsys)
    rebuilt = rebuild(released, copy.deepcopy(released))
    assert rebuilt.notes() == []
    assert rebuilt.notebook == released


# --------------------------------------------------------------------------------------------
# --timeout


@pytest.mark.parametrize("value", ["0", "-5"])
def test_a_timeout_that_is_not_positive_is_refused(tmp_path, capsys, value):
    root = tmp_path / "course"
    code = cli.main(["workshop", "init", str(root), "--course", "t", "--timeout", value])
    err = capsys.readouterr().err
    assert code == 1 and f"--timeout {value}" in err and "1 or more" in err
    assert not root.exists()
    assert cli.main(["workshop", "init", str(root), "--course", "t"]) == 0
    code = cli.main(["workshop", "autograde", A1, "--timeout", value, "--dir", str(root)])
    err = capsys.readouterr().err
    assert code == 1 and "1 or more" in err and "Traceback" not in err
    with pytest.raises(grading.WorkshopError, match="1 or more"):
        grading.autograde(open_course(root), A1, timeout=int(value))


# --------------------------------------------------------------------------------------------
# Real grading (slow: kernels)


@pytest.mark.slow
def test_an_inserted_cell_and_python_in_an_answer_never_run(tmp_path, capsys):
    root, _released_nb = _released(tmp_path, capsys)
    course = open_course(root)
    marks = tmp_path / "marks"
    marks.mkdir()
    os.chmod(marks, 0o777)
    learner = "sam"
    case = case_for(learner, A1)
    from tests.test_workshop import _a1_answers

    folder = simulate_submission(course, A1, learner, _a1_answers(case))
    clean = simulate_submission(course, A1, "clean", _a1_answers(case_for("clean", A1)))
    path = folder / f"{A1}.ipynb"
    nb = nbformat.read(path, as_version=4)
    inserted = f"open({str(marks / 'inserted')!r}, 'w').write('ran')"
    nb.cells.insert(4, _code(inserted))
    labels = _cell(nb, "answer-labels")
    labels.source = f"open({str(marks / 'answer')!r}, 'w').write('ran')\n" + labels.source
    nbformat.write(nb, path)
    # A module the checks import, dropped beside the notebook, is never imported either.
    (folder / "goalstudio.py").write_text(f"open({str(marks / 'module')!r}, 'w').write('ran')\n")

    report = grading.autograde(course, A1, workers=1)

    by = {r.learner: r for r in report.results}
    assert sorted(p.name for p in marks.iterdir()) == []  # nothing the learner wrote ran
    notes = " ".join(by[learner].notes)
    assert 'a code cell starting "open(' in notes and "not run" in notes
    assert "(answer-labels) was removed or changed" in notes
    summary = report.summary()
    assert f"{learner}: " in summary and "left out of grading and not run" in summary
    # The answers themselves were still read and checked: part A as for a clean submission.
    assert by["clean"].score == 6 and by[learner].score is not None and by[learner].score >= 3
    assert clean.exists()


@pytest.mark.slow
def test_a_grading_kernel_runs_private_clean_and_unprivileged(tmp_path, monkeypatch):
    from goalstudio.grading._execute import GradingExecute
    from goalstudio.grading._sandbox import FOLDER_PREFIX

    monkeypatch.setenv("GOALSTUDIO_RECORDS_URL", "postgresql://gs:secret@127.0.0.1/records")
    private = tmp_path / "secrets"
    private.mkdir(mode=0o700)
    (private / "key").write_text("k")
    probe = (
        "import json, os\n"
        "try:\n"
        f"    open({str(private / 'key')!r}).read(); secret = 'read'\n"
        "except OSError as exc:\n"
        "    secret = type(exc).__name__\n"
        "print(json.dumps({'uid': os.getuid(), 'groups': os.getgroups(), 'cwd': os.getcwd(),\n"
        "    'env': sorted(os.environ), 'learner': os.environ.get('GOALSTUDIO_LEARNER'),\n"
        "    'files': os.listdir('.'), 'secret': secret}))\n"
    )
    nb = nbformat.v4.new_notebook(cells=[_code(probe)])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    resources = {"nbgrader": {"student": "sam"}, "metadata": {"path": str(tmp_path)}}
    ran, _ = GradingExecute(timeout=120).preprocess(nb, resources)
    seen = json.loads(ran.cells[0].outputs[0]["text"])
    assert "GOALSTUDIO_RECORDS_URL" not in seen["env"]
    assert seen["learner"] == "sam"
    assert Path(seen["cwd"]).name.startswith(FOLDER_PREFIX)
    assert not Path(seen["cwd"]).exists()  # removed once graded
    assert str(tmp_path) not in seen["cwd"]
    if os.geteuid() == 0:
        import pwd

        assert seen["uid"] == pwd.getpwnam("nobody").pw_uid and seen["groups"] == []
        assert seen["secret"] == "PermissionError"


def _ours(tag: str) -> list[str]:
    import psutil

    found = []
    for process in psutil.process_iter(["pid", "cmdline"]):
        line = " ".join(process.info["cmdline"] or [])
        if tag in line and process.pid != os.getpid():
            found.append(f"{process.pid}: {line[:200]}")
    return found


def _kernel_running(pid: int) -> bool:
    import psutil

    try:
        found = psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return False
    for process in found:
        try:
            if any(arg.endswith("kernel.json") for arg in process.cmdline()):
                return True
        except psutil.Error:
            continue
    return False


@pytest.mark.slow
def test_ctrl_c_stops_autograde_with_its_kernels_and_removes_its_folders(request, capsys):
    tag = f"gs-stop-{uuid.uuid4().hex[:8]}"
    temp = Path(tempfile.mkdtemp(prefix=f"{tag}-"))  # passable, as /tmp is, for the grading account
    os.chmod(temp, 0o755)
    request.addfinalizer(lambda: shutil.rmtree(temp, ignore_errors=True))
    root = temp / "course"
    assert cli.main(["workshop", "init", str(root), "--course", "t"]) == 0
    assert cli.main(["workshop", "assign", A2, "--dir", str(root)]) == 0
    course = open_course(root)
    for n in range(12):
        name = f"learner-{n}"
        simulate_submission(course, A2, name, {"plan": case_for(name, A2).model_rewrite})
    capsys.readouterr()
    env = dict(os.environ, TMPDIR=str(temp))
    command = ["workshop", "autograde", A2, "--workers", "2", "--dir", str(root)]
    process = subprocess.Popen(
        [sys.executable, "-m", "goalstudio.cli", *command],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            assert process.poll() is None, process.communicate()
            if _kernel_running(process.pid):
                break
            time.sleep(0.05)
        else:
            pytest.fail("no grading kernel started")
        os.killpg(process.pid, signal.SIGINT)  # Ctrl+C in the terminal
        out, err = process.communicate(timeout=90)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert process.returncode == 130, (out, err)
    assert "Autograde stopped" in err and "Traceback" not in err, err
    time.sleep(1)
    assert _ours(tag) == []  # no kernel, worker or kernel server outlived the command
    left = [p.name for p in temp.iterdir() if p.name.startswith(("gs-kernels-", "gs-autograde-"))]
    assert left == []


@pytest.mark.slow
def test_a_preheated_kernel_is_forked_from_the_server_through_its_kernelspec(tmp_path):
    from goalstudio.grading import _kernels
    from goalstudio.grading._execute import GradingExecute

    probe = (
        "import json, os, sys\n"
        "print(json.dumps({'parent': os.getppid(), 'cwd': os.getcwd(),\n"
        "    'warm': 'goalstudio.rubric' in sys.modules}))\n"
    )
    nb = nbformat.v4.new_notebook(cells=[_code(probe)])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    server = _kernels.start()
    assert server is not None, "the preheated kernel server did not start"
    try:
        resources = {"nbgrader": {"student": "sam"}, "metadata": {"path": str(tmp_path)}}
        ran, _ = GradingExecute(timeout=120, kernel_server=server).preprocess(nb, resources)
        seen = json.loads(ran.cells[0].outputs[0]["text"])
        assert seen["parent"] == _kernels.server_pid()  # forked by the server, not started cold
        assert seen["warm"]  # the studio was loaded before the notebook ran
        assert Path(seen["cwd"]).name.startswith("gs-grade-")  # still its own private folder
        cold, _ = GradingExecute(timeout=120).preprocess(nb, resources)
        assert json.loads(cold.cells[0].outputs[0]["text"])["parent"] != _kernels.server_pid()
    finally:
        _kernels.stop()
    assert _kernels.server_pid() is None


def test_nbgraders_gradebook_waits_for_another_workers_write(tmp_path, capsys):
    import sqlite3
    import threading

    root, _released_nb = _released(tmp_path, capsys)
    course = open_course(root)
    holder = sqlite3.connect(course.db_path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")  # another worker is writing, for longer than SQLite's 5 s
    release = threading.Timer(6.0, holder.execute, args=("COMMIT",))
    release.start()
    try:
        with course.api().gradebook as gb:  # nbgrader's own gradebook, from the course's URL
            gb.update_or_create_student("sam", first_name="Sam")
    finally:
        release.join()
        holder.close()
    with course.gradebook() as gb:
        assert gb.find_student("sam").first_name == "Sam"


def test_the_sandbox_names_the_same_variables_as_the_studio() -> None:
    # _sandbox.py runs standalone (python -S) so repeats four names; they must not drift.
    for name in ("GRADER_ACCOUNT_ENV", "KERNEL_ACCOUNT_ENV", "GRADING_FOLDER_ENV", "LEARNER_ENV"):
        assert getattr(_sandbox, name) == getattr(_environment, name)
