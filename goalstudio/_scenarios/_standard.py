"""The standard for the built-in scenario library, which ``scenarios validate --strict`` enforces.

``docs/writing-scenarios.md`` (section 7) describes what a scenario needs before it joins the
shared library; this module checks exactly that list, so the guide and the checker cannot drift
apart (``STANDARD`` is quoted in the guide, and a test compares them). A scenario that misses
one still works in the studio: these are reported only with ``--strict``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from goalstudio._conversation import Conversation
from goalstudio._scenarios._catalogue import extra_folders, load_file
from goalstudio._scenarios._errors import ScenarioError, ScenarioProblem
from goalstudio._scenarios.model import Scenario

MIN_NODES = 12
MIN_ITEMS = 3
MIN_TAGS = 2
ENDING_KINDS = ("shared_plan", "partial", "breakdown")

# What --strict checks, one line each, as the guide lists it.
STANDARD = (
    f"at least {MIN_NODES} conversation nodes",
    "all three kinds of ending: shared_plan, partial and breakdown",
    "at least one good reply at every node that is not an ending",
    "good, mixed and poor replies",
    "a path of good replies from the start to a shared_plan ending",
    "a poor reply that can be repaired: it leads to a node (not an ending) where a good reply "
    "leads on to a shared_plan ending",
    "at least one assessment need to address_now and one to defer",
    f"at least {MIN_ITEMS} strengths, {MIN_ITEMS} things that matter, {MIN_ITEMS} discussion "
    f"questions and {MIN_ITEMS} common mistakes",
    f"at least {MIN_TAGS} tags (the setting and the themes)",
)


def standard_problems(scenario: Scenario, path: str, text: str = "") -> list[ScenarioProblem]:
    """Where ``scenario`` falls short of the library standard; empty when it meets it."""
    found: list[tuple[str, str]] = []  # (field, message)
    conv = scenario.conversation
    if len(conv.nodes) < MIN_NODES:
        found.append(
            (
                "conversation",
                f"the conversation has {len(conv.nodes)} nodes; the library standard is at "
                f"least {MIN_NODES}, so learners meet enough turns to practise on.",
            )
        )
    kinds = {n.ending.kind for n in conv.nodes if n.ending}
    missing = [k for k in ENDING_KINDS if k not in kinds]
    if missing:
        found.append(
            (
                "conversation",
                "the conversation has no "
                + " or ".join(f"'{k}'" for k in missing)
                + " ending; the library standard is all three kinds (shared_plan, partial, "
                "breakdown).",
            )
        )
    for node in conv.nodes:
        if node.choices and not any(c.quality == "good" for c in node.choices):
            found.append(
                ("conversation", f"node '{node.id}' has no good reply; give it at least one.")
            )
    qualities = {c.quality for n in conv.nodes for c in n.choices}
    for quality in ("good", "mixed", "poor"):
        if quality not in qualities:
            found.append(("conversation", f"the conversation has no {quality} reply; add one."))
    if not _good_path_to_shared_plan(conv):
        found.append(
            (
                "conversation",
                "no path of good replies leads from the start to a shared_plan ending; "
                "learners who choose well should reach the shared plan.",
            )
        )
    if not _repairable(conv):
        found.append(
            (
                "conversation",
                "no poor reply can be repaired: add a poor reply that leads to a node where "
                "the person withdraws, with a good reply there that notices it and leads on "
                "to the shared plan.",
            )
        )
    decisions = {a.decision for a in scenario.assessment}
    for decision in ("address_now", "defer"):
        if decision not in decisions:
            found.append(("assessment", f"no assessment need is marked '{decision}'; add one."))
    counts = (
        ("strengths", "strengths", len(scenario.person.strengths)),
        ("what_matters", "things that matter", len(scenario.person.what_matters)),
        (
            "discussion_questions",
            "discussion questions",
            len(scenario.facilitator_notes.discussion_questions),
        ),
        ("common_mistakes", "common mistakes", len(scenario.facilitator_notes.common_mistakes)),
    )
    for field, words, count in counts:
        if count < MIN_ITEMS:
            found.append((field, f"{count} {words}; the library standard is at least {MIN_ITEMS}."))
    if len(scenario.tags) < MIN_TAGS:
        found.append(
            (
                "tags",
                f"{len(scenario.tags)} tags; the library standard is at least {MIN_TAGS}: the "
                "setting and the themes.",
            )
        )
    return [
        ScenarioProblem(path, _line_of(text, field), None, field, message)
        for field, message in found
    ]


def library_problems(paths: Sequence[str | os.PathLike[str]]) -> list[ScenarioProblem]:
    """The standard checked on every scenario file under ``paths`` (all known ones when empty)
    that loads; files that do not load already have their own problems reported."""
    files: list[Path] = []
    if paths:
        for raw in paths:
            path = Path(raw)
            files += sorted(_scenario_files(path)) if path.is_dir() else [path]
    else:
        from importlib import resources

        files += sorted(_scenario_files(Path(str(resources.files("goalstudio.scenarios")))))
        for folder in extra_folders():
            if folder.is_dir():
                files += sorted(_scenario_files(folder))
    problems: list[ScenarioProblem] = []
    for path in files:
        try:
            scenario = load_file(path)
            text = path.read_text(encoding="utf-8")
        except (ScenarioError, OSError, UnicodeDecodeError):
            continue
        problems += standard_problems(scenario, str(path), text)
    return problems


def _scenario_files(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.is_file() and p.suffix in (".yaml", ".yml")]


def _line_of(text: str, field: str) -> int | None:
    match = re.search(rf"^\s*{re.escape(field)}:", text, flags=re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _good_path_to_shared_plan(conv: Conversation) -> bool:
    return _reaches_shared_plan(conv, conv.start, good_only=True)


def _reaches_shared_plan(conv: Conversation, start: str, *, good_only: bool) -> bool:
    nodes = {n.id: n for n in conv.nodes}
    seen: set[str] = set()
    todo = [start]
    while todo:
        node_id = todo.pop()
        if node_id in seen or node_id not in nodes:
            continue
        seen.add(node_id)
        node = nodes[node_id]
        if node.ending and node.ending.kind == "shared_plan":
            return True
        todo += [c.next for c in node.choices if c.quality == "good" or not good_only]
    return False


def _repairable(conv: Conversation) -> bool:
    nodes = {n.id: n for n in conv.nodes}
    for node in conv.nodes:
        for choice in node.choices:
            target = nodes.get(choice.next)
            if choice.quality != "poor" or target is None or target.ending:
                continue
            for repair in target.choices:
                if repair.quality == "good" and _reaches_shared_plan(
                    conv, repair.next, good_only=False
                ):
                    return True
    return False
