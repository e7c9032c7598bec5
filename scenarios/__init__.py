"""The built-in case vignettes (one YAML file each), and the functions that load them.

    >>> from goalstudio import scenarios
    >>> scenario = scenarios.load("amira-cmht")          # doctest: +SKIP
    >>> [s.id for s in scenarios.list_scenarios()]       # doctest: +SKIP

Extra folders of scenarios come from the ``GOALSTUDIO_SCENARIOS_PATH`` setting.
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

__all__ = [
    "ENV_VAR",
    "ScenarioError",
    "ScenarioProblem",
    "ScenarioSummary",
    "extra_folders",
    "list_scenarios",
    "load",
    "load_file",
    "validate_paths",
]
