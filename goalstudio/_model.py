"""The care plan model: plan, goals, objectives and action steps.

Field names follow the FHIR ``Goal`` resource where it fits (``lifecycle_status``,
``expressed_by``) so a plan can later be exported to an electronic health record.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SCHEMA_VERSION: Literal[1] = 1

# "other": the plan names someone the studio cannot place ("Bob:"); the step is kept and the
# rubric reviews it as someone else's. Learners choose from the five roles in OWNERS.
Owner = Literal["person", "natural_support", "peer", "practitioner", "agency", "other"]
OWNERS: tuple[Owner, ...] = ("person", "natural_support", "peer", "practitioner", "agency")

LifecycleStatus = Literal[
    "proposed", "planned", "accepted", "active", "on-hold", "completed", "cancelled"
]
LIFECYCLE_STATUSES: tuple[LifecycleStatus, ...] = (
    "proposed",
    "planned",
    "accepted",
    "active",
    "on-hold",
    "completed",
    "cancelled",
)


class StrictModel(BaseModel):
    """Base for every model: unknown keys fail loudly, and equality ignores source positions."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    def __eq__(self, other: object) -> bool:
        # Source spans are excluded from dumps, so two plans written with different spacing
        # but the same content compare equal.
        if type(self) is not type(other):
            return NotImplemented
        assert isinstance(other, StrictModel)
        return self.model_dump() == other.model_dump()

    __hash__ = None  # type: ignore[assignment]


class SourceSpan(StrictModel):
    """Where a statement sits in the plan text it was parsed from (1-based line and column)."""

    line: int = Field(ge=1)
    column: int = Field(ge=1)
    start: int = Field(ge=0, description="character offset of the statement text")
    end: int = Field(ge=0)


def _non_blank(value: str) -> str:
    """A one-line plan field: stripped, so the same plan always formats the same way."""
    if not value.strip():
        raise ValueError("must not be blank")
    if "\n" in value or "\r" in value:
        raise ValueError("must be a single line")
    return value.strip()


def _non_blank_items(values: list[str]) -> list[str]:
    return [_non_blank(v) for v in values]


def _not_blank(value: str) -> str:
    """Like ``_non_blank`` but allows several lines (for prose outside the plan text)."""
    if not value.strip():
        raise ValueError("must not be blank")
    return value


def _not_blank_items(values: list[str]) -> list[str]:
    return [_not_blank(v) for v in values]


class ActionStep(StrictModel):
    """What is done, who owns it and when. Professional and personal actions sit side by side."""

    text: str
    owner: Owner
    owner_label: str = Field(description="the owner as written, e.g. 'Sister (Ana)'")
    timeframe: str | None = None
    source: SourceSpan | None = Field(default=None, exclude=True, repr=False)

    _check_text = field_validator("text", "owner_label")(_non_blank)

    @field_validator("timeframe")
    @classmethod
    def _check_timeframe(cls, value: str | None) -> str | None:
        return None if value is None else _non_blank(value)


class Objective(StrictModel):
    """A measurable, short-term step towards a goal."""

    text: str
    actions: list[ActionStep] = Field(default_factory=list)
    source: SourceSpan | None = Field(default=None, exclude=True, repr=False)

    _check_text = field_validator("text")(_non_blank)


class Goal(StrictModel):
    """What the person wants in life, ideally in their own words."""

    text: str
    quoted: bool = Field(default=False, description="the goal is the person's verbatim words")
    expressed_by: str | None = None
    strengths: list[str] = Field(default_factory=list)
    barriers: list[str] = Field(default_factory=list)
    lifecycle_status: LifecycleStatus = "active"
    objectives: list[Objective] = Field(default_factory=list)
    source: SourceSpan | None = Field(default=None, exclude=True, repr=False)

    _check_text = field_validator("text")(_non_blank)
    _check_lists = field_validator("strengths", "barriers")(_non_blank_items)

    @field_validator("expressed_by")
    @classmethod
    def _check_expressed_by(cls, value: str | None) -> str | None:
        return None if value is None else _non_blank(value)

    @model_validator(mode="after")
    def _attribution_needs_quote(self) -> Goal:
        if self.expressed_by is not None and not self.quoted:
            raise ValueError(
                "expressed_by is set but the goal is not quoted: attribute only the "
                "person's own words"
            )
        return self

    @property
    def own_words(self) -> str | None:
        """The person's verbatim words, when the goal is written as a quote."""
        return self.text if self.quoted else None


class DeferredNeed(StrictModel):
    """An assessed need left out of this plan for now, with the reason it waits."""

    need: str
    reason: str | None = None
    source: SourceSpan | None = Field(default=None, exclude=True, repr=False)

    _check_need = field_validator("need")(_non_blank)

    @field_validator("reason")
    @classmethod
    def _check_reason(cls, value: str | None) -> str | None:
        return None if value is None else _non_blank(value)


class PlanDisagreement(StrictModel):
    """A disagreement kept in the plan: who disagrees, about what, and how it will be revisited.

    The Exchange Model asks that disagreement be recorded, never dropped: a plan that only
    shows what was agreed hides the positions the person and their supporters still hold.
    """

    who: str = Field(description="who disagrees, e.g. 'Pearl (Levi's mum) and Levi'")
    about: str = Field(description="what they disagree about, with each position")
    revisit: str | None = Field(default=None, description="how and when it will be revisited")
    source: SourceSpan | None = Field(default=None, exclude=True, repr=False)

    _check_about = field_validator("about")(_non_blank)

    @field_validator("who")
    @classmethod
    def _check_who(cls, value: str) -> str:
        value = _non_blank(value)
        if ":" in value:
            raise ValueError("must not contain a colon (the colon ends who disagrees)")
        return value

    @field_validator("revisit")
    @classmethod
    def _check_revisit(cls, value: str | None) -> str | None:
        return None if value is None else _non_blank(value)


class Plan(StrictModel):
    """A person's plan: goals, deferred needs, recorded disagreements, crisis plan and reviews."""

    schema_version: Literal[1] = SCHEMA_VERSION
    person: str | None = None
    goals: list[Goal] = Field(min_length=1)
    deferred: list[DeferredNeed] = Field(default_factory=list)
    disagreements: list[PlanDisagreement] = Field(
        default_factory=list, description="optional and additive: older plans have none"
    )
    crisis_plan: str | None = None
    review_dates: list[str] = Field(default_factory=list)

    _check_reviews = field_validator("review_dates")(_non_blank_items)

    @field_validator("person", "crisis_plan")
    @classmethod
    def _check_optional_line(cls, value: str | None) -> str | None:
        return None if value is None else _non_blank(value)

    def statements(self) -> list[tuple[str, str, Any]]:
        """Every goal, objective and action as ``(kind, text, model)``, in plan order."""
        out: list[tuple[str, str, Any]] = []
        for goal in self.goals:
            out.append(("goal", goal.text, goal))
            for objective in goal.objectives:
                out.append(("objective", objective.text, objective))
                for action in objective.actions:
                    out.append(("action_step", action.text, action))
        return out

    def actions(self) -> list[ActionStep]:
        """All action steps in plan order."""
        return [a for g in self.goals for o in g.objectives for a in o.actions]
