"""Reading learners' plain-text answers for the assignments that are not plans.

Every format is keyword-led, like the plan format: a keyword, a colon, then the learner's words.
Lines starting with ``#`` are notes, blank lines are ignored, keywords are not case-sensitive,
and indentation is never an error. A line the reader cannot place becomes a ``Problem`` with its
line number and the fix; the reader never raises for text.

The exchange (assignment 3)::

    View: Person (Javi)
      Matters: being on time for Sofia
      Working: eight months without using
      Not working: the Thursday group
      Concerns: that staying on medication means he is not really clean
      Proposes: off buprenorphine within three months
    Agree: Javi keeps his custody days (person, family, practitioner)
    Disagree: how fast to taper
      Person: within three months
      Practitioner: slowly, over a year, with naloxone at home
      Handled: try a slow taper and review monthly; both views stay on record
    Outcome: Javi picks Sofia up on time every Tuesday and Thursday

The positive-risk decision (assignment 4)::

    Goal: drive for a living again
    Person's view: "I've done eight months. I know what a slip feels like."
    Option: Do nothing (stay on the current dose)
      Benefits: no change to what is working
      Risks: Javi feels stuck; may stop on his own without support
    Option: A slow taper with weekly check-ins
      Benefits: ...
      Risks: ...
    Strengths: eight months without using; honest with his case manager
    Safer: Sister (Marisol): keeps naloxone at home and knows how to use it
    Position (family): worried about overdose but wants him to try
    Decision: a slow taper starting in May, reviewed every two weeks
    Dissent: the prescriber would prefer to wait until probation ends
    Review: 1 June 2026
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from goalstudio import resolve_owner

_KEY_LINE = re.compile(r"\s*[-*•]?\s*([A-Za-z][A-Za-z' ’]{0,30}?)\s*(?:\(([^()]*)\))?\s*:(.*)")
_PARTY_WORDS = {
    "person": "person",
    "the person": "person",
    "family": "family",
    "carer": "family",
    "carers": "family",
    "family member": "family",
    "practitioner": "practitioner",
    "worker": "practitioner",
    "agency": "agency",
    "service": "agency",
    "organisation": "agency",
    "organization": "agency",
}
PLACEHOLDER = re.compile(r"\[[^\[\]]{1,80}\]")


@dataclass(frozen=True)
class Problem:
    """A line the reader could not use, with the fix."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


def _party(word: str) -> str | None:
    return _PARTY_WORDS.get(word.strip().lower())


def _items(value: str) -> list[str]:
    sep = ";" if ";" in value else ","
    return [v.strip() for v in value.split(sep) if v.strip()]


def _lines(text: str) -> list[tuple[int, str]]:
    out = []
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        out.append((number, raw))
    return out


def placeholders(text: str) -> list[str]:
    """The ``[bracketed]`` parts of a template the learner has not replaced yet."""
    lines = [raw for _, raw in _lines(text)]
    return PLACEHOLDER.findall("\n".join(lines))


# --------------------------------------------------------------------------------------------
# Assignment 1: spotting


@dataclass(frozen=True)
class Labelled:
    """``3: output`` - a numbered statement and the label the learner gave it."""

    number: int
    label: str
    line: int


@dataclass
class SpotAnswer:
    phrases: list[tuple[int, str]] = field(default_factory=list)
    labels: list[Labelled] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


_LABEL_WORDS = {
    "output": "output",
    "outputs": "output",
    "service": "output",
    "outcome": "outcome",
    "outcomes": "outcome",
    "life": "outcome",
}


def read_phrases(text: str) -> SpotAnswer:
    """One phrase per line, with or without quotes or a bullet."""
    answer = SpotAnswer()
    for number, raw in _lines(text):
        phrase = raw.strip().lstrip("-*•").strip().strip("\"'“”‘’").strip()
        if PLACEHOLDER.fullmatch(phrase):
            continue
        if phrase:
            answer.phrases.append((number, phrase))
    return answer


