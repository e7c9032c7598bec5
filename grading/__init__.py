"""nbgrader integration: checks for autograded cells, cohort autograding, feedback, gradebook.

In an assignment notebook::

    from goalstudio import grading
    work = grading.start("02-rewrite-the-plan")     # the learner's case
    # an answer cell:  %%answer plan  (then plain plan text)
    work.criterion("outcomes", points=2)           # a test cell: score + feedback

Checks never raise for a learner's text and return a ``CheckResult``: nbgrader reads its score
as partial credit, and the learner reads its feedback. The course-level tools (``autograde``,
``feedback``, ``gradebook_frame``...) import nbgrader and pandas only when first used, so a
notebook that only runs checks stays quick to start.
"""

from __future__ import annotations

from goalstudio.lazy import lazy_members

from ._answers import (
    read_exchange,
    read_labels,
    read_phrases,
    read_risk,
)
from ._case import choose, learner_id
from ._checks import (
    VERDICT_CREDIT,
    criterion,
    exchange_negotiation,
    exchange_views,
    labelled_outputs,
    output_items,
    plan_readable,
    rewritten,
    risk_record,
    spotted_language,
)
from ._notebook import Assignment, current, record, start
from ._result import CheckResult, Point

_LAZY = {
    "AutogradeReport": "_autograde",
    "Course": "_course_folder",
    "FeedbackReport": "_feedback_files",
    "HideTestsFromFeedback": "_preprocessor",
    "LearnerResult": "_autograde",
    "WorkshopError": "_course_folder",
    "adopt_orphans": "_processes",
    "assign": "_handout",
    "autograde": "_autograde",
    "automatic_verdicts": "_practice",
    "available_assignments": "_course_folder",
    "collect": "_handout",
    "feedback": "_feedback_files",
    "gradebook_frame": "_gradebook",
    "gradebook_scores": "_gradebook",
    "grades_table": "_gradebook",
    "init_course": "_course_folder",
    "open_course": "_course_folder",
    "render_feedback": "_feedback",
    "write_grades_csv": "_gradebook",
}


__getattr__ = lazy_members(__name__, _LAZY)


__all__ = [
    "VERDICT_CREDIT",
    "Assignment",
    "AutogradeReport",
    "CheckResult",
    "Course",
    "FeedbackReport",
    "HideTestsFromFeedback",
    "LearnerResult",
    "Point",
    "WorkshopError",
    "adopt_orphans",
    "assign",
    "autograde",
    "automatic_verdicts",
    "available_assignments",
    "choose",
    "collect",
    "criterion",
    "current",
    "exchange_negotiation",
    "exchange_views",
    "feedback",
    "gradebook_frame",
    "gradebook_scores",
    "grades_table",
    "init_course",
    "labelled_outputs",
    "learner_id",
    "open_course",
    "output_items",
    "plan_readable",
    "read_exchange",
    "read_labels",
    "read_phrases",
    "read_risk",
    "record",
    "render_feedback",
    "rewritten",
    "risk_record",
    "spotted_language",
    "start",
    "write_grades_csv",
]
