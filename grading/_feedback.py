"""Feedback pages that teach, and never show the checks' code.

nbgrader's own feedback is the graded notebook turned into HTML: it shows every test cell's
source, hidden tests included, and the tracebacks of failed checks. The page written here is
built from parts instead: the learner's answers, what each check found (as feedback, never as
code), the rubric's review of each plan (criteria chips, findings with reasons, alternatives,
the module to revisit) and the marker's scores and comments. Test cells contribute only their
feedback output; their source is never read into the page. Every piece of learner text is
escaped.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from goalstudio.grading._result import (
    RESULT_MIME,
    CheckResult,
    Point,
    render_result_html,
    revisit,
)
from goalstudio.rubric import VERDICT_WORDS, FindingGroup

_ANSWER_LINE = re.compile(r"^\s*%%answer\s*(\w*)")
_HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS\n?", re.DOTALL)
_LONG_ANSWER = 12  # lines; a longer answer is folded away above its review

_STYLE = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:52rem;margin:2rem auto;
padding:0 1rem;color:#1b1b1b;line-height:1.5}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ccc}
pre.gs-answer{background:#f6f6f6;border-left:4px solid #555;padding:.75rem;white-space:pre-wrap}
.gs-chip{display:inline-block;border-radius:1rem;padding:.1rem .7rem;margin:.15rem;
font-size:.9rem;border:1px solid #555}
.gs-met{background:#e3f4e1}.gs-partly{background:#fff4d6}.gs-not_met{background:#fde2e1}
.gs-check{border:1px solid #ccc;border-radius:.4rem;padding:.5rem .75rem;margin:.5rem 0}
.gs-tone{font-weight:600}.gs-try,.gs-revisit,.gs-alts{margin-left:1rem}
.gs-comment{background:#eef3fb;border-left:4px solid #2b5797;padding:.5rem .75rem}
.gs-score{font-size:1.1rem;font-weight:600}
h4{margin:1.2rem 0 .3rem}.gs-review ol,.gs-review ul{margin:.3rem 0;padding-left:1.5rem}
.gs-top>li{margin-bottom:.8rem}.gs-places{font-size:.95rem}.gs-places q{color:#3a3a3a}
.gs-why,.gs-alts,.gs-try,.gs-revisit{margin-left:1rem}.gs-why{color:#333}
details.gs-kind{border-top:1px solid #ddd;padding:.25rem 0}details.gs-kind>summary{cursor:pointer}
details.gs-kind[open]{padding-bottom:.5rem}.gs-where,.gs-hint{color:#555;font-size:.9rem}
details>summary:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}
table.gs-scores{border-collapse:collapse;margin:.5rem 0}table.gs-scores caption{text-align:left;
font-weight:600;padding:.25rem 0}
table.gs-scores td{border-top:1px solid #ddd;padding:.2rem .8rem .2rem 0}
table.gs-scores td:nth-child(2){white-space:nowrap}
"""


def _esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


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


def _review_html(plan_text: str, case_id: str) -> str:
    """The rubric's review of a plan, arranged to be read to the end: the criteria chips, what
    the plan does well, the two or three changes that matter most, then the rest by kind."""
    from goalstudio import PlanParseError
    from goalstudio.grading._case import scenario
    from goalstudio.rubric import CRITERIA, CRITERION_TITLES, feedback_digest, review

    try:
        case = scenario(case_id)
        result = review(plan_text, locale=case.locale, scenario=case)
    except PlanParseError:
        return "<p>The rubric could not review this plan, because it could not be read.</p>"
    except Exception:
        return ""
    chips = "".join(
        f'<span class="gs-chip gs-{_esc(result.verdict(c))}">{_esc(CRITERION_TITLES[c])}: '
        f"{_esc(VERDICT_WORDS[result.verdict(c)])}</span>"
        for c in CRITERIA
    )
    digest = feedback_digest(result)
    parts = [f'<div class="gs-review"><h3>Rubric review</h3><p>{chips}</p>']
    if digest.strengths:
        well = "".join(
            f"<li><strong>{_esc(s.title)}</strong>: {_esc(s.text)}</li>" for s in digest.strengths
        )
        parts.append(f'<h4>What your plan does well</h4><ul class="gs-well">{well}</ul>')
    if digest.priorities:
        top = "".join(_priority_html(g) for g in digest.priorities)
        heading = (
            "The changes that would matter most"
            if any(g.severity == "warning" for g in digest.priorities)
            else "Worth a look (notes, not problems)"
        )
        parts.append(f'<h4>{heading}</h4><ol class="gs-top">{top}</ol>')
    if digest.groups:
        count = sum(len(g.places) for g in digest.groups)
        kinds = "".join(_group_html(g) for g in digest.groups)
        parts.append(
            f"<h4>Other things to look at ({count}, in {len(digest.groups)} kinds: open one to "
            "see why it matters and where)</h4>"
            f"{kinds}"
        )
    if not digest.priorities and not digest.groups:
        parts.append("<p>The rubric found nothing to change.</p>")
    parts.append("</div>")
    return "".join(parts)


