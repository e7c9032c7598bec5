"""The live review panel of the plan exercises, as HTML: chips, findings, highlights, model.

Every piece of text is escaped; chips say their verdict in words as well as colour.
"""

from __future__ import annotations

from goalstudio.courseware.manifest import where_taught
from goalstudio.exercises.plan import KindView, PlanFeedback
from goalstudio.exercises.plan import segments as cut

from ._base import chip, esc
from ._plan_form import describe_problem

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


def _places(kind: KindView) -> str:
    items = "".join(
        f"<li><b>{'Line ' + str(p.line) + ': ' if p.line else ''}</b>{esc(p.text)}"
        + (f' <mark class="gs-mark">{esc(p.quote)}</mark>' if p.quote else "")
        + (f" <i>{esc(p.suggestion)}</i>" if p.suggestion else "")
        + "</li>"
        for p in kind.places
        if p.text or p.quote or p.suggestion  # about the plan as a whole: the heading says it
    )
    return f"<ul>{items}</ul>" if items else ""


def _advice(kind: KindView) -> str:
    out = f"<div><i>Try:</i> {esc(kind.suggestion)}</div>" if kind.suggestion else ""
    if kind.why:
        out += f'<div class="gs-note"><i>Why it matters:</i> {esc(kind.why)}</div>'
    if kind.alternatives:
        out += f"<div><i>You could write:</i> {esc('; '.join(kind.alternatives))}</div>"
    if kind.teaches:
        out += f'<div class="gs-note"><i>Revisit:</i> {esc(where_taught(kind.teaches))}</div>'
    return out


def findings_html(fb: PlanFeedback) -> str:
    """The review arranged to be read: what works, the changes that matter most, then the
    rest by kind, each kind explained once with its places (lines and words) under it."""
    count = len(fb.findings)
    well = "".join(f"<li><b>{esc(t)}</b>: {esc(s)}</li>" for t, s in fb.strengths)
    parts = [f'<div class="gs-ok"><b>Working well</b><ul>{well}</ul></div>'] if well else []
    if not count:
        parts.append('<div class="gs-ok">No findings: the review has nothing to add.</div>')
        return "".join(parts)
    if fb.priorities:
        top = "".join(
            f"<li><b>{esc(k.criterion_title)}: {esc(k.title)}</b>{_places(k)}{_advice(k)}</li>"
            for k in fb.priorities
        )
        heading = (
            "The changes that would matter most"
            if any(k.severity == "warning" for k in fb.priorities)
            else "Worth a look (notes, not problems)"
        )
        parts.append(f"<b>{heading}</b><ol>{top}</ol>")
    if fb.kinds:
        rest = "".join(
            f"<details><summary>{esc(k.title)} <span class='gs-note'>"
            f"({esc(k.criterion_title)}; {len(k.places)} place"
            f"{'s' if len(k.places) != 1 else ''})</span></summary>{_advice(k)}{_places(k)}"
            "</details>"
            for k in fb.kinds
        )
        parts.append(f"<b>Other things to look at, by kind</b>{rest}")
    return (
        f"<details open><summary><b>{count} thing{'s' if count != 1 else ''} to look at"
        # A scrolling panel must be reachable by keyboard (axe: scrollable-region-focusable).
        '</b></summary><div class="gs-scroll" tabindex="0" role="region" '
        f'aria-label="Things to look at">{"".join(parts)}</div></details>'
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
