"""Export records as CSV or xAPI statements, and import an export into another store.

CSV: one row per attempt, reflection, self-rating and event, with a ``record_id`` column. It
opens in a spreadsheet, and the learner / activity / score columns import into an LMS gradebook.
A text cell that a spreadsheet would run as a formula (it starts with ``=``, ``+``, ``-``, ``@``,
a tab, a carriage return or ``'``) is written with one extra leading ``'``, which import removes
again. Lone surrogates cannot be written as UTF-8, so both CSV and xAPI show them as U+FFFD.

Import reads either format and adds only the records whose ``record_id`` (the xAPI statement id)
the store does not hold yet, all in one transaction: importing the same file twice adds nothing.
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TextIO
from urllib.parse import unquote

from sqlalchemy import Connection, Table, insert, select

from goalstudio._bounds import NestingTooDeep, safe_json
from goalstudio._spreadsheet import guard_cell
from goalstudio.privacy import privacy_notice
from goalstudio.records import _schema as s
from goalstudio.records._errors import RecordInputError
from goalstudio.records._score import score_from_review
from goalstudio.records._store import (
    RecordStore,
    _check_key,
    _check_score,
    _to_json,
)
from goalstudio.records._text import MAX_TEXT_CHARS, decode_text, encode_text
from goalstudio.records._types import EVENT_KINDS, PHASES, RATING_MAX, RATING_MIN
from goalstudio.records._xapi import (
    DEFAULT_HOME_PAGE,
    VERB_ANSWERED,
    VERB_ATTEMPTED,
    VERB_COMMENTED,
    VERB_COMPLETED,
    VERB_RESPONDED,
    extension,
    statement,
    validate_statement,
)

CSV_COLUMNS = (
    "record_id",
    "kind",
    "learner",
    "activity",
    "scenario",
    "module",
    "created_at",
    "score",
    "phase",
    "domain",
    "rating",
    "event",
    "text",
    "detail",
)
_GUARDED = ("learner", "activity", "scenario", "module", "domain", "text", "detail")
_SURROGATE = re.compile("[\ud800-\udfff]")
_TABLES: dict[str, Table] = {
    "attempt": s.attempts,
    "reflection": s.reflections,
    "self_rating": s.self_ratings,
    "event": s.events,
}


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What an import did: records added, records skipped because the store had them, records
    the file repeated (kept once), whose records they were, and which look identifying."""

    added: int
    skipped: int
    repeated: int = 0
    learners: tuple[tuple[str, int], ...] = ()
    looks_identifying: tuple[str, ...] = ()

    def __str__(self) -> str:
        text = (
            f"added {self.added} record{'s' if self.added != 1 else ''}; "
            f"{self.skipped} {'were' if self.skipped != 1 else 'was'} already there"
        )
        if self.repeated:
            text += f"; {self.repeated} repeated in the file (kept once)"
        return text


# -- reading the store ---------------------------------------------------------------------------


def _rows(store: RecordStore, learner: str | None) -> list[tuple[str, Any]]:
    def work(conn: Connection) -> list[tuple[str, Any]]:
        found: list[tuple[str, Any]] = []
        for kind, table in _TABLES.items():
            query = select(table).order_by(table.c.id)
            if learner is not None:
                query = query.where(table.c.learner == learner)
            found.extend((kind, row) for row in conn.execute(query))
        return found

    rows = store._read(work)
    rows.sort(key=lambda item: (_created(item[0], item[1]), item[1].record_id))
    return rows


def _created(kind: str, row: Any) -> str:
    return str(row.submitted_at if kind == "attempt" else row.created_at)


def _unguard(value: str) -> str:
    return value[1:] if value.startswith("'") else value


def export_csv(store: RecordStore, out: TextIO, *, learner: str | None = None) -> int:
    """Write every record (or one learner's) as CSV; returns the number of rows."""
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    count = 0
    for kind, row in _rows(store, learner):
        cells: dict[str, str] = dict.fromkeys(CSV_COLUMNS, "")
        cells.update(
            record_id=row.record_id, kind=kind, learner=row.learner, created_at=_created(kind, row)
        )
        if kind == "self_rating":
            cells.update(phase=row.phase, domain=row.domain, rating=str(row.rating))
        else:
            cells.update(activity=row.activity, scenario=row.scenario, module=row.module)
        if kind == "attempt":
            cells.update(
                text=decode_text(row.text),
                detail=row.review,
                score="" if row.score is None else repr(float(row.score)),
            )
        elif kind == "reflection":
            cells["text"] = decode_text(row.text)
        elif kind == "event":
            cells.update(event=row.kind, detail=row.detail)
        for name in _GUARDED:
            cells[name] = _SURROGATE.sub("\ufffd", guard_cell(cells[name]))
        writer.writerow(cells)
        count += 1
    return count


