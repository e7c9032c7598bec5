"""When a hub user's server stops, nothing of theirs keeps running (the hub's post-stop hook).

A server that exits leaves behind what it did not shut down: in the live hub test, the
facilitator's dashboard kernel outlived its server and was seen as ``<defunct>`` after the hub
had stopped. Each test makes a real account the way the hub does; needs root and ``useradd``.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator

import pytest

from goalstudio.hub.accounts import end_processes, ensure_account

pytestmark = [pytest.mark.xdist_group("hub-home")]


@pytest.fixture
def account() -> Iterator[pwd.struct_passwd]:
    if sys.platform != "linux" or os.geteuid() != 0:
        pytest.skip("needs root on Linux: makes a simulated learner account (CI runs as root)")
    for tool in ("useradd", "userdel"):
        if not shutil.which(tool):
            pytest.skip(f"needs {tool} to make a learner account")
    name = f"t{secrets.token_hex(3)}-stop"
    try:
        yield ensure_account(name, facilitator=False)
    finally:
        subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True, check=False)
        subprocess.run(["userdel", "-r", name], capture_output=True, check=False)


def _running_as(name: str) -> list[str]:
    found = subprocess.run(["pgrep", "-a", "-u", name], capture_output=True, text=True)
    return found.stdout.splitlines()


def test_what_a_server_left_running_is_ended_and_collected(account: pwd.struct_passwd) -> None:
    # Two processes whose parent has gone, as a kernel's once its server exits; one of them
    # ignores SIGTERM, as a busy kernel may.
    subprocess.run(
        ["runuser", "-u", account.pw_name, "--", "sh", "-c",
         "(trap '' TERM; exec sleep 300) & sleep 300 & exit 0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
    )  # fmt: skip
    assert len(_running_as(account.pw_name)) == 2
    assert end_processes(account.pw_name, grace=0.5) == []
    assert _running_as(account.pw_name) == []  # no <defunct> left either


def test_a_process_nobody_collects_is_reported(account: pwd.struct_passwd) -> None:
    # This test's own child: once ended it stays <defunct> until the test collects it.
    child = subprocess.Popen(["sleep", "300"], user=account.pw_uid, group=account.pw_gid)
    try:
        # It gives up after its timeout and names the process (without the timeout it would
        # wait for ever, as nothing collects the child until this test does).
        assert end_processes(account.pw_name, grace=0.2, timeout=1.0) == [child.pid]
        assert child.wait(5) == -signal.SIGTERM
    finally:
        child.kill()
        child.wait()
    assert end_processes(account.pw_name) == []


def test_an_account_the_studio_did_not_make_is_never_touched() -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root to run a process as another account")
    other = subprocess.Popen(["sleep", "300"], user="nobody")
    try:
        assert end_processes("nobody", grace=0, timeout=1) == []
        assert end_processes("root", grace=0, timeout=1) == []
        assert other.poll() is None
    finally:
        other.kill()
        other.wait()
