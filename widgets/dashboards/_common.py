"""What every facilitator dashboard shares: settings, escaping, charts, refresh and messages.

A dashboard is a ``Dashboard`` (an ipywidgets ``VBox``). ``refresh()`` asks the records store's
reports (``goalstudio.records.reports``) for rows, makes frames of them, and rebuilds the view; an
empty store shows a friendly "no data yet" message and a store that cannot be opened shows
what to check, never a traceback. Learner text is untrusted: every piece of it goes through
``esc`` before it reaches HTML or a plotly label.
"""

from __future__ import annotations

import dataclasses
import functools
import html
import json
import logging
import os
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import ipywidgets as w

from goalstudio import LOCALES, environment
from goalstudio.records import RecordStore, RecordStoreError
from goalstudio.rubric import VERDICT_WORDS
from goalstudio.templates import json_in_script

from . import _page_request

log = logging.getLogger("goalstudio.dashboards")

STYLE = """<style>
.gs-dashboard { font-size: 15px; line-height: 1.45; color: #1f2937; }
.gs-dashboard :focus-visible { outline: 3px solid #1d4ed8 !important; outline-offset: 2px; }
.gs-dashboard h2 { font-size: 22px; margin: 4px 0 2px 0; }
.gs-dashboard h3 { font-size: 17px; margin: 12px 0 4px 0; }
.gs-chip { display: inline-block; margin: 2px 4px 2px 0; padding: 1px 8px; border-radius: 12px;
  border: 2px solid; font-weight: 600; font-size: 12px; }
.gs-met { background: #dcfce7; border-color: #15803d; color: #14532d; }
.gs-partly { background: #fef9c3; border-color: #a16207; color: #713f12; }
.gs-not_met { background: #fee2e2; border-color: #b91c1c; color: #7f1d1d; }
.gs-pending { background: #f3f4f6; border-color: #6b7280; color: #374151; }
.gs-empty { background: #eff6ff; border-left: 4px solid #1d4ed8; padding: 8px 12px; }
.gs-problem { background: #fff7ed; border-left: 4px solid #c2410c; padding: 8px 12px; }
.gs-status { color: #4b5563; font-size: 13px; }
.gs-card { border: 1px solid #d1d5db; border-radius: 6px; padding: 6px 10px; margin: 4px;
  background: #ffffff; }
.gs-card .gs-who { font-weight: 700; overflow-wrap: anywhere; }
.gs-card .gs-what { color: #374151; font-size: 13px; overflow-wrap: anywhere; }
.gs-table { border-collapse: collapse; font-size: 14px; width: 100%; }
.gs-table th, .gs-table td { border-bottom: 1px solid #e5e7eb; padding: 4px 8px; text-align: left;
  vertical-align: top; overflow-wrap: anywhere; }
.gs-table th { background: #f3f4f6; }
.gs-table .gs-n { white-space: nowrap; width: 1%; }
.gs-pre { white-space: pre-wrap; overflow-wrap: break-word; font-family: ui-monospace, monospace;
  font-size: 13px; line-height: 1.4; margin: 0; background: #f9fafb; padding: 6px; }
.gs-explain { background: #f9fafb; border-left: 4px solid #6b7280; padding: 6px 12px; }
.gs-slide .gs-table { font-size: 20px; }
.gs-dashboard .widget-html-content { line-height: 1.45; }
</style>"""


# Above this many learners, charts show the whole group rather than one mark per learner.
PER_LEARNER_LIMIT = 60

# A small white theme of its own: plotly's default theme ("plotly") is about 7 KB on every chart.
_AXIS = {"gridcolor": "#e5e7eb", "linecolor": "#d1d5db", "zerolinecolor": "#d1d5db", "ticks": ""}
LEAN_TEMPLATE: dict[str, Any] = {
    "layout": {
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "font": {"color": "#1f2937"},
        "colorway": ["#2563eb", "#c2410c", "#15803d", "#7c3aed", "#b45309", "#0891b2"],
        "xaxis": _AXIS,
        "yaxis": _AXIS,
        "hoverlabel": {"align": "left"},
        "title": {"x": 0.05},  # titles start at the left, where the eye starts
    }
}


