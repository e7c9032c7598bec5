"""A check that warns when text looks like it identifies a real person.

The course asks learners never to type details of a real person. ``check_privacy(text)`` looks
for what would give someone away: an NHS number (its mod-11 check digit must be right), a US
Social Security number, a UK or US phone number, an e-mail address, a date of birth next to a
name, and a UK postcode or US ZIP code next to a street address. It only warns: the text is
saved anyway, and the learner decides what to change.

Numbers and addresses set aside for fiction are not flagged: Ofcom's drama phone numbers
(07700 900xxx, 01632 960xxx, 020 7946 0xxx and the other drama ranges), US 555-01xx numbers, SSNs
that can never be issued (000, 666 or 9xx first, 00 middle or 0000 last), and e-mail domains
reserved for examples (example.com/.org/.net and .example, .test, .invalid, .localhost).
Every pattern is linear: no nested or overlapping repeats, so no input makes it backtrack.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

PrivacyKind = Literal[
    "nhs_number", "ssn", "phone_number", "email", "date_of_birth", "street_address"
]

_MESSAGES: dict[PrivacyKind, str] = {
    "nhs_number": "This looks like an NHS number.",
    "ssn": "This looks like a US Social Security number.",
    "phone_number": "This looks like a phone number.",
    "email": "This looks like an e-mail address.",
    "date_of_birth": "This looks like a person's name with their date of birth.",
    "street_address": "This looks like a street address with a postcode or ZIP code.",
}
_ADVICE = (
    "If it belongs to a real person, change it to made-up details before you share your work. "
    "Your text has been kept as you wrote it."
)


@dataclass(frozen=True, slots=True)
class PrivacyWarning:
    """Where the text may identify someone (``start``/``end`` are character offsets)."""

    kind: PrivacyKind
    start: int
    end: int
    message: str

    def __str__(self) -> str:
        return f"characters {self.start}-{self.end}: {self.message}"


def _warning(kind: PrivacyKind, start: int, end: int) -> PrivacyWarning:
    return PrivacyWarning(kind, start, end, f"{_MESSAGES[kind]} {_ADVICE}")


# -- NHS numbers ---------------------------------------------------------------------------------

_NHS = re.compile(r"(?<![\w/.-])(\d{3})([ -]?)(\d{3})\2(\d{4})(?![\w/]|[.-]\d)")


def nhs_checksum_ok(digits: str) -> bool:
    """True when a 10-digit NHS number has the right modulus-11 check digit."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _nhs_numbers(text: str) -> list[PrivacyWarning]:
    found = []
    for match in _NHS.finditer(text):
        digits = match.group(1) + match.group(3) + match.group(4)
        if digits.startswith("999") or len(set(digits)) == 1:
            continue  # 999 numbers are reserved for testing; 000 000 0000 is nobody's
        if nhs_checksum_ok(digits):
            found.append(_warning("nhs_number", match.start(), match.end()))
    return found


# -- SSNs ----------------------------------------------------------------------------------------

_SSN_DASHED = re.compile(r"(?<![\w-])(\d{3})-(\d{2})-(\d{4})(?![\w]|-\d)")
_SSN_LABELLED = re.compile(
    r"\b(?:SSN|social security (?:number|no\.?|#))[\s:#.]{0,4}(?:is\s|was\s)?"
    r"(\d{3})[ -]?(\d{2})[ -]?(\d{4})\b",
    re.IGNORECASE,
)


def _ssn_possible(area: str, group: str, serial: str) -> bool:
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


def _ssns(text: str) -> list[PrivacyWarning]:
    found = []
    for pattern in (_SSN_DASHED, _SSN_LABELLED):
        for match in pattern.finditer(text):
            if _ssn_possible(*match.groups()):
                found.append(_warning("ssn", match.start(), match.end()))
    return found


# -- phone numbers -------------------------------------------------------------------------------

# A run of digit groups with phone-style separators (space, dot or hyphen), at most 6 groups.
_PHONE = re.compile(
    r"(?:(?<=tel:)|(?<![\w+/.:-]))"
    r"(\+\d{1,3}[ .-]?)?(\(\d{1,5}\)[ .-]?)?\d{1,11}(?:[ .-]\d{1,6}){0,5}"
    r"(?![\w/]|[.:-]\d)"
)
_UK_DRAMA = (
    ("07700900", 3),
    ("01632960", 3),
    ("02079460", 3),
    ("01134960", 3),
    ("01144960", 3),
    ("01154960", 3),
    ("01164960", 3),
    ("01174960", 3),
    ("01184960", 3),
    ("01214960", 3),
    ("01314960", 3),
    ("01414980", 3),
    ("01514960", 3),
    ("01614960", 3),
    ("01914980", 3),
    ("02896496", 3),
    ("02920180", 3),
    ("03069990", 3),
    ("08081570", 3),
    ("09098790", 3),
)


