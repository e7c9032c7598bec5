"""``goalstudio records export|import``: move learning records between stores and out to an LMS.

- ``goalstudio records export --format csv|xapi [--out FILE] [--learner NAME] [--url URL]``
- ``goalstudio records import FILE|- [--url URL]``
- ``goalstudio records override --learner NAME --activity ID --criterion C --verdict V
  --reason TEXT --by NAME [--scenario ID | --attempt RECORD_ID] [--url URL]``: a facilitator's
  verdict, recorded beside the rubric's on the learner's latest attempt (or the one named)
- ``goalstudio records overrides [--learner NAME] [--url URL]``: the overrides on record

The store is ``--url``, else ``$GOALSTUDIO_RECORDS_URL``, else the workspace's own SQLite file.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from goalstudio._vocabulary import CRITERIA, VERDICTS
from goalstudio.cli import CliError, read_input

# An export of a large workshop runs to tens of megabytes; nothing sensible is bigger.
MAX_IMPORT_BYTES = 500_000_000


def register(sub: Any) -> None:
    records = sub.add_parser("records", help="export or import learning records")
    records_sub = records.add_subparsers(dest="records_command", metavar="ACTION")

    export = records_sub.add_parser(
        "export", help="write records as CSV (spreadsheets, LMS) or xAPI statements (LRS)"
    )
    export.add_argument("--format", choices=("csv", "xapi"), default="csv")
    export.add_argument("--out", metavar="FILE", help="write here instead of standard output")
    export.add_argument("--learner", metavar="NAME", help="only this learner's records")
    export.add_argument("--url", metavar="URL", help="the records store (default: your own)")
    export.add_argument(
        "--lrs",
        metavar="URL",
        help=(
            "xAPI: send the statements to this learning record store (user name and password "
            "from $GOALSTUDIO_LRS_USERNAME and $GOALSTUDIO_LRS_PASSWORD)"
        ),
    )
    export.add_argument(
        "--home-page",
        metavar="URL",
        help="xAPI: the home page that learner accounts belong to (your LMS or studio address)",
    )
    export.set_defaults(handler=_export)

    imp = records_sub.add_parser(
        "import", help="merge a learner's export into this store (importing twice adds nothing)"
    )
    imp.add_argument("file", help="a CSV or xAPI file made by 'records export', or '-'")
    imp.add_argument("--url", metavar="URL", help="the records store (default: your own)")
    imp.add_argument(
        "--learner",
        metavar="NAME",
        help="the learner whose file this is: a file holding anyone else's records is refused",
    )
    imp.set_defaults(handler=_import)

    over = records_sub.add_parser(
        "override",
        help="record that you disagree with a rubric verdict (kept beside the rubric's)",
    )
    over.add_argument("--learner", metavar="NAME", help="whose plan (its latest attempt)")
    over.add_argument("--activity", metavar="ID", help="which activity, e.g. plan-rewriter")
    over.add_argument("--scenario", metavar="ID", help="which case study, if several")
    over.add_argument("--attempt", metavar="RECORD_ID", help="one attempt, by its record id")
    over.add_argument("--criterion", required=True, choices=CRITERIA)
    over.add_argument("--verdict", required=True, choices=VERDICTS)
    over.add_argument("--reason", required=True, help="why, in your words")
    over.add_argument("--by", required=True, metavar="NAME", help="your name")
    over.add_argument("--url", metavar="URL", help="the records store (default: your own)")
    over.set_defaults(handler=_override)

    listing = records_sub.add_parser("overrides", help="list the facilitators' overrides")
    listing.add_argument("--learner", metavar="NAME", help="only this learner's")
    listing.add_argument("--url", metavar="URL", help="the records store (default: your own)")
    listing.set_defaults(handler=_overrides)

    records.set_defaults(handler=lambda _args: _usage(records))


def _override(args: argparse.Namespace) -> int:
    from goalstudio.records import RecordStoreError

    with _open(args.url) as store:
        attempt = args.attempt
        if attempt is None:
            if not args.learner or not args.activity:
                raise CliError(
                    "say whose plan: --learner NAME --activity ID (its latest attempt), "
                    "or --attempt RECORD_ID."
                )
            found = [
                a
                for a in store.get_attempts(args.learner, args.activity)
                if args.scenario in (None, a.scenario)
            ]
            if not found:
                where = f" on {args.scenario}" if args.scenario else ""
                raise CliError(
                    f"{args.learner} has no attempt at {args.activity}{where} in "
                    f"{store.where}. Check the names with 'goalstudio records export'."
                )
            attempt = found[-1].record_id
        try:
            done = store.add_override(
                attempt, args.criterion, args.verdict, args.reason, by=args.by
            )
        except RecordStoreError as exc:
            raise CliError(f"{exc}. Nothing was recorded.") from None
    print(
        f"Recorded: {done.criterion} for {done.learner} ({done.activity}) is {done.verdict}, "
        f"by {done.by}; the rubric said {done.rubric_verdict}. Both are kept."
    )
    return 0


def _overrides(args: argparse.Namespace) -> int:
    with _open(args.url) as store:
        found = store.get_overrides(learner=args.learner)
    if not found:
        print("No overrides on record.")
        return 0
    for o in found:
        print(
            f"{o.created_at[:16].replace('T', ' ')}  {o.learner}  {o.activity}"
            f"{' (' + o.scenario + ')' if o.scenario else ''}  {o.criterion}: "
            f"{o.rubric_verdict} -> {o.verdict}  by {o.by}: {o.reason}"
        )
    return 0


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 1


def _open(url: str | None) -> Any:
    from goalstudio.records import RecordStore, RecordStoreError

    try:
        return RecordStore(url)
    except RecordStoreError as exc:
        raise CliError(str(exc)) from None


def _export(args: argparse.Namespace) -> int:
    import io

    from goalstudio.records import (
        DEFAULT_HOME_PAGE,
        RecordStoreError,
        dumps_xapi,
        export_csv,
        export_xapi,
        is_web_address,
    )

    home_page = args.home_page or DEFAULT_HOME_PAGE
    if not is_web_address(home_page):
        raise CliError(f"--home-page {home_page!r} must be an http(s) address.")
    if args.lrs is not None:
        return _send(args, home_page)
    with _open(args.url) as store:
        try:
            if args.format == "csv":
                buffer = io.StringIO(newline="")
                count = export_csv(store, buffer, learner=args.learner)
                # utf-8-sig: spreadsheets then read accented names correctly
                data, encoding = buffer.getvalue(), "utf-8-sig"
            else:
                statements = export_xapi(store, learner=args.learner, home_page=home_page)
                count = len(statements)
                data, encoding = dumps_xapi(statements) + "\n", "utf-8"
        except RecordStoreError as exc:
            raise CliError(str(exc)) from None
    what = "row" if args.format == "csv" else "statement"
    if args.out is None:
        sys.stdout.write(data)
        sys.stdout.flush()
    else:
        _write_atomically(Path(args.out), data, encoding)
        print(f"Wrote {count} {what}{'s' if count != 1 else ''} to {args.out}.", file=sys.stderr)
    return 0


def _send(args: argparse.Namespace, home_page: str) -> int:
    from goalstudio.records import RecordStoreError, export_xapi
    from goalstudio.records.lrs import LrsError, check_lrs_url, credentials, send_statements

    if args.format != "xapi" or args.out is not None:
        raise CliError("--lrs sends xAPI statements: use it with --format xapi and without --out.")
    try:
        check_lrs_url(args.lrs)
        auth = credentials()
        with _open(args.url) as store:
            statements = export_xapi(store, learner=args.learner, home_page=home_page)
        summary = send_statements(statements, args.lrs, auth)
    except (LrsError, RecordStoreError) as exc:
        raise CliError(str(exc)) from None
    print(
        f"Sent {summary.sent} of {len(statements)} statement{'s' if len(statements) != 1 else ''}"
        f" to {args.lrs}; a statement the LRS already holds is stored once."
    )
    for statement_id, reason in summary.refused:
        print(f"Refused: statement {statement_id}: {reason}", file=sys.stderr)
    return 1 if summary.refused else 0


def _write_atomically(path: Path, data: str, encoding: str) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise CliError(f"{path}: the folder {folder} does not exist. Create it or pick another.")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise CliError(f"{path}: cannot be written ({exc.strerror}).") from None


def _import(args: argparse.Namespace) -> int:
    from goalstudio.records import RecordStoreError, import_records

    text = read_input(args.file, limit=MAX_IMPORT_BYTES)
    source = "standard input" if args.file == "-" else args.file
    with _open(args.url) as store:
        try:
            summary = import_records(store, text, learner=args.learner)
        except RecordStoreError as exc:
            message = str(exc).rstrip(".")
            if "Nothing was imported" not in message:
                message += ". Nothing was imported"
            raise CliError(f"{source}: {message}.") from None
        where = store.where
    people = ", ".join(f"{name} ({count})" for name, count in summary.learners)
    print(f"{source}: {summary} (in {where}). Records by learner: {people or 'none'}.")
    if summary.looks_identifying:
        print(
            f"{source}: {len(summary.looks_identifying)} imported text(s) look like they could "
            "identify a real person; ask the learner to change them to made-up details:",
            file=sys.stderr,
        )
        for line in summary.looks_identifying:
            print(f"  {line}", file=sys.stderr)
    return 0