def esc(text: object) -> str:
    """Untrusted text escaped for HTML and for plotly labels (plotly shows entities literally)."""
    return html.escape("" if text is None else str(text), quote=True)


def ptext(text: object) -> str:
    """Untrusted text for a plotly label or hover text. plotly.js reads a small set of HTML tags
    and decodes &lt; &gt; &amp; and numeric entities (but not &quot;), so escaping these three
    shows any text literally."""
    return html.escape("" if text is None else str(text), quote=False)


def chip(verdict: str | None, criterion_label: str) -> str:
    """A criterion chip: "Outcomes: Met". The words carry the meaning; colour only repeats it."""
    kind = verdict if verdict in VERDICT_WORDS else "pending"
    words = VERDICT_WORDS.get(verdict or "", "No verdict")
    return f'<span class="gs-chip gs-{kind}">{esc(criterion_label)}: {esc(words)}</span>'


def table(frame: Any, columns: dict[str, str], *, limit: int | None = None) -> str:
    """An HTML table of a frame: ``columns`` maps column name to heading. Every cell escaped."""
    rows = frame if limit is None else frame.head(limit)
    head = "".join(f"<th scope='col'>{esc(title)}</th>" for title in columns.values())
    body = []
    for record in rows[list(columns)].itertuples(index=False):
        cells = "".join(f"<td>{esc(_cell(v))}</td>" for v in record)
        body.append(f"<tr>{cells}</tr>")
    rows_html = "".join(body)
    return (
        f'<table class="gs-table"><thead><tr>{head}</tr></thead><tbody>{rows_html}</tbody></table>'
    )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        return f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def frame(rows: Sequence[Any], row_type: type, *, floats: Sequence[str] = ()) -> Any:
    """A report's rows as a pandas frame with the row type's columns (also when there are no
    rows); ``floats`` are columns kept as floats even when every value is missing."""
    import pandas as pd

    if hasattr(row_type, "_fields"):  # a named tuple
        columns = list(row_type._fields)
        data = [tuple(row) for row in rows]
    else:  # one of the store's dataclasses
        columns = [field.name for field in dataclasses.fields(row_type)]
        data = [tuple(getattr(row, c) for c in columns) for row in rows]
    out = pd.DataFrame(data, columns=columns)
    return out.astype({c: "float64" for c in floats}) if floats else out


def settings() -> dict[str, str | None]:
    """Where the dashboards read from: the records URL, the gradebook folder and the roster."""
    return {
        "records": os.environ.get(environment.RECORDS_URL_ENV) or None,
        "gradebook": os.environ.get(environment.GRADEBOOK_ENV) or None,
        "roster": os.environ.get(environment.ROSTER_ENV) or None,
    }


