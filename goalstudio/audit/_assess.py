"""One plan's review in brief, as an audit round stores it.

A plan with structure gets the whole rubric: the five criteria, the labels of its goals,
objectives and steps, its language, and the COCAPP chart review's suggested answers. Statements
that could not be placed in a plan get what a single statement can: its label and its language.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from goalstudio._model import Goal, Plan
from goalstudio._plantext import parse_plan
from goalstudio.audit._read import PlanFile
from goalstudio.rubric import LABELS, Finding, Review, chart_review, review

NEEDS_WORK_PER_PLAN = 3
_LABEL_RANK = {"deficit_led": 0, "mixed": 1, "person_centred": 2}


def assess(plan_file: PlanFile, locale: str = "en-GB") -> dict[str, Any]:
    """The summary stored for one plan (JSON-ready)."""
    verdicts: dict[str, str] = {}
    chart: dict[str, str] = {}
    goals: Counter[str] = Counter()
    labels: Counter[str] = Counter()
    phrases: list[str] = []
    candidates: list[dict[str, Any]] = []
    if plan_file.plan_text:
        plan = plan_file.plan or parse_plan(plan_file.plan_text, source=plan_file.source)
        result = review(plan, locale=locale)
        verdicts = {name: item.verdict for name, item in result.verdicts.items()}
        chart = {item.id: item.answer for item in chart_review(plan, locale=locale).items}
        goals.update(label.label for label in result.labels if label.kind == "goal")
        _collect(result, labels, phrases, candidates)
    if plan_file.statements:
        loose = Plan(goals=[Goal(text=text) for text in plan_file.statements])
        _collect(review(loose, locale=locale), labels, phrases, candidates)
    candidates.sort(key=lambda c: (_LABEL_RANK.get(c["label"], 3), -c["warnings"]))
    words = max(plan_file.words, 1)
    return {
        "verdicts": verdicts,
        "goals": {label: goals[label] for label in LABELS},
        "labels": {label: labels[label] for label in LABELS},
        "language": {
            "count": len(phrases),
            "per_1000_words": round(len(phrases) * 1000 / words, 2),
            "phrases": phrases,
        },
        "chart": chart,
        "needs_work": candidates[:NEEDS_WORK_PER_PLAN],
    }


def _collect(
    result: Review, labels: Counter[str], phrases: list[str], candidates: list[dict[str, Any]]
) -> None:
    phrases.extend(" ".join(f.quote.lower().split()) for f in result.language_findings if f.quote)
    by_place: dict[str, list[Finding]] = {}
    for finding in result.findings:
        if finding.severity == "warning":
            by_place.setdefault(finding.location, []).append(finding)
    for label in result.labels:
        labels[label.label] += 1
        if label.label == "person_centred":
            continue
        found = by_place.get(label.location, [])
        if label.label == "mixed" and not found:
            continue
        first = found[0] if found else None
        candidates.append(
            {
                "text": label.text,
                "label": label.label,
                "warnings": len(found),
                "message": first.message if first else "",
                "teaches": first.teaches if first else "",
            }
        )
