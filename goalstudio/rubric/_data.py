"""The rubric's word lists, read once from the YAML files beside this module.

Patterns are data: ``signals.yaml`` (what marks a statement as led by the service or by the
person's life), ``stock_phrases.yaml`` (wording that could sit in anyone's plan) and
``actions.yaml`` (time words, vague verbs, measures, action verbs, purpose links).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal

import yaml

from goalstudio.rubric._text import PhraseIndex, phrase_stems

Direction = Literal["system", "person", "neutral"]


class RubricDataError(ValueError):
    """A rubric data file is missing a key or has the wrong shape."""


@dataclass(frozen=True)
class SignalGroup:
    """One family of evidence, such as compliance or a life domain."""

    key: str
    direction: Direction
    weight: float
    label: str
    teaches: str


@dataclass(frozen=True)
class StockPhrase:
    """A stock phrase, its variants, and what to ask instead."""

    phrase: str
    variants: tuple[str, ...]
    ask: str


@dataclass(frozen=True)
class RubricData:
    """Everything the rules read from the data files, compiled for fast matching."""

    groups: dict[str, SignalGroup]
    signals: PhraseIndex  # key = group key, or "life:<domain>"
    stock: dict[str, StockPhrase]  # by phrase
    stock_index: PhraseIndex  # key = the stock phrase it belongs to
    time_words: PhraseIndex
    vague_words: PhraseIndex
    measure_words: PhraseIndex
    verbs: frozenset[str]  # first stems of action verbs
    verb_phrases: PhraseIndex
    purpose_words: PhraseIndex
    stopping_words: PhraseIndex  # before a life word, they turn it into a restriction


def _load(name: str) -> dict[str, Any]:
    text = resources.files("goalstudio.rubric").joinpath(name).read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(text, Loader=loader)  # a safe loader: plain data only
    if not isinstance(data, dict) or data.get("schema_version") != 1:
        raise RubricDataError(f"{name}: expected a mapping with schema_version: 1")
    return data


def _strings(name: str, field: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RubricDataError(f"{name}: '{field}' must be a list of non-blank strings")
    return [str(v) for v in value]


@functools.cache
def rubric_data() -> RubricData:
    """The compiled rubric data (read on first use, then kept)."""
    signals_file = _load("signals.yaml")
    stock_file = _load("stock_phrases.yaml")
    actions_file = _load("actions.yaml")

    groups: dict[str, SignalGroup] = {}
    entries: list[tuple[str, str]] = []
    raw_groups = signals_file.get("groups")
    if not isinstance(raw_groups, dict):
        raise RubricDataError("signals.yaml: 'groups' must be a mapping")
    for key, spec in raw_groups.items():
        if not isinstance(spec, dict):
            raise RubricDataError(f"signals.yaml: group '{key}' must be a mapping")
        direction = spec.get("direction")
        if direction not in ("system", "person", "neutral"):
            raise RubricDataError(
                f"signals.yaml: group '{key}' needs direction system, person or neutral"
            )
        groups[key] = SignalGroup(
            key=key,
            direction=direction,
            weight=float(spec.get("weight", 1.0)),
            label=str(spec.get("label", key)),
            teaches=str(spec.get("teaches", "")),
        )
        for phrase in _strings("signals.yaml", f"{key}.phrases", spec.get("phrases") or []):
            entries.append((key, phrase))
        for domain, words in (spec.get("domains") or {}).items():
            for phrase in _strings("signals.yaml", f"{key}.domains.{domain}", words):
                entries.append((f"{key}:{domain}", phrase))

    restriction = raw_groups.get("restriction") or {}
    stopping = _strings(
        "signals.yaml", "restriction.stopping_words", restriction.get("stopping_words", [])
    )

    stock: dict[str, StockPhrase] = {}
    stock_entries: list[tuple[str, str]] = []
    raw_stock = stock_file.get("phrases")
    if not isinstance(raw_stock, list):
        raise RubricDataError("stock_phrases.yaml: 'phrases' must be a list")
    for item in raw_stock:
        if not isinstance(item, dict) or not isinstance(item.get("phrase"), str):
            raise RubricDataError("stock_phrases.yaml: each entry needs a 'phrase'")
        phrase = item["phrase"]
        variants = _strings("stock_phrases.yaml", f"{phrase}.variants", item.get("variants", []))
        stock[phrase] = StockPhrase(phrase, tuple(variants), str(item.get("ask", "")))
        for text in (phrase, *variants):
            stock_entries.append((phrase, text))
            entries.append(("stock", text))

    def index(field: str) -> PhraseIndex:
        words = _strings("actions.yaml", field, actions_file.get(field))
        return PhraseIndex((field, w) for w in words)

    verbs = _strings("actions.yaml", "verbs", actions_file.get("verbs"))
    return RubricData(
        groups=groups,
        signals=PhraseIndex(entries),
        stock=stock,
        stock_index=PhraseIndex(stock_entries),
        time_words=index("time_words"),
        vague_words=index("vague_words"),
        measure_words=index("measure_words"),
        verbs=frozenset(phrase_stems(v)[0] for v in verbs if phrase_stems(v)),
        verb_phrases=PhraseIndex(("verb", v) for v in verbs),
        purpose_words=index("purpose_words"),
        stopping_words=PhraseIndex(("stop", w) for w in stopping),
    )
