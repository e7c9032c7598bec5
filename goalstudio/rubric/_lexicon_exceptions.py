"""Exceptions: the phrases around a match that make it fine ("clean" in "a clean flat").

These are an entry's ``exceptions`` in the YAML, not Python exceptions. Each one is split at
load time into the words before the phrase and the words after it. The words after are matched
forwards from the end of the match; the words before are matched forwards on the *reversed*
text from the start of the match, so both checks are anchored and cost only the length of the
exception. For each matched form the checks are combined into one regular expression per side
and cached.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from goalstudio.rubric._lexicon_patterns import APOS, SEP_CHARS, match_key, spellings, trie_regex

# Separators between the words of an exception (``_sep_regex`` says which is which).
_SEP_OPT = f"[{SEP_CHARS}]*"
_EXC_SEP = f"[,;:]?[{SEP_CHARS}]+"
# How far around a match an exception (or a context rule) may reach, in characters.
WINDOW = 200


@dataclass
class _Token:
    """One word slot in an exception: a set of literal keys, or any word."""

    keys: tuple[str, ...]  # empty tuple means any single word
    sep_before: str = " "  # " " (one or more separators) or "-" (optional separator)

    def regex(self, reverse: bool) -> str:
        return _token_regex(self.keys, reverse)


@functools.lru_cache(maxsize=4096)
def _token_regex(keys: tuple[str, ...], reverse: bool) -> str:
    """The regex for one exception word slot (cached: the same slots recur across alignments)."""
    if not keys:
        return r"\w+(?:" + APOS + r"\w+)?"
    return "(?:" + trie_regex([key[::-1] if reverse else key for key in keys]) + ")"


def _split_exception(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    for chunk in re.findall(r"\{[^{}]*\}|[^\s{}]+", text):
        if chunk.startswith("{"):
            keys = tuple(sorted({match_key(alt) for alt in chunk[1:-1].split("|") if alt.strip()}))
            tokens.append(_Token(keys))
            continue
        pieces = chunk.split("-")
        for index, piece in enumerate(pieces):
            sep = "-" if index > 0 else " "
            if not piece:
                continue
            if piece == "*":
                tokens.append(_Token((), sep))
            else:
                tokens.append(_Token((match_key(piece),), sep))
    return tokens


def _sep_regex(sep: str) -> str:
    """Separators inside exceptions: a hyphen may be left out; a space may follow a comma,
    colon or semicolon ("a clean, quiet room")."""
    return _SEP_OPT if sep == "-" else _EXC_SEP


@dataclass
class _Alignment:
    """One way of laying an exception over a match: the match keys it accepts and the words
    that must come before (matched on the reversed text) and after the match. The regexes are
    compiled the first time a match needs them, so loading the lexicon stays quick."""

    keys: frozenset[str]
    before_tokens: tuple[_Token, ...]
    before_sep: str
    after_tokens: tuple[_Token, ...]
    loose: bool  # the match may carry extra words on the side with no exception words

    @functools.cached_property
    def before(self) -> str | None:
        return _before_pattern(self.before_tokens, self.before_sep)

    @functools.cached_property
    def after(self) -> str | None:
        return _after_pattern(self.after_tokens)

    def fits(self, key: str) -> bool:
        if key in self.keys:
            return True
        if not self.loose:
            return False
        if self.after_tokens and not self.before_tokens:
            return any(key.endswith(" " + term) for term in self.keys)
        if self.before_tokens and not self.after_tokens:
            return any(key.startswith(term + " ") for term in self.keys)
        return False


@dataclass
class ExceptionRule:
    source: str
    alignments: list[_Alignment]


def _run_keys(run: Sequence[_Token], limit: int) -> set[str] | None:
    """Every key a run of literal tokens can stand for (None if too many or a wildcard)."""
    if any(not tok.keys for tok in run):
        return None
    total = 1
    for tok in run:
        total *= len(tok.keys)
    if total > limit:
        return None
    keys: set[str] = set()
    for combo in itertools.product(*(tok.keys for tok in run)):
        spaced = " ".join(combo)
        keys.add(spaced)
        if any(tok.sep_before == "-" for tok in run[1:]):
            text = combo[0]
            for tok, word in zip(run[1:], combo[1:], strict=True):
                text += ("" if tok.sep_before == "-" else " ") + word
            keys.add(text)
    return keys


def _after_pattern(tokens: Sequence[_Token]) -> str | None:
    """Words after the match, run forwards from the match end."""
    if not tokens:
        return None
    parts = [_sep_regex(tok.sep_before) + tok.regex(False) for tok in tokens]
    return "".join(parts) + r"(?!\w)"


def _before_pattern(tokens: Sequence[_Token], sep_after: str) -> str | None:
    """Words before the match, compiled to run on the reversed text from the match start."""
    if not tokens:
        return None
    seps = [tok.sep_before for tok in tokens[1:]] + [sep_after]
    parts = [
        _sep_regex(sep) + tok.regex(True)
        for tok, sep in zip(reversed(tokens), reversed(seps), strict=True)
    ]
    return "".join(parts) + r"(?!\w)"


def compile_exception(source: str, entry_keys: dict[str, bool]) -> ExceptionRule:
    """Split an exception around the entry's own phrase; raise ValueError if it has none."""
    tokens = _split_exception(source)
    if not tokens:
        raise ValueError(f"exception {source!r} is empty")
    best: tuple[int, int, frozenset[str]] | None = None
    for length in range(min(6, len(tokens)), 0, -1):
        for first in range(0, len(tokens) - length + 1):
            run = tokens[first : first + length]
            if any(not tok.keys for tok in run):
                continue
            combos = itertools.product(*(tok.keys for tok in run))
            joined: set[str] = set()
            ok = True
            for combo in combos:
                text = combo[0]
                for tok, word in zip(run[1:], combo[1:], strict=True):
                    text += (" " if tok.sep_before == " " else "") + word
                candidates = {text}
                if any(tok.sep_before == "-" for tok in run[1:]):
                    spaced = " ".join(combo)
                    candidates.add(spaced)
                found = [c for c in candidates if c in entry_keys]
                if not found:
                    ok = False
                    break
                joined.update(found)
            if ok:
                spelled = set().union(*(spellings(k) for k in joined))
                best = (first, length, frozenset(joined | spelled))
                break
        if best:
            break
    if best is None:
        raise ValueError(
            f"exception {source!r} does not contain the phrase or one of its variants; "
            "write the whole phrase as it appears, e.g. 'clean {flat|house}'"
        )
    first, length, term_keys = best
    last = first + length
    alignments = []
    # The match may also take in up to two exception words on either side ("kitchen is clean"
    # read over the match "is clean"), so exceptions still apply to longer variants.
    for take_before in range(0, min(2, first) + 1):
        for take_after in range(0, min(2, len(tokens) - last) + 1):
            lo, hi = first - take_before, last + take_after
            if take_before or take_after:
                extra = _run_keys(tokens[lo:first], 2000) if take_before else {""}
                tail = _run_keys(tokens[last:hi], 2000) if take_after else {""}
                if extra is None or tail is None:
                    continue
                keys = {
                    " ".join(part for part in (pre, term, post) if part)
                    for pre in extra
                    for term in term_keys
                    for post in tail
                }
            else:
                keys = set(term_keys)
            alignments.append(
                _Alignment(
                    frozenset(keys),
                    tuple(tokens[:lo]),
                    tokens[lo].sep_before,
                    tuple(tokens[hi:]),
                    loose=not (take_before or take_after),
                )
            )
    return ExceptionRule(source, alignments)


