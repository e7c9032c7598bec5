"""Feedback pages that teach, and never show the checks' code.

nbgrader's own feedback is the graded notebook turned into HTML: it shows every test cell's
source, hidden tests included, and the tracebacks of failed checks. The page written here is
built from parts instead: the learner's answers, what each check found (as feedback, never as
code), the rubric's review of each plan (criteria chips, findings with reasons, alternatives,
the module to revisit) and the marker's scores and comments. Test cells contribute only their
feedback output; their source is never read into the page.

This module reads the graded notebook into plain values; ``feedback.html.j2`` lays them out,
with autoescape on, so every piece of learner text is escaped.
"""

from __future__ import annotations

import json
import re
from typing import Any

from goalstudio.rubric import VERDICT_WORDS, FindingGroup

from ._result import (
    RESULT_MIME,
    CheckResult,
    Point,
    check_view,
    revisit,
    templates,
)

_ANSWER_LINE = re.compile(r"^\s*%%answer\s*(\w*)")
_HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS\n?", re.DOTALL)
_LONG_ANSWER = 12  # lines; a longer answer is folded away above its review

Block = dict[str, Any]


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _meta(cell: dict[str, Any]) -> dict[str, Any]:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta if isinstance(meta, dict) else {}


def _check_from_output(cell: dict[str, Any]) -> CheckResult | None:
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        payload = data.get(RESULT_MIME)
        if isinstance(payload, str):
            try:
                payload = json.loads(payload)
            except ValueError:
                payload = None
        if isinstance(payload, dict):
            try:
                return CheckResult(
                    check=str(payload["check"]),
                    title=str(payload["title"]),
                    score=float(payload["score"]),
                    points=float(payload["points"]),
                    points_noted=tuple(
                        Point(
                            p["tone"],
                            str(p["message"]),
                            str(p.get("suggestion", "")),
                            tuple(str(a) for a in p.get("alternatives", [])),
                            str(p.get("teaches", "")),
                        )
                        for p in payload.get("points_noted", [])
                        if p.get("tone") in ("good", "partly", "missing")
                    ),
                    verdict=str(payload.get("verdict", "")),
                    teaches=str(payload.get("teaches", "")),
                    case=str(payload.get("case", "")),
                )
            except (KeyError, TypeError, ValueError):
                return None
    return None


def _failed_check(cell: dict[str, Any]) -> str | None:
    """A plain sentence for a check that could not run: the error's name only, never its text."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            name = str(output.get("ename", "an error"))
            if name in ("CellTimeoutError", "KeyboardInterrupt"):
                return (
                    "This check did not finish in time, because a cell above it ran too long. "
                    "Look for a cell that never stops, then run the notebook from the top."
                )
            return (
                f"This check could not read your answer ({name}). Run every cell from the top, "
                "check the answer cell starts with its '%%answer' line, and resubmit."
            )
    return None


def _review(plan_text: str, case_id: str) -> Block | None:
    """The rubric's review of a plan, arranged to be read to the end: the criteria chips, what
    the plan does well, the two or three changes that matter most, then the rest by kind."""
    from goalstudio import PlanParseError
    from goalstudio.rubric import CRITERIA, CRITERION_TITLES, feedback_digest, review

    from ._case import scenario

    try:
        case = scenario(case_id)
        result = review(plan_text, locale=case.locale, scenario=case)
    except PlanParseError:
        return {"unreadable": True}
    except Exception:
        return None
    digest = feedback_digest(result)
    return {
        "unreadable": False,
        "chips": [
            {
                "verdict": result.verdict(c),
                "title": CRITERION_TITLES[c],
                "word": VERDICT_WORDS[result.verdict(c)],
            }
            for c in CRITERIA
        ],
        "strengths": [{"title": s.title, "text": s.text} for s in digest.strengths],
        "priorities": [_group(g) for g in digest.priorities],
        "priorities_heading": (
            "The changes that would matter most"
            if any(g.severity == "warning" for g in digest.priorities)
            else "Worth a look (notes, not problems)"
        ),
        "groups": [_group(g) for g in digest.groups],
        "count": sum(len(g.places) for g in digest.groups),
    }


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _group(group: FindingGroup) -> Block:
    """One kind of finding: where it is, what to try, why it matters, where it is taught."""
    places = []
    for place in group.places:
        own = group.own_suggestion(place)
        if not group.place_text(place) and not place.quote and not own:
            continue  # about the plan as a whole: the heading says it
        quoted = place.quote not in place.message  # the message may already quote it
        places.append(
            {
                "text": group.place_text(place),
                "quote": _short(place.quote) if quoted else "",
                "own": own,
            }
        )
    n = len(group.places)
    return {
        "title": group.title,
        "criterion_title": group.criterion_title,
        "where": f"{n} place{'s' if n != 1 else ''}",
        "places": places,
        "suggestion": group.suggestion,
        "why": group.why,
        "alternatives": "; ".join(dict.fromkeys(a for p in group.places for a in p.alternatives)),
        "revisit": revisit(group.teaches) if group.teaches else "",
    }


def render_feedback(
    notebook: dict[str, Any],
    *,
    learner: str,
    assignment: str,
    grades: dict[str, dict[str, Any]],
    comments: dict[str, str],
    score: float | None = None,
    max_score: float | None = None,
    late_penalty: float = 0.0,
) -> str:
    """The feedback page for one graded notebook, as a complete HTML document."""
    total = ""
    if score is not None and max_score is not None:
        total = f"{score - late_penalty:g} of {max_score:g} points"
        if late_penalty:
            total += f" (after {late_penalty:g} points for lateness)"
    page = (
        templates()
        .get_template("feedback.html.j2")
        .render(
            assignment=assignment,
            learner=learner,
            total=total,
            blocks=_scores_together(_blocks(notebook, grades, comments)),
            long_answer=_LONG_ANSWER,
        )
    )
    return str(page)


def _case_of(notebook: dict[str, Any]) -> str:
    for cell in notebook.get("cells", []):
        check = _check_from_output(cell)
        if check and check.case:
            return check.case
    return ""


def _blocks(
    notebook: dict[str, Any], grades: dict[str, dict[str, Any]], comments: dict[str, str]
) -> list[Block]:
    """The page's parts, cell by cell: headings, answers with their reviews, checks, marks."""
    case_id = _case_of(notebook)
    reviewed = False  # once the rubric review is on the page, criterion checks point to it
    blocks: list[Block] = []
    for cell in notebook.get("cells", []):
        meta = _meta(cell)
        grade_id = str(meta.get("grade_id", ""))
        source = _source(cell)
        if cell.get("cell_type") == "markdown":
            if meta.get("task") or (meta.get("grade") and meta.get("solution")):
                blocks.append(_marked(grade_id, source, grades, comments))
            elif source.lstrip().startswith("#"):
                heading = source.strip().splitlines()[0].lstrip("#").strip()
                blocks.append({"kind": "heading", "text": heading})
            continue
        if meta.get("solution"):
            match = _ANSWER_LINE.match(source)
            kind = match.group(1) if match else ""
            text = (
                source.split("\n", 1)[1] if match and "\n" in source else ("" if match else source)
            )
            review = None
            if kind == "plan" and text.strip() and case_id:
                review = _review(text, case_id)
                reviewed = reviewed or bool(review and not review["unreadable"])
            blocks.append(
                {
                    "kind": "answer",
                    "answer_kind": kind,
                    "text": text.strip(),
                    "lines": text.strip().count("\n") + 1,
                    "review": review,
                }
            )
            if meta.get("grade"):
                blocks.append(_marked(grade_id, "", grades, comments))
            continue
        if meta.get("grade"):
            blocks.append(_check_block(cell, grades.get(grade_id, {}), reviewed))
            if comments.get(grade_id, ""):
                blocks.append({"kind": "comment", "text": comments[grade_id]})
    return blocks


