"""``goalstudio audit run|report``: a practice audit of a team's de-identified plans.

- ``goalstudio audit run FOLDER --round NAME [--locale en-GB|en-US] [--url URL]`` reads every
  plan in the folder (studio plan text, free text in .txt/.md, Word .docx) into the round.
  Files that look identifying are refused, named with the line and the kind of identifier;
  nothing of them is stored. Running the same folder again adds nothing.
- ``goalstudio audit report ROUND [ROUND ...] --out FILE [--format html|csv] [--url URL]``
  writes one offline page (or CSV, one row per plan per round); two or more rounds compare the
  first with the last, with 95% bootstrap intervals.

The store is ``--url``, else ``$GOALSTUDIO_RECORDS_URL``, else the workspace's own SQLite file.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from goalstudio._vocabulary import LOCALES
from goalstudio.cli import CliError

_ROUND_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _.-]{0,59}")


def register(sub: Any) -> None:
    audit = sub.add_parser(
        "audit", help="audit a team's de-identified plans, before and after a course"
    )
    audit_sub = audit.add_subparsers(dest="audit_command", metavar="ACTION")

    run = audit_sub.add_parser(
        "run", help="read a folder of plans into an audit round (identifying files are refused)"
    )
    run.add_argument("folder", help="the folder of plans (.txt, .md, .plan, .docx)")
    run.add_argument("--round", required=True, metavar="NAME", help="e.g. baseline or follow-up")
    run.add_argument("--locale", choices=LOCALES, default="en-GB")
    run.add_argument("--url", metavar="URL", help="the records store (default: your own)")
    run.set_defaults(handler=_run)

    report = audit_sub.add_parser(
        "report", help="write the audit report for one round, or compare rounds"
    )
    report.add_argument("rounds", nargs="+", metavar="ROUND", help="round names, oldest first")
    report.add_argument("--out", required=True, metavar="FILE", help="where to write the report")
    report.add_argument("--format", choices=("html", "csv"), default="html")
    report.add_argument("--url", metavar="URL", help="the records store (default: your own)")
    report.set_defaults(handler=_report)

    audit.set_defaults(handler=lambda _args: _usage(audit))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 1


def _round_name(name: str) -> str:
    if not _ROUND_NAME.fullmatch(name):
        raise CliError(
            f"--round {name!r}: use up to 60 letters, digits, spaces, dots, dashes or "
            "underscores, starting with a letter or digit (for example baseline or 2027-03)."
        )
    return name


def _open(url: str | None) -> Any:
    from goalstudio.records import RecordStore, RecordStoreError

    try:
        return RecordStore(url)
    except RecordStoreError as exc:
        raise CliError(str(exc)) from None


def _run(args: argparse.Namespace) -> int:
    from goalstudio.audit import AuditReadError, run_audit
    from goalstudio.records import RecordStoreError

    name = _round_name(args.round)
    folder = Path(args.folder)
    with _open(args.url) as store:
        try:
            run = run_audit(folder, name, store, locale=args.locale)
        except AuditReadError as exc:
            raise CliError(str(exc)) from None
        except RecordStoreError as exc:
            raise CliError(f"{exc}. Plans read before this were kept.") from None
    print(
        f"Audit round {name}: read {run.read} plan{'s' if run.read != 1 else ''}; "
        f"{run.added} added, {run.already_there} already in the round."
    )
    if run.partial:
        print(f"Read only in part ({len(run.partial)}): {', '.join(run.partial)}")
    for refusal in run.refused:
        print(f"Refused: {refusal}")
    for message in run.unreadable:
        print(f"Not read: {message}")
    if not run.read and not run.refused and not run.unreadable:
        print(f"No plan files (.txt, .md, .plan, .docx) were found in {folder}.")
    return 0


def _report(args: argparse.Namespace) -> int:
    from goalstudio.audit import AuditReportError, csv_report, load_rounds, render_html
    from goalstudio.records import RecordStoreError

    with _open(args.url) as store:
        try:
            rounds = load_rounds(store, args.rounds)
        except (AuditReportError, RecordStoreError) as exc:
            raise CliError(str(exc)) from None
    if args.format == "csv":
        data, encoding = csv_report(rounds), "utf-8-sig"
    else:
        data, encoding = render_html(rounds), "utf-8"
    from goalstudio.cli._records import _write_atomically

    _write_atomically(Path(args.out), data, encoding)
    plans = sum(len(plans) for _, plans in rounds)
    print(f"Wrote the audit report ({plans} plans, {len(rounds)} rounds) to {args.out}.")
    return 0