@dataclass
class ExceptionPlan:
    """Exception checks for one key: one regex for all 'words after', one for all 'words
    before', and a short list of alignments that need both."""

    after: re.Pattern[str] | None
    before: re.Pattern[str] | None
    both: list[tuple[re.Pattern[str], re.Pattern[str]]]

    @classmethod
    def build(cls, alignments: list[_Alignment]) -> ExceptionPlan:
        afters = [a.after for a in alignments if a.after and a.before is None]
        befores = [a.before for a in alignments if a.before and a.after is None]
        if any(a.after is None and a.before is None for a in alignments):
            # An exception that is exactly the phrase: always fine.
            return cls(re.compile(""), None, [])
        both = [
            (re.compile(a.before, re.IGNORECASE), re.compile(a.after, re.IGNORECASE))
            for a in alignments
            if a.after is not None and a.before is not None
        ]
        return cls(_union(afters), _union(befores), both)

    def covers(self, text: str, reversed_text: str, start: int, end: int) -> bool:
        if self.after is not None and self.after.match(text, end, min(len(text), end + WINDOW)):
            return True
        rstart = len(text) - start
        if self.before is not None and self.before.match(
            reversed_text, rstart, min(len(text), rstart + WINDOW)
        ):
            return True
        for before, after in self.both:
            if after.match(text, end, min(len(text), end + WINDOW)) and before.match(
                reversed_text, rstart, min(len(text), rstart + WINDOW)
            ):
                return True
        return False

    @property
    def empty(self) -> bool:
        return self.after is None and self.before is None and not self.both


def _union(patterns: list[str]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in sorted(set(patterns))), re.IGNORECASE)


def plan_for(exceptions: Sequence[ExceptionRule], key: str) -> ExceptionPlan:
    """The checks of an entry's exceptions that apply to one matched key."""
    return ExceptionPlan.build([a for exc in exceptions for a in exc.alignments if a.fits(key)])
