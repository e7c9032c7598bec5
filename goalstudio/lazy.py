"""Members of a package imported when first used (PEP 562), for packages whose members are heavy.

    _LAZY = {"ChartReview": "chart"}  # member -> its submodule, named within the package
    __getattr__ = lazy_members(__name__, _LAZY)

A kernel that serves one dashboard then loads that dashboard only, not every exercise. The
submodules are named inside the package, so the import walls hold (tests/test_architecture.py
checks each table).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_members(package: str, table: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that imports ``table[name]`` on first use and keeps the member."""

    def member(name: str) -> Any:
        module = table.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        setattr(sys.modules[package], name, value)  # later uses find it without this hook
        return value

    return member
