"""The folders a one-server workshop shares, made once as the hub starts: the nbgrader
exchange (its own permissions model), the course folder only facilitators can open (gradebook,
submissions, feedback) and the Jupyter settings every single-user server reads."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path
from typing import Any

from goalstudio.hub.accounts import ensure_group, run_command
from goalstudio.hub.settings import FACILITATOR_GROUP, LEARNER_GROUP, HubSettings, HubSetupError

LEARNER_SERVER_CONFIG = {
    "ServerApp": {"jpserver_extensions": {"nbgrader.server_extensions.formgrader": False}}
}


def dashboard_server_config() -> dict[str, Any]:
    """Voilà settings for ``/voila/render/...`` on every single-user server: the same offline
    template, stripped sources, hidden tracebacks and patience with a slow kernel as
    ``goalstudio dashboard``."""
    from goalstudio._voila_settings import EXTENSION_DENYLIST, KERNEL_START_TIMEOUT, TEMPLATE

    return {
        "VoilaConfiguration": {
            "template": TEMPLATE,
            "strip_sources": True,
            "show_tracebacks": False,
            "extension_denylist": list(EXTENSION_DENYLIST),
        },
        "VoilaExecutor": {"startup_timeout": KERNEL_START_TIMEOUT},
    }


def dashboard_template_root() -> Path:
    """The folder holding ``voila/templates/goalstudio``, found without importing the widgets
    (which would pull Jupyter into the hub process)."""
    import importlib.util

    spec = importlib.util.find_spec("goalstudio.widgets")
    if spec is None or not spec.submodule_search_locations:
        raise HubSetupError("goalstudio.widgets is not installed: reinstall the studio.")
    return Path(next(iter(spec.submodule_search_locations))) / "dashboards" / "share"


NBGRADER_SHARED_CONFIG = """\
# nbgrader settings every single-user server reads (written by the hub at start-up).
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = {course_id!r}
c.Exchange.root = {exchange!r}
"""

NBGRADER_LEARNER_CONFIG = """\
# nbgrader settings learners' servers read (written by the hub at start-up). Facilitators'
# servers do not read this file: to collect, their student id must stay '*' (everyone).
import os

c = get_config()  # noqa: F821
# Each learner submits and fetches feedback under their hub name, not the OS account's.
c.CourseDirectory.student_id = os.environ.get("JUPYTERHUB_USER", "*")
"""


def prepare_shared_folders(settings: HubSettings) -> None:
    """Once, when the hub starts: the exchange, the course folder and the settings folder."""
    facilitators_gid = ensure_group(FACILITATOR_GROUP)
    ensure_group(LEARNER_GROUP)
    settings.root.mkdir(parents=True, exist_ok=True)
    os.chmod(settings.root, 0o755)
    (settings.root / "secrets").mkdir(parents=True, exist_ok=True)
    os.chmod(settings.root / "secrets", 0o700)  # cookie secret and the records password key
    settings.exchange_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(settings.exchange_dir, 0o1777)  # nbgrader's own permissions model
    shared = NBGRADER_SHARED_CONFIG.format(
        course_id=settings.course_id, exchange=str(settings.exchange_dir)
    )
    for folder, text in (
        (settings.etc_dir, shared),
        (settings.learner_etc_dir, NBGRADER_LEARNER_CONFIG),
    ):
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder, 0o755)
        os.chmod(folder.parent, 0o755)
        config = folder / "nbgrader_config.py"
        config.write_text(text, encoding="utf-8")
        os.chmod(config, 0o644)
    # Learners have no use for nbgrader's instructor tools (formgrader, create assignment):
    # their servers do not load them, which also makes each server start sooner.
    server_config = settings.learner_etc_dir / "jupyter_server_config.json"
    server_config.write_text(json.dumps(LEARNER_SERVER_CONFIG, indent=1), encoding="utf-8")
    os.chmod(server_config, 0o644)
    # Dashboards served by the facilitator's own server use the offline template too.
    voila_config = settings.etc_dir / "jupyter_server_config.json"
    voila_config.write_text(json.dumps(dashboard_server_config(), indent=1), encoding="utf-8")
    os.chmod(voila_config, 0o644)
    course = settings.course_dir
    if not (course / "nbgrader_config.py").exists():
        run_command(
            [
                str(Path(sys.executable).with_name("goalstudio")),
                "workshop",
                "init",
                str(course),
                "--course",
                settings.course_id,
            ]
        )
        fd = os.open(course / "nbgrader_config.py", os.O_WRONLY | os.O_APPEND | os.O_NOFOLLOW)
        with os.fdopen(fd, "a", encoding="utf-8") as handle:
            handle.write(
                f"\n# Set by the hub: the shared exchange.\nc.Exchange.root = "
                f"{str(settings.exchange_dir)!r}\n"
            )
    # Only facilitators can open the course folder: gradebook, submissions and feedback.
    # Facilitators can write here, so links are never followed: walk() does not descend into
    # linked folders, and links themselves are left alone.
    for here, _dirs, files in os.walk(course):
        _own_by_facilitators(here, facilitators_gid)
        for name in files:
            _own_by_facilitators(os.path.join(here, name), facilitators_gid)


def _own_by_facilitators(path: str, gid: int) -> None:
    """root:facilitators, 2770 for folders and 0660 for files; a link is skipped, and the
    change is made on the opened item itself (O_NOFOLLOW), never on what a name points to."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return  # a link (ELOOP), or gone: nothing of ours to set
    try:
        mode = os.fstat(fd).st_mode
        if not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
            return
        os.fchown(fd, 0, gid)
        os.fchmod(fd, 0o2770 if stat.S_ISDIR(mode) else 0o660)
    finally:
        os.close(fd)
