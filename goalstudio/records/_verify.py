"""The studio's check of the plan reviews that learners' kernels wrote.

A learner's kernel reviews a plan and stores the review with the attempt. On a shared hub a
learner controls their own kernel, so the review could say anything. Before the dashboards read,
``RecordStore.verify_reviews`` recomputes each new plan review from the submitted text with the
studio's own rubric and, where it differs, puts the studio's review (with its score and
findings) in place; ``review_checks`` records every attempt checked, and the kernel's review when
it differed, where only facilitators can read or write it.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, delete, exists, func, insert, select, update

from goalstudio.records import _brief
from goalstudio.records import _schema as s
from goalstudio.records._score import score_from_review
from goalstudio.records._text import decode_text, digest

if TYPE_CHECKING:
    from goalstudio._scenarios.model import Scenario

BATCH = 100  # attempts read, reviewed and written per transaction


@dataclass(frozen=True, slots=True)
class Checked:
    """The outcome of checking one attempt, ready to write."""

    attempt_id: int
    outcome: str  # confirmed, changed, unreadable or not_a_plan
    review: str  # the review that stands (JSON): the studio's for a plan
    score: float | None
    submitted_review: str  # the kernel's review when changed or unreadable, else ""
    learner: str
    activity: str
    module: str
    submitted_at: str
    findings: tuple[tuple[str, str, str, str], ...]  # the review's, as (rule, criterion, ...)
    brief: str  # what the dashboards read of the attempt (records._brief), from this review

    @property
    def replaces(self) -> bool:
        return self.outcome in ("changed", "unreadable")


def _unchecked() -> Any:
    a, c = s.attempts, s.review_checks
    # Not "newer than the last checked id": a learner's INSERT may name any free id.
    return ~exists().where(c.c.attempt_id == a.c.id)


def all_checked(conn: Connection) -> bool:
    """True when every attempt has been checked: as many checks as attempts. Each check names
    one attempt (its key) that exists (a foreign key, deleted with the attempt), so equal
    counts leave no attempt unchecked, whatever ids a learner's INSERT chose. Two counts over
    small indexes cost far less than the anti-join that finds the unchecked attempts."""
    attempts = select(func.count()).select_from(s.attempts).scalar_subquery()
    checks = select(func.count()).select_from(s.review_checks).scalar_subquery()
    return bool(conn.execute(select(attempts == checks)).scalar())


def unchecked(conn: Connection, limit: int) -> list[Any]:
    """Attempts not yet checked, oldest first."""
    a = s.attempts
    query = (
        select(
            a.c.id,
            a.c.learner,
            a.c.activity,
            a.c.scenario,
            a.c.module,
            a.c.record_id,
            a.c.submitted_at,
            a.c.score,
            a.c.review,
            a.c.text,
        )
        .where(_unchecked())
        .order_by(a.c.id)
        .limit(limit)
    )
    return list(conn.execute(query).all())


class Reviewer:
    """Recomputes plan reviews, loading each scenario once."""

    def __init__(self) -> None:
        self._scenarios: dict[str, Scenario | None] = {}
        # The same text in the same case (a class working from one model answer) is reviewed
        # once per run: keyed by the text's digest, the locale and the scenario id.
        self._reviews: dict[tuple[str, str, str], _Studio | None] = {}

    def scenario(self, scenario_id: str) -> Scenario | None:
        if scenario_id not in self._scenarios:
            from goalstudio._scenarios import ScenarioError, load

            try:
                self._scenarios[scenario_id] = load(scenario_id) if scenario_id else None
            except ScenarioError:
                self._scenarios[scenario_id] = None  # reviewed without the case, as a kernel would
        return self._scenarios[scenario_id]

    def check(self, row: Any) -> Checked:
        from goalstudio._plantext import PlanParseError
        from goalstudio._vocabulary import LOCALES
        from goalstudio.rubric import review

        def result(outcome: str, studio: _Studio | None = None) -> Checked:
            changed = outcome in ("changed", "unreadable")
            stands = studio.json if studio else "{}" if changed else row.review
            score = studio.score if studio else None if changed else row.score
            fields = (row.learner, row.activity, row.scenario, row.module, row.record_id)
            return Checked(
                row.id,
                outcome,
                stands,
                score,
                row.review if changed else "",
                row.learner,
                row.activity,
                row.module,
                row.submitted_at,
                studio.findings if studio else (),
                _brief.encode((*fields, row.submitted_at, score), stands),
            )

        try:
            submitted = json.loads(row.review)
        except ValueError:
            submitted = None
        if not isinstance(submitted, Mapping) or "verdicts" not in submitted:
            # chart reviews, discovery and the other activities: kept as they are
            return result("not_a_plan")
        scenario = self.scenario(row.scenario)
        # The learner may choose either locale; the studio reviews in the one they chose.
        locale = submitted.get("locale")
        if locale not in LOCALES:
            locale = scenario.locale if scenario is not None else "en-GB"
        key = (digest(bytes(row.text)), str(locale), row.scenario)
        if key not in self._reviews:
            try:
                made = review(decode_text(row.text), str(locale), scenario).to_dict()
            except PlanParseError:
                self._reviews[key] = None
            else:
                self._reviews[key] = _Studio(
                    made,
                    json.dumps(made, ensure_ascii=True),
                    score_from_review(made),
                    tuple(_finding_key(f) for f in s.finding_rows(made)),
                )
        studio = self._reviews[key]
        if studio is None:
            return result("unreadable")  # the widget never submits such text
        same = studio.review == submitted and row.score == studio.score
        return result("confirmed" if same else "changed", studio)


@dataclass(frozen=True, slots=True)
class _Studio:
    """The studio's review of one text, in the forms the check needs."""

    review: dict[str, Any]
    json: str
    score: float | None
    findings: tuple[tuple[str, str, str, str], ...]