def export_xapi(
    store: RecordStore, *, learner: str | None = None, home_page: str = DEFAULT_HOME_PAGE
) -> list[dict[str, Any]]:
    """One xAPI statement per attempt, completion, reflection, self-rating and conversation
    choice, oldest first. Other events (started, hints, checks) stay in the studio."""
    statements: list[dict[str, Any]] = []
    for kind, row in _rows(store, learner):
        common = {
            "record_id": row.record_id,
            "learner": row.learner,
            "timestamp": _created(kind, row),
            "home_page": home_page,
        }
        if kind == "attempt":
            result: dict[str, Any] = {
                "response": decode_text(row.text),
                "extensions": {extension(home_page, "review"): json.loads(row.review)},
            }
            if row.score is not None:
                result["score"] = {"scaled": float(row.score)}
            statements.append(
                statement(
                    verb=VERB_ATTEMPTED,
                    activity=row.activity,
                    scenario=row.scenario,
                    module=row.module,
                    result=result,
                    **common,
                )
            )
        elif kind == "event" and row.kind in ("completed", "conversation_choice"):
            choice = row.kind == "conversation_choice"
            statements.append(
                statement(
                    verb=VERB_RESPONDED if choice else VERB_COMPLETED,
                    activity=row.activity,
                    scenario=row.scenario,
                    module=row.module,
                    result=(
                        {"extensions": {extension(home_page, "choice"): json.loads(row.detail)}}
                        if choice
                        else {"completion": True}
                    ),
                    **common,
                )
            )
        elif kind == "reflection":
            statements.append(
                statement(
                    verb=VERB_COMMENTED,
                    activity=row.activity,
                    scenario=row.scenario,
                    module=row.module,
                    result={"response": decode_text(row.text)},
                    **common,
                )
            )
        elif kind == "self_rating":
            statements.append(
                statement(
                    verb=VERB_ANSWERED,
                    activity=f"self-rating-{row.domain}",
                    scenario="",
                    module="",
                    result={"score": {"raw": row.rating, "min": RATING_MIN, "max": RATING_MAX}},
                    context={"phase": row.phase, "domain": row.domain},
                    **common,
                )
            )
    return statements


def dumps_xapi(statements: list[dict[str, Any]]) -> str:
    """JSON text for the statements: readable UTF-8 (their text holds no lone surrogates)."""
    text = json.dumps(statements, ensure_ascii=False, indent=2)
    return _SURROGATE.sub("\ufffd", text)  # statements made elsewhere, too, stay valid UTF-8


# -- importing -----------------------------------------------------------------------------------


