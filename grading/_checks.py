"""Autograded checks. Each takes the learner's text and returns a ``CheckResult``.

A check never raises for anything a learner writes: an answer that cannot be read scores what
it earns and says, with line numbers, how to fix it. Scores follow the rubric: a criterion that
is met earns all its points, one that is partly met earns half, one that is not met earns none.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from goalstudio import PlanParseError, Scenario, parse_plan, pronouns_of
from goalstudio.rubric import (
    CRITERION_TITLES,
    VERDICT_SCORES,
    FindingGroup,
    Review,
    feedback_digest,
    load_lexicon,
    review,
)

from ._answers import (
    placeholders,
    read_exchange,
    read_labels,
    read_phrases,
    read_risk,
)
from ._case import first_name, names_of
from ._result import CheckResult, Point

VERDICT_CREDIT = VERDICT_SCORES  # grading's public name for the share a verdict earns
MAX_POINTS_PER_CHECK = 3
_COPY_LIMIT = 0.9


def _empty(check: str, title: str, points: float, what: str) -> CheckResult:
    return CheckResult(
        check,
        title,
        0,
        points,
        (Point("missing", f"There is no answer yet. {what}"),),
        verdict="not_met",
    )


def _unanswered(check: str, title: str, points: float, text: str, what: str) -> CheckResult | None:
    """The result for an empty answer or one with template parts left, else ``None``."""
    if not text.strip():
        return _empty(check, title, points, what)
    return _template_left(check, title, points, text)


def _template_left(check: str, title: str, points: float, text: str) -> CheckResult | None:
    left = placeholders(text)
    if not left:
        return None
    shown = ", ".join(dict.fromkeys(left[:3]))
    return CheckResult(
        check,
        title,
        0,
        points,
        (
            Point(
                "missing",
                f"Your answer still has parts of the template to fill in: {shown}.",
                suggestion="Replace each part in square brackets with your own words.",
            ),
        ),
        verdict="not_met",
    )


# --------------------------------------------------------------------------------------------
# Plans: reading, the rubric's criteria, and the golden thread


@dataclass(frozen=True)
class _PlanRead:
    review: Review | None
    problems: tuple[str, ...]


_REVIEWS: dict[tuple[str, str, str], _PlanRead] = {}


def _read_plan(text: str, case: Scenario) -> _PlanRead:
    key = (text, case.id, case.locale)
    if key not in _REVIEWS:
        try:
            result = _PlanRead(review(text, locale=case.locale, scenario=case), ())
        except PlanParseError as exc:
            result = _PlanRead(
                None,
                tuple(
                    f"Line {p.line}, column {p.column}: {p.message}"
                    + (f" {p.fix}" if p.fix else "")
                    for p in exc.problems
                ),
            )
        if len(_REVIEWS) > 64:
            _REVIEWS.clear()
        _REVIEWS[key] = result
    return _REVIEWS[key]


def _kind_point(group: FindingGroup) -> Point:
    """One kind of finding as one point: every place it applies, and why it matters once."""
    message = group.in_one_line()
    if group.why:
        message = f"{message} Why it matters: {group.why}"
    own = [s for s in (group.own_suggestion(p) for p in group.places) if s]
    return Point(
        "partly" if group.severity == "info" else "missing",
        message,
        suggestion=group.suggestion or " ".join(dict.fromkeys(own)),
        alternatives=tuple(dict.fromkeys(a for p in group.places for a in p.alternatives)),
        teaches=group.teaches,
    )


def plan_readable(text: str, case: Scenario, *, points: float = 1) -> CheckResult:
    """The answer is a plan the studio can read (goal, objective, owned action steps)."""
    check, title = "plan-readable", "The studio can read your plan"
    unanswered = _unanswered(check, title, points, text, "Write your plan in the answer cell.")
    if unanswered:
        return unanswered
    read = _read_plan(text, case)
    if read.review is None:
        notes = tuple(
            Point("missing", problem, suggestion="See the plan format guide in the example above.")
            for problem in read.problems
        )
        return CheckResult(check, title, 0, points, notes, verdict="not_met")
    return CheckResult(
        check,
        title,
        points,
        points,
        (Point("good", f"Your plan reads cleanly: {read.review.statements} statements."),),
        verdict="met",
    )


def criterion(text: str, case: Scenario, name: str, *, points: float = 2) -> CheckResult:
    """One of the five recording criteria, scored by the rubric's verdict on it."""
    if name not in CRITERION_TITLES:
        known = ", ".join(CRITERION_TITLES)
        raise ValueError(f"unknown criterion '{name}': choose one of {known}")
    check, title = f"criterion-{name}", CRITERION_TITLES[name]
    unanswered = _unanswered(check, title, points, text, "Write your plan in the answer cell.")
    if unanswered:
        return unanswered
    read = _read_plan(text, case)
    if read.review is None:
        return CheckResult(
            check,
            title,
            0,
            points,
            (
                Point(
                    "missing",
                    "This criterion could not be checked because the plan could not be read. "
                    "Fix the problems listed under 'The studio can read your plan' first.",
                ),
            ),
            verdict="not_met",
        )
    result = read.review.verdicts.get(name)
    if result is None:  # structure and language have findings but no verdict of their own
        found = read.review.findings_for(name)
        warnings = [f for f in found if f.severity == "warning"]
        verdict = "met" if not warnings else ("partly" if len(warnings) <= 2 else "not_met")
        evidence: tuple[str, ...] = ()
    else:
        verdict = result.verdict
        evidence = result.evidence
        found = read.review.findings_for(name)
    notes: list[Point] = [Point("good", e) for e in evidence if verdict == "met"][:3]
    digest = feedback_digest(read.review, top=0)
    notes += [_kind_point(g) for g in digest.groups if g.criterion == name]
    if verdict != "met" and not found:
        notes += [Point("partly", e) for e in evidence]
    return CheckResult(
        check,
        title,
        points * VERDICT_CREDIT[verdict],
        points,
        tuple(notes),
        verdict=verdict,
        teaches=next((f.teaches for f in found if f.teaches), ""),
    )


