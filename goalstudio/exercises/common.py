"""Small helpers the exercises share (no Jupyter here)."""

from __future__ import annotations

from goalstudio._locale import Locale


def family_party(locale: Locale) -> str:
    """The family party in the locale's words: 'Family or carer' (UK), 'Family' (US)."""
    carer = locale.carer
    return "Family" if "family" in carer.lower() else f"Family or {carer}"


def supporter_words(locale: Locale) -> str:
    """Natural supports in the locale's words, for the owner picker."""
    carer = locale.carer
    return "Family member or friend" if "family" in carer.lower() else f"Family, friend or {carer}"
