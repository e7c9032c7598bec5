"""The pronouns a scenario gives its person, for messages that talk about them by name.

A scenario states its person's pronouns (``pronouns: she/her``). A message that names the
person ("Goal 5 is written about Samira, not in her words") uses them; without a scenario, or
with pronouns the studio cannot read, it uses singular "they".
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Pronouns:
    """Subject, object and possessive forms, and whether verbs take the plural form."""

    they: str = "they"
    them: str = "them"
    their: str = "their"
    plural_verbs: bool = True

    def verb(self, plural: str, singular: str) -> str:
        """The verb that agrees: ``verb("love", "loves")`` is "love" for they, "loves" for she."""
        return plural if self.plural_verbs else singular


THEY = Pronouns()
_KNOWN = {
    "she": Pronouns("she", "her", "her", plural_verbs=False),
    "he": Pronouns("he", "him", "his", plural_verbs=False),
    "they": THEY,
}


def pronouns_of(stated: str | None) -> Pronouns:
    """The pronouns in a scenario's ``pronouns`` field ("she/her", "he/him", "they/them").

    The first one stated leads ("she/they" reads as she); anything else reads as they.
    """
    if not stated:
        return THEY
    first = stated.replace(",", "/").split("/")[0].strip().lower()
    return _KNOWN.get(first, THEY)