def rewritten(text: str, case: Scenario, *, points: float = 1) -> CheckResult:
    """The rewrite is the learner's own plan, not the deficit-led plan copied back."""
    check, title = "rewritten", "A rewrite, not a copy"
    unanswered = _unanswered(check, title, points, text, "Write your rewrite in the answer cell.")
    if unanswered:
        return unanswered
    norm = _normalise_lines(text)
    ratio = difflib.SequenceMatcher(None, _normalise_lines(case.deficit_plan), norm).ratio()
    if ratio >= _COPY_LIMIT:
        return CheckResult(
            check,
            title,
            0,
            points,
            (
                Point(
                    "missing",
                    f"Your answer is almost the same as the plan you were asked to rewrite "
                    f"({ratio:.0%} the same). Start from what {first_name(case)} wants, "
                    "and let the service's tasks become steps towards it.",
                    teaches="03-from-deficits-to-outcomes#rewriting",
                ),
            ),
            verdict="not_met",
        )
    return CheckResult(
        check,
        title,
        points,
        points,
        (Point("good", "This is a plan in your own words, not a copy of the old one."),),
        verdict="met",
    )


def _normalise_lines(text: str) -> str:
    lines = [ln.strip().lower() for ln in text.splitlines()]
    return "\n".join(ln for ln in lines if ln and not ln.startswith("#"))


# --------------------------------------------------------------------------------------------
# Assignment 1: spotting language and outputs


