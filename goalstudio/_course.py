"""The course manifest: the modules in order, with their files, timings, objectives and domain."""

from __future__ import annotations

from importlib import resources
from typing import Literal

import yaml
from pydantic import Field, ValidationError, field_validator

from goalstudio._model import StrictModel, _not_blank, _not_blank_items

# NCAPPS competency domains (A-E); see CONTENT.md.
Domain = Literal["A", "B", "C", "D", "E"]


class Minutes(StrictModel):
    self_study: int = Field(ge=1, le=600)
    workshop: int = Field(ge=1, le=600)


class Module(StrictModel):
    """One numbered module of the course."""

    id: str = Field(pattern=r"^\d\d$")
    title: str
    file: str = Field(pattern=r"^\d\d-[a-z0-9-]+\.ipynb$")
    minutes: Minutes
    domain: Domain
    objectives: list[str] = Field(min_length=1)
    tags: list[str] = Field(default_factory=list)

    _check_title = field_validator("title")(_not_blank)
    _check_objectives = field_validator("objectives")(_not_blank_items)


class CourseManifest(StrictModel):
    schema_version: Literal[1] = 1
    title: str
    modules: list[Module] = Field(min_length=1)


class ManifestError(ValueError):
    """The course manifest is missing or malformed."""


def load_manifest() -> CourseManifest:
    """The packaged ``course/manifest.yaml``."""
    source = resources.files("goalstudio.course").joinpath("manifest.yaml")
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
        return CourseManifest.model_validate(data)
    except FileNotFoundError:
        raise ManifestError("course/manifest.yaml is missing from the installation.") from None
    except (yaml.YAMLError, ValidationError) as exc:
        raise ManifestError(f"course/manifest.yaml is not valid: {exc}") from None


def first_module_file() -> str:
    """The notebook a new learner opens first."""
    return load_manifest().modules[0].file
