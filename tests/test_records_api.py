"""The records gateway: drafts, attempts, reflections, ratings, events and the dashboard queries.

Every test runs against SQLite and (when a server is available) PostgreSQL.
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel

import goalstudio.records as records
from goalstudio.records import (
    RecordInputError,
    RecordNotFound,
    RecordStore,
    normalise_phrase,
    score_from_review,
)
from tests._records_support import store_url

__all__ = ["store_url"]  # the fixture, imported for pytest


def test_public_api_is_pinned() -> None:
    # sorted the way ruff sorts __all__: constants, then classes, then functions
    assert records.__all__ == sorted(
        records.__all__, key=lambda n: (not n.isupper(), not n[0].isupper(), n)
    )
    assert records.__all__ == [
        "CSV_COLUMNS",
        "DEFAULT_HOME_PAGE",
        "EVENT_KINDS",
        "PHASES",
        "SCHEMA_VERSION",
        "Attempt",
        "AuditPlan",
        "AuditRound",
        "Draft",
        "Event",
        "EventKind",
        "FindingCount",
        "ImportSummary",
        "LatestReview",
        "LearnerProgress",
        "ModuleProgress",
        "Override",
        "Phase",
        "RatingPair",
        "RecordInputError",
        "RecordNotFound",
        "RecordStore",
        "RecordStoreCorrupt",
        "RecordStoreError",
        "RecordStoreTooNew",
        "RecordStoreUnavailable",
        "Reflection",
        "ReviewCheck",
        "SelfRating",
        "dumps_xapi",
        "export_csv",
        "export_xapi",
        "import_records",
        "is_web_address",
        "normalise_phrase",
        "score_from_review",
        "validate_statement",
    ]
    for name in records.__all__:
        assert hasattr(records, name), name


# -- drafts ----------------------------------------------------------------------------------------


def test_latest_draft_wins_and_history_is_kept(store_url: str) -> None:
    with RecordStore(store_url) as store:
        first = store.save_draft("sam", "m3-rewrite", "Goal: sing", scenario="priya")
        second = store.save_draft("sam", "m3-rewrite", "Goal: sing in the choir", scenario="priya")
        assert (first.version, second.version) == (1, 2)
        latest = store.get_draft("sam", "m3-rewrite", scenario="priya")
        assert latest.text == "Goal: sing in the choir"
        assert latest.version == 2
        assert store.get_draft("sam", "m3-rewrite", scenario="priya", version=1).text == (
            "Goal: sing"
        )
        history = store.draft_history("sam", "m3-rewrite", scenario="priya")
        assert [d.text for d in history] == ["Goal: sing", "Goal: sing in the choir"]
        assert history[0].saved_at <= history[1].saved_at


def test_saving_unchanged_text_adds_no_version(store_url: str) -> None:
    with RecordStore(store_url) as store:
        store.save_draft("sam", "a", "same")
        again = store.save_draft("sam", "a", "same")
        assert again.version == 1
        assert len(store.draft_history("sam", "a")) == 1
        store.save_draft("sam", "a", "changed")
        back = store.save_draft("sam", "a", "same")  # going back to older text is a new version
        assert back.version == 3


def test_drafts_are_keyed_by_learner_activity_and_scenario(store_url: str) -> None:
    with RecordStore(store_url) as store:
        store.save_draft("sam", "a", "sam's", scenario="s1")
        store.save_draft("kai", "a", "kai's", scenario="s1")
        store.save_draft("sam", "a", "other scenario", scenario="s2")
        store.save_draft("sam", "b", "other activity", scenario="s1")
        assert store.get_draft("sam", "a", scenario="s1").text == "sam's"
        assert store.get_draft("kai", "a", scenario="s1").text == "kai's"
        assert store.get_draft("sam", "a", scenario="s2").text == "other scenario"
        assert store.get_draft("sam", "b", scenario="s1").text == "other activity"


def test_drafts_survive_closing_and_reopening(store_url: str) -> None:
    with RecordStore(store_url) as store:
        store.save_draft("sam", "a", "still here after a restart")
    with RecordStore(store_url) as store:
        assert store.get_draft("sam", "a").text == "still here after a restart"


def test_missing_draft_names_the_key(store_url: str) -> None:
    with RecordStore(store_url) as store:
        with pytest.raises(RecordNotFound) as caught:
            store.get_draft("sam", "m3-rewrite", scenario="priya")
        message = str(caught.value)
        assert "learner='sam'" in message
        assert "activity='m3-rewrite'" in message
        assert "scenario='priya'" in message
        assert caught.value.key == {"learner": "sam", "activity": "m3-rewrite", "scenario": "priya"}
        assert isinstance(caught.value, KeyError)
        store.save_draft("sam", "m3-rewrite", "x", scenario="priya")
        with pytest.raises(RecordNotFound, match="version='7'"):
            store.get_draft("sam", "m3-rewrite", scenario="priya", version=7)
        with pytest.raises(RecordNotFound, match="record_id='nope'"):
            store.get_attempt("nope")


EXACT_TEXTS = {
    "empty": "",
    "one megabyte": ("Priya wants to sing in the choir by Christmas. ✓ " * 21_000)[:1_000_000],
    "NUL characters": "before\x00after\x00\x00",
    "lone surrogates": "broken paste \ud800 and \udfff and \udc80\ud800 end",
    "hostile HTML": "<script>alert('x')</script><img src=x onerror=alert(1)>&amp;&lt;\"'",
    "right to left and emoji": "אני רוצה לשיר 🎶 مرحبا \u202e reversed \u202c",
    "line endings": "one\r\ntwo\rthree\nfour\u2028five",
    "whitespace only": " \t\n ",
}


@pytest.mark.parametrize("text", EXACT_TEXTS.values(), ids=EXACT_TEXTS.keys())
def test_text_comes_back_exactly(store_url: str, text: str) -> None:
    with RecordStore(store_url) as store:
        store.save_draft("sam", "a", text)
        attempt = store.add_attempt("sam", "a", text, {"findings": [], "note": text})
        store.add_reflection("sam", "a", text)
    with RecordStore(store_url) as store:
        assert store.get_draft("sam", "a").text == text
        (stored,) = store.get_attempts("sam")
        assert stored.text == text
        assert stored.review["note"] == text
        assert stored == attempt
        assert store.get_reflections("sam")[0].text == text


@pytest.mark.parametrize(
    ("field", "kwargs", "fix"),
    [
        ("learner", {"learner": ""}, "must not be empty"),
        ("learner", {"learner": "   "}, "must not be empty"),
        ("activity", {"activity": ""}, "must not be empty"),
        ("learner", {"learner": "sa\x00m"}, "cannot be stored"),
        ("scenario", {"scenario": "s\udc80"}, "cannot be stored"),
        ("learner", {"learner": "x" * 201}, "the limit is 200"),
        ("text", {"text": b"bytes"}, "must be text"),
    ],
)
def test_bad_keys_are_refused_with_the_field_named(
    store_url: str, field: str, kwargs: dict[str, Any], fix: str
) -> None:
    values: dict[str, Any] = {"learner": "sam", "activity": "a", "text": "t", "scenario": ""}
    values.update(kwargs)
    with RecordStore(store_url) as store:
        with pytest.raises(RecordInputError, match=fix) as caught:
            store.save_draft(
                values["learner"], values["activity"], values["text"], scenario=values["scenario"]
            )
        assert field in str(caught.value)
        assert store.draft_history("sam", "a") == []


# -- attempts and other records ----------------------------------------------------------------------


def test_attempt_keeps_plan_text_and_review(store_url: str) -> None:
    review = {
        "verdicts": {"outcomes": "met", "own_words": "partly", "roles": "not_met"},
        "findings": [{"rule_id": "language.noncompliant", "phrase": "Non-compliant"}],
    }
    with RecordStore(store_url) as store:
        attempt = store.add_attempt(
            "sam", "m3-rewrite", "Goal: sing", review, scenario="priya", module="3"
        )
        assert attempt.score == pytest.approx(0.5)
        assert store.get_attempt(attempt.record_id) == attempt
        assert attempt.review == review
        assert attempt.module == "3"


def test_review_may_be_a_pydantic_model(store_url: str) -> None:
    class Finding(BaseModel):
        rule_id: str
        phrase: str

    class Review(BaseModel):
        findings: list[Finding]
        score: float

    with RecordStore(store_url) as store:
        attempt = store.add_attempt(
            "sam", "a", "text", Review(findings=[Finding(rule_id="r", phrase="Addict")], score=0.25)
        )
        assert attempt.review == {"findings": [{"rule_id": "r", "phrase": "Addict"}], "score": 0.25}
        assert attempt.score == 0.25
        assert store.language_finding_counts()[0].phrase == "addict"


def test_score_from_review() -> None:
    assert score_from_review({"score": 0.8}) == 0.8
    assert score_from_review({"verdicts": {"a": "met", "b": "not_met"}}) == 0.5
    assert score_from_review(
        {
            "verdicts": [
                {"criterion": "a", "verdict": "partly"},
                {"criterion": "b", "verdict": "met"},
            ]
        }
    ) == pytest.approx(0.75)
    assert score_from_review({"verdicts": {}}) is None
    assert score_from_review({}) is None


@pytest.mark.parametrize("score", [1.5, -0.1, float("nan"), True, "high"])
def test_bad_scores_are_refused(store_url: str, score: Any) -> None:
    with RecordStore(store_url) as store:
        with pytest.raises(RecordInputError, match="score"):
            store.add_attempt("sam", "a", "text", {}, score=score)
        assert store.get_attempts("sam") == []


def test_review_that_is_not_json_is_refused(store_url: str) -> None:
    with RecordStore(store_url) as store:
        with pytest.raises(RecordInputError, match="review"):
            store.add_attempt("sam", "a", "text", {"when": object()})
        with pytest.raises(RecordInputError, match="review"):
            store.add_attempt("sam", "a", "text", ["not", "a", "mapping"])
        assert store.get_attempts("sam") == []


def test_reflections_ratings_and_events(store_url: str) -> None:
    with RecordStore(store_url) as store:
        store.add_reflection("sam", "m2", "I asked what a good day looks like.", module="2")
        store.add_self_rating("sam", "pre", "A", 2)
        store.add_self_rating("sam", "post", "A", 4)
        for kind in records.EVENT_KINDS:
            store.add_event("sam", "m6-risk", kind, {"node": "n1"}, module="6")
        assert [r.text for r in store.get_reflections("sam")] == [
            "I asked what a good day looks like."
        ]
        assert [(r.phase, r.rating) for r in store.get_self_ratings("sam")] == [
            ("pre", 2),
            ("post", 4),
        ]
        events = store.get_events("sam", "m6-risk")
        assert [e.kind for e in events] == list(records.EVENT_KINDS)
        assert events[0].detail == {"node": "n1"}


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda s: s.add_self_rating("sam", "during", "A", 3), "phase"),
        (lambda s: s.add_self_rating("sam", "pre", "A", 6), "rating must be from 1 to 5"),
        (lambda s: s.add_self_rating("sam", "pre", "A", 0), "rating must be from 1 to 5"),
        (lambda s: s.add_self_rating("sam", "pre", "A", 2.5), "whole number"),
        (lambda s: s.add_self_rating("sam", "pre", "", 3), "domain"),
        (lambda s: s.add_event("sam", "a", "finished"), "kind must be one of"),
        (lambda s: s.add_event("sam", "a", "started", {"x": float("inf")}), "detail"),
    ],
)
def test_bad_ratings_and_events_are_refused(store_url: str, call: Any, match: str) -> None:
    with RecordStore(store_url) as store:
        with pytest.raises(RecordInputError, match=match):
            call(store)
        assert store.get_self_ratings("sam") == []
        assert store.get_events("sam") == []


# -- dashboard queries -------------------------------------------------------------------------------


def _cohort(store: RecordStore) -> None:
    lang = [
        {"rule_id": "language", "phrase": "Non-compliant"},
        {"rule_id": "language", "phrase": "  the  SCHIZOPHRENIC "},
    ]
    # sam: module 3, two activities; resubmits m3-a (the second attempt is the latest)
    store.add_event("sam", "m3-a", "started", module="3")
    store.add_attempt("sam", "m3-a", "v1", {"findings": lang}, module="3", score=0.2)
    store.add_attempt("sam", "m3-a", "v2", {"findings": lang[:1]}, module="3", score=0.6)
    store.add_event("sam", "m3-a", "completed", module="3")
    store.add_event("sam", "m3-b", "started", module="3")
    store.add_attempt("sam", "m3-b", "b", {"findings": []}, module="3", score=1.0)
    # kai: module 3 once, module 4 started only
    store.add_event("kai", "m3-a", "started", module="3")
    store.add_attempt("kai", "m3-a", "k", {"findings": lang[1:]}, module="3", score=0.4)
    store.add_event("kai", "m3-a", "completed", module="3")
    store.add_event("kai", "m4-a", "started", module="4")
    store.add_event("kai", "m4-a", "hint_revealed", module="4")
    store.add_self_rating("sam", "pre", "A", 4)
    store.add_self_rating("sam", "pre", "A", 3)  # a corrected pre rating: the later one counts
    store.add_self_rating("sam", "post", "A", 5)
    store.add_self_rating("kai", "pre", "A", 2)
    store.add_self_rating("ash", "pre", "A", 1)  # rated, but no attempts yet


def test_progress_per_learner_and_module(store_url: str) -> None:
    with RecordStore(store_url) as store:
        _cohort(store)
        rows = {(p.learner, p.module): p for p in store.learner_progress()}
        assert set(rows) == {("kai", "3"), ("kai", "4"), ("sam", "3")}
        sam = rows["sam", "3"]
        assert (sam.activities_started, sam.activities_completed, sam.attempts) == (2, 1, 3)
        kai4 = rows["kai", "4"]
        assert (kai4.activities_started, kai4.activities_completed, kai4.attempts) == (1, 0, 0)
        assert [p.module for p in store.learner_progress("kai")] == ["3", "4"]
        modules = {m.module: m for m in store.module_progress()}
        three = modules["3"]
        assert (three.learners, three.learners_completed_any, three.activities_completed) == (
            2,
            2,
            2,
        )
        assert three.attempts == 4
        # latest attempts in module 3: sam m3-a 0.6, sam m3-b 1.0, kai m3-a 0.4
        assert three.mean_score == pytest.approx((0.6 + 1.0 + 0.4) / 3)
        four = modules["4"]
        assert (four.learners, four.learners_completed_any, four.attempts) == (1, 0, 0)
        assert four.mean_score is None


def test_latest_review_per_learner_and_activity(store_url: str) -> None:
    with RecordStore(store_url) as store:
        _cohort(store)
        latest = store.latest_reviews()
        assert [(r.learner, r.activity, r.score) for r in latest] == [
            ("kai", "m3-a", 0.4),
            ("sam", "m3-a", 0.6),
            ("sam", "m3-b", 1.0),
        ]
        assert latest[1].review == {
            "findings": [{"phrase": "Non-compliant", "rule_id": "language"}]
        }
        assert [r.activity for r in store.latest_reviews(learner="sam", activity="m3-b")] == [
            "m3-b"
        ]


def test_language_finding_counts(store_url: str) -> None:
    with RecordStore(store_url) as store:
        _cohort(store)
        counts = {c.phrase: (c.occurrences, c.learners) for c in store.language_finding_counts()}
        assert counts == {"non-compliant": (2, 1), "the schizophrenic": (2, 2)}
        latest = store.language_finding_counts(latest_only=True)
        assert {c.phrase: c.occurrences for c in latest} == {
            "non-compliant": 1,
            "the schizophrenic": 1,
        }
        assert store.language_finding_counts(module="4") == []
        assert normalise_phrase("  The\tSCHIZOPHRENIC ") == "the schizophrenic"


def test_self_ratings_paired_with_demonstrated_scores(store_url: str) -> None:
    with RecordStore(store_url) as store:
        _cohort(store)
        pairs = {p.learner: p for p in store.self_ratings_with_scores()}
        assert (pairs["sam"].pre, pairs["sam"].post) == (3, 5)
        assert pairs["sam"].demonstrated_score == pytest.approx(0.8)  # (0.6 + 1.0) / 2
        assert pairs["sam"].scored_activities == 2
        assert (pairs["kai"].pre, pairs["kai"].post, pairs["kai"].demonstrated_score) == (
            2,
            None,
            pytest.approx(0.4),
        )
        assert pairs["ash"].demonstrated_score is None
        assert pairs["ash"].scored_activities == 0


def test_empty_store_queries_return_nothing(store_url: str) -> None:
    with RecordStore(store_url) as store:
        assert store.learner_progress() == []
        assert store.module_progress() == []
        assert store.latest_reviews() == []
        assert store.language_finding_counts() == []
        assert store.self_ratings_with_scores() == []


def test_an_in_memory_store_works_for_quick_experiments() -> None:
    with RecordStore("sqlite://") as store:
        assert store.where == "sqlite://"
        assert store.path is None
        store.save_draft("sam", "a", "in memory")
        assert store.get_draft("sam", "a").text == "in memory"
