"""Criterion 3: a role for the person, and for their supporters where they have them.

At least one action step belongs to the person. Family, friends and peers appear where the
person has them. A plan in which only staff act is a plan done to someone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from goalstudio.rubric._context import Context
from goalstudio.rubric._types import CriterionResult, Finding, Rule, Verdict

TEACHES = "04-writing-the-plan#the-persons-role"
WHY = (
    "Action steps are taken by the person and their supporters as well as by professionals. "
    "When only staff act, the plan is something done to the person, and the help that "
    "family, friends and peers give goes unseen."
)
_STAFF = ("practitioner", "agency")


@dataclass(frozen=True)
class Supporters:
    """Who the scenario says is in the person's life."""

    family: str | None
    peer: bool


def scenario_supporters(context: Context) -> Supporters | None:
    scenario = context.scenario
    if scenario is None:
        return None
    family = next((p.who for p in scenario.perspectives if p.party == "family"), None)
    texts = [
        scenario.person.history,
        scenario.person.in_their_words,
        *scenario.person.what_matters,
        *scenario.person.strengths,
        *scenario.tags,
        *(item for p in scenario.perspectives for item in (*p.what_matters, *p.working)),
    ]
    peer = any("peer" in t.lower() for t in texts)
    return Supporters(family=family, peer=peer)


def _owners(context: Context) -> set[str]:
    return {a.model.owner for a in context.actions()}  # type: ignore[union-attr]


def _no_actions(context: Context) -> Iterator[Finding]:
    if context.actions():
        return
    yield context.finding(
        "roles.no-actions",
        "roles",
        "warning",
        "The plan has no action steps yet, so no one has a part to play.",
        suggestion=(
            f"Under each objective, write who does what: {context.name} first, then family, "
            f"friends or peers, then the {context.term('care_coordinator')} and services."
        ),
        why=WHY,
        teaches=TEACHES,
    )


def _no_person_action(context: Context) -> Iterator[Finding]:
    owners = _owners(context)
    if not owners or "person" in owners:
        return
    staff_only = owners <= set(_STAFF)
    yield context.finding(
        "roles.staff-only" if staff_only else "roles.no-person-action",
        "roles",
        "warning",
        (
            "Only staff and services act in this plan."
            if staff_only
            else f"None of the action steps belongs to {context.name}."
        ),
        suggestion=(
            f"Add at least one step that {context.name} takes, in {context.pronouns.their} "
            f"words: what will {context.pronouns.they} do first?"
        ),
        why=WHY,
        teaches=TEACHES,
    )


def _objective_staff_only(context: Context) -> Iterator[Finding]:
    if "person" not in _owners(context):
        return  # the plan-level finding already says it
    for objective in context.objectives():
        owners = {a.owner for a in objective.model.actions}  # type: ignore[union-attr]
        if owners and owners <= set(_STAFF):
            yield context.finding(
                "roles.objective-staff-only",
                "roles",
                "info",
                f"Only staff act under {objective.location}.",
                statement=objective,
                suggestion=(
                    f"Is there a part {context.name}, or someone close to "
                    f"{context.pronouns.them}, would like to take here?"
                ),
                why=WHY,
                teaches=TEACHES,
            )


def _supporters_missing(context: Context) -> Iterator[Finding]:
    supporters = scenario_supporters(context)
    if supporters is None or not context.actions():
        return
    owners = _owners(context)
    if supporters.family and "natural_support" not in owners:
        yield context.finding(
            "roles.no-natural-support",
            "roles",
            "info",
            f"{supporters.family} is part of {context.possessive} life, but no "
            f"{context.term('carer')}, friend or neighbour has a step in the plan.",
            suggestion=(
                f"Ask {context.name} whether {context.pronouns.they} would like "
                f"{supporters.family} involved, "
                "and if so, in what."
            ),
            why=WHY,
            teaches="05-the-exchange-model#carers",
        )
    if supporters.peer and "peer" not in owners:
        yield context.finding(
            "roles.no-peer",
            "roles",
            "info",
            f"Peer support is part of {context.possessive} story, but no peer has a step.",
            suggestion="Consider a step for a peer worker or a peer group the person chooses.",
            why=WHY,
            teaches="07-peers-teams-transitions#peer-role",
        )


RULES = (
    Rule("roles.no-actions", "roles", "The plan has no action steps", _no_actions),
    Rule(
        "roles.no-person-action",
        "roles",
        "No action step belongs to the person",
        _no_person_action,
    ),
    Rule(
        "roles.objective-staff-only",
        "roles",
        "Only staff act under an objective",
        _objective_staff_only,
    ),
    Rule(
        "roles.supporters-missing",
        "roles",
        "Family or peers in the person's life have no step",
        _supporters_missing,
    ),
)

_OWNER_WORDS = {
    "person": "the person",
    "natural_support": "family or friends",
    "peer": "a peer",
    "practitioner": "practitioners",
    "agency": "services",
    "other": "someone else",
}


def assess(context: Context) -> CriterionResult:
    actions = context.actions()
    counts: dict[str, int] = {}
    for action in actions:
        owner = action.model.owner  # type: ignore[union-attr]
        counts[owner] = counts.get(owner, 0) + 1
    evidence = [
        f"{n} action step{'s' if n != 1 else ''} owned by {_OWNER_WORDS[o]}"
        for o, n in counts.items()
    ]
    supporters = scenario_supporters(context)
    missing: list[str] = []
    if supporters is not None:
        if supporters.family and "natural_support" not in counts:
            missing.append(f"{supporters.family} has no step")
        if supporters.peer and "peer" not in counts:
            missing.append("no peer has a step")
    evidence.extend(missing)
    verdict: Verdict
    if "person" not in counts:
        verdict = "not_met"
        if actions:
            evidence.append(f"no action step belongs to {context.name}")
    elif "person" in counts and not missing:
        verdict = "met"
    else:
        verdict = "partly"
    if not evidence:
        evidence.append("no action steps")
    return CriterionResult("roles", verdict, tuple(evidence))
