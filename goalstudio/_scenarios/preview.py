"""A scenario as one self-contained web page, for facilitators preparing a session.

The page holds the story, the deficit-led plan and the model rewrite side by side with the
rubric's verdicts, the four Exchange Model perspectives, the risk items, the facilitator notes,
and the risk conversation twice over: as a walk-through that works with a keyboard, and as a
map drawn in SVG. Everything is inline (CSS, script, drawing), and a Content-Security-Policy
forbids the page from loading anything, so it works offline and never calls out.

The page is the Jinja2 template ``templates/preview.html.j2`` (the map is
``templates/conversation_map.svg.j2``), with its style and script in ``preview.css`` and
``preview.js`` beside this module; autoescape escapes every piece of scenario text, and the
walk-through's script only ever sets ``textContent``. The page shows the model rewrite and
facilitator notes, which learners do not see, so it is for facilitators.
"""

from __future__ import annotations

import functools
import json
import os
from collections import deque
from dataclasses import dataclass
from importlib import resources
from typing import Any

from goalstudio._conversation import Conversation
from goalstudio._locale import get_locale
from goalstudio._scenarios.model import Scenario
from goalstudio.templates import html_templates, json_in_script

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


# The sections, in page order, for the page's own navigation.
SECTIONS = (
    ("person", "The person"),
    ("plans", "The plans"),
    ("assessment", "Assessment"),
    ("perspectives", "Perspectives"),
    ("risks", "Risks"),
    ("conversation", "Conversation"),
    ("notes", "Facilitator notes"),
)


@functools.cache
def _asset(name: str) -> str:
    """``preview.css`` or ``preview.js``: the package's own file, put inline in the page."""
    return resources.files("goalstudio._scenarios").joinpath(name).read_text(encoding="utf-8")


def _paragraphs(text: str) -> list[str]:
    """Text split at blank lines, each paragraph on one line."""
    parts = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return [" ".join(p.split()) for p in parts]


@dataclass(frozen=True)
class _PlanColumn:
    title: str
    note: str
    css: str
    verdicts: list[dict[str, str]]
    language: str
    lines: list[tuple[int, str]]


def _plan_column(scenario: Scenario, title: str, note: str, text: str, css: str) -> _PlanColumn:
    from goalstudio.rubric import CRITERIA, VERDICT_WORDS, review

    result = review(text, locale=scenario.locale, scenario=scenario)
    verdicts = [
        {
            "key": result.verdict(c),
            "title": result.verdicts[c].title,
            "label": VERDICT_WORDS[result.verdict(c)].lower(),
        }
        for c in CRITERIA
    ]
    found = len(result.language_findings)
    language = f"{found} language findings" if found else "no language findings"
    return _PlanColumn(title, note, css, verdicts, language, _plan_lines(text))


def _plan_lines(text: str) -> list[tuple[int, str]]:
    """Plan text as (indent, line), so a long line wraps under itself and keeps its indent."""
    out: list[tuple[int, str]] = []
    for raw in text.rstrip().splitlines():
        body = raw.lstrip(" ")
        out.append((len(raw) - len(body), body))
    return out