def _quote(text: str, limit: int = 90) -> str:
    short = text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
    return f" <q>{_esc(short)}</q>" if short else ""


def _places_html(group: FindingGroup) -> str:
    items = []
    for place in group.places:
        own = group.own_suggestion(place)
        if not group.place_text(place) and not place.quote and not own:
            continue  # about the plan as a whole: the heading says it
        items.append(
            f"<li>{_esc(group.place_text(place))}"
            + (_quote(place.quote) if place.quote not in place.message else "")
            + (f" <em>Try: {_esc(own)}</em>" if own else "")
            + "</li>"
        )
    return f'<ul class="gs-places">{"".join(items)}</ul>' if items else ""


def _advice_html(group: FindingGroup) -> str:
    parts = []
    if group.suggestion:
        parts.append(f'<div class="gs-try">Try: {_esc(group.suggestion)}</div>')
    if group.why:
        parts.append(f'<div class="gs-why">Why it matters: {_esc(group.why)}</div>')
    alternatives = list(dict.fromkeys(a for p in group.places for a in p.alternatives))
    if alternatives:
        parts.append(f'<div class="gs-alts">You could write: {_esc("; ".join(alternatives))}</div>')
    if group.teaches:
        parts.append(f'<div class="gs-revisit">Revisit: {_esc(revisit(group.teaches))}</div>')
    return "".join(parts)


def _priority_html(group: FindingGroup) -> str:
    return (
        f"<li><strong>{_esc(group.criterion_title)}: {_esc(group.title)}</strong>"
        f"{_places_html(group)}{_advice_html(group)}</li>"
    )


