"""``goalstudio scenarios list`` and ``goalstudio scenarios validate``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from goalstudio._scenarios import (
    ENV_VAR,
    ScenarioError,
    ScenarioProblem,
    check_paths,
    list_scenarios,
)


def register(sub: Any) -> None:
    scenarios = sub.add_parser("scenarios", help="list and check the case scenarios")
    actions = scenarios.add_subparsers(dest="scenarios_command", metavar="ACTION")

    listing = actions.add_parser(
        "list",
        help="list every scenario you can use",
        description=f"List the built-in scenarios and those in the folders named in {ENV_VAR}.",
    )
    listing.add_argument("--format", choices=("text", "json"), default="text")
    listing.set_defaults(handler=_list)

    validate = actions.add_parser(
        "validate",
        help="check scenario files and list every problem",
        description=(
            "Check scenario files or folders. With no PATH, checks every scenario the studio "
            f"knows, including the folders in {ENV_VAR}."
        ),
    )
    validate.add_argument("paths", nargs="*", metavar="PATH", help="a scenario file or folder")
    validate.set_defaults(handler=_validate)

    scenarios.set_defaults(handler=lambda _args: _usage(scenarios))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 1


def _print_problems(problems: list[ScenarioProblem]) -> None:
    count = len(problems)
    print(f"{count} problem{'s' if count != 1 else ''} to fix:", file=sys.stderr)
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)


def _list(args: argparse.Namespace) -> int:
    try:
        summaries = list_scenarios()
    except ScenarioError as exc:
        _print_problems(exc.problems)
        print("Fix these, then run 'goalstudio scenarios list' again.", file=sys.stderr)
        return 1
    if args.format == "json":
        print(json.dumps([s.to_dict() for s in summaries], indent=2, ensure_ascii=False))
        return 0
    if not summaries:
        print("No scenarios found.")
        return 0
    width = max(len(s.id) for s in summaries)
    for s in summaries:
        tags = f"  [{', '.join(s.tags)}]" if s.tags else ""
        print(f"{s.id:<{width}}  {s.locale}  {s.setting:<28}  {s.title}{tags}")
    print(f"{len(summaries)} scenario{'s' if len(summaries) != 1 else ''}.")
    return 0


def _validate(args: argparse.Namespace) -> int:
    count, problems = check_paths(args.paths)
    if problems:
        _print_problems(problems)
        return 1
    print(f"{count} scenario{'s' if count != 1 else ''} valid.")
    return 0
