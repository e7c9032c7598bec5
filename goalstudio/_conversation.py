"""A branching risk conversation: what the person says, the replies on offer, and the endings.

Validation refuses graphs that would trap a learner: replies that lead nowhere, nodes that
can never be reached, dead ends that are not endings, and loops with no way out.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from goalstudio._model import StrictModel, _not_blank, _not_blank_items

ReplyQuality = Literal["good", "mixed", "poor"]
EndingKind = Literal["shared_plan", "partial", "breakdown"]
CriterionKind = Literal["key_idea", "open_question", "reflect", "avoid"]


class Effect(StrictModel):
    """What a reply does to trust and to shared understanding (-2 to +2 each)."""

    trust: int = Field(default=0, ge=-2, le=2)
    understanding: int = Field(default=0, ge=-2, le=2)


class Choice(StrictModel):
    """A reply the learner can choose, where it leads, and why it helps or hurts."""

    reply: str
    next: str
    quality: ReplyQuality
    feedback: str
    effect: Effect = Field(default_factory=Effect)

    _check_text = field_validator("reply", "next", "feedback")(_not_blank)


class ReplyCriterion(StrictModel):
    """One thing a good reply in the learner's own words does at this point of the conversation.

    ``key_idea``: says at least one of ``phrases``. ``avoid``: says none of them.
    ``open_question``: asks an open question. ``reflect``: uses the person's own words (any of
    ``phrases`` when given, otherwise any content word of what the person just said). A phrase
    matches at the start of a word, whatever the case: "tablet" also matches "Tablets".
    """

    kind: CriterionKind
    name: str = Field(description="what the learner sees, e.g. 'Names what she wants back'")
    advice: str = Field(description="what to try when the reply does not do this yet")
    phrases: list[str] = Field(default_factory=list)

    _check_text = field_validator("name", "advice")(_not_blank)
    _check_phrases = field_validator("phrases")(_not_blank_items)

    @model_validator(mode="after")
    def _phrases_when_needed(self) -> ReplyCriterion:
        if self.kind in ("key_idea", "avoid") and not self.phrases:
            raise ValueError(
                f"the criterion '{self.name}' ({self.kind}) needs 'phrases': the words that show it"
            )
        return self


class Ending(StrictModel):
    """How the conversation closes, and what the learner should take from it."""

    kind: EndingKind
    title: str
    summary: str

    _check_text = field_validator("title", "summary")(_not_blank)


class Node(StrictModel):
    """One turn: what the person says, then either replies to choose from or an ending."""

    id: str
    says: str
    choices: list[Choice] = Field(default_factory=list)
    ending: Ending | None = None
    free_text: bool = Field(
        default=False, description="optional: the learner may type their own reply here"
    )
    criteria: list[ReplyCriterion] = Field(
        default_factory=list, description="what a good typed reply does here (with free_text)"
    )

    _check_text = field_validator("id", "says")(_not_blank)

    @model_validator(mode="after")
    def _ending_or_choices(self) -> Node:
        if self.ending is not None and self.choices:
            raise ValueError(f"node '{self.id}' is an ending, so it cannot offer choices too")
        if self.free_text and not self.choices:
            raise ValueError(
                f"node '{self.id}' has free_text, so it needs choices too: a typed reply "
                "carries on along the closest scripted reply"
            )
        if self.free_text and not self.criteria:
            raise ValueError(
                f"node '{self.id}' has free_text: add 'criteria' saying what a good reply does"
            )
        if self.criteria and not self.free_text:
            raise ValueError(
                f"node '{self.id}' has criteria but not 'free_text: true': add it, or remove "
                "the criteria"
            )
        return self


class Conversation(StrictModel):
    """A conversation graph that is checked to be playable from start to an ending."""

    start: str
    nodes: list[Node] = Field(min_length=1)

    @model_validator(mode="after")
    def _playable(self) -> Conversation:
        problems = conversation_problems(self)
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def node(self, node_id: str) -> Node:
        """The node with this id; ``KeyError`` names the known ids when it is missing."""
        for n in self.nodes:
            if n.id == node_id:
                return n
        known = ", ".join(n.id for n in self.nodes)
        raise KeyError(f"no conversation node '{node_id}'; known nodes: {known}")

    def endings(self) -> list[Node]:
        return [n for n in self.nodes if n.ending is not None]


def conversation_problems(conv: Conversation) -> list[str]:
    """Every reason this graph is not playable, in a stable order (empty when it is fine)."""
    problems: list[str] = []
    ids = [n.id for n in conv.nodes]
    by_id = {n.id: n for n in conv.nodes}
    doubled = sorted({i for i in ids if ids.count(i) > 1})
    if doubled:
        problems.append(f"node ids must be unique; repeated: {', '.join(doubled)}")
    if conv.start not in by_id:
        problems.append(f"start node '{conv.start}' does not exist; known nodes: {', '.join(ids)}")
        return problems
    edges: dict[str, list[str]] = {}
    for n in conv.nodes:
        edges[n.id] = []
        for c in n.choices:
            if c.next in by_id:
                edges[n.id].append(c.next)
            else:
                problems.append(
                    f"node '{n.id}': the reply '{_short(c.reply)}' leads to '{c.next}', "
                    "which does not exist"
                )
        if not n.choices and n.ending is None:
            problems.append(
                f"node '{n.id}' is a dead end: give it choices, or mark it as an ending"
            )
    reachable = _reach(conv.start, edges)
    for n in conv.nodes:
        if n.id not in reachable:
            problems.append(f"node '{n.id}' can never be reached from the start '{conv.start}'")
    endings = {n.id for n in conv.nodes if n.ending is not None}
    if not endings:
        problems.append("the conversation has no ending: mark at least one node as an ending")
        return problems
    # A node that cannot reach any ending is stuck in a loop (or a dead end, reported above).
    reverse: dict[str, list[str]] = {i: [] for i in by_id}
    for src, dsts in edges.items():
        for dst in dsts:
            reverse[dst].append(src)
    can_finish: set[str] = set()
    for e in endings:
        can_finish |= _reach(e, reverse)
    for n in conv.nodes:
        if n.id in reachable and n.id not in can_finish and n.choices:
            problems.append(
                f"node '{n.id}' is in a loop with no way out: "
                "add a reply that leads towards an ending"
            )
    return problems


def _reach(start: str, edges: dict[str, list[str]]) -> set[str]:
    seen = {start}
    stack = [start]
    while stack:
        for nxt in edges.get(stack.pop(), []):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