_FINDING_COLUMNS = ("rule_id", "criterion", "severity", "phrase")


def _finding_key(row: Mapping[str, str]) -> tuple[str, str, str, str]:
    return (row["rule_id"], row["criterion"], row["severity"], row["phrase"])


def record(conn: Connection, checked: list[Checked], at: str) -> int:
    """Write the outcomes (the caller holds the transaction); returns how many reviews changed.
    Attempts another facilitator checked meanwhile are left as they are."""
    a, c, f = s.attempts, s.review_checks, s.findings
    ids = [item.attempt_id for item in checked]
    still = set(conn.execute(select(a.c.id).where(a.c.id.in_(ids), _unchecked())).scalars())
    todo = [item for item in checked if item.attempt_id in still]
    changed = [item for item in todo if item.replaces]
    for item in changed:
        conn.execute(
            update(a).where(a.c.id == item.attempt_id).values(review=item.review, score=item.score)
        )
    # A learner may also insert findings rows of their own: each checked attempt keeps exactly
    # the findings of the studio's review (only plan reviews have findings). Most already
    # match, so only those that differ are written.
    stored: dict[int, Counter[tuple[str, str, str, str]]] = defaultdict(Counter)
    columns = [f.c[name] for name in _FINDING_COLUMNS]
    for attempt_id, *key in conn.execute(
        select(f.c.attempt_id, *columns).where(f.c.attempt_id.in_(list(still)))
    ):
        stored[attempt_id][tuple(key)] += 1
    redo = [item for item in todo if stored[item.attempt_id] != Counter(item.findings)]
    if redo:
        conn.execute(delete(f).where(f.c.attempt_id.in_([i.attempt_id for i in redo])))
        rows = [
            {
                "attempt_id": item.attempt_id,
                "learner": item.learner,
                "activity": item.activity,
                "module": item.module,
                "submitted_at": item.submitted_at,
                **dict(zip(_FINDING_COLUMNS, finding, strict=True)),
            }
            for item in redo
            for finding in item.findings
        ]
        if rows:
            conn.execute(insert(f), rows)
    if todo:
        conn.execute(
            insert(c),
            [
                {
                    "attempt_id": item.attempt_id,
                    "outcome": item.outcome,
                    "checked_at": at,
                    "submitted_review": item.submitted_review,
                    "brief": item.brief,
                }
                for item in todo
            ],
        )
    return len(changed)
