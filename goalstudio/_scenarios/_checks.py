"""The checks a scenario that loads must still pass: quotations and the studio's own rubric.

A quotation in the model rewrite must be something the person says in the scenario, and the two
plans must teach: the model rewrite passes the rubric, the deficit-led plan gives learners
something to rewrite.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import yaml

from goalstudio._scenarios._errors import ScenarioProblem
from goalstudio._scenarios._problems import plan_line_in_file
from goalstudio._scenarios._read import locate, node_at
from goalstudio._scenarios.model import Scenario
from goalstudio._scenarios.quotes import unrecorded_quotes
from goalstudio._vocabulary import VERDICT_WORDS

if TYPE_CHECKING:
    from goalstudio.rubric import Finding

# A "before" plan needs at least this many of the five criteria not met or partly met.
MIN_DEFICIT_CRITERIA = 3


def quotation_problems(
    scenario: Scenario,
    *,
    path: str,
    text: str | None = None,
    root: yaml.Node | None = None,
) -> list[ScenarioProblem]:
    """An error for each quotation in the model rewrite that the person never says."""
    name = scenario.known_as
    problems: list[ScenarioProblem] = []
    for found in unrecorded_quotes(scenario):
        line: int | None = None
        column: int | None = None
        where = f"line {found.plan_line} of the plan: "
        if root is not None and text is not None:
            line, column, _ = locate(root, ("model_rewrite",))
            node = node_at(root, ("model_rewrite",))
            spot = plan_line_in_file(node, text, found.plan_line, found.column)
            if spot is not None:
                line, column = spot
                where = ""
        shown = found.quote if len(found.quote) <= 80 else found.quote[:79] + "…"
        closest = f' The nearest thing {name} says is: "{found.closest}".' if found.closest else ""
        problems.append(
            ScenarioProblem(
                path,
                line,
                column,
                "model_rewrite",
                f'{where}the {found.where} quotes {name} as saying "{shown}", but {name} never '
                "says that in the scenario (in_their_words, what_matters, the goal-discovery "
                f"answers, {name}'s perspective or lines in the conversation).{closest} Quote "
                f"{name}'s words as {name} says them, add where {name} says it to the scenario, "
                "or take the quotation marks off and write it as the plan's own words.",
            )
        )
    return problems


# --------------------------------------------------------------------------------------------
# Rubric checks: the "before" plan must give learners something to rewrite, and the model
# rewrite must pass the studio's own rubric.


def rubric_problems(
    scenario: Scenario,
    *,
    path: str,
    text: str | None = None,
    root: yaml.Node | None = None,
) -> list[ScenarioProblem]:
    """The rubric's view of a scenario's two plans, as problems with file lines.

    - Each criterion the model rewrite does not meet, and each language finding in it, is an
      error: learners are shown the model rewrite as what good looks like, so the studio must
      not contradict itself.
    - A deficit-led plan with fewer than three of the five criteria not met or partly met is a
      warning: the scenario still works, but the "before" plan gives learners little to rewrite.

    ``text`` and ``root`` (the file's text and YAML node tree) place each problem on the file
    line of the plan line concerned; without them the problem names the plan line only.
    """
    from goalstudio.rubric import CRITERIA, review

    where = _PlanPlace(path, text, root)
    problems: list[ScenarioProblem] = []

    before = review(scenario.deficit_plan, locale=scenario.locale, scenario=scenario)
    weak = [c for c in CRITERIA if before.verdict(c) != "met"]
    if len(weak) < MIN_DEFICIT_CRITERIA:
        problems.append(where.problem("deficit_plan", None, _deficit_message(weak), True))

    model = review(scenario.model_rewrite, locale=scenario.locale, scenario=scenario)
    for criterion in CRITERIA:
        result = model.verdicts[criterion]
        if result.verdict == "met":
            continue
        findings = [f for f in model.findings_for(criterion) if f.span_in == "plan"]
        findings.sort(key=lambda f: f.severity != "warning")
        first = findings[0] if findings else None
        problems.append(
            where.problem(
                "model_rewrite",
                first,
                _criterion_message(result.title, result.verdict, result.evidence, first, where),
                False,
            )
        )
    for finding in model.language_findings:
        problems.append(where.problem("model_rewrite", finding, _language_message(finding), False))
    problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    return problems


def _deficit_message(weak: Sequence[str]) -> str:
    from goalstudio.rubric import CRITERIA, CRITERION_TITLES

    met_text = "; ".join(f"'{CRITERION_TITLES[c]}'" for c in CRITERIA if c not in weak)
    return (
        f"the deficit-led plan is not deficit-led enough to teach from: the rubric finds "
        f"{len(weak)} of the 5 criteria not met or partly met, and a 'before' plan needs at "
        f"least {MIN_DEFICIT_CRITERIA}, so learners have something to rewrite. Already met: "
        f"{met_text}. Write it the way real deficit-led plans are written: goals in staff "
        "words ('Maintain mental state'), service outputs ('attend all appointments'), "
        "actions only for staff, and no dates."
    )


def _criterion_message(
    title: str,
    verdict: str,
    evidence: tuple[str, ...],
    finding: Finding | None,
    where: _PlanPlace,
) -> str:
    said = VERDICT_WORDS[verdict].lower()
    because = f" ({'; '.join(evidence)})" if evidence and finding is None else ""
    detail = ""
    if finding is not None:
        detail = f" On {where.plan_line_label(finding)}: {finding.message}"
        if finding.suggestion:
            detail += f" {finding.suggestion}"
    return (
        f"the model rewrite must meet all five criteria, and '{title}' is {said}{because}."
        f"{detail} Learners see the model rewrite as what good looks like, so fix this line "
        "and check again."
    )


def _language_message(finding: Finding) -> str:
    suggestion = f" {finding.suggestion}" if finding.suggestion else ""
    return (
        f"the model rewrite must have no language findings, and the rubric flags "
        f"'{finding.quote}': {finding.message}{suggestion} Reword it in the person's terms."
    )


@dataclass(frozen=True)
class _PlanPlace:
    """Turns a finding's place in plan text into a line and column in the scenario file."""

    path: str
    text: str | None
    root: yaml.Node | None

    def _plan(self, field: str) -> str:
        node = node_at(self.root, (field,)) if self.root is not None else None
        return str(node.value) if isinstance(node, yaml.ScalarNode) else ""

    @staticmethod
    def plan_line_of(finding: Finding, plan_text: str) -> tuple[int, int] | None:
        if finding.span is None or finding.span_in != "plan":
            return None
        start = finding.span[0]
        line = plan_text.count("\n", 0, start) + 1
        column = start - (plan_text.rfind("\n", 0, start) + 1) + 1
        return line, column

    def plan_line_label(self, finding: Finding) -> str:
        spot = self.plan_line_of(finding, self._plan("model_rewrite"))
        quote = f" ('{finding.quote}')" if finding.quote else ""
        return f"plan line {spot[0]}{quote}" if spot else f"{finding.location}{quote}"

    def problem(
        self, field: str, finding: Finding | None, message: str, warning: bool
    ) -> ScenarioProblem:
        line: int | None = None
        column: int | None = None
        if self.root is not None and self.text is not None:
            line, column, _ = locate(self.root, (field,))
            spot = None
            if finding is not None:
                plan_text = self._plan(field)
                at = self.plan_line_of(finding, plan_text) if plan_text else None
                if at is not None:
                    spot = plan_line_in_file(node_at(self.root, (field,)), self.text, *at)
                    if spot is None:
                        message = f"line {at[0]} of the plan: {message}"
            if spot is not None:
                line, column = spot
        elif finding is not None:
            message = f"{finding.location}: {message}"
        return ScenarioProblem(
            self.path, line, column, field, message, "warning" if warning else "error"
        )
