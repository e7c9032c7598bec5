"""The rubric profile: how the team's latest plans do on each criterion and on each chart-review
item, for all case studies or one, so a trainer can see which skill to teach next."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from goalstudio.records import Override, RecordStore
from goalstudio.records import reports as q
from goalstudio.rubric import CRITERIA, CRITERION_SHORT_TITLES, VERDICT_WORDS

from ._common import (
    Dashboard,
    chart,
    esc,
    frame,
    go,
    plural,
    scenario_title,
    table,
)
from ._override import OverrideForm, overrides_html

ALL = "All case studies"
VERDICT_COLOURS = tuple(
    (v, VERDICT_WORDS[v], colour)
    for v, colour in (("met", "#16a34a"), ("partly", "#eab308"), ("not_met", "#dc2626"))
)
ANSWER_COLOURS = (
    ("yes", "Yes", "#16a34a"),
    ("unclear", "Unclear", "#9ca3af"),
    ("no", "No", "#dc2626"),
)


class RubricProfile(Dashboard):
    title = "Rubric profile"
    intro = (
        "The share of the team's latest plans meeting each criterion, and the answers to each "
        "chart-review item. Choose a case study to see its profile alone. Where you disagree "
        "with a verdict, record your own below: the profile counts it, beside the rubric's."
    )

    def __init__(self, records: str | None = None) -> None:
        self.scenario = w.Dropdown(options=[ALL], value=ALL, description="Case study")
        self.scenario.observe(lambda _c: self.refresh(), names="value")
        self.override_form = OverrideForm(records)
        super().__init__(records)
        self.override_form.records = self.records

    def extra_controls(self) -> list[w.Widget]:
        return [self.scenario]

    def empty_reason(self, store: RecordStore) -> str:
        if not any(q.store_counts(store).values()):
            return self.empty_text
        return (
            "No reviewed plans or chart reviews yet: they appear here once learners submit a "
            "plan rewrite (module 03) or a chart review."
        )

    def build(self, store: RecordStore) -> list[w.Widget] | None:
        profile = frame(q.rubric_profile(store), q.VerdictCount)
        items = frame(q.chart_item_profile(store), q.AnswerCount)
        if profile.empty and items.empty:
            return None
        known = sorted(set(profile["scenario"]) | set(items["scenario"]))
        options = [(ALL, ALL), *[(scenario_title(s), s) for s in known if s]]
        if list(self.scenario.options) != options:
            keep = self.scenario.value if self.scenario.value in [v for _, v in options] else ALL
            with self.scenario.hold_trait_notifications():
                self.scenario.options = options
                self.scenario.value = keep
        chosen = self.scenario.value
        if chosen != ALL:
            profile = profile[profile["scenario"] == chosen]
            items = items[items["scenario"] == chosen]
        parts: list[w.Widget] = []
        if not profile.empty:
            per = profile.groupby(["criterion", "verdict"], as_index=False)["times"].sum()
            shares, totals = _shares(per, "criterion", list(CRITERIA), VERDICT_COLOURS)
            parts += [
                _advice(shares),
                _criteria_chart(shares, totals),
                w.HTML(_criteria_table(shares, totals)),
            ]
        if not items.empty:
            per_item = items.groupby(["item", "answer"], as_index=False)["times"].sum()
            parts += [w.HTML("<h3>Chart-review items</h3>"), _items_chart(per_item)]
        if not parts:
            parts.append(w.HTML(f"<p>No reviewed work for {esc(chosen)} yet.</p>"))
        overrides = frame(q.overrides_in_force(store), Override)
        if chosen != ALL:
            overrides = overrides[overrides["scenario"] == chosen]
        self.override_form.set_plans(q.reviewed_plans(store, None if chosen == ALL else chosen))
        parts += [
            w.HTML("<h3>Facilitators' overrides</h3>" + overrides_html(overrides)),
            self.override_form,
        ]
        return parts


def _shares(per: Any, key: str, order: list[str], values: tuple[tuple[str, str, str], ...]) -> Any:
    wide = per.pivot_table(index=key, columns=per.columns[1], values="times", aggfunc="sum")
    wide = wide.reindex(index=[k for k in order if k in wide.index]).fillna(0)
    for value, _label, _colour in values:
        if value not in wide.columns:
            wide[value] = 0.0
    totals = wide.sum(axis=1)
    return wide.div(totals, axis=0) * 100.0, totals


def _criteria_chart(shares: Any, totals: Any) -> w.Widget:
    labels = [CRITERION_SHORT_TITLES[c] for c in shares.index]
    fig = go().Figure()
    for value, label, colour in VERDICT_COLOURS:
        fig.add_bar(
            name=label,
            y=labels,
            x=shares[value],
            orientation="h",
            marker_color=colour,
            hovertemplate="%{y}: %{x:.0f}% " + label + "<extra></extra>",
        )
    fig.update_layout(
        barmode="stack",
        title=f"The five criteria ({plural(int(totals.max()), 'plan')})",
        xaxis={"range": [0, 100], "title": "% of latest plans"},
        height=340,
    )
    fig.update_yaxes(autorange="reversed")
    return chart(fig, label="criteria profile")


def _items_chart(per: Any) -> w.Widget:
    from goalstudio.rubric import CHART_ITEMS

    titles = dict(CHART_ITEMS)
    shares, _totals = _shares(per, "item", [i for i, _t in CHART_ITEMS], ANSWER_COLOURS)
    labels = [titles[i] for i in shares.index]
    fig = go().Figure()
    for value, label, colour in ANSWER_COLOURS:
        fig.add_bar(
            name=label,
            y=labels,
            x=shares[value],
            orientation="h",
            marker_color=colour,
            hovertemplate="%{y}: %{x:.0f}% " + label + "<extra></extra>",
        )
    fig.update_layout(
        barmode="stack",
        title="Care plan review items (COCAPP)",
        xaxis={"range": [0, 100], "title": "% of chart reviews"},
        height=100 + 34 * len(labels),
    )
    fig.update_yaxes(autorange="reversed")
    return chart(fig, label="chart review items")


def _criteria_table(shares: Any, totals: Any) -> str:
    """The chart's numbers as a table: readable on a projector and by a screen reader. (The bars
    carry no text of their own: placing text in bars is the largest cost of drawing them.)"""
    frame = shares.round(0).astype(int).astype(str) + "%"
    frame = frame.assign(
        criterion=[CRITERION_SHORT_TITLES[c] for c in shares.index], plans=totals.astype(int)
    )
    columns = {"criterion": "Criterion", **{v: label for v, label, _c in VERDICT_COLOURS}}
    return table(frame, {**columns, "plans": "Plans"})


def _advice(shares: Any) -> w.Widget:
    weakest = shares["met"].idxmin()
    return w.HTML(
        f"<p><b>Teach next:</b> {esc(CRITERION_SHORT_TITLES[weakest])}: "
        f"{shares['met'][weakest]:.0f}% of the latest plans meet it.</p>"
    )


def rubric_profile(records: str | None = None) -> RubricProfile:
    return RubricProfile(records)
