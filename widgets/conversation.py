"""RiskConversation: a branching conversation about risk, with meters, a coach and a decision."""

from __future__ import annotations

from typing import Any

import ipywidgets as w
from traitlets import Bool, Dict

from goalstudio.exercises.conversation import (
    METER_MAX,
    ConversationRun,
    Turn,
    draft_risk_decision,
)

from ._base import Exercise, button, esc, guard, labelled
from ._conversation_view import (
    coach_html,
    ending_html,
    meters_html,
    transcript_html,
)
from ._own_reply import OwnReply
from ._risk_form import RiskDecisionForm


class RiskConversation(Exercise):
    """Talk with the person about a risk; every reply moves trust and shared understanding."""

    activity = "risk-conversation"
    path = Dict().tag(sync=True, draft="run")  # the replies given so far (ConversationRun's state)
    practice_mode = Bool(False).tag(sync=True, draft="practice")  # the coach after each reply
    # The decision record once the conversation has ended and the form is started.
    decision = Dict(allow_none=True, default_value=None).tag(sync=True, draft=True)

    def build(self) -> list[w.Widget]:
        assert self.scenario is not None, "RiskConversation needs a scenario"
        s = self.scenario
        self.first_name = s.known_as
        self._shown_node: str | None = None
        self.run = ConversationRun(s.conversation)
        self.path = self.run.to_state()
        self.practice = w.Checkbox(
            layout=w.Layout(width="auto"),
            value=False,
            indent=False,
            description="Practice mode: show the coach's comments straight after each reply",
        )
        w.link((self.practice, "value"), (self, "practice_mode"))
        self.practice.observe(lambda _c: self._render(), "value")
        self.trust_bar = w.IntProgress(min=0, max=METER_MAX, description="Trust")
        self.understanding_bar = w.IntProgress(
            min=0, max=METER_MAX, description="Shared understanding"
        )
        for bar in (self.trust_bar, self.understanding_bar):
            bar.style.description_width = "170px"
        self.meter_text = w.HTML()
        self.transcript = w.HTML()
        self.replies = labelled(w.RadioButtons(options=[], value=None), "Your reply")
        self.replies.layout.width = "100%"
        self.say_button = button("Say this reply", self._say_selected, style="primary")
        # The button is enabled only once the kernel holds the chosen reply. Without this, a
        # click on a busy kernel can arrive before the choice does (widget state updates are
        # throttled, clicks are not) and the learner's reply would be lost.
        self.replies.observe(lambda _c: self._enable_say(), "value")
        self.own = OwnReply(self)
        self.coach = w.HTML()
        self.ending_box = w.HTML()
        self.form = RiskDecisionForm(self)
        w.link((self.form, "entered"), (self, "decision"))
        self.model_box = w.HTML()  # the case's model plan, opened once the record is saved
        self.form.layout.display = "none"
        intro = w.HTML(
            f"<h3>A conversation about risk with {esc(self.first_name)}</h3><p>You are "
            f"{esc(self.first_name)}'s {esc(self.term('care_coordinator'))}. Read what "
            f"{esc(self.first_name)} says, then choose your reply. Your choices change how "
            "much they trust you and how well you understand each other.</p>"
        )
        controls = w.HBox(
            [
                self.say_button,
                button("Step back one reply", self.back),
                button("Start again", self.restart),
            ]
        )
        self._render()
        return [
            intro,
            self.practice,
            self.trust_bar,
            self.understanding_bar,
            self.meter_text,
            self.transcript,
            self.own,
            self.replies,
            controls,
            self.coach,
            self.ending_box,
            self.form,
            self.model_box,
        ]

    # -- learner actions ----------------------------------------------------------------------

    @guard
    def choose(self, index: int) -> Turn:
        """Give reply ``index`` (0-based) at the current point of the conversation."""
        turn = self.run.choose(index)
        self._record(turn, {})
        return turn

    @guard
    def say_own_words(self, text: str) -> Turn:
        """Say a reply in your own words, where this point allows it; the coach scores it and
        the conversation carries on by the closest scripted branch of the same quality."""
        self.own.text.value = text
        turn, scored = self.run.say(text, self.locale.code)
        self._record(turn, {"typed": True, "met": scored.met, "checks": len(scored.checks)})
        return turn

    def _record(self, turn: Turn, extra: dict[str, Any]) -> None:
        detail = {"node": turn.node_id, "choice": turn.choice, "quality": turn.quality, **extra}
        self.store.add_event(
            self.learner,
            self.activity,
            "conversation_choice",
            detail,
            scenario=self.scenario_id,
            module=self.module,
        )
        if self.run.finished:
            ending = self.run.ending
            assert ending is not None
            self.store.add_event(
                self.learner,
                self.activity,
                "completed",
                {"ending": ending.kind, "trust": self.run.trust},
                scenario=self.scenario_id,
                module=self.module,
            )
            if not self.form.started:
                assert self.scenario is not None
                self.form.load(draft_risk_decision(self.scenario, self.run))
        self._moved_on()

    def check_own_words(self, text: str) -> list[tuple[str, bool, str]] | None:
        """Write a reply in your own words and get the coach's checks (then choose a reply)."""
        self.own.text.value = text
        result = self.own.check()
        return None if result is None else [(c.name, c.passed, c.advice) for c in result[0]]

    def _enable_say(self) -> None:
        self.say_button.disabled = self.run.finished or self.replies.value is None

    def _say_selected(self) -> None:
        selected = self.replies.value
        if selected is None:
            self.show_error("Choose one of the replies first, then press 'Say this reply'.")
            return
        self.choose(int(selected))

    @guard
    def back(self) -> None:
        """Take back the last reply and try another branch."""
        self.run.back()
        self._moved_on()

    @guard
    def restart(self) -> None:
        """Replay the conversation from the start (branches already explored are remembered)."""
        self.run.restart()
        self._moved_on()

    def _moved_on(self) -> None:
        self.path = self.run.to_state()
        self._render()

    # -- view ---------------------------------------------------------------------------------

    def _render(self) -> None:
        run = self.run
        self.trust_bar.value = run.trust
        self.understanding_bar.value = run.understanding
        self.meter_text.value = meters_html(run)
        node = run.node
        tried = set(run.unexplored_here())
        self.replies.options = [
            (f"{i + 1}. {c.reply}" + ("" if i in tried else "  (tried before)"), i)
            for i, c in enumerate(node.choices)
        ]
        self.replies.value = None
        self.replies.disabled = run.finished
        if getattr(self, "_shown_node", None) != node.id:
            self.own.reset()  # a new turn: a fresh box
            self._shown_node = node.id
        self.own.layout.display = "none" if run.finished else "flex"
        self._enable_say()
        last = run.turns[-1] if run.turns else None
        if last is not None and (self.practice.value or run.finished):
            self.coach.value = coach_html(run.turns if run.finished else [last])
        else:
            self.coach.value = ""
        if run.ending is not None:
            self.ending_box.value = ending_html(run.ending)
            self.form.layout.display = "flex"
        else:
            self.ending_box.value = ""
        # Last, so that once the learner (or a browser test) sees the new line, the replies and
        # buttons for it are already in place.
        self.transcript.value = transcript_html(run, self.first_name)

    # -- drafts -------------------------------------------------------------------------------

    def restored(self) -> None:
        self.run = ConversationRun.from_state(self.run.conversation, dict(self.path))
        self._render()
