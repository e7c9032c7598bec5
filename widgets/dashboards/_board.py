"""The live workshop board: who is working on what, submitted rewrites, the criteria heatmap."""

from __future__ import annotations

import json
from typing import Any

import ipywidgets as w

from goalstudio.records import RecordStore
from goalstudio.records import reports as q
from goalstudio.rubric import CRITERIA, CRITERION_SHORT_TITLES

from ._common import (
    Dashboard,
    Names,
    activity_title,
    chart,
    chip,
    esc,
    frame,
    go,
    message,
    ptext,
    scenario_title,
    table,
)


class WorkshopBoard(Dashboard):
    """Refreshes every ``every`` seconds while "Refresh automatically" is ticked; the Refresh
    button reads the store at once (for slow connections, untick the box).

    The timer runs in the browser (a hidden ``Play`` widget), not in the kernel: when the tab is
    closed the checks stop, the kernel falls idle and the server shuts it down, rather than a
    board that nobody watches rebuilding on every submission for the rest of the workshop."""

    title = "Live workshop board"
    intro = (
        "What the room is doing now. Submitted rewrites appear as cards; open one to read the "
        "plan and its review. Tick 'Anonymise for projection' before you share your screen."
    )
    empty_text = (
        "No data yet. When learners open an exercise or submit a plan, they appear here within "
        "a few seconds."
    )

    def __init__(self, records: str | None = None, *, every: float = 5.0, cards: int = 24) -> None:
        self.every = every
        self.max_cards = cards
        self.auto = w.Checkbox(value=True, description="Refresh automatically", indent=False)
        self.detail = w.HTML()
        # The plan open below the cards, re-drawn on every refresh, so ticking "Anonymise for
        # projection" changes its heading at once, like everything else on the board.
        self._open: str | None = None
        self._names = Names([], False)
        # What a refresh found unchanged is shown by the same widgets: a live board refreshes
        # on every new record, and new widgets cost the page (and the browser) each time.
        self._kept_cards: dict[tuple[str, str], w.Widget] = {}
        self._kept_heatmap: tuple[str, w.Widget] | None = None
        self.ticker = w.Play(
            value=0,
            min=0,
            max=1_000_000,
            interval=max(1, int(every * 1000)),
            repeat=True,
            playing=False,
            description="Automatic refresh timer",
            layout=w.Layout(display="none"),
        )
        # The browser starts a Play timer only when "playing" turns on while a view exists, so
        # it is switched on once the page reports its view (_view_count) and the box is ticked.
        self.ticker._view_count = 0
        self.ticker.observe(lambda _c: self.poll(), names="value")
        self.ticker.observe(lambda _c: self._schedule(), names="_view_count")
        super().__init__(records, anonymise_switch=True)
        self.controls.children = [*self.controls.children, self.auto, self.ticker]
        self.auto.observe(lambda _c: self._schedule(), names="value")

    def build(self, store: RecordStore) -> list[w.Widget] | None:
        working = frame(q.now_working(store), q.Working)
        if working.empty:
            return None
        names = self.names(store)
        self._names = names
        working = working.assign(
            activity=working["activity"].map(activity_title),
            scenario=working["scenario"].map(scenario_title),
        )
        parts: list[w.Widget] = [
            w.HTML(
                f"<h3>Who is working on what ({len(working)} "
                f"{'learner' if len(working) == 1 else 'learners'})</h3>"
            ),
            w.HTML(
                # Scrolls, so it takes keyboard focus (axe: scrollable-region-focusable).
                '<div style="max-height: 18em; overflow-y: auto" tabindex="0" role="region" '
                'aria-label="Who is working on what">'
                + table(
                    names.column(working).assign(
                        at=working["at"].str.slice(5, 16).str.replace("T", " ")
                    ),
                    {
                        "learner": "Learner",
                        "activity": "Activity",
                        "scenario": "Case study",
                        "doing": "Last step",
                        "at": "When (UTC)",
                    },
                    limit=60,
                )
                + "</div>"
            ),
        ]
        answers = frame(q.check_answers(store), q.CheckAnswers)
        if not answers.empty:
            parts += [
                w.HTML("<h3>Concept checks: the answers the room chose</h3>"),
                w.HTML(check_answers_html(answers)),
            ]
        matrix = frame(q.criteria_matrix(store), q.CriteriaRow, floats=CRITERIA)
        if not matrix.empty:
            parts += [
                w.HTML("<h3>The five criteria, learner by learner</h3>"),
                self._heatmap(matrix, names),
            ]
        subs = frame(q.submissions(store, limit=self.max_cards), q.Submission)
        if not subs.empty:
            parts += [
                w.HTML(f"<h3>Submitted rewrites (newest {len(subs)})</h3>"),
                self._cards(subs, names),
                self.detail,
            ]
        if self._open is not None:
            self._show(store, self._open)
        return parts

    def _heatmap(self, matrix: Any, names: Names) -> w.Widget:
        key = json.dumps([[names(n) for n in matrix["learner"]], matrix.to_numpy().tolist()])
        if self._kept_heatmap is None or self._kept_heatmap[0] != key:
            self._kept_heatmap = (key, _heatmap(matrix, names))
        return self._kept_heatmap[1]

    def _cards(self, subs: Any, names: Names) -> w.Widget:
        cards = []
        kept: dict[tuple[str, str], w.Widget] = {}
        parts: dict[str, w.Widget] = {}  # made with the first new card: unused, they would leak
        for row in subs.itertuples(index=False):
            chips = "".join(chip(getattr(row, c), CRITERION_SHORT_TITLES[c]) for c in CRITERIA)
            what = scenario_title(row.scenario) if row.scenario else activity_title(row.activity)
            shown = (
                f'<div class="gs-who">{esc(names(row.learner))}</div>'
                f'<div class="gs-what">{esc(what)} · '
                f"{esc(str(row.submitted_at)[11:16])} UTC</div><div>{chips}</div>"
            )
            found = self._kept_cards.get((row.record_id, shown))
            if found is not None:
                kept[(row.record_id, shown)] = found
                cards.append(found)
                continue
            if not parts:
                parts = _card_parts()
            head = w.HTML(shown, layout=parts["head"], style=parts["head_style"])
            button = w.Button(
                description="Open plan and review",
                tooltip=f"Show the plan and review from {names(row.learner)}",
                layout=parts["button"],
                style=parts["button_style"],
            )
            record_id = row.record_id
            button.on_click(lambda _b, r=record_id: self.open_submission(r))
            card = w.VBox([head, button], layout=parts["card"])
            card.add_class("gs-card")
            cards.append(card)
            kept[(row.record_id, shown)] = card
        self._kept_cards = kept
        return w.Box(cards, layout=w.Layout(display="flex", flex_flow="row wrap"))

    def open_submission(self, record_id: str, shown_name: str | None = None) -> str:
        """Show one submission's plan text and review below the cards; returns the HTML. The
        author's name is shown as the board shows names now (anonymised or not), and stays so
        through every refresh. ``shown_name`` is accepted for older callers and ignored."""
        self._open = record_id
        try:
            self._show(self.store(), record_id)
        except Exception as exc:
            self.detail.value = message("problem", f"That plan cannot be opened: {exc}").value
        shown: str = self.detail.value
        return shown

    def _show(self, store: RecordStore, record_id: str) -> None:
        attempt = store.get_attempt(record_id)
        review = attempt.review
        verdicts = review.get("verdicts") or {}
        chips = ""
        for c in CRITERIA:
            v = verdicts.get(c)
            chips += chip(v.get("verdict") if isinstance(v, dict) else v, CRITERION_SHORT_TITLES[c])
        notes = []
        for key in ("findings", "structure", "language"):
            for f in review.get(key) or []:
                if isinstance(f, dict) and f.get("message"):
                    notes.append(f"<li>{esc(f['message'])}</li>")
        what = scenario_title(attempt.scenario) if attempt.scenario else None
        self.detail.value = (
            f'<div class="gs-card" role="region" aria-label="Plan and review">'
            f"<h3>{esc(self._names(attempt.learner))}: "
            f"{esc(what or activity_title(attempt.activity))}</h3>"
            f"<div>{chips}</div>"
            f'<pre class="gs-pre">{esc(attempt.text)}</pre>'
            + (f"<h4>What the review noticed</h4><ul>{''.join(notes[:30])}</ul>" if notes else "")
            + "</div>"
        )

    # automatic refresh -------------------------------------------------------------------

    def _schedule(self) -> None:
        """Run the browser's timer while the box is ticked and a page shows the board."""
        self.ticker.playing = bool(
            self.auto.value and self.every > 0 and (self.ticker._view_count or 0) > 0
        )

    def poll(self) -> bool:
        """Refresh when something was added since the last read; True when it refreshed."""
        return self.refresh_if_changed(quiet=True)


