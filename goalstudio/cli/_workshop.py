"""``goalstudio workshop``: run nbgrader assignments for a team, from set-up to grades.

    goalstudio workshop init DIR --course ID
    goalstudio workshop assign ID [--release] [--due "2026-12-01 17:00"]
    goalstudio workshop collect ID [--from FOLDER]
    goalstudio workshop autograde ID [--workers N] [--timeout SECONDS]
    goalstudio workshop feedback ID [--release]
    goalstudio workshop grades [--format csv|table] [--output FILE]
    goalstudio workshop plan [--minutes N] [--tag TAG] [--template NAME] [--out FILE]

Any other action is passed to nbgrader unchanged (``goalstudio workshop db student list``). The
grading code, and Jupyter with it, is imported only when one of these commands runs.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from goalstudio._vocabulary import LOCALES
from goalstudio.cli import CliError

ACTIONS = ("init", "assign", "collect", "autograde", "feedback", "grades")

_DESCRIPTION = """\
Run the studio's nbgrader assignments for a team.

  init DIR --course ID      make a course folder with the four assignments
  assign ID                 make the learner version (add --release on a hub)
  collect ID                collect submissions (add --from FOLDER when working locally)
  autograde ID              grade every submission (add --workers N to grade in parallel)
  feedback ID               write each learner's feedback page (add --release on a hub)
  grades                    the grades, one row per learner (--format csv for your LMS)
  plan                      suggest an agenda and run sheet for a team day (--minutes, --tag)
  calibrate ID              do the markers agree? (--template FILE, then --marks A.csv B.csv)
                            add --practice: a new marker marks the calibration set

