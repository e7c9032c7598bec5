"""The calibration set for new markers: practice submissions built from the scenarios' plans,
each with reference levels on the assignment's two rubric items and the reason for each level.

Three versions of an answer are built from a case: the case's deficit-led plan as it stands
(``deficit``), a half-way rewrite (``partial``: the model rewrite with the old goals still in
it, or the team's views only half taken in), and the model answer (``model``). Each reference
level is derived from the level descriptions of the rubric item (course/assignments/
build_sources.py) and from what that version is, and the reason quotes the answer. The levels
were set this way by the studio's developers, not agreed by a panel of trainers: the facilitator
guide asks each team to review them.

``python -m goalstudio.grading._practice`` writes the set to goalstudio/data/calibration_set.yaml.
The file is then data: a scenario edited later does not change a submission markers have
already practised on.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from goalstudio import Scenario, load_scenario, parse_plan, pronouns_of
from goalstudio.rubric import CRITERIA, CRITERION_TITLES, VERDICT_WORDS, review

from ._answers import read_exchange, read_risk
from ._case import first_name, names_of
from ._checks import exchange_negotiation, exchange_views, risk_record
from ._simulate import partial_plan

VERSIONS = {
    "deficit": "the case's deficit-led answer as it stands",
    "partial": "a half-way rewrite",
    "model": "the model answer",
}
# Which case and which version each practice submission is, in the order a marker sees them
# (mixed, so the order gives nothing away). Six different cases per assignment. Assignment 3's
# model answers use cases whose model rewrite records a disagreement.
SET: dict[str, tuple[tuple[str, str], ...]] = {
    "02-rewrite-the-plan": (
        ("carla-declines-act-deaf", "partial"),
        ("bree-perinatal-bathtime", "deficit"),
        ("delroy-ward-to-home-kezia", "model"),
        ("lonnie-housing-first-winter", "partial"),
        ("earl-dementia-keys", "model"),
        ("linh-csc-back-to-campus", "deficit"),
    ),
    "03-negotiated-plan": (
        ("javi-oud-taper", "model"),
        ("bree-perinatal-bathtime", "partial"),
        ("samira-camhs-to-adult-architecture", "deficit"),
        ("carla-declines-act-deaf", "partial"),
        ("balwinder-family-wedding-sewa", "deficit"),
        ("levi-cto-joinery", "model"),
    ),
    "04-risk-decision": (
        ("lonnie-housing-first-winter", "deficit"),
        ("bernie-cmht-allotment", "model"),
        ("beth-group-home-bus-to-mom", "partial"),
        ("linh-csc-back-to-campus", "deficit"),
        ("delroy-ward-to-home-kezia", "partial"),
        ("javi-oud-taper", "model"),
    ),
}
# A plan the person can read in two minutes (usable, level 3): at about 200 words a minute.
TWO_MINUTES_OF_WORDS = 400
_PERSONAL = ("person", "natural_support", "peer")
_STAFF = ("practitioner", "agency")


# -- the answers ----------------------------------------------------------------------------


def _view(case: Scenario, party: str) -> Any:
    return next(v for v in case.perspectives if v.party == party)


def _label(party: str) -> str:
    return party.title()


def _exchange(case: Scenario, version: str) -> str:
    lines: list[str] = []
    parties = ("practitioner", "agency") if version == "deficit" else _parties(case)
    for party in parties:
        view = _view(case, party)
        lines.append(f"View: {_label(party)} ({_who(view.who)})")
        lines.append(f"  Matters: {'; '.join(view.what_matters[:2])}")
        if version != "partial":
            if view.concerns:
                lines.append(f"  Concerns: {'; '.join(view.concerns[:2])}")
            if view.proposed_outcomes and version == "model":
                lines.append(f"  Proposes: {view.proposed_outcomes[0]}")
    plan = parse_plan(case.model_rewrite)
    if version == "deficit":
        lines += [f"Outcome: {g.text}" for g in parse_plan(case.deficit_plan).goals]
        return "\n".join(lines) + "\n"
    person = first_name(case)
    if version == "model":
        lines.append(f"Agree: {_unquoted(plan.goals[0].text)} (person, practitioner)")
        for disagreement in plan.disagreements:
            lines.append(f"Disagree: where {disagreement.who} differ")
            for party, position in _positions(case, disagreement.about):
                lines.append(f"  {_label(party)}: {position}")
            lines.append(
                f"  Handled: {disagreement.revisit or 'revisited at the review'}; "
                "both views stay on record"
            )
    else:  # the case's other option, with only the person's side of it
        start = case.risk_decision
        assert start is not None, case.id
        lines.append(f"Disagree: {start.other_option}")
        lines.append(f"  Person: {person} wants: {start.goal}")
    person_view = _view(case, "person")
    outcomes = (
        [_unquoted(g.text) for g in plan.goals]
        if version == "model"
        else list(person_view.proposed_outcomes)
    )
    lines += [f"Outcome: {text}" for text in outcomes]
    return "\n".join(lines) + "\n"


def _lower(text: str) -> str:
    """Text to go mid-sentence: its first letter lower case, unless it is 'I'."""
    if text[:2] in ("I ", "I'", "I’"):
        return text
    return text[:1].lower() + text[1:]


def _who(who: str) -> str:
    """'Javi (Javier Morales)' as 'Javi, Javier Morales': the answer's own brackets hold it."""
    return " ".join(who.replace(" (", ", ").replace("(", "").replace(")", "").split())


