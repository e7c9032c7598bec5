"""The dashboard views without a browser: what each shows, anonymising, escaping, the CLI."""

from __future__ import annotations

import base64
import json
from contextlib import closing
from pathlib import Path
from typing import Any

import ipywidgets as w
import nbformat
import numpy as np
import pytest

import goalstudio.widgets.dashboards as dashboards
from goalstudio.cli import main
from goalstudio.records import RecordStore
from goalstudio.records.reports import competence, progress
from goalstudio.rubric import review
from goalstudio.scenarios import load
from goalstudio.widgets.dashboards import (
    CohortProgress,
    CompetenceGap,
    LanguageBoard,
    Names,
    RubricProfile,
    ScenarioExplorer,
    WorkshopBoard,
    fill_sample_store,
)
from tests.conftest import REPO

PAYLOAD = '<img src=x onerror="alert(1)">'


def _html(widget: w.Widget) -> str:
    """Every HTML value in a widget tree, joined."""
    out: list[str] = []
    if isinstance(widget, w.HTML | w.HTMLMath):
        out.append(widget.value)
    for child in getattr(widget, "children", ()):
        out.append(_html(child))
    return "\n".join(out)


def _outputs(widget: w.Widget) -> list[w.Output]:
    """Every Output widget in a widget tree (the charts among them)."""
    found = [widget] if isinstance(widget, w.Output) else []
    for child in getattr(widget, "children", ()):
        found.extend(_outputs(child))
    return found


def _figures(widget: w.Widget) -> list[dict[str, Any]]:
    figs: list[dict[str, Any]] = []
    for out in _outputs(widget):
        for output in out.outputs:
            data = output.get("data", {})
            if "application/vnd.plotly.v1+json" in data:
                figs.append(data["application/vnd.plotly.v1+json"])
    return figs


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('dash') / 'records.sqlite'}"
    fill_sample_store(url, learners=10, activities=5, attempts=2, seed=11)
    return url


@pytest.fixture
def empty(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'empty.sqlite'}"


def test_public_api_is_pinned() -> None:
    assert dashboards.__all__ == sorted(dashboards.__all__)
    assert dashboards.__all__ == [
        "AuditRounds",
        "CohortProgress",
        "CompetenceGap",
        "Dashboard",
        "LanguageBoard",
        "Names",
        "RubricProfile",
        "ScenarioExplorer",
        "WorkshopBoard",
        "audit_rounds",
        "cohort_progress",
        "competence_gap",
        "esc",
        "fill_sample_store",
        "language_board",
        "rubric_profile",
        "sample_records_csv",
        "scenario_explorer",
        "wait_for_viewer",
        "warm_up",
        "workshop_board",
    ]


@pytest.mark.parametrize(
    "make", [WorkshopBoard, CohortProgress, CompetenceGap, LanguageBoard, RubricProfile]
)
def test_an_empty_store_says_no_data_yet(make: Any, empty: str) -> None:
    board = make(empty)
    html = _html(board.body)
    assert "No data yet" in html
    assert _figures(board) == []
    assert "Traceback" not in html


@pytest.mark.parametrize(
    ("make", "charts"),
    [
        (WorkshopBoard, 1),
        (CohortProgress, 2),
        (CompetenceGap, 2),
        (LanguageBoard, 1),
        (RubricProfile, 2),
    ],
)
def test_a_small_store_draws_every_chart(make: Any, charts: int, sample: str) -> None:
    board = make(sample)
    assert len(_figures(board)) >= charts
    assert "No data yet" not in _html(board.body)


def test_a_store_that_cannot_be_opened_gives_a_message(tmp_path: Path) -> None:
    bad = tmp_path / "not-a-database.sqlite"
    bad.write_bytes(b"this is not sqlite at all" * 10)
    board = WorkshopBoard(f"sqlite:///{bad}")
    html = _html(board.body)
    assert "The records store cannot be read" in html
    assert "Traceback" not in html


