"""SortExercise: statements as validated data, marking, the widget, drafts and friendly errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from goalstudio.exercises.sort import SortFileError, get_sort, load_sorts, mark, parse_sort_file
from goalstudio.records import RecordStore
from goalstudio.rubric import load_lexicon
from goalstudio.widgets import SortExercise

GOOD = """\
schema_version: 1
id: 03-sample
title: Output or outcome?
instructions: Sort each line.
teaches: 03-from-deficits-to-outcomes#outcomes
source: Miller and Barrie, 2016
groups:
- key: output
  label: Output
  meaning: a service delivered
- key: outcome
  label: Outcome
  meaning: a change in a life
items:
- text: A weekly visit.
  group: output
  why: A visit is a service.
- text: Back at the allotment by May.
  group: outcome
  why: A change in the person's life.
- text: Referral to a group.
  group: output
  why: A referral is a service.
"""


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'records.sqlite'}"


def test_a_good_file_parses_and_marks() -> None:
    sort = parse_sort_file(GOOD, "course/sorts/03-sample.yaml")
    assert sort.activity == "sort-03-sample" and sort.module == "03"
    result = mark(sort, {0: "output", 1: "output"})
    assert (result.right, result.wrong, result.unplaced) == ((0,), (1,), (2,))
    assert not result.complete and result.total == 3
    with pytest.raises(ValueError, match="choose one of the groups: Output, Outcome"):
        mark(sort, {0: "maybe"})
    with pytest.raises(ValueError, match="there is no statement 9"):
        mark(sort, {8: "output"})


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("  group: outcome\n", "  group: outcomes\n"), "line 19: items[1].group: statement 2 is"),
        (
            (
                "- text: Back at the allotment by May.\n  group: outcome\n",
                "- text: A weekly visit.\n  group: output\n",
            ),
            "no statement belongs in the group 'outcome'",
        ),
        (("  why: A referral is a service.\n", ""), "line 21: items[2].why: Field required"),
        (("id: 03-sample", "id: sample"), "line 2: id:"),
        (("groups:", "groups: ["), "is not valid YAML"),
    ],
)
def test_a_bad_file_names_the_line_and_the_problem(change: tuple[str, str], expected: str) -> None:
    old, new = change
    assert old in GOOD
    with pytest.raises(SortFileError) as err:
        parse_sort_file(GOOD.replace(old, new, 1), "course/sorts/03-sample.yaml")
    assert "course/sorts/03-sample.yaml" in str(err.value)
    assert expected in str(err.value)


def test_a_sort_file_that_repeats_a_block_by_alias_is_refused_before_it_is_built() -> None:
    """Sorts are read like concept checks: an alias bomb never expands."""
    aliased = GOOD.replace("- key: output\n", "- &group\n  key: output\n", 1) + "extra: *group\n"
    with pytest.raises(SortFileError) as err:
        parse_sort_file(aliased, "course/sorts/03-sample.yaml")
    assert "course/sorts/03-sample.yaml: line 8: this block is repeated" in str(err.value)
    deep = GOOD + "notes: " + "[" * 100 + "]" * 100 + "\n"
    with pytest.raises(SortFileError, match="nested more than 64 levels"):
        parse_sort_file(deep, "course/sorts/03-sample.yaml")


def test_the_course_sorts_read_person_first_and_explain_every_statement() -> None:
    sorts = load_sorts()
    assert [s.id for s in sorts] == ["01-relational-managerial"]
    for sort in sorts:
        assert len({i.why for i in sort.items}) == len(sort.items)
        for group in sort.groups:  # both sides of the sort are represented
            assert sum(i.group == group.key for i in sort.items) >= 2
        texts = [sort.instructions, *(g.meaning for g in sort.groups)]
        texts += [t for i in sort.items for t in (i.text, i.why)]
        for locale in ("en-GB", "en-US"):
            lexicon = load_lexicon(locale)
            assert [m.matched_text for t in texts for m in lexicon.find(t)] == []


def test_the_widget_sorts_checks_records_and_restores(url: str) -> None:
    sort = get_sort("01-relational-managerial")
    widget = SortExercise("01-relational-managerial", learner="ana", store_url=url)
    assert widget.module == "01" and widget.last_error is None
    # Each statement labels its own radio group, so a screen reader reads it with the choices.
    assert widget.choices[0].description == f"1. {sort.items[0].text}"
    widget.place(1, "Relational")  # by label
    widget.place(2, "relational")  # by key: statement 2 is managerial
    result = widget.check()
    assert result is not None
    assert (result.right, result.wrong) == ((0,), (1,))
    assert len(result.unplaced) == len(sort.items) - 2
    assert "Yes" in widget.feedback[0].value and sort.items[0].why[:40] in widget.feedback[0].value
    assert "Not quite" in widget.feedback[1].value and "This one is Managerial" in (
        widget.feedback[1].value
    )
    assert "Not placed" in widget.feedback[2].value
    assert "1 of 6 placed as the review would place them" in widget.summary.value
    widget.place(2, "managerial")
    widget.check()
    widget.close()
    with RecordStore(url) as store:
        events = store.get_events("ana", sort.activity)
    assert [e.kind for e in events] == ["completed", "completed"]
    assert events[-1].detail == {"right": 2, "wrong": 0, "unplaced": 4}

    again = SortExercise("01-relational-managerial", learner="ana", store_url=url)
    assert [c.value for c in again.choices[:3]] == ["relational", "managerial", None]


def test_bad_input_is_a_friendly_sentence(url: str) -> None:
    widget = SortExercise("01-relational-managerial", learner="ana", store_url=url)
    widget.place(9, "relational")
    assert "choose a statement from 1 to 6" in (widget.last_error or "")
    widget.place(1, "sideways")
    assert "choose one of the groups: Relational, Managerial" in (widget.last_error or "")
    missing = SortExercise("01-no-such-sort", learner="ana", store_url=url)
    assert "no sorting exercise '01-no-such-sort'" in (missing.last_error or "")
    assert "Traceback" not in (missing.last_error or "")
