"""Scenario loading: finding files, every kind of error, and the `goalstudio scenarios` CLI."""

from __future__ import annotations

import json
import os
import re
import shutil
from importlib import resources
from pathlib import Path

import pytest
from markupsafe import escape

import goalstudio
from goalstudio import Scenario, scenarios
from goalstudio._scenarios import (
    ENV_VAR,
    MAX_SCENARIO_BYTES,
    ScenarioError,
    ScenarioProblem,
    format_field,
    list_scenarios,
    load,
    load_file,
    validate_paths,
)
from goalstudio.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "scenarios"
BUILTIN_DIR = Path(str(resources.files("goalstudio.scenarios")))
BUILTIN_IDS = {p.stem for p in BUILTIN_DIR.glob("*.yaml")}
N_BUILTIN = len(BUILTIN_IDS)
# Fixtures that pass every check; every other fixture breaks exactly one thing.
VALID_FIXTURES = {"valid-minimal.yaml", "authoring-trial.yaml"}


@pytest.fixture(autouse=True)
def _no_extra_folders(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)


def problems_of(name: str) -> list[ScenarioProblem]:
    path = FIXTURES / name
    with pytest.raises(ScenarioError) as info:
        load_file(path)
    for problem in info.value.problems:
        assert problem.path == str(path)
    return info.value.problems


def only_problem(name: str) -> ScenarioProblem:
    problems = problems_of(name)
    assert len(problems) == 1, problems
    return problems[0]


def copy_fixture(name: str, folder: Path, new_id: str | None = None) -> Path:
    """A fixture copied into ``folder``, renamed (id and file) to ``new_id`` when given."""
    folder.mkdir(parents=True, exist_ok=True)
    text = (FIXTURES / name).read_text(encoding="utf-8")
    stem = name.removesuffix(".yaml")
    if new_id is not None:
        text = text.replace(f"id: {stem}", f"id: {new_id}")
        stem = new_id
    target = folder / f"{stem}.yaml"
    target.write_text(text, encoding="utf-8")
    return target


# ------------------------------------------------------------------------------------------
# Loading good files


def test_valid_fixture_loads_into_a_scenario() -> None:
    scenario = load_file(FIXTURES / "valid-minimal.yaml")
    assert isinstance(scenario, Scenario)
    assert scenario.id == "valid-minimal"
    assert scenario.person.name == "Sam Rivers"
    assert [n.id for n in scenario.conversation.nodes] == ["hello", "done"]


def test_builtin_scenarios_are_listed_with_their_summary() -> None:
    summaries = list_scenarios()
    assert {s.id for s in summaries} == BUILTIN_IDS
    assert {"bernie-cmht-allotment", "javi-oud-taper"} <= BUILTIN_IDS
    assert [s.id for s in summaries] == sorted(s.id for s in summaries)
    bernie = next(s for s in summaries if s.id == "bernie-cmht-allotment")
    assert bernie.locale == "en-GB"
    assert bernie.setting == "community_mental_health"
    assert "cpa" in bernie.tags
    assert Path(bernie.path).name == "bernie-cmht-allotment.yaml"
    assert Path(bernie.path).is_file()


def test_load_by_id_and_the_package_entry_points_agree() -> None:
    scenario = load("javi-oud-taper")
    assert scenario.locale == "en-US"
    assert scenarios.load("javi-oud-taper") == scenario
    assert goalstudio.load_scenario("javi-oud-taper") == scenario
    assert goalstudio.list_scenarios() == scenarios.list_scenarios()


def test_unknown_id_lists_the_known_ids_and_suggests_the_closest() -> None:
    with pytest.raises(ScenarioError) as info:
        load("javi-oud-tapper")
    text = str(info.value)
    assert "no scenario with the id 'javi-oud-tapper'" in text
    assert "Did you mean 'javi-oud-taper'?" in text
    assert f"Known ids: {', '.join(sorted(BUILTIN_IDS))}." in text
    assert isinstance(info.value, ValueError)