Anything else is passed to nbgrader, e.g. 'goalstudio workshop db student list'.
Run 'goalstudio workshop ACTION --help' for the options of each action."""


def register(sub: Any) -> None:
    workshop = sub.add_parser(
        "workshop",
        help="run nbgrader assignments for a team: set up, grade, feed back",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    workshop.add_argument(
        "action",
        metavar="ACTION",
        help="init, assign, collect, autograde, feedback, grades, plan, calibrate, ...",
    )
    workshop.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    workshop.set_defaults(handler=_dispatch)


def _parser(action: str) -> argparse.ArgumentParser:
    from goalstudio.cli import _Parser

    parser = _Parser(prog=f"goalstudio workshop {action}")
    if action == "init":
        parser.description = "Make a course folder with nbgrader settings and the assignments."
        parser.add_argument("dir", metavar="DIR", help="the course folder to create")
        parser.add_argument("--course", required=True, metavar="ID", help="a short course id")
        parser.add_argument(
            "--timeout", type=int, default=60, metavar="SECONDS", help="longest a cell may run"
        )
        return parser
    parser.add_argument(
        "--dir", type=Path, default=None, metavar="DIR", help="the course folder (default: here)"
    )
    if action in ("assign", "collect", "autograde", "feedback"):
        parser.add_argument("assignment", metavar="ID", help="the assignment id")
    if action == "assign":
        parser.description = "Generate the learner version of an assignment, and release it."
        parser.add_argument("--release", action="store_true", help="release to the hub exchange")
        parser.add_argument("--due", metavar="WHEN", help="due date, e.g. '2026-12-01 17:00'")
    elif action == "collect":
        parser.description = "Collect submissions from the hub exchange, or from a folder."
        parser.add_argument(
            "--from",
            dest="from_folder",
            type=Path,
            metavar="FOLDER",
            help="a folder of LEARNER.ipynb files or LEARNER/ folders",
        )
    elif action == "autograde":
        parser.description = "Grade every submission; one learner's problem never stops the rest."
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            metavar="N",
            help="grade N submissions at once (try the number of processor cores)",
        )
        parser.add_argument("--timeout", type=int, metavar="SECONDS", help="longest a cell may run")
    elif action == "feedback":
        parser.description = "Write each learner's feedback page, and release it on a hub."
        parser.add_argument("--release", action="store_true", help="release to the hub exchange")
    elif action == "grades":
        parser.description = "The grades: one row per learner, a column per criterion."
        parser.add_argument("--format", choices=("table", "csv"), default="table")
        parser.add_argument("--output", type=Path, metavar="FILE", help="write to FILE")
    return parser


def _dispatch(args: argparse.Namespace) -> int:
    action: str = args.action
    rest: list[str] = list(args.rest)
    if action == "plan":  # agenda and run sheets (goalstudio.courseware.agenda)
        return _plan(_plan_parser().parse_args(rest))
    if action == "calibrate":  # marker agreement on the rubric items (goalstudio._calibrate)
        return _calibrate(rest)
    if action not in ACTIONS:
        return _forward(action, rest)
    options = _parser(action).parse_args(rest)
    # goalstudio.grading (and nbgrader with it) loads only when a workshop command runs.
    import goalstudio.grading as ws

    try:
        if action == "init":
            return _init(ws, options)
        course = ws.open_course(options.dir)
        if action == "assign":
            print(ws.assign(course, options.assignment, release=options.release, due=options.due))
            return 0
        if action == "collect":
            lines = ws.collect(course, options.assignment, from_folder=options.from_folder)
            for line in lines:
                print(f"  {line}")
            print(f"Collected {len(lines)} submission(s) of '{options.assignment}'.")
            return 0
        if action == "autograde":
            return _autograde(ws, course, options)
        if action == "feedback":
            report = ws.feedback(
                course, options.assignment, release=options.release, progress=_progress("feedback")
            )
            print(report.summary())
            return 0
        return _grades(course, options)
    except ws.WorkshopError as exc:
        raise CliError(str(exc)) from None


def _plan_parser() -> argparse.ArgumentParser:
    from goalstudio.cli import _Parser

    parser = _Parser(
        prog="goalstudio workshop plan",
        description="Suggest an agenda for a whole-team day (or print a ready programme) and "
        "write a run sheet.",
    )
    parser.add_argument("--minutes", type=int, default=420, help="length of the day (default 420)")
    parser.add_argument("--tag", default="", help="focus, e.g. risk: modules and case studies")
    parser.add_argument(
        "--locale",
        choices=LOCALES,
        help="only cases from this country (default: UK and US cases)",
    )
    parser.add_argument("--template", metavar="NAME", help="a ready programme, e.g. two-day")
    parser.add_argument("--out", metavar="FILE", help="also write the run sheet (.md or .html)")
    return parser


def _plan(args: argparse.Namespace) -> int:
    from goalstudio.courseware import agenda

    try:
        if args.template:
            programme = agenda.load_programme(args.template)
            text, title = agenda.programme_markdown(programme), programme.title
        else:
            locales = (args.locale,) if args.locale else LOCALES
            plan = agenda.plan_day(args.minutes, args.tag, locales=locales)
            text, title = agenda.plan_markdown(plan), "Workshop run sheet"
    except agenda.AgendaError as exc:
        raise CliError(str(exc)) from None
    print(text, end="")
    if args.out:
        out = Path(args.out).expanduser()
        if out.suffix.lower() not in (".md", ".html", ".htm"):
            raise CliError(f"--out {args.out}: name a .md or .html file.")
        data = agenda.markdown_to_html(text, title) if out.suffix.lower() != ".md" else text
        try:
            out.write_text(data, encoding="utf-8")
        except OSError as exc:
            raise CliError(f"--out {args.out}: cannot write ({exc.strerror}).") from None
        print(f"Run sheet written to {out}.")
    return 0


def _calibrate(rest: list[str]) -> int:
    from goalstudio import _calibrate as cal
    from goalstudio.cli import _Parser

    parser = _Parser(
        prog="goalstudio workshop calibrate",
        description=(
            "Check that markers agree on an assignment's rubric items: write a template for "
            "each marker with --template, then give every marker's filled CSV with --marks."
        ),
    )
    parser.add_argument("assignment", metavar="ID", choices=tuple(cal.MANUAL_ITEMS))
    parser.add_argument("--template", type=Path, metavar="FILE", help="write a marks template")
    parser.add_argument("--marks", type=Path, nargs="+", metavar="CSV", help="markers' CSVs")
    parser.add_argument(
        "--gradebook",
        nargs="+",
        default=[],
        metavar="MARKER=DIR",
        help="a marker's own course folder, whose gradebook holds their levels",
    )
    parser.add_argument(
        "--dir", type=Path, default=Path("."), metavar="DIR", help="the course folder"
    )
    parser.add_argument(
        "--practice",
        action="store_true",
        help="mark the calibration set's practice submissions and compare with its reference",
    )
    parser.add_argument(
        "--practice-set",
        type=Path,
        default=None,
        metavar="FILE",
        help="your team's reviewed copy of the calibration set (YAML), instead of the built-in",
    )
    parser.add_argument(
        "--copy-set",
        type=Path,
        default=None,
        metavar="FILE",
        help="write a copy of the built-in calibration set, for your team to review and edit",
    )
    options = parser.parse_args(rest)
    if options.copy_set is not None:
        if options.copy_set.exists():
            raise CliError(f"{options.copy_set} already exists; give a new file name.")
        options.copy_set.write_bytes(cal.PRACTICE_SET.read_bytes())
        print(
            f"Wrote {options.copy_set}. Change a level and its reason where your team agrees "
            "another, then use it with --practice-set."
        )
        return 0
    if options.practice or options.practice_set is not None:
        return _practice(cal, options)
    try:
        if options.template is not None:
            folder = options.dir / "submitted"
            learners = [p.parent.name for p in folder.glob(f"*/{options.assignment}")]
            options.template.write_text(
                cal.template(options.assignment, learners), encoding="utf-8"
            )
            print(
                f"Wrote {options.template}: one row per submission and rubric item "
                f"({len(learners)} submissions). Each marker fills 'marker' and 'level' (0-3)."
            )
            if not options.marks:
                return 0
        if not options.marks and not options.gradebook:
            raise CliError(
                "give each marker's CSV with --marks (write one with --template), or each "
                "marker's course folder with --gradebook MARKER=DIR."
            )
        marks = [
            m for path in options.marks or [] for m in cal.read_marks(path, options.assignment)
        ]
        automatic: list[dict[str, object]] | None = None
        for given in options.gradebook:
            marker, equals, folder = given.partition("=")
            if not equals or not marker.strip() or not folder.strip():
                raise CliError(
                    f"--gradebook {given!r}: write it as MARKER=DIR, e.g. Ana=ana-course"
                )
            rows = _gradebook_rows(Path(folder))
            marks += cal.marks_from_gradebook(rows, options.assignment, marker.strip())
            automatic = rows if automatic is None else automatic
        result = cal.calibrate(marks, options.assignment)
    except cal.CalibrationError as exc:
        raise CliError(str(exc)) from None
    if len(result.markers) < 2:
        raise CliError(
            f"the marks name {len(result.markers)} marker(s); calibration needs two or more "
            "markers marking the same submissions."
        )
    print(cal.report(result))
    # The automatic checks: from the course folder's gradebook, else from the first marker's
    # (every marker's copy holds the same autograde run).
    if (options.dir / "gradebook.db").exists():
        automatic = _gradebook_rows(options.dir)
    if automatic is not None:
        shares = cal.automatic_shares(automatic, options.assignment)
        print()
        print(cal.automatic_report(cal.compare_automatic(marks, shares)))
    return 0


def _practice(cal: Any, options: argparse.Namespace) -> int:
    """A new marker marks the calibration set; their levels are set beside the reference."""
    if options.gradebook:
        raise CliError(
            "--practice reads each marker's levels from the practice marks sheet: give it with "
            "--marks (write one with --template), not --gradebook."
        )
    try:
        submissions = cal.practice_set(options.assignment, options.practice_set or cal.PRACTICE_SET)
        if options.template is not None:
            sheet = options.template.with_name(options.template.stem + "-submissions.md")
            options.template.write_text(
                cal.template(options.assignment, [s.id for s in submissions]), encoding="utf-8"
            )
            sheet.write_text(cal.practice_sheet(options.assignment, submissions), encoding="utf-8")
            print(
                f"Wrote {options.template} (the marks sheet) and {sheet} (the "
                f"{len(submissions)} practice submissions and the rubric's levels). Read the "
                "submissions, fill 'marker' and 'level' (0-3) in the sheet, then run this command "
                "again with --practice --marks and the sheet."
            )
            if not options.marks:
                return 0
        if not options.marks:
            raise CliError(
                "give the filled practice marks sheet with --marks (write one with --practice "
                "--template FILE)."
            )
        marks = [
            mark
            for path in options.marks
            for mark in cal.check_practice_marks(
                cal.read_marks(path, options.assignment), submissions, path
            )
        ]
    except cal.CalibrationError as exc:
        raise CliError(str(exc)) from None
    if not marks:
        raise CliError("the marks sheet has no levels yet: fill 'level' (0-3) on each row.")
    results = cal.compare_practice(marks, submissions)
    automatic = _automatic_verdicts(options.assignment, submissions)
    print(cal.practice_report(options.assignment, results, automatic))
    return 0


def _automatic_verdicts(assignment: str, submissions: Any) -> dict[str, list[str]]:
    """The rubric's automatic checks on each practice submission (grading loaded only now)."""
    import goalstudio.grading as grading
    from goalstudio import ScenarioError, load_scenario

    out: dict[str, list[str]] = {}
    for submission in submissions:
        try:
            case = load_scenario(submission.scenario)
        except ScenarioError:
            continue  # a team's own set may name a case this studio does not have
        out[submission.id] = grading.automatic_verdicts(assignment, submission.answers, case)
    return out