def _check_block(cell: dict[str, Any], grade: dict[str, Any], reviewed: bool) -> Block:
    """What a check found (never its code), with the marker's score when it differs."""
    check = _check_from_output(cell)
    if check is None:
        got = grade.get("score")
        scored = f" ({got:g} of {grade.get('max_score', 0):g} points)" if got is not None else ""
        failed = _failed_check(cell) or "This check gave no feedback."
        return {"kind": "failed", "text": failed, "scored": scored}
    shown = check
    if grade.get("score") is not None and grade.get("score") != check.score:
        shown = CheckResult(
            check.check,
            check.title,
            float(grade["score"]),
            check.points,
            check.points_noted,
            check.verdict,
            check.teaches,
            check.case,
        )
    passed = shown.passed and all(p.tone == "good" for p in shown.points_noted)
    if reviewed and (shown.check.startswith("criterion-") or passed):
        return _check_line(shown)  # the review above explains the criteria
    return {"kind": "check", "result": check_view(shown)}


def _check_line(result: CheckResult) -> Block:
    """A check as one row of the scores table: a criterion's verdict (the review above explains
    it), or what a passed check found."""
    said = VERDICT_WORDS.get(result.verdict, "") if result.check.startswith("criterion-") else ""
    return {
        "kind": "score_row",
        "check": result.check,
        "title": result.title,
        "score": f"{result.score:g}",
        "points": f"{result.points:g}",
        "said": said or " ".join(p.message for p in result.points_noted),
    }


def _scores_together(blocks: list[Block]) -> list[Block]:
    """Consecutive score rows joined into one table."""
    out: list[Block] = []
    for block in blocks:
        if block["kind"] != "score_row":
            out.append(block)
        elif out and out[-1]["kind"] == "scores":
            out[-1]["rows"].append(block)
        else:
            out.append({"kind": "scores", "rows": [block]})
    return out


def _marked(
    grade_id: str, source: str, grades: dict[str, dict[str, Any]], comments: dict[str, str]
) -> Block:
    """A part the marker scores: the task and how it is marked, the score, the comment."""
    grade = grades.get(grade_id, {})
    first, _, rest = source.strip().partition("\n")
    titled = first.startswith("#") and bool(rest.strip())  # the task's heading, then its rubric
    score = grade.get("score")
    return {
        "kind": "marked",
        "heading": first.lstrip("#").strip() if titled else "",
        "rubric": rest.strip() if titled else source.strip(),
        "score": f"{score:g}" if score is not None else None,
        "max_score": f"{grade.get('max_score', 0):g}",
        "unmarked": bool(grade),
        "comment": comments.get(grade_id, ""),
    }


def strip_for_feedback(cell: Any) -> Any:
    """For nbgrader's own feedback: drop test code and tracebacks from a graded cell."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    if cell.get("cell_type") == "code" and meta.get("grade") and not meta.get("solution"):
        cell["source"] = "# The code of this check is not shown; its feedback is below."
    elif cell.get("cell_type") == "code":
        cell["source"] = _HIDDEN.sub("", _source(cell))
    kept = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            kept.append(
                {
                    "output_type": "stream",
                    "name": "stdout",
                    "text": f"This cell stopped with {output.get('ename', 'an error')}.\n",
                }
            )
        else:
            kept.append(output)
    if cell.get("cell_type") == "code":
        cell["outputs"] = kept
    return cell
