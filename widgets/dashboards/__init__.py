"""The facilitator dashboards served by Voilà (``goalstudio dashboard``).

Each function builds one dashboard as an ipywidgets view over the records store (read from
``$GOALSTUDIO_RECORDS_URL`` unless a URL is given); the notebooks in ``course/facilitator/`` call
them in a hidden cell::

    from goalstudio.widgets.dashboards import wait_for_viewer, workshop_board
    wait_for_viewer()
    workshop_board()
"""

from goalstudio.widgets.dashboards._audit import AuditRounds, audit_rounds
from goalstudio.widgets.dashboards._board import WorkshopBoard, workshop_board
from goalstudio.widgets.dashboards._cohort import CohortProgress, cohort_progress
from goalstudio.widgets.dashboards._common import (
    Dashboard,
    Names,
    esc,
    wait_for_viewer,
    warm_up,
)
from goalstudio.widgets.dashboards._explorer import ScenarioExplorer, scenario_explorer
from goalstudio.widgets.dashboards._gap import CompetenceGap, competence_gap
from goalstudio.widgets.dashboards._language import LanguageBoard, language_board
from goalstudio.widgets.dashboards._profile import RubricProfile, rubric_profile
from goalstudio.widgets.dashboards._sample import fill_sample_store, sample_records_csv

__all__ = [
    "AuditRounds",
    "CohortProgress",
    "CompetenceGap",
    "Dashboard",
    "LanguageBoard",
    "Names",
    "RubricProfile",
    "ScenarioExplorer",
    "WorkshopBoard",
    "audit_rounds",
    "cohort_progress",
    "competence_gap",
    "esc",
    "fill_sample_store",
    "language_board",
    "rubric_profile",
    "sample_records_csv",
    "scenario_explorer",
    "wait_for_viewer",
    "warm_up",
    "workshop_board",
]
