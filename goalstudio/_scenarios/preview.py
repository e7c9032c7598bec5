"""A scenario as one self-contained web page, for facilitators preparing a session.

The page holds the story, the deficit-led plan and the model rewrite side by side with the
rubric's verdicts, the four Exchange Model perspectives, the risk items, the facilitator notes,
and the risk conversation twice over: as a walk-through that works with a keyboard, and as a
map drawn in SVG. Everything is inline (CSS, script, drawing), and a Content-Security-Policy
forbids the page from loading anything, so it works offline and never calls out.

Every piece of scenario text is escaped; the walk-through's script only ever sets
``textContent``. The page shows the model rewrite and facilitator notes, which learners do
not see, so it is for facilitators.
"""

from __future__ import annotations

import html
import json
import os
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from goalstudio._conversation import Conversation
from goalstudio._locale import get_locale
from goalstudio._scenarios.model import Scenario

SETTING_LABELS: dict[str, str] = {
    "community_mental_health": "Community mental health",
    "substance_use": "Substance use",
    "inpatient_discharge": "Discharge from inpatient care",
    "early_intervention_psychosis": "Early intervention in psychosis",
    "older_adult_dementia": "Older adult with dementia",
    "youth_to_adult_transition": "Youth to adult services",
    "learning_disability": "Learning disability",
    "forensic_community_treatment": "Forensic / community treatment order",
    "perinatal": "Perinatal mental health",
    "homelessness": "Homelessness",
    "declines_services": "A person who declines services",
    "family_decides_together": "A family that decides together",
    "other": "Other",
}
PARTY_LABELS = {
    "person": "The person",
    "family": "Family",
    "practitioner": "The practitioner",
    "agency": "The agency",
}
QUALITY_LABELS = {"good": "Good reply", "mixed": "Mixed reply", "poor": "Poor reply"}
ENDING_LABELS = {
    "shared_plan": "Ending: a shared plan",
    "partial": "Ending: partly shared",
    "breakdown": "Ending: the conversation breaks down",
}
_MAP_ENDINGS = {
    "shared_plan": "ending: shared plan",
    "partial": "ending: partial",
    "breakdown": "ending: breakdown",
}
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _items(values: Iterable[str]) -> str:
    return "".join(f"<li>{_e(v)}</li>" for v in values)


def _list_block(title: str, values: Sequence[str], level: int = 4) -> str:
    if not values:
        return ""
    return f"<h{level}>{_e(title)}</h{level}><ul>{_items(values)}</ul>"


def _paragraphs(text: str) -> str:
    parts = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "".join(f"<p>{_e(' '.join(p.split()))}</p>" for p in parts)


# --------------------------------------------------------------------------------------------
# Sections


def _header(scenario: Scenario) -> str:
    setting = SETTING_LABELS.get(scenario.setting.kind, scenario.setting.kind)
    country = "UK terms (en-GB)" if scenario.locale == "en-GB" else "US terms (en-US)"
    tags = "".join(f'<li class="tag">{_e(t)}</li>' for t in scenario.tags)
    minutes = scenario.facilitator_notes.minutes
    return (
        '<header class="top">'
        f'<p class="eyebrow">Scenario preview · <code>{_e(scenario.id)}</code></p>'
        f"<h1>{_e(scenario.title)}</h1>"
        '<dl class="facts">'
        f"<div><dt>Setting</dt><dd>{_e(setting)}</dd></div>"
        f"<div><dt>Service</dt><dd>{_e(scenario.setting.service)}</dd></div>"
        f"<div><dt>Place</dt><dd>{_e(scenario.setting.place)}</dd></div>"
        f"<div><dt>Language</dt><dd>{_e(country)}</dd></div>"
        f"<div><dt>Session time</dt><dd>{minutes} minutes</dd></div>"
        "</dl>"
        + (f'<ul class="tags" aria-label="Tags">{tags}</ul>' if tags else "")
        + '<p class="notice" role="note"><strong>For facilitators.</strong> This page shows '
        "the model rewrite and the facilitator notes, which learners do not see. Please do "
        "not share it with learners before the session.</p>"
        "</header>"
    )


def _nav() -> str:
    links = [
        ("person", "The person"),
        ("plans", "The plans"),
        ("assessment", "Assessment"),
        ("perspectives", "Perspectives"),
        ("risks", "Risks"),
        ("conversation", "Conversation"),
        ("notes", "Facilitator notes"),
    ]
    inner = "".join(f'<li><a href="#{a}">{_e(t)}</a></li>' for a, t in links)
    return f'<nav aria-label="Sections"><ul>{inner}</ul></nav>'


