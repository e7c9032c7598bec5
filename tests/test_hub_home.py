"""The hub's pre-spawn step never acts as root on a path a learner controls (issue 15 §1).

Each test makes a real account the way the hub does (``ensure_account``), lets the learner
plant a symlink in their own home, then runs the step the hub runs before every server start
(``prepare_home``) and checks that nothing outside the learner's own files changed. Needs root
and ``useradd``; skips with the reason otherwise.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from goalstudio.hub.accounts import ensure_account, prepare_home
from goalstudio.hub.settings import HubSetupError

pytestmark = [pytest.mark.xdist_group("hub-home")]


def _missing() -> str | None:
    if sys.platform != "linux" or os.geteuid() != 0:
        return "needs root on Linux: makes a simulated learner account (CI runs as root)"
    for tool in ("useradd", "userdel", "runuser"):
        if not shutil.which(tool):
            return f"needs {tool} to make a learner account"
    probe = subprocess.run(
        ["runuser", "-u", "nobody", "--", sys.executable, "-c", "import goalstudio"],
        capture_output=True,
        check=False,
        cwd="/",
    )
    if probe.returncode != 0:
        return "other accounts cannot use this Python environment (chmod o+x, as .ci/run does)"
    return None


@pytest.fixture
def learner() -> Iterator[pwd.struct_passwd]:
    reason = _missing()
    if reason:
        pytest.skip(reason)
    name = f"t{secrets.token_hex(3)}-sym"
    try:
        account = ensure_account(name, facilitator=False)
        prepare_home(account, facilitator=False)  # the first start
        yield account
    finally:
        subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True, check=False)
        subprocess.run(["userdel", "-r", name], capture_output=True, check=False)


@pytest.fixture
def root_only() -> Iterator[Path]:
    """A folder of root's files a learner may pass through but must never read or change."""
    folder = Path(tempfile.mkdtemp(prefix="gs-rootonly-"))
    os.chmod(folder, 0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def as_learner(account: pwd.struct_passwd, *command: str) -> None:
    done = subprocess.run(
        ["runuser", "-u", account.pw_name, "--", *command], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def snapshot(path: Path) -> dict[str, tuple[int, int, int, bytes]]:
    """Owner, group, mode and content of everything under ``path`` (links not followed)."""
    found = {}
    for item in [path, *sorted(path.rglob("*"))]:
        info = item.lstat()
        data = item.read_bytes() if stat.S_ISREG(info.st_mode) else b""
        found[str(item)] = (info.st_uid, info.st_gid, info.st_mode, data)
    return found


def learner_files_holding(account: pwd.struct_passwd, text: bytes) -> list[str]:
    home = Path(account.pw_dir)
    return [
        str(p)
        for p in home.rglob("*")
        if p.is_file() and not p.is_symlink() and text in p.read_bytes()
    ]


def test_a_link_at_installed_json_does_not_reveal_a_root_only_file(
    learner: pwd.struct_passwd, root_only: Path
) -> None:
    (root_only / "secrets").mkdir(mode=0o700)  # as the hub keeps its key
    key = root_only / "secrets" / "records-password-key"
    key.write_bytes(b"root-only-key-" + secrets.token_hex(8).encode())
    os.chmod(key, 0o600)
    before = snapshot(root_only)
    state = Path(learner.pw_dir) / "goal-discovery-studio" / ".goalstudio" / "installed.json"
    as_learner(learner, "rm", "-f", str(state))
    as_learner(learner, "ln", "-s", str(key), str(state))

    prepare_home(learner, facilitator=False)  # the next server start

    assert snapshot(root_only) == before
    assert learner_files_holding(learner, key.read_bytes()) == []


def test_a_workspace_linked_to_the_course_folder_is_not_taken_over(
    learner: pwd.struct_passwd, root_only: Path
) -> None:
    course = root_only / "course"
    course.mkdir()
    (course / "gradebook.db").write_bytes(b"grades")
    os.chmod(course / "gradebook.db", 0o600)
    before = snapshot(root_only)
    workspace = Path(learner.pw_dir) / "goal-discovery-studio"
    as_learner(learner, "rm", "-rf", str(workspace))
    as_learner(learner, "ln", "-s", str(course), str(workspace))

    with pytest.raises(HubSetupError, match="could not be copied") as refused:
        prepare_home(learner, facilitator=False)

    assert "Permission denied" in str(refused.value)
    assert snapshot(root_only) == before  # still root's, nothing added, nothing writable


def test_a_link_at_a_temporary_file_does_not_overwrite_a_root_file(
    learner: pwd.struct_passwd, root_only: Path
) -> None:
    victim = root_only / "root-owned.conf"
    victim.write_bytes(b"root's own settings\n")
    os.chmod(victim, 0o644)
    before = snapshot(root_only)
    workspace = Path(learner.pw_dir) / "goal-discovery-studio"
    # The learner deletes a course file (so the next start copies it again) and plants a link
    # where that copy is first written.
    as_learner(learner, "rm", "-f", str(workspace / "00-welcome.ipynb"))
    as_learner(learner, "ln", "-s", str(victim), str(workspace / ".00-welcome.ipynb.tmp"))

    prepare_home(learner, facilitator=False)

    assert snapshot(root_only) == before
    welcome = workspace / "00-welcome.ipynb"
    assert not welcome.is_symlink() and b"Welcome" in welcome.read_bytes()


def test_everything_in_the_workspace_is_made_by_the_learner(
    learner: pwd.struct_passwd,
) -> None:
    home = Path(learner.pw_dir)
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    made = [home, *home.rglob("*")]
    assert len(made) > 10
    assert {p.lstat().st_uid for p in made} == {learner.pw_uid}
    # The home starts empty: no skeleton files copied in by root.
    assert sorted(p.name for p in home.iterdir()) == ["goal-discovery-studio"]


def test_the_learner_side_refuses_to_run_as_root(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("only meaningful as root")
    done = subprocess.run(
        [sys.executable, "-m", "goalstudio.hub.home"],
        env={**os.environ, "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1 and "refusing" in done.stderr
    assert list(tmp_path.iterdir()) == []
