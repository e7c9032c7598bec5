"""The logic behind the chart review exercise: suggestions, the learner's answers, the summary.

The rubric suggests an answer for each COCAPP care plan review item. The learner confirms or
changes each one and adds notes. ``summary_html`` writes a one-page HTML summary for a case
consultation session from ``chart_review.html.j2``; Jinja2's autoescape escapes every piece of
plan and learner text in it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from goalstudio.exercises.plan import segments
from goalstudio.templates import html_templates

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

    rows = []
    for item in session.suggestions.items:
        answer = session.answers.get(item.id, item.answer)
        rows.append(
            {
                "question": item.question,
                "answer": ANSWER_WORDS[answer],
                "changed": answer != item.answer,
                "evidence": [ev.quote for ev in item.evidence[:2]],
                "note": session.notes.get(item.id, ""),
            }
        )
    spans = [
        ev.span
        for item in session.suggestions.items
        for ev in item.evidence
        if ev.span is not None and ev.span_in == "plan"
    ]
    template = html_templates("goalstudio.exercises").get_template("chart_review.html.j2")
    return template.render(
        title=title,
        reviewer=reviewer,
        human_note=HUMAN_NOTE,
        rows=rows,
        plan=segments(session.text, spans),
    )
