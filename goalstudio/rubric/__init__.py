"""The plan-quality rubric: the five recording criteria, structure, language and chart review.

``review(plan)`` gives a verdict per criterion with its evidence, and findings that explain
themselves and point at the course section that teaches the point. ``classify(statement)``
labels one goal, objective or action step. ``chart_review(plan)`` suggests answers to the
COCAPP care plan review items. The language lexicon (``load_lexicon``) is data.
``feedback_digest(review)`` arranges a review for a learner: what works, the two or three
changes that matter most, then the rest grouped by kind with each explanation given once.

Nothing here rewrites a learner's words: the rubric suggests and explains.
"""

from goalstudio._vocabulary import (
    CRITERIA,
    CRITERION_SHORT_TITLES,
    CRITERION_TITLES,
    VERDICT_SCORES,
    VERDICT_WORDS,
    VERDICTS,
    Criterion,
    Verdict,
)
from goalstudio.rubric._chart import (
    CHART_ITEMS,
    HUMAN_NOTE,
    ChartEvidence,
    ChartItem,
    ChartReview,
    chart_review,
)
from goalstudio.rubric._classify import KINDS, LABELS, Classification, classify
from goalstudio.rubric._context import Rule
from goalstudio.rubric._digest import FeedbackDigest, FindingGroup, Strength, feedback_digest
from goalstudio.rubric._engine import RULES, review
from goalstudio.rubric._lexicon import Lexicon, load_lexicon
from goalstudio.rubric._lexicon_data import (
    CATEGORIES,
    LEXICON_DIR,
    LexiconEntry,
    LexiconError,
    TermMatch,
)
from goalstudio.rubric._recorded import person_sayings, quote_is_recorded
from goalstudio.rubric._types import (
    CriterionResult,
    Finding,
    Review,
    StatementLabel,
)

__all__ = [
    "CATEGORIES",
    "CHART_ITEMS",
    "CRITERIA",
    "CRITERION_SHORT_TITLES",
    "CRITERION_TITLES",
    "HUMAN_NOTE",
    "KINDS",
    "LABELS",
    "LEXICON_DIR",
    "RULES",
    "VERDICTS",
    "VERDICT_SCORES",
    "VERDICT_WORDS",
    "ChartEvidence",
    "ChartItem",
    "ChartReview",
    "Classification",
    "Criterion",
    "CriterionResult",
    "FeedbackDigest",
    "Finding",
    "FindingGroup",
    "Lexicon",
    "LexiconEntry",
    "LexiconError",
    "Review",
    "Rule",
    "StatementLabel",
    "Strength",
    "TermMatch",
    "Verdict",
    "chart_review",
    "classify",
    "feedback_digest",
    "load_lexicon",
    "person_sayings",
    "quote_is_recorded",
    "review",
]
