"""Is a quotation something the person actually said? A tolerant match on words.

A learner (or a scenario author) who puts words in quotation marks is claiming them as the
person's own. With a scenario the studio knows what the person said, so the claim can be
checked: the quote's words must appear, in order, in one thing the person said, allowing for
small edits (a changed word or two, "I'd" for "I would", a dropped filler word).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING

from goalstudio.rubric._text import normalise, tokenise

if TYPE_CHECKING:
    from goalstudio._scenarios.model import Scenario

# Share of the quote's words that must be found, in order, in one recorded saying.
MATCH_SHARE = 0.8
# Words too small to count either way: their presence or absence is a small edit.
_FILLER = frozenset({"a", "an", "the", "and", "to", "of", "just", "really", "so", "be", "i", "my"})


@functools.lru_cache(maxsize=4096)
def _words(text: str) -> tuple[str, ...]:
    # Cached: a review checks each goal against the same sayings again and again.
    return tuple(t.stem for t in tokenise(normalise(text)) if t.stem not in _FILLER)


def _in_order(quote: tuple[str, ...], said: tuple[str, ...]) -> int:
    """The length of the longest run of quote words found in order in ``said`` (an LCS)."""
    if not quote or not said:
        return 0
    previous = [0] * (len(said) + 1)
    for word in quote:
        current = [0] * (len(said) + 1)
        for j, other in enumerate(said, start=1):
            current[j] = previous[j - 1] + 1 if word == other else max(previous[j], current[j - 1])
        previous = current
    return previous[-1]


def quote_is_recorded(quote: str, sayings: Iterable[str]) -> bool:
    """True when ``quote`` matches, word for word with small edits, one of ``sayings``.

    A quote is matched against each saying separately, so words stitched together from two
    different answers do not pass as one thing the person said.
    """
    words = _words(quote)
    if not words:
        return True
    needed = max(1, int(len(words) * MATCH_SHARE + 0.999))
    return any(_in_order(words, _words(saying)) >= needed for saying in sayings)


def person_sayings(scenario: Scenario) -> list[str]:
    """Everything the scenario records the person as saying, one saying per entry.

    Their own introduction, their goal-discovery answers (and the goals quoted from them),
    their side of the Exchange Model, and their lines in the risk conversation.
    """
    sayings = [scenario.person.in_their_words, *scenario.person.what_matters]
    for turn in scenario.goal_discovery:
        sayings.append(turn.answer)
        sayings.extend(turn.goals)
    for view in scenario.perspectives:
        if view.party == "person":
            sayings.extend([*view.what_matters, *view.working, *view.not_working])
            sayings.extend([*view.concerns, *view.proposed_outcomes])
    sayings.extend(node.says for node in scenario.conversation.nodes)
    return sayings
