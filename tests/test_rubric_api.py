"""The public API of goalstudio.rubric, serialisation, and the wording of every message."""

from __future__ import annotations

import json
import re
from pathlib import Path

import goalstudio.rubric as rubric
from goalstudio import Scenario
from goalstudio._scenarios import ScenarioError, load_file
from goalstudio.rubric import RULES, Finding, load_lexicon, review

PLANS = Path(__file__).parent / "fixtures" / "plans"
SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


def valid_scenarios() -> list[Scenario]:
    """Every built-in scenario that loads (broken files are the scenario tests' business)."""
    out = []
    for path in sorted(SCENARIOS.glob("*.yaml")):
        try:
            out.append(load_file(path))
        except ScenarioError:
            continue
    return out


def test_all_is_pinned_and_sorted() -> None:
    assert rubric.__all__ == [
        "CATEGORIES",
        "CHART_ITEMS",
        "CRITERIA",
        "CRITERION_SHORT_TITLES",
        "CRITERION_TITLES",
        "HUMAN_NOTE",
        "KINDS",
        "LABELS",
        "LEXICON_DIR",
        "RULES",
        "VERDICTS",
        "VERDICT_SCORES",
        "VERDICT_WORDS",
        "ChartEvidence",
        "ChartItem",
        "ChartReview",
        "Classification",
        "Criterion",
        "CriterionResult",
        "FeedbackDigest",
        "Finding",
        "FindingGroup",
        "Lexicon",
        "LexiconEntry",
        "LexiconError",
        "Review",
        "Rule",
        "StatementLabel",
        "Strength",
        "TermMatch",
        "Verdict",
        "chart_review",
        "classify",
        "feedback_digest",
        "load_lexicon",
        "person_sayings",
        "quote_is_recorded",
        "review",
    ]

    # Sorted the way ruff sorts __all__: constants, then classes, then functions.
    def group(name: str) -> tuple[int, str]:
        return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)

    assert rubric.__all__ == sorted(rubric.__all__, key=group)
    for name in rubric.__all__:
        assert hasattr(rubric, name), name


def test_rule_ids_are_unique_and_grouped_by_criterion() -> None:
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    for rule in RULES:
        assert rule.id.split(".")[0] == rule.criterion
        assert rule.summary


def test_review_to_dict_is_json() -> None:
    result = review((PLANS / "deficit-led.txt").read_text(encoding="utf-8"))
    data = json.loads(json.dumps(result.to_dict()))
    assert data["verdicts"]["roles"]["verdict"] == "not_met"
    assert data["language"], "the deficit plan has deficit language"
    for finding in data["findings"] + data["structure"] + data["language"]:
        assert set(finding) >= {"rule", "criterion", "severity", "span", "message", "teaches"}


def test_rules_only_read_the_plan() -> None:
    from goalstudio import parse_plan

    text = (PLANS / "deficit-led.txt").read_text(encoding="utf-8")
    plan = parse_plan(text)
    before = plan.model_dump()
    review(plan)
    assert plan.model_dump() == before


def _all_findings() -> list[Finding]:
    findings: list[Finding] = []
    for path in sorted(PLANS.glob("*.txt")):
        for locale in ("en-GB", "en-US"):
            findings.extend(review(path.read_text(encoding="utf-8"), locale=locale).findings)
    for scenario in valid_scenarios():
        findings.extend(review(scenario.deficit_plan, scenario=scenario).findings)
    return findings


def test_every_finding_explains_itself_and_points_to_the_course() -> None:
    findings = _all_findings()
    assert len({f.rule.split(".")[0] for f in findings}) >= 6
    for finding in findings:
        assert finding.message and finding.why, finding.rule
        assert re.fullmatch(r"\d\d-[a-z0-9-]+(#[a-z0-9-]+)?", finding.teaches), finding.teaches
        if finding.criterion != "language":
            assert finding.suggestion, finding.rule


def test_no_message_is_itself_deficit_language() -> None:
    lexicon = load_lexicon("en-GB")
    quoted = re.compile(r"'[^']*'|\"[^\"]*\"")
    for finding in _all_findings():
        texts = [finding.message, finding.suggestion]
        if finding.criterion != "language":
            # A lexicon entry's own 'why' names the phrase it explains; ours never should.
            texts.append(finding.why)
        for text in texts:
            own_words = quoted.sub(" ", text)  # the learner's words are quoted, not ours
            hits = [m for m in lexicon.find(own_words) if m.entry.severity == "warning"]
            assert not hits, (finding.rule, text, [h.matched_text for h in hits])
