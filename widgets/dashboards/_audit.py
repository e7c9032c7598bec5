"""Practice audit rounds over time: each round of the team's de-identified plans (its date, plan
count, the five criteria, what the goals are about, language) and what changed between rounds.

The numbers are the audit report's (``goalstudio audit report``), read through
``goalstudio.audit.audit_history``. An audit round names no learner and no person: the page shows
round names and counts only, so it can go on a shared screen.
"""

from __future__ import annotations

import logging

import ipywidgets as w

from goalstudio.audit import Difference, RoundChange, RoundProfile, audit_history
from goalstudio.records import RecordStore
from goalstudio.rubric import CRITERIA, CRITERION_TITLES, VERDICT_WORDS, VERDICTS

from ._common import Dashboard, _clock, chart, esc, go, plural, ptext

log = logging.getLogger("goalstudio.dashboards")

GOAL_KINDS = (
    ("person_centred", "Life outcomes", "#1b7837"),
    ("mixed", "Mixed", "#b35806"),
    ("deficit_led", "Services or compliance", "#762a83"),
)
ROUND_COLOURS = ("#4b5563", "#2563eb", "#c2410c", "#15803d", "#7c3aed", "#0891b2")
FIRST_ROUND = (
    '<div class="gs-empty" role="status"><p><b>No data yet: this records store holds no practice '
    "audit rounds.</b></p><p>An audit round reads a sample of the team's real care plans, "
    "de-identified, with the rubric the course teaches. To run a first round:</p><ol>"
    "<li>Copy a sample of the team's plans into one folder, with names, dates of birth, "
    "NHS numbers, addresses and phone numbers taken out (30 or more plans is a sensible "
    "minimum).</li>"
    "<li>In a terminal on this server, run <code>goalstudio audit run FOLDER --round "
    "baseline</code>. Files that look identifying are refused and nothing of them is "
    "stored.</li>"
    "<li>Some months after the course, take a new sample the same way and run it with "
    "<code>--round follow-up</code>. This page then shows what changed.</li></ol>"
    "<p>The guide <i>A practice audit of your team's plans</i> (docs/audit.md) explains each "
    "step. Press Refresh once a round has run.</p></div>"
)


def _percent(number: float | None) -> str:
    return "not available" if number is None else f"{number * 100:.0f}%"


def _shown(difference: Difference, number: float | None, *, signed: bool = False) -> str:
    if number is None:
        return "not available"
    if difference.measure.unit == "share":
        return f"{number * 100:+.0f} points" if signed else f"{number * 100:.0f}%"
    return f"{number:+.1f}" if signed else f"{number:.1f}"


def reading(difference: Difference) -> str:
    """What one change shows, in words: better, worse, or no clear change."""
    if difference.difference is None:
        return "Cannot compare: a round has no plans this measure applies to"
    if not difference.clear:
        return "No clear change (the interval includes no change)"
    improved = (difference.difference > 0) == difference.measure.higher_is_better
    return "Better" if improved else "Worse"


