"""The hooks JupyterHub calls, through the configuration file: once as the hub starts
(``on_hub_start``), before each server starts (``pre_spawn_hook``) and after each stops
(``post_stop_hook``). The spawner is duck-typed: nothing here imports Jupyter."""

from __future__ import annotations

import os
from typing import Any

from goalstudio._environment import GRADEBOOK_ENV, RECORDS_URL_ENV, WORKSPACE_ENV
from goalstudio.hub.accounts import end_processes, ensure_account, prepare_home
from goalstudio.hub.database import records_url_for, secure_records_database
from goalstudio.hub.facilitators import refuse_shipped_password
from goalstudio.hub.folders import dashboard_template_root, prepare_shared_folders
from goalstudio.hub.settings import HubSettings, HubSetupError


def hub_environment(
    settings: HubSettings, hub_name: str, records_url: str, *, facilitator: bool, home: str
) -> dict[str, str]:
    """What a single-user server needs to know: its records URL, the exchange settings and,
    for facilitators, the course folder the dashboards read the gradebook from."""
    env = {
        RECORDS_URL_ENV: records_url,
        WORKSPACE_ENV: f"{home}/goal-discovery-studio",
        "JUPYTER_CONFIG_PATH": str(settings.etc_dir),
    }
    if facilitator:
        env[GRADEBOOK_ENV] = str(settings.course_dir)
        # Where Voilà finds the studio's offline template (no CDN links).
        env["JUPYTER_PATH"] = str(dashboard_template_root())
    else:
        env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
            [str(settings.learner_etc_dir), str(settings.etc_dir)]
        )
    return env


def pre_spawn_hook(spawner: Any, settings: HubSettings | None = None) -> None:
    """Before a server starts: the account, the home folder, the course, the records role."""
    settings = settings or HubSettings.from_env()
    name = str(spawner.user.name)
    facilitator = name in settings.facilitators
    account = ensure_account(name, facilitator=facilitator)
    prepare_home(account, facilitator=facilitator)
    url = records_url_for(settings, name, facilitator=facilitator)
    spawner.environment.update(
        hub_environment(settings, name, url, facilitator=facilitator, home=account.pw_dir)
    )


def post_stop_hook(spawner: Any) -> None:
    """After a server stops: nothing of the user's keeps running, so the stop (and the hub's,
    which stops every server) ends only when all their processes have."""
    left = end_processes(str(spawner.user.name))
    if left:
        spawner.log.warning(
            "%s: processes %s were still running after their server stopped",
            spawner.user.name,
            ", ".join(map(str, left)),
        )


def on_hub_start(settings: HubSettings) -> None:
    """Run from the configuration file as the hub starts (as root)."""
    if os.geteuid() != 0:
        raise HubSetupError(
            "the hub must run as root: it makes an account for each learner and starts their "
            "server as that account. Run 'sudo jupyterhub -f jupyterhub_config.py'."
        )
    refuse_shipped_password(settings)
    prepare_shared_folders(settings)
    if settings.records_admin_url:
        secure_records_database(settings.records_admin_url)