def _party_labels(scenario: Scenario) -> dict[str, str]:
    labels = dict(PARTY_LABELS)
    carers = get_locale(scenario.locale).carer == "carer"
    labels["family"] = "Family and carers" if carers else "Family"
    return labels


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
    return json_in_script(json.dumps(data, ensure_ascii=False))


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
    edges: list[dict[str, str]] = []
    for n in conv.nodes:
        for c in n.choices:
            if c.next in pos:
                edges.append(
                    {
                        "quality": c.quality,
                        "d": _edge_path(pos[n.id], pos[c.next]),
                        "title": f"{QUALITY_LABELS[c.quality]}: {c.reply}",
                    }
                )
    boxes: list[dict[str, Any]] = []
    for n in conv.nodes:
        x, y = pos[n.id]
        kind = f"end-{n.ending.kind}" if n.ending else ("start" if n.id == conv.start else "")
        sub = _MAP_ENDINGS[n.ending.kind] if n.ending else ""
        if n.id == conv.start:
            sub = "start"
        boxes.append(
            {
                "id": n.id,
                "kind": kind,
                "title": f"{n.id}: {person} says: {n.says}",
                "x": x,
                "y": y,
                "w": _NODE_W,
                "h": _NODE_H,
                "cx": x + _NODE_W // 2,
                "label": _shortened(n.id, 20),
                "sub": _shortened(sub, 24),
            }
        )
    return (
        html_templates("goalstudio._scenarios", "templates")
        .get_template("conversation_map.svg.j2")
        .render(
            width=width,
            height=height + 30,
            nodes=len(conv.nodes),
            endings=len(conv.endings()),
            qualities=list(QUALITY_LABELS),
            edges=edges,
            boxes=boxes,
        )
    )


def _shortened(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


def _edge_path(start: tuple[int, int], end: tuple[int, int]) -> str:
    """The SVG path of a reply's line from one node's box to the next one's."""
    x1, y1 = start
    x2, y2 = end
    sx, sy = x1 + _NODE_W, y1 + _NODE_H // 2
    ex, ey = x2, y2 + _NODE_H // 2
    if x2 == x1:  # the same column: bow out to the right
        sx = ex = x1 + _NODE_W
        bow = sx + 34
        return f"M{sx},{sy} C{bow},{sy} {bow},{ey} {ex + 4},{ey}"
    if x2 < x1:  # a step back: loop round underneath
        sx, ex = x1 + _NODE_W // 2, x2 + _NODE_W // 2
        sy, ey = y1 + _NODE_H, y2 + _NODE_H
        drop = max(sy, ey) + 26
        return f"M{sx},{sy} C{sx},{drop} {ex},{drop} {ex},{ey + 4}"
    mid = (sx + ex) // 2
    return f"M{sx},{sy} C{mid},{sy} {mid},{ey} {ex - 4},{ey}"


# --------------------------------------------------------------------------------------------
# The page


def render_preview(scenario: Scenario) -> str:
    """The whole page as one string of HTML, with nothing external."""
    plans = [
        _plan_column(
            scenario,
            "Before: the deficit-led plan",
            "What learners rewrite. Written the way many real plans are.",
            scenario.deficit_plan,
            "before",
        ),
        _plan_column(
            scenario,
            "After: the model rewrite",
            "Hidden from learners. Use it after they have tried their own.",
            scenario.model_rewrite,
            "after",
        ),
    ]
    person = scenario.person
    notes = scenario.facilitator_notes
    return (
        html_templates("goalstudio._scenarios", "templates")
        .get_template("preview.html.j2")
        .render(
            scenario=scenario,
            person=person,
            notes=notes,
            name=scenario.known_as,
            setting=SETTING_LABELS.get(scenario.setting.kind, scenario.setting.kind),
            country=f"{get_locale(scenario.locale).country} terms ({scenario.locale})",
            sections=SECTIONS,
            in_their_words=_paragraphs(person.in_their_words),
            background=_paragraphs(person.background),
            history=_paragraphs(person.history),
            notes_paragraphs=_paragraphs(notes.notes or ""),
            plans=plans,
            party_labels=_party_labels(scenario),
            quality_labels=QUALITY_LABELS,
            ending_labels=ENDING_LABELS,
            map_legend=MAP_LEGEND,
            # The template puts these four in as they are (|safe): the package's own files, and
            # text escaped where it is made (the map by its template, the data for a <script>
            # element by _conversation_data).
            map_svg=conversation_svg(scenario.conversation, scenario.known_as),
            conversation_data=_conversation_data(scenario.conversation),
            css=_asset("preview.css"),
            js=_asset("preview.js"),
        )
    )


def write_preview(scenario: Scenario, out: str | os.PathLike[str]) -> None:
    """Write the preview page to ``out`` (UTF-8)."""
    with open(out, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(render_preview(scenario))