def _group_html(group: FindingGroup) -> str:
    n = len(group.places)
    where = f"{n} place{'s' if n != 1 else ''}"
    return (
        f'<details class="gs-kind"><summary>{_esc(group.title)} '
        f'<span class="gs-where">({_esc(group.criterion_title)}; {where})</span></summary>'
        f"{_advice_html(group)}{_places_html(group)}</details>"
    )


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
    parts = [
        f"<h1>Feedback: {_esc(assignment)}</h1>",
        f"<p>For <strong>{_esc(learner)}</strong>.</p>",
    ]
    if score is not None and max_score is not None:
        total = f"{score - late_penalty:g} of {max_score:g} points"
        if late_penalty:
            total += f" (after {late_penalty:g} points for lateness)"
        parts.append(f'<p class="gs-score">Your score: {_esc(total)}</p>')
    parts.append(
        "<p>Start with the rubric review under your answer: what your plan does well, then the "
        "changes that would matter most, then the rest grouped by kind. The checks give your "
        "scores.</p>"
    )
    case_id = ""
    reviewed = False  # once the rubric review is on the page, criterion checks point to it
    for cell in notebook.get("cells", []):
        check = _check_from_output(cell)
        if check and check.case:
            case_id = check.case
            break
    for cell in notebook.get("cells", []):
        meta = _meta(cell)
        grade_id = str(meta.get("grade_id", ""))
        source = _source(cell)
        if cell.get("cell_type") == "markdown":
            if meta.get("task") or (meta.get("grade") and meta.get("solution")):
                parts.append(_marked_html(grade_id, source, grades, comments, show_source=True))
            elif source.lstrip().startswith("#"):
                heading = source.strip().splitlines()[0].lstrip("#").strip()
                parts.append(f"<h2>{_esc(heading)}</h2>")
            continue
        if meta.get("solution"):
            match = _ANSWER_LINE.match(source)
            kind = match.group(1) if match else ""
            text = (
                source.split("\n", 1)[1] if match and "\n" in source else ("" if match else source)
            )
            parts.append(f"<h3>Your answer{(' (' + _esc(kind) + ')') if kind else ''}</h3>")
            answer = f'<pre class="gs-answer">{_esc(text.strip()) or "(empty)"}</pre>'
            lines = text.strip().count("\n") + 1
            if lines > _LONG_ANSWER:  # the review below quotes what it is about
                answer = (
                    f"<details><summary>Show your answer as you handed it in ({lines} lines)"
                    f"</summary>{answer}</details>"
                )
            parts.append(answer)
            if kind == "plan" and text.strip() and case_id:
                review = _review_html(text, case_id)
                reviewed = reviewed or "gs-review" in review
                parts.append(review)
            if meta.get("grade"):
                parts.append(_marked_html(grade_id, "", grades, comments, show_source=False))
            continue
        if meta.get("grade"):
            check = _check_from_output(cell)
            grade = grades.get(grade_id, {})
            if check is not None:
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
                    parts.append(_check_line(shown))  # the review above explains the criteria
                else:
                    parts.append(render_result_html(shown))
            else:
                failed = _failed_check(cell) or "This check gave no feedback."
                got = grade.get("score")
                scored = (
                    f" ({got:g} of {grade.get('max_score', 0):g} points)" if got is not None else ""
                )
                parts.append(f'<div class="gs-check">{_esc(failed)}{_esc(scored)}</div>')
            comment = comments.get(grade_id, "")
            if comment:
                parts.append(f'<div class="gs-comment">Marker: {_esc(comment)}</div>')
    body = "\n".join(_tables(parts))
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>Feedback: {_esc(assignment)}</title><style>{_STYLE}</style></head>"
        f"<body>\n{body}\n</body></html>\n"
    )


def _check_line(result: CheckResult) -> str:
    """A check as one row of the scores table: a criterion's verdict (the review above explains
    it), or what a passed check found."""
    said = VERDICT_WORDS.get(result.verdict, "") if result.check.startswith("criterion-") else ""
    said = said or " ".join(p.message for p in result.points_noted)
    return (
        f'<tr class="gs-check-line" data-check="{_esc(result.check)}">'
        f"<td>{_esc(result.title)}</td><td>{result.score:g} of {result.points:g} points</td>"
        f"<td>{_esc(said)}</td></tr>"
    )


def _tables(parts: list[str]) -> list[str]:
    """Consecutive score rows joined into one table."""
    out: list[str] = []
    for part in parts:
        if part.startswith("<tr"):
            if not (out and out[-1].startswith("<table")):
                out.append(
                    '<table class="gs-scores"><caption>Your scores, check by check (the rubric '
                    "review above explains the criteria)</caption></table>"
                )
            out[-1] = out[-1].removesuffix("</table>") + part + "</table>"
        else:
            out.append(part)
    return out


def _marked_html(
    grade_id: str,
    source: str,
    grades: dict[str, dict[str, Any]],
    comments: dict[str, str],
    *,
    show_source: bool,
) -> str:
    grade = grades.get(grade_id, {})
    out = []
    if show_source and source.strip():
        first, _, rest = source.strip().partition("\n")
        if first.startswith("#") and rest.strip():  # the task's heading, then how it is marked
            out.append(f"<h3>{_esc(first.lstrip('#').strip())}</h3>")
            out.append(
                '<details class="gs-rubric"><summary>How your trainer marks this</summary>'
                f'<pre class="gs-answer">{_esc(rest.strip())}</pre></details>'
            )
        else:
            out.append(
                f'<div class="gs-rubric"><pre class="gs-answer">{_esc(source.strip())}</pre></div>'
            )
    if grade.get("score") is not None:
        out.append(
            f'<p class="gs-score">Marker\'s score: {grade["score"]:g} of '
            f"{grade.get('max_score', 0):g}</p>"
        )
    elif grade:
        out.append("<p>Not marked yet: your trainer will add a score and comments.</p>")
    comment = comments.get(grade_id, "")
    if comment:
        out.append(f'<div class="gs-comment">Marker: {_esc(comment)}</div>')
    return "".join(out)


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
