"""The logic behind the risk conversation exercise: playing the graph, meters, the decision draft.

A ``ConversationRun`` walks a scenario's conversation graph, by scripted replies or, where a
node allows it, by a reply in the learner's own words (``goalstudio.exercises.reply``). Trust
and shared understanding start in the middle of a 0-10 scale and move by each reply's effect.
The learner can step back and try another branch, or start again; every branch they have seen
is remembered. At the end, ``draft_risk_decision`` fills a positive-risk decision record from
the scenario and the path taken, for the learner to complete, and ``risk_decision_problems``
checks it is complete.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from goalstudio._conversation import Conversation, Ending, Node
from goalstudio._exchange import PARTIES, Party
from goalstudio._model import Owner
from goalstudio._owners import resolve_owner
from goalstudio._risk import RiskDecision, RiskOption, SafetyMeasure
from goalstudio._scenarios.model import Scenario
from goalstudio.exercises.reply import TypedReply, score_typed_reply

METER_MIN, METER_START, METER_MAX = 0, 5, 10
QUALITY_WORDS = {"good": "Helpful reply", "mixed": "Partly helpful", "poor": "Unhelpful reply"}


@dataclass(frozen=True)
class Turn:
    """One reply the learner chose, with the coach's feedback and the meters after it."""

    node_id: str
    says: str
    choice: int
    reply: str
    quality: str
    feedback: str
    trust: int
    understanding: int
    typed: bool = False


@dataclass
class ConversationRun:
    """A playthrough of a conversation graph."""

    conversation: Conversation
    turns: list[Turn] = field(default_factory=list)
    explored: set[tuple[str, int]] = field(default_factory=set)
    runs_finished: int = 0

    @property
    def node(self) -> Node:
        if not self.turns:
            return self.conversation.node(self.conversation.start)
        last = self.turns[-1]
        return self.conversation.node(
            self.conversation.node(last.node_id).choices[last.choice].next
        )

    @property
    def trust(self) -> int:
        return self.turns[-1].trust if self.turns else METER_START

    @property
    def understanding(self) -> int:
        return self.turns[-1].understanding if self.turns else METER_START

    @property
    def ending(self) -> Ending | None:
        return self.node.ending

    @property
    def finished(self) -> bool:
        return self.node.ending is not None

    def choose(self, index: int) -> Turn:
        """Pick reply ``index`` (0-based) at the current node."""
        node = self._open_node()
        if not 0 <= index < len(node.choices):
            raise ValueError(f"choose a reply from 1 to {len(node.choices)}")
        choice = node.choices[index]
        return self._advance(index, choice.reply, choice.quality, choice.feedback, typed=False)

    def say(self, text: str, locale: str) -> tuple[Turn, TypedReply]:
        """Say a reply in your own words, where the node allows it (``free_text``).

        It is scored against the node's criteria and the language linter, and the conversation
        carries on by the scripted branch that ``branch_for`` picks.
        """
        node = self._open_node()
        scored = score_typed_reply(text, node, locale)
        turn = self._advance(
            scored.branch, scored.text, scored.quality, scored.feedback, typed=True
        )
        return turn, scored

    def _open_node(self) -> Node:
        node = self.node
        if node.ending is not None:
            raise ValueError("the conversation has ended: start again or step back to try more")
        return node

    def _advance(self, index: int, reply: str, quality: str, feedback: str, typed: bool) -> Turn:
        node = self.node
        effect = node.choices[index].effect
        turn = Turn(
            node_id=node.id,
            says=node.says,
            choice=index,
            reply=reply,
            quality=quality,
            feedback=feedback,
            trust=_clamp(self.trust + effect.trust),
            understanding=_clamp(self.understanding + effect.understanding),
            typed=typed,
        )
        self.turns.append(turn)
        self.explored.add((node.id, index))
        if self.finished:
            self.runs_finished += 1
        return turn

    def back(self) -> None:
        """Undo the last reply, to explore another branch."""
        if not self.turns:
            raise ValueError("this is the start of the conversation; there is nothing to undo")
        self.turns.pop()

    def restart(self) -> None:
        self.turns.clear()

    def unexplored_here(self) -> list[int]:
        """Replies at the current node that the learner has not tried yet."""
        return [i for i in range(len(self.node.choices)) if (self.node.id, i) not in self.explored]

    def to_state(self) -> dict[str, Any]:
        return {
            "path": [
                {"choice": t.choice, "typed": t.reply, "quality": t.quality, "feedback": t.feedback}
                if t.typed
                else t.choice
                for t in self.turns
            ],
            "explored": sorted([n, i] for n, i in self.explored),
            "runs_finished": self.runs_finished,
        }

    @classmethod
    def from_state(cls, conversation: Conversation, state: dict[str, Any]) -> ConversationRun:
        """Replay a saved path; replies that no longer exist (an edited scenario) stop it."""
        run = cls(conversation)
        for step in state.get("path", []):
            typed = step if isinstance(step, dict) else None
            index = typed.get("choice") if typed is not None else step
            if run.finished or not isinstance(index, int):
                break
            if not 0 <= index < len(run.node.choices):
                break
            if typed is None:
                run.choose(index)
            else:
                quality = str(typed.get("quality", "mixed"))
                quality = quality if quality in QUALITY_WORDS else "mixed"
                run._advance(
                    index,
                    str(typed.get("typed", "")),
                    quality,
                    str(typed.get("feedback", "")),
                    typed=True,
                )
        run.runs_finished = int(state.get("runs_finished", run.runs_finished))
        for item in state.get("explored", []):
            if isinstance(item, list) and len(item) == 2:
                run.explored.add((str(item[0]), int(item[1])))
        return run