def spotted_language(text: str, case: Scenario, *, points: float = 3) -> CheckResult:
    """Phrases copied from the deficit-led plan that label or talk down to the person."""
    check, title = "spot-language", "Language that labels the person"
    lexicon = load_lexicon(case.locale)
    plan = case.deficit_plan
    matches = lexicon.find(plan)
    expected: dict[str, str] = {}
    for match in matches:
        expected.setdefault(match.entry.id, match.matched_text)
    answer = read_phrases(text)
    if not answer.phrases:
        return _empty(check, title, points, "Copy each phrase you spot onto its own line.")
    plan_lower = plan.lower()
    found: dict[str, str] = {}
    notes: list[Point] = []
    for _line, phrase in answer.phrases:
        hits = {m.entry.id for m in lexicon.find(phrase) if m.entry.id in expected}
        wanted = phrase.lower()
        at = plan_lower.find(wanted)
        while at >= 0 and wanted:
            end = at + len(wanted)
            hits |= {m.entry.id for m in matches if m.start < end and at < m.end}
            at = plan_lower.find(wanted, at + 1)
        if hits:
            for entry_id in hits:
                found.setdefault(entry_id, phrase)
        elif wanted not in plan_lower:
            notes.append(
                Point(
                    "partly",
                    f"'{phrase}' is not in {first_name(case)}'s plan as written.",
                    suggestion="Copy phrases exactly as they appear in the plan.",
                )
            )
        else:
            notes.append(
                Point(
                    "partly",
                    f"'{phrase}' is in the plan, but it is not one of the phrases that label "
                    f"{first_name(case)}. Look again at how the plan names the person and "
                    "their behaviour.",
                    teaches="03-from-deficits-to-outcomes#language",
                )
            )
    for entry_id in expected:
        entry = lexicon.get(entry_id)
        if entry_id in found:
            notes.insert(0, Point("good", f"You spotted '{expected[entry_id]}'. {entry.why}"))
        else:
            notes.append(
                Point(
                    "missing",
                    f"You did not list '{expected[entry_id]}'. {entry.why}",
                    alternatives=tuple(entry.alternatives[:3]),
                    teaches=entry.teaches,
                )
            )
    wrong = sum(1 for n in notes if n.tone == "partly")
    total = max(len(expected), 1)
    score = points * (len(found) - 0.5 * wrong) / total
    verdict = "met" if len(found) == len(expected) and not wrong else "partly"
    return CheckResult(check, title, score, points, tuple(notes), verdict=verdict)


def _flagged_goals(plan_text: str, case: Scenario) -> set[int]:
    """Numbers of the goals the rubric says are service outputs."""
    result = review(parse_plan(plan_text), locale=case.locale, scenario=case)
    numbers = set()
    for finding in result.findings:
        if finding.rule.startswith("outcomes.") and "output" in finding.rule:
            found = re.fullmatch(r"goal (\d+)", finding.location)
            if found:
                numbers.add(int(found.group(1)))
    return numbers


def output_items(case: Scenario) -> list[tuple[str, str]]:
    """The statements learners label in assignment 1: ``(statement, 'output'|'outcome')``.

    Outputs are the goals of the deficit-led plan that the rubric calls outputs; outcomes are
    what matters to the person, in the scenario's words, where the rubric agrees they are a
    change in a life. The model rewrite is never used: it stays hidden from learners.
    """
    plan = parse_plan(case.deficit_plan)
    flagged = _flagged_goals(case.deficit_plan, case)
    outputs = [(g.text, "output") for n, g in enumerate(plan.goals, 1) if n in flagged]
    wishes = [w.replace('"', "'") for w in case.person.what_matters]
    wish_text = "\n".join(f'Goal: "{w}"' for w in wishes)
    wish_flagged = _flagged_goals(wish_text, case) if wishes else set()
    outcomes = [(w, "outcome") for n, w in enumerate(wishes, 1) if n not in wish_flagged]
    outcomes = outcomes[: max(len(outputs), 3)]
    mixed: list[tuple[str, str]] = []
    for pair in zip(outcomes, outputs, strict=False):
        mixed.extend(pair)
    longer = outputs if len(outputs) > len(outcomes) else outcomes
    mixed.extend(longer[min(len(outputs), len(outcomes)) :])
    return mixed