_US_TOLL_FREE = frozenset({"800", "833", "844", "855", "866", "877", "888"})


def _uk_phone(digits: str, has_plus: bool) -> str | None:
    """The national form (0...) of a UK number, or None."""
    if has_plus:
        if not digits.startswith("44"):
            return None
        digits = "0" + digits[2:].removeprefix("0")
    if not digits.startswith("0") or len(digits) not in (10, 11):
        return None
    if digits[1] not in "127":
        return None  # 03, 08 and 09 numbers belong to organisations and helplines, not people
    if digits[1] == "7" and len(digits) != 11:
        return None  # mobiles are 07xxx xxxxxx
    return digits


def _us_phone(digits: str, has_plus: bool) -> str | None:
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    elif has_plus or len(digits) != 10:
        return None
    if digits[0] in "01" or digits[3] in "01" or digits[1:3] == "11":
        return None
    if digits[:3] in _US_TOLL_FREE:
        return None  # freephone numbers belong to organisations and helplines, not people
    return digits


def _phones(text: str) -> list[PrivacyWarning]:
    found = []
    for match in _PHONE.finditer(text):
        raw = match.group()
        digits = re.sub(r"\D", "", raw)
        has_plus = raw.startswith("+")
        if digits.startswith("00") and not has_plus:
            digits, has_plus = digits[2:], True  # 0044 ... is +44 ... dialled from abroad
        if not 10 <= len(digits) <= 13:
            continue
        groups = re.findall(r"\d+", raw)
        uk = _uk_phone(digits, has_plus)
        if uk is not None:
            if any(uk.startswith(prefix) for prefix, _ in _UK_DRAMA):
                continue
            found.append(_warning("phone_number", match.start(), match.end()))
            continue
        us = _us_phone(digits, has_plus)
        if us is None:
            continue
        if us[3:6] == "555" and us[6:8] == "01":
            continue  # 555-0100 to 555-0199 are reserved for fiction
        # A bare ten-digit run is only a phone number with phone-style grouping (3-3-4 or (3)).
        shaped = "(" in raw or has_plus or [len(g) for g in groups][-3:] == [3, 3, 4]
        if shaped or len(groups) == 1:
            found.append(_warning("phone_number", match.start(), match.end()))
    return found


# -- e-mail --------------------------------------------------------------------------------------

# Letters may be any script's (josé.garcía@correo.es), as international addresses allow.
_EMAIL = re.compile(
    r"(?<![\w.+-])[^\W_][\w.%+-]{0,63}@((?:[^\W_]|-){1,63}(?:\.(?:[^\W_]|-){1,63}){1,8})"
    r"(?![\w-])"
)
_EXAMPLE_DOMAINS = ("example.com", "example.org", "example.net")
_RESERVED_TLDS = ("example", "test", "invalid", "localhost")


def _emails(text: str) -> list[PrivacyWarning]:
    found = []
    for match in _EMAIL.finditer(text):
        domain = match.group(1).lower().rstrip(".")
        labels = domain.split(".")
        if labels[-1] in _RESERVED_TLDS or any(
            domain == d or domain.endswith("." + d) for d in _EXAMPLE_DOMAINS
        ):
            continue
        if not labels[-1].isalpha() or len(labels[-1]) < 2:
            continue
        found.append(_warning("email", match.start(), match.end()))
    return found


# -- dates of birth next to a name ---------------------------------------------------------------

