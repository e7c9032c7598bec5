"""The records store's reports (what the dashboards and the course home read): rows from SQL
aggregates over the store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from goalstudio.records import CSV_COLUMNS, RecordStore, import_records
from goalstudio.records import reports as q
from goalstudio.rubric import CRITERIA, review
from tests._records_support import store_url  # noqa: F401 - the fixture

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def _verdicts(**given: str) -> dict[str, object]:
    return {"verdicts": {c: {"verdict": v} for c, v in given.items()}}


@pytest.fixture
def store(store_url: str) -> Iterator[RecordStore]:  # noqa: F811
    with RecordStore(store_url) as opened:
        yield opened


def _at(store: RecordStore, rows: list[dict[str, str]]) -> None:
    """Records at given times, through the store's CSV import (the only way to set a time)."""
    import csv
    import io
    import uuid

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(CSV_COLUMNS))
    writer.writeheader()
    for row in rows:
        writer.writerow({c: "" for c in CSV_COLUMNS} | {"record_id": str(uuid.uuid4())} | row)
    import_records(store, out.getvalue())


def test_the_reports_api_is_pinned() -> None:
    assert q.__all__ == [
        "IDLE_MINUTES",
        "ActivitySpan",
        "AnswerCount",
        "CheckAnswers",
        "Competence",
        "CriteriaRow",
        "Inactive",
        "LastSeen",
        "ModuleWork",
        "Phrase",
        "PhraseBoard",
        "PhraseDay",
        "RatingChange",
        "ReviewedPlan",
        "Submission",
        "VerdictCount",
        "Working",
        "activity_spans",
        "change_marker",
        "chart_item_profile",
        "check_answers",
        "competence",
        "criteria_matrix",
        "inactive",
        "json_text",
        "language_by_day",
        "language_phrases",
        "last_seen",
        "now_working",
        "overrides_in_force",
        "phrase_alternatives",
        "progress",
        "rating_change",
        "record_times",
        "reviewed_plans",
        "rubric_profile",
        "store_counts",
        "submissions",
        "verdict_expr",
    ]
    assert q.Submission._fields[-5:] == CRITERIA == q.CriteriaRow._fields[-5:]


def test_empty_store_gives_empty_reports(store: RecordStore) -> None:
    assert q.Working._fields == ("learner", "activity", "scenario", "module", "doing", "at")
    for rows in (
        q.now_working(store),
        q.submissions(store),
        q.criteria_matrix(store),
        q.check_answers(store),
        q.progress(store),
        q.last_seen(store),
        q.inactive(store, 7, now=NOW),
        q.competence(store),
        q.rating_change(store),
        q.language_phrases(store, now=NOW).phrases,
        q.language_phrases(store, now=NOW).by_day,
        q.overrides_in_force(store),
        q.reviewed_plans(store),
        q.rubric_profile(store),
        q.chart_item_profile(store),
    ):
        assert rows == []
    assert q.change_marker(store) == (0, 0, 0, 0, 0, 0)
    assert q.store_counts(store) == {"plans": 0, "self_ratings": 0, "reflections": 0, "events": 0}


def test_latest_attempt_per_activity_counts_and_verdicts_come_from_sql(store: RecordStore) -> None:
    store.add_attempt("sam", "a1", "old", _verdicts(outcomes="not_met", roles="not_met"))
    store.add_attempt("sam", "a1", "new", _verdicts(outcomes="met", roles="partly"), scenario="s1")
    store.add_attempt("sam", "a2", "x", _verdicts(outcomes="partly", roles="met"), scenario="s2")
    store.add_attempt("ana", "a1", "y", {"verdicts": {"outcomes": "not_met"}}, scenario="s1")
    store.add_attempt("ana", "spot", "z", {"found": []})  # not a plan review: left out
    subs = q.submissions(store)
    assert sorted((s.learner, s.activity) for s in subs) == [
        ("ana", "a1"),
        ("sam", "a1"),
        ("sam", "a2"),
    ]
    sam_a1 = next(s for s in subs if (s.learner, s.activity) == ("sam", "a1"))
    assert (sam_a1.outcomes, sam_a1.roles, sam_a1.own_words) == ("met", "partly", None)
    matrix = {row.learner: row for row in q.criteria_matrix(store)}
    assert matrix["sam"].outcomes == pytest.approx(0.75)  # met and partly
    assert matrix["sam"].roles == pytest.approx(0.75)
    assert matrix["ana"].outcomes == 0.0
    assert matrix["ana"].roles is None  # no review gave it a verdict
    assert matrix["sam"].reviewed == 2
    outcomes = {
        (r.scenario, r.verdict): r.times
        for r in q.rubric_profile(store)
        if r.criterion == "outcomes"
    }
    assert outcomes[("s1", "met")] == 1
    assert outcomes[("s1", "not_met")] == 1
    assert sum(outcomes.values()) == 3  # the replaced attempt is not counted


