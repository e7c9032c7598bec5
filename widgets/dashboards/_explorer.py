"""The scenario explorer, for preparing a session: any case study with its facilitator notes,
the deficit-led plan, the model rewrite and a map of the risk conversation. Facilitators only."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from goalstudio.scenarios import ScenarioError, list_scenarios, load

from ._common import (
    STYLE,
    chart,
    esc,
    go,
    message,
    ptext,
    replace_children,
)

QUALITY = {
    "good": ("#16a34a", "helpful reply"),
    "mixed": ("#ca8a04", "mixed reply"),
    "poor": ("#dc2626", "unhelpful reply"),
}


class ScenarioExplorer(w.VBox):
    title = "Scenario explorer"

    def __init__(self, scenario: str | None = None) -> None:
        super().__init__()
        self.add_class("gs-dashboard")
        self.body = w.VBox()
        try:
            summaries = list_scenarios()
        except ScenarioError as exc:
            self.children = [
                w.HTML(STYLE),
                message("problem", f"The case studies cannot be read: {exc}"),
            ]
            return
        options = [(f"{s.title} ({s.locale})", s.id) for s in summaries]
        ids = [s.id for s in summaries]
        self.choice = w.Dropdown(
            options=options,
            description="Case study",
            value=scenario if scenario in ids else (ids[0] if ids else None),
            layout=w.Layout(width="36em"),
        )
        self.choice.observe(lambda _c: self.show(), names="value")
        header = w.HTML(
            f"{STYLE}<h2>{esc(self.title)}</h2><p>For facilitators preparing a session: the model "
            "rewrite and these notes are not shown to learners.</p>"
        )
        self.children = [header, self.choice, self.body]
        if not ids:
            self.body.children = [message("empty", "No case studies are installed yet.")]
        else:
            self.show()

    def show(self) -> None:
        try:
            scenario = load(self.choice.value)
        except ScenarioError as exc:
            replace_children(
                self.body, [message("problem", f"This case study cannot be opened: {exc}")]
            )
            return
        notes = scenario.facilitator_notes
        person = scenario.person
        facts = (
            f"<h3>{esc(scenario.title)}</h3>"
            f"<p><b>{esc(person.name)}</b>, {person.age}, {esc(person.pronouns)}. "
            f"{esc(scenario.setting.service)}, {esc(scenario.setting.place)}. "
            f"About {notes.minutes} minutes.</p>"
            f"<blockquote>{esc(person.in_their_words)}</blockquote>"
            "<h3>Facilitator notes</h3>"
            + (f"<p>{esc(notes.notes)}</p>" if notes.notes else "")
            + "<p><b>Questions for discussion</b></p><ul>"
            + "".join(f"<li>{esc(x)}</li>" for x in notes.discussion_questions)
            + "</ul><p><b>Common mistakes</b></p><ul>"
            + "".join(f"<li>{esc(x)}</li>" for x in notes.common_mistakes)
            + "</ul>"
        )
        plans = w.HBox(
            [
                w.HTML(
                    "<h3>The deficit-led plan</h3>"
                    f'<pre class="gs-pre">{esc(scenario.deficit_plan)}</pre>',
                    layout=w.Layout(width="50%", padding="0 8px 0 0"),
                ),
                w.HTML(
                    "<h3>Model rewrite</h3>"
                    f'<pre class="gs-pre">{esc(scenario.model_rewrite)}</pre>',
                    layout=w.Layout(width="50%", padding="0 8px 0 0"),
                ),
            ]
        )
        replace_children(
            self.body,
            [
                w.HTML(facts),
                plans,
                w.HTML(
                    "<h3>Conversation map</h3><p>Each band is a reply a learner can choose: green "
                    "helps, amber is mixed, red harms the conversation.</p>"
                ),
                conversation_map(scenario),
                w.HTML(_conversation_list(scenario)),
            ],
        )


def conversation_map(scenario: Any) -> w.Widget:
    nodes = scenario.conversation.nodes
    index = {n.id: i for i, n in enumerate(nodes)}
    labels = []
    for n in nodes:
        if n.ending is not None:
            labels.append(ptext(f"End: {n.ending.title}"))
        else:
            labels.append(ptext(n.id))
    sources, targets, colours, texts = [], [], [], []
    for n in nodes:
        for c in n.choices:
            if c.next not in index:
                continue
            colour, word = QUALITY.get(c.quality, ("#6b7280", c.quality))
            sources.append(index[n.id])
            targets.append(index[c.next])
            colours.append(colour)
            texts.append(ptext(f"{word}: {c.reply[:90]}"))
    fig = go().Figure(
        go().Sankey(
            arrangement="snap",
            node={"label": labels, "pad": 14, "thickness": 14, "color": "#94a3b8"},
            link={
                "source": sources,
                "target": targets,
                "value": [1] * len(sources),
                "color": colours,
                "customdata": texts,
                "hovertemplate": "%{customdata}<extra></extra>",
            },
        )
    )
    fig.update_layout(title="From the first turn to each ending", height=max(360, 26 * len(nodes)))
    return chart(fig, label="conversation map")


def _conversation_list(scenario: Any) -> str:
    items = []
    for n in scenario.conversation.nodes:
        if n.ending is not None:
            items.append(
                f"<li><b>{esc(n.id)}</b> (ending, {esc(n.ending.kind)}): "
                f"{esc(n.ending.title)}. {esc(n.ending.summary)}</li>"
            )
            continue
        replies = "".join(
            f"<li>[{esc(QUALITY.get(c.quality, ('', c.quality))[1])}] {esc(c.reply)} "
            f"→ {esc(c.next)}</li>"
            for c in n.choices
        )
        items.append(f"<li><b>{esc(n.id)}</b>: {esc(n.says)}<ul>{replies}</ul></li>")
    return (
        "<details><summary>Every turn and reply</summary><ul>" + "".join(items) + "</ul></details>"
    )


def scenario_explorer(scenario: str | None = None) -> ScenarioExplorer:
    return ScenarioExplorer(scenario)
