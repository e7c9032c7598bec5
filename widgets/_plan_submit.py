"""Hints, submission and the model rewrite for the plan exercises.

A learner reveals hints one at a time (each is recorded as an event), submits a plan that can be
read (recorded as an attempt with its review), and can then compare it with the model rewrite and
the common mistakes with the case. A facilitator can open them at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as w

from ._base import Exercise, guard
from ._plan_review import hints_html
from .after import case_model_html

if TYPE_CHECKING:
    from goalstudio.exercises.plan import PlanFeedback


class HintsAndSubmission(Exercise):
    """The part of ``PlanRewriter`` after the writing: it provides the editor and the review."""

    editor: w.Textarea
    hints: list[str]
    hints_shown: int
    submitted: bool
    facilitator: bool
    hint_box: w.HTML
    hint_button: w.Button
    model_box: w.HTML
    model_button: w.Button

    if TYPE_CHECKING:

        def review_now(self) -> PlanFeedback: ...

    @guard
    def reveal_hint(self) -> str:
        """Show the next hint (recorded as an event)."""
        if self.hints_shown >= len(self.hints):
            raise ValueError("there are no more hints for this plan")
        hint = self.hints[self.hints_shown]
        self.hints_shown += 1
        self.store.add_event(
            self.learner,
            self.activity,
            "hint_revealed",
            {"hint": self.hints_shown, "of": len(self.hints)},
            scenario=self.scenario_id,
            module=self.module,
        )
        self._update_buttons()
        return hint

    @guard
    def submit(self) -> dict[str, Any] | None:
        """Record an attempt with its review. Plan text that cannot be read is not submitted."""
        self.flush()
        fb = self.review_now()
        if fb.review is None:
            raise ValueError("fix the lines listed in the review first, then submit again")
        if not self.private_enough_to_submit(self.editor.value):
            return None
        self.store.add_attempt(
            self.learner,
            self.activity,
            self.editor.value,
            fb.review,
            scenario=self.scenario_id,
            module=self.module,
        )
        self.submitted = True
        self._update_buttons()
        self.save_now()
        self.show_message("Submitted. You can now compare your plan with the model rewrite.")
        return fb.review

    @guard
    def reveal_model(self) -> str:
        """Show the model rewrite: after submitting, or at once for a facilitator."""
        if not (self.submitted or self.facilitator):
            raise ValueError("submit your own plan first; then the model rewrite opens")
        assert self.scenario is not None
        self.model_box.value = case_model_html(self.scenario, "One possible rewrite")
        return self.scenario.model_rewrite

    def _update_buttons(self) -> None:
        left = len(self.hints) - self.hints_shown
        self.hint_button.description = f"Show a hint ({left} left)" if left else "No more hints"
        self.hint_button.disabled = left == 0
        self.model_button.disabled = not (self.submitted or self.facilitator)
        self.hint_box.value = hints_html(self.hints[: self.hints_shown])
