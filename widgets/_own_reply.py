"""Your own words in the risk conversation: check them anywhere, and say them where allowed.

Every point of the conversation lets the learner write a reply and hear what the coach makes of
it. Where the scenario marks the point ``free_text``, the learner can also *say* it: the reply is
scored against that point's criteria and the conversation carries on by the scripted branch the
core chooses (``goalstudio.exercises.reply``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as w

from goalstudio.exercises.reply import ReplyCheck, check_own_reply

from ._base import button, chip, esc, labelled, text_area

if TYPE_CHECKING:
    from .conversation import RiskConversation

_HELP_CHECK = (
    "Write the reply you would give, then check it. To carry on, choose the scripted reply "
    "closest to yours."
)
_HELP_SAY = (
    "Here you can reply in your own words: check them, then say them. The coach scores them "
    "against what a good reply does at this point, and the conversation carries on from there."
)


class OwnReply(w.VBox):
    """A text box, a check, and either 'say it' (free-text points) or the closest scripted reply."""

    def __init__(self, owner: RiskConversation) -> None:
        super().__init__()
        self.owner = owner
        self.area = labelled(
            text_area("What would you say?", rows=2), "Your own words", help_text=_HELP_CHECK
        )
        self.text: w.Textarea = self.area.children[0]
        self.help: w.HTML = self.area.children[1]
        self.result = w.HTML()
        self.say_button = button("Say my own words", self._say, style="primary")
        self.say_button.disabled = True
        self.text.observe(lambda _c: self._text_changed(), "value")
        self.children = [
            self.area,
            w.HBox([button("Check my words", self.check), self.say_button]),
            self.result,
        ]

    def show_for(self, free_text: bool) -> None:
        """Set up the box for a new point of the conversation."""
        self.text.value = ""
        self.result.value = ""
        self.say_button.layout.display = "flex" if free_text else "none"
        self.help.value = (
            f'<span class="gs-note">{esc(_HELP_SAY if free_text else _HELP_CHECK)}</span>'
        )
        self.text.tooltip = _HELP_SAY if free_text else _HELP_CHECK

    def _text_changed(self) -> None:
        # Enabled only once the kernel holds some words, so a quick click cannot overtake them.
        self.say_button.disabled = not self.text.value.strip()

    def _say(self) -> None:
        self.owner.say_own_words(self.text.value)

    def check(self) -> tuple[list[ReplyCheck], int | None] | None:
        ex = self.owner
        try:
            checks, closest = check_own_reply(self.text.value, ex.run.node, ex.locale.code)
        except Exception as exc:
            ex.show_error(exc)
            return None
        items = "".join(
            f"<li>{chip('met' if c.passed else 'partly', ('✓ ' if c.passed else '◐ ') + c.name)}"
            f" {esc(c.advice)}</li>"
            for c in checks
        )
        if ex.run.node.free_text:
            nearest = "<p>When you are happy with it, press 'Say my own words'.</p>"
        elif closest is not None:
            nearest = (
                f"<p>Closest scripted reply: {closest + 1}. Choose it above to carry on, or pick "
                "another.</p>"
            )
        else:
            nearest = "<p>None of the scripted replies is close; choose the one you prefer.</p>"
        self.result.value = f'<div class="gs-card" role="status"><ul>{items}</ul>{nearest}</div>'
        return checks, closest

    def reset(self) -> None:
        self.show_for(self.owner.run.node.free_text)
