"""The facilitator dashboards served by Voilà (``goalstudio dashboard``).

Each function builds one dashboard as an ipywidgets view over the records store (read from
``$GOALSTUDIO_RECORDS_URL`` unless a URL is given); the notebooks in ``course/facilitator/`` call
them in a hidden cell::

    from . import wait_for_viewer, workshop_board
    wait_for_viewer()
    workshop_board()
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from goalstudio.lazy import lazy_members

from ._common import (
    Dashboard,
    Names,
    esc,
    wait_for_viewer,
    warm_up,
)

if TYPE_CHECKING:
    from ._audit import AuditRounds, audit_rounds
    from ._board import WorkshopBoard, workshop_board
    from ._cohort import CohortProgress, cohort_progress
    from ._explorer import ScenarioExplorer, scenario_explorer
    from ._gap import CompetenceGap, competence_gap
    from ._language import LanguageBoard, language_board
    from ._profile import RubricProfile, rubric_profile
    from ._sample import fill_sample_store, sample_records_csv

# Each dashboard is imported when first used, so a page's kernel loads only its own dashboard
# (seven kernels preheat at once as the server starts; the audit rounds alone take 0.7 s).
_LAZY = {
    "AuditRounds": "_audit",
    "audit_rounds": "_audit",
    "WorkshopBoard": "_board",
    "workshop_board": "_board",
    "CohortProgress": "_cohort",
    "cohort_progress": "_cohort",
    "ScenarioExplorer": "_explorer",
    "scenario_explorer": "_explorer",
    "CompetenceGap": "_gap",
    "competence_gap": "_gap",
    "LanguageBoard": "_language",
    "language_board": "_language",
    "RubricProfile": "_profile",
    "rubric_profile": "_profile",
    "fill_sample_store": "_sample",
    "sample_records_csv": "_sample",
}


__getattr__ = lazy_members(__name__, _LAZY)


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
