"""AfterYouSubmit: the module's model answer and common mistakes, opened once you have tried.

The learner release puts this cell where the module's facilitator notes were (see
``goalstudio.courseware.release.learner_notebook``). The text comes from the packaged source
notebook: its model-answer cells, and the "Common mistakes" its facilitator notes name. It opens
when the learner has submitted any exercise of the module, so a learner studying alone compares
their own work with a model answer instead of copying it.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import Any

import ipywidgets as w

from goalstudio import Scenario
from goalstudio.courseware.manifest import load_manifest
from goalstudio.courseware.release import after_submit_content

from ._base import Exercise, button, esc, guard

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])")


def _inline(markdown: str) -> str:
    """Escaped text with **bold** and *italic* kept (model answers use only these)."""
    text = esc(" ".join(markdown.split()))
    return _ITALIC.sub(r"<i>\1</i>", _BOLD.sub(r"<b>\1</b>", text))


def case_model_html(scenario: Scenario | None, title: str) -> str:
    """A case's model rewrite and the common mistakes with it, shown after a submission."""
    if scenario is None:
        return ""
    mistakes = "".join(f"<li>{esc(m)}</li>" for m in scenario.facilitator_notes.common_mistakes)
    return (
        f'<div class="gs-card"><b>{esc(title)}</b> (there is more than one good answer)'
        f'<pre class="gs-pre">{esc(scenario.model_rewrite)}</pre>'
        f"<h4>Common mistakes with this case</h4><ul>{mistakes}</ul></div>"
    )


class AfterYouSubmit(Exercise):
    """Opens the module's model answer and common mistakes after the learner submits."""

    picks_case = False

    def __init__(self, module: str, **kw: Any) -> None:
        self.activity = f"after-you-submit-{module}"
        super().__init__(None, module=module, autosave=False, **kw)

    def build(self) -> list[w.Widget]:
        module = load_manifest().module(self.module)
        source = resources.files("goalstudio.course").joinpath(module.file)
        self.answers, self.mistakes = after_submit_content(
            json.loads(source.read_text(encoding="utf-8"))
        )
        self.panel = w.HTML()
        self.open_button = button("Show the model answer and common mistakes", self.reveal)
        self.opened = False
        return [
            w.HTML(
                "<h3>After you submit</h3><p>Once you have submitted an exercise in this module, "
                "compare your work with a model answer and with the mistakes people often make. "
                "There is more than one good answer.</p>"
            ),
            self.open_button,
            self.panel,
        ]

    def submitted(self) -> bool:
        """Whether the learner has submitted any exercise of this module."""
        return any(a.module == self.module for a in self.store.get_attempts(self.learner))

    @guard
    def reveal(self) -> str:
        """Show the model answer and common mistakes, once something is submitted."""
        if not self.submitted():
            raise ValueError(
                "submit your own answer to an exercise above first; then the model answer opens"
            )
        parts = [f'<div class="gs-card">{"".join(self._answer_html())}</div>']
        if self.mistakes:
            items = "".join(f"<li>{esc(m)}</li>" for m in self.mistakes)
            parts.append(f"<h4>Common mistakes</h4><ul>{items}</ul>")
        page = "".join(parts)
        self.panel.value = page
        self.opened = True
        self.open_button.layout.display = "none"
        self.show_message("The model answer and common mistakes are open below.")
        return page

    def _answer_html(self) -> list[str]:
        if not self.answers:
            return [
                "<p>This module has no single model answer: compare your work with the "
                "feedback each exercise gave you, and with the common mistakes below.</p>"
            ]
        return [f"<p>{_inline(a)}</p>" for a in self.answers]
