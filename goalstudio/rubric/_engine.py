"""The rubric pipeline: normalise and analyse every statement once, then run each rule.

Rules only read the plan. Each family of rules lives in its own module; this module lists the
families, runs them in order, and asks each criterion's module for its verdict.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from goalstudio._model import Plan
from goalstudio._plantext import parse_plan
from goalstudio._vocabulary import LOCALES
from goalstudio.rubric import (
    _rules_action,
    _rules_language,
    _rules_outcomes,
    _rules_personal,
    _rules_roles,
    _rules_structure,
    _rules_words,
)
from goalstudio.rubric._context import Rule, build_context
from goalstudio.rubric._types import CriterionResult, Finding, Review, StatementLabel

if TYPE_CHECKING:
    from goalstudio._scenarios.model import Scenario

RULES: tuple[Rule, ...] = (
    *_rules_outcomes.RULES,
    *_rules_personal.RULES,
    *_rules_roles.RULES,
    *_rules_words.RULES,
    *_rules_action.RULES,
    *_rules_structure.RULES,
    *_rules_language.RULES,
)
_ASSESSORS = (
    _rules_outcomes.assess,
    _rules_personal.assess,
    _rules_roles.assess,
    _rules_words.assess,
    _rules_action.assess,
)
_SEVERITY_ORDER = {"warning": 0, "info": 1}
NOTE = (
    "The rubric suggests and explains; it never rewrites your words. It reads the wording of "
    "the plan, not the conversation behind it, so talk its findings through with the person."
)


def review(
    plan_or_text: Plan | str,
    locale: str = "en-GB",
    scenario: Scenario | None = None,
    *,
    source: str = "plan",
) -> Review:
    """Review a plan (or plan text) against the five criteria, the structure and the language.

    Plan text that cannot be read raises ``PlanParseError`` with every problem and its line.
    """
    if locale not in LOCALES:
        raise ValueError(f"unknown locale '{locale}': choose one of {', '.join(LOCALES)}")
    if isinstance(plan_or_text, str):
        plan = parse_plan(plan_or_text, source=source)
    elif isinstance(plan_or_text, Plan):
        plan = plan_or_text
    else:
        raise TypeError(f"review() takes a Plan or plan text, not {type(plan_or_text).__name__}")
    context = build_context(plan, locale, scenario)
    findings: list[Finding] = []
    for rule in RULES:
        findings.extend(rule.run(context))
    order = {s.location: s.order for s in context.statements}
    findings.sort(
        key=lambda f: (
            order.get(f.location.split(" > strengths")[0].split(" > barriers")[0], len(order)),
            _SEVERITY_ORDER[f.severity],
        )
    )
    verdicts: dict[str, CriterionResult] = {}
    for assess in _ASSESSORS:
        result = assess(context)
        verdicts[result.criterion] = result
    return Review(
        locale=locale,
        verdicts=verdicts,
        findings=tuple(findings),
        statements=len(context.statements),
        note=NOTE,
        labels=tuple(
            StatementLabel(s.location, s.kind, s.text, s.label) for s in context.statements
        ),
    )
