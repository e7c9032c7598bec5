"""The structured alternative to plan text: one goal, its objectives and actions, as fields."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as w
from traitlets import Dict, Unicode, observe

from goalstudio.exercises.plan import (
    ActionFields,
    GoalFields,
    ObjectiveFields,
    disagreement_text,
    goal_text,
    owner_choices,
)

from ._base import esc, labelled, lines, text_area

if TYPE_CHECKING:
    from ._base import Exercise

OBJECTIVES, ACTIONS = 2, 3


class _Fields(w.VBox):
    """A form whose fields and synced ``entered`` trait follow each other: typing updates
    ``entered``; setting ``entered`` (a restored draft, the front end) fills the fields."""

    entered = Dict().tag(sync=True)
    _filling = False  # True while restore() sets the fields, so ``entered`` is set once

    def state(self) -> dict[str, Any]:
        raise NotImplementedError

    def restore(self, state: dict[str, Any]) -> None:
        raise NotImplementedError

    def _edited(self) -> None:
        if not self._filling:
            self.entered = self.state()

    @observe("entered")
    def _fill(self, _change: object) -> None:
        if self.entered != self.state():
            self.restore(self.entered)


class GoalForm(_Fields):
    """Fields for one goal; ``fields()`` reads them, ``text()`` turns them into plan text.

    ``entered`` (synced) is what the fields hold, as JSON; setting it fills the fields."""

    entered = Dict().tag(sync=True)

    def __init__(self, owner: Exercise) -> None:
        super().__init__()
        self.owner = owner
        self._filling = False
        self.goal = labelled(w.Text(), "Goal")
        self.own_words = w.Checkbox(
            layout=w.Layout(width="auto"),
            value=True,
            indent=False,
            description="These are the person's own words (quote them)",
        )
        self.strengths = labelled(text_area(rows=2), "Strengths it draws on (one per line)")
        self.barriers = labelled(text_area(rows=2), "What stands in the way (one per line)")
        picker = owner_choices(owner.scenario, owner.locale)
        self.objectives: list[tuple[w.Text, list[tuple[w.Dropdown, w.Text, w.Text, w.Text]]]] = []
        boxes: list[w.Widget] = []
        for o in range(OBJECTIVES):
            objective = labelled(w.Text(), f"Objective {o + 1} (observable, with a date)")
            rows = []
            row_boxes: list[w.Widget] = [objective]
            for a in range(ACTIONS):
                n = f"objective {o + 1}, action {a + 1}"
                who = w.Dropdown(options=picker, value="person", description=f"Who ({n})")
                name = w.Text(description=f"Name ({n})", placeholder="e.g. Siobhan, GP")
                what = w.Text(description=f"Does what ({n})")
                when = w.Text(description=f"When ({n})", placeholder="e.g. by 30 April")
                for c in (who, name, what, when):
                    c.style.description_width = "initial"
                rows.append((who, name, what, when))
                row_boxes.append(w.HBox([who, name]))
                row_boxes.append(w.HBox([what, when]))
            self.objectives.append((objective, rows))
            boxes.append(w.VBox(row_boxes).add_class("gs-card"))
        controls = [self.goal, self.own_words, self.strengths, self.barriers]
        for objective, rows in self.objectives:
            controls += [objective, *(c for row in rows for c in row)]
        for control in controls:
            control.observe(lambda _c: self._edited(), "value")
        self.entered = self.state()
        self.children = [
            w.HTML(
                "<p>Prefer fields to typing the format? Fill in one goal here and add it to "
                "your plan text; the text on the other tab is what gets reviewed.</p>"
            ),
            self.goal,
            self.own_words,
            self.strengths,
            self.barriers,
            *boxes,
        ]

    def fields(self) -> GoalFields:
        return GoalFields(
            text=self.goal.value,
            in_own_words=bool(self.own_words.value),
            strengths=lines(self.strengths.value),
            barriers=lines(self.barriers.value),
            objectives=[
                ObjectiveFields(
                    text=objective.value,
                    actions=[
                        ActionFields(who.value, name.value, what.value, when.value)
                        for who, name, what, when in rows
                    ],
                )
                for objective, rows in self.objectives
            ],
        )

    def text(self) -> str:
        return goal_text(self.fields(), self.owner.scenario, self.owner.locale)

    def clear(self) -> None:
        self.load(GoalFields())

    def load(self, fields: GoalFields) -> None:
        self._filling = True  # one update of ``entered`` at the end, not one per field
        try:
            self._load(fields)
        finally:
            self._filling = False
        self.entered = self.state()

    def _load(self, fields: GoalFields) -> None:
        self.goal.value = fields.text
        self.own_words.value = fields.in_own_words
        self.strengths.value = "\n".join(fields.strengths)
        self.barriers.value = "\n".join(fields.barriers)
        for n, (objective, rows) in enumerate(self.objectives):
            of = fields.objectives[n] if n < len(fields.objectives) else ObjectiveFields()
            objective.value = of.text
            for m, (who, name, what, when) in enumerate(rows):
                af = of.actions[m] if m < len(of.actions) else ActionFields()
                who.value, name.value, what.value, when.value = af.owner, af.name, af.text, af.when

    def state(self) -> dict[str, Any]:
        f = self.fields()
        return {
            "text": f.text,
            "own_words": f.in_own_words,
            "strengths": f.strengths,
            "barriers": f.barriers,
            "objectives": [
                {"text": o.text, "actions": [vars(a).copy() for a in o.actions]}
                for o in f.objectives
            ],
        }

    def restore(self, state: dict[str, Any]) -> None:
        self.load(
            GoalFields(
                text=str(state.get("text", "")),
                in_own_words=bool(state.get("own_words", True)),
                strengths=[str(s) for s in state.get("strengths", [])],
                barriers=[str(s) for s in state.get("barriers", [])],
                objectives=[
                    ObjectiveFields(
                        str(o.get("text", "")),
                        [
                            ActionFields(**{k: str(v) for k, v in a.items()})
                            for a in o.get("actions", [])
                        ],
                    )
                    for o in state.get("objectives", [])
                ],
            )
        )


class DisagreementForm(_Fields):
    """Fields for a 'Disagreement:' line: who disagrees, about what, and how it is revisited.

    ``entered`` (synced) is what the fields hold; setting it fills the fields."""

    entered = Dict(value_trait=Unicode()).tag(sync=True)

    def __init__(self, owner: Exercise) -> None:
        super().__init__()
        self._filling = False
        self.who = labelled(
            w.Text(placeholder="e.g. Siobhan and Bernie"), "Who disagrees (optional)"
        )
        self.about = labelled(
            w.Text(placeholder="e.g. Siobhan wants Bernie to move in; Bernie wants to stay home"),
            "About what, with each position",
        )
        self.revisit = labelled(
            w.Text(placeholder="e.g. revisited at the June review, with both there"),
            "How and when it will be revisited",
        )
        for control in (self.who, self.about, self.revisit):
            control.layout.width = "100%"
            control.observe(lambda _c: self._edited(), "value")
        self.entered = self.state()
        self.children = [
            w.HTML(
                "<p><b>Record a disagreement.</b> Where people do not agree about part of the "
                "plan, keep each position on the record, with a way back to it.</p>"
            ),
            self.who,
            self.about,
            self.revisit,
        ]
        self.add_class("gs-card")

    def text(self) -> str:
        return disagreement_text(self.who.value, self.about.value, self.revisit.value)

    def clear(self) -> None:
        self.restore({})

    def state(self) -> dict[str, str]:
        return {"who": self.who.value, "about": self.about.value, "revisit": self.revisit.value}

    def restore(self, state: dict[str, Any]) -> None:
        self._filling = True
        try:
            self.who.value = str(state.get("who", ""))
            self.about.value = str(state.get("about", ""))
            self.revisit.value = str(state.get("revisit", ""))
        finally:
            self._filling = False
        self.entered = self.state()


def describe_problem(line: int, message: str, fix: str) -> str:
    return f"<li><b>Line {line}:</b> {esc(message)} {esc(fix)}</li>"
