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
import shutil
from pathlib import Path
from typing import Any

from goalstudio.grading._result import (
    RESULT_MIME,
    CheckResult,
    Point,
    render_result_html,
    revisit,
)
from goalstudio.grading._workshop import Course, WorkshopError

_ANSWER_LINE = re.compile(r"^\s*%%answer\s*(\w*)")
_HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS\n?", re.DOTALL)
_VERDICT_WORDS = {"met": "Met", "partly": "Partly met", "not_met": "Not met yet"}

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
    """The rubric's review of a plan: criteria chips, findings, alternatives, what to revisit."""
    from goalstudio import PlanParseError
    from goalstudio.grading._case import scenario
    from goalstudio.rubric import CRITERIA, CRITERION_TITLES, review

    try:
        case = scenario(case_id)
        result = review(plan_text, locale=case.locale, scenario=case)
    except PlanParseError:
        return "<p>The rubric could not review this plan, because it could not be read.</p>"
    except Exception:
        return ""
    chips = "".join(
        f'<span class="gs-chip gs-{_esc(result.verdict(c))}">{_esc(CRITERION_TITLES[c])}: '
        f"{_esc(_VERDICT_WORDS[result.verdict(c)])}</span>"
        for c in CRITERIA
    )
    items = []
    for finding in result.findings:
        parts = [f"<strong>{_esc(CRITERION_TITLES.get(finding.criterion, finding.criterion))}"]
        parts.append(f"</strong> ({_esc(finding.location)}): {_esc(finding.message)}")
        if finding.why:
            parts.append(f"<div class='gs-try'>Why it matters: {_esc(finding.why)}</div>")
        if finding.suggestion:
            parts.append(f"<div class='gs-try'>Try: {_esc(finding.suggestion)}</div>")
        if finding.alternatives:
            alts = "".join(f"<li>{_esc(a)}</li>" for a in finding.alternatives)
            parts.append(f"<div class='gs-alts'>You could write:<ul>{alts}</ul></div>")
        if finding.teaches:
            parts.append(f"<div class='gs-revisit'>Revisit: {_esc(revisit(finding.teaches))}</div>")
        items.append(f"<li>{''.join(parts)}</li>")
    found = f"<ul>{''.join(items)}</ul>" if items else "<p>The rubric found nothing to change.</p>"
    return f'<div class="gs-review"><h3>Rubric review</h3><p>{chips}</p>{found}</div>'


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
        "<p>Each check below says what you did well and what to work on. The rubric review "
        "explains every point and names the module to revisit.</p>"
    )
    case_id = ""
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
            parts.append(f'<pre class="gs-answer">{_esc(text.strip()) or "(empty)"}</pre>')
            if kind == "plan" and text.strip() and case_id:
                parts.append(_review_html(text, case_id))
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
    body = "\n".join(parts)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>Feedback: {_esc(assignment)}</title><style>{_STYLE}</style></head>"
        f"<body>\n{body}\n</body></html>\n"
    )


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


def write_feedback(course: Course, assignment: str, learner: str) -> list[Path]:
    """Write ``feedback/LEARNER/ASSIGNMENT/<notebook>.html`` and its ``timestamp.txt``."""
    from nbgrader.api import MissingEntry

    source_dir = course.path("autograded", learner, assignment)
    target = course.path("feedback", learner, assignment)
    notebooks = sorted(source_dir.glob("*.ipynb"))
    if not notebooks:
        raise WorkshopError("no graded notebook; run 'goalstudio workshop autograde' first.")
    target.mkdir(parents=True, exist_ok=True)
    written = []
    with course.gradebook() as gb:
        try:
            gb.find_submission(assignment, learner)
        except MissingEntry:
            raise WorkshopError("the gradebook has no graded submission for this learner") from None
        for path in notebooks:
            name = path.stem
            try:
                nb_record = gb.find_submission_notebook(name, assignment, learner)
            except MissingEntry:
                continue
            grades = {
                g.name: {
                    "score": g.score
                    if (g.auto_score is not None or g.manual_score is not None)
                    else None,
                    "max_score": g.max_score,
                }
                for g in nb_record.grades
            }
            comments = {
                c.name: (c.manual_comment or "") for c in nb_record.comments if c.manual_comment
            }
            page = render_feedback(
                json.loads(path.read_text(encoding="utf-8")),
                learner=learner,
                assignment=assignment,
                grades=grades,
                comments=comments,
                score=float(nb_record.score),
                max_score=float(nb_record.max_score),
                late_penalty=float(nb_record.late_submission_penalty or 0),
            )
            out = target / f"{name}.html"
            out.write_text(page, encoding="utf-8")
            written.append(out)
    stamp = source_dir / "timestamp.txt"
    if stamp.exists():
        shutil.copy2(stamp, target / "timestamp.txt")
    else:
        (target / "timestamp.txt").write_text("", encoding="utf-8")
    # nbgrader's exchange names released feedback by a hash keyed on this secret (written at
    # submission), so only the learner who submitted can find their page: keep it beside it.
    for folder in (source_dir, course.path("submitted", learner, assignment)):
        secret = folder / "submission_secret.txt"
        if secret.exists():
            shutil.copy2(secret, target / "submission_secret.txt")
            break
    return written


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
