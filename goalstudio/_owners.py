"""Who owns an action step, read from the label staff write before the colon.

"Sister (Ana)", "Care co-ordinator", "Priya" and "Peer support worker (Tom)" each map onto one
of the five owner roles. The word lists are checked in a fixed order so that "peer support
worker" is a peer and "family therapist" a practitioner.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from goalstudio._model import Owner

_PERSON_WORDS = {
    "i",
    "me",
    "myself",
    "person",
    "the person",
    "service user",
    "client",
    "patient",
    "resident",
    "consumer",
    "individual",
    "person served",
    "young person",
    "member",
    "tenant",
}
_PEER_WORDS = (
    "peer",
    "peers",
    "recovery coach",
    "lived experience",
    "expert by experience",
    "peer specialist",
    "peer mentor",
)
_PRACTITIONER_WORDS = (
    "care co-ordinator",
    "care coordinator",
    "case manager",
    "case worker",
    "caseworker",
    "psychiatrist",
    "doctor",
    "dr",
    "gp",
    "nurse",
    "cpn",
    "social worker",
    "ot",
    "occupational therapist",
    "psychologist",
    "therapist",
    "counsellor",
    "counselor",
    "pharmacist",
    "keyworker",
    "key worker",
    "support worker",
    "staff",
    "clinician",
    "practitioner",
    "consultant",
    "prescriber",
    "midwife",
    "health visitor",
    "advocate",
    "employment specialist",
    "ips worker",
    "worker",
    "co-ordinator",
    "coordinator",
    "officer",
    "navigator",
    "physician",
    "psychotherapist",
    "clinical lead",
    "prescribing",
    "team leader",
    "manager",
    "dietitian",
    "physiotherapist",
    "speech and language therapist",
    "care manager",
    "outreach worker",
    "probation officer",
    "housing officer",
    "mentor",
)
_AGENCY_WORDS = (
    "team",
    "cmht",
    "cmhc",
    "service",
    "services",
    "agency",
    "trust",
    "ward",
    "clinic",
    "centre",
    "center",
    "housing",
    "provider",
    "department",
    "council",
    "local authority",
    "home treatment",
    "crisis team",
    "organisation",
    "organization",
    "program",
    "programme",
    "hospital",
    "unit",
    "pharmacy",
    "charity",
    "hostel",
    "shelter",
    "court",
    "board",
)
_NATURAL_SUPPORT_WORDS = (
    "mum",
    "mom",
    "mother",
    "dad",
    "father",
    "parent",
    "parents",
    "sister",
    "brother",
    "sibling",
    "partner",
    "husband",
    "wife",
    "spouse",
    "boyfriend",
    "girlfriend",
    "son",
    "daughter",
    "grandmother",
    "grandfather",
    "grandma",
    "grandad",
    "grandpa",
    "granddaughter",
    "grandson",
    "grandchild",
    "grandchildren",
    "grandparent",
    "grandparents",
    "stepson",
    "stepdaughter",
    "gran",
    "nan",
    "nana",
    "aunt",
    "auntie",
    "aunty",
    "uncle",
    "cousin",
    "niece",
    "nephew",
    "friend",
    "friends",
    "neighbour",
    "neighbor",
    "carer",
    "family",
    "godmother",
    "godfather",
    "in-law",
    "in-laws",
    # Hyphenated words are one token, so "in-law" alone never matches these.
    "mother-in-law",
    "father-in-law",
    "sister-in-law",
    "brother-in-law",
    "son-in-law",
    "daughter-in-law",
    "stepmother",
    "stepfather",
    "stepdad",
    "stepmum",
    "stepmom",
    "children",
    "child",
    "kids",
    "imam",
    "pastor",
    "priest",
    "rabbi",
    "minister",
    "vicar",
    "elder",
    "congregation",
    "church",
    "mosque",
    "temple",
    "gurdwara",
    "synagogue",
    "choir",
    "coach",
    "colleague",
    "employer",
    "landlord",
    "flatmate",
    "roommate",
    "housemate",
    "wife's",
    "fiancé",
    "fiancée",
    "fiance",
    "girlfriend's",
    "whānau",
    "community",
    "faith",
)

_ORDER: tuple[tuple[Owner, tuple[str, ...]], ...] = (
    ("peer", _PEER_WORDS),
    ("practitioner", _PRACTITIONER_WORDS),
    ("agency", _AGENCY_WORDS),
    ("natural_support", _NATURAL_SUPPORT_WORDS),
)

_PAREN = re.compile(r"\(([^()]*)\)")
_WORD = re.compile(r"[\w'’-]+")


def _phrases(text: str) -> set[str]:
    """Every run of one to four words in the text, lower-cased, for phrase lookup."""
    words = [w.lower().replace("’", "'") for w in _WORD.findall(text)]
    out: set[str] = set()
    for size in range(1, 5):
        for i in range(len(words) - size + 1):
            out.add(" ".join(words[i : i + size]))
    # "co-ordinator" is one token above; also offer the hyphen-free spelling.
    out |= {p.replace("-", " ") for p in out}
    return out


def resolve_owner(label: str, person_names: Iterable[str] = ()) -> Owner | None:
    """The owner role for an action label, or ``None`` when it cannot be told."""
    names = {n.strip().lower() for n in person_names if n.strip()}
    first_names = {n.split()[0] for n in names}
    inside = " ".join(_PAREN.findall(label))
    outside = _PAREN.sub(" ", label).strip()
    for part in (outside, inside):
        if not part:
            continue
        lowered = part.strip().lower()
        if lowered in names or lowered in first_names or lowered in _PERSON_WORDS:
            return "person"
        phrases = _phrases(part)
        for owner, words in _ORDER:
            if any(w in phrases for w in words):
                return owner
    return None
