"""The recovery-oriented language lexicon: its data, its matcher and ``goalstudio language``."""

from __future__ import annotations

import io
import itertools
import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goalstudio.cli import main
from goalstudio.rubric import (
    CATEGORIES,
    LEXICON_DIR,
    Lexicon,
    LexiconEntry,
    LexiconError,
    TermMatch,
    load_lexicon,
)
from goalstudio.rubric._lexicon import lexicon_from_files
from goalstudio.rubric._lexicon_data import read_lexicon_file

FIXTURES = Path(__file__).parent / "fixtures" / "language"


@pytest.fixture(scope="module")
def gb() -> Lexicon:
    return load_lexicon("en-GB")


@pytest.fixture(scope="module")
def us() -> Lexicon:
    return load_lexicon("en-US")


def _found(lexicon: Lexicon, text: str) -> list[tuple[str, str]]:
    return [(m.matched_text, m.entry.id) for m in lexicon.find(text)]


# --------------------------------------------------------------------------------------------
# What gets flagged, per category (text, the words flagged as written, entry id)

POSITIVES = [
    # deficit labels
    ("Tom is a schizophrenic.", "a schizophrenic", "schizophrenic"),
    ("She is schizophrenic and lives alone.", "schizophrenic", "schizophrenic"),
    ("Services for the mentally ill are stretched.", "the mentally ill", "mentally-ill"),
    ("He is mentally ill.", "mentally ill", "mentally-ill"),
    ("He was psychotic on admission.", "was psychotic", "psychotic"),
    ("The psychotics on the ward", "psychotics", "psychotic"),
    ("She's bipolar, so expect mood swings.", "She's bipolar", "bipolar-label"),
    ("Ask the bipolar patient first.", "bipolar patient", "bipolar-label"),
    ("Amir suffers from depression.", "suffers from", "sufferer"),
    ("A lifelong sufferer of anxiety", "sufferer", "sufferer"),
    ("She is a high-functioning autistic woman.", "high-functioning", "high-functioning"),
    ("Lower functioning clients need more staff.", "Lower functioning", "high-functioning"),
    ("He failed treatment twice.", "failed treatment", "failed-treatment"),
    ("Decompensating since Friday.", "Decompensating", "decompensating"),
    ("Back to baseline by discharge.", "Back to baseline", "baseline"),
    # stigmatising
    ("He's a manipulative young man.", "manipulative", "manipulative"),
    ("Attention-seeking overdose last week.", "Attention-seeking overdose", "suicidal-gesture"),
    ("Attention-seeking again on the ward.", "Attention-seeking", "attention-seeking"),
    ("Challenging behaviour in the lounge.", "Challenging behaviour", "challenging-behaviour"),
    ("A frequent flyer in A&E.", "frequent flyer", "frequent-flyer"),
    ("The nutter in flat 3.", "nutter", "crazy"),
    ("He went psycho at the staff.", "went psycho", "psycho"),
    ("Staff called him a nutter.", "nutter", "crazy"),
    ("That junkie again.", "junkie", "junkie"),
    # compliance
    ("Non-compliant with medication.", "Non-compliant with medication", "non-compliant"),
    ("Remains noncompliant.", "noncompliant", "non-compliant"),
    ("Remains non compliant.", "non compliant", "non-compliant"),
    ("Will comply with depot.", "comply", "compliance"),
    ("Refuses to attend groups.", "Refuses to attend", "refuses"),
    ("She refused her tablets.", "refused", "refuses"),
    ("He lacks insight into his illness.", "lacks insight", "lacks-insight"),
    ("Insight limited.", "Insight limited", "lacks-insight"),
    ("Still in denial about drinking.", "in denial", "in-denial"),
    ("Appears unmotivated.", "unmotivated", "unmotivated"),
    ("Difficult to engage and hard to reach.", "Difficult to engage", "difficult-to-engage"),
    ("Treatment resistant depression.", "Treatment resistant depression", "resistant"),
    ("Treatment-resistant for years.", "Treatment-resistant", "resistant"),
    # service jargon
    ("DNA'd twice in May.", "DNA'd", "dna"),
    ("DNA’d twice in May.", "DNA’d", "dna"),
    ("She did not attend her review.", "did not attend", "did-not-attend"),
    ("Placement broke down in June.", "Placement broke down", "failed-treatment"),
    ("Looking for a new placement.", "placement", "placement"),
    ("The service user will attend.", "service user will", "the-patient"),
    ("Ask the service user first.", "service user", "service-user"),
    ("He was sectioned last year.", "was sectioned", "sectioned"),
    ("Absconded from the ward.", "Absconded", "absconded"),
    # substance use
    ("He is an addict.", "addict", "addict"),
    ("Known heroin addict.", "heroin addict", "addict"),
    ("A recovering alcoholic.", "recovering alcoholic", "alcoholic"),
    ("Her alcoholic father.", "alcoholic", "alcoholic"),
    ("History of substance abuse.", "substance abuse", "substance-abuse"),
    ("He abuses alcohol.", "abuses alcohol", "alcohol-abuse"),
    ("He is abusing drugs.", "abusing drugs", "substance-abuse"),
    ("Clean for six months.", "Clean for", "clean"),
    ("She has been clean since May.", "clean since", "clean"),
    ("She has been clean.", "been clean", "clean"),
    ("Clean urine screen today.", "Clean urine screen", "clean"),
    ("Urine came back dirty.", "came back dirty", "dirty"),
    ("Dirty urine on Monday.", "Dirty urine", "dirty"),
    ("He relapsed at Christmas.", "relapsed", "relapse"),
    ("Relapse prevention group.", "Relapse prevention", "relapse"),
    ("Known drug user.", "drug user", "drug-user"),
    ("Users hang around the park.", "Users", "user"),
    ("Drug-seeking behaviour noted.", "Drug-seeking behaviour", "drug-seeking"),
    ("Funding her habit by shoplifting.", "Funding her habit", "habit"),
    ("Methadone is a substitution therapy.", "substitution therapy", "replacement-therapy"),
    # suicide
    ("Her brother committed suicide.", "committed suicide", "committed-suicide"),
    ("He tried to commit suicide.", "commit suicide", "committed-suicide"),
    ("A failed suicide attempt in 2019.", "failed suicide attempt", "failed-attempt"),
    ("A successful suicide.", "successful suicide", "successful-suicide"),
    ("Completed suicide is rare.", "Completed suicide", "successful-suicide"),
    ("Superficial cuts, a suicidal gesture.", "suicidal gesture", "suicidal-gesture"),
    ("It was a cry for help.", "cry for help", "attention-seeking"),
    ("The town's suicide epidemic.", "suicide epidemic", "suicide-epidemic"),
    # credibility and judgement
    ("Claims to hear voices.", "Claims to", "claims"),
    ("Patient insists the pain is severe.", "insists", "insists"),
    ("Denies suicidal thoughts.", "Denies", "denies"),
    ("Unrealistic goal of becoming a nurse.", "Unrealistic goal", "unrealistic"),
    # disability and health labels
    ("He is wheelchair-bound.", "wheelchair-bound", "wheelchair-bound"),
    ("Mentally retarded since birth.", "Mentally retarded", "retarded"),
    ("A diabetic on the ward.", "A diabetic", "diabetic-label"),
]


