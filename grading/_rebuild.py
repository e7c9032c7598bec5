"""Grading never runs a learner's code: each submission is rebuilt from the released notebook.

The studio's answers are plain text under a ``%%answer KIND`` line, so nothing a learner writes
needs to run. The notebook that is graded is the *released* one, cell for cell (its sources,
its metadata, its checks), with one thing taken from the learner's file: the text of each
answer cell, placed under the released ``%%answer`` line, where IPython hands it to the magic
as a string. Every other cell the learner changed, added or removed is dropped (the released
cell is used) and named in a note for the trainer.

``RebuildFromRelease`` does this as nbgrader's first sanitising step, so ``nbgrader autograde``
run by hand on a course from ``goalstudio workshop init`` rebuilds too.
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass, field
from typing import Any

from nbgrader.preprocessors import NbGraderPreprocessor

MAGIC = "%%answer"


def _text(cell: Any) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _nbgrader(cell: Any) -> dict[str, Any]:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta if isinstance(meta, dict) else {}


def _is_answer(cell: Any) -> bool:
    return bool(_nbgrader(cell).get("solution")) and bool(_nbgrader(cell).get("grade_id"))


def _snippet(text: str, width: int = 60) -> str:
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return repr(line if len(line) <= width else line[: width - 1] + "…")


@dataclass
class Rebuilt:
    """The notebook to grade, and what was left out of the learner's file."""

    notebook: Any
    edited: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    header_restored: list[str] = field(default_factory=list)

    def notes(self) -> list[str]:
        notes = []
        if self.edited or self.deleted:
            parts = []
            if self.edited:
                parts.append(f"edited: {', '.join(self.edited)}")
            if self.deleted:
                parts.append(f"deleted: {', '.join(self.deleted)}")
            notes.append(
                f"Released cells were changed ({'; '.join(parts)}). They were put back as "
                "released before grading, so the learner was graded by the real checks."
            )
        if self.added:
            notes.append(
                f"{len(self.added)} cell(s) the learner added were left out of grading and "
                f"not run: {'; '.join(self.added)}."
            )
        if self.header_restored:
            notes.append(
                f"The first line of an answer cell ({', '.join(self.header_restored)}) was "
                "removed or changed. It was put back as released, and the text under it was "
                "read as the answer."
            )
        return notes


def answer_body(learner_text: str) -> tuple[str, bool]:
    """The learner's answer text without its ``%%answer`` line; and whether that line was there."""
    first, _, rest = learner_text.partition("\n")
    if first.strip().startswith(MAGIC):
        return rest, True
    return learner_text, False


def rebuild(released: Any, submitted: Any) -> Rebuilt:
    """The released notebook with the learner's answer texts; what else differed, as notes."""
    notebook = copy.deepcopy(released)
    answers: dict[str, Any] = {}
    others: list[Any] = []
    for cell in submitted.get("cells", []):
        grade_id = str(_nbgrader(cell).get("grade_id") or "")
        if _is_answer(cell) and grade_id not in answers:
            answers[grade_id] = cell
        else:
            others.append(cell)
    result = Rebuilt(notebook)
    released_others = [
        (number, cell) for number, cell in enumerate(notebook["cells"], 1) if not _is_answer(cell)
    ]
    unmatched = list(released_others)

    def take(cell: Any) -> tuple[int, Any] | None:
        """The released cell this learner cell stands for: same id or grade id, else the same
        text (a copied notebook can carry new ids)."""
        keys = (cell.get("id"), _nbgrader(cell).get("grade_id"))
        for pair in unmatched:
            theirs = (pair[1].get("id"), _nbgrader(pair[1]).get("grade_id"))
            if (keys[0] and keys[0] == theirs[0]) or (keys[1] and keys[1] == theirs[1]):
                unmatched.remove(pair)
                return pair
        for pair in unmatched:
            if pair[1].get("cell_type") == cell.get("cell_type") and _text(pair[1]) == _text(cell):
                unmatched.remove(pair)
                return pair
        return None

    for cell in others:
        match = take(cell)
        if match is None:
            kind = cell.get("cell_type", "cell")
            result.added.append(f"a {kind} cell starting {_snippet(_text(cell))}")
            continue
        number, original = match
        if _text(original) != _text(cell) or original.get("cell_type") != cell.get("cell_type"):
            result.edited.append(_nbgrader(original).get("grade_id") or f"cell {number}")
    for number, original in unmatched:
        result.deleted.append(_nbgrader(original).get("grade_id") or f"cell {number}")

    for cell in notebook["cells"]:
        if not _is_answer(cell):
            continue
        grade_id = str(_nbgrader(cell)["grade_id"])
        mine = answers.get(grade_id)
        if mine is None:
            result.deleted.append(grade_id)
            continue  # the released template stays: graded as no answer
        released_text = _text(cell)
        if cell.get("cell_type") != "code" or not released_text.startswith(MAGIC):
            cell["source"] = _text(mine)  # a written answer, never run
            continue
        header = released_text.partition("\n")[0]
        body, had_header = answer_body(_text(mine))
        if not had_header or _text(mine).partition("\n")[0].strip() != header.strip():
            result.header_restored.append(grade_id)
        # Under the magic line, IPython passes the whole text to %%answer as one string.
        cell["source"] = f"{header}\n{body}"
    return result


class RebuildFromRelease(NbGraderPreprocessor):  # type: ignore[misc]
    """nbgrader's first sanitising step: grade the released notebook with the learner's answer
    texts, never the learner's own cells."""

    def preprocess(self, nb: Any, resources: Any) -> tuple[Any, Any]:
        import nbformat
        from nbgrader.coursedir import CourseDirectory

        info = resources.get("nbgrader", {})
        coursedir = CourseDirectory(config=self.config)
        folder = coursedir.format_path(coursedir.release_directory, ".", info["assignment"])
        path = os.path.join(folder, f"{info['notebook']}.ipynb")
        released = nbformat.read(path, as_version=nbformat.NO_CONVERT)
        return rebuild(released, nb).notebook, resources