def _person(scenario: Scenario) -> str:
    p = scenario.person
    return (
        '<section id="person" aria-labelledby="person-h">'
        f'<h2 id="person-h">{_e(p.name)}, {p.age} <span class="muted">({_e(p.pronouns)})</span>'
        "</h2>"
        '<figure class="voice"><blockquote>'
        f"{_paragraphs(p.in_their_words)}</blockquote>"
        f"<figcaption>In {_e(scenario.known_as)}'s own words</figcaption></figure>"
        '<div class="two">'
        f"<div><h3>What matters to {_e(scenario.known_as)}</h3><ul>{_items(p.what_matters)}</ul>"
        "</div>"
        f"<div><h3>Strengths</h3><ul>{_items(p.strengths)}</ul></div>"
        "</div>"
        f"<h3>Background</h3>{_paragraphs(p.background)}"
        f"<h3>History in brief</h3>{_paragraphs(p.history)}" + _discovery(scenario) + "</section>"
    )


def _discovery(scenario: Scenario) -> str:
    if not scenario.goal_discovery:
        return ""
    rows = "".join(
        f"<dt>{_e(turn.ask)}</dt><dd>{_e(turn.answer)}"
        + (
            '<span class="goals">Goals: ' + "; ".join(f"“{_e(g)}”" for g in turn.goals) + "</span>"
            if turn.goals
            else ""
        )
        + "</dd>"
        for turn in scenario.goal_discovery
    )
    return f'<h3>Goal discovery conversation</h3><dl class="discovery">{rows}</dl>'


@dataclass(frozen=True)
class _PlanColumn:
    title: str
    note: str
    text: str
    css: str


def _verdicts(scenario: Scenario, text: str) -> str:
    from goalstudio.rubric import CRITERIA, VERDICT_WORDS, review

    result = review(text, locale=scenario.locale, scenario=scenario)
    cells = "".join(
        f'<li class="v-{result.verdict(c)}"><span>{_e(result.verdicts[c].title)}</span> '
        f"<strong>{_e(VERDICT_WORDS[result.verdict(c)].lower())}</strong></li>"
        for c in CRITERIA
    )
    language = len(result.language_findings)
    words = "no language findings" if not language else f"{language} language findings"
    return (
        f'<ul class="verdicts" aria-label="Rubric verdicts">{cells}</ul>'
        f'<p class="muted small">The studio\'s rubric: {_e(words)}.</p>'
    )


def _plan_lines(text: str) -> str:
    """Plan text, one block per line, so a long line wraps under itself and keeps its indent."""
    out: list[str] = []
    for raw in text.rstrip().splitlines():
        body = raw.lstrip(" ")
        indent = len(raw) - len(body)
        out.append(f'<span class="pl" style="--i:{indent}">{_e(body) or " "}</span>')
    return "".join(out)


def _plans(scenario: Scenario) -> str:
    columns = [
        _PlanColumn(
            "Before: the deficit-led plan",
            "What learners rewrite. Written the way many real plans are.",
            scenario.deficit_plan,
            "before",
        ),
        _PlanColumn(
            "After: the model rewrite",
            "Hidden from learners. Use it after they have tried their own.",
            scenario.model_rewrite,
            "after",
        ),
    ]
    body = "".join(
        f'<article class="plan {c.css}" aria-labelledby="plan-{c.css}">'
        f'<h3 id="plan-{c.css}">{_e(c.title)}</h3><p class="muted">{_e(c.note)}</p>'
        f"{_verdicts(scenario, c.text)}"
        f'<pre tabindex="0" aria-label="{_e(c.title)}">{_plan_lines(c.text)}</pre></article>'
        for c in columns
    )
    return (
        '<section id="plans" aria-labelledby="plans-h">'
        '<h2 id="plans-h">The plans, side by side</h2>'
        f'<div class="plans">{body}</div></section>'
    )


