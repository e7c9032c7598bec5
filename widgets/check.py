"""ConceptCheck: one short question after a teaching block, with feedback on every answer."""

from __future__ import annotations

from typing import Any

import ipywidgets as w
from traitlets import List, Unicode, observe, validate

from goalstudio.exercises.check import CheckOutcome, CheckState, get_check

from ._base import Exercise, button, esc, guard, labelled

KIND_INTRO = {
    "choice": "Choose the best answer, then check it.",
    "better-sentence": "Which sentence would you rather see in a plan? Choose one, then check it.",
}


class ConceptCheck(Exercise):
    """A question whose wrong answers each explain the misconception behind them.

    ``ConceptCheck("03-outputs")`` asks the check with that id from ``course/checks/``. The
    learner may try again after a wrong answer; every answer is recorded as an event, so the
    facilitator's board can show which misconceptions the room holds.
    """

    selected = Unicode(None, allow_none=True).tag(sync=True, draft=True)  # the answer picked
    chosen = List(Unicode()).tag(sync=True, draft=True)  # every answer checked, in order

    def __init__(self, check: str, **kw: Any) -> None:
        self.check_id = check
        super().__init__(None, module=kw.pop("module", check[:2]), **kw)

    def build(self) -> list[w.Widget]:
        self.check = get_check(self.check_id)
        self.activity = self.check.activity
        self.answers = CheckState(self.check)
        letters = [k.upper() for k in self.check.letters()]
        self.choice = w.RadioButtons(
            options=[
                (f"{letter}. {a.text}", key)
                for letter, key, a in zip(
                    letters, self.check.letters(), self.check.answers, strict=True
                )
            ],
            value=None,
        )
        self.selected, self.chosen = None, []
        w.link((self.choice, "value"), (self, "selected"))
        self.question = labelled(self.choice, self.check.question)
        self.question.add_class("gs-check-question")
        self.check_button = button("Check my answer", self.check_answer, style="primary")
        self.check_button.disabled = True
        self.feedback = w.HTML()
        self.others = w.HTML()
        return [
            w.HTML(
                "<h3>Check your understanding</h3>"
                f'<p class="gs-note">{esc(KIND_INTRO[self.check.kind])}</p>'
            ),
            self.question,
            self.check_button,
            self.feedback,
            self.others,
        ]

    @observe("selected")
    def _picked(self, _change: object) -> None:
        self.check_button.disabled = self.selected is None

    # -- learner actions ----------------------------------------------------------------------

    @guard
    def choose(self, key: str) -> None:
        """Select an answer by its letter (as clicking it does)."""
        self.check.answer(key.lower())  # a letter with no answer is a friendly error
        self.choice.value = key.lower()

    @guard
    def check_answer(self) -> CheckOutcome:
        """Check the selected answer, record it, and explain it."""
        key = self.choice.value
        if key is None:
            raise ValueError("choose an answer first")
        outcome = self.answers.answer(key)
        self.chosen = list(self.answers.chosen)
        self.store.add_event(
            self.learner,
            self.activity,
            "check_answered",
            self.answers.event_detail(outcome),
            module=self.module,
        )
        self._show(outcome)
        self.save_now()
        return outcome

    def _show(self, outcome: CheckOutcome) -> None:
        # role="alert": the feedback element is new each time, and a screen reader announces a
        # new alert at once (a new "status" region is often not read out).
        letter = outcome.key.upper()
        if outcome.correct:
            head = f"Yes: {letter} is the best answer."
            kind = "gs-ok"
        else:
            head = f"Not quite: {letter} is not the best answer. Try another."
            kind = "gs-error"
        self.feedback.value = (
            f'<div class="{kind}" role="alert"><b>{esc(head)}</b> {esc(outcome.why)}</div>'
        )
        if self.answers.solved:
            items = "".join(
                f"<li><b>{esc(k.upper())}.</b> {esc(a.why)}</li>"
                for k, a in zip(self.check.letters(), self.check.answers, strict=True)
                if not a.correct
            )
            self.others.value = (
                f"<details><summary>Why the other answers miss</summary><ul>{items}</ul>"
                f'</details><p class="gs-note">Source: {esc(self.check.source)}</p>'
            )

    # -- drafts -------------------------------------------------------------------------------

    @validate("selected")
    def _a_letter_of_this_check(self, proposal: Any) -> str | None:
        key = proposal["value"]
        return key if key in self.check.letters() else None

    @validate("chosen")
    def _letters_of_this_check(self, proposal: Any) -> list[str]:
        return [k for k in proposal["value"] if k in self.check.letters()]

    def restored(self) -> None:
        self.answers.chosen = list(self.chosen)
        if self.chosen:
            last = self.chosen[-1]
            answer = self.check.answer(last)
            self._show(CheckOutcome(last, answer.correct, answer.why, len(self.chosen)))
