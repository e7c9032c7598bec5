"""deploy/kubernetes/: the Zero to JupyterHub values and the images they name.

The values are validated against the chart's own JSON schema, merged with the chart's default
values as Helm does (tests/fixtures/z2jh/, copied from the chart with its BSD-3 licence; refresh
both files together when the chart is upgraded). The schema forbids unknown keys, so a misspelt
or out-of-date setting fails. The images cannot be built here, so the Dockerfiles are checked
against the lock and the repository."""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jsonschema
import pytest
import yaml
from traitlets.config import Config

import goalstudio.hub
from goalstudio.hub import database

REPO = Path(__file__).resolve().parent.parent
KUBE = REPO / "deploy" / "kubernetes"
CHART = Path(__file__).resolve().parent / "fixtures" / "z2jh"


@pytest.fixture(scope="module")
def values() -> dict[str, Any]:
    loaded = yaml.safe_load((KUBE / "values.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _merged(defaults: Any, given: Any) -> Any:
    """Helm's merge of a values file over the chart's defaults: mappings merge, the rest replaces."""
    if isinstance(defaults, dict) and isinstance(given, dict):
        out = dict(defaults)
        for key, value in given.items():
            out[key] = _merged(defaults[key], value) if key in defaults else value
        return out
    return given


def _schema_problems(values: dict[str, Any]) -> list[str]:
    schema = yaml.safe_load((CHART / "values.schema.yaml").read_text(encoding="utf-8"))
    defaults = yaml.safe_load((CHART / "values.yaml").read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    return [
        f"{'.'.join(str(p) for p in error.absolute_path) or 'top level'}: {error.message}"
        for error in validator.iter_errors(_merged(defaults, values))
    ]


def test_the_chart_files_are_present() -> None:
    # Without them the schema test below would have nothing to check against.
    assert (CHART / "values.schema.yaml").stat().st_size > 10_000
    assert (CHART / "values.yaml").stat().st_size > 10_000
    assert "BSD" in (CHART / "LICENSE").read_text(encoding="utf-8")


def test_values_validate_against_the_chart_schema(values: dict[str, Any]) -> None:
    assert _schema_problems(values) == []


def test_the_schema_catches_a_mistyped_key(values: dict[str, Any]) -> None:
    broken = {**values, "cull": {**values["cull"], "timout": 60}}
    problems = _schema_problems(broken)
    assert len(problems) == 1 and "'timout' was unexpected" in problems[0]


def _bytes(size: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)([KMGT]i?)?", str(size)).groups()  # type: ignore[union-attr]
    scale = {None: 1, "K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12}
    scale |= {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40}
    return float(number) * scale[unit]


def test_resources_culling_and_exchange_fit_together(values: dict[str, Any]) -> None:
    user = values["singleuser"]
    assert _bytes(user["memory"]["guarantee"]) <= _bytes(user["memory"]["limit"])
    assert float(user["cpu"]["guarantee"]) <= float(user["cpu"]["limit"])
    cull = values["cull"]
    assert cull["enabled"] and 0 < cull["every"] < cull["timeout"] <= cull["maxAge"]
    mounts = {m["mountPath"] for m in user["storage"]["extraVolumeMounts"]}
    config = Config()
    exec((KUBE / "nbgrader_config.py").read_text(encoding="utf-8"), {"get_config": lambda: config})
    assert config.Exchange.root in mounts  # the exchange volume is where nbgrader looks
    assert values["hub"]["db"]["type"] == "postgres"
    assert values["proxy"]["https"]["enabled"]


class FakeSpawner(SimpleNamespace):
    pass


def test_the_hub_hook_gives_each_user_their_own_uid_and_records_role(
    values: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[tuple[str, bool]] = []
    monkeypatch.setattr(goalstudio.hub, "secure_records_database", lambda url: None)

    def fake_role(admin_url: str, name: str, *, facilitator: bool, secret: bytes) -> str:
        made.append((name, facilitator))
        return f"postgresql+psycopg://gs_{name}:pw@db/records"

    monkeypatch.setattr(database, "provision_records_role", fake_role)
    monkeypatch.setenv("GOALSTUDIO_HUB_RECORDS_ADMIN_URL", "postgresql+psycopg://admin@db/records")
    monkeypatch.setenv("GOALSTUDIO_HUB_RECORDS_KEY", "k")
    monkeypatch.setenv("GOALSTUDIO_HUB_COURSE", "cohort-a")
    c = Config()
    exec(values["hub"]["extraConfig"]["goalstudio"], {"c": c})
    hook = c.KubeSpawner.pre_spawn_hook

    def spawn(name: str, uid: int, admin: bool) -> Any:
        spawner = FakeSpawner(
            user=SimpleNamespace(name=name, id=uid, admin=admin),
            environment={},
            volumes=[],
            volume_mounts=[],
        )
        hook(spawner)
        return spawner

    ana, bo, fac = spawn("ana", 1, False), spawn("bo", 2, False), spawn("fay", 3, True)
    assert ana.uid != bo.uid != fac.uid and ana.uid >= 100000
    assert ana.environment["GOALSTUDIO_RECORDS_URL"].startswith("postgresql+psycopg://gs_ana:")
    assert made == [("ana", False), ("bo", False), ("fay", True)]
    assert not ana.volumes and "GOALSTUDIO_GRADEBOOK" not in ana.environment
    assert fac.volume_mounts == [{"name": "course", "mountPath": "/srv/course"}]
    assert fac.environment["GOALSTUDIO_ROLE"] == "facilitator"
    with pytest.raises(goalstudio.hub.HubSetupError):
        spawn("Not A Name", 4, False)


def _instructions(dockerfile: Path) -> list[tuple[str, str]]:
    lines, current = [], ""
    for raw in dockerfile.read_text(encoding="utf-8").splitlines():
        if not current and (not raw.strip() or raw.lstrip().startswith("#")):
            continue
        current += raw.rstrip("\\").strip() + " "
        if not raw.rstrip().endswith("\\"):
            lines.append(current.strip())
            current = ""
    assert not current, f"{dockerfile.name}: a line continues past the end of the file"
    return [(line.split(None, 1)[0], line.split(None, 1)[1]) for line in lines]


KNOWN = {"FROM", "ARG", "ENV", "RUN", "COPY", "USER", "WORKDIR", "EXPOSE", "CMD", "LABEL"}


@pytest.mark.parametrize("name", ["Dockerfile", "Dockerfile.hub"])
def test_dockerfiles_are_well_formed_and_install_from_the_lock(name: str) -> None:
    steps = _instructions(KUBE / name)
    assert steps[0][0] == "FROM"
    assert {word for word, _ in steps} <= KNOWN
    copies = {}
    for word, rest in steps:
        if word == "COPY":
            *sources, target = shlex.split(rest)
            for source in sources:
                assert (REPO / source).exists(), f"{name}: COPY {source} is not in the repository"
                copies[target.rstrip("/")] = source
    assert copies.get("/opt/goalstudio/lock.txt") == "requirements/lock.txt"
    installs = [rest for word, rest in steps if word == "RUN" and "pip install" in rest]
    assert len(installs) == 1, f"{name}: one pip install line"
    args = shlex.split(installs[0].split("&&")[0])
    assert args[args.index("-c") + 1] == "/opt/goalstudio/lock.txt"
    lock = dict(
        line.split("==", 1)
        for line in (REPO / "requirements" / "lock.txt").read_text().splitlines()
        if "==" in line
    )
    extras = tomllib.loads((REPO / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    requested = [a for a in args[args.index("-c") + 2 :] if not a.startswith("-")]
    assert requested, f"{name}: installs nothing"
    for item in requested:
        if item.startswith("/opt/goalstudio/src"):
            for extra in re.findall(r"\[([^\]]*)\]", item)[0].split(","):
                assert extra in extras, f"{name}: extra [{extra}] is not in pyproject.toml"
        else:  # anything else installed must be pinned to the lock's version
            package, _, version = item.partition("==")
            assert lock.get(package) == version, f"{name}: {item} differs from the lock"


def test_single_user_image_runs_the_hub_version_in_the_lock() -> None:
    lock = (REPO / "requirements" / "lock.txt").read_text()
    version = re.search(r"^jupyterhub==(\d+)\.", lock, re.M)
    assert version and version.group(1) == "5"  # the chart 4.x runs JupyterHub 5
    assert "[hub,postgres]" in (KUBE / "Dockerfile").read_text()
