"""Drafts: every exercise autosaves its state through the records store and restores it.

The state is a small JSON-able dict (``state()`` / ``restore(state)``). Each change calls
``changed()``, which saves after a short pause, so a closed tab or a restarted kernel loses at
most the last second or so of typing.
"""

from __future__ import annotations

import json

DRAFT_FORMAT = 1


class Drafts:
    """Autosave and restore, mixed into ``Exercise``, which provides the store, the learner,
    ``state()``/``restore()`` and the status line these methods use."""

    autosave: bool
    saved_version: int | None
    last_error: str | None
    _restoring: bool

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
