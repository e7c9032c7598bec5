"""The recovery-oriented language lexicon and its matcher.

The lexicon is data: ``goalstudio/rubric/lexicon/*.yaml``. Each entry names a phrase that can
hurt or shut people out, its variants, why it harms, two or more alternatives, and the contexts
in which it is fine. The matcher finds entries in text and explains them; it never rewrites a
learner's words.

How matching stays fast and safe
--------------------------------
Every variant of every entry is normalised (case-folded; hyphens and spaces made equal; curly
apostrophes made straight) and put into one character trie. The trie becomes a single regular
expression whose alternatives at each node start with different characters, so the engine never
has to try two branches for the same character. The only repetition is the separator class
between words (``[\\s-]+``), which cannot overlap the letters around it. Backtracking is therefore
bounded by the length of the longest variant and matching is linear in the length of the text.

Exceptions ("clean" is fine in "a clean flat") are split at load time into the words before the
phrase and the words after it. The words after are matched forwards from the end of the match;
the words before are matched forwards on the *reversed* text from the start of the match, so
both checks are anchored and cost only the length of the exception. For each matched form the
checks are combined into one regular expression per side and cached.

Writing entries (for trainers editing the YAML)
-----------------------------------------------
- ``phrase`` and ``variants``: write each form as people write it. ``addict(s)`` also means
  "addicts"; ``relapse(d|s)`` means relapse, relapsed and relapses. Case does not matter, curly
  and straight apostrophes are the same, and a hyphen matches a space ("non-compliant" also finds
  "non compliant"; after a prefix such as non-, co- or self- it also finds "noncompliant").
  UK and US spellings (behaviour/behavior, -ise/-ize, judgement/judgment) are added for you.
- ``exceptions``: phrases in which the match is fine. Write the whole phrase including the
  entry's own words: ``clean {flat|house|clothes}``; ``{domestic|child} abuse``. ``{a|b}`` is a
  choice of words and ``*`` stands for any one word. An exception that does not contain the
  phrase is an error, so typos are caught when the lexicon loads.
- ``case_sensitive: true`` for abbreviations ("DNA"): capitals in the written form must be
  capitals in the text.
- ``fine_when`` and ``gentle_when``: context rules, read from the sentence around the match.
  ``capitalised``: a word of the match is written with a capital where a sentence does not
  start (a capital names the community's own culture: "the Deaf club", "school for the Deaf").
  ``chosen``: the sentence names the phrase as the person's own choice ("she chose
  medication-assisted treatment", "his choice"), and no member of staff is the one choosing.
  ``first_person``: the sentence is in the person's own voice ("I", "my"). Under ``fine_when``
  the match is not reported; under ``gentle_when`` it is reported as an info note at most.
- ``locale_alternatives``: alternatives that replace ``alternatives`` in one locale (no "British
  Sign Language" in a US plan). In en-US, UK spellings in alternatives are made US ones.
- For every entry, a phrase that is the whole of a quotation (Not "non-compliant") is a word
  mentioned rather than used, and is reported as an info note at most.
- Each ``alternatives`` list needs two or more entries, and none of them may be flagged by the
  lexicon itself (a test checks this).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from goalstudio._vocabulary import LOCALES, LocaleCode

__all__ = [
    "CATEGORIES",
    "LEXICON_DIR",
    "Lexicon",
    "LexiconEntry",
    "LexiconError",
    "TermMatch",
    "load_lexicon",
]

LEXICON_DIR = Path(__file__).resolve().parent / "lexicon"

Category = Literal[
    "deficit_label",
    "stigmatising",
    "compliance",
    "service_jargon",
    "substance_use",
    "suicide",
    "paternalistic",
    "clinical_label",
    "system_outcome",
    "credibility",
    "disability",
]
CATEGORIES: tuple[str, ...] = (
    "deficit_label",
    "stigmatising",
    "compliance",
    "service_jargon",
    "substance_use",
    "suicide",
    "paternalistic",
    "clinical_label",
    "system_outcome",
    "credibility",
    "disability",
)
EntryLocale = Literal["any", LocaleCode]
Severity = Literal["info", "warning"]
ContextRule = Literal["capitalised", "chosen", "first_person"]

# Characters treated as the same separator between words, and as the same apostrophe.
_SEP_CHARS = "\\s\\-\u2010\u2011\u2012\u2013"
_SEP = f"[{_SEP_CHARS}]+"
_SEP_OPT = f"[{_SEP_CHARS}]*"
_EXC_SEP = f"[,;:]?[{_SEP_CHARS}]+"
_APOS_CHARS = "'\u2019\u2018\u02bc\u2032`"
_APOS = f"[{_APOS_CHARS}]"
_SEP_RUN = re.compile(f"[{_SEP_CHARS}]+")
_APOS_RUN = re.compile(_APOS)
_ALLOWED_FORM = re.compile(r"^[^\W_](?:[\w' \-().|\u2019]*[\w.)])?$")
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_TEACHES = re.compile(r"^\d\d-[a-z0-9-]+(?:#[a-z0-9-]+)?$")
_WINDOW = 200
_YAML_LOADER: Any = getattr(
    yaml, "CSafeLoader", yaml.SafeLoader
)  # C parser when present  # how far around a match an exception may reach, in characters


class LexiconError(ValueError):
    """A lexicon file cannot be used. The message names the file, the entry and the fix."""


class LexiconEntry(BaseModel):
    """One phrase to reconsider, with why it harms and what to say instead."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(description="stable identifier, lower case with hyphens")
    phrase: str = Field(description="the phrase as a learner would recognise it")
    variants: list[str] = Field(
        default_factory=list,
        description="other forms; 'addict(s)' also means 'addicts', 'relapse(d|s)' three forms",
    )
    category: Category
    why: str = Field(min_length=20, description="plain language: why the phrase can harm")
    alternatives: list[str] = Field(min_length=2)
    acceptable_contexts: list[str] = Field(default_factory=list)
    exceptions: list[str] = Field(
        default_factory=list,
        description=(
            "phrases around the match that make it fine, e.g. 'clean {flat|house}'. "
            "{a|b} is a choice of words, * is any one word"
        ),
    )
    locale: EntryLocale = "any"
    severity: Severity = "warning"
    teaches: str = "03-from-deficits-to-outcomes#language"
    case_sensitive: bool = Field(
        default=False, description="match only as written (for abbreviations such as DNA)"
    )
    fine_when: list[ContextRule] = Field(
        default_factory=list, description="sentence contexts in which the match is fine"
    )
    gentle_when: list[ContextRule] = Field(
        default_factory=list, description="sentence contexts in which it is an info note at most"
    )
    locale_alternatives: dict[LocaleCode, list[str]] = Field(
        default_factory=dict, description="alternatives that replace 'alternatives' in a locale"
    )

    @field_validator("locale_alternatives")
    @classmethod
    def _check_locale_alternatives(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for locale, alternatives in value.items():
            if len(alternatives) < 2:
                raise ValueError(f"{locale}: list two or more alternatives")
            if any(not alt.strip() for alt in alternatives):
                raise ValueError(f"{locale}: an alternative must not be blank")
        return {k: [alt.strip() for alt in v] for k, v in value.items()}

    def for_locale(self, locale: str) -> LexiconEntry:
        """This entry as a plan in ``locale`` sees it: its alternatives for that locale, and in
        en-US with US spellings ("behavior" rather than "behaviour")."""
        alternatives = list(self.locale_alternatives.get(locale) or self.alternatives)  # type: ignore[call-overload]
        if locale == "en-US":
            alternatives = [_us_spelling(alt) for alt in alternatives]
        if alternatives == self.alternatives:
            return self
        return self.model_copy(update={"alternatives": alternatives})

    @field_validator("id")
    @classmethod
    def _check_id(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError("use lower-case letters, digits, '-' or '_' (e.g. 'non-compliant')")
        return value

    @field_validator("teaches")
    @classmethod
    def _check_teaches(cls, value: str) -> str:
        if not _TEACHES.match(value):
            raise ValueError(
                "point at a course module, e.g. '03-from-deficits-to-outcomes#language'"
            )
        return value

    @field_validator("phrase", "why")
    @classmethod
    def _non_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()

    @field_validator("phrase")
    @classmethod
    def _check_phrase(cls, value: str) -> str:
        _check_groups(value)
        return value

    @field_validator("variants")
    @classmethod
    def _check_variants(cls, value: list[str]) -> list[str]:
        for form in value:
            if not form.strip():
                raise ValueError("a variant must not be blank")
            _check_groups(form)
        return [form.strip() for form in value]

    @field_validator("exceptions")
    @classmethod
    def _check_exceptions(cls, value: list[str]) -> list[str]:
        for text in value:
            depth = 0
            for ch in text:
                depth += {"{": 1, "}": -1}.get(ch, 0)
                if depth not in (0, 1):
                    raise ValueError(f"exception {text!r}: braces must not nest or close early")
            if depth:
                raise ValueError(f"exception {text!r}: a '{{' is not closed with '}}'")
            if not text.strip():
                raise ValueError("an exception must not be blank")
        return value

    @field_validator("alternatives")
    @classmethod
    def _check_alternatives(cls, value: list[str]) -> list[str]:
        cleaned = [alt.strip() for alt in value]
        if any(not alt for alt in cleaned):
            raise ValueError("an alternative must not be blank")
        if len(set(cleaned)) != len(cleaned):
            raise ValueError("alternatives repeat; list each one once")
        return cleaned

    def forms(self) -> list[str]:
        """Every written form: the phrase, then the variants with ``(a|b)`` groups expanded."""
        out: list[str] = []
        for form in [self.phrase, *self.variants]:
            for expanded in _expand_groups(form):
                if expanded not in out:
                    out.append(expanded)
        return out


@dataclass(frozen=True, order=True)
class TermMatch:
    """One lexicon phrase found in a text: character offsets into the original text."""

    start: int
    end: int
    matched_text: str = field(compare=False)
    entry: LexiconEntry = field(compare=False)
    severity: Severity = field(default="warning", compare=False)
    # Why a context rule made this an info note ("the person's own words"), else "".
    softened: str = field(default="", compare=False)

    @property
    def phrase(self) -> str:
        """The words as written in the text (never rewritten)."""
        return self.matched_text


class _LexiconFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    schema_version: Literal[1]
    entries: list[dict[str, Any]] = Field(default_factory=list)


# --------------------------------------------------------------------------------------------
# Forms, keys and spellings


def _check_groups(form: str) -> None:
    """A form may hold '(a|b)' groups, not nested, each closed."""
    depth = 0
    for ch in form:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth not in (0, 1):
            raise ValueError(f"variant {form!r}: brackets must not nest or close early")
    if depth:
        raise ValueError(f"variant {form!r}: a '(' is not closed with ')'")


def _expand_groups(form: str) -> list[str]:
    """``'relapse(d|s)'`` → relapse, relapsed, relapses. A group is always optional."""
    parts = re.split(r"(\([^()]*\))", form)
    choices: list[list[str]] = []
    for part in parts:
        if part.startswith("(") and part.endswith(")"):
            choices.append(["", *part[1:-1].split("|")])
        else:
            choices.append([part])
    out = []
    for combo in itertools.product(*choices):
        text = " ".join("".join(combo).split())
        if text and text not in out:
            out.append(text)
    return out


def _key(text: str) -> str:
    """The matching key: NFC, case-folded, straight apostrophes, one space between words."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = _APOS_RUN.sub("'", text)
    return _SEP_RUN.sub(" ", text).strip()


def _case_key(text: str) -> str:
    """Like ``_key`` but keeps letter case (for case-sensitive entries such as 'DNA')."""
    text = unicodedata.normalize("NFC", text)
    text = _APOS_RUN.sub("'", text)
    return _SEP_RUN.sub(" ", text).strip()


# Prefixes that are also written closed up ('non-compliant' / 'noncompliant'). Other hyphens
# are not closed up: 're-presented' must not become the ordinary word 'represented'.
_CLOSING_PREFIXES = frozenset(
    {
        "non",
        "co",
        "ex",
        "self",
        "over",
        "under",
        "anti",
        "multi",
        "poly",
        "semi",
        "de",
        "high",
        "low",
        "pill",
        "pot",
        "crack",
        "coke",
        "meth",
        "smack",
        "dope",
        "head",
        "nut",
        "bed",
        "heart",
        "time",
        "trouble",
        "piss",
        "burn",
        "fruit",
        "whack",
    }
)


def _joined(form: str) -> str | None:
    """'non-compliant' is also written 'noncompliant' (only after a known prefix)."""
    match = re.search(r"([^\W\d_]+)\s*-\s*(?=\w)", form)
    if match is None or match.group(1).casefold() not in _CLOSING_PREFIXES:
        return None
    return _key(form[: match.start()] + match.group(1) + form[match.end() :])


# UK and US spellings of the same word, applied to whole words (both directions).
_SPELLINGS: tuple[tuple[str, str], ...] = (
    ("behaviour", "behavior"),
    ("judgement", "judgment"),
    ("paediatric", "pediatric"),
    ("programme", "program"),
    ("centre", "center"),
    ("defence", "defense"),
    ("offence", "offense"),
    ("counsell", "counsel"),
    ("labell", "label"),
    ("ageing", "aging"),
    ("haem", "hem"),
    ("oedema", "edema"),
    ("anaes", "anes"),
    ("sceptic", "skeptic"),
    ("manoeuvr", "maneuver"),
    ("colour", "color"),
    ("favour", "favor"),
    ("honour", "honor"),
    ("humour", "humor"),
    ("neighbour", "neighbor"),
)


def _us_spelling(text: str) -> str:
    """UK spellings from the table above made US ones ("behaviour" -> "behavior")."""
    for uk, us in _SPELLINGS:

        def swap(found: re.Match[str], us: str = us) -> str:
            return us.capitalize() if found.group()[0].isupper() else us

        text = re.sub(uk, swap, text, flags=re.IGNORECASE)
    return text


_ISE = re.compile(r"(?<=\w{3})is(e|ed|es|ing|ation|ations|er|ers)$")
_IZE = re.compile(r"(?<=\w{3})iz(e|ed|es|ing|ation|ations|er|ers)$")
_YSE = re.compile(r"(?<=\w{3})ys(e|ed|es|ing)$")


def _spellings(key: str) -> set[str]:
    """The key with UK spellings swapped for US ones and the other way round."""
    words = key.split(" ")
    options: list[set[str]] = []
    for word in words:
        alts = {word}
        for uk, us in _SPELLINGS:
            if uk in word:
                alts.add(word.replace(uk, us))
            elif us in word and uk not in word:
                alts.add(word.replace(us, uk))
        for alt in list(alts):
            if _ISE.search(alt):
                alts.add(_ISE.sub(lambda m: "iz" + m.group(1), alt))
            elif _IZE.search(alt):
                alts.add(_IZE.sub(lambda m: "is" + m.group(1), alt))
            if _YSE.search(alt):
                alts.add(_YSE.sub(lambda m: "yz" + m.group(1), alt))
        options.append(alts)
    return {" ".join(combo) for combo in itertools.product(*options)}


# --------------------------------------------------------------------------------------------
# Regex building


def _char_regex(ch: str) -> str:
    if ch == " ":
        return _SEP
    if ch == "'":
        return _APOS
    return re.escape(ch)


def _trie_regex(keys: Iterable[str]) -> str:
    """A regex for a set of keys, shaped as a trie so branches never share a first character."""
    root: dict[str, Any] = {}
    for key in keys:
        node = root
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        terminal = "" in node
        alts = [_char_regex(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        if len(alts) == 1 and not terminal:
            return alts[0]
        body = "(?:" + "|".join(alts) + ")"
        return body + "?" if terminal else body

    return emit(root)


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
        return r"\w+(?:" + _APOS + r"\w+)?"
    return "(?:" + _trie_regex([key[::-1] if reverse else key for key in keys]) + ")"


def _split_exception(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    for chunk in re.findall(r"\{[^{}]*\}|[^\s{}]+", text):
        if chunk.startswith("{"):
            keys = tuple(sorted({_key(alt) for alt in chunk[1:-1].split("|") if alt.strip()}))
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
                tokens.append(_Token((_key(piece),), sep))
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
class _Exception:
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


def _compile_exception(source: str, entry_keys: dict[str, bool]) -> _Exception:
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
                spelled = set().union(*(_spellings(k) for k in joined))
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
    return _Exception(source, alignments)


# --------------------------------------------------------------------------------------------
# The lexicon


@dataclass
class _Compiled:
    entry: LexiconEntry
    exact: frozenset[str]  # case-sensitive entries: the forms as written
    exceptions: list[_Exception]
    plans: dict[str, _Plan] = field(default_factory=dict)

    def plan(self, key: str) -> _Plan:
        """The exception checks for one matched key, combined into as few regexes as possible."""
        plan = self.plans.get(key)
        if plan is None:
            plan = _Plan.build(
                [a for exc in self.exceptions for a in exc.alignments if a.fits(key)]
            )
            self.plans[key] = plan
        return plan


@dataclass
class _Plan:
    """Exception checks for one key: one regex for all 'words after', one for all 'words
    before', and a short list of alignments that need both."""

    after: re.Pattern[str] | None
    before: re.Pattern[str] | None
    both: list[tuple[re.Pattern[str], re.Pattern[str]]]

    @classmethod
    def build(cls, alignments: list[_Alignment]) -> _Plan:
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
        if self.after is not None and self.after.match(text, end, min(len(text), end + _WINDOW)):
            return True
        rstart = len(text) - start
        if self.before is not None and self.before.match(
            reversed_text, rstart, min(len(text), rstart + _WINDOW)
        ):
            return True
        for before, after in self.both:
            if after.match(text, end, min(len(text), end + _WINDOW)) and before.match(
                reversed_text, rstart, min(len(text), rstart + _WINDOW)
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


def _capitals_match(matched: str, forms: frozenset[str]) -> bool:
    """Case-sensitive entries: every capital in a written form must be a capital in the text.

    'DNA' must be written in capitals, but a sentence may start 'Has PD' for the form 'has PD'.
    """
    text = _case_key(matched)
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
        forms.add(_case_key(form))
        if "-" in form:
            forms.add(_case_key(re.sub(r"\s*-\s*", "", form)))
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
                key = _key(form)
                keys[key] = True
                joined = _joined(form)
                for extra in {joined} if joined else set():
                    keys.setdefault(extra, False)
                for spelled in _spellings(key) | (_spellings(joined) if joined else set()):
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
                    exceptions.append(_compile_exception(source, keys))
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
        body = _trie_regex(self._by_key) if self._by_key else r"(?!x)x"
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
            key = _key(matched)
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
        """The bounds of the sentence around a match, at most ``_WINDOW`` characters out."""
        lo, hi = max(0, start - _WINDOW), min(len(self.text), end + _WINDOW)
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


def _format_validation(error: ValidationError) -> str:
    problems = []
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"]) or "entry"
        problems.append(f"field '{where}': {item['msg']}")
    return "; ".join(problems)


def read_lexicon_file(path: Path) -> list[LexiconEntry]:
    """The entries of one lexicon YAML file; ``LexiconError`` names the file, entry and fix."""
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    except OSError as exc:
        raise LexiconError(f"{path}: cannot be read ({exc.strerror}).") from None
    except UnicodeDecodeError:
        raise LexiconError(f"{path}: is not UTF-8 text; save it as UTF-8.") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise LexiconError(
            f"{path}: is not valid YAML{where}; check the indentation and quotes."
        ) from None
    if not isinstance(raw, dict):
        raise LexiconError(f"{path}: expected 'schema_version: 1' and a list of 'entries'.")
    try:
        data = _LexiconFile.model_validate(raw)
    except ValidationError as exc:
        raise LexiconError(f"{path}: {_format_validation(exc)}") from None
    entries = []
    for number, item in enumerate(data.entries, start=1):
        name = item.get("id", "?") if isinstance(item, dict) else "?"
        try:
            entries.append(LexiconEntry.model_validate(item))
        except ValidationError as exc:
            raise LexiconError(
                f"{path}: entry {number} (id '{name}'): {_format_validation(exc)}"
            ) from None
    return entries


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