def read_labels(text: str) -> SpotAnswer:
    """Lines like ``3: output`` or ``3 outcome``."""
    answer = SpotAnswer()
    for number, raw in _lines(text):
        if PLACEHOLDER.fullmatch(raw.strip()):
            continue
        found = re.fullmatch(r"\s*(\d{1,3})\s*[:.)-]?\s*([A-Za-z]+)\s*", raw)
        if not found:
            answer.problems.append(
                Problem(
                    number,
                    f"'{raw.strip()}' is not in the form 'NUMBER: output' or "
                    "'NUMBER: outcome', for example '3: outcome'.",
                )
            )
            continue
        label = _LABEL_WORDS.get(found.group(2).lower())
        if label is None:
            answer.problems.append(
                Problem(
                    number,
                    f"'{found.group(2)}' is not one of the labels: write 'output' (a service "
                    "the team provides or counts) or 'outcome' (a change in the person's life).",
                )
            )
            continue
        answer.labels.append(Labelled(int(found.group(1)), label, number))
    return answer


# --------------------------------------------------------------------------------------------
# Assignment 3: the exchange


@dataclass
class ViewAnswer:
    party: str
    who: str
    line: int
    fields: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class DisagreementAnswer:
    topic: str
    line: int
    positions: dict[str, str] = field(default_factory=dict)
    handled: str = ""


@dataclass
class ExchangeAnswer:
    views: list[ViewAnswer] = field(default_factory=list)
    agreements: list[tuple[str, list[str]]] = field(default_factory=list)
    disagreements: list[DisagreementAnswer] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def view(self, party: str) -> ViewAnswer | None:
        return next((v for v in self.views if v.party == party), None)


_VIEW_FIELDS = {
    "matters": "what_matters",
    "what matters": "what_matters",
    "working": "working",
    "not working": "not_working",
    "concerns": "concerns",
    "concern": "concerns",
    "proposes": "proposed_outcomes",
    "proposed": "proposed_outcomes",
    "proposed outcomes": "proposed_outcomes",
}


def read_exchange(text: str) -> ExchangeAnswer:
    """The four views, what the parties agree and disagree on, and the negotiated outcomes."""
    answer = ExchangeAnswer()
    view: ViewAnswer | None = None
    disagreement: DisagreementAnswer | None = None
    for number, raw in _lines(text):
        found = _KEY_LINE.match(raw)
        if not found:
            answer.problems.append(
                Problem(
                    number, f"'{raw.strip()}' needs a keyword and a colon, e.g. 'Concerns: ...'."
                )
            )
            continue
        key = found.group(1).strip().lower()
        value = found.group(3).strip()
        if key == "view":
            name, _, who = value.partition("(")
            party = _party(name)
            if party is None:
                answer.problems.append(
                    Problem(
                        number,
                        f"'{name.strip()}' is not one of the four parties: write 'View: Person "
                        "(name)', 'View: Family (name)', 'View: Practitioner (name)' or "
                        "'View: Agency (name)'.",
                    )
                )
                view = None
                continue
            view = ViewAnswer(party, who.rstrip(")").strip() or name.strip(), number)
            answer.views.append(view)
            disagreement = None
        elif key in _VIEW_FIELDS and disagreement is None:
            if view is None:
                answer.problems.append(
                    Problem(number, f"'{found.group(1)}:' belongs under a 'View:' line.")
                )
                continue
            view.fields.setdefault(_VIEW_FIELDS[key], []).extend(_items(value))
        elif key in ("agree", "agreement"):
            parties = []
            tail = re.search(r"\(([^()]*)\)\s*$", value)
            if tail:
                parties = [p for p in (_party(w) for w in _items(tail.group(1))) if p]
                value = value[: tail.start()].strip()
            answer.agreements.append((value, parties))
            view, disagreement = None, None
        elif key in ("disagree", "disagreement"):
            disagreement = DisagreementAnswer(value, number)
            answer.disagreements.append(disagreement)
            view = None
        elif key in ("handled", "how handled") and disagreement is not None:
            disagreement.handled = value
        elif _party(key) and disagreement is not None:
            disagreement.positions[_party(key) or key] = value
        elif key in ("outcome", "outcomes", "negotiated outcome"):
            answer.outcomes.extend([value] if value else [])
            view, disagreement = None, None
        else:
            answer.problems.append(
                Problem(
                    number,
                    f"'{found.group(1)}:' is not a keyword here. Use View, Matters, Working, "
                    "Not working, Concerns, Proposes, Agree, Disagree (with one line per "
                    "party and Handled), or Outcome.",
                )
            )
    return answer


