"""SelfRating (before and after the course) and Reflection (at the end of each module)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as w
from traitlets import Dict, Int, Unicode, observe, validate

from goalstudio.exercises.rating import (
    COMPETENCIES,
    DEFAULT_PROMPTS,
    RATING_WORDS,
    rating_change,
    reflection_prompts,
)
from goalstudio.records import Phase

from ._base import Exercise, button, esc, guard, labelled, text_area


class SelfRating(Exercise):
    """Rate your confidence in each competency domain, from 1 to 5."""

    # Domain ("A" to "E") to rating (1 to 5), for the domains rated so far.
    ratings = Dict(value_trait=Int()).tag(sync=True, draft=True)

    def __init__(self, phase: str = "pre", **kw: Any) -> None:
        self.phase = phase
        self.activity = f"self-rating-{phase}"
        super().__init__(None, **kw)

    def build(self) -> list[w.Widget]:
        if self.phase not in ("pre", "post"):
            raise ValueError("the phase is 'pre' (start of the course) or 'post' (the end)")
        self.pickers: dict[str, w.ToggleButtons] = {}
        cards = []
        for c in COMPETENCIES:
            pick = w.ToggleButtons(
                options=[(str(n), n) for n in RATING_WORDS],
                value=None,
                tooltips=list(RATING_WORDS.values()),
                description=f"Your rating ({c.domain})",
            )
            pick.style.description_width = "initial"
            pick.style.button_width = "3em"
            pick.observe(lambda change, d=c.domain: self._picked(d, change["new"]), "value")
            self.pickers[c.domain] = pick
            cards.append(
                w.VBox(
                    [
                        w.HTML(
                            f"<b>{esc(c.domain)}. {esc(c.title)}</b><br><i>{esc(c.statement)}</i>"
                        ),
                        pick,
                    ]
                ).add_class("gs-card")
            )
        when = "start" if self.phase == "pre" else "end"
        self.summary = w.HTML()
        self.ratings = {}
        return [
            w.HTML(
                f"<h3>How confident do you feel? (the {when} of the course)</h3><p>For each "
                "statement choose 1 (not yet confident) to 5 (very confident). There are no "
                "right answers, and only you and your facilitator see them.</p>"
            ),
            *cards,
            button("Save my ratings", self.submit, style="success"),
            self.summary,
        ]

    def _picked(self, domain: str, rating: int | None) -> None:
        others = {d: r for d, r in self.ratings.items() if d != domain}
        self.ratings = others if rating is None else {**others, domain: rating}

    @validate("ratings")
    def _only_known(self, proposal: Any) -> dict[str, int]:
        given: dict[str, int] = proposal["value"]
        return {d: r for d, r in given.items() if d in self.pickers and r in RATING_WORDS}

    @observe("ratings")
    def _show_ratings(self, _change: object) -> None:
        for domain, pick in self.pickers.items():
            pick.value = self.ratings.get(domain)
        self.summary.value = "".join(
            f"<div>{esc(d)}: {esc(RATING_WORDS[r])}</div>" for d, r in self.ratings.items()
        )

    @guard
    def rate(self, domain: str, rating: int) -> None:
        """Choose a rating (1 to 5) for a domain (A to E)."""
        if domain not in self.pickers:
            raise ValueError(f"choose a domain from {', '.join(self.pickers)}")
        if rating not in RATING_WORDS:
            raise ValueError("choose a rating from 1 to 5")
        self.pickers[domain].value = rating

    @guard
    def submit(self) -> dict[str, int]:
        """Save every rating; all five domains are needed."""
        missing = [d for d, p in self.pickers.items() if p.value is None]
        if missing:
            raise ValueError(f"rate every statement first (still to rate: {', '.join(missing)})")
        ratings = {d: int(p.value) for d, p in self.pickers.items()}
        phase: Phase = "pre" if self.phase == "pre" else "post"  # build() allows only these
        for domain, rating in ratings.items():
            self.store.add_self_rating(self.learner, phase, domain, rating)
        if self.phase == "post":
            pre = {
                r.domain: r.rating
                for r in self.store.get_self_ratings(self.learner)
                if r.phase == "pre"
            }
            self.summary.value = "".join(
                f"<div>{esc(d)}: {esc(RATING_WORDS[r])}"
                + (f" ({esc(rating_change(pre.get(d), r))})" if d in pre else "")
                + "</div>"
                for d, r in ratings.items()
            )
        self.show_message("Your ratings are saved. Thank you.")
        return ratings

    def restore(self, state: Mapping[str, Any]) -> None:
        # Drafts saved before the ratings were a trait hold the domains at the top level.
        super().restore(state if "ratings" in state else {"ratings": dict(state)})


class Reflection(Exercise):
    """Free-text reflection at the end of a module, saved to the records store."""

    picks_case = False
    text = Unicode("").tag(sync=True, draft=True)  # the reflection as written so far

    def __init__(self, module: str = "", scenario: Any = None, **kw: Any) -> None:
        self.activity = f"reflection-{module or 'course'}"
        super().__init__(scenario, module=module, **kw)

    def build(self) -> list[w.Widget]:
        title, objectives = reflection_prompts(self.module)
        self.text_box = labelled(text_area(rows=8), "Your reflection", help_text=DEFAULT_PROMPTS[0])
        area = self.text_box.children[0]
        self.area: w.Textarea = area
        w.link((area, "value"), (self, "text"))
        aims = "".join(f"<li>{esc(o)}</li>" for o in objectives)
        return [
            w.HTML(
                f"<h3>Looking back: {esc(title)}</h3>"
                + (f"<p>This module set out to help you:</p><ul>{aims}</ul>" if aims else "")
                + f"<p>{esc(DEFAULT_PROMPTS[1])}</p><p>Write about your own practice, and "
                "leave out anything that could identify a real person.</p>"
            ),
            self.text_box,
            button("Save my reflection", self.submit, style="success"),
        ]

    def type_text(self, text: str) -> None:
        self.text = text

    @guard
    def submit(self) -> str | None:
        text = self.text
        if not text.strip():
            raise ValueError("write a few words first")
        if not self.private_enough_to_submit(text):
            return None
        self.store.add_reflection(
            self.learner, self.activity, text, scenario=self.scenario_id, module=self.module
        )
        self.show_message("Your reflection is saved.")
        return text