def test_a_dashboard_opens_its_store_once_and_again_after_a_failure(
    empty: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening a store checks the file and its schema: a live board does that once per kernel,
    not on every refresh, and opens the store afresh after the store failed."""
    import goalstudio.widgets.dashboards._common as common

    opened: list[str] = []

    class Counting(RecordStore):
        def __init__(self, url: str | None = None) -> None:
            opened.append(str(url))
            super().__init__(url)

    monkeypatch.setattr(common, "RecordStore", Counting)
    board = WorkshopBoard(empty, every=0)
    with RecordStore(empty) as store:
        store.add_event("sam", "a1", "started")
    assert board.poll() is True
    board.refresh()
    assert board.on_view() is None and len(opened) == 1
    broken = board.store()
    monkeypatch.setattr(broken, "verify_reviews", lambda: (_ for _ in ()).throw(OSError("gone")))
    board.refresh()
    assert "hit a problem" in _html(board.body)
    board.refresh()
    assert len(opened) == 2 and "sam" in _html(board.body)


def test_workshop_board_anonymises_everything_it_shows(sample: str) -> None:
    board = WorkshopBoard(sample, every=0)
    with RecordStore(sample) as store:
        learners = {p.learner for p in store.learner_progress()}
    shown = _html(board.body) + json.dumps(_figures(board))
    assert any(name in shown for name in learners)
    board.anonymise.value = True
    hidden = _html(board.body) + json.dumps(_figures(board))
    assert not any(name in hidden for name in learners)
    assert "Learner 1" in hidden
    board.anonymise.value = False
    assert any(name in _html(board.body) for name in learners)


def test_a_preheated_dashboard_rebuilds_on_view_only_when_records_changed(empty: str) -> None:
    board = CompetenceGap(empty)
    assert board.refresh_if_changed() is False
    assert "up to date" in board.status.value
    with RecordStore(empty) as store:
        store.add_self_rating("sam", "pre", "A", 3)
    assert "No data yet" in _html(board.body)
    board.on_view()
    assert "No data yet" not in _html(board.body)
    assert len(_figures(board)) == 2
    assert board.refresh_if_changed() is False


def test_names_are_stable_and_numbered_in_sorted_order() -> None:
    names = Names(["zoe", "amir", "bea"], anonymise=True)
    assert [names(n) for n in ("amir", "bea", "zoe")] == ["Learner 1", "Learner 2", "Learner 3"]
    assert names("newcomer") == "Learner 4" and names("newcomer") == "Learner 4"
    assert Names(["zoe"], anonymise=False)("zoe") == "zoe"


def test_workshop_board_cards_open_the_plan_and_new_work_triggers_a_refresh(empty: str) -> None:
    board = WorkshopBoard(empty, every=0)
    assert board.poll() is False  # nothing new
    with RecordStore(empty) as store:
        text = f"Goal: {PAYLOAD}"
        store.add_attempt(PAYLOAD, "rewrite", text, review(text).to_dict(), scenario="priya")
        record = store.get_attempts(PAYLOAD)[0].record_id
    assert board.poll() is True
    html = _html(board.body)
    assert "Outcomes: Not met yet" in html and "Roles: Not met yet" in html
    assert PAYLOAD not in html and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    opened = board.open_submission(record, "Learner 1")
    assert "Goal: &lt;img" in opened and PAYLOAD not in opened
    status = board.status.value
    assert board.poll() is False
    # A check that finds nothing new sends nothing, so a closed page's kernel can fall idle.
    assert board.status.value == status
    assert board.refresh_if_changed() is False and "up to date at" in board.status.value


def test_learner_text_is_escaped_in_html_and_in_chart_labels(empty: str) -> None:
    with RecordStore(empty) as store:
        store.add_event(PAYLOAD, "a1", "started", module=PAYLOAD, scenario=PAYLOAD)
        # A plan with flagged language, reviewed as the studio reviews it (the dashboards check).
        text = (
            f"Goal: {PAYLOAD} The client will be compliant with medication.\n"
            "Objective: the client is compliant.\n- Staff: monitor the client"
        )
        store.add_attempt(
            PAYLOAD, "a1", text, review(text).to_dict(), module=PAYLOAD, scenario=PAYLOAD
        )
        store.add_self_rating(PAYLOAD, "pre", "A", 4)
    for make in (WorkshopBoard, CohortProgress, CompetenceGap, LanguageBoard, RubricProfile):
        board = make(empty)
        html = _html(board)
        assert PAYLOAD not in html, make
        labels = json.dumps(_figures(board))
        assert "<img" not in labels, make
        # The profile shows no names; the language board shows phrases the studio's rubric
        # quoted (the dashboards check every review), never a learner's name.
        if make not in (RubricProfile, LanguageBoard):
            assert "&lt;img src=x onerror=" in html + labels, make


def test_cohort_filters_by_group_and_date(sample: str, tmp_path: Path) -> None:
    with RecordStore(sample) as store:
        learners = sorted({p.learner for p in store.learner_progress()})
    roster = tmp_path / "roster.csv"
    roster.write_text(f"learner,group\n{learners[0]},A\n{learners[1]},B\n", encoding="utf-8")
    board = CohortProgress(sample, roster=str(roster))
    assert list(board.group.options) == ["Everyone", "A", "B"]
    board.group.value = "A"
    labels = json.dumps(_figures(board.body.children[1]))
    assert learners[0] in labels and learners[1] not in labels
    import datetime as dt

    board.since.value = dt.date(2099, 1, 1)
    assert "No activity matches these filters" in _html(board.body)


def test_bad_roster_is_explained_not_raised(sample: str, tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("name\nsam\n", encoding="utf-8")
    board = CohortProgress(sample, roster=str(roster))
    assert "needs a header line with &#x27;learner&#x27; and &#x27;group&#x27;" in _html(board)
    assert list(board.group.options) == ["Everyone"]


def test_rubric_profile_per_scenario_and_language_slide(sample: str) -> None:
    board = RubricProfile(sample)
    assert board.scenario.options[0] == ("All case studies", "All case studies")
    assert len(board.scenario.options) > 2
    # Case studies are listed by title, not id.
    label, scenario_id = board.scenario.options[1]
    assert label == load(scenario_id).title and label != scenario_id
    board.scenario.value = scenario_id
    assert "Teach next:" in _html(board.body)
    language = LanguageBoard(sample)
    language.slide.value = True
    assert "gs-slide" in language._dom_classes
    assert "Try instead" in _html(language.body)


def _submit(url: str, learner: str, text: str, scenario: str = "bernie-cmht-allotment") -> str:
    with RecordStore(url) as store:
        store.add_event(learner, "plan-rewriter", "started", module="03", scenario=scenario)
        store.add_attempt(
            learner, "plan-rewriter", text, review(text).to_dict(), scenario=scenario, module="03"
        )
        return store.get_attempts(learner)[-1].record_id


def test_anonymising_changes_the_open_plan_too(empty: str) -> None:
    """Ticking the box changes everything at once: the cards, the table, the heatmap and the
    plan already open below the cards, and it stays anonymised through refreshes."""
    record = _submit(empty, "Sam", load("bernie-cmht-allotment").model_rewrite)
    board = WorkshopBoard(empty, every=0)
    board.open_submission(record)
    assert "Sam: " in board.detail.value
    board.anonymise.value = True
    everything = _html(board.body) + board.detail.value + json.dumps(_figures(board))
    assert "Sam" not in everything and "Learner 1: " in board.detail.value
    _submit(empty, "Robin", "Goal: to be compliant with medication.")
    board.refresh()
    assert "Sam" not in _html(board.body) + board.detail.value
    board.anonymise.value = False
    assert "Sam: " in board.detail.value


def test_the_board_shows_titles_and_one_unit(empty: str) -> None:
    _submit(empty, "Sam", load("bernie-cmht-allotment").model_rewrite)
    _submit(empty, "Robin", "Goal: to be compliant with medication.")
    board = WorkshopBoard(empty, every=0)
    html = _html(board.body)
    title = load("bernie-cmht-allotment").title
    assert title in html and "Plan rewriter" in html
    assert "bernie-cmht-allotment" not in html and "plan-rewriter" not in html
    board.open_submission(board._open or _first_record(empty))
    assert title in board.detail.value and "bernie-cmht-allotment" not in board.detail.value
    (heatmap,) = [f for f in _figures(board) if f["data"][0]["type"] == "heatmap"]
    cells = {t for row in heatmap["data"][0]["text"] for t in row}
    assert cells and all(t.endswith("%") for t in cells), cells  # never "Met" beside "50%"


def _first_record(url: str) -> str:
    with RecordStore(url) as store:
        return store.get_attempts("Sam")[0].record_id


def test_empty_states_say_the_actual_reason(empty: str) -> None:
    _submit(empty, "Sam", load("bernie-cmht-allotment").model_rewrite)
    gap = _html(CompetenceGap(empty).body)
    assert "No data yet" not in gap
    assert "No self-ratings yet: learners are asked for them in modules 01 and 08" in gap
    assert "1 submitted plan in the store" in gap
    language = _html(LanguageBoard(empty).body)
    assert "No flagged language in 1 submitted plan." in language


def test_self_rating_modules_are_the_ones_that_ask(repo: Path) -> None:
    from goalstudio.widgets.dashboards._gap import SELF_RATING_MODULES

    asking = sorted(
        p.name[:2]
        for p in (repo / "course").glob("[0-9][0-9]-*.ipynb")
        if "SelfRating(" in p.read_text()
    )
    assert tuple(asking) == SELF_RATING_MODULES


def test_one_plan_is_one_plan(empty: str) -> None:
    _submit(empty, "Sam", load("bernie-cmht-allotment").model_rewrite)
    titles = [f["layout"]["title"]["text"] for f in _figures(RubricProfile(empty))]
    assert any("(1 plan)" in t for t in titles) and not any("1 plans" in t for t in titles)


def test_every_activity_has_a_title() -> None:
    import goalstudio.widgets as gw
    from goalstudio.widgets.dashboards._common import ACTIVITY_TITLES, activity_title

    for name in dir(gw):
        activity = getattr(getattr(gw, name), "activity", None)
        if isinstance(activity, str) and activity != "exercise":
            assert activity in ACTIVITY_TITLES, activity
    assert activity_title("reflection-03") == "Reflection, module 03"


def test_scenario_explorer_shows_notes_model_and_map() -> None:
    explorer = ScenarioExplorer("bernie-cmht-allotment")
    html = _html(explorer)
    assert "Facilitator notes" in html and "Model rewrite" in html
    assert "Questions for discussion" in html
    (figure,) = _figures(explorer)
    assert figure["data"][0]["type"] == "sankey"
    first = explorer.choice.options[0][1]
    explorer.choice.value = first
    assert len(_figures(explorer)) == 1


def test_facilitator_notebooks_are_clean_hidden_and_call_the_dashboards() -> None:
    folder = REPO / "course" / "facilitator"
    notebooks = sorted(folder.glob("*.ipynb"))
    assert [n.stem for n in notebooks] == [
        "01-workshop-board",
        "02-cohort-progress",
        "03-competence-gap",
        "04-language-board",
        "05-rubric-profile",
        "06-scenario-explorer",
        "07-audit-rounds",
    ]
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert code and all(c.outputs == [] and c.execution_count is None for c in code)
        assert all(c.metadata["jupyter"]["source_hidden"] for c in code)
        calls = [
            line
            for c in code
            for line in c.source.splitlines()
            if "_board()" in line
            or line.endswith(("progress()", "gap()", "profile()", "explorer()", "rounds()"))
        ]
        func = calls[0].split("=")[-1].strip().removesuffix("()")
        assert func in dashboards.__all__, path
        # Every page runs a cell when it is opened: the data is brought up to date, and the
        # kernel shows activity, so the idle-kernel culler cannot take it while the page connects.
        assert "wait_for_viewer(" in code[-1].source, path
        if path.stem != "06-scenario-explorer":
            # Kernels take turns to preheat, the workshop board first (without waiting).
            first = "warm_up(first=True)" if path.stem == "01-workshop-board" else "warm_up()"
            assert code[0].source.rstrip().endswith(first), path
            # The records are read once the page is opened, after the last cell has ended.
            assert code[-1].source.rstrip().endswith("wait_for_viewer(then=board.on_view)")


def test_cli_dashboard_dry_run_prints_the_voila_command(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    with RecordStore(url):
        pass
    assert main(["dashboard", "--records", url, "--port", "9123", "--no-browser", "--dry-run"]) == 0
    out = capsys.readouterr().out
    for part in (
        "-m goalstudio._voila_app",  # Voilà, opening the browser with the token
        "--Voila.auto_token=True",  # every request needs the token
        "course/facilitator",
        "--port=9123",
        "--template=goalstudio",
        "--strip_sources=True",
        "--show_tracebacks=False",
        "--VoilaConfiguration.preheat_kernel=True",
        "extension_denylist=['@jupyter/nbgrader'",
        "--MappingKernelManager.cull_idle_timeout=300",  # closed pages' kernels are shut down
        "--no-browser",
    ):
        assert part in out


def test_cli_dashboard_explains_bad_settings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["dashboard", "--port", "0", "--dry-run"]) != 0
    assert "port 0 is out of range" in capsys.readouterr().err
    assert main(["dashboard", "--gradebook", str(tmp_path / "none"), "--dry-run"]) != 0
    assert "is not a folder" in capsys.readouterr().err
    assert main(["dashboard", "--roster", str(tmp_path / "none.csv"), "--dry-run"]) != 0
    assert "is not a file" in capsys.readouterr().err
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"not a database" * 20)
    assert main(["dashboard", "--records", str(bad), "--dry-run"]) != 0
    err = capsys.readouterr().err
    assert "--records" in err and "Traceback" not in err


def test_cli_dashboard_on_a_port_in_use_says_so_and_starts_nothing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import os
    import socket

    def started(*args: Any) -> None:
        raise AssertionError("Voilà was started on a port in use")

    monkeypatch.setattr(os, "execve", started)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["dashboard", "--port", str(port), "--no-browser"]) == 1
    err = capsys.readouterr().err
    assert f"port {port} is in use" in err
    assert "choose another port with --port" in err


def test_a_mistyped_records_path_is_an_error_naming_the_stores_it_can_find(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    workshop = tmp_path / "workshop"
    workshop.mkdir()
    real = workshop / "records.sqlite"
    with RecordStore(f"sqlite:///{real}"):
        pass
    typo = workshop / "typo" / "records.sqlite"
    before = sorted(p.name for p in workshop.rglob("*"))
    assert main(["dashboard", "--records", str(typo), "--dry-run"]) == 1
    err = capsys.readouterr().err
    assert f"there is no records store at {typo}" in err
    assert str(real.resolve()) in err and "Traceback" not in err
    assert main(["dashboard", "--records", f"sqlite:///{typo}", "--port", "9", "--dry-run"]) == 1
    # Nothing was created: no folder, no empty store.
    assert sorted(p.name for p in workshop.rglob("*")) == before
    assert not typo.parent.exists()


def test_dashboard_dry_run_changes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    real = tmp_path / "records.sqlite"
    with RecordStore(f"sqlite:///{real}") as store:
        store.add_event("sam", "plan-rewriter", "started", module="03")
    data, stamp = real.read_bytes(), real.stat().st_mtime_ns
    listing = sorted(p.name for p in tmp_path.iterdir())
    assert main(["dashboard", "--records", str(real), "--dry-run"]) == 0
    assert real.read_bytes() == data and real.stat().st_mtime_ns == stamp
    assert sorted(p.name for p in tmp_path.iterdir()) == listing
    other = tmp_path / "other.sqlite"
    import sqlite3

    with closing(sqlite3.connect(other)) as db:
        db.execute("CREATE TABLE notes (x)")
    assert main(["dashboard", "--records", str(other), "--dry-run"]) == 1
    assert "not a Goal Discovery Studio records store" in capsys.readouterr().err


def test_the_offline_template_is_voilas_lab_template_without_cdn_links() -> None:
    from goalstudio.cli._dashboard import template_root, voila_env

    ours = template_root() / "voila" / "templates" / "goalstudio" / "index.html.j2"
    text = ours.read_text(encoding="utf-8")
    assert 'href="http' not in text and 'src="http' not in text
    assert "extends 'nbconvert/templates/lab/index.html.j2'" in text
    conf = json.loads(ours.with_name("conf.json").read_text(encoding="utf-8"))
    assert conf == {"base_template": "lab"}
    env = voila_env("sqlite:///x.sqlite", None, None, token="t0ken")
    assert env["JUPYTER_PATH"].split(":")[0] == str(template_root())
    assert env["GOALSTUDIO_RECORDS_URL"] == "sqlite:///x.sqlite"
    assert env["JUPYTER_TOKEN"] == "t0ken"  # Voilà requires it on every request
    # Its kernels send charts for the template's chart script (static/charts.js).
    assert env["GOALSTUDIO_CHART_SCRIPT"] == "1"


def test_cohort_progress_shows_gradebook_scores(
    sample: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pandas as pd

    with RecordStore(sample) as store:
        learner = sorted({p.learner for p in store.learner_progress()})[0]
    grades = pd.DataFrame(
        {
            "learner": [learner, learner, PAYLOAD],
            "assignment": ["01-spot", "01-spot", "02-rewrite"],
            "score": [1.0, 2.0, 0.0],
            "max_score": [2.0, 2.0, 4.0],
        }
    )
    seen: list[str] = []

    def fake_frame(course_dir: str) -> Any:
        seen.append(str(course_dir))
        return grades

    from goalstudio.grading import _gradebook

    monkeypatch.setattr(_gradebook, "gradebook_frame", fake_frame)
    board = CohortProgress(sample, gradebook=str(tmp_path))
    assert seen == [str(tmp_path)]
    (figure,) = [f for f in _figures(board) if "per assignment" in json.dumps(f["layout"])]
    bars = {trace["name"]: trace for trace in figure["data"]}
    assert set(bars) == {"01-spot", "02-rewrite"}
    y = bars["01-spot"]["y"]  # plotly sends numbers as a typed array
    assert np.frombuffer(base64.b64decode(y["bdata"]), dtype=y["dtype"]).tolist() == [75.0]
    assert "&lt;img src=x" in json.dumps(bars["02-rewrite"]["x"])


def _numbers(values: Any) -> list[float]:
    """A plotly array as numbers: plain lists, or the typed arrays plotly sends for numpy data."""
    if isinstance(values, dict):
        raw = base64.b64decode(values["bdata"])
        return [float(v) for v in np.frombuffer(raw, dtype=values["dtype"])]
    return [float(v) for v in values]


def test_a_large_cohort_is_charted_as_a_whole_group_and_a_roster_group_per_learner(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'records.sqlite'}"
    fill_sample_store(url, learners=70, activities=6, attempts=1, seed=3)
    board = CohortProgress(url)
    html = _html(board.body)
    assert "70 learners: more than 60, so the charts show the whole group" in html
    reach, spread = _figures(board.body)
    labels = json.dumps([reach, spread])
    assert "learner-00" not in labels  # no bar per learner
    with RecordStore(url) as store:
        work = progress(store)
    done: dict[str, set[str]] = {}
    for row in work:
        if row.completed > 0:
            done.setdefault(row.module, set()).add(row.learner)
    completed = next(t for t in reach["data"] if t["name"].startswith("Completed"))
    assert _numbers(completed["y"]) == [float(len(done[m])) for m in sorted(done)]
    assert sum(_numbers(spread["data"][0]["y"])) == 70  # every learner in one bin
    # A roster group of a few learners goes back to a bar per learner.
    roster = tmp_path / "roster.csv"
    learners = sorted({row.learner for row in work})[:5]
    roster.write_text("learner,group\n" + "".join(f"{n},Team\n" for n in learners), "utf-8")
    board = CohortProgress(url, roster=str(roster))
    board.group.value = "Team"
    labels = json.dumps(_figures(board.body))
    assert all(n in labels for n in learners)
    assert "show the whole group" not in _html(board.body)


def test_a_large_cohort_shares_dots_in_the_competence_gap(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'records.sqlite'}"
    fill_sample_store(url, learners=70, activities=6, attempts=1, seed=3)
    board = CompetenceGap(url)
    assert "70 learners: more than 60, so learners within a quarter point" in _html(board.body)
    scatter = _figures(board.body)[0]
    with RecordStore(url) as store:
        gap = competence(store)
    for trace in scatter["data"][1:]:
        phase = "pre" if trace["name"] == "Before the course" else "post"
        rated = [r for r in gap if getattr(r, phase) is not None and r.demonstrated is not None]
        assert sum(_numbers(trace["customdata"])) == len(rated)  # every learner is counted once
        assert len(_numbers(trace["x"])) < len(rated)  # and some share a dot
        assert all(v * 4 == int(v * 4) for v in _numbers(trace["x"]))  # on the quarter grid
    assert "learner-00" not in json.dumps(scatter)


def _live_widgets() -> int:
    from ipywidgets.widgets.widget import _instances

    return len(_instances)


@pytest.mark.parametrize("make", [WorkshopBoard, CohortProgress, RubricProfile])
def test_a_rebuild_closes_the_widgets_it_replaces(make: Any, sample: str) -> None:
    # A live board rebuilds many times in a session: the old charts must not stay alive in the
    # kernel, where every page opened later would fetch them.
    board = make(sample)
    board.refresh()
    before = _live_widgets()
    old_chart = next(c for c in board.body.children if isinstance(c, w.Output))
    for _ in range(5):
        board.refresh()
    assert _live_widgets() == before
    # A chart that did not change is kept (the same widget); one that changed is closed.
    assert old_chart in board.body.children and old_chart.comm is not None
    board.anonymise.value = not board.anonymise.value  # for the pages with names in charts
    plan = load("bernie-cmht-allotment").deficit_plan
    reviewed = review(plan).to_dict()  # the studio's own review: the check keeps it
    with RecordStore(sample) as store:
        for n in range(3):
            store.add_self_rating(f"newcomer-{n}", "pre", "A", 5)
            store.add_attempt(f"newcomer-{n}", "plan", plan, reviewed, scenario="elsewhere")
    board.refresh()
    if make is not RubricProfile:  # (the profile's shares hardly move with three plans)
        assert old_chart not in board.body.children  # it changed: drawn anew
    if old_chart not in board.body.children:
        assert old_chart.comm is None  # and the old one closed, so its view leaves the page too
    assert all(c.comm is not None for c in board.body.children)  # the new ones are live


def test_workshop_board_timer_runs_in_the_browser_while_a_page_shows_it(empty: str) -> None:
    board = WorkshopBoard(empty, every=5)
    assert board.ticker.interval == 5000 and board.ticker.layout.display == "none"
    assert board.ticker.playing is False  # nothing shows the board yet
    board.ticker._view_count = 1  # what the page reports when it draws the board
    assert board.ticker.playing is True
    board.auto.value = False
    assert board.ticker.playing is False
    board.auto.value = True
    assert board.ticker.playing is True
    # Each tick from the browser checks the store; new work rebuilds the board.
    with RecordStore(empty) as store:
        store.add_event("sam", "rewrite", "started", scenario="priya")
    board.ticker.value += 1
    assert "Who is working on what (1 learner)" in _html(board.body)
    assert WorkshopBoard(empty, every=0).ticker.playing is False


def test_the_dashboards_index_is_written_from_the_list_of_pages() -> None:
    """The landing page lists every facilitator notebook with its title and one line, and
    marks the page with model answers; the committed template is what _index.py writes."""
    import jinja2

    from goalstudio.widgets.dashboards._index import (
        MODEL_ANSWERS_MARK,
        PAGES,
        render,
        template_files,
    )

    for path in template_files():
        assert path.read_text(encoding="utf-8") == render(), (
            f"{path} is out of date: python -m goalstudio.widgets.dashboards._index"
        )
    folder = REPO / "course" / "facilitator"
    assert sorted(p.file for p in PAGES) == sorted(p.name for p in folder.glob("*.ipynb"))
    assert [p.file for p in PAGES if p.model_answers] == ["06-scenario-explorer.ipynb"]
    contents = {"content": [{"type": "notebook", "name": p.file, "path": p.file} for p in PAGES]}
    page = (
        jinja2.Environment(autoescape=True)
        .from_string(render())
        .render(contents=contents, base_url="/", query="token=t")
    )
    assert "<h1>Facilitator dashboards</h1>" in page and 'lang="en"' in page
    for p in PAGES:
        assert f'href="/voila/render/{p.file}?token=t"' in page and f">{p.title}</a>" in page
        assert ".ipynb</a>" not in page
    assert page.count(MODEL_ANSWERS_MARK) == 1
    assert "http" not in page.replace('href="/voila', "")  # nothing off the machine


def test_workshop_board_shows_how_many_chose_each_concept_check_answer(empty: str) -> None:
    board = WorkshopBoard(empty, every=0)
    with RecordStore(empty) as store:
        for learner, answers in {"ana": "ac", "bo": "a", "cy": "bc", "di": "c"}.items():
            for n, key in enumerate(answers, start=1):
                store.add_event(
                    learner,
                    "concept-check-03-outputs",
                    "check_answered",
                    {"check": "03-outputs", "answer": key, "correct": key == "c", "try": n},
                    module="03",
                )
    assert board.poll() is True
    html = _html(board.body)
    assert "Concept checks: the answers the room chose" in html
    assert "Which of these is an outcome rather than an output?" in html
    # First answers: A twice, B once, C once; at any try: C three times.
    assert "<td>Bernie will attend the Recovery College weekly. </td><td>2</td><td>2</td>" in html
    assert "right answer</span></td><td>1</td><td>3</td>" in html
    assert "Most chosen wrong first answer: A</b> (2 of 4)" in html


def test_roster_and_gradebook_degrade_with_a_reason(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("Learner,Group,email\nsam,North\nana,\n,South\n", encoding="utf-8")
    from goalstudio.grading import gradebook_scores
    from goalstudio.widgets.dashboards._roster import load_roster

    frame = load_roster(roster)
    assert list(zip(frame["learner"], frame["group"], strict=True)) == [
        ("sam", "North"),
        ("ana", "(no group)"),
    ]
    bad = tmp_path / "bad.csv"
    bad.write_text("name,team\n", encoding="utf-8")
    with pytest.raises(ValueError, match="'learner' and 'group'"):
        load_roster(bad)
    with pytest.raises(ValueError, match="cannot be read"):
        load_roster(tmp_path / "missing.csv")
    assert load_roster(None).empty
    scores, why = gradebook_scores(None)
    assert scores is None and "--gradebook" in why
    scores, why = gradebook_scores(tmp_path / "no-course")
    assert scores is None and "cannot be read" in why


def test_preheating_kernels_take_turns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As a dashboard server starts, its kernels preheat one at a time (the workshop board
    beside them), so the page opened first is not slowed by all the others; a kernel stuck in
    its turn holds the others up for no more than TURN_WAIT."""
    import fcntl

    import goalstudio.widgets.dashboards._common as common

    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setenv("VOILA_APP_PORT", "8123")
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path))
    monkeypatch.setattr(common, "TURN_WAIT", 0.5)
    lock = tmp_path / "goalstudio-dashboard-preheat-8123.lock"

    def held() -> bool:
        with lock.open("a") as other:
            try:
                fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return True
            return False

    common._take_turn()
    assert held()  # this kernel's turn: the next one waits
    common._end_turn()
    assert not held()
    with lock.open("a") as other:  # another kernel's turn, never ending
        fcntl.flock(other, fcntl.LOCK_EX)
        now = [100.0]  # a clock of the test's own: sleeping moves it, nothing really waits
        naps: list[float] = []

        def nap(seconds: float) -> None:
            naps.append(seconds)
            now[0] += seconds

        common._take_turn(clock=lambda: now[0], sleep=nap)
        assert len(naps) > 1  # it kept trying while the other kernel held its turn
        assert 100.5 < now[0] <= 100.5 + max(naps)  # then gave up at TURN_WAIT, not later
    common._end_turn()
    monkeypatch.setenv("VOILA_PREHEAT", "False")  # not a preheated kernel: no turns
    common._take_turn()
    assert not held() and common._TURN == []


