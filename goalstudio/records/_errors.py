"""The errors the records store raises. Each message names what happened, where, and what to do."""

from __future__ import annotations


class RecordStoreError(Exception):
    """Base class: something about the records store needs the user's attention."""


class RecordNotFound(RecordStoreError, KeyError):
    """No record for this key. ``.key`` holds the key, and the message names it."""

    def __init__(self, what: str, key: dict[str, str]) -> None:
        self.what = what
        self.key = dict(key)
        shown = ", ".join(f"{name}={value!r}" for name, value in key.items())
        super().__init__(f"no {what} saved yet for {shown}")

    def __str__(self) -> str:  # KeyError would wrap the message in quotes
        return str(self.args[0])


class RecordInputError(RecordStoreError, ValueError):
    """A value given to the store cannot be used as it is (the message names the field)."""


class RecordStoreUnavailable(RecordStoreError):
    """The database cannot be opened or reached (a corrupt file, a newer schema, a server down)."""


class RecordStoreCorrupt(RecordStoreUnavailable):
    """The SQLite file is damaged or is not a records database. Nothing was changed in it."""


class RecordStoreTooNew(RecordStoreUnavailable):
    """The database was written by a newer version of the studio; it is left untouched."""
