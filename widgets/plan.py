"""PlanRewriter and PlanBuilder: write a plan, see the five criteria update as you type."""

from __future__ import annotations

import os
from typing import Any

import ipywidgets as w
from traitlets import Bool, Dict, Int, Unicode, validate

from goalstudio import environment
from goalstudio.exercises.discovery import goals_as_plan_text
from goalstudio.exercises.plan import (
    PlanFeedback,
    add_goal_to_plan,
    add_line_to_plan,
    plan_feedback,
    plan_hints,
)

from ._base import Debouncer, button, esc, guard, labelled
from ._plan_form import DisagreementForm, GoalForm
from ._plan_review import (
    chips_html,
    findings_html,
    marked_html,
    plan_html,
    problems_html,
    review_summary,
)
from ._plan_submit import HintsAndSubmission

REVIEW_DELAY = 0.15  # seconds after typing stops; the review itself takes about a millisecond
# The screen-reader summary waits for the review to settle: a pause in typing, not every word.
ANNOUNCE_DELAY = 1.2


class PlanRewriter(HintsAndSubmission):
    """The deficit-led plan beside your rewrite, with live review, hints and submission."""

    activity = "plan-rewriter"
    start_from_deficit_plan = True
    plan_text = Unicode("").tag(sync=True, draft="text")  # the plan as written so far
    hints_shown = Int(0).tag(sync=True, draft=True)
    submitted = Bool(False).tag(sync=True, draft=True)
    goal_form = Dict().tag(sync=True, draft="form")  # the goal form's fields
    disagreement = Dict().tag(sync=True, draft=True)  # the disagreement form's fields

    def __init__(self, scenario: Any = None, *, facilitator: bool | None = None, **kw: Any):
        if facilitator is None:
            facilitator = os.environ.get(environment.FACILITATOR_ENV, "").strip() in (
                "1",
                "true",
                "yes",
            )
        self.facilitator = facilitator
        super().__init__(scenario, **kw)

    def build(self) -> list[w.Widget]:
        s = self.scenario
        assert s is not None, "this exercise needs a scenario"
        self.hints = plan_hints(s, self.locale)
        self.hints_shown = 0  # per case: build runs again when another case is opened
        self.submitted = False
        self.feedback: PlanFeedback | None = None
        self._reviewer = Debouncer(REVIEW_DELAY, self.review_now, self.clock)
        self._announcer = Debouncer(ANNOUNCE_DELAY, self.announce_review, self.clock)
        self._announced = ""
        self.announcement = w.HTML()
        self.announcement.add_class("gs-sr-only")
        start = s.deficit_plan if self.start_from_deficit_plan else ""
        self.editor = labelled(
            w.Textarea(value=start, rows=24, continuous_update=True), "Your plan text"
        )
        self.editor.layout.width = "100%"
        w.link((self.editor, "value"), (self, "plan_text"))
        self.editor.observe(self._typed, "value")
        self.form = GoalForm(self)
        w.link((self.form, "entered"), (self, "goal_form"))
        self.disagreement_form = DisagreementForm(self)
        w.link((self.disagreement_form, "entered"), (self, "disagreement"))
        add = button("Add this goal to my plan text", self.add_form_goal, style="info")
        add_disagreement = button(
            "Add this disagreement to my plan text", self.add_form_disagreement
        )
        discovered = button("Start from my goal discovery", self.use_discovered_goals)
        form_tab = w.VBox(
            [self.form, w.HBox([add]), self.disagreement_form, w.HBox([add_disagreement])]
        )
        tabs = w.Tab([w.VBox([self.editor, w.HBox([discovered])]), form_tab])
        tabs.titles = ("Write as text", "Use a form")
        tabs.selected_index = 0 if self.start_from_deficit_plan else 1
        current = w.HTML(
            plan_html(f"<b>The current {esc(self.locale.care_plan)}</b>", s.deficit_plan)
        )
        current.layout.width = "45%"
        tabs.layout.width = "55%"
        self.chips = w.HTML()
        self.findings = w.HTML()
        self.marked = w.HTML()
        self.hint_box = w.HTML()
        self.hint_button = button("Show a hint", self.reveal_hint)
        self.model_box = w.HTML()
        self.model_button = button("Show the model rewrite", self.reveal_model)
        self.submit_button = button("Submit my plan", self.submit, style="success")
        self.review_now()
        self._update_buttons()
        return [
            w.HTML(self._intro()),
            w.HBox([current, tabs]),
            w.HTML("<h4>Live review</h4>"),
            self.announcement,
            self.chips,
            self.findings,
            w.HBox([self.hint_button, self.submit_button, self.model_button]),
            self.hint_box,
            self.marked,
            self.model_box,
        ]

    def _intro(self) -> str:
        assert self.scenario is not None
        return (
            f"<h3>Rewrite the {esc(self.locale.care_plan)}</h3><p>On the left is the plan as "
            "it was written. Rewrite it on the right so that it is led by the person's own "
            "goals. The review below updates as you type.</p>"
        )

    # -- learner actions ----------------------------------------------------------------------

    def type_text(self, text: str) -> None:
        """Replace the plan text (as typing does); review and autosave follow after a pause."""
        self.editor.value = text

    def _typed(self, _change: object) -> None:
        self._reviewer.trigger()
        self._announcer.trigger()

    def announce_review(self) -> str:
        """Say the settled review's summary in the polite live region, once per change."""
        fb = self.feedback or self.review_now()
        text = review_summary(fb)
        if text != self._announced:
            self._announced = text
            self.announcement.value = (
                f'<div role="status" aria-live="polite" aria-atomic="true">{esc(text)}</div>'
            )
        return text

    def review_now(self) -> PlanFeedback:
        """Review the current text at once and update the panel."""
        fb = plan_feedback(self.editor.value, self.locale.code, self.scenario)
        self.feedback = fb
        self.chips.value = chips_html(fb)
        if fb.problems:
            self.findings.value = problems_html(fb)
            self.marked.value = ""
        else:
            self.findings.value = findings_html(fb)
            self.marked.value = marked_html(fb)
        return fb

    @guard
    def add_form_goal(self) -> str:
        """Turn the form into plan text and add it to the plan."""
        goal = self.form.text()
        self.type_text(add_goal_to_plan(self.editor.value, goal, self.scenario))
        self.form.clear()
        self.show_message("The goal is added to your plan text.")
        return goal

    @guard
    def add_form_disagreement(self) -> str:
        """Turn the disagreement fields into a 'Disagreement:' line at the end of the plan."""
        line = self.disagreement_form.text()
        self.type_text(add_line_to_plan(self.editor.value, line))
        self.disagreement_form.clear()
        self.show_message("The disagreement is added to your plan text.")
        return line

    @guard
    def use_discovered_goals(self) -> list[str]:
        """Start the plan from the goals saved in the goal-discovery exercise."""
        attempts = [
            a
            for a in self.store.get_attempts(self.learner, "goal-discovery")
            if a.scenario == self.scenario_id
        ]
        if not attempts:
            raise ValueError("finish the goal discovery exercise for this case study first")
        assert self.scenario is not None
        goals = [g for g in attempts[-1].text.splitlines() if g.strip()]
        text = goals_as_plan_text(goals, self.scenario)
        current = self.editor.value
        if current.strip():
            text = current.rstrip() + "\n\n" + text.split("\n", 2)[2]
        self.type_text(text)
        self.show_message(f"{len(goals)} goals from your goal discovery are in the plan text.")
        return goals

    def flush(self) -> None:
        self._reviewer.flush()
        self._announcer.flush()
        super().flush()

    # -- drafts -------------------------------------------------------------------------------

    @validate("hints_shown")
    def _hints_of_this_case(self, proposal: Any) -> int:
        return max(0, min(int(proposal["value"]), len(self.hints)))

    def restored(self) -> None:
        self._reviewer.cancel()
        self.review_now()
        self._update_buttons()


class PlanBuilder(PlanRewriter):
    """Build a plan from a blank page (text or form) with the same live review."""

    activity = "plan-builder"
    start_from_deficit_plan = False

    def _intro(self) -> str:
        return (
            f"<h3>Build the {esc(self.locale.care_plan)}</h3><p>Start with the person's goals: "
            "use the form one goal at a time, or write the plan text yourself. The review "
            "below updates as you go.</p>"
        )
