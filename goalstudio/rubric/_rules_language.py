"""Recovery-oriented language: the lexicon's phrases wherever they appear in the plan.

The linter suggests and explains. It never rewrites the learner's words: each finding quotes
the words as written and offers alternatives.
"""

from __future__ import annotations

from collections.abc import Iterator

from goalstudio.rubric._analysis import lexicon_matches
from goalstudio.rubric._context import Context, Rule
from goalstudio.rubric._lexicon_data import TermMatch
from goalstudio.rubric._suggest import fit_alternatives
from goalstudio.rubric._types import Finding

_MESSAGES = {
    "deficit_label": "'{m}' describes {name} by a deficit rather than as a person.",
    "clinical_label": "'{m}' puts a clinical label where {name} could be described.",
    "stigmatising": "'{m}' is language many people hear as stigmatising.",
    "compliance": "'{m}' frames the plan around doing what staff say.",
    "service_jargon": "'{m}' is service jargon that {name} and {their} {carer} may not use.",
    "substance_use": "'{m}' is substance-use language many people hear as judging.",
    "suicide": "'{m}' is a way of speaking about suicide that many people hear as blaming.",
    "paternalistic": "'{m}' puts staff in charge of {possessive} choices.",
    "system_outcome": "'{m}' is an outcome for the service rather than for {name}.",
    "disability": "'{m}' is disability wording many disabled and Deaf people do not use.",
    "credibility": "'{m}' casts doubt on {possessive} account rather than recording it.",
}


def _finding(
    context: Context, match: TermMatch, location: str, span: tuple[int, int], span_in: str
) -> Finding:
    entry = match.entry
    template = _MESSAGES.get(entry.category, "Consider other words for '{m}'.")
    message = template.format(
        m=match.matched_text,
        name=context.name,
        possessive=context.possessive,
        carer=context.term("carer"),
        their=context.pronouns.their,
    )
    if match.softened:
        check = (
            f"say whose word it is, or use {context.possessive} own."
            if match.softened.startswith("quoted")
            else f"check it is the wording {context.name} prefers."
        )
        message = f"'{match.matched_text}' is {match.softened}, so this is only a note: {check}"
    alternatives = fit_alternatives(
        tuple(entry.alternatives),
        entry.category,
        scenario=context.scenario,
        name=context.name,
        pronouns=context.pronouns,
    )
    suggestion = ""
    if alternatives:
        suggestion = "Consider: " + "; ".join(alternatives[:3])
        if suggestion[-1] not in ".?!":
            suggestion += "."
    return Finding(
        rule=f"language.{entry.id}",
        criterion="language",
        severity=match.severity,
        message=message,
        location=location,
        span=span,
        span_in="plan" if span_in == "plan" else "statement",
        quote=match.matched_text,
        suggestion=suggestion,
        alternatives=alternatives,
        why=entry.why,
        teaches=entry.teaches,
    )


def _statements(context: Context) -> Iterator[Finding]:
    for statement in context.statements:
        for match in statement.analysis.lexicon:
            span, span_in = statement.span(match.start, match.end)
            yield _finding(context, match, statement.location, span, span_in)


def _other_parts(context: Context) -> Iterator[Finding]:
    locale = context.locale.code
    for number, goal in enumerate(context.plan.goals, start=1):
        for part, items in (("strengths", goal.strengths), ("barriers", goal.barriers)):
            for item in items:
                for match in lexicon_matches(item, locale):
                    yield _finding(
                        context,
                        match,
                        f"goal {number} > {part}",
                        (match.start, match.end),
                        "statement",
                    )
    for number, need in enumerate(context.plan.deferred, start=1):
        for match in lexicon_matches(need.need, locale):
            if need.source is not None:
                span = (need.source.start + match.start, need.source.start + match.end)
                yield _finding(context, match, f"deferred {number}", span, "plan")
            else:
                yield _finding(
                    context, match, f"deferred {number}", (match.start, match.end), "statement"
                )
    if context.plan.crisis_plan:
        for match in lexicon_matches(context.plan.crisis_plan, locale):
            yield _finding(context, match, "crisis plan", (match.start, match.end), "statement")


RULES = (
    Rule(
        "language.statements",
        "language",
        "Deficit or stigmatising words in goals, objectives and steps",
        _statements,
    ),
    Rule(
        "language.other-parts",
        "language",
        "Deficit or stigmatising words in strengths, barriers, deferred needs, crisis plan",
        _other_parts,
    ),
)
