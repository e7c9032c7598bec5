"""What every exercise shares: friendly errors, the store, autosave and restore, terms.

An exercise is a thin view. Its state is in synced traits tagged ``draft=True``; changing one
autosaves, and rebuilding the exercise restores them (see ``_drafts``). Errors never reach the
learner as a traceback: ``guard`` turns them into one plain sentence inside the exercise. The
helpers other modules import from here live in ``_html`` (style, ``esc``, ``chip``),
``_controls`` (``labelled``, ``button``, ``text_area``, ``lines``) and ``_debounce``
(``Debouncer``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, ParamSpec, TypeVar

import ipywidgets as w

from goalstudio import (
    DEFAULT_LOCALE,
    Locale,
    Scenario,
    ScenarioError,
    current_learner,
    get_locale,
    load_scenario,
)

from ._case_picker import CasePicker
from ._controls import button, labelled, lines, text_area
from ._debounce import Clock, Debouncer, KernelClock
from ._drafts import DRAFT_FORMAT, Drafts
from ._html import STYLE, chip, esc

if TYPE_CHECKING:  # the records store (SQLAlchemy) loads when an exercise first saves
    from goalstudio.records import RecordStore

__all__ = [
    "DRAFT_FORMAT",
    "STYLE",
    "Debouncer",
    "Exercise",
    "button",
    "chip",
    "esc",
    "friendly",
    "guard",
    "labelled",
    "lines",
    "text_area",
]

P = ParamSpec("P")
R = TypeVar("R")


def friendly(exc: BaseException) -> str:
    """One plain sentence about what went wrong and what to do next."""
    from goalstudio.records import RecordStoreError

    if isinstance(exc, RecordStoreError):
        return (
            "Your work could not be saved just now. It is still on the page; keep going and "
            f"the studio will try again. (Details for your facilitator: {exc})"
        )
    if isinstance(exc, ScenarioError):
        return f"This case study cannot be opened: {exc}"
    if isinstance(exc, (ValueError, KeyError, LookupError)):
        text = str(exc).strip("'\" ")
        return f"That did not work: {text}" if text else "That did not work. Try again."
    return (
        "Something went wrong inside this exercise. Your work so far is kept. Try again, and "
        "if it happens again, tell your facilitator."
    )


class Exercise(Drafts, w.VBox):
    """The shared shell: status line, store, autosave, restore, locale terms.

    Subclasses set ``activity``, declare their state as ``draft=True`` traits, build their
    controls in ``build()`` (which sets those traits to a fresh start) and redraw in
    ``restored()``. Every learner action is a public method wrapped in ``guard``.
    """

    activity: str = "exercise"  # some exercises name it per instance (a module's reflection)
    autosave_delay: ClassVar[float] = 1.0
    # Exercises given a case study show the case picker (any case, any exercise).
    picks_case: ClassVar[bool] = True

    def __init__(
        self,
        scenario: Scenario | str | None = None,
        *,
        learner: str | None = None,
        store_url: str | None = None,
        locale: str | None = None,
        module: str = "",
        autosave: bool = True,
        clock: Clock | None = None,
    ) -> None:
        super().__init__()
        self.add_class("gs-exercise")
        self.status = w.HTML(value="")
        self.status.add_class("gs-status")
        # Its own line, so a "Saved." in the status line never hides a privacy warning.
        self.privacy = w.HTML(value="")
        self.privacy.add_class("gs-privacy")
        self._store_url = store_url
        self._store: RecordStore | None = None
        self.module = module
        self.autosave = autosave
        self.last_error: str | None = None
        self.saved_version: int | None = None
        self._loading = True  # building: the state being set is not the learner's change
        # What every pause (autosave, live review) waits on; a test passes a ManualClock.
        self.clock: Clock = clock if clock is not None else KernelClock()
        self._saver = Debouncer(self.autosave_delay, self._autosave, self.clock)
        self.scenario: Scenario | None = None
        self._locale_arg = locale
        self.picker: CasePicker | None = None
        self._body: list[w.Widget] = []
        try:
            self.learner = learner or current_learner()
            case = load_scenario(scenario) if isinstance(scenario, str) else scenario
            self.scenario = case
            code = locale or (case.locale if case is not None else DEFAULT_LOCALE)
            self.locale: Locale = get_locale(code)
            body = self.build()
        except Exception as exc:  # never a traceback in the notebook
            self.locale = get_locale(DEFAULT_LOCALE)
            self.children = (w.HTML(STYLE), self.status)
            self.show_error(exc)
            return
        if self.scenario is not None and self.picks_case:
            self.picker = CasePicker(self.scenario.id, self.open_case)
            self.picker.show(self.scenario.id, self.scenario.title)
        self._loading = False
        self.observe(self._autosave_soon, names=list(self.draft_keys().values()))
        self._show_body(body)
        self._restore_draft()

    def _show_body(self, body: list[w.Widget]) -> None:
        self._body = body
        top = [self.picker] if self.picker is not None else []
        self.children = (w.HTML(STYLE), *top, *body, self.privacy, self.status)

    @property
    def case_picker(self) -> CasePicker | None:
        return self.picker

    def open_case(self, scenario_id: str) -> str | None:
        """Open another case study in this exercise (the learner's draft of each case is kept).

        Returns the id of the case now open, or None when it could not be opened (the exercise
        keeps the case it had, and says why)."""
        try:
            case = load_scenario(scenario_id)
        except Exception as exc:
            self.show_error(exc)
            return None
        if self.scenario is not None and case.id == self.scenario.id:
            return case.id
        try:
            self.flush()  # the current case's draft is saved under its own id
        except Exception as exc:
            self.show_error(exc)
            return None
        previous = (self.scenario, self.locale, self._body)
        self._loading = True
        try:
            self.scenario = case
            self.locale = get_locale(self._locale_arg or case.locale)
            body = self.build()
        except Exception as exc:
            self.scenario, self.locale, self._body = previous
            self.show_error(exc)
            return None
        finally:
            self._loading = False
        for widget in previous[2]:
            widget.close()
        self.status.value = ""
        self.last_error = None
        self.saved_version = None
        self._show_body(body)
        if self.picker is not None:
            self.picker.show(case.id, case.title)
        self._restore_draft()
        return case.id

    # -- to be provided by each exercise ------------------------------------------------------

    def build(self) -> list[w.Widget]:
        raise NotImplementedError

    # -- helpers ------------------------------------------------------------------------------

    @property
    def scenario_id(self) -> str:
        return self.scenario.id if self.scenario is not None else ""

    def term(self, key: str) -> str:
        return self.locale.term(key)

    @property
    def store(self) -> RecordStore:
        if self._store is None:
            from goalstudio.records import RecordStore

            self._store = RecordStore(self._store_url)
        return self._store

    def show_error(self, exc: BaseException | str) -> None:
        message = exc if isinstance(exc, str) else friendly(exc)
        self.last_error = message
        self.status.value = f'<div class="gs-error" role="alert">{esc(message)}</div>'

    def show_privacy(self, notice: str | None) -> None:
        """Show (or clear) the warning that the text looks like it identifies a real person."""
        self.privacy.value = (
            "" if notice is None else f'<div class="gs-warn" role="alert">{esc(notice)}</div>'
        )

    def show_message(self, message: str) -> None:
        self.last_error = None
        self.status.value = f'<div class="gs-ok" role="status">{esc(message)}</div>'

    def guarded(self, fn: Callable[[], R]) -> R | None:
        """Run ``fn``; a failure becomes a friendly message in the exercise."""
        try:
            return fn()
        except Exception as exc:
            self.show_error(exc)
            return None

    def close(self) -> None:
        try:
            self.flush()
        finally:
            if self._store is not None:
                self._store.close()
                self._store = None
            super().close()


def guard(method: Callable[P, R]) -> Callable[P, R | None]:
    """Wrap a public learner action: errors become a friendly message, never a traceback."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R | None:
        self = args[0]
        assert isinstance(self, Exercise)
        try:
            return method(*args, **kwargs)
        except Exception as exc:
            self.show_error(exc)
            return None

    return wrapper