def _card_parts() -> dict[str, w.Widget]:
    """One layout and one style of each kind, shared by the cards a refresh adds. Each is a
    widget of its own, and a page fetches and builds every widget: shared, a card is three
    widgets instead of eight. Made per refresh, so closing what a refresh left behind
    (``replace_children``) never closes the parts of cards still shown."""
    from ipywidgets.widgets.widget_string import HTMLStyle  # not exported by ipywidgets

    return {
        "head": w.Layout(),
        "head_style": HTMLStyle(),
        "button": w.Layout(width="auto"),
        "button_style": w.ButtonStyle(),
        "card": w.Layout(width="290px"),
    }


def _heatmap(matrix: Any, names: Names) -> w.Widget:
    labels = [ptext(names(n)) for n in matrix["learner"]]
    z = matrix[list(CRITERIA)].to_numpy(dtype=float)
    text = [[_verdict_word(v) for v in row] for row in z.tolist()]
    fig = go().Figure(
        go().Heatmap(
            z=z,
            x=[CRITERION_SHORT_TITLES[c] for c in CRITERIA],
            y=labels,
            text=text,
            texttemplate="%{text}" if len(labels) <= 80 else None,
            hovertemplate="%{y}<br>%{x}: %{text}<extra></extra>",
            zmin=0,
            zmax=1,
            colorscale=[[0, "#fee2e2"], [0.5, "#fef08a"], [1, "#86efac"]],
            colorbar={
                "title": {"text": "Met"},
                "tickvals": [0, 0.5, 1],
                "ticktext": ["0% (not met)", "50% (partly)", "100% (met)"],
            },
            xgap=2,
            ygap=2 if len(labels) <= 80 else 0,  # gaps would wash out thin rows
        )
    )
    fig.update_layout(
        title="Share of each criterion met in the latest reviewed plans (partly met counts 50%)",
        height=min(1600, max(260, 60 + 24 * len(labels))),
    )
    if len(labels) > 80:  # too many to label: hover names each row
        fig.update_yaxes(showticklabels=False, title="Learners (hover for names)")
    fig.update_yaxes(autorange="reversed")
    return chart(fig, label="criteria heatmap")


