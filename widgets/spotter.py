"""LanguageSpotter: mark the words that could hurt or shut a person out, then compare."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as w
from traitlets import Int, List, Unicode, observe, validate

from goalstudio.exercises.spotter import SpotResult, SpotterState, check_rewording

from ._base import (
    Debouncer,
    Exercise,
    button,
    esc,
    guard,
    labelled,
    text_area,
)

if TYPE_CHECKING:
    from goalstudio.rubric import TermMatch

CHECK_DELAY = 0.15


class LanguageSpotter(Exercise):
    """Click words in the passage to mark them; reveal what the lexicon finds and why."""

    activity = "language-spotter"
    marked = List(Int()).tag(sync=True, draft=True)  # the words marked, by index
    reworded = Unicode("").tag(sync=True, draft="rewording")  # the learner's rewording

    def __init__(self, scenario: Any = None, *, passage: str | None = None, **kw: Any) -> None:
        self._passage = passage
        super().__init__(scenario, **kw)

    def build(self) -> list[w.Widget]:
        self.result: SpotResult | None = None
        text = self._passage
        if text is None:
            assert self.scenario is not None, "give a scenario or a passage"
            text = self.scenario.deficit_plan
        self.spot = SpotterState(text, self.locale.code)
        self.word_buttons: list[w.ToggleButton] = []
        self.marked = []  # a fresh case: nothing marked (before its buttons exist)
        self.labels: list[str] = []
        rows: list[w.Widget] = []
        lines = text.split("\n")
        for line in range(len(lines)):
            row = []
            words = [x for x in self.spot.words if x.line == line]
            for n, word in enumerate(words):
                end = words[n + 1].start if n + 1 < len(words) else len(text)
                label = text[word.start : end].split("\n")[0].rstrip()  # keeps "Goal:", "100%"
                b = w.ToggleButton(description=label, tooltip=f"Mark '{word.text}'")
                self.labels.append(label)
                b.layout.width = "auto"
                b.layout.margin = "1px"
                b.observe(lambda c, i=word.index: self._clicked(i, c["new"]), "value")
                b.add_class("gs-word")
                self.word_buttons.append(b)
                row.append(b)
            if row:
                indent = len(lines[line]) - len(lines[line].lstrip())
                rows.append(
                    w.HBox(row, layout=w.Layout(flex_flow="row wrap", margin=f"0 0 0 {indent}ex"))
                )
        self.counts = w.HTML()
        self.results = w.HTML()
        self.rewording = labelled(
            text_area("Rewrite one sentence here", rows=3),
            "Try a rewording",
            help_text="The studio checks it as you type. It suggests; the words stay yours.",
        )
        area = self.rewording.children[0]
        area.continuous_update = True
        self.reword_area: w.Textarea = area
        self.reword_result = w.HTML()
        self._checker = Debouncer(CHECK_DELAY, self.check_rewording, self.clock)
        w.link((area, "value"), (self, "reworded"))
        area.observe(lambda _c: self._checker.trigger(), "value")
        return [
            w.HTML(
                "<h3>Spot the language</h3><p>Click each word or phrase that could judge, "
                "label or shut out the person. Click again to unmark. When you are ready, "
                "reveal what the studio finds.</p>"
            ),
            w.VBox(rows),
            w.HBox([button("Show what the studio finds", self.reveal, style="primary")]),
            self.counts,
            self.results,
            self.rewording,
            self.reword_result,
        ]

    # -- learner actions ----------------------------------------------------------------------

    def _clicked(self, index: int, value: bool) -> None:
        if (index in self.spot.marked) != value:
            self.spot.toggle(index)
        # A tick as well as the colour: marked words are visible without colour.
        self.word_buttons[index].description = ("✓ " if value else "") + self.labels[index]
        self.marked = sorted(self.spot.marked)

    @observe("marked")
    def _show_marked(self, _change: object) -> None:
        wanted = set(self.marked)  # fixed now: each button below updates the trait again
        for i, b in enumerate(self.word_buttons):
            b.value = i in wanted

    @guard
    def toggle(self, index: int) -> bool:
        """Mark or unmark word ``index`` (0-based), as a click does."""
        now = self.spot.toggle(index)
        self.word_buttons[index].value = now
        return now

    @guard
    def mark(self, phrase: str) -> list[int]:
        """Mark every word of a phrase in the passage."""
        indices = self.spot.mark_phrase(phrase)
        for i in indices:
            self.word_buttons[i].value = True
        return indices

    @guard
    def reveal(self) -> SpotResult:
        """Compare the marks with the lexicon; record the attempt."""
        result = self.spot.result()
        self.result = result
        self.store.add_attempt(
            self.learner,
            self.activity,
            self.spot.text,
            result.to_dict(),
            scenario=self.scenario_id,
            module=self.module,
        )
        self.counts.value = (
            f'<div class="gs-ok" role="status"><b>You found {len(result.found)} of '
            f"{len(result.found) + len(result.missed)}.</b> Missed: {len(result.missed)}. "
            f"Marked where the studio found nothing: {len(result.over_flagged)} (worth a "
            "second look; the studio's list is a guide, not the last word).</div>"
        )
        cards = []
        groups: dict[tuple[str, str, str], list[TermMatch]] = {}
        for m in result.found:
            groups.setdefault(("mark", "Found", m.entry.id + m.matched_text.lower()), []).append(m)
        for m in result.missed:
            groups.setdefault(("miss", "Missed", m.entry.id + m.matched_text.lower()), []).append(m)
        for (kind, word, _key), matches in groups.items():
            m = matches[0]
            times = f" ({len(matches)} times)" if len(matches) > 1 else ""
            alts = "; ".join(m.entry.alternatives[:3])
            cards.append(
                f'<div class="gs-card"><span class="gs-{kind}">{word}: '
                f"“{esc(m.matched_text)}”{times}</span><br>{esc(m.entry.why)}<br><i>Instead, "
                f"consider:</i> {esc(alts)}</div>"
            )
        for s, e in result.over_flagged:
            cards.append(
                f'<div class="gs-card"><span class="gs-over">You marked: '
                f"“{esc(self.spot.text[s:e])}”</span>. The studio did not flag it. Was it "
                "the word itself, or how it was used?</div>"
            )
        self.results.value = "".join(cards)
        return result

    def check_rewording(self) -> list[str]:
        """Check the rewording now; returns the phrases still worth another look."""
        text = self.reword_area.value
        if not text.strip():
            self.reword_result.value = ""
            return []
        matches = check_rewording(text, self.locale.code)
        if not matches:
            self.reword_result.value = (
                '<div class="gs-ok" role="status">✓ The studio finds nothing to question '
                "in this wording.</div>"
            )
        else:
            items = "".join(
                f"<li>“{esc(m.matched_text)}”: {esc(m.entry.why)} <i>Consider:</i> "
                f"{esc('; '.join(m.entry.alternatives[:3]))}</li>"
                for m in matches
            )
            self.reword_result.value = (
                f'<div class="gs-error" role="status">Still worth another look:<ul>{items}'
                "</ul></div>"
            )
        return [m.matched_text for m in matches]

    def type_rewording(self, text: str) -> None:
        self.reword_area.value = text

    def flush(self) -> None:
        self._checker.flush()
        super().flush()

    # -- drafts -------------------------------------------------------------------------------

    @validate("marked")
    def _words_of_this_passage(self, proposal: Any) -> list[int]:
        return sorted({i for i in proposal["value"] if 0 <= i < len(self.word_buttons)})

    def restored(self) -> None:
        self._checker.cancel()
        self.check_rewording()
