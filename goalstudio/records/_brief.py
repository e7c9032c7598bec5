"""The brief of an attempt: what the dashboards read of it, kept in the store once it is checked.

A plan review is about 20-30 KB of JSON; the dashboards need only its keys, its score, the verdict
of each criterion and, for a chart review, each item's answer. Reading those out of every latest
review when a dashboard server starts cost over a second at cohort scale (500 learners). So when
the studio checks an attempt's review (``_verify``), it also writes the attempt's brief to
``review_checks.brief`` (about 200 bytes), and the dashboards read briefs instead of reviews.

Only checked attempts have a brief: a checked review never changes again, and on a hub only
facilitators may write ``review_checks``, so a learner cannot write a brief of their own.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Text, cast, func
from sqlalchemy.dialects.postgresql import JSONB

from goalstudio.records import _schema as s

# The attempt's own columns a brief holds, in order (the id is the check's key).
FIELDS = ("learner", "activity", "scenario", "module", "record_id", "submitted_at", "score")


def review_parts(dialect: str) -> ColumnElement[Any]:
    """The review's verdicts, kind and items as one JSON array, taken out by the database (one
    parse of the review there, instead of sending the whole review here)."""
    a = s.attempts
    if dialect == "postgresql":
        review = cast(a.c.review, JSONB)
        parts = func.jsonb_build_array(review["verdicts"], review["kind"], review["items"])
        return cast(parts, Text)
    return func.json_extract(a.c.review, "$.verdicts", "$.kind", "$.items")


def parse_parts(parts: str | None) -> tuple[dict[str, str], list[list[str]] | None]:
    """The verdict of each criterion that has one, and for a chart review its (item, answer)
    pairs (None for any other review), from ``review_parts`` or from a whole review's JSON."""
    try:
        loaded = json.loads(parts) if parts else None
    except ValueError:
        loaded = None
    if isinstance(loaded, Mapping):  # a whole review
        loaded = [loaded.get("verdicts"), loaded.get("kind"), loaded.get("items")]
    if not isinstance(loaded, list) or len(loaded) != 3:
        return {}, None
    said, kind, items = loaded
    return verdicts_of(said), _answers(items) if kind == "chart_review" else None


def encode(fields: Sequence[Any], parts: str | None) -> str:
    """The brief of one attempt, its ``FIELDS`` values in order and its review (``review_parts``
    or the whole review's JSON), as compact JSON."""
    if len(fields) != len(FIELDS):
        raise ValueError(f"a brief needs {len(FIELDS)} fields ({', '.join(FIELDS)})")
    verdicts, answers = parse_parts(parts)
    return json.dumps(
        [*fields, verdicts, answers], ensure_ascii=True, separators=(",", ":"), sort_keys=True
    )


Decoded = tuple[list[Any], dict[str, str], list[list[str]] | None]


def decode(brief: str) -> Decoded | None:
    """(the ``FIELDS`` values, the verdicts, the chart answers) from ``encode``'s JSON; None when
    the text is not a brief (read the attempt's review instead)."""
    try:
        loaded = json.loads(brief)
    except ValueError:
        return None
    if not isinstance(loaded, list) or len(loaded) != len(FIELDS) + 2:
        return None
    *fields, verdicts, answers = loaded
    if not isinstance(verdicts, dict) or not (answers is None or isinstance(answers, list)):
        return None
    return fields, verdicts, answers


def verdicts_of(said: object) -> dict[str, str]:
    """A review's ``verdicts``, {criterion: {"verdict": v}} or {criterion: v}: the verdicts that
    are words, by criterion."""
    if not isinstance(said, Mapping):
        return {}
    out = {}
    for criterion, given in said.items():
        verdict = given.get("verdict") if isinstance(given, Mapping) else given
        if isinstance(verdict, str):
            out[str(criterion)] = verdict
    return out


def _answers(items: object) -> list[list[str]]:
    if not isinstance(items, Mapping):
        return []
    out = []
    for item, given in items.items():
        answer = given.get("answer") if isinstance(given, Mapping) else None
        if isinstance(answer, str):
            out.append([str(item), answer])
    return out
