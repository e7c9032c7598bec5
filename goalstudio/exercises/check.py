"""Concept checks: short questions whose every wrong answer explains its own misconception.

The questions are data, one YAML file per module in ``course/checks/<module id>.yaml``, read
and validated here; the ``ConceptCheck`` widget is a thin view over ``CheckState``. A check is
either a multiple choice (``choice``) or a choice between sentences a plan might contain
(``better-sentence``). Exactly one answer is right, and every answer carries a ``why``: for the
right one, why it is right; for each wrong one, the misconception it stands for, so a learner
who picks it learns what was wrong with the idea, not only that it was wrong.

A problem in a file is reported with the file, the line and the fix (``CheckFileError``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from goalstudio._model import StrictModel, _not_blank
from goalstudio.exercises._files import read_yaml_file, validation_message

CHECKS_FOLDER = "checks"
MAX_CHECK_FILE_BYTES = 200_000
KEYS = "abcdef"
CHECK_ACTIVITY_PREFIX = "concept-check-"
_ID = r"^\d\d-[a-z0-9][a-z0-9-]{1,40}$"


class Answer(StrictModel):
    """One answer: its text, whether it is the right one, and why."""

    text: str
    correct: bool = False
    why: str = Field(description="why it is right, or the misconception behind it")

    _check_text = field_validator("text", "why")(_not_blank)


class ConceptCheck(StrictModel):
    """One question, asked after a teaching block."""

    id: str = Field(pattern=_ID)
    kind: Literal["choice", "better-sentence"] = "choice"
    question: str
    answers: list[Answer] = Field(min_length=2, max_length=len(KEYS))
    teaches: str = Field(
        pattern=r"^\d\d-[a-z0-9-]+(#\S+)?$",
        description="the course section it checks: '03-from-deficits-to-outcomes#language'",
    )
    source: str = Field(description="where the idea comes from, as the course credits it")

    _check_text = field_validator("question", "source")(_not_blank)

    @model_validator(mode="after")
    def _one_right_answer_and_distinct_explanations(self) -> ConceptCheck:
        right = [a for a in self.answers if a.correct]
        if len(right) != 1:
            raise ValueError(
                f"mark exactly one answer 'correct: true' (this check has {len(right)})"
            )
        whys = [_norm(a.why) for a in self.answers]
        if len(set(whys)) != len(whys):
            raise ValueError(
                "two answers share the same 'why': give each wrong answer its own explanation "
                "of the misconception behind it"
            )
        texts = [_norm(a.text) for a in self.answers]
        if len(set(texts)) != len(texts):
            raise ValueError("two answers have the same text: make each answer different")
        return self

    @property
    def module(self) -> str:
        return self.id[:2]

    @property
    def activity(self) -> str:
        """The records-store activity of this check (drafts and answer events)."""
        return CHECK_ACTIVITY_PREFIX + self.id

    def letters(self) -> list[str]:
        return list(KEYS[: len(self.answers)])

    def answer(self, key: str) -> Answer:
        if key not in self.letters():
            raise ValueError(f"choose one of the answers {', '.join(self.letters()).upper()}")
        return self.answers[KEYS.index(key)]

    @property
    def right_key(self) -> str:
        return next(k for k, a in zip(KEYS, self.answers, strict=False) if a.correct)


class CheckFile(StrictModel):
    schema_version: Literal[1] = 1
    module: str = Field(pattern=r"^\d\d$")
    checks: list[ConceptCheck] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids_belong_to_the_module(self) -> CheckFile:
        seen: set[str] = set()
        for check in self.checks:
            if check.module != self.module:
                raise ValueError(
                    f"the check '{check.id}' is in the file of module {self.module}: start its "
                    f"id with '{self.module}-'"
                )
            if check.id in seen:
                raise ValueError(f"the id '{check.id}' is used twice: give each check its own id")
            seen.add(check.id)
        return self


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


# -- reading the files -------------------------------------------------------------------------


class CheckFileError(ValueError):
    """A concept-check file cannot be used; the message names the file, the line and the fix."""


_FIXES = {
    "missing": "add it",
    "extra_forbidden": "remove it, or check its spelling (allowed: {allowed})",
    "literal_error": "use one of {expected}",
    "too_short": "give at least {min_length}",
    "too_long": "give at most {max_length}",
}


def _fix(error: Any, loc: tuple[str | int, ...]) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        model = _model_at(loc[:-1])
        allowed = ", ".join(model.model_fields) if model else "see docs/course.md"
        return _FIXES[kind].format(allowed=allowed)
    if kind == "string_pattern_mismatch":
        name = loc[-1] if loc else ""
        fixes = {
            "id": "write the module number, a hyphen and a short name, e.g. '03-outputs'",
            "teaches": "name the notebook and section: '03-from-deficits-to-outcomes#language'",
            "module": "write the two-digit module number in quotes, e.g. '03'",
        }
        return fixes.get(str(name), "see docs/course.md for the format")
    if kind in _FIXES:
        return _FIXES[kind].format(
            expected=ctx.get("expected", ""),
            min_length=ctx.get("min_length", ""),
            max_length=ctx.get("max_length", ""),
        )
    return ""


def _model_at(loc: tuple[str | int, ...]) -> type[StrictModel] | None:
    names = [p for p in loc if isinstance(p, str)]
    models: dict[str, type[StrictModel]] = {"checks": ConceptCheck, "answers": Answer}
    return models.get(names[-1]) if names else CheckFile


def parse_check_file(text: str, path: str) -> CheckFile:
    """One module's checks from YAML text; ``CheckFileError`` names every problem's line."""
    root, raw = read_yaml_file(
        text,
        path,
        limit=MAX_CHECK_FILE_BYTES,
        too_large="split the questions, or remove text pasted in by mistake.",
        shape="expected 'schema_version', 'module' and a list of 'checks'.",
        error=CheckFileError,
    )
    try:
        return CheckFile.model_validate(raw)
    except ValidationError as exc:
        raise CheckFileError(validation_message(exc, root, path, fix=_fix)) from None


def _checks_folder() -> Traversable:
    return resources.files("goalstudio.course").joinpath(CHECKS_FOLDER)


@functools.cache
def _packaged() -> dict[str, ConceptCheck]:
    checks: dict[str, ConceptCheck] = {}
    folder = _checks_folder()
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not re.fullmatch(r"\d\d\.yaml", entry.name):
            continue
        path = f"course/{CHECKS_FOLDER}/{entry.name}"
        parsed = parse_check_file(entry.read_text(encoding="utf-8"), path)
        if parsed.module != entry.name[:2]:
            raise CheckFileError(
                f"{path}, line 1: the file says module '{parsed.module}'; name the file "
                f"'{parsed.module}.yaml' or set module: '{entry.name[:2]}'."
            )
        checks.update((c.id, c) for c in parsed.checks)
    return checks


def load_checks(module: str | None = None) -> list[ConceptCheck]:
    """The course's concept checks (of one module, if given), in file order."""
    return [c for c in _packaged().values() if module is None or c.module == module]


