"""``goalstudio plan check FILE|-``: parse plan text, then show its structure or its problems."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from goalstudio._model import Plan
from goalstudio._plantext import PlanParseError, parse_plan
from goalstudio.cli import read_input

_OWNER_WORDS = {
    "person": "the person",
    "natural_support": "family or friend",
    "peer": "peer",
    "practitioner": "practitioner",
    "agency": "service",
    "other": "someone else",
}


def register(sub: Any) -> None:
    plan = sub.add_parser("plan", help="work with plain-text plans")
    plan_sub = plan.add_subparsers(dest="plan_command", metavar="ACTION")
    check = plan_sub.add_parser("check", help="check that plan text reads correctly")
    check.add_argument("file", help="a plan text file, or '-' for standard input")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.set_defaults(handler=_check)
    plan.set_defaults(handler=lambda _args: _usage(plan))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 1


def _check(args: argparse.Namespace) -> int:
    text = read_input(args.file)
    source = "standard input" if args.file == "-" else args.file
    try:
        plan = parse_plan(text, source=source)
    except PlanParseError as exc:
        count = len(exc.problems)
        print(f"{source}: {count} problem{'s' if count != 1 else ''} to fix:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    if args.format == "json":
        print(json.dumps(plan.model_dump(), indent=2, ensure_ascii=False))
    else:
        print(describe_plan(plan))
    return 0


def describe_plan(plan: Plan) -> str:
    """A short outline of the plan, for people checking what the parser understood."""
    lines = [f"Plan for {plan.person}" if plan.person else "Plan"]
    for number, goal in enumerate(plan.goals, start=1):
        said = f" (in {goal.expressed_by}'s words)" if goal.expressed_by else ""
        quote = f'"{goal.text}"' if goal.quoted else goal.text
        lines.append(f"Goal {number}: {quote}{said}")
        if goal.strengths:
            lines.append(f"  strengths: {', '.join(goal.strengths)}")
        if goal.barriers:
            lines.append(f"  barriers: {', '.join(goal.barriers)}")
        for objective in goal.objectives:
            lines.append(f"  Objective: {objective.text}")
            for action in objective.actions:
                when = f" [{action.timeframe}]" if action.timeframe else ""
                who = _OWNER_WORDS[action.owner]
                lines.append(f"    - {action.owner_label} ({who}): {action.text}{when}")
    for need in plan.deferred:
        lines.append(f"Deferred: {need.need}" + (f" ({need.reason})" if need.reason else ""))
    for item in plan.disagreements:
        revisit = f" (revisit: {item.revisit})" if item.revisit else " (no way to revisit it yet)"
        lines.append(f"Disagreement between {item.who}: {item.about}{revisit}")
    if plan.crisis_plan:
        lines.append(f"Crisis plan: {plan.crisis_plan}")
    for review in plan.review_dates:
        lines.append(f"Review: {review}")
    counts = (
        f"{len(plan.goals)} goal(s), "
        f"{sum(len(g.objectives) for g in plan.goals)} objective(s), "
        f"{len(plan.actions())} action step(s)"
    )
    lines.append(f"OK: {counts}.")
    return "\n".join(lines)