def _assessment(scenario: Scenario) -> str:
    rows = "".join(
        "<tr>"
        f"<td>{_e(f.need)}</td>"
        f'<td><span class="pill {"now" if f.decision == "address_now" else "later"}">'
        f"{'Address now' if f.decision == 'address_now' else 'Defer'}</span></td>"
        f"<td>{_e(f.reason)}</td></tr>"
        for f in scenario.assessment
    )
    return (
        '<section id="assessment" aria-labelledby="assessment-h">'
        '<h2 id="assessment-h">What the assessment found</h2>'
        '<div class="table-wrap" tabindex="0" role="region" aria-label="Assessment findings">'
        '<table><thead><tr><th scope="col">Need</th><th scope="col">Decision</th>'
        f'<th scope="col">Why</th></tr></thead><tbody>{rows}</tbody></table></div></section>'
    )


def _perspectives(scenario: Scenario) -> str:
    labels = dict(PARTY_LABELS)
    if get_locale(scenario.locale).carer == "carer":
        labels["family"] = "Family and carers"
    else:
        labels["family"] = "Family"
    cards = "".join(
        f'<article class="card party-{v.party}" aria-labelledby="party-{v.party}">'
        f'<h3 id="party-{v.party}">{_e(labels.get(v.party, v.party))}</h3>'
        f'<p class="who">{_e(v.who)}</p>'
        + _list_block("What matters", v.what_matters)
        + _list_block("What is working", v.working)
        + _list_block("What is not working", v.not_working)
        + _list_block("Concerns", v.concerns)
        + _list_block("Proposed outcomes", v.proposed_outcomes)
        + "</article>"
        for v in scenario.perspectives
    )
    return (
        '<section id="perspectives" aria-labelledby="perspectives-h">'
        '<h2 id="perspectives-h">Four perspectives (the Exchange Model)</h2>'
        f'<div class="cards">{cards}</div></section>'
    )


def _risks(scenario: Scenario) -> str:
    cards = "".join(
        '<article class="card risk">'
        f"<h3>{_e(r.risk)}</h3><p>{_e(r.context)}</p>"
        f'<h4>{_e(scenario.known_as)}\'s view</h4><p class="quote">'
        f"{_e(r.person_view)}</p>"
        + _list_block("What helps keep them safe", r.protective_factors)
        + "</article>"
        for r in scenario.risk_items
    )
    return (
        '<section id="risks" aria-labelledby="risks-h"><h2 id="risks-h">Risk items</h2>'
        f'<div class="cards">{cards}</div></section>'
    )


def _notes(scenario: Scenario) -> str:
    n = scenario.facilitator_notes
    extra = f"<h3>Notes</h3>{_paragraphs(n.notes)}" if n.notes else ""
    return (
        '<section id="notes" aria-labelledby="notes-h">'
        '<h2 id="notes-h">Facilitator notes</h2>'
        f"<p><strong>Time:</strong> about {n.minutes} minutes.</p>"
        f"<h3>Discussion questions</h3><ol>{_items(n.discussion_questions)}</ol>"
        f"<h3>Common learner mistakes</h3><ul>{_items(n.common_mistakes)}</ul>"
        f"{extra}</section>"
    )


# --------------------------------------------------------------------------------------------
# The conversation: a walk-through (script) and a map (SVG)


def _conversation_data(conv: Conversation) -> str:
    data = {
        "start": conv.start,
        "nodes": {
            n.id: {
                "says": n.says,
                "choices": [
                    {
                        "reply": c.reply,
                        "next": c.next,
                        "quality": c.quality,
                        "feedback": c.feedback,
                        "trust": c.effect.trust,
                        "understanding": c.effect.understanding,
                    }
                    for c in n.choices
                ],
                "ending": (
                    {
                        "kind": n.ending.kind,
                        "title": n.ending.title,
                        "summary": n.ending.summary,
                    }
                    if n.ending
                    else None
                ),
            }
            for n in conv.nodes
        },
        "labels": {"quality": QUALITY_LABELS, "ending": ENDING_LABELS},
    }
    text = json.dumps(data, ensure_ascii=False)
    # Inside <script>, "</" could close the element early; escape the characters that matter.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _walkthrough(scenario: Scenario) -> str:
    name = scenario.known_as
    return (
        '<div class="walk" id="walk">'
        '<p class="muted">Choose a reply to hear how the conversation goes. Use Tab and Enter, '
        "or click. Each reply shows its feedback, then you continue.</p>"
        '<div class="walk-controls"><button type="button" id="walk-restart">Start again</button>'
        '<span id="walk-score" class="muted" aria-live="polite"></span></div>'
        '<div id="walk-stage" class="stage">'
        f'<h3 id="walk-heading" tabindex="-1">{_e(name)} says</h3>'
        '<p id="walk-says" class="says"></p>'
        '<div id="walk-choices" role="group" aria-labelledby="walk-heading"></div>'
        '<div id="walk-feedback" class="feedback" aria-live="polite" hidden></div>'
        '<div id="walk-ending" class="ending" aria-live="polite" hidden></div>'
        "</div>"
        '<details class="trail"><summary>The path so far</summary><ol id="walk-trail"></ol>'
        "</details>"
        "<noscript><p>The walk-through needs JavaScript. Every node is listed below the map "
        "instead.</p></noscript>"
        "</div>"
    )