@pytest.mark.parametrize(("text", "flagged", "entry_id"), POSITIVES)
def test_deficit_language_is_flagged(gb: Lexicon, text: str, flagged: str, entry_id: str) -> None:
    found = _found(gb, text)
    assert any(flagged in words and eid == entry_id for words, eid in found), found


NEGATIVES = [
    # person-first wording and recommended alternatives in sentences
    "Tom is a person living with schizophrenia.",
    "She has a diagnosis of bipolar disorder and lives with bipolar.",
    "He is experiencing psychosis and hears voices at night.",
    "Psychotic symptoms eased after the first month.",
    "A person with a substance use disorder who is in recovery.",
    "Her brother died by suicide in 2019; he took his own life.",
    "She declined the depot and chose not to take it.",
    "Not currently taking medication; negative drug screen on Friday.",
    "He is not in agreement with the treatment plan.",
    # ordinary English that shares words with lexicon entries
    "Priya keeps her flat clean and tidy.",
    "She wants a clean flat and clean clothes for the interview.",
    "He will clean the kitchen on Sundays.",
    "The dishes are dirty again.",
    "He goes to Alcoholics Anonymous on Tuesdays.",
    "She prefers non-alcoholic beer.",
    "Alcoholic drinks are not allowed at the centre.",
    "She is a survivor of domestic abuse.",
    "History of abuse of a child by a neighbour.",
    "He experienced physical abuse as a child.",
    "Dev is a wheelchair user and a keen swimmer.",
    "Users of the library can borrow laptops.",
    "Relapse plan agreed with Priya.",
    "She is on a work placement at the bakery.",
    "Individual Placement and Support helped him find work.",
    "The council refused her housing application.",
    "Her claim for benefits was refused.",
    "The data protection policy keeps the service compliant with GDPR.",
    "Water-resistant jacket for walking in the rain.",
    "Her baseline score on the wellbeing scale was 32.",
    "She lives with chronic pain.",
    "He is committed to his recovery.",
    "A kind gesture from her neighbour.",
    "He made a claim for universal credit.",
    "She is entitled to a carer's assessment.",
    "He has a demanding job as a chef.",
    "I want a clean start in a new flat near my sister.",
    "We agreed a clean, quiet room for the meeting.",
    "She would like to keep her room clean and tidy without reminders.",
    "Tom will clean his van every Saturday before football.",
    "Her baseline wellbeing score was 34 and rose to 41.",
    "She wants to be patient with her son when he has toddler tantrums.",
    "He got a clean bill of health from the dentist.",
    "I want a user-friendly app to track my mood.",
    "Sister (Ana): visit on Sundays and cook together.",
    "She is a keen gardener and loves her allotment.",
    "He said he would prefer not to take the tablets.",
    "Linh would like to return to campus in the autumn term.",
    "",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_person_first_and_everyday_wording_is_not_flagged(gb: Lexicon, text: str) -> None:
    assert _found(gb, text) == []


# Terms as published guides list them, on their own (many guides print a bare word in a table).
GUIDE_TERMS = [
    "Attention seeking",
    "Refused",
    "Suffering from",
    "Resistant",
    "Non-compliant",
    "Unmotivated",
    "Unrealistic",
    "Acting out",
    "Poor judgment",
    "Frequent flyer",
    "Dangerous",
    "Manipulative",
    "Relapse prevention",
    "Relapse",
    "She is schizophrenic",
    "Clean",
    "Dirty",
    "Is a schizophrenic",
    "Has PD",
    "Kicking off",
    "Is borderline",
    "Treatment team",
    "Refuses",
    "Delusional",
    "Paranoid",
    "Decompensate",
    "Chronic",
    "Patient",
    "Impaired",
    "Cutter",
    "Low functioning",
    "Damaged",
    "Schizophrenic",
    "Borderline",
    "Grandiose",
    "Weird",
    "Self-obsessed",
    "Revolving door",
    "successful suicide",
    "committed suicide",
    "commit suicide",
    "suicide epidemic",
    "failed suicide",
    "suicide bid",
    "political suicide",
    "completed suicide",
    "Substance abuser",
    "Drug abuser",
    "Alcoholic",
    "Addict",
    "User",
    "Abuser",
    "Drunk",
    "Junkie",
    "Drug habit",
    "Habit",
    "Abuse",
    "Medication-Assisted Treatment",
    "Substitution therapy",
    "Replacement therapy",
    "Addicted babies",
    "Born addicted",
    "Drug addict",
    "Drug user",
    "Drug seeking",
    "Crackhead",
    "Pothead",
    "Stoner",
    "Druggie",
    "Former addict",
    "Reformed addict",
    "Recovering alcoholic",
    "Opioid abuser",
    "Smoker",
    "Injection drug user",
    "Substance abuse",
    "Alcohol abuse",
    "Dirty urine",
    "Fell off the wagon",
    "Drug of choice",
    "Crack baby",
    "Detox",
    "Binge drinker",
    "Enabler",
    "Codependent",
    "Hit rock bottom",
    "Mental patient",
    "Psycho",
    "Nutter",
    "Lunatic",
    "Loony",
    "Crazy",
    "Insane",
    "Mad",
    "Maniac",
    "Deranged",
    "Nuts",
    "Schizo",
    "Psychotic",
    "Mentally ill",
    "The mentally ill",
    "Mental institution",
    "Asylum",
    "Loony bin",
    "Psych ward",
    "Victim of",
    "Afflicted with",
    "Battling",
    "Sufferer",
    "A schizophrenic",
    "An anorexic",
    "Bulimic",
    "Depressive",
    "Manic depressive",
    "Bipolar",
    "Split personality",
    "Happy pills",
    "Basket case",
    "Demented",
    "Senile",
    "Retarded",
    "Handicapped",
    "Cripple",
    "Wheelchair bound",
    "Confined to a wheelchair",
    "Special needs",
    "Mentally handicapped",
    "Spastic",
    "Deaf and dumb",
    "Midget",
    "The disabled",
    "Able-bodied",
    "Normal people",
    "Noncompliant",
    "Lacks insight",
    "In denial",
    "Difficult to engage",
    "Hard to reach",
    "Disengaged",
    "Treatment resistant",
    "Treatment failure",
    "Poor historian",
    "Claims",
    "Insists",
    "Denies",
    "Allegedly",
    "Complains of",
    "Malingering",
    "Secondary gain",
    "Frequent attender",
    "Bed blocker",
    "Heartsink",
    "Time waster",
    "Needy",
    "Demanding",
    "Difficult patient",
    "Challenging behaviour",
    "Aggressive",
    "Violent",
    "Combative",
    "Uncooperative",
    "Defiant",
    "Inappropriate",
    "Tantrum",
    "Splitting",
    "Cry for help",
    "Suicidal gesture",
    "Parasuicide",
    "Self-mutilation",
    "Self-harmer",
    "Chronically suicidal",
    "Lazy",
    "Hopeless",
    "Dysfunctional",
    "High functioning",
    "Baseline",
    "Decompensating",
    "Placement",
    "DNA'd",
    "Did not attend",
    "Absconded",
    "Sectioned",
    "Service user",
    "Client",
    "Caseload",
    "Care package",
    "Signposted",
    "Known to services",
    "Non-compliance",
    "Compliance",
    "Allowed to",
    "Privileges",
    "For his own good",
    "Vulnerable adult",
    "Lacks capacity",
    "Institutionalised",
    "Burden",
    "Wandering",
    "Elderly",
    "Geriatric",
    "The homeless",
    "Vagrant",
    "Offender",
    "Ex-con",
    "Inmate",
    "Illegal immigrant",
    "Obese",
    "Diabetic",
    "Sickler",
    "Victim",
    "Psychopath",
    "Hysterical",
    "Labile",
    "Bizarre",
    "Mental case",
    "Emotionally disturbed",
    "Personality disordered",
    "Transgendered",
]


@pytest.mark.parametrize("term", GUIDE_TERMS)
def test_terms_listed_by_published_guides_are_flagged_on_their_own(gb: Lexicon, term: str) -> None:
    assert gb.find(term), term


# --------------------------------------------------------------------------------------------
# Exceptions: the same word is fine in some contexts


@pytest.mark.parametrize(
    ("fine", "flagged"),
    [
        ("a clean flat", "he is clean now"),
        ("clean the bathroom", "clean drug test"),
        ("domestic abuse", "drug abuse"),
        ("Alcoholics Anonymous", "an alcoholic"),
        ("person with schizophrenia", "schizophrenic"),
        ("bipolar disorder", "he is bipolar"),
        ("dirty laundry", "dirty sample"),
        ("relapse plan", "she relapsed"),
        ("psychotic episode", "psychotic man"),
        ("work placement", "care home placement"),
        ("borderline personality disorder", "she is borderline"),
        ("asylum seeker", "lunatic asylum"),
        ("minimising harm", "minimising his drinking"),
    ],
)
def test_exceptions_clear_a_word_only_in_its_acceptable_context(
    gb: Lexicon, fine: str, flagged: str
) -> None:
    assert gb.find(fine) == []
    assert gb.find(flagged) != []


def test_an_exception_only_covers_the_match_it_surrounds(gb: Lexicon) -> None:
    text = "Keeps a clean flat. Clean for two weeks. Clean the car. Clean urine."
    assert [m.matched_text for m in gb.find(text)] == ["Clean for", "Clean urine"]


# --------------------------------------------------------------------------------------------
# Alternatives are never flagged themselves


def test_every_alternative_in_the_lexicon_is_not_flagged(gb: Lexicon, us: Lexicon) -> None:
    flagged = []
    for lexicon in (gb, us):
        for entry in lexicon:
            for alternative in entry.alternatives:
                for match in lexicon.find(alternative):
                    flagged.append((lexicon.locale, entry.id, alternative, match.matched_text))
    assert flagged == []


RECOMMENDED = [
    "person with a substance use disorder",
    "person who uses drugs",
    "person who injects drugs",
    "in recovery",
    "in remission",
    "died by suicide",
    "took their own life",
    "suicide attempt",
    "non-fatal suicide attempt",
    "declined",
    "chose not to",
    "prefers not to",
    "person living with schizophrenia",
    "experiencing psychosis",
    "not currently taking medication",
    "negative drug screen",
    "testing positive",
    "return to use",
    "recurrence of symptoms",
    "medication for opioid use disorder",
    "person experiencing homelessness",
    "older adult",
    "person with a learning disability",
    "wheelchair user",
    "expressing distress",
    "seeking connection",
    "has not yet found a treatment that helps",
    "sees things differently",
    "lives with",
    "person with lived experience",
    "person receiving services",
    "familiar face",
    "behaviours of concern",
    "person with a conviction",
    "substance use",
    "alcohol use disorder",
    "abstinent",
    "not taking medication as prescribed",
    "medication adherence",
    "positive risk management",
    "behaviour that challenges",
    "high intensity user of services",
    "recovery management",
    "person who hears voices",
    "transgender person",
    "non-disabled",
    "person seeking asylum",
    "Client stated that she would like to move",
    "recovery team",
    "person with paraplegia",
]


@pytest.mark.parametrize("phrase", RECOMMENDED)
def test_recommended_wording_from_the_guides_is_not_flagged(gb: Lexicon, phrase: str) -> None:
    assert _found(gb, phrase) == []
    assert _found(gb, phrase.capitalize() + ".") == []


# --------------------------------------------------------------------------------------------
# Forms: case, inflection, hyphens, UK/US spelling, apostrophes


@pytest.mark.parametrize(
    ("text", "entry_id"),
    [
        ("ADDICTS", "addict"),
        ("Addict's family", "addict"),
        ("non-compliance", "non-compliant"),
        ("noncompliance", "non-compliant"),
        ("non  compliance", "non-compliant"),
        ("non‑compliant", "non-compliant"),  # non-breaking hyphen
        ("non–compliant", "non-compliant"),  # en dash
        ("challenging behavior", "challenging-behaviour"),
        ("challenging behaviours", "challenging-behaviour"),
        ("poor judgment", "poor-judgement"),
        ("poor judgement", "poor-judgement"),
        ("catastrophizing", "histrionic"),
        ("relapses", "relapse"),
        ("relapsing", "relapse"),
        ("refusing", "refuses"),
        ("attention seeker", "attention-seeking"),
        ("attention-seekers", "attention-seeking"),
        ("frequent fliers", "frequent-flyer"),
        ("DNA’d", "dna"),
        ("DNA‘d", "dna"),
        ("she’s bipolar", "bipolar-label"),
    ],
)
def test_forms_are_recognised(gb: Lexicon, text: str, entry_id: str) -> None:
    assert [m.entry.id for m in gb.find(text)] == [entry_id]


def test_case_sensitive_entries_match_only_as_written(gb: Lexicon) -> None:
    assert [m.entry.id for m in gb.find("has PD")] == ["pd-label"]
    assert gb.find("has pd") == []
    assert [m.entry.id for m in gb.find("DNAs")] == ["dna"]
    assert gb.find("dnas") == []


def test_matches_respect_word_boundaries(gb: Lexicon) -> None:
    assert gb.find("addictive") == []
    assert gb.find("username") == []
    assert gb.find("refusenik") == []
    assert gb.find("cleaner") == []


def test_longest_match_wins_and_matches_do_not_overlap(gb: Lexicon) -> None:
    text = "the mentally ill and a recovering addict, both non-compliant with medication"
    matches = gb.find(text)
    assert [m.matched_text for m in matches] == [
        "the mentally ill",
        "recovering addict",
        "non-compliant with medication",
    ]
    for earlier, later in itertools.pairwise(matches):
        assert earlier.end <= later.start
    assert matches == sorted(matches)


def test_offsets_point_into_the_original_text(gb: Lexicon) -> None:
    text = "Notes: He’s a “junkie” — 🙂 and non‑compliant."
    matches = gb.find(text)
    assert matches
    for match in matches:
        assert text[match.start : match.end] == match.matched_text
        assert isinstance(match, TermMatch)
        assert match.phrase == match.matched_text


# --------------------------------------------------------------------------------------------
# Unicode, emoji, right-to-left text


@pytest.mark.parametrize(
    "text",
    [
        "🙂addict🙂",
        "He said “I’m not an addict”.",
        "مرحبا addict שלום",
        "\u202eaddict\u202c",
        "ＡＤＤＩＣＴ is fine width-wise? addict",
        "addict\u00a0and\u00a0user",
        "Zoë, a schizophrenic",
    ],
)
def test_unicode_text_matches_with_correct_offsets(gb: Lexicon, text: str) -> None:
    matches = gb.find(text)
    assert matches, text
    for match in matches:
        assert text[match.start : match.end] == match.matched_text


def test_letters_from_other_scripts_are_word_characters(gb: Lexicon) -> None:
    # "addict" inside a longer word in another script is not a separate word.
    assert gb.find("éaddict") == []
    assert gb.find("addictä") == []


def test_text_with_no_latin_letters_is_handled(gb: Lexicon) -> None:
    assert gb.find("مرحبا بكم في الاستوديو שלום 你好 🙂🙂🙂") == []


# --------------------------------------------------------------------------------------------
# Adversarial input: no catastrophic backtracking, cost grows linearly


@pytest.mark.parametrize(
    "text",
    [
        "non-" * 100_000,
        "a " * 100_000,
        "non " * 100_000,
        "clean " * 20_000,
        "abuse " * 20_000,
        "the mentally " * 30_000,
        "x" * 500_000,
        "-" * 500_000,
        "'" * 200_000,
        " " * 500_000,
        "suicidal gesture " * 20_000,
    ],
    ids=lambda t: repr(t[:12]),
)
def test_adversarial_strings_finish_quickly(gb: Lexicon, text: str) -> None:
    # A complexity guard, not a speed test (benchmarks/lexicon.py measures speed): CPU time, which
    # a busy machine does not inflate; catastrophic backtracking would take minutes, not seconds.
    started = time.process_time()
    matches = gb.find(text)
    elapsed = time.process_time() - started
    assert elapsed < 15.0, f"{elapsed:.2f} s of CPU for {len(text)} characters"
    for match in matches[:50]:
        assert text[match.start : match.end] == match.matched_text


_WORDS = st.sampled_from(
    [
        "addict",
        "clean",
        "flat",
        "non",
        "-",
        "compliant",
        "the",
        "mentally",
        "ill",
        "domestic",
        "abuse",
        "’",
        "DNA",
        "'d",
        "🙂",
        "مرحبا",
        "a",
        "suicidal",
        "gesture",
        "relapse",
        "plan",
    ]
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.one_of(
        st.text(max_size=300),
        st.lists(_WORDS, max_size=60).map(" ".join),
        st.lists(_WORDS, max_size=60).map("".join),
    )
)
def test_any_text_gives_sorted_non_overlapping_matches_with_true_offsets(
    gb: Lexicon, text: str
) -> None:
    matches = gb.find(text)
    previous_end = 0
    for match in matches:
        assert previous_end <= match.start < match.end <= len(text)
        assert text[match.start : match.end] == match.matched_text
        previous_end = match.end


def test_repeated_flagged_words_are_all_found(gb: Lexicon) -> None:
    text = "addict " * 1000
    assert len(gb.find(text)) == 1000


def test_compiled_pattern_has_no_nested_quantifier(gb: Lexicon) -> None:
    pattern = gb._pattern.pattern
    # The only repetitions are the separator classes; nothing quantified contains a '+' or '*'.
    assert ")+" not in pattern
    assert ")*" not in pattern
    assert pattern.count("+") == pattern.count("]+")


# --------------------------------------------------------------------------------------------
# The data itself


def test_lexicon_is_broad(gb: Lexicon, us: Lexicon) -> None:
    assert len(gb) >= 150
    assert gb.variant_count >= 2000
    assert {e.category for e in gb} >= {
        "deficit_label",
        "stigmatising",
        "compliance",
        "service_jargon",
        "substance_use",
        "suicide",
        "paternalistic",
        "clinical_label",
        "system_outcome",
    }
    assert set(CATEGORIES) >= {e.category for e in gb}


def test_every_entry_explains_itself(gb: Lexicon, us: Lexicon) -> None:
    for lexicon in (gb, us):
        for entry in lexicon:
            assert len(entry.alternatives) >= 2, entry.id
            assert entry.why.endswith((".", "!", "?")), entry.id
            assert entry.teaches.startswith(("0", "1")), entry.id
            # An explanation must not itself use the language it warns about.
            assert lexicon.find(entry.why) == [] or entry.id in {
                m.entry.id for m in lexicon.find(entry.why)
            }, entry.id


def test_every_file_declares_schema_version_one() -> None:
    files = sorted(LEXICON_DIR.glob("*.yaml"))
    assert len(files) >= 5
    for path in files:
        assert "schema_version: 1" in path.read_text(encoding="utf-8"), path.name
        assert read_lexicon_file(path)


def test_locales_select_their_entries(gb: Lexicon, us: Lexicon) -> None:
    gb_ids = {e.id for e in gb}
    us_ids = {e.id for e in us}
    assert "us-detention-slang" in us_ids and "us-detention-slang" not in gb_ids
    assert [m.entry.id for m in us.find("He was 5150'd on Friday.")] == ["us-detention-slang"]
    assert gb.find("He was 5150'd on Friday.") == []
    assert {e.locale for e in gb} <= {"any", "en-GB"}
    assert {e.locale for e in us} <= {"any", "en-US"}


def test_load_lexicon_is_cached_and_checks_the_locale() -> None:
    assert load_lexicon("en-GB") is load_lexicon("en-GB")
    with pytest.raises(ValueError, match="en-GB, en-US"):
        load_lexicon("fr-FR")


def test_entries_forbid_unknown_keys_and_need_two_alternatives() -> None:
    base = {
        "id": "x",
        "phrase": "x",
        "category": "deficit_label",
        "why": "Because this is a long enough explanation.",
        "alternatives": ["a", "b"],
    }
    assert LexiconEntry.model_validate(base).forms() == ["x"]
    with pytest.raises(ValueError, match="alternativs"):
        LexiconEntry.model_validate({**base, "alternativs": ["a", "b"]})
    with pytest.raises(ValueError, match="at least 2"):
        LexiconEntry.model_validate({**base, "alternatives": ["a"]})


def test_group_syntax_expands_forms() -> None:
    entry = LexiconEntry(
        id="relapse",
        phrase="relapse(d|s)",
        category="substance_use",
        why="Because this is a long enough explanation.",
        alternatives=["a", "b"],
    )
    assert entry.forms() == ["relapse", "relapsed", "relapses"]


# --------------------------------------------------------------------------------------------
# Broken lexicon files give errors that name the file and entry


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("broken-one-alternative.yaml", ["entry 2 (id 'lazy-label')", "alternatives"]),
        ("broken-unknown-key.yaml", ["entry 1 (id 'addict-test')", "alternativs"]),
        ("broken-schema-version.yaml", ["schema_version"]),
        ("broken-not-yaml.yaml", ["not valid YAML", "line"]),
        ("broken-exception.yaml", ["entry 'clean-test'", "does not contain the phrase"]),
        ("broken-duplicate-form.yaml", ["entry 'second'", "also listed by entry 'first'"]),
        ("broken-category.yaml", ["entry 1 (id 'odd-category')", "category"]),
        ("broken-brackets.yaml", ["entry 1 (id 'brackets')", "not closed"]),
    ],
)
def test_broken_lexicon_files_name_the_file_and_entry(name: str, expected: list[str]) -> None:
    path = FIXTURES / name
    with pytest.raises(LexiconError) as info:
        lexicon_from_files([path])
    message = str(info.value)
    assert name in message
    for part in expected:
        assert part in message


