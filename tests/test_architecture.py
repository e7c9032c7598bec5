"""The walls between the packages hold (the import-linter contracts in pyproject.toml).

docs/ARCHITECTURE.md describes the layers; docs/decisions.md says why they are walls.
"""

from __future__ import annotations

import ast
import importlib
import tomllib
from pathlib import Path

import pytest

from tests.import_contracts import check

REPO = Path(__file__).resolve().parents[1]


def test_every_import_contract_is_kept() -> None:
    contracts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "importlinter"
    ]["contracts"]
    result = check(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Contracts: {len(contracts)} kept, 0 broken." in result.stdout


@pytest.mark.parametrize(
    ("name", "source", "contract"),
    [
        (
            "goalstudio.widgets._probe",
            "from goalstudio._plantext import parse_plan\n",
            "Widgets and grading use only the public names of the core BROKEN",
        ),
        (
            "goalstudio._probe",
            "import ipywidgets\n",
            "The core imports nothing from Jupyter, nbgrader, pandas or plotly BROKEN",
        ),
        (
            "goalstudio._probe",
            "from goalstudio.grading import feedback_html\n",
            "Only the command line reaches the Jupyter-facing packages BROKEN",
        ),
        (
            "goalstudio._probe",
            "from goalstudio.records import _store\n",
            "A private module is used only inside the package that holds it BROKEN",
        ),
    ],
)
def test_a_reach_in_breaks_its_contract(name: str, source: str, contract: str) -> None:
    result = check(REPO, {name: source})
    assert result.returncode != 0
    assert contract in result.stdout
    assert name in result.stdout


def _calls_to_import_machinery(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in {"import_module", "__import__"}:
                lines.append(node.lineno)
    return lines


def test_the_core_loads_no_module_behind_the_contracts_back() -> None:
    # import-linter reads import statements: a module loaded by name through importlib is an
    # import it cannot see, so in the core a lazy import is a plain import inside the function.
    found = [
        f"{path.relative_to(REPO)}:{line}"
        for path in sorted((REPO / "goalstudio").rglob("*.py"))
        # goalstudio.lazy imports the members a package's _LAZY table names; the test below
        # checks that every table stays inside its own package.
        if path != REPO / "goalstudio" / "lazy.py"
        for line in _calls_to_import_machinery(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert found == []


# Packages that load their heavier members on first use (goalstudio.lazy over a ``_LAZY`` table).
LAZY_PACKAGES = ["goalstudio.grading", "goalstudio.widgets", "goalstudio.widgets.dashboards"]


@pytest.mark.parametrize("package", sorted(LAZY_PACKAGES))
def test_lazy_names_load_only_their_own_package(package: str) -> None:
    # What a package loads by name must stay inside it, where the contracts would have allowed
    # the import anyway; and every lazy name must really load.
    module = importlib.import_module(package)
    lazy = vars(module)["_LAZY"]
    assert lazy
    for name, target in lazy.items():
        # A name within the package: a dotted name or a climb ("..x") could leave it.
        assert target.isidentifier(), (name, target)
        assert getattr(module, name) is not None


def test_widgets_load_no_module_by_name() -> None:
    found = [
        f"{path.relative_to(REPO)}:{line}"
        for path in sorted((REPO / "widgets").rglob("*.py"))
        for line in _calls_to_import_machinery(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert found == []


def _private_names_taken(tree: ast.AST) -> list[str]:
    taken = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("goalstudio"):
            outside = not node.module.startswith(("goalstudio.widgets", "goalstudio.grading"))
            for alias in node.names:
                if outside and alias.name.startswith("_") and not alias.name.startswith("__"):
                    taken.append(f"{node.module}.{alias.name} (line {node.lineno})")
    return taken


def test_widgets_and_grading_take_no_private_name_from_the_core() -> None:
    # The contracts see modules; this sees names, e.g. `from goalstudio.rubric import _helper`.
    found = [
        f"{path.relative_to(REPO)}: {name}"
        for folder in (REPO / "widgets", REPO / "grading")
        for path in sorted(folder.rglob("*.py"))
        for name in _private_names_taken(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert found == []