def _parties(case: Scenario) -> tuple[str, ...]:
    return tuple(p for p in ("person", "family", "practitioner", "agency") if _has(case, p))


def _has(case: Scenario, party: str) -> bool:
    return any(v.party == party for v in case.perspectives)


def _unquoted(goal: str) -> str:
    """A goal as a plain outcome: its quotation marks and the '(Name)' after them dropped."""
    text = re.sub(r"\s*\([^()]*\)\s*$", "", goal.strip())
    return text.strip().strip('"“”').strip()


def _positions(case: Scenario, about: str) -> list[tuple[str, str]]:
    """Each party's part of a recorded disagreement ('Siobhan wants ...; Bernie wants ...')."""
    out = []
    for part in (p.strip() for p in about.split(";") if p.strip()):
        first = part.split()[0].rstrip(".,").lower()
        party = next(
            (
                v.party
                for v in case.perspectives
                if first in v.who.lower().replace("(", " ").replace(")", " ").split()
            ),
            "practitioner",
        )
        out.append((party, part))
    return out


def _risk(case: Scenario, version: str) -> str:
    start = case.risk_decision
    assert start is not None, case.id
    risk = next(r for r in case.risk_items if r.risk == start.risk)
    person, family = _view(case, "person"), _view(case, "family")
    practitioner = _view(case, "practitioner")
    name = first_name(case)
    if version == "deficit":
        old = parse_plan(case.deficit_plan)
        staff = [a for g in old.goals for o in g.objectives for a in o.actions if a.owner in _STAFF]
        lines = [
            f"Goal: {old.goals[0].text}",
            f"Person's view: {name} wants: {start.goal}",
            f"Option: {start.goal}",
            "  Benefits: none identified",
            f"  Risks: {risk.risk}; {risk.context.split('. ')[0].rstrip('.')}",
            *(f"Safer: {a.owner_label}: {a.text}" for a in staff[:3]),
            f"Position (practitioner): does not support this: {start.goal}",
            "Position (agency): the current plan continues",
            "Decision: the current plan continues unchanged",
        ]
        if old.review_dates:
            lines.append(f"Review: {old.review_dates[0]}")
        return "\n".join(lines) + "\n"
    lines = [f"Goal: {start.goal}"]
    if version == "model":
        lines.append(f"Person's view: {' '.join(risk.person_view.split())}")
    else:
        her = pronouns_of(case.person.pronouns).them
        lines.append(f"Person's view: {name} says this matters to {her} and wants to try it")
    lines += [
        "Option: Do nothing (things stay as they are)",
        f"  Benefits: no new risk of {_lower(risk.risk)}",
        f"  Risks: {person.not_working[0] if person.not_working else 'nothing changes'}; "
        f"what {name} asks for does not happen ({_lower(start.goal)})",
        f"Option: {start.goal}",
        f"  Benefits: {person.what_matters[0]}",
        f"  Risks: {risk.risk}",
    ]
    if version == "model" and start.other_option:
        lines += [
            f"Option: {start.other_option}",
            f"  Benefits: {family.what_matters[0]}",
            f"  Risks: {person.concerns[0] if person.concerns else 'the person is not heard'}",
        ]
    lines.append(f"Strengths: {'; '.join(risk.protective_factors)}")
    if version == "model":
        lines += [f"Safer: {a.owner_label}: {a.text}" for a in _safety_steps(case)]
    else:
        lines += [
            "Safer: Care team: monitor and support as needed",
            f"Safer: {_label('family')} ({family.who.split(',')[0]}): keep an eye on things",
        ]
    wants = person.proposed_outcomes[0] if person.proposed_outcomes else start.goal
    staff = practitioner.proposed_outcomes
    lines += [
        f"Position (person): {wants}",
        f"Position (family): {family.concerns[0] if family.concerns else 'not asked'}",
        f"Position (practitioner): {staff[0] if staff else 'supports a trial'}",
        f"Decision: agreed with {name}: {start.goal}",
    ]
    if version == "model":
        plan = parse_plan(case.model_rewrite)
        lines.append(f"Dissent: {start.other_option or family.concerns[0]}")
        lines.append(f"Review: {plan.review_dates[0]}")
    return "\n".join(lines) + "\n"


