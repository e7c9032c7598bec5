"""Sorting exercises: place each statement in a group, then see why each one belongs where it does.

The statements are data, one YAML file per exercise in ``course/sorts/<id>.yaml``, read and
validated here; the ``SortExercise`` widget is a thin view over ``mark``. Every statement says
which group it belongs to and why, so a learner who places it elsewhere learns what the idea
behind the group is, not only that the answer was wrong. Module 1 sorts care-planning practice
into relational and managerial (the Scottish review of personal outcomes).

A problem in a file is reported with the file, the line and the fix (``SortFileError``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from goalstudio._model import StrictModel, _not_blank
from goalstudio.exercises._files import read_yaml_file, validation_message

SORTS_FOLDER = "sorts"
MAX_SORT_FILE_BYTES = 100_000
SORT_ACTIVITY_PREFIX = "sort-"
_ID = r"^\d\d-[a-z0-9][a-z0-9-]{1,40}$"


class SortGroup(StrictModel):
    """One group a statement can go in: a short key, the label a learner sees, what it means."""

    key: str = Field(pattern=r"^[a-z][a-z0-9-]{0,30}$")
    label: str
    meaning: str = Field(description="one sentence: the idea the group stands for")

    _check_text = field_validator("label", "meaning")(_not_blank)


class SortItem(StrictModel):
    """One statement, the group it belongs in, and why."""

    text: str
    group: str
    why: str

    _check_text = field_validator("text", "why")(_not_blank)


class Sort(StrictModel):
    """A sorting exercise: a few statements, two or three groups."""

    schema_version: Literal[1] = 1
    id: str = Field(pattern=_ID)
    title: str
    instructions: str
    groups: list[SortGroup] = Field(min_length=2, max_length=3)
    items: list[SortItem] = Field(min_length=3, max_length=12)
    teaches: str = Field(pattern=r"^\d\d-[a-z0-9-]+(#\S+)?$")
    source: str = Field(description="where the idea comes from, as the course credits it")

    _check_text = field_validator("title", "instructions", "source")(_not_blank)

    @model_validator(mode="after")
    def _every_item_has_a_group_and_every_group_an_item(self) -> Sort:
        keys = [g.key for g in self.groups]
        if len(set(keys)) != len(keys):
            raise ValueError("two groups share a key: give each group its own key")
        for n, item in enumerate(self.items, start=1):
            if item.group not in keys:
                raise ValueError(
                    f"statement {n} is in the group '{item.group}', which is not one of the "
                    f"groups ({', '.join(keys)}); use one of those keys"
                )
        for key in keys:
            if not any(item.group == key for item in self.items):
                raise ValueError(f"no statement belongs in the group '{key}': add one")
        texts = [" ".join(i.text.lower().split()) for i in self.items]
        if len(set(texts)) != len(texts):
            raise ValueError("two statements have the same text: make each one different")
        return self

    @property
    def module(self) -> str:
        return self.id[:2]

    @property
    def activity(self) -> str:
        """The records-store activity of this exercise (drafts and the checked sort)."""
        return SORT_ACTIVITY_PREFIX + self.id

    def group(self, key: str) -> SortGroup:
        for group in self.groups:
            if group.key == key:
                return group
        raise ValueError(f"choose one of the groups: {', '.join(g.label for g in self.groups)}")


@dataclass(frozen=True)
class SortResult:
    """How a learner's placing compares with the sort's: by statement number (0-based)."""

    right: tuple[int, ...]
    wrong: tuple[int, ...]
    unplaced: tuple[int, ...]

    @property
    def total(self) -> int:
        return len(self.right) + len(self.wrong) + len(self.unplaced)

    @property
    def complete(self) -> bool:
        return not self.unplaced


def mark(sort: Sort, placed: Mapping[int, str]) -> SortResult:
    """Compare the learner's groups (statement number -> group key) with the sort's."""
    for n, key in placed.items():
        if not 0 <= n < len(sort.items):
            raise ValueError(f"there is no statement {n + 1}; the sort has {len(sort.items)}")
        sort.group(key)  # an unknown group is a friendly error
    right = tuple(n for n, item in enumerate(sort.items) if placed.get(n) == item.group)
    unplaced = tuple(n for n in range(len(sort.items)) if n not in placed)
    wrong = tuple(n for n in range(len(sort.items)) if n in placed and n not in right)
    return SortResult(right, wrong, unplaced)


# -- reading the files -------------------------------------------------------------------------


class SortFileError(ValueError):
    """A sort file cannot be used; the message names the file, the line and the fix."""


def parse_sort_file(text: str, path: str) -> Sort:
    """One sorting exercise from YAML text; ``SortFileError`` names every problem's line."""
    root, raw = read_yaml_file(
        text,
        path,
        limit=MAX_SORT_FILE_BYTES,
        too_large="keep a sort to a dozen statements, or remove text pasted in by mistake.",
        shape="expected 'id', 'groups' and a list of 'items'.",
        error=SortFileError,
    )
    try:
        return Sort.model_validate(raw)
    except ValidationError as exc:
        raise SortFileError(validation_message(exc, root, path, relocate=_at_statement)) from None


def _at_statement(loc: tuple[str | int, ...], message: str) -> tuple[str | int, ...]:
    """A whole-sort problem about one statement points at that statement's group."""
    statement = re.match(r"statement (\d+) ", message)
    if not loc and statement:
        return ("items", int(statement.group(1)) - 1, "group")
    return loc


@functools.cache
def _packaged() -> dict[str, Sort]:
    sorts: dict[str, Sort] = {}
    folder = resources.files("goalstudio.course").joinpath(SORTS_FOLDER)
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not re.fullmatch(r"\d\d-[a-z0-9-]+\.yaml", entry.name):
            continue
        path = f"course/{SORTS_FOLDER}/{entry.name}"
        sort = parse_sort_file(entry.read_text(encoding="utf-8"), path)
        if f"{sort.id}.yaml" != entry.name:
            raise SortFileError(
                f"{path}, line 1: the file says id '{sort.id}'; name the file '{sort.id}.yaml'."
            )
        sorts[sort.id] = sort
    return sorts


def load_sorts() -> list[Sort]:
    """Every sorting exercise in the course, in file order."""
    return list(_packaged().values())


def get_sort(sort_id: str) -> Sort:
    sorts = _packaged()
    if sort_id not in sorts:
        known = ", ".join(sorts) or "none"
        raise ValueError(f"there is no sorting exercise '{sort_id}' (the course has: {known})")
    return sorts[sort_id]