def labelled_outputs(text: str, case: Scenario, *, points: float = 3) -> CheckResult:
    """Each numbered statement labelled 'output' (a service) or 'outcome' (a change in a life)."""
    check, title = "spot-outputs", "Outputs and outcomes"
    items = output_items(case)
    answer = read_labels(text)
    if not answer.labels and not answer.problems:
        return _empty(check, title, points, "Label each statement: '1: output' or '1: outcome'.")
    notes: list[Point] = [
        Point("missing", str(p), suggestion="Use one line per statement, e.g. '2: outcome'.")
        for p in answer.problems
    ]
    given = {}
    for item in answer.labels:
        if not 1 <= item.number <= len(items):
            notes.append(
                Point("missing", f"Line {item.line}: there is no statement {item.number}.")
            )
            continue
        given[item.number] = item.label
    right = 0
    for number, (statement, expected) in enumerate(items, 1):
        label = given.get(number)
        if label == expected:
            right += 1
            notes.append(Point("good", f"Statement {number} is an {expected}: right."))
        elif label is None:
            notes.append(Point("missing", f"Statement {number} has no label yet."))
        else:
            why = (
                "it names something the service provides or counts, not a change in the "
                "person's life"
                if expected == "output"
                else "it says what would be different in the person's life"
            )
            notes.append(
                Point(
                    "missing",
                    f"Statement {number} ('{statement}') is an {expected}: {why}.",
                    teaches="03-from-deficits-to-outcomes#outputs",
                )
            )
    score = points * right / max(len(items), 1)
    verdict = "met" if right == len(items) else ("partly" if right else "not_met")
    return CheckResult(check, title, score, points, tuple(notes), verdict=verdict)


# --------------------------------------------------------------------------------------------
# Assignment 3: the exchange


_PARTY_NAMES = {
    "person": "the person",
    "family": "family or carers",
    "practitioner": "the practitioner",
    "agency": "the agency",
}


def exchange_views(text: str, case: Scenario, *, points: float = 2) -> CheckResult:
    """A view from each of the four parties, each saying what matters and a concern."""
    check, title = "exchange-views", "Four perspectives"
    unanswered = _unanswered(check, title, points, text, "Write a 'View:' block for each party.")
    if unanswered:
        return unanswered
    answer = read_exchange(text)
    notes: list[Point] = [Point("missing", str(p)) for p in answer.problems]
    earned = 0.0
    for party, label in _PARTY_NAMES.items():
        view = answer.view(party)
        if view is None:
            notes.append(
                Point(
                    "missing",
                    f"There is no view from {label}.",
                    suggestion=f"Add 'View: {party.title()} (who)' with what matters to them.",
                    teaches="05-the-exchange-model#four-perspectives",
                )
            )
            continue
        parts = [k for k in ("what_matters", "concerns") if view.fields.get(k)]
        earned += 0.5 + 0.25 * len(parts)
        if len(parts) == 2:
            notes.append(Point("good", f"The view from {label} says what matters and a concern."))
        else:
            missing = "what matters to them" if "what_matters" not in parts else "their concerns"
            notes.append(Point("partly", f"The view from {label} does not yet say {missing}."))
    score = points * earned / 4
    verdict = "met" if earned == 4 else ("partly" if earned else "not_met")
    return CheckResult(check, title, score, points, tuple(notes), verdict=verdict)


def exchange_negotiation(text: str, case: Scenario, *, points: float = 2) -> CheckResult:
    """Common ground, a disagreement kept on record with how it is handled, and outcomes."""
    check, title = "exchange-negotiation", "Negotiated outcomes, disagreement recorded"
    if not text.strip():
        return _empty(check, title, points, "Write the agreements, disagreements and outcomes.")
    answer = read_exchange(text)
    notes: list[Point] = []
    earned = 0.0
    shared = [a for a in answer.agreements if len(set(a[1])) >= 2]
    if shared:
        earned += 1
        notes.append(Point("good", "You recorded common ground and who shares it."))
    else:
        notes.append(
            Point(
                "missing",
                "Record at least one point of agreement and the parties who share it.",
                suggestion="Agree: ... (person, family)",
            )
        )
    kept = [d for d in answer.disagreements if len(d.positions) >= 2]
    if kept and all(d.handled for d in kept):
        earned += 1
        notes.append(Point("good", "Disagreement is on record, each position as stated."))
    elif kept:
        notes.append(
            Point("partly", "Say how each disagreement will be handled (a 'Handled:' line).")
        )
        earned += 0.5
    else:
        notes.append(
            Point(
                "missing",
                "Disagreement is recorded, never erased: add a 'Disagree:' block with at least "
                "two parties' positions.",
                teaches="05-the-exchange-model#disagreement",
            )
        )
    if answer.outcomes:
        earned += 1
        notes.append(Point("good", f"You wrote {len(answer.outcomes)} negotiated outcome(s)."))
    else:
        notes.append(Point("missing", "Add at least one 'Outcome:' line that the parties agreed."))
    score = points * earned / 3
    verdict = "met" if earned == 3 else ("partly" if earned else "not_met")
    return CheckResult(check, title, score, points, tuple(notes), verdict=verdict)


