"""HTML for the risk conversation: the meters in words, the transcript, the coach, the ending.

All text is escaped: what the learner types is shown back to them, and scenario text is data.
"""

from __future__ import annotations

from goalstudio import Ending
from goalstudio.exercises.conversation import (
    METER_MAX,
    QUALITY_WORDS,
    ConversationRun,
    Turn,
    meter_words,
)

from ._base import esc


def meters_html(run: ConversationRun) -> str:
    """The meters in words too, so colour and length are never the only signal."""
    return (
        f'<p class="gs-meter">Trust: {run.trust} of {METER_MAX} '
        f"({meter_words(run.trust)}). Shared understanding: {run.understanding} of "
        f"{METER_MAX} ({meter_words(run.understanding)}).</p>"
    )


def transcript_html(run: ConversationRun, name: str) -> str:
    parts = []
    for t in run.turns:
        parts.append(f'<div class="gs-card gs-person"><b>{esc(name)}:</b> {esc(t.says)}</div>')
        who = "You, in your own words" if t.typed else "You"
        parts.append(f'<div class="gs-card"><b>{who}:</b> {esc(t.reply)}</div>')
    parts.append(f'<div class="gs-card gs-person"><b>{esc(name)}:</b> {esc(run.node.says)}</div>')
    return "".join(parts)


def coach_html(turns: list[Turn]) -> str:
    title = "The coach looks back at your replies" if len(turns) > 1 else "Coach"
    items = "".join(
        f"<li><b>{esc(QUALITY_WORDS[t.quality])}:</b> “{esc(t.reply)}”<br>{esc(t.feedback)}</li>"
        for t in turns
    )
    return f'<div class="gs-card"><b>{title}</b><ol>{items}</ol></div>'


def ending_html(ending: Ending) -> str:
    return (
        f'<div class="gs-ok"><b>Ending: {esc(ending.title)}</b>'
        f"<p>{esc(ending.summary)}</p><p>Step back or start again to explore "
        "other replies, then complete the decision record below.</p></div>"
    )
