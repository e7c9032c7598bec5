"""What every exercise shares: friendly errors, labelled controls, autosave and restore, terms.

An exercise is a thin view. Its state is a small JSON-able dict; ``state()`` reads it and
``restore(state)`` puts it back. Each change calls ``changed()``, which autosaves through the
records store after a short pause, so a closed tab or a restarted kernel loses at most the last
second or so of typing. Errors never reach the learner as a traceback: ``guard`` turns them into
one plain sentence inside the exercise.
"""

from __future__ import annotations

import asyncio
import functools
import html
import json
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, ParamSpec, TypeVar

import ipywidgets as w
from goalstudio.scenarios import ScenarioError, load

from goalstudio import Locale, Scenario, get_locale
from goalstudio._learner import current_learner

if TYPE_CHECKING:  # the records store (SQLAlchemy) loads when an exercise first saves
    from goalstudio.records import RecordStore

P = ParamSpec("P")
R = TypeVar("R")

DRAFT_FORMAT = 1
# Shared look: visible focus, chips that carry text as well as colour, readable contrast.
STYLE = """<style>
.gs-exercise :focus-visible { outline: 3px solid #1d4ed8 !important; outline-offset: 2px; }
.gs-exercise { font-size: 15px; line-height: 1.45; color: #1f2937; }
.gs-chip { display: inline-block; margin: 2px 4px 2px 0; padding: 2px 10px; border-radius: 12px;
  border: 2px solid; font-weight: 600; font-size: 13px; }
.gs-met { background: #dcfce7; border-color: #15803d; color: #14532d; }
.gs-partly { background: #fef9c3; border-color: #a16207; color: #713f12; }
.gs-not_met { background: #fee2e2; border-color: #b91c1c; color: #7f1d1d; }
.gs-pending { background: #f3f4f6; border-color: #6b7280; color: #374151; }
.gs-mark { background: #fde68a; border-bottom: 2px solid #b45309; padding: 0 1px; }
.gs-miss { background: #fecaca; border-bottom: 2px dashed #b91c1c; }
.gs-over { background: #e0e7ff; border-bottom: 2px dotted #4338ca; }
.gs-note { color: #374151; }
.gs-error { background: #fff7ed; border-left: 4px solid #c2410c; padding: 6px 10px; }
.gs-ok { background: #f0fdf4; border-left: 4px solid #15803d; padding: 6px 10px; }
.gs-card { border: 1px solid #d1d5db; border-radius: 6px; padding: 8px 12px; margin: 4px 0; }
.gs-person { background: #eff6ff; }
.gs-meter { font-family: inherit; }
.gs-labelled .widget-label { font-weight: 600; white-space: normal; text-align: left;
  width: auto !important; max-width: none; }
.gs-exercise pre, .gs-pre { white-space: pre-wrap; font-family: ui-monospace, monospace;
  font-size: 13px; line-height: 1.4; margin: 0; }
.gs-exercise .widget-html-content { line-height: 1.45; }
.gs-exercise .widget-html-content p, .gs-exercise .widget-html-content ul { margin: 4px 0; }
.gs-exercise .gs-word button, .gs-word { font-family: inherit; }
.gs-scroll { max-height: 26em; overflow-y: auto; }
.gs-exercise .widget-toggle-button { padding: 0 6px; }
.gs-exercise .widget-toggle-buttons .mod-active { font-weight: 700; text-decoration: underline;
  outline: 2px solid #1f2937; background: #dbeafe; }
.gs-exercise .gs-word.mod-active { background: #fde68a; color: #111827; font-weight: 700;
  box-shadow: inset 0 -3px 0 #b45309; }
</style>"""


def esc(text: object) -> str:
    """Learner and scenario text, escaped for HTML (always; learner text is untrusted)."""
    return html.escape(str(text), quote=True)


def chip(kind: str, text: str) -> str:
    """A status chip: the text carries the meaning, the colour only repeats it."""
    return f'<span class="gs-chip gs-{esc(kind)}">{esc(text)}</span>'


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


