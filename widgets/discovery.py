"""GoalDiscovery: listen to the person, and capture their goals in their own words."""

from __future__ import annotations

from typing import Any

import ipywidgets as w
from traitlets import Int, List, Unicode, validate

from goalstudio.exercises.discovery import (
    GoalFeedback,
    discovery_review,
    discovery_turns,
    goal_feedback,
)

from ._base import Exercise, button, chip, esc, guard, labelled

ACTIVITY = "goal-discovery"


class GoalDiscovery(Exercise):
    """Step through a goal-discovery conversation and list the goals you hear."""

    activity = ACTIVITY
    shown = Int(1).tag(sync=True, draft=True)  # how many turns of the conversation are shown
    goal_texts = List(Unicode()).tag(sync=True, draft="goals")  # the goals captured, in order
    typing = Unicode("").tag(sync=True, draft=True)  # a goal being typed, not yet added

    def build(self) -> list[w.Widget]:
        assert self.scenario is not None, "GoalDiscovery needs a scenario"
        self.name = self.scenario.known_as
        self.turns = discovery_turns(self.scenario)
        self.shown = 1
        self.goals: list[GoalFeedback] = []
        self.goal_texts = []
        self.transcript = w.HTML()
        self.next_button = button("Ask the next question", self.next_turn, style="primary")
        self.entry = labelled(
            w.Textarea(rows=2, layout=w.Layout(width="100%")),
            f"A goal, in {self.name}'s own words",
            help_text="Copy the words as they were said. Add one goal at a time.",
        )
        self.area: w.Textarea = self.entry.children[0]
        w.link((self.area, "value"), (self, "typing"))
        self.goal_list = w.HTML()
        self.model_box = w.HTML()  # the goals the person named, opened after submitting
        self._render()
        return [
            w.HTML(
                f"<h3>Goal discovery with {esc(self.name)}</h3><p>Listen first. Ask what a "
                "good life looks like, then ask 'what would that give you?' until you reach "
                f"what matters. Capture each goal in {esc(self.name)}'s own words.</p>"
            ),
            self.transcript,
            w.HBox([self.next_button]),
            self.entry,
            w.HBox(
                [
                    button("Add this goal", self._add_typed, style="info"),
                    button("I have finished", self.submit, style="success"),
                ]
            ),
            self.goal_list,
            self.model_box,
        ]

    # -- learner actions ----------------------------------------------------------------------

    @guard
    def next_turn(self) -> str:
        """Ask the next question; returns what the person says."""
        if self.shown >= len(self.turns):
            raise ValueError(f"that is the whole conversation; capture {self.name}'s goals")
        self.shown += 1
        self._render()
        return self.turns[self.shown - 1].answer

    def _add_typed(self) -> None:
        if self.capture(self.area.value) is not None:
            self.area.value = ""

    @guard
    def capture(self, goal: str) -> GoalFeedback:
        """Add a goal to the list; the feedback says whose goal it is and if it is an outcome."""
        text = " ".join(goal.split())
        if not text:
            raise ValueError("type or paste the goal first")
        if any(g.goal.lower() == text.lower() for g in self.goals):
            raise ValueError("that goal is already on the list")
        assert self.scenario is not None
        feedback = goal_feedback(text, self.scenario, self.turns)
        self.goals.append(feedback)
        self.goal_texts = [g.goal for g in self.goals]
        self._render()
        return feedback

    @guard
    def remove(self, index: int) -> None:
        """Take goal ``index`` (0-based) off the list."""
        if not 0 <= index < len(self.goals):
            raise ValueError(f"there is no goal {index + 1} on the list")
        del self.goals[index]
        self.goal_texts = [g.goal for g in self.goals]
        self._render()

    @guard
    def submit(self) -> dict[str, Any] | None:
        """Save the goals; the plan builder can start from them."""
        if not self.goals:
            raise ValueError(f"capture at least one of {self.name}'s goals first")
        review = discovery_review(self.goals, self.turns)
        if not self.private_enough_to_submit(*(g.goal for g in self.goals)):
            return None
        self.store.add_attempt(
            self.learner,
            self.activity,
            "\n".join(g.goal for g in self.goals),
            review,
            scenario=self.scenario_id,
            module=self.module,
        )
        named, heard = review["named_goals"], review["named_goals_captured"]
        found = f" You captured {heard} of the {named} goals {self.name} named." if named else ""
        self.show_message(f"Your goals are saved; the plan builder can start from them.{found}")
        self._show_model_answer()
        return review

    def _show_model_answer(self) -> None:
        """After submitting: the goals the person named, in their words, to compare with."""
        said = [g for t in self.turns for g in t.goals]
        if not said:
            return
        items = "".join(f"<li>“{esc(g)}”</li>" for g in dict.fromkeys(said))
        self.model_box.value = (
            f'<div class="gs-card"><h4>The goals {esc(self.name)} named, in '
            f"{esc(self.name)}'s own words</h4><ul>{items}</ul>"
            '<p class="gs-note">Compare them with yours: a goal in the person\'s words, not a '
            "service, and not a paraphrase.</p></div>"
        )

    # -- view ---------------------------------------------------------------------------------

    def _render(self) -> None:
        parts = []
        for t in self.turns[: self.shown]:
            flag = chip("partly", "A less helpful question") if t.kind == "less_helpful" else ""
            parts.append(f'<div class="gs-card"><b>You ask:</b> {esc(t.ask)} {flag}</div>')
            parts.append(
                f'<div class="gs-card gs-person"><b>{esc(self.name)}:</b> {esc(t.answer)}</div>'
            )
            if t.coach:
                parts.append(f'<div class="gs-card"><i>Coach:</i> {esc(t.coach)}</div>')
        self.transcript.value = "".join(parts)
        left = len(self.turns) - self.shown
        self.next_button.disabled = left == 0
        self.next_button.description = (
            f"Ask the next question ({left} left)" if left else "That is the whole conversation"
        )
        items = []
        for n, g in enumerate(self.goals, start=1):
            whose = chip(
                "met" if g.own_words else "partly",
                "Own words" if g.own_words else "Check whose words",
            )
            kind = {"person_centred": "met", "mixed": "partly", "deficit_led": "not_met"}[
                g.outcome_label
            ]
            word = {
                "person_centred": "Outcome",
                "mixed": "Partly an outcome",
                "deficit_led": "Service or deficit",
            }
            items.append(
                f"<li><b>{n}. “{esc(g.goal)}”</b><br>{whose}{chip(kind, word[g.outcome_label])}"
                f"<br>{esc(g.whose)} {esc(g.outcome)}</li>"
            )
        self.goal_list.value = (
            f"<h4>Goals you captured</h4><ol>{''.join(items)}</ol>" if items else ""
        )

    # -- drafts -------------------------------------------------------------------------------

    @validate("shown")
    def _turns_of_this_conversation(self, proposal: Any) -> int:
        return max(1, min(int(proposal["value"]), len(self.turns)))

    def restored(self) -> None:
        assert self.scenario is not None
        self.goals = [goal_feedback(g, self.scenario, self.turns) for g in self.goal_texts]
        self._render()
