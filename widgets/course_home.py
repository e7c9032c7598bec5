"""Small views the course notebooks share: the welcome settings form, the course home and the
learner's feedback pages.

Each notebook's hidden code cell imports one of these, so it stays one or two lines. The logic
lives in the core (``goalstudio.courseware.manifest``); these are thin ipywidgets views over it.
"""

from __future__ import annotations

import html
import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import ipywidgets as w

from goalstudio import LOCALES, get_locale
from goalstudio.courseware.manifest import (
    SCENARIO_SETS,
    CourseProgress,
    CourseSettings,
    course_progress,
    course_scenario,
    course_settings,
    save_course_settings,
)
from goalstudio.learner import (
    LearnerConfigError,
    configured_name,
    current_learner,
    set_learner_name,
    workspace_dir,
)

__all__ = ["CourseHome", "FeedbackPage", "Settings", "YourFeedback", "find_feedback", "scenario"]


def scenario(*, gb: str, us: str, first: str = "gb") -> str:
    """The module's case study for this learner (``gb`` when the settings cannot be read: the
    exercise then shows the settings problem in plain words, never a traceback)."""
    try:
        return course_scenario(gb=gb, us=us, first="us" if first == "us" else "gb")
    except LearnerConfigError:
        return gb if first != "us" else us


_SET_LABELS: dict[str, str] = {
    "matching": "Cases from the same country as my terminology",
    **{code: f"{get_locale(code).country} cases only" for code in LOCALES},
    "mixed": "A mix of UK and US cases",
}
assert set(_SET_LABELS) == set(SCENARIO_SETS)


def _terms_label(code: str) -> str:
    """'UK terms (care plan, care co-ordinator, carer)', from the locale's own terms."""
    terms = get_locale(code)
    return f"{terms.country} terms ({terms.care_plan}, {terms.care_coordinator}, {terms.carer})"


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


class Settings(w.VBox):
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
            options=[(_terms_label(code), code) for code in LOCALES],
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

    from ._base import Exercise

    for exercise in [o for o in gc.get_objects() if isinstance(o, Exercise)]:
        exercise.learner = learner


class CourseHome(w.VBox):
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


# ------------------------------------------------------------------------------------------
# Your feedback: the pages a trainer's 'goalstudio workshop feedback' wrote for this learner.
#
# Two places hold them:
# - sent by the trainer: <workspace>/feedback/LEARNER/ASSIGNMENT/*.html, the same layout as the
#   trainer's course folder (grading/_feedback.py), so a trainer can copy a learner's folder as
#   it is. Only the current learner's folder is read.
# - fetched from the nbgrader exchange ("Fetch Feedback" in the Assignments tab): nbgrader puts
#   them under the Jupyter server's root, in ASSIGNMENT/feedback/TIMESTAMP/*.html (or
#   COURSE/ASSIGNMENT/feedback/TIMESTAMP/*.html). That root is the workspace when the studio is
#   started with 'goalstudio start', and the home folder (the workspace's parent) on the hub.

_NBGRADER_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})")


@dataclass(frozen=True)
class FeedbackPage:
    """One feedback page: the assignment, the notebook it is about, its date and where it is."""

    assignment: str
    notebook: str
    date: str  # "2026-11-26 09:30", or "" when unknown
    path: Path
    href: str  # a link relative to the course home (in the workspace's top folder)


def _same_name(a: str, b: str) -> bool:
    # Folder names made on a Mac come decomposed (Zoe + combining diaeresis); compare them
    # as the same text, and ignore case as most file systems do.
    return unicodedata.normalize("NFC", a).casefold() == unicodedata.normalize("NFC", b).casefold()


