"""Packaging: the wheel carries the data, installs cleanly, and the dependency lists agree."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent


def _pyproject() -> dict[str, object]:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def _spec(requirement: str) -> tuple[str, str]:
    """'pandas>=3,<4' -> ('pandas', '>=3,<4'), ignoring extras and spaces."""
    match = re.fullmatch(r"([A-Za-z0-9_.-]+)(\[[^\]]*\])?\s*(.*)", requirement.strip())
    assert match, requirement
    return match.group(1).lower().replace("_", "-"), match.group(3).replace(" ", "")


def test_environment_yml_lists_the_same_dependencies_as_pyproject() -> None:
    project = _pyproject()["project"]
    assert isinstance(project, dict)
    wanted = dict(_spec(r) for r in project["dependencies"])
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    conda = dict(
        _spec(d)
        for d in env["dependencies"]
        # python and pip themselves, not packages whose names start so (python-docx)
        if isinstance(d, str) and not re.match(r"(python|pip)([<>=!~ ]|$)", d)
    )
    assert conda == wanted
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python"))
    assert python.replace("python", "") == project["requires-python"]


def test_lock_pins_every_dependency() -> None:
    project = _pyproject()["project"]
    assert isinstance(project, dict)
    lock = {
        _spec(line.split("==")[0])[0]: line.split("==")[1]
        for line in (REPO / "requirements" / "lock.txt").read_text().splitlines()
        if "==" in line
    }
    names = [_spec(r)[0] for r in project["dependencies"]]
    names += [_spec(r)[0] for r in project["optional-dependencies"]["test"]]
    missing = [n for n in names if n not in lock]
    assert not missing, f"add these to requirements/lock.txt with `make lock`: {missing}"


# One worker builds the wheel once for every test here (make test runs pytest -n 2 --dist loadgroup).
pytestmark = pytest.mark.xdist_group("wheel")


def _source_tree(dest: Path) -> Path:
    """The files git would ship (tracked, or new and not ignored), copied to `dest`.

    Building from the repository itself reuses its ignored build/ folder, where a module that has
    since moved or gone can linger and hide a package missing from pyproject's list.
    """
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=False,
    )
    if listed.returncode != 0:  # not a git checkout (an unpacked sdist): build it as it is
        return REPO
    for name in filter(None, listed.stdout.decode().split("\0")):
        source = REPO / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    return dest


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    source = _source_tree(tmp_path_factory.mktemp("source"))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-v",
            "-w",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    (built,) = out.glob("goal_discovery_studio-*.whl")
    (out / "build.log").write_text(done.stdout + done.stderr, encoding="utf-8")
    return built


@pytest.mark.slow
def test_building_prints_no_setuptools_warnings(wheel: Path) -> None:
    """Every folder that ships files is a listed package: an install prints no wall of
    "Package would be ignored" warnings."""
    log = (wheel.parent / "build.log").read_text(encoding="utf-8")
    assert "running build_py" in log  # the build backend's own output was captured
    assert "would be ignored" not in log and "importable package" not in log


@pytest.mark.slow
def test_wheel_ships_the_code_and_the_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "goalstudio/__init__.py",
        "goalstudio/py.typed",
        "goalstudio/widgets/__init__.py",
        "goalstudio/grading/__init__.py",
        "goalstudio/scenarios/__init__.py",
        "goalstudio/course/manifest.yaml",
        "goalstudio/course/00-welcome.ipynb",
        "goalstudio/course/facilitator/01-workshop-board.ipynb",
        "goalstudio/docs/writing-scenarios.md",  # `goalstudio scenarios guide` after pip install
        "goalstudio/data/lab-settings/overrides.json",  # no Jupyter news pop-up
        "goalstudio/widgets/dashboards/share/voila/templates/goalstudio/index.html.j2",
        # the dashboards' chart script, the plotly.js bundles it loads, and their licence
        "goalstudio/widgets/dashboards/share/voila/templates/goalstudio/static/charts.js",
        "goalstudio/widgets/dashboards/share/voila/templates/goalstudio/static/plotly-basic.min.js",
        "goalstudio/widgets/dashboards/share/voila/templates/goalstudio/static/plotly-cartesian.min.js",
        "goalstudio/widgets/dashboards/share/voila/templates/goalstudio/static/plotly-LICENSE.txt",
        "goalstudio/audit/report.html.j2",  # `goalstudio audit report` after pip install
        "goalstudio/exercises/chart_review.html.j2",  # the chart review's one-page export
        "goalstudio/_scenarios/templates/preview.html.j2",  # `goalstudio scenarios preview`
        "goalstudio/_scenarios/templates/conversation_map.svg.j2",
        "goalstudio/_scenarios/preview.css",
        "goalstudio/_scenarios/preview.js",
        "goalstudio/cli/__main__.py",  # python -m goalstudio.cli
        "goalstudio/courseware/run_sheet.html.j2",  # `goalstudio workshop plan --out FILE.html`
        "goalstudio/courseware/run_sheet.css",
        "goalstudio/widgets/course_home.py",  # the course home the notebooks import
        "goalstudio/hub/jupyterhub_config.py.j2",  # `goalstudio hub config` after pip install
        "goalstudio/grading/feedback.html.j2",  # `goalstudio workshop feedback`
        "goalstudio/grading/check.html.j2",  # each check's feedback in the notebook
        "goalstudio/grading/feedback.css",
    ):
        assert expected in names
    # Every course and rubric data file ships (a folder missing from the package list would not).
    for folder, package in (
        ("course", "goalstudio/course"),
        ("goalstudio/rubric", "goalstudio/rubric"),
    ):
        for path in (REPO / folder).rglob("*"):
            if path.suffix in (".ipynb", ".yaml", ".md") and "__pycache__" not in path.parts:
                assert f"{package}/{path.relative_to(REPO / folder).as_posix()}" in names, path
    scenario_files = [
        n for n in names if n.startswith("goalstudio/scenarios/") and n.endswith(".yaml")
    ]
    assert len(scenario_files) >= 2
    assert not any(n.startswith("tests/") for n in names)


@pytest.mark.slow
def test_installed_wheel_runs_from_outside_the_repo(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "venv"
    venv.create(target, with_pip=False)
    site = Path(sysconfig.get_path("purelib", vars={"base": str(target), "platbase": str(target)}))
    # Reuse the dependencies already installed in this environment, but not the project itself:
    # a plain path entry does not run the editable-install hook, so only the wheel provides goalstudio.
    (site / "deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    python = target / "bin" / "python"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "-q",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    where = subprocess.run(
        [str(python), "-c", "import goalstudio; print(goalstudio.__file__)"],
        cwd=outside,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.startswith(str(target))
    goalstudio = target / "bin" / "goalstudio"
    version = subprocess.run(
        [str(goalstudio), "--version"], cwd=outside, capture_output=True, text=True
    )
    assert version.returncode == 0 and version.stdout.startswith("goalstudio ")
    validate = subprocess.run(
        [str(goalstudio), "scenarios", "validate"], cwd=outside, capture_output=True, text=True
    )
    assert validate.returncode == 0, validate.stderr
    assert "valid" in validate.stdout
    # The preview page comes from template, style and script files that must ship too.
    preview = subprocess.run(
        [str(goalstudio), "scenarios", "preview", "bernie-cmht-allotment", "--out", "p.html"],
        cwd=outside,
        capture_output=True,
        text=True,
    )
    assert preview.returncode == 0, preview.stderr
    page = (outside / "p.html").read_text(encoding="utf-8")
    assert '<svg class="map"' in page and "--good-bg" in page and "walk-restart" in page
    hub_config = subprocess.run(
        [str(goalstudio), "hub", "config"], cwd=outside, capture_output=True, text=True
    )
    assert hub_config.returncode == 0, hub_config.stderr
    assert "c.JupyterHub.spawner_class" in hub_config.stdout
