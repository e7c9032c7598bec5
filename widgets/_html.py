"""The shared look of every exercise: the style sheet, escaping, and status chips.

Colour is never the only signal: every chip carries its meaning in words too.
"""

from __future__ import annotations

import html

# Shared look: visible focus, chips that carry text as well as colour, readable contrast.
STYLE = """<style>
.gs-exercise :focus-visible { outline: 3px solid #1d4ed8 !important; outline-offset: 2px; }
.gs-exercise { font-size: 15px; line-height: 1.45; color: #1f2937; }
.gs-chip { display: inline-block; margin: 2px 4px 2px 0; padding: 2px 10px; border-radius: 12px;
  border: 2px solid; font-weight: 600; font-size: 13px; }
.gs-met { background: #dcfce7; border-color: #15803d; color: #14532d; }
.gs-partly { background: #fef9c3; border-color: #a16207; color: #713f12; }
.gs-not_met { background: #fee2e2; border-color: #b91c1c; color: #7f1d1d; }
.gs-pending { background: #f3f4f6; border-color: #6b7280; color: #374151; }
.gs-mark { background: #fde68a; border-bottom: 2px solid #b45309; padding: 0 1px; }
.gs-miss { background: #fecaca; border-bottom: 2px dashed #b91c1c; }
.gs-over { background: #e0e7ff; border-bottom: 2px dotted #4338ca; }
.gs-note { color: #374151; }
.gs-error { background: #fff7ed; border-left: 4px solid #c2410c; padding: 6px 10px; }
.gs-ok { background: #f0fdf4; border-left: 4px solid #15803d; padding: 6px 10px; }
.gs-warn { background: #fefce8; border-left: 4px solid #a16207; padding: 6px 10px; }
.gs-card { border: 1px solid #d1d5db; border-radius: 6px; padding: 8px 12px; margin: 4px 0; }
.gs-person { background: #eff6ff; }
.gs-meter { font-family: inherit; }
.gs-labelled .widget-label { font-weight: 600; white-space: normal; text-align: left;
  width: auto !important; max-width: none; }
.gs-exercise pre, .gs-pre { white-space: pre-wrap; font-family: ui-monospace, monospace;
  font-size: 13px; line-height: 1.4; margin: 0; }
.gs-exercise .widget-html-content { line-height: 1.45; }
.gs-exercise .widget-html-content p, .gs-exercise .widget-html-content ul { margin: 4px 0; }
.gs-exercise .gs-word button, .gs-word { font-family: inherit; }
.gs-scroll { max-height: 26em; overflow-y: auto; }
.gs-sr-only { position: absolute !important; width: 1px; height: 1px; overflow: hidden;
  clip-path: inset(50%); white-space: nowrap; }
.gs-exercise .widget-toggle-button { padding: 0 6px; }
.gs-exercise .widget-toggle-buttons .mod-active { font-weight: 700; text-decoration: underline;
  outline: 2px solid #1f2937; background: #dbeafe; }
.gs-exercise .gs-word.mod-active { background: #fde68a; color: #111827; font-weight: 700;
  box-shadow: inset 0 -3px 0 #b45309; }
.gs-check-question { width: 100%; }
.gs-check-question > .widget-label { font-weight: 600; max-width: 60em !important;
  margin-bottom: 4px; }
.gs-check-question .widget-radio-box { width: 100%; }
.gs-check-question .widget-radio-box label { height: auto !important; line-height: 1.45 !important;
  white-space: normal; display: block; overflow: hidden; padding: 3px 0; max-width: 60em; }
.gs-check-question .widget-radio-box input { margin-top: 1px !important; }
</style>"""


def esc(text: object) -> str:
    """Learner and scenario text, escaped for HTML (always; learner text is untrusted)."""
    return html.escape(str(text), quote=True)


def chip(kind: str, text: str) -> str:
    """A status chip: the text carries the meaning, the colour only repeats it."""
    return f'<span class="gs-chip gs-{esc(kind)}">{esc(text)}</span>'
