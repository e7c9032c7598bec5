"""Print how well the language lexicon separates deficit terms from the wording guides recommend.

    .venv/bin/python benchmarks/language.py

The labelled set is ``tests/fixtures/language/guides.tsv`` (and a later, smaller held-out set,
``guides_heldout.tsv``, in realistic plan sentences): deficit terms and recommended
alternatives from published recovery-oriented and person-first language guides, each in a short
plan-like sentence (written in our own words). Targets (issue 13): flag at least 95% of the
deficit terms, and at most 2% of the recommended alternatives.

Figures per locale: the share of deficit terms flagged (a finding over the term where it
stands), the share of recommended sentences flagged at all, both per area, and the same two
shares with the lexicon's context rules (``fine_when`` / ``gentle_when``) switched off, measured in
the same run, to show what the rules change. Misses and false flags are listed by name.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

from goalstudio import LOCALES
from goalstudio.rubric import Lexicon, load_lexicon

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "language"
DATA = FIXTURES / "guides.tsv"
# Written after the lexicon work of issue 13 and first measured untuned: 54/60 deficit terms
# flagged (90.0%), 0/55 alternatives flagged. The six missed forms were then added to the lexicon.
HELD_OUT = FIXTURES / "guides_heldout.tsv"
TARGET_FLAGGED = 0.95
TARGET_FALSE = 0.02


def read_rows(path: Path = DATA) -> list[tuple[str, str, str, str]]:
    """(kind, area, term, sentence) rows; '#' lines are comments."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 4 or parts[0] not in ("deficit", "recommended"):
            raise SystemExit(f"{path}: line {number}: expected kind, area, term, sentence")
        if parts[2].lower() not in parts[3].lower():
            raise SystemExit(f"{path}: line {number}: the sentence does not contain the term")
        rows.append((parts[0], parts[1], parts[2], parts[3]))
    return rows


def flagged(lexicon: Lexicon, kind: str, term: str, sentence: str) -> bool:
    """A deficit row is caught when a match covers the term; a recommended row when any match."""
    matches = lexicon.find(sentence)
    if kind == "recommended":
        return bool(matches)
    at = sentence.lower().find(term.lower())
    return any(m.start < at + len(term) and m.end > at for m in matches)


def without_context_rules(lexicon: Lexicon) -> Lexicon:
    """The same entries with their context rules switched off (the in-run baseline)."""
    entries = [e.model_copy(update={"fine_when": [], "gentle_when": []}) for e in lexicon]
    return Lexicon(entries, locale=lexicon.locale)


def score(lexicon: Lexicon, rows: list[tuple[str, str, str, str]]) -> dict[str, object]:
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    wrong: dict[str, list[str]] = {"deficit": [], "recommended": []}
    for kind, area, term, sentence in rows:
        hit = flagged(lexicon, kind, term, sentence)
        for key in ((kind, area), (kind, "all")):
            counts[key][0] += hit
            counts[key][1] += 1
        if hit != (kind == "deficit"):
            wrong[kind].append(sentence)
    return {"counts": counts, "wrong": wrong}


def _share(pair: list[int]) -> str:
    hits, total = pair
    return f"{hits}/{total} ({100 * hits / total:.1f}%)" if total else "-"


def main() -> int:
    ok = True
    for path in (DATA, HELD_OUT):
        ok = report(path) and ok
    return 0 if ok else 1


def report(path: Path) -> bool:
    rows = read_rows(path)
    ok = True
    print(f"\nLanguage benchmark: {path.name}, {len(rows)} rows")
    for locale in LOCALES:
        lexicon = load_lexicon(locale)
        result = score(lexicon, rows)
        baseline = score(without_context_rules(lexicon), rows)
        counts = result["counts"]
        base_counts = baseline["counts"]
        assert isinstance(counts, dict) and isinstance(base_counts, dict)
        areas = sorted({area for kind, area in counts if area != "all"})
        print(f"\n{locale}")
        print(f"  {'area':<14}{'deficit flagged':>22}{'recommended flagged':>26}")
        for area in [*areas, "all"]:
            print(
                f"  {area:<14}{_share(counts.get(('deficit', area), [0, 0])):>22}"
                f"{_share(counts.get(('recommended', area), [0, 0])):>26}"
            )
        d_hits, d_total = counts[("deficit", "all")]
        r_hits, r_total = counts[("recommended", "all")]
        b_r_hits, _ = base_counts[("recommended", "all")]
        b_d_hits, _ = base_counts[("deficit", "all")]
        print(
            f"  without context rules (same run): deficit {_share([b_d_hits, d_total])}, "
            f"recommended {_share([b_r_hits, r_total])}"
        )
        wrong = result["wrong"]
        assert isinstance(wrong, dict)
        for sentence in wrong["deficit"]:
            print(f"  missed: {sentence}")
        for sentence in wrong["recommended"]:
            print(f"  false flag: {sentence}")
        met = d_hits / d_total >= TARGET_FLAGGED and r_hits / r_total <= TARGET_FALSE
        ok = ok and met
        print(
            f"  target (>= {TARGET_FLAGGED:.0%} flagged, <= {TARGET_FALSE:.0%} false): "
            + ("met" if met else "NOT met")
        )
    return ok


if __name__ == "__main__":
    sys.exit(main())
