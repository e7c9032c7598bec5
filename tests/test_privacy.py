"""The privacy check warns about details that could identify a real person, and stays quiet on
the fictional scenarios and on everyday plan wording."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

import goalstudio.privacy as privacy
from goalstudio.privacy import PrivacyWarning, check_privacy, nhs_checksum_ok

REPO = Path(__file__).resolve().parent.parent


def kinds(text: str) -> list[str]:
    return [w.kind for w in check_privacy(text)]


def test_public_api_is_pinned() -> None:
    assert privacy.__all__ == [
        "PrivacyKind",
        "PrivacyWarning",
        "check_privacy",
        "nhs_checksum_ok",
        "privacy_notice",
    ]


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("9434765919", True),  # the NHS's own published example
        ("4010232137", True),
        ("9434765918", False),  # one digit out
        ("9434765910", False),
        ("1234567890", False),  # the check digit would be 10: never issued
        ("123456789", False),
        ("94347659a9", False),
    ],
)
def test_nhs_checksum(number: str, valid: bool) -> None:
    assert nhs_checksum_ok(number) is valid


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("NHS number 943 476 5919 on file", "nhs_number"),
        ("nhs no: 943-476-5919", "nhs_number"),
        ("ref 4010232137.", "nhs_number"),
        ("SSN 123-45-6789", "ssn"),
        ("her social security number: 123456789", "ssn"),
        ("078-05-1120 was on the form", "ssn"),
        ("ring her on 07911 123456 after lunch", "phone_number"),
        ("mobile +44 7911 123456", "phone_number"),
        ("landline 0161 234 5678", "phone_number"),
        ("+44 (0)20 7123 4567", "phone_number"),
        ("(212) 867-5309", "phone_number"),
        ("call 312.867.5309", "phone_number"),
        ("cell +1 415 867 5309", "phone_number"),
        ("email dana.jones@gmail.com for the rota", "email"),
        ("J.Smith@nhs.net", "email"),
        ("Jane Smith, DOB 03/04/1985", "date_of_birth"),
        ("Marcus Okafor (born 12 March 1979)", "date_of_birth"),
        ("Tom, date of birth: 1980-07-15", "date_of_birth"),
        ("Jane Doe (03/04/1985)", "date_of_birth"),
        ("Aisha Khan, March 3, 1990", "date_of_birth"),
        ("lives at 12 Acacia Avenue, Leeds LS1 4AB", "street_address"),
        ("221b Baker Street, London NW1 6XE", "street_address"),
        ("1600 Pennsylvania Avenue NW, Washington, DC 20500", "street_address"),
        ("44 Elm St., Springfield, IL 62704-1234", "street_address"),
    ],
)
def test_identifying_details_are_flagged(text: str, kind: str) -> None:
    found = check_privacy(text)
    assert [w.kind for w in found] == [kind], found
    warning = found[0]
    assert isinstance(warning, PrivacyWarning)
    assert 0 <= warning.start < warning.end <= len(text)
    assert "kept as you wrote it" in warning.message
    assert str(warning).startswith(f"characters {warning.start}-{warning.end}:")


EVERYDAY = [
    # fictional ranges set aside for drama and examples
    "Ring Sam on 07700 900123 or 01632 960 555.",
    "Her worker's line is 020 7946 0321; the US office is 212-555-0147.",
    "Email the team at recovery.team@example.org or jo@studio.test.",
    "NHS number 999 123 4567 (a test number).",
    "SSN 987-65-4321 appears in the training leaflet.",
    # helplines and organisations are not people
    "Samaritans 116 123, or the crisis line 0800 123 4567, or 1-800-273-8255 in the US.",
    # dates, times, money and counts in ordinary plan text
    "Priya goes to two rehearsals a month by 12/10/2025, reviewed on 1 December 2025.",
    "Review: Priya Sharma, 12/03/2025",
    "Bus 42 at 07:30, then the 18:05 home; £1,250 grant; 3-4 times a week; 2019-2023.",
    "Objective: walk 10,000 steps on 5 days out of 7 by week 12.",
    "Medication reviewed 14.02.2025; dose 2.5 mg; score 7/10; PHQ-9 of 14.",
    "Born in 1962 in Kingston, Delroy moved to Leeds in 1988.",
    "Room 101 on Ward 7, 3rd floor; version 2.10.3; ISBN 978-0-19-852663-6.",
    "She lives on Acacia Avenue near the park and wants to walk to Leeds.",
    "He was born on a Tuesday and loves his grandmother's stories.",
    "Order 1234567890 arrived.",
    "",
]


@pytest.mark.parametrize("text", EVERYDAY)
def test_everyday_and_fictional_text_is_not_flagged(text: str) -> None:
    assert check_privacy(text) == []


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_no_warning_fires_on_any_scenario_text() -> None:
    files = sorted((REPO / "scenarios").rglob("*.yaml"))
    assert files, "the scenario library should not be empty"
    checked = 0
    flagged = []
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for text in _strings(data):
            checked += 1
            for warning in check_privacy(text):
                excerpt = text[max(0, warning.start - 30) : warning.end + 30]
                flagged.append(f"{path.name}: {warning.kind}: {excerpt!r}")
    assert checked > 100 * len(files) // 10
    assert flagged == []


def test_several_details_are_each_reported_in_order() -> None:
    text = "Jane Smith, DOB 03/04/1985. Mobile 07911 123456. Email jane.smith@gmail.com."
    assert kinds(text) == ["date_of_birth", "phone_number", "email"]
    spans = [text[w.start : w.end] for w in check_privacy(text)]
    assert spans[1] == "07911 123456"
    assert spans[2] == "jane.smith@gmail.com"


@pytest.mark.parametrize(
    "text",
    [
        "1" * 100_000,
        "1 " * 50_000,
        "1-" * 50_000,
        "a." * 50_000 + "@",
        "Jane Smith, 3 April 1985 " * 4_000,
        "12 Acacia Avenue " * 6_000,
        "born 1 1 1990 " * 7_000,
        "A" * 100_000,
    ],
    ids=["digits", "spaced", "dashed", "dots", "dobs", "streets", "born", "capitals"],
)
def test_adversarial_text_is_checked_without_catastrophic_backtracking(text: str) -> None:
    # A complexity guard, not a speed test (benchmarks/privacy.py measures speed): CPU time, which
    # a busy machine does not inflate, about 0.05 s each, where backtracking would take minutes.
    started = time.process_time()
    check_privacy(text)
    assert time.process_time() - started < 5


# -- widened (issue 15 §6): what the probe found missed, and the false alarms it found ---------

LABELLED_SET = Path(__file__).parent / "fixtures" / "privacy" / "labelled.tsv"


def load_set() -> list[tuple[str, str]]:
    """(label, text) rows of the labelled set; benchmarks/privacy.py prints its figures."""
    lines = LABELLED_SET.read_text(encoding="utf-8").splitlines()
    return [
        (label, text)
        for label, text in (line.split("\t", 1) for line in lines if line and line[0] != "#")
    ]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Zoë O'Brien-Smith (03/04/1985) lives with her sister.", "date_of_birth"),
        ("Siobhán Ní Bhriain, 3 April 1985, asked for a female worker.", "date_of_birth"),
        ("D'Arcy McLeod, 3rd of April 1985, came with his dad.", "date_of_birth"),
        ("John Smith (03/04/85) missed the appointment.", "date_of_birth"),
        ("Ellie Rhodes, 9 Sept '92, started work.", "date_of_birth"),
        ("Phone 0044 7911 654321 from abroad.", "phone_number"),
        ("Her number: +44 7911 123456.", "phone_number"),
        ("tel:+447700123456", "phone_number"),
        ("tel:07912 345678", "phone_number"),
        ("12 acacia avenue, AB1 2CD is the flat.", "street_address"),
        ("Lives at 9 station road, york YO24 1AB.", "street_address"),
        ("josé.garcía@correo.es wrote to the team.", "email"),
        ("Write to zoë.ng@mail.de about the visit.", "email"),
        ("Her SSN is 212-67-4431.", "ssn"),
    ],
)
def test_widened_identifiers_are_caught(text: str, kind: str) -> None:
    assert kind in [w.kind for w in check_privacy(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Care Plan, 3 April 1985",
        "Mental Health Act 1983, section 3",
        "Mental Capacity Act 2005, 1 October 2007",
        "Royal Infirmary (12/03/1990)",
        "St Mary's Hospital, 14 June 2019",
        "Review Meeting (03/04/2026)",
        "The form's review date is 03/04/26.",
    ],
)
def test_documents_laws_and_places_with_dates_are_not_flagged(text: str) -> None:
    assert check_privacy(text) == []


def test_the_labelled_set_meets_the_targets() -> None:
    rows = load_set()
    identifying = [text for label, text in rows if label == "identifying"]
    lookalikes = [text for label, text in rows if label == "lookalike"]
    assert len(rows) >= 150
    caught = sum(1 for text in identifying if check_privacy(text))
    flagged = sum(1 for text in lookalikes if check_privacy(text))
    assert caught / len(identifying) >= 0.95
    assert flagged / len(lookalikes) <= 0.02
