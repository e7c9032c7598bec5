"""Agreement of ``goalstudio.rubric.classify`` with expert labels.

Prints agreement and a confusion matrix for the development set
(``../shared/data/dev_statements.tsv``, or the path given with --dev) and, separately, for the
studio's own held-out set (``tests/fixtures/classify/held_out.tsv``), written without looking
at the classifier's output on it. Run: ``.venv/bin/python benchmarks/classify.py [-v]``.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from goalstudio.rubric import LABELS, classify

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "data" / "dev_statements.tsv"
HELD_OUT = ROOT / "tests" / "fixtures" / "classify" / "held_out.tsv"
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
    width = max(len(label) for label in LABELS) + 2
    print("  expected \\ got".ljust(width + 2) + "".join(label.rjust(width) for label in LABELS))
    for expected in LABELS:
        cells = "".join(str(matrix[expected][got]).rjust(width) for got in LABELS)
        print(f"  {expected}".ljust(width + 2) + cells)
    binary = [r for r in rows if r["label"] != "mixed"]
    if binary and len(binary) != total:
        hits = sum(classify(r["text"]).label == r["label"] for r in binary)
        print(
            f"  deficit-led and person-centred statements only: {hits}/{len(binary)} "
            f"({hits / len(binary):.1%})"
        )
    return share


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=DEV, help="development set (TSV)")
    parser.add_argument("--held-out", type=Path, default=HELD_OUT, help="held-out set (TSV)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list disagreements")
    args = parser.parse_args(argv)
    for name, path in (("development set", args.dev), ("held-out set", args.held_out)):
        if not path.exists():
            print(f"{name}: {path} not found, skipped", file=sys.stderr)
            continue
        evaluate(f"{name} ({path.name})", read_tsv(path), args.verbose)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
