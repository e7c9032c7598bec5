"""Criterion 3: a role for the person, and for their supporters where they have them.

At least one action step belongs to the person. Family, friends and peers appear where the
person has them. A plan in which only staff act is a plan done to someone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from goalstudio._vocabulary import Verdict
from goalstudio.rubric._aim import chosen, custodial
from goalstudio.rubric._context import Context, Rule, Statement
from goalstudio.rubric._types import CriterionResult, Finding

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


def _owner(step: Statement) -> str:
    return step.model.owner  # type: ignore[union-attr]


def custodial_span(step: Statement) -> tuple[int, int] | None:
    """Where a supporter's or a professional's step watches over, holds back or reports on
    the person ("locks away the car keys", "reads her messages", "tells the team when she
    misses college"), unless the step says the person chose it ("as Bernie asked")."""
    if _owner(step) == "person":
        return None
    analysis = step.analysis
    span = custodial(analysis.text, analysis.tokens)
    if span is None or chosen(analysis.tokens, analysis.evidence):
        return None
    return span


def is_compliance(step: Statement) -> bool:
    """A step of the person's that only follows treatment or uses a service ("takes her
    medication every morning", "attends clinic"), for no end the step names."""
    aim = step.analysis.aim
    return (
        aim.kind == "service"
        and "life" not in (aim.link, aim.also)
        and not chosen(step.analysis.tokens, step.analysis.evidence)
    )


def _counted(context: Context) -> list[Statement]:
    """The steps that count as roles: every step except custodial ones."""
    return [a for a in context.actions() if custodial_span(a) is None]


def _owners(context: Context) -> set[str]:
    return {_owner(a) for a in _counted(context)}


def _own_actions(context: Context) -> list[Statement]:
    return [a for a in context.actions() if _owner(a) == "person" and not is_compliance(a)]


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


def _custodial_steps(context: Context) -> Iterator[Finding]:
    for step in context.actions():
        span = custodial_span(step)
        if span is None:
            continue
        who = step.model.owner_label  # type: ignore[union-attr]
        p = context.pronouns
        yield context.finding(
            "roles.custodial-step",
            "roles",
            "warning",
            f"The step '{step.text[span[0] : span[1]]}' ({who}) watches over or holds back "
            f"{context.name} rather than supporting something {p.they} "
            f"{p.verb('are', 'is')} doing. It may well come from care and worry, but a step "
            f"like this is not a role in {context.possessive} plan, so it is not counted as "
            "one.",
            statement=step,
            start=span[0],
            end=span[1],
            suggestion=(
                f'Did {context.name} choose this? If so, say so in the step ("as '
                f'{context.name} asked"). If not, talk it through with {p.them} and '
                f"{who}, and record it as a risk decision with everyone's views, not as "
                "support."
            ),
            why=(
                "A step that watches, holds back or reports on someone is done to them. It "
                "can be part of a safety plan the person agreed, and then the plan should "
                "say so; otherwise it belongs with the risk decision and its reasons, where "
                "it can be discussed and reviewed."
            ),
            teaches="06-risk-conversations#positive-risk",
        )


def _only_compliance(context: Context) -> Iterator[Finding]:
    mine = [a for a in context.actions() if _owner(a) == "person"]
    if not mine or _own_actions(context):
        return
    quoted = "', '".join(a.text for a in mine[:2])
    p = context.pronouns
    yield context.finding(
        "roles.person-only-compliance",
        "roles",
        "warning",
        f"Every step {context.name} has is following treatment or using a service "
        f"('{quoted}'). That is something asked of {p.them}, not a part "
        f"{p.they} {p.verb('play', 'plays')} in {p.their} own plan.",
        statement=mine[0],
        suggestion=(
            f"Add a step {context.name} takes towards the goal: something {p.they} "
            f"{p.verb('choose', 'chooses')}, {p.verb('plan', 'plans')}, "
            f"{p.verb('contact', 'contacts')} or {p.verb('practise', 'practises')}. Or say "
            f'what the treatment is for in {p.their} life ("... so that ...").'
        ),
        why=WHY,
        teaches=TEACHES,
    )


def _no_person_action(context: Context) -> Iterator[Finding]:
    if not context.actions():
        return
    if any(_owner(a) == "person" for a in context.actions()):
        return
    owners = _owners(context)
    staff_only = bool(owners) and owners <= set(_STAFF)
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
    if not any(_owner(a) == "person" for a in context.actions()):
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
        "roles.custodial-step",
        "roles",
        "A step watches over or holds back the person",
        _custodial_steps,
    ),
    Rule(
        "roles.person-only-compliance",
        "roles",
        "The person's only steps are following treatment",
        _only_compliance,
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
    counted = _counted(context)
    counts: dict[str, int] = {}
    for action in counted:
        owner = _owner(action)
        counts[owner] = counts.get(owner, 0) + 1
    evidence = [
        f"{n} action step{'s' if n != 1 else ''} owned by {_OWNER_WORDS[o]}"
        for o, n in counts.items()
    ]
    held = len(actions) - len(counted)
    if held:
        evidence.append(
            f"{held} step{'s' if held != 1 else ''} watching over or holding back "
            f"{context.name}, not counted as a role"
        )
    supporters = scenario_supporters(context)
    missing: list[str] = []
    if supporters is not None:
        if supporters.family and "natural_support" not in counts:
            missing.append(f"{supporters.family} has no step")
        if supporters.peer and "peer" not in counts:
            missing.append("no peer has a step")
    for owner in ("natural_support", "peer"):
        named = [a for a in actions if _owner(a) == owner]
        if named and owner not in counts:
            label = named[0].model.owner_label  # type: ignore[union-attr]
            missing.append(f"{label}'s only steps watch over or hold back {context.name}")
    evidence.extend(missing)
    own = _own_actions(context)
    verdict: Verdict
    if "person" not in counts:
        verdict = "not_met"
        if actions:
            evidence.append(f"no action step belongs to {context.name}")
    elif not own:
        verdict = "partly"
        evidence.append(f"{context.possessive} only steps are following treatment")
    elif not missing:
        verdict = "met"
    else:
        verdict = "partly"
    if not evidence:
        evidence.append("no action steps")
    return CriterionResult("roles", verdict, tuple(evidence))
