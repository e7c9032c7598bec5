"""The live review panel of the plan exercises, as HTML: chips, findings, highlights, model.

Every piece of text is escaped; chips say their verdict in words as well as colour.
"""

from __future__ import annotations

from goalstudio._exercise_plan import PlanFeedback
from goalstudio._exercise_plan import segments as cut
from goalstudio.widgets._base import chip, esc
from goalstudio.widgets._plan_form import describe_problem

# Wrap long lines between words (JupyterLab's output style would break them mid-word).
PRE = '<pre style="white-space: pre-wrap; word-break: normal; overflow-wrap: break-word">'


def chips_html(fb: PlanFeedback) -> str:
    """One chip per criterion."""
    return "".join(chip(c.verdict, c.text) for c in fb.chips)


def problems_html(fb: PlanFeedback) -> str:
    """What stops the plan text being read, line by line, with the fix."""
    items = "".join(describe_problem(p.line, p.message, p.fix) for p in fb.problems)
    kind = "gs-error" if fb.text.strip() else "gs-note"
    return (
        f'<div class="{kind}"><b>The review starts when the plan '
        f"can be read:</b><ul>{items}</ul></div>"
    )


def findings_html(fb: PlanFeedback) -> str:
    """The findings, each with its line, message, suggestion and the words it is about."""
    items = "".join(
        f"<li><b>{'Line ' + str(f.line) + ': ' if f.line else ''}</b>{esc(f.message)}"
        + (f" <i>{esc(f.suggestion)}</i>" if f.suggestion else "")
        + (f' <mark class="gs-mark">{esc(f.quote)}</mark>' if f.quote else "")
        + "</li>"
        for f in fb.findings
    )
    count = len(fb.findings)
    if not count:
        return '<div class="gs-ok">No findings: the review has nothing to add.</div>'
    return (
        f"<details open><summary><b>{count} thing{'s' if count != 1 else ''} to look at"
        # A scrolling list must be reachable by keyboard (axe: scrollable-region-focusable).
        '</b></summary><ul class="gs-scroll" tabindex="0" aria-label="Findings to look at">'
        f"{items}</ul></details>"
    )


def review_summary(fb: PlanFeedback) -> str:
    """One sentence a screen reader speaks once the review settles (the chips and findings are
    not live regions: they change with every pause in typing and would flood the listener)."""
    if fb.problems:
        n = len(fb.problems)
        return f"Live review: the plan cannot be read yet; {n} line{'s' if n != 1 else ''} to fix."
    met = sum(1 for c in fb.chips if c.verdict == "met")
    n = len(fb.findings)
    return (
        f"Live review: {met} of {len(fb.chips)} criteria met; "
        f"{n} thing{'s' if n != 1 else ''} to look at."
    )


def marked_html(fb: PlanFeedback) -> str:
    """The learner's plan with the spans of the findings highlighted."""
    marked = "".join(
        f'<mark class="gs-mark">{esc(t)}</mark>' if hit else esc(t)
        for t, hit in cut(fb.text, fb.spans)
    )
    return (
        "<details><summary>Your plan with the findings highlighted</summary>"
        f"{PRE}{marked}</pre></details>"
    )


def plan_html(title: str, text: str) -> str:
    """A plan shown as it was written (the current plan, or the model rewrite)."""
    return f"{title}{PRE}{esc(text)}</pre>"


def hints_html(hints: list[str]) -> str:
    shown = "".join(f"<li>{esc(h)}</li>" for h in hints)
    return f"<b>Hints</b><ol>{shown}</ol>" if shown else ""
