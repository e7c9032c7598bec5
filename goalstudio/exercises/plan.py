"""The logic behind the plan rewriter and builder: review feedback, hints and the goal form.

Nothing here draws anything. The widget asks ``plan_feedback`` for the chips and findings of the
current text, ``plan_hints`` for the scenario's hints, and ``goal_text`` to turn the structured
form into plan text that the parser reads back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from goalstudio._locale import Locale
from goalstudio._model import OWNERS, ActionStep, Goal, Objective, Owner, Plan
from goalstudio._owners import resolve_owner
from goalstudio._plantext import PlanParseError, PlanProblem, format_plan, parse_plan
from goalstudio._pronouns import pronouns_of
from goalstudio._scenarios.model import Scenario
from goalstudio._vocabulary import VERDICT_WORDS
from goalstudio.exercises.common import supporter_words

if TYPE_CHECKING:
    from goalstudio.rubric import FindingGroup

VERDICT_MARKS = {"met": "✓", "partly": "◐", "not_met": "✗"}


@dataclass(frozen=True)
class Chip:
    """One criterion's status, as words first (colour only repeats it)."""

    criterion: str
    title: str
    verdict: str  # met | partly | not_met | pending

    @property
    def text(self) -> str:
        if self.verdict == "pending":
            return f"… {self.title}: waiting for plan text that can be read"
        return f"{VERDICT_MARKS[self.verdict]} {self.title}: {VERDICT_WORDS[self.verdict]}"


@dataclass(frozen=True)
class FindingView:
    criterion: str
    severity: str
    message: str
    suggestion: str
    quote: str
    span: tuple[int, int] | None
    line: int | None


@dataclass(frozen=True)
class PlaceView:
    """One place a kind of finding applies: its line, what to say there, the words it is about."""

    line: int | None
    text: str
    quote: str
    suggestion: str  # only when it differs from the kind's own


@dataclass(frozen=True)
class KindView:
    """One kind of finding, explained once, with every place it applies (see feedback_digest)."""

    criterion: str
    criterion_title: str
    severity: str
    title: str
    why: str
    suggestion: str
    teaches: str
    alternatives: tuple[str, ...]
    places: tuple[PlaceView, ...]


@dataclass
class PlanFeedback:
    """What the review panel shows for one version of the text.

    ``findings`` lists every finding in plan order (with its line, for highlighting);
    ``strengths``, ``priorities`` and ``kinds`` are the same findings arranged to be read:
    what works, the two or three changes that matter most, then the rest by kind.
    """

    text: str
    chips: list[Chip]
    findings: list[FindingView] = field(default_factory=list)
    problems: list[PlanProblem] = field(default_factory=list)
    review: dict[str, Any] | None = None
    strengths: list[tuple[str, str]] = field(default_factory=list)  # (criterion title, text)
    priorities: list[KindView] = field(default_factory=list)
    kinds: list[KindView] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        return self.review is not None

    @property
    def spans(self) -> list[tuple[int, int]]:
        return [f.span for f in self.findings if f.span is not None]


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def plan_feedback(text: str, locale: str, scenario: Scenario | None) -> PlanFeedback:
    """Review plan text: chips for the five criteria, findings with spans, or parse problems."""
    from goalstudio.rubric import CRITERIA, CRITERION_TITLES, feedback_digest, review

    if not text.strip():
        chips = [Chip(c, CRITERION_TITLES[c], "pending") for c in CRITERIA]
        problem = PlanProblem(1, 1, "the plan is empty", "Start with a line 'Goal: ...'.")
        return PlanFeedback(text, chips, problems=[problem])
    try:
        result = review(text, locale, scenario)
    except PlanParseError as exc:
        chips = [Chip(c, CRITERION_TITLES[c], "pending") for c in CRITERIA]
        return PlanFeedback(text, chips, problems=list(exc.problems))
    chips = [Chip(c, result.verdicts[c].title, result.verdicts[c].verdict) for c in CRITERIA]
    findings = [
        FindingView(
            f.criterion,
            f.severity,
            f.message,
            f.suggestion,
            f.quote,
            f.span if f.span_in == "plan" else None,
            _line_of(text, f.span[0]) if f.span is not None and f.span_in == "plan" else None,
        )
        for f in result.findings
    ]
    digest = feedback_digest(result)
    return PlanFeedback(
        text,
        chips,
        findings,
        review=result.to_dict(),
        strengths=[(s.title, s.text) for s in digest.strengths],
        priorities=[_kind_view(g, text) for g in digest.priorities],
        kinds=[_kind_view(g, text) for g in digest.groups],
    )


