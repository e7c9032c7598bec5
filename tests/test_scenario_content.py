"""Every built-in scenario is complete, playable and fictional.

These checks run over whatever is in ``scenarios/``, so a new scenario is checked as soon as
it is added.
"""

from __future__ import annotations

import functools
import re
from collections import deque
from importlib import resources
from pathlib import Path

import pytest
from markupsafe import escape

from goalstudio import PARTIES, Scenario
from goalstudio._scenarios import ENV_VAR, MIN_DEFICIT_CRITERIA, list_scenarios, load
from goalstudio._scenarios.preview import render_preview
from goalstudio.rubric import CRITERIA, Finding, Review, review

SCENARIO_DIR = Path(str(resources.files("goalstudio.scenarios")))
SCENARIO_FILES = sorted(SCENARIO_DIR.glob("*.yaml"))
IDS = [p.stem for p in SCENARIO_FILES]


@pytest.fixture(autouse=True)
def _no_extra_folders(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)


@functools.cache
def _load(scenario_id: str) -> Scenario:
    return load(scenario_id)


@pytest.fixture(params=IDS)
def scenario(request: pytest.FixtureRequest) -> Scenario:
    # Loaded once per scenario; the tests only read it.
    return _load(request.param)


def test_there_are_built_in_scenarios_in_both_locales() -> None:
    assert len(IDS) >= 2
    summaries = list_scenarios()
    assert [s.id for s in summaries] == sorted(IDS)
    assert {s.locale for s in summaries} == {"en-GB", "en-US"}


def test_the_person_is_introduced_in_their_own_voice(scenario: Scenario) -> None:
    words = scenario.person.in_their_words.lower()
    assert re.search(r"\b(i|i'm|i've|my|me)\b", words), "in_their_words should be first person"
    assert len(scenario.person.strengths) >= 3
    assert len(scenario.person.what_matters) >= 3


def test_assessment_addresses_some_needs_and_defers_others(scenario: Scenario) -> None:
    decisions = {finding.decision for finding in scenario.assessment}
    assert decisions == {"address_now", "defer"}


def test_every_party_has_a_full_perspective(scenario: Scenario) -> None:
    assert [p.party for p in scenario.perspectives] == list(PARTIES)
    for view in scenario.perspectives:
        assert view.what_matters, view.party
        assert view.concerns, f"{view.party} has no concerns: every party has a view to weigh"
        assert view.proposed_outcomes, view.party
        assert view.working or view.not_working, view.party


def test_risk_items_keep_the_persons_view(scenario: Scenario) -> None:
    assert scenario.risk_items
    for item in scenario.risk_items:
        assert item.person_view.strip()
        assert item.protective_factors, item.risk


# ------------------------------------------------------------------------------------------
# The conversation graph


def test_conversation_is_big_enough_with_three_kinds_of_ending(scenario: Scenario) -> None:
    conv = scenario.conversation
    assert len(conv.nodes) >= 12
    kinds = sorted(n.ending.kind for n in conv.endings() if n.ending is not None)
    assert set(kinds) == {"shared_plan", "partial", "breakdown"}


def test_conversation_offers_good_and_poor_replies_with_effects(scenario: Scenario) -> None:
    choices = [c for n in scenario.conversation.nodes for c in n.choices]
    qualities = {c.quality for c in choices}
    assert {"good", "poor"} <= qualities
    for choice in choices:
        assert choice.feedback.strip()
        if choice.quality == "good":
            assert choice.effect.trust + choice.effect.understanding > 0, choice.reply
        if choice.quality == "poor":
            assert choice.effect.trust + choice.effect.understanding < 0, choice.reply
    for node in scenario.conversation.nodes:
        if node.choices:
            assert any(c.quality == "good" for c in node.choices), node.id


def _ending_reached(scenario: Scenario, quality: str) -> set[str]:
    """Ending kinds reached from the start by following only replies of one quality."""
    conv = scenario.conversation
    seen = {conv.start}
    queue = deque([conv.start])
    kinds: set[str] = set()
    while queue:
        node = conv.node(queue.popleft())
        if node.ending is not None:
            kinds.add(node.ending.kind)
        for choice in node.choices:
            if choice.quality == quality and choice.next not in seen:
                seen.add(choice.next)
                queue.append(choice.next)
    return kinds


