"""Who the learner is, and where their records go by default."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import pytest

from goalstudio.learner import (
    LearnerConfigError,
    config_path,
    current_learner,
    default_records_url,
    records_url,
    set_learner_name,
    workspace_dir,
)
from goalstudio.records import RecordStore


@pytest.fixture(autouse=True)
def _workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GOALSTUDIO_WORKSPACE", str(tmp_path / "ws"))
    for name in ("JUPYTERHUB_USER", "GOALSTUDIO_RECORDS_URL"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path / "ws"


def test_workspace_defaults_to_a_folder_in_home(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GOALSTUDIO_WORKSPACE")
    assert workspace_dir() == Path("~/goal-discovery-studio").expanduser()


def test_hub_user_comes_first(monkeypatch: pytest.MonkeyPatch) -> None:
    set_learner_name("Sam")
    monkeypatch.setenv("JUPYTERHUB_USER", "trainee-07")
    assert current_learner() == "trainee-07"


def test_the_name_chosen_at_welcome_comes_next(_workspace: Path) -> None:
    path = set_learner_name("  Sam   Okoro ")
    assert path == _workspace / ".goalstudio" / "config.json"
    assert current_learner() == "Sam Okoro"
    assert json.loads(path.read_text(encoding="utf-8")) == {"learner": "Sam Okoro"}


def test_other_settings_in_the_config_are_kept(_workspace: Path) -> None:
    config_path().parent.mkdir(parents=True)
    config_path().write_text('{"locale": "en-US"}', encoding="utf-8")
    set_learner_name("Ana")
    assert json.loads(config_path().read_text(encoding="utf-8")) == {
        "locale": "en-US",
        "learner": "Ana",
    }


def test_the_os_user_is_the_last_resort(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(getpass, "getuser", lambda: "ward-laptop")
    assert current_learner() == "ward-laptop"
    config_path().parent.mkdir(parents=True)
    config_path().write_text('{"learner": ""}', encoding="utf-8")
    assert current_learner() == "ward-laptop"

    def no_user() -> str:
        raise KeyError("uid not found")

    monkeypatch.setattr(getpass, "getuser", no_user)
    assert current_learner() == "learner"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not valid JSON"),
        ('["Sam"]', "expected a JSON object"),
        ('{"learner": 7}', '"learner" must be text'),
    ],
)
def test_a_damaged_config_names_the_file_and_the_fix(content: str, message: str) -> None:
    config_path().parent.mkdir(parents=True)
    config_path().write_text(content, encoding="utf-8")
    with pytest.raises(LearnerConfigError, match=message) as caught:
        current_learner()
    assert str(config_path()) in str(caught.value)


@pytest.mark.parametrize(("name", "message"), [("   ", "Type a name"), ("x" * 101, "at most")])
def test_unusable_names_are_refused(name: str, message: str) -> None:
    with pytest.raises(LearnerConfigError, match=message):
        set_learner_name(name)
    assert not config_path().exists()


def test_records_go_to_the_workspace_unless_a_facilitator_says_otherwise(
    _workspace: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    expected = _workspace / ".goalstudio" / "records.sqlite"
    assert default_records_url() == f"sqlite:///{expected}"
    assert records_url() == default_records_url()
    with RecordStore() as store:
        assert store.path == expected
        store.save_draft("sam", "a", "mine")
    assert expected.exists()
    shared = tmp_path / "workshop.sqlite"
    monkeypatch.setenv("GOALSTUDIO_RECORDS_URL", f"sqlite:///{shared}")
    assert records_url() == f"sqlite:///{shared}"
    with RecordStore() as store:
        assert store.path == shared
