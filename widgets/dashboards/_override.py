"""A facilitator disagrees with a verdict: the form that records it, and the list of overrides.

The override is kept beside the rubric's verdict in the records store (the review itself is
never changed); the rubric profile counts the facilitator's verdict where there is one.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from goalstudio.records import Override, RecordStore, RecordStoreError
from goalstudio.rubric import CRITERIA, CRITERION_SHORT_TITLES, VERDICT_WORDS, VERDICTS

from ._common import esc, table

VERDICT_CHOICES = tuple((VERDICT_WORDS[v], v) for v in VERDICTS)


def overrides_html(overrides: Any) -> str:
    """The overrides in force as a table, with a line saying how the profile counts them."""
    if overrides.empty:
        return (
            "<p>No verdicts overridden. When you disagree with a verdict, record it below: "
            "the profile then counts your verdict, and both stay on record.</p>"
        )
    frame = overrides.assign(
        criterion=overrides["criterion"].map(CRITERION_SHORT_TITLES),
        rubric_verdict=overrides["rubric_verdict"].map(VERDICT_WORDS),
        verdict=overrides["verdict"].map(VERDICT_WORDS),
        created_at=overrides["created_at"].str.slice(0, 16).str.replace("T", " "),
    )
    n = len(frame)
    return (
        f"<p>{n} verdict{'s' if n != 1 else ''} overridden by facilitators; the profile above "
        "counts the facilitator's verdict.</p>"
        + table(
            frame,
            {
                "learner": "Learner",
                "activity": "Activity",
                "scenario": "Case study",
                "criterion": "Criterion",
                "rubric_verdict": "The rubric said",
                "verdict": "Facilitator's verdict",
                "reason": "Why",
                "by": "By",
                "created_at": "When (UTC)",
            },
        )
    )


class OverrideForm(w.VBox):
    """Choose a learner, then their latest plan, and a criterion; give your verdict and why;
    record it. (Learner first: a cohort's plans, thousands of them, would make one list too
    long to use and slow the page that carries it.)"""

    def __init__(self, records: str | None) -> None:
        super().__init__()
        self.records = records
        self._plans: dict[str, list[tuple[str, str]]] = {}
        self.learner = w.Dropdown(options=[], description="Learner")
        self.learner.observe(lambda _c: self._show_plans(), names="value")
        self.attempt = w.Dropdown(options=[], description="Plan")
        self.criterion = w.Dropdown(
            options=[(CRITERION_SHORT_TITLES[c], c) for c in CRITERIA], description="Criterion"
        )
        self.verdict = w.ToggleButtons(options=VERDICT_CHOICES, description="Your verdict")
        self.by = w.Text(description="Your name", placeholder="who disagrees")
        self.reason = w.Textarea(description="Why", placeholder="what the rubric missed")
        controls = (self.learner, self.attempt, self.criterion, self.verdict, self.by, self.reason)
        for control in controls:
            control.style.description_width = "initial"
        self.reason.layout.width = "100%"
        self.save = w.Button(description="Record the override", button_style="primary")
        self.save.on_click(lambda _b: self.record())
        self.message = w.HTML()
        self.message.add_class("gs-status")
        self.children = [
            w.HTML("<h3>Disagree with a verdict</h3>"),
            *controls,
            self.save,
            self.message,
        ]

    def set_plans(self, plans: Any) -> None:
        """The learners' latest reviewed plans to choose from (``reports.reviewed_plans``)."""
        by_learner: dict[str, list[tuple[str, str]]] = {}
        for r in plans:
            label = r.activity + (f" ({r.scenario})" if r.scenario else "")
            by_learner.setdefault(r.learner, []).append((label, r.record_id))
        if by_learner == self._plans:
            return
        self._plans = by_learner
        learners = sorted(by_learner)
        keep = self.learner.value if self.learner.value in by_learner else None
        self.learner.options = learners
        self.learner.value = keep if keep is not None else (learners[0] if learners else None)
        self._show_plans()

    def _show_plans(self) -> None:
        options = self._plans.get(self.learner.value or "", [])
        if list(self.attempt.options) != options:
            keep = self.attempt.value if self.attempt.value in {v for _l, v in options} else None
            self.attempt.options = options
            self.attempt.value = keep if keep is not None else (options[0][1] if options else None)

    def record(self) -> Override | None:
        """Record the override; says what happened (or what to fix) under the button."""
        if self.attempt.value is None:
            self.message.value = esc("Choose a plan first.")
            return None
        try:
            with RecordStore(self.records) as store:
                done = store.add_override(
                    self.attempt.value,
                    self.criterion.value,
                    self.verdict.value,
                    self.reason.value,
                    by=self.by.value.strip(),
                )
        except RecordStoreError as exc:
            self.message.value = esc(f"Not recorded: {exc}.")
            return None
        self.reason.value = ""
        self.message.value = esc(
            f"Recorded: {CRITERION_SHORT_TITLES[done.criterion]} for {done.learner} is "
            f"{VERDICT_WORDS[done.verdict]} (the rubric said "
            f"{VERDICT_WORDS[done.rubric_verdict]}). Press Refresh to see the profile."
        )
        return done
