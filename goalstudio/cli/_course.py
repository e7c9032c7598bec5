"""``goalstudio course build|lint``: the learner release and the course checks."""

from __future__ import annotations

import argparse
from importlib import resources
from pathlib import Path
from typing import Any

from goalstudio.cli import CliError
from goalstudio.courseware.release import CourseToolError, build_release, lint_course


def course_source() -> Path:
    """The course source folder shipped with the package."""
    return Path(str(resources.files("goalstudio.course")))


def register(sub: Any) -> None:
    course = sub.add_parser("course", help="build the learner release or check the course")
    actions = course.add_subparsers(dest="course_command", metavar="ACTION")
    build = actions.add_parser(
        "build", help="write the learner release (facilitator cells removed) to a folder"
    )
    build.add_argument("--source", metavar="DIR", help="course source folder (default: built in)")
    build.add_argument("--out", metavar="DIR", default="build/learner-course", help="output folder")
    build.set_defaults(handler=_build)
    lint = actions.add_parser(
        "lint", help="check tags, objectives, key points, outputs, links and language"
    )
    lint.add_argument("--source", metavar="DIR", help="course source folder (default: built in)")
    lint.set_defaults(handler=_lint)
    course.set_defaults(handler=lambda _a: _usage(course))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 1


def _source(args: argparse.Namespace) -> Path:
    source = Path(args.source).expanduser() if args.source else course_source()
    if not (source / "manifest.yaml").is_file():
        raise CliError(f"{source}: no manifest.yaml here; give the course folder with --source.")
    return source


def _build(args: argparse.Namespace) -> int:
    source = _source(args)
    problems = lint_course(source)
    if problems:
        for problem in problems:
            print(f"  {problem}")
        raise CliError(
            f"the course has {len(problems)} problems (listed above); fix them, then build again."
        )
    out = Path(args.out).expanduser()
    if out.exists() and not out.is_dir():
        raise CliError(
            f"--out {args.out} is a file, but the learner release is a folder of notebooks. "
            "Give the path of a folder (it is made if it does not exist)."
        )
    try:
        written = build_release(source, out)
    except CourseToolError as exc:
        raise CliError(str(exc)) from None
    print(f"Learner release: {len(written)} notebooks written to {args.out}.")
    return 0


def _lint(args: argparse.Namespace) -> int:
    source = _source(args)
    try:
        problems = lint_course(source)
    except CourseToolError as exc:
        raise CliError(str(exc)) from None
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problems found.")
        return 1
    print("The course passes every check.")
    return 0
