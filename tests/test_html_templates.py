"""The studio makes every HTML page through one Jinja2 set-up, ``goalstudio.templates``.

Autoescape is switched on in one place, so no page can forget it: a page that builds its own
``jinja2.Environment`` would be the one that lets a learner's ``<script>`` through.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import jinja2
import pytest

from goalstudio.templates import html_templates, json_in_script

REPO = Path(__file__).resolve().parents[1]
# Modules allowed to build an environment, and why.
OWN_ENVIRONMENT = {
    "goalstudio/templates.py": "the one HTML set-up",
    "goalstudio/hub/config_file.py": "renders a Python file, where HTML escaping would be wrong",
}


def _builds_an_environment(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name == "Environment":
                return True
    return False


def test_only_the_template_module_builds_a_jinja2_environment_for_html() -> None:
    builders = sorted(
        str(path.relative_to(REPO))
        for folder in ("goalstudio", "grading", "widgets")
        for path in (REPO / folder).rglob("*.py")
        if _builds_an_environment(ast.parse(path.read_text(encoding="utf-8")))
    )
    assert builders == sorted(OWN_ENVIRONMENT)


def test_every_value_is_escaped_and_a_missing_name_is_an_error() -> None:
    env = html_templates("goalstudio.audit")
    template = env.from_string("<p>{{ words }}</p>")
    assert template.render(words='<script>alert("hi")</script>') == (
        "<p>&lt;script&gt;alert(&#34;hi&#34;)&lt;/script&gt;</p>"
    )
    with pytest.raises(jinja2.UndefinedError, match="words"):
        template.render()


def test_json_in_a_script_cannot_end_it_and_reads_back_the_same() -> None:
    """The scenario preview's conversation data and the dashboards' charts both go through
    ``json_in_script``: no ``<``, ``>`` or ``&`` is left, and the JSON means what it meant."""
    value = {"label": "</script><script>alert(1)</script> & <b>x</b>"}
    safe = json_in_script(json.dumps(value))
    assert not set("<>&") & set(safe)
    assert json.loads(safe) == value
