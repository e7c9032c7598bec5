"""`goalstudio hub config` and the pieces of the one-server workshop that need no running hub."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from traitlets.config import Config, PyFileConfigLoader

import goalstudio.hub
from goalstudio.cli import main
from goalstudio.hub import database, folders, hooks, settings
from goalstudio.hub.config_file import render_config
from goalstudio.hub.settings import AUTHENTICATORS, HubSettings, HubSetupError

REPO = Path(__file__).resolve().parent.parent


def _load(text: str, monkeypatch: pytest.MonkeyPatch, **env: str) -> Config:
    """Execute a generated configuration as JupyterHub would, without touching the machine."""
    calls: list[HubSettings] = []
    monkeypatch.setattr(goalstudio.hub, "on_hub_start", calls.append)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    config = Config()
    namespace: dict[str, Any] = {"get_config": lambda: config}
    exec(compile(text, "jupyterhub_config.py", "exec"), namespace)
    assert len(calls) == 1, "the configuration prepares the shared folders once"
    return config


@pytest.mark.parametrize("auth", AUTHENTICATORS)
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
    assert callable(config.Spawner.post_stop_hook)
    # Each thing to change for production is marked where it is set.
    production = [line for line in text.splitlines() if "PRODUCTION (" in line]
    joined = "\n".join(production)
    for what in ("(authentication)", "(HTTPS)", "(spawner)", "(secrets)"):
        assert f"PRODUCTION {what}" in joined
    if auth == "dummy":
        assert "anyone in with any password" in text


def _plain(config: Any) -> Any:
    """A loaded configuration as plain data; a hook is known by its name."""
    if isinstance(config, dict):
        return {key: _plain(value) for key, value in config.items()}
    return config.__qualname__ if callable(config) else config


def test_the_shipped_config_runs_what_the_command_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    # deploy/hub/ keeps no second copy of the configuration to drift from the studio's: it
    # runs the packaged one. Loaded here the way JupyterHub loads a -f file.
    shipped = REPO / "deploy" / "hub" / "jupyterhub_config.py"
    assert "c.JupyterHub" not in shipped.read_text(encoding="utf-8")
    calls: list[HubSettings] = []
    monkeypatch.setattr(goalstudio.hub, "on_hub_start", calls.append)
    monkeypatch.setenv("GOALSTUDIO_HUB_FACILITATORS", "ana")
    loaded = PyFileConfigLoader(shipped.name, path=str(shipped.parent)).load_config()
    assert len(calls) == 1
    written = _load(render_config("dummy"), monkeypatch)
    assert _plain(loaded) == _plain(written)
    assert loaded.JupyterHub.authenticator_class == "dummy"
    assert loaded.Authenticator.admin_users == {"ana"}


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
    with pytest.raises(HubSetupError, match="choose one of"):
        render_config("ldap")


def test_settings_come_from_the_environment() -> None:
    found = HubSettings.from_env(
        {
            "GOALSTUDIO_HUB_ROOT": "/tmp/x",
            "GOALSTUDIO_HUB_COURSE": "team-a",
            "GOALSTUDIO_HUB_FACILITATORS": " bo , ana,,ana",
            "GOALSTUDIO_HUB_PORT": "8123",
        }
    )
    assert found.facilitators == ("ana", "bo")
    assert found.course_dir == Path("/tmp/x/course")
    assert found.exchange_dir == Path("/tmp/x/exchange")
    assert found.port == 8123 and found.course_id == "team-a"
    with pytest.raises(HubSetupError, match="not a port"):
        HubSettings.from_env({"GOALSTUDIO_HUB_PORT": "eighty"})
    with pytest.raises(HubSetupError, match="account name"):
        HubSettings.from_env({"GOALSTUDIO_HUB_FACILITATORS": "Root User"})


@pytest.mark.parametrize("name", ["", "Sam", "sam lee", "1sam", "sam/../x", "a" * 33, "sam@x"])
def test_names_that_cannot_be_accounts_are_refused(name: str) -> None:
    with pytest.raises(HubSetupError, match="cannot be used as an account name"):
        settings.check_username(name)


def test_database_roles_and_passwords_are_per_user() -> None:
    assert database.db_role("sam-lee") == "gs_sam-lee"
    one = database._password(b"k", "sam")
    assert one == database._password(b"k", "sam")
    assert one != database._password(b"k", "kim") != database._password(b"other", "sam")


def test_learner_nbgrader_settings_use_the_hub_name(monkeypatch: pytest.MonkeyPatch) -> None:
    shared = folders.NBGRADER_SHARED_CONFIG.format(course_id="team-a", exchange="/srv/x/exchange")
    monkeypatch.setenv("JUPYTERHUB_USER", "kim")
    config = Config()
    exec(shared, {"get_config": lambda: config})
    assert "student_id" not in config.CourseDirectory  # facilitators collect everyone's
    exec(folders.NBGRADER_LEARNER_CONFIG, {"get_config": lambda: config})
    assert config.CourseDirectory.student_id == "kim"
    assert config.CourseDirectory.course_id == "team-a"
    assert config.Exchange.root == "/srv/x/exchange"


def _hub_imports() -> dict[str, set[str]]:
    """Each module of goalstudio.hub and every module it imports (at any depth in its code)."""
    found: dict[str, set[str]] = {}
    for path in sorted((REPO / "goalstudio" / "hub").glob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
                names |= {f"{node.module}.{alias.name}" for alias in node.names}
        found[f"goalstudio.hub.{path.stem}".removesuffix(".__init__")] = names
    return found


def test_the_hub_imports_nothing_from_jupyter_or_the_command_line() -> None:
    for module, names in _hub_imports().items():
        for name in names:
            top = name.split(".")[0]
            assert top not in {"jupyter_server", "jupyterhub", "traitlets", "nbgrader"}, module
            assert not name.startswith(("goalstudio.cli", "goalstudio._cli")), (module, name)


# What a hub's configuration file uses (the one `hub config` writes, and Kubernetes' in
# deploy/kubernetes/values.yaml): `from goalstudio import hub as studio`.
HUB_API = [
    "AUTHENTICATORS",
    "USERNAME_PATTERN",
    "HubSettings",
    "HubSetupError",
    "check_username",
    "facilitator_login_hook",
    "on_hub_start",
    "post_stop_hook",
    "pre_spawn_hook",
    "records_url_for",
    "render_config",
    "secure_records_database",
]


def test_the_names_a_hub_configuration_uses_are_pinned() -> None:
    assert goalstudio.hub.__all__ == HUB_API
    for name in HUB_API:
        assert hasattr(goalstudio.hub, name), name


def test_the_hub_process_loads_nothing_from_jupyter() -> None:
    # The hub's own process imports the package (and the learner's, its home module); only
    # the login hook of native sign-up reaches tornado, and only when it refuses someone.
    code = (
        "import sys, goalstudio.hub, goalstudio.hub.home\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'jupyter_core', "
        "'jupyter_client', 'jupyter_server', 'jupyterhub', 'jupyterlab', 'traitlets', 'tornado', "
        "'ipywidgets', 'IPython', 'nbgrader', 'nbformat', 'voila', 'pandas', 'plotly'})\n"
        "print(','.join(bad))\n"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip() == ""


def test_the_hub_modules_import_one_another_in_one_direction() -> None:
    imports = _hub_imports()
    inner = {m: {n for n in names if n in imports and n != m} for m, names in imports.items()}
    inner.pop("goalstudio.hub")  # the package's own names, gathered from its modules

    def reaches(start: str, target: str, seen: set[str]) -> bool:
        for step in inner.get(start, set()) - seen:
            if step == target or reaches(step, target, seen | {step}):
                return True
        return False

    circles = [m for m in inner if reaches(m, m, set())]
    assert circles == [], f"these hub modules import themselves through others: {circles}"


def test_dashboards_behind_the_hub_use_the_offline_template(tmp_path: Path) -> None:
    settings = folders.dashboard_server_config()
    config = settings["VoilaConfiguration"]
    assert config["template"] == "goalstudio"
    assert config["strip_sources"] is True and config["show_tracebacks"] is False
    # As long a wait for a slow kernel as goalstudio dashboard (docs/decisions.md).
    assert settings["VoilaExecutor"] == {"startup_timeout": 600}
    template = folders.dashboard_template_root() / "voila" / "templates" / "goalstudio"
    assert template.is_dir()
    # The studio's copy of the template carries no CDN links, so it works offline.
    text = "".join(p.read_text(encoding="utf-8") for p in template.rglob("*.html"))
    assert "cdnjs" not in text and "https://" not in text
    where = HubSettings(root=tmp_path)
    facilitator = hooks.hub_environment(
        where, "fac", "postgresql+psycopg://x", facilitator=True, home="/home/fac"
    )
    learner = hooks.hub_environment(
        where, "sam", "postgresql+psycopg://y", facilitator=False, home="/home/sam"
    )
    assert facilitator["JUPYTER_PATH"] == str(folders.dashboard_template_root())
    assert "JUPYTER_PATH" not in learner
