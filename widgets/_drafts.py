"""Drafts: every exercise autosaves its state through the records store and restores it.

The state is a small JSON-able dict (``state()`` / ``restore(state)``). Each change calls
``changed()``, which saves after a short pause, so a closed tab or a restarted kernel loses at
most the last second or so of typing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from goalstudio.privacy import privacy_notice

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


class Drafts:
    """Autosave and restore, mixed into ``Exercise``, which provides the store, the learner,
    ``state()``/``restore()`` and the status line these methods use."""

    autosave: bool
    saved_version: int | None
    last_error: str | None
    _restoring: bool
    _privacy_confirmed: str | None = None

    def draft_text(self) -> str:
        return json.dumps({"format": DRAFT_FORMAT, "state": self.state()}, sort_keys=True)

    def restore_draft_text(self, text: str) -> None:
        data = json.loads(text)
        if isinstance(data, dict) and data.get("format") == DRAFT_FORMAT:
            state = data.get("state")
            if isinstance(state, dict):
                self.restore(state)

    def changed(self) -> None:
        """Call after every learner change: schedules an autosave."""
        if self.autosave and not self._restoring:
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
        self._restoring = True
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
            self._restoring = False