_NODE_W = 140
_NODE_H = 46
_COL_GAP = 60
_ROW_GAP = 22
_PAD = 20


def _layers(conv: Conversation) -> dict[str, int]:
    """Each node's depth from the start (breadth first); unreachable nodes go last."""
    depth = {conv.start: 0}
    queue = deque([conv.start])
    by_id = {n.id: n for n in conv.nodes}
    while queue:
        current = queue.popleft()
        for choice in by_id[current].choices:
            if choice.next in by_id and choice.next not in depth:
                depth[choice.next] = depth[current] + 1
                queue.append(choice.next)
    last = max(depth.values(), default=0) + 1
    for n in conv.nodes:
        depth.setdefault(n.id, last)
    # Endings sit together in the last column, so the map reads left to right.
    final = max(depth.values())
    for n in conv.nodes:
        if n.ending is not None:
            depth[n.id] = max(final, 1)
    return depth


def _order_rows(conv: Conversation, columns: dict[int, list[str]]) -> None:
    """Sort each column by where its nodes' parents sit, so fewer lines cross (in place)."""
    parents: dict[str, list[str]] = {n.id: [] for n in conv.nodes}
    for n in conv.nodes:
        for c in n.choices:
            if c.next in parents:
                parents[c.next].append(n.id)
    endings = {n.id for n in conv.nodes if n.ending is not None}
    for _ in range(2):
        row = {node_id: i for ids in columns.values() for i, node_id in enumerate(ids)}
        for col in sorted(columns)[1:]:
            ids = columns[col]
            if set(ids) <= endings:
                continue  # endings keep their written order: shared, partial, breakdown
            key: dict[str, float] = {}
            for index, node_id in enumerate(ids):
                seen = [row[p] for p in parents[node_id] if p in row and p not in ids]
                key[node_id] = sum(seen) / len(seen) if seen else float(index)
            ids.sort(key=key.__getitem__)
            row.update({node_id: i for i, node_id in enumerate(ids)})


# The legend is page text above the map, not text inside the drawing: inside it, a small
# conversation's narrow drawing cut the sentence off (977 px of text in a 380 px map).
MAP_LEGEND = (
    "Lines: solid green = good reply, long dashes amber = mixed, short dashes red = poor. "
    "Hover a box to read it; a gold outline marks where the walk-through is now."
)