_MONTHS = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    "sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
# Numeric dates with four- or two-digit years (03/04/1985, 03/04/85), ISO dates, and dates in
# words ("3 April 1985", "3rd of April 1985", "April 3rd, 1985", "3 Apr '85").
_YEAR = r"(?:(?:19|20)\d{2}|'\d{2})"
_DATE = (
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-](?:(?:19|20)\d{2}|\d{2})(?!\d)"
    r"|(?:19|20)\d{2}-\d{1,2}-\d{1,2}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s(?:of\s)?(?:{_MONTHS})\.?,?\s{_YEAR}"
    rf"|(?:{_MONTHS})\.?\s\d{{1,2}}(?:st|nd|rd|th)?,?\s{_YEAR})"
)
_DOB_LABELLED = re.compile(
    rf"\b(?:d\.?o\.?b\.?|date of birth|birth ?date|born(?: on)?|b\.)[\s:\-]{{0,3}}{_DATE}",
    re.IGNORECASE,
)
# A full name (two or more capitalised words) directly before a date in brackets or after a
# comma, as in "Jane Doe (03/04/1985)" or "Jane Doe, 3 April 1985". Dates are found first, so
# the name pattern only runs on the few characters before each date.
_LATEST_BIRTH_YEAR = date.today().year - 12
_DATE_ANYWHERE = re.compile(_DATE, re.IGNORECASE)
# Name words in any script, with apostrophes and hyphens (Zoë O'Brien-Smith, Siobhán Ní
# Bhriain); that each word starts with a capital is checked in code, as re has no \p{Lu}.
_NAME_WORD = r"[^\W\d_](?:[^\W\d_]|['’-](?=[^\W\d_])){1,30}"
_NAME_BEFORE = re.compile(
    rf"(?<![^\W\d_])((?:{_NAME_WORD}\.?|[^\W\d_]\.)(?:[ ](?:{_NAME_WORD}|[^\W\d_]\.)){{1,3}})"
    r"(?:,[ ]?|[ ]?\()$"
)
_NAME_NEARBY = re.compile(r"\b[A-Z][a-z'’-]{1,30}\b")
_NOT_NAMES = frozenset(
    {
        "The",
        "A",
        "An",
        "I",
        "My",
        "He",
        "She",
        "They",
        "We",
        "You",
        "It",
        "This",
        "That",
        "His",
        "Her",
        "Their",
        "Our",
        "Date",
        "Dob",
        "Born",
        "Birth",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "Mr",
        "Mrs",
        "Ms",
        "Miss",
        "Dr",
        # Documents, laws, places and services: a date beside these is not a birthday.
        "Act",
        "Acts",
        "Plan",
        "Care",
        "Review",
        "Meeting",
        "Report",
        "Policy",
        "Assessment",
        "Agreement",
        "Order",
        "Section",
        "Regulations",
        "Guidance",
        "Hospital",
        "Infirmary",
        "Clinic",
        "Centre",
        "Center",
        "Trust",
        "Board",
        "Council",
        "Service",
        "Services",
        "Team",
        "Ward",
        "Unit",
        "Tribunal",
        "Court",
        "Health",
        "NHS",
        "Royal",
        "University",
        "College",
        "School",
        "Church",
        "Version",
        "Updated",
        "Reviewed",
        "Signed",
        "Admitted",
        "Discharged",
    }
)


_TITLES = frozenset({"Mr", "Mrs", "Ms", "Miss", "Mx", "Dr"})


def _looks_like_name(words: str) -> bool:
    """The words just before a date end in a person's name: two or more capitalised words
    (an initial counts), or a title and a surname; documents and places do not count."""
    parts = words.split()
    # The match may start mid-sentence ("I met Jane Doe"): keep the capitalised tail.
    tail: list[str] = []
    for part in reversed(parts):
        bare = part.rstrip(".")
        if not part[0].isupper() or (part.isupper() and len(bare) > 1):
            break
        tail.insert(0, part)
    if any(part.rstrip(".") in _NOT_NAMES - _TITLES for part in tail):
        return False
    names = [part for part in tail if part.rstrip(".") not in _TITLES]
    titled = len(names) < len(tail)
    full = [part for part in names if not (len(part) == 2 and part.endswith("."))]
    return bool(full) and (len(names) >= 2 or titled)


def _year_of(found_date: str) -> int:
    """The year of a date as written; a two-digit year is read as the most recent past one."""
    four = re.findall(r"(?:19|20)\d{2}(?!\d)", found_date)
    if four and not re.search(r"[/.-]\d{2}$", found_date):
        return int(four[-1])
    two = int(re.findall(r"\d{2}(?!\d)", found_date)[-1])
    this_year = date.today().year
    year = 2000 + two
    return year if year <= this_year else year - 100


