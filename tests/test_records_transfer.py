"""Exports (CSV for spreadsheets and gradebooks, xAPI for learning record stores) and imports."""

from __future__ import annotations

import copy
import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from goalstudio.cli import main
from goalstudio.records import (
    CSV_COLUMNS,
    RecordInputError,
    RecordStore,
    dumps_xapi,
    export_csv,
    export_xapi,
    import_records,
    validate_statement,
)
from tests._records_support import store_url

__all__ = ["store_url"]

HOSTILE = '=HYPERLINK("http://x")<script>alert(1)</script>\x00 \ud800 end'


def _fill(store: RecordStore) -> None:
    store.save_draft("sam", "m3-a", "a draft is not exported")
    store.add_event("sam", "m3-a", "started", module="3", scenario="priya")
    store.add_attempt(
        "sam",
        "m3-a",
        'Goal: "sing"\nObjective: two rehearsals',
        {
            "findings": [{"rule_id": "language", "phrase": "non-compliant"}],
            "verdicts": {"outcomes": "met", "roles": "partly"},
        },
        module="3",
        scenario="priya",
    )
    store.add_attempt("kai", "m3-a", HOSTILE, {"findings": []}, module="3", score=0.25)
    store.add_event("sam", "m3-a", "completed", {"minutes": 12}, module="3", scenario="priya")
    store.add_reflection("sam", "m3-a", "-I noticed my own words\r\nchanged", module="3")
    store.add_self_rating("sam", "pre", "A", 2)
    store.add_self_rating("sam", "post", "A", 4)
    store.add_event("kai", "m6-risk", "conversation_choice", {"choice": "c2"}, module="6")


def _snapshot(store: RecordStore) -> dict[str, Any]:
    learners = ("sam", "kai")
    return {
        "attempts": [store.get_attempts(x) for x in learners],
        "reflections": [store.get_reflections(x) for x in learners],
        "ratings": [store.get_self_ratings(x) for x in learners],
        "events": [store.get_events(x) for x in learners],
        "counts": store.language_finding_counts(),
        "progress": store.learner_progress(),
    }


def _csv_text(store: RecordStore, **kwargs: Any) -> str:
    out = io.StringIO(newline="")
    export_csv(store, out, **kwargs)
    return out.getvalue()


def test_csv_has_one_row_per_record_and_opens_as_a_table(store_url: str) -> None:
    with RecordStore(store_url) as store:
        _fill(store)
        text = _csv_text(store)
        sam_only = _csv_text(store, learner="sam")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert sorted(r["kind"] for r in rows) == sorted(
        ["event"] * 3 + ["attempt"] * 2 + ["reflection"] + ["self_rating"] * 2
    )
    assert [r["created_at"] for r in rows] == sorted(r["created_at"] for r in rows)
    sam_attempt = next(r for r in rows if r["kind"] == "attempt" and r["learner"] == "sam")
    assert float(sam_attempt["score"]) == 0.75
    assert sam_attempt["scenario"] == "priya"
    assert json.loads(sam_attempt["detail"])["verdicts"]["outcomes"] == "met"
    assert {r["learner"] for r in csv.DictReader(io.StringIO(sam_only))} == {"sam"}


def test_csv_cells_cannot_run_as_spreadsheet_formulas(store_url: str) -> None:
    with RecordStore(store_url) as store:
        _fill(store)
        rows = list(csv.DictReader(io.StringIO(_csv_text(store), newline="")))
    kai = next(r for r in rows if r["kind"] == "attempt" and r["learner"] == "kai")
    assert kai["text"].startswith("'=HYPERLINK")
    assert "\ufffd" in kai["text"]  # a lone surrogate cannot be UTF-8 in a CSV file
    reflection = next(r for r in rows if r["kind"] == "reflection")
    assert reflection["text"] == "'-I noticed my own words\r\nchanged"
    for row in rows:
        for name in ("learner", "activity", "text", "detail", "domain"):
            assert not row[name].startswith(("=", "+", "-", "@")), row


def test_csv_round_trip_into_an_empty_store(store_url: str, tmp_path: Path) -> None:
    with RecordStore(store_url) as store:
        _fill(store)
        text = _csv_text(store)
        before = _snapshot(store)
    with RecordStore(tmp_path / "facilitator.sqlite") as target:
        summary = import_records(target, text)
        assert (summary.added, summary.skipped) == (8, 0)
        after = _snapshot(target)
        again = import_records(target, text)
        assert (again.added, again.skipped) == (0, 8)
        assert _snapshot(target) == after
    kai_attempt = before["attempts"][1][0]
    imported = after["attempts"][1][0]
    assert imported.text == kai_attempt.text.replace("\ud800", "\ufffd")
    before["attempts"][1] = after["attempts"][1]
    assert after == before