def _clamp(value: int) -> int:
    return max(METER_MIN, min(METER_MAX, value))


def meter_words(value: int) -> str:
    """The meter in words, so colour is never the only signal."""
    if value <= 2:
        return "very low"
    if value <= 4:
        return "low"
    if value <= 6:
        return "middling"
    if value <= 8:
        return "good"
    return "strong"


# --------------------------------------------------------------------------------------------
# The positive-risk decision record


@dataclass
class OptionDraft:
    description: str = ""
    benefits: list[str] = field(default_factory=list)
    risks: list[str] = field(default_factory=list)
    is_do_nothing: bool = False


@dataclass
class RiskDecisionDraft:
    """The decision record while the learner completes it: every field may still be empty."""

    goal: str = ""
    person_view: str = ""
    options: list[OptionDraft] = field(default_factory=list)
    strengths: list[str] = field(default_factory=list)
    safety_measures: list[str] = field(default_factory=list)  # "Owner: what they do"
    positions: dict[str, str] = field(default_factory=dict)
    decision: str = ""
    decision_maker: str = ""
    capacity: str = ""
    dissent: list[str] = field(default_factory=list)
    review_date: str = ""

    def to_state(self) -> dict[str, Any]:
        return {
            "goal": self.goal,
            "person_view": self.person_view,
            "options": [vars(o).copy() for o in self.options],
            "strengths": list(self.strengths),
            "safety_measures": list(self.safety_measures),
            "positions": dict(self.positions),
            "decision": self.decision,
            "decision_maker": self.decision_maker,
            "capacity": self.capacity,
            "dissent": list(self.dissent),
            "review_date": self.review_date,
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> RiskDecisionDraft:
        options = [
            OptionDraft(
                description=str(o.get("description", "")),
                benefits=[str(x) for x in o.get("benefits", [])],
                risks=[str(x) for x in o.get("risks", [])],
                is_do_nothing=bool(o.get("is_do_nothing", False)),
            )
            for o in state.get("options", [])
            if isinstance(o, dict)
        ]
        return cls(
            goal=str(state.get("goal", "")),
            person_view=str(state.get("person_view", "")),
            options=options,
            strengths=[str(x) for x in state.get("strengths", [])],
            safety_measures=[str(x) for x in state.get("safety_measures", [])],
            positions={str(k): str(v) for k, v in dict(state.get("positions", {})).items()},
            decision=str(state.get("decision", "")),
            decision_maker=str(state.get("decision_maker", "")),
            capacity=str(state.get("capacity", "")),
            dissent=[str(x) for x in state.get("dissent", [])],
            review_date=str(state.get("review_date", "")),
        )


def draft_risk_decision(
    scenario: Scenario, run: ConversationRun | None = None
) -> RiskDecisionDraft:
    """A first draft from the scenario and what was said; the learner completes and corrects it.

    The scenario's ``risk_decision`` names the goal the conversation was about and the risk that
    goes with it; without one, the draft falls back to the person's first outcome and the first
    risk listed.
    """
    person = next(p for p in scenario.perspectives if p.party == "person")
    start = scenario.risk_decision
    risk = scenario.risk_items[0]
    if start is not None:
        risk = next(r for r in scenario.risk_items if r.risk == start.risk)
        goal = start.goal
    else:
        goal = person.proposed_outcomes[0] if person.proposed_outcomes else person.what_matters[0]
    view = risk.person_view.strip()
    if run is not None and run.turns:
        said = [t.says.strip() for t in run.turns[1:]] + [run.node.says.strip()]
        if said:
            view += "\n\nIn the conversation: " + " / ".join(said[-2:])
    options = [
        OptionDraft(description=f"Go ahead with what {scenario.known_as} proposes"),
        OptionDraft(description="Keep things as they are (doing nothing)", is_do_nothing=True),
    ]
    family = next(p for p in scenario.perspectives if p.party == "family")
    other = start.other_option if start is not None else None
    if other is None and family.proposed_outcomes:
        other = family.proposed_outcomes[0]
    if other is not None:
        options.insert(1, OptionDraft(description=other))
    return RiskDecisionDraft(
        goal=goal,
        person_view=view,
        options=options,
        strengths=list(risk.protective_factors),
        positions={p.party: "" for p in scenario.perspectives},
        decision_maker=start.decision_maker if start is not None else "",
        capacity=start.capacity if start is not None else "",
    )


def parse_safety_measure(line: str, person_names: list[str]) -> SafetyMeasure:
    """``"Niece (Siobhan): keeps the tablets in March"`` -> a safety measure with its owner."""
    label, sep, action = line.partition(":")
    if not sep or not action.strip() or not label.strip():
        raise ValueError(
            f"'{line.strip()}': write who does it, a colon, then what they do "
            "(for example 'Niece (Siobhan): keeps the tablets in March')"
        )
    owner: Owner | None = resolve_owner(label, person_names)
    if owner is None:
        raise ValueError(
            f"'{label.strip()}': say what role this is, e.g. 'Friend (Bob)' or 'Care co-ordinator'"
        )
    return SafetyMeasure(action=action.strip(), owner=owner, owner_label=label.strip())


def risk_decision_problems(draft: RiskDecisionDraft, person_names: list[str]) -> list[str]:
    """What is still missing, in plain words (empty when the record is complete)."""
    problems: list[str] = []
    if not draft.goal.strip():
        problems.append("Name the goal this decision serves.")
    if not draft.person_view.strip():
        problems.append("Write the person's view, in their own words.")
    options = [o for o in draft.options if o.description.strip()]
    if len(options) < 2:
        problems.append("Weigh at least two options.")
    if not any(o.is_do_nothing for o in options):
        problems.append("Include doing nothing as an option: it has risks too.")
    for o in options:
        if not o.benefits or not o.risks:
            problems.append(f"Give at least one benefit and one risk for '{o.description}'.")
    if not draft.strengths:
        problems.append("List the strengths the person brings.")
    measures = [m for m in draft.safety_measures if m.strip()]
    if not measures:
        problems.append("Add what makes the plan safer, and who does each part.")
    for line in measures:
        try:
            parse_safety_measure(line, person_names)
        except ValueError as exc:
            problems.append(f"Safety measure {exc}.")
    for party in PARTIES:
        if not draft.positions.get(party, "").strip():
            problems.append(f"Record the {_party_word(party)}'s position.")
    if not draft.decision.strip():
        problems.append("Write the decision.")
    if not draft.decision_maker.strip():
        problems.append("Say who makes this decision, and on what authority.")
    if not draft.capacity.strip():
        problems.append(
            "Say how the person's capacity to make this decision stands: it is presumed "
            "unless there is reason to doubt it, and a choice others think unwise is not one."
        )
    if not draft.review_date.strip():
        problems.append("Set a review date.")
    return problems


def _party_word(party: Party) -> str:
    return {
        "person": "person",
        "family": "family or carer",
        "practitioner": "practitioner",
        "agency": "agency",
    }[party]


def build_risk_decision(draft: RiskDecisionDraft, person_names: list[str]) -> RiskDecision:
    """The finished record; ``ValueError`` lists what is missing when it is not complete."""
    problems = risk_decision_problems(draft, person_names)
    if problems:
        raise ValueError("the decision record is not complete yet: " + " ".join(problems))
    positions: dict[Party, str] = {}
    for party in PARTIES:
        positions[party] = draft.positions[party].strip()
    return RiskDecision(
        goal=draft.goal.strip(),
        person_view=draft.person_view.strip(),
        options=[
            RiskOption(
                description=o.description.strip(),
                benefits=[b for b in o.benefits if b.strip()],
                risks=[r for r in o.risks if r.strip()],
                is_do_nothing=o.is_do_nothing,
            )
            for o in draft.options
            if o.description.strip()
        ],
        strengths=[s for s in draft.strengths if s.strip()],
        safety_measures=[
            parse_safety_measure(m, person_names) for m in draft.safety_measures if m.strip()
        ],
        positions=positions,
        decision=draft.decision.strip(),
        decision_maker=draft.decision_maker.strip(),
        capacity=draft.capacity.strip(),
        dissent=[d for d in draft.dissent if d.strip()],
        review_date=draft.review_date.strip(),
    )