def _stamp(folder: Path, page: Path) -> str:
    """The submission time nbgrader recorded, else the page's own date."""
    for text in (folder.name, _read_small(folder / "timestamp.txt")):
        found = _NBGRADER_TIME.match(text.strip())
        if found:
            return f"{found.group(1)} {found.group(2)}"
    try:
        return datetime.fromtimestamp(page.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    except OSError:
        return ""


def _read_small(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")[:200]
    except OSError:
        return ""


def _href(page: Path, home_dir: Path) -> str:
    rel = os.path.relpath(page, home_dir)
    return "/".join(quote(part) for part in Path(rel).parts)


def _subdirs(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
    except OSError:
        return []


def _pages(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.glob("*.html") if p.is_file())
    except OSError:
        return []


def exchange_roots(workspace: Path) -> list[Path]:
    """Where nbgrader's "Fetch Feedback" puts pages: the Jupyter server's root folder."""
    roots = [workspace]
    if os.environ.get("JUPYTERHUB_USER", "").strip():
        roots.append(workspace.parent)  # the hub starts each server in the home folder
    return roots


def find_feedback(
    learner: str, workspace: Path, roots: list[Path] | None = None
) -> list[FeedbackPage]:
    """Every feedback page for ``learner``: sent by the trainer, or fetched from the exchange.

    Newest first. Pages in another learner's folder are never listed."""
    found: dict[Path, FeedbackPage] = {}
    sent = workspace / "feedback"
    for person in _subdirs(sent):
        if not _same_name(person.name, learner):
            continue
        for assignment in _subdirs(person):
            for page in _pages(assignment):
                found[page.resolve()] = FeedbackPage(
                    assignment.name,
                    page.stem,
                    _stamp(assignment, page),
                    page,
                    _href(page, workspace),
                )
    for root in exchange_roots(workspace) if roots is None else roots:
        for top in _subdirs(root):
            if top.resolve() == sent.resolve():
                continue
            for assignment in [top, *_subdirs(top)]:
                for stamp in _subdirs(assignment / "feedback"):
                    if not _NBGRADER_TIME.match(stamp.name):
                        continue  # not a folder nbgrader made
                    for page in _pages(stamp):
                        found.setdefault(
                            page.resolve(),
                            FeedbackPage(
                                assignment.name,
                                page.stem,
                                _stamp(stamp, page),
                                page,
                                _href(page, workspace),
                            ),
                        )
    return sorted(found.values(), key=lambda p: (p.date, p.assignment, p.notebook), reverse=True)


def _in_voila() -> bool:
    return os.environ.get("SERVER_SOFTWARE", "").startswith("voila/") or bool(
        os.environ.get("VOILA_KERNEL_ID") or os.environ.get("VOILA_BASE_URL")
    )


def render_feedback_list(pages: list[FeedbackPage], *, links: bool = True) -> str:
    """The list of feedback pages as HTML (every name escaped)."""
    if not pages:
        return (
            '<p class="gs-no-feedback">No feedback yet. When your trainer has marked an '
            "assignment, your feedback appears here: on a shared server, first choose "
            "<b>Fetch Feedback</b> in the Assignments tab; working on your own computer, save "
            "the folder your trainer sends you into the <code>feedback</code> folder of your "
            "studio folder. Then press <b>Refresh</b>.</p>"
        )
    rows = []
    for page in pages:
        name = _esc(page.assignment)
        if page.notebook != page.assignment:
            name += f" <small>({_esc(page.notebook)})</small>"
        cells = f"<td>{name}</td><td>{_esc(page.date or 'date unknown')}</td>"
        if links:
            cells += (
                f'<td><a href="{_esc(page.href)}" target="_blank" rel="noopener" '
                'style="text-decoration:underline">open in a new tab</a></td>'
            )
        rows.append(f"<tr>{cells}</tr>")
    head = "<th>Assignment</th><th>Date</th>" + ("<th>Page</th>" if links else "")
    return (
        f"<p>{len(pages)} feedback page{'s' if len(pages) != 1 else ''} for you. Press "
        f"<b>Show</b> to read one here.</p><table><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


class YourFeedback(w.VBox):
    """Your feedback pages, each with a button that shows it on this page."""

    def __init__(
        self,
        learner: str | None = None,
        workspace: Path | None = None,
        roots: list[Path] | None = None,
    ) -> None:
        super().__init__()
        self.add_class("gs-feedback")
        self._learner, self._workspace, self._roots = learner, workspace, roots
        self.listing = w.HTML()
        self.buttons = w.HBox(layout=w.Layout(flex_flow="row wrap"))
        self.viewer = w.HTML()
        refresh = w.Button(description="Refresh", tooltip="Look for new feedback")
        refresh.on_click(lambda _b: self.refresh())
        self.children = (self.listing, self.buttons, refresh, self.viewer)
        self.pages: list[FeedbackPage] = []
        self.refresh()

    def refresh(self) -> list[FeedbackPage]:
        try:
            learner = self._learner or current_learner()
            workspace = self._workspace or workspace_dir()
            self.pages = find_feedback(learner, workspace, self._roots)
        except (LearnerConfigError, OSError) as exc:
            self.pages = []
            self.listing.value = (
                f'<div role="alert">Your feedback cannot be listed just now: {_esc(exc)}. Try '
                "Refresh, or tell your facilitator.</div>"
            )
            self.buttons.children = ()
            return []
        self.listing.value = render_feedback_list(self.pages, links=not _in_voila())
        buttons = []
        for index, page in enumerate(self.pages):
            what = page.assignment if page.notebook == page.assignment else page.notebook
            label = f"Show {what}" + (f" ({page.date[:10]})" if page.date else "")
            button = w.Button(
                description=label[:60],
                tooltip=f"Show your feedback: {label}",
                layout=w.Layout(width="auto"),
            )
            button.on_click(lambda _b, i=index: self.show(i))
            buttons.append(button)
        self.buttons.children = tuple(buttons)
        return self.pages

    def show(self, index: int) -> bool:
        """Show one feedback page here, in a frame that runs no scripts."""
        page = self.pages[index]
        try:
            text = page.path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            self.viewer.value = (
                f'<div role="alert">{_esc(page.assignment)}: the page cannot be opened '
                f"({_esc(exc.strerror or exc)}). Press Refresh and try again.</div>"
            )
            return False
        self.viewer.value = (
            f'<iframe title="Your feedback on {_esc(page.assignment)}" sandbox="" '
            f'srcdoc="{_esc(text)}" style="width:100%;height:70vh;border:1px solid #999">'
            "</iframe>"
        )
        return True
