"""The dashboards show the reviews the studio computed from the submitted text, not whatever a
learner's kernel wrote (issue 15 §5): ``RecordStore.verify_reviews``."""

from __future__ import annotations

import io
import json
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from goalstudio.hub import database as hub
from goalstudio.records import RecordStore, ReviewCheck, score_from_review
from goalstudio.records import reports as q
from goalstudio.rubric import CRITERIA, review
from goalstudio.scenarios import load
from tests._postgres_admin import LEARNERS, admin_url  # noqa: F401 - the fixture
from tests._records_support import store_url  # noqa: F401 - the fixture

SCENARIO = "bernie-cmht-allotment"
ALL_MET = {c: {"verdict": "met"} for c in CRITERIA}


@pytest.fixture
def store(store_url: str) -> Iterator[RecordStore]:  # noqa: F811
    with RecordStore(store_url) as opened:
        yield opened


def _studio(plan: str) -> dict[str, object]:
    case = load(SCENARIO)
    return review(plan, case.locale, case).to_dict()


def _forge(store: RecordStore, learner: str) -> tuple[str, dict[str, object]]:
    """A deficit-led plan submitted with every verdict "met", no language flagged and a full
    score, as a learner's own kernel could write it; returns the record id and the truth."""
    plan = load(SCENARIO).deficit_plan
    forged = {"locale": "en-GB", "verdicts": ALL_MET, "findings": [], "language": []}
    attempt = store.add_attempt(learner, "m3-rewrite", plan, forged, scenario=SCENARIO, score=1.0)
    return attempt.record_id, _studio(plan)


def test_forged_verdicts_give_way_to_the_studios_review(store: RecordStore) -> None:
    record_id, truth = _forge(store, "sam")
    assert {getattr(q.submissions(store)[0], c) for c in CRITERIA} == {"met"}  # before the check

    assert store.verify_reviews() == ReviewCheck(checked=1, changed=1)

    row = q.submissions(store)[0]
    verdicts = truth["verdicts"]
    assert isinstance(verdicts, dict)
    assert {c: getattr(row, c) for c in CRITERIA} == {c: verdicts[c]["verdict"] for c in CRITERIA}
    assert "met" not in {row.outcomes, row.roles}  # the plan is deficit-led
    assert row.score == pytest.approx(score_from_review(truth))
    profile = {(r.criterion, r.verdict): r.times for r in q.rubric_profile(store)}
    assert profile.get(("outcomes", "met"), 0) == 0
    # The language the kernel hid is counted again, from the findings the studio made.
    phrases = q.language_phrases(store, now=datetime.now(UTC)).phrases
    assert len(phrases) == len({f["quote"].casefold() for f in truth["language"]})  # type: ignore[union-attr]
    assert store.get_attempt(record_id).review == truth


def test_an_honest_attempt_is_left_as_it_was_and_each_attempt_is_checked_once(
    store: RecordStore,
) -> None:
    plan = load(SCENARIO).model_rewrite
    honest = store.add_attempt("ana", "m3-rewrite", plan, _studio(plan), scenario=SCENARIO)
    before = store.get_attempt(honest.record_id)
    assert store.verify_reviews() == ReviewCheck(checked=1, changed=0)
    assert store.get_attempt(honest.record_id) == before
    assert store.verify_reviews() == ReviewCheck(checked=0, changed=0)
    _forge(store, "sam")  # only the new attempt is read
    assert store.verify_reviews() == ReviewCheck(checked=1, changed=1)
    assert store.verify_reviews() == ReviewCheck(checked=0, changed=0)


def test_other_activities_stay_and_unreadable_plan_text_loses_its_verdicts(
    store: RecordStore,
) -> None:
    chart = {"kind": "chart_review", "items": {"goal": {"answer": "yes"}}, "changed": []}
    kept = store.add_attempt("ana", "m7-chart-review", "a chart", chart, scenario=SCENARIO)
    store.add_attempt("sam", "m3-rewrite", "not a plan at all", {"verdicts": ALL_MET})
    # Only plan reviews have findings: language "found" in another activity is not counted.
    planted = {"kind": "discovery", "language": [{"criterion": "language", "quote": "the client"}]}
    store.add_attempt("bo", "m2-discovery", "goals", planted, scenario=SCENARIO)
    assert q.language_phrases(store, now=datetime.now(UTC)).phrases
    assert store.verify_reviews() == ReviewCheck(checked=3, changed=1)
    assert q.language_phrases(store, now=datetime.now(UTC)).phrases == []
    assert store.get_attempt(kept.record_id).review == chart
    assert q.submissions(store) == []  # the forged plan is no longer counted as reviewed
    assert q.store_counts(store)["plans"] == 0


def test_a_dashboard_checks_the_reviews_before_it_reads(store: RecordStore) -> None:
    from goalstudio.widgets.dashboards import RubricProfile

    record_id, truth = _forge(store, "sam")
    RubricProfile(store.url)
    assert store.get_attempt(record_id).review == truth


def test_imported_attempts_are_checked_too(store: RecordStore, tmp_path: Path) -> None:
    from goalstudio.records import export_csv, import_records

    _forge(store, "sam")
    exported = io.StringIO()
    export_csv(store, exported)
    with RecordStore(f"sqlite:///{tmp_path / 'copy.sqlite'}") as copy:
        import_records(copy, exported.getvalue())
        assert copy.verify_reviews() == ReviewCheck(checked=1, changed=1)
        assert q.submissions(copy)[0].outcomes != "met"


