"""A case vignette: the person, the setting, the deficit-led plan and everything the exercises need.

Plans inside a scenario are written in the plain-text plan format, so peer trainers write them
the same way learners do; validation parses them and reports the line of any mistake.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from goalstudio._conversation import Conversation
from goalstudio._exchange import PARTIES, Perspective
from goalstudio._model import SCHEMA_VERSION, Plan, StrictModel, _not_blank, _not_blank_items
from goalstudio._vocabulary import LocaleCode

SettingKind = Literal[
    "community_mental_health",
    "substance_use",
    "inpatient_discharge",
    "early_intervention_psychosis",
    "older_adult_dementia",
    "youth_to_adult_transition",
    "learning_disability",
    "forensic_community_treatment",
    "perinatal",
    "homelessness",
    "declines_services",
    "family_decides_together",
    "other",
]

# Parts of a scenario that facilitators see and learners do not.
HIDDEN_FROM_LEARNERS = ("model_rewrite", "facilitator_notes")
# "Bethany (Beth) Kowalski": the name in brackets is the one the person goes by.
_NAME_IN_BRACKETS = re.compile(r"\(\s*([^()]+?)\s*\)")
# "Bernie (Bernadette Quinn)": the person's own view names them as they go by, then in full.
_WHO_THEN_FULL_NAME = re.compile(r"^\s*([^()]+?)\s*\(")


class PersonProfile(StrictModel):
    """The person at the centre of the scenario, introduced in their own voice."""

    name: str
    age: int = Field(ge=0, le=120)
    pronouns: str
    background: str = Field(description="culture, faith, family, identity: as the person puts it")
    in_their_words: str = Field(description="first person: who I am and what I want")
    what_matters: list[str] = Field(min_length=1)
    strengths: list[str] = Field(min_length=1)
    history: str

    _check_text = field_validator("name", "pronouns", "background", "in_their_words", "history")(
        _not_blank
    )
    _check_lists = field_validator("what_matters", "strengths")(_not_blank_items)


class Setting(StrictModel):
    """Where the scenario happens."""

    kind: SettingKind
    service: str = Field(description="the service, in the locale's own terms")
    place: str

    _check_text = field_validator("service", "place")(_not_blank)


class AssessmentFinding(StrictModel):
    """A need found at assessment: address it now because it gets in the way, or defer it."""

    need: str
    decision: Literal["address_now", "defer"]
    reason: str

    _check_text = field_validator("need", "reason")(_not_blank)


class RiskItem(StrictModel):
    """A risk the team is worried about, with the person's own view of it."""

    risk: str
    context: str
    person_view: str
    protective_factors: list[str] = Field(default_factory=list)

    _check_text = field_validator("risk", "context", "person_view")(_not_blank)


class RiskDecisionStart(StrictModel):
    """What the conversation's decision record is about, so its first draft fits the story.

    Without it the draft would take the first outcome and the first risk listed, which can pair
    an allotment with an overdose. The author names the goal the conversation was about, the
    risk that goes with it, and who lawfully decides in this scenario's locale.
    """

    goal: str = Field(description="the goal the conversation was about, as the person puts it")
    risk: str = Field(description="the 'risk' of the risk_items entry this decision weighs")
    other_option: str | None = Field(
        default=None,
        description="optional: another option weighed, e.g. a carer's wish, with whose it is",
    )
    decision_maker: str = Field(description="who makes this decision, and on what authority")
    capacity: str = Field(
        description="how the person's capacity for this decision stands, under the locale's law"
    )

    _check_text = field_validator("goal", "risk", "decision_maker", "capacity")(_not_blank)

    @field_validator("other_option")
    @classmethod
    def _check_option(cls, value: str | None) -> str | None:
        return None if value is None else _not_blank(value)


DiscoveryKind = Literal[
    "opening", "good_day", "laddering", "what_matters", "closing", "less_helpful"
]


class DiscoveryTurn(StrictModel):
    """One exchange in a goal-discovery conversation: a question, and the person's answer."""

    ask: str = Field(description="what the practitioner asks")
    answer: str = Field(description="what the person says, in their own words")
    kind: DiscoveryKind = "opening"
    goals: list[str] = Field(
        default_factory=list,
        description="the goals in this answer, each quoted exactly as the person said it",
    )
    coach: str | None = Field(
        default=None,
        description="optional: why this question helps or does not, shown to the learner",
    )

    _check_text = field_validator("ask", "answer")(_not_blank)
    _check_goals = field_validator("goals")(_not_blank_items)

    @model_validator(mode="after")
    def _goals_are_quotes(self) -> DiscoveryTurn:
        for goal in self.goals:
            if goal not in self.answer:
                raise ValueError(
                    f"the goal '{goal}' is not in the answer word for word: quote the person "
                    "exactly, or leave it out"
                )
        if self.kind == "less_helpful" and not (self.coach or "").strip():
            raise ValueError(
                "a less helpful question needs a 'coach' note that says why it does not help "
                "and what to ask instead"
            )
        return self