def _kind_view(group: FindingGroup, text: str) -> KindView:
    places = tuple(
        PlaceView(
            _line_of(text, p.span[0]) if p.span is not None and p.span_in == "plan" else None,
            group.place_text(p),
            p.quote if p.quote not in p.message else "",
            group.own_suggestion(p),
        )
        for p in group.places
    )
    return KindView(
        group.criterion,
        group.criterion_title,
        group.severity,
        group.title,
        group.why,
        group.suggestion,
        group.teaches,
        tuple(dict.fromkeys(a for p in group.places for a in p.alternatives)),
        places,
    )


def segments(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """``text`` cut into ``(piece, highlighted)``; overlapping spans merge."""
    merged: list[list[int]] = []
    for start, end in sorted(s for s in spans if 0 <= s[0] < s[1] <= len(text)):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out: list[tuple[str, bool]] = []
    pos = 0
    for start, end in merged:
        if start > pos:
            out.append((text[pos:start], False))
        out.append((text[start:end], True))
        pos = end
    if pos < len(text):
        out.append((text[pos:], False))
    return out


def plan_hints(scenario: Scenario, locale: Locale) -> list[str]:
    """Hints for rewriting this scenario's plan, gentlest first (learner-visible facts only)."""
    name = scenario.known_as
    person = scenario.person
    family = next(p for p in scenario.perspectives if p.party == "family")
    first_person = next(
        (
            s.strip()
            for s in person.in_their_words.replace("\n", " ").split(". ")
            if s.strip().startswith("I want") or s.strip().startswith("What I want")
        ),
        person.in_their_words.strip().split(". ")[0],
    )
    deferred = [a for a in scenario.assessment if a.decision == "defer"]
    p = pronouns_of(person.pronouns)
    hints = [
        f"Start from what matters to {name}: {person.what_matters[0]}.",
        f"Write each goal in {name}'s own words, in quotation marks, with {p.their} name after "
        f'it. {name} said: "{first_person.rstrip(".")}."',
        "Ask 'what would that give you?'. A service, medication or appointment is not the "
        "goal: keep it as an action step that serves the goal.",
        f"Give {name} actions of {p.their} own, and the people around {p.them} too, such as "
        f"{family.who}. Draw on strengths like: {person.strengths[0]}.",
        "Make each objective something you could see happen, with a date: who will be doing "
        "what, by when. Give every action a 'When:' line.",
        f"Not every need belongs in this {locale.care_plan}. A need that can wait goes on a "
        "'Deferred:' line with its reason"
        + (f", for example: {deferred[0].need}." if deferred else "."),
    ]
    return hints


# --------------------------------------------------------------------------------------------
# The structured form: one goal at a time


@dataclass
class ActionFields:
    owner: str = "person"
    name: str = ""
    text: str = ""
    when: str = ""


@dataclass
class ObjectiveFields:
    text: str = ""
    actions: list[ActionFields] = field(default_factory=list)


@dataclass
class GoalFields:
    text: str = ""
    in_own_words: bool = True
    strengths: list[str] = field(default_factory=list)
    barriers: list[str] = field(default_factory=list)
    objectives: list[ObjectiveFields] = field(default_factory=list)


def owner_choices(scenario: Scenario | None, locale: Locale) -> list[tuple[str, str]]:
    """``(label, role)`` pairs for the owner picker, in the locale's words."""
    person = f"{scenario.known_as} (the person)" if scenario is not None else "The person"
    return [
        (person, "person"),
        (supporter_words(locale), "natural_support"),
        ("Peer support worker", "peer"),
        (f"Professional ({locale.care_coordinator}, doctor, nurse...)", "practitioner"),
        ("Service or agency", "agency"),
    ]


def owner_label(owner: str, name: str, scenario: Scenario | None, locale: Locale) -> str:
    """A label the plan parser reads back as ``owner``; ``ValueError`` says what to change."""
    if owner not in OWNERS:
        raise ValueError(f"choose who does this step: one of {', '.join(OWNERS)}")
    name = " ".join(name.split())
    person = scenario.known_as if scenario is not None else ""
    names = [scenario.person.name, person] if scenario is not None else []
    if owner == "person":
        label = name or person or "The person"
    elif owner == "natural_support":
        label = f"Family or friend ({name})" if name else "Family or friend"
    elif owner == "peer":
        label = f"Peer support worker ({name})" if name else "Peer support worker"
    elif owner == "practitioner":
        role = locale.care_coordinator[:1].upper() + locale.care_coordinator[1:]
        label = f"{role} ({name})" if name and resolve_owner(name, names) is None else name or role
    else:
        label = name if name and resolve_owner(name, names) == "agency" else "Service"
        if name and label == "Service":
            label = f"Service ({name})"
    if resolve_owner(label, names if owner == "person" else names[:1]) != owner:
        raise ValueError(f"'{name}' reads as a different role; give just the name or the role")
    return label


def goal_text(fields: GoalFields, scenario: Scenario | None, locale: Locale) -> str:
    """The goal from the form as plan text, checked by parsing it back."""
    if not fields.text.strip():
        raise ValueError("write the goal first")
    person = scenario.known_as if scenario is not None else None
    quoted = fields.in_own_words and person is not None
    objectives = []
    for o in fields.objectives:
        actions = [
            ActionStep(
                text=a.text.strip(),
                owner=_owner(a.owner),
                owner_label=owner_label(a.owner, a.name, scenario, locale),
                timeframe=a.when.strip() or None,
            )
            for a in o.actions
            if a.text.strip()
        ]
        if o.text.strip():
            objectives.append(Objective(text=o.text.strip(), actions=actions))
        elif actions:
            raise ValueError("an action needs an objective above it: write the objective")
    goal = Goal(
        text=fields.text.strip().strip('"“”'),
        quoted=quoted,
        expressed_by=person if quoted else None,
        strengths=[s.strip() for s in fields.strengths if s.strip()],
        barriers=[b.strip() for b in fields.barriers if b.strip()],
        objectives=objectives,
    )
    text = format_plan(Plan(goals=[goal])).strip()
    parse_plan(text)  # what the form writes must read back
    return text


def disagreement_text(who: str, about: str, revisit: str) -> str:
    """A 'Disagreement:' line from the form, checked by parsing it back."""
    who, about, revisit = (" ".join(v.split()) for v in (who, about, revisit))
    if not who or not about:
        raise ValueError("say who disagrees and what about, then add the disagreement")
    if ":" in who:
        raise ValueError("leave the colon out of who disagrees: write 'Pearl and Levi'")
    if "(" in revisit or ")" in revisit:
        raise ValueError("leave brackets out of how it will be revisited; the plan adds them")
    line = f"Disagreement: {who}: {about}" + (f" ({revisit})" if revisit else "")
    parse_plan("Goal: x\n" + line)  # what the form writes must read back
    return line


def add_line_to_plan(plan_text: str, line: str) -> str:
    """Append one plan line (a disagreement, say) at the end of the plan text."""
    return (plan_text.rstrip() + "\n" if plan_text.strip() else "") + line + "\n"


def add_goal_to_plan(plan_text: str, goal: str, scenario: Scenario | None) -> str:
    """Append a goal to plan text, starting the plan with the person's name when it is empty."""
    if not plan_text.strip():
        head = f"Person: {scenario.person.name}\n\n" if scenario is not None else ""
        return head + goal + "\n"
    return plan_text.rstrip() + "\n\n" + goal + "\n"


def _owner(value: str) -> Owner:
    for owner in OWNERS:
        if owner == value:
            return owner
    raise ValueError(f"choose who does this step: one of {', '.join(OWNERS)}")