def test_extra_folders_from_the_environment_are_found(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    copy_fixture("valid-minimal.yaml", first, "trainer-one")
    copy_fixture("valid-minimal.yaml", second, "trainer-two")
    monkeypatch.setenv(ENV_VAR, os.pathsep.join([str(first), "", str(second)]))
    ids = [s.id for s in list_scenarios()]
    assert ids == sorted([*BUILTIN_IDS, "trainer-one", "trainer-two"])
    assert load("trainer-two").id == "trainer-two"
    assert scenarios.extra_folders() == [first, second]


def test_duplicate_ids_across_folders_name_both_files(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    first = copy_fixture("valid-minimal.yaml", tmp_path / "a", "shared-id")
    second = copy_fixture("valid-minimal.yaml", tmp_path / "b", "shared-id")
    monkeypatch.setenv(ENV_VAR, os.pathsep.join([str(first.parent), str(second.parent)]))
    for attempt in (list_scenarios, lambda: load("shared-id")):
        with pytest.raises(ScenarioError) as info:
            attempt()
        (problem,) = info.value.problems
        assert problem.path == str(second)
        assert str(first) in problem.message
        assert "the id 'shared-id' is used twice" in problem.message
        assert problem.field == "id"


def test_a_builtin_id_reused_in_an_extra_folder_is_a_duplicate(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    copy_fixture("valid-minimal.yaml", tmp_path, "bernie-cmht-allotment")
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    problems = validate_paths([])
    assert len(problems) == 1
    assert "bernie-cmht-allotment.yaml" in problems[0].message
    assert problems[0].path == str(tmp_path / "bernie-cmht-allotment.yaml")


def test_a_missing_extra_folder_is_reported(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-folder"
    monkeypatch.setenv(ENV_VAR, str(missing))
    with pytest.raises(ScenarioError) as info:
        list_scenarios()
    (problem,) = info.value.problems
    assert problem.path == str(missing)
    assert f"named in {ENV_VAR} but does not exist" in problem.message
    # Loading a built-in scenario by id still works.
    assert load("bernie-cmht-allotment").id == "bernie-cmht-allotment"


# ------------------------------------------------------------------------------------------
# Each kind of broken file, by fixture


def test_yaml_syntax_error_names_line_column_and_fix() -> None:
    problem = only_problem("yaml-syntax-error.yaml")
    assert (problem.line, problem.column) == (4, 18)
    assert "mapping values are not allowed here" in problem.message
    assert "put the whole value in double quotes" in problem.message
    assert str(problem).startswith(f"{FIXTURES / 'yaml-syntax-error.yaml'}, line 4, column 18: ")


def test_tab_indentation_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "tabs.yaml"
    path.write_text("id: tabs\nsetting:\n\tkind: other\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_file(path)
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (3, 1)
    assert "use spaces instead" in problem.message


def test_missing_block_names_the_field() -> None:
    problem = only_problem("missing-person.yaml")
    assert problem.field == "person"
    assert problem.message.startswith("the field 'person' is missing.")


def test_unknown_field_suggests_the_known_spelling() -> None:
    extra, missing = sorted(problems_of("unknown-field.yaml"), key=lambda p: p.field or "")
    assert extra.field == "person.pronoun"
    assert (extra.line, extra.column) == (14, 3)
    assert "'pronoun' is not a field the scenario format knows" in extra.message
    assert "Did you mean 'pronouns'?" in extra.message
    assert missing.field == "person.pronouns"
    assert missing.line == 11  # the 'person:' block it belongs in


def test_wrong_values_are_reported_together_with_field_paths() -> None:
    problems = problems_of("wrong-values.yaml")
    by_field = {p.field: p for p in problems}
    assert set(by_field) == {"locale", "person.age", "perspectives[2].what_matters"}
    assert "'en-AU' is not one of the choices" in by_field["locale"].message
    assert "'en-GB' or 'en-US'" in by_field["locale"].message
    assert "whole number" in by_field["person.age"].message
    assert "'forty'" in by_field["person.age"].message
    empty = by_field["perspectives[2].what_matters"]
    assert empty.line == 40
    assert "at least 1 item, and it has 0" in empty.message
    assert [p.line for p in problems] == sorted(p.line or 0 for p in problems)


def test_missing_party_is_reported_on_perspectives() -> None:
    problem = only_problem("missing-party.yaml")
    assert problem.field == "perspectives"
    assert problem.line == 31
    assert "missing: agency" in problem.message


def test_dangling_edge_points_at_the_choice() -> None:
    problem = only_problem("dangling-edge.yaml")
    assert problem.field == "conversation.nodes[0].choices[1].next"
    assert problem.line == 59
    assert "leads to 'goodbye', which does not exist" in problem.message
    assert "Check the spelling after 'next:'" in problem.message


def test_unreachable_node_is_named() -> None:
    problem = only_problem("unreachable-node.yaml")
    assert problem.field == "conversation.nodes[2]"
    assert problem.line == 64
    assert "node 'orphan' can never be reached from the start 'hello'" in problem.message


def test_dead_end_is_named() -> None:
    problem = only_problem("dead-end.yaml")
    assert problem.field == "conversation.nodes[2]"
    assert "node 'silence' is a dead end" in problem.message
    assert "mark it as an ending" in problem.message


def test_loop_without_exit_names_each_node_in_it() -> None:
    problems = problems_of("loop-without-exit.yaml")
    assert [p.field for p in problems] == ["conversation.nodes[2]", "conversation.nodes[3]"]
    assert "node 'round' is in a loop with no way out" in problems[0].message
    assert "node 'again' is in a loop with no way out" in problems[1].message


def test_bad_deficit_plan_points_at_the_plan_line_in_the_file() -> None:
    problems = problems_of("bad-deficit-plan.yaml")
    first = problems[0]
    assert first.field == "deficit_plan"
    assert (first.line, first.column) == (25, 7)  # the line in the YAML file
    assert "line 3 of the plan: This action step has no owner." in first.message
    assert "'- monitor mental state'" in first.message
    lines = (FIXTURES / "bad-deficit-plan.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[first.line - 1].strip() == "- monitor mental state"


def test_duplicate_key_is_an_error() -> None:
    problem = only_problem("duplicate-key.yaml")
    assert problem.field == "title"
    assert (problem.line, problem.column) == (5, 1)
    assert "the field 'title' appears twice" in problem.message
    assert "first on line 4" in problem.message


@pytest.mark.parametrize(
    ("name", "who", "known_as"),
    [
        ("Bethany (Beth) Kowalski", "Beth Kowalski", "Beth"),  # a name in brackets
        ("Bernadette Quinn", "Bernie (Bernadette Quinn)", "Bernie"),  # the person's own view
        ("Bernadette Quinn", "Bernadette Quinn", "Bernadette"),  # else the first name
        ("Bernadette Quinn", "Bernie Q (Bernadette Quinn)", "Bernadette"),  # one word only
    ],
)
def test_known_as_is_the_name_the_person_goes_by(name: str, who: str, known_as: str) -> None:
    """One rule, from who the person is, never from what a plan about them says."""
    scenario = load_file(FIXTURES / "valid-minimal.yaml")
    views = [
        v.model_copy(update={"who": who}) if v.party == "person" else v
        for v in scenario.perspectives
    ]
    person = scenario.person.model_copy(update={"name": name})
    changed = scenario.model_copy(update={"person": person, "perspectives": views})
    assert changed.known_as == known_as


def test_every_part_of_the_studio_calls_the_person_by_the_same_name() -> None:
    from goalstudio._scenarios.preview import render_preview
    from goalstudio.exercises.discovery import goals_as_plan_text

    beth = load("beth-group-home-bus-to-mom")
    assert beth.known_as == "Beth"  # not "Bethany": she goes by Beth
    assert "In Beth's own words" in render_preview(beth)
    assert '"Take the bus to see Mom" (Beth)' in goals_as_plan_text(
        ["Take the bus to see Mom"], beth
    )


def test_id_must_match_the_file_name() -> None:
    problem = only_problem("id-mismatch.yaml")
    assert problem.field == "id"
    assert problem.line == 3
    assert "the id 'someone-else' does not match the file name 'id-mismatch'" in problem.message


def test_top_level_list_is_refused() -> None:
    problem = only_problem("not-a-mapping.yaml")
    assert "the file holds a list" in problem.message
    assert problem.line == 2


def test_empty_file_is_refused() -> None:
    problem = only_problem("empty.yaml")
    assert "the file is empty" in problem.message


def test_comments_only_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "comments.yaml"
    path.write_text("# nothing here yet\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="only comments"):
        load_file(path)


def test_non_utf8_bytes_are_located() -> None:
    problem = only_problem("not-utf8.yaml")
    assert (problem.line, problem.column) == (3, 12)
    assert "is not UTF-8 text" in problem.message


def test_file_over_one_megabyte_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"# " + b"x" * MAX_SCENARIO_BYTES + b"\n")
    with pytest.raises(ScenarioError, match="over the 1 MB limit"):
        load_file(path)


def test_missing_file_and_folder_are_explained(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="no such file"):
        load_file(tmp_path / "nope.yaml")
    with pytest.raises(ScenarioError, match="this is a folder"):
        load_file(tmp_path)


def test_error_text_lists_every_problem() -> None:
    with pytest.raises(ScenarioError) as info:
        load_file(FIXTURES / "wrong-values.yaml")
    text = str(info.value)
    assert text.splitlines()[0] == "3 problems with scenarios:"
    assert len(text.splitlines()) == 4


def test_format_field() -> None:
    assert format_field(("perspectives", 2, "what_matters")) == "perspectives[2].what_matters"
    assert format_field(("conversation", "nodes", 0, "choices", 1)) == (
        "conversation.nodes[0].choices[1]"
    )
    assert format_field(()) == ""


# ------------------------------------------------------------------------------------------
# validate_paths


def test_validate_a_folder_reports_every_broken_fixture() -> None:
    problems = validate_paths([FIXTURES])
    broken = {Path(p.path).name for p in problems}
    expected = {p.name for p in FIXTURES.glob("*.yaml")} - VALID_FIXTURES
    assert broken == expected


def test_validate_good_paths_gives_no_problems(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "valid-minimal.yaml", tmp_path / "valid-minimal.yaml")
    assert validate_paths([tmp_path]) == []
    assert validate_paths([FIXTURES / "valid-minimal.yaml"]) == []
    assert validate_paths([]) == []


def test_validate_reports_missing_paths_and_empty_folders(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    problems = validate_paths([tmp_path / "ghost.yaml", empty])
    assert [p.path for p in problems] == [str(tmp_path / "ghost.yaml"), str(empty)]
    assert "no such file or folder" in problems[0].message
    assert "no scenario files" in problems[1].message


def test_validate_finds_duplicates_among_given_folders(tmp_path: Path) -> None:
    copy_fixture("valid-minimal.yaml", tmp_path / "one")
    copy_fixture("valid-minimal.yaml", tmp_path / "two")
    problems = validate_paths([tmp_path / "one", tmp_path / "two"])
    assert len(problems) == 1
    assert "used twice" in problems[0].message


# ------------------------------------------------------------------------------------------
# The command line, in-process


def test_cli_list_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenarios", "list"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert len(lines) == N_BUILTIN + 1
    assert [line.split()[0] for line in lines[:-1]] == sorted(BUILTIN_IDS)
    bernie = next(line for line in lines if line.startswith("bernie-cmht-allotment "))
    assert bernie.split()[1:3] == ["en-GB", "community_mental_health"]
    assert "Bernie wants her tablets, and her allotment, back" in bernie
    assert lines[-1] == f"{N_BUILTIN} scenarios."


def test_cli_list_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenarios", "list", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["id"] for d in data] == sorted(BUILTIN_IDS)
    assert set(data[0]) == {"id", "title", "locale", "setting", "tags", "path"}
    javi = next(d for d in data if d["id"] == "javi-oud-taper")
    assert javi["locale"] == "en-US"
    assert javi["setting"] == "substance_use"
    assert "medicaid" in javi["tags"]


def test_cli_list_with_a_broken_extra_folder_lists_the_rest(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # An unfinished file in a trainer's folder must not hide every other scenario.
    shutil.copy(FIXTURES / "dangling-edge.yaml", tmp_path)
    copy_fixture("valid-minimal.yaml", tmp_path, "trainer-one")
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    assert main(["scenarios", "list"]) == 1
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert [line.split()[0] for line in lines[:-1]] == sorted([*BUILTIN_IDS, "trainer-one"])
    broken = tmp_path / "dangling-edge.yaml"
    assert "Left out of the list (1 file with problems):" in captured.err
    assert f"{broken}: 1 problem. See them with: goalstudio scenarios validate {broken}" in (
        captured.err
    )
    assert "Traceback" not in captured.err
    assert main(["scenarios", "list", "--format", "json"]) == 1
    ids = [d["id"] for d in json.loads(capsys.readouterr().out)]
    assert "trainer-one" in ids and "dangling-edge" not in ids
    with pytest.raises(ScenarioError, match="leads to 'goodbye'"):
        list_scenarios()  # the library function still refuses a broken set


def test_cli_validate_all_known(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenarios", "validate"]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == f"{N_BUILTIN} scenarios valid."
    assert captured.err == ""


def test_cli_validate_includes_the_environment_folders(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy_fixture("valid-minimal.yaml", tmp_path)
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    assert main(["scenarios", "validate"]) == 0
    assert capsys.readouterr().out.strip() == f"{N_BUILTIN + 1} scenarios valid."
    shutil.copy(FIXTURES / "unreachable-node.yaml", tmp_path)
    assert main(["scenarios", "validate"]) == 1
    assert "node 'orphan' can never be reached" in capsys.readouterr().err


def test_cli_validate_lists_every_problem_and_exits_1(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(
        [
            "scenarios",
            "validate",
            str(FIXTURES / "wrong-values.yaml"),
            str(FIXTURES / "yaml-syntax-error.yaml"),
            str(FIXTURES / "valid-minimal.yaml"),
        ]
    )
    assert code == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    err = captured.err.splitlines()
    assert err[0] == "4 problems to fix:"
    assert any("field person.age" in line for line in err)
    assert any("field perspectives[2].what_matters" in line for line in err)
    assert any("yaml-syntax-error.yaml, line 4, column 18" in line for line in err)
    assert "Traceback" not in captured.err


def test_cli_validate_a_folder(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenarios", "validate", str(FIXTURES)]) == 1
    err = capsys.readouterr().err
    for name in ("dead-end.yaml", "duplicate-key.yaml", "not-utf8.yaml", "empty.yaml"):
        assert name in err
    assert "valid-minimal.yaml" not in err


def test_cli_validate_good_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenarios", "validate", str(FIXTURES / "valid-minimal.yaml")]) == 0
    assert capsys.readouterr().out.strip() == "1 scenario valid."


def test_cli_scenarios_without_action_shows_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenarios"]) == 1
    err = capsys.readouterr().err
    assert "list" in err and "validate" in err


def test_scenarios_package_all_is_pinned() -> None:
    assert scenarios.__all__ == [
        "ENV_VAR",
        "ScenarioError",
        "ScenarioProblem",
        "ScenarioSummary",
        "case_choices",
        "case_locales",
        "case_tags",
        "extra_folders",
        "list_scenarios",
        "load",
        "load_file",
        "openable_cases",
        "validate_paths",
    ]


def test_goalstudio_exports_the_scenario_api() -> None:
    for name in (
        "ScenarioError",
        "ScenarioProblem",
        "ScenarioSummary",
        "list_scenarios",
        "load_scenario",
    ):
        assert name in goalstudio.__all__
        assert getattr(goalstudio, name) is not None


def test_validate_path_reports_an_id_already_used_by_a_builtin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    builtin = BUILTIN_DIR / "javi-oud-taper.yaml"
    copy = tmp_path / "javi-oud-taper.yaml"
    shutil.copy(builtin, copy)
    (problem,) = validate_paths([copy])
    assert problem.path == str(copy)
    assert problem.field == "id"
    assert "the id 'javi-oud-taper' is already used by" in problem.message
    assert str(builtin) in problem.message
    # Checking the built-in file itself is not a clash with itself.
    assert validate_paths([builtin]) == []
    assert main(["scenarios", "validate", str(copy)]) == 1
    assert "already used by" in capsys.readouterr().err


# ------------------------------------------------------------------------------------------
# Rubric checks in validate: the model rewrite (errors) and the deficit-led plan (warning)


def test_a_model_rewrite_that_fails_the_rubric_is_an_error_on_the_plan_line() -> None:
    path = FIXTURES / "model-rewrite-fails-rubric.yaml"
    load_file(path)  # it loads: the rubric is a check of validate, not of loading
    problems = validate_paths([path])
    assert problems and all(p.severity == "error" for p in problems)
    assert all(p.field == "model_rewrite" for p in problems)
    lines = path.read_text(encoding="utf-8").splitlines()
    criteria = [p for p in problems if "must meet all five criteria" in p.message]
    titles = {
        t
        for p in criteria
        for t in ("Outcomes, not just outputs", "The person's own words")
        if t in p.message
    }
    assert titles == {"Outcomes, not just outputs", "The person's own words"}
    for problem in criteria:
        assert problem.line is not None
        assert lines[problem.line - 1].strip() == "Goal: Reduce social isolation"
        assert "plan line 1" in problem.message
    language = [p for p in problems if "no language findings" in p.message]
    compliant = next(p for p in language if "'compliant with medication'" in p.message)
    assert compliant.line is not None and compliant.column is not None
    assert lines[compliant.line - 1][compliant.column - 1 :].startswith("compliant with medication")
    assert "Consider:" in compliant.message
    assert [p.line for p in problems] == sorted(p.line or 0 for p in problems)


def test_a_deficit_plan_that_is_not_deficit_led_enough_is_a_warning() -> None:
    path = FIXTURES / "deficit-plan-too-good.yaml"
    (problem,) = validate_paths([path])
    assert problem.severity == "warning" and problem.is_warning
    assert problem.field == "deficit_plan"
    assert problem.line == 22
    assert "not deficit-led enough to teach from" in problem.message
    assert "finds 0 of the 5 criteria not met or partly met" in problem.message
    assert "'The person's own words'" in problem.message
    assert str(problem).startswith(f"{path}, line 22, column 1, field deficit_plan: warning: ")


def test_rubric_checks_can_be_left_out() -> None:
    assert validate_paths([FIXTURES / "model-rewrite-fails-rubric.yaml"], rubric=False) == []


def test_cli_validate_warnings_pass_unless_strict(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(FIXTURES / "deficit-plan-too-good.yaml")
    assert main(["scenarios", "validate", path]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == "1 scenario valid, with 1 warning."
    assert "1 warning (the scenario works, but will teach less well):" in captured.err
    assert main(["scenarios", "validate", "--strict", path]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Warnings count as problems with --strict." in captured.err


def test_cli_validate_reports_errors_and_warnings_apart(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(
        [
            "scenarios",
            "validate",
            str(FIXTURES / "deficit-plan-too-good.yaml"),
            str(FIXTURES / "model-rewrite-fails-rubric.yaml"),
        ]
    )
    assert code == 1
    err = capsys.readouterr().err.splitlines()
    warn_at = err.index("1 warning (the scenario works, but will teach less well):")
    assert err[0].endswith("problems to fix:")
    assert all("model-rewrite-fails-rubric.yaml" in line for line in err[1:warn_at])
    assert "deficit-plan-too-good.yaml" in err[warn_at + 1]


def test_builtin_scenarios_pass_validate_strictly(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenarios", "validate", "--strict", str(BUILTIN_DIR)]) == 0
    assert capsys.readouterr().out.strip() == f"{N_BUILTIN} scenarios valid."


# ------------------------------------------------------------------------------------------
# Choosing scenarios for a workshop: list --tag --locale


def _listed(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, object]]:
    assert main(["scenarios", "list", "--format", "json", *args]) == 0
    data: list[dict[str, object]] = json.loads(capsys.readouterr().out)
    return data


def test_list_filters_by_tag_and_locale(capsys: pytest.CaptureFixture[str]) -> None:
    everything = _listed(capsys)
    for tag, locale in [("risk", "en-US"), ("carers", "en-GB")]:
        chosen = _listed(capsys, "--tag", tag, "--locale", locale)
        expected = [
            d["id"]
            for d in everything
            if tag in d["tags"] and d["locale"] == locale  # type: ignore[operator]
        ]
        assert expected, f"no built-in scenario is tagged {tag} in {locale}"
        assert [d["id"] for d in chosen] == expected


def test_repeated_tags_must_all_match(capsys: pytest.CaptureFixture[str]) -> None:
    everything = _listed(capsys)
    both = _listed(capsys, "--tag", "carers", "--tag", "culture")
    carers = _listed(capsys, "--tag", "CARERS")  # tags match in any case
    expected = {d["id"] for d in everything if {"carers", "culture"} <= set(d["tags"])}  # type: ignore[arg-type]
    assert {d["id"] for d in both} == expected
    assert 0 < len(both) < len(carers) < len(everything)


def test_list_text_filtered_and_no_match(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenarios", "list", "--locale", "en-GB"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert all(line.split()[1] == "en-GB" for line in lines[:-1])
    assert lines[-1] == f"{len(lines) - 1} scenarios."
    assert main(["scenarios", "list", "--tag", "no-such-tag"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "No scenarios match. Tags in use:" in captured.err
    assert "risk" in captured.err


def test_list_refuses_an_unknown_locale(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenarios", "list", "--locale", "en-AU"]) == 1
    assert "invalid choice: 'en-AU'" in capsys.readouterr().err


# ------------------------------------------------------------------------------------------
# Preview pages (the browser test is in tests/browser/)


def test_preview_page_is_self_contained_and_complete(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bernie.html"
    assert main(["scenarios", "preview", "bernie-cmht-allotment", "--out", str(out)]) == 0
    assert f"Wrote {out}." in capsys.readouterr().out
    page = out.read_text(encoding="utf-8")
    scenario = load("bernie-cmht-allotment")
    assert page.startswith("<!doctype html>")
    assert '<html lang="en-GB">' in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    # Nothing is fetched: no external URLs in src/href, no link or img elements.
    assert not re.search(r"""(?:src|href)=["'](?:https?:)?//""", page)
    assert "<link" not in page and "<img" not in page and "<iframe" not in page
    for text in (
        scenario.person.history.split(".")[0],
        "Before: the deficit-led plan",
        "After: the model rewrite",
        "Family and carers",
        "The agency",
        scenario.risk_items[0].risk,
        scenario.facilitator_notes.discussion_questions[0],
    ):
        assert escape(text) in page, text
    assert '<svg class="map" role="img"' in page
    # Every conversation node is in the map and the text list.
    for node in scenario.conversation.nodes:
        assert f'data-node="{node.id}"' in page
        assert f'id="node-{node.id}"' in page


def test_preview_escapes_every_piece_of_text(tmp_path: Path) -> None:
    from goalstudio._scenarios.preview import render_preview

    scenario = load_file(FIXTURES / "valid-minimal.yaml")
    hostile = '<script>alert("x")</script> & </script><img src=x onerror=alert(1)>'
    conv = scenario.conversation.model_copy(
        update={
            "nodes": [
                scenario.conversation.nodes[0].model_copy(update={"says": hostile}),
                scenario.conversation.nodes[1],
            ]
        }
    )
    tricky = scenario.model_copy(
        update={
            "title": hostile,
            "person": scenario.person.model_copy(update={"history": hostile}),
            "tags": [hostile],
            "conversation": conv,
        }
    )
    page = render_preview(tricky)
    assert "<img" not in page
    assert page.count("<script") == 2  # the JSON data and the walk-through, nothing else
    assert escape(hostile) in page
    # Inside the JSON block, '<' is written as \u003c so it cannot close the element.
    data = page.split('id="conversation-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data and "\\u003cscript" in data


def test_preview_of_a_file_and_of_unknown_ids(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "p.html"
    assert (
        main(["scenarios", "preview", str(FIXTURES / "valid-minimal.yaml"), "--out", str(out)]) == 0
    )
    assert "Sam Rivers" in out.read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["scenarios", "preview", "javi-oud-tapper", "--out", str(out)]) == 1
    assert "Did you mean 'javi-oud-taper'?" in capsys.readouterr().err
    assert main(["scenarios", "preview", str(FIXTURES / "dead-end.yaml"), "--out", str(out)]) == 1
    assert "node 'silence' is a dead end" in capsys.readouterr().err
    assert main(["scenarios", "preview", "javi-oud-taper", "--out", str(tmp_path)]) == 1
    assert "this is a folder" in capsys.readouterr().err
