"""The roster: which group each learner is in, from a CSV the facilitator gives
(``goalstudio dashboard --roster CSV``). The records store keys learners by the name they chose,
never by a real identity, so groups come from here."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any


def load_roster(path: str | Path | None) -> Any:
    """A roster CSV with ``learner`` and ``group`` columns (other columns are ignored), as a
    pandas frame. No path gives an empty roster; a missing file or missing columns raise a
    ValueError naming the file and the fix."""
    import pandas as pd

    empty = pd.DataFrame(columns=["learner", "group"])
    if not path:
        return empty
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ValueError(
            f"the roster {file} cannot be read ({exc.strerror}); check the path"
        ) from None
    reader = csv.DictReader(io.StringIO(text))
    fields = [f.strip().lower() for f in (reader.fieldnames or [])]
    if "learner" not in fields or "group" not in fields:
        raise ValueError(
            f"the roster {file} needs a header line with 'learner' and 'group' columns "
            f"(it has: {', '.join(fields) or 'no header'})"
        )
    rows = []
    for row in reader:
        clean = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
        if clean.get("learner"):
            rows.append((clean["learner"], clean.get("group") or "(no group)"))
    return pd.DataFrame(rows, columns=["learner", "group"]).drop_duplicates("learner")