def conversation_svg(conv: Conversation, person: str = "the person") -> str:
    """The conversation graph as an inline SVG map: columns by distance from the start."""
    depth = _layers(conv)
    columns: dict[int, list[str]] = {}
    for n in conv.nodes:
        columns.setdefault(depth[n.id], []).append(n.id)
    _order_rows(conv, columns)
    pos: dict[str, tuple[int, int]] = {}
    for col, ids in sorted(columns.items()):
        for row, node_id in enumerate(ids):
            x = _PAD + col * (_NODE_W + _COL_GAP)
            y = _PAD + row * (_NODE_H + _ROW_GAP)
            pos[node_id] = (x, y)
    width = _PAD * 2 + (max(columns) + 1) * (_NODE_W + _COL_GAP) - _COL_GAP
    height = _PAD * 2 + max(len(v) for v in columns.values()) * (_NODE_H + _ROW_GAP)
    edges: list[str] = []
    for n in conv.nodes:
        for c in n.choices:
            if c.next not in pos:
                continue
            x1, y1 = pos[n.id]
            x2, y2 = pos[c.next]
            sx, sy = x1 + _NODE_W, y1 + _NODE_H // 2
            ex, ey = x2, y2 + _NODE_H // 2
            if x2 == x1:  # the same column: bow out to the right
                sx = ex = x1 + _NODE_W
                bow = sx + 34
                d = f"M{sx},{sy} C{bow},{sy} {bow},{ey} {ex + 4},{ey}"
            elif x2 < x1:  # a step back: loop round underneath
                sx, ex = x1 + _NODE_W // 2, x2 + _NODE_W // 2
                sy, ey = y1 + _NODE_H, y2 + _NODE_H
                drop = max(sy, ey) + 26
                d = f"M{sx},{sy} C{sx},{drop} {ex},{drop} {ex},{ey + 4}"
            else:
                mid = (sx + ex) // 2
                d = f"M{sx},{sy} C{mid},{sy} {mid},{ey} {ex - 4},{ey}"
            edges.append(
                f'<path class="edge q-{c.quality}" d="{d}" marker-end="url(#arrow-{c.quality})">'
                f"<title>{_e(QUALITY_LABELS[c.quality])}: {_e(c.reply)}</title></path>"
            )
    boxes: list[str] = []
    for n in conv.nodes:
        x, y = pos[n.id]
        kind = f"end-{n.ending.kind}" if n.ending else ("start" if n.id == conv.start else "")
        label = n.id if len(n.id) <= 20 else n.id[:19] + "…"
        sub = _MAP_ENDINGS[n.ending.kind] if n.ending else ""
        if n.id == conv.start:
            sub = "start"
        sub = sub if len(sub) <= 24 else sub[:23] + "…"
        boxes.append(
            f'<g class="node {kind}" data-node="{_e(n.id)}">'
            f"<title>{_e(n.id)}: {_e(person)} says: {_e(n.says)}</title>"
            f'<rect x="{x}" y="{y}" width="{_NODE_W}" height="{_NODE_H}" rx="8"/>'
            f'<text x="{x + _NODE_W // 2}" y="{y + 20}" text-anchor="middle">{_e(label)}</text>'
            f'<text class="sub" x="{x + _NODE_W // 2}" y="{y + 36}" text-anchor="middle">'
            f"{_e(sub)}</text></g>"
        )
    markers = "".join(
        f'<marker id="arrow-{q}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse"><path class="tip q-{q}" '
        'd="M0,0 L10,5 L0,10 z"/></marker>'
        for q in QUALITY_LABELS
    )
    return (
        f'<svg class="map" role="img" aria-labelledby="map-title map-desc" '
        f'viewBox="0 0 {width} {height + 30}" width="{width}" height="{height + 30}" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<title id="map-title">Map of the risk conversation</title>'
        f'<desc id="map-desc">{len(conv.nodes)} nodes in columns by how many replies they are '
        f"from the start; {len(conv.endings())} endings on the right. The same content is "
        "listed as text below the map.</desc>"
        f"<defs>{markers}</defs>{''.join(edges)}{''.join(boxes)}</svg>"
    )


def _node_list(scenario: Scenario) -> str:
    items: list[str] = []
    for n in scenario.conversation.nodes:
        body = f'<p class="says">{_e(n.says)}</p>'
        if n.ending is not None:
            body += (
                f"<p><strong>{_e(ENDING_LABELS[n.ending.kind])}: {_e(n.ending.title)}.</strong> "
                f"{_e(n.ending.summary)}</p>"
            )
        else:
            body += (
                "<ul>"
                + "".join(
                    f'<li><span class="pill q-{c.quality}">{_e(QUALITY_LABELS[c.quality])}</span> '
                    f'“{_e(c.reply)}” → <a href="#node-{_e(c.next)}"><code>{_e(c.next)}</code></a>'
                    f'<br><span class="muted">{_e(c.feedback)} (trust {c.effect.trust:+d}, '
                    f"understanding {c.effect.understanding:+d})</span></li>"
                    for c in n.choices
                )
                + "</ul>"
            )
        items.append(f'<li id="node-{_e(n.id)}"><h4><code>{_e(n.id)}</code></h4>{body}</li>')
    return (
        '<details class="nodes"><summary>Every node, as text</summary>'
        f'<ol class="node-list">{"".join(items)}</ol></details>'
    )


def _conversation(scenario: Scenario) -> str:
    conv = scenario.conversation
    first = scenario.known_as
    return (
        '<section id="conversation" aria-labelledby="conversation-h">'
        '<h2 id="conversation-h">The risk conversation</h2>'
        f"{_walkthrough(scenario)}"
        "<h3>The map</h3>"
        f'<p class="map-legend">{MAP_LEGEND}</p>'
        '<div class="map-wrap" tabindex="0" role="region" aria-label="Conversation map, '
        f'scrolls sideways">{conversation_svg(conv, first)}</div>'
        f"{_node_list(scenario)}"
        f'<script type="application/json" id="conversation-data">{_conversation_data(conv)}'
        "</script></section>"
    )


