"""The course source: lint, learner release, language, settings, progress and app mode."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from goalstudio.cli import main
from goalstudio.courseware.manifest import (
    course_progress,
    course_scenario,
    course_settings,
    load_manifest,
    save_course_settings,
)
from goalstudio.courseware.release import (
    FACILITATOR_TAGS,
    CourseToolError,
    anchors,
    build_release,
    cell_tags,
    cell_text,
    learner_prose,
    lint_course,
    prose,
    read_notebook,
)
from goalstudio.courseware.workspace import prepare_workspace
from goalstudio.learner import set_learner_name
from goalstudio.records import RecordStore
from goalstudio.rubric import load_lexicon
from tests.conftest import REPO, free_port

COURSE = REPO / "course"
NOTEBOOKS = [*sorted(COURSE.glob("[0-9][0-9]-*.ipynb")), COURSE / "home.ipynb"]


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GOALSTUDIO_WORKSPACE", str(tmp_path / "ws"))
    monkeypatch.delenv("GOALSTUDIO_RECORDS_URL", raising=False)
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    return tmp_path / "ws"


def test_the_course_passes_lint() -> None:
    assert [str(p) for p in lint_course(COURSE)] == []


def test_cli_lint_and_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["course", "lint"]) == 0
    assert "passes every check" in capsys.readouterr().out
    assert main(["course", "build", "--out", str(tmp_path / "release")]) == 0
    assert (tmp_path / "release" / "03-from-deficits-to-outcomes.ipynb").is_file()


def test_nine_modules_each_with_two_exercises_a_reflection_and_minutes() -> None:
    manifest = load_manifest()
    assert [m.id for m in manifest.modules] == [f"{n:02d}" for n in range(9)]
    for module in manifest.modules:
        nb = read_notebook(COURSE / module.file)
        calls = [
            cell_text(c)
            for c in nb["cells"]
            if c["cell_type"] == "code" and not set(cell_tags(c)) & FACILITATOR_TAGS
        ]
        widgets = [c for c in calls if re.match(r"^[A-Z]\w+\(", c) and "Reflection(" not in c]
        assert len(widgets) >= 2, module.file
        assert any(c.startswith("Reflection(") for c in calls), module.file
        first = cell_text(nb["cells"][0])
        assert f"about {module.minutes.self_study} minutes on your own" in first
        assert f"{module.minutes.workshop} in a workshop" in first
        assert f"competency domain {module.domain}" in first


def test_welcome_module_opens_with_the_welcome_title() -> None:
    first = read_notebook(COURSE / "00-welcome.ipynb")["cells"][0]
    assert cell_text(first).startswith("# Welcome")


def _mutated(tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> list[str]:
    source = tmp_path / "course"
    shutil.copytree(COURSE, source, ignore=shutil.ignore_patterns("assignments", "facilitator"))
    path = source / "03-from-deficits-to-outcomes.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    change(nb)
    path.write_text(json.dumps(nb), encoding="utf-8")
    return [str(p) for p in lint_course(source)]


def _tag(nb: dict[str, Any]) -> None:
    nb["cells"][2]["metadata"]["tags"] = ["teacher-only"]


def _output(nb: dict[str, Any]) -> None:
    code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    code["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["hi"]}]


def _no_key_points(nb: dict[str, Any]) -> None:
    nb["cells"] = [c for c in nb["cells"] if "## Key points" not in cell_text(c)]


def _objectives(nb: dict[str, Any]) -> None:
    nb["cells"][0]["source"] = cell_text(nb["cells"][0]).replace("Spot", "Find", 1)


def _broken_link(nb: dict[str, Any]) -> None:
    nb["cells"][2]["source"] = "See [module 4](04-writing-the-plan.ipynb#no-such-section)."


def _facilitator_link(nb: dict[str, Any]) -> None:
    nb["cells"][2]["source"] = "See [the guide](facilitator/guide.md)."


def _language(nb: dict[str, Any]) -> None:
    nb["cells"][2]["source"] = "The client was non-compliant with his depot."


def _visible_code(nb: dict[str, Any]) -> None:
    code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    code["metadata"] = {}


def _extra_exercise(nb: dict[str, Any]) -> None:
    # Another plan rewrite (25 minutes) makes the module longer than the manifest says.
    code = next(c for c in nb["cells"] if "PlanRewriter(" in cell_text(c))
    nb["cells"].append(dict(code, id="extra"))


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_tag, "unknown tag 'teacher-only'"),
        (_output, "outputs left in"),
        (_no_key_points, "Key points"),
        (_objectives, "differ from course/manifest.yaml"),
        (_broken_link, "no section with the anchor 'no-such-section'"),
        (_facilitator_link, "learners do not get facilitator/"),
        (_language, "language: 'non-compliant'"),
        (_visible_code, "code shows to learners"),
        (_extra_exercise, "but the estimate is 80"),
    ],
)
def test_lint_rejects(
    tmp_path: Path, change: Callable[[dict[str, Any]], None], expected: str
) -> None:
    problems = _mutated(tmp_path, change)
    assert any(expected in p and "03-from-deficits" in p for p in problems), problems


def test_a_bad_example_cell_is_allowed_its_quoted_language(tmp_path: Path) -> None:
    def quoted(nb: dict[str, Any]) -> None:
        # The section keeps its anchors (concept checks and the rubric link to them).
        nb["cells"][2]["source"] = cell_text(nb["cells"][2]) + "\n\nAvoid: 'non-compliant'."
        nb["cells"][2]["metadata"]["tags"] = ["bad-example"]

    assert _mutated(tmp_path, quoted) == []


def test_language_linter_finds_nothing_in_course_text_outside_bad_examples() -> None:
    hits = []
    bad_examples = 0
    for path in NOTEBOOKS:
        nb = read_notebook(path)
        bad_examples += sum("bad-example" in cell_tags(c) for c in nb["cells"])
        for locale in ("en-GB", "en-US"):
            lexicon = load_lexicon(locale)
            for number, text in learner_prose(nb):
                hits += [(path.name, number, m.matched_text) for m in lexicon.find(text)]
    assert hits == []
    # The quoted examples exist, are marked, and the linter does flag them.
    assert bad_examples >= 2
    marked = [
        cell_text(c)
        for c in read_notebook(COURSE / "03-from-deficits-to-outcomes.ipynb")["cells"]
        if "bad-example" in cell_tags(c)
    ]
    assert load_lexicon("en-GB").find(marked[0])


def test_learner_release_has_no_facilitator_content(tmp_path: Path) -> None:
    written = build_release(COURSE, tmp_path / "release")
    assert len(written) == 10
    secret_texts = []
    for path in NOTEBOOKS:
        for cell in read_notebook(path)["cells"]:
            if set(cell_tags(cell)) & FACILITATOR_TAGS:
                secret_texts.append(cell_text(cell).strip().splitlines()[0])
    assert len(secret_texts) >= 9  # every module has facilitator notes
    release_text = ""
    for name in written:
        nb = read_notebook(tmp_path / "release" / name)
        assert not any(set(cell_tags(c)) & FACILITATOR_TAGS for c in nb["cells"])
        assert nb["metadata"]["goalstudio"]["release"] == "learner"
        release_text += json.dumps(nb)
    for secret in secret_texts:
        assert json.dumps(secret)[1:-1] not in release_text
    assert "Facilitator notes" not in release_text and "Model answer" not in release_text


def test_workspace_gets_the_learner_release(tmp_path: Path) -> None:
    prepare_workspace(tmp_path / "ws")
    text = (tmp_path / "ws" / "03-from-deficits-to-outcomes.ipynb").read_text(encoding="utf-8")
    assert "Facilitator notes" not in text and "Model answer" not in text
    assert "Exercise 2: rewrite the plan" in text
    assert (tmp_path / "ws" / "home.ipynb").is_file()


def test_every_course_link_from_the_rubric_and_widgets_resolves() -> None:
    targets: set[str] = set()
    for folder in ("goalstudio", "widgets", "grading"):
        for path in (REPO / folder).rglob("*"):
            if path.suffix in (".py", ".yaml"):
                targets.update(
                    re.findall(r"\b(\d\d-[a-z-]+#[a-z0-9-]+)", path.read_text(encoding="utf-8"))
                )
    assert len(targets) >= 10
    missing = []
    for target in sorted(targets):
        name, anchor = target.split("#")
        path = COURSE / f"{name}.ipynb"
        if not path.exists() or anchor not in anchors(read_notebook(path)):
            missing.append(target)
    assert missing == []


def test_settings_are_kept_beside_the_name(workspace: Path) -> None:
    assert course_settings().locale == "en-GB"
    set_learner_name("Sam")
    save_course_settings(locale="en-US", scenario_set="matching")
    config = json.loads((workspace / ".goalstudio" / "config.json").read_text())
    assert config == {"learner": "Sam", "locale": "en-US", "scenario_set": "matching"}
    assert course_scenario(gb="uk-case", us="us-case") == "us-case"
    save_course_settings(locale="en-US", scenario_set="mixed")
    assert course_scenario(gb="uk-case", us="us-case", first="gb") == "uk-case"
    save_course_settings(locale="en-US", scenario_set="en-GB")
    assert course_scenario(gb="uk-case", us="us-case") == "uk-case"
    with pytest.raises(ValueError, match="en-GB"):
        save_course_settings(locale="fr-FR", scenario_set="mixed")


def test_progress_shows_completed_modules_and_where_to_pick_up(workspace: Path) -> None:
    with RecordStore(f"sqlite:///{workspace.parent / 'r.sqlite'}") as store:
        assert course_progress(store, "sam").next_module.id == "00"  # type: ignore[union-attr]
        store.add_reflection("sam", "reflection-00", "I will ask more.", module="00")
        store.add_reflection("sam", "reflection-01", "Relationships first.", module="01")
        store.add_event("sam", "risk-conversation", "started", module="03")
        store.add_reflection("alex", "reflection-02", "Someone else.", module="02")
        progress = course_progress(store, "sam")
    statuses = {m.id: m.status for m in progress.modules}
    assert statuses["00"] == statuses["01"] == "completed"
    assert statuses["03"] == "started" and statuses["02"] == "not started"
    assert progress.completed == 2
    assert progress.next_module is not None and progress.next_module.id == "02"
    assert progress.minutes_left == sum(m.minutes.self_study for m in load_manifest().modules[2:])


def test_app_mode_dry_run_strips_sources_and_hides_tracebacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["start", "--app", "--dry-run", "--workspace", str(tmp_path / "ws")]) == 0
    command = capsys.readouterr().out.strip().splitlines()[-1]
    assert " -m goalstudio._voila_app " in command and "--Voila.auto_token=True" in command
    assert "--strip_sources=True" in command and "--show_tracebacks=False" in command


@pytest.mark.slow
def test_start_app_serves_the_course_in_voila(tmp_path: Path) -> None:
    from tests.test_start import printed_address

    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "JUPYTER_TOKEN"}
    env.update(HOME=str(tmp_path), JUPYTER_RUNTIME_DIR=str(tmp_path / "rt"))
    args = ["start", "--no-browser", "--port", str(port)]  # app mode is the default
    process = subprocess.Popen(
        [sys.executable, "-m", "goalstudio.cli", *args, "--workspace", str(tmp_path / "ws")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    lines: list[str] = []
    try:
        page = printed_address(process, lines)
        assert page.startswith(f"http://127.0.0.1:{port}/voila/render/00-welcome.ipynb?token=")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5):
                    break
            except urllib.error.HTTPError:
                break  # listening (and asking for the token)
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                assert process.poll() is None, "\n".join(lines)
                time.sleep(0.5)
        with urllib.request.urlopen(page, timeout=60) as response:
            body = response.read()
        assert b"Welcome to Goal Discovery Studio" in body
        assert b"The privacy rule" in body
        # App mode: no code and no facilitator notes reach the learner.
        assert b"from goalstudio" not in body and b"Facilitator notes" not in body
        # The token is required: the same page without it is a login page, not the module.
        request = urllib.request.Request(page.split("?", 1)[0])
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                assert b"The privacy rule" not in response.read()
        except urllib.error.HTTPError as exc:
            assert exc.code in (401, 403)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            raise
        if process.stdout:
            process.stdout.close()


def test_build_never_overwrites_a_folder_that_is_not_a_release(tmp_path: Path) -> None:
    out = tmp_path / "somewhere"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(CourseToolError, match="not empty and is not an earlier release"):
        build_release(COURSE, out)
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    # An earlier release is replaced cleanly.
    build_release(COURSE, tmp_path / "release")
    (tmp_path / "release" / "stale.ipynb").write_text("{}", encoding="utf-8")
    build_release(COURSE, tmp_path / "release")
    assert not (tmp_path / "release" / "stale.ipynb").exists()


def test_facilitator_guide_covers_the_hard_conversations_in_person_first_language() -> None:
    guide = (COURSE / "facilitator" / "guide.md").read_text(encoding="utf-8")
    for heading in (
        '### "This will raise expectations"',
        "### Fear of blame when risk goes wrong",
        '### "We already do this"',
        "## Co-delivery with peer trainers",
        "## Running each module with a team",
    ):
        assert heading in guide
    assert "competence-gap dashboard" in guide  # "we already do this" meets the evidence
    for module in load_manifest().modules:
        assert f"| {int(module.id)} {module.title} ({module.minutes.workshop} min)" in guide
    for locale in ("en-GB", "en-US"):
        assert load_lexicon(locale).find(prose(guide)) == []


def test_welcome_settings_form_saves_and_survives_a_broken_config(workspace: Path) -> None:
    from goalstudio.widgets.course_home import Settings, scenario

    form = Settings()
    form.name.value = "  Sam  "
    form.locale.value = "en-US"
    form.scenario_set.value = "matching"
    assert form.save() is True
    assert "You are <b>Sam</b>" in form.status.value
    assert scenario(gb="uk-case", us="us-case") == "us-case"
    (workspace / ".goalstudio" / "config.json").write_text("{broken", encoding="utf-8")
    again = Settings()  # no traceback: the problem is shown in the form
    assert "not valid JSON" in again.status.value
    assert scenario(gb="uk-case", us="us-case") == "uk-case"


def test_course_home_shows_where_to_pick_up_and_escapes_names(workspace: Path) -> None:
    from goalstudio.widgets.course_home import CourseHome

    url = f"sqlite:///{workspace.parent / 'home.sqlite'}"
    learner = "<b>Sam</b>"
    home = CourseHome(store_url=url, learner=learner)
    assert "Pick up at module 00" in home.table.value and "0 of 9" in home.table.value
    assert "<b>Sam</b>" not in home.table.value and "&lt;b&gt;Sam&lt;/b&gt;" in home.table.value
    with RecordStore(url) as store:
        store.add_reflection(learner, "reflection-00", "Done.", module="00")
    progress = home.refresh()
    assert progress is not None and progress.completed == 1
    assert "Pick up at module 01" in home.table.value
