"""Hub users as operating-system accounts: one account per hub name, made on first spawn, with
a home folder only that account can open (0700), so no learner can read another's drafts or
feedback. The course is copied into the home *as the user* (``goalstudio.hub.home``)."""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from goalstudio.hub.settings import (
    FACILITATOR_GROUP,
    LEARNER_GROUP,
    HubSetupError,
    check_username,
)


def run_command(command: list[str]) -> None:
    """Run a system tool (useradd, groupadd, ...); its error becomes a HubSetupError."""
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise HubSetupError(
            f"'{' '.join(command)}' failed ({result.stderr.strip() or result.returncode})."
        )


def ensure_group(name: str) -> int:
    """The id of the OS group ``name``, made (as a system group) when missing."""
    try:
        return grp.getgrnam(name).gr_gid
    except KeyError:
        run_command(["groupadd", "--system", name])
        return grp.getgrnam(name).gr_gid


def ensure_account(name: str, *, facilitator: bool) -> pwd.struct_passwd:
    """The OS account of a hub user: made on first spawn, in the learners' group (and the
    facilitators' group for facilitators). An account the studio did not make is refused, so
    a hub name such as 'postgres' can never run a server as a system account."""
    check_username(name)
    learners_gid = ensure_group(LEARNER_GROUP)
    facilitators_gid = ensure_group(FACILITATOR_GROUP)
    try:
        account = pwd.getpwnam(name)
    except KeyError:
        # An empty home (no skeleton files): everything inside it is made as the learner.
        with tempfile.TemporaryDirectory(prefix="gs-skel-") as empty:
            run_command(
                [
                    "useradd",
                    "--create-home",
                    "--skel",
                    empty,
                    "--shell",
                    "/bin/bash",
                    "-G",
                    LEARNER_GROUP,
                    name,
                ]
            )
        account = pwd.getpwnam(name)
    members = set(grp.getgrgid(learners_gid).gr_mem)
    if name not in members:
        raise HubSetupError(
            f"an account named '{name}' already exists on this server and was not made by the "
            "studio, so no server is started for it. Choose another hub name."
        )
    in_facilitators = name in grp.getgrgid(facilitators_gid).gr_mem
    if facilitator and not in_facilitators:
        run_command(["usermod", "-a", "-G", FACILITATOR_GROUP, name])
    elif not facilitator and in_facilitators:
        run_command(["gpasswd", "-d", name, FACILITATOR_GROUP])
    _close_home(account)
    return account


def _close_home(account: pwd.struct_passwd) -> None:
    """Make the home folder 0700 (no one else can open it), without following a link: the
    folder is opened with O_NOFOLLOW and must be a directory the account owns."""
    try:
        fd = os.open(account.pw_dir, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError as exc:
        raise HubSetupError(
            f"the home folder of '{account.pw_name}' ({account.pw_dir}) is not a folder that "
            f"can be opened ({exc.strerror}); no server is started for it."
        ) from None
    try:
        if os.fstat(fd).st_uid != account.pw_uid:
            raise HubSetupError(
                f"the home folder of '{account.pw_name}' ({account.pw_dir}) belongs to another "
                "account; no server is started for it."
            )
        os.fchmod(fd, 0o700)
    finally:
        os.close(fd)


def learner_process(account: pwd.struct_passwd) -> dict[str, Any]:
    """``subprocess`` arguments that run a command as the account itself: its uid, its groups,
    a clean environment and a private umask. Root's rights never reach the command."""
    groups = [g.gr_gid for g in grp.getgrall() if account.pw_name in g.gr_mem]
    return {
        "user": account.pw_uid,
        "group": account.pw_gid,
        "extra_groups": groups,
        "umask": 0o077,
        "cwd": "/",
        "env": {
            "HOME": account.pw_dir,
            "USER": account.pw_name,
            "LOGNAME": account.pw_name,
            "PATH": os.defpath,
            "LANG": "C.UTF-8",
        },
    }


def prepare_home(account: pwd.struct_passwd, *, facilitator: bool) -> Path:
    """Copy the course (learner release) into the user's workspace; facilitators also get the
    dashboards in ``facilitator/``. Files the user changed are kept.

    Runs ``goalstudio.hub.home`` *as the user*: the hub (root) never opens, writes or chowns a
    path inside a home folder, so a link the user planted there reaches only their own files."""
    command = [sys.executable, "-m", "goalstudio.hub.home"]
    if facilitator:
        command.append("--facilitator")
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        **learner_process(account),
    )
    if result.returncode != 0:
        said = (result.stderr.strip().splitlines() or [f"exit status {result.returncode}"])[-1]
        raise HubSetupError(
            f"the course could not be copied into {account.pw_dir}/goal-discovery-studio "
            f"for '{account.pw_name}' ({said}). Ask them to move that folder aside, or see "
            "docs/deploy.md."
        )
    return Path(account.pw_dir) / "goal-discovery-studio"


def _processes_of(uid: int) -> dict[int, str]:
    """The processes whose real user is ``uid``, each with its state letter (``Z``: it has
    ended and waits for its parent, or init, to collect it)."""
    found: dict[int, str] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/status", encoding="utf-8") as handle:
                fields = dict(line.split(":", 1) for line in handle if ":" in line)
            if int(fields["Uid"].split()[0]) == uid:
                found[int(entry.name)] = fields["State"].split()[0]
        except (OSError, KeyError, ValueError, IndexError):
            continue  # gone meanwhile
    return found


def end_processes(
    name: str,
    *,
    grace: float = 5.0,
    timeout: float = 20.0,
) -> list[int]:
    """After a hub user's server has stopped, end whatever still runs as their account and
    wait until it has gone from the process table; returns the ids left at ``timeout``.

    A server that exits leaves behind what it did not shut down (a dashboard's kernel, a job
    started in a terminal). Left alone, such a process outlives its server, and once it ends
    it lingers as ``<defunct>`` until init collects it. Each gets SIGTERM, then SIGKILL after
    ``grace`` seconds. Only an account the studio made is touched."""
    try:
        account = pwd.getpwnam(name)
        made_by_studio = name in grp.getgrnam(LEARNER_GROUP).gr_mem
    except KeyError:
        return []  # no account (its first start failed before it was made): nothing runs
    if account.pw_uid == 0 or not made_by_studio:
        return []
    start = time.monotonic()
    terminated: set[int] = set()
    while True:
        left = _processes_of(account.pw_uid)
        waited = time.monotonic() - start
        if not left or waited >= timeout:
            return sorted(left)
        for pid, state in left.items():
            if state == "Z" or (pid in terminated and waited < grace):
                continue
            with contextlib.suppress(ProcessLookupError):  # it ended meanwhile
                os.kill(pid, signal.SIGTERM if waited < grace else signal.SIGKILL)
            terminated.add(pid)
        time.sleep(0.05)