def test_xapi_statements_validate_and_carry_attempts_and_completions(store_url: str) -> None:
    with RecordStore(store_url) as store:
        _fill(store)
        statements = export_xapi(store, home_page="https://lms.example.org")
        attempts = store.get_attempts("sam")
    # two attempts, a completion, a reflection, two self-ratings and a conversation choice
    assert len(statements) == 7
    for statement in statements:
        assert validate_statement(statement) == []
        assert statement["actor"]["account"]["homePage"] == "https://lms.example.org"
        assert "mbox" not in statement["actor"]
        assert "version" not in statement  # xAPI 1.0.3: the LRS sets it, not the sender
    verbs = [s["verb"]["display"]["en-US"] for s in statements]
    assert sorted(verbs) == [
        "answered",
        "answered",
        "attempted",
        "attempted",
        "commented",
        "completed",
        "responded",
    ]
    sam = next(s for s in statements if s["id"] == attempts[0].record_id)
    assert sam["result"]["score"] == {"scaled": 0.75}
    assert sam["result"]["response"] == attempts[0].text
    assert sam["object"]["id"] == "https://lms.example.org/activities/m3-a"
    assert sam["timestamp"].endswith("Z")


def test_xapi_round_trip_keeps_text_and_replaces_lone_surrogates(
    store_url: str, tmp_path: Path
) -> None:
    with RecordStore(store_url) as store:
        _fill(store)
        statements = export_xapi(store)
        text = dumps_xapi(statements)
        before = _snapshot(store)
    text.encode("utf-8")  # valid UTF-8 even with a lone surrogate in a plan
    json.dumps(statements, ensure_ascii=False).encode("utf-8")  # the statements themselves too
    with RecordStore(tmp_path / "lrs.sqlite") as target:
        assert import_records(target, text).added == 7
        after = _snapshot(target)
        assert import_records(target, text).added == 0
    (kai,) = after["attempts"][1]
    assert kai.text == before["attempts"][1][0].text.replace("\ud800", "\ufffd")
    assert after["reflections"] == before["reflections"]
    assert after["ratings"] == before["ratings"]
    assert [e.kind for e in after["events"][0]] == ["completed"]  # "started" stays home
    (choice,) = after["events"][1]
    assert (choice.kind, choice.detail) == ("conversation_choice", {"choice": "c2"})


def test_xapi_never_sends_an_email_address_as_the_learner(tmp_path: Path) -> None:
    with RecordStore(tmp_path / "r.sqlite") as store:
        store.add_reflection("Sam.Jones@nhs.example.net", "m1", "I noticed my words")
        store.add_reflection("sam.jones@nhs.example.net", "m2", "and again")
        first, second = export_xapi(store)
    text = json.dumps([first, second])
    assert "@" not in text
    assert first["actor"]["account"]["name"].startswith("learner-")
    # The same address (in any case) always gives the same pseudonym.
    assert first["actor"] == second["actor"]


GOOD: dict[str, Any] = {
    "id": "2f0f5b4e-8c4c-4a8e-9d1e-6f7d2f6f9a10",
    "actor": {"objectType": "Agent", "mbox": "mailto:sam@example.org"},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/attempted", "display": {"en-US": "attempted"}},
    "object": {"id": "https://example.org/activities/a1"},
    "result": {"score": {"scaled": 0.5, "raw": 5, "min": 0, "max": 10}, "completion": True},
    "timestamp": "2026-11-26T02:43:18.123456+00:00",
}


@pytest.mark.parametrize(
    ("path", "value", "problem"),
    [
        (("actor", "mbox"), "sam@example.org", "mailto"),
        (("actor",), {"name": "Sam"}, "exactly one identifier"),
        (("actor",), {"mbox": "mailto:a@b.org", "account": {}}, "exactly one identifier"),
        (("actor",), {"account": {"homePage": "not a url", "name": "sam"}}, "homePage"),
        (("verb", "id"), "attempted", "verb.id"),
        (("verb", "display"), {"english": 3}, "verb.display"),
        (("object", "id"), "", "object.id"),
        (("result", "score", "scaled"), 1.5, "between -1 and 1"),
        (("result", "score", "raw"), 11, "above result.score.max"),
        (("result", "completion"), "yes", "completion"),
        (("result", "grade"), "A", "not an xAPI result property"),
        (("timestamp",), "26/11/2026", "ISO 8601"),
        (("timestamp",), "2026-11-26T02:43:18", "ISO 8601"),
        (("id",), "statement-1", "UUID"),
    ],
)
def test_validator_rejects_malformed_statements(
    path: tuple[str, ...], value: Any, problem: str
) -> None:
    assert validate_statement(GOOD) == []
    broken = copy.deepcopy(GOOD)
    target = broken
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    problems = validate_statement(broken)
    assert any(problem in p for p in problems), problems


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("record_id,kind\n", "line 1: the CSV header lacks"),
        (
            ",".join(CSV_COLUMNS) + "\nnot-a-uuid,attempt,sam,a,,,2026-01-01T00:00:00Z,,,,,,t,{}\n",
            "line 2: record_id 'not-a-uuid' is not a UUID",
        ),
        (
            ",".join(CSV_COLUMNS) + "\n2f0f5b4e-8c4c-4a8e-9d1e-6f7d2f6f9a10,attempt,,a,,,"
            "2026-01-01T00:00:00Z,,,,,,t,{}\n",
            "line 2: learner must not be empty",
        ),
        (
            ",".join(CSV_COLUMNS) + "\n2f0f5b4e-8c4c-4a8e-9d1e-6f7d2f6f9a10,attempt,sam,a,,,"
            "yesterday,,,,,,t,{}\n",
            "line 2: 'yesterday' is not an ISO 8601 time",
        ),
        (
            ",".join(CSV_COLUMNS) + "\n2f0f5b4e-8c4c-4a8e-9d1e-6f7d2f6f9a10,attempt,sam,a,,,"
            "2026-01-01T00:00:00Z,7,,,,,t,{}\n",
            "line 2: score '7' is not from 0 to 1",
        ),
        (
            ",".join(CSV_COLUMNS) + "\n2f0f5b4e-8c4c-4a8e-9d1e-6f7d2f6f9a10,draft,sam,a,,,"
            "2026-01-01T00:00:00Z,,,,,,t,{}\n",
            "line 2: kind 'draft'",
        ),
        ('[{"actor": {}}]', "statement 1: actor must carry exactly one identifier"),
        ("[1, 2", "not valid JSON"),
    ],
)
def test_bad_import_files_name_the_place_and_add_nothing(
    store_url: str, content: str, message: str
) -> None:
    with RecordStore(store_url) as store:
        _fill(store)
        before = _snapshot(store)
        with pytest.raises(RecordInputError, match=message):
            import_records(store, content)
        assert _snapshot(store) == before