def get_check(check_id: str) -> ConceptCheck:
    checks = _packaged()
    if check_id not in checks:
        ids = ", ".join(c.id for c in load_checks(check_id[:2])) or "none"
        raise KeyError(
            f"there is no concept check '{check_id}' in course/{CHECKS_FOLDER}/; the ids of "
            f"module {check_id[:2]} are {ids}"
        )
    return checks[check_id]


# -- answering ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckOutcome:
    key: str
    correct: bool
    why: str
    tries: int


@dataclass
class CheckState:
    """A learner's answers to one check: they may try again until they find the right one."""

    check: ConceptCheck
    chosen: list[str] = field(default_factory=list)

    @property
    def solved(self) -> bool:
        return self.check.right_key in self.chosen

    def answer(self, key: str) -> CheckOutcome:
        answer = self.check.answer(key)
        self.chosen.append(key)
        return CheckOutcome(key, answer.correct, answer.why, len(self.chosen))

    def event_detail(self, outcome: CheckOutcome) -> dict[str, Any]:
        """What the records store keeps of one answer (the dashboard counts first answers)."""
        return {
            "check": self.check.id,
            "answer": outcome.key,
            "correct": outcome.correct,
            "try": outcome.tries,
            "text": self.check.answer(outcome.key).text,
        }