def chart(fig: Any, *, label: str) -> w.Output:
    """A plotly figure as a widget, drawn in the browser with plotly.js from the studio's own
    files: nothing is fetched from the internet.

    On a page served by ``goalstudio dashboard`` the chart is HTML for the template's chart
    script (``static/charts.js``), which draws it once with the smallest plotly.js bundle that
    has its trace types. Elsewhere (JupyterLab, a hub's servers) it is plotly's figure
    for plotly's JupyterLab renderer, which carries the whole of plotly.js."""
    # Assigned, not passed to update_layout: that merges it into plotly's default template,
    # and the whole default (about 7 KB) then travels with every chart.
    fig.layout.template = LEAN_TEMPLATE
    fig.update_layout(font={"size": fig.layout.font.size or 14})
    fig.update_layout(margin=room_for_labels(fig))
    fig.update_yaxes(automargin=True)
    fig.update_xaxes(automargin=True)
    # The same figure as one still shown is that chart, kept: a live dashboard rebuilds on every
    # new record, and a chart drawn again costs the page as much as the first time.
    # The figure is turned into a dict once: it is both the key and what is shown.
    from plotly.io.json import to_json_plotly

    figure = fig.to_plotly_json()
    # No mode bar: its zoom and download buttons are rebuilt on each of the renderer's draws,
    # and a projected dashboard has no use for them (hover still works).
    figure["config"] = {"displayModeBar": False, "displaylogo": False}
    encoded = to_json_plotly(figure)
    bundle = chart_bundle(fig) if os.environ.get(environment.CHART_SCRIPT_ENV) == "1" else None
    key = f"{label}\n{bundle}\n{encoded}"
    found = _SHOWN.get(key)
    if found is not None and found.comm is not None:
        return found
    out = w.Output(layout=w.Layout(width="100%"))
    out.add_class("gs-chart")
    _SHOWN[key] = out
    data: dict[str, Any] = {"text/plain": f"Chart: {label}"}
    if bundle is None:
        data["application/vnd.plotly.v1+json"] = figure
    else:
        data["text/html"] = scripted_chart(encoded, label, bundle)
    # Set the output directly (no display hook needed): works in a kernel and in tests alike.
    out.outputs = ({"output_type": "display_data", "data": data, "metadata": {}},)
    return out


# The trace types of plotly.js's partial bundles (static/plotly-*.min.js), smallest first.
CHART_BUNDLES: dict[str, frozenset[str]] = {
    "basic": frozenset({"bar", "pie", "scatter"}),
    "cartesian": frozenset(
        {
            "bar",
            "box",
            "contour",
            "heatmap",
            "histogram",
            "histogram2d",
            "histogram2dcontour",
            "image",
            "pie",
            "scatter",
            "scatterternary",
            "violin",
        }
    ),
}


def chart_bundle(fig: Any) -> str | None:
    """The smallest plotly.js bundle that draws every trace of ``fig``; None when only the whole
    of plotly.js does (a Sankey diagram)."""
    kinds = {trace.type for trace in fig.data}
    for name, has in CHART_BUNDLES.items():
        if kinds <= has:
            return name
    return None


def scripted_chart(figure_json: str, label: str, bundle: str) -> str:
    """A box and the script that has the page's chart script draw ``figure_json`` in it. The
    figure is JSON inside a script: every ``<``, ``>`` and ``&`` in it is written as a JSON
    escape, so no text in a chart can end the script or start markup."""
    return (
        f'<div class="gs-plot" role="figure" aria-label="{esc(label)}"></div>'
        "<script>goalstudioCharts.draw(document.currentScript, "
        f"{json.dumps(bundle)}, {json_in_script(figure_json)});"
        "</script>"
    )


_SHOWN: weakref.WeakValueDictionary[str, w.Output] = weakref.WeakValueDictionary()


def room_for_labels(fig: Any) -> dict[str, int]:
    """Margins estimated from the longest axis and legend labels. When the labels fit, plotly's
    automargin has nothing to push, and so skips the extra full redraw it makes otherwise (on a
    large chart, a redraw delays the first paint by a tenth of a second or more). When the
    estimate is short, automargin still makes room, so no label is ever cut off."""
    char = 0.6 * float(fig.layout.font.size or 14)  # a generous average glyph width
    left: list[str] = []
    bottom: list[str] = []
    names: list[str] = []
    for trace in fig.data:
        if trace.type in ("sankey", "pie"):
            continue
        x, y = getattr(trace, "x", None), getattr(trace, "y", None)
        left += [str(v) for v in (y if y is not None else ()) if isinstance(v, str)]
        bottom += [str(v) for v in (x if x is not None else ()) if isinstance(v, str)]
        if trace.name and trace.showlegend is not False and trace.type != "heatmap":
            names.append(str(trace.name))
    rows = max(label.count("<br>") + 1 for label in bottom) if bottom else 1
    margin = {
        "l": 24 + int(char * _widest(left)) if left else 64,
        "b": 30 + 20 * rows if bottom and _widest(bottom) * char < 180 else (50 if bottom else 40),
        "t": 56,
        "r": 56 + int(char * _widest(names)) if len(names) > 1 else 20,
    }
    if fig.layout.yaxis.title.text:
        margin["l"] += 24
    if fig.layout.xaxis.title.text:
        margin["b"] += 24
    if any(trace.type == "heatmap" for trace in fig.data):
        margin["r"] = 120  # the colour bar
    return {side: min(value, 420) for side, value in margin.items()}


