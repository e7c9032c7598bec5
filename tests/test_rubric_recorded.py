"""A quotation counts as the person's own words only if the scenario records them saying it."""

from __future__ import annotations

from goalstudio import list_scenarios, load_scenario
from goalstudio.rubric import person_sayings, quote_is_recorded

SAID = ["I'd love to get my allotment going again, and have Niamh over for Sunday dinner."]


def test_exact_and_lightly_edited_quotes_are_recorded() -> None:
    assert quote_is_recorded("get my allotment going again", SAID)
    assert quote_is_recorded("I would love to get the allotment going again", SAID)


def test_an_invented_or_embellished_quote_is_not_recorded() -> None:
    assert not quote_is_recorded("I want to win a prize for my marrows at the show", SAID)
    assert not quote_is_recorded(
        "get my allotment going again and grow enough to feed the whole street", SAID
    )


def test_words_stitched_from_two_sayings_do_not_pass_as_one() -> None:
    sayings = ["I miss my allotment.", "Niamh never visits."]
    assert not quote_is_recorded("I miss Niamh and my allotment visits", sayings)


def test_every_scenario_records_what_its_person_says() -> None:
    summaries = list_scenarios()
    assert len(summaries) >= 12
    for summary in summaries:
        scenario = load_scenario(summary.id)
        sayings = person_sayings(scenario)
        assert scenario.person.in_their_words in sayings
        assert quote_is_recorded(scenario.person.in_their_words, sayings)