def test_import_is_all_or_nothing(store_url: str, tmp_path: Path) -> None:
    with RecordStore(store_url) as store:
        _fill(store)
        text = _csv_text(store)
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    rows[-1]["kind"] = "bogus"  # every other row is fine, and comes first
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    with RecordStore(tmp_path / "target.sqlite") as target:
        with pytest.raises(RecordInputError, match="kind 'bogus'"):
            import_records(target, out.getvalue())
        assert target.get_attempts("sam") == []


# -- the command line ----------------------------------------------------------------------------


def test_cli_export_and_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    learner = f"sqlite:///{tmp_path / 'learner.sqlite'}"
    facilitator = f"sqlite:///{tmp_path / 'facilitator.sqlite'}"
    with RecordStore(learner) as store:
        _fill(store)
    out = tmp_path / "sam.csv"
    assert main(["records", "export", "--url", learner, "--out", str(out)]) == 0
    assert "Wrote 8 rows" in capsys.readouterr().err
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # a BOM so spreadsheets read UTF-8
    assert main(["records", "import", str(out), "--url", facilitator]) == 0
    assert "added 8 records; 0 were already there" in capsys.readouterr().out
    assert main(["records", "import", str(out), "--url", facilitator]) == 0
    assert "added 0 records; 8 were already there" in capsys.readouterr().out

    assert main(["records", "export", "--format", "xapi", "--url", learner]) == 0
    statements = json.loads(capsys.readouterr().out)
    assert len(statements) == 7
    assert all(validate_statement(s) == [] for s in statements)


def test_cli_uses_the_workspace_store_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GOALSTUDIO_WORKSPACE", str(tmp_path / "ws"))
    monkeypatch.delenv("GOALSTUDIO_RECORDS_URL", raising=False)
    with RecordStore(tmp_path / "ws" / ".goalstudio" / "records.sqlite") as store:
        store.add_self_rating("sam", "pre", "B", 3)
    assert main(["records", "export", "--learner", "sam"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out.lstrip("\ufeff"))))
    assert [(r["kind"], r["domain"], r["rating"]) for r in rows] == [("self_rating", "B", "3")]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["records", "import", "missing.csv"], "missing.csv: no such file"),
        (["records", "export", "--format", "pdf"], "invalid choice"),
        (["records", "export", "--out", "no/such/folder/x.csv"], "does not exist"),
        (["records", "export", "--format", "xapi", "--home-page", "lms"], "http(s) address"),
    ],
)
def test_cli_errors_are_plain_messages(
    argv: list[str],
    message: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GOALSTUDIO_RECORDS_URL", f"sqlite:///{tmp_path / 'r.sqlite'}")
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_cli_import_of_a_bad_file_says_nothing_was_imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("record_id,kind\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    assert main(["records", "import", str(bad), "--url", url]) == 1
    err = capsys.readouterr().err
    assert f"{bad}: line 1: the CSV header lacks" in err
    assert "Nothing was imported" in err


def test_cli_reports_a_damaged_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    damaged = tmp_path / "records.sqlite"
    damaged.write_bytes(b"this is not a database" * 100)
    assert main(["records", "export", "--url", f"sqlite:///{damaged}"]) == 1
    err = capsys.readouterr().err
    assert str(damaged) in err
    assert "Traceback" not in err
