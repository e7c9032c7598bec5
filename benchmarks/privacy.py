"""The privacy check on a labelled set: how many identifying texts it catches, how many
look-alikes it flags, and how long it takes beside a baseline in the same run.

The set (tests/fixtures/privacy/labelled.tsv) holds texts that would identify a real person
(names with dates of birth, NHS and Social Security numbers, phones, e-mails, street
addresses) and texts that only look as if they might (drama phone numbers, helplines, laws with
their years, documents with dates, reserved e-mail domains). Targets: at least 95% caught, at
most 2% of look-alikes flagged.

    .venv/bin/python benchmarks/privacy.py [--show-misses]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from goalstudio.privacy import check_privacy

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.test_privacy import load_set


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-misses", action="store_true", help="list each miss and alarm")
    args = parser.parse_args()
    rows = load_set()
    identifying = [text for label, text in rows if label == "identifying"]
    lookalikes = [text for label, text in rows if label == "lookalike"]
    caught = [text for text in identifying if check_privacy(text)]
    alarms = [text for text in lookalikes if check_privacy(text)]
    print(
        f"labelled set: {len(rows)} texts ({len(identifying)} identifying, "
        f"{len(lookalikes)} look-alikes)"
    )
    print(
        f"identifying texts caught: {len(caught)}/{len(identifying)} "
        f"= {len(caught) / len(identifying):.1%} (target >= 95%)"
    )
    print(
        f"look-alikes flagged:      {len(alarms)}/{len(lookalikes)} "
        f"= {len(alarms) / len(lookalikes):.1%} (target <= 2%)"
    )
    if args.show_misses:
        for text in identifying:
            if text not in caught:
                print(f"  missed: {text}")
        for text in alarms:
            print(f"  false alarm: {text}")
    # Time per text, beside a baseline that only lower-cases the same texts (same run).
    texts = [text for _, text in rows]
    checks, floor = [], []
    for _ in range(20):
        start = time.perf_counter()
        for text in texts:
            check_privacy(text)
        checks.append(time.perf_counter() - start)
        start = time.perf_counter()
        for text in texts:
            text.lower()
        floor.append(time.perf_counter() - start)
    per_text = statistics.median(checks) / len(texts) * 1e6
    print(
        f"check time: {per_text:.1f} µs per text (median of 20 passes; baseline "
        f"str.lower {statistics.median(floor) / len(texts) * 1e6:.2f} µs)"
    )
    long_text = " ".join(texts) * 40
    start = time.perf_counter()
    check_privacy(long_text)
    print(f"one {len(long_text) / 1000:.0f} kB text: {(time.perf_counter() - start) * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
