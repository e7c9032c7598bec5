"""The PlanRewriter in JupyterLab (not only Voilà): run the notebook, type, see the chips update.

JupyterLab runs on a free port with a temporary root folder, its own settings, workspaces and
runtime folders, and no token, so nothing of the developer's own JupyterLab is touched. The
screenshot goes to docs/img/ only when GOALSTUDIO_UPDATE_SCREENSHOTS=1 (as for the Voilà tests).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

from goalstudio.scenarios import load
from tests.browser._chromium import CHROMIUM, launch_chromium
from tests.browser.test_widgets_browser import IMAGES, UPDATE_IMAGES
from tests.conftest import free_port, stop

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian Chromium is not at /usr/bin/chromium"),
]

SCENARIO = "bernie-cmht-allotment"
ALL_MET = (
    "() => { const c = [...document.querySelectorAll('.jp-OutputArea .gs-chip')];"
    " return c.length === 5 && c.every(x => x.innerText.endsWith(': Met')); }"
)


# Only what the test needs loads, so JupyterLab starts and paints sooner.
SERVER_EXTENSIONS_OFF = [
    "jupyter_lsp",
    "jupyter_server_terminals",
    "nbgrader.server_extensions.assignment_list",
    "nbgrader.server_extensions.course_list",
    "nbgrader.server_extensions.formgrader",
    "nbgrader.server_extensions.validate_assignment",
    "voila.server_extension",
]
LAB_EXTENSIONS_OFF = ["@jupyter/nbgrader", "@voila-dashboards/jupyterlab-preview"]


def _configure(config: Path, settings: Path) -> None:
    (config / "labconfig").mkdir(parents=True)
    news = settings / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True)
    quiet = {"fetchNews": "false", "checkForUpdates": False}
    (news / "notification.jupyterlab-settings").write_text(json.dumps(quiet))
    off = {name: False for name in SERVER_EXTENSIONS_OFF}
    server = {"ServerApp": {"jpserver_extensions": off}}
    (config / "jupyter_server_config.json").write_text(json.dumps(server))
    page = {"disabledExtensions": {name: True for name in LAB_EXTENSIONS_OFF}}
    (config / "labconfig" / "page_config.json").write_text(json.dumps(page))


def _wait_for_port(port: int, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:]
            pytest.fail(f"JupyterLab stopped with exit code {proc.returncode}:\n{tail}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    pytest.fail(f"JupyterLab did not listen on port {port} within 60 s")


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[str]:
    root = tmp_path / "root"
    root.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Rewrite Bernie's plan"),
        nbformat.v4.new_code_cell(
            f"from goalstudio.widgets import PlanRewriter\nPlanRewriter({SCENARIO!r})"
        ),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(nb, root / "plan.ipynb")
    env = dict(
        os.environ,
        GOALSTUDIO_RECORDS_URL=f"sqlite:///{tmp_path / 'records.sqlite'}",
        JUPYTERHUB_USER="lab-learner",
        JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"),
        JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "settings"),
    )
    _configure(tmp_path / "config", tmp_path / "settings")
    port = free_port()
    log_path = tmp_path / "lab.log"
    log = log_path.open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter",
            "lab",
            "--no-browser",
            f"--port={port}",
            "--ServerApp.ip=127.0.0.1",
            "--IdentityProvider.token=",
            "--ServerApp.password=",
            f"--ServerApp.root_dir={root}",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.news_url=",
            "--allow-root",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=root,
    )
    try:
        _wait_for_port(port, proc, log_path)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc, grace=15)
        log.close()


def test_plan_rewriter_works_in_jupyterlab(lab: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1500})
            page.goto(f"{lab}/lab/tree/plan.ipynb")
            page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=90_000)
            page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
            page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
            exercise = page.locator(".jp-OutputArea .gs-exercise")
            exercise.wait_for(timeout=90_000)
            chips = exercise.locator(".gs-chip")
            chips.first.wait_for()
            before = chips.all_inner_texts()
            assert len(before) == 5 and any("Not met yet" in c for c in before)
            assert "Traceback" not in exercise.inner_text()
            editor = exercise.get_by_label("Your plan text")
            editor.fill(load(SCENARIO).model_rewrite[:-1])
            editor.press_sequentially("\n", delay=20)  # the last keystroke, typed
            page.wait_for_function(ALL_MET, timeout=10_000)
            assert all(t.endswith(": Met") for t in chips.all_inner_texts())
            folder = IMAGES if UPDATE_IMAGES else Path(os.environ.get("TMPDIR", "/tmp"))
            folder.mkdir(parents=True, exist_ok=True)
            # The notebook scrolled so the whole exercise shows: the plan text and the chips.
            exercise.evaluate("e => e.scrollIntoView({block: 'start'})")
            page.wait_for_timeout(300)
            shot = folder / "plan-rewriter-jupyterlab.png"
            page.screenshot(path=str(shot))
            assert shot.stat().st_size > 5_000
        finally:
            browser.close()
