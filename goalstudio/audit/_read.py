"""Reading a folder of plans: the privacy gate, then plan text, free text or a Word document.

Every file is read within a size bound and checked for identifying details before anything
else happens to it. Free text is given the studio's plan structure where its headings, labels
and lists allow; whatever cannot be placed is kept as separate statements, read one by one.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from goalstudio._bounds import InputTooLarge, read_bounded
from goalstudio._model import Plan
from goalstudio._plantext import MAX_PLAN_BYTES, PlanParseError, parse_plan
from goalstudio.privacy import PrivacyWarning, check_privacy

SUFFIXES = (".txt", ".md", ".plan", ".docx")
MAX_DOCX_BYTES = 20_000_000  # a Word file holds pictures too; its text is bounded separately
MAX_DOCX_UNPACKED = 50_000_000  # what the document's parts may unpack to

Kind = Literal["plan", "text", "docx"]
Read = Literal["full", "part", "statements"]


class AuditReadError(ValueError):
    """A file that cannot be read as a plan; the message names the file and what to do."""


@dataclass(frozen=True)
class Refusal:
    """A file the privacy gate refused: where (line) and what kind of identifier it saw."""

    source: str
    line: int
    kind: str
    message: str

    def __str__(self) -> str:
        return (
            f"{self.source}, line {self.line}: {self.message} The file was not read and nothing "
            "of it was stored; change or remove the identifying details and run the audit again."
        )


@dataclass
class PlanFile:
    """A plan read from a file: its plan text in the studio's format (empty when no structure
    was found) and the statements that could only be read one by one."""

    source: str
    digest: str
    kind: Kind
    words: int
    plan_text: str = ""
    statements: list[str] = field(default_factory=list)
    plan: Plan | None = field(default=None, repr=False, compare=False)  # plan_text, parsed once

    @property
    def read(self) -> Read:
        if not self.plan_text:
            return "statements"
        return "part" if self.statements else "full"


def plan_files(folder: Path) -> Iterator[Path]:
    """The plan files of a folder (not its sub-folders), in name order; hidden files skipped."""
    if not folder.is_dir():
        raise AuditReadError(f"{folder}: no such folder. Give the folder that holds the plans.")
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        if path.suffix.lower() in SUFFIXES:
            yield path


def read_file(path: Path, *, name: str | None = None) -> PlanFile | Refusal:
    """Read one file: a ``Refusal`` when it looks identifying, else a ``PlanFile``."""
    source = name or path.name
    suffix = path.suffix.lower()
    limit = MAX_DOCX_BYTES if suffix == ".docx" else MAX_PLAN_BYTES
    try:
        with path.open("rb") as handle:
            data = read_bounded(handle, limit, source)
    except InputTooLarge as exc:
        raise AuditReadError(str(exc)) from None
    digest = hashlib.sha256(data).hexdigest()
    if suffix == ".docx":
        kind: Kind = "docx"
        text = docx_text(data, source)
    else:
        kind = "text"
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise AuditReadError(
                f"{source}: byte {exc.start} is not UTF-8 text. Save the file as UTF-8 "
                "(in Word: Save As, Plain Text, Unicode UTF-8) and run the audit again."
            ) from None
    text = text.encode("utf-8", "replace").decode("utf-8").replace("\x00", "")
    warnings = check_privacy(text)
    if warnings:
        return _refusal(source, text, warnings[0])
    words = len(_WORD.findall(text))
    if kind == "text":
        try:
            plan = parse_plan(text, source=source)
        except PlanParseError:
            pass
        else:
            return PlanFile(source, digest, "plan", words, plan_text=text, plan=plan)
    plan_text, parsed, statements = _structure(text)
    return PlanFile(source, digest, kind, words, plan_text, statements, parsed)


def _refusal(source: str, text: str, warning: PrivacyWarning) -> Refusal:
    line = text.count("\n", 0, warning.start) + 1
    return Refusal(source, line, warning.kind, warning.message.split(" If it ")[0])


_WORD = re.compile(r"\w+(?:['’]\w+)*")


# -- Word documents ------------------------------------------------------------------------------


def docx_text(data: bytes, source: str) -> str:
    """The paragraphs and table cells of a Word document as lines of text. Headings become
    ``#`` lines and list paragraphs ``-`` items, so ``structure`` can read them as in Markdown."""
    import io

    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise AuditReadError(
            f"{source}: this is not a Word document (.docx) that can be opened. Open it in Word "
            "and save it again as a .docx, or save it as plain text (.txt)."
        ) from None
    if unpacked > MAX_DOCX_UNPACKED:
        raise AuditReadError(
            f"{source}: the document unpacks to more than {MAX_DOCX_UNPACKED // 1_000_000} MB, "
            "so it was not read. Save the plan's text on its own as .docx or .txt."
        )
    try:
        document = Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise AuditReadError(
            f"{source}: this Word document could not be opened ({exc}). Open it in Word and "
            "save it again as a .docx, or save it as plain text (.txt)."
        ) from None
    lines: list[str] = []
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        if style.startswith(("Heading", "Title")):
            lines.append(f"# {text}")
        elif style.startswith("List"):
            lines.append(f"- {text}")
        else:
            lines.append(text)
    for table in document.tables:
        for row in table.rows:
            cells = [cell.text.strip() for cell in row.cells]
            if len(cells) >= 2 and cells[0] and cells[1] and _label(cells[0] + ":"):
                lines.append(f"{cells[0]}: {' '.join(cells[1:])}")
            else:
                lines.extend(c for c in dict.fromkeys(cells) if c)
    return "\n".join(lines)


