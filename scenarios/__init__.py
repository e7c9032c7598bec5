"""The built-in case vignettes (one YAML file each), and the functions that load them.

    >>> from goalstudio import scenarios
    >>> scenario = scenarios.load("amira-cmht")          # doctest: +SKIP
    >>> [s.id for s in scenarios.list_scenarios()]       # doctest: +SKIP

Extra folders of scenarios come from the ``GOALSTUDIO_SCENARIOS_PATH`` setting. The cases a
learner can open in an exercise (``case_choices``, ``case_tags``) are the ones that load.
"""

from goalstudio._scenarios import (
    ENV_VAR,
    ScenarioError,
    ScenarioProblem,
    ScenarioSummary,
    extra_folders,
    list_scenarios,
    load,
    load_file,
    validate_paths,
)
from goalstudio._scenarios.cases import case_choices, case_locales, case_tags, openable_cases

__all__ = [
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
