"""A facilitator's override of a rubric verdict: recorded beside the verdict (schema version 4),
read back, counted by the rubric profile, and made from the command line or the dashboard.

The store tests run against SQLite and (when a server is available) PostgreSQL.
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text

from goalstudio import cli
from goalstudio.records import (
    SCHEMA_VERSION,
    Override,
    RecordInputError,
    RecordNotFound,
    RecordStore,
)
from goalstudio.records import reports as q
from goalstudio.rubric import CRITERIA
from tests._postgres_admin import admin_url
from tests._records_support import store_url

__all__ = ["admin_url", "store_url"]  # the fixtures, imported for pytest


def _review(**verdicts: str) -> dict[str, Any]:
    every = dict.fromkeys(CRITERIA, "partly") | verdicts
    return {"verdicts": {c: {"criterion": c, "verdict": v} for c, v in every.items()}}


def test_the_store_checks_criteria_without_loading_the_rubric() -> None:
    # The store takes the criteria from the shared vocabulary, not from the rubric's engine.
    code = "import sys, goalstudio.records; print('goalstudio.rubric' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


def test_an_override_is_kept_beside_the_verdict_and_the_latest_counts(store_url: str) -> None:
    with RecordStore(store_url) as store:
        attempt = store.add_attempt(
            "sam", "plan-rewriter", "Goal: ...", _review(outcomes="not_met"), scenario="bernie"
        )
        first = store.add_override(
            attempt.record_id, "outcomes", "partly", "the goal is hers, said plainly", by="Ana"
        )
        assert isinstance(first, Override)
        assert (first.rubric_verdict, first.verdict, first.by) == ("not_met", "partly", "Ana")
        assert (first.learner, first.activity, first.scenario) == ("sam", "plan-rewriter", "bernie")
        second = store.add_override(attempt.record_id, "outcomes", "met", "on reflection", by="Jo")
        store.add_override(attempt.record_id, "roles", "met", "Bernie's own steps", by="Ana")
        # The review itself is never changed.
        assert store.get_attempt(attempt.record_id).review == attempt.review
        every = store.get_overrides(attempt.record_id)
        assert [(o.criterion, o.verdict) for o in every] == [
            ("outcomes", "partly"),
            ("outcomes", "met"),
            ("roles", "met"),
        ]
        assert every[1] == second and every[1].reason == "on reflection"
        latest = store.get_overrides(learner="sam", latest_only=True)
        assert [(o.criterion, o.verdict, o.by) for o in latest] == [
            ("outcomes", "met", "Jo"),
            ("roles", "met", "Ana"),
        ]
        assert store.get_overrides(learner="someone else") == []


def test_a_bad_override_is_refused_with_what_to_fix(store_url: str) -> None:
    with RecordStore(store_url) as store:
        attempt = store.add_attempt("sam", "plan-rewriter", "Goal: ...", _review())
        chart = store.add_attempt("sam", "chart-review", "plan", {"kind": "chart_review"})
        good = {"reason": "why", "by": "Ana"}
        with pytest.raises(RecordInputError, match="criterion must be one of outcomes"):
            store.add_override(attempt.record_id, "language", "met", **good)
        with pytest.raises(RecordInputError, match="verdict must be met, partly or not_met"):
            store.add_override(attempt.record_id, "roles", "good", **good)
        with pytest.raises(RecordInputError, match="reason must say why"):
            store.add_override(attempt.record_id, "roles", "met", " ", by="Ana")
        with pytest.raises(RecordInputError, match="facilitator's name"):
            store.add_override(attempt.record_id, "roles", "met", "why", by="")
        with pytest.raises(RecordNotFound, match="no-such-attempt"):
            store.add_override("no-such-attempt", "roles", "met", **good)
        with pytest.raises(RecordInputError, match="no rubric verdict for 'roles'"):
            store.add_override(chart.record_id, "roles", "met", **good)
        assert store.get_overrides() == []


def test_a_version_3_store_gains_the_overrides_table(store_url: str) -> None:
    with RecordStore(store_url) as store:
        kept = store.add_attempt("sam", "plan-rewriter", "Goal: old plan", _review())
    engine = create_engine(store_url)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE overrides"))
        # Tables of later versions go too, so the store looks as version 3 left it.
        conn.execute(text("DROP TABLE audit_plans"))
        conn.execute(text("DROP TABLE audit_rounds"))
        conn.execute(text("UPDATE schema_version SET version = 3"))
    engine.dispose()
    with RecordStore(store_url) as store:
        with store._engine.connect() as conn:
            assert "overrides" in inspect(conn).get_table_names()
            version = conn.exec_driver_sql("SELECT version FROM schema_version").scalar()
        assert version == SCHEMA_VERSION >= 4
        assert store.get_attempt(kept.record_id).text == "Goal: old plan"
        store.add_override(kept.record_id, "roles", "met", "fine as it is", by="Ana")
        assert len(store.get_overrides()) == 1


# -- the rubric profile ------------------------------------------------------------------------


def test_the_rubric_profile_counts_the_facilitators_verdict(store_url: str) -> None:
    with RecordStore(store_url) as store:
        old = store.add_attempt("sam", "plan", "v1", _review(outcomes="not_met"), scenario="b")
        store.add_override(old.record_id, "outcomes", "met", "an older attempt", by="Ana")
        new = store.add_attempt("sam", "plan", "v2", _review(outcomes="not_met"), scenario="b")
        store.add_attempt("kai", "plan", "v1", _review(outcomes="not_met"), scenario="b")
        store.add_override(new.record_id, "outcomes", "partly", "first thought", by="Ana")
        store.add_override(new.record_id, "outcomes", "met", "second thought", by="Ana")

        def outcomes(profile: list[q.VerdictCount]) -> dict[str, int]:
            return {r.verdict: r.times for r in profile if r.criterion == "outcomes"}

        assert outcomes(q.rubric_profile(store, with_overrides=False)) == {"not_met": 2}
        assert outcomes(q.rubric_profile(store)) == {"met": 1, "not_met": 1}
        # The workshop board's matrix credits the facilitator's verdict too.
        matrix = {r.learner: r.outcomes for r in q.criteria_matrix(store)}
        assert matrix == {"kai": 0.0, "sam": 1.0}
        plain = q.criteria_matrix(store, with_overrides=False)
        assert {r.learner: r.outcomes for r in plain} == {"kai": 0.0, "sam": 0.0}
        plans = q.reviewed_plans(store)  # what the dashboard offers to override
        assert [(p.learner, p.record_id) for p in plans] == [
            ("kai", plans[0].record_id),
            ("sam", new.record_id),
        ]
        assert q.reviewed_plans(store, "elsewhere") == []
        # Only the latest override of each learner's latest attempt is in force.
        force = q.overrides_in_force(store)
        assert [(o.learner, o.criterion, o.rubric_verdict, o.verdict, o.reason) for o in force] == [
            ("sam", "outcomes", "not_met", "met", "second thought")
        ]
        assert [o.attempt_record_id for o in force] == [new.record_id]


def test_the_dashboard_records_an_override_and_shows_it(tmp_path) -> None:
    from goalstudio.rubric import review
    from goalstudio.scenarios import load
    from goalstudio.widgets.dashboards import RubricProfile

    url = f"sqlite:///{tmp_path / 'records.sqlite'}"
    # A real plan with the studio's review: the dashboard checks reviews against the text.
    plan = load("bernie-cmht-allotment").deficit_plan
    honest = review(plan).to_dict()
    assert honest["verdicts"]["roles"]["verdict"] == "not_met"
    with RecordStore(url) as store:
        attempt = store.add_attempt("sam <b>", "plan-rewriter", plan, honest, scenario="bernie")
    board = RubricProfile(url)
    form = board.override_form
    assert form.learner.options == ("sam <b>",)
    assert form.attempt.options == (("plan-rewriter (bernie)", attempt.record_id),)
    form.criterion.value = "roles"
    form.verdict.value = "met"
    form.by.value = "Ana"
    form.reason.value = ""
    assert form.record() is None and "reason must say why" in form.message.value
    form.reason.value = "Bernie's steps are <i>hers</i>"
    done = form.record()
    assert done is not None and done.verdict == "met" and done.rubric_verdict == "not_met"
    assert "Recorded: Roles for sam &lt;b&gt; is Met" in form.message.value
    board.refresh()
    shown = "".join(getattr(c, "value", "") for c in board.body.children)
    assert "1 verdict overridden by facilitators" in shown
    assert "Bernie&#x27;s steps are &lt;i&gt;hers&lt;/i&gt;" in shown and "<i>hers" not in shown
    assert "sam &lt;b&gt;" in shown


# -- the command line --------------------------------------------------------------------------


def test_the_command_line_records_and_lists_overrides(tmp_path, capsys) -> None:
    url = f"sqlite:///{tmp_path / 'records.sqlite'}"
    with RecordStore(url) as store:
        store.add_attempt("sam", "plan-rewriter", "v1", _review(own_words="partly"))
        latest = store.add_attempt("sam", "plan-rewriter", "v2", _review(own_words="partly"))
    argv = ["records", "override", "--url", url, "--learner", "sam", "--activity"]
    code = cli.main(
        [*argv, "plan-rewriter", "--criterion", "own_words", "--verdict", "met",
         "--reason", "the quote is hers", "--by", "Ana"]
    )  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "own_words for sam (plan-rewriter) is met, by Ana; the rubric said partly" in out
    with RecordStore(url) as store:
        assert [o.attempt_record_id for o in store.get_overrides()] == [latest.record_id]
    assert cli.main(["records", "overrides", "--url", url]) == 0
    out, _err = capsys.readouterr()
    assert "sam  plan-rewriter  own_words: partly -> met  by Ana: the quote is hers" in out
    code = cli.main(
        [*argv, "chart-review", "--criterion", "roles", "--verdict", "met",
         "--reason", "x", "--by", "Ana"]
    )  # fmt: skip
    _out, err = capsys.readouterr()
    assert code != 0 and "sam has no attempt at chart-review" in err and "Traceback" not in err


# -- on a hub's secured PostgreSQL -------------------------------------------------------------


@pytest.mark.postgres
def test_on_a_hub_only_facilitators_read_and_write_overrides(admin_url: str) -> None:
    import secrets

    from goalstudio.hub import database as hub
    from tests._postgres_admin import postgres_port, psql

    hub.secure_records_database(admin_url)
    key = secrets.token_bytes(32)
    tag = secrets.token_hex(3)  # roles are server-wide: names of this test's own
    learner, facilitator = f"ana-ov-{tag}", f"jo-ov-{tag}"
    try:
        _hub_overrides(admin_url, key, learner, facilitator)
    finally:
        port = postgres_port()
        for name in (learner, facilitator):
            if port is not None:
                psql(
                    port,
                    f'DROP OWNED BY "{hub.db_role(name)}"; DROP ROLE IF EXISTS "{hub.db_role(name)}";',
                )


def _hub_overrides(admin_url: str, key: bytes, learner: str, facilitator: str) -> None:
    from goalstudio.hub import database as hub

    own = hub.provision_records_role(admin_url, learner, facilitator=False, secret=key)
    trainer = hub.provision_records_role(admin_url, facilitator, facilitator=True, secret=key)
    with RecordStore(own) as store:
        attempt = store.add_attempt(learner, "plan-rewriter", "Goal: mine", _review())
        with pytest.raises(Exception, match="permission denied"):
            store.add_override(attempt.record_id, "roles", "met", "my own say", by=learner)
    with RecordStore(trainer) as store:
        store.add_override(attempt.record_id, "roles", "met", "her steps are hers", by="Ana")
        assert [o.reason for o in q.overrides_in_force(store)] == ["her steps are hers"]
        assert q.change_marker(store)[-1] > 0
    engine = create_engine(own)
    try:
        with engine.connect() as conn, pytest.raises(Exception, match="permission denied"):
            conn.execute(text("SELECT * FROM overrides"))
    finally:
        engine.dispose()
