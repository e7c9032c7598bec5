"""Bounds on input, checked before the work that could run away with time or memory.

Three kinds of small input can cost without limit: an endless stream (``/dev/zero``), a YAML
"billion laughs" file whose aliases expand exponentially, and nesting deep enough to exhaust
Python's recursion. Each is refused here with a plain message that names what to change.
"""

from __future__ import annotations

import json
from typing import IO, Any

import yaml

# Deeper than any file the studio writes or documents (a scenario is about 6 levels deep).
MAX_NESTING = 64


class InputTooLarge(ValueError):
    """More input than the limit: the message says how much is allowed."""


class NestingTooDeep(ValueError):
    """A YAML or JSON document nested past ``MAX_NESTING`` levels."""


class YamlAliasUsed(ValueError):
    """A YAML file used an anchor and alias (``&name`` / ``*name``), which data files never need."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def read_bounded(handle: IO[bytes], limit: int, name: str) -> bytes:
    """At most ``limit`` bytes from ``handle``; raises ``InputTooLarge`` if there are more.

    Reads ``limit + 1`` bytes at most, so an endless or huge stream costs no more than the limit.
    """
    data = handle.read(limit + 1)
    if len(data) > limit:
        raise InputTooLarge(
            f"{name} is larger than the {_size(limit)} limit, so it was not read. Check that "
            "this is the file you meant, or split it into smaller files."
        )
    return data


def check_yaml_tree(root: yaml.Node | None) -> None:
    """Refuse aliases and deep nesting in a composed YAML tree, in time linear in its size.

    PyYAML's composer returns the same node object for an anchor and each alias to it, so
    a node met twice is an alias. Walking with an explicit stack keeps recursion out of it.
    """
    if root is None:
        return
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            line = node.start_mark.line + 1
            raise YamlAliasUsed(
                f"line {line}: this block is repeated elsewhere with a YAML alias (*name). "
                "Data files here do not use anchors and aliases: write the text out in full "
                "where it is needed.",
                line,
            )
        seen.add(id(node))
        if depth > MAX_NESTING:
            line = node.start_mark.line + 1
            raise NestingTooDeep(
                f"line {line}: the file is nested more than {MAX_NESTING} levels deep. "
                "Check the indentation; no studio file needs this many levels."
            )
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.append((key, depth + 1))
                stack.append((value, depth + 1))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, depth + 1) for item in node.value)


def safe_yaml(text: str) -> Any:
    """``yaml.safe_load`` with aliases and deep nesting refused before any data is built."""
    loader_class: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_class(text)
    try:
        root = loader.get_single_node()
        check_yaml_tree(root)
        return None if root is None else loader.construct_document(root)
    finally:
        loader.dispose()


def safe_json(text: str | bytes) -> Any:
    """``json.loads`` that reports absurd nesting as ``NestingTooDeep``, not RecursionError."""
    try:
        return json.loads(text)
    except RecursionError:
        raise NestingTooDeep(
            "the JSON is nested too deeply to read (hundreds of levels); no studio file needs "
            "this many. Check that this is the file you meant."
        ) from None


def _size(limit: int) -> str:
    return f"{limit / 1_000_000:g} MB" if limit >= 1_000_000 else f"{limit / 1000:g} kB"
