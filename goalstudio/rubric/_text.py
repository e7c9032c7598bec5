"""Normalising and tokenising plan text, and finding phrases in it in linear time.

The rubric normalises first and evaluates second. Normalisation keeps every character at
its position (curly quotes become straight ones, dashes become hyphens, odd spaces and
direction marks become spaces), so a span found in the normalised copy is a span in the text
the learner wrote. Case folding happens on copies of single words when they are stemmed.

Phrases are matched word by word after light stemming, through a dictionary keyed on the
first word: the cost is one lookup per word, whatever the number of phrases, and no regular
expression can backtrack.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

# One-for-one replacements, so offsets never move.
_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u3000": " ",
        "\t": " ",
        "\u200b": " ",
        "\u200e": " ",
        "\u200f": " ",
        "\u202a": " ",
        "\u202b": " ",
        "\u202c": " ",
        "\u202d": " ",
        "\u202e": " ",
        "\u2066": " ",
        "\u2067": " ",
        "\u2068": " ",
        "\u2069": " ",
        "\ufeff": " ",
    }
)

# A word: letters or digits, joined by inner apostrophes ("I'd", "Priya's"). Hyphens split
# words, so "co-ordinator", "co ordinator" and "self-harm" match their spaced forms. Each
# match is one pass over a run of word characters: no nesting, no backtracking.
_WORD = re.compile(r"\w+(?:'\w+)*")


def normalise(text: str) -> str:
    """The text with quotes, dashes and spaces made plain, at the same length."""
    return text.translate(_TRANSLATE)


_IRREGULAR = {
    "goes": "go",
    "went": "go",
    "gone": "go",
    "does": "do",
    "did": "do",
    "done": "do",
    "has": "have",
    "had": "have",
    "is": "be",
    "are": "be",
    "was": "be",
    "were": "be",
    "been": "be",
    "am": "be",
    "children": "child",
    "men": "man",
    "women": "woman",
    "took": "take",
    "taken": "take",
    "made": "make",
    "saw": "see",
    "seen": "see",
    "felt": "feel",
    "kept": "keep",
    "met": "meet",
    "told": "tell",
    "spent": "spend",
    "learnt": "learn",
    "began": "begin",
    "begun": "begin",
    "going": "go",
    "doing": "do",
    "being": "be",
    "having": "have",
}


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light stem: attends/attending/attended -> attend; flats -> flat; engage -> engag."""
    w = word.lower()
    base = _IRREGULAR.get(w)
    if base is not None:
        w = base
    if w.endswith("'s"):
        w = w[:-2]
    elif w.endswith("'"):
        w = w[:-1]
    n = len(w)
    if n > 4 and w.endswith(("ies", "ied")):
        w = w[:-3] + "y"
    elif n > 5 and w.endswith("ing"):
        w = w[:-3]
    elif n > 4 and (
        (w.endswith("ed") and not w.endswith("eed"))
        or w.endswith(("sses", "xes", "ches", "shes", "zes"))
    ):
        w = w[:-2]
    elif n > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    # Doubled final consonant after stripping (planned -> plann -> plan).
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiouls":
        w = w[:-1]
    return w


@dataclass(frozen=True, slots=True)
class Token:
    """One word: its text as written, its stem, and where it sits."""

    text: str
    stem: str
    start: int
    end: int

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()


def tokenise(text: str) -> list[Token]:
    """The words of ``text`` (already normalised), with offsets into it."""
    return [Token(m.group(), stem(m.group()), m.start(), m.end()) for m in _WORD.finditer(text)]


def phrase_stems(phrase: str) -> tuple[str, ...]:
    """The stems of a phrase as written in the data files."""
    return tuple(stem(m.group()) for m in _WORD.finditer(normalise(phrase)))


@dataclass(frozen=True, slots=True)
class PhraseHit:
    """A phrase found among the tokens: its key, its data, and its character span."""

    key: str
    phrase: str
    start: int
    end: int
    first: int
    last: int


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence ``analyse`` found: its family, the words as written, and the span
    in the statement. It lives here, beside ``Token``, so ``_aim`` reads it without importing
    ``_analysis``, which imports ``_aim``."""

    family: str
    words: str
    start: int
    end: int
    domain: str = ""  # for life outcomes: work, home, relationships, ...


class PhraseIndex:
    """Many phrases, matched against a token list in one pass.

    The index maps a first stem to the phrases that start with it, longest first, so a scan
    costs one dictionary lookup per token plus a short comparison for each candidate.
    """

    def __init__(self, entries: Iterable[tuple[str, str]]) -> None:
        self._by_first: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
        for key, phrase in entries:
            stems = phrase_stems(phrase)
            if not stems:
                continue
            bucket = self._by_first.setdefault(stems[0], [])
            if any(s == stems and k == key for s, k, _ in bucket):
                continue
            bucket.append((stems, key, phrase))
        for bucket in self._by_first.values():
            bucket.sort(key=lambda item: -len(item[0]))

    def __len__(self) -> int:
        return sum(len(b) for b in self._by_first.values())

    def scan(self, tokens: list[Token]) -> Iterator[PhraseHit]:
        """Every phrase at every token, longest first at each start; overlaps allowed."""
        stems = [t.stem for t in tokens]
        count = len(stems)
        for i, first in enumerate(stems):
            bucket = self._by_first.get(first)
            if not bucket:
                continue
            for phrase_stems_, key, phrase in bucket:
                size = len(phrase_stems_)
                if i + size > count:
                    continue
                if size == 1 or tuple(stems[i : i + size]) == phrase_stems_:
                    yield PhraseHit(
                        key, phrase, tokens[i].start, tokens[i + size - 1].end, i, i + size - 1
                    )

    def contains(self, tokens: list[Token]) -> bool:
        return next(self.scan(tokens), None) is not None
