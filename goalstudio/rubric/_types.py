"""The rubric's results: findings, verdicts per criterion, and the review that holds them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from goalstudio._vocabulary import CRITERIA, CRITERION_TITLES, Criterion, Verdict

Severity = Literal["info", "warning"]
SpanIn = Literal["plan", "statement"]


@dataclass(frozen=True)
class Finding:
    """One thing the rubric noticed, explained for a learner.

    ``span`` is ``(start, end)`` into the plan text when the statement came from parsed text
    (``span_in == "plan"``), else into the statement itself (``span_in == "statement"``), or
    ``None`` when the finding is about the plan as a whole.
    """

    rule: str
    criterion: Criterion
    severity: Severity
    message: str
    location: str
    span: tuple[int, int] | None = None
    span_in: SpanIn | None = None
    quote: str = ""
    suggestion: str = ""
    alternatives: tuple[str, ...] = ()
    why: str = ""
    teaches: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "criterion": self.criterion,
            "severity": self.severity,
            "location": self.location,
            "span": list(self.span) if self.span is not None else None,
            "span_in": self.span_in,
            "quote": self.quote,
            "message": self.message,
            "suggestion": self.suggestion,
            "alternatives": list(self.alternatives),
            "why": self.why,
            "teaches": self.teaches,
        }


@dataclass(frozen=True)
class CriterionResult:
    """The verdict for one criterion and the evidence behind it."""

    criterion: Criterion
    verdict: Verdict
    evidence: tuple[str, ...]

    @property
    def title(self) -> str:
        return CRITERION_TITLES[self.criterion]

    def to_dict(self) -> dict[str, Any]:
        return {
            "criterion": self.criterion,
            "title": self.title,
            "verdict": self.verdict,
            "evidence": list(self.evidence),
        }


@dataclass(frozen=True)
class Review:
    """A plan's review: a verdict for each of the five criteria, and every finding."""

    locale: str
    verdicts: Mapping[str, CriterionResult]
    findings: tuple[Finding, ...]
    statements: int
    note: str = ""
    labels: tuple[StatementLabel, ...] = ()

    @property
    def criterion_findings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.criterion in CRITERIA)

    @property
    def structure_findings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.criterion == "structure")

    @property
    def language_findings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.criterion == "language")

    def verdict(self, criterion: str) -> Verdict:
        return self.verdicts[criterion].verdict

    def findings_for(self, criterion: str) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.criterion == criterion)

    def to_dict(self) -> dict[str, Any]:
        return {
            "locale": self.locale,
            "statements": self.statements,
            "verdicts": {k: v.to_dict() for k, v in self.verdicts.items()},
            "findings": [f.to_dict() for f in self.criterion_findings],
            "structure": [f.to_dict() for f in self.structure_findings],
            "language": [f.to_dict() for f in self.language_findings],
            "note": self.note,
            "labels": [label.to_dict() for label in self.labels],
        }


@dataclass(frozen=True)
class StatementLabel:
    """How ``classify`` labels one goal, objective or action step of the plan."""

    location: str
    kind: str
    text: str
    label: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "location": self.location,
            "kind": self.kind,
            "text": self.text,
            "label": self.label,
        }
