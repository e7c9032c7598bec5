"""What one statement (a goal, an objective or an action step) says, read once for every rule.

``analyse(text)`` normalises the statement and collects the evidence the rules and the
classifier use: whose voice it is in, who does it, the families of service-led and life-led
wording it contains (with spans), personal detail, time, measures and purpose links. Rules
only read this; nothing here changes the learner's words.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Literal

from goalstudio._owners import resolve_owner
from goalstudio.rubric._aim import Aim, read_aim
from goalstudio.rubric._data import RubricData, rubric_data
from goalstudio.rubric._lexicon import Lexicon, load_lexicon
from goalstudio.rubric._lexicon_data import TermMatch
from goalstudio.rubric._text import Evidence, Token, normalise, tokenise

Subject = Literal[
    "first_person",
    "named",
    "pronoun",
    "system_person",
    "staff",
    "agency",
    "natural_support",
    "peer",
    "implicit",
]

FIRST_PERSON = frozenset(
    [
        "i",
        "i'd",
        "i'll",
        "i'm",
        "i've",
        "me",
        "my",
        "myself",
        "mine",
        "we",
        "we'll",
        "we're",
        "we've",
        "we'd",
        "our",
        "ours",
        "us",
    ]
)
_SUBJECT_PRONOUNS = frozenset(["he", "she", "they"])
# How the system names the person it serves, when it puts that name in the subject.
_SYSTEM_PERSON = frozenset(
    [
        "client",
        "clients",
        "patient",
        "patients",
        "consumer",
        "consumers",
        "pt",
        "individual",
        "resident",
        "member",
        "user",
        "users",
        "recipient",
    ]
)
# The same labels when they appear anywhere in a statement ("link client to services").
_SYSTEM_PERSON_ANYWHERE = frozenset(["client", "clients", "patient", "patients", "consumer"])
# A verb or modal that closes a statement's subject ("Priya *will*", "Staff *to* monitor").
_CLOSERS = frozenset(
    [
        "will",
        "would",
        "shall",
        "can",
        "could",
        "should",
        "must",
        "to",
        "want",
        "need",
        "plan",
        "agree",
        "choose",
        "decide",
        "like",
        "hope",
        "be",
        "have",
        "i'll",
        "i'd",
        "we'll",
        "she'll",
        "he'll",
        "they'll",
    ]
)
_CLAUSE_OPENERS = frozenset(
    ["so", "because", "when", "if", "that", "which", "who", "until", "while", "as", "than"]
)
# Capitalised words that are not personal detail when they begin a word inside a sentence.
_NOT_NAMES = frozenset(
    [
        "i",
        "i'd",
        "i'll",
        "i'm",
        "i've",
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "the",
        "a",
        "an",
        "care",
        "service",
        "services",
        "team",
        "cmht",
        "cmhc",
        "gp",
        "nhs",
        "aa",
        "na",
        "cbt",
        "dbt",
        "cpa",
        "phq",
        "gad",
        "client",
        "patient",
        "staff",
        "nurse",
        "psychiatrist",
        "psychology",
        "psychologist",
        "consultant",
        "ward",
        "unit",
        "trust",
        "council",
        "housing",
        "mental",
        "health",
        "crisis",
        "day",
        "centre",
        "center",
        "outpatients",
        "outpatient",
        "depot",
        "alzheimer",
        "parkinson",
        "asperger",
        "huntington",
        "tourette",
        "down",
        "crohn",
        "korsakoff",
        "lewy",
        "medicaid",
        "medicare",
    ]
)
_SENTENCE_ENDS = ".!?:;\"'(["

_LEXICON_FAMILY = {
    "deficit_label": "deficit_language",
    "stigmatising": "deficit_language",
    "paternalistic": "control",
    "clinical_label": "deficit_language",
    "substance_use": "deficit_language",
    "suicide": "deficit_language",
    "compliance": "compliance",
    "system_outcome": "system_outcome",
    "service_jargon": "jargon",
}
EXTRA_FAMILY_WEIGHTS = {"deficit_language": 2.0, "jargon": 0.5, "system_outcome": 1.5}
EXTRA_FAMILY_LABELS = {
    "deficit_language": "deficit or stigmatising language",
    "jargon": "service jargon",
    "system_outcome": "an outcome for the service rather than for the person",
}


@dataclass
class Analysis:
    """Everything the rubric reads from one statement."""

    text: str
    tokens: list[Token]
    subject: Subject
    subject_words: str
    first_person: bool
    quoted: bool
    evidence: list[Evidence] = field(default_factory=list)
    life_domains: list[str] = field(default_factory=list)
    proper_nouns: list[Token] = field(default_factory=list)
    lexicon: list[TermMatch] = field(default_factory=list)
    time_bound: bool = False
    measured: bool = False
    vague: bool = False
    starts_with_verb: bool = False
    system_name: str | None = None  # "client", "patient" outside the subject
    purpose: Evidence | None = None
    purpose_to_life: bool = False
    aim: Aim = field(default_factory=lambda: Aim("unclear", 0, 0, "", ""))

    def families(self) -> dict[str, list[Evidence]]:
        out: dict[str, list[Evidence]] = {}
        for item in self.evidence:
            out.setdefault(item.family, []).append(item)
        return out

    def has(self, family: str) -> bool:
        return any(e.family == family for e in self.evidence)

    def first(self, family: str) -> Evidence | None:
        return next((e for e in self.evidence if e.family == family), None)


SYSTEM_OUTPUT_FAMILIES = (
    "compliance",
    "service_aim",
    "engagement",
    "symptom",
    "service_use",
    "insight",
    "abstinence",
    "risk",
    "behaviour",
    "clinical_aim",
    "system_outcome",
)


_CACHE_UP_TO = 2_000  # characters: ordinary statements are cached, huge ones are not kept


def analyse(text: str, *, lexicon_locale: str = "en-GB") -> Analysis:
    """Read one statement. Never raises for any string.

    Statements of ordinary length are cached (a learner's draft is reviewed again and again
    as they type); very long ones are read afresh so the cache never holds megabytes.
    """
    if len(text) > _CACHE_UP_TO:
        return _analyse(text, lexicon_locale)
    return _analyse_cached(text, lexicon_locale)


def _analyse(text: str, lexicon_locale: str) -> Analysis:
    data = rubric_data()
    plain = normalise(text)
    tokens = tokenise(plain)
    subject, subject_words = _subject(plain, tokens)
    first_person = any(t.text.lower() in FIRST_PERSON for t in tokens)
    stripped = plain.strip()
    quoted = len(stripped) > 2 and (
        (stripped[0] == '"' and '"' in stripped[1:])
        or (stripped[0] == "'" and stripped.rstrip(".!? ")[-1:] == "'")
    )
    analysis = Analysis(
        text=text,
        tokens=tokens,
        subject=subject,
        subject_words=subject_words,
        first_person=first_person,
        quoted=quoted,
    )
    _collect_signals(analysis, data, plain)
    if subject != "system_person":
        analysis.system_name = next(
            (t.text for t in tokens if t.text.lower() in _SYSTEM_PERSON_ANYWHERE), None
        )
    if subject in ("system_person", "staff", "agency") and subject_words:
        # "Service user", "Care co-ordinator": the subject is counted once, as who acts.
        at = plain.find(subject_words)
        end = at + len(subject_words)
        analysis.evidence = [
            e
            for e in analysis.evidence
            if not (e.family == "treatment" and at <= e.start and e.end <= end)
        ]
    analysis.proper_nouns = _proper_nouns(
        plain, tokens, subject_words if subject == "named" else "", data
    )
    analysis.lexicon = _lexicon_hits(text, lexicon_locale)
    for match in analysis.lexicon:
        family = _LEXICON_FAMILY.get(match.entry.category)
        if family is not None:
            analysis.evidence.append(Evidence(family, match.matched_text, match.start, match.end))
    analysis.time_bound = data.time_words.contains(tokens) or any(t.text.isdigit() for t in tokens)
    analysis.measured = data.measure_words.contains(tokens) or any(
        any(c.isdigit() for c in t.text) for t in tokens
    )
    analysis.vague = data.vague_words.contains(tokens)
    analysis.starts_with_verb = _starts_with_verb(tokens, data)
    analysis.aim = read_aim(
        plain,
        tokens,
        analysis.evidence,
        subject,
        subject_words,
        [t for t in analysis.proper_nouns if t.text != subject_words],
    )
    return analysis


_analyse_cached = functools.lru_cache(maxsize=4096)(_analyse)


def _subject(plain: str, tokens: list[Token]) -> tuple[Subject, str]:
    """Who the statement is about or who acts, read from the words before the first verb."""
    closer = None
    for index, token in enumerate(tokens[:14]):
        low = token.text.lower()
        if low in FIRST_PERSON and low not in ("my", "our", "me", "us", "mine", "ours"):
            return "first_person", token.text
        if token.stem in _CLOSERS or low in _CLOSERS:
            closer = index
            break
        if index and low.endswith("s") and not low.endswith("ss") and _is_verb(token):
            closer = index  # "Priya goes", "Tom visits": a present-tense verb after a name
            break
        if token.stem in _CLAUSE_OPENERS:
            return "implicit", ""
    if closer is None or closer == 0:
        return "implicit", ""
    start = max(0, closer - 5)
    before = tokens[start:closer]
    words = plain[before[0].start : before[-1].end]
    lows = [t.text.lower() for t in before]
    last = lows[-1]
    if last in _SUBJECT_PRONOUNS:
        return "pronoun", before[-1].text
    if last in _SYSTEM_PERSON or (len(lows) >= 2 and lows[-2:] == ["service", "user"]):
        return "system_person", words
    if last in ("my", "our"):
        return "implicit", ""
    owner = resolve_owner(words)
    if owner == "practitioner":
        return "staff", words
    if owner in ("agency", "natural_support", "peer"):
        return owner, words
    if owner == "person":
        return "system_person", words
    if (
        before[-1].capitalised
        and last not in _NOT_NAMES
        and not before[-1].text.isupper()
        and not _common_word(before[-1], closer)
    ):
        return "named", before[-1].text
    return "implicit", ""


def _is_verb(token: Token) -> bool:
    return token.stem in rubric_data().verbs


def _common_word(token: Token, position: int) -> bool:
    """A capitalised first word that is an ordinary word, not a name ("Discharge to GP")."""
    if position != 1:
        return False
    data = rubric_data()
    low = token.text.lower()
    return (
        token.stem in data.verbs
        or data.signals.contains([token])
        or low.endswith(_NOUN_ENDINGS)
        or low in _COMMON_OPENERS
    )


_NOUN_ENDINGS = ("tion", "sion", "ment", "ance", "ence", "ity", "ness", "ing", "ise", "ize")
_COMMON_OPENERS = frozenset(
    [
        "reduce",
        "decrease",
        "increase",
        "improve",
        "maintain",
        "prevent",
        "continue",
        "encourage",
        "ensure",
        "support",
        "referral",
        "return",
        "transfer",
        "move",
        "plan",
        "aim",
        "goal",
        "need",
        "needs",
        "help",
    ]
)


def _collect_signals(analysis: Analysis, data: RubricData, plain: str) -> None:
    tokens = analysis.tokens
    domains: list[str] = []
    # The last span taken for each family. Hits arrive in start order, longest first at each
    # start, so a shorter phrase inside one already taken ("stable" inside "remain stable")
    # can only sit inside the last one: one comparison, not a search.
    last_taken: dict[str, tuple[int, int]] = {}
    for hit in data.signals.scan(tokens):
        key = hit.key
        if key.startswith("life:") and _after_stopping_word(tokens, hit.first, data):
            key = "restriction"
        elif key.startswith("life:"):
            key = "life"
        elif key == "purpose":
            if analysis.purpose is None:
                analysis.purpose = Evidence(
                    "purpose", plain[hit.start : hit.end], hit.start, hit.end
                )
            continue
        last = last_taken.get(key)
        if last is not None and last[0] <= hit.start and hit.end <= last[1]:
            continue
        last_taken[key] = (hit.start, hit.end)
        domain = hit.key.split(":", 1)[1] if key == "life" else ""
        analysis.evidence.append(
            Evidence(key, plain[hit.start : hit.end], hit.start, hit.end, domain)
        )
    # A life word inside service wording ("stable in the community", "learn coping skills")
    # is part of that wording, not a life outcome. One sweep in start order: a life span is
    # inside service wording when some earlier-starting service span ends at or after it.
    reach = -1
    kept: list[Evidence] = []
    order = sorted(
        range(len(analysis.evidence)),
        key=lambda i: (
            analysis.evidence[i].start,
            -analysis.evidence[i].end,
            analysis.evidence[i].family == "life",
        ),
    )
    dropped: set[int] = set()
    for i in order:
        item = analysis.evidence[i]
        if item.family == "life":
            if reach >= item.end:
                dropped.add(i)
        elif item.family != "choice":
            reach = max(reach, item.end)
    for i, item in enumerate(analysis.evidence):
        if i in dropped:
            continue
        kept.append(item)
        if item.family == "life" and item.domain not in domains:
            domains.append(item.domain)
    analysis.evidence = kept
    analysis.life_domains = domains
    if analysis.purpose is not None:
        after = analysis.purpose.start
        system_after = any(
            e.start >= after and e.family in SYSTEM_OUTPUT_FAMILIES for e in analysis.evidence
        )
        life_after = any(e.start >= after and e.family == "life" for e in analysis.evidence)
        # "towards" only says where a step points when a life outcome follows it.
        weak = analysis.purpose.words.lower() in ("toward", "towards")
        analysis.purpose_to_life = life_after or (not weak and not system_after)


def _after_stopping_word(tokens: list[Token], index: int, data: RubricData) -> bool:
    """'cease driving', 'avoid going out', 'no longer drive': the next word or two after."""
    window = tokens[max(0, index - 3) : index]
    return any(hit.last == len(window) - 1 for hit in data.stopping_words.scan(window))


def _proper_nouns(
    plain: str, tokens: list[Token], subject_words: str, data: RubricData
) -> list[Token]:
    """Capitalised words inside a sentence: names of people and places (personal detail)."""
    out: list[Token] = []
    for index, token in enumerate(tokens):
        if not token.capitalised or token.stem in _NOT_NAMES or token.text.lower() in _NOT_NAMES:
            continue
        if data.time_words.contains([token]):
            continue  # months, days and festivals say when, not who or where
        if index == 0:
            continue
        if token.text.isupper() or len(token.text) < 2:
            continue  # an acronym (usually a service) or a lone letter ("A&E")
        before = plain[tokens[index - 1].end : token.start]
        if any(ch in _SENTENCE_ENDS for ch in before):
            continue
        out.append(token)
    if subject_words and tokens and tokens[0].text == subject_words:
        out.insert(0, tokens[0])
    return out


def _starts_with_verb(tokens: list[Token], data: RubricData) -> bool:
    for token in tokens[:3]:
        low = token.text.lower()
        if low in ("will", "to", "then", "also", "and", "first", "please"):
            continue
        return token.stem in data.verbs or low.endswith(_VERB_ENDINGS)
    return False


_VERB_ENDINGS = ("ise", "ize", "ises", "izes", "ate", "ates", "ify", "ifies")


@functools.cache
def _lexicon(locale: str) -> Lexicon:
    return load_lexicon(locale)


def _lexicon_hits(text: str, locale: str) -> list[TermMatch]:
    return list(_lexicon(locale).find(text))


def lexicon_matches(text: str, locale: str = "en-GB") -> list[TermMatch]:
    """The lexicon's matches in any text, with offsets into it."""
    return _lexicon_hits(text, locale)