def _dates_of_birth(text: str) -> list[PrivacyWarning]:
    found = []
    for match in _DOB_LABELLED.finditer(text):
        window = text[max(0, match.start() - 80) : match.end() + 80]
        names = [n for n in _NAME_NEARBY.findall(window) if n not in _NOT_NAMES]
        if names:
            found.append(_warning("date_of_birth", match.start(), match.end()))
    for match in _DATE_ANYWHERE.finditer(text):
        before = _NAME_BEFORE.search(text, max(0, match.start() - 130), match.start())
        if before is None or not _looks_like_name(before.group(1)):
            continue
        year = _year_of(match.group())
        if year > _LATEST_BIRTH_YEAR:
            continue  # a recent date next to a name is a meeting or a review, not a birth
        found.append(_warning("date_of_birth", before.start(), match.end()))
    return found


# -- street addresses with a postcode or ZIP -----------------------------------------------------

# Street words in any case ("12 acacia avenue"), as people type them.
_STREET = re.compile(
    r"\b\d{1,5}[A-Za-z]?,?\s(?:[^\W\d_][\w'’-]{1,30}\s){1,3}"
    r"(?:Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Drive|Dr|Way|Crescent|Cres|Court|Ct|"
    r"Place|Pl|Terrace|Gardens|Grove|Boulevard|Blvd|Hill|Square|Sq|Row|Parade|Mews|Walk|"
    r"Highway|Hwy|Parkway|Pkwy)\b\.?",
    re.IGNORECASE,
)
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b", re.IGNORECASE)
_ZIP = re.compile(r"\b(?:[A-Z]{2}\s)?\d{5}(?:-\d{4})?\b")


def _addresses(text: str) -> list[PrivacyWarning]:
    found = []
    for match in _STREET.finditer(text):
        tail = text[match.end() : match.end() + 80]
        code = _POSTCODE.search(tail) or _ZIP.search(tail)
        if code is not None:
            found.append(_warning("street_address", match.start(), match.end() + code.end()))
    return found


def check_privacy(text: str) -> list[PrivacyWarning]:
    """Warnings, in text order, for every place the text may identify a real person."""
    warnings = [
        *_nhs_numbers(text),
        *_ssns(text),
        *_phones(text),
        *_emails(text),
        *_dates_of_birth(text),
        *_addresses(text),
    ]
    # One warning per place: drop a warning inside a longer one of the same kind, and a phone
    # warning on exactly the span of an NHS number (the grouping 3-3-4 fits both).
    warnings.sort(key=lambda w: (w.start, -w.end))
    nhs_spans = {(w.start, w.end) for w in warnings if w.kind == "nhs_number"}
    reach: dict[str, int] = {}  # per kind, the furthest end of a kept warning
    kept: list[PrivacyWarning] = []
    for warning in warnings:
        if warning.kind == "phone_number" and (warning.start, warning.end) in nhs_spans:
            continue
        if warning.end <= reach.get(warning.kind, -1):
            continue  # inside a warning of the same kind that starts no later
        reach[warning.kind] = warning.end
        kept.append(warning)
    return sorted(kept, key=lambda w: (w.start, w.end, w.kind))


_NAMES: dict[PrivacyKind, str] = {
    "nhs_number": "an NHS number",
    "ssn": "a Social Security number",
    "phone_number": "a phone number",
    "email": "an e-mail address",
    "date_of_birth": "a name with a date of birth",
    "street_address": "a street address",
}


def privacy_notice(texts: Iterable[str]) -> str | None:
    """One plain message naming what looks identifying in ``texts``, or None if nothing does.

    Each place is named by its kind and its words, so the learner can find and change it.
    """
    places: list[str] = []
    for text in texts:
        for warning in check_privacy(text):
            snippet = text[warning.start : warning.end]
            if len(snippet) > 40:
                snippet = snippet[:37] + "..."
            place = f"{_NAMES[warning.kind]} (\u201c{snippet}\u201d)"
            if place not in places:
                places.append(place)
    if not places:
        return None
    listed = places[0] if len(places) == 1 else ", ".join(places[:-1]) + " and " + places[-1]
    return (
        f"This looks like it could identify a real person: {listed}. The course asks you to "
        "use made-up details only. If this belongs to a real person, change it to made-up "
        "details."
    )


__all__ = [
    "PrivacyKind",
    "PrivacyWarning",
    "check_privacy",
    "nhs_checksum_ok",
    "privacy_notice",
]
