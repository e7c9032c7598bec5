"""Facilitators on a hub whose people sign themselves up (NativeAuthenticator).

NativeAuthenticator authorises an admin's name as soon as someone signs up with it, so the
first person to sign up as "facilitator" would become a hub admin. Here a facilitator's login
also needs the server's administrator's approval: ``sudo goalstudio hub approve-facilitator
NAME`` writes NAME into a root-only file, and the hub's login hook refuses a facilitator name
that is not in it. Learners are unaffected: facilitators approve them at /hub/authorize.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from goalstudio._environment import HUB_FACILITATORS_ENV, HUB_RECORDS_ADMIN_URL_ENV
from goalstudio.hub.settings import HubSettings, HubSetupError, check_username

# Shipped as the example admin URL's password; the hub refuses to start with it.
SHIPPED_PASSWORD = "change-me"


def approvals_file(settings: HubSettings) -> Path:
    return settings.root / "secrets" / "approved-facilitators"


def approved_facilitators(settings: HubSettings) -> set[str]:
    """The facilitator names the server's administrator has approved (none if no file)."""
    try:
        fd = os.open(approvals_file(settings), os.O_RDONLY | os.O_NOFOLLOW)
    except (FileNotFoundError, NotADirectoryError):
        return set()
    with os.fdopen(fd, encoding="utf-8") as handle:
        return {line.strip() for line in handle.read(100_000).splitlines() if line.strip()}


def approve_facilitator(settings: HubSettings, name: str) -> bool:
    """Add ``name`` to the approved facilitators; False if it was there already."""
    check_username(name, where="the facilitator's hub name")
    if name not in settings.facilitators:
        raise HubSetupError(
            f"{name} is not one of this hub's facilitators ({', '.join(settings.facilitators)}"
            f"). Add the name to {HUB_FACILITATORS_ENV} first."
        )
    approved = approved_facilitators(settings)
    if name in approved:
        return False
    folder = approvals_file(settings).parent
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW
    fd = os.open(approvals_file(settings), flags, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        handle.write(name + "\n")
    return True


def facilitator_login_hook(settings: HubSettings) -> Callable[[Any, Any, Any], Any]:
    """A JupyterHub ``post_auth_hook``: a facilitator's name logs in only once approved."""

    def hook(_authenticator: Any, _handler: Any, authentication: Any) -> Any:
        if not authentication:
            return authentication
        name = str(authentication.get("name", ""))
        if name in settings.facilitators and name not in approved_facilitators(settings):
            from tornado import web

            raise web.HTTPError(
                403,
                f"{name} is a facilitator's name on this hub, and a facilitator's sign-up needs "
                "the server administrator's approval. Ask them to run 'sudo goalstudio hub "
                f"approve-facilitator {name}' once they have checked it is you.",
            )
        return authentication

    return hook


def refuse_shipped_password(settings: HubSettings) -> None:
    """Refuse to start with the example records password: every learner's records role is
    derived under the admin role, so a guessable admin password opens all the records."""
    from sqlalchemy.engine import make_url

    if not settings.records_admin_url:
        return
    password = make_url(settings.records_admin_url).password
    if password in (SHIPPED_PASSWORD, None, ""):
        raise HubSetupError(
            "the records admin password is still the example one (or empty). Set "
            f"{HUB_RECORDS_ADMIN_URL_ENV} in the hub's environment, with a strong password, "
            "for example in a systemd EnvironmentFile readable by root only; do not write the "
            "password into jupyterhub_config.py. See docs/deploy.md."
        )
