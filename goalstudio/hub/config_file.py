"""The ``jupyterhub_config.py`` of a one-server workshop (``goalstudio hub config``).

The configuration is one template, ``jupyterhub_config.py.j2`` beside this module, with a block
for each way of logging in. ``deploy/hub/jupyterhub_config.py`` runs the rendered dummy
configuration instead of keeping a copy of it, so the two can never drift apart.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import jinja2

from goalstudio import _environment
from goalstudio.hub.settings import AUTHENTICATORS, HubSetupError

TEMPLATE_NAME = "jupyterhub_config.py.j2"


def render_config(authenticator: str = "dummy") -> str:
    """The ``jupyterhub_config.py`` text for one workshop server."""
    if authenticator not in AUTHENTICATORS:
        raise HubSetupError(
            f"unknown authenticator {authenticator!r}: choose one of {', '.join(AUTHENTICATORS)}."
        )
    source = resources.files(__package__).joinpath(TEMPLATE_NAME).read_text(encoding="utf-8")
    # Python, not HTML: nothing to escape. The undefined check catches a misspelt variable.
    environment = jinja2.Environment(
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    template = environment.from_string(source)
    return template.render(authenticator=authenticator, env=_environment)


def run_config(authenticator: str, namespace: dict[str, Any]) -> None:
    """Run the rendered configuration in a JupyterHub configuration file's ``namespace``
    (its ``globals()``, which hold ``get_config``), as if its text were written there."""
    code = compile(render_config(authenticator), f"<{TEMPLATE_NAME}: {authenticator}>", "exec")
    exec(code, namespace)
