"""The course states its facts as its sources do, and every citation has a full reference.

Two promises to a trainer who checks the course against its sources:

- the statements a review found wrong (issue 14, section 1) never come back, and the corrected
  wording that replaced each one stays;
- every "(Author, year)" citation, every "Author (year)" and every Act named with its year, in
  the course notebooks, facilitator material, assignments, programme, concept checks, sorts and
  scenario files, resolves
  to an entry in the one list of sources at the foot of the course home (``home.ipynb#sources``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import REPO

COURSE = REPO / "course"
HOME = COURSE / "home.ipynb"

_ENTRY = re.compile(r"^- \*\*(.+?)\.\*\*", re.MULTILINE)
_PARENS = re.compile(r"\(([^()]*)\)")
_YEAR = r"(?:(?:19|20)\d\d|n\.d\.)"
# Inside brackets: "Author, 2016", "Author and Other, 2016", "Author et al., 2016" (the scenario
# files also write "Author et al. 2016" without the comma).
_PAREN_CITE = re.compile(rf"([A-Z][^,;()]*?)(,?) ({_YEAR})(?![\d])")
# In running text: "Croft and Tondora (2025)", "Smale et al. (1993)".
_NAME = r"[A-Z][A-Za-z'’-]+"
_NARRATIVE = re.compile(rf"\b({_NAME}(?: (?:and|&) {_NAME}| et al\.)?) \(((?:19|20)\d\d)\)")
# Laws: "Mental Capacity Act 2005", "Adults with Incapacity (Scotland) Act 2000".
_WORD = r"(?:[A-Z][a-z]+|\([A-Z][a-z]+\))"
_ACT = re.compile(rf"\b({_WORD}(?: (?:{_WORD}|with|of|and|for))*? Act) ((?:19|20)\d\d)\b")


def _key(citation: str) -> str:
    text = citation.replace("&", "and").replace(",", " ").replace(".", " ").lower()
    return " ".join(text.split())


def _markdown_cells(path: Path) -> list[str]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]


def _reference_entries() -> dict[str, str]:
    entries = {}
    for text in _markdown_cells(HOME):
        for key in _ENTRY.findall(text):
            entries[_key(key)] = key
    return entries


def _course_texts(*, scenarios: bool = True) -> list[tuple[str, str]]:
    """(file, text) for everything a learner or facilitator reads, the references excluded."""
    texts = []
    notebooks = [*sorted(COURSE.glob("*.ipynb")), *sorted(COURSE.glob("assignments/*/*.ipynb"))]
    for path in notebooks:
        for text in _markdown_cells(path):
            if not _ENTRY.search(text):  # the list of sources itself
                texts.append((str(path.relative_to(REPO)), text))
    others = [*sorted(COURSE.glob("facilitator/*.md")), COURSE / "programme-two-day.yaml"]
    others += [*sorted(COURSE.glob("checks/*.yaml")), *sorted(COURSE.glob("sorts/*.yaml"))]
    if scenarios:
        others += sorted((REPO / "scenarios").glob("*.yaml"))
    for path in others:
        texts.append((str(path.relative_to(REPO)), path.read_text(encoding="utf-8")))
    return [(name, " ".join(text.replace("*", "").split())) for name, text in texts]


def _citations(text: str) -> list[str]:
    found = []
    for group in _PARENS.findall(text):
        for part in group.split(";"):
            # "Publisher, Title of the report, 2023": the publisher is the author.
            whole = re.fullmatch(rf"\s*([A-Z][^,]*), [^()]*?, ({_YEAR})\s*", part)
            if whole and "et al." not in part and not re.search(r"\d", part[: whole.start(2)]):
                found.append(f"{whole.group(1)}, {whole.group(2)}")
                continue
            for authors, comma, year in _PAREN_CITE.findall(part):
                if comma or authors.endswith("et al."):
                    found.append(f"{authors}, {year}")
    found += [f"{authors}, {year}" for authors, year in _NARRATIVE.findall(text)]
    return found


def test_every_citation_resolves_to_one_list_of_sources() -> None:
    entries = _reference_entries()
    assert len(entries) >= 20
    cited: set[str] = set()
    missing = []
    for name, text in _course_texts():
        for citation in _citations(text):
            cited.add(_key(citation))
            if _key(citation) not in entries:
                missing.append(f"{name}: ({citation})")
    for name, text in _course_texts(scenarios=False):
        for act, year in _ACT.findall(text):
            if _key(f"{act} {year}") not in entries:
                missing.append(f"{name}: {act} {year}")
    assert missing == [], (
        "add a full reference for each of these to the Sources list in course/home.ipynb "
        "(a bullet starting '- **Author, year.**'), or cite an entry already there"
    )
    # The check is real: the citations the course leans on most are found and resolved.
    for key in ("Simpson et al., 2016", "Croft and Tondora, 2025", "Miller et al., 2017"):
        assert _key(key) in cited


def test_the_citation_reader_finds_each_form() -> None:
    text = (
        "(Simpson et al., 2016, the COCAPP study) and (Miller and Barrie, 2016; Kauth et al., "
        "2017) as Croft and Tondora (2025) say; (Simpson et al. 2016); not (by March 2025) "
        "nor (s17A MHA 1983); (NHS Digital, Mental Health Act statistics, 2023)."
    )
    assert _citations(text) == [
        "Simpson et al., 2016",
        "Miller and Barrie, 2016",
        "Kauth et al., 2017",
        "Simpson et al., 2016",
        "NHS Digital, 2023",
        "Croft and Tondora, 2025",
    ]
    assert _ACT.findall("under the Adults with Incapacity (Scotland) Act 2000 and") == [
        ("Adults with Incapacity (Scotland) Act", "2000")
    ]


def test_the_sources_are_in_the_learner_release_and_linked_from_the_modules() -> None:
    from goalstudio.courseware.release import anchors, learner_notebook, read_notebook

    home = learner_notebook(read_notebook(HOME))
    assert "sources" in anchors(home)
    released = "".join("".join(c["source"]) for c in home["cells"])
    assert "Perske, R. (1972)" in released and "Simpson, A., Hannigan, B." in released
    for path in sorted(COURSE.glob("[0-9][0-9]-*.ipynb")):
        assert "](home.ipynb#sources)" in _markdown_cells(path)[-1], path.name


# Each statement a review of the course against its sources found wrong (issue 14, section 1),
# with the wording from the source that replaced it.
CORRECTIONS = [
    # 1. The competency domains: five authors, 2022 (002, Resources).
    (r"Tondora, Croft et al\., 2020", "00-welcome.ipynb", "(Tondora et al., 2022)"),
    # 2. Meaningful and Measurable worked in Scotland; the criteria were identified (000).
    (r"Scotland and Wales working on personal outcomes agreed", "03-from-deficits", "identified"),
    # 3. The 273 were leaders, supervisors and direct-care staff in the US trial (000).
    (r"273 staff in the CRISP project", "08-reviewing", "273 leaders, supervisors and direct-care"),
    # 4. Site-level reports, not a finding: care co-ordinators at one site (003 L2076).
    (r"involvement\W+often meant signing", "05-the-exchange", "care co-ordinators at one site"),
    # 5. Two separate findings about risk, and whose view "rarely considered" is (003 L2387, L2082).
    (r"mainly from fear of\s+blame", "06-risk", "main concern about risk was blame"),
    (r"positive risk-taking rarely appeared in plans", "06-risk", '"rarely considered in care'),
    # 6. One site: some plans not changed for four years (003 L2668).
    (r"COCAPP found plans unchanged for years", "04-writing", "not to have changed for four years"),
    # 7. The figure is about mental health patients, from a study of severe mental illness (L3114).
    (r"40% of people with mental health\s+problems", "06-risk", "adults with severe mental"),
    # 8. Not all had a copy; one had never received a plan (003 L2068, L1481).
    (r"never seen their care plan", "", ""),
    # 9. Consent and confidentiality: raised at two sites (003 L2990).
    (r"confidentiality was a frequent worry", "05-the-exchange", "at two of the six sites"),
    # 10. The template item is "inclusion of the person's views" (003 L3820).
    (r"is the plan in the person's words", "08-reviewing", "inclusion of the person's views"),
    # 11. "Best hope" is not credited to Talking Points in the reference material.
    (r"best hope[^\n]*Talking Points", "", ""),
    # 12. Module 3's title is the manifest's.
    (r"From deficits to outcomes", "01-spot-the-language", "From problem lists to outcomes"),
]


@pytest.mark.parametrize(("wrong", "where", "right"), CORRECTIONS)
def test_a_corrected_statement_stays_corrected(wrong: str, where: str, right: str) -> None:
    texts = _course_texts()
    back = [name for name, text in texts if re.search(wrong, text, re.IGNORECASE)]
    assert back == [], f"a statement the sources do not support is back: {wrong!r}"
    if where:
        assert any(where in name and right in text for name, text in texts), (where, right)
