"""The logic behind goal discovery: the conversation, capturing goals, and feedback on each.

A scenario may carry its own goal-discovery conversation (``Scenario.goal_discovery``). When it
does not, one is built from the person's own words (``person.in_their_words``): the studio only
ever puts the person's real words in their mouth, and asks the standard good questions around
them. Each goal the learner captures gets two pieces of feedback: is it the person's goal (in
their words) or ours, and is it an outcome in a life or a service?
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from goalstudio._scenarios.model import DiscoveryTurn, Scenario

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")
_WORD = re.compile(r"[a-z0-9']+")
_WANTS = re.compile(
    r"^(?:and\s+)?(?:honestly\?\s*)?(?:what\s+)?i\s*(?:want|'d like|would like|wish|hope)\b"
    r"|\bi\s+want\b",
    re.IGNORECASE,
)
_INTRODUCES = re.compile(r"\bwant (?:is|are) (?:simple|this|these)\b|\bwant:$", re.IGNORECASE)
OWN_WORDS_SHARE = 0.7


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(" ".join(text.split())) if s.strip()]


def _goal_groups(sentences: list[str]) -> list[list[str]]:
    """Sentences where the person says what they want. "What I want is simple." introduces
    the short sentences after it, which are the goals themselves."""
    groups: list[list[str]] = []
    used: set[int] = set()
    for i, sentence in enumerate(sentences):
        if i in used or not _WANTS.search(sentence):
            continue
        if _INTRODUCES.search(sentence) and i + 1 < len(sentences):
            following = []
            for j in range(i + 1, min(i + 5, len(sentences))):
                if j in used or len(sentences[j].split()) > 18:
                    break
                following.append(j)
            used.update([i, *following])
            groups.append([sentence, *(sentences[j] for j in following)])
        else:
            used.add(i)
            groups.append([sentence])
    return groups


def discovery_turns(scenario: Scenario) -> list[DiscoveryTurn]:
    """The scenario's own conversation, or one built from the person's own words."""
    if scenario.goal_discovery:
        return list(scenario.goal_discovery)
    sentences = _sentences(scenario.person.in_their_words)
    groups = _goal_groups(sentences)
    in_groups = {s for g in groups for s in g}
    rest = [s for s in sentences if s not in in_groups]
    turns: list[DiscoveryTurn] = []
    if rest:
        turns.append(
            DiscoveryTurn(
                ask="Before we talk about services, tell me a bit about yourself.",
                answer=" ".join(rest[:4]),
                kind="opening",
            )
        )
    asks = [
        ("good_day", "What would a good day look like for you, a few months from now?"),
        ("laddering", "And what would that give you? What else matters?"),
    ]
    for n, group in enumerate(groups):
        kind, ask = asks[min(n, 1)]
        goals = group[1:] if len(group) > 1 else group
        turns.append(DiscoveryTurn(ask=ask, answer=" ".join(group), kind=kind, goals=goals))
    if len(" ".join(rest[4:]).split()) >= 8 or not turns:
        turns.append(
            DiscoveryTurn(
                ask="What matters most to you in a week?",
                answer=" ".join(rest[4:]) or scenario.person.in_their_words.strip(),
                kind="what_matters",
            )
        )
    return turns


@dataclass(frozen=True)
class GoalFeedback:
    goal: str
    own_words: bool
    whose: str
    outcome_label: str
    outcome: str
    reasons: tuple[str, ...]


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def own_words_share(goal: str, said: list[str]) -> float:
    """How much of ``goal`` (by words) appears in one thing the person said (0 to 1)."""
    words = _words(goal)
    if not words:
        return 0.0
    best = 0.0
    for answer in said:
        heard = set(_words(answer))
        best = max(best, sum(w in heard for w in words) / len(words))
    return best


def goal_feedback(goal: str, scenario: Scenario, turns: list[DiscoveryTurn]) -> GoalFeedback:
    """Is this the person's goal or ours, and is it an outcome or a service?"""
    from goalstudio.rubric import classify

    name = scenario.known_as
    said = [t.answer for t in turns]
    share = own_words_share(goal, said)
    result = classify(goal, "goal")
    own = share >= OWN_WORDS_SHARE
    if own:
        whose = f"{name}'s goal, in {name}'s own words."
    elif result.label == "deficit_led":
        whose = f"This sounds like the service's goal for {name}, not {name}'s own."
    else:
        whose = f"Your words, not {name}'s. Check it with {name}, or use the words {name} used."
    if result.label == "person_centred":
        outcome = "An outcome: a change in a life."
    elif result.label == "deficit_led":
        outcome = "A service or a deficit: ask 'what would that give you?' to find the outcome."
    else:
        outcome = "Partly an outcome: say what would be different in the person's life."
    return GoalFeedback(goal, own, whose, result.label, outcome, result.reasons)


def goals_as_plan_text(goals: list[str], scenario: Scenario) -> str:
    """Captured goals as the start of a plan, quoted and attributed to the person."""
    name = scenario.known_as
    lines = [f"Person: {scenario.person.name}", ""]
    for goal in goals:
        text = " ".join(goal.split()).strip('"“” ')
        if text:
            lines.append(f'Goal: "{text}" ({name})')
    return "\n".join(lines) + "\n"


def discovery_review(goals: list[GoalFeedback], turns: list[DiscoveryTurn]) -> dict[str, object]:
    """What is recorded when the learner finishes: each goal, and how many named goals were heard.

    The score is the share of captured goals that are in the person's own words and are not
    service or deficit goals.
    """
    named = [g for t in turns for g in t.goals]
    heard = [
        n for n in named if any(own_words_share(c.goal, [n]) >= OWN_WORDS_SHARE for c in goals)
    ]
    good = [g for g in goals if g.own_words and g.outcome_label != "deficit_led"]
    return {
        "kind": "goal_discovery",
        "goals": [
            {"goal": g.goal, "own_words": g.own_words, "label": g.outcome_label} for g in goals
        ],
        "named_goals": len(named),
        "named_goals_captured": len(heard),
        "score": len(good) / len(goals) if goals else 0.0,
    }