def test_good_replies_lead_to_a_shared_plan(scenario: Scenario) -> None:
    assert _ending_reached(scenario, "good") == {"shared_plan"}


def test_poor_replies_can_lead_to_a_breakdown(scenario: Scenario) -> None:
    assert "breakdown" in _ending_reached(scenario, "poor")


# ------------------------------------------------------------------------------------------
# The two plans


def test_deficit_plan_reads_like_a_deficit_led_plan(scenario: Scenario) -> None:
    plan = scenario.deficit_plan_model()
    assert len(plan.goals) >= 2
    assert not any(goal.quoted for goal in plan.goals), "deficit-led goals are in staff words"
    actions = plan.actions()
    staff = [a for a in actions if a.owner in ("practitioner", "agency")]
    assert len(staff) * 2 > len(actions), "deficit-led plans give most actions to staff"


_TIME = re.compile(
    r"\b(by|until|before|within|between|from|during|for the next|starting|weeks?|months?|"
    r"January|February|March|April|May|June|July|August|September|October|November|"
    r"December|spring|summer|autumn|fall|winter|Christmas)\b",
    re.IGNORECASE,
)


def is_time_bound(text: str) -> bool:
    """An objective says by when, or how often, so a review can tell whether it happened."""
    return bool(_TIME.search(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bernie clears the first two beds by 30 April.", True),
        ("Andre completes the four-week trial, three days a week, by the end of June.", True),
        ("Javi will be a better father.", False),
        ("Reduce risk of self-harm and overdose", False),
        ("Sam swims twice a week.", True),
        ("Andre has his driving licence back by the autumn.", True),
    ],
)
def test_time_bound_check(text: str, expected: bool) -> None:
    assert is_time_bound(text) is expected


def test_model_rewrite_is_person_centred(scenario: Scenario) -> None:
    plan = scenario.model_rewrite_model()
    assert plan.goals
    for goal in plan.goals:
        assert goal.quoted and goal.expressed_by, f"goal not in the person's words: {goal.text}"
        assert goal.strengths, goal.text
        assert goal.barriers, goal.text
        assert goal.objectives, goal.text
        person_actions = [a for o in goal.objectives for a in o.actions if a.owner == "person"]
        assert person_actions, f"the person owns no action under: {goal.text}"
        for objective in goal.objectives:
            assert is_time_bound(objective.text), (
                f"objective does not say by when: {objective.text}"
            )
    owners = {action.owner for action in plan.actions()}
    assert {"person", "natural_support", "peer", "practitioner"} <= owners
    assert all(action.timeframe for action in plan.actions()), "every action needs a When: line"
    assert plan.deferred and all(need.reason for need in plan.deferred)
    assert plan.crisis_plan
    assert plan.review_dates


# ------------------------------------------------------------------------------------------
# The studio's own rubric on both plans (Issue 5: realism and fairness)


@functools.cache
def _review(scenario_id: str, which: str) -> Review:
    scenario = _load(scenario_id)
    text = scenario.deficit_plan if which == "deficit" else scenario.model_rewrite
    return review(text, locale=scenario.locale, scenario=scenario)


def _plan_line(text: str, finding: Finding) -> str:
    if finding.span is None or finding.span_in != "plan":
        return f"{finding.location} (the plan as a whole)"
    number = text.count("\n", 0, finding.span[0]) + 1
    return f"plan line {number}: {text.splitlines()[number - 1].strip()!r}"


def test_deficit_plan_misses_at_least_three_criteria(scenario: Scenario) -> None:
    result = _review(scenario.id, "deficit")
    verdicts = {c: result.verdict(c) for c in CRITERIA}
    weak = [c for c, v in verdicts.items() if v in ("not_met", "partly")]
    assert len(weak) >= MIN_DEFICIT_CRITERIA, (
        f"{scenario.id}: the 'before' plan is not deficit-led enough to teach from; the rubric "
        f"finds only {len(weak)} of 5 criteria not met or partly met: {verdicts}"
    )


