"""``goalstudio review`` and ``goalstudio classify``: the rubric from the command line.

``review [--format text|json] [--locale en-GB|en-US] [--scenario ID|FILE] FILE|-`` reviews
plan text: the verdict for each criterion, the findings with their spans, and the chart review.
With a scenario, the review also expects the family, friends and peers it names to have a part.

``classify [--format text|jsonl] FILE|-`` labels one statement per input line. Every input
line gives exactly one output line, so outputs line up with inputs. A blank line is not a
statement: it gives ``{"text": "", "label": null, "reasons": ["blank line: nothing to
classify"]}`` in JSONL and an empty line in text.

Exit code 0 when the input was processed, whatever the verdicts; 1 on unreadable input.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from goalstudio._plantext import PlanParseError, parse_plan
from goalstudio._vocabulary import LOCALES, VERDICT_WORDS
from goalstudio.cli import CliError, read_input
from goalstudio.courseware.manifest import where_taught

if TYPE_CHECKING:
    from goalstudio._scenarios.model import Scenario

_ANSWER_WORDS = {"yes": "yes", "no": "no", "unclear": "unclear"}
BLANK_REASON = "blank line: nothing to classify"


def register(sub: Any) -> None:
    review = sub.add_parser(
        "review",
        help="review plan text against the five recording criteria",
        description="Review plan text: verdicts, findings with spans, and chart review.",
    )
    review.add_argument("file", help="a plan text file, or '-' for standard input")
    review.add_argument("--format", choices=("text", "json"), default="text")
    review.add_argument("--locale", choices=LOCALES, default="en-GB")
    review.add_argument(
        "--scenario",
        metavar="ID|FILE",
        help=(
            "the scenario the plan was written for (an id or a .yaml file); the review then "
            "expects the family, friends and peers the scenario has to have a part"
        ),
    )
    review.set_defaults(handler=_review)

    classify = sub.add_parser(
        "classify",
        help="label statements as deficit-led, mixed or person-centred",
        description=(
            "Classify one goal, objective or action step per line. Each input line gives one "
            "output line; a blank line gives a line with no label."
        ),
    )
    classify.add_argument("file", help="a text file with one statement per line, or '-'")
    classify.add_argument("--format", choices=("text", "jsonl"), default="text")
    classify.set_defaults(handler=_classify)


def _source(path: str) -> str:
    return "standard input" if path == "-" else path


def _review(args: argparse.Namespace) -> int:
    from goalstudio.rubric import chart_review, review

    text = read_input(args.file)
    source = _source(args.file)
    try:
        plan = parse_plan(text, source=source)
    except PlanParseError as exc:
        count = len(exc.problems)
        lines = [f"{source}: {count} problem{'s' if count != 1 else ''} to fix before review:"]
        lines.extend(f"  {problem}" for problem in exc.problems)
        raise CliError("\n".join(lines)) from None
    scenario = _scenario(args.scenario) if args.scenario else None
    result = review(plan, locale=args.locale, scenario=scenario)
    chart = chart_review(plan, locale=args.locale)
    if args.format == "json":
        data = result.to_dict()
        data["source"] = source
        data["chart_review"] = chart.to_dict()
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    print(_review_text(source, result, chart))
    return 0


def _scenario(name: str) -> Scenario:
    from goalstudio._scenarios import ScenarioError, load, load_file

    try:
        if name.endswith((".yaml", ".yml")) or "/" in name or "\\" in name:
            return load_file(name)
        return load(name)
    except ScenarioError as exc:
        raise CliError(f"--scenario {name}: {exc}") from None


def _review_text(source: str, result: Any, chart: Any) -> str:
    lines = [f"Review of {source} ({result.statements} statements, {result.locale})", ""]
    lines.append("Criteria")
    for item in result.verdicts.values():
        lines.append(f"  {item.title}: {VERDICT_WORDS[item.verdict].lower()}")
        for evidence in item.evidence[:4]:
            lines.append(f"      - {evidence}")
    for title, findings in (
        ("Findings", result.criterion_findings),
        ("Structure", result.structure_findings),
        ("Language", result.language_findings),
    ):
        lines.append("")
        lines.append(f"{title} ({len(findings)})")
        if not findings:
            lines.append("  nothing to raise")
        for finding in findings:
            where = finding.location
            if finding.span is not None:
                where += f" [{finding.span[0]}:{finding.span[1]}]"
            lines.append(f"  {finding.severity.upper():7} {where}: {finding.message}")
            if finding.suggestion:
                lines.append(f"          Try: {finding.suggestion}")
            if finding.teaches:
                lines.append(f"          Learn more: {where_taught(finding.teaches)}")
    lines.append("")
    lines.append("Statements, as classify labels them")
    for item in result.labels:
        lines.append(f"  {item.label:14} {item.location}: {item.text}")
    lines.append("")
    lines.append("Chart review (COCAPP care plan review template)")
    for item in chart.items:
        lines.append(
            f"  {item.question}: {_ANSWER_WORDS[item.answer]} "
            f"(confidence {item.confidence:.1f}) - {item.note}"
        )
    lines.append(f"  {chart.note}")
    lines.append("")
    lines.append(result.note)
    return "\n".join(lines)


def _classify(args: argparse.Namespace) -> int:
    from goalstudio.rubric import classify

    text = read_input(args.file)
    lines = text.splitlines()
    out = sys.stdout
    for line in lines:
        statement = line.strip()
        if args.format == "jsonl":
            record: dict[str, Any]
            if not statement:
                record = {"text": line, "label": None, "reasons": [BLANK_REASON]}
            else:
                result = classify(statement)
                record = {"text": line, "label": result.label, "reasons": list(result.reasons)}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        elif not statement:
            out.write("\n")
        else:
            result = classify(statement)
            out.write(f"{result.label}\t{statement}\t{'; '.join(result.reasons)}\n")
    return 0
