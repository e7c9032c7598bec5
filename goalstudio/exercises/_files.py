"""One reader for the course's exercise files (concept checks and sorts).

A file is read once: its size is checked first, aliases and deep nesting are refused before any
data is built (``goalstudio._bounds``), and the composed tree is kept so that every problem the
model finds can be reported with the file, the line and the fix.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import yaml
from pydantic import ValidationError

from goalstudio._bounds import NestingTooDeep, YamlAliasUsed, check_yaml_tree

Location = tuple[str | int, ...]
# The fix for one validation problem, from pydantic's error and its location ("" if none).
Fix = Callable[[Any, Location], str]
# Where a problem is in the file, from its location and message.
Relocate = Callable[[Location, str], Location]


def read_yaml_file(
    text: str,
    path: str,
    *,
    limit: int,
    too_large: str,
    shape: str,
    error: type[ValueError],
) -> tuple[yaml.Node, dict[str, Any]]:
    """The composed tree and the mapping in one exercise file; ``error`` names the problem.

    ``too_large`` is the advice after the size limit; ``shape`` says what the file must hold
    when it is empty or not a mapping.
    """
    if len(text.encode("utf-8")) > limit:
        raise error(f"{path}: the file is larger than {limit // 1000} kB; {too_large}")
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        check_yaml_tree(root)  # before any data is built: an alias bomb expands exponentially
        raw = None if root is None else loader.construct_document(root)
    except (NestingTooDeep, YamlAliasUsed, RecursionError) as exc:
        detail = str(exc) if not isinstance(exc, RecursionError) else "it is nested too deeply"
        raise error(f"{path}: {detail}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise error(
            f"{path}{where}: this is not valid YAML ({problem}). Check the indentation, and put "
            "text containing a colon in quotes."
        ) from None
    finally:
        loader.dispose()
    if root is None or not isinstance(raw, dict):
        raise error(f"{path}, line 1: {shape}")
    return root, raw


def validation_message(
    exc: ValidationError,
    root: yaml.Node,
    path: str,
    *,
    fix: Fix | None = None,
    relocate: Relocate | None = None,
) -> str:
    """Every problem pydantic found, one line each: the file, the line, the field, the message
    and, where ``fix`` knows one, the fix. ``relocate`` points a whole-file problem at the part
    of the file it is about."""
    lines = []
    for problem in exc.errors(include_url=False):
        loc = tuple(problem["loc"])
        message = str(problem["msg"]).removeprefix("Value error, ")
        if relocate is not None:
            loc = relocate(loc, message)
        advice = fix(problem, loc) if fix is not None else ""
        lines.append(
            f"{path}, line {line_of(root, loc)}: {field_name(loc) or 'the file'}: {message}"
            + (f". Fix: {advice}." if advice else "")
        )
    return "\n".join(lines)


def line_of(root: yaml.Node, loc: Sequence[str | int]) -> int:
    """The 1-based line of the deepest node on ``loc`` that exists."""
    node, line = root, root.start_mark.line + 1
    for part in loc:
        nxt: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value == part:
                    line, nxt = key_node.start_mark.line + 1, value_node
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value)
        ):
            nxt = node.value[part]
            line = nxt.start_mark.line + 1
        if nxt is None:
            break
        node = nxt
    return line


def field_name(loc: Sequence[str | int]) -> str:
    """A location as an author reads it: ``checks[0].answers[1].why``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
