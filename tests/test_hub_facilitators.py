"""A facilitator's name cannot be taken by whoever signs up first, and the hub will not start
with the example records password (issue 15 §5)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from tornado import web
from traitlets.config import Config

import goalstudio.hub
from goalstudio.cli import main
from goalstudio.hub.config_file import render_config
from goalstudio.hub.facilitators import (
    approvals_file,
    approve_facilitator,
    facilitator_login_hook,
    refuse_shipped_password,
)
from goalstudio.hub.settings import HubSettings, HubSetupError


def _settings(tmp_path: Path, admin_url: str = "") -> HubSettings:
    return HubSettings(root=tmp_path / "srv", facilitators=("lead",), records_admin_url=admin_url)


def test_a_facilitator_name_logs_in_only_once_the_administrator_approves(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    hook = facilitator_login_hook(settings)
    with pytest.raises(web.HTTPError) as refused:
        hook(None, None, {"name": "lead"})
    assert refused.value.status_code == 403
    assert "approve-facilitator lead" in str(refused.value.log_message)
    assert hook(None, None, {"name": "ana"}) == {"name": "ana"}  # learners are unaffected
    assert approve_facilitator(settings, "lead") is True
    assert hook(None, None, {"name": "lead"}) == {"name": "lead"}
    assert approve_facilitator(settings, "lead") is False
    assert stat.S_IMODE(os.stat(approvals_file(settings)).st_mode) == 0o600


def test_only_a_listed_facilitator_can_be_approved(tmp_path: Path) -> None:
    with pytest.raises(HubSetupError, match="not one of this hub's facilitators"):
        approve_facilitator(_settings(tmp_path), "mallory")


def test_a_symlinked_approvals_file_is_not_followed(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    target = tmp_path / "elsewhere"
    target.write_text("lead\n")
    approvals_file(settings).parent.mkdir(parents=True)
    approvals_file(settings).symlink_to(target)
    with pytest.raises(OSError):
        approve_facilitator(settings, "lead")
    hook = facilitator_login_hook(settings)
    with pytest.raises(OSError):
        hook(None, None, {"name": "lead"})


def test_the_native_configuration_uses_the_approval_hook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The written configuration, run as JupyterHub runs it (the hub's start-up left out).
    monkeypatch.setattr(goalstudio.hub, "on_hub_start", lambda settings: None)
    monkeypatch.setenv("GOALSTUDIO_HUB_ROOT", str(tmp_path / "srv"))
    monkeypatch.setenv("GOALSTUDIO_HUB_FACILITATORS", "lead")
    config = Config()
    exec(render_config("native"), {"get_config": lambda: config})
    hook = config.Authenticator.post_auth_hook
    with pytest.raises(web.HTTPError, match="403"):
        hook(None, None, {"name": "lead"})
    assert hook(None, None, {"name": "ana"}) == {"name": "ana"}
    assert "post_auth_hook" not in render_config("dummy")


def test_cli_approves_a_facilitator(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GOALSTUDIO_HUB_ROOT", str(tmp_path / "srv"))
    monkeypatch.setenv("GOALSTUDIO_HUB_FACILITATORS", "lead")
    assert main(["hub", "approve-facilitator", "lead"]) == 0
    assert "lead approved" in capsys.readouterr().out
    assert main(["hub", "approve-facilitator", "ana"]) == 1
    assert "not one of this hub's facilitators" in capsys.readouterr().err


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://goalstudio_admin:change-me@127.0.0.1:5432/goalstudio",
        "postgresql+psycopg://goalstudio_admin@127.0.0.1:5432/goalstudio",
    ],
)
def test_the_hub_refuses_the_example_records_password(tmp_path: Path, url: str) -> None:
    with pytest.raises(HubSetupError, match=r"in the hub's environment"):
        refuse_shipped_password(_settings(tmp_path, url))
    refuse_shipped_password(
        _settings(tmp_path, "postgresql+psycopg://admin:9f8e7d6c5b4a@127.0.0.1/goalstudio")
    )
