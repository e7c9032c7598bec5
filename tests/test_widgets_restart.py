"""A draft survives a kernel restart: type in one kernel, restart it, and find the text again."""

from __future__ import annotations

import json
import time
from pathlib import Path
from queue import Empty

import pytest
from jupyter_client.manager import KernelManager

pytestmark = pytest.mark.slow

SETUP = """
from goalstudio.widgets import PlanRewriter
widget = PlanRewriter("bernie-cmht-allotment", learner="sam", store_url={url!r})
"""
TYPED = 'Goal: "I want the plot back the way Jean kept it." (Bernie)\n'


def run(client, code: str, timeout: float = 60) -> str:  # type: ignore[no-untyped-def]
    """Execute ``code`` and return what it printed; fail on an error."""
    msg_id = client.execute(code)
    out: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            msg = client.get_iopub_msg(timeout=1)
        except Empty:
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream":
            out.append(content["text"])
        elif kind == "error":
            pytest.fail("kernel error: " + "\n".join(content["traceback"]))
        elif kind == "status" and content["execution_state"] == "idle":
            return "".join(out)
    pytest.fail(f"no answer from the kernel within {timeout} s")


def test_draft_survives_a_kernel_restart(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'records.sqlite'}"
    km = KernelManager(kernel_name="python3")
    km.start_kernel(cwd=str(tmp_path))
    try:
        client = km.client()
        client.start_channels()
        client.wait_for_ready(timeout=60)
        run(client, SETUP.format(url=url))
        # Typing, as the browser sends it: the value changes, and nothing is flushed by hand.
        run(client, f"widget.editor.value = {TYPED!r}")
        # The autosave fires on the kernel's own event loop once typing has paused.
        saved = "None"
        deadline = time.monotonic() + 10
        while saved == "None" and time.monotonic() < deadline:
            time.sleep(0.3)
            saved = run(client, "print(widget.saved_version)").strip()
        assert saved == "1"
        client.stop_channels()
        km.restart_kernel(now=True)
        client = km.client()
        client.start_channels()
        client.wait_for_ready(timeout=60)
        assert run(client, "print('widget' in dir())").strip() == "False"
        run(client, SETUP.format(url=url))
        shown = run(
            client, "import json; print(json.dumps([widget.editor.value, widget.status.value]))"
        )
        text, status = json.loads(shown)
        assert text == TYPED
        assert "restored" in status
        client.stop_channels()
    finally:
        km.shutdown_kernel(now=True)
