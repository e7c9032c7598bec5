"""ExchangeMap: hear all four parties, sort what they say, negotiate outcomes, keep dissent."""

from __future__ import annotations

import functools

import ipywidgets as w
from traitlets import Dict, List

from goalstudio import PARTIES, ExchangeRecord
from goalstudio.exercises.common import family_party
from goalstudio.exercises.exchange import (
    BUCKET_WORDS,
    ExchangeMapState,
    Outcome,
    exchange_checks,
    exchange_record,
    exchange_review,
)

from ._base import Exercise, button, chip, esc, guard, labelled
from ._drafts import texts_in
from ._exchange_view import SharedWith, difference_rows
from .after import case_model_html

OUTCOME_SLOTS = 3


class ExchangeMap(Exercise):
    """Four panels (person, family or carer, practitioner, agency) and a negotiated record."""

    activity = "exchange-map"
    # The map's state (ExchangeMapState.to_state), one synced trait per part.
    sorted_into = Dict().tag(sync=True, draft="sorted")  # statement to its bucket
    other_views = Dict().tag(sync=True, draft=True)  # statement to [party, position]
    shared = Dict().tag(sync=True, draft=True)  # agreed statement to the parties sharing it
    outcomes = List(Dict()).tag(sync=True, draft=True)  # the negotiated outcomes

    def build(self) -> list[w.Widget]:
        assert self.scenario is not None, "ExchangeMap needs a scenario"
        self.map = ExchangeMapState(self.scenario)
        self._keep()
        self.record: ExchangeRecord | None = None
        choices = [("Not sorted yet", ""), *((v, k) for k, v in BUCKET_WORDS.items())]
        self.pickers: dict[str, w.Dropdown] = {}
        self.shared_with: dict[str, SharedWith] = {}
        panels = []
        titles = self.party_titles()
        for view in self.scenario.perspectives:
            rows: list[w.Widget] = [
                w.HTML(f"<h4>{esc(titles[view.party])}</h4><i>{esc(view.who)}</i>")
            ]
            for s in (x for x in self.map.statements.values() if x.party == view.party):
                picker = w.Dropdown(options=choices, value="", description=f"{s.kind}:")
                picker.style.description_width = "initial"
                picker.tooltip = s.text
                picker.observe(lambda c, i=s.id: self._picked(i, c["new"]), "value")
                self.pickers[s.id] = picker
                shared = SharedWith(s.party, titles, functools.partial(self._ticked, s.id))
                self.shared_with[s.id] = shared
                rows += [w.HTML(f"<div>{esc(s.text)}</div>"), picker, shared]
            panels.append(w.VBox(rows).add_class("gs-card"))
        grid = w.GridBox(panels, layout=w.Layout(grid_template_columns="1fr 1fr"))
        self.differences = w.VBox()
        self._render_differences()
        party_choices = [(titles[p], p) for p in PARTIES]
        self.outcome_rows = []
        for n in range(OUTCOME_SLOTS):
            text = labelled(w.Text(), f"Negotiated outcome {n + 1}")
            who = labelled(w.Text(), f"Who does what (outcome {n + 1})")
            lead = w.Dropdown(options=party_choices, value="person", description="Builds on")
            for c in (text, who, lead):
                c.observe(lambda _c: self._outcomes_edited(), "value")
            self.outcome_rows.append((text, who, lead))
        self.feedback = w.HTML()
        self.model_box = w.HTML()  # one possible negotiated plan, opened after submitting
        return [
            w.HTML(
                "<h3>The Exchange map</h3><p>Each party brings expertise. Read each view and "
                "sort every statement: where the parties agree (and who shares it), where "
                "they differ, and what needs discussion. Then write the outcomes you "
                "negotiated. Differences are kept in the record, never dropped.</p>"
            ),
            grid,
            w.HTML("<h4>Where the parties differ (kept in the record)</h4>"),
            self.differences,
            w.HTML("<h4>Negotiated outcomes</h4>"),
            *(w.VBox(list(row)).add_class("gs-card") for row in self.outcome_rows),
            w.HBox(
                [
                    button("Check my map", self.check),
                    button("Save the negotiated plan", self.submit, style="success"),
                ]
            ),
            self.feedback,
            self.model_box,
        ]

    def party_titles(self) -> dict[str, str]:
        return {
            "person": "The person",
            "family": family_party(self.locale),
            "practitioner": "The practitioner",
            "agency": "The agency",
        }

    # -- learner actions ----------------------------------------------------------------------

    def _picked(self, statement_id: str, value: str) -> None:
        self.guarded(lambda: self.map.sort(statement_id, value or None))
        self._show_shared(statement_id)
        self._render_differences()
        self._keep()

    def _ticked(self, statement_id: str, parties: list[str]) -> None:
        self.guarded(lambda: self.map.share(statement_id, parties))
        self._keep()

    def _show_shared(self, statement_id: str) -> None:
        agreed = self.map.sorted.get(statement_id) == "agree"
        parties = list(self.map.shared.get(statement_id, set()))
        self.shared_with[statement_id].show(agreed, parties)

    @guard
    def sort(self, statement_id: str, bucket: str | None) -> None:
        """Sort a statement into 'agree', 'differ' or 'discuss' (None unsorts it)."""
        self.map.sort(statement_id, bucket)
        self.pickers[statement_id].value = bucket or ""
        self._show_shared(statement_id)

    @guard
    def share(self, statement_id: str, parties: list[str]) -> None:
        """Say which other parties share an agreed statement (ticks their boxes)."""
        self.map.share(statement_id, parties)
        self._show_shared(statement_id)
        self._keep()

    @guard
    def other_view(self, statement_id: str, party: str, position: str) -> None:
        """Record another party's position on a point of difference."""
        self.map.other_view(statement_id, party, position)
        self._render_differences()
        self._keep()

    @guard
    def set_outcome(self, slot: int, text: str, who_does_what: str, leads_from: str) -> None:
        """Write negotiated outcome ``slot`` (0-based)."""
        box, who, lead = self.outcome_rows[slot]
        box.value, who.value, lead.value = text, who_does_what, leads_from

    def _outcomes_edited(self) -> None:
        self.map.outcomes = [
            Outcome(t.value, who.value, lead.value)
            for t, who, lead in self.outcome_rows
            if t.value.strip()
        ]
        self._keep()

    def check(self) -> list[tuple[str, bool, str]]:
        """The feedback: every party heard, the person's outcome leads, dissent recorded."""
        checks = exchange_checks(self.map)
        items = "".join(
            f"<li>{chip('met' if ok else 'not_met', ('✓ ' if ok else '✗ ') + name)}"
            f"{' ' + esc(advice) if not ok else ''}</li>"
            for name, ok, advice in checks
        )
        self.feedback.value = f'<ul role="status">{items}</ul>'
        return checks

    @guard
    def submit(self) -> ExchangeRecord | None:
        """Build the ExchangeRecord and save it as an attempt with the checks."""
        self.check()
        record = exchange_record(self.map)
        if not self.private_enough_to_submit(*texts_in(record.model_dump())):
            return None
        self.store.add_attempt(
            self.learner,
            self.activity,
            record.model_dump_json(indent=2),
            exchange_review(self.map),
            scenario=self.scenario_id,
            module=self.module,
        )
        self.record = record
        self.show_message(
            f"Saved: {len(record.agreements)} agreements, {len(record.disagreements)} "
            f"differences kept, {len(record.negotiated_outcomes)} negotiated outcomes."
        )
        self.model_box.value = case_model_html(
            self.scenario, "One possible plan negotiated from these views"
        )
        return record

    def _render_differences(self) -> None:
        self.differences.children = difference_rows(self.map, self.party_titles(), self._other)

    def _other(self, statement_id: str, pick: w.Dropdown, view: w.Text) -> None:
        self.guarded(lambda: self.map.other_view(statement_id, pick.value, view.value))
        self._keep()

    # -- drafts -------------------------------------------------------------------------------

    def _keep(self) -> None:
        state = self.map.to_state()
        self.sorted_into, self.other_views = state["sorted"], state["other_views"]
        self.shared, self.outcomes = state["shared"], state["outcomes"]

    def restored(self) -> None:
        self.map.load_state(
            {
                "sorted": self.sorted_into,
                "other_views": self.other_views,
                "shared": self.shared,
                "outcomes": self.outcomes,
            }
        )
        for key, bucket in self.map.sorted.items():
            self.pickers[key].value = bucket
        for key in self.map.sorted:
            self._show_shared(key)
        saved = list(self.map.outcomes)
        for (text, who, lead), o in zip(self.outcome_rows, saved, strict=False):
            text.value, who.value, lead.value = o.text, o.who_does_what, o.leads_from
        self.map.outcomes = saved
        self._render_differences()
        self._keep()
