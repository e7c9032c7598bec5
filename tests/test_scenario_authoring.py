"""Authoring for peer trainers: `goalstudio scenarios new` and the template it writes.

The template must explain every field, refuse to be used unfilled (each TODO is reported with
its line), and validate once it is filled in, rubric checks included.
"""

from __future__ import annotations

import textwrap
import typing
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from goalstudio import Scenario
from goalstudio._scenarios import (
    ENV_VAR,
    PLACEHOLDER,
    ScenarioError,
    format_field,
    load_file,
    validate_paths,
)
from goalstudio.cli import main
from goalstudio.cli._scenarios import template

FIXTURES = Path(__file__).parent / "fixtures" / "scenarios"


@pytest.fixture(autouse=True)
def _no_extra_folders(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)


def new_scenario(tmp_path: Path, scenario_id: str = "femi-home") -> Path:
    assert main(["scenarios", "new", scenario_id, "--out", str(tmp_path)]) == 0
    return tmp_path / f"{scenario_id}.yaml"


# ------------------------------------------------------------------------------------------
# The command


def test_new_writes_the_template_and_says_what_to_do_next(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = new_scenario(tmp_path / "my-scenarios")  # the folder is made if needed
    out = capsys.readouterr().out
    assert f"Wrote {path}." in out
    assert f"goalstudio scenarios validate {path}" in out
    text = path.read_text(encoding="utf-8")
    assert "\nid: femi-home\n" in text
    assert f"goalstudio scenarios validate {path}" in text
    assert "goalstudio scenarios guide" in text
    assert "goalstudio scenarios guide" in out


def test_the_guide_ships_with_the_package(capsys: pytest.CaptureFixture[str]) -> None:
    """`scenarios new` points to the guide; a pip install has no docs/ folder, so the guide is
    package data and `goalstudio scenarios guide` prints it."""
    from goalstudio.cli._scenarios import guide_file

    assert guide_file().is_file()
    assert main(["scenarios", "guide"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# ") and "validate --strict" in out
    assert main(["scenarios", "guide", "--format", "--path"]) == 0
    assert capsys.readouterr().out.strip().endswith("scenario-format.md")


def test_new_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "femi-home.yaml"
    path.write_text("my work\n", encoding="utf-8")
    assert main(["scenarios", "new", "femi-home", "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert f"{path} already exists" in err
    assert "never overwrites" in err
    assert path.read_text(encoding="utf-8") == "my work\n"
    # A .yml file with the same id is the same scenario.
    (tmp_path / "other.yml").write_text("mine\n", encoding="utf-8")
    assert main(["scenarios", "new", "other", "--out", str(tmp_path)]) == 1
    assert not (tmp_path / "other.yaml").exists()


@pytest.mark.parametrize("bad", ["Femi_Home", "femi home", "femi!", "f", "../escape", "x" * 65])
def test_new_refuses_a_bad_id(bad: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenarios", "new", bad, "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert f"'{bad}' cannot be used as a scenario id" in err
    assert "lower-case letters, digits and hyphens" in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_new_accepts_a_file_name_and_refuses_a_file_as_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["scenarios", "new", "femi-home.yaml", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "femi-home.yaml").is_file()
    assert main(["scenarios", "new", "other", "--out", str(tmp_path / "femi-home.yaml")]) == 1
    assert "this is a file, not a folder" in capsys.readouterr().err


# ------------------------------------------------------------------------------------------
# The template


def _field_names(model: type[BaseModel]) -> set[str]:
    names: set[str] = set()
    for name, info in model.model_fields.items():
        names.add(name)
        for inner in (info.annotation, *typing.get_args(info.annotation)):
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                names |= _field_names(inner)
    return names


def test_template_mentions_every_field_of_the_format() -> None:
    text = template("femi-home", "femi-home.yaml")
    missing = sorted(n for n in _field_names(Scenario) if f"{n}:" not in text)
    assert not missing, f"the template does not explain: {missing}"


def test_every_template_line_fits_a_narrow_editor() -> None:
    for number, line in enumerate(template("femi-home", "x").splitlines(), 1):
        assert len(line) <= 100, f"line {number} is {len(line)} characters"


def test_an_unfilled_template_lists_each_todo_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = new_scenario(tmp_path)
    with pytest.raises(ScenarioError) as info:
        load_file(path)
    problems = info.value.problems
    lines = path.read_text(encoding="utf-8").splitlines()
    todo_lines = [
        n
        for n, line in enumerate(lines, 1)
        if PLACEHOLDER in line and not line.lstrip().startswith("#")
    ]
    assert [p.line for p in problems] == todo_lines
    assert all(p.message.startswith("still to fill in:") for p in problems)
    by_field = {p.field for p in problems}
    assert {"title", "locale", "person.age", "deficit_plan", "model_rewrite"} <= by_field
    # Each plan line that still holds a TODO is reported on its own file line.
    plan = [p for p in problems if p.field == "model_rewrite"]
    assert len(plan) > 5
    for problem in plan:
        assert problem.line is not None and problem.column is not None
        assert lines[problem.line - 1][problem.column - 1 :].startswith(PLACEHOLDER)
    # No second, confusing message for the same unfinished field (e.g. 'not a whole number').
    assert not any("this should be a whole number" in p.message for p in problems)
    assert main(["scenarios", "validate", str(path)]) == 1
    assert f"{len(problems)} problems to fix:" in capsys.readouterr().err


# A filled-in template: each TODO replaced, the way an author would, using the two plans of
# the worked example in the guide (so the guide's example is checked too).
GUIDE = Path(__file__).resolve().parent.parent / "docs" / "writing-scenarios.md"


def guide_block(field: str) -> str:
    """The plan text of ``field: |`` in the guide's worked example."""
    text = GUIDE.read_text(encoding="utf-8")
    block = text.split(f"```\n{field}: |\n", 1)[1].split("```", 1)[0]
    return textwrap.dedent(block)


PERSON_PLAN = guide_block("deficit_plan")
MODEL_PLAN = guide_block("model_rewrite")
FILL: dict[str, Any] = {
    "title": "Femi wants to cook for his daughter again",
    "locale": "en-GB",
    "setting.kind": "community_mental_health",
    "person.name": "Femi Adeyinka",
    "person.age": 41,
    "person.pronouns": "he/him",
    "perspectives[1].who": "Grace, Femi's sister",
    "person.in_their_words": "I want Ada to eat my jollof rice on a Sunday, like she used to.",
    "deficit_plan": PERSON_PLAN,
    "model_rewrite": MODEL_PLAN,
    "facilitator_notes.minutes": 40,
}


def _fill(value: Any, loc: tuple[str | int, ...] = ()) -> Any:
    if isinstance(value, dict):
        return {k: _fill(v, (*loc, k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, (*loc, i)) for i, v in enumerate(value)]
    if isinstance(value, str) and PLACEHOLDER in value:
        field = format_field(loc)
        if field in FILL:
            return FILL[field]
        if field.startswith("tags"):
            return ["community-mental-health", "risk"][int(field[-2])]
        return f"Fictional words for {field}."
    return value


def test_the_template_once_filled_in_validates(tmp_path: Path) -> None:
    path = new_scenario(tmp_path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    filled = _fill(data)
    path.write_text(yaml.safe_dump(filled, sort_keys=False, allow_unicode=True), encoding="utf-8")
    assert validate_paths([path]) == []
    scenario = load_file(path)
    assert scenario.id == "femi-home"
    assert [n.id for n in scenario.conversation.nodes] == ["opening", "end_shared", "end_breakdown"]


def test_the_trial_scenario_written_from_the_guide_validates(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The scenario written, as a new author, only from docs/writing-scenarios.md."""
    path = FIXTURES / "authoring-trial.yaml"
    assert validate_paths([path]) == []
    assert main(["scenarios", "validate", str(path)]) == 0
    assert capsys.readouterr().out.strip() == "1 scenario valid."


def test_strict_holds_a_scenario_to_the_library_standard(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The trial scenario is valid, but its four-node conversation (no partial ending, no mixed
    reply, no repair) is short of the library standard, and --strict says so, point by point."""
    path = FIXTURES / "authoring-trial.yaml"
    assert main(["scenarios", "validate", "--strict", str(path)]) == 1
    err = capsys.readouterr().err
    assert "the conversation has 4 nodes; the library standard is at least 12" in err
    assert "no 'partial' ending" in err and "no mixed reply" in err
    assert "no poor reply can be repaired" in err
    assert f"{path}, line " in err  # each problem names the file and the line


def test_the_guide_lists_exactly_what_strict_checks() -> None:
    from goalstudio._scenarios import STANDARD
    from goalstudio.cli._scenarios import guide_file

    guide = " ".join(guide_file().read_text(encoding="utf-8").split())
    for rule in STANDARD:
        assert f"- {rule}" in guide, rule


def test_curly_quotes_from_an_editor_are_explained(tmp_path: Path) -> None:
    text = (FIXTURES / "authoring-trial.yaml").read_text(encoding="utf-8")
    text = text.replace("id: authoring-trial", "id: curly").replace(
        'title: "Ruth wants her alto part back"', "title: \u201cRuth: her alto part\u201d"
    )
    path = tmp_path / "curly.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_file(path)
    (problem,) = info.value.problems
    assert "mapping values are not allowed here" in problem.message
    assert "curly quotes" in problem.message
    assert "Turn off 'smart quotes'" in problem.message


def test_validate_explains_todos_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = new_scenario(tmp_path)
    capsys.readouterr()
    assert main(["scenarios", "validate", str(path)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[-1] == (
        "All of these are TODOs from the template: replace each TODO and the hint after it "
        "with your own words."
    )
    assert sum("replace each TODO" in line for line in err) == 1
