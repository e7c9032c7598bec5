"""``goalstudio workshop plan``: a day that fits, favours the tag, and writes a run sheet."""

from __future__ import annotations

from pathlib import Path

import pytest

from goalstudio._agenda import (
    load_programme,
    markdown_to_html,
    plan_day,
    programme_markdown,
    register_plan,
)
from goalstudio._scenarios import list_scenarios
from goalstudio.cli import main


def test_a_risk_day_fits_the_time_and_includes_the_risk_module() -> None:
    plan = plan_day(420, "risk")
    modules = [s.module.id for s in plan.slots if s.module is not None]
    assert "06" in modules and modules[0] == "00" and modules == sorted(modules)
    end = plan.slots[-1].start + plan.slots[-1].minutes
    assert end - plan.slots[0].start <= 420
    assert [s.title for s in plan.slots].count("Lunch") == 1
    risky = {s.id for s in list_scenarios() if "risk" in s.tags}
    for slot in plan.slots:
        assert set(slot.scenarios) <= risky
    assert any(s.peer_leads for s in plan.slots) and any(s.breakout for s in plan.slots)
    # Times run on without gaps or overlaps.
    for before, after in zip(plan.slots, plan.slots[1:], strict=False):
        assert before.start + before.minutes == after.start


def test_a_short_session_keeps_the_core_and_lists_the_rest_for_self_study() -> None:
    plan = plan_day(120)
    modules = [s.module.id for s in plan.slots if s.module is not None]
    assert modules == ["00", "03"]
    assert "Break" not in [s.title for s in plan.slots]
    assert {m.id for m in plan.left_out} == {f"0{n}" for n in (1, 2, 4, 5, 6, 7, 8)}


def test_cli_prints_the_agenda_and_writes_an_html_run_sheet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "run-sheet.html"
    assert main(["workshop", "plan", "--minutes", "420", "--tag", "risk", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Module 06: Risk conversations" in printed and "| time |" in printed
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<td>Module 06: Risk conversations</td>" in page
    # Apostrophes in the manifest's text arrive escaped, never as raw markup.
    assert "what being &#x27;risky&#x27; on paper felt like" in page


def test_html_run_sheet_escapes_everything() -> None:
    page = markdown_to_html(
        "# A <b>day</b>\n\n| a | b |\n|---|---|\n| <script>x</script> | y |\n", "t<"
    )
    assert "<script>" not in page and "&lt;script&gt;" in page and "<title>t&lt;</title>" in page


def test_register_plan_adds_plan_to_a_subcommand_set() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    register_plan(parser.add_subparsers(dest="action"))
    args = parser.parse_args(["plan", "--minutes", "300", "--tag", "risk"])
    assert (args.minutes, args.tag, args.template) == (300, "risk", None)
    assert callable(args.handler)


def test_each_module_gets_case_studies_that_share_its_tags() -> None:
    plan = plan_day(600)
    transitions = {s.id for s in list_scenarios() if "transitions" in s.tags}
    slot = next(s for s in plan.slots if s.module is not None and s.module.id == "07")
    assert slot.scenarios[0] in transitions


def test_unknown_tag_and_bad_output_are_clear_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["workshop", "plan", "--tag", "no-such-tag"]) == 1
    assert "no scenario has the tag 'no-such-tag'" in capsys.readouterr().err
    assert main(["workshop", "plan", "--out", str(tmp_path / "sheet.pdf")]) == 1
    assert "name a .md or .html file" in capsys.readouterr().err


def test_two_day_template_has_both_session_types_with_checklists(tmp_path: Path) -> None:
    programme = load_programme("two-day")
    kinds = {s.type for s in programme.follow_up.sessions}
    assert kinds == {"case-consultation", "implementation-barriers"}
    text = programme_markdown(programme)
    assert "## Day 1" in text and "## Day 2" in text
    covered = {f"0{n}" for n in range(9)}
    assert all(f"Module {m}:" in text for m in covered)
    assert "- [ ] Review it first with ChartReview" in text
    assert "## Self-study between sessions" in text
    out = tmp_path / "programme.md"
    assert main(["workshop", "plan", "--template", "two-day", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == text