# -- Free text -------------------------------------------------------------------------------------

# A label at the start of a line, and the part of the plan it names.
_LABELS = {
    "goal": "goal",
    "goals": "goal",
    "long term goal": "goal",
    "long-term goal": "goal",
    "aim": "goal",
    "aims": "goal",
    "outcome": "goal",
    "outcomes": "goal",
    "desired outcome": "goal",
    "need": "need",
    "needs": "need",
    "problem": "need",
    "identified need": "need",
    "objective": "objective",
    "objectives": "objective",
    "short term goal": "objective",
    "short-term goal": "objective",
    "intervention": "action",
    "interventions": "action",
    "action": "action",
    "actions": "action",
    "action step": "action",
    "step": "action",
    "steps": "action",
    "plan": "action",
    "strengths": "strengths",
    "strength": "strengths",
    "barriers": "barriers",
    "barrier": "barriers",
    "crisis plan": "crisis plan",
    "review": "review",
    "review date": "review",
    "person": "person",
    "name": "person",
}
_LABEL = re.compile(r"\s{0,8}([A-Za-z][A-Za-z -]{0,24}?)\s{0,3}\d{0,3}\s{0,3}[:\u2013]\s{0,8}(.*)")
_HEADING = re.compile(r"\s{0,3}(?:#{1,6}\s{0,8}(.+?)\s{0,8}#*|([A-Za-z][A-Za-z -]{0,30}):)\s*$")
_ITEM = re.compile(r"\s{0,12}(?:[-*\u2022\u00b7\u2013]|\(?\d{1,3}[.)]|\(?[a-z][.)])\s{1,8}(.+)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“(A-Z0-9])")
_OWNER_SPLIT = re.compile(r"^(.{2,60}?)\s+(?:to|will|should|must|is to|are to)\s+(.+)$")


def _label(text: str) -> tuple[str, str] | None:
    match = _LABEL.match(text)
    if match is None:
        return None
    part = _LABELS.get(" ".join(match.group(1).lower().split()))
    return (part, match.group(2).strip()) if part else None


def _heading_part(line: str) -> str | None:
    """The part of the plan a heading names (``## Goals``, ``Interventions:``), or None when
    the line is no heading; ``""`` for a heading that names nothing the studio knows."""
    match = _HEADING.match(line)
    if match is None:
        return None
    words = " ".join((match.group(1) or match.group(2)).lower().split())
    if words in _LABELS:
        return _LABELS[words]
    for word in words.replace("-", " ").split():
        if word in _LABELS and _LABELS[word] in ("goal", "need", "objective", "action"):
            return _LABELS[word]
    return ""