class FacilitatorNotes(StrictModel):
    """Hidden from learners: how to run this scenario in a session."""

    minutes: int = Field(ge=5, le=480)
    discussion_questions: list[str] = Field(min_length=1)
    common_mistakes: list[str] = Field(min_length=1)
    notes: str | None = None

    _check_lists = field_validator("discussion_questions", "common_mistakes")(_not_blank_items)


class Scenario(StrictModel):
    """One case vignette, complete enough for every exercise in the course."""

    schema_version: Literal[1] = SCHEMA_VERSION
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,63}$")
    title: str
    locale: LocaleCode
    setting: Setting
    tags: list[str] = Field(default_factory=list)
    person: PersonProfile
    deficit_plan: str = Field(description="the existing plan, in the plain-text plan format")
    assessment: list[AssessmentFinding] = Field(min_length=1)
    perspectives: list[Perspective] = Field(min_length=4, max_length=4)
    risk_items: list[RiskItem] = Field(min_length=1)
    conversation: Conversation
    goal_discovery: list[DiscoveryTurn] = Field(
        default_factory=list,
        description="optional: a goal-discovery conversation; without it the exercise uses "
        "the person's own words (in_their_words)",
    )
    risk_decision: RiskDecisionStart | None = Field(
        default=None,
        description="optional: the goal and risk the conversation's decision record starts from",
    )
    model_rewrite: str = Field(description="a person-centred rewrite, in the plain-text format")
    facilitator_notes: FacilitatorNotes

    _check_title = field_validator("title")(_not_blank)

    @field_validator("deficit_plan", "model_rewrite")
    @classmethod
    def _plan_text_parses(cls, value: str) -> str:
        from goalstudio._plantext import PlanParseError, parse_plan

        try:
            parse_plan(value)
        except PlanParseError as exc:
            raise ValueError(f"the plan text does not parse: {exc}") from None
        return value

    @model_validator(mode="after")
    def _four_parties(self) -> Scenario:
        present = [p.party for p in self.perspectives]
        missing = [p for p in PARTIES if p not in present]
        if missing:
            raise ValueError(
                "perspectives need one view from each party; missing: " + ", ".join(missing)
            )
        return self

    @model_validator(mode="after")
    def _decision_risk_is_listed(self) -> Scenario:
        if self.risk_decision is None:
            return self
        listed = [item.risk for item in self.risk_items]
        if self.risk_decision.risk not in listed:
            raise ValueError(
                f"risk_decision.risk '{self.risk_decision.risk}' is not one of the risk_items: "
                "copy the 'risk:' line of the one this decision weighs, word for word ("
                + "; ".join(f"'{r}'" for r in listed)
                + ")"
            )
        return self

    @property
    def known_as(self) -> str:
        """The name the person goes by, from who they are, never from a plan written about them.

        A name in brackets in ``person.name`` ("Bethany (Beth) Kowalski" gives "Beth"); else
        the one-word name before the brackets in the person's own perspective ("Bernie
        (Bernadette Quinn)" gives "Bernie"); else the first word of ``person.name``.
        """
        nickname = _NAME_IN_BRACKETS.search(self.person.name)
        if nickname:
            return nickname.group(1)
        for view in self.perspectives:
            if view.party == "person":
                found = _WHO_THEN_FULL_NAME.match(view.who)
                if found and len(found.group(1).split()) == 1:
                    return found.group(1)
        return self.person.name.split()[0]

    def deficit_plan_model(self) -> Plan:
        from goalstudio._plantext import parse_plan

        return parse_plan(self.deficit_plan)

    def model_rewrite_model(self) -> Plan:
        from goalstudio._plantext import parse_plan

        return parse_plan(self.model_rewrite)

    def learner_view(self) -> dict[str, object]:
        """The scenario as learners may see it: without the model rewrite or facilitator notes."""
        return self.model_dump(exclude=set(HIDDEN_FROM_LEARNERS))