def _safety_steps(case: Scenario) -> list[Any]:
    """The model rewrite's steps nearest the decision's goal and risk: one by the person, one by
    someone close to them, and one by staff."""
    start = case.risk_decision
    assert start is not None
    words = set(re.findall(r"[a-z]{4,}", f"{start.goal} {start.risk}".lower()))
    plan = parse_plan(case.model_rewrite)

    def closeness(goal: Any) -> int:
        text = " ".join(
            [goal.text, *(o.text for o in goal.objectives)]
            + [a.text for o in goal.objectives for a in o.actions]
        ).lower()
        return len(words & set(re.findall(r"[a-z]{4,}", text)))

    goals = sorted(plan.goals, key=closeness, reverse=True)
    steps = []
    for owners in (("person",), ("natural_support", "peer"), _STAFF):
        found = next(
            (a for g in goals for o in g.objectives for a in o.actions if a.owner in owners),
            None,
        )
        if found is not None:
            steps.append(found)
    return steps


def answers_for(assignment: str, case: Scenario, version: str) -> dict[str, str]:
    """The answer cells of one practice submission (answer kind -> text)."""
    plans = {
        "deficit": case.deficit_plan,
        "partial": partial_plan(case),
        "model": case.model_rewrite,
    }
    if assignment == "02-rewrite-the-plan":
        return {"plan": plans[version]}
    if assignment == "03-negotiated-plan":
        return {"exchange": _exchange(case, version), "plan": plans[version]}
    return {"risk": _risk(case, version)}


# -- the reference levels --------------------------------------------------------------------

Level = tuple[int, str]  # the level and why


def _short(text: str, words: int = 12) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" ..." if len(parts) > words else "")


def _meaning(case: Scenario, version: str, answers: dict[str, str]) -> Level:
    plan = parse_plan(answers["plan"])
    old = parse_plan(case.deficit_plan)
    old_goals = {g.text for g in old.goals}
    name = first_name(case)
    if version == "deficit":
        return 0, (
            f"Every goal is the team's aim, for example '{_short(old.goals[0].text)}'; nothing "
            f"in the plan comes from what {name} said. Level 0."
        )
    if version == "partial":
        theirs = [g for g in plan.goals if g.text not in old_goals]
        kept = [g for g in plan.goals if g.text in old_goals]
        return 1, (
            f"{len(theirs)} goals are {name}'s own ('{_short(theirs[0].text)}'), but "
            f"{len(kept)} of the team's old goals are still there ('{_short(kept[0].text)}'). "
            "Level 2 needs every goal to be a change in the person's life, so level 1."
        )
    return 2, (
        f"Every goal is a change in {name}'s life in {name}'s words "
        f"('{_short(plan.goals[0].text)}'), "
        "each objective serves its goal, and the team's clinical needs are steps or deferred "
        "needs with a reason: level 2. Level 3 also asks for a recorded vision of life beyond "
        "services. The goals and strengths are there, but the plan records no separate vision, "
        "so the reference is 2. This is the call most worth talking through."
    )


def _usable(case: Scenario, version: str, answers: dict[str, str]) -> Level:
    plan = parse_plan(answers["plan"])
    steps = [a for g in plan.goals for o in g.objectives for a in o.actions]
    name = first_name(case)
    if version == "deficit":
        owners = sorted({a.owner_label for a in steps})
        if not any(a.owner in _PERSONAL for a in steps):
            return 0, (
                f"Every step belongs to staff ({', '.join(owners)}); {name} has no step of "
                f"{pronouns_of(case.person.pronouns).their} own to follow. Level 0."
            )
        return 1, (
            f"{name} or someone close has a step, but most steps are staff's and the plan is "
            "in service terms. Level 1."
        )
    words = len(answers["plan"].split())
    if version == "partial":
        old = {g.text for g in parse_plan(case.deficit_plan).goals}
        staff_only = next(
            (
                a
                for g in plan.goals
                if g.text in old
                for o in g.objectives
                for a in o.actions
                if a.owner in _STAFF
            ),
            None,
        )
        example = (
            f" ('{staff_only.owner_label}: {_short(staff_only.text, 8)}')" if staff_only else ""
        )
        return 1, (
            f"{name} and the people close to {pronouns_of(case.person.pronouns).them} have dated "
            "steps under the new goals, but the "
            f"old goals are still there with staff-only steps{example} and objectives with no "
            "way to tell they are done. The person could not follow the whole plan alone, which "
            "level 2 needs, so level 1."
        )
    if words <= TWO_MINUTES_OF_WORDS:
        raise ValueError(f"{case.id}: a short model plan; decide 'usable' level 3 by hand")
    return 2, (
        f"Plain words; each objective has a date and a way to tell it is done; {name} and the "
        f"people close to {pronouns_of(case.person.pronouns).them} have steps of their own "
        "beside the staff steps: level 2. Level 3 "
        f"also needs a plan short enough to read in two minutes; this one is {words} words, "
        f"about {round(words / 200)} minutes at 200 words a minute, so 2."
    )


