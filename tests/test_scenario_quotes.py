"""`scenarios validate` refuses a model rewrite that quotes the person saying what they never said."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from goalstudio._scenarios import ENV_VAR, list_scenarios, load, load_file, validate_paths
from goalstudio._scenarios.quotes import unrecorded_quotes
from goalstudio.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "scenarios"
GOAL_LINE = '  Goal: "I want to swim twice a week again." (Sam)'


@pytest.fixture(autouse=True)
def _no_extra_folders(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    text = (FIXTURES / "valid-minimal.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "valid-minimal.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


@pytest.mark.parametrize("scenario_id", [s.id for s in list_scenarios()])
def test_every_builtin_model_rewrite_quotes_only_what_the_person_says(scenario_id: str) -> None:
    assert unrecorded_quotes(load(scenario_id)) == []


def test_an_invented_goal_quote_is_refused_with_file_line_and_fix(tmp_path: Path) -> None:
    path = _variant(tmp_path, GOAL_LINE, '  Goal: "I want to win gold at the county gala." (Sam)')
    problems = [p for p in validate_paths([path]) if not p.is_warning]
    quoted = [p for p in problems if "never says that" in p.message]
    assert len(quoted) == 1
    problem = quoted[0]
    assert problem.path == str(path)
    line = (
        path.read_text(encoding="utf-8")
        .splitlines()
        .index('  Goal: "I want to win gold at the county gala." (Sam)')
    )
    assert (problem.line, problem.field) == (line + 1, "model_rewrite")
    assert '"I want to win gold at the county gala."' in problem.message
    assert "Quote Sam's words as Sam says them" in problem.message
    assert "take the quotation marks off" in problem.message
    assert 'The nearest thing Sam says is: "I want to swim twice a week again."' in problem.message


def test_the_cli_fails_on_an_invented_quote(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _variant(tmp_path, GOAL_LINE, '  Goal: "I never miss a Monday at the pool." (Sam)')
    assert main(["scenarios", "validate", "--strict", str(path)]) == 1
    assert "never says that in the scenario" in capsys.readouterr().err


def test_an_embellished_quote_is_refused_and_a_faithful_cut_is_not(tmp_path: Path) -> None:
    embellished = _variant(
        tmp_path,
        GOAL_LINE,
        '  Goal: "I want to swim twice a week again and win the club trophy by summer." (Sam)',
    )
    assert [p.plan_line for p in unrecorded_quotes(load_file(embellished))] == [1]
    cut = _variant(tmp_path, GOAL_LINE, '  Goal: "I want to get back to ... swimming." (Sam)')
    assert unrecorded_quotes(load_file(cut)) == []


def test_a_crisis_plan_quotation_is_checked(tmp_path: Path) -> None:
    crisis = (
        "        When: first Monday in April\n"
        '  Crisis plan: In Sam\'s words: "If I stop swimming, ring Alex." Alex has the card.\n'
    )
    path = _variant(tmp_path, "        When: first Monday in April\n", crisis)
    (found,) = unrecorded_quotes(load_file(path))
    assert (found.where, found.quote, found.plan_line) == (
        "crisis plan",
        "If I stop swimming, ring Alex.",
        7,
    )
    said = crisis.replace("If I stop swimming, ring Alex.", "I want to get back to swimming.")
    path = _variant(tmp_path, "        When: first Monday in April\n", said)
    assert unrecorded_quotes(load_file(path)) == []


def test_a_goal_in_someone_elses_words_is_theirs_to_say(tmp_path: Path) -> None:
    path = _variant(
        tmp_path, GOAL_LINE, '  Person: Sam\n  Goal: "I want Sam in the pool with me." (Alex)'
    )
    assert unrecorded_quotes(load_file(path)) == []


def test_an_unquoted_goal_is_the_plans_own_words(tmp_path: Path) -> None:
    path = _variant(tmp_path, GOAL_LINE, "  Person: Sam\n  Goal: Sam swims twice a week again")
    assert unrecorded_quotes(load_file(path)) == []


def test_a_copied_builtin_with_an_invented_quote_is_caught(tmp_path: Path) -> None:
    builtin = Path(__file__).parents[1] / "scenarios" / "bernie-cmht-allotment.yaml"
    path = tmp_path / "bernie-cmht-allotment.yaml"
    shutil.copy(builtin, path)
    text = path.read_text(encoding="utf-8")
    old = '"What I want is the plot back the way Jean kept it, her roses cut back proper and the beans in."'
    assert old in text
    path.write_text(
        text.replace(
            old, '"I want the plot back how Jean kept it, and to be up there most mornings."'
        ),
        encoding="utf-8",
    )
    (found,) = unrecorded_quotes(load_file(path))
    assert found.closest is not None and "the plot back the way Jean kept it" in found.closest
