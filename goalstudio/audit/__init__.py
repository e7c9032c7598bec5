"""Practice audits: the rubric turned on a team's own de-identified plans, round by round.

    from goalstudio.audit import load_rounds, render_html, run_audit
    from goalstudio.records import RecordStore

    with RecordStore() as store:
        run = run_audit(Path("plans"), "baseline", store)  # refuses identifying files
        html = render_html(load_rounds(store, ["baseline", "follow-up"]))
        history = audit_history(store)  # every round's profile and the change between them

Each file passes the privacy check before anything is stored; a file that looks identifying is
refused with the line and the kind of identifier named. Plans are kept in the records store by
the digest of their source file, so reading a folder twice adds nothing.
"""

from goalstudio.audit._assess import assess
from goalstudio.audit._history import (
    HEADLINE_MEASURES,
    AuditHistory,
    RoundChange,
    RoundProfile,
    audit_history,
)
from goalstudio.audit._measures import Difference, Measure
from goalstudio.audit._read import (
    SUFFIXES,
    AuditReadError,
    PlanFile,
    Refusal,
    read_file,
    split_statements,
    structure,
)
from goalstudio.audit._report import AuditReportError, csv_report, load_rounds, render_html
from goalstudio.audit._run import AuditRun, run_audit

__all__ = [
    "HEADLINE_MEASURES",
    "SUFFIXES",
    "AuditHistory",
    "AuditReadError",
    "AuditReportError",
    "AuditRun",
    "Difference",
    "Measure",
    "PlanFile",
    "Refusal",
    "RoundChange",
    "RoundProfile",
    "assess",
    "audit_history",
    "csv_report",
    "load_rounds",
    "read_file",
    "render_html",
    "run_audit",
    "split_statements",
    "structure",
]
