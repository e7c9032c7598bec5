"""Labelled controls: every input has a visible label a screen reader announces."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from ._html import esc


def labelled(control: w.Widget, label: str, *, help_text: str = "") -> w.Widget:
    """A control whose label sits above it and is linked to it (``<label for=...>``), so a
    screen reader announces it and clicking the label focuses the control."""
    control.description = label
    control.description_allow_html = False
    control.tooltip = help_text or label
    control.style.description_width = "initial"
    control.layout.flex_flow = "column"
    control.layout.align_items = "stretch"
    control.add_class("gs-labelled")
    if isinstance(control, (w.Text, w.Textarea)):
        control.layout.width = "100%"
    if not help_text:
        return control
    box = w.VBox([control, w.HTML(f'<span class="gs-note">{esc(help_text)}</span>')])
    box.add_class("gs-field")
    return box


def button(
    text: str, handler: Callable[[], object], *, tooltip: str = "", style: str = ""
) -> w.Button:
    """A labelled button whose click runs ``handler`` (errors already guarded by the caller)."""
    b = w.Button(description=text, tooltip=tooltip or text, button_style=style)
    b.layout.width = "auto"
    b.layout.align_self = "flex-start"  # never stretched across the page
    b.on_click(lambda _b: handler())
    return b


def lines(text: str) -> list[str]:
    """The non-blank lines of a text box, trimmed (one item per line)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def text_area(placeholder: str = "", rows: int = 3, value: str = "") -> w.Textarea:
    area = w.Textarea(value=value, placeholder=placeholder, rows=rows)
    area.layout.width = "100%"
    return area
