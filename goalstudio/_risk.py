"""Positive risk-taking: a decision record that keeps the person's view and any dissent."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from goalstudio._exchange import Party
from goalstudio._model import SCHEMA_VERSION, Owner, StrictModel, _not_blank, _not_blank_items


class RiskOption(StrictModel):
    """One option considered, doing nothing included, with its benefits and risks."""

    description: str
    benefits: list[str] = Field(default_factory=list)
    risks: list[str] = Field(default_factory=list)
    is_do_nothing: bool = False

    _check_description = field_validator("description")(_not_blank)
    _check_lists = field_validator("benefits", "risks")(_not_blank_items)


class SafetyMeasure(StrictModel):
    """Something that makes the plan safer, and who does it."""

    action: str
    owner: Owner
    owner_label: str | None = None

    _check_action = field_validator("action")(_not_blank)


class RiskDecision(StrictModel):
    """A positive risk-taking decision, in the shape ARCHITECTURE.md sets out."""

    schema_version: Literal[1] = SCHEMA_VERSION
    goal: str
    person_view: str = Field(description="the person's view, in their own words")
    options: list[RiskOption] = Field(min_length=1)
    strengths: list[str] = Field(default_factory=list)
    safety_measures: list[SafetyMeasure] = Field(default_factory=list)
    positions: dict[Party, str] = Field(default_factory=dict)
    decision: str
    decision_maker: str | None = Field(
        default=None, description="who makes this decision, and on what authority"
    )
    capacity: str | None = Field(
        default=None,
        description="how the person's capacity to make this decision was considered",
    )
    dissent: list[str] = Field(default_factory=list)
    review_date: str

    _check_text = field_validator("goal", "person_view", "decision", "review_date")(_not_blank)
    _check_lists = field_validator("strengths", "dissent")(_not_blank_items)

    @field_validator("decision_maker", "capacity")
    @classmethod
    def _check_optional(cls, value: str | None) -> str | None:
        # Optional and additive: records saved before these fields existed still load.
        return None if value is None else _not_blank(value)

    def has_do_nothing_option(self) -> bool:
        """Whether 'doing nothing' was weighed as an option too."""
        return any(o.is_do_nothing for o in self.options)