def _fair_views(case: Scenario, version: str, answers: dict[str, str]) -> Level:
    name = first_name(case)
    if version == "deficit":
        return 0, (
            f"Only the practitioner's and the agency's views are there; {name}'s view and the "
            "family's are missing, so the team's view stands for everyone. Level 0."
        )
    if version == "partial":
        return 1, (
            "All four parties appear, but each view only copies what matters to them from the "
            "case: no party's concern, so nothing says what each would need to agree. Level 1."
        )
    return 2, (
        "Each party's view says what matters to them and a concern the case gives them, and "
        "the agency's duty of care and limits are set out as reasonable: level 2. Level 3 would "
        "also show what each party's expertise adds that the others lack, which this answer "
        "does not spell out."
    )


def _negotiation(case: Scenario, version: str, answers: dict[str, str]) -> Level:
    name = first_name(case)
    if version == "deficit":
        return 0, (
            "The outcomes are the team's goals from the old plan, and no disagreement is "
            "recorded. Level 0."
        )
    if version == "partial":
        return 1, (
            f"The outcomes are {name}'s, but the one disagreement is written with only "
            f"{name}'s side and no way of handling it, and the plan below still carries the "
            "team's old goals. Level 1."
        )
    plan = parse_plan(answers["plan"])
    owners = {a.owner for g in plan.goals for o in g.objectives for a in o.actions}
    disagreement = plan.disagreements[0]
    if plan.review_dates and disagreement.revisit and {"person", "natural_support"} <= owners:
        return 3, (
            f"The outcomes start from {name}'s goals, and the disagreement ({disagreement.who}) "
            "is on record with each position and how it is handled: level 2. The plan below "
            f"carries the outcomes into steps owned by {name}, family and staff, and the "
            f"disagreement is {disagreement.revisit}: level 3."
        )
    return 2, (
        f"The outcomes start from {name}'s goals and the disagreement is on record with each "
        "position and how it is handled: level 2."
    )


def _balance(case: Scenario, version: str, answers: dict[str, str]) -> Level:
    name = first_name(case)
    if version == "deficit":
        return 0, (
            f"Only the risks of {name}'s choice are weighed; keeping the current plan is "
            "treated as safe, with no option of doing nothing and its own risks. Level 0."
        )
    if version == "partial":
        return 1, (
            "Doing nothing and the person's choice each have benefits and risks, but the "
            f"person's view is a staff summary ('{name} says this matters to "
            f"{pronouns_of(case.person.pronouns).them}'), not {name}'s words. Level 1."
        )
    their = pronouns_of(case.person.pronouns).their
    return 2, (
        f"Each option, doing nothing included, has benefits and risks from the case; {name}'s "
        f"view is in {their} own words; the decision follows from the weighing and respects "
        f"{their} right to choose: level 2. Level 3 would also say what {name} loses if the "
        f"risk is not taken and how {their} capacity for this decision was considered; the "
        "record does not."
    )


def _shared_safety(case: Scenario, version: str, answers: dict[str, str]) -> Level:
    answer = read_risk(answers["risk"], names_of(case))
    name = first_name(case)
    if version == "deficit":
        return 0, (
            f"Only staff make the plan safer ({', '.join(s.owner_label for s in answer.safer)}); "
            f"{name} and the people close to {pronouns_of(case.person.pronouns).them} have no "
            "part. Level 0."
        )
    if version == "partial":
        return 1, (
            "There are safety steps, but they are vague ('monitor and support as needed', "
            "'keep an eye on things') with no time, and there is no review date. Level 1."
        )
    them = pronouns_of(case.person.pronouns).them
    return 2, (
        f"Specific safety steps are shared between {name}, someone close to {them} and staff, "
        "each with an owner; dissent is recorded and there is a review date: level 2. Level 3 "
        f"would also name the early signs that prompt a change and who {name} wants "
        f"contacted first, in {pronouns_of(case.person.pronouns).their} words."
    )


