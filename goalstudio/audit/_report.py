"""The audit report: one offline HTML page (Jinja2, autoescaped; plotly inline) or CSV rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from goalstudio.audit._measures import (
    MEASURES,
    Difference,
    Measure,
    chart_profile,
    common_phrases,
    compare,
    goal_profile,
    needs_work,
    value,
    verdict_profile,
)
from goalstudio.records import AuditPlan, AuditRound, RecordNotFound, RecordStore
from goalstudio.rubric import CHART_ITEMS, CRITERIA, CRITERION_TITLES, LABELS, VERDICT_WORDS
from goalstudio.templates import html_templates

_COLOURS = {  # readable on white, and told apart without colour by the legend's order
    "met": "#1b7837",
    "partly": "#b35806",
    "not_met": "#762a83",
    "person_centred": "#1b7837",
    "mixed": "#b35806",
    "deficit_led": "#762a83",
}


_ROUND_COLOURS = ("#4d4d4d", "#2166ac", "#b2182b", "#1b7837")  # first round grey, then distinct


class AuditReportError(ValueError):
    """A report that cannot be made as asked; the message says what to do."""


def load_rounds(
    store: RecordStore, names: Sequence[str]
) -> list[tuple[AuditRound, list[AuditPlan]]]:
    """The rounds named, in the order given, each with its plans."""
    rounds = {r.name: r for r in store.audit_rounds()}
    out = []
    for name in names:
        if name not in rounds:
            known = ", ".join(rounds) or "none yet"
            raise AuditReportError(
                f"there is no audit round called {name!r} (rounds: {known}). Run "
                f"'goalstudio audit run FOLDER --round {name}' first."
            )
        try:
            out.append((rounds[name], store.audit_plans(name)))
        except RecordNotFound:  # removed between the two reads
            raise AuditReportError(f"the audit round {name!r} has gone from the store") from None
    return out


def csv_report(rounds: Sequence[tuple[AuditRound, list[AuditPlan]]]) -> str:
    """One row per plan per round: how it was read, its verdicts, labels, language and chart."""
    columns = [
        "round",
        "source",
        "digest",
        "kind",
        "read",
        "words",
        *(f"verdict_{c}" for c in CRITERIA),
        *(f"goals_{label}" for label in LABELS),
        *(f"statements_{label}" for label in LABELS),
        "language_findings",
        "language_per_1000_words",
        *(f"cocapp_{item}" for item, _ in CHART_ITEMS),
    ]
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, lineterminator="\n")
    writer.writeheader()
    for audit_round, plans in rounds:
        for plan in plans:
            s = plan.summary
            row: dict[str, Any] = {
                "round": audit_round.name,
                "source": _cell(plan.source),
                "digest": plan.digest,
                "kind": plan.kind,
                "read": plan.read,
                "words": plan.words,
                "language_findings": s.get("language", {}).get("count", 0),
                "language_per_1000_words": s.get("language", {}).get("per_1000_words", 0),
            }
            for c in CRITERIA:
                row[f"verdict_{c}"] = s.get("verdicts", {}).get(c, "")
            for label in LABELS:
                row[f"goals_{label}"] = s.get("goals", {}).get(label, 0)
                row[f"statements_{label}"] = s.get("labels", {}).get(label, 0)
            for item, _ in CHART_ITEMS:
                row[f"cocapp_{item}"] = s.get("chart", {}).get(item, "")
            writer.writerow(row)
    return out.getvalue()


def _cell(text: str) -> str:
    # A cell starting with = + - @ runs as a formula in a spreadsheet; a quote keeps it text.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _shown(measure: Measure, number: float | None, *, signed: bool = False) -> str:
    if number is None:
        return "not available"
    if measure.unit == "share":
        points = number * 100
        return f"{points:+.1f} points" if signed else f"{points:.0f}%"
    return f"{number:+.1f}" if signed else f"{number:.1f}"


def summary_sentences(a: str, b: str, differences: Sequence[Difference]) -> list[str]:
    """A plain-language summary of what changed between two rounds, and what it does not show."""
    better: list[str] = []
    worse: list[str] = []
    for d in differences:
        if not d.clear or d.difference is None:
            continue
        improved = (d.difference > 0) == d.measure.higher_is_better
        title = d.measure.title
        title = title if title.startswith("COCAPP") else title[0].lower() + title[1:]
        words = f"{title} went from {_shown(d.measure, d.a)} to {_shown(d.measure, d.b)}"
        (better if improved else worse).append(words)
    sentences = []
    if better:
        sentences.append(
            f"Between {a} and {b}, the plans got better where " + _join(better, _SHOWN) + "."
        )
    if worse:
        sentences.append(f"They got worse where {_join(worse, _SHOWN)}.")
    if not better and not worse:
        sentences.append(
            f"Between {a} and {b}, no measure changed by more than the plans' own variation "
            "can explain: every 95% interval includes no change."
        )
    sentences.append(
        "These changes are the team's contribution to its plans. They are not proof that the "
        "training caused them: other things changed over the same time (staff, caseloads, "
        "templates, who was audited), and the rubric reads the wording of plans, not the "
        "conversations behind them."
    )
    return sentences


_SHOWN = 4  # changes named in the summary; the table lists them all


def _join(items: list[str], most: int) -> str:
    if len(items) > most:
        rest = len(items) - most
        more = f"{rest} more measure{'s' if rest != 1 else ''}, listed in the table below"
        items = [*items[:most], more]
    return items[0] if len(items) == 1 else "; ".join(items[:-1]) + "; and " + items[-1]


def _figures(rounds: Sequence[tuple[AuditRound, list[AuditPlan]]]) -> dict[str, str]:
    import plotly.graph_objects as go
    import plotly.io as pio

    def html(fig: Any, label: str) -> str:
        fig.update_layout(
            template="simple_white",
            margin={"l": 10, "r": 10, "t": 40, "b": 10},
            font={"size": 14, "color": "#1a1a1a"},
            legend={"orientation": "h", "y": -0.15},
            meta={"label": label},
        )
        return str(
            pio.to_html(
                fig,
                full_html=False,
                include_plotlyjs=False,
                config={"displaylogo": False, "responsive": True},
            )
        )

    names = [r.name for r, _ in rounds]
    criteria = go.Figure()
    titles = [CRITERION_TITLES[c] for c in reversed(CRITERIA)]  # plotly draws rows bottom-up
    for index, (audit_round, plans) in enumerate(reversed(rounds)):
        scores = []
        for c in reversed(CRITERIA):
            counts = verdict_profile(plans)[c]
            total = sum(counts.values())
            scores.append(100 * (counts["met"] + counts["partly"] / 2) / total if total else 0)
        criteria.add_bar(
            name=audit_round.name,
            y=titles,
            x=scores,
            orientation="h",
            marker_color=_ROUND_COLOURS[(len(rounds) - 1 - index) % len(_ROUND_COLOURS)],
            hovertemplate="%{x:.0f}%<extra>%{fullData.name}</extra>",
        )
    criteria.update_layout(
        barmode="group",
        title="Score on each criterion (met = 100%, partly met = 50%)",
        xaxis={"range": [0, 100], "ticksuffix": "%"},
        legend={"traceorder": "reversed"},
        height=200 + 50 * len(rounds) * len(CRITERIA) // 2,
    )
    goals = go.Figure()
    for label, words in (
        ("person_centred", "life outcomes"),
        ("mixed", "mixed"),
        ("deficit_led", "services or compliance"),
    ):
        shares = []
        for _, plans in rounds:
            goal_counts = goal_profile(plans)
            shares.append(100 * goal_counts[label] / max(sum(goal_counts.values()), 1))
        goals.add_bar(name=words, x=names, y=shares, marker_color=_COLOURS[label])
    goals.update_layout(barmode="stack", title="What the goals are about (% of goals)", height=380)
    return {
        "criteria": html(criteria, "criteria"),
        "goals": html(goals, "goals"),
    }


def render_html(rounds: Sequence[tuple[AuditRound, list[AuditPlan]]]) -> str:
    """The report page: self-contained, works offline, every value escaped."""
    from plotly.offline import get_plotlyjs

    from goalstudio.courseware.manifest import where_taught

    if not rounds:
        raise AuditReportError("name at least one audit round to report on")
    last_round, last_plans = rounds[-1]
    rows = []
    for measure in MEASURES:
        rows.append(
            {
                "title": measure.title,
                "values": [_shown(measure, value(plans, measure)) for _, plans in rounds],
            }
        )
    comparison = None
    if len(rounds) >= 2:
        (first, a_plans), (last, b_plans) = rounds[0], rounds[-1]
        differences = compare(a_plans, b_plans)
        comparison = {
            "a": first.name,
            "b": last.name,
            "rows": [
                {
                    "title": d.measure.title,
                    "a": _shown(d.measure, d.a),
                    "b": _shown(d.measure, d.b),
                    "difference": _shown(d.measure, d.difference, signed=True),
                    "interval": (
                        f"{_shown(d.measure, d.low, signed=True)} to "
                        f"{_shown(d.measure, d.high, signed=True)}"
                        if d.low is not None
                        else "not available"
                    ),
                    "clear": d.clear,
                }
                for d in differences
            ],
            "summary": summary_sentences(first.name, last.name, differences),
        }
    work = [
        {**item, "where": where_taught(item["teaches"]) if item.get("teaches") else ""}
        for item in needs_work(last_plans)
    ]
    template = html_templates("goalstudio.audit").get_template("report.html.j2")
    page = template.render(
        rounds=[
            {
                "name": r.name,
                "created": r.created_at[:10],
                "plans": len(plans),
                "full": sum(p.read == "full" for p in plans),
                "part": [p.source for p in plans if p.read != "full"],
                "phrases": common_phrases(plans),
            }
            for r, plans in rounds
        ],
        measures=rows,
        comparison=comparison,
        chart_items=[
            {
                "question": question,
                "answers": [chart_profile(plans)[item] for _, plans in rounds],
            }
            for item, question in CHART_ITEMS
        ],
        needs_work=work,
        last=last_round.name,
        verdict_words={v: words.lower() for v, words in VERDICT_WORDS.items()},
        figures=_figures(rounds),
        plotly_js=get_plotlyjs(),
        made=datetime.now(UTC).strftime("%d %B %Y"),
    )
    return page
