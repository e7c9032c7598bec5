"""The logic behind the chart review exercise: suggestions, the learner's answers, the summary.

The rubric suggests an answer for each COCAPP care plan review item. The learner confirms or
changes each one and adds notes. ``summary_html`` writes a one-page HTML summary for a case
consultation session; every piece of plan and learner text in it is escaped.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from goalstudio._exercise_plan import segments

if TYPE_CHECKING:
    from goalstudio.rubric import ChartItem, ChartReview

ANSWERS = ("yes", "no", "unclear")
ANSWER_WORDS = {"yes": "Yes", "no": "No", "unclear": "Unclear"}


@dataclass
class ChartSession:
    """A plan under review, the suggestions for it, and the learner's own answers and notes."""

    text: str
    locale: str
    suggestions: ChartReview | None = None
    answers: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)

    def suggest(self) -> ChartReview:
        """Ask the rubric; the learner's answers start as the suggestions."""
        from goalstudio.rubric import chart_review

        self.suggestions = chart_review(self.text, self.locale)
        self.answers = {i.id: i.answer for i in self.suggestions.items}
        self.notes = {i.id: self.notes.get(i.id, "") for i in self.suggestions.items}
        return self.suggestions

    def answer(self, item_id: str, answer: str, note: str | None = None) -> None:
        if self.suggestions is None:
            raise ValueError("ask for the suggested answers first")
        self.suggestions.item(item_id)  # KeyError names the items
        if answer not in ANSWERS:
            raise ValueError(f"answer yes, no or unclear, not '{answer}'")
        self.answers[item_id] = answer
        if note is not None:
            self.notes[item_id] = note

    def changed_items(self) -> list[str]:
        assert self.suggestions is not None
        return [i.id for i in self.suggestions.items if self.answers.get(i.id) != i.answer]

    def to_dict(self) -> dict[str, Any]:
        assert self.suggestions is not None
        return {
            "kind": "chart_review",
            "items": {
                i.id: {
                    "suggested": i.answer,
                    "answer": self.answers.get(i.id, i.answer),
                    "note": self.notes.get(i.id, ""),
                }
                for i in self.suggestions.items
            },
            "changed": self.changed_items(),
        }


@dataclass(frozen=True)
class ChartOrder:
    """The suggested answers in the order a learner reads them.

    ``well``: the items the plan shows (answered yes). ``most``: the two or three gaps that
    matter most (answered no, surest first). ``rest``: the other gaps, then what the text
    cannot show (unclear). Otherwise the template's order.
    """

    well: tuple[ChartItem, ...]
    most: tuple[ChartItem, ...]
    rest: tuple[ChartItem, ...]

    @property
    def items(self) -> tuple[ChartItem, ...]:
        return (*self.well, *self.most, *self.rest)


def arrange_chart(review: ChartReview, *, top: int = 3) -> ChartOrder:
    """Order a chart review's items: what the plan shows, the gaps that matter most, the rest."""
    gaps = [i for i in review.items if i.answer == "no"]
    most = sorted(gaps, key=lambda i: -i.confidence)[:top]
    return ChartOrder(
        tuple(i for i in review.items if i.answer == "yes"),
        tuple(most),
        tuple(i for i in gaps if i not in most)
        + tuple(i for i in review.items if i.answer == "unclear"),
    )


def marked_plan_html(text: str, spans: list[tuple[int, int]]) -> str:
    """The plan with evidence spans marked, escaped."""
    return "".join(
        f"<mark>{html.escape(piece)}</mark>" if hit else html.escape(piece)
        for piece, hit in segments(text, spans)
    )


def summary_html(session: ChartSession, *, title: str, reviewer: str) -> str:
    """A one-page HTML document for a case consultation session (all text escaped)."""
    if session.suggestions is None:
        raise ValueError("ask for the suggested answers first")
    from goalstudio.rubric import HUMAN_NOTE

    e = html.escape
    rows = []
    for item in session.suggestions.items:
        answer = session.answers.get(item.id, item.answer)
        changed = " (changed from the suggestion)" if answer != item.answer else ""
        evidence = "; ".join(f"“{e(ev.quote)}”" for ev in item.evidence[:2])
        rows.append(
            f"<tr><td>{e(item.question)}</td><td><b>{ANSWER_WORDS[answer]}</b>{e(changed)}"
            f"</td><td>{evidence or '—'}</td><td>{e(session.notes.get(item.id, ''))}</td></tr>"
        )
    spans = [
        ev.span
        for item in session.suggestions.items
        for ev in item.evidence
        if ev.span is not None and ev.span_in == "plan"
    ]
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Chart review: {e(title)}</title><style>"
        "body{font-family:system-ui,sans-serif;max-width:60em;margin:1em auto;color:#111;"
        "font-size:11pt}table{border-collapse:collapse;width:100%}td,th{border:1px solid #999;"
        "padding:3px 6px;vertical-align:top;text-align:left}mark{background:#fde68a}"
        "pre{white-space:pre-wrap;font-size:9pt;border:1px solid #ccc;padding:6px}"
        "@media print{body{margin:0}}</style></head><body>"
        f"<h1>Chart review: {e(title)}</h1><p>Reviewed by {e(reviewer)}. {e(HUMAN_NOTE)}</p>"
        "<table><tr><th>Item (COCAPP care plan review)</th><th>Answer</th><th>Evidence</th>"
        f"<th>Notes</th></tr>{''.join(rows)}</table>"
        f"<h2>The plan reviewed</h2><pre>{marked_plan_html(session.text, spans)}</pre>"
        "</body></html>"
    )
