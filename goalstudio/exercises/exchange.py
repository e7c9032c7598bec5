"""The logic behind the Exchange map: sort each party's statements, negotiate, record dissent.

Statements come from the four perspectives in a scenario (what matters, concerns and proposed
outcomes). The learner sorts each into agree, differ or needs discussion, and writes negotiated
outcomes with who does what. ``exchange_record`` turns the map into an ``ExchangeRecord`` in
which every disagreement is kept; ``exchange_checks`` gives the feedback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from goalstudio._exchange import PARTIES, Agreement, Disagreement, ExchangeRecord, Party
from goalstudio._scenarios.model import Scenario

Bucket = Literal["agree", "differ", "discuss"]
BUCKETS: tuple[Bucket, ...] = ("agree", "differ", "discuss")
BUCKET_WORDS = {"agree": "Agree", "differ": "Differ", "discuss": "Needs discussion"}
FIELDS = (
    ("what_matters", "What matters"),
    ("concerns", "Concern"),
    ("proposed_outcomes", "Proposed outcome"),
)
NOT_YET = "not recorded yet: ask at the meeting"


@dataclass(frozen=True)
class Statement:
    id: str
    party: Party
    kind: str
    text: str


def statements(scenario: Scenario) -> list[Statement]:
    """Every statement a learner sorts, party by party, in a stable order."""
    out: list[Statement] = []
    for view in scenario.perspectives:
        for name, word in FIELDS:
            for i, text in enumerate(getattr(view, name)):
                out.append(Statement(f"{view.party}:{name}:{i}", view.party, word, text))
    return out


@dataclass
class Outcome:
    text: str
    who_does_what: str = ""
    leads_from: Party = "person"


@dataclass
class ExchangeMapState:
    scenario: Scenario
    sorted: dict[str, Bucket] = field(default_factory=dict)
    other_views: dict[str, tuple[Party, str]] = field(default_factory=dict)
    shared: dict[str, set[Party]] = field(default_factory=dict)
    outcomes: list[Outcome] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.statements = {s.id: s for s in statements(self.scenario)}

    def sort(self, statement_id: str, bucket: str | None) -> None:
        """Put a statement in a bucket (``None`` takes it out again)."""
        if statement_id not in self.statements:
            raise ValueError(f"there is no statement '{statement_id}'")
        if bucket is None:
            self.sorted.pop(statement_id, None)
            return
        for b in BUCKETS:
            if b == bucket:
                self.sorted[statement_id] = b
                return
        raise ValueError(f"sort into one of: {', '.join(BUCKET_WORDS.values())}")

    def other_view(self, statement_id: str, party: str, position: str) -> None:
        """Record another party's position on a point of difference, as they put it."""
        if statement_id not in self.statements:
            raise ValueError(f"there is no statement '{statement_id}'")
        who = _party(party)
        if who == self.statements[statement_id].party:
            raise ValueError("this is already that party's view: choose another party")
        self.other_views[statement_id] = (who, position.strip())

    def share(self, statement_id: str, parties: list[str] | set[str] | tuple[str, ...]) -> None:
        """Say which other parties share an agreed statement (its own party always does)."""
        if statement_id not in self.statements:
            raise ValueError(f"there is no statement '{statement_id}'")
        if self.sorted.get(statement_id) != "agree":
            raise ValueError("sort the statement into 'Agree' first, then say who shares it")
        own = self.statements[statement_id].party
        self.shared[statement_id] = {_party(p) for p in parties} - {own}

    def sharing(self, statement_id: str) -> list[Party]:
        """Every party that shares an agreed statement, its own party first."""
        own = self.statements[statement_id].party
        others = self.shared.get(statement_id, set())
        return [own, *(p for p in PARTIES if p in others and p != own)]

    def unshared(self) -> list[str]:
        """Agreed statements for which no other party has been ticked yet."""
        return [i for i, b in self.sorted.items() if b == "agree" and len(self.sharing(i)) < 2]

    def heard(self) -> set[Party]:
        return {self.statements[i].party for i in self.sorted}

    def to_state(self) -> dict[str, Any]:
        return {
            "sorted": dict(self.sorted),
            "other_views": {k: list(v) for k, v in self.other_views.items()},
            "shared": {k: sorted(v) for k, v in self.shared.items()},
            "outcomes": [vars(o).copy() for o in self.outcomes],
        }

    def load_state(self, state: dict[str, Any]) -> None:
        for key, bucket in dict(state.get("sorted", {})).items():
            if key in self.statements and bucket in BUCKETS:
                self.sort(key, bucket)
        for key, (party, text) in dict(state.get("other_views", {})).items():
            if key in self.statements:
                self.other_view(key, party, text)
        for key, parties in dict(state.get("shared", {})).items():
            if key in self.statements and self.sorted.get(key) == "agree":
                self.share(key, [p for p in parties if p in PARTIES])
        self.outcomes = [
            Outcome(str(o["text"]), str(o.get("who_does_what", "")), _party(o["leads_from"]))
            for o in state.get("outcomes", [])
        ]