def _widest(labels: Iterable[str]) -> int:
    return max((len(line) for label in labels for line in label.split("<br>")), default=0)


def go() -> Any:
    import plotly.graph_objects

    return plotly.graph_objects


# What a facilitator reads instead of an activity id (the id stays in exports and the store).
ACTIVITY_TITLES = {
    "language-spotter": "Language spotter",
    "plan-rewriter": "Plan rewriter",
    "plan-builder": "Plan builder",
    "chart-review": "Chart review",
    "risk-conversation": "Risk conversation",
    "exchange-map": "Exchange map",
    "goal-discovery": "Goal discovery",
    "self-rating-pre": "Self-rating (before the course)",
    "self-rating-post": "Self-rating (after the course)",
}


def activity_title(activity: object) -> str:
    """The title of an activity id: "plan-rewriter" reads "Plan rewriter"."""
    text = str(activity or "")
    if text in ACTIVITY_TITLES:
        return ACTIVITY_TITLES[text]
    if text.startswith("reflection-"):
        return f"Reflection, module {text.removeprefix('reflection-')}"
    if text.startswith("concept-check-"):
        return f"Concept check {text.removeprefix('concept-check-')}"
    return text.replace("-", " ").capitalize() if text else ""


@functools.cache
def _scenario_titles() -> dict[str, str]:
    from goalstudio.scenarios import list_scenarios

    try:
        return {s.id: s.title for s in list_scenarios()}
    except Exception:  # a broken extra folder must not break a dashboard
        return {}


def scenario_title(scenario: object) -> str:
    """A case study's title instead of its id ("bernie-cmht-allotment"); the id if unknown."""
    text = str(scenario or "")
    return _scenario_titles().get(text, text)


