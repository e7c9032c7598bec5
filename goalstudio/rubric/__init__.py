"""The plan-quality rubric (work in progress)."""

from goalstudio.rubric._classify import KINDS, LABELS, Classification, classify

__all__ = ["KINDS", "LABELS", "Classification", "classify"]
