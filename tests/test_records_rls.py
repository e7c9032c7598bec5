"""Row-level security on the shared PostgreSQL records (issue 15 §5): a learner cannot attach
a finding to another learner's attempt, although the foreign key alone would let them."""

from __future__ import annotations

import secrets

import pytest
from sqlalchemy import create_engine, text

from goalstudio.hub import database as hub
from goalstudio.records import RecordStore
from tests._postgres_admin import LEARNERS, admin_url

__all__ = ["admin_url"]  # the fixture, imported for pytest

pytestmark = pytest.mark.postgres


def test_a_learner_cannot_attach_a_finding_to_another_learners_attempt(admin_url: str) -> None:
    hub.secure_records_database(admin_url)
    key = secrets.token_bytes(32)
    ana_name, bo_name = LEARNERS[:2]
    ana = hub.provision_records_role(admin_url, ana_name, facilitator=False, secret=key)
    bo = hub.provision_records_role(admin_url, bo_name, facilitator=False, secret=key)
    with RecordStore(bo) as store:
        store.add_attempt(bo_name, "m3", "Goal: Bo's plan", {"findings": []})
    with RecordStore(ana) as store:
        store.add_attempt(ana_name, "m3", "Goal: Ana's plan", {"findings": []})
    engine = create_engine(ana)
    try:
        with engine.connect() as conn:
            own = conn.execute(text("SELECT id FROM attempts")).scalars().all()
        assert len(own) == 1  # Ana sees only her own attempt
        with engine.connect() as conn:
            owner_of = create_engine(admin_url)
            try:
                with owner_of.connect() as admin:
                    bos = admin.execute(
                        text("SELECT id FROM attempts WHERE learner = :bo"), {"bo": bo_name}
                    ).scalar_one()
            finally:
                owner_of.dispose()
            insert = text(
                "INSERT INTO findings (attempt_id, learner, activity, module, rule_id, "
                "criterion, severity, phrase) VALUES (:a, :ana, 'm3', '', 'x', 'outcomes', "
                "'warning', '')"
            )
            with pytest.raises(Exception, match="row-level security"):
                conn.execute(insert, {"a": bos, "ana": ana_name})
            conn.rollback()
            conn.execute(insert, {"a": own[0], "ana": ana_name})  # her own attempt: allowed
            conn.commit()
        # Once the studio has checked the attempt's review, no more findings can be added to
        # it: the language board would count them as the studio's.
        owner_of = create_engine(admin_url)
        try:
            with owner_of.begin() as admin:
                admin.execute(
                    text(
                        "INSERT INTO review_checks (attempt_id, outcome, checked_at, "
                        "submitted_review) VALUES (:a, 'confirmed', '2026-12-06T00:00:00Z', '')"
                    ),
                    {"a": own[0]},
                )
        finally:
            owner_of.dispose()
        with engine.connect() as conn:
            with pytest.raises(Exception, match="row-level security"):
                conn.execute(insert, {"a": own[0], "ana": ana_name})
            conn.rollback()
    finally:
        engine.dispose()


def test_only_facilitators_can_read_or_write_the_teams_audits(admin_url: str) -> None:
    hub.secure_records_database(admin_url)
    with RecordStore(admin_url) as store:
        plan = {"digest": "a" * 64, "source": "p.txt", "kind": "plan", "read": "full"}
        store.add_audit_plans("baseline", [{**plan, "words": 300, "summary": {}}])
    key = secrets.token_bytes(32)
    learner = hub.provision_records_role(admin_url, LEARNERS[2], facilitator=False, secret=key)
    facilitator = hub.provision_records_role(admin_url, LEARNERS[3], facilitator=True, secret=key)
    for table in ("audit_rounds", "audit_plans"):
        engine = create_engine(learner)
        try:
            with engine.connect() as conn, pytest.raises(Exception, match="permission denied"):
                conn.execute(text(f"SELECT count(*) FROM {table}"))
        finally:
            engine.dispose()
    with RecordStore(facilitator) as store:
        assert [r.plans for r in store.audit_rounds()] == [1]
        assert store.audit_plans("baseline")[0].source == "p.txt"
