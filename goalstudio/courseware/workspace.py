"""The learner's workspace: a folder holding their copy of the course and their records.

The course is copied in on the first start. Learners get the *learner release* of each
notebook: the same transformation ``goalstudio course build`` applies, so cells tagged for
facilitators (notes, model answers, solutions) never reach a learner's workspace.

Later starts bring in new or updated course files, but a file the learner has changed is
never overwritten: we remember the fingerprint of every file we copied, and only replace a
file whose fingerprint still matches. A notebook's fingerprint is its content (each cell's type
and source), not its bytes: JupyterLab rewrites metadata, outputs and execution counts when a
learner merely opens and runs a module, and that is not an edit.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from goalstudio._environment import WORKSPACE_ENV
from goalstudio.courseware.release import learner_bytes

DEFAULT_WORKSPACE = Path("~/goal-discovery-studio")
STATE_DIR = ".goalstudio"
_INSTALLED = "installed.json"
# Course files for a learner's copy. Facilitator material and assignment sources stay out.
_COPY_SUFFIXES = (".ipynb", ".md")
_SKIP_DIRS = ("facilitator", "assignments", "__pycache__")
# Modules that the course's notebooks once imported and that have since moved. A notebook the
# learner changed keeps their edits, but its exercises would no longer load, so that one name is
# brought up to date in their copy.
MOVED_MODULES = {"goalstudio.course._kit": "goalstudio.widgets.course_home"}


class WorkspaceError(Exception):
    """The workspace cannot be prepared; the message says why and what to do."""


@dataclass
class WorkspaceReport:
    """What ``prepare_workspace`` did, so the command can tell the learner."""

    root: Path
    copied: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    imports_updated: list[str] = field(default_factory=list)


def default_workspace() -> Path:
    """``GOALSTUDIO_WORKSPACE`` if set, else ``~/goal-discovery-studio``."""
    env = os.environ.get(WORKSPACE_ENV)
    return Path(env).expanduser() if env else DEFAULT_WORKSPACE.expanduser()


def course_files() -> dict[str, Traversable]:
    """The learner-facing course files shipped in the package, keyed by relative path."""
    root = resources.files("goalstudio.course")
    found: dict[str, Traversable] = {}

    def walk(node: Traversable, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            rel = f"{prefix}{child.name}"
            if child.is_dir():
                if child.name not in _SKIP_DIRS and not child.name.startswith("."):
                    walk(child, rel + "/")
            elif child.name.endswith(_COPY_SUFFIXES) and not child.name.startswith("."):
                found[rel] = child

    walk(root, "")
    return found


# JupyterLab shows only the first line of a hidden cell, so this line is what a learner who opened
# a module in JupyterLab (not app mode) sees where an exercise will appear. Voilà strips it.
RUN_HINT = "# The exercise appears here once the notebook runs: choose Run > Run All Cells.\n"


def release_bytes(rel: str, data: bytes) -> bytes:
    """What a learner gets for a course file: notebooks as their learner release, each hidden
    code cell opening with the line that says how to show its exercise in JupyterLab."""
    if not rel.endswith(".ipynb"):
        return data
    notebook = json.loads(learner_bytes(data).decode("utf-8"))
    for cell in notebook.get("cells", []):
        hidden = (cell.get("metadata") or {}).get("jupyter", {}).get("source_hidden")
        if cell.get("cell_type") == "code" and hidden:
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else str(source)
            if not source.startswith(RUN_HINT):
                cell["source"] = RUN_HINT + source
    return (json.dumps(notebook, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def _fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def content_fingerprint(rel: str, data: bytes) -> str:
    """What counts as the learner's content: a notebook's cell types and sources (where their
    answers live), ignoring metadata, outputs and execution counts; other files byte for byte."""
    if rel.endswith(".ipynb"):
        try:
            notebook = json.loads(data.decode("utf-8"))
            cells = [
                [cell.get("cell_type"), _source(cell.get("source"))]
                for cell in notebook.get("cells", [])
            ]
        except (UnicodeDecodeError, ValueError, AttributeError, TypeError):
            return _fingerprint(data)  # not a notebook we can read: compare the bytes
        return "cells:" + _fingerprint(json.dumps(cells, ensure_ascii=False).encode("utf-8"))
    return _fingerprint(data)


def _source(source: object) -> str:
    return "".join(source) if isinstance(source, list) else str(source or "")


def prepare_workspace(root: Path) -> WorkspaceReport:
    """Copy the course into ``root``; keep every file the learner has changed."""
    root = root.expanduser()
    try:
        (root / STATE_DIR).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkspaceError(
            f"Cannot create the workspace folder {root} ({exc.strerror}). "
            "Choose another folder with --workspace DIR."
        ) from None
    state_file = root / STATE_DIR / _INSTALLED
    installed = _read_installed(state_file)
    report = WorkspaceReport(root=root)
    for rel, source in course_files().items():
        data = release_bytes(rel, source.read_bytes())
        target = root / rel
        release = content_fingerprint(rel, data)
        try:
            on_disk = target.read_bytes() if os.path.lexists(target) else None
        except OSError:
            report.kept.append(rel)  # something the learner put there that cannot be read
            continue
        if on_disk is not None:
            current = content_fingerprint(rel, on_disk)
            if current == release:
                installed[rel] = current
                continue
            # Earlier versions recorded the bytes' fingerprint; either form means "untouched".
            if installed.get(rel) not in (current, _fingerprint(on_disk)):
                report.kept.append(rel)  # the learner's own edits win
                moved = update_moved_imports(on_disk) if rel.endswith(".ipynb") else None
                if moved is not None:
                    write_atomically(target, moved)
                    report.imports_updated.append(rel)
                continue
            report.updated.append(rel)
        else:
            report.copied.append(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, data)
        installed[rel] = release
    write_atomically(state_file, json.dumps(installed, indent=1, sort_keys=True).encode())
    return report


def update_moved_imports(data: bytes) -> bytes | None:
    """The notebook with each moved module's new name in its code cells, or None if none moved.

    Only the module names in MOVED_MODULES change; every other character of the learner's
    cells, and every cell that is not code, stays as they left it.
    """
    try:
        notebook = json.loads(data.decode("utf-8"))
    except ValueError:
        return None  # not a notebook we can read: leave it alone
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    changed = False
    for cell in cells if isinstance(cells, list) else []:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source")
        text = "".join(source) if isinstance(source, list) else source
        if not isinstance(text, str):
            continue
        updated = text
        for old, new in MOVED_MODULES.items():
            updated = re.sub(rf"\b{re.escape(old)}\b", new, updated)
        if updated != text:
            cell["source"] = (
                updated.splitlines(keepends=True) if isinstance(source, list) else updated
            )
            changed = True
    if not changed:
        return None
    return (json.dumps(notebook, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def _read_installed(path: Path) -> dict[str, str]:
    try:
        raw = path.read_bytes()
    except OSError:
        # Missing, or unreadable (a link to something we may not read): a fresh record. Every
        # existing file then counts as the learner's own, so nothing is overwritten.
        return {}
    try:
        data = json.loads(raw.decode("utf-8"))
    except ValueError:
        # Without the record we cannot tell edited files from ours, so we treat every
        # existing file as the learner's: nothing is overwritten. The damaged record is kept.
        write_atomically(path.with_suffix(".json.unreadable"), raw)
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items()}


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a new file beside ``path``, then rename it over ``path``. The new file
    is made afresh (``O_EXCL``, never through a link left at its name), so a planted symlink
    can never redirect the write to another file."""
    tmp = path.with_name(f".{path.name}.tmp")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tmp)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)
