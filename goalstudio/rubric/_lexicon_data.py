"""The lexicon's data: entries, categories, errors, and reading the YAML files.

The lexicon is data: ``goalstudio/rubric/lexicon/*.yaml``. Each entry names a phrase that can
hurt or shut people out, its variants, why it harms, two or more alternatives, and the contexts
in which it is fine. ``_lexicon_patterns`` turns the written forms into one regular expression and
``_lexicon`` finds and explains matches.

Writing entries (for trainers editing the YAML)
-----------------------------------------------
- ``phrase`` and ``variants``: write each form as people write it. ``addict(s)`` also means
  "addicts"; ``relapse(d|s)`` means relapse, relapsed and relapses. Case does not matter, curly
  and straight apostrophes are the same, and a hyphen matches a space ("non-compliant" also finds
  "non compliant"; after a prefix such as non-, co- or self- it also finds "noncompliant").
  UK and US spellings (behaviour/behavior, -ise/-ize, judgement/judgment) are added for you.
- ``exceptions``: phrases in which the match is fine. Write the whole phrase including the
  entry's own words: ``clean {flat|house|clothes}``; ``{domestic|child} abuse``. ``{a|b}`` is a
  choice of words and ``*`` stands for any one word. An exception that does not contain the
  phrase is an error, so typos are caught when the lexicon loads.
- ``case_sensitive: true`` for abbreviations ("DNA"): capitals in the written form must be
  capitals in the text.
- ``fine_when`` and ``gentle_when``: context rules, read from the sentence around the match.
  ``capitalised``: a word of the match is written with a capital where a sentence does not
  start (a capital names the community's own culture: "the Deaf club", "school for the Deaf").
  ``chosen``: the sentence names the phrase as the person's own choice ("she chose
  medication-assisted treatment", "his choice"), and no member of staff is the one choosing.
  ``first_person``: the sentence is in the person's own voice ("I", "my"). Under ``fine_when``
  the match is not reported; under ``gentle_when`` it is reported as an info note at most.
- ``locale_alternatives``: alternatives that replace ``alternatives`` in one locale (no "British
  Sign Language" in a US plan). In en-US, UK spellings in alternatives are made US ones.
- For every entry, a phrase that is the whole of a quotation (Not "non-compliant") is a word
  mentioned rather than used, and is reported as an info note at most.
- Each ``alternatives`` list needs two or more entries, and none of them may be flagged by the
  lexicon itself (a test checks this).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from goalstudio._vocabulary import LocaleCode
from goalstudio.rubric._lexicon_patterns import check_groups, expand_groups, us_spelling

LEXICON_DIR = Path(__file__).resolve().parent / "lexicon"

Category = Literal[
    "deficit_label",
    "stigmatising",
    "compliance",
    "service_jargon",
    "substance_use",
    "suicide",
    "paternalistic",
    "clinical_label",
    "system_outcome",
    "credibility",
    "disability",
]
CATEGORIES: tuple[str, ...] = get_args(Category)
EntryLocale = Literal["any", LocaleCode]
Severity = Literal["info", "warning"]
ContextRule = Literal["capitalised", "chosen", "first_person"]

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_TEACHES = re.compile(r"^\d\d-[a-z0-9-]+(?:#[a-z0-9-]+)?$")
_YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # C parser when present


class LexiconError(ValueError):
    """A lexicon file cannot be used. The message names the file, the entry and the fix."""


class LexiconEntry(BaseModel):
    """One phrase to reconsider, with why it harms and what to say instead."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(description="stable identifier, lower case with hyphens")
    phrase: str = Field(description="the phrase as a learner would recognise it")
    variants: list[str] = Field(
        default_factory=list,
        description="other forms; 'addict(s)' also means 'addicts', 'relapse(d|s)' three forms",
    )
    category: Category
    why: str = Field(min_length=20, description="plain language: why the phrase can harm")
    alternatives: list[str] = Field(min_length=2)
    acceptable_contexts: list[str] = Field(default_factory=list)
    exceptions: list[str] = Field(
        default_factory=list,
        description=(
            "phrases around the match that make it fine, e.g. 'clean {flat|house}'. "
            "{a|b} is a choice of words, * is any one word"
        ),
    )
    locale: EntryLocale = "any"
    severity: Severity = "warning"
    teaches: str = "03-from-deficits-to-outcomes#language"
    case_sensitive: bool = Field(
        default=False, description="match only as written (for abbreviations such as DNA)"
    )
    fine_when: list[ContextRule] = Field(
        default_factory=list, description="sentence contexts in which the match is fine"
    )
    gentle_when: list[ContextRule] = Field(
        default_factory=list, description="sentence contexts in which it is an info note at most"
    )
    locale_alternatives: dict[LocaleCode, list[str]] = Field(
        default_factory=dict, description="alternatives that replace 'alternatives' in a locale"
    )

    @field_validator("locale_alternatives")
    @classmethod
    def _check_locale_alternatives(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for locale, alternatives in value.items():
            if len(alternatives) < 2:
                raise ValueError(f"{locale}: list two or more alternatives")
            if any(not alt.strip() for alt in alternatives):
                raise ValueError(f"{locale}: an alternative must not be blank")
        return {k: [alt.strip() for alt in v] for k, v in value.items()}

    def for_locale(self, locale: str) -> LexiconEntry:
        """This entry as a plan in ``locale`` sees it: its alternatives for that locale, and in
        en-US with US spellings ("behavior" rather than "behaviour")."""
        alternatives = list(self.locale_alternatives.get(locale) or self.alternatives)  # type: ignore[call-overload]
        if locale == "en-US":
            alternatives = [us_spelling(alt) for alt in alternatives]
        if alternatives == self.alternatives:
            return self
        return self.model_copy(update={"alternatives": alternatives})

    @field_validator("id")
    @classmethod
    def _check_id(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError("use lower-case letters, digits, '-' or '_' (e.g. 'non-compliant')")
        return value

    @field_validator("teaches")
    @classmethod
    def _check_teaches(cls, value: str) -> str:
        if not _TEACHES.match(value):
            raise ValueError(
                "point at a course module, e.g. '03-from-deficits-to-outcomes#language'"
            )
        return value

    @field_validator("phrase", "why")
    @classmethod
    def _non_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()

    @field_validator("phrase")
    @classmethod
    def _check_phrase(cls, value: str) -> str:
        check_groups(value)
        return value

    @field_validator("variants")
    @classmethod
    def _check_variants(cls, value: list[str]) -> list[str]:
        for form in value:
            if not form.strip():
                raise ValueError("a variant must not be blank")
            check_groups(form)
        return [form.strip() for form in value]

    @field_validator("exceptions")
    @classmethod
    def _check_exceptions(cls, value: list[str]) -> list[str]:
        for text in value:
            depth = 0
            for ch in text:
                depth += {"{": 1, "}": -1}.get(ch, 0)
                if depth not in (0, 1):
                    raise ValueError(f"exception {text!r}: braces must not nest or close early")
            if depth:
                raise ValueError(f"exception {text!r}: a '{{' is not closed with '}}'")
            if not text.strip():
                raise ValueError("an exception must not be blank")
        return value

    @field_validator("alternatives")
    @classmethod
    def _check_alternatives(cls, value: list[str]) -> list[str]:
        cleaned = [alt.strip() for alt in value]
        if any(not alt for alt in cleaned):
            raise ValueError("an alternative must not be blank")
        if len(set(cleaned)) != len(cleaned):
            raise ValueError("alternatives repeat; list each one once")
        return cleaned

    def forms(self) -> list[str]:
        """Every written form: the phrase, then the variants with ``(a|b)`` groups expanded."""
        out: list[str] = []
        for form in [self.phrase, *self.variants]:
            for expanded in expand_groups(form):
                if expanded not in out:
                    out.append(expanded)
        return out


@dataclass(frozen=True, order=True)
class TermMatch:
    """One lexicon phrase found in a text: character offsets into the original text."""

    start: int
    end: int
    matched_text: str = field(compare=False)
    entry: LexiconEntry = field(compare=False)
    severity: Severity = field(default="warning", compare=False)
    # Why a context rule made this an info note ("the person's own words"), else "".
    softened: str = field(default="", compare=False)

    @property
    def phrase(self) -> str:
        """The words as written in the text (never rewritten)."""
        return self.matched_text


class _LexiconFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    schema_version: Literal[1]
    entries: list[dict[str, Any]] = Field(default_factory=list)


def _format_validation(error: ValidationError) -> str:
    problems = []
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"]) or "entry"
        problems.append(f"field '{where}': {item['msg']}")
    return "; ".join(problems)


def read_lexicon_file(path: Path) -> list[LexiconEntry]:
    """The entries of one lexicon YAML file; ``LexiconError`` names the file, entry and fix."""
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    except OSError as exc:
        raise LexiconError(f"{path}: cannot be read ({exc.strerror}).") from None
    except UnicodeDecodeError:
        raise LexiconError(f"{path}: is not UTF-8 text; save it as UTF-8.") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise LexiconError(
            f"{path}: is not valid YAML{where}; check the indentation and quotes."
        ) from None
    if not isinstance(raw, dict):
        raise LexiconError(f"{path}: expected 'schema_version: 1' and a list of 'entries'.")
    try:
        data = _LexiconFile.model_validate(raw)
    except ValidationError as exc:
        raise LexiconError(f"{path}: {_format_validation(exc)}") from None
    entries = []
    for number, item in enumerate(data.entries, start=1):
        name = item.get("id", "?") if isinstance(item, dict) else "?"
        try:
            entries.append(LexiconEntry.model_validate(item))
        except ValidationError as exc:
            raise LexiconError(
                f"{path}: entry {number} (id '{name}'): {_format_validation(exc)}"
            ) from None
    return entries
