"""Feedback a learner reads to the end: the review's findings ranked and grouped.

A review of a partly rewritten plan can hold forty findings. Listed in plan order, each with
its full explanation, they bury the lesson. ``feedback_digest(review)`` arranges them the way
a trainer would talk a plan through:

1. what the plan does well (the criteria it meets, and the evidence behind the others);
2. the two or three changes that would matter most: one kind of finding per criterion, from
   the criteria furthest from met, warnings before notes;
3. everything else, grouped by kind, with the explanation ("why it matters") given once per
   kind and every place it applies listed under it.

The live review in the plan exercises, the nbgrader feedback page and the assignment's check
cells all show this one arrangement, so a learner meets the same lesson first wherever they
look.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from goalstudio._vocabulary import CRITERIA, CRITERION_TITLES, VERDICTS
from goalstudio.rubric._types import Finding, Review

TOP = 3  # "the two or three changes that would matter most"
_VERDICT_RANK: dict[str, int] = {v: n for n, v in enumerate(reversed(VERDICTS))}  # weakest first
_SEVERITY_RANK = {"warning": 0, "info": 1}
# The five criteria first, in the order the course teaches them; then structure and language.
_CRITERION_RANK: dict[str, int] = {c: n for n, c in enumerate((*CRITERIA, "structure", "language"))}


@dataclass(frozen=True)
class Strength:
    """Something the plan does well, under the criterion it serves."""

    criterion: str
    title: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"criterion": self.criterion, "title": self.title, "text": self.text}


@dataclass(frozen=True)
class FindingGroup:
    """One kind of finding: what it is, why it matters (once), and every place it applies.

    ``suggestion`` is set when every place shares it; a place with its own suggestion keeps it
    on its finding. ``places`` are in plan order.
    """

    rule: str
    criterion: str
    severity: str
    title: str
    why: str
    teaches: str
    suggestion: str
    places: tuple[Finding, ...]

    @property
    def criterion_title(self) -> str:
        return CRITERION_TITLES.get(self.criterion, self.criterion)

    def place_text(self, place: Finding) -> str:
        """What to say at one place: its message, or only where it is when the message is
        the group's heading already ("" for the plan as a whole: the heading says it all)."""
        if place.message.rstrip(".") == self.title:
            return (
                "" if place.location == "plan" else place.location[:1].upper() + place.location[1:]
            )
        return place.message

    def in_one_line(self) -> str:
        """The kind and its places as one sentence, for plain-text feedback.

        "An objective has no time frame: goal 6 > objective 1 and goal 7 > objective 1." when
        the places say the same thing; otherwise each place's own message.
        """
        if len(self.places) == 1:
            return self.places[0].message
        said = {_without_place(p) for p in self.places}
        if len(said) == 1 and None not in said:
            where = [p.location for p in self.places]
            return f"{self.title}: {', '.join(where[:-1])} and {where[-1]}."
        return f"{self.title}: " + " ".join(
            self.place_text(p).rstrip(".") + "." for p in self.places
        )

    def own_suggestion(self, place: Finding) -> str:
        """The place's suggestion when it differs from the one the group gives for all."""
        return "" if place.suggestion == self.suggestion else place.suggestion

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "criterion": self.criterion,
            "severity": self.severity,
            "title": self.title,
            "why": self.why,
            "teaches": self.teaches,
            "suggestion": self.suggestion,
            "places": [p.to_dict() for p in self.places],
        }


@dataclass(frozen=True)
class FeedbackDigest:
    """The review arranged for reading: strengths, the changes that matter most, the rest."""

    strengths: tuple[Strength, ...]
    priorities: tuple[FindingGroup, ...]
    groups: tuple[FindingGroup, ...]

    @property
    def findings(self) -> int:
        return sum(len(g.places) for g in (*self.priorities, *self.groups))

    def to_dict(self) -> dict[str, Any]:
        return {
            "strengths": [s.to_dict() for s in self.strengths],
            "priorities": [g.to_dict() for g in self.priorities],
            "groups": [g.to_dict() for g in self.groups],
        }


def _without_place(finding: Finding) -> str | None:
    """The message with its place taken out ("{} does not say by when."), or None when the
    message does not name its place."""
    for where in (finding.location, finding.location[:1].upper() + finding.location[1:]):
        if where and where in finding.message:
            return finding.message.replace(where, "{}", 1)
    return None


def feedback_digest(review: Review, *, top: int = TOP) -> FeedbackDigest:
    """Arrange a review's findings for a learner (see the module's docstring).

    ``top`` is how many kinds of finding are raised as the changes that matter most; the
    priorities come from different criteria, so one weak area does not crowd out the rest.
    """
    groups = _group(review)
    ranked = sorted(groups, key=lambda g: _rank(review, g))
    priorities: list[FindingGroup] = []
    for group in ranked:
        if len(priorities) == top:
            break
        if all(p.criterion != group.criterion for p in priorities):
            priorities.append(group)
    rest = [g for g in ranked if g not in priorities]
    # The rest in the course's order of criteria, warnings first within each.
    rest.sort(key=lambda g: (_CRITERION_RANK.get(g.criterion, 99), _rank(review, g)[1]))
    return FeedbackDigest(_strengths(review), tuple(priorities), tuple(rest))


