"""The language board: the deficit phrases the team still uses, ranked, with their trend and the
preferred alternatives. "Show as a slide" enlarges it for projecting in a discussion."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from goalstudio.records import RecordStore
from goalstudio.records import reports as q

from ._common import Dashboard, chart, esc, frame, go, plural, ptext

TREND_WORDS = {"rising": "↑ rising", "falling": "↓ falling", "steady": "→ steady", "new": "★ new"}


class LanguageBoard(Dashboard):
    title = "The language board"
    intro = (
        "Phrases the rubric flagged in the team's plans, most frequent first. Trend compares the "
        "last week with the week before. No names are shown, so it can go on a shared screen."
    )

    def __init__(self, records: str | None = None, *, top: int = 15) -> None:
        self.top = top
        self.slide = w.ToggleButton(
            value=False, description="Show as a slide", tooltip="Larger text for projecting"
        )
        self.slide.observe(lambda _c: self._slide_mode(), names="value")
        super().__init__(records)

    def extra_controls(self) -> list[w.Widget]:
        return [self.slide]

    def _slide_mode(self) -> None:
        if self.slide.value:
            self.add_class("gs-slide")
        else:
            self.remove_class("gs-slide")
        self.refresh()

    def empty_reason(self, store: RecordStore) -> str:
        counts = q.store_counts(store)
        if not any(counts.values()):
            return self.empty_text
        plans = counts["plans"]
        if plans:
            return f"No flagged language in {plural(plans, 'submitted plan')}."
        return (
            "No submitted plans yet: flagged phrases appear here once learners submit a plan "
            "(the rewrite in module 03 is the first)."
        )

    def build(self, store: RecordStore) -> list[w.Widget] | None:
        board = q.language_phrases(store, top=self.top)
        phrases = frame(board.phrases, q.Phrase)
        if phrases.empty:
            return None
        top = phrases.head(self.top)
        alternatives = q.phrase_alternatives(top["rule_id"])
        rows = []
        for rank, r in enumerate(top.itertuples(index=False), start=1):
            rows.append(
                f'<tr><td class="gs-n">{rank}</td><td><b>{esc(r.phrase)}</b></td>'
                f'<td class="gs-n">{r.occurrences}</td><td class="gs-n">{r.learners}</td>'
                f'<td class="gs-n">{esc(TREND_WORDS.get(r.trend, r.trend))}</td>'
                f"<td>{esc(alternatives.get(r.rule_id, ''))}</td></tr>"
            )
        html_table = (
            '<table class="gs-table"><thead><tr><th class="gs-n">#</th><th>Phrase</th>'
            '<th class="gs-n">Times</th><th class="gs-n">Learners</th><th class="gs-n">Trend</th>'
            "<th>Try instead</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
        )
        parts: list[w.Widget] = [_ranking(top, big=bool(self.slide.value)), w.HTML(html_table)]
        by_day = frame(board.by_day, q.PhraseDay)  # dated once, with the trend
        by_day = by_day[by_day["phrase"].isin(list(top["phrase"].head(6)))]
        if by_day["day"].nunique() > 1:
            parts += [w.HTML("<h3>Over time</h3>"), _trend(by_day)]
        return parts


def _ranking(top: Any, *, big: bool) -> w.Widget:
    ordered = top.iloc[::-1]
    fig = go().Figure(
        go().Bar(
            x=ordered["occurrences"],
            y=[ptext(p) for p in ordered["phrase"]],
            orientation="h",
            marker_color="#b45309",
            # The trend is in the table beside the chart; hover carries it too. (Text drawn by
            # the bars is measured and placed on every draw, which slows the page.)
            customdata=[TREND_WORDS.get(t, t) for t in ordered["trend"]],
            hovertemplate="%{y}: %{x} times (%{customdata})<extra></extra>",
        )
    )
    fig.update_layout(
        title="Phrases still in use",
        height=max(300, 60 + (40 if big else 28) * len(top)),
        xaxis={"title": "Times flagged", "range": [0, 1.2 * float(top["occurrences"].max())]},
        font={"size": 20 if big else 14},
    )
    return chart(fig, label="deficit phrases")


def _trend(by_day: Any) -> w.Widget:
    fig = go().Figure()
    for phrase, part in by_day.groupby("phrase", sort=False):
        fig.add_scatter(
            x=part["day"],
            y=part["times"],
            mode="lines+markers",
            name=ptext(phrase),
            hovertemplate="%{x}: %{y}<extra>%{fullData.name}</extra>",
        )
    fig.update_layout(
        title="Times flagged per day (top phrases)", height=340, yaxis={"title": "Times"}
    )
    return chart(fig, label="phrase trend")


def language_board(records: str | None = None) -> LanguageBoard:
    return LanguageBoard(records)