class Debouncer:
    """Run ``fn`` once, ``delay`` seconds after the last ``trigger()``.

    Inside a kernel it uses the kernel's event loop, so the call runs on the main thread between
    messages; elsewhere (tests, scripts) a timer thread. ``flush()`` runs a pending call now.
    """

    def __init__(self, delay: float, fn: Callable[[], None]) -> None:
        self.delay = delay
        self._fn = fn
        self._lock = threading.Lock()
        self._handle: asyncio.TimerHandle | threading.Timer | None = None

    @property
    def pending(self) -> bool:
        return self._handle is not None

    def trigger(self) -> None:
        with self._lock:
            self._cancel_locked()
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                timer = threading.Timer(self.delay, self._fire)
                timer.daemon = True
                self._handle = timer
                timer.start()
            else:
                self._handle = loop.call_later(self.delay, self._fire)

    def _cancel_locked(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def cancel(self) -> None:
        with self._lock:
            self._cancel_locked()

    def _fire(self) -> None:
        with self._lock:
            if self._handle is None:
                return
            self._handle = None
        self._fn()

    def flush(self) -> None:
        with self._lock:
            if self._handle is None:
                return
            self._cancel_locked()
        self._fn()


def labelled(control: w.Widget, label: str, *, help_text: str = "") -> w.Widget:
    """A control whose label sits above it and is linked to it (``<label for=...>``), so a
    screen reader announces it and clicking the label focuses the control."""
    control.description = label
    control.description_allow_html = False
    control.tooltip = help_text or label
    control.style.description_width = "initial"
    control.layout.flex_flow = "column"
    control.layout.align_items = "stretch"
    control.add_class("gs-labelled")
    if isinstance(control, (w.Text, w.Textarea)):
        control.layout.width = "100%"
    if not help_text:
        return control
    box = w.VBox([control, w.HTML(f'<span class="gs-note">{esc(help_text)}</span>')])
    box.add_class("gs-field")
    return box


def button(
    text: str, handler: Callable[[], object], *, tooltip: str = "", style: str = ""
) -> w.Button:
    """A labelled button whose click runs ``handler`` (errors already guarded by the caller)."""
    b = w.Button(description=text, tooltip=tooltip or text, button_style=style)
    b.layout.width = "auto"
    b.layout.align_self = "flex-start"  # never stretched across the page
    b.on_click(lambda _b: handler())
    return b


class Exercise(w.VBox):  # type: ignore[misc]
    """The shared shell: status line, store, autosave, restore, locale terms.

    Subclasses set ``activity`` and implement ``state()``, ``restore()`` and build their controls
    in ``build()``. Every learner action is a public method wrapped in ``guard``.
    """

    activity: ClassVar[str] = "exercise"
    autosave_delay: ClassVar[float] = 1.0

    def __init__(
        self,
        scenario: Scenario | str | None = None,
        *,
        learner: str | None = None,
        store_url: str | None = None,
        locale: str | None = None,
        module: str = "",
        autosave: bool = True,
    ) -> None:
        super().__init__()
        self.add_class("gs-exercise")
        self.status = w.HTML(value="")
        self.status.add_class("gs-status")
        self._store_url = store_url
        self._store: RecordStore | None = None
        self.module = module
        self.autosave = autosave
        self.last_error: str | None = None
        self.saved_version: int | None = None
        self._restoring = False
        self._saver = Debouncer(self.autosave_delay, self._autosave)
        self.scenario: Scenario | None = None
        try:
            self.learner = learner or current_learner()
            if isinstance(scenario, str):
                scenario = load(scenario)
            self.scenario = scenario
            code = locale or (scenario.locale if scenario is not None else "en-GB")
            self.locale: Locale = get_locale(code)
            body = self.build()
        except Exception as exc:  # never a traceback in the notebook
            self.locale = get_locale("en-GB")
            self.children = (w.HTML(STYLE), self.status)
            self.show_error(exc)
            return
        self.children = (w.HTML(STYLE), *body, self.status)
        self._restore_draft()

    # -- to be provided by each exercise ------------------------------------------------------

    def build(self) -> list[w.Widget]:
        raise NotImplementedError

    def state(self) -> dict[str, Any]:
        return {}

    def restore(self, state: dict[str, Any]) -> None:
        return None

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

    # -- drafts -------------------------------------------------------------------------------

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


def lines(text: str) -> list[str]:
    """The non-blank lines of a text box, trimmed (one item per line)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def text_area(placeholder: str = "", rows: int = 3, value: str = "") -> w.Textarea:
    area = w.Textarea(value=value, placeholder=placeholder, rows=rows)
    area.layout.width = "100%"
    return area