RULES: dict[str, dict[str, Callable[[Scenario, str, dict[str, str]], Level]]] = {
    "02-rewrite-the-plan": {"meaning": _meaning, "usable": _usable},
    "03-negotiated-plan": {"fair-views": _fair_views, "negotiation": _negotiation},
    "04-risk-decision": {"balance": _balance, "shared-safety": _shared_safety},
}


def reference_levels(
    assignment: str, case: Scenario, version: str, answers: dict[str, str]
) -> dict[str, Level]:
    """Each rubric item's reference level for one submission, with the reason."""
    return {item: rule(case, version, answers) for item, rule in RULES[assignment].items()}


# -- the rubric engine's verdicts, shown beside the marks -----------------------------------


def automatic_verdicts(assignment: str, answers: dict[str, str], case: Scenario) -> list[str]:
    """The automatic checks' verdicts on one submission, as 'title: verdict' lines."""
    out: list[str] = []
    if "plan" in answers:
        result = review(answers["plan"], case.locale, case)
        # The criteria the assignment's own checks score (assignment 3 scores two of them).
        criteria = ("outcomes", "roles") if assignment == "03-negotiated-plan" else CRITERIA
        for criterion in criteria:
            verdict = result.verdicts[criterion].verdict
            out.append(f"{CRITERION_TITLES[criterion]}: {_WORDS.get(verdict, verdict)}")
    checks: list[Any] = []
    if "exchange" in answers:
        checks += [exchange_views(answers["exchange"], case)]
        checks += [exchange_negotiation(answers["exchange"], case)]
    if "risk" in answers:
        checks.append(risk_record(answers["risk"], case))
    for check in checks:
        out.append(f"{check.title}: {_WORDS.get(check.verdict, check.verdict)}")
    return out


_WORDS = {verdict: words.lower() for verdict, words in VERDICT_WORDS.items()}  # mid-sentence


# -- the data file ---------------------------------------------------------------------------


def build() -> dict[str, Any]:
    assignments: dict[str, Any] = {}
    for assignment, chosen in SET.items():
        submissions = []
        for number, (scenario_id, version) in enumerate(chosen, start=1):
            case = load_scenario(scenario_id)
            answers = answers_for(assignment, case, version)
            problems = _problems(assignment, answers, case)
            if problems:
                raise ValueError(f"{assignment} {scenario_id} {version}: {problems}")
            submissions.append(
                {
                    "id": f"practice-{number}",
                    "scenario": scenario_id,
                    "version": version,
                    "answers": answers,
                    "reference": {
                        item: {"level": level, "why": why}
                        for item, (level, why) in reference_levels(
                            assignment, case, version, answers
                        ).items()
                    },
                }
            )
        assignments[assignment] = submissions
    return {"version": 1, "assignments": assignments}


def _problems(assignment: str, answers: dict[str, str], case: Scenario) -> list[str]:
    found = [str(p) for p in read_exchange(answers.get("exchange", "")).problems]
    if "risk" in answers:
        found += [str(p) for p in read_risk(answers["risk"], names_of(case)).problems]
    if "plan" in answers:
        parse_plan(answers["plan"])  # raises with the line when the plan cannot be read
    return found


_HEADER = """\
# The calibration set for new markers: practice submissions built from the scenarios' plans,
# with reference levels on each assignment's two rubric items and the reason for each.
# Written by `python -m goalstudio.grading._practice` (grading/_practice.py explains how each
# level is derived). Mark them with `goalstudio workshop calibrate ID --practice`. The reference
# levels were set from the rubric's level descriptions by the studio's developers; review them
# as a team (course/facilitator/guide.md) before you rely on them.
"""


class _Literal(yaml.SafeDumper):
    """Multi-line answers as YAML block text, so the file reads like the answers themselves."""


def _text(dumper: yaml.SafeDumper, value: str) -> Any:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Literal.add_representer(str, _text)


def dump(data: dict[str, Any]) -> str:
    return _HEADER + yaml.dump(
        data, Dumper=_Literal, sort_keys=False, allow_unicode=True, width=100
    )


def data_file() -> Path:
    """Where the set is kept: goalstudio/data/calibration_set.yaml."""
    import goalstudio

    return Path(goalstudio.__file__).parent / "data" / "calibration_set.yaml"


if __name__ == "__main__":  # pragma: no cover - writes the committed data file
    data_file().write_text(dump(build()), encoding="utf-8")
    print(f"Wrote {data_file()}", file=sys.stderr)
