"""Small views the course notebooks share: the welcome settings form and the course home.

Kept here so each notebook's hidden code cell stays one or two lines. The logic lives in the
core (``goalstudio._course``); these are thin ipywidgets views over it.
"""

from __future__ import annotations

import html

import ipywidgets as w

from goalstudio._course import (
    SCENARIO_SETS,
    CourseProgress,
    CourseSettings,
    course_progress,
    course_scenario,
    course_settings,
    save_course_settings,
)
from goalstudio._learner import (
    LearnerConfigError,
    configured_name,
    current_learner,
    set_learner_name,
)

__all__ = ["CourseHome", "Settings", "scenario"]


def scenario(*, gb: str, us: str, first: str = "gb") -> str:
    """The module's case study for this learner (``gb`` when the settings cannot be read: the
    exercise then shows the settings problem in plain words, never a traceback)."""
    try:
        return course_scenario(gb=gb, us=us, first="us" if first == "us" else "gb")
    except LearnerConfigError:
        return gb if first != "us" else us


_SET_LABELS = {
    "matching": "Cases from the same country as my terminology",
    "en-GB": "UK cases only",
    "en-US": "US cases only",
    "mixed": "A mix of UK and US cases",
}
assert set(_SET_LABELS) == set(SCENARIO_SETS)


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


class Settings(w.VBox):  # type: ignore[misc]
    """Your display name, terminology (UK/US) and scenario set, saved in the workspace."""

    def __init__(self) -> None:
        super().__init__()
        self.status = w.HTML()
        try:
            chosen, name = course_settings(), configured_name() or ""
        except LearnerConfigError as exc:
            chosen, name = CourseSettings(), ""
            self.status.value = f'<div role="alert">{_esc(exc)}</div>'
        self.name = w.Text(
            value=name,
            description="Display name",
            placeholder="a first name or nickname",
            style={"description_width": "initial"},
        )
        self.locale = w.RadioButtons(
            options=[
                ("UK terms (care plan, care co-ordinator, carer)", "en-GB"),
                ("US terms (treatment plan, case manager, family member)", "en-US"),
            ],
            value=chosen.locale,
            description="Terminology",
            style={"description_width": "initial"},
            layout=w.Layout(width="auto"),
        )
        self.scenario_set = w.RadioButtons(
            options=[(label, key) for key, label in _SET_LABELS.items()],
            value=chosen.scenario_set,
            description="Case studies",
            style={"description_width": "initial"},
            layout=w.Layout(width="auto"),
        )
        save = w.Button(description="Save my settings", button_style="success")
        save.on_click(lambda _b: self.save())
        self.children = (self.name, self.locale, self.scenario_set, save, self.status)

    def save(self) -> bool:
        """Save the three settings; a problem shows as one plain sentence."""
        try:
            if self.name.value.strip():
                set_learner_name(self.name.value)
            save_course_settings(locale=self.locale.value, scenario_set=self.scenario_set.value)
        except (LearnerConfigError, ValueError, OSError) as exc:
            self.status.value = f'<div role="alert">Not saved: {_esc(exc)}</div>'
            return False
        _rename_open_exercises(current_learner())
        self.status.value = (
            f'<div role="status">Saved. You are <b>{_esc(current_learner())}</b> in the '
            "studio. Exercises you open from now on use these settings.</div>"
        )
        return True


def _rename_open_exercises(learner: str) -> None:
    """Exercises already on this page were built under the old name; save under the new one."""
    import gc

    from goalstudio.widgets._base import Exercise

    for exercise in [o for o in gc.get_objects() if isinstance(o, Exercise)]:
        exercise.learner = learner


class CourseHome(w.VBox):  # type: ignore[misc]
    """The modules, which are done, and where to pick up, from the records store."""

    def __init__(self, store_url: str | None = None, learner: str | None = None) -> None:
        super().__init__()
        self.add_class("gs-home")
        self._store_url = store_url
        self._learner = learner
        self.table = w.HTML()
        refresh = w.Button(description="Refresh", tooltip="Read your progress again")
        refresh.on_click(lambda _b: self.refresh())
        self.children = (self.table, refresh)
        self.progress: CourseProgress | None = None
        self.refresh()

    def refresh(self) -> CourseProgress | None:
        from goalstudio.records import RecordStore, RecordStoreError

        try:
            learner = self._learner or current_learner()
            with RecordStore(self._store_url) as store:
                self.progress = course_progress(store, learner)
        except (RecordStoreError, LearnerConfigError) as exc:
            self.table.value = (
                f'<div role="alert">Your progress cannot be read just now: {_esc(exc)}. Your '
                "work is safe; try Refresh, or tell your facilitator.</div>"
            )
            return None
        self.table.value = render_progress(self.progress)
        return self.progress


def render_progress(progress: CourseProgress) -> str:
    """The progress table as HTML (every value escaped)."""
    rows = []
    for m in progress.modules:
        mark = {"completed": "✓ completed", "started": "… started", "not started": "not started"}
        rows.append(
            f'<tr><td>{_esc(m.id)}</td><td><a href="{_esc(m.file)}">{_esc(m.title)}</a></td>'
            f"<td>{_esc(mark[m.status])}</td><td>{m.minutes} min</td></tr>"
        )
    nxt = progress.next_module
    if nxt is None:
        lead = "<p><b>You have completed every module.</b> Well done.</p>"
    else:
        lead = (
            f'<p class="gs-next"><b>Pick up at module {_esc(nxt.id)}: '
            f'<a href="{_esc(nxt.file)}">{_esc(nxt.title)}</a></b> '
            f"(about {progress.minutes_left} minutes of study left).</p>"
        )
    return (
        f"<p>{_esc(progress.learner)}: {progress.completed} of {len(progress.modules)} modules "
        f"completed.</p>{lead}<table><thead><tr><th>#</th><th>Module</th><th>Status</th>"
        f"<th>Self-study</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        "<p><small>A module counts as completed when you save its reflection.</small></p>"
    )