def test_real_rubric_reviews_feed_the_language_board_and_profile(store: RecordStore) -> None:
    text = (
        "Goal: Client to be compliant with medication and engage with services.\n"
        "  Objective: Client attends all appointments.\n"
        "    - Care co-ordinator: monitor mental state\n"
    )
    result = review(text)
    store.add_attempt("sam", "rewrite", text, result.to_dict(), scenario="priya")
    store.add_attempt("ana", "rewrite", text, result.to_dict(), scenario="priya")
    phrases = q.language_phrases(store, now=datetime.now(UTC)).phrases
    assert phrases
    top = phrases[0]
    assert top.learners == 2 and top.occurrences >= 2
    assert top.rule_id.startswith("language.")
    assert top.trend == "new"
    alternatives = q.phrase_alternatives(p.rule_id for p in phrases)
    assert alternatives and all(isinstance(v, str) and v for v in alternatives.values())
    verdicts = q.submissions(store)
    assert {s.outcomes for s in verdicts} <= {"met", "partly", "not_met"}


def test_progress_time_on_task_and_date_window(store: RecordStore) -> None:
    day = "2026-11-20T10:"
    _at(
        store,
        [
            {
                "kind": "event",
                "learner": "sam",
                "activity": "a1",
                "module": "1",
                "event": "started",
                "detail": "{}",
                "created_at": day + "00:00Z",
            },
            {
                "kind": "attempt",
                "learner": "sam",
                "activity": "a1",
                "module": "1",
                "text": "t",
                "detail": "{}",
                "created_at": day + "20:00Z",
            },
            {
                "kind": "event",
                "learner": "sam",
                "activity": "a1",
                "module": "1",
                "event": "completed",
                "detail": "{}",
                "created_at": day + "30:00Z",
            },
            # a day later: a gap longer than IDLE_MINUTES is a break, not work
            {
                "kind": "event",
                "learner": "sam",
                "activity": "a2",
                "module": "2",
                "event": "started",
                "detail": "{}",
                "created_at": "2026-11-21T08:00:00Z",
            },
            {
                "kind": "event",
                "learner": "sam",
                "activity": "a2",
                "module": "2",
                "event": "completed",
                "detail": "{}",
                "created_at": "2026-11-21T15:00:00Z",
            },
        ],
    )
    by_module = {row.module: row for row in q.progress(store)}
    assert by_module["1"].minutes == pytest.approx(30.0)
    assert by_module["2"].minutes == pytest.approx(0.0)  # 7 hours apart: a break
    assert (by_module["1"].started, by_module["1"].completed) == (1, 1)
    assert by_module["1"].attempts == 1
    assert by_module["1"].last_active == day + "30:00.000000Z"
    only_21st = q.progress(store, since="2026-11-21", until="2026-11-22")
    assert [row.module for row in only_21st] == ["2"]
    assert q.progress(store, since="2099-01-01") == []
    assert q.progress(store, learner="someone else") == []


def test_inactive_learners_longest_first(store: RecordStore) -> None:
    _at(
        store,
        [
            {
                "kind": "event",
                "learner": "old",
                "activity": "a",
                "event": "started",
                "detail": "{}",
                "created_at": (NOW - timedelta(days=12)).isoformat(),
            },
            {
                "kind": "event",
                "learner": "older",
                "activity": "a",
                "event": "started",
                "detail": "{}",
                "created_at": (NOW - timedelta(days=20)).isoformat(),
            },
            {
                "kind": "event",
                "learner": "recent",
                "activity": "a",
                "event": "started",
                "detail": "{}",
                "created_at": (NOW - timedelta(days=1)).isoformat(),
            },
        ],
    )
    out = q.inactive(store, 7, now=NOW)
    assert [(r.learner, r.days_inactive) for r in out] == [("older", 20.0), ("old", 12.0)]
    assert [r.learner for r in q.inactive(store, 15, now=NOW)] == ["older"]


def test_competence_pairs_ratings_with_demonstrated_scores(store: RecordStore) -> None:
    store.add_self_rating("sam", "pre", "A", 5)
    store.add_self_rating("sam", "pre", "B", 3)
    store.add_self_rating("sam", "post", "A", 3)
    store.add_attempt("sam", "a1", "t", _verdicts(outcomes="met", roles="not_met"))  # 0.5
    store.add_self_rating("ana", "pre", "A", 2)
    gap = {row.learner: row for row in q.competence(store)}
    assert gap["sam"].pre == 4.0
    assert gap["sam"].post == 3.0
    assert gap["sam"].demonstrated == pytest.approx(0.5)
    assert gap["sam"].demonstrated_1_5 == pytest.approx(3.0)
    assert gap["ana"].pre == 2.0
    assert (gap["ana"].post, gap["ana"].demonstrated, gap["ana"].demonstrated_1_5) == (None,) * 3
    change = {row.domain: row for row in q.rating_change(store)}
    assert change["A"].pre == pytest.approx(3.5)
    assert change["A"].post == 3.0
    assert (change["A"].pre_learners, change["A"].post_learners) == (2, 1)
    assert (change["B"].post, change["B"].post_learners) == (None, 0)


