"""Drafts: every exercise autosaves its state through the records store and restores it.

An exercise's state is its traits tagged ``draft=True`` (or ``draft="key"``, the name the draft
keeps it under), synced like any widget's state and JSON-able: ``state()`` reads them,
``restore(state)`` sets them. A change to any of them saves after a short pause, so a closed
tab or a restarted kernel loses at most the last second or so of typing. Nothing calls "save"
by hand: changing the state is enough.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from traitlets import HasTraits, TraitError

from goalstudio.privacy import privacy_notice

if TYPE_CHECKING:
    from goalstudio.records import RecordStore

    from ._debounce import Debouncer

DRAFT_FORMAT = 1


def texts_in(value: Any) -> Iterator[str]:
    """Every string in a JSON-able state: what the learner typed, wherever it sits."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from texts_in(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from texts_in(item)


class Drafts(HasTraits):
    """Autosave and restore, mixed into ``Exercise``, which provides the store, the learner
    and the status line these methods use."""

    autosave: bool
    saved_version: int | None
    last_error: str | None
    _loading: bool  # True while the exercise sets its own state (building, restoring)
    _privacy_confirmed: str | None = None
    _saver: Debouncer
    learner: str
    activity: str

    if TYPE_CHECKING:  # provided by Exercise

        @property
        def store(self) -> RecordStore: ...
        @property
        def scenario_id(self) -> str: ...
        def show_error(self, exc: BaseException | str) -> None: ...
        def show_message(self, message: str) -> None: ...
        def show_privacy(self, notice: str | None) -> None: ...

    def draft_keys(self) -> dict[str, str]:
        """Each draft trait's key in the saved draft, and the trait's name."""
        keys = {}
        for name, trait in self.traits(draft=lambda tag: tag not in (None, False)).items():
            key = trait.metadata["draft"]
            keys[key if isinstance(key, str) else name] = name
        return dict(sorted(keys.items()))

    def state(self) -> dict[str, Any]:
        """The draft: every draft trait's value under its key."""
        return {key: getattr(self, name) for key, name in self.draft_keys().items()}

    def restore(self, state: Mapping[str, Any]) -> None:
        """Put a draft back. A part this version no longer accepts starts fresh; the rest is
        restored."""
        for key, name in self.draft_keys().items():
            if key in state:
                with contextlib.suppress(TraitError, TypeError, ValueError):
                    setattr(self, name, state[key])
        self.restored()

    def restored(self) -> None:
        """After a restore: redraw what follows from the state (each exercise says what)."""

    def draft_text(self) -> str:
        return json.dumps({"format": DRAFT_FORMAT, "state": self.state()}, sort_keys=True)

    def restore_draft_text(self, text: str) -> None:
        data = json.loads(text)
        if isinstance(data, dict) and data.get("format") == DRAFT_FORMAT:
            state = data.get("state")
            if isinstance(state, dict):
                self.restore(state)

    def _autosave_soon(self, _change: object) -> None:
        if self.autosave and not self._loading:
            self._saver.trigger()

    def _autosave(self) -> None:
        try:
            self.save_now()
        except Exception as exc:
            self.show_error(exc)
            return
        # The draft stays on this machine's store, so nothing typed is lost; the learner
        # is told at once if it looks identifying, long before anything is submitted.
        self.show_privacy(privacy_notice(texts_in(self.state())))

    def private_enough_to_submit(self, *texts: str) -> bool:
        """False (with a warning naming what looks identifying) on the first try to submit
        such text; True once the learner has changed it, or asks again to keep it as written.
        """
        notice = privacy_notice(texts)
        if notice is None:
            self.show_privacy(None)
            return True
        fingerprint = hashlib.sha256("\0".join(texts).encode("utf-8", "replace")).hexdigest()
        if fingerprint == self._privacy_confirmed:
            return True
        self._privacy_confirmed = fingerprint
        self.show_privacy(
            f"{notice} Nothing has been submitted yet. To submit it exactly as written, "
            "press the button again."
        )
        return False

    def save_now(self) -> int:
        """Save the draft at once; returns the draft version."""
        self._saver.cancel()
        draft = self.store.save_draft(
            self.learner, self.activity, self.draft_text(), scenario=self.scenario_id
        )
        self.saved_version = draft.version
        if self.last_error is not None and "could not be saved" in self.last_error:
            self.show_message("Saved.")
        return draft.version

    def flush(self) -> None:
        """Run any pending autosave (and, in subclasses, pending feedback) now."""
        self._saver.flush()

    def _restore_draft(self) -> None:
        from goalstudio.records import RecordNotFound

        if not self.autosave:
            return
        try:
            draft = self.store.get_draft(self.learner, self.activity, scenario=self.scenario_id)
        except RecordNotFound:
            return
        except Exception as exc:
            self.show_error(exc)
            return
        self._loading = True
        try:
            self.restore_draft_text(draft.text)
            self.saved_version = draft.version
            self.show_message("Welcome back: your last saved work is restored.")
        except Exception:
            self.show_error(
                "Your last saved draft could not be read, so this exercise starts fresh. "
                "The old draft is kept in the records store."
            )
        finally:
            self._loading = False
