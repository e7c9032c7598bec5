"""The practice audit rounds page (issue 18 §1) without a browser: each round's date, plan count,
criteria, goals and language; the change between consecutive rounds; the first-round help."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import goalstudio.audit as audit
from goalstudio.audit import HEADLINE_MEASURES, audit_history
from goalstudio.audit._measures import MEASURES, compare, value
from goalstudio.audit._report import load_rounds
from goalstudio.records import RecordStore
from goalstudio.rubric import CRITERIA, CRITERION_TITLES
from goalstudio.widgets.dashboards import AuditRounds, audit_rounds, esc
from goalstudio.widgets.dashboards._audit import reading
from tests._audit_support import ROUNDS, write_rounds
from tests.test_dashboards import _figures, _html


@pytest.fixture(scope="module")
def rounds_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("rounds")
    url = f"sqlite:///{folder / 'records.sqlite'}"
    write_rounds(folder, url)
    return url


def test_the_public_names_are_pinned() -> None:
    for name in (
        "HEADLINE_MEASURES",
        "AuditHistory",
        "Difference",
        "Measure",
        "RoundChange",
        "RoundProfile",
        "audit_history",
    ):
        assert name in audit.__all__
    assert [m.id for m in HEADLINE_MEASURES] == [
        *(f"criterion:{c}" for c in CRITERIA),
        "goals:life_outcomes",
        "goals:service",
        "language:per_1000",
    ]


def test_the_history_gives_the_reports_numbers_for_each_round_and_each_change(
    rounds_url: str,
) -> None:
    with RecordStore(rounds_url) as store:
        history = audit_history(store)
        loaded = load_rounds(store, list(ROUNDS))
    assert [p.round.name for p in history.rounds] == list(ROUNDS)  # oldest first
    assert [p.round.plans for p in history.rounds] == [12, 12, 12]
    by_id = {m.id: m for m in MEASURES}
    for profile, (_round, plans) in zip(history.rounds, loaded, strict=True):
        for measure_id, shown in profile.values.items():
            assert shown == value(plans, by_id[measure_id])
    baseline, follow_up = history.rounds[0], history.rounds[-1]
    assert baseline.goals["person_centred"] == 0 and baseline.goals["deficit_led"] > 0
    assert follow_up.goals["deficit_led"] == 0
    assert follow_up.verdicts["outcomes"] == {"met": 12, "partly": 0, "not_met": 0}
    # One change per pair of consecutive rounds, the same as the report's comparison.
    assert [(c.before, c.after) for c in history.changes] == [
        ("baseline", "mid-course"),
        ("mid-course", "follow-up"),
    ]
    first = history.changes[0].differences
    assert first == tuple(compare(loaded[0][1], loaded[1][1], HEADLINE_MEASURES))


def test_the_page_shows_every_round_its_profile_and_what_changed(rounds_url: str) -> None:
    board = audit_rounds(rounds_url)
    assert isinstance(board, AuditRounds)
    html = _html(board)
    with RecordStore(rounds_url) as store:
        history = audit_history(store)
    for profile in history.rounds:
        name = profile.round.name
        assert (
            f"<th scope='row'>{name}</th><td class='gs-n'>{profile.date}</td>"
            "<td class='gs-n'>12</td>"
        ) in html
    assert "3 rounds, oldest first" in html
    # Each criterion's profile per round, in words.
    for criterion in CRITERIA:
        assert esc(CRITERION_TITLES[criterion]) in html
    assert "<b>100%</b>: 12 met, 0 partly met, 0 not met yet" in html  # the follow-up
    # Life outcomes and services as shares of goals: the baseline's goals are all services.
    assert "<td>0%</td><td>94%</td><td>48.2</td>" in html
    assert "From baseline to mid-course" in html and "From mid-course to follow-up" in html
    assert "Goals that are life outcomes (person-centred)</th><td>0%</td><td>54%</td>" in html
    assert "Better" in html and "No clear change" in html
    figures = _figures(board)
    assert [f["layout"]["title"]["text"] for f in figures] == [
        "Score on each criterion by round (met 100%, partly 50%)",
        "Share of goals by what they are about",
        "Deficit-led language findings per 1,000 words (lower is better)",
    ]
    assert [t["name"] for t in figures[0]["data"]] == list(ROUNDS)
    assert list(figures[2]["data"][0]["x"]) == list(ROUNDS)
    assert "Traceback" not in html


def test_an_empty_store_says_how_to_run_a_first_round(tmp_path: Path) -> None:
    board = AuditRounds(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    html = _html(board.body)
    assert "No data yet" in html
    assert "<code>goalstudio audit run FOLDER --round baseline</code>" in html
    assert "docs/audit.md" in html
    assert _figures(board) == []


def test_one_round_asks_for_a_follow_up_and_a_new_round_is_picked_up(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'records.sqlite'}"
    write_rounds(tmp_path, url, rounds=("baseline",), count=3)
    board = AuditRounds(url)
    html = _html(board.body)
    assert "One round so far" in html and "--round follow-up" in html
    assert "What changed between rounds" not in html
    assert board.refresh_if_changed() is False  # nothing new: no rebuild
    assert "up to date" in board.status.value
    write_rounds(tmp_path, url, rounds=("follow-up",), count=3)
    assert board.refresh_if_changed() is True
    assert "From baseline to follow-up" in _html(board.body)


def test_a_store_that_cannot_be_read_shows_what_to_check(tmp_path: Path) -> None:
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(b"this is not a database" * 100)
    board = AuditRounds(f"sqlite:///{broken}")
    html = _html(board.body)
    assert "cannot be read" in html and "Traceback" not in html


def test_each_change_is_read_in_words() -> None:
    from goalstudio.audit import Difference

    by_id = {m.id: m for m in HEADLINE_MEASURES}
    rate, share = by_id["language:per_1000"], by_id["criterion:outcomes"]
    assert reading(Difference(rate, 40.0, 10.0, -30.0, -40.0, -20.0)) == "Better"
    assert reading(Difference(share, 0.8, 0.4, -0.4, -0.6, -0.2)) == "Worse"
    assert reading(Difference(share, 0.4, 0.5, 0.1, -0.1, 0.3)).startswith("No clear change")
    assert reading(Difference(share, None, 0.5, None, None, None)).startswith("Cannot compare")


def test_a_records_file_put_back_from_a_backup_is_read_afresh(tmp_path: Path) -> None:
    served = tmp_path / "records.sqlite"
    url = f"sqlite:///{served}"
    board = AuditRounds(url)  # opens the empty store and keeps it
    assert "No data yet" in _html(board.body)
    backup = tmp_path / "backup"
    backup.mkdir()
    write_rounds(backup, f"sqlite:///{backup / 'records.sqlite'}", rounds=("baseline",), count=2)
    served.unlink()
    shutil.copyfile(backup / "records.sqlite", served)
    assert board.refresh_if_changed() is True
    assert "1 round, oldest first" in _html(board.body)
