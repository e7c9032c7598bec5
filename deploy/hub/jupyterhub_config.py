# JupyterHub configuration for a Goal Discovery Studio team workshop on one server.
# Written by 'goalstudio hub config --authenticator dummy'. Run it as root:
#
#     jupyterhub -f jupyterhub_config.py
#
# Needs: this Python environment with goal-discovery-studio[hub,postgres] installed, the npm
# package configurable-http-proxy on PATH, and a PostgreSQL database for the shared records.
# Lines marked PRODUCTION are the ones to change before real learners use the hub.
# docs/deploy.md explains each choice.
import asyncio
import os
import sys
from pathlib import Path

from goalstudio import _hub_config as studio

c = get_config()  # noqa: F821

# -- The workshop ----------------------------------------------------------------------------
# Each value can also be given as an environment variable of the same name.
DEFAULTS = {
    # Where the shared files live: the nbgrader course folder (facilitators only), the
    # exchange, the hub's own database and secrets.
    "GOALSTUDIO_HUB_ROOT": "/srv/goalstudio",
    # The nbgrader course id learners fetch and submit under.
    "GOALSTUDIO_HUB_COURSE": "workshop",
    # Facilitators, comma-separated hub names: hub admins who can open the course folder,
    # the gradebook and the dashboards. Everyone else who logs in is a learner.
    "GOALSTUDIO_HUB_FACILITATORS": "facilitator",
    # PostgreSQL for the shared records, as a role that may create roles (CREATEROLE) and
    # owns the database. Each hub user gets a role of their own with row-level security.
    # PRODUCTION (secrets): use a strong password, or keep it in the environment, not in this file.
    "GOALSTUDIO_HUB_RECORDS_ADMIN_URL": (
        "postgresql+psycopg://goalstudio_admin:change-me@127.0.0.1:5432/goalstudio"
    ),
    # Where the hub listens. PRODUCTION (HTTPS): "" (all addresses), port 443, with HTTPS.
    "GOALSTUDIO_HUB_IP": "127.0.0.1",
    "GOALSTUDIO_HUB_PORT": "8000",
}
settings = studio.HubSettings.from_env({**DEFAULTS, **os.environ})
studio.on_hub_start(settings)  # folders, exchange, course folder, records roles and policies

c.JupyterHub.ip = settings.ip
c.JupyterHub.port = settings.port
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.db_url = f"sqlite:///{settings.root / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(settings.root / "secrets" / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(settings.root / "jupyterhub-proxy.pid")

# PRODUCTION (HTTPS): give the certificate and key (or put the hub behind a proxy that
# terminates HTTPS, such as nginx or Caddy, and keep the hub on 127.0.0.1).
# c.JupyterHub.ssl_cert = "/etc/letsencrypt/live/hub.example.org/fullchain.pem"
# c.JupyterHub.ssl_key = "/etc/letsencrypt/live/hub.example.org/privkey.pem"

# -- Who can log in --------------------------------------------------------------------------
# Hub names become account names on this server: lower-case letters, digits, '-' and '_'.
c.Authenticator.username_pattern = studio.USERNAME_PATTERN
c.Authenticator.admin_users = set(settings.facilitators)
c.JupyterHub.load_groups = {"facilitators": {"users": list(settings.facilitators)}}

# PRODUCTION (authentication): the dummy authenticator lets anyone in with any password.
# It is for trying the hub out on 127.0.0.1 only. For real use choose --authenticator native,
# oauth or lti.
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allow_all = True

# -- Learner servers -------------------------------------------------------------------------
# Each hub user runs their server as their own account on this server (made on first login,
# home folder 0700). PRODUCTION (spawner): for more than about 40 learners, or to cap each learner's
# memory, use DockerSpawner or SystemdSpawner (see docs/deploy.md), or Kubernetes.
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(Path(sys.executable).with_name("jupyterhub-singleuser"))]
c.Spawner.notebook_dir = "~"
c.Spawner.default_url = "/lab/tree/goal-discovery-studio/home.ipynb"


async def prepare_server(spawner):
    # Account, home folder, course copy and records role; in a thread, so the hub keeps
    # answering while a room full of learners log in at once.
    await asyncio.get_running_loop().run_in_executor(None, studio.pre_spawn_hook, spawner, settings)


c.Spawner.pre_spawn_hook = prepare_server
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
# Servers stop with the hub, so no learner process outlives the workshop.
c.JupyterHub.cleanup_servers = True
# Idle servers: install jupyterhub-idle-culler and uncomment to stop servers idle for 1 hour.
# c.JupyterHub.services = [{"name": "idle-culler",
#     "command": [sys.executable, "-m", "jupyterhub_idle_culler", "--timeout=3600"]}]
# c.JupyterHub.load_roles = [{"name": "idle-culler", "services": ["idle-culler"],
#     "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]}]

# The facilitator dashboards are in each facilitator's workspace, at
#   /user/FACILITATOR/voila/render/goal-discovery-studio/facilitator/01-workshop-board.ipynb
# A learner who asks for that address is refused by the hub; learners' own servers have no
# dashboards, and their database role shows them only their own records.
