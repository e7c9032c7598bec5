"""The dashboards' landing page: titles, one line each, and a mark on pages with model answers.

Voilà's own landing page was a bare list of ``.ipynb`` file names. The studio's Voilà template
replaces it with ``tree-lab.html`` (and ``tree.html``, the classic name), written from the list
below by ``python -m goalstudio.widgets.dashboards._index`` and committed; a test checks the
committed page matches this list. The page is plain HTML with inline styles: it loads nothing
from off the machine. Files not in the list (a learner's course in app mode) are listed by a
readable form of their name.
"""

from __future__ import annotations

import html
import sys
from dataclasses import dataclass
from pathlib import Path

from ._audit import AuditRounds
from ._board import WorkshopBoard
from ._cohort import CohortProgress
from ._explorer import ScenarioExplorer
from ._gap import CompetenceGap
from ._language import LanguageBoard
from ._profile import RubricProfile


@dataclass(frozen=True)
class Page:
    file: str
    title: str
    description: str
    model_answers: bool = False


PAGES = (
    Page(
        "01-workshop-board.ipynb",
        WorkshopBoard.title,
        "Who is working on what, the plans just submitted and the five criteria, refreshed as "
        "work comes in. Tick 'Anonymise for projection' before sharing your screen.",
    ),
    Page(
        "02-cohort-progress.ipynb",
        CohortProgress.title,
        "Activities and modules completed and time on task, per learner and module, with group "
        "and date filters.",
    ),
    Page(
        "03-competence-gap.ipynb",
        CompetenceGap.title,
        "Learners' self-ratings before and after the course beside the skill their plans show.",
    ),
    Page(
        "04-language-board.ipynb",
        LanguageBoard.title,
        "The deficit-led phrases found most often in the team's plans, their trend, and what to "
        "say instead. Shows no names.",
    ),
    Page(
        "05-rubric-profile.ipynb",
        RubricProfile.title,
        "How the team's plans do on each of the five criteria, overall or per case study, and "
        "what to teach next.",
    ),
    Page(
        "06-scenario-explorer.ipynb",
        ScenarioExplorer.title,
        "Each case study's story, model rewrite, facilitator notes and conversation map.",
        model_answers=True,
    ),
    Page(
        "07-audit-rounds.ipynb",
        AuditRounds.title,
        "Each practice audit of the team's de-identified plans over time, and what changed "
        "from one round to the next. Shows no names.",
    ),
)
MODEL_ANSWERS_MARK = "Shows model answers: do not project while learners are working"

_STYLE = """
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2937;
background:#f8fafc;line-height:1.5}
main{max-width:860px;margin:0 auto;padding:2rem 1.25rem}
h1{font-size:1.6rem;margin:0 0 .25rem}
.gs-lead{margin:0 0 1.5rem;color:#374151}
ul.gs-pages{list-style:none;margin:0;padding:0}
ul.gs-pages li{background:#fff;border:1px solid #cbd5e1;border-radius:8px;margin:0 0 .75rem;
padding:.9rem 1rem}
ul.gs-pages a{font-size:1.15rem;font-weight:600;color:#1d4ed8}
ul.gs-pages a:focus-visible{outline:3px solid #b45309;outline-offset:2px}
ul.gs-pages p{margin:.25rem 0 0}
.gs-answers{display:inline-block;margin-top:.4rem;padding:.1rem .5rem;border-radius:4px;
background:#fef3c7;color:#7c2d12;border:1px solid #b45309;font-weight:600}
"""


def render() -> str:
    """The landing page template (Jinja, as Voilà renders its tree page)."""
    known = "".join(
        "{% "
        + f'set _ = pages.update({{"{p.file}": ({_j(p.title)}, {_j(p.description)}, '
        + f"{'True' if p.model_answers else 'False'})}})"
        + " %}\n"
        for p in PAGES
    )
    return f"""{{#- Goal Discovery Studio: the Voilà landing page. Written by
    `python -m goalstudio.widgets.dashboards._index` from widgets/dashboards/_index.py; edit
    that file, not this one. -#}}
{{% set pages = {{}} %}}
{known}<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Goal Discovery Studio</title>
<link rel="icon" href="data:;base64,=">
<style>{_STYLE}</style>
</head>
<body>
<main>
{{% set files = [] %}}
{{% for content in contents.content %}}{{% if content.type == 'notebook' %}}{{% set _ = files.append(content) %}}{{% endif %}}{{% endfor %}}
{{% if pages and (files | selectattr('name', 'in', pages) | list) %}}
<h1>Facilitator dashboards</h1>
<p class="gs-lead">Each page opens in a new tab and reads the workshop's records store.</p>
{{% else %}}
<h1>Goal Discovery Studio</h1>
<p class="gs-lead">Choose a page to open it.</p>
{{% endif %}}
<ul class="gs-pages">
{{% for content in files %}}
{{% set page = pages.get(content.name) %}}
<li><a href="{{{{ base_url }}}}voila/render/{{{{ content.path | urlencode }}}}{{% if query %}}?{{{{ query }}}}{{% endif %}}" target="_blank" rel="noopener">{{% if page %}}{{{{ page[0] }}}}{{% else %}}{{{{ content.name[:-6] | replace('-', ' ') | capitalize }}}}{{% endif %}}</a>
{{% if page %}}<p>{{{{ page[1] }}}}</p>{{% if page[2] %}}<p class="gs-answers">{_h(MODEL_ANSWERS_MARK)}</p>{{% endif %}}{{% endif %}}
</li>
{{% endfor %}}
</ul>
</main>
</body>
</html>
"""


def _j(text: str) -> str:
    """A Jinja string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _h(text: str) -> str:
    return html.escape(text, quote=True)


def template_files() -> list[Path]:
    # The template ships beside this module (goalstudio.widgets.dashboards/share).
    folder = Path(__file__).resolve().parent / "share" / "voila" / "templates" / "goalstudio"
    return [folder / "tree-lab.html", folder / "tree.html"]


if __name__ == "__main__":  # pragma: no cover - writes the committed template
    for path in template_files():
        path.write_text(render(), encoding="utf-8")
        print(f"Wrote {path}", file=sys.stderr)
