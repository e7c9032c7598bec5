"""The case picker every scenario-based exercise shows above its body.

It names the case the exercise has open. "Choose another case study" lists the cases the learner
can open: the module's own case first, then every case that loads from the learner's scenario
set (UK, US or both), narrowed to a topic if they choose one. The list is read only when asked
for (reading every case takes about half a second), and a case opens only on "Open this case",
so moving through the list with the arrow keys never rebuilds the exercise.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import ipywidgets as w

from goalstudio import LOCALES
from goalstudio.courseware.manifest import course_settings, save_case_tag
from goalstudio.learner import LearnerConfigError
from goalstudio.scenarios import case_choices, case_locales, case_tags

from ._controls import button
from ._html import esc

ANY_TOPIC = "any topic"


def _dropdown(label: str, width: str) -> w.Dropdown:
    """A dropdown with its label beside it (linked, so a screen reader announces it)."""
    box = w.Dropdown(options=[], description=label, tooltip=label)
    box.style.description_width = "initial"
    box.layout.width = width
    box.layout.max_width = "100%"
    box.add_class("gs-labelled")
    return box


class CasePicker(w.VBox):
    """Shows the open case; lets the learner open another (``on_open(case_id)``)."""

    def __init__(self, default: str, on_open: Callable[[str], object]) -> None:
        super().__init__()
        self.add_class("gs-case-picker")
        self.default = default
        self._on_open = on_open
        self.current = w.HTML()
        self.show_button = button("Choose another case study", self.show_choices)
        self.cases = _dropdown("Case study", "36em")
        self.topic = _dropdown("Cases about", "22em")
        self.topic.observe(lambda _c: self._topic_changed(), "value")
        self.open_button = button("Open this case", self.open_selected, style="info")
        self.chooser = w.HBox([self.topic, self.cases, self.open_button])
        self.chooser.layout.flex_flow = "row wrap"
        self.chooser.layout.align_items = "center"
        self.chooser.layout.display = "none"
        self._filling = False
        self.children = [w.HBox([self.current, self.show_button]), self.chooser]

    def show(self, case_id: str, title: str) -> None:
        """Name the case that is open now."""
        self.current.value = f"<p><b>Case study:</b> {esc(title)}</p>"
        self.open_id = case_id

    def _locales(self) -> tuple[str, ...]:
        try:
            settings = course_settings()
        except LearnerConfigError:
            return LOCALES
        locales: tuple[str, ...] = case_locales(settings.scenario_set, settings.locale)
        return locales

    def show_choices(self) -> None:
        """Read the cases and show the lists (topic first, then the cases about it)."""
        try:
            saved = course_settings().case_tag
        except LearnerConfigError:
            saved = ""
        tags = case_tags(self._locales())
        self._filling = True
        try:
            self.topic.options = [(ANY_TOPIC, ""), *[(t.replace("-", " "), t) for t in tags]]
            self.topic.value = saved if saved in tags else ""
        finally:
            self._filling = False
        self._fill_cases()
        self.chooser.layout.display = "flex"
        self.show_button.layout.display = "none"

    def _topic_changed(self) -> None:
        if self._filling:
            return
        # The choice still applies here if remembering it fails.
        with contextlib.suppress(LearnerConfigError, ValueError, OSError):
            save_case_tag(self.topic.value or "")
        self._fill_cases()

    def _fill_cases(self) -> None:
        cases = case_choices(self.default, locales=self._locales(), tag=self.topic.value or "")
        options = [
            (
                ("This module's case: " if c.id == self.default else "")
                + f"{c.title} ({'UK' if c.locale == 'en-GB' else 'US'})",
                c.id,
            )
            for c in cases
        ]
        self.cases.options = options
        ids = [c.id for c in cases]
        self.cases.value = self.open_id if self.open_id in ids else (ids[0] if ids else None)

    def open_selected(self) -> None:
        if self.cases.value:
            self._on_open(self.cases.value)
