# JupyterHub configuration for trying a Goal Discovery Studio team workshop out on 127.0.0.1:
# anyone may log in with any name and password (the dummy authenticator). Run it as root:
#
#     sudo jupyterhub -f deploy/hub/jupyterhub_config.py
#
# It runs the configuration the installed studio writes with
# 'goalstudio hub config --authenticator dummy', so it always matches the installed version.
# Settings come from the environment (GOALSTUDIO_HUB_RECORDS_ADMIN_URL at least; docs/deploy.md
# lists them all). For real learners, write a file of your own to read and edit instead, with
# real authentication:
#
#     goalstudio hub config --authenticator native --out /etc/goalstudio/jupyterhub_config.py
from goalstudio.hub.config_file import run_config

run_config("dummy", globals())