def split_statements(text: str) -> list[str]:
    """Statements of prose: one per line, and a line of several sentences split at each end."""
    statements: list[str] = []
    for line in text.splitlines():
        item = _ITEM.match(line)
        line = (item.group(1) if item else line).strip().lstrip("#").strip()
        statements.extend(s.strip() for s in _SENTENCE_END.split(line) if s.strip())
    return statements


class _Builder:
    """Collects goals, objectives and actions in order and writes them as plan text."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.loose: list[str] = []
        self.has_goal = self.has_objective = False
        self.pending_needs: list[str] = []
        self.person = ""

    def add(self, part: str, text: str) -> None:
        text = " ".join(text.split())
        if not text:
            return
        if part == "need":
            self.pending_needs.append(text)
        elif part == "goal":
            self._goal(text)
        elif part == "objective":
            self._ensure_goal()
            if not self.has_goal:
                self._goal(text)  # an objective with nothing above it is the plan's aim
                return
            self.lines.append(f"  Objective: {text}")
            self.has_objective = True
        elif part == "action":
            self._ensure_goal()
            if not self.has_goal:
                self._goal(text)
            elif not self.has_objective:
                # A step under a goal with no objective: read it as the objective it serves.
                self.lines.append(f"  Objective: {text}")
                self.has_objective = True
            else:
                self.lines.append(f"    - {_owner_line(text)}")
        elif part in ("strengths", "barriers") and self.has_goal:
            self.lines.append(f"  {part.capitalize()}: {text}")
        elif part == "crisis plan":
            self.lines.append(f"Crisis plan: {text}")
        elif part == "review":
            self.lines.append(f"Review: {text}")
        elif part == "person" and not self.person and len(text.split()) <= 4:
            self.person = text
        else:
            self.loose.extend(split_statements(text))

    def _goal(self, text: str) -> None:
        self.lines.append(f"Goal: {text}")
        self.has_goal, self.has_objective = True, False
        if self.pending_needs:
            self.lines.append(f"  Barriers: {'; '.join(self.pending_needs)}")
            self.pending_needs = []

    def _ensure_goal(self) -> None:
        if self.pending_needs:
            need = self.pending_needs.pop(0)
            self._goal(need)

    def finish(self) -> tuple[str, list[str]]:
        for need in self.pending_needs:
            self._goal(need)
        self.pending_needs = []
        if not self.has_goal:
            return "", self.loose
        head = [f"Person: {self.person}"] if self.person else []
        return "\n".join([*head, *self.lines]) + "\n", self.loose


def _owner_line(text: str) -> str:
    """``Care co-ordinator to visit weekly`` -> ``Care co-ordinator: visit weekly``; a step
    whose owner is not written is kept whole under an owner the rubric reads as unnamed."""
    head, colon, rest = text.partition(":")
    if colon and rest.strip() and len(head) <= 40 and len(head.split()) <= 5:
        return f"{head.strip()}: {rest.strip()}"
    match = _OWNER_SPLIT.match(text)
    if match and len(match.group(1).split()) <= 5:
        return f"{match.group(1)}: {match.group(2)}"
    return f"Not named: {text}"


def structure(text: str) -> tuple[str, list[str]]:
    """Free text as studio plan text (``""`` when no goal can be found) and the statements
    that could not be placed in the plan."""
    plan_text, _plan, statements = _structure(text)
    return plan_text, statements


def _structure(text: str) -> tuple[str, Plan | None, list[str]]:
    builder = _Builder()
    section: str | None = None  # what the current heading names
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        labelled = _label(line)
        if labelled is not None and labelled[1]:
            builder.add(*labelled)
            continue
        heading = _heading_part(line)
        if heading is not None:
            section = heading or None
            continue
        item = _ITEM.match(raw)
        body = item.group(1).strip() if item else line
        labelled = _label(body)
        if labelled is not None and labelled[1]:
            builder.add(*labelled)
        elif section is not None:
            builder.add(section, body)
        else:
            builder.loose.extend(split_statements(body))
    plan_text, loose = builder.finish()
    if not plan_text:
        return "", None, loose
    try:
        return plan_text, parse_plan(plan_text, source="audit"), loose
    except PlanParseError:
        return "", None, split_statements(text)
