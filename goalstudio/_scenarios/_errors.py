"""What a problem with a scenario file is: where it is, which field, what to do about it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class ScenarioProblem:
    """One problem in a scenario file: where it is, which field, and what to do about it."""

    path: str
    line: int | None
    column: int | None
    field: str | None
    message: str
    severity: Severity = "error"

    @property
    def is_warning(self) -> bool:
        """A warning: the scenario works, but it will teach less well until it is fixed."""
        return self.severity == "warning"

    def __str__(self) -> str:
        where = [self.path]
        if self.line is not None:
            where.append(f"line {self.line}")
            if self.column is not None:
                where.append(f"column {self.column}")
        if self.field:
            where.append(f"field {self.field}")
        label = "warning: " if self.is_warning else ""
        return f"{', '.join(where)}: {label}{self.message}"


class ScenarioError(ValueError):
    """Scenario files that cannot be used. ``problems`` lists every problem found."""

    def __init__(self, problems: Sequence[ScenarioProblem]) -> None:
        self.problems = list(problems)
        super().__init__(self._text())

    def _text(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        head = f"{len(self.problems)} problems with scenarios:"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])

    def __str__(self) -> str:
        return self._text()


def format_field(loc: Sequence[str | int]) -> str:
    """``('perspectives', 2, 'what_matters')`` -> ``perspectives[2].what_matters``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
