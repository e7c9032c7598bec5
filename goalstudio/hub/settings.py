"""What a one-server workshop hub is: its folders, its facilitators, the names it gives.

The OS groups and database roles the studio makes, the pattern a hub name must fit to become an
account name, and the settings the hub's configuration file reads from the environment.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from goalstudio._environment import (
    HUB_COURSE_ENV,
    HUB_FACILITATORS_ENV,
    HUB_IP_ENV,
    HUB_PORT_ENV,
    HUB_RECORDS_ADMIN_URL_ENV,
    HUB_ROOT_ENV,
)

AUTHENTICATORS = ("dummy", "native", "oauth", "lti")
FACILITATOR_GROUP = "goalstudio-facilitators"
LEARNER_GROUP = "goalstudio-learners"
LEARNERS_DB_ROLE = "goalstudio_learners"
FACILITATORS_DB_ROLE = "goalstudio_facilitators"
ROLE_MAP_TABLE = "goalstudio_hub_roles"
# Hub names become OS account names: lower-case letters, digits, '-' and '_', starting with a
# letter, at most 32 characters (useradd's limit).
USERNAME_PATTERN = r"^[a-z][a-z0-9_-]{0,31}$"
_NAME = re.compile(USERNAME_PATTERN)


class HubSetupError(RuntimeError):
    """The hub cannot be set up or a server cannot be prepared; the message says what to do."""


@dataclass(frozen=True)
class HubSettings:
    """Where a one-server workshop keeps its shared files, and who facilitates."""

    root: Path = Path("/srv/goalstudio")
    course_id: str = "workshop"
    facilitators: tuple[str, ...] = ()
    records_admin_url: str = ""
    ip: str = ""
    port: int = 8000

    @property
    def course_dir(self) -> Path:
        return self.root / "course"

    @property
    def exchange_dir(self) -> Path:
        return self.root / "exchange"

    @property
    def etc_dir(self) -> Path:
        """Jupyter settings every single-user server reads (the nbgrader exchange)."""
        return self.root / "etc" / "jupyter"

    @property
    def learner_etc_dir(self) -> Path:
        """Jupyter settings only learners' servers read (their nbgrader student id)."""
        return self.root / "etc" / "jupyter-learner"

    @property
    def secret_file(self) -> Path:
        return self.root / "secrets" / "records-password-key"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> HubSettings:
        env = dict(os.environ if environ is None else environ)
        facilitators = tuple(
            sorted({n.strip() for n in env.get(HUB_FACILITATORS_ENV, "").split(",") if n.strip()})
        )
        for name in facilitators:
            check_username(name, where=HUB_FACILITATORS_ENV)
        try:
            port = int(env.get(HUB_PORT_ENV, "8000"))
        except ValueError:
            raise HubSetupError(
                f"{HUB_PORT_ENV}={env[HUB_PORT_ENV]!r} is not a port number."
            ) from None
        return cls(
            root=Path(env.get(HUB_ROOT_ENV) or "/srv/goalstudio"),
            course_id=env.get(HUB_COURSE_ENV) or "workshop",
            facilitators=facilitators,
            records_admin_url=env.get(HUB_RECORDS_ADMIN_URL_ENV, ""),
            ip=env.get(HUB_IP_ENV, ""),
            port=port,
        )


def check_username(name: str, *, where: str = "the hub user name") -> str:
    if not _NAME.match(name):
        raise HubSetupError(
            f"{where}: {name!r} cannot be used as an account name. Use lower-case letters, "
            "digits, '-' or '_', starting with a letter, at most 32 characters (e.g. 'sam-lee')."
        )
    return name
