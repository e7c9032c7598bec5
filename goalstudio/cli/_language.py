"""``goalstudio language [--format text|jsonl] [--locale en-GB|en-US] FILE|-``.

One text per input line. For each input line, ``jsonl`` prints one JSON object:
``{"text", "findings": [{"phrase", "start", "end", "why", "alternatives", ...}]}`` where
``phrase`` is the words as written and ``start``/``end`` are character offsets within that line.
``text`` prints a short readable block per line. The command suggests and explains; it never
rewrites anyone's words.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from goalstudio._vocabulary import LOCALES
from goalstudio.cli import CliError, read_input

# One statement or paragraph per line: longer lines are refused, so the work stays bounded.
MAX_LINE_CHARS = 20_000


def register(sub: Any) -> None:
    language = sub.add_parser(
        "language",
        help="spot deficit, stigmatising and jargon language, and suggest alternatives",
        description=(
            "Reads one text per line and lists the phrases worth reconsidering, why they can "
            "harm, and what to say instead. Your text is never changed."
        ),
    )
    language.add_argument("file", help="a text file with one text per line, or '-' for stdin")
    language.add_argument(
        "--format",
        choices=("text", "jsonl"),
        default="text",
        help="text: readable notes (default); jsonl: one JSON object per input line",
    )
    language.add_argument(
        "--locale",
        choices=LOCALES,
        default="en-GB",
        help="UK or US wording (default en-GB); a few entries apply to one locale only",
    )
    language.set_defaults(handler=_language)


def split_lines(text: str) -> list[str]:
    """Input lines: split on newlines only (a final newline does not add an empty line)."""
    if not text:
        return []
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def findings_for(line: str, locale: str) -> list[dict[str, Any]]:
    """The JSON findings for one line of text."""
    from goalstudio.rubric import load_lexicon

    return [
        {
            "phrase": match.matched_text,
            "start": match.start,
            "end": match.end,
            "why": match.entry.why,
            "alternatives": list(match.entry.alternatives),
            "id": match.entry.id,
            "category": match.entry.category,
            "severity": match.severity,
            "softened": match.softened,
            "teaches": match.entry.teaches,
        }
        for match in load_lexicon(locale).find(line)
    ]


def _language(args: argparse.Namespace) -> int:
    from goalstudio.rubric import LexiconError, load_lexicon

    text = read_input(args.file)
    try:
        load_lexicon(args.locale)
    except LexiconError as exc:  # a damaged installation: say which file to fix
        raise CliError(f"the language lexicon cannot be loaded: {exc}") from None
    too_long: list[int] = []
    for number, line in enumerate(split_lines(text), start=1):
        if len(line) > MAX_LINE_CHARS:
            # One line is one text; a line this long is a pasted document, not a statement.
            too_long.append(number)
            continue
        findings = findings_for(line, args.locale)
        if args.format == "jsonl":
            print(json.dumps({"text": line, "findings": findings}, ensure_ascii=False))
        else:
            print(_describe(number, line, findings))
        sys.stdout.flush()  # findings stream as each line is read, not all at the end
    if too_long:
        shown = ", ".join(str(n) for n in too_long[:10]) + (" ..." if len(too_long) > 10 else "")
        print(
            f"goalstudio: line {shown} is over {MAX_LINE_CHARS:,} characters and was not read. "
            "Put one statement or paragraph on each line.",
            file=sys.stderr,
        )
        return 1
    return 0


def _describe(number: int, line: str, findings: list[dict[str, Any]]) -> str:
    if not findings:
        return f"line {number}: nothing to reconsider."
    count = len(findings)
    out = [f"line {number}: {count} phrase{'s' if count != 1 else ''} to reconsider"]
    for item in findings:
        level = "worth changing" if item["severity"] == "warning" else "worth a thought"
        if item.get("softened"):
            level += f": {item['softened']}"
        out.append(f'  "{item["phrase"]}" (characters {item["start"]}-{item["end"]}, {level})')
        out.append(f"    why: {item['why']}")
        out.append("    instead, try: " + "; ".join(f'"{alt}"' for alt in item["alternatives"]))
    return "\n".join(out)
