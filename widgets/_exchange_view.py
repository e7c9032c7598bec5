"""Parts of the Exchange map: who shares an agreement, and the list of differences kept."""

from __future__ import annotations

from collections.abc import Callable, Collection

import ipywidgets as w

from goalstudio import PARTIES
from goalstudio.exercises.exchange import BUCKET_WORDS, ExchangeMapState

from ._base import esc


class SharedWith(w.HBox):
    """One checkbox per other party: who shares this agreed statement. Shown only for 'Agree'."""

    def __init__(
        self, own: str, titles: dict[str, str], on_change: Callable[[list[str]], None]
    ) -> None:
        super().__init__()
        self._quiet = False
        self._on_change = on_change
        self._own, self._titles = own, titles
        self.boxes: dict[str, w.Checkbox] = {}  # made when first needed: a map has ~40 rows
        self.add_class("gs-shared-with")
        self.layout.flex_flow = "row wrap"
        self.layout.display = "none"

    def _build(self) -> None:
        for party in PARTIES:
            if party != self._own:
                box = w.Checkbox(value=False, description=self._titles[party], indent=False)
                box.layout.width = "auto"
                box.observe(lambda _c: self._changed(), "value")
                self.boxes[party] = box
        self.children = [w.HTML("<span>Shared with:</span>"), *self.boxes.values()]

    def ticked(self) -> list[str]:
        return [p for p, box in self.boxes.items() if box.value]

    def show(self, agreed: bool, parties: Collection[str]) -> None:
        """Show the boxes for an agreed statement, ticked as recorded (without change events)."""
        self.layout.display = "flex" if agreed else "none"
        if agreed and not self.boxes:
            self._build()
        self._quiet = True
        try:
            for party, box in self.boxes.items():
                box.value = party in parties
        finally:
            self._quiet = False

    def _changed(self) -> None:
        if not self._quiet:
            self._on_change(self.ticked())


def difference_rows(
    state: ExchangeMapState,
    titles: dict[str, str],
    on_change: Callable[[str, w.Dropdown, w.Text], None],
) -> list[w.Widget]:
    """One card per statement sorted into 'Differ' or 'Needs discussion', with another view."""
    rows: list[w.Widget] = []
    for i, bucket in state.sorted.items():
        if bucket == "agree":
            continue
        s = state.statements[i]
        party, text = state.other_views.get(i, ("", ""))
        others = [(titles[p], p) for p in PARTIES if p != s.party]
        pick = w.Dropdown(options=others, value=party or others[0][1], description="Who")
        view = w.Text(value=text, description="Their view", placeholder="as they put it")
        for c in (pick, view):
            c.style.description_width = "initial"
            c.observe(lambda _c, i=i, p=pick, v=view: on_change(i, p, v), "value")
        heading = f"<b>{esc(BUCKET_WORDS[bucket])}</b> ({esc(titles[s.party])}): {esc(s.text)}"
        rows.append(w.VBox([w.HTML(heading), w.HBox([pick, view])]).add_class("gs-card"))
    if not rows:
        rows = [w.HTML("<i>Nothing sorted into 'Differ' or 'Needs discussion' yet.</i>")]
    return rows
