"""Cohort progress: module completion and time on task per learner, gradebook scores, filters
by group and date, and the learners who have not been active for N days."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import ipywidgets as w

from goalstudio.records import RecordStore
from goalstudio.records import reports as q

from ._common import (
    PER_LEARNER_LIMIT,
    Dashboard,
    chart,
    esc,
    frame,
    go,
    message,
    ptext,
    settings,
    table,
)
from ._roster import load_roster

EVERYONE = "Everyone"


class CohortProgress(Dashboard):
    title = "Cohort progress"
    intro = (
        "Module completion and time on task for each learner, grades from the gradebook, and "
        "who may need a follow-up message between sessions."
    )

    def __init__(
        self,
        records: str | None = None,
        *,
        gradebook: str | None = None,
        roster: str | None = None,
    ) -> None:
        conf = settings()
        self.gradebook = gradebook or conf["gradebook"]
        self.roster_path = roster or conf["roster"]
        self.roster_problem = ""
        try:
            self.roster = load_roster(self.roster_path)
        except ValueError as exc:
            self.roster = load_roster(None)
            self.roster_problem = str(exc)
        groups = sorted(set(self.roster["group"])) if not self.roster.empty else []
        self.group = w.Dropdown(options=[EVERYONE, *groups], value=EVERYONE, description="Group")
        self.since = w.DatePicker(description="From", value=None)
        self.until = w.DatePicker(description="Until", value=None)
        self.days = w.BoundedIntText(value=7, min=1, max=365, description="Inactive for (days)")
        self.days.style = {"description_width": "initial"}
        for control in (self.group, self.since, self.until, self.days):
            control.observe(lambda _c: self.refresh(), names="value")
        super().__init__(records, anonymise_switch=True)

    def extra_controls(self) -> list[w.Widget]:
        note = ""
        if self.roster_problem:
            note = f'<div class="gs-problem">{esc(self.roster_problem)}</div>'
        elif self.roster.empty:
            note = (
                '<p class="gs-status">Groups come from a roster CSV with learner and group '
                "columns: goalstudio dashboard --roster FILE.</p>"
            )
        return [w.HBox([self.group, self.since, self.until]), self.days, w.HTML(note)]

    def _members(self) -> set[str] | None:
        if self.group.value == EVERYONE or self.roster.empty:
            return None
        return set(self.roster.loc[self.roster["group"] == self.group.value, "learner"])

    def build(self, store: RecordStore) -> list[w.Widget] | None:
        since = self.since.value.isoformat() if isinstance(self.since.value, date) else None
        until = None
        if isinstance(self.until.value, date):
            until = (self.until.value + timedelta(days=1)).isoformat()
        work = frame(q.progress(store, since=since, until=until), q.ModuleWork)
        if not q.last_seen(store):
            return None
        members = self._members()
        if members is not None:
            work = work[work["learner"].isin(members)]
        names = self.names(store)
        parts: list[w.Widget] = []
        if work.empty:
            parts.append(
                message(
                    "empty",
                    "No activity matches these filters. Widen the dates or choose another group.",
                )
            )
        elif work["learner"].nunique() > PER_LEARNER_LIMIT:
            # Hundreds of bars without names teach nothing and are slow to draw: show the whole
            # group, and let a roster group narrow it down to individual learners.
            parts += [
                w.HTML(
                    f"<h3>Learners in each module</h3><p>{work['learner'].nunique()} learners: "
                    f"more than {PER_LEARNER_LIMIT}, so the charts show the whole group. Choose "
                    "a group (from the roster) or a date range to see each learner.</p>"
                ),
                _module_reach_chart(work),
                w.HTML("<h3>Time on task</h3>"),
                _time_spread_chart(work),
            ]
        else:
            parts += [
                w.HTML("<h3>Activities completed per learner, by module</h3>"),
                _completion_chart(work, names),
                w.HTML("<h3>Time on task</h3>"),
                _time_chart(work, names),
            ]
        inactive = frame(q.inactive(store, float(self.days.value)), q.Inactive)
        if members is not None:
            inactive = inactive[inactive["learner"].isin(members)]
        parts.append(
            w.HTML(f"<h3>Not active for {int(self.days.value)} days or more ({len(inactive)})</h3>")
        )
        if inactive.empty:
            parts.append(w.HTML("<p>Everyone has been active recently.</p>"))
        else:
            shown = names.column(inactive).assign(
                last_active=inactive["last_active"].str.slice(0, 10)
            )
            parts.append(
                w.HTML(
                    table(
                        shown,
                        {
                            "learner": "Learner",
                            "last_active": "Last active",
                            "days_inactive": "Days",
                        },
                        limit=200,
                    )
                )
            )
        parts += self._grades(members, names)
        return parts

    def _grades(self, members: set[str] | None, names: Any) -> list[w.Widget]:
        from goalstudio.grading import gradebook_scores  # nbgrader only once a folder is given

        scores, why = gradebook_scores(self.gradebook)
        head = w.HTML("<h3>Assignment scores (gradebook)</h3>")
        if scores is None:
            return [head, w.HTML(f'<p class="gs-status">{esc(why)}</p>')]
        if members is not None:
            scores = scores[scores["learner"].isin(members)]
        if scores.empty:
            return [head, w.HTML("<p>No grades for this group yet.</p>")]
        if scores["learner"].nunique() > PER_LEARNER_LIMIT:
            return [head, _score_summary_chart(scores)]
        scores = names.column(scores)
        fig = go().Figure()
        for assignment, part in scores.groupby("assignment", sort=True):
            fig.add_bar(
                name=ptext(assignment),
                x=[ptext(n) for n in part["learner"]],
                y=part["percent"],
                hovertemplate="%{x}: %{y:.0f}%<extra>%{fullData.name}</extra>",
            )
        fig.update_layout(
            barmode="group",
            title="Score (% of points) per assignment",
            yaxis={"range": [0, 100], "title": "%"},
            height=380,
        )
        return [head, chart(fig, label="gradebook scores")]


def _score_summary_chart(scores: Any) -> w.Widget:
    per = scores.groupby("assignment", sort=True)["percent"].agg(["mean", "count"])
    fig = go().Figure(
        go().Bar(
            x=[ptext(a) for a in per.index],
            y=per["mean"].round(0),
            customdata=per["count"],
            hovertemplate="%{x}: mean %{y:.0f}% over %{customdata} learners<extra></extra>",
            marker_color="#1d4ed8",
        )
    )
    fig.update_layout(
        title="Mean score (% of points) per assignment, whole group",
        yaxis={"range": [0, 100], "title": "%"},
        height=340,
    )
    return chart(fig, label="gradebook scores")


def _completion_chart(frame: Any, names: Any) -> w.Widget:
    shown = names.column(frame)
    totals = shown.groupby("learner", as_index=False)["completed"].sum()
    order = totals.sort_values(["completed", "learner"], ascending=[True, True])["learner"]
    fig = go().Figure()
    for module, part in shown.groupby("module", sort=True):
        fig.add_bar(
            name=ptext(f"Module {module}" if module else "No module"),
            y=[ptext(n) for n in part["learner"]],
            x=part["completed"],
            orientation="h",
            hovertemplate="%{y}: %{x} completed<extra>%{fullData.name}</extra>",
        )
    fig.update_layout(
        barmode="stack",
        title="Activities completed",
        xaxis={"title": "Activities"},
        height=min(1400, max(300, 90 + 24 * len(order))),
    )
    fig.update_yaxes(
        tickmode="linear",
        categoryorder="array",
        categoryarray=[ptext(n) for n in order],
    )
    return chart(fig, label="completion by module")


def _time_chart(frame: Any, names: Any) -> w.Widget:
    shown = names.column(frame)
    per = shown.groupby("learner", as_index=False)["minutes"].sum().sort_values("minutes")
    fig = go().Figure(
        go().Bar(
            x=[ptext(n) for n in per["learner"]],
            y=per["minutes"].round(0),
            hovertemplate="%{x}: %{y:.0f} minutes<extra></extra>",
            marker_color="#2563eb",
        )
    )
    fig.update_layout(
        title="Minutes on task (gaps over 30 minutes count as breaks)",
        yaxis={"title": "Minutes"},
        height=340,
    )
    return chart(fig, label="time on task")


def _module_reach_chart(frame: Any) -> w.Widget:
    per = frame.assign(done=frame["completed"] > 0)
    per = per.groupby("module", sort=True).agg(
        done=("done", "sum"), learners=("learner", "nunique")
    )
    modules = [ptext(f"Module {m}" if m else "No module") for m in per.index]
    fig = go().Figure()
    fig.add_bar(
        name="Completed at least one activity",
        x=modules,
        y=per["done"],
        marker_color="#1d4ed8",
        hovertemplate="%{x}: %{y} learners completed an activity<extra></extra>",
    )
    fig.add_bar(
        name="Active, nothing completed yet",
        x=modules,
        y=(per["learners"] - per["done"]).clip(lower=0),
        marker_color="#fdba74",
        hovertemplate="%{x}: %{y} learners active, nothing completed yet<extra></extra>",
    )
    fig.update_layout(
        barmode="stack", title="Learners active in each module", yaxis={"title": "Learners"}
    )
    return chart(fig, label="learners in each module")


def _time_spread_chart(frame: Any) -> w.Widget:
    minutes = frame.groupby("learner")["minutes"].sum()
    # Bins are counted here, so the page carries a dozen bars rather than every learner's total.
    top = max(float(minutes.max()), 1.0)
    step = max(5.0, float(round(top / 12.0 / 5.0) * 5.0))
    edges = [i * step for i in range(int(top // step) + 2)]
    counts = minutes.groupby(minutes.floordiv(step)).size()
    labels = [f"{edges[i]:.0f}–{edges[i + 1]:.0f}" for i in range(len(edges) - 1)]
    values = [int(counts.get(float(i), 0)) for i in range(len(labels))]
    fig = go().Figure(
        go().Bar(
            x=labels,
            y=values,
            hovertemplate="%{x} minutes: %{y} learners<extra></extra>",
            marker_color="#2563eb",
        )
    )
    fig.update_layout(
        title="Learners by minutes on task (gaps over 30 minutes count as breaks)",
        xaxis={"title": "Minutes on task"},
        yaxis={"title": "Learners"},
        height=340,
    )
    return chart(fig, label="spread of time on task")


def cohort_progress(
    records: str | None = None, *, gradebook: str | None = None, roster: str | None = None
) -> CohortProgress:
    return CohortProgress(records, gradebook=gradebook, roster=roster)
