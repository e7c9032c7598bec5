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
# Seconds a page's kernel has to answer once started (nbclient's default is 60). Voilà starts
# the kernel inside the page's response, and if the start fails nothing ends the response: the
# page loads for ever. On a busy machine, with other kernels starting, a minute was not always
# enough (docs/decisions.md), so a slow start is waited for and ends in a late page.
KERNEL_START_TIMEOUT = 600
KERNEL_START = (f"--VoilaExecutor.startup_timeout={KERNEL_START_TIMEOUT}",)
