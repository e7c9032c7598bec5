"""Records sent to a learning record store (issue 18 §3).

The end-to-end test starts Ralph (``ralph-malph``, its file-system backend served by uvicorn)
on loopback with a fresh data folder and a basic-auth account, sends an export, reads the
statements back, and sends again to show nothing is stored twice. Each statement is also
checked with Ralph's strict xAPI statement model, because Ralph's POST endpoint checks little.
Retries, back-off and per-statement refusals are tested with a stand-in server.
"""

from __future__ import annotations

import base64
import io
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from goalstudio.cli import main
from goalstudio.records import RecordStore, export_xapi
from goalstudio.records.lrs import LrsError, check_lrs_url, send_statements
from tests.test_records_transfer import _fill

USER, PASSWORD = "studio", "a-long-test-password"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str, auth: tuple[str, str]) -> Any:
    token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
    request = urllib.request.Request(
        url, headers={"Authorization": f"Basic {token}", "X-Experience-API-Version": "1.0.3"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


@pytest.fixture
def ralph(tmp_path: Path) -> Iterator[str]:
    """The xAPI address of a Ralph LRS on loopback, with one basic-auth account."""
    # Only find Ralph here: importing ralph.api would read its settings in this process.
    pytest.importorskip("ralph", reason="ralph-malph[lrs] is not installed")
    import bcrypt

    hashed = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(rounds=4)).decode()
    auth_file = tmp_path / "auth.json"
    account = {"agent": {"mbox": "mailto:studio@example.org"}, "scopes": ["all"]}
    auth_file.write_text(json.dumps([{**account, "hash": hashed, "username": USER}]))
    data = tmp_path / "lrs-data"  # Ralph's file backend: one writer per data folder
    data.mkdir()
    port = _free_port()
    env = {
        **os.environ,
        "RALPH_RUNSERVER_BACKEND": "fs",
        "RALPH_AUTH_FILE": str(auth_file),
        "RALPH_APP_DIR": str(tmp_path / "ralph-app"),
        "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(data),
    }
    log = (tmp_path / "ralph.log").open("wb")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "ralph.api:app",
            "--host",
            "127.0.0.1",
            "--port",
            f"{port}",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/xAPI"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(f"{url}/statements/", (USER, PASSWORD))
                break
            except (urllib.error.URLError, ConnectionError):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        "Ralph did not start: " + (tmp_path / "ralph.log").read_text()
                    ) from None
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def test_an_export_reaches_a_real_lrs_once_and_reads_back(ralph: str, tmp_path: Path) -> None:
    from ralph.models.xapi.base.statements import BaseXapiStatement

    with RecordStore(tmp_path / "r.sqlite") as store:
        _fill(store)
        statements = export_xapi(store, home_page="https://studio.example.org")
    for statement in statements:
        BaseXapiStatement(**statement)  # Ralph's strict model: raises on anything it refuses
    # One batch: Ralph's file backend takes one write per data folder (batching and its
    # per-statement fallback are tested with the stand-in below).
    summary = send_statements(statements, ralph, (USER, PASSWORD), batch=100)
    assert (summary.sent, summary.refused) == (7, [])
    stored = _get(f"{ralph}/statements/?limit=100", (USER, PASSWORD))["statements"]
    assert sorted(s["id"] for s in stored) == sorted(s["id"] for s in statements)
    by_id = {s["id"]: s for s in stored}
    for sent in statements:
        back = by_id[sent["id"]]
        assert back["verb"]["id"] == sent["verb"]["id"]
        assert back["actor"]["account"] == sent["actor"]["account"]
        assert back.get("result") == sent.get("result")
    again = send_statements(statements, ralph, (USER, PASSWORD))
    assert again.refused == []
    stored = _get(f"{ralph}/statements/?limit=100", (USER, PASSWORD))["statements"]
    assert len(stored) == 7  # sending twice stores nothing twice