class AuditRounds(Dashboard):
    title = "Practice audit rounds"
    intro = (
        "Each practice audit of the team's de-identified plans, oldest first, and what changed "
        "from one round to the next. The numbers are the audit report's. A change is the team's "
        "contribution to its plans, not proof that the training caused it. No names are shown."
    )

    def __init__(self, records: str | None = None) -> None:
        self._rounds_seen: tuple[tuple[str, int], ...] | None = None
        super().__init__(records)

    def build(self, store: RecordStore) -> list[w.Widget] | None:
        history = audit_history(store)
        self._rounds_seen = tuple((p.round.name, p.round.plans) for p in history.rounds)
        if not history.rounds:
            return [w.HTML(FIRST_ROUND)]
        rounds = history.rounds
        parts: list[w.Widget] = [
            w.HTML(_rounds_table(rounds)),
            w.HTML("<h3>The five criteria</h3>"),
            _criteria_chart(rounds),
            w.HTML(_criteria_table(rounds)),
            w.HTML("<h3>What the goals are about</h3>"),
            _goals_chart(rounds),
            w.HTML("<h3>Deficit-led language</h3>"),
            _language_chart(rounds),
        ]
        if history.changes:
            parts.append(w.HTML("<h3>What changed between rounds</h3>" + _CHANGE_HELP))
            parts += [w.HTML(_change_html(change)) for change in history.changes]
        else:
            parts.append(
                w.HTML(
                    "<p><b>One round so far.</b> Run a follow-up round some months after the "
                    "course (<code>goalstudio audit run FOLDER --round follow-up</code>) to see "
                    "what changed.</p>"
                )
            )
        return parts

    def refresh_if_changed(self, *, quiet: bool = False) -> bool:
        """Rebuild when a round was added or grew since the last read (the learners' records,
        which the other dashboards watch, say nothing about audit rounds)."""
        try:
            seen = tuple((r.name, r.plans) for r in self.store().audit_rounds())
        except Exception as exc:
            log.warning("%s: %s", self.title, exc)
            self.forget_store()
            self.refresh()
            return True
        if self._rounds_seen is not None and seen == self._rounds_seen:
            if not quiet:
                self.status.value = esc(f"Read from {self.where()}; up to date at {_clock()}.")
            return False
        self.refresh()
        return True


_CHANGE_HELP = (
    "<p>Each change comes with a 95% interval from a bootstrap (the plans of each round "
    "resampled 2,000 times). <b>Better</b> or <b>Worse</b> means the interval leaves out no "
    "change: the plans' own variation cannot explain it. Criteria count a met plan as 100% and "
    "a partly met plan as 50%.</p>"
)


