"""Feedback a learner reads to the end: the person's pronouns, verbs read as verbs, and the
course section each finding points to named as the learner sees it."""

from __future__ import annotations

import pytest

from goalstudio import load_scenario
from goalstudio._course import where_taught
from goalstudio._pronouns import pronouns_of
from goalstudio.grading._simulate import partial_plan
from goalstudio.rubric import review

SAMIRA = "samira-camhs-to-adult-architecture"


@pytest.mark.parametrize(
    ("stated", "they", "them", "their", "loves"),
    [
        ("she/her", "she", "her", "her", "loves"),
        ("He/Him", "he", "him", "his", "loves"),
        ("they/them", "they", "them", "their", "love"),
        ("she/they", "she", "her", "her", "loves"),
        ("", "they", "them", "their", "love"),
        ("ze/zir", "they", "them", "their", "love"),
    ],
)
def test_pronouns_come_from_what_the_scenario_states(stated, they, them, their, loves) -> None:
    p = pronouns_of(stated)
    assert (p.they, p.them, p.their, p.verb("love", "loves")) == (they, them, their, loves)


def test_messages_about_samira_use_her_pronouns_not_their() -> None:
    case = load_scenario(SAMIRA)
    assert case.person.pronouns.startswith("she")
    result = review(partial_plan(case), case.locale, case)
    texts = [f.message + " " + f.suggestion for f in result.findings]
    assert any("is written about Samira, not in her words." in t for t in texts)
    assert any("or things she loves" in t for t in texts)
    assert not [t for t in texts if "Samira" in t and " their " in f" {t} "]


def test_without_a_scenario_the_person_is_they() -> None:
    result = review("Person: Jo\nGoal: Reduce symptoms.\n")
    message = next(f for f in result.findings if f.rule == "own_words.goal-not-in-own-words")
    assert message.message.endswith("not in their words.")


def _verbless(step: str) -> bool:
    text = (
        'Goal: "I want to finish my degree." (Samira)\n'
        "  Objective: Samira hands in her portfolio by 1 May.\n"
        f"    - {step}\n"
        "      When: by 31 January\n"
    )
    return any(f.rule == "action_oriented.action-no-verb" for f in review(text).findings)


@pytest.mark.parametrize(
    "step",
    [
        "CAMHS psychiatrist: hands the prescribing over to her GP",
        "CAMHS psychiatrist: hands Samira's sertraline prescribing over to her GP",
        "Samira: leads the part of the meeting about her sharing agreement",
        "Mother (Rania): comes to the transition meeting",
        "Samira: wears the locator watch on her walks",
        "Samira: switches on the spending block in her banking app",
        "Samira: phones the wellbeing service",
    ],
)
def test_steps_that_open_with_a_verb_are_read_as_verbs(step: str) -> None:
    assert not _verbless(step)


@pytest.mark.parametrize(
    "step",
    [
        "CAMHS psychiatrist: medication review",
        "CAMHS practitioner: risk assessment and safety plan reviewed",
        "Nurse: weekly visits by the team",
        "Team: letters requesting contact",
    ],
)
def test_steps_without_a_verb_are_still_noted(step: str) -> None:
    assert _verbless(step)


def test_revisit_names_the_section_as_the_learner_sees_it() -> None:
    assert where_taught("04-writing-the-plan#the-persons-role") == (
        "Module 4, Writing the plan: The shape of a plan"
    )
    assert where_taught("04-writing-the-plan") == "Module 4, Writing the plan"
    assert where_taught("04-writing-the-plan#no-such-section") == "Module 4, Writing the plan"
    assert where_taught("not-a-module") == "not-a-module"
