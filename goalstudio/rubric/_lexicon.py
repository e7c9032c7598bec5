"""The lexicon's matcher: ``Lexicon.find`` and the studio's lexicon per locale.

The entries and their YAML files are ``_lexicon_data``; their forms become one linear-time
regular expression in ``_lexicon_patterns``, and their exceptions anchored checks in
``_lexicon_exceptions``. Here a ``Lexicon`` joins them, finds the phrases in a text, and applies
each entry's exceptions and context rules. It explains what it finds and never rewrites a
learner's words.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from goalstudio._vocabulary import LOCALES
from goalstudio.rubric._lexicon_data import (
    LEXICON_DIR,
    LexiconEntry,
    LexiconError,
    Severity,
    TermMatch,
    read_lexicon_file,
)
from goalstudio.rubric._lexicon_exceptions import (
    WINDOW,
    ExceptionPlan,
    ExceptionRule,
    compile_exception,
    plan_for,
)
from goalstudio.rubric._lexicon_patterns import (
    case_key,
    joined_form,
    match_key,
    spellings,
    trie_regex,
)

__all__ = ["Lexicon", "lexicon_from_files", "load_lexicon"]


@dataclass
class _Compiled:
    entry: LexiconEntry
    exact: frozenset[str]  # case-sensitive entries: the forms as written
    exceptions: list[ExceptionRule]
    plans: dict[str, ExceptionPlan] = field(default_factory=dict)

    def plan(self, key: str) -> ExceptionPlan:
        """The exception checks for one matched key, combined into as few regexes as possible."""
        plan = self.plans.get(key)
        if plan is None:
            plan = plan_for(self.exceptions, key)
            self.plans[key] = plan
        return plan


def _capitals_match(matched: str, forms: frozenset[str]) -> bool:
    """Case-sensitive entries: every capital in a written form must be a capital in the text.

    'DNA' must be written in capitals, but a sentence may start 'Has PD' for the form 'has PD'.
    """
    text = case_key(matched)
    for form in forms:
        if (
            len(form) == len(text)
            and form.casefold() == text.casefold()
            and all(t.isupper() for f, t in zip(form, text, strict=True) if f.isupper())
        ):
            return True
    return False


def _exact_forms(entry: LexiconEntry) -> frozenset[str]:
    forms: set[str] = set()
    for form in entry.forms():
        forms.add(case_key(form))
        if "-" in form:
            forms.add(case_key(re.sub(r"\s*-\s*", "", form)))
    return frozenset(forms)


class Lexicon:
    """A set of entries compiled into one linear-time matcher. Build with ``load_lexicon``."""

    def __init__(self, entries: Sequence[LexiconEntry], *, locale: str = "en-GB") -> None:
        self.locale = locale
        self.entries: tuple[LexiconEntry, ...] = tuple(
            e.for_locale(locale) for e in entries if e.locale in ("any", locale)
        )
        self._by_key: dict[str, _Compiled] = {}
        self._compiled: dict[str, _Compiled] = {}
        self._build()

    # -- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        explicit: dict[str, str] = {}
        generated: dict[str, str] = {}
        per_entry: dict[str, dict[str, bool]] = {}
        for entry in self.entries:
            keys: dict[str, bool] = {}
            for form in entry.forms():
                key = match_key(form)
                keys[key] = True
                joined = joined_form(form)
                for extra in {joined} if joined else set():
                    keys.setdefault(extra, False)
                for spelled in spellings(key) | (spellings(joined) if joined else set()):
                    keys.setdefault(spelled, False)
            for key, is_explicit in keys.items():
                if is_explicit:
                    if key in explicit and explicit[key] != entry.id:
                        raise LexiconError(
                            f"entry '{entry.id}': the form '{key}' is also listed by entry "
                            f"'{explicit[key]}'; keep it in one entry only"
                        )
                    explicit[key] = entry.id
            for key, is_explicit in keys.items():
                if not is_explicit:
                    generated.setdefault(key, entry.id)
            per_entry[entry.id] = keys
        owner: dict[str, str] = {**{k: v for k, v in generated.items()}, **explicit}
        for entry in self.entries:
            keys = {k: v for k, v in per_entry[entry.id].items() if owner.get(k) == entry.id}
            exceptions = []
            for source in entry.exceptions:
                try:
                    exceptions.append(compile_exception(source, keys))
                except ValueError as exc:
                    raise LexiconError(f"entry '{entry.id}': {exc}") from None
            compiled = _Compiled(
                entry,
                _exact_forms(entry) if entry.case_sensitive else frozenset(),
                exceptions,
            )
            self._compiled[entry.id] = compiled
            for key in keys:
                self._by_key[key] = compiled
        body = trie_regex(self._by_key) if self._by_key else r"(?!x)x"
        self._pattern = re.compile(r"(?<!\w)(?:" + body + r")(?!\w)", re.IGNORECASE)

    # -- public -----------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[LexiconEntry]:
        return iter(self.entries)

    def get(self, entry_id: str) -> LexiconEntry:
        """The entry with this id; ``KeyError`` names the id."""
        try:
            return self._compiled[entry_id].entry
        except KeyError:
            raise KeyError(f"no lexicon entry '{entry_id}'") from None

    @property
    def variant_count(self) -> int:
        """How many distinct normalised forms the matcher recognises."""
        return len(self._by_key)

    def find(self, text: str) -> list[TermMatch]:
        """Every lexicon phrase in ``text``: sorted and non-overlapping.

        Where two phrases overlap, the longer one wins ("a suicidal gesture" is reported as
        "suicidal gesture", not "a suicidal"); at equal length the earlier one wins.
        """
        chosen: list[TermMatch] = []
        for match in self._candidates(text):
            if chosen and match.start < chosen[-1].end:
                last = chosen[-1]
                if match.end - match.start > last.end - last.start:
                    chosen[-1] = match
                continue
            chosen.append(match)
        return chosen

    def _candidates(self, text: str) -> Iterator[TermMatch]:
        """Accepted matches in order of start: the longest one at each word start."""
        reversed_text: str | None = None
        facts: _Facts | None = None  # read once per text, the first time a context rule asks
        pos = 0
        search = self._pattern.search
        while True:
            found = search(text, pos)
            if found is None:
                return
            start, end = found.span()
            pos = start + 1
            matched = found.group()
            key = match_key(matched)
            compiled = self._by_key.get(key)
            if compiled is None:
                continue
            if compiled.entry.case_sensitive and not _capitals_match(matched, compiled.exact):
                continue
            if compiled.exceptions:
                plan = compiled.plan(key)
                if not plan.empty:
                    if reversed_text is None:
                        reversed_text = text[::-1]
                    if plan.covers(text, reversed_text, start, end):
                        continue
            entry = compiled.entry
            severity: Severity = entry.severity
            softened = ""
            if entry.fine_when or entry.gentle_when:
                if facts is None:
                    facts = _Facts.of(text)
                held = facts.holding(start, end, entry.fine_when + entry.gentle_when)
                if any(rule in held for rule in entry.fine_when):
                    continue
                gentle = [rule for rule in entry.gentle_when if rule in held]
                if gentle:
                    severity, softened = "info", _SOFTENED[gentle[0]]
            if severity == "warning" and _quoted_alone(text, start, end):
                severity, softened = "info", _SOFTENED["quoted"]
            yield TermMatch(start, end, matched, entry, severity, softened)


# --------------------------------------------------------------------------------------------
# Context rules: read from the sentence around a match (bounded, so matching stays linear)

_SOFTENED: dict[str, str] = {
    "capitalised": "written with a capital, as a community's own name",
    "chosen": "named as the person's own choice",
    "first_person": "in the person's own words",
    "quoted": "quoted as a word someone used",
}
_SENTENCE_ENDS = ".!?;\n"
_SENTENCE_END = re.compile(r"[.!?;\n]")
_FIRST_PERSON = re.compile(
    r"(?<!\w)(?:i|i'm|i’m|i've|i’ve|i'd|i’d|i'll|i’ll|me|my|myself|mine)(?!\w)", re.I
)
# The person choosing, preferring or asking for something ("she chose", "his choice", "I want").
_CHOICE = re.compile(
    r"(?<!\w)(?:chose|chooses|choose|choosing|chosen|choice|choices|prefers?|preferred|"
    r"preference|opted|opts|opt|decided|decides|decision|asked\s+for|asks\s+for|requested|"
    r"wants?|wanted|would\s+like|'d\s+like|’d\s+like)(?!\w)",
    re.I,
)
# Staff words that, just before a choice word, make it staff's choice rather than the person's.
_STAFF_CHOOSER = re.compile(
    r"(?<!\w)(?:staff|team|we|doctor|dr|psychiatrist|consultant|nurse|clinician|prescriber|"
    r"co-?ordinator|coordinator|worker|service|services|court|probation|team's|doctor's|"
    r"psychiatrist's|clinician's|prescriber's|staff's)(?:\W+\w+)?\W*$",
    re.I,
)


_QUOTES = "\"\u201c\u201d'\u2018\u2019"
_ARTICLE_BEFORE = re.compile(r"(?:the|a|an)\s+$", re.IGNORECASE)


def _quoted_alone(text: str, start: int, end: int) -> bool:
    """The match is the whole of a quotation (Not "non-compliant"; being "the addict"): a word
    mentioned, not used about someone."""
    before = text[max(0, start - 5) : start]
    article = _ARTICLE_BEFORE.search(before)
    if article is not None:
        before = before[: article.start()]
    if not before or before[-1] not in _QUOTES:
        return False
    after = text[end : end + 2]
    return bool(after) and (
        after[0] in _QUOTES or (after[0] in ".,!?" and after[1:2] != "" and after[1] in _QUOTES)
    )


@dataclass
class _Facts:
    """What context rules read from a text, found in one pass each and looked up by position
    (so a text with many matches still costs time in step with its length)."""

    text: str
    ends: list[int]  # where sentences end
    first_person: list[int]  # where first-person words start
    choices: list[int]  # where choice words start whose chooser is not staff

    @classmethod
    def of(cls, text: str) -> _Facts:
        ends = [found.start() for found in _SENTENCE_END.finditer(text)]
        choices = []
        for found in _CHOICE.finditer(text):
            before = text[max(0, found.start() - 40) : found.start()]
            cut = max(before.rfind(ch) for ch in _SENTENCE_ENDS)
            if not _STAFF_CHOOSER.search(before[cut + 1 :]):
                choices.append(found.start())
        first = [found.start() for found in _FIRST_PERSON.finditer(text)]
        return cls(text, ends, first, choices)

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        """The bounds of the sentence around a match, at most ``WINDOW`` characters out."""
        lo, hi = max(0, start - WINDOW), min(len(self.text), end + WINDOW)
        before = bisect.bisect_left(self.ends, start)
        left = max(lo, self.ends[before - 1] + 1) if before else lo
        after = bisect.bisect_left(self.ends, end)
        right = min(hi, self.ends[after]) if after < len(self.ends) else hi
        return left, right

    def holding(self, start: int, end: int, rules: Iterable[str]) -> set[str]:
        """Which of ``rules`` hold for the match at ``start:end``."""
        left, right = self.sentence(start, end)
        checks = {
            "capitalised": lambda: _written_capitalised(self.text, left, start, end),
            "first_person": lambda: _any_between(self.first_person, left, right),
            "chosen": lambda: _any_between(self.choices, left, right),
        }
        return {rule for rule in set(rules) if checks[rule]()}


def _any_between(positions: list[int], left: int, right: int) -> bool:
    index = bisect.bisect_left(positions, left)
    return index < len(positions) and positions[index] < right


def _written_capitalised(text: str, left: int, start: int, end: int) -> bool:
    """A word of the match starts with a capital where no sentence starts, and the match is not
    all capitals (a heading or shouting says nothing about a community's name)."""
    matched = text[start:end]
    if matched.isupper():
        return False
    sentence_start = not text[left:start].strip()
    for word in re.finditer(r"\w+", matched):
        if word.start() == 0 and sentence_start:
            continue
        if word.group()[0].isupper():
            return True
    return False


# --------------------------------------------------------------------------------------------
# Loading


def lexicon_from_files(paths: Iterable[Path], *, locale: str = "en-GB") -> Lexicon:
    """A lexicon built from the given YAML files (ids must be unique across them)."""
    entries: list[LexiconEntry] = []
    seen: dict[str, Path] = {}
    for path in paths:
        for entry in read_lexicon_file(path):
            if entry.id in seen:
                raise LexiconError(
                    f"{path}: entry id '{entry.id}' is already used in {seen[entry.id]}; "
                    "give each entry its own id."
                )
            seen[entry.id] = path
            entries.append(entry)
    files = ", ".join(str(p) for p in seen.values()) or "no files"
    try:
        return Lexicon(entries, locale=locale)
    except LexiconError as exc:
        entry_id = re.search(r"entry '([^']+)'", str(exc))
        origin = seen.get(entry_id.group(1)) if entry_id else None
        raise LexiconError(f"{origin or files}: {exc}") from None


@functools.lru_cache(maxsize=4)
def load_lexicon(locale: str = "en-GB") -> Lexicon:
    """The studio's lexicon for ``en-GB`` or ``en-US`` (cached)."""
    if locale not in LOCALES:
        raise ValueError(f"unknown locale '{locale}': choose one of en-GB, en-US")
    return lexicon_from_files(sorted(LEXICON_DIR.glob("*.yaml")), locale=locale)
