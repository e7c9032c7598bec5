"""``run_audit``: read a folder of plans into an audit round, one file at a time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from goalstudio.audit._assess import assess
from goalstudio.audit._read import AuditReadError, PlanFile, Refusal, plan_files, read_file
from goalstudio.records import RecordStore

BATCH = 200  # plans held in memory before they are written


@dataclass
class AuditRun:
    """What a run did: plans read, added (new to the round), and the files left out."""

    round: str
    read: int = 0
    added: int = 0
    partial: list[str] = field(default_factory=list)  # read only in part or statement by statement
    refused: list[Refusal] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # messages naming file and fix

    @property
    def already_there(self) -> int:
        return self.read - self.added


def run_audit(
    folder: Path,
    round_name: str,
    store: RecordStore,
    *,
    locale: str = "en-GB",
    progress: Callable[[PlanFile | Refusal | str], None] | None = None,
) -> AuditRun:
    """Read every plan file in ``folder`` into the audit round ``round_name``.

    A file that looks identifying is refused (nothing of it is stored) and one that cannot be
    read is named with the fix; the run goes on with the rest. Plans are written in batches.
    """
    run = AuditRun(round_name)
    batch: list[dict[str, Any]] = []

    def flush() -> None:
        if batch:
            run.added += store.add_audit_plans(round_name, batch, locale=locale)
            batch.clear()

    for path in plan_files(folder):
        try:
            found = read_file(path)
        except AuditReadError as exc:
            run.unreadable.append(str(exc))
            if progress:
                progress(str(exc))
            continue
        if isinstance(found, Refusal):
            run.refused.append(found)
        else:
            run.read += 1
            if found.read != "full":
                run.partial.append(found.source)
            batch.append(
                {
                    "digest": found.digest,
                    "source": found.source,
                    "kind": found.kind,
                    "read": found.read,
                    "words": found.words,
                    "summary": assess(found, locale),
                }
            )
            if len(batch) >= BATCH:
                flush()
        if progress:
            progress(found)
    flush()
    return run
