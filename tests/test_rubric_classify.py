"""classify(): one goal, objective or action step -> deficit_led, mixed or person_centred."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from goalstudio.rubric import KINDS, LABELS, Classification, classify

HELD_OUT = sorted((Path(__file__).parent / "fixtures" / "classify").glob("held_out*.tsv"))


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.mark.parametrize(
    "text",
    [
        "Client will comply with medication regime.",
        "Reduce auditory hallucinations.",
        "Patient to attend day centre three times a week.",
        "Maintain abstinence from alcohol.",
        "Staff to monitor mental state weekly.",
        "Depot injection every two weeks.",
        "To be less manipulative with staff.",
        "Engage in meaningful activity.",
        "Remain stable in the community.",
        "Client will verbalize understanding of diagnosis.",
        "Assess for suitability for vocational services.",
        "Client will cease driving per neurologist recommendation.",
    ],
)
def test_deficit_led(text: str) -> None:
    result = classify(text)
    assert result.label == "deficit_led", result.reasons
    assert result.system_score > result.person_score


@pytest.mark.parametrize(
    "text",
    [
        '"I want to get my driving licence back so I can visit my grandchildren in Leeds."',
        "I would like to go back to playing five-a-side football with my old team.",
        "Priya wants to sing in the gospel choir again, as she did before her hospital stay.",
        "My sister will drive me to the first two choir rehearsals.",
        "Within six weeks, Ade will spend one afternoon a week at the community garden he chose.",
        "Care co-ordinator will meet Sam fortnightly to practise the budgeting he asked for, "
        "so he can keep his flat.",
        "I will take my medication at breakfast because it helps me sleep and be ready for "
        "my shift.",
        "Feeling safe in my own home.",
    ],
)
def test_person_centred(text: str) -> None:
    result = classify(text)
    assert result.label == "person_centred", result.reasons
    assert result.person_score > result.system_score


@pytest.mark.parametrize(
    "text",
    [
        "Reduce anxiety so that she can return to work.",
        "I will stop drinking.",
        "Client will attend the job club to find employment.",
        "Support worker will help Lee with his benefits claim.",
    ],
)
def test_mixed_when_both_kinds_of_evidence_balance(text: str) -> None:
    result = classify(text)
    assert result.label == "mixed", result.reasons
    assert result.person_score > 0 and result.system_score > 0


def test_reasons_name_the_evidence_in_plain_words() -> None:
    result = classify("Client will comply with medication regime.")
    joined = " ".join(result.reasons)
    assert "following treatment as instructed" in joined and "'comply'" in joined
    assert "service label" in joined
    pc = classify("I want to finish my hairdressing course at the college.")
    assert any("own voice" in r for r in pc.reasons)
    assert any("education" in r for r in pc.reasons)


def test_being_named_does_not_make_a_service_goal_personal() -> None:
    assert classify("Mr Okafor will engage with the CMHT.").label == "deficit_led"


def test_life_word_inside_service_wording_is_not_a_life_outcome() -> None:
    result = classify("Remain stable in the community.")
    assert not any("change in the person's life" in r for r in result.reasons)


def test_stopping_a_life_activity_is_a_restriction() -> None:
    result = classify("Client will cease driving.")
    assert any("restriction" in r for r in result.reasons)


def test_kind_is_checked_and_accepted() -> None:
    for kind in KINDS:
        assert classify("I will phone my brother every Sunday.", kind).label == "person_centred"
    with pytest.raises(ValueError, match="goal, objective, action_step"):
        classify("x", "wish")
    with pytest.raises(TypeError):
        classify(42)  # type: ignore[arg-type]


def test_blank_statement_is_mixed_with_a_reason() -> None:
    result = classify("   ")
    assert result.label == "mixed"
    assert result.reasons == ("The statement is empty.",)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("1. Goal: Client will comply with medication.", "deficit_led"),
        ("- I want to sing in the choir again.", "person_centred"),
        ("Objective 2: Within six weeks, Ade will visit the allotment he chose.", "person_centred"),
        ("Action step: Psychiatrist to review medication.", "deficit_led"),
    ],
)
def test_list_markers_and_field_names_are_not_read_as_words(text: str, label: str) -> None:
    result = classify(text)
    assert result.label == label
    assert result.text == text


def test_punctuation_only_is_mixed_with_a_reason() -> None:
    assert classify("  -  ").reasons == ("The statement has no words to read.",)


def test_very_long_statement_is_read_in_part_and_says_so() -> None:
    result = classify("Client will comply with medication. " * 2000)
    assert result.label == "deficit_led"
    assert "characters were read" in result.reasons[-1]


def test_to_dict_round_trips_the_fields() -> None:
    data = classify("I want to sing again.").to_dict()
    assert data["label"] in LABELS
    assert data["text"] == "I want to sing again."
    assert isinstance(data["reasons"], list) and data["reasons"]


def test_result_type() -> None:
    assert isinstance(classify("I want to sing again."), Classification)


@pytest.mark.parametrize("path", HELD_OUT, ids=lambda p: p.name)
def test_agreement_on_held_out_statements(path: Path) -> None:
    """Statements written for checking generalisation, not for tuning (see the benchmark)."""
    rows = read(path)
    assert len(rows) >= 30
    agree = sum(classify(r["text"], r["kind"]).label == r["label"] for r in rows)
    assert agree / len(rows) >= 0.85, f"{agree}/{len(rows)}"
