"""What the assignment notebooks call: pick the learner's case, and read answer cells as text.

An answer cell starts with one line, ``%%answer plan`` (or ``exchange``, ``risk``, ``phrases``,
``labels``), and everything under it is the learner's plain text: no quotes, no Python. Running
the cell stores the text and gives a first, friendly check of its format.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field, replace
from typing import Any

from goalstudio import Scenario

from . import _checks
from ._answers import placeholders, read_exchange, read_labels, read_risk
from ._case import (
    all_cases,
    case_named_in,
    choose,
    first_name,
    learner_id,
    names_of,
    scenario,
)
from ._result import CheckResult

KINDS = ("plan", "exchange", "risk", "phrases", "labels")


@dataclass
class Assignment:
    """The learner's case for one assignment, and their answers so far."""

    id: str
    case: Scenario
    cases: tuple[str, ...]
    answers: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return first_name(self.case)

    def answer(self, kind: str) -> str:
        return self.answers.get(kind, "")

    def case_for(self, kind: str) -> Scenario:
        """The case the answer is about: the learner's own, unless it plainly names another."""
        named = case_named_in(self.answer(kind), self.cases)
        return scenario(named) if named else self.case

    # -- the checks, bound to this learner's answers -------------------------------------

    def check(self, check: str, kind: str, *, points: float, **options: Any) -> CheckResult:
        """Run one autograded check on an answer; what nbgrader scores is the result."""
        function = getattr(_checks, check.replace("-", "_"), None)
        if function is None or check.startswith("_"):
            raise ValueError(f"there is no check called '{check}'")
        case = self.case_for(kind)
        result: CheckResult = function(self.answer(kind), case, points=points, **options)
        return replace(result, case=case.id)

    def criterion(self, name: str, *, points: float) -> CheckResult:
        case = self.case_for("plan")
        return replace(
            _checks.criterion(self.answer("plan"), case, name, points=points), case=case.id
        )

    def preview(self, kind: str) -> Note:
        """Whether the answer can be read, without scoring it (for a check's visible part)."""
        return Note(_status(self, kind, self.answer(kind), saving=False))

    # -- what learners see ---------------------------------------------------------------

    def show(self, part: str) -> Note:
        """Part of the case for the learner: 'plan', 'statements', 'views' or 'risk'."""
        case, esc = self.case, html.escape
        if part == "plan":
            title = f"The current plan for {self.name}"
            return Note(
                case.deficit_plan, f"<h4>{esc(title)}</h4><pre>{esc(case.deficit_plan)}</pre>"
            )
        if part == "statements":
            items = _checks.output_items(case)
            lines = [f"{n}. {text}" for n, (text, _label) in enumerate(items, 1)]
            rows = "".join(f"<li>{esc(text)}</li>" for text, _label in items)
            return Note("\n".join(lines), f"<ol>{rows}</ol>")
        if part == "views":
            blocks = []
            plain = []
            for view in case.perspectives:
                fields = [
                    ("What matters", view.what_matters),
                    ("Working", view.working),
                    ("Not working", view.not_working),
                    ("Concerns", view.concerns),
                    ("Would like", view.proposed_outcomes),
                ]
                rows = "".join(
                    f"<li><strong>{esc(label)}:</strong> {esc('; '.join(items))}</li>"
                    for label, items in fields
                    if items
                )
                blocks.append(f"<h4>{esc(view.party.title())}: {esc(view.who)}</h4><ul>{rows}</ul>")
                plain.append(f"{view.party}: {view.who}")
            return Note("\n".join(plain), "".join(blocks))
        if part == "risk":
            blocks = []
            for item in case.risk_items:
                factors = "; ".join(item.protective_factors)
                blocks.append(
                    f"<h4>{esc(item.risk)}</h4><p>{esc(item.context)}</p>"
                    f"<p><strong>{esc(self.name)}'s view:</strong> {esc(item.person_view)}</p>"
                    + (f"<p><strong>What helps:</strong> {esc(factors)}</p>" if factors else "")
                )
            return Note("\n".join(i.risk for i in case.risk_items), "".join(blocks))
        raise ValueError(f"'{part}' is not a part of the case: use plan, statements, views or risk")

    def _repr_html_(self) -> str:
        person = self.case.person
        esc = html.escape
        matters = "".join(f"<li>{esc(m)}</li>" for m in person.what_matters)
        return (
            f'<div class="gs-case"><h3>Your case: {esc(self.case.title)}</h3>'
            f"<p><strong>{esc(person.name)}</strong>, {person.age}, {esc(person.pronouns)}. "
            f"{esc(self.case.setting.service)}.</p>"
            f"<blockquote>{esc(person.in_their_words)}</blockquote>"
            f"<p>What matters to {esc(self.name)}:</p><ul>{matters}</ul></div>"
        )

    def __repr__(self) -> str:
        return f"Your case: {self.case.title} ({self.case.id})"


