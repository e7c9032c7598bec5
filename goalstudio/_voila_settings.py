"""How the studio runs Voilà, shared by ``goalstudio dashboard``, ``goalstudio start --app`` and
the hub's single-user servers, so the three serve pages the same way.

Plain constants only: the command line and the hub both import this, and neither may import the
other.
"""

from __future__ import annotations

# The studio's copy of the lab template (without the CDN stylesheet links), so pages work offline.
TEMPLATE = "goalstudio"
# Lab extensions a dashboard page does not need; loading them only prints console errors.
EXTENSION_DENYLIST = (
    "@jupyter/nbgrader",
    "@jupyter-notebook/lab-extension",
    "@voila-dashboards/jupyterlab-preview",
)
# Shut down the kernel of a closed page once it has been idle for five minutes, in app mode and
# on the dashboards alike. Voilà's close-page beacon does this at once when it gets through (the
# studio's template gives it the XSRF cookie it needs); culling catches the pages it misses, so
# a page view never keeps a kernel (about 150 MB) until the server stops. Kernels of open pages
# are never culled (cull_connected stays False).
CULLING = (
    "--MappingKernelManager.cull_interval=60",
    "--MappingKernelManager.cull_idle_timeout=300",
)
