"""What the records store hands back: small frozen dataclasses, one per kind of record or query."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

EventKind = Literal[
    "started", "hint_revealed", "conversation_choice", "completed", "check_answered"
]
EVENT_KINDS: tuple[EventKind, ...] = (
    "started",
    "hint_revealed",
    "conversation_choice",
    "completed",
    "check_answered",
)
Phase = Literal["pre", "post"]
PHASES: tuple[Phase, ...] = ("pre", "post")
RATING_MIN, RATING_MAX = 1, 5


@dataclass(frozen=True, slots=True)
class Override:
    """A facilitator's disagreement with one verdict of an attempt's review.

    ``rubric_verdict`` is what the review said (kept: the review itself is never changed);
    ``verdict`` is the facilitator's; ``by`` names the facilitator and ``reason`` says why.
    """

    record_id: str
    attempt_record_id: str
    learner: str
    activity: str
    scenario: str
    criterion: str
    rubric_verdict: str
    verdict: str
    by: str
    reason: str
    created_at: str


@dataclass(frozen=True, slots=True)
class Draft:
    """One autosaved version of a learner's text for an activity (version 1 is the first save)."""

    learner: str
    activity: str
    scenario: str
    version: int
    text: str
    saved_at: str


@dataclass(frozen=True, slots=True)
class Attempt:
    """Plan text a learner submitted, with the serialised review it received."""

    record_id: str
    learner: str
    activity: str
    scenario: str
    module: str
    text: str
    review: dict[str, Any]
    score: float | None
    submitted_at: str


@dataclass(frozen=True, slots=True)
class Reflection:
    record_id: str
    learner: str
    activity: str
    scenario: str
    module: str
    text: str
    created_at: str


@dataclass(frozen=True, slots=True)
class SelfRating:
    """A learner's own rating (1 to 5) of their confidence in a competency domain."""

    record_id: str
    learner: str
    phase: Phase
    domain: str
    rating: int
    created_at: str


@dataclass(frozen=True, slots=True)
class Event:
    record_id: str
    learner: str
    activity: str
    scenario: str
    module: str
    kind: EventKind
    detail: dict[str, Any]
    created_at: str


@dataclass(frozen=True, slots=True)
class LearnerProgress:
    """One learner's progress in one module."""

    learner: str
    module: str
    activities_started: int
    activities_completed: int
    attempts: int
    last_active: str


@dataclass(frozen=True, slots=True)
class ModuleProgress:
    """A module across the cohort. ``mean_score`` averages each learner's latest attempts."""

    module: str
    learners: int
    learners_completed_any: int
    activities_completed: int
    attempts: int
    mean_score: float | None


@dataclass(frozen=True, slots=True)
class ReviewCheck:
    """What ``RecordStore.verify_reviews`` did: attempts checked, and reviews it put right."""

    checked: int
    changed: int


@dataclass(frozen=True, slots=True)
class LatestReview:
    """The most recent attempt of a learner at an activity. ``review`` decodes the JSON on use."""

    learner: str
    activity: str
    scenario: str
    module: str
    record_id: str
    score: float | None
    submitted_at: str
    review_json: str

    @property
    def review(self) -> dict[str, Any]:
        decoded: dict[str, Any] = json.loads(self.review_json)
        return decoded


@dataclass(frozen=True, slots=True)
class FindingCount:
    """How often a language phrase was flagged, and in how many learners' attempts."""

    phrase: str
    occurrences: int
    learners: int


@dataclass(frozen=True, slots=True)
class RatingPair:
    """A learner's pre- and post-course self-rating in a domain beside their demonstrated score.

    ``demonstrated_score`` is the mean score (0 to 1) of the learner's latest attempt at each
    activity; ``scored_activities`` says how many activities it rests on.
    """

    learner: str
    domain: str
    pre: int | None
    post: int | None
    demonstrated_score: float | None
    scored_activities: int


@dataclass(frozen=True, slots=True)
class AuditRound:
    """A practice audit round: its name, the locale its plans were read in, when it was first
    run, and how many plans it holds."""

    name: str
    locale: str
    created_at: str
    plans: int


@dataclass(frozen=True, slots=True)
class AuditPlan:
    """One plan of an audit round: where it came from (file name and digest), how it was read
    (``kind``: plan, text or docx; ``read``: full, part or statements), its word count, and
    ``summary``, the plan's review in brief."""

    round: str
    source: str
    digest: str
    kind: str
    read: str
    words: int
    added_at: str
    summary: dict[str, Any]
