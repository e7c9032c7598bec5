"""Who the learner is, where their workspace lives, and where their records go.

- The workspace is ``$GOALSTUDIO_WORKSPACE``, or ``~/goal-discovery-studio``.
- The learner is ``$JUPYTERHUB_USER`` inside JupyterHub; otherwise the name chosen at the welcome
  module and kept in ``<workspace>/.goalstudio/config.json`` (``{"learner": "..."}``); otherwise
  the operating-system user. Nothing is keyed by a real identity beyond the name typed in.
- Records go to ``$GOALSTUDIO_RECORDS_URL`` when a facilitator sets it (a shared SQLite file or a
  PostgreSQL URL); otherwise to the SQLite file ``<workspace>/.goalstudio/records.sqlite``.
"""

from __future__ import annotations

import getpass
import json
import os
import tempfile
from pathlib import Path

from goalstudio._environment import RECORDS_URL_ENV, WORKSPACE_ENV

HUB_USER_ENV = "JUPYTERHUB_USER"
DEFAULT_WORKSPACE = "~/goal-discovery-studio"
MAX_NAME = 100


class LearnerConfigError(ValueError):
    """The workspace config file cannot be read or the chosen name cannot be used."""


def workspace_dir() -> Path:
    """The learner's workspace folder (not created here)."""
    configured = os.environ.get(WORKSPACE_ENV, "").strip()
    return Path(configured or DEFAULT_WORKSPACE).expanduser()


def config_path() -> Path:
    return workspace_dir() / ".goalstudio" / "config.json"


def default_records_path() -> Path:
    return workspace_dir() / ".goalstudio" / "records.sqlite"


def default_records_url() -> str:
    """The SQLite file in the learner's workspace, as a SQLAlchemy URL."""
    return f"sqlite:///{default_records_path()}"


def records_url() -> str:
    """``$GOALSTUDIO_RECORDS_URL`` when set, else the workspace's own SQLite file."""
    return os.environ.get(RECORDS_URL_ENV, "").strip() or default_records_url()


def read_config(path: Path) -> dict[str, object]:
    """The learner's settings file as a dict ({} when there is none yet); a damaged file is a
    LearnerConfigError that says how to fix it."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise LearnerConfigError(
            f"{path}: cannot be read ({exc}). Fix or delete the file, then choose your name "
            "again in the welcome module."
        ) from None
    try:
        data = json.loads(raw) if raw.strip() else {}
    except ValueError as exc:
        raise LearnerConfigError(
            f"{path}: line {exc.lineno if hasattr(exc, 'lineno') else '?'} is not valid JSON. "
            "Fix or delete the file, then choose your name again in the welcome module."
        ) from None
    if not isinstance(data, dict):
        raise LearnerConfigError(
            f'{path}: expected a JSON object such as {{"learner": "Sam"}}. Fix or delete '
            "the file, then choose your name again in the welcome module."
        )
    return data


def check_name(name: str) -> str:
    """A learner name as it will be stored: spaces trimmed; refused when empty or unusable."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise LearnerConfigError("Type a name to use in the studio (a first name or nickname).")
    if len(cleaned) > MAX_NAME:
        raise LearnerConfigError(f"Choose a name of at most {MAX_NAME} characters.")
    if any(ch == "\x00" or "\ud800" <= ch <= "\udfff" for ch in cleaned):
        raise LearnerConfigError("The name holds characters that cannot be saved; retype it.")
    return cleaned


def configured_name() -> str | None:
    """The name chosen at the welcome module, if any."""
    path = config_path()
    value = read_config(path).get("learner")
    if value is None:
        return None
    if not isinstance(value, str):
        raise LearnerConfigError(f'{path}: "learner" must be text, such as "learner": "Sam".')
    return check_name(value) if value.strip() else None


def set_learner_name(name: str) -> Path:
    """Keep the chosen name in the workspace config (other settings there are kept)."""
    return update_config(learner=check_name(name))


def update_config(**changes: object) -> Path:
    """Set these keys in the workspace config, keeping every other setting; written atomically."""
    path = config_path()
    data = read_config(path)
    data.update(changes)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".config-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2, ensure_ascii=False)
            handle.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in a bare container
        return "learner"


def current_learner() -> str:
    """Who is learning: the hub user, else the chosen name, else the operating-system user."""
    hub_user = os.environ.get(HUB_USER_ENV, "").strip()
    if hub_user:
        return hub_user
    return configured_name() or _os_user()
