"""Problems with a scenario's content, in plain words at the file's own lines.

pydantic's validation errors become sentences an author can act on (what is wrong and how to
fix it); a plan that does not parse is reported at each of its lines; each conversation-graph
problem at its node; every TODO the template left at its line.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Iterable, Sequence
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from goalstudio._conversation import Conversation, Node, conversation_problems
from goalstudio._plantext import PlanParseError, parse_plan
from goalstudio._scenarios._errors import ScenarioError, ScenarioProblem, format_field
from goalstudio._scenarios._read import locate, node_at
from goalstudio._scenarios.model import Scenario

_PLAN_FIELDS = ("deficit_plan", "model_rewrite")


def validate(path: str, stem: str, text: str, root: yaml.Node, raw: dict[Any, Any]) -> Scenario:
    problems = _placeholder_problems(path, text, root)
    unfinished = {p.field for p in problems if p.field}
    scenario: Scenario | None = None
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            for problem in _explain(path, text, root, raw, error):
                # A field that still holds a placeholder is reported once, as a placeholder.
                if not any(_within(problem.field, field) for field in unfinished):
                    problems.append(problem)
    file_id = raw.get("id")
    if isinstance(file_id, str) and file_id != stem:
        line, column, _ = locate(root, ("id",))
        problems.append(
            ScenarioProblem(
                path,
                line,
                column,
                "id",
                f"the id '{file_id}' does not match the file name '{stem}'. Make them the "
                f"same: either change the line to 'id: {stem}' or rename the file to "
                f"'{file_id}.yaml'.",
            )
        )
    if problems:
        problems.sort(key=lambda p: (p.line or 0, p.column or 0))
        raise ScenarioError(problems)
    assert scenario is not None
    return scenario


# What ``goalstudio scenarios new`` writes wherever the author has something to fill in.
PLACEHOLDER = "TODO"
_PLACEHOLDER_RE = re.compile(rf"\b{PLACEHOLDER}\b")


def _within(field: str | None, outer: str) -> bool:
    return field is not None and (field == outer or field.startswith((outer + ".", outer + "[")))


def _scalars(
    node: yaml.Node, loc: tuple[str | int, ...] = ()
) -> Iterable[tuple[tuple[str | int, ...], yaml.ScalarNode]]:
    if isinstance(node, yaml.ScalarNode):
        yield loc, node
    elif isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
            yield from _scalars(value_node, (*loc, key))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _scalars(item, (*loc, index))


def _placeholder_problems(path: str, text: str, root: yaml.Node) -> list[ScenarioProblem]:
    """Every value that still holds a TODO from the template, at its line in the file.

    A plan (a ``|`` block) reports each of its lines that still has one; any other value
    reports its first.
    """
    problems: list[ScenarioProblem] = []
    file_lines = text.splitlines()
    for loc, node in _scalars(root):
        if not _PLACEHOLDER_RE.search(str(node.value)):
            continue
        last = min(node.end_mark.line, len(file_lines) - 1)
        for number in range(node.start_mark.line, last + 1):
            raw = file_lines[number]
            if number == node.start_mark.line:
                raw = " " * node.start_mark.column + raw[node.start_mark.column :]
            match = _PLACEHOLDER_RE.search(raw)
            if match is None:
                continue
            shown = raw.strip()
            if len(shown) > 70:
                shown = shown[:69] + "…"
            problems.append(
                ScenarioProblem(
                    path,
                    number + 1,
                    match.start() + 1,
                    format_field(loc),
                    f"still to fill in: {shown!r}.",
                )
            )
            if node.style != "|":
                break
    return problems


def _explain(
    path: str, text: str, root: yaml.Node, raw: dict[Any, Any], error: Any
) -> list[ScenarioProblem]:
    loc: tuple[str | int, ...] = tuple(error["loc"])
    kind: str = error["type"]
    field = format_field(loc) or None
    line, column, _found = locate(root, loc)
    if kind == "value_error" and len(loc) == 1 and loc[0] in _PLAN_FIELDS:
        plan_problems = _plan_problems(path, text, root, str(loc[0]), raw.get(str(loc[0])))
        if plan_problems:
            return plan_problems
    if kind == "value_error" and loc == ("conversation",):
        graph = _graph_problems(path, root, raw.get("conversation"))
        if graph:
            return graph
    if not loc and kind == "value_error" and "perspectives" in str(error["msg"]):
        field = "perspectives"
        line, column, _found = locate(root, ("perspectives",))
        return [
            ScenarioProblem(
                path,
                line,
                column,
                field,
                _plain_message(error, loc) + " There is one view each from the person, "
                "family, practitioner and agency: add the missing one, or correct a 'party:' "
                "line that is repeated.",
            )
        ]
    return [ScenarioProblem(path, line, column, field, _plain_message(error, loc))]


def _plain_message(error: Any, loc: tuple[str | int, ...]) -> str:
    kind: str = error["type"]
    msg: str = error["msg"]
    ctx: dict[str, Any] = error.get("ctx") or {}
    value = error.get("input")
    name = str(loc[-1]) if loc and isinstance(loc[-1], str) else "this field"
    if kind == "missing":
        parent = format_field(loc[:-1])
        if parent:
            return (
                f"the field '{name}' is missing from '{parent}' (which starts on this line). "
                "Add it there, indented like the other fields in that block; "
                "docs/scenario-format.md says what it holds."
            )
        return (
            f"the field '{name}' is missing. Add it as a line of its own, starting at the left "
            "edge; docs/scenario-format.md says what it holds."
        )
    if kind == "extra_forbidden":
        allowed = _allowed_fields(loc[:-1])
        close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        known = f" The fields allowed here are: {', '.join(allowed)}." if allowed else ""
        return f"'{name}' is not a field the scenario format knows.{hint}{known}"
    if kind == "value_error":
        text = msg.removeprefix("Value error, ")
        return text if text.endswith((".", "?", "!")) else text + "."
    if kind == "literal_error":
        return f"'{value}' is not one of the choices here. Use one of: {ctx.get('expected')}."
    if kind == "string_pattern_mismatch" and name == "id":
        return (
            f"'{value}' cannot be used as an id: use 2 to 64 lower-case letters, digits and "
            "hyphens, starting with a letter or digit (e.g. 'amira-cmht')."
        )
    if kind == "too_short":
        wanted = ctx.get("min_length", 1)
        return (
            f"this needs at least {wanted} item{'s' if wanted != 1 else ''}, and it has "
            f"{ctx.get('actual_length', 0)}. Add items, each on its own line starting with '- '."
        )
    if kind == "too_long":
        wanted = ctx.get("max_length")
        return f"this can have at most {wanted} items, and it has {ctx.get('actual_length')}."
    if kind == "string_type":
        return f"this should be text, but it is {_describe(value)}."
    if kind == "list_type":
        return (
            f"this should be a list (each item on its own line starting with '- '), but it is "
            f"{_describe(value)}."
        )
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return (
            f"this should be a group of fields (each 'name: value' on its own line, indented "
            f"under '{name}:'), but it is {_describe(value)}."
        )
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"this should be a whole number, but it is {_describe(value)}."
    if kind.startswith(("greater_than", "less_than")):
        return msg.replace("Input should be", "this should be") + f" (it is {value})."
    return msg.replace("Input should be", "this should be")


def _describe(value: object) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"'{str(value).lower()}' (a yes/no value)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of fields"
    text = str(value)
    return f"'{text if len(text) <= 40 else text[:39] + '…'}'"


def _allowed_fields(loc: Sequence[str | int]) -> list[str]:
    """The field names of the model found by following ``loc`` from ``Scenario``."""
    current: Any = Scenario
    for part in loc:
        if isinstance(part, int):
            continue
        model = _model_of(current)
        if model is None or part not in model.model_fields:
            return []
        current = model.model_fields[part].annotation
    model = _model_of(current)
    return list(model.model_fields) if model is not None else []


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            model = _model_of(arg)
            if model is not None:
                return model
    return None


def _plan_problems(
    path: str, text: str, root: yaml.Node, field: str, value: object
) -> list[ScenarioProblem]:
    if not isinstance(value, str):
        return []
    try:
        parse_plan(value, source=field)
    except PlanParseError as exc:
        plan_problems = exc.problems
    else:  # pragma: no cover - only called when the validator rejected the plan
        return []
    node = node_at(root, (field,))
    key_line, key_column, _ = locate(root, (field,))
    plan_lines = value.splitlines()
    out: list[ScenarioProblem] = []
    for problem in plan_problems:
        shown = ""
        if 1 <= problem.line <= len(plan_lines):
            quoted = plan_lines[problem.line - 1].strip()
            if len(quoted) > 70:
                quoted = quoted[:69] + "…"
            shown = f" The line reads: {quoted!r}."
        line, column = key_line, key_column
        mapped = plan_line_in_file(node, text, problem.line, problem.column)
        if mapped is not None:
            line, column = mapped
        out.append(
            ScenarioProblem(
                path,
                line,
                column,
                field,
                f"line {problem.line} of the plan: {problem.message}{shown} {problem.fix}",
            )
        )
    return out


def plan_line_in_file(
    node: yaml.Node | None, text: str, plan_line: int, plan_column: int
) -> tuple[int, int] | None:
    """Where line ``plan_line`` of a literal block (``|``) sits in the YAML file, 1-based."""
    if not isinstance(node, yaml.ScalarNode) or node.style != "|":
        return None
    file_lines = text.splitlines()
    first_content = node.start_mark.line + 1  # 0-based line after the '|' indicator
    indent = None
    for raw in file_lines[first_content : node.end_mark.line + 1]:
        if raw.strip():
            indent = len(raw) - len(raw.lstrip(" "))
            break
    if indent is None:
        return None
    return first_content + plan_line, plan_column + indent


_NODE_IN_MESSAGE = re.compile(r"node '([^']*)'")


def _graph_problems(path: str, root: yaml.Node, raw: object) -> list[ScenarioProblem]:
    """Each conversation-graph problem on its own, at the line of the node concerned."""
    if not isinstance(raw, dict):
        return []
    try:
        nodes = [Node.model_validate(n) for n in raw.get("nodes", [])]
        conv = Conversation.model_construct(start=str(raw.get("start")), nodes=nodes)
        messages = conversation_problems(conv)
    except (ValidationError, TypeError):
        return []
    index = {n.id: i for i, n in enumerate(nodes)}
    out: list[ScenarioProblem] = []
    for message in messages:
        loc: tuple[str | int, ...] = ("conversation",)
        if message.startswith("start node"):
            loc = ("conversation", "start")
        else:
            match = _NODE_IN_MESSAGE.search(message)
            if match and match.group(1) in index:
                loc = ("conversation", "nodes", index[match.group(1)])
                if "leads to" in message:
                    loc = _choice_loc(nodes, index[match.group(1)], message) or loc
        line, column, _ = locate(root, loc)
        out.append(
            ScenarioProblem(path, line, column, format_field(loc), message + _graph_hint(message))
        )
    return out


def _graph_hint(message: str) -> str:
    if "which does not exist" in message:
        return ". Check the spelling after 'next:', or add a node with that id."
    if "can never be reached" in message:
        target = _NODE_IN_MESSAGE.search(message)
        name = target.group(1) if target else "it"
        return f". Make a reply lead to it ('next: {name}'), or delete the node."
    if message.startswith("start node"):
        return ". Set 'start:' to the id of the first node."
    if "must be unique" in message:
        return ". Give each node its own id."
    return "." if not message.endswith(".") else ""


def _choice_loc(nodes: list[Node], node_index: int, message: str) -> tuple[str | int, ...] | None:
    target = re.search(r"leads to '([^']*)'", message)
    if target is None:
        return None
    for choice_index, choice in enumerate(nodes[node_index].choices):
        if choice.next == target.group(1):
            return ("conversation", "nodes", node_index, "choices", choice_index, "next")
    return None
