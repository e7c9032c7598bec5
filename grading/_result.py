"""The result of one autograded check: a score nbgrader can read, and feedback a learner can use.

nbgrader gives partial credit when the last value of a test cell prints as a number. A
``CheckResult`` prints as its score in plain text (what nbgrader reads) and shows itself as
feedback in HTML (what the learner and the feedback page show). It never raises, so a learner
never sees an ``AssertionError`` traceback: what went wrong is written as feedback instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import jinja2

Tone = Literal["good", "partly", "missing"]

# The HTML carries this marker so the feedback page can find the check's own feedback.
RESULT_MIME = "application/vnd.goalstudio.check+json"


@dataclass(frozen=True)
class Point:
    """One thing the check noticed: what it is, whether it is good, and what to try next."""

    tone: Tone
    message: str
    suggestion: str = ""
    alternatives: tuple[str, ...] = ()
    teaches: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "tone": self.tone,
            "message": self.message,
            "suggestion": self.suggestion,
            "alternatives": list(self.alternatives),
            "teaches": self.teaches,
        }


@dataclass(frozen=True)
class CheckResult:
    """A score out of ``points``, with the feedback that explains it."""

    check: str
    title: str
    score: float
    points: float
    points_noted: tuple[Point, ...] = field(default_factory=tuple)
    verdict: str = ""
    teaches: str = ""
    case: str = ""

    def __post_init__(self) -> None:
        if self.points < 0:
            raise ValueError("points must not be negative")
        clipped = min(max(float(self.score), 0.0), float(self.points))
        object.__setattr__(self, "score", round(clipped, 2))

    # -- what nbgrader reads ---------------------------------------------------------------

    def __float__(self) -> float:
        return float(self.score)

    def __repr__(self) -> str:
        # nbgrader reads text/plain as the partial credit: keep it a bare number.
        return _number(self.score)

    # -- what people read ------------------------------------------------------------------

    @property
    def passed(self) -> bool:
        return self.score >= self.points

    def summary(self) -> str:
        return f"{self.title}: {_number(self.score)} of {_number(self.points)} points"

    def text(self) -> str:
        """The feedback as plain text (for the command line and logs)."""
        lines = [self.summary()]
        for point in self.points_noted:
            mark = {"good": "+", "partly": "~", "missing": "-"}[point.tone]
            lines.append(f"  {mark} {point.message}")
            if point.suggestion:
                lines.append(f"    Try: {point.suggestion}")
            if point.alternatives:
                lines.append(f"    You could write: {'; '.join(point.alternatives)}")
            if point.teaches:
                lines.append(f"    Revisit: {revisit(point.teaches)}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "title": self.title,
            "score": self.score,
            "points": self.points,
            "verdict": self.verdict,
            "teaches": self.teaches,
            "case": self.case,
            "points_noted": [p.to_dict() for p in self.points_noted],
        }

    def _repr_html_(self) -> str:
        return render_result_html(self)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {
            "text/plain": repr(self),
            "text/html": render_result_html(self),
            RESULT_MIME: self.to_dict(),
        }


def _number(value: float) -> str:
    return f"{value:g}"


def revisit(teaches: str) -> str:
    """'03-from-deficits-to-outcomes#outputs' -> 'Module 3, From problem lists to outcomes:
    Outputs and outcomes': the module's title and the section's heading as the learner sees
    them (never the link's hyphenated words)."""
    from goalstudio.courseware.manifest import where_taught

    return where_taught(teaches)


_TONE_LABEL = {"good": "Done well", "partly": "Partly there", "missing": "To work on"}


def templates() -> jinja2.Environment:
    """grading's HTML templates (package files), made by the studio's one HTML set-up, so every
    value is escaped. Loaded on first use, so a notebook that only runs checks does not import
    Jinja2 until one is shown."""
    from goalstudio.templates import html_templates

    return html_templates("goalstudio.grading")


def check_view(result: CheckResult) -> dict[str, Any]:
    """What ``check.html.j2`` shows of a check: its title and score, and each point noted."""
    return {
        "state": "good" if result.passed else ("partly" if result.score > 0 else "missing"),
        "check": result.check,
        "title": result.title,
        "score": _number(result.score),
        "points": _number(result.points),
        "noted": [
            {
                "tone": point.tone,
                "label": _TONE_LABEL[point.tone],
                "message": point.message,
                "suggestion": point.suggestion,
                "alternatives": list(point.alternatives),
                "revisit": revisit(point.teaches) if point.teaches else "",
            }
            for point in result.points_noted
        ],
    }


def render_result_html(result: CheckResult) -> str:
    """The check's feedback as a small HTML block. Every piece of learner text is escaped."""
    return templates().get_template("check.html.j2").render(result=check_view(result))