def check_answers_html(answers: Any) -> str:
    """One card per concept check: how many learners chose each answer first and at all, and
    the misconception behind the most common wrong first answer (what to address in the room).
    Checks with the most wrong first answers come first."""
    from goalstudio.exercises.check import load_checks

    known = {c.id: c for c in load_checks()}
    cards: list[tuple[int, str]] = []
    for check_id, rows in answers.groupby("check", sort=True):
        check = known.get(str(check_id))
        if check is None:  # a check since removed from the course: counts without text
            continue
        counts = {str(r.answer): (int(r.first), int(r.chosen)) for r in rows.itertuples()}
        total = sum(first for first, _ in counts.values())
        body = ""
        for key, answer in zip(check.letters(), check.answers, strict=True):
            first, chosen = counts.get(key, (0, 0))
            mark = '<span class="gs-chip gs-met">right answer</span>' if answer.correct else ""
            body += (
                f"<tr><th scope='row'>{esc(key.upper())}</th><td>{esc(answer.text)} {mark}</td>"
                f"<td>{first}</td><td>{chosen}</td></tr>"
            )
        wrong = [
            (counts.get(k, (0, 0))[0], k, a)
            for k, a in zip(check.letters(), check.answers, strict=True)
            if not a.correct
        ]
        top_n, top_key, top = max(wrong, key=lambda x: x[0])
        advice = (
            f"<p><b>Most chosen wrong first answer: {esc(top_key.upper())}</b> ({top_n} of "
            f"{total}). {esc(top.why)}</p>"
            if top_n
            else f"<p>Every first answer was right ({total}).</p>"
        )
        cards.append(
            (
                -sum(n for n, _k, _a in wrong),
                f'<div class="gs-card" role="group" aria-label="Concept check {esc(check.id)}">'
                f"<p><b>{esc(check.id)}</b>: {esc(check.question)}</p>"
                '<table class="gs-table"><thead><tr><th scope="col">Answer</th>'
                '<th scope="col">Text</th><th scope="col">First answer (learners)</th>'
                f'<th scope="col">Chosen at any try</th></tr></thead><tbody>{body}</tbody>'
                f"</table>{advice}</div>",
            )
        )
    cards.sort(key=lambda c: c[0])
    return "".join(html for _n, html in cards) or "<p>No concept check answered yet.</p>"


def _verdict_word(value: float) -> str:
    """One unit in every cell: the share of the criterion met (partly met counts half)."""
    if value != value:  # NaN
        return "-"
    return f"{value:.0%}"


def workshop_board(records: str | None = None, *, every: float = 5.0) -> WorkshopBoard:
    """The live workshop board (auto refresh every ``every`` seconds)."""
    return WorkshopBoard(records, every=every)