def test_model_rewrite_meets_all_five_criteria_with_no_language_findings(
    scenario: Scenario,
) -> None:
    result = _review(scenario.id, "model")
    text = scenario.model_rewrite
    failures = [
        f"{result.verdicts[c].title}: {result.verdict(c)} ({'; '.join(result.verdicts[c].evidence)})"
        + "".join(
            f"\n    {_plan_line(text, f)}: {f.message}"
            for f in result.findings_for(c)
            if f.severity == "warning"
        )
        for c in CRITERIA
        if result.verdict(c) != "met"
    ]
    failures += [
        f"language, {_plan_line(text, f)}: '{f.quote}': {f.message}"
        for f in result.language_findings
    ]
    assert not failures, f"{scenario.id}: the model rewrite fails the rubric:\n  " + "\n  ".join(
        failures
    )


# ------------------------------------------------------------------------------------------
# Coverage of the library as a whole (Issue 5: the settings, the locales, the tags)

# Each setting the issue names, and tags a trainer would filter on to find it.
REQUIRED_SETTINGS: dict[str, set[str]] = {
    "community_mental_health": {"community-mental-health"},
    "substance_use": {"substance-use"},
    "inpatient_discharge": {"inpatient-discharge"},
    "early_intervention_psychosis": {"early-intervention", "psychosis"},
    "older_adult_dementia": {"dementia", "older-adult"},
    "youth_to_adult_transition": {"transitions"},
    "learning_disability": {"learning-disability"},
    "forensic_community_treatment": {"forensic-community-treatment", "cto"},
    "perinatal": {"perinatal"},
    "homelessness": {"homelessness"},
    "declines_services": {"declines-services"},
    "family_decides_together": {"family-decides-together"},
}
THEME_TAGS = ("carers", "risk", "substance-use", "culture", "transitions")
TAG_FORM = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def test_every_setting_in_the_issue_is_covered() -> None:
    settings = {_load(i).setting.kind for i in IDS}
    missing = sorted(set(REQUIRED_SETTINGS) - settings)
    assert not missing, f"no scenario in these settings yet: {missing}"
    assert len(IDS) >= 12


def test_locales_are_roughly_half_and_half() -> None:
    locales = [_load(i).locale for i in IDS]
    for code in ("en-GB", "en-US"):
        share = locales.count(code) / len(locales)
        assert 0.4 <= share <= 0.6, f"{code}: {locales.count(code)} of {len(locales)}"


def test_each_country_has_its_own_terms_and_systems() -> None:
    def said(code: str) -> str:
        return " ".join(
            p.read_text(encoding="utf-8") for p in SCENARIO_FILES if _load(p.stem).locale == code
        ).lower()

    uk, us = said("en-GB"), said("en-US")
    for term in ("cpa", "care co-ordinator"):
        assert term in uk, term
    for term in ("medical necessity", "medicaid", "case manager"):
        assert term in us, term


def test_tags_let_a_trainer_pick_a_workshop_set(scenario: Scenario) -> None:
    assert len(scenario.tags) >= 3
    assert len(set(scenario.tags)) == len(scenario.tags), "a tag is repeated"
    for tag in scenario.tags:
        assert TAG_FORM.match(tag), f"tag {tag!r}: use lower-case words joined by hyphens"
    setting_tags = REQUIRED_SETTINGS.get(scenario.setting.kind, set())
    if setting_tags:
        assert setting_tags & set(scenario.tags), (
            f"tag the setting too, so --tag finds it: one of {sorted(setting_tags)}"
        )


def test_every_theme_tag_has_scenarios_in_both_locales() -> None:
    for theme in THEME_TAGS:
        locales = {_load(i).locale for i in IDS if theme in _load(i).tags}
        assert locales == {"en-GB", "en-US"}, f"{theme}: {sorted(locales)}"