def test_the_cli_sends_with_credentials_from_the_environment(
    ralph: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    with RecordStore(url) as store:
        _fill(store)
    args = ["records", "export", "--format", "xapi", "--url", url, "--lrs", ralph]
    monkeypatch.delenv("GOALSTUDIO_LRS_USERNAME", raising=False)
    assert main(args) == 1
    assert "set GOALSTUDIO_LRS_USERNAME and GOALSTUDIO_LRS_PASSWORD" in capsys.readouterr().err
    monkeypatch.setenv("GOALSTUDIO_LRS_USERNAME", USER)
    monkeypatch.setenv("GOALSTUDIO_LRS_PASSWORD", "wrong")
    assert main(args) == 1
    assert "refused the user name and password (HTTP 401)" in capsys.readouterr().err
    monkeypatch.setenv("GOALSTUDIO_LRS_PASSWORD", PASSWORD)
    assert main(args) == 0
    assert "Sent 7 of 7 statements" in capsys.readouterr().out


class _Reply:
    def __init__(self, status: int) -> None:
        self.status = status

    def __enter__(self) -> _Reply:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class _StandIn:
    """A stand-in LRS: answers from a script, refuses statements whose id is in ``bad``."""

    def __init__(self, script: list[int], bad: set[str]) -> None:
        self.script, self.bad, self.bodies = script, bad, []  # type: list[int], set[str], list

    def __call__(self, request: urllib.request.Request, timeout: float) -> _Reply:
        body = json.loads(request.data or b"[]")  # type: ignore[arg-type]
        self.bodies.append([s["id"] for s in body])
        status = self.script.pop(0) if self.script else 200
        if status == 200 and any(s["id"] in self.bad for s in body):
            status = 400
        if status >= 400:
            message = io.BytesIO(b'{"detail": "invalid statement"}')
            raise urllib.error.HTTPError(request.full_url, status, "no", {}, message)  # type: ignore[arg-type]
        return _Reply(status)


def _statements(n: int) -> list[dict[str, Any]]:
    return [{"id": f"00000000-0000-4000-8000-{i:012d}"} for i in range(n)]


def test_a_busy_lrs_is_retried_with_back_off_and_a_refused_statement_is_named() -> None:
    waits: list[float] = []
    server = _StandIn([503, 503], bad={"00000000-0000-4000-8000-000000000003"})
    summary = send_statements(
        _statements(5),
        "http://127.0.0.1:9/xAPI",
        ("u", "p"),
        batch=5,
        opener=server,
        sleep=waits.append,
    )
    assert waits == [0.5, 1.0]  # two busy answers, waits doubling
    assert summary.sent == 4
    assert summary.refused == [
        ("00000000-0000-4000-8000-000000000003", 'HTTP 400: {"detail": "invalid statement"}')
    ]
    # The refused batch was sent again one statement at a time.
    assert [len(b) for b in server.bodies] == [5, 5, 5, 1, 1, 1, 1, 1]


def test_an_unreachable_lrs_is_a_clear_error_after_the_retries() -> None:
    def down(request: urllib.request.Request, timeout: float) -> _Reply:
        raise urllib.error.URLError("connection refused")

    with pytest.raises(LrsError, match="could not be reached after 3 tries"):
        send_statements(
            _statements(1),
            "https://lrs.example.org/xAPI",
            ("u", "p"),
            retries=2,
            opener=down,
            sleep=lambda _s: None,
        )


def test_plain_http_goes_only_to_this_machine() -> None:
    assert check_lrs_url("http://127.0.0.1:8100/xAPI/") == "http://127.0.0.1:8100/xAPI/statements"
    assert check_lrs_url("https://lrs.example.org/xAPI/statements") == (
        "https://lrs.example.org/xAPI/statements"
    )
    with pytest.raises(LrsError, match="use its https address"):
        check_lrs_url("http://lrs.example.org/xAPI")
    with pytest.raises(LrsError, match="must be an http"):
        check_lrs_url("ftp://lrs.example.org")