def test_chart_item_profile_counts_answers(store: RecordStore) -> None:
    items = {"co_production": {"answer": "yes"}, "advance_directives": {"answer": "no"}}
    store.add_attempt("sam", "chart", "t", {"kind": "chart_review", "items": items}, scenario="s")
    store.add_attempt("ana", "chart", "t", {"kind": "chart_review", "items": items}, scenario="s")
    store.add_attempt("ana", "plan", "t", _verdicts(outcomes="met"))
    assert q.chart_item_profile(store) == [
        ("advance_directives", "s", "no", 2),
        ("co_production", "s", "yes", 2),
    ]


def test_now_working_shows_each_learners_latest_step(store: RecordStore) -> None:
    store.add_event("sam", "a1", "started", scenario="priya")
    store.save_draft("sam", "a1", "Goal: draft", scenario="priya")
    store.add_event("ana", "a2", "hint_revealed")
    doing = {row.learner: row.doing for row in q.now_working(store)}
    assert doing == {"sam": "writing", "ana": "asked for a hint"}
    before = q.change_marker(store)
    store.add_attempt("ana", "a2", "x", {})
    assert q.change_marker(store) != before
    assert {row.learner: row.doing for row in q.now_working(store)}["ana"] == "submitted"


def test_the_latest_reviews_are_read_once_each_after_the_check(
    store: RecordStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A live board reads each latest review once: later reads take only the new attempts
    (a review the studio has checked never changes), and an unchecked one is read afresh."""
    from goalstudio.records import _latest

    chart = '{"kind": "chart_review", "items": {"co_production": {"answer": "yes"}}}'
    rows = [
        {
            "kind": "attempt",
            "learner": f"l{n}",
            "activity": "chart",
            "scenario": "s",
            "module": "1",
            "text": "t",
            "created_at": f"2026-11-2{k}T10:00:00Z",
            "detail": chart,
        }
        for n in range(30)
        for k in range(4)
    ]
    _at(store, rows)
    store.verify_reviews()
    read: list[int] = []  # every attempt read, from its kept brief or its review
    reviews: list[int] = []  # those read from the review itself
    make, of_review = _latest._make, _latest._brief_of

    def counting(attempt_id: int, *args: Any) -> _latest.Brief:
        read.append(attempt_id)
        return make(attempt_id, *args)

    def counting_reviews(row: Any) -> _latest.Brief:
        reviews.append(int(row[0]))
        return of_review(row)

    monkeypatch.setattr(_latest, "_make", counting)
    monkeypatch.setattr(_latest, "_brief_of", counting_reviews)
    assert q.chart_item_profile(store) == [("co_production", "s", "yes", 30)]
    assert len(read) == 30  # the latest of each learner's four
    assert reviews == []  # checked: from the briefs the check kept, not the reviews
    assert q.chart_item_profile(store) == [("co_production", "s", "yes", 30)]
    assert q.submissions(store) == [] and len(read) == 30  # nothing read again
    items = {"co_production": {"answer": "no"}}
    store.add_attempt("l0", "chart", "t", {"kind": "chart_review", "items": items}, scenario="s")
    expected = [("co_production", "s", "no", 1), ("co_production", "s", "yes", 29)]
    assert q.chart_item_profile(store) == expected and len(read) == 31
    assert q.chart_item_profile(store) == expected and len(read) == 32  # not checked yet
    assert len(reviews) == 2  # ... so read from its review, each time
    store.verify_reviews()
    assert q.chart_item_profile(store) == expected and len(read) == 33
    assert q.chart_item_profile(store) == expected and len(read) == 33


def test_progress_reads_again_only_the_learners_with_new_records(
    store: RecordStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    for who in ("ana", "bo", "cy"):
        store.add_event(who, "a1", "started", module="01")
    before = q.progress(store)
    asked: list[object] = []
    original = q._progress

    def counting(store_: RecordStore, learners: object, *window: object) -> object:
        asked.append(learners)
        return original(store_, learners, *window)  # type: ignore[arg-type]

    monkeypatch.setattr(q, "_progress", counting)
    assert q.progress(store) == before and asked == []
    store.add_event("bo", "a1", "completed", module="01")
    after = q.progress(store)
    assert asked == [["bo"]]
    assert [(r.learner, r.completed) for r in after] == [("ana", 0), ("bo", 1), ("cy", 0)]
    assert after == original(store, None, None, None)  # the same as reading everything


def test_language_board_dates_findings_as_the_attempts_do(store: RecordStore) -> None:
    """The board dates findings from their own column; the days and counts are those of the
    attempts the findings came from (the join the board used before schema version 3)."""
    from sqlalchemy import func, select

    from goalstudio.records import _schema as s
    from goalstudio.widgets.dashboards import fill_sample_store

    fill_sample_store(store, learners=12, activities=6, attempts=3, seed=5, now=NOW, days=21)
    board = q.language_phrases(store, now=NOW)
    assert len(board.phrases) > 3
    assert sum(p.recent for p in board.phrases) > 0 and sum(p.before for p in board.phrases) > 0
    phrases = [p.phrase for p in board.phrases]
    f, a = s.findings, s.attempts
    day = func.substr(a.c.submitted_at, 1, 10)
    joined = (
        select(f.c.phrase, day.label("day"), func.count())
        .join(a, a.c.id == f.c.attempt_id)
        .where(f.c.phrase.in_(phrases))
        .group_by(f.c.phrase, day)
        .order_by(day, f.c.phrase)
    )
    with store._engine.connect() as conn:
        expected = [tuple(r) for r in conn.execute(joined)]
    assert len({d.day for d in board.by_day}) > 5
    assert [tuple(r) for r in board.by_day] == expected
    assert q.language_by_day(store, phrases) == board.by_day
    # The recent/before split adds up to the dated counts inside the two windows.
    cut = (NOW - timedelta(days=7)).strftime("%Y-%m-%d")
    recent = {p: 0 for p in phrases}
    for phrase, stamp, count in expected:
        if stamp >= cut:
            recent[phrase] += count
    assert {p.phrase: p.recent for p in board.phrases} == recent


def test_course_home_and_dashboards_share_completed_and_time_on_task(store: RecordStore) -> None:
    """The same records read the same on the learner's course home and the facilitator's
    dashboards: module 03 is completed (its reflection saved), and ten minutes of work is ten
    minutes on task (it read as about one)."""
    from goalstudio.courseware.manifest import course_progress

    def event(kind: str, activity: str, minute: int) -> dict[str, str]:
        return {
            "kind": "event",
            "learner": "robin",
            "activity": activity,
            "module": "03",
            "event": kind,
            "detail": "{}",
            "created_at": f"2026-11-20T10:{minute:02d}:00Z",
        }

    _at(
        store,
        [
            event("started", "language-spotter", 0),
            event("completed", "language-spotter", 3),
            event("started", "plan-rewriter", 4),
            {
                "kind": "attempt",
                "learner": "robin",
                "activity": "plan-rewriter",
                "module": "03",
                "text": "t",
                "detail": "{}",
                "created_at": "2026-11-20T10:08:00Z",
            },
            {
                "kind": "reflection",
                "learner": "robin",
                "activity": "reflection-03",
                "module": "03",
                "text": "Outcomes first.",
                "detail": "{}",
                "created_at": "2026-11-20T10:10:00Z",
            },
        ],
    )
    home = course_progress(store, "robin")
    module = next(m for m in home.modules if m.id == "03")
    assert module.status == "completed" and home.completed == 1
    assert module.minutes_on_task == pytest.approx(10.0)
    (board,) = q.progress(store)
    assert (board.learner, board.module, board.module_completed) == ("robin", "03", 1)
    assert board.completed == 2  # the spotter and the reflection
    assert board.minutes == pytest.approx(module.minutes_on_task)
    assert module.last_active == board.last_active == "2026-11-20T10:10:00.000000Z"


def test_check_answers_count_first_and_any_answers_in_the_database(store: RecordStore) -> None:
    for learner, answers in {"ana": "ac", "bo": "a", "cy": "bcc"}.items():
        for n, key in enumerate(answers, start=1):
            store.add_event(
                learner,
                "concept-check-03-outputs",
                "check_answered",
                {"check": "03-outputs", "answer": key, "correct": key == "c", "try": n},
                module="03",
            )
    store.add_event(
        "ana", "concept-check-06-asking", "check_answered", {"check": "06-asking", "answer": "b"}
    )
    store.add_event("ana", "plan-rewriter", "hint_revealed", {"answer": "z"})
    assert [row._asdict() for row in q.check_answers(store)] == [
        {"check": "03-outputs", "answer": "a", "first": 2, "chosen": 2},
        {"check": "03-outputs", "answer": "b", "first": 1, "chosen": 1},
        {"check": "03-outputs", "answer": "c", "first": 0, "chosen": 2},
        {"check": "06-asking", "answer": "b", "first": 1, "chosen": 1},
    ]
