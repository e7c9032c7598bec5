"""The competence gap: self-rated confidence before and after the course against the skill each
learner demonstrated in the rubric, and the team's pre/post change per competency domain."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from goalstudio.records import RecordStore
from goalstudio.records import reports as q

from ._common import (
    PER_LEARNER_LIMIT,
    Dashboard,
    chart,
    frame,
    go,
    plural,
    ptext,
)

GRID = 0.25  # above the limit, learners within a quarter point of each other share one dot

EXPLANATION = """
<div class="gs-explain">
<p><b>Why confidence often runs ahead of skill at the start.</b> People who are new to a way of
working tend to rate themselves higher than their work shows, because the knowledge needed to do
something well is the same knowledge needed to notice what is missing (Kruger and Dunning, 1999).
Many teams say "we already do this" about person-centred planning, and then find that their plans
still list services rather than the life the person wants.</p>
<p><b>How to read the chart.</b> Each dot is one learner. Across: how confident they said they
were (1 to 5). Up: what their latest plans showed in the rubric, on the same 1 to 5 scale. Dots
below the diagonal are more confident than their plans show yet; dots above it show more skill
than confidence. After the course, self-ratings often fall a little while the demonstrated score
rises: that is learning to see the gap, not losing ground.</p>
<p><b>Why it matters.</b> Confidence that runs ahead of skill hides the need for practice and
supervision. Use the gap gently, in private, and as a starting point for a conversation.</p>
</div>
"""


# The modules whose notebooks ask for a self-rating (a test checks this against the course).
SELF_RATING_MODULES = ("01", "08")
_COMPETENCE_FLOATS = ("pre", "post", "demonstrated", "demonstrated_1_5")


class CompetenceGap(Dashboard):
    title = "The competence gap"
    intro = "Self-ratings before and after the course beside the skill shown in the plans."

    def __init__(self, records: str | None = None) -> None:
        super().__init__(records, anonymise_switch=True)

    def empty_reason(self, store: RecordStore) -> str:
        counts = q.store_counts(store)
        if not any(counts.values()):
            return self.empty_text
        modules = " and ".join(SELF_RATING_MODULES)
        if counts["self_ratings"] == 0:
            return (
                f"No self-ratings yet: learners are asked for them in modules {modules}, and the "
                f"gap compares them with their plans ({plural(counts['plans'], 'submitted plan')} "
                "in the store so far)."
            )
        return (
            f"No plans to compare with yet: {plural(counts['self_ratings'], 'self-rating')} in "
            "the store, and the gap appears once the same learners submit a reviewed plan."
        )

    def build(self, store: RecordStore) -> list[w.Widget] | None:
        table = frame(q.competence(store), q.Competence, floats=_COMPETENCE_FLOATS)
        if table.empty:
            return None
        names = self.names(store)
        parts: list[w.Widget] = [w.HTML(EXPLANATION)]
        learners = table["learner"].nunique()
        if learners > PER_LEARNER_LIMIT:
            # Hundreds of overlapping dots hide how many learners sit where (and are slow to
            # draw): merge learners at the same point into one dot sized by the count.
            parts += [
                w.HTML(
                    f"<p>{learners} learners: more than {PER_LEARNER_LIMIT}, so learners within "
                    "a quarter point of each other share one dot, and a bigger dot stands for "
                    "more learners.</p>"
                ),
                _scatter(_merged(table), merged=True),
            ]
        else:
            parts.append(_scatter(names.column(table)))
        change = frame(q.rating_change(store), q.RatingChange, floats=("pre", "post"))
        if not change.empty:
            parts += [w.HTML("<h3>The team's self-ratings, before and after</h3>"), _change(change)]
        return parts


def _merged(frame: Any) -> Any:
    """One row per phase and rounded point: the self-rating, the demonstrated score, the count."""
    import pandas as pd

    parts = []
    for phase in ("pre", "post"):
        part = frame.dropna(subset=[phase, "demonstrated_1_5"])
        if part.empty:
            continue
        point = pd.DataFrame(
            {
                "x": (part[phase] / GRID).round() * GRID,
                "y": (part["demonstrated_1_5"] / GRID).round() * GRID,
            }
        )
        counted = point.groupby(["x", "y"], as_index=False).size()
        parts.append(counted.assign(phase=phase))
    if not parts:
        return pd.DataFrame(columns=["x", "y", "size", "phase"])
    return pd.concat(parts, ignore_index=True)


def _scatter(frame: Any, *, merged: bool = False) -> w.Widget:
    fig = go().Figure()
    fig.add_scatter(
        x=[1, 5],
        y=[1, 5],
        mode="lines",
        name="Confidence matches skill",
        line={"color": "#6b7280", "dash": "dash"},
        hoverinfo="skip",
    )
    for phase, color, symbol in (("pre", "#c2410c", "circle"), ("post", "#1d4ed8", "diamond")):
        label = "Before the course" if phase == "pre" else "After the course"
        if merged:
            part = frame[frame["phase"] == phase]
            if part.empty:
                continue
            fig.add_scatter(
                x=part["x"],
                y=part["y"],
                mode="markers",
                name=label,
                marker={
                    "size": (6 + 4 * part["size"] ** 0.5).round(1),
                    "color": color,
                    "symbol": symbol,
                    "opacity": 0.7,
                },
                customdata=part["size"],
                hovertemplate="%{customdata} learners<br>self-rating %{x:.2f}<br>shown in "
                "plans %{y:.2f}<extra>" + label + "</extra>",
            )
            continue
        part = frame.dropna(subset=[phase, "demonstrated_1_5"])
        if part.empty:
            continue
        fig.add_scatter(
            x=part[phase],
            y=part["demonstrated_1_5"],
            mode="markers",
            name=label,
            marker={"size": 10, "color": color, "symbol": symbol, "opacity": 0.8},
            text=[ptext(n) for n in part["learner"]],
            hovertemplate="%{text}<br>self-rating %{x:.1f}<br>shown in plans %{y:.1f}<extra>"
            + label
            + "</extra>",
        )
    fig.update_layout(
        title="Self-rating against demonstrated skill (1 to 5)",
        xaxis={"title": "Self-rating (mean of the competency domains)", "range": [0.8, 5.2]},
        yaxis={"title": "Demonstrated in the rubric", "range": [0.8, 5.2]},
        height=460,
    )
    return chart(fig, label="competence scatter")


def _change(change: Any) -> w.Widget:
    from goalstudio.exercises.rating import COMPETENCIES

    titles = {c.domain: f"{c.domain}. {c.title}" for c in COMPETENCIES}
    domains = ["<br>".join(_wrap(ptext(titles.get(d, d)))) for d in change["domain"]]
    fig = go().Figure()
    fig.add_bar(
        name="Before the course",
        x=domains,
        y=change["pre"],
        marker_color="#fdba74",
        hovertemplate="%{x}: %{y:.2f} before<extra></extra>",
    )
    fig.add_bar(
        name="After the course",
        x=domains,
        y=change["post"],
        marker_color="#93c5fd",
        hovertemplate="%{x}: %{y:.2f} after<extra></extra>",
    )
    fig.update_layout(
        barmode="group",
        title="Mean self-rating per competency domain",
        yaxis={"range": [0, 5], "title": "Mean rating (1 to 5)"},
        height=360,
    )
    return chart(fig, label="pre/post change")


def _wrap(text: str, width: int = 22) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def competence_gap(records: str | None = None) -> CompetenceGap:
    return CompetenceGap(records)