class Note:
    """Text for the learner: plain in a terminal, HTML in Jupyter (always escaped)."""

    def __init__(self, text: str, rich: str | None = None) -> None:
        self.text = text
        self.rich = (
            rich if rich is not None else f"<p>{html.escape(text)}</p>".replace("\n", "<br>")
        )

    def __repr__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        return self.rich


_CURRENT: Assignment | None = None


def start(assignment_id: str, cases: list[str] | None = None) -> Assignment:
    """Choose this learner's case and make ``%%answer`` cells work. Call once, at the top."""
    global _CURRENT
    pool = tuple(cases or all_cases())
    chosen = choose(learner_id(), assignment_id, pool)
    _CURRENT = Assignment(assignment_id, scenario(chosen), pool)
    _register_magic()
    return _CURRENT


def current() -> Assignment:
    if _CURRENT is None:
        raise RuntimeError(
            "The assignment has not started: run the first cell of the notebook (it starts "
            "with 'from goalstudio import grading'), then this one."
        )
    return _CURRENT


def record(kind: str, text: str) -> str:
    """Store an answer and say, in plain words, whether its format can be read."""
    if kind not in KINDS:
        raise ValueError(f"'{kind}' is not an answer kind: use one of {', '.join(KINDS)}")
    work = current()
    work.answers[kind] = text
    return _status(work, kind, text)


def _status(work: Assignment, kind: str, text: str, *, saving: bool = True) -> str:
    case = work.case_for(kind)
    saved = "Saved. " if saving else "So far: "
    if not text.strip():
        return "Your answer is empty so far: write it under the first line of the cell."
    left = placeholders(text)
    if left:
        return (
            f"{saved}Parts of the template still to fill in: {', '.join(left[:3])}. "
            "Replace each part in square brackets with your own words."
        )
    problems: list[str]
    if kind == "plan":
        result = _checks.plan_readable(text, case)
        problems = [p.message for p in result.points_noted if p.tone != "good"]
    elif kind == "exchange":
        problems = [str(p) for p in read_exchange(text).problems]
    elif kind == "risk":
        problems = [str(p) for p in read_risk(text, names_of(case)).problems]
    elif kind == "labels":
        problems = [str(p) for p in read_labels(text).problems]
    else:
        problems = []
    if problems:
        return f"{saved}Lines to fix before you submit:\n" + "\n".join(f"  - {p}" for p in problems)
    return f"{saved}The studio can read your answer."


def _register_magic() -> None:
    try:
        from IPython import get_ipython
    except ImportError:  # outside Jupyter: answers can still be recorded with record()
        return
    shell = get_ipython()
    if shell is None:
        return

    def answer(line: str, cell: str) -> None:
        kind = (line.strip().split() or ["plan"])[0]
        print(record(kind, cell))

    shell.register_magic_function(answer, magic_kind="cell", magic_name="answer")
