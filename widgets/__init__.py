"""The interactive exercises: thin ipywidgets views over the core.

Each exercise takes a scenario (an id or a loaded ``Scenario``), autosaves to the records store
and restores the learner's draft when it is rebuilt. Every learner action is a public method.

    from goalstudio.widgets import RiskConversation
    RiskConversation("bernie-cmht-allotment")
"""

from goalstudio.widgets.chart import ChartReview
from goalstudio.widgets.conversation import RiskConversation
from goalstudio.widgets.discovery import GoalDiscovery
from goalstudio.widgets.exchange import ExchangeMap
from goalstudio.widgets.plan import PlanBuilder, PlanRewriter
from goalstudio.widgets.rating import Reflection, SelfRating
from goalstudio.widgets.spotter import LanguageSpotter

__all__ = [
    "ChartReview",
    "ExchangeMap",
    "GoalDiscovery",
    "LanguageSpotter",
    "PlanBuilder",
    "PlanRewriter",
    "Reflection",
    "RiskConversation",
    "SelfRating",
]
