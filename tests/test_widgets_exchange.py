"""ExchangeMap: sorting the four parties' statements, negotiated outcomes, dissent kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from goalstudio import PARTIES, ExchangeRecord
from goalstudio.records import RecordStore
from goalstudio.scenarios import list_scenarios
from goalstudio.widgets import ExchangeMap

SCENARIOS = [s.id for s in list_scenarios()]


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'records.sqlite'}"


def passed(checks: list[tuple[str, bool, str]]) -> dict[str, bool]:
    return {name: ok for name, ok, _advice in checks}


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_a_complete_map_passes_every_check_and_keeps_dissent(scenario_id: str, url: str) -> None:
    widget = ExchangeMap(scenario_id, learner="sam", store_url=url)
    assert widget.last_error is None
    ids = list(widget.map.statements)
    assert {widget.map.statements[i].party for i in ids} == set(PARTIES)
    expected: dict[str, list[str]] = {}
    for n, i in enumerate(ids):
        concern = ":concerns:" in i
        widget.sort(i, "differ" if concern else "agree")
        if not concern:
            own = widget.map.statements[i].party
            others = [p for p in PARTIES if p != own]
            picked = others if n % 2 else others[:1]
            widget.share(i, picked)
            expected[widget.map.statements[i].text] = [own, *picked]
    first_concern = next(i for i in ids if ":concerns:" in i)
    widget.other_view(first_concern, widget.map.statements[first_concern].party, "same party")
    assert widget.last_error is not None and "choose another party" in widget.last_error
    other = "family" if widget.map.statements[first_concern].party == "person" else "person"
    widget.other_view(first_concern, other, "I see it differently")
    person_outcome = next(
        s.text
        for s in widget.map.statements.values()
        if s.party == "person" and s.kind == "Proposed outcome"
    )
    widget.set_outcome(0, person_outcome, "the person leads; family helps", "person")
    widget.set_outcome(
        1, "A shared safety plan", "practitioner writes it with the person", "practitioner"
    )
    assert all(passed(widget.check()).values())
    assert widget.feedback.value.count("✓") == 6
    record = widget.submit()
    assert isinstance(record, ExchangeRecord)
    assert {a.text: a.parties for a in record.agreements} == expected
    concerns = [i for i in ids if ":concerns:" in i]
    assert len(record.disagreements) == len(concerns)
    kept = next(
        d for d in record.disagreements if d.topic == widget.map.statements[first_concern].text
    )
    assert "I see it differently" in kept.positions.values()
    assert record.negotiated_outcomes[0].startswith(person_outcome)
    assert record.missing_parties() == []
    with RecordStore(url) as store:
        (attempt,) = store.get_attempts("sam", "exchange-map")
    assert ExchangeRecord.model_validate_json(attempt.text) == record
    assert attempt.score == 1.0


def test_feedback_names_what_is_missing(url: str) -> None:
    widget = ExchangeMap("bernie-cmht-allotment", learner="sam", store_url=url)
    person_first = next(i for i in widget.map.statements if i.startswith("person:"))
    widget.sort(person_first, "agree")
    widget.set_outcome(0, "Siobhan is told if the team is worried", "", "family")
    checks = passed(widget.check())
    assert checks == {
        "Every party was heard": False,
        "The person's outcome leads": False,
        "Disagreements are recorded": False,
        "Each agreement says who shares it": False,
        "Each outcome says who does what": False,
        "Every statement was sorted": False,
    }
    assert "family, practitioner, agency" in widget.feedback.value
    assert (
        "Not met" not in widget.feedback.value
        and "✗ Every party was heard" in widget.feedback.value
    )


def test_disagreements_show_and_are_never_dropped_by_other_sorting(url: str) -> None:
    widget = ExchangeMap("javi-oud-taper", learner="sam", store_url=url)
    family = [i for i in widget.map.statements if i.startswith("family:concerns")]
    widget.sort(family[0], "discuss")
    assert len(widget.differences.children) == 1
    for i in widget.map.statements:
        if i != family[0]:
            widget.sort(i, "agree")
            widget.share(i, ["person", "practitioner"])
    record = widget.submit()
    assert record is not None and len(record.disagreements) == 1
    assert record.disagreements[0].how_handled == "needs discussion with everyone present"
    assert "not recorded yet" in record.disagreements[0].positions["person"]


def test_dropdown_in_the_browser_sorts_too(url: str) -> None:
    widget = ExchangeMap("bernie-cmht-allotment", learner="sam", store_url=url)
    key = next(iter(widget.pickers))
    widget.pickers[key].value = "differ"
    assert widget.map.sorted == {key: "differ"}
    widget.pickers[key].value = ""
    assert widget.map.sorted == {}


def test_unknown_statement_is_a_friendly_message(url: str) -> None:
    widget = ExchangeMap("bernie-cmht-allotment", learner="sam", store_url=url)
    widget.sort("person:nothing:9", "agree")
    assert widget.last_error is not None and "no statement" in widget.last_error


def test_map_is_restored(url: str) -> None:
    widget = ExchangeMap("bernie-cmht-allotment", learner="sam", store_url=url)
    keys = list(widget.map.statements)[:3]
    widget.sort(keys[0], "agree")
    widget.sort(keys[1], "differ")
    widget.other_view(keys[1], "family", "Siobhan's view")
    widget.set_outcome(
        0, "Two mornings a week on the plot", "Bernie; Frank shares his tools", "person"
    )
    widget.flush()
    widget.close()
    again = ExchangeMap("bernie-cmht-allotment", learner="sam", store_url=url)
    assert again.map.sorted == {keys[0]: "agree", keys[1]: "differ"}
    assert again.pickers[keys[1]].value == "differ"
    assert again.map.other_views[keys[1]] == ("family", "Siobhan's view")
    assert again.outcome_rows[0][0].value == "Two mornings a week on the plot"
    assert len(again.differences.children) == 1


def test_party_names_follow_the_locale(url: str) -> None:
    uk = ExchangeMap("bernie-cmht-allotment", learner="sam", store_url=url)
    us = ExchangeMap("javi-oud-taper", learner="sam", store_url=url)
    assert uk.party_titles()["family"] == "Family or carer"
    assert us.party_titles()["family"] == "Family"
    assert "Family or carer" in uk.children[3].children[1].children[0].value


def test_the_learner_ticks_who_shares_each_agreement(url: str) -> None:
    widget = ExchangeMap("levi-cto-joinery", learner="sam", store_url=url)
    family, person = (
        next(i for i in widget.map.statements if i.startswith(f"{p}:what_matters"))
        for p in ("family", "person")
    )
    shared = widget.shared_with[family]
    assert shared.layout.display == "none"  # only agreed statements ask who shares them
    widget.share(family, ["person"])
    assert "sort the statement into 'Agree' first" in (widget.last_error or "")
    widget.pickers[family].value = "agree"
    assert shared.layout.display == "flex"
    assert set(shared.boxes) == {"person", "practitioner", "agency"}  # not its own party
    assert shared.boxes["person"].description == "The person"
    shared.boxes["person"].value = True
    shared.boxes["agency"].value = True
    assert widget.map.sharing(family) == ["family", "person", "agency"]
    widget.sort(person, "agree")
    assert widget.submit() is None
    assert "tick at least one other party for" in (widget.last_error or "")
    assert widget.map.statements[person].text in (widget.last_error or "")
    advice = dict((n, a) for n, _ok, a in widget.check())["Each agreement says who shares it"]
    assert "1 agreed statement:" in advice
    widget.share(person, ["person", "family"])  # its own party is always included once
    assert widget.map.sharing(person) == ["person", "family"]
    assert widget.shared_with[person].boxes["family"].value is True
    record = widget.submit()
    assert record is not None
    assert [a.parties for a in record.agreements] == [
        ["family", "person", "agency"],
        ["person", "family"],
    ]
    widget.flush()
    widget.close()
    again = ExchangeMap("levi-cto-joinery", learner="sam", store_url=url)
    assert again.map.sharing(family) == ["family", "person", "agency"]
    assert again.shared_with[family].boxes["agency"].value is True
    assert again.shared_with[family].layout.display == "flex"