def plural(count: int, word: str, many: str | None = None) -> str:
    """ "1 plan", "2 plans"."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


class Names:
    """Learner names as shown: as stored, or "Learner 1..." when anonymised for projection.

    The numbering follows the sorted list of every learner in the store, so a learner keeps
    their number while the board refreshes."""

    def __init__(self, learners: Iterable[str], anonymise: bool) -> None:
        self.anonymise = anonymise
        self._numbers = {name: i for i, name in enumerate(sorted(set(learners)), start=1)}

    def __call__(self, learner: str) -> str:
        if not self.anonymise:
            return str(learner)
        number = self._numbers.get(learner)
        if number is None:
            number = len(self._numbers) + 1
            self._numbers[learner] = number
        return f"Learner {number}"

    def column(self, frame: Any, name: str = "learner") -> Any:
        """The frame with ``name`` replaced by the shown names."""
        if frame.empty:
            return frame
        return frame.assign(**{name: frame[name].map(self)})


class Dashboard(w.VBox):
    """A titled dashboard with a refresh button, a status line and a body rebuilt on refresh."""

    title = "Dashboard"
    intro = ""
    empty_text = (
        "No data yet. When learners work through the course with this records store, their "
        "work appears here. Press Refresh to look again."
    )

    def __init__(self, records: str | None = None, *, anonymise_switch: bool = False) -> None:
        super().__init__()
        self.add_class("gs-dashboard")
        self.records = records or settings()["records"]
        self.refresh_button = w.Button(
            description="Refresh", icon="", tooltip="Read the records store again"
        )
        self.refresh_button.on_click(lambda _b: self.refresh())
        self.anonymise = w.Checkbox(
            value=False, description="Anonymise for projection", indent=False
        )
        self.anonymise.observe(lambda _c: self.refresh(), names="value")
        self._marker: tuple[int, ...] | None = None
        self._store: RecordStore | None = None
        self._store_file: tuple[int, int] | None = None
        self.status = w.HTML()
        self.status.add_class("gs-status")
        self.body = w.VBox()
        self.controls = w.HBox([self.refresh_button])
        if anonymise_switch:
            self.controls.children = [*self.controls.children, self.anonymise]
        header = w.HTML(
            f"{STYLE}<h2>{esc(self.title)}</h2>"
            + (f"<p>{esc(self.intro)}</p>" if self.intro else "")
        )
        self.children = [header, self.controls, *self.extra_controls(), self.status, self.body]
        self.refresh()

    # subclasses ---------------------------------------------------------------------------

    def extra_controls(self) -> list[w.Widget]:
        return []

    def build(self, store: RecordStore) -> list[w.Widget] | None:
        """The body's widgets, or None when there is nothing to show yet."""
        raise NotImplementedError

    def empty_reason(self, store: RecordStore) -> str:
        """Why there is nothing to show, when ``build`` returns None: the actual reason, not
        "no data" when the store holds work this dashboard does not chart."""
        return self.empty_text

    # shared -------------------------------------------------------------------------------

    def store(self) -> RecordStore:
        """The records store, opened on first use and kept for the kernel's life: opening
        checks the file and its schema, which a live board should not repeat on every refresh.
        """
        if self._store is not None and _file_id(self._store) != self._store_file:
            self.forget_store()  # the file was replaced (a backup put back): read the new one
        if self._store is None:
            self._store = RecordStore(self.records)
            self._store_file = _file_id(self._store)
        return self._store

    def forget_store(self) -> None:
        """Close the store after a failure, so the next read opens it afresh (a file put back
        from a backup, a database server restarted)."""
        store, self._store = self._store, None
        if store is not None:
            store.close()

    def names(self, store: RecordStore) -> Names:
        from goalstudio.records.reports import last_seen

        learners = [row.learner for row in last_seen(store)] if self.anonymise.value else []
        return Names(learners, bool(self.anonymise.value))

    def refresh(self) -> None:
        """Read the store again and rebuild the body. Never raises."""
        from goalstudio.records.reports import change_marker

        try:
            store = self.store()
            # Reviews as the studio computes them, not as a learner's kernel wrote them.
            store.verify_reviews()
            marker = change_marker(store)
            built = self.build(store)
            empty = self.empty_reason(store) if built is None else ""
            self._marker = marker
        except RecordStoreError as exc:
            self.forget_store()
            replace_children(
                self.body, [message("problem", f"The records store cannot be read: {exc}")]
            )
            self.status.value = ""
            return
        except Exception:  # a bug must not show a traceback to a facilitator
            log.exception("dashboard %s failed", self.title)
            self.forget_store()
            replace_children(
                self.body,
                [
                    message(
                        "problem",
                        "This dashboard hit a problem while reading the records. Press Refresh "
                        "to try again; if it keeps happening, the server log has the details.",
                    )
                ],
            )
            return
        replace_children(self.body, built if built is not None else [message("empty", empty)])
        self.status.value = esc(f"Read from {self.where()} at {_clock()}.")

    def refresh_if_changed(self, *, quiet: bool = False) -> bool:
        """Rebuild only when records were added since the last read (a cheap check); True when
        it rebuilt. A preheated dashboard calls this when its page is opened. ``quiet`` leaves
        the status line alone when nothing changed: a timer's check then sends nothing to the
        browser, so a kernel whose page was closed falls idle and the server can shut it down."""
        from goalstudio.records.reports import change_marker

        try:
            marker = change_marker(self.store())
        except Exception as exc:
            log.warning("%s: %s", self.title, exc)
            self.forget_store()
            self.refresh()
            return True
        if self._marker is not None and marker == self._marker:
            if not quiet:
                self.status.value = esc(f"Read from {self.where()}; up to date at {_clock()}.")
            return False
        self.refresh()
        return True

    def on_view(self) -> None:
        """Called by the notebook when someone opens the page: bring the data up to date."""
        self.refresh_if_changed()

    def where(self) -> str:
        if self.records:
            try:
                from sqlalchemy.engine import make_url

                return make_url(self.records).render_as_string(hide_password=True)
            except Exception:
                return "the records store"
        return "the workspace records file"


