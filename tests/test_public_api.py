"""The core's public API is pinned, and the core never imports Jupyter."""

from __future__ import annotations

import subprocess
import sys

import goalstudio

CORE_API = [
    "DEFAULT_LOCALE",
    "LOCALES",
    "MAX_PLAN_BYTES",
    "OWNERS",
    "PARTIES",
    "SCHEMA_VERSION",
    "ActionStep",
    "Agreement",
    "AssessmentFinding",
    "Choice",
    "Conversation",
    "DeferredNeed",
    "Disagreement",
    "DiscoveryTurn",
    "Effect",
    "Ending",
    "ExchangeRecord",
    "FacilitatorNotes",
    "Goal",
    "Locale",
    "LocaleCode",
    "Node",
    "Objective",
    "Owner",
    "Party",
    "PersonProfile",
    "Perspective",
    "Plan",
    "PlanDisagreement",
    "PlanParseError",
    "PlanProblem",
    "Pronouns",
    "RiskDecision",
    "RiskDecisionStart",
    "RiskItem",
    "RiskOption",
    "SafetyMeasure",
    "Scenario",
    "ScenarioError",
    "ScenarioProblem",
    "ScenarioSummary",
    "Setting",
    "SourceSpan",
    "__version__",
    "current_learner",
    "environment",
    "format_plan",
    "get_locale",
    "list_scenarios",
    "load_scenario",
    "parse_plan",
    "pronouns_of",
    "resolve_owner",
]


def test_core_all_is_pinned_and_sorted() -> None:
    assert goalstudio.__all__ == CORE_API
    for name in goalstudio.__all__:
        assert hasattr(goalstudio, name), name


def test_core_never_imports_jupyter() -> None:
    code = (
        "import sys, goalstudio, goalstudio.cli, goalstudio._plantext, goalstudio.courseware.workspace\n"
        "import goalstudio.rubric, goalstudio.records, goalstudio.records.reports\n"
        "import goalstudio.scenarios\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'jupyter_core', 'jupyter_client', 'jupyter_server', 'jupyterlab', 'ipywidgets', "
        "'IPython', 'nbgrader', 'nbformat', 'voila', 'ipykernel', 'pandas', 'plotly'})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
