"""Prepare a hub user's workspace, run *as that user* by the hub's pre-spawn hook.

The hub runs as root, and a learner controls everything inside their home folder: a symlink
planted there would turn any file root opens, writes or chowns into someone else's file. So
root never opens a path inside a home: it starts this module with the learner's own uid and
groups, and the learner's rights are the only rights used here.

    python -m goalstudio.hub.home [--facilitator]

Prints nothing on success; on failure, one plain line on stderr and exit status 1.
"""

from __future__ import annotations

import os
import sys
from importlib import resources
from pathlib import Path

WORKSPACE_NAME = "goal-discovery-studio"


def prepare(home: Path, *, facilitator: bool) -> Path:
    """Copy the course (learner release) into ``home/goal-discovery-studio``; facilitators
    also get the dashboards in ``facilitator/``. Files the user changed are kept."""
    from goalstudio.courseware.workspace import prepare_workspace, write_atomically

    workspace = home / WORKSPACE_NAME
    prepare_workspace(workspace)
    if facilitator:
        source = Path(str(resources.files("goalstudio.course") / "facilitator"))
        target = workspace / "facilitator"
        target.mkdir(exist_ok=True)
        for item in sorted(source.iterdir()):
            if item.suffix in (".ipynb", ".md") and not (target / item.name).exists():
                write_atomically(target / item.name, item.read_bytes())
    return workspace


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if os.geteuid() == 0:
        print("refusing to prepare a home folder as root", file=sys.stderr)
        return 1
    os.umask(0o077)
    try:
        prepare(Path(os.environ["HOME"]), facilitator="--facilitator" in args)
    except Exception as exc:  # the hub shows this line; no traceback reaches the learner
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
