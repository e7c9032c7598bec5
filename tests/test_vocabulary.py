"""One vocabulary: the shared words and every environment variable's name are defined once."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import goalstudio
from goalstudio import _environment, _vocabulary, environment, rubric

REPO = Path(__file__).resolve().parents[1]
NAME = re.compile(r"GOALSTUDIO_[A-Z_]+")
# grading/_sandbox.py runs as `python -S` before the studio loads (tests/test_grading_sandbox.py
# pins its four names equal to these).
MAY_SPELL_NAMES = {
    REPO / "goalstudio" / "_environment.py",
    REPO / "grading" / "_sandbox.py",
}


def test_the_public_names_are_the_vocabularys_own() -> None:
    assert rubric.CRITERIA is _vocabulary.CRITERIA
    assert rubric.VERDICTS is _vocabulary.VERDICTS
    assert rubric.VERDICT_SCORES is _vocabulary.VERDICT_SCORES
    assert rubric.VERDICT_WORDS is _vocabulary.VERDICT_WORDS
    assert goalstudio.LOCALES is _vocabulary.LOCALES
    assert environment is _environment


def test_every_verdict_has_its_words_and_its_score() -> None:
    assert set(_vocabulary.VERDICT_WORDS) == set(_vocabulary.VERDICTS)
    assert set(_vocabulary.VERDICT_SCORES) == set(_vocabulary.VERDICTS)
    assert set(_vocabulary.CRITERIA) <= set(_vocabulary.CRITERION_TITLES)
    assert set(_vocabulary.CRITERION_SHORT_TITLES) == set(_vocabulary.CRITERIA)
    assert set(_vocabulary.LOCALES) == {goalstudio.get_locale(c).code for c in _vocabulary.LOCALES}


def test_each_environment_variable_is_named_once() -> None:
    names = [v for k, v in vars(_environment).items() if k.endswith("_ENV")]
    assert len(names) == len(set(names)) and all(NAME.fullmatch(n) for n in names)
    spelled = []
    for folder in ("goalstudio", "widgets", "grading", "benchmarks", "deploy"):
        for path in sorted((REPO / folder).rglob("*.py")):
            if path in MAY_SPELL_NAMES:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                value = node.value if isinstance(node, ast.Constant) else None
                if isinstance(value, str) and NAME.fullmatch(value):
                    spelled.append(f"{path.relative_to(REPO)}:{node.lineno} {value}")
    assert spelled == [], "use goalstudio._environment (goalstudio.environment) instead"