def _gradebook_rows(folder: Path) -> list[dict[str, object]]:
    """The gradebook of a course folder as records (loads nbgrader only now)."""
    import goalstudio.grading as ws

    try:
        frame = ws.gradebook_frame(folder)
    except ws.WorkshopError as exc:
        raise CliError(str(exc)) from None
    return list(frame.to_dict("records"))


def _positive_timeout(seconds: int | None) -> None:
    if seconds is not None and seconds <= 0:
        raise CliError(
            f"--timeout {seconds}: give the longest a check may run, in whole seconds "
            "(1 or more; 60 suits most workshops)."
        )


def _init(ws: Any, options: argparse.Namespace) -> int:
    _positive_timeout(options.timeout)
    folder = Path(options.dir)
    if folder.exists() and not folder.is_dir():
        raise CliError(
            f"{options.dir} is a file; the course folder must be a folder. Give a new folder's "
            "name (it is made for you), or an existing course folder."
        )
    copied = ws.init_course(folder, options.course, timeout=options.timeout)
    print(f"Made the course folder {folder.resolve()} for '{options.course}'.")
    for assignment in copied:
        print(f"  source/{assignment}")
    print(
        f"Next: cd {folder} and run 'goalstudio workshop assign {copied[0]}'."
        if copied
        else "No assignments were found to copy."
    )
    return 0