def _verdict(review: Review, criterion: str) -> str:
    result = review.verdicts.get(criterion)
    return result.verdict if result is not None else "met"


def _rank(review: Review, group: FindingGroup) -> tuple[int, int, int, int, int]:
    """Criteria furthest from met first; warnings before notes; the course's order; then what
    a finding is about (the plan or a goal before an objective, an objective before a step);
    then the kind found in more places."""
    return (
        _VERDICT_RANK.get(_verdict(review, group.criterion), 2),
        _SEVERITY_RANK.get(group.severity, 1),
        _CRITERION_RANK.get(group.criterion, 99),
        min(_level(p.location) for p in group.places),
        -len(group.places),
    )


def _level(location: str) -> int:
    """0 for the plan or a goal, 1 for an objective, 2 for an action step (or deeper)."""
    return location.count(" > ")


def _group(review: Review) -> list[FindingGroup]:
    from goalstudio.rubric._engine import RULES

    summaries = {rule.id: rule.summary for rule in RULES}
    kinds: dict[tuple[str, str], list[Finding]] = {}
    for finding in review.findings:  # already in plan order
        kinds.setdefault((finding.rule, finding.why), []).append(finding)
    out = []
    for (rule, why), places in kinds.items():
        first = places[0]
        suggestions = {p.suggestion for p in places}
        severity = "warning" if any(p.severity == "warning" for p in places) else "info"
        out.append(
            FindingGroup(
                rule=rule,
                criterion=first.criterion,
                severity=severity,
                title=summaries.get(rule) or _title_from_words(places),
                why=why,
                teaches=next((p.teaches for p in places if p.teaches), ""),
                suggestion=first.suggestion if len(suggestions) == 1 else "",
                places=tuple(places),
            )
        )
    return out


def _title_from_words(places: list[Finding]) -> str:
    """A heading for findings whose rule has no summary: the message they share, or the
    criterion and the words they are about (language findings)."""
    messages = {p.message for p in places}
    if len(messages) == 1:
        return places[0].message.rstrip(".")
    words = list(dict.fromkeys(p.quote.lower() for p in places if p.quote))
    criterion = CRITERION_TITLES.get(places[0].criterion, places[0].criterion)
    if not words:
        return criterion
    shown = ", ".join(f"'{w}'" for w in words[:4]) + (" ..." if len(words) > 4 else "")
    return f"{criterion}: {shown}"


def _strengths(review: Review) -> tuple[Strength, ...]:
    """The criteria met, with their evidence; for the others, the places that already work.

    Evidence that names a place ("goal 2: quoted, in Priya's words") counts as done well only
    when no finding of the same criterion is about that place. Places that share the same
    evidence are told together ("goals 1, 2 and 4: quoted, in Priya's words").
    """
    out = []
    for criterion in CRITERIA:
        result = review.verdicts.get(criterion)
        if result is None or result.verdict == "not_met":
            continue
        flagged = {f.location for f in review.findings_for(criterion)}
        counts: list[str] = []
        placed: dict[str, list[str]] = {}
        for evidence in result.evidence:
            where, said = _placed(evidence)
            if where is None:
                if result.verdict == "met":
                    counts.append(evidence)
            elif where not in flagged:
                placed.setdefault(said, []).append(where)
        good = counts + [f"{_places(where)}: {said}" for said, where in placed.items()]
        if not good:
            continue
        text = "; ".join(good[:3]) + (f"; and {len(good) - 3} more" if len(good) > 3 else "")
        out.append(Strength(criterion, result.title, text[:1].upper() + text[1:]))
    return tuple(out)


_PLACE_WORDS = ("goal", "objective", "action", "plan")


def _placed(evidence: str) -> tuple[str | None, str]:
    """'goal 1: quoted, in Priya's words' -> ('goal 1', "quoted, in Priya's words").

    What the evidence quotes in brackets is left out, so places with the same finding group.
    """
    where, colon, said = evidence.partition(":")
    if not colon or where.strip().split(" ")[0] not in _PLACE_WORDS:
        return None, evidence
    said = said.strip()
    if said.endswith(")") and " (" in said:
        said = said[: said.rindex(" (")]
    return where.strip(), said


def _places(where: list[str]) -> str:
    """'goals 1, 2 and 4', or '3 goals and 5 objectives' when the places are of mixed kinds."""
    goals = [w.split(" ")[1] for w in where if w.startswith("goal ") and ">" not in w]
    if len(goals) == len(where):
        if len(goals) == 1:
            return f"goal {goals[0]}"
        return f"goals {', '.join(goals[:-1])} and {goals[-1]}"
    if len(where) <= 2:
        return " and ".join(where)
    objectives = sum(1 for w in where if w.rsplit(" > ", 1)[-1].startswith("objective"))
    others = len(where) - len(goals) - objectives
    parts = [
        f"{n} {word}{'s' if n != 1 else ''}"
        for n, word in ((len(goals), "goal"), (objectives, "objective"), (others, "step"))
        if n
    ]
    return ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
