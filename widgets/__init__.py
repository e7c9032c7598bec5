"""The interactive exercises: thin ipywidgets views over the core.

- ``LanguageSpotter``: mark the words that could hurt; see what the lexicon finds and why.
- ``GoalDiscovery``: listen to the person and capture their goals in their own words.
- ``PlanRewriter`` / ``PlanBuilder``: write the plan with live review of the five criteria.
- ``ExchangeMap``: four parties' views, agreements, differences kept, negotiated outcomes.
- ``RiskConversation``: a branching conversation about risk, then a decision record.
- ``ChartReview``: suggested answers to the COCAPP review items, confirmed by the learner.
- ``SelfRating`` and ``Reflection``: confidence before and after, reflections per module.
- ``AfterYouSubmit``: the module's model answer and common mistakes, once something is submitted.
- ``ConceptCheck``: a short question after a teaching block; each wrong answer explains itself.
- ``SortExercise``: place each statement in a group; each statement says where it belongs and why.

Each exercise takes a scenario (an id or a loaded ``Scenario``), autosaves to the records store
and restores the learner's draft when it is rebuilt. Every learner action is a public method,
so tests and facilitators can drive an exercise without a browser.

    from goalstudio.widgets import RiskConversation
    RiskConversation("bernie-cmht-allotment")
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from goalstudio.lazy import lazy_members

if TYPE_CHECKING:
    from .after import AfterYouSubmit
    from .chart import ChartReview
    from .check import ConceptCheck
    from .conversation import RiskConversation
    from .discovery import GoalDiscovery
    from .exchange import ExchangeMap
    from .plan import PlanBuilder, PlanRewriter
    from .rating import Reflection, SelfRating
    from .sort import SortExercise
    from .spotter import LanguageSpotter

# Each exercise is imported when first used, so a kernel that only serves a facilitator
# dashboard (goalstudio.widgets.dashboards) does not load every exercise (about a second).
_LAZY = {
    "AfterYouSubmit": "after",
    "ChartReview": "chart",
    "ConceptCheck": "check",
    "ExchangeMap": "exchange",
    "GoalDiscovery": "discovery",
    "LanguageSpotter": "spotter",
    "PlanBuilder": "plan",
    "PlanRewriter": "plan",
    "Reflection": "rating",
    "RiskConversation": "conversation",
    "SelfRating": "rating",
    "SortExercise": "sort",
}


__getattr__ = lazy_members(__name__, _LAZY)


__all__ = [
    "AfterYouSubmit",
    "ChartReview",
    "ConceptCheck",
    "ExchangeMap",
    "GoalDiscovery",
    "LanguageSpotter",
    "PlanBuilder",
    "PlanRewriter",
    "Reflection",
    "RiskConversation",
    "SelfRating",
    "SortExercise",
]
