"""The Exchange Model (Smale and Tuson 1993): four parties, each with expertise to bring.

Outcomes are negotiated between the parties. Disagreements are recorded, never erased.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from goalstudio._model import SCHEMA_VERSION, StrictModel, _not_blank, _not_blank_items

Party = Literal["person", "family", "practitioner", "agency"]
PARTIES: tuple[Party, ...] = ("person", "family", "practitioner", "agency")


class Perspective(StrictModel):
    """One party's view: what matters, what is and is not working, concerns, proposed outcomes."""

    party: Party
    who: str = Field(description="who speaks for this party, e.g. 'Ana, Priya's sister'")
    what_matters: list[str] = Field(min_length=1)
    working: list[str] = Field(default_factory=list)
    not_working: list[str] = Field(default_factory=list)
    concerns: list[str] = Field(default_factory=list)
    proposed_outcomes: list[str] = Field(default_factory=list)

    _check_who = field_validator("who")(_not_blank)
    _check_lists = field_validator(
        "what_matters", "working", "not_working", "concerns", "proposed_outcomes"
    )(_not_blank_items)


class Agreement(StrictModel):
    """Common ground, and which parties share it."""

    text: str
    parties: list[Party] = Field(min_length=2)

    _check_text = field_validator("text")(_not_blank)


class Disagreement(StrictModel):
    """A point the parties do not agree on, with each position kept as stated."""

    topic: str
    positions: dict[Party, str] = Field(min_length=2)
    how_handled: str | None = None

    _check_topic = field_validator("topic")(_not_blank)


class ExchangeRecord(StrictModel):
    """A negotiated plan: the four perspectives, agreements, disagreements and outcomes."""

    schema_version: Literal[1] = SCHEMA_VERSION
    perspectives: list[Perspective] = Field(min_length=1)
    agreements: list[Agreement] = Field(default_factory=list)
    disagreements: list[Disagreement] = Field(default_factory=list)
    negotiated_outcomes: list[str] = Field(default_factory=list)

    _check_outcomes = field_validator("negotiated_outcomes")(_not_blank_items)

    @model_validator(mode="after")
    def _one_view_per_party(self) -> ExchangeRecord:
        seen = [p.party for p in self.perspectives]
        doubled = sorted({p for p in seen if seen.count(p) > 1})
        if doubled:
            raise ValueError(f"each party gives one perspective; repeated: {', '.join(doubled)}")
        return self

    def missing_parties(self) -> list[Party]:
        """Parties whose view has not been recorded yet."""
        present = {p.party for p in self.perspectives}
        return [p for p in PARTIES if p not in present]
