"""Agreement of ``goalstudio.rubric.classify`` with expert labels.

Prints agreement per class and a confusion matrix for the development set
(``../shared/data/dev_statements.tsv``, or the path given with --dev), for the adversarial suite
(``tests/fixtures/adversarial/statements.tsv``: statements written to game surface features,
kept apart from the development set) and, separately, for each of the studio's own held-out
sets (``tests/fixtures/classify/held_out*.tsv``): realistic plan statements in the styles of US
treatment-planning guides and UK and Australian outcome-focused guidance, each written before
the classifier was run on it. Run: ``.venv/bin/python benchmarks/classify.py [-v]``.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from goalstudio.rubric import LABELS, classify

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "data" / "dev_statements.tsv"
HELD_OUT = sorted((ROOT / "tests" / "fixtures" / "classify").glob("held_out*.tsv"))
ADVERSARIAL = ROOT / "tests" / "fixtures" / "adversarial" / "statements.tsv"
KINDS = {"goal", "objective", "action_step"}


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def evaluate(name: str, rows: list[dict[str, str]], verbose: bool) -> float:
    matrix = {a: dict.fromkeys(LABELS, 0) for a in LABELS}
    agree = 0
    for row in rows:
        kind = row.get("kind") if row.get("kind") in KINDS else None
        result = classify(row["text"], kind)
        matrix[row["label"]][result.label] += 1
        if result.label == row["label"]:
            agree += 1
        elif verbose:
            print(f"  expected {row['label']:<14} got {result.label:<14} {row['text']}")
            print(
                f"      P={result.person_score:.1f} S={result.system_score:.1f} "
                + "; ".join(result.reasons)
            )
    total = len(rows)
    share = agree / total if total else 0.0
    print(f"{name}: {agree}/{total} agree ({share:.1%})")
    per_class = []
    for label in LABELS:
        row_total = sum(matrix[label].values())
        if row_total:
            per_class.append(f"{label} {matrix[label][label]}/{row_total}")
    print("  agreement per class: " + ", ".join(per_class))
    width = max(len(label) for label in LABELS) + 2
    print("  expected \\ got".ljust(width + 2) + "".join(label.rjust(width) for label in LABELS))
    for expected in LABELS:
        cells = "".join(str(matrix[expected][got]).rjust(width) for got in LABELS)
        print(f"  {expected}".ljust(width + 2) + cells)
    binary = [r for r in rows if r["label"] != "mixed"]
    if binary and len(binary) != total:
        hits = sum(
            classify(r["text"], r.get("kind") if r.get("kind") in KINDS else None).label
            == r["label"]
            for r in binary
        )
        print(
            f"  deficit-led and person-centred statements only: {hits}/{len(binary)} "
            f"({hits / len(binary):.1%})"
        )
    return share


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=DEV, help="development set (TSV)")
    parser.add_argument(
        "--held-out", type=Path, action="append", help="held-out set (TSV); repeatable"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="list disagreements")
    args = parser.parse_args(argv)
    sets = [("development set", args.dev), ("adversarial suite", ADVERSARIAL)]
    sets += [("held-out set", path) for path in (args.held_out or HELD_OUT)]
    pooled: list[dict[str, str]] = []
    for name, path in sets:
        if not path.exists():
            print(f"{name}: {path} not found, skipped", file=sys.stderr)
            continue
        rows = read_tsv(path)
        if name == "held-out set":
            pooled.extend(rows)
        evaluate(f"{name} ({path.name})", rows, args.verbose)
        print()
    if pooled:
        evaluate("all held-out sets together", pooled, verbose=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