# --------------------------------------------------------------------------------------------
# The page


def render_preview(scenario: Scenario) -> str:
    """The whole page as one string of HTML, with nothing external."""
    body = "".join(
        [
            _header(scenario),
            _nav(),
            '<main id="main">',
            _person(scenario),
            _plans(scenario),
            _assessment(scenario),
            _perspectives(scenario),
            _risks(scenario),
            _conversation(scenario),
            _notes(scenario),
            "</main>",
            '<footer><p class="muted small">Goal Discovery Studio. Everyone and everything in '
            "this scenario is fictional.</p></footer>",
        ]
    )
    return (
        "<!doctype html>\n"
        f'<html lang="{_e(scenario.locale)}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{_e(scenario.title)} · scenario preview</title>"
        f"<style>{_CSS}</style></head><body>"
        '<a class="skip" href="#main">Skip to the scenario</a>'
        f"{body}<script>{_JS}</script></body></html>\n"
    )


def write_preview(scenario: Scenario, out: str | os.PathLike[str]) -> None:
    """Write the preview page to ``out`` (UTF-8)."""
    with open(out, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(render_preview(scenario))


_CSS = """
:root{--ink:#1d2430;--muted:#4f5a6a;--line:#cfd6e0;--bg:#f7f8fa;--card:#fff;--accent:#1f5fa8;
--good:#1b6e3a;--mixed:#8a5a00;--poor:#a4262c;--good-bg:#e6f4ea;--mixed-bg:#fff4dc;
--poor-bg:#fde8e8;font-size:17px}
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,
sans-serif;color:var(--ink);background:var(--bg);line-height:1.5}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem 1rem}
.skip:focus{left:.5rem;z-index:10}
header.top,nav,main,footer{max-width:1180px;margin:0 auto;padding:0 1.25rem}
header.top{padding-top:1.5rem}
h1{font-size:1.9rem;line-height:1.2;margin:.2rem 0 1rem}
h2{font-size:1.4rem;margin:0 0 .75rem;padding-top:.5rem}
h3{font-size:1.1rem;margin:1.1rem 0 .4rem}
h4{font-size:.95rem;margin:.8rem 0 .2rem;color:var(--muted)}
.eyebrow{margin:0;color:var(--muted);font-size:.9rem}
.muted{color:var(--muted)}.small{font-size:.85rem}
.facts{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;margin:0 0 .75rem}
.facts div{min-width:9rem}.facts dt{font-size:.8rem;color:var(--muted);text-transform:uppercase;
letter-spacing:.04em}.facts dd{margin:0;font-weight:600}
.tags{list-style:none;padding:0;margin:.25rem 0 1rem;display:flex;flex-wrap:wrap;gap:.35rem}
.tag{background:#e8eef7;color:#1d3f6e;border-radius:999px;padding:.1rem .65rem;font-size:.85rem}
.notice{background:#fff8e1;border-left:4px solid #b7791f;padding:.6rem .9rem;margin:0 0 1rem}
nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem 1rem;padding:.6rem 0;margin:0;
border-top:1px solid var(--line);border-bottom:1px solid var(--line)}
a{color:var(--accent)}
a:focus-visible,button:focus-visible,[tabindex]:focus-visible,summary:focus-visible{
outline:3px solid #f2b01e;outline-offset:2px}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;
padding:1rem 1.25rem 1.25rem;margin:1.25rem 0}
.voice{margin:0 0 1rem;background:#f1f5fb;border-left:5px solid var(--accent);
padding:.75rem 1rem;border-radius:0 8px 8px 0}
.voice blockquote{margin:0;font-size:1.08rem}.voice p{margin:.3rem 0}
.voice figcaption{color:var(--muted);font-size:.85rem}
.two{display:grid;grid-template-columns:repeat(auto-fit,minmax(280px,1fr));gap:0 1.5rem}
.plans{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:1rem}
.plan{border:1px solid var(--line);border-radius:8px;padding:.5rem .9rem;min-width:0}
.plan.before{border-top:5px solid var(--poor)}.plan.after{border-top:5px solid var(--good)}
.plan h3{margin-top:.4rem}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f7f9;border:1px solid var(--line);
border-radius:6px;padding:.6rem .75rem;font-size:.84rem;line-height:1.45;
font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,"Liberation Mono",monospace}
pre .pl{display:block;padding-left:calc((var(--i) + 4) * 1ch);text-indent:-4ch}
.verdicts{list-style:none;padding:0;margin:.3rem 0;display:grid;gap:.2rem;font-size:.88rem}
.verdicts li{display:flex;justify-content:space-between;gap:.5rem;padding:.15rem .5rem;
border-radius:4px}
.v-met{background:var(--good-bg);color:var(--good)}
.v-partly{background:var(--mixed-bg);color:var(--mixed)}
.v-not_met{background:var(--poor-bg);color:var(--poor)}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{text-align:left;vertical-align:top;border-bottom:1px solid var(--line);padding:.45rem .5rem}
th{font-size:.85rem;color:var(--muted)}
.pill{display:inline-block;border-radius:999px;padding:0 .55rem;font-size:.8rem;font-weight:600;
white-space:nowrap}
.pill.now{background:#e3ecfa;color:#1d3f6e}.pill.later{background:#eee;color:#444}
.pill.q-good{background:var(--good-bg);color:var(--good)}
.pill.q-mixed{background:var(--mixed-bg);color:var(--mixed)}
.pill.q-poor{background:var(--poor-bg);color:var(--poor)}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(250px,1fr));gap:1rem}
.card{border:1px solid var(--line);border-radius:8px;padding:.4rem .9rem .8rem;font-size:.93rem}
.card h3{margin-top:.5rem}.card ul{padding-left:1.1rem;margin:.2rem 0}
.card .who{margin:.1rem 0;color:var(--muted)}
.party-person{border-top:5px solid #1f5fa8}.party-family{border-top:5px solid #7b3fa0}
.party-practitioner{border-top:5px solid #0f766e}.party-agency{border-top:5px solid #6b7280}
.quote{font-style:italic}
.stage{border:2px solid var(--line);border-radius:10px;padding:.75rem 1rem;background:#fbfcfe}
.says{font-size:1.08rem}
#walk-choices{display:grid;gap:.5rem}
button{font:inherit;cursor:pointer}
#walk-choices button,#walk-stage .next{text-align:left;background:#fff;color:var(--ink);
border:2px solid #9fb3cc;border-radius:8px;padding:.55rem .8rem}
#walk-choices button:hover,#walk-stage .next:hover{border-color:var(--accent);background:#f1f6fd}
#walk-choices button[aria-pressed=true]{border-color:var(--accent);background:#e3ecfa}
#walk-choices button:disabled{cursor:default;opacity:.6}
#walk-choices button[aria-pressed=true]:disabled{opacity:1}
.walk-controls{display:flex;align-items:center;gap:1rem;margin:.25rem 0 .6rem}
#walk-restart{background:#fff;border:1px solid #9fb3cc;border-radius:6px;padding:.3rem .7rem}
.feedback{margin-top:.75rem;border-radius:8px;padding:.6rem .85rem}
.feedback.q-good{background:var(--good-bg)}.feedback.q-mixed{background:var(--mixed-bg)}
.feedback.q-poor{background:var(--poor-bg)}
.feedback p{margin:.25rem 0}
#walk-stage .next{margin-top:.5rem;background:var(--accent);color:#fff;border-color:var(--accent)}
.ending{margin-top:.75rem;border-radius:8px;padding:.6rem .85rem;background:#eef2f7}
.ending.k-shared_plan{background:var(--good-bg)}.ending.k-partial{background:var(--mixed-bg)}
.ending.k-breakdown{background:var(--poor-bg)}
.trail{margin-top:.75rem}
.map-wrap{overflow-x:auto;border:1px solid var(--line);border-radius:8px;background:#fff}
.map{display:block;font-family:inherit}
.map .node rect{fill:#f1f5fb;stroke:#5b7594;stroke-width:1.5}
.map .node.start rect{fill:#e3ecfa;stroke:var(--accent);stroke-width:2.5}
.map .node.end-shared_plan rect{fill:var(--good-bg);stroke:var(--good)}
.map .node.end-partial rect{fill:var(--mixed-bg);stroke:var(--mixed)}
.map .node.end-breakdown rect{fill:var(--poor-bg);stroke:var(--poor)}
.map .node.current rect{stroke:#c27c00;stroke-width:4}
.map text{font-size:13px;fill:#1d2430}.map text.sub{font-size:11px;fill:#4f5a6a}
.map-legend{font-size:.9rem;color:#4f5a6a;margin:.25rem 0 .5rem}
.map .edge{fill:none;stroke-width:1.6;opacity:.85}
.map .edge.q-good{stroke:var(--good)}
.map .edge.q-mixed{stroke:var(--mixed);stroke-dasharray:7 4}
.map .edge.q-poor{stroke:var(--poor);stroke-dasharray:2 3}
.map .tip.q-good{fill:var(--good)}.map .tip.q-mixed{fill:var(--mixed)}
.map .tip.q-poor{fill:var(--poor)}
.node-list{padding-left:1.2rem}.node-list li{margin-bottom:.4rem}
.node-list ul{padding-left:1rem}
.discovery dt{font-weight:600;margin-top:.5rem}.discovery dd{margin-left:1rem}
.goals{display:block;color:var(--good);font-size:.9rem}
footer{padding-bottom:2rem}
@media (max-width:700px){.plans{grid-template-columns:1fr}h1{font-size:1.5rem}}
@media print{nav,.walk,.skip{display:none}section{break-inside:avoid-page;border:0}
details{display:block}body{background:#fff}}
"""

_JS = """
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("conversation-data").textContent);
  var el = function (id) { return document.getElementById(id); };
  var heading = el("walk-heading"), says = el("walk-says"), choices = el("walk-choices");
  var feedback = el("walk-feedback"), ending = el("walk-ending"), trail = el("walk-trail");
  var score = el("walk-score");
  var trust = 0, understanding = 0;
  function make(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined) { node.textContent = text; }
    if (cls) { node.className = cls; }
    return node;
  }
  function sign(n) { return (n > 0 ? "+" : "") + n; }
  function showScore() {
    score.textContent = "Trust " + sign(trust) + ", shared understanding " + sign(understanding);
  }
  function mark(id) {
    Array.prototype.forEach.call(document.querySelectorAll(".map .node"), function (g) {
      g.classList.toggle("current", g.getAttribute("data-node") === id);
    });
  }
  function show(id, focus) {
    var node = data.nodes[id];
    mark(id);
    says.textContent = node.says;
    choices.textContent = "";
    feedback.hidden = true; feedback.textContent = ""; feedback.className = "feedback";
    ending.hidden = true; ending.textContent = ""; ending.className = "ending";
    choices.setAttribute("data-node", id);
    node.choices.forEach(function (choice, index) {
      var button = make("button", choice.reply);
      button.type = "button";
      button.setAttribute("aria-pressed", "false");
      button.setAttribute("data-index", String(index));
      button.addEventListener("click", function () { choose(id, index, button); });
      choices.appendChild(button);
    });
    if (node.ending) {
      ending.hidden = false;
      ending.className = "ending k-" + node.ending.kind;
      ending.appendChild(make("p", data.labels.ending[node.ending.kind], "muted"));
      ending.appendChild(make("h4", node.ending.title));
      ending.appendChild(make("p", node.ending.summary));
      ending.setAttribute("data-ending", node.ending.kind);
    }
    if (focus) { heading.focus(); }
  }
  function choose(id, index, button) {
    var choice = data.nodes[id].choices[index];
    Array.prototype.forEach.call(choices.querySelectorAll("button"), function (b) {
      b.disabled = true;
    });
    button.setAttribute("aria-pressed", "true");
    trust += choice.trust; understanding += choice.understanding; showScore();
    var item = make("li", "“" + choice.reply + "” (" + data.labels.quality[choice.quality] + ")");
    trail.appendChild(item);
    feedback.hidden = false;
    feedback.className = "feedback q-" + choice.quality;
    var label = data.labels.quality[choice.quality];
    feedback.appendChild(make("p", label, "pill q-" + choice.quality));
    feedback.appendChild(make("p", choice.feedback));
    feedback.appendChild(make("p", "Trust " + sign(choice.trust) + ", understanding " +
      sign(choice.understanding), "muted small"));
    var next = make("button", "Continue", "next");
    next.type = "button";
    next.addEventListener("click", function () { show(choice.next, true); });
    feedback.appendChild(next);
    next.focus();
  }
  el("walk-restart").addEventListener("click", function () {
    trust = 0; understanding = 0; trail.textContent = ""; showScore(); show(data.start, true);
  });
  showScore();
  show(data.start, false);
}());
"""
