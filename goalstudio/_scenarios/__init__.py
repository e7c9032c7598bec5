"""Scenario files: reading, problems in plain words, checks, the catalogue, and the preview page.

The package is the core's own (``goalstudio.__init__`` and ``goalstudio.scenarios`` re-export
its public names); outside ``goalstudio`` use those. Inside, modules depend one way:
``_errors`` <- ``_read`` <- ``_problems`` <- ``_checks`` <- ``_catalogue``, with the ``model``
(the ``Scenario`` and its parts) under them all. ``quotes``, ``cases`` and ``preview`` build on
the catalogue and the model; ``_standard`` is the library standard ``validate --strict`` adds.
"""

from goalstudio._scenarios._catalogue import (
    ENV_VAR,
    ScenarioSummary,
    check_paths,
    extra_folders,
    list_scenarios,
    load,
    load_file,
    survey_scenarios,
    validate_paths,
)
from goalstudio._scenarios._checks import MIN_DEFICIT_CRITERIA, quotation_problems, rubric_problems
from goalstudio._scenarios._errors import ScenarioError, ScenarioProblem, Severity, format_field
from goalstudio._scenarios._problems import PLACEHOLDER
from goalstudio._scenarios._read import MAX_SCENARIO_BYTES, SUFFIXES
from goalstudio._scenarios._standard import STANDARD, library_problems

__all__ = [
    "ENV_VAR",
    "MAX_SCENARIO_BYTES",
    "MIN_DEFICIT_CRITERIA",
    "PLACEHOLDER",
    "STANDARD",
    "SUFFIXES",
    "ScenarioError",
    "ScenarioProblem",
    "ScenarioSummary",
    "Severity",
    "check_paths",
    "extra_folders",
    "format_field",
    "library_problems",
    "list_scenarios",
    "load",
    "load_file",
    "quotation_problems",
    "rubric_problems",
    "survey_scenarios",
    "validate_paths",
]
