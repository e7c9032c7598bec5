"""The positive-risk decision record that closes a risk conversation (a form over the draft)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as w
from traitlets import Dict, observe

from goalstudio import PARTIES, RiskDecision
from goalstudio.exercises.common import family_party
from goalstudio.exercises.conversation import (
    OptionDraft,
    RiskDecisionDraft,
    build_risk_decision,
    risk_decision_problems,
)

from ._base import button, esc, labelled, lines, text_area
from ._drafts import texts_in
from .after import case_model_html

if TYPE_CHECKING:
    from ._base import Exercise

OPTION_SLOTS = 3
PARTY_WORDS = {
    "person": "The person",
    "family": "{family}",
    "practitioner": "You, the practitioner",
    "agency": "The agency",
}


class RiskDecisionForm(w.VBox):
    """Fields for each part of the record, a completeness check, and saving it.

    ``entered`` (synced) is the record as the fields hold it, once the form is started (None
    before); setting it fills the fields."""

    entered = Dict(allow_none=True, default_value=None).tag(sync=True)

    def __init__(self, owner: Exercise) -> None:
        super().__init__()
        self.owner = owner
        self.started = False
        self._filling = False
        self.decision: RiskDecision | None = None
        self.goal = labelled(w.Text(), "The goal this decision serves")
        self.person_view = labelled(text_area(rows=4), "The person's view, in their own words")
        self.options: list[tuple[w.Text, w.Textarea, w.Textarea, w.Checkbox]] = []
        option_boxes = []
        for n in range(OPTION_SLOTS):
            parts = (
                labelled(w.Text(), f"Option {n + 1}"),
                labelled(text_area(rows=2), f"Benefits of option {n + 1} (one per line)"),
                labelled(text_area(rows=2), f"Risks of option {n + 1} (one per line)"),
                w.Checkbox(
                    layout=w.Layout(width="auto"),
                    indent=False,
                    description=f"Option {n + 1} is 'doing nothing'",
                ),
            )
            self.options.append(parts)
            option_boxes.append(w.VBox(list(parts)).add_class("gs-card"))
        self.strengths = labelled(text_area(rows=3), "Strengths (one per line)")
        self.safety = labelled(
            text_area("Niece (Siobhan): keeps the tablets in March", rows=3),
            "What makes it safer, and who does it (one per line, 'Who: what')",
        )
        family = family_party(owner.locale)
        self.positions = {
            p: labelled(text_area(rows=2), PARTY_WORDS[p].format(family=family) + ": position")
            for p in PARTIES
        }
        self.decision_text = labelled(text_area(rows=2), "The decision")
        self.decision_maker = labelled(
            text_area(rows=2), "Who makes this decision, and on what authority"
        )
        self.capacity = labelled(text_area(rows=2), "The person's capacity to make this decision")
        self.dissent = labelled(text_area(rows=2), "Any dissent, as stated (one per line)")
        self.review_date = labelled(w.Text(), "Review date")
        self.result = w.HTML()
        for control in self._controls():
            control.observe(lambda _c: self._edited(), "value")
        self.children = [
            w.HTML(
                "<h4>Decision record (positive risk-taking)</h4><p>The studio has started "
                "it from the conversation. Check it, complete it, and correct anything that "
                "does not fit.</p>"
            ),
            self.goal,
            self.person_view,
            *option_boxes,
            self.strengths,
            self.safety,
            *self.positions.values(),
            self.decision_text,
            self.decision_maker,
            self.capacity,
            self.dissent,
            self.review_date,
            w.HBox(
                [
                    button("Check my record", self.check),
                    button("Save the decision record", self.save, style="success"),
                ]
            ),
            self.result,
        ]

    def _controls(self) -> list[w.Widget]:
        out = [self.goal, self.person_view, self.strengths, self.safety]
        out += [c for slot in self.options for c in slot]
        out += [*self.positions.values(), self.decision_text, self.decision_maker, self.capacity]
        out += [self.dissent, self.review_date]
        return out

    def _edited(self) -> None:
        if self.started and not self._filling:
            self.entered = self.draft().to_state()

    @observe("entered")
    def _fill(self, _change: object) -> None:
        if self.entered is not None and (
            not self.started or self.entered != self.draft().to_state()
        ):
            self.load(RiskDecisionDraft.from_state(dict(self.entered)))

    def load(self, draft: RiskDecisionDraft) -> None:
        """Start the form from a draft record (one update of ``entered``, not one per field)."""
        self._filling = True
        try:
            self._load(draft)
        finally:
            self._filling = False
        self.started = True
        self.entered = self.draft().to_state()

    def _load(self, draft: RiskDecisionDraft) -> None:
        self.goal.value = draft.goal
        self.person_view.value = draft.person_view
        for n, (desc, benefits, risks, nothing) in enumerate(self.options):
            option = draft.options[n] if n < len(draft.options) else OptionDraft()
            desc.value = option.description
            benefits.value = "\n".join(option.benefits)
            risks.value = "\n".join(option.risks)
            nothing.value = option.is_do_nothing
        self.strengths.value = "\n".join(draft.strengths)
        self.safety.value = "\n".join(draft.safety_measures)
        for party, area in self.positions.items():
            area.value = draft.positions.get(party, "")
        self.decision_text.value = draft.decision
        self.decision_maker.value = draft.decision_maker
        self.capacity.value = draft.capacity
        self.dissent.value = "\n".join(draft.dissent)
        self.review_date.value = draft.review_date

    def draft(self) -> RiskDecisionDraft:
        return RiskDecisionDraft(
            goal=self.goal.value,
            person_view=self.person_view.value,
            options=[
                OptionDraft(d.value, lines(b.value), lines(r.value), bool(n.value))
                for d, b, r, n in self.options
                if d.value.strip()
            ],
            strengths=lines(self.strengths.value),
            safety_measures=lines(self.safety.value),
            positions={p: a.value for p, a in self.positions.items()},
            decision=self.decision_text.value,
            decision_maker=self.decision_maker.value,
            capacity=self.capacity.value,
            dissent=lines(self.dissent.value),
            review_date=self.review_date.value,
        )

    def _names(self) -> list[str]:
        scenario = self.owner.scenario
        return [scenario.person.name] if scenario is not None else []

    def check(self) -> list[str]:
        """The completeness check: what is still missing, shown in the form."""
        problems = risk_decision_problems(self.draft(), self._names())
        if problems:
            items = "".join(f"<li>{esc(p)}</li>" for p in problems)
            self.result.value = (
                f'<div class="gs-error" role="status"><b>Not complete yet '
                f"({len(problems)} to do):</b><ul>{items}</ul></div>"
            )
        else:
            self.result.value = (
                '<div class="gs-ok" role="status"><b>Complete:</b> every part of the record '
                "is filled in. Save it when you are happy with it.</div>"
            )
        return problems

    def save(self) -> RiskDecision | None:
        """Check, then record the finished decision as an attempt."""
        if self.check():
            return None
        ex = self.owner
        try:
            record = build_risk_decision(self.draft(), self._names())
            if not ex.private_enough_to_submit(*texts_in(record.model_dump())):
                return None
            ex.store.add_attempt(
                ex.learner,
                ex.activity,
                record.model_dump_json(indent=2),
                {"kind": "risk_decision", "complete": True, "score": 1.0},
                scenario=ex.scenario_id,
                module=ex.module,
            )
        except Exception as exc:
            ex.show_error(exc)
            return None
        self.decision = record
        ex.show_message("Your decision record is saved.")
        box = getattr(ex, "model_box", None)
        if isinstance(box, w.HTML):
            box.value = case_model_html(ex.scenario, "Compare: one possible plan for this case")
        return record