def _file_id(store: RecordStore) -> tuple[int, int] | None:
    """The SQLite file's device and inode (None for a database server, or no file): a kept
    connection goes on reading a file that was deleted or replaced, so a change means reopen."""
    if store.path is None:
        return None
    try:
        found = os.stat(store.path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


def replace_children(box: w.Box, children: Sequence[w.Widget]) -> None:
    """Show ``children`` in ``box`` and close every widget that only the old children used.
    Without this, each rebuild would leave its old charts and tables alive in the kernel, and a
    page opened later would fetch them all (a live board rebuilds many times a session)."""
    old = list(box.children)
    box.children = list(children)
    kept = {id(widget) for widget in _tree(children)}
    for widget in _tree(old):
        if id(widget) not in kept:
            widget.close()


def _tree(widgets: Iterable[w.Widget]) -> Iterator[w.Widget]:
    """Widgets and all their descendants, with the layout and style widgets each one owns."""
    for widget in widgets:
        yield widget
        for part in (getattr(widget, "layout", None), getattr(widget, "style", None)):
            if isinstance(part, w.Widget):
                yield part
        yield from _tree(getattr(widget, "children", ()))


def message(kind: str, text: str) -> w.HTML:
    """A friendly message box: kind is "empty" or "problem"."""
    box = w.HTML(f'<div class="gs-{kind}" role="status">{esc(text)}</div>')
    return box


def _clock() -> str:
    from datetime import datetime

    return datetime.now().strftime("%H:%M:%S")


def warm_up(*, first: bool = False) -> None:
    """Do the slow one-off work before anyone opens a page (preheated kernels run this early):
    import pandas and plotly, build one figure, and compile the language lexicons.

    When a dashboard server starts, every page's kernel preheats at once; on a small machine
    they would all finish late, the page a facilitator opens first among them. So the ``first``
    page, the workshop board, preheats alone (the other kernels start once it is ready, see
    ``wait_for_viewer``) and leaves the lexicons until it needs them; the others then take
    turns (until ``wait_for_viewer``)."""
    if first:
        _FIRST_PAGE.append(True)
    else:
        _take_turn()
    import pandas  # noqa: F401

    from goalstudio.rubric import load_lexicon

    figure = go().Figure(go().Bar(x=["a"], y=[1]))
    figure.layout.template = LEAN_TEMPLATE
    figure.to_plotly_json()
    if first:
        return  # the first page reviews a new plan with the lexicons when one comes in
    for locale in LOCALES:
        load_lexicon(locale)


# The lock file of this kernel's preheat turn, while it has it.
_TURN: list[IO[str]] = []
TURN_WAIT = 60.0  # seconds a kernel waits for its turn before it preheats anyway


def _take_turn(
    clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep
) -> None:
    """Wait for this kernel's turn to preheat: an exclusive lock on a file per server, held
    until ``wait_for_viewer`` (or the kernel's end). Only for Voilà's preheated kernels.
    ``clock`` and ``sleep`` are there so a test can run the wait on a clock of its own."""
    if os.environ.get("VOILA_PREHEAT") != "True" or _TURN:
        return
    try:
        import fcntl
    except ImportError:  # no file locks here (Windows): preheat at once
        return
    handle = _server_file(PREHEAT_LOCK_FILE).open("a")
    deadline = clock() + TURN_WAIT
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except OSError:
            if clock() > deadline:
                break  # a kernel stuck in its turn must not keep this page waiting for ever
            sleep(0.05)
    _TURN.append(handle)


def _end_turn() -> None:
    while _TURN:
        _TURN.pop().close()  # closing the file releases the lock


def wait_for_viewer(then: Callable[[], object] | None = None) -> None:
    """Under Voilà with preheated kernels, wait here until someone opens the page, so the data is
    read when it is viewed (the imports before this line are already done). Elsewhere: no wait.

    ``then`` (a dashboard's ``on_view``) brings the page up to date once it is opened, inside
    this cell, so before Voilà sends the page. Run after the cell, it overlapped the browser's
    start, but a page that connected while it ran was sent messages about widgets it did not
    have yet: it logged "Comm not found" and at times drew nothing."""
    _end_turn()
    preheated = os.environ.get("VOILA_PREHEAT") == "True"
    if preheated:
        _wait_for_page()
    try:
        if then is not None:
            then()
    except Exception:  # a facilitator never sees a traceback; the server log has it
        log.exception("bringing the page up to date failed")
    if preheated and _FIRST_PAGE:
        # Counted from now, not from the request: reading what was added since must not meet
        # six kernels starting at once.
        _signal_ready(FIRST_PAGE_SETTLE)


def _wait_for_page() -> None:
    if not _FIRST_PAGE:
        wait_for_request()
        return
    # The other pages' kernels start at the latest this long after this one is ready, or once
    # this page, opened now, has been brought up to date and has had time to draw (below).
    unopened = _signal_ready(FIRST_PAGE_IDLE)
    wait_for_request()
    unopened.cancel()


def wait_for_request() -> None:
    """Wait until Voilà hands this preheated kernel to a page, as ``voila.utils.wait_for_request``
    does (the same socket, ``/voila/query/<kernel id>``, and the request's details put in the
    environment), without importing Voilà into the kernel: that loads the Jupyter server, 0.4 s
    that a page opened as the server starts would wait for. If that socket cannot be reached,
    Voilà's own function waits instead."""
    details = _page_request.take()
    if details is None:
        from voila import utils  # type: ignore[import-untyped]

        utils.wait_for_request()
        return
    for name, value in json.loads(details).items():
        os.environ[name] = value


# Set by warm_up(first=True): this kernel is the workshop board's, the page whose readiness the
# dashboard server waits for before it preheats the other pages' kernels (goalstudio._voila_app).
_FIRST_PAGE: list[bool] = []
FIRST_PAGE_SETTLE = 3.0  # seconds for the opened page to draw before the other kernels start
FIRST_PAGE_IDLE = 5.0  # seconds after preheating, if the page is not opened, before they start


def _signal_ready(after: float) -> threading.Timer:
    """Write the file the server waits for before it preheats the other pages' kernels,
    ``after`` seconds from now."""
    timer = threading.Timer(after, _write_ready_file)
    timer.daemon = True
    timer.start()
    return timer


def _write_ready_file() -> None:
    """The file holds the server's process id, so a file left by an earlier server on the same
    port does not count."""
    try:
        _server_file(FIRST_PAGE_READY_FILE).write_text(str(os.getppid()), encoding="utf-8")
    except OSError as exc:  # the others then start after their own time limit
        log.warning("cannot write the first page's ready file: %s", exc)


# This dashboard server's files in Jupyter's runtime folder, named by the server's port.
PREHEAT_LOCK_FILE = "goalstudio-dashboard-preheat-{port}.lock"
FIRST_PAGE_READY_FILE = "goalstudio-dashboard-first-page-{port}.ready"  # the server's too


def _server_file(name: str) -> Path:
    """The path of one of this server's files (``name`` with its port), its folder made."""
    from jupyter_core.paths import jupyter_runtime_dir

    folder = Path(jupyter_runtime_dir())
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name.format(port=os.environ.get("VOILA_APP_PORT", ""))