def _autograde(ws: Any, course: Any, options: argparse.Namespace) -> int:
    if options.workers < 1:
        raise CliError("--workers must be 1 or more.")
    _positive_timeout(options.timeout)
    ws.adopt_orphans()  # so that every kernel ends with this command, even on Ctrl+C
    try:
        report = ws.autograde(
            course,
            options.assignment,
            workers=options.workers,
            timeout=options.timeout,
            progress=_progress("graded"),
        )
    except KeyboardInterrupt:
        print(
            "\nAutograde stopped: its kernels were stopped too. Submissions graded before the "
            "stop keep their scores; run the same command again to grade the rest.",
            file=sys.stderr,
        )
        return 130
    print(report.summary())
    return 0 if report.results else _none_submitted(options.assignment)


def _none_submitted(assignment: str) -> int:
    print(
        f"No submissions of '{assignment}' were found in submitted/. Collect them first with "
        f"'goalstudio workshop collect {assignment}'.",
        file=sys.stderr,
    )
    return 1


def _grades(course: Any, options: argparse.Namespace) -> int:
    # Checked first, so a mistyped folder is named before any work is done.
    if options.output and not options.output.parent.is_dir():
        raise CliError(
            f"--output {options.output}: the folder {options.output.parent} does not exist. "
            "Make it first, or choose a file in an existing folder."
        )
    import goalstudio.grading as gradebook

    table = gradebook.grades_table(course.root)
    if options.format == "csv":
        from goalstudio._spreadsheet import guard_cell

        for column in table.columns:  # learner ids and file names are learners' text
            if table[column].dtype == object:
                table[column] = table[column].map(
                    lambda v: guard_cell(v) if isinstance(v, str) else v
                )
        text: str = table.to_csv(index=False, float_format="%g")
    else:
        text = table.to_string(index=False) if len(table) else "No grades yet."
    if options.output:
        options.output.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        print(f"Wrote the grades of {len(table)} learner(s) to {options.output}.")
    else:
        print(text, end="" if text.endswith("\n") else "\n")
    return 0


def _progress(verb: str) -> Any:
    stream = sys.stderr
    live = stream.isatty()

    def show(done: int, total: int, label: str) -> None:
        if total == 0:
            return
        width = 24
        filled = int(width * done / total)
        bar = "#" * filled + "-" * (width - filled)
        line = f"[{bar}] {done}/{total} {verb}"
        if live:
            stream.write("\r" + line[:78].ljust(78))
            if done == total:
                stream.write("\n")
        elif done == total or done % 10 == 0:
            stream.write(line + "\n")
        stream.flush()

    return show


def _forward(action: str, rest: list[str]) -> int:
    """Pass an action the studio does not define to nbgrader, unchanged."""
    if action.startswith("-"):
        raise CliError(
            f"'{action}' is not an action. Choose one of: {', '.join(ACTIONS)}, plan, or an "
            "nbgrader command such as 'db student list'."
        )
    command = [sys.executable, "-m", "nbgrader", action, *rest]
    try:
        return subprocess.call(command, env=os.environ.copy())
    except OSError as exc:
        raise CliError(f"nbgrader could not be started ({exc.strerror}).") from None
