"""`goalstudio hub config` and the pieces of the one-server workshop that need no running hub."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from traitlets.config import Config

from goalstudio import _hub_config as studio
from goalstudio.cli import main

REPO = Path(__file__).resolve().parent.parent


def _load(text: str, monkeypatch: pytest.MonkeyPatch, **env: str) -> Config:
    """Execute a generated configuration as JupyterHub would, without touching the machine."""
    calls: list[studio.HubSettings] = []
    monkeypatch.setattr(studio, "on_hub_start", calls.append)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    config = Config()
    namespace: dict[str, Any] = {"get_config": lambda: config}
    exec(compile(text, "jupyterhub_config.py", "exec"), namespace)
    assert len(calls) == 1, "the configuration prepares the shared folders once"
    return config


@pytest.mark.parametrize("auth", studio.AUTHENTICATORS)
def test_each_authenticator_gives_a_loadable_config(
    auth: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["hub", "config", "--authenticator", auth]) == 0
    text = capsys.readouterr().out
    config = _load(text, monkeypatch, GOALSTUDIO_HUB_FACILITATORS="ana,bo")
    expected = {"dummy": "dummy", "native": "native", "oauth": "generic-oauth", "lti": "lti13"}
    assert config.JupyterHub.authenticator_class == expected[auth]
    assert config.Authenticator.admin_users == {"ana", "bo"}
    assert config.JupyterHub.load_groups == {"facilitators": {"users": ["ana", "bo"]}}
    assert config.JupyterHub.spawner_class == "localprocess"
    assert Path(config.Spawner.cmd[0]).name == "jupyterhub-singleuser"
    assert callable(config.Spawner.pre_spawn_hook)
    # Each thing to change for production is marked where it is set.
    production = [line for line in text.splitlines() if "PRODUCTION (" in line]
    joined = "\n".join(production)
    for what in ("(authentication)", "(HTTPS)", "(spawner)", "(secrets)"):
        assert f"PRODUCTION {what}" in joined
    if auth == "dummy":
        assert "anyone in with any password" in text


def test_the_shipped_config_is_what_the_command_writes() -> None:
    shipped = (REPO / "deploy" / "hub" / "jupyterhub_config.py").read_text(encoding="utf-8")
    assert shipped == studio.render_config("dummy")


def test_out_writes_and_never_replaces_by_accident(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "hub" / "jupyterhub_config.py"
    assert main(["hub", "config", "--authenticator", "native", "--out", str(out)]) == 0
    assert 'authenticator_class = "native"' in out.read_text(encoding="utf-8")
    assert main(["hub", "config", "--out", str(out)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert 'authenticator_class = "native"' in out.read_text(encoding="utf-8")
    assert main(["hub", "config", "--out", str(out), "--force"]) == 0
    assert 'authenticator_class = "dummy"' in out.read_text(encoding="utf-8")


def test_unknown_authenticator_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["hub", "config", "--authenticator", "ldap"]) == 1
    assert "invalid choice" in capsys.readouterr().err
    with pytest.raises(studio.HubSetupError, match="choose one of"):
        studio.render_config("ldap")


def test_settings_come_from_the_environment() -> None:
    settings = studio.HubSettings.from_env(
        {
            "GOALSTUDIO_HUB_ROOT": "/tmp/x",
            "GOALSTUDIO_HUB_COURSE": "team-a",
            "GOALSTUDIO_HUB_FACILITATORS": " bo , ana,,ana",
            "GOALSTUDIO_HUB_PORT": "8123",
        }
    )
    assert settings.facilitators == ("ana", "bo")
    assert settings.course_dir == Path("/tmp/x/course")
    assert settings.exchange_dir == Path("/tmp/x/exchange")
    assert settings.port == 8123 and settings.course_id == "team-a"
    with pytest.raises(studio.HubSetupError, match="not a port"):
        studio.HubSettings.from_env({"GOALSTUDIO_HUB_PORT": "eighty"})
    with pytest.raises(studio.HubSetupError, match="account name"):
        studio.HubSettings.from_env({"GOALSTUDIO_HUB_FACILITATORS": "Root User"})


@pytest.mark.parametrize("name", ["", "Sam", "sam lee", "1sam", "sam/../x", "a" * 33, "sam@x"])
def test_names_that_cannot_be_accounts_are_refused(name: str) -> None:
    with pytest.raises(studio.HubSetupError, match="cannot be used as an account name"):
        studio.check_username(name)


def test_database_roles_and_passwords_are_per_user() -> None:
    assert studio.db_role("sam-lee") == "gs_sam-lee"
    one = studio._password(b"k", "sam")
    assert one == studio._password(b"k", "sam")
    assert one != studio._password(b"k", "kim") != studio._password(b"other", "sam")


def test_learner_nbgrader_settings_use_the_hub_name(monkeypatch: pytest.MonkeyPatch) -> None:
    shared = studio.NBGRADER_SHARED_CONFIG.format(course_id="team-a", exchange="/srv/x/exchange")
    monkeypatch.setenv("JUPYTERHUB_USER", "kim")
    config = Config()
    exec(shared, {"get_config": lambda: config})
    assert "student_id" not in config.CourseDirectory  # facilitators collect everyone's
    exec(studio.NBGRADER_LEARNER_CONFIG, {"get_config": lambda: config})
    assert config.CourseDirectory.student_id == "kim"
    assert config.CourseDirectory.course_id == "team-a"
    assert config.Exchange.root == "/srv/x/exchange"


def test_the_core_module_imports_nothing_from_jupyter() -> None:
    source = (REPO / "goalstudio" / "_hub_config.py").read_text(encoding="utf-8")
    for line in source.splitlines():
        if line.startswith(("import ", "from ")):
            assert "jupyter" not in line and "traitlets" not in line, line


def test_dashboards_behind_the_hub_use_the_offline_template(tmp_path: Path) -> None:
    from goalstudio import _hub_config as hub

    config = hub.dashboard_server_config()["VoilaConfiguration"]
    assert config["template"] == "goalstudio"
    assert config["strip_sources"] is True and config["show_tracebacks"] is False
    template = hub.dashboard_template_root() / "voila" / "templates" / "goalstudio"
    assert template.is_dir()
    # The studio's copy of the template carries no CDN links, so it works offline.
    text = "".join(p.read_text(encoding="utf-8") for p in template.rglob("*.html"))
    assert "cdnjs" not in text and "https://" not in text
    settings = hub.HubSettings(root=tmp_path)
    facilitator = hub.hub_environment(
        settings, "fac", "postgresql+psycopg://x", facilitator=True, home="/home/fac"
    )
    learner = hub.hub_environment(
        settings, "sam", "postgresql+psycopg://y", facilitator=False, home="/home/sam"
    )
    assert facilitator["JUPYTER_PATH"] == str(hub.dashboard_template_root())
    assert "JUPYTER_PATH" not in learner
