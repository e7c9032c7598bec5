"""A team workshop on one JupyterHub: the configuration, and the hooks the hub calls.

The design (docs/deploy.md and docs/decisions.md say why):

- every hub user is an operating-system account of the same name, made on first spawn, with a
  home folder only they can open (0700), so no learner can read another's drafts or feedback
  (``accounts``; the course is copied in as the user by ``home``);
- facilitators are hub admins and members of the OS group ``goalstudio-facilitators``, the only
  group that can open the nbgrader course folder (gradebook, submissions, feedback)
  (``folders``; a facilitator's sign-up on a hub with open sign-up is approved by the server's
  administrator, ``facilitators``);
- the nbgrader exchange is the standard one; each learner submits under their hub name
  (``CourseDirectory.student_id`` from ``JUPYTERHUB_USER``);
- learning records go to one PostgreSQL database. Each hub user gets a database role of their
  own, with a password the hub derives from a secret only it can read, and row-level security
  lets a learner's role see and write only that learner's rows. Facilitators' roles see all
  (``database``).

The package is part of the core: it imports nothing from Jupyter. A hub's configuration file
(``config_file`` writes it; Kubernetes has its own in deploy/kubernetes/values.yaml) imports
this package and uses the names below; it hands the hooks the spawner (duck-typed).
"""

from goalstudio.hub.config_file import render_config
from goalstudio.hub.database import records_url_for, secure_records_database
from goalstudio.hub.facilitators import facilitator_login_hook
from goalstudio.hub.hooks import on_hub_start, post_stop_hook, pre_spawn_hook
from goalstudio.hub.settings import (
    AUTHENTICATORS,
    USERNAME_PATTERN,
    HubSettings,
    HubSetupError,
    check_username,
)

__all__ = [
    "AUTHENTICATORS",
    "USERNAME_PATTERN",
    "HubSettings",
    "HubSetupError",
    "check_username",
    "facilitator_login_hook",
    "on_hub_start",
    "post_stop_hook",
    "pre_spawn_hook",
    "records_url_for",
    "render_config",
    "secure_records_database",
]
