"""The adversarial suite: statements and whole plans written to game the rubric's surface
features (quotation marks, the first person, names, life words in service sentences,
custodial steps), each with the verdict an expert would give and a one-line reason.

The suite is kept apart from the development set (``../shared/data/dev_statements.tsv``):
no statement appears in both. ``benchmarks/classify.py`` prints its confusion matrix.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
import yaml

from goalstudio._scenarios import ScenarioError, load_file
from goalstudio.rubric import LABELS, classify, review

HERE = Path(__file__).parent
SUITE = HERE / "fixtures" / "adversarial"
SCENARIOS = HERE.parent / "scenarios"
DEV = HERE.parent.parent / "shared" / "data" / "dev_statements.tsv"


def _statements() -> list[dict[str, str]]:
    with (SUITE / "statements.tsv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def _plans() -> list[dict[str, Any]]:
    data = yaml.safe_load((SUITE / "plans.yaml").read_text(encoding="utf-8"))
    plans: list[dict[str, Any]] = data["plans"]
    return plans


STATEMENTS = _statements()
PLANS = _plans()


def test_the_suite_is_large_enough_and_covers_both_locales() -> None:
    assert len(STATEMENTS) + len(PLANS) >= 80
    locales = {row["locale"] for row in STATEMENTS} | {plan["locale"] for plan in PLANS}
    assert locales == {"en-GB", "en-US"}
    assert {row["label"] for row in STATEMENTS} == set(LABELS)
    for row in STATEMENTS:
        assert row["why"].strip(), f"no reason given for {row['text']!r}"
    for plan in PLANS:
        assert plan["why"].strip(), f"no reason given for plan {plan['id']}"


def test_the_suite_is_kept_apart_from_the_development_set() -> None:
    if not DEV.exists():
        pytest.skip("the development set is not on this machine")
    with DEV.open(encoding="utf-8", newline="") as handle:
        dev = {row["text"].strip().lower() for row in csv.DictReader(handle, delimiter="\t")}
    shared = [row["text"] for row in STATEMENTS if row["text"].strip().lower() in dev]
    assert not shared, f"statements also in the development set: {shared}"


@pytest.mark.parametrize(
    "row", STATEMENTS, ids=[f"{r['label']}:{r['text'][:40]}" for r in STATEMENTS]
)
def test_statement_gets_the_experts_label(row: dict[str, str]) -> None:
    result = classify(row["text"], row["kind"])
    assert result.label == row["label"], (
        f"{row['text']!r} is {row['label']} ({row['why']}), but classify says "
        f"{result.label}: {'; '.join(result.reasons)}"
    )


@pytest.mark.parametrize("plan", PLANS, ids=[p["id"] for p in PLANS])
def test_plan_gets_the_experts_verdicts(plan: dict[str, Any]) -> None:
    scenario = load_file(SCENARIOS / f"{plan['scenario']}.yaml") if plan.get("scenario") else None
    result = review(plan["plan"], locale=plan["locale"], scenario=scenario)
    for criterion, expected in plan["expect"].items():
        got = result.verdict(criterion)
        findings = [f"{f.rule}: {f.message}" for f in result.findings_for(criterion)]
        assert got == expected, (
            f"plan {plan['id']} ({plan['why']}): {criterion} should be {expected}, got {got}; "
            f"findings: {findings}"
        )


def _scenarios() -> list[Any]:
    """Every built-in scenario that loads (a broken file is the scenario tests' business)."""
    out = []
    for path in sorted(SCENARIOS.glob("*.yaml")):
        try:
            out.append(load_file(path))
        except ScenarioError:
            continue
    return out


@pytest.mark.parametrize("scenario", _scenarios(), ids=lambda s: s.id)
def test_every_model_rewrite_meets_all_five_and_every_deficit_plan_fails_three(
    scenario: Any,
) -> None:
    from goalstudio.rubric import CRITERIA

    model = review(scenario.model_rewrite, locale=scenario.locale, scenario=scenario)
    missed = {c: model.verdict(c) for c in CRITERIA if model.verdict(c) != "met"}
    assert not missed, (
        f"{scenario.id}: the model rewrite should meet every criterion; {missed}; "
        f"{[f.message for f in model.criterion_findings if f.severity == 'warning']}"
    )
    deficit = review(scenario.deficit_plan, locale=scenario.locale, scenario=scenario)
    failed = [c for c in CRITERIA if deficit.verdict(c) != "met"]
    assert len(failed) >= 3, f"{scenario.id}: the deficit-led plan fails only {failed}"