def _party(value: object) -> Party:
    for p in PARTIES:
        if p == value:
            return p
    raise ValueError(f"choose a party: {', '.join(PARTIES)}")


def exchange_record(state: ExchangeMapState) -> ExchangeRecord:
    """The negotiated plan: every perspective, the common ground, and every disagreement.

    ``ValueError`` names any agreement for which the learner has not yet said who shares it.
    """
    unshared = state.unshared()
    if unshared:
        names = "; ".join(f"'{state.statements[i].text}'" for i in unshared[:3])
        more = f" and {len(unshared) - 3} more" if len(unshared) > 3 else ""
        raise ValueError(
            f"say who shares each agreement: tick at least one other party for {names}{more}"
        )
    agreements = [
        Agreement(text=state.statements[i].text, parties=state.sharing(i))
        for i, b in state.sorted.items()
        if b == "agree"
    ]
    disagreements = []
    for i, bucket in state.sorted.items():
        if bucket == "agree":
            continue
        s = state.statements[i]
        spare: Party = "person" if s.party != "person" else "practitioner"
        other_party, other_text = state.other_views.get(i, (spare, ""))
        positions: dict[Party, str] = {s.party: s.text}
        if other_party != s.party:
            positions[other_party] = other_text or NOT_YET
        else:
            positions[spare] = NOT_YET
        disagreements.append(
            Disagreement(
                topic=s.text,
                positions=positions,
                how_handled="recorded as a difference of view"
                if bucket == "differ"
                else "needs discussion with everyone present",
            )
        )
    return ExchangeRecord(
        perspectives=list(state.scenario.perspectives),
        agreements=agreements,
        disagreements=disagreements,
        negotiated_outcomes=[
            f"{o.text.strip()} (who does what: {o.who_does_what.strip()})"
            if o.who_does_what.strip()
            else o.text.strip()
            for o in state.outcomes
            if o.text.strip()
        ],
    )


def exchange_checks(state: ExchangeMapState) -> list[tuple[str, bool, str]]:
    """``(check, passed, advice)`` for each thing the feedback looks at."""
    missing = [p for p in PARTIES if p not in state.heard()]
    outcomes = [o for o in state.outcomes if o.text.strip()]
    differences = [i for i, b in state.sorted.items() if b != "agree"]
    unsorted = len(state.statements) - len(state.sorted)
    return [
        (
            "Every party was heard",
            not missing,
            "Sort at least one statement from: " + ", ".join(missing) if missing else "",
        ),
        (
            "The person's outcome leads",
            bool(outcomes) and outcomes[0].leads_from == "person",
            "Put first an outcome that builds on what the person wants."
            if outcomes
            else "Write the negotiated outcomes, starting with the person's.",
        ),
        (
            "Disagreements are recorded",
            bool(differences),
            "Where the parties see things differently, sort the statement into 'Differ' or "
            "'Needs discussion' so the difference is kept in the record.",
        ),
        (
            "Each agreement says who shares it",
            not state.unshared(),
            f"Tick who shares {len(state.unshared())} agreed statement"
            f"{'s' if len(state.unshared()) != 1 else ''}: an agreement needs at least two "
            "parties.",
        ),
        (
            "Each outcome says who does what",
            bool(outcomes) and all(o.who_does_what.strip() for o in outcomes),
            "Add who does what to every outcome.",
        ),
        (
            "Every statement was sorted",
            unsorted == 0,
            f"{unsorted} statement{'s are' if unsorted != 1 else ' is'} not sorted yet.",
        ),
    ]


def exchange_review(state: ExchangeMapState) -> dict[str, Any]:
    """What is recorded with the map: each check, and the share of checks passed as the score."""
    checks = exchange_checks(state)
    return {
        "kind": "exchange_map",
        "checks": {name: ok for name, ok, _advice in checks},
        "score": sum(ok for _name, ok, _advice in checks) / len(checks),
    }