@pytest.mark.postgres
def _briefs(url: str) -> dict[int, str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT attempt_id, brief FROM review_checks"))
            return {int(i): str(b) for i, b in rows}
    finally:
        engine.dispose()


def _dashboard_reads(store: RecordStore) -> tuple[object, ...]:
    """What the dashboards read of the latest attempts (each of these reads their briefs)."""
    return (
        q.submissions(store),
        q.criteria_matrix(store),
        q.rubric_profile(store),
        q.chart_item_profile(store),
    )


def _mixed_store(store: RecordStore) -> tuple[str, str]:
    """A forged plan, an honest one and a chart review, checked; their record ids."""
    forged, _truth = _forge(store, "sam")
    plan = load(SCENARIO).model_rewrite
    store.add_attempt("ana", "m3-rewrite", plan, _studio(plan), scenario=SCENARIO)
    chart = {"kind": "chart_review", "items": {"goal": {"answer": "yes"}, "risk": {"answer": "no"}}}
    kept = store.add_attempt("bo", "m7-chart-review", "a chart", chart, scenario=SCENARIO)
    assert store.verify_reviews() == ReviewCheck(checked=3, changed=1)
    return forged, kept.record_id


def test_the_check_keeps_the_brief_of_the_review_that_stands(
    store: RecordStore,
    store_url: str,  # noqa: F811
) -> None:
    from goalstudio.records import _brief

    forged, chart = _mixed_store(store)
    briefs = [_brief.decode(b) for b in _briefs(store_url).values()]
    by_record = {d[0][4]: d for d in briefs if d is not None}
    assert len(by_record) == 3  # every checked attempt has a brief that reads
    fields, verdicts, answers = by_record[forged]
    attempt = store.get_attempt(forged)
    assert fields == [
        "sam",
        "m3-rewrite",
        SCENARIO,
        attempt.module,
        forged,
        attempt.submitted_at,
        pytest.approx(attempt.score),
    ]
    truth = attempt.review["verdicts"]
    # The studio's verdicts, not the "met" the learner's kernel wrote.
    assert verdicts == {c: truth[c]["verdict"] for c in CRITERIA} != dict.fromkeys(CRITERIA, "met")
    assert answers is None
    assert by_record[chart][1:] == ({}, [["goal", "yes"], ["risk", "no"]])


def test_an_older_store_gets_the_briefs_of_its_checked_attempts_when_upgraded(
    store_url: str,  # noqa: F811
) -> None:
    with RecordStore(store_url) as store:
        _mixed_store(store)
        store.add_attempt("cy", "m3-rewrite", "not checked yet", {"verdicts": ALL_MET})
        read = _dashboard_reads(store)
    kept = _briefs(store_url)
    engine = create_engine(store_url)  # back to schema version 6, as it was before briefs
    try:
        with engine.begin() as conn:
            conn.execute(text("ALTER TABLE review_checks DROP COLUMN brief"))
            conn.execute(text("UPDATE schema_version SET version = 6"))
    finally:
        engine.dispose()
    with RecordStore(store_url) as store:
        assert _briefs(store_url) == kept  # the upgrade wrote the same briefs the check did
        assert _dashboard_reads(store) == read
        assert store.verify_reviews() == ReviewCheck(checked=1, changed=1)


def test_a_brief_that_cannot_be_read_is_read_from_the_review_instead(
    store_url: str,  # noqa: F811
) -> None:
    with RecordStore(store_url) as store:
        _mixed_store(store)
        read = _dashboard_reads(store)
    engine = create_engine(store_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE review_checks SET brief = '[\"not a brief\"]'"))
    finally:
        engine.dispose()
    with RecordStore(store_url) as store:  # a new store: nothing read yet
        assert _dashboard_reads(store) == read


def test_on_the_hub_learners_cannot_touch_the_check(admin_url: str) -> None:  # noqa: F811
    hub.secure_records_database(admin_url)
    key = secrets.token_bytes(32)
    name = LEARNERS[0]
    learner = hub.provision_records_role(admin_url, name, facilitator=False, secret=key)
    facilitator = hub.provision_records_role(admin_url, LEARNERS[3], facilitator=True, secret=key)
    with RecordStore(learner) as store:
        record_id, truth = _forge(store, name)
        with pytest.raises(Exception, match="permission denied"):
            store.verify_reviews()  # a learner's kernel cannot mark its own review checked
    engine = create_engine(learner)
    try:
        for sql in (
            "SELECT count(*) FROM review_checks",
            "INSERT INTO review_checks (attempt_id, outcome, checked_at, submitted_review) "
            "SELECT id, 'confirmed', '', '' FROM attempts",
            # nor write the brief the dashboards read in place of the review
            "UPDATE review_checks SET brief = '[]'",
            "UPDATE attempts SET review = '{}'",
        ):
            with engine.connect() as conn, pytest.raises(Exception, match="permission denied"):
                conn.execute(text(sql))
    finally:
        engine.dispose()
    with RecordStore(facilitator) as store:
        assert store.verify_reviews() == ReviewCheck(checked=1, changed=1)
        assert store.get_attempt(record_id).review == truth
    with RecordStore(learner) as store:  # the learner reads the studio's review of their plan
        assert store.get_attempt(record_id).review == truth
    engine = create_engine(admin_url)
    try:
        with engine.connect() as conn:
            kept = conn.execute(text("SELECT submitted_review FROM review_checks")).scalar_one()
        assert json.loads(kept)["verdicts"] == ALL_MET  # the kernel's claim stays on record
    finally:
        engine.dispose()