def test_model_rewrite_is_hidden_from_learners(scenario: Scenario) -> None:
    view = scenario.learner_view()
    assert "model_rewrite" not in view
    assert "facilitator_notes" not in view
    assert view["deficit_plan"] == scenario.deficit_plan


def test_facilitator_notes_are_usable(scenario: Scenario) -> None:
    notes = scenario.facilitator_notes
    assert 15 <= notes.minutes <= 180
    assert len(notes.discussion_questions) >= 3
    assert len(notes.common_mistakes) >= 3


# ------------------------------------------------------------------------------------------
# Nothing real

IDENTIFIER_PATTERNS: dict[str, re.Pattern[str]] = {
    "UK phone number": re.compile(
        r"(?:\+44\s?\(?0?\)?\s?\d|\b0\d)\d{1,3}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}\b"
    ),
    "US phone number": re.compile(r"(?:\+1[\s.-]?)?\(?\b\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}\b"),
    "email address": re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    "NHS-like number": re.compile(r"\b\d{3}[\s-]?\d{3}[\s-]?\d{4}\b"),
    "SSN-like number": re.compile(r"\b\d{3}[\s-]\d{2}[\s-]\d{4}\b"),
    "UK postcode": re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[ABD-HJLNP-UW-Z]{2}\b"),
    "street address": re.compile(
        r"\b\d{1,5}\s+(?:[A-Z][a-z]+\s+){1,3}"
        r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Close)\b"
    ),
    "US ZIP code": re.compile(r"\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b|\b\d{5}-\d{4}\b"),
}


@pytest.mark.parametrize(
    ("kind", "sample"),
    [
        ("UK phone number", "ring 01632 960123 today"),
        ("UK phone number", "mobile +44 7700 900123"),
        ("US phone number", "call (555) 010-4477"),
        ("US phone number", "call 202-555-0143"),
        ("email address", "write to someone@example.com"),
        ("NHS-like number", "NHS no 943 476 5919"),
        ("SSN-like number", "SSN 123-45-6789"),
        ("UK postcode", "lives at LS1 4AP"),
        ("street address", "lives at 42 Maple Street"),
        ("US ZIP code", "Springfield, IL 62704"),
    ],
)
def test_identifier_patterns_catch_real_looking_identifiers(kind: str, sample: str) -> None:
    assert IDENTIFIER_PATTERNS[kind].search(sample)


@pytest.mark.parametrize(
    "sample",
    ["buprenorphine/naloxone 16/4 mg daily", "3x/week", "CPA review in 6 months", "30 June"],
)
def test_identifier_patterns_leave_ordinary_text_alone(sample: str) -> None:
    assert not any(p.search(sample) for p in IDENTIFIER_PATTERNS.values())


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=IDS)
def test_no_real_looking_identifiers(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    found = [
        f"{kind}: {match.group(0)!r} on line {text.count(chr(10), 0, match.start()) + 1}"
        for kind, pattern in IDENTIFIER_PATTERNS.items()
        for match in pattern.finditer(text)
    ]
    assert not found, "scenario text looks like a real identifier:\n" + "\n".join(found)


# ------------------------------------------------------------------------------------------
# Every scenario has a preview page for facilitators


def test_preview_page_renders_every_part(scenario: Scenario) -> None:
    page = render_preview(scenario)
    esc = escape  # the page escapes as Jinja2 does
    assert f"<title>{esc(scenario.title)} · scenario preview</title>" in page
    assert esc(scenario.person.name) in page
    for view in scenario.perspectives:
        assert esc(view.who) in page
    for item in scenario.risk_items:
        assert esc(item.risk) in page
    for question in scenario.facilitator_notes.discussion_questions:
        assert esc(question) in page
    for node in scenario.conversation.nodes:
        assert f'data-node="{esc(node.id)}"' in page
    # Both plans, every line, side by side.
    for plan in (scenario.deficit_plan, scenario.model_rewrite):
        for line in plan.splitlines():
            if line.strip():
                assert f">{esc(line.strip())}</span>" in page, line
