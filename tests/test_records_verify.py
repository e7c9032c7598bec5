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