def test_duplicate_ids_across_files_are_refused() -> None:
    good = FIXTURES / "valid-small.yaml"
    with pytest.raises(LexiconError, match="already used"):
        lexicon_from_files([good, good])


def test_a_small_valid_lexicon_works(tmp_path: Path) -> None:
    lexicon = lexicon_from_files([FIXTURES / "valid-small.yaml"], locale="en-US")
    assert [m.entry.id for m in lexicon.find("He is a frequent flier.")] == ["flyer-test"]
    assert lexicon.find("frequent flyer miles") == []


# --------------------------------------------------------------------------------------------
# The command line


def _write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "texts.txt"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_cli_jsonl_prints_one_object_per_input_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = "He is an addict.\n\nShe keeps a clean flat but is non-compliant.\n"
    code = main(["language", "--format", "jsonl", _write(tmp_path, source)])
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert len(out) == 3
    rows = [json.loads(line) for line in out]
    assert rows[1] == {"text": "", "findings": []}
    first = rows[0]
    assert first["text"] == "He is an addict."
    (finding,) = first["findings"]
    assert finding["phrase"] == "addict"
    assert first["text"][finding["start"] : finding["end"]] == "addict"
    assert finding["why"] and len(finding["alternatives"]) >= 2
    third = rows[2]
    assert [f["phrase"] for f in third["findings"]] == ["non-compliant"]
    start, end = third["findings"][0]["start"], third["findings"][0]["end"]
    assert third["text"][start:end] == "non-compliant"