def _timestamp(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise RecordInputError(f"{where}: the time is missing")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise RecordInputError(f"{where}: {value!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        in_utc: datetime | None = moment.astimezone(UTC)
    except OverflowError:  # e.g. 0001-01-01T00:00:00-05:00 falls before year 1 in UTC
        in_utc = None
    if in_utc is None or not 1970 <= in_utc.year <= 9999:
        raise RecordInputError(
            f"{where}: the time {value!r} is outside the years 1970 to 9999, so it cannot be a "
            "time when a learner worked. Check the file's dates."
        )
    return in_utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _record_id(value: object, where: str) -> str:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise RecordInputError(f"{where}: record_id {value!r} is not a UUID") from None


def _key(value: object, field: str, where: str, *, required: bool) -> str:
    try:
        return _check_key(value, field, required=required)
    except RecordInputError as exc:
        raise RecordInputError(f"{where}: {exc}") from None


def _json_cell(value: str, field: str, where: str) -> str:
    try:
        decoded = json.loads(value) if value.strip() else {}
    except ValueError:
        raise RecordInputError(f"{where}: {field} is not valid JSON") from None
    try:
        return _to_json(decoded, field)
    except RecordInputError as exc:
        raise RecordInputError(f"{where}: {exc}") from None


# The store accepts texts of MAX_TEXT_CHARS; the csv module's default field limit (131,072
# characters) would refuse them on the way back in. Quoting can double a field's length.
_CSV_FIELD_LIMIT = 2 * MAX_TEXT_CHARS + 1024


def _from_csv(text: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if csv.field_size_limit() < _CSV_FIELD_LIMIT:
        csv.field_size_limit(_CSV_FIELD_LIMIT)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise RecordInputError(
            f"line 1: the CSV header lacks {', '.join(missing)}; import a file made by "
            "'goalstudio records export'"
        )
    for cells in reader:
        where = f"line {reader.line_num}"
        if None in cells:
            raise RecordInputError(f"{where}: the row has more cells than the header")
        cells = {k: (v or "") for k, v in cells.items()}
        for name in _GUARDED:
            cells[name] = _unguard(cells[name])
        kind = cells["kind"]
        row: dict[str, Any] = {
            "record_id": _record_id(cells["record_id"], where),
            "learner": _key(cells["learner"], "learner", where, required=True),
        }
        created = _timestamp(cells["created_at"], where)
        if kind == "self_rating":
            if cells["phase"] not in PHASES:
                raise RecordInputError(f"{where}: phase must be pre or post")
            try:
                rating = int(cells["rating"])
            except ValueError:
                raise RecordInputError(
                    f"{where}: rating {cells['rating']!r} is not a number"
                ) from None
            if not RATING_MIN <= rating <= RATING_MAX:
                raise RecordInputError(f"{where}: rating must be from {RATING_MIN} to {RATING_MAX}")
            row.update(
                phase=cells["phase"],
                rating=rating,
                created_at=created,
                domain=_key(cells["domain"], "domain", where, required=True),
            )
            yield kind, row
            continue
        if kind not in ("attempt", "reflection", "event"):
            raise RecordInputError(
                f"{where}: kind {kind!r} is not attempt, reflection, self_rating or event"
            )
        row.update(
            activity=_key(cells["activity"], "activity", where, required=True),
            scenario=_key(cells["scenario"], "scenario", where, required=False),
            module=_key(cells["module"], "module", where, required=False),
        )
        if kind == "attempt":
            review = _json_cell(cells["detail"], "detail", where)
            try:
                score = (
                    _check_score(float(cells["score"]))
                    if cells["score"].strip()
                    else _check_score(score_from_review(json.loads(review)))
                )
            except (ValueError, RecordInputError):
                raise RecordInputError(
                    f"{where}: score {cells['score']!r} is not from 0 to 1"
                ) from None
            row.update(
                text=encode_text(cells["text"], "text"),
                review=review,
                score=score,
                submitted_at=created,
            )
        elif kind == "reflection":
            row.update(text=encode_text(cells["text"], "text"), created_at=created)
        else:
            if cells["event"] not in EVENT_KINDS:
                raise RecordInputError(
                    f"{where}: event {cells['event']!r} is not one of {', '.join(EVENT_KINDS)}"
                )
            row.update(
                kind=cells["event"],
                created_at=created,
                detail=_json_cell(cells["detail"], "detail", where),
            )
        yield kind, row


def _from_xapi(data: object) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(data, Mapping) and isinstance(data.get("statements"), list):
        data = data["statements"]
    if not isinstance(data, list):
        raise RecordInputError("an xAPI file must hold a list of statements")
    for number, stmt in enumerate(data, start=1):
        where = f"statement {number}"
        problems = validate_statement(stmt)
        if problems:
            raise RecordInputError(f"{where}: {problems[0]}")
        assert isinstance(stmt, Mapping)
        kind_of_object = stmt["object"].get("objectType", "Activity")
        if kind_of_object != "Activity":
            raise RecordInputError(
                f"{where}: its object is {'an' if kind_of_object[0] in 'AEIOU' else 'a'} "
                f"{kind_of_object}, but the studio's statements are about an activity (a "
                "module's exercise). Import only statements made by 'goalstudio records export'."
            )
        actor = stmt["actor"]
        learner = actor.get("account", {}).get("name") or actor.get("name")
        home = str(actor.get("account", {}).get("homePage", DEFAULT_HOME_PAGE))
        extensions = stmt.get("context", {}).get("extensions", {}) or {}
        activity = extensions.get(extension(home, "activity"))
        if activity is None:  # from another tool: the last part of the activity IRI
            activity = unquote(str(stmt["object"]["id"]).rstrip("/").rsplit("/", 1)[-1])
        row: dict[str, Any] = {
            "record_id": _record_id(stmt.get("id"), where),
            "learner": _key(learner, "learner", where, required=True),
            "activity": _key(activity, "activity", where, required=True),
            "scenario": _key(
                extensions.get(extension(home, "scenario"), ""), "scenario", where, required=False
            ),
            "module": _key(
                extensions.get(extension(home, "module"), ""), "module", where, required=False
            ),
        }
        created = _timestamp(stmt.get("timestamp"), where)
        verb = stmt["verb"]["id"]
        result = stmt.get("result", {}) or {}
        if verb == VERB_ATTEMPTED:
            review = result.get("extensions", {}).get(extension(home, "review"), {})
            try:
                review_json = _to_json(review, "review")
                scaled = result.get("score", {}).get("scaled")
                score = _check_score(
                    scaled if scaled is not None else score_from_review(json.loads(review_json))
                )
            except RecordInputError as exc:
                raise RecordInputError(f"{where}: {exc}") from None
            row.update(
                text=encode_text(str(result.get("response", "")), "response"),
                review=review_json,
                score=score,
                submitted_at=created,
            )
            yield "attempt", row
        elif verb == VERB_COMPLETED:
            row.update(kind="completed", detail="{}", created_at=created)
            yield "event", row
        elif verb == VERB_RESPONDED:
            choice = result.get("extensions", {}).get(extension(home, "choice"), {})
            row.update(
                kind="conversation_choice",
                detail=_to_json(choice, f"{where}: the choice"),
                created_at=created,
            )
            yield "event", row
        elif verb == VERB_COMMENTED:
            row.update(
                text=encode_text(str(result.get("response", "")), "response"),
                created_at=created,
            )
            yield "reflection", row
        elif verb == VERB_ANSWERED:
            phase = extensions.get(extension(home, "phase"))
            rating = result.get("score", {}).get("raw")
            if phase not in PHASES:
                raise RecordInputError(f"{where}: a self-rating's phase must be pre or post")
            if not isinstance(rating, int) or not RATING_MIN <= rating <= RATING_MAX:
                raise RecordInputError(
                    f"{where}: a self-rating's result.score.raw must be a whole number from "
                    f"{RATING_MIN} to {RATING_MAX}"
                )
            domain = _key(extensions.get(extension(home, "domain")), "domain", where, required=True)
            yield (
                "self_rating",
                {
                    "record_id": row["record_id"],
                    "learner": row["learner"],
                    "phase": phase,
                    "domain": domain,
                    "rating": rating,
                    "created_at": created,
                },
            )
        else:
            raise RecordInputError(
                f"{where}: verb {verb} is not one the studio exports (attempted, completed, "
                "commented, answered or responded)"
            )


def _looks_identifying(by_kind: dict[str, dict[str, dict[str, Any]]]) -> Iterator[str]:
    """One line per imported text the privacy check warns about, naming the record."""
    for kind, rows in by_kind.items():
        for row in rows.values():
            raw = row.get("text")
            if not isinstance(raw, bytes):
                continue
            notice = privacy_notice([decode_text(raw)])
            if notice is not None:
                what = notice.split(": ", 1)[1].split(". The course", 1)[0]
                yield (
                    f"{kind.replace('_', ' ')} {row['record_id']} ({row['learner']}, "
                    f"{row.get('activity', '')}): {what}"
                )


def import_records(store: RecordStore, text: str, *, learner: str | None = None) -> ImportSummary:
    """Merge an export (CSV or xAPI JSON) into the store; records it already holds are skipped.

    The file is checked completely before anything is written, and the merge is one transaction.
    Errors name the line (CSV) or statement (xAPI) and the field. A record id repeated in the
    file is kept once and counted (two different records under one id are refused). With
    ``learner``, a file holding anyone else's records is refused before anything is merged.
    """
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith(("[", "{")):
        try:
            data = safe_json(stripped)
        except NestingTooDeep as exc:
            raise RecordInputError(str(exc)) from None
        except ValueError as exc:
            raise RecordInputError(f"line {getattr(exc, 'lineno', '?')}: not valid JSON") from None
        incoming = list(_from_xapi(data))
    else:
        incoming = list(_from_csv(text.lstrip("\ufeff")))
    by_kind: dict[str, dict[str, dict[str, Any]]] = {kind: {} for kind in _TABLES}
    repeated = 0
    for kind, row in incoming:
        held_row = by_kind[kind].setdefault(row["record_id"], row)
        if held_row is row:
            continue
        if held_row != row:
            raise RecordInputError(
                f"the {kind.replace('_', ' ')} {row['record_id']} appears twice in the file with "
                "different contents, so it is not clear which to keep. Nothing was imported: "
                "export the learner's records again."
            )
        repeated += 1
    learners = Counter(row["learner"] for rows in by_kind.values() for row in rows.values())
    if learner is not None and set(learners) - {learner}:
        others = ", ".join(f"{name} ({count})" for name, count in sorted(learners.items()))
        raise RecordInputError(
            f"the file holds records for other learners as well as {learner}: {others}. "
            "Nothing was imported. Check that this is the right file, or import it without "
            "--learner to merge everyone's records."
        )
    identifying = tuple(_looks_identifying(by_kind))

    def work(conn: Connection) -> ImportSummary:
        added = skipped = 0
        for kind, rows in by_kind.items():
            table = _TABLES[kind]
            ids = list(rows)
            held: set[str] = set()
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                held.update(
                    conn.execute(select(table.c.record_id).where(table.c.record_id.in_(chunk)))
                    .scalars()
                    .all()
                )
            new = [row for record_id, row in rows.items() if record_id not in held]
            skipped += len(rows) - len(new)
            for start in range(0, len(new), 1000):
                chunk_rows = new[start : start + 1000]
                if kind == "attempt":
                    RecordStore._insert_attempts(conn, chunk_rows)
                else:
                    conn.execute(insert(table), chunk_rows)
            added += len(new)
        return ImportSummary(
            added,
            skipped,
            repeated,
            tuple(sorted(learners.items())),
            identifying,
        )

    return store._write(work)
