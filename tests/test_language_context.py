"""Language in context: the words communities choose pass, and deficit terms are still caught.

Issue 13, "What was seen" 7: "the Deaf club", "school for the Deaf", "a fluent BSL user" and
"medication-assisted treatment" named as the person's own choice were flagged as stigma. Each
case below carries the verdict an expert would give and checks the message teaches.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from goalstudio.rubric import Lexicon, LexiconEntry, LexiconError, load_lexicon, review

GUIDES = Path(__file__).parent / "fixtures" / "language" / "guides.tsv"


def _language(text: str, locale: str = "en-GB") -> list[tuple[str, str, str]]:
    plan = (
        "Person: Aoife\n"
        'Goal: "I want to get back to my friends" (Aoife)\n'
        f"  Objective: {text}\n"
        "    - Aoife: chooses a Friday in March\n"
    )
    return [
        (f.quote, f.severity, f.message)
        for f in review(plan, locale).findings
        if f.criterion == "language"
    ]


# --------------------------------------------------------------------------------------------
# Community-preferred and identity-first terms pass (expert verdict: nothing to change)


@pytest.mark.parametrize("locale", ["en-GB", "en-US"])
@pytest.mark.parametrize(
    "text",
    [
        "Aoife goes back to the Deaf club on Fridays by March.",
        "Aoife visits the school for the Deaf where she studied, in April.",
        "Aoife, a fluent BSL user, joins the signing choir by May.",
        "Aoife, a wheelchair user, tries the accessible gym by June.",
        "Aoife books the Deaf interpreter for her college interview by May.",
        "Aoife chose medication-assisted treatment and collects it weekly.",
        "Aoife meets other autistic people at the Deaf culture festival in July.",
    ],
)
def test_community_terms_pass(text: str, locale: str) -> None:
    assert _language(text, locale) == []


def test_service_user_in_its_uk_sense_is_at_most_a_note() -> None:
    found = _language("Aoife joins the service user forum and the service user panel in May.")
    assert found == []
    found = _language("Aoife tells the service user group what she wants by May.")
    assert all(severity == "info" for _, severity, _ in found)


def test_medication_assisted_treatment_in_her_own_words_is_a_gentle_note() -> None:
    lexicon = load_lexicon("en-GB")
    (match,) = lexicon.find("I'm on medication-assisted treatment and it works for me.")
    assert match.severity == "info"
    assert match.softened == "in the person's own words"
    found = _language("I'm on medication-assisted treatment and it helps me sleep.")
    ((_quote, severity, message),) = found
    assert severity == "info"
    assert message.startswith("'medication-assisted treatment' is in the person's own words")
    assert "check it is the wording Aoife prefers" in message


def test_a_choice_made_by_staff_is_not_the_persons_choice() -> None:
    lexicon = load_lexicon("en-GB")
    assert lexicon.find("The team wants him on medication-assisted treatment.")
    assert not lexicon.find("He wants to stay on medication-assisted treatment.")


# --------------------------------------------------------------------------------------------
# The same words used to sum people up are still caught (expert verdict: worth a change)


@pytest.mark.parametrize(
    ("text", "entry_id", "severity"),
    [
        ("Help for the deaf is patchy.", "the-deaf", "info"),
        ("THE DEAF AND THE BLIND", "the-deaf", "info"),
        ("He was called deaf and dumb at school.", "deaf-and-dumb", "warning"),
        ("He is a user and so is his partner.", "user", "info"),
        ("Known drug user.", "drug-user", "warning"),
        ("She is wheelchair-bound.", "wheelchair-bound", "warning"),
    ],
)
def test_grouping_and_slurs_are_still_flagged(text: str, entry_id: str, severity: str) -> None:
    matches = load_lexicon("en-GB").find(text)
    assert matches and matches[0].entry.id == entry_id
    assert matches[0].severity == severity


def test_the_deaf_note_teaches_community_wording() -> None:
    found = _language("Aoife finds out what help there is for the deaf by May.")
    ((quote, severity, message),) = found
    assert quote == "the deaf" and severity == "info"
    assert "describes" not in message
    entry = load_lexicon("en-GB").get("the-deaf")
    assert "Deaf people" in entry.alternatives


# --------------------------------------------------------------------------------------------
# Suggestions fit the locale (no British Sign Language in a US plan)


def test_alternatives_follow_the_locale() -> None:
    gb = load_lexicon("en-GB").get("deaf-and-dumb")
    us = load_lexicon("en-US").get("deaf-and-dumb")
    assert any("British Sign Language" in alt for alt in gb.alternatives)
    assert any("American Sign Language" in alt for alt in us.alternatives)
    assert not any("British" in alt for alt in us.alternatives)


def test_every_locale_alternative_is_itself_not_flagged() -> None:
    for locale in ("en-GB", "en-US"):
        lexicon = load_lexicon(locale)
        for entry in lexicon:
            for alternatives in entry.locale_alternatives.values():
                for alternative in alternatives:
                    assert lexicon.find(alternative) == [], (entry.id, alternative)


# --------------------------------------------------------------------------------------------
# Writing context rules (for trainers editing the YAML)


def _entry(**extra: object) -> dict[str, object]:
    return {
        "id": "x",
        "phrase": "wibble",
        "category": "stigmatising",
        "why": "a reason that is long enough",
        "alternatives": ["a", "b"],
        **extra,
    }


def test_context_rules_are_checked_when_the_entry_loads() -> None:
    with pytest.raises(ValueError, match="capitalised"):
        LexiconEntry.model_validate(_entry(fine_when=["polite"]))
    with pytest.raises(ValueError, match="two or more alternatives"):
        LexiconEntry.model_validate(_entry(locale_alternatives={"en-US": ["one"]}))


def test_a_small_lexicon_with_each_context_rule() -> None:
    lexicon = Lexicon(
        [
            LexiconEntry.model_validate(_entry(fine_when=["capitalised"])),
            LexiconEntry.model_validate(
                _entry(id="y", phrase="wobble", fine_when=["chosen"], gentle_when=["first_person"])
            ),
        ]
    )
    assert lexicon.find("a wibble") and not lexicon.find("the Wibble club")
    assert lexicon.find("Wibble at the start.")  # a sentence's first capital says nothing
    assert not lexicon.find("Jo chose the wobble.")
    assert lexicon.find("The doctor chose the wobble.")
    assert [m.severity for m in lexicon.find("my wobble")] == ["info"]


def test_context_is_read_within_the_sentence_only() -> None:
    lexicon = load_lexicon("en-GB")
    text = "Jo chose a new flat. The team put him on medication-assisted treatment."
    assert [m.entry.id for m in lexicon.find(text)] == ["medication-assisted"]


def test_long_text_with_many_context_checks_finds_every_match() -> None:
    text = "the Deaf club and help for the deaf. " * 2000
    matches = load_lexicon("en-GB").find(text)
    assert len(matches) == 2000
    assert all(m.matched_text == "the deaf" for m in matches)


# --------------------------------------------------------------------------------------------
# The labelled set from published guides: the targets


def _rows(path: Path = GUIDES) -> list[tuple[str, str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, _area, term, sentence = line.split("\t")
            rows.append((kind, term, sentence))
    return rows


@pytest.mark.parametrize("name", ["guides.tsv", "guides_heldout.tsv"])
@pytest.mark.parametrize("locale", ["en-GB", "en-US"])
def test_guide_terms_flagged_and_alternatives_pass(locale: str, name: str) -> None:
    lexicon = load_lexicon(locale)
    rows = _rows(GUIDES.parent / name)
    deficit = [r for r in rows if r[0] == "deficit"]
    recommended = [r for r in rows if r[0] == "recommended"]
    assert len(deficit) >= 50 and len(recommended) >= 50
    caught = 0
    for _, term, sentence in deficit:
        at = sentence.lower().index(term.lower())
        caught += any(m.start < at + len(term) and m.end > at for m in lexicon.find(sentence))
    false_flags = [s for _, _, s in recommended if lexicon.find(s)]
    assert caught / len(deficit) >= 0.95
    assert len(false_flags) / len(recommended) <= 0.02, false_flags


def test_an_unknown_context_rule_in_a_file_names_the_file(tmp_path: Path) -> None:
    from goalstudio.rubric._lexicon import lexicon_from_files

    path = tmp_path / "mine.yaml"
    path.write_text(
        "schema_version: 1\nentries:\n  - id: x\n    phrase: wibble\n    category: stigmatising\n"
        "    why: a reason that is long enough\n    alternatives: [a, b]\n"
        "    fine_when: [polite]\n",
        encoding="utf-8",
    )
    with pytest.raises(LexiconError, match=r"mine\.yaml: entry 1 \(id 'x'\): field 'fine_when"):
        lexicon_from_files([path])


@pytest.mark.parametrize(
    ("own_words", "entry_id"),
    [
        ('"I\'m an addict and I want my kids back"', "addict"),
        ('"I want to stay clean for my daughter"', "clean"),
        ('"I\'m a schizophrenic, not a monster"', "schizophrenic"),
    ],
)
def test_a_person_naming_their_own_experience_gets_a_note_not_a_warning(
    own_words: str, entry_id: str
) -> None:
    (match,) = [m for m in load_lexicon("en-GB").find(own_words) if m.entry.id == entry_id]
    assert match.severity == "info" and match.softened == "in the person's own words"
    third = own_words.replace("I'm", "He is").replace("I want", "He wants").replace("my", "his")
    assert [m.severity for m in load_lexicon("en-GB").find(third) if m.entry.id == entry_id] == [
        "warning"
    ]


def test_in_a_typed_reply_the_first_person_is_the_practitioner() -> None:
    from goalstudio.exercises.reply import _language

    check = _language("I think you're an addict, to be honest.", "en-GB")
    assert not check.passed and "'addict'" in check.advice


def test_a_word_quoted_on_its_own_is_a_mention_and_only_a_note() -> None:
    lexicon = load_lexicon("en-GB")
    (match,) = lexicon.find('He wants the plan to say he chose, not "non-compliant".')
    assert match.severity == "info" and match.softened == "quoted as a word someone used"
    (used,) = lexicon.find("He is non-compliant.")
    assert used.severity == "warning"
    found = _language('Aoife decides what goes in her notes, not "non-compliant" by March.')
    ((_quote, severity, message),) = found
    assert severity == "info" and "say whose word it is, or use Aoife's own" in message


@pytest.mark.parametrize(
    "text",
    [
        "Being told to go to groups she has no interest in.",
        "Not being allowed to call Danny after nine.",
        "She lives with Biscuit, an elderly Jack Russell.",
        "That's part of the plan, not a punishment.",
        "Two of you at the door, as if he were dangerous.",
        "Somewhere she can talk without being told she's crazy.",
        "Feeding people, that's who I am.",
        "He wants his family to stop seeing him as an addict.",
    ],
)
def test_words_reported_or_negated_in_a_persons_view_pass(text: str) -> None:
    assert [m for m in load_lexicon("en-GB").find(text) if m.severity == "warning"] == []


def test_cli_says_why_a_finding_is_only_a_note() -> None:
    from goalstudio.cli._language import _describe, findings_for

    findings = findings_for("I want to stay clean for my daughter", "en-GB")
    assert findings[0]["softened"] == "in the person's own words"
    text = _describe(1, "I want to stay clean for my daughter", findings)
    assert "worth a thought: in the person's own words" in text


def test_us_alternatives_use_us_spelling() -> None:
    us = load_lexicon("en-US").get("challenging-behaviour").alternatives
    gb = load_lexicon("en-GB").get("challenging-behaviour").alternatives
    assert any("behavior that challenges" in alt for alt in us)
    assert not any("behaviour" in alt for alt in us)
    assert any("behaviour that challenges" in alt for alt in gb)


def test_a_staff_word_in_the_sentence_before_does_not_take_the_choice() -> None:
    lexicon = load_lexicon("en-GB")
    assert lexicon.find("The team met on Monday. She chose medication-assisted treatment.") == []
    assert lexicon.find("The team chose medication-assisted treatment for him.")
