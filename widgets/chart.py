"""ChartReview: suggested answers to the COCAPP care plan review items, confirmed by you."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import TYPE_CHECKING

import ipywidgets as w
from traitlets import Dict, Unicode

from goalstudio.exercises.chart import (
    ANSWER_WORDS,
    ANSWERS,
    ChartOrder,
    ChartSession,
    arrange_chart,
    marked_plan_html,
    summary_html,
)

from ._base import Exercise, button, esc, guard, labelled, text_area

if TYPE_CHECKING:
    from goalstudio.rubric import ChartItem

_HEADINGS = {
    "well": "<h4>What the plan shows</h4>",
    "most": "<h4>The gaps that matter most</h4>",
    "rest": "<h4>Other gaps, and what the text cannot show</h4>",
}


def _summary(order: ChartOrder) -> str:
    """One line each: what the plan shows, and the gaps to look at first."""
    well = ", ".join(i.question for i in order.well) or "none of the items yet"
    most = "; ".join(i.question for i in order.most)
    return f"<p><b>The plan shows:</b> {esc(well)}.</p>" + (
        f"<p><b>Look first at:</b> {esc(most)}.</p>" if most else ""
    )


class ChartReview(Exercise):
    """Paste or load a plan, see the suggested answers with evidence, confirm or change them."""

    activity = "chart-review"
    plan_text = Unicode("").tag(sync=True, draft="plan")  # the plan under review
    # Once answers are suggested: the learner's answer and note for each review item.
    answers = Dict(value_trait=Unicode()).tag(sync=True, draft=True)
    notes = Dict(value_trait=Unicode()).tag(sync=True, draft=True)

    def build(self) -> list[w.Widget]:
        self.session: ChartSession | None = None
        self.plan = labelled(text_area("Paste a de-identified plan here", rows=14), "The plan")
        self.items_box = w.VBox()
        self.marked = w.HTML()
        self.download = w.HTML()
        self.controls: dict[str, tuple[w.ToggleButtons, w.Text]] = {}
        self.answers, self.notes = {}, {}
        w.link((self.plan, "value"), (self, "plan_text"))
        loaders = [button("Suggest answers", self.suggest, style="primary")]
        if self.scenario is not None:
            loaders.insert(0, button("Load the case study's plan", self.load_scenario_plan))
        return [
            w.HTML(
                "<h3>Chart review</h3><p>Paste a plan, or load the case study's plan. The "
                "studio suggests an answer for each review item and shows its evidence. "
                "You decide: confirm or change each answer and add notes. Never paste "
                "details that identify a real person.</p>"
            ),
            self.plan,
            w.HBox(loaders),
            self.items_box,
            self.marked,
            button("Export a one-page summary", self.export, style="success"),
            self.download,
        ]

    # -- learner actions ----------------------------------------------------------------------

    @guard
    def load_scenario_plan(self) -> None:
        assert self.scenario is not None
        self.plan.value = self.scenario.deficit_plan

    @guard
    def paste(self, text: str) -> None:
        self.plan.value = text

    @guard
    def suggest(self) -> int:
        """Read the plan and show a suggested answer for each item; returns how many."""
        session = ChartSession(self.plan.value, self.locale.code)
        if self.session is not None:
            session.notes = dict(self.session.notes)
        suggestions = session.suggest()
        self.session = session
        self.controls = {}
        order = arrange_chart(suggestions)
        cards: list[w.Widget] = []
        for part, items in (("well", order.well), ("most", order.most), ("rest", order.rest)):
            if items:
                cards.append(w.HTML(_HEADINGS[part]))
            cards += [self._card(item, session) for item in items]
        self.items_box.children = [
            w.HTML(f"<p><i>{esc(suggestions.note)}</i></p>{_summary(order)}"),
            *cards,
        ]
        spans = [
            ev.span
            for i in suggestions.items
            for ev in i.evidence
            if ev.span is not None and ev.span_in == "plan"
        ]
        self.marked.value = (
            "<details><summary>The plan with the evidence highlighted</summary>"
            f'<pre style="white-space: pre-wrap">{marked_plan_html(session.text, spans)}'
            "</pre></details>"
        )
        self._keep(session)
        return len(suggestions.items)

    def _keep(self, session: ChartSession) -> None:
        self.answers, self.notes = dict(session.answers), dict(session.notes)

    def _card(self, item: ChartItem, session: ChartSession) -> w.Widget:
        """One item: the suggestion with its evidence, your answer, and your notes."""
        pick = w.ToggleButtons(
            options=[(ANSWER_WORDS[a], a) for a in ANSWERS],
            value=item.answer,
            description="Your answer",
            tooltips=[f"{ANSWER_WORDS[a]}: {item.question}" for a in ANSWERS],
        )
        pick.style.description_width = "initial"
        note = w.Text(value=session.notes.get(item.id, ""), description="Notes")
        note.layout.width = "100%"
        for c in (pick, note):
            c.observe(lambda _c, i=item.id, p=pick, n=note: self._answered(i, p, n), "value")
        self.controls[item.id] = (pick, note)
        quotes = "".join(f"<li>“{esc(ev.quote)}”</li>" for ev in item.evidence[:3])
        text = w.HTML(
            f"<b>{esc(item.question)}</b><br>Suggested: <b>{ANSWER_WORDS[item.answer]}</b> "
            f"(confidence {item.confidence:.0%}). {esc(item.note)}"
            + (f"<ul>{quotes}</ul>" if quotes else "")
        )
        return w.VBox([text, pick, note]).add_class("gs-card")

    def _answered(self, item_id: str, pick: w.ToggleButtons, note: w.Text) -> None:
        session = self.session
        if session is not None:
            self.guarded(lambda: session.answer(item_id, pick.value, note.value))
            self._keep(session)

    @guard
    def answer(self, item_id: str, answer: str, note: str | None = None) -> None:
        """Confirm or change the answer to one item, with an optional note."""
        if self.session is None:
            raise ValueError("ask for the suggested answers first")
        self.session.answer(item_id, answer, note)
        pick, box = self.controls[item_id]
        pick.value = answer
        if note is not None:
            box.value = note

    @guard
    def export(self, path: str | Path | None = None) -> str | None:
        """Record the review and build the one-page HTML summary (written to ``path`` if given)."""
        if self.session is None:
            raise ValueError("ask for the suggested answers first")
        title = self.scenario.title if self.scenario is not None else "a plan"
        page = summary_html(self.session, title=title, reviewer=self.learner)
        if not self.private_enough_to_submit(self.session.text):
            return None
        self.store.add_attempt(
            self.learner,
            self.activity,
            self.session.text,
            self.session.to_dict(),
            scenario=self.scenario_id,
            module=self.module,
        )
        if path is not None:
            Path(path).write_text(page, encoding="utf-8")
        data = base64.b64encode(page.encode("utf-8")).decode("ascii")
        name = f"chart-review-{self.scenario_id or 'plan'}.html"
        self.download.value = (
            f'<a download="{esc(name)}" href="data:text/html;base64,{data}">Download the '
            "summary (HTML, one page; print it or open it in a browser)</a>"
        )
        return page

    # -- drafts -------------------------------------------------------------------------------

    def restored(self) -> None:
        answers, notes = dict(self.answers), dict(self.notes)
        if answers and self.plan_text.strip():  # answers were suggested: suggest them again
            self.suggest()
            for item_id, answer in answers.items():
                self.answer(item_id, answer, notes.get(item_id))
