"""The records store: autosaved drafts and learning records behind one gateway.

    from goalstudio.records import RecordStore

    with RecordStore() as store:  # $GOALSTUDIO_RECORDS_URL, else the workspace's SQLite file
        store.save_draft("sam", "m3-rewrite", text, scenario="priya")
        draft = store.get_draft("sam", "m3-rewrite", scenario="priya")
        attempt = store.add_attempt("sam", "m3-rewrite", text, review, scenario="priya")
        store.latest_reviews()  # and the other dashboard queries
        store.add_override(attempt.record_id, "outcomes", "met", "the goal is hers", by="Ana")
        store.verify_reviews()  # the studio's own reviews in place of what kernels wrote

Every write is one transaction; SQLite files run in WAL mode with a busy timeout and retry;
PostgreSQL works through ``postgresql+psycopg://`` URLs. Text is stored exactly as given.
"""

from goalstudio.records._errors import (
    RecordInputError,
    RecordNotFound,
    RecordStoreCorrupt,
    RecordStoreError,
    RecordStoreTooNew,
    RecordStoreUnavailable,
)
from goalstudio.records._schema import SCHEMA_VERSION, normalise_phrase
from goalstudio.records._score import score_from_review
from goalstudio.records._store import RecordStore
from goalstudio.records._transfer import (
    CSV_COLUMNS,
    ImportSummary,
    dumps_xapi,
    export_csv,
    export_xapi,
    import_records,
)
from goalstudio.records._types import (
    EVENT_KINDS,
    PHASES,
    Attempt,
    AuditPlan,
    AuditRound,
    Draft,
    Event,
    EventKind,
    FindingCount,
    LatestReview,
    LearnerProgress,
    ModuleProgress,
    Override,
    Phase,
    RatingPair,
    Reflection,
    ReviewCheck,
    SelfRating,
)
from goalstudio.records._xapi import DEFAULT_HOME_PAGE, is_web_address, validate_statement

__all__ = [
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