def test_a_refresh_keeps_the_widgets_of_what_did_not_change(sample: str) -> None:
    """A live board refreshes on every new record: the cards and the heatmap that did not change
    stay the same widgets, so the page does not draw them again."""
    board = WorkshopBoard(sample, every=0)
    cards = list(board._kept_cards.values())
    heatmap = board._kept_heatmap
    assert cards and heatmap is not None
    with RecordStore(sample) as store:
        store.add_event("newcomer", "a1", "started")
    assert board.poll() is True
    assert list(board._kept_cards.values()) == cards and board._kept_heatmap is heatmap
    shown = _html(board.body)
    assert "newcomer" in shown and all(card.comm is not None for card in cards)
    board.anonymise.value = True  # every name changes: new cards
    assert not set(map(id, board._kept_cards.values())) & set(map(id, cards))


def test_the_cards_share_their_layouts_and_styles_and_refreshes_keep_them_open(
    empty: str,
) -> None:
    """Each layout and style is a widget the page must fetch and build: the cards a refresh adds
    share one of each, and closing what a refresh left behind never closes a shown card's."""

    def parts(card: w.VBox) -> list[w.Widget]:
        head, button = card.children
        return [card.layout, head.layout, head.style, button.layout, button.style]

    def add(learner: str) -> None:
        with RecordStore(empty) as store:
            text = f"Goal: {learner} wants to cook for friends"
            store.add_attempt(learner, "rewrite", text, review(text).to_dict(), scenario="priya")

    board = WorkshopBoard(empty, every=0)
    add("ana")
    add("ben")
    board.refresh()
    first = list(board._kept_cards.values())
    assert len(first) == 2 and parts(first[0]) == parts(first[1])
    assert len({id(part) for part in parts(first[0])}) == 5  # five different widgets
    add("cam")  # a new card, with parts of its own; the old cards stay as they are
    board.refresh()
    cards = list(board._kept_cards.values())
    assert len(cards) == 3 and all(card in cards for card in first)
    assert all(part.comm is not None for card in cards for part in parts(card))
    assert cards[0].layout.width == "290px" and parts(cards[0])[3].width == "auto"
    board.anonymise.value = True  # every name changes: all new cards, old parts closed
    assert all(part.comm is None for part in parts(first[0]))
    shown = list(board._kept_cards.values())
    assert all(part.comm is not None for card in shown for part in parts(card))


