"""Suggestions fit the person: from the scenario's person when it is known; otherwise generic
wording that states no facts about anyone.

Issue 13, "What was seen" 8: alternatives offered to a retired, childless woman included
"mornings with her son" and "his job at the garden centre".
"""

from __future__ import annotations

import re

import pytest

from goalstudio._pronouns import pronouns_of
from goalstudio.rubric import load_lexicon, person_sayings, quote_is_recorded, review
from goalstudio.rubric._suggest import fit_pronouns
from goalstudio.scenarios import list_scenarios, load

# Words that state a fact about someone's life: their people, places and activities.
FACTS = re.compile(
    r"\b(son|sons|daughter|daughters|children|kids|grandchildren|husband|wife|sister|brother|"
    r"mum|mom|dad|niece|nephew|friend|friends|job|college|school|café|cafe|cinema|allotment|"
    r"charity shop|christmas|garden centre|football|music|food bank|tenants|bus)\b",
    re.IGNORECASE,
)
SCENARIOS = [s.id for s in list_scenarios()]


def _outside_gaps(text: str) -> str:
    """The text with '[gaps to fill in]' taken out."""
    return re.sub(r"\[[^\]]*\]", " ", text)


@pytest.mark.parametrize("locale", ["en-GB", "en-US"])
def test_generic_alternatives_state_no_facts_about_a_person(locale: str) -> None:
    stated = []
    for entry in load_lexicon(locale):
        for alternative in entry.alternatives:
            if alternative.endswith("?"):
                continue  # a question asks; it states nothing
            found = FACTS.search(_outside_gaps(alternative))
            if found:
                stated.append((entry.id, alternative, found.group()))
    assert stated == []


def test_the_issue_examples_are_gone() -> None:
    every = [alt for entry in load_lexicon("en-GB") for alt in entry.alternatives]
    assert not any("mornings with her son" in alt for alt in every)
    assert not any("garden centre" in alt for alt in every)


def _scenario_text(scenario_id: str) -> str:
    scenario = load(scenario_id)
    person = scenario.person
    parts = [person.name, person.background, person.in_their_words, person.history]
    parts += [*person.what_matters, *person.strengths, *person_sayings(scenario)]
    return " ".join(parts).lower()


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_with_a_scenario_suggestions_only_name_this_persons_life(scenario_id: str) -> None:
    scenario = load(scenario_id)
    known = _scenario_text(scenario_id)
    result = review(scenario.deficit_plan, scenario.locale, scenario)
    language = [f for f in result.findings if f.criterion == "language"]
    assert language, "every deficit plan uses some service language"
    for finding in language:
        for alternative in finding.alternatives:
            for found in FACTS.finditer(_outside_gaps(alternative)):
                assert found.group().lower() in known, (finding.quote, alternative)


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_a_service_aim_is_answered_from_the_persons_own_words(scenario_id: str) -> None:
    scenario = load(scenario_id)
    result = review(scenario.deficit_plan, scenario.locale, scenario)
    aims = [
        f
        for f in result.findings
        if f.criterion == "language"
        and load_lexicon(scenario.locale).get(f.rule[9:]).category == "system_outcome"
    ]
    sayings = person_sayings(scenario)
    for finding in aims:
        own = [a for a in finding.alternatives if "own words:" in a or "what matters to" in a]
        assert own, finding.quote
        # The teaching suggestion quotes the person, and the quote is something they said.
        quoted = re.findall(r'own words: "([^"]+)"', finding.suggestion)
        assert all(quote_is_recorded(q, sayings) for q in quoted)
        assert finding.suggestion.startswith("Consider: ")


def test_without_a_scenario_the_aim_suggestion_is_a_question_and_gaps() -> None:
    text = (
        "Person: Ann\nGoal: Ann will remain stable.\n  Objective: Ann sees the nurse monthly.\n"
        "    - Ann: books the visits\n"
    )
    finding = next(f for f in review(text).findings if f.rule == "language.remain-stable")
    assert finding.alternatives[0] == "what would being well make possible for you?"
    assert all("[" in alt or alt.endswith("?") for alt in finding.alternatives)


@pytest.mark.parametrize(
    ("text", "pronouns", "expected"),
    [
        ("raised his voice when told", "she/her", "raised her voice when told"),
        ("stay with her until she feels calmer", "he/him", "stay with him until he feels calmer"),
        ("her mood changes quickly when", "he/him", "his mood changes quickly when"),
        ("support him to stay safe", "she/her", "support her to stay safe"),
        ("she has decided, knowing the risks", "they/them", "she has decided, knowing the risks"),
    ],
)
def test_examples_are_retold_with_the_persons_pronouns(
    text: str, pronouns: str, expected: str
) -> None:
    assert fit_pronouns(text, pronouns_of(pronouns)) == expected


def test_the_persons_name_replaces_the_placeholder() -> None:
    scenario = load("javi-oud-taper")
    result = review(scenario.deficit_plan, scenario.locale, scenario)
    client = next(f for f in result.findings if f.rule == "language.the-patient")
    assert client.alternatives[0] == "Javier"
    assert "the person's name" not in client.suggestion
