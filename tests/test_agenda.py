"""``goalstudio workshop plan``: a day that fits, favours the tag, and writes a run sheet."""

from __future__ import annotations

from pathlib import Path

import pytest

from goalstudio._scenarios import list_scenarios
from goalstudio.cli import main
from goalstudio.courseware.agenda import (
    load_programme,
    markdown_to_html,
    plan_day,
    programme_markdown,
)


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
    assert "what being &#39;risky&#39; on paper felt like" in page
    # One file that works offline: the stylesheet is inside the page.
    assert "<style>" in page and "border-collapse: collapse" in page


def test_html_run_sheet_escapes_everything() -> None:
    page = markdown_to_html(
        "# A <b>day</b>\n\n| a | b |\n|---|---|\n| <script>x</script> | y |\n", "t<"
    )
    assert "<script>" not in page and "&lt;script&gt;" in page and "<title>t&lt;</title>" in page


def test_each_module_gets_case_studies_that_share_its_tags() -> None:
    from goalstudio.courseware.manifest import CourseManifest, load_manifest

    course = load_manifest()  # a day without module 1 has room for module 7 and its breaks
    plan = plan_day(
        600, "", CourseManifest(title="t", modules=course.modules[:1] + course.modules[2:])
    )
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


@pytest.mark.parametrize("minutes", [60, 90, 120, 180, 240, 300, 360, 420, 480, 540, 600])
@pytest.mark.parametrize("tag", ["", "risk", "transitions"])
def test_the_timings_add_up_to_the_minutes_asked_for(minutes: int, tag: str) -> None:
    plan = plan_day(minutes, tag)
    assert sum(s.minutes for s in plan.slots) == minutes
    assert plan.slots[-1].start + plan.slots[-1].minutes - plan.slots[0].start == minutes
    for before, after in zip(plan.slots, plan.slots[1:], strict=False):
        assert before.start + before.minutes == after.start


def test_a_420_minute_risk_day_names_only_cases_its_exercises_can_open(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from goalstudio._scenarios.cases import module_case_exercises, openable_cases

    # A trainer's folder with one case that does not load: it is never named.
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "half-written.yaml").write_text("id: half-written\ntags: [risk]\n", "utf-8")
    monkeypatch.setenv("GOALSTUDIO_SCENARIOS_PATH", str(folder))
    openable = {c.id for c in openable_cases()}
    assert "half-written" not in openable and len(openable) == 12
    assert main(["workshop", "plan", "--minutes", "420", "--tag", "risk"]) == 0
    printed = capsys.readouterr().out
    rows = [line.split(" | ") for line in printed.splitlines() if line.startswith("| 0")]
    rows += [line.split(" | ") for line in printed.splitlines() if line.startswith("| 1")]
    minutes = 0
    for row in rows:
        start, end = row[0].strip("| ").split("-")
        minutes += (int(end[:2]) * 60 + int(end[3:])) - (int(start[:2]) * 60 + int(start[3:]))
    assert minutes == 420
    plan = plan_day(420, "risk")
    risky = {c.id for c in openable_cases() if "risk" in c.tags}
    for slot in plan.slots:
        assert set(slot.scenarios) <= risky
        if slot.module is not None and not module_case_exercises(slot.module.file):
            assert slot.scenarios == [], slot.title  # no exercise there can open a case
    assert module_case_exercises("01-why-person-centred-planning.ipynb") == []
    assert module_case_exercises("03-from-deficits-to-outcomes.ipynb") == [
        "LanguageSpotter",
        "PlanRewriter",
    ]


def test_a_uk_workshop_names_only_uk_cases(capsys: pytest.CaptureFixture[str]) -> None:
    uk = {s.id for s in list_scenarios() if s.locale == "en-GB"}
    plan = plan_day(600, "", locales=("en-GB",))
    named = {sid for slot in plan.slots for sid in slot.scenarios}
    assert named and named <= uk
    assert main(["workshop", "plan", "--locale", "en-GB", "--tag", "medicaid"]) == 1
    assert "no scenario has the tag 'medicaid' in en-GB" in capsys.readouterr().err
