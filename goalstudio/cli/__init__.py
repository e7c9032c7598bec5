"""The ``goalstudio`` command. ``main(argv) -> int`` so tests can call it in-process.

Each family of commands lives in its own private module here (``_start.py``, ``_plan.py``, ...)
with a ``register(subparsers)`` function; this module only wires them together, holds the shared
parser, and turns errors into plain messages.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from goalstudio._bounds import InputTooLarge, read_bounded
from goalstudio._environment import DEBUG_ENV
from goalstudio._version import __version__


class CliError(Exception):
    """An error to show the user as a plain message (no traceback), with exit code 1."""


Handler = Callable[[argparse.Namespace], int]
Registrar = Callable[[Any], None]


def _registrars() -> list[Registrar]:
    # Imported here so `goalstudio --version` stays quick. One line per command family, in the
    # order `goalstudio --help` lists them.
    from goalstudio.cli import (
        _audit,
        _course,
        _dashboard,
        _hub,
        _language,
        _plan,
        _records,
        _review,
        _scenarios,
        _start,
        _workshop,
    )

    return [
        _start.register,
        _plan.register,
        _scenarios.register,
        _language.register,
        _workshop.register,
        _review.register,
        _records.register,
        _audit.register,
        _dashboard.register,
        _course.register,
        _hub.register,
    ]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse's own errors: usage plus the message
        self.print_usage(sys.stderr)
        raise CliError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="goalstudio",
        description="Goal Discovery Studio: practise person-centred recovery planning.",
    )
    parser.add_argument("--version", action="version", version=f"goalstudio {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for register in _registrars():
        register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code instead of exiting."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        parser = build_parser()
        args = parser.parse_args(args_list)
        handler: Handler | None = getattr(args, "handler", None)
        if handler is None:
            parser.print_help(sys.stderr)
            return 1
        return handler(args)
    except CliError as exc:
        print(f"goalstudio: {exc}", file=sys.stderr)
        return 1
    except SystemExit as exc:  # --help and --version exit 0 through argparse
        return exc.code if isinstance(exc.code, int) else 0
    except KeyboardInterrupt:
        print("goalstudio: stopped.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (say, `| head`) has gone: stop quietly, and keep Python from complaining
        # about the unflushed pipe on exit.
        _silence_stdout()
        return 141
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            print(
                "goalstudio: the disk is full, so the output could not be written. Free some "
                "space and run the command again; nothing you saved before has been changed.",
                file=sys.stderr,
            )
            return 1
        if os.environ.get(DEBUG_ENV) == "1":
            raise
        where = f" ({exc.filename})" if exc.filename else ""
        print(
            f"goalstudio: a file or device could not be used{where}: {exc.strerror or exc}. "
            "Check the path and its permissions, then try again.",
            file=sys.stderr,
        )
        return 1
    except Exception as exc:
        # Anything unexpected still reaches the user as one plain sentence.
        if os.environ.get(DEBUG_ENV) == "1":
            raise
        print(
            f"goalstudio: something went wrong that we did not expect ({type(exc).__name__}: "
            f"{exc}). Nothing you saved has been changed. Run again with {DEBUG_ENV}=1 "
            "to see the details, and report them to the studio's maintainers.",
            file=sys.stderr,
        )
        return 1


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


# Plans are at most 1 MB (MAX_PLAN_BYTES); a file of statements or records may be larger.
MAX_INPUT_BYTES = 1_000_000


def read_input(path: str, limit: int = MAX_INPUT_BYTES) -> str:
    """Text from a file, or from stdin when the path is '-'. Errors name the file and the fix.

    At most ``limit`` bytes are read (one more to tell that there is more), so an endless
    stream such as ``/dev/zero`` is refused quickly instead of filling the memory.
    """
    if path == "-":
        stdin = getattr(sys.stdin, "buffer", None)
        if stdin is None or sys.stdin.closed:
            raise CliError(
                "standard input is closed, so there is nothing to read. Give a file's path "
                "instead of '-', or pipe the text in."
            )
        name = "standard input"
        try:
            data = read_bounded(stdin, limit, name)
        except InputTooLarge as exc:
            raise CliError(str(exc)) from None
    else:
        try:
            with open(path, "rb") as handle:
                data = read_bounded(handle, limit, path)
        except InputTooLarge as exc:
            raise CliError(str(exc)) from None
        except FileNotFoundError:
            raise CliError(f"{path}: no such file. Check the path and try again.") from None
        except IsADirectoryError:
            raise CliError(f"{path}: this is a folder; give the path of a text file.") from None
        except OSError as exc:
            raise CliError(f"{path}: cannot be read ({exc.strerror}).") from None
        name = path
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CliError(
            f"{name}: byte {exc.start} is not UTF-8 text. Save the file as UTF-8 and try again."
        ) from None