# --------------------------------------------------------------------------------------------
# Assignment 4: the positive-risk decision

_DATE_HINT = re.compile(
    r"\d|january|february|march|april|may|june|july|august|september|october|november|"
    r"december|week|month",
    re.IGNORECASE,
)


def risk_record(text: str, case: Scenario, *, points: float = 3) -> CheckResult:
    """Every part of a positive-risk decision record, each worth an equal share."""
    check, title = "risk-record", "A complete positive-risk decision record"
    unanswered = _unanswered(check, title, points, text, "Fill in the decision record template.")
    if unanswered:
        return unanswered
    name = first_name(case)
    them = pronouns_of(case.person.pronouns).them
    answer = read_risk(text, names_of(case))
    notes: list[Point] = [Point("missing", str(p)) for p in answer.problems]
    parts: list[tuple[bool, str, str]] = [
        (
            bool(answer.goal),
            "The goal the risk serves is named.",
            "Name the goal this risk serves.",
        ),
        (
            bool(answer.person_view),
            f"{name}'s view is recorded.",
            f"Record {name}'s view, in {name}'s own words, in a 'Person's view:' line.",
        ),
        (
            len(answer.options) >= 2 and any(o.is_do_nothing for o in answer.options),
            "You weighed at least two options, doing nothing included.",
            "Weigh at least two options, one of them 'Do nothing', because standing still has "
            "risks too.",
        ),
        (
            bool(answer.options) and all(o.benefits and o.risks for o in answer.options),
            "Each option has its benefits and its risks.",
            "Give every option both 'Benefits:' and 'Risks:'.",
        ),
        (
            bool(answer.strengths),
            f"You named the strengths {name} brings.",
            f"Add 'Strengths:' - what {name} and the people around {them} bring.",
        ),
        (
            any(s.owner in ("person", "natural_support", "peer") for s in answer.safer),
            "Someone other than staff helps make the plan safer.",
            f"Add a 'Safer:' line owned by {name} or someone close to {them}, e.g. "
            "'Safer: Sister (Ana): ...'.",
        ),
        (
            "person" in answer.positions and len(answer.positions) >= 3,
            "The parties' positions are recorded, the person's included.",
            "Record at least three parties' positions, the person's included, with "
            "'Position (party):'.",
        ),
        (bool(answer.decision), "The decision is written down.", "Write the 'Decision:'."),
        (
            bool(answer.review) and bool(_DATE_HINT.search(answer.review)),
            "There is a review date.",
            "Add a 'Review:' line with a date or a time from now.",
        ),
    ]
    earned = 0
    for ok, good, missing in parts:
        if ok:
            earned += 1
            notes.append(Point("good", good))
        else:
            notes.append(Point("missing", missing, teaches="06-risk-conversations#decision-record"))
    score = points * earned / len(parts)
    verdict = "met" if earned == len(parts) else ("partly" if earned else "not_met")
    return CheckResult(check, title, score, points, tuple(notes), verdict=verdict)


def total(results: Sequence[CheckResult]) -> float:
    """The sum of several results' scores (for summaries)."""
    return round(sum(r.score for r in results), 2)
