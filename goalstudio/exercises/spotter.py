"""The logic behind the language spotter: words to mark, what the lexicon finds, and the score.

The learner marks words in a passage. Touching marked words make one marked phrase. After the
reveal, a lexicon phrase counts as *found* when any of its words is marked, and as *missed*
otherwise; a marked phrase that touches no lexicon phrase is *over-flagged* (worth a second
look, not necessarily wrong: the lexicon is a guide, not the last word).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from goalstudio.rubric import TermMatch


_WORD = re.compile(r"[^\W_](?:[\w'’-]*[^\W_])?")


@dataclass(frozen=True)
class Word:
    index: int
    text: str
    start: int
    end: int
    line: int


def words_of(text: str) -> list[Word]:
    """The words of a passage with their character spans and 0-based line numbers."""
    out: list[Word] = []
    for m in _WORD.finditer(text):
        out.append(Word(len(out), m.group(), m.start(), m.end(), text.count("\n", 0, m.start())))
    return out


@dataclass
class SpotResult:
    found: list[TermMatch]
    missed: list[TermMatch]
    over_flagged: list[tuple[int, int]]

    @property
    def score(self) -> float:
        total = len(self.found) + len(self.missed) + len(self.over_flagged)
        return len(self.found) / total if total else 1.0

    def to_dict(self) -> dict[str, Any]:
        def term(m: TermMatch) -> dict[str, Any]:
            return {"phrase": m.matched_text, "entry": m.entry.id, "start": m.start, "end": m.end}

        return {
            "kind": "language_spotter",
            "found": [term(m) for m in self.found],
            "missed": [term(m) for m in self.missed],
            "over_flagged": [list(s) for s in self.over_flagged],
            "score": self.score,
        }


@dataclass
class SpotterState:
    text: str
    locale: str
    marked: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.words = words_of(self.text)

    def toggle(self, index: int) -> bool:
        """Mark or unmark word ``index``; returns whether it is now marked."""
        if not 0 <= index < len(self.words):
            raise ValueError(f"there is no word {index + 1} in this passage")
        if index in self.marked:
            self.marked.discard(index)
            return False
        self.marked.add(index)
        return True

    def mark_phrase(self, phrase: str) -> list[int]:
        """Mark the words of ``phrase`` everywhere it appears (case-insensitive)."""
        spans = [m.span() for m in re.finditer(re.escape(phrase.strip()), self.text, re.I)]
        if not phrase.strip() or not spans:
            raise ValueError(f"'{phrase.strip()}' is not in the passage")
        indices = [w.index for w in self.words if any(w.start < e and w.end > s for s, e in spans)]
        self.marked.update(indices)
        return indices

    def marked_spans(self) -> list[tuple[int, int]]:
        """Runs of marked words next to each other, as character spans."""
        spans: list[tuple[int, int]] = []
        previous = -2
        for i in sorted(self.marked):
            word = self.words[i]
            if i == previous + 1 and spans:
                spans[-1] = (spans[-1][0], word.end)
            else:
                spans.append((word.start, word.end))
            previous = i
        return spans

    def matches(self) -> list[TermMatch]:
        from goalstudio.rubric import load_lexicon

        return load_lexicon(self.locale).find(self.text)

    def result(self) -> SpotResult:
        spans = self.marked_spans()
        found: list[TermMatch] = []
        missed: list[TermMatch] = []
        for m in self.matches():
            hit = any(s < m.end and e > m.start for s, e in spans)
            (found if hit else missed).append(m)
        matches = found + missed
        over = [(s, e) for s, e in spans if not any(s < m.end and e > m.start for m in matches)]
        return SpotResult(found, missed, over)


def check_rewording(text: str, locale: str) -> list[TermMatch]:
    """Lexicon phrases still in a learner's rewording (empty when it reads well)."""
    from goalstudio.rubric import load_lexicon

    return load_lexicon(locale).find(text)
