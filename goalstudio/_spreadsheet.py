"""Cells a spreadsheet could run as a formula are written with a leading apostrophe.

A learner id, a file name or a learner's text that starts with '=', '+', '-' or '@' would
otherwise run as a formula when a facilitator opens the CSV (formula injection).
"""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def guard_cell(value: str) -> str:
    """The text as a spreadsheet shows it, never run: an apostrophe before a formula start."""
    return "'" + value if value.startswith(FORMULA_START) else value
