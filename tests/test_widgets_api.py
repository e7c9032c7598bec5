"""The public API of goalstudio.widgets is pinned."""

from __future__ import annotations

import goalstudio.widgets as widgets


def test_widgets_all_is_pinned_and_sorted() -> None:
    assert widgets.__all__ == [
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
    assert widgets.__all__ == sorted(widgets.__all__)
    for name in widgets.__all__:
        assert getattr(widgets, name).__module__.startswith("goalstudio.widgets.")
