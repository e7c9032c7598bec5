"""The aim of one statement: what it is for, typed as a life outcome or as something else.

Voice is not meaning. "I'll stick with my depot" is in the person's voice, but its aim is
following a treatment; "Reduce anxiety so that she can return to work" is in a clinician's
voice, but it links a symptom aim to a life outcome. ``read_aim`` sets aside the words that
only say who wants or does it ("I want to", "Priya will", "to be supported to"), splits off a
"so that ..." clause, and types what is left by its verb and object:

- ``life``: a role, a relationship, a place, an activity or a feeling the person names;
- ``service``: using or following a service (attend, engage, take as prescribed, complete a
  group, be discharged, screens);
- ``symptom``: a symptom, a risk, or something to avoid (hospital, relapse, self-harm);
- ``abstinence``: not drinking or using as the end in itself;
- ``generic``: a slogan that could be anyone's ("feel better", "quality of life");
- ``unclear``: nothing to go on.

The word lists are data (``aim.yaml``); this module only reads them.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal

import yaml

from goalstudio.rubric._data import rubric_data
from goalstudio.rubric._text import Evidence, PhraseIndex, Token, phrase_stems

AimKind = Literal["life", "service", "symptom", "abstinence", "generic", "unclear"]
AIM_KINDS: tuple[AimKind, ...] = ("life", "service", "symptom", "abstinence", "generic", "unclear")
# How messages name each kind.
AIM_WORDS: dict[str, str] = {
    "life": "a change in the person's life",
    "service": "using or following a service",
    "symptom": "a symptom, a risk or something to avoid",
    "abstinence": "not drinking or using, as the end in itself",
    "generic": "a slogan that could be anyone's",
    "unclear": "nothing the rubric can read",
}
_FAMILY_KIND: dict[str, AimKind] = {
    "compliance": "service",
    "service_aim": "service",
    "engagement": "service",
    "insight": "service",
    "system_outcome": "service",
    "symptom": "symptom",
    "clinical_aim": "symptom",
    "behaviour": "symptom",
    "risk": "symptom",
    "restriction": "symptom",
    "deficit_language": "symptom",
    "service_use": "symptom",
    "abstinence": "abstinence",
    "stock": "generic",
}
# Objects that are a treatment the person takes (the rest are services they use).
_MEDICINES = frozenset(
    phrase_stems(w)[0]
    for w in [
        "depot", "injection", "jab", "medication", "meds", "tablets", "pills", "clozapine",
        "lithium", "antidepressant", "antipsychotic", "methadone", "buprenorphine",
        "suboxone", "bloods", "lithium", "blood",
    ]
)  # fmt: skip
# "makes sure she ...", "ensures Kofi ...", "checks that Dana ...": seeing to it that the
# person does something.
_MAKING = frozenset(["make", "makes", "making", "ensure", "ensures", "check", "checks", "checking"])
# Feelings that, negated, describe only what is to be absent.
_ABSENCES = frozenset(["lonely", "less lonely", "isolated", "alone", "bored", "sad", "unhappy"])
_PRONOUNS = frozenset(["she", "he", "they", "her", "him", "them"])
_POSSESSIVES = frozenset(["her", "his", "their"])
_CHOSEN = frozenset(["asked", "request", "agreed", "agree", "chose", "chosen", "wants", "want"])


@dataclass(frozen=True)
class Aim:
    """What a statement is for, and what its "so that ..." clause links it to."""

    kind: AimKind
    start: int  # the aim's words in the statement (main clause, lead-in set aside)
    end: int
    head: str  # the words that typed it, as written ('' when unclear)
    family: str  # the evidence family behind the type (compliance, symptom, life, ...)
    negated: bool = False  # "I don't want to ...": an aim to avoid something
    link: AimKind | None = None  # the type of the "so that ..." clause, if there is one
    link_words: str = ""
    link_start: int = -1
    also: AimKind | None = None  # a coordinated aim of another kind ("... and sees Noah play")

    @property
    def linked_to_life(self) -> bool:
        """A "so that ..." clause names a life outcome."""
        return self.link == "life"

    @property
    def serves_life(self) -> bool:
        return self.kind == "life" or self.link == "life"

    @property
    def is_output(self) -> bool:
        """A service, symptom or abstinence aim with no life outcome linked to or beside it."""
        return (
            self.kind in ("service", "symptom", "abstinence")
            and self.link != "life"
            and self.also != "life"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "head": self.head,
            "family": self.family,
            "negated": self.negated,
            "link": self.link,
            "link_words": self.link_words,
            "also": self.also,
        }


@dataclass(frozen=True)
class AimData:
    lead_in: frozenset[str]
    negations: PhraseIndex
    purpose_links: PhraseIndex
    purpose_verbs: PhraseIndex
    no_purpose_after: frozenset[str]
    adherence_verbs: PhraseIndex
    service_objects: PhraseIndex
    life_groups: frozenset[str]
    generic_life: PhraseIndex
    generic_stems: frozenset[tuple[str, ...]]
    autonomy: PhraseIndex
    custodial: PhraseIndex
    holding_verbs: PhraseIndex
    held_things: PhraseIndex


def _words(data: dict[str, Any], key: str) -> list[str]:
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"aim.yaml: '{key}' must be a list of non-blank strings")
    return [str(v) for v in value]


@functools.cache
def aim_data() -> AimData:
    """The compiled word lists of ``aim.yaml`` (read on first use, then kept)."""
    text = resources.files("goalstudio.rubric").joinpath("aim.yaml").read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    raw = yaml.load(text, Loader=loader)  # a safe loader: plain data only
    if not isinstance(raw, dict) or raw.get("schema_version") != 1:
        raise ValueError("aim.yaml: expected a mapping with schema_version: 1")

    def index(key: str) -> PhraseIndex:
        return PhraseIndex((key, w) for w in _words(raw, key))

    def stems(key: str) -> frozenset[str]:
        return frozenset(s for w in _words(raw, key) for s in phrase_stems(w)[:1])

    generic = _words(raw, "generic_life")
    return AimData(
        lead_in=frozenset(w.lower() for w in _words(raw, "lead_in")),
        negations=index("negations"),
        purpose_links=index("purpose_links"),
        purpose_verbs=index("purpose_verbs"),
        no_purpose_after=stems("no_purpose_after")
        | frozenset(w.lower() for w in _words(raw, "no_purpose_after")),
        adherence_verbs=index("adherence_verbs"),
        service_objects=index("service_objects"),
        life_groups=stems("life_groups"),
        generic_life=PhraseIndex(("generic", w) for w in generic),
        generic_stems=frozenset(phrase_stems(w) for w in generic),
        autonomy=index("autonomy"),
        custodial=index("custodial"),
        holding_verbs=index("holding_verbs"),
        held_things=index("held_things"),
    )


_MAX_AIM_TOKENS = 120


@dataclass(frozen=True)
class _Candidate:
    start: int
    kind: AimKind
    family: str
    words: str


def read_aim(
    plain: str,
    tokens: Sequence[Token],
    evidence: Sequence[Evidence],
    subject: str,
    subject_words: str,
    proper_nouns: Sequence[Token] = (),
) -> Aim:
    """The aim of a statement, from its analysed words. Never raises."""
    data = aim_data()
    if len(tokens) > _MAX_AIM_TOKENS:
        # The aim is read from the opening words: a statement is a sentence or two, and a
        # pasted essay must not cost more than its length.
        tokens = tokens[:_MAX_AIM_TOKENS]
        edge = tokens[-1].end
        evidence = [e for e in evidence if e.start < edge]
        proper_nouns = [t for t in proper_nouns if t.start < edge]
    count = len(tokens)
    i = _after_subject(plain, tokens, subject, subject_words)
    negated = False
    while i < count:
        low = tokens[i].text.lower()
        hit = _phrase_at(data.negations, tokens, i)
        if hit:
            negated = True
            i += hit
        elif low == "do" and i + 1 < count and tokens[i + 1].text.lower() == "not":
            negated = True
            i += 2
        elif low in data.lead_in:
            i += 1
        else:
            break
    if i >= count:
        i = min(_after_subject(plain, tokens, subject, subject_words), max(count - 1, 0))
    if count == 0:
        return Aim("unclear", 0, 0, "", "", negated)
    split = _purpose_split(tokens, i, data)
    main_end = tokens[split - 1].end if split > i else tokens[i].end
    kind, family, head = _type_span(plain, tokens, i, split, evidence, proper_nouns, data)
    if kind == "unclear" and negated:
        kind, family = "symptom", "avoidance"
    elif kind == "life" and negated and (family != "life" or head.lower() in _ABSENCES):
        kind = "symptom"  # "I don't want to feel so lonely": a feeling framed as an absence
    also = None
    if kind in ("service", "symptom", "abstinence"):
        also = _coordinated(plain, tokens, i, split, evidence, proper_nouns, data)
    if kind == "service" and also is None:
        lo, hi = tokens[i].start, main_end
        if any(
            e.family == "life" and e.domain == "independence" and lo <= e.start < hi
            for e in evidence
        ):
            also = "life"  # "go to my appointments on my own": doing it independently
    if split >= count:
        return Aim(kind, tokens[i].start, main_end, head, family, negated, also=also)
    link, _family, link_head = _type_span(plain, tokens, split, count, evidence, proper_nouns, data)
    return Aim(
        kind,
        tokens[i].start,
        main_end,
        head,
        family,
        negated,
        link,
        link_head or plain[tokens[split].start : tokens[-1].end],
        tokens[split].start,
        also,
    )


def _coordinated(
    plain: str,
    tokens: Sequence[Token],
    first: int,
    last: int,
    evidence: Sequence[Evidence],
    proper_nouns: Sequence[Token],
    data: AimData,
) -> AimKind | None:
    """A life aim joined by "and" to an output ("stays on his script ... and makes his own
    decision"): the first coordinated clause whose verb opens a life aim."""
    verbs = rubric_data().verbs
    for j in range(first + 1, last - 1):
        if tokens[j].text.lower() != "and" or tokens[j + 1].stem not in verbs:
            continue
        end = next(
            (k for k in range(j + 1, last) if tokens[k].text.lower() == "and" and k > j + 1),
            last,
        )
        kind, _family, _head = _type_span(plain, tokens, j + 1, end, evidence, proper_nouns, data)
        if kind == "life":
            return "life"
    return None


def _after_subject(plain: str, tokens: Sequence[Token], subject: str, words: str) -> int:
    """The index of the first token after the statement's subject (0 when it has none)."""
    if not words or subject == "implicit":
        return 0
    at = plain.find(words)
    if at < 0:
        return 0
    end = at + len(words)
    for index, token in enumerate(tokens):
        if token.start >= end:
            return index
    return len(tokens)


def _phrase_at(index: PhraseIndex, tokens: Sequence[Token], i: int) -> int:
    """The length in tokens of the longest phrase of ``index`` starting at token ``i``."""
    for hit in index.scan(list(tokens[i : i + 4])):
        if hit.first == 0:
            return hit.last + 1
        break
    return 0


def _purpose_split(tokens: Sequence[Token], start: int, data: AimData) -> int:
    """Where the "so that ..." clause begins (``len(tokens)`` when there is none)."""
    count = len(tokens)
    window = list(tokens[start + 1 :])
    link = next(iter(data.purpose_links.scan(window)), None)
    split = start + 1 + link.first if link is not None else count
    for j in range(start + 2, split):
        token = tokens[j - 1]
        if tokens[j].text.lower() != "to" or j + 1 >= count:
            continue
        if token.text.lower() in data.no_purpose_after or token.stem in data.no_purpose_after:
            continue
        if _phrase_at(data.purpose_verbs, tokens, j + 1):
            return j
    return split


def _type_span(
    plain: str,
    tokens: Sequence[Token],
    first: int,
    last: int,
    evidence: Sequence[Evidence],
    proper_nouns: Sequence[Token],
    data: AimData,
) -> tuple[AimKind, str, str]:
    """(kind, family, head words) of the tokens ``first`` up to ``last``."""
    if first >= last:
        return "unclear", "", ""
    lo, hi = tokens[first].start, tokens[last - 1].end
    asides = _asides(plain, lo, hi)
    if asides:
        # ", who loves Arsenal and his daughters," describes the person; it is not the aim.
        tokens = [t for t in tokens if not any(a <= t.start < b for a, b in asides)]
        evidence = [e for e in evidence if not any(a <= e.start < b for a, b in asides)]
        proper_nouns = [t for t in proper_nouns if not any(a <= t.start < b for a, b in asides)]
        inside = [i for i, t in enumerate(tokens) if lo <= t.start < hi]
        if not inside:
            return "unclear", "", ""
        first, last = inside[0], inside[-1] + 1
    span = list(tokens[first:last])
    candidates: list[_Candidate] = []
    autonomy = [(h.start, h.end) for h in data.autonomy.scan(span)]
    for item in evidence:
        if not (lo <= item.start < hi) or _mentioned(plain, item.start, item.end):
            continue
        if item.family == "life":
            stems = tuple(t.stem for t in _tokens_in(tokens, item.start, item.end))
            kind: AimKind = "generic" if stems in data.generic_stems else "life"
            candidates.append(_Candidate(item.start, kind, "life", item.words))
            continue
        found = _FAMILY_KIND.get(item.family)
        if found is None:
            continue
        low = item.words.lower()
        screens = item.family == "abstinence" and ("screen" in low or "urine" in low)
        if screens or (item.family == "service_use" and "discharg" in low):
            found = "service"  # tests and discharge are the service's outputs
        if any(a <= item.start < b for a, b in autonomy):
            continue
        candidates.append(_Candidate(item.start, found, item.family, item.words))
    for a, b in autonomy:
        candidates.append(_Candidate(a, "life", "autonomy", plain[a:b]))
    life_starts = [c.start for c in candidates if c.kind == "life"]
    candidates.extend(_adherence(plain, span, data, autonomy, life_starts))
    for token in proper_nouns:
        if lo <= token.start < hi:
            # A person or place the person names ("Wren's mama", "Hobbs' store").
            candidates.append(_Candidate(token.start, "life", "life", token.text))
    for hit in data.generic_life.scan(span):
        candidates.append(_Candidate(hit.start, "generic", "generic", plain[hit.start : hit.end]))
    if not candidates:
        named = [t for t in proper_nouns if lo <= t.start < hi]
        if named:
            return "life", "life", named[0].text
        return "unclear", "", ""
    candidates.sort(key=lambda c: c.start)
    life = next((c for c in candidates if c.kind == "life"), None)
    other = next((c for c in candidates if c.kind in ("service", "symptom", "abstinence")), None)
    if other is not None and (life is None or other.start < life.start):
        return other.kind, other.family, other.words
    if life is not None:
        return "life", life.family, life.words
    named = [t for t in proper_nouns if lo <= t.start < hi]
    if named:
        return "life", "life", named[0].text
    slogan = candidates[0]
    return "generic", slogan.family, slogan.words


def _mentioned(plain: str, start: int, end: int) -> bool:
    """A label the person quotes inside their own words ('stop being "the addict" in my own
    family') is mentioned, not used: it is not the aim."""
    opening = plain.rfind('"', 0, start)
    if opening <= 0 or not plain[:opening].strip():
        return False  # the quote that opens the whole statement
    closing = plain.find('"', end)
    return (
        closing >= 0
        and plain[opening + 1 : start].count(" ") <= 3
        and plain[end:closing].count(" ") <= 3
    )


def _asides(plain: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Relative clauses set off by commas (", who ...,"), as character spans."""
    out: list[tuple[int, int]] = []
    at = plain.find(",", lo, hi)
    while at >= 0:
        rest = plain[at + 1 : at + 9].lstrip().lower()
        close = plain.find(",", at + 1, hi)
        if close < 0:
            break
        if rest.startswith(("who ", "which ", "whose ", "whom ")):
            out.append((at, close + 1))
            at = plain.find(",", close + 1, hi)
        else:
            at = close
    return out


def _tokens_in(tokens: Sequence[Token], start: int, end: int) -> list[Token]:
    return [t for t in tokens if start <= t.start and t.end <= end]


def _adherence(
    plain: str,
    span: list[Token],
    data: AimData,
    autonomy: list[tuple[int, int]],
    life_starts: list[int],
) -> list[_Candidate]:
    """Service objects after a verb of following or using ("never miss clinic").

    The verb and its object sit in one sentence with no life outcome between them ("get
    back to work. The depot ..." is about work: the depot is where the job is).
    """
    out: list[_Candidate] = []
    verbs = [(h.first, h.start) for h in data.adherence_verbs.scan(span)]
    if not verbs:
        return out
    for hit in data.service_objects.scan(span):
        if any(a <= hit.start < b for a, b in autonomy):
            continue
        if any(t.stem in data.life_groups for t in span[max(0, hit.first - 3) : hit.first]):
            continue  # "the walking group", "Hearing Voices Network group": their own activity
        verb = next(
            (start for first, start in reversed(verbs) if hit.first - 8 < first < hit.first),
            None,
        )
        if verb is None:
            continue
        between = plain[verb : hit.start]
        if any(mark in between for mark in ".!?;") or any(
            verb < at < hit.start for at in life_starts
        ):
            continue
        family = "compliance" if span[hit.first].stem in _MEDICINES else "service_aim"
        out.append(_Candidate(verb, "service", family, plain[verb : hit.end]))
        break
    return out


def custodial(plain: str, tokens: Sequence[Token]) -> tuple[int, int] | None:
    """The span of wording that watches over, holds back or reports on the person."""
    data = aim_data()
    listed = list(tokens)
    for hit in data.custodial.scan(listed):
        return hit.start, hit.end
    for index, token in enumerate(listed):
        low = token.text.lower()
        if low in _MAKING and index + 1 < len(listed):
            offset = 1
            if low.startswith("make") and listed[index + 1].text.lower() == "sure":
                offset = 2
            elif low.startswith("check") and listed[index + 1].text.lower() == "that":
                offset = 1
            elif low.startswith(("make", "check")):
                continue
            if index + offset < len(listed):
                after = listed[index + offset]
                if after.text.lower() in ("that",) and index + offset + 1 < len(listed):
                    after = listed[index + offset + 1]
                if after.text.lower() in _PRONOUNS or after.capitalised:
                    return token.start, after.end
    for hit in data.holding_verbs.scan(listed):
        rest = listed[hit.last + 1 : hit.last + 4]
        owned = any(t.text.lower() in _POSSESSIVES or t.text.endswith("'s") for t in rest)
        if not owned:
            continue
        for thing in data.held_things.scan(rest):
            return hit.start, thing.end
    return None


def chosen(tokens: Sequence[Token], evidence: Sequence[Evidence]) -> bool:
    """The step says the person chose or asked for it ("as Bernie asked", "if she wants")."""
    if any(e.family == "choice" for e in evidence):
        return True
    return any(t.text.lower() in _CHOSEN for t in tokens)