# --------------------------------------------------------------------------------------------
# Assignment 4: the positive-risk decision


@dataclass
class OptionAnswer:
    description: str
    line: int
    benefits: list[str] = field(default_factory=list)
    risks: list[str] = field(default_factory=list)

    @property
    def is_do_nothing(self) -> bool:
        text = self.description.lower()
        return any(
            w in text
            for w in ("do nothing", "doing nothing", "no change", "as they are", "as it is")
        )


@dataclass
class SaferAnswer:
    owner: str | None
    owner_label: str
    action: str
    line: int


@dataclass
class RiskAnswer:
    goal: str = ""
    person_view: str = ""
    options: list[OptionAnswer] = field(default_factory=list)
    strengths: list[str] = field(default_factory=list)
    safer: list[SaferAnswer] = field(default_factory=list)
    positions: dict[str, str] = field(default_factory=dict)
    decision: str = ""
    dissent: list[str] = field(default_factory=list)
    review: str = ""
    problems: list[Problem] = field(default_factory=list)


def read_risk(text: str, person_names: list[str] | None = None) -> RiskAnswer:
    """A positive-risk decision record in keyword lines."""
    names = person_names or []
    answer = RiskAnswer()
    option: OptionAnswer | None = None
    for number, raw in _lines(text):
        found = _KEY_LINE.match(raw)
        if not found:
            answer.problems.append(
                Problem(number, f"'{raw.strip()}' needs a keyword and a colon, e.g. 'Risks: ...'.")
            )
            continue
        key = found.group(1).strip().lower().replace("’", "'")
        bracket = (found.group(2) or "").strip()
        value = found.group(3).strip()
        if key == "goal":
            answer.goal = value
        elif key in ("person's view", "persons view", "their view", "view"):
            answer.person_view = value
        elif key == "option":
            option = OptionAnswer(value, number)
            answer.options.append(option)
        elif key in ("benefits", "benefit", "risks", "risk"):
            if option is None:
                answer.problems.append(
                    Problem(number, f"'{found.group(1)}:' belongs under an 'Option:' line.")
                )
                continue
            target = option.benefits if key.startswith("benefit") else option.risks
            target.extend(_items(value))
        elif key in ("strengths", "strength"):
            answer.strengths.extend(_items(value))
        elif key in ("safer", "safety"):
            label, sep, action = value.partition(":")
            if not sep:
                label, action = "", value
            owner = resolve_owner(label, names) if label.strip() else None
            answer.safer.append(SaferAnswer(owner, label.strip(), action.strip(), number))
        elif key == "position":
            party = _party(bracket)
            if party is None:
                answer.problems.append(
                    Problem(
                        number,
                        "write whose position it is in brackets: 'Position (person):', "
                        "'Position (family):', 'Position (practitioner):' or "
                        "'Position (agency):'.",
                    )
                )
                continue
            answer.positions[party] = value
        elif key == "decision":
            answer.decision = value
        elif key == "dissent":
            answer.dissent.extend([value] if value else [])
        elif key in ("review", "review date"):
            answer.review = value
        else:
            answer.problems.append(
                Problem(
                    number,
                    f"'{found.group(1)}:' is not a keyword here. Use Goal, Person's view, "
                    "Option (with Benefits and Risks), Strengths, Safer, Position (party), "
                    "Decision, Dissent or Review.",
                )
            )
    return answer
