"""SortExercise: place each statement in a group, then see why each one belongs where it does."""

from __future__ import annotations

from typing import Any

import ipywidgets as w
from traitlets import Dict, Unicode, observe, validate

from goalstudio.exercises.sort import SortResult, get_sort, mark

from ._base import Exercise, button, chip, esc, guard, labelled


class SortExercise(Exercise):
    """A short sort whose every statement explains where it belongs.

    ``SortExercise("01-relational-managerial")`` opens the sort with that id from
    ``course/sorts/``. Each statement has its own group buttons (a radio group, usable from the
    keyboard). Checking shows, for every statement, whether it is where the sort puts it and
    why; the learner can move statements and check again. The checked sort is recorded.
    """

    picks_case = False
    # Statement number (from 0, as text: the draft is JSON) to the group it is placed in.
    placed = Dict(value_trait=Unicode()).tag(sync=True, draft=True)

    def __init__(self, sort: str, **kw: Any) -> None:
        self.sort_id = sort
        super().__init__(None, module=kw.pop("module", sort[:2]), **kw)

    def build(self) -> list[w.Widget]:
        self.sort = get_sort(self.sort_id)
        self.activity = self.sort.activity
        options = [(g.label, g.key) for g in self.sort.groups]
        self.choices: list[w.RadioButtons] = []
        self.feedback: list[w.HTML] = []
        rows: list[w.Widget] = []
        for n, item in enumerate(self.sort.items, start=1):
            choice = w.RadioButtons(options=options, value=None)
            choice.observe(lambda c, n=n - 1: self._moved(n, c["new"]), "value")
            self.choices.append(choice)
            note = w.HTML()
            self.feedback.append(note)
            row = w.VBox([labelled(choice, f"{n}. {item.text}"), note])
            row.add_class("gs-card")
            rows.append(row)
        groups = "".join(
            f"<li><b>{esc(g.label)}</b>: {esc(g.meaning)}</li>" for g in self.sort.groups
        )
        self.placed = {}
        self.check_button = button("Check my sort", self.check, style="primary")
        self.summary = w.HTML()
        return [
            w.HTML(
                f"<h3>{esc(self.sort.title)}</h3>"
                f'<p class="gs-note">{esc(self.sort.instructions)}</p><ul>{groups}</ul>'
            ),
            *rows,
            self.check_button,
            self.summary,
        ]

    # -- learner actions ----------------------------------------------------------------------

    @guard
    def place(self, number: int, group: str) -> None:
        """Put statement ``number`` (counting from 1) in ``group`` (its key or its label)."""
        if not 1 <= number <= len(self.sort.items):
            raise ValueError(f"choose a statement from 1 to {len(self.sort.items)}")
        by_label = {g.label.lower(): g.key for g in self.sort.groups}
        key = by_label.get(group.lower(), group)
        self.sort.group(key)  # an unknown group is a friendly error
        self.choices[number - 1].value = key

    @guard
    def check(self) -> SortResult:
        """Compare the placing with the sort's, explain every statement, and record it."""
        result = mark(self.sort, self._placed())
        self._show(result)
        self.store.add_event(
            self.learner,
            self.activity,
            "completed",
            {
                "right": len(result.right),
                "wrong": len(result.wrong),
                "unplaced": len(result.unplaced),
            },
            module=self.module,
        )
        self.save_now()
        return result

    def _placed(self) -> dict[int, str]:
        return {int(n): key for n, key in self.placed.items()}

    def _moved(self, number: int, group: str | None) -> None:
        placed = {n: key for n, key in self.placed.items() if n != str(number)}
        self.placed = placed if group is None else {**placed, str(number): group}

    @validate("placed")
    def _statements_and_groups_of_this_sort(self, proposal: Any) -> dict[str, str]:
        keys = {g.key for g in self.sort.groups}
        given: dict[str, str] = proposal["value"]
        return {
            n: key
            for n, key in given.items()
            if n.isdigit() and int(n) < len(self.choices) and key in keys
        }

    @observe("placed")
    def _show_placed(self, _change: object) -> None:
        for n, choice in enumerate(self.choices):
            choice.value = self.placed.get(str(n))

    def _show(self, result: SortResult) -> None:
        for n, (item, note) in enumerate(zip(self.sort.items, self.feedback, strict=True)):
            group = self.sort.group(item.group).label
            if n in result.right:
                head = chip("met", "Yes") + f" {esc(group)}."
            elif n in result.wrong:
                head = chip("not_met", "Not quite") + f" This one is {esc(group)}."
            else:
                head = chip("pending", "Not placed") + f" This one is {esc(group)}."
            note.value = f'<div role="status">{head} {esc(item.why)}</div>'
        placed = len(result.right) + len(result.wrong)
        text = f"{len(result.right)} of {result.total} placed as the review would place them."
        if result.unplaced:
            text += f" {len(result.unplaced)} not placed yet ({placed} placed)."
        elif result.wrong:
            text += " Read why, move any you now see differently, and check again."
        self.summary.value = (
            f'<div class="gs-ok" role="status" aria-live="polite">{esc(text)} '
            f'<span class="gs-note">Source: {esc(self.sort.source)}</span></div>'
        )
