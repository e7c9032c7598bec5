"""Where and as whom a grading kernel runs: the second wall around grading.

The first wall is ``_rebuild``: the graded notebook holds only the released cells, with the
learner's answers as text, so no learner code runs. Even so, each grading kernel

- runs in a new, empty folder of its own (never the submission's folder, where a learner's
  files could shadow a module or an IPython setting), removed when the notebook is graded;
- gets a clean environment: no records URL, no course settings, nothing but what a check needs;
- when autograde runs as root, runs as the grading account (``GOALSTUDIO_GRADER_ACCOUNT``,
  default ``nobody``), with no supplementary groups, so it cannot open the course folder
  (root:facilitators 2770) or the hub's secrets (root 0700).

An ordinary account (a facilitator on a hub) cannot switch account: its kernels get the private
folder and the clean environment.

Standard library only: ``python -S _sandbox.py KERNEL-COMMAND...`` wraps an ordinary kernel,
and the preheated kernel server calls ``enter`` in each forked kernel.
"""

from __future__ import annotations

import os
import pwd
import signal
import sys
import tempfile

# The names are goalstudio._environment's, repeated (a test pins them equal): this module runs
# as ``python -S _sandbox.py`` in a kernel process, where the studio's packages are not loaded.
GRADER_ACCOUNT_ENV = "GOALSTUDIO_GRADER_ACCOUNT"
KERNEL_ACCOUNT_ENV = "GOALSTUDIO_KERNEL_ACCOUNT"  # "UID:GID" when a kernel must switch account
GRADING_FOLDER_ENV = "GOALSTUDIO_GRADING_FOLDER"  # one autograde run's folder of kernel folders
LEARNER_ENV = "GOALSTUDIO_LEARNER"
DEFAULT_ACCOUNT = "nobody"
FOLDER_PREFIX = "gs-grade-"


def run_folder(ids: tuple[int, int] | None) -> str:
    """A new folder for one autograde run's kernel folders: root's, and passable (0711) by
    the grading account, which owns each kernel folder inside it."""
    base = None
    if ids is not None and not _passable(tempfile.gettempdir()):
        base = "/tmp"  # a private TMPDIR would keep the grading account out of its folders
    folder = tempfile.mkdtemp(prefix="gs-autograde-", dir=base)
    if ids is not None:
        os.chmod(folder, 0o711)
    return folder


def _passable(path: str) -> bool:
    """Whether every account can pass through ``path`` and each folder above it."""
    here = os.path.realpath(path)
    while True:
        try:
            if not os.stat(here).st_mode & 0o001:
                return False
        except OSError:
            return False
        parent = os.path.dirname(here)
        if parent == here:
            return True
        here = parent


class SandboxError(RuntimeError):
    """The grading account cannot be used; the message says what to do."""


def grader_ids() -> tuple[int, int] | None:
    """The grading account's uid and gid when running as root; ``None`` otherwise."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return None
    name = os.environ.get(GRADER_ACCOUNT_ENV, "").strip() or DEFAULT_ACCOUNT
    try:
        account = pwd.getpwnam(name)
    except KeyError:
        raise SandboxError(
            f"the grading account '{name}' does not exist on this machine. Create it (useradd "
            f"--system {name}) or set {GRADER_ACCOUNT_ENV} to an unprivileged account."
        ) from None
    if account.pw_uid == 0 or account.pw_gid == 0:
        raise SandboxError(
            f"the grading account '{name}' is root or in root's group; set {GRADER_ACCOUNT_ENV} "
            "to an unprivileged account."
        )
    return account.pw_uid, account.pw_gid


def private_folder(ids: tuple[int, int] | None) -> str:
    """A new empty folder (0700) for one kernel, owned by the account it runs as; inside the
    run's folder (``GRADING_FOLDER_ENV``) when autograde set one, so it can remove them all."""
    run = os.environ.get(GRADING_FOLDER_ENV) or None
    folder = tempfile.mkdtemp(prefix=FOLDER_PREFIX, dir=run)
    if ids is not None:
        os.chown(folder, *ids)
    return folder


def kernel_env(folder: str, learner: str, ids: tuple[int, int] | None) -> dict[str, str]:
    """The whole environment of a grading kernel: no settings of the grader's own."""
    env = {
        "PATH": os.environ.get("PATH", os.defpath),
        "LANG": os.environ.get("LANG", "C.UTF-8"),
        "HOME": folder,
        "TMPDIR": folder,
        "IPYTHONDIR": os.path.join(folder, ".ipython"),
        "MPLCONFIGDIR": folder,
        "PYTHONNOUSERSITE": "1",
        "NBGRADER_EXECUTION": "autograde",
        LEARNER_ENV: learner,  # the case is chosen by learner id
    }
    if ids is not None:
        env[KERNEL_ACCOUNT_ENV] = f"{ids[0]}:{ids[1]}"
    return env


def _connection_file(argv: list[str]) -> str | None:
    for number, arg in enumerate(argv):
        if arg == "-f" and number + 1 < len(argv):
            return argv[number + 1]
        if arg.startswith(("-f=", "--f=")):
            return arg.split("=", 1)[1]
    return None


def enter(argv: list[str]) -> None:
    """In a kernel process, before the kernel starts: switch to the grading account when the
    environment asks for it, handing it the kernel's connection file. Exits if it cannot."""
    wanted = os.environ.pop(KERNEL_ACCOUNT_ENV, "")
    if not wanted:
        return
    uid, gid = (int(part) for part in wanted.split(":"))
    if os.geteuid() == 0:
        path = _connection_file(argv)
        if path:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)  # made by the grader just now
            try:
                os.fchown(fd, uid, gid)
            finally:
                os.close(fd)
        os.setgroups([])
        os.setgid(gid)
        os.setuid(uid)
    if (os.getuid(), os.geteuid(), os.getgid(), os.getegid()) != (uid, uid, gid, gid):
        print("the grading kernel could not switch to the grading account", file=sys.stderr)
        os._exit(1)


def main() -> int:
    # Stopped (Ctrl+C) before the kernel starts: end quietly, as the kernel would.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    command = sys.argv[1:]
    enter(command)
    os.execv(command[0], command)
    return 1  # pragma: no cover - execv does not return


if __name__ == "__main__":
    raise SystemExit(main())
