"""Written forms made into one regular expression: keys, spellings, separators and the trie.

How matching stays fast and safe
--------------------------------
Every variant of every entry is normalised (case-folded; hyphens and spaces made equal; curly
apostrophes made straight) and put into one character trie. The trie becomes a single regular
expression whose alternatives at each node start with different characters, so the engine never
has to try two branches for the same character. The only repetition is the separator class
between words (``[\\s-]+``), which cannot overlap the letters around it. Backtracking is therefore
bounded by the length of the longest variant and matching is linear in the length of the text.

``(a|b)`` groups in a form are expanded here, UK and US spellings added, and a prefix such as
non- also closed up ("noncompliant"). The phrases in which a match is fine are compiled in
``_lexicon_exceptions``.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

# Characters treated as the same separator between words, and as the same apostrophe.
SEP_CHARS = "\\s\\-\u2010\u2011\u2012\u2013"
_SEP = f"[{SEP_CHARS}]+"
_APOS_CHARS = "'\u2019\u2018\u02bc\u2032`"
APOS = f"[{_APOS_CHARS}]"
_SEP_RUN = re.compile(f"[{SEP_CHARS}]+")
_APOS_RUN = re.compile(APOS)

# --------------------------------------------------------------------------------------------
# Forms, keys and spellings


def check_groups(form: str) -> None:
    """A form may hold '(a|b)' groups, not nested, each closed."""
    depth = 0
    for ch in form:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth not in (0, 1):
            raise ValueError(f"variant {form!r}: brackets must not nest or close early")
    if depth:
        raise ValueError(f"variant {form!r}: a '(' is not closed with ')'")


def expand_groups(form: str) -> list[str]:
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


def match_key(text: str) -> str:
    """The matching key: NFC, case-folded, straight apostrophes, one space between words."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = _APOS_RUN.sub("'", text)
    return _SEP_RUN.sub(" ", text).strip()


def case_key(text: str) -> str:
    """Like ``match_key`` but keeps letter case (for case-sensitive entries such as 'DNA')."""
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


def joined_form(form: str) -> str | None:
    """'non-compliant' is also written 'noncompliant' (only after a known prefix)."""
    match = re.search(r"([^\W\d_]+)\s*-\s*(?=\w)", form)
    if match is None or match.group(1).casefold() not in _CLOSING_PREFIXES:
        return None
    return match_key(form[: match.start()] + match.group(1) + form[match.end() :])


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


def us_spelling(text: str) -> str:
    """UK spellings from the table above made US ones ("behaviour" -> "behavior")."""
    for uk, us in _SPELLINGS:

        def swap(found: re.Match[str], us: str = us) -> str:
            return us.capitalize() if found.group()[0].isupper() else us

        text = re.sub(uk, swap, text, flags=re.IGNORECASE)
    return text


_ISE = re.compile(r"(?<=\w{3})is(e|ed|es|ing|ation|ations|er|ers)$")
_IZE = re.compile(r"(?<=\w{3})iz(e|ed|es|ing|ation|ations|er|ers)$")
_YSE = re.compile(r"(?<=\w{3})ys(e|ed|es|ing)$")


def spellings(key: str) -> set[str]:
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
        return APOS
    return re.escape(ch)


def trie_regex(keys: Iterable[str]) -> str:
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