def test_a_chart_carries_the_lean_theme_only() -> None:
    """plotly's default theme (about 7 KB) must not travel with every chart: the lean theme
    replaces it, rather than being merged into it."""
    from goalstudio.widgets.dashboards._common import LEAN_TEMPLATE, chart, go

    out = chart(go().Figure(go().Bar(x=["a"], y=[1])), label="a test chart")
    figure = out.outputs[0]["data"]["application/vnd.plotly.v1+json"]
    assert figure["layout"]["template"] == LEAN_TEMPLATE
    assert len(json.dumps(figure)) < 2_000


STATIC = REPO / "widgets" / "dashboards" / "share" / "voila" / "templates" / "goalstudio" / "static"


def _chart_html(out: w.Output) -> str:
    (output,) = out.outputs
    assert "application/vnd.plotly.v1+json" not in output["data"]
    return str(output["data"]["text/html"])


def _drawn_figure(html: str) -> tuple[str, dict[str, Any]]:
    """The bundle name and the figure a scripted chart hands to the page's chart script."""
    call = html.split("goalstudioCharts.draw(document.currentScript, ", 1)[1]
    assert call.endswith(");</script>")
    name, figure = call[: -len(");</script>")].split(", ", 1)
    return json.loads(name), json.loads(figure)


def test_on_the_studios_dashboard_pages_a_chart_is_drawn_by_its_chart_script(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Under ``goalstudio dashboard`` a chart is a labelled box and a call to the template's
    chart script with the smallest plotly.js bundle that has its trace types; a Sankey diagram,
    which only the whole of plotly.js draws, stays with plotly's own renderer."""
    from goalstudio.widgets.dashboards._common import LEAN_TEMPLATE, chart, go

    monkeypatch.setenv("GOALSTUDIO_CHART_SCRIPT", "1")
    bars = chart(go().Figure(go().Bar(x=["a", "b"], y=[1, 2])), label="two bars")
    html = _chart_html(bars)
    assert html.startswith('<div class="gs-plot" role="figure" aria-label="two bars"></div>')
    name, figure = _drawn_figure(html)
    assert name == "basic"
    assert figure["data"][0]["type"] == "bar" and figure["data"][0]["y"] == [1, 2]
    assert figure["layout"]["template"] == LEAN_TEMPLATE
    assert figure["config"] == {"displayModeBar": False, "displaylogo": False}
    assert bars.outputs[0]["data"]["text/plain"] == "Chart: two bars"

    heat = chart(go().Figure(go().Heatmap(z=[[0, 1]])), label="heat")
    assert _drawn_figure(_chart_html(heat))[0] == "cartesian"
    mixed = go().Figure([go().Scatter(x=[1], y=[1]), go().Heatmap(z=[[1]])])
    assert _drawn_figure(_chart_html(chart(mixed, label="mixed")))[0] == "cartesian"

    flows = go().Figure(
        go().Sankey(node={"label": ["a", "b"]}, link={"source": [0], "target": [1], "value": [1]})
    )
    (output,) = chart(flows, label="flows").outputs
    assert "application/vnd.plotly.v1+json" in output["data"]
    assert "text/html" not in output["data"]

    # Elsewhere (JupyterLab, Voilà's own template) every chart is plotly's figure.
    monkeypatch.delenv("GOALSTUDIO_CHART_SCRIPT")
    (output,) = chart(go().Figure(go().Bar(x=["a"], y=[3])), label="elsewhere").outputs
    assert output["data"]["application/vnd.plotly.v1+json"]["data"][0]["y"] == [3]
    assert "text/html" not in output["data"]


def test_no_text_in_a_scripted_chart_can_end_its_script_or_start_markup(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from goalstudio.widgets.dashboards._common import chart, go

    monkeypatch.setenv("GOALSTUDIO_CHART_SCRIPT", "1")
    hostile = "</script><script>alert(1)</script>" + PAYLOAD + " & \u2028"
    fig = go().Figure(go().Bar(x=[hostile], y=[1], hovertext=[hostile]))
    fig.update_layout(title=hostile)
    html = _chart_html(chart(fig, label=hostile))
    box, script = html.split("</div>", 1)
    assert "<script" not in box and "<img" not in box  # the label is escaped in the attribute
    assert script.count("<") == 2 and script.count(">") == 2  # <script> and </script> only
    assert "&" not in script
    _name, figure = _drawn_figure(html)
    assert figure["data"][0]["x"] == [hostile]  # the text arrives whole, as text
    assert figure["layout"]["title"]["text"] == hostile


def test_the_chart_script_has_every_bundle_and_each_is_plotly_pythons_plotly_js() -> None:
    """The bundles beside the chart script are plotly.js's own partial bundles, at the version
    of plotly.js that the installed plotly package carries (so a chart's JSON means the same to
    them). After upgrading plotly, fetch the same version's bundles: see docs/dashboards.md."""
    import plotly.offline

    from goalstudio.widgets.dashboards._common import CHART_BUNDLES

    version = plotly.offline.get_plotlyjs_version()
    template = (STATIC.parent / "index.html.j2").read_text(encoding="utf-8")
    for name in CHART_BUNDLES:
        bundle = STATIC / f"plotly-{name}.min.js"
        head = bundle.read_text(encoding="utf-8")[:200]
        assert f"plotly.js ({name} - minified) v{version}" in head, (bundle, head)
        assert f'include_url("static/plotly-{name}.min.js")' in template
    assert "MIT License" in (STATIC / "plotly-LICENSE.txt").read_text(encoding="utf-8")


def test_each_dashboard_notebook_has_the_page_load_the_bundle_its_charts_use(
    sample: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A facilitator notebook names in its metadata the bundle its charts are drawn with, so the
    template starts loading it with the page (a notebook whose charts need the whole of plotly.js
    names none)."""
    import importlib

    from tests._audit_support import write_rounds

    rounds = f"sqlite:///{tmp_path / 'rounds.sqlite'}"  # the audit page needs audit rounds
    write_rounds(tmp_path, rounds)
    monkeypatch.setenv("GOALSTUDIO_CHART_SCRIPT", "1")
    folder = REPO / "course" / "facilitator"
    notebooks = sorted(folder.glob("0*.ipynb"))
    assert len(notebooks) == 7
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        named = nb.metadata.get("goalstudio", {}).get("plotly_bundle")
        source = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        imported = source.split("from goalstudio.widgets.dashboards import ", 1)[1]
        names = imported.split("\n", 1)[0].split(", ")
        (factory,) = set(names) - {"wait_for_viewer", "warm_up"}
        monkeypatch.setenv(
            "GOALSTUDIO_RECORDS_URL", rounds if factory == "audit_rounds" else sample
        )
        board = getattr(importlib.import_module("goalstudio.widgets.dashboards"), factory)()
        if hasattr(board, "refresh"):
            board.refresh()
        drawn = set()
        for out in _outputs(board):
            for output in out.outputs:
                html = output["data"].get("text/html", "")
                if "goalstudioCharts.draw" in html:
                    drawn.add(_drawn_figure(html)[0])
                elif "application/vnd.plotly.v1+json" in output["data"]:
                    drawn.add(None)
        assert drawn, f"{path.name} drew no chart on the sample store"
        assert drawn == {named}, (path.name, drawn, named)
