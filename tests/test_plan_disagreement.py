"""A disagreement is recorded in the plan, never dropped: the rubric reads 'Disagreement:' lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from goalstudio import load_scenario
from goalstudio.cli import main
from goalstudio.rubric import review

PLAN = """\
Person: Jo
Goal: "I want to swim again." (Jo)
  Objective: Jo swims twice a week by 1 May.
    - Jo: books a lane each Monday
      When: weekly from April
"""


def _rules(text: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for f in review(text).findings:
        if "disagreement" in f.rule:
            found.setdefault(f.rule, []).append(f.message)
    return found


def test_a_disagreement_with_a_way_back_to_it_raises_nothing() -> None:
    text = PLAN + "Disagreement: Mum and Jo: whether Jo swims alone (revisited in June)\n"
    assert _rules(text) == {}


def test_a_disagreement_with_no_revisit_is_a_warning_at_its_line() -> None:
    text = PLAN + "Disagreement: Mum and Jo: whether Jo swims alone\n"
    (finding,) = [f for f in review(text).findings if "disagreement" in f.rule]
    assert finding.rule == "structure.disagreement-no-revisit"
    assert finding.severity == "warning"
    assert finding.location == "disagreement 1"
    assert finding.span is not None
    assert text[finding.span[0] : finding.span[1]] == "Mum and Jo: whether Jo swims alone"
    assert "(revisited at the June review, with both there)" in (finding.suggestion or "")
    assert finding.teaches == "05-the-exchange-model#disagreement"


@pytest.mark.parametrize("words", ["her mum disagrees", "Mum does not agree", "Mum doesn't agree"])
def test_a_disagreement_mentioned_but_not_recorded_gets_a_note(words: str) -> None:
    text = PLAN.replace("books a lane each Monday", f"books a lane each Monday; {words}")
    (message,) = _rules(text)["structure.disagreement-unrecorded"]
    assert "no 'Disagreement:' line" in message


@pytest.mark.parametrize(
    ("scenario_id", "who", "about"),
    [
        ("javi-oud-taper", "Javi", "off buprenorphine within three months"),
        ("levi-cto-joinery", "Pearl", "Pearl wants the CTO kept"),
        ("bernie-cmht-allotment", "Siobhan", "move in with her family"),
    ],
)
def test_three_model_rewrites_keep_their_disagreement(
    scenario_id: str, who: str, about: str
) -> None:
    plan = load_scenario(scenario_id).model_rewrite_model()
    (item,) = plan.disagreements
    assert who in item.who
    assert about in item.about
    assert item.revisit


def test_plan_check_shows_the_disagreement_it_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "jo.plan"
    path.write_text(
        PLAN
        + "Disagreement: Mum and Jo: whether Jo swims alone (revisited in June)\n"
        + "Disagreement: Jo and the pool: the lane times\n",
        encoding="utf-8",
    )
    assert main(["plan", "check", str(path)]) == 0
    out = capsys.readouterr().out
    assert (
        "Disagreement between Mum and Jo: whether Jo swims alone (revisit: revisited in June)"
        in out
    )
    assert "Disagreement between Jo and the pool: the lane times (no way to revisit it yet)" in out