def test_cli_text_format_shows_phrase_why_and_alternatives(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["language", _write(tmp_path, "Refused meds.\nLoves gardening.\n")])
    out = capsys.readouterr().out
    assert code == 0
    assert '"Refused"' in out
    assert "why:" in out and "instead, try:" in out and '"declined"' in out
    assert "line 2: nothing to reconsider." in out


def test_cli_reads_standard_input_and_keeps_unicode(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = "Zoë’s brother “committed suicide” 🙂\r\nمرحبا\n"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data.encode())))
    code = main(["language", "--format", "jsonl", "-"])
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 0
    assert rows[0]["text"] == "Zoë’s brother “committed suicide” 🙂"
    finding = rows[0]["findings"][0]
    assert rows[0]["text"][finding["start"] : finding["end"]] == "committed suicide"
    assert rows[1] == {"text": "مرحبا", "findings": []}


def test_cli_locale_switches_the_lexicon(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "He was 5150'd.\n")
    assert main(["language", "--format", "jsonl", "--locale", "en-US", path]) == 0
    us_rows = json.loads(capsys.readouterr().out)
    assert main(["language", "--format", "jsonl", "--locale", "en-GB", path]) == 0
    gb_rows = json.loads(capsys.readouterr().out)
    assert us_rows["findings"] and not gb_rows["findings"]


def test_cli_empty_input_prints_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["language", "--format", "jsonl", _write(tmp_path, "")]) == 0
    assert capsys.readouterr().out == ""


def test_cli_unreadable_input_exits_1_with_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["language", str(tmp_path / "missing.txt")]) == 1
    assert "no such file" in capsys.readouterr().err
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("caf\xe9 addict".encode("latin-1"))
    assert main(["language", str(bad)]) == 1
    assert "not UTF-8" in capsys.readouterr().err
    assert main(["language", str(tmp_path)]) == 1
    assert "folder" in capsys.readouterr().err


def test_cli_rejects_an_unknown_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["language", "--format", "xml", "-"]) == 1
    assert "invalid choice" in capsys.readouterr().err
