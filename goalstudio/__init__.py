"""Goal Discovery Studio: the core (plan model, plan text, scenarios, locale terms).

The core never imports Jupyter, so the same code runs in a widget, an nbgrader cell,
the command line and a dashboard.
"""

from goalstudio import _environment as environment
from goalstudio._conversation import Choice, Conversation, Effect, Ending, Node
from goalstudio._exchange import (
    PARTIES,
    Agreement,
    Disagreement,
    ExchangeRecord,
    Party,
    Perspective,
)
from goalstudio._locale import Locale, get_locale
from goalstudio._model import (
    OWNERS,
    SCHEMA_VERSION,
    ActionStep,
    DeferredNeed,
    Goal,
    Objective,
    Owner,
    Plan,
    PlanDisagreement,
    SourceSpan,
)
from goalstudio._owners import resolve_owner
from goalstudio._plantext import (
    MAX_PLAN_BYTES,
    PlanParseError,
    PlanProblem,
    format_plan,
    parse_plan,
)
from goalstudio._pronouns import Pronouns, pronouns_of
from goalstudio._risk import RiskDecision, RiskOption, SafetyMeasure
from goalstudio._scenarios import (
    ScenarioError,
    ScenarioProblem,
    ScenarioSummary,
    list_scenarios,
)
from goalstudio._scenarios import load as load_scenario
from goalstudio._scenarios.model import (
    AssessmentFinding,
    DiscoveryTurn,
    FacilitatorNotes,
    PersonProfile,
    RiskDecisionStart,
    RiskItem,
    Scenario,
    Setting,
)
from goalstudio._version import __version__
from goalstudio._vocabulary import DEFAULT_LOCALE, LOCALES, LocaleCode
from goalstudio.learner import current_learner

__all__ = [
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
