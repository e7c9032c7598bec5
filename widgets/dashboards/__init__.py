"""The facilitator dashboards served by Voilà (``goalstudio dashboard``).

Each function builds one dashboard as an ipywidgets view over the records store (read from
``$GOALSTUDIO_RECORDS_URL`` unless a URL is given); the notebooks in ``course/facilitator/`` call
them in a hidden cell::

    from . import wait_for_viewer, workshop_board
    wait_for_viewer()
    workshop_board()
"""

from ._audit import AuditRounds, audit_rounds
from ._board import WorkshopBoard, workshop_board
from ._cohort import CohortProgress, cohort_progress
from ._common import (
    Dashboard,
    Names,
    esc,
    wait_for_viewer,
    warm_up,
)
from ._explorer import ScenarioExplorer, scenario_explorer
from ._gap import CompetenceGap, competence_gap
from ._language import LanguageBoard, language_board
from ._profile import RubricProfile, rubric_profile
from ._sample import fill_sample_store, sample_records_csv

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