def _rounds_table(rounds: tuple[RoundProfile, ...]) -> str:
    head = (
        "<tr><th scope='col'>Round</th><th scope='col' class='gs-n'>Date</th>"
        "<th scope='col' class='gs-n'>Plans</th><th scope='col'>Read only in part</th>"
        "<th scope='col'>Goals that are life outcomes</th>"
        "<th scope='col'>Goals about services or compliance</th>"
        "<th scope='col'>Deficit-led language per 1,000 words</th></tr>"
    )
    rows = []
    for p in rounds:
        language = p.values["language:per_1000"]
        rows.append(
            f"<tr><th scope='row'>{esc(p.round.name)}</th><td class='gs-n'>{esc(p.date)}</td>"
            f"<td class='gs-n'>{p.round.plans}</td><td>{p.read_in_part}</td>"
            f"<td>{_percent(p.values['goals:life_outcomes'])}</td>"
            f"<td>{_percent(p.values['goals:service'])}</td>"
            f"<td>{'not available' if language is None else f'{language:.1f}'}</td></tr>"
        )
    return (
        f'<table class="gs-table"><caption class="gs-status">{plural(len(rounds), "round")}, '
        f"oldest first</caption><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _criteria_table(rounds: tuple[RoundProfile, ...]) -> str:
    """Each criterion's profile per round in words: the chart's numbers, for a screen reader and
    for anyone who wants the counts."""
    head = "<th scope='col'>Criterion</th>" + "".join(
        f"<th scope='col'>{esc(p.round.name)}</th>" for p in rounds
    )
    rows = []
    for criterion in CRITERIA:
        cells = []
        for p in rounds:
            counts = p.verdicts.get(criterion, {})
            if sum(counts.get(v, 0) for v in VERDICTS) == 0:
                cells.append("<td>no plan read in full</td>")
                continue
            score = _percent(p.values[f"criterion:{criterion}"])
            counts_text = ", ".join(
                f"{counts.get(v, 0)} {VERDICT_WORDS[v].lower()}" for v in VERDICTS
            )
            cells.append(f"<td><b>{score}</b>: {counts_text}</td>")
        rows.append(
            f"<tr><th scope='row'>{esc(CRITERION_TITLES[criterion])}</th>{''.join(cells)}</tr>"
        )
    return (
        f'<table class="gs-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _round_colour(index: int) -> str:
    return ROUND_COLOURS[index % len(ROUND_COLOURS)]


def _criteria_chart(rounds: tuple[RoundProfile, ...]) -> w.Widget:
    labels = [CRITERION_TITLES[c] for c in CRITERIA]
    fig = go().Figure()
    for index, p in enumerate(rounds):
        values = [p.values[f"criterion:{c}"] for c in CRITERIA]
        fig.add_bar(
            name=ptext(p.round.name),
            y=labels,
            x=[None if v is None else v * 100 for v in values],
            orientation="h",
            marker_color=_round_colour(index),
            hovertemplate="%{y}: %{x:.0f}%<extra>%{fullData.name}</extra>",
        )
    fig.update_layout(
        barmode="group",
        title="Score on each criterion by round (met 100%, partly 50%)",
        xaxis={"range": [0, 100], "title": "% score over the round's plans"},
        height=160 + 26 * len(CRITERIA) * len(rounds),
        legend={"traceorder": "normal"},
    )
    fig.update_yaxes(autorange="reversed")
    return chart(fig, label="criteria by round")


def _goals_chart(rounds: tuple[RoundProfile, ...]) -> w.Widget:
    names = [ptext(p.round.name) for p in rounds]
    fig = go().Figure()
    for kind, label, colour in GOAL_KINDS:
        shares = []
        for p in rounds:
            total = sum(p.goals.values())
            shares.append(p.goals.get(kind, 0) * 100 / total if total else None)
        fig.add_bar(
            name=label,
            y=names,
            x=shares,
            orientation="h",
            marker_color=colour,
            hovertemplate="%{y}: %{x:.0f}% " + label.lower() + "<extra></extra>",
        )
    fig.update_layout(
        barmode="stack",
        title="Share of goals by what they are about",
        xaxis={"range": [0, 100], "title": "% of the round's goals"},
        height=140 + 40 * len(rounds),
        legend={"traceorder": "normal"},  # the legend in the bars' order, left to right
    )
    fig.update_yaxes(autorange="reversed")
    return chart(fig, label="goals by round")


def _language_chart(rounds: tuple[RoundProfile, ...]) -> w.Widget:
    fig = go().Figure(
        go().Bar(
            x=[ptext(p.round.name) for p in rounds],
            y=[p.values["language:per_1000"] for p in rounds],
            marker_color=[_round_colour(i) for i in range(len(rounds))],
            hovertemplate="%{x}: %{y:.1f} per 1,000 words<extra></extra>",
        )
    )
    fig.update_layout(
        title="Deficit-led language findings per 1,000 words (lower is better)",
        yaxis={"title": "Per 1,000 words", "rangemode": "tozero"},
        height=320,
    )
    return chart(fig, label="language by round")


def _change_html(change: RoundChange) -> str:
    rows = []
    for d in change.differences:
        interval = (
            "not available"
            if d.low is None or d.high is None
            else f"{_shown(d, d.low, signed=True)} to {_shown(d, d.high, signed=True)}"
        )
        rows.append(
            f"<tr><th scope='row'>{esc(d.measure.title)}</th><td>{_shown(d, d.a)}</td>"
            f"<td>{_shown(d, d.b)}</td><td>{_shown(d, d.difference, signed=True)}</td>"
            f"<td>{interval}</td><td>{esc(reading(d))}</td></tr>"
        )
    better = sum(1 for d in change.differences if reading(d) == "Better")
    worse = sum(1 for d in change.differences if reading(d) == "Worse")
    summary = (
        f"{plural(better, 'measure')} clearly better, {plural(worse, 'measure')} clearly worse, "
        f"the rest with no clear change."
    )
    return (
        f"<h4>From {esc(change.before)} to {esc(change.after)}</h4><p>{esc(summary)}</p>"
        '<table class="gs-table"><thead><tr><th scope="col">Measure</th>'
        f'<th scope="col">{esc(change.before)}</th><th scope="col">{esc(change.after)}</th>'
        '<th scope="col">Change</th><th scope="col">95% interval</th>'
        '<th scope="col">What it shows</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def audit_rounds(records: str | None = None) -> AuditRounds:
    return AuditRounds(records)
