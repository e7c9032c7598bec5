"""Optional: write your own reply before choosing one, and hear what the coach makes of it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as w
from goalstudio.widgets._base import button, chip, esc, labelled, text_area

from goalstudio._exercise_conversation import ReplyCheck, check_own_reply

if TYPE_CHECKING:
    from goalstudio.widgets.conversation import RiskConversation


class OwnReply(w.VBox):  # type: ignore[misc]
    """A text box, a check, and a pointer to the closest scripted reply to carry on with."""

    def __init__(self, owner: RiskConversation) -> None:
        super().__init__()
        self.owner = owner
        self.area = labelled(
            text_area("What would you say?", rows=2),
            "Your own words (optional)",
            help_text="Write the reply you would give, then check it. To carry on, choose the "
            "scripted reply closest to yours.",
        )
        self.text: w.Textarea = self.area.children[0]
        self.text.observe(lambda _c: owner.changed(), "value")
        self.result = w.HTML()
        self.children = [self.area, w.HBox([button("Check my words", self.check)]), self.result]

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
        nearest = (
            f"<p>Closest scripted reply: {closest + 1}. Choose it above to carry on, or pick "
            "another.</p>"
            if closest is not None
            else "<p>None of the scripted replies is close; choose the one you prefer.</p>"
        )
        self.result.value = f'<div class="gs-card" role="status"><ul>{items}</ul>{nearest}</div>'
        return checks, closest

    def reset(self) -> None:
        self.text.value = ""
        self.result.value = ""
