"""An nbgrader preprocessor so that even ``nbgrader generate_feedback`` does not leak tests.

``goalstudio workshop init`` lists it in ``GenerateFeedback.preprocessors``. It replaces the
source of every test cell, removes any hidden-test region, and turns tracebacks into one line.
"""

from __future__ import annotations

from typing import Any

from nbgrader.preprocessors import NbGraderPreprocessor

from ._feedback import strip_for_feedback


class HideTestsFromFeedback(NbGraderPreprocessor):  # type: ignore[misc]
    """Keep check code, hidden tests and tracebacks out of nbgrader's feedback HTML."""

    def preprocess_cell(self, cell: Any, resources: Any, index: int) -> tuple[Any, Any]:
        return strip_for_feedback(cell), resources
