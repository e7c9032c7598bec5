"""Every server the studio starts requires a token (issue 15 §3).

Another account on the same machine can reach 127.0.0.1, so `goalstudio dashboard`,
`goalstudio start --app` and `goalstudio start` each print their address with a token, and
refuse a request that comes without it (or with a wrong one).
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from goalstudio._server_token import server_token, with_token
from goalstudio.cli import main
from tests.conftest import free_port


def test_a_token_is_never_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUPYTER_TOKEN", "  ")
    made = server_token()
    assert len(made) >= 32 and made != server_token()
    monkeypatch.setenv("JUPYTER_TOKEN", "chosen-by-me")
    assert server_token() == "chosen-by-me"
    assert with_token("http://127.0.0.1:1/lab", "a b") == "http://127.0.0.1:1/lab?token=a%20b"


@pytest.mark.parametrize(
    "args", [["dashboard"], ["start", "--app"]], ids=["dashboard", "start-app"]
)
def test_voila_servers_require_the_token_from_the_environment(
    args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extra = ["--workspace", str(tmp_path / "ws")] if args[0] == "start" else []
    assert main([*args, *extra, "--no-browser", "--dry-run"]) == 0
    command = capsys.readouterr().out.strip().splitlines()[-1]
    assert "--Voila.auto_token=True" in command
    # The token travels in the environment: a command line is readable by every account.
    assert "token=" not in command.replace("auto_token=", "")


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    """Status and Location of one request; redirects are not followed."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.request(
            "GET", parts.path + (f"?{parts.query}" if parts.query else ""), headers=headers or {}
        )
        response = conn.getresponse()
        response.read()
        return response.status, response.getheader("Location") or ""
    finally:
        conn.close()


@contextmanager
def serving(args: list[str], tmp_path: Path) -> Iterator[str]:
    """Run a studio command that serves; yield the address it printed (with its token)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("JUPYTER_TOKEN", "JUPYTER_TOKEN_FILE")}
    env.update(NO_BROWSER="1", HOME=str(tmp_path), JUPYTER_RUNTIME_DIR=str(tmp_path / "rt"))
    env.pop("GOALSTUDIO_GRADEBOOK", None)
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "goalstudio.cli", *args, "--no-browser", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 90
        address = ""
        while time.monotonic() < deadline:
            assert process.poll() is None, log.read_text(errors="replace")
            found = re.search(r"(http://127\.0\.0\.1:\d+/\S*token=[^\s)]+)", log.read_text())
            if found:
                address = found.group(1)
                try:
                    _get(f"http://127.0.0.1:{port}/favicon.ico")
                    break
                except OSError:
                    pass
            time.sleep(0.3)
        assert address, log.read_text(errors="replace")
        yield address
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


def _refused(status: int, location: str) -> bool:
    return status in (401, 403) or (status in (301, 302) and "/login" in location)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "page", "listing"),
    [
        (["dashboard"], "voila/render/01-workshop-board.ipynb", "voila/tree"),
        (["start", "--app"], "voila/render/00-welcome.ipynb", "voila/tree"),
        (["start", "--lab"], "api/contents/00-welcome.ipynb", "api/contents"),
    ],
    ids=["dashboard", "start-app", "start-lab"],
)
def test_a_request_without_the_token_is_refused(
    args: list[str], page: str, listing: str, tmp_path: Path
) -> None:
    if args[0] == "start":
        args = [*args, "--workspace", str(tmp_path / "ws")]
    with serving(args, tmp_path) as address:
        parts = urlsplit(address)
        token = parts.query.split("token=", 1)[1]
        assert len(token) >= 32
        base = f"{parts.scheme}://{parts.netloc}"
        assert _refused(*_get(f"{base}/{page}")), "a request without the token was answered"
        assert _refused(*_get(f"{base}/{page}?token=wrong-{token}"))
        assert _refused(*_get(f"{base}/{page}", {"Authorization": "token guessed"}))
        assert _refused(*_get(f"{base}/{listing}"))
        # The printed address works as it is, and so does the token in a header.
        status, location = _get(address)
        assert status in (200, 302) and "/login" not in location, (status, location)
        assert _get(f"{base}/{listing}", {"Authorization": f"token {token}"})[0] == 200


def test_the_browser_opens_through_a_page_only_this_account_can_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import stat
    import webbrowser

    from goalstudio._server_token import open_in_browser

    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, new=0: opened.append(url) or True)
    address = "http://127.0.0.1:8866/voila/render/a.ipynb?token=s3cret&x=<1>"
    made = open_in_browser(address)
    page = Path(opened[0].removeprefix("file://"))
    assert made == str(page)
    try:
        # The token is on no command line: the browser is given a file, readable by us alone.
        assert "s3cret" not in opened[0]
        assert stat.S_IMODE(page.stat().st_mode) == 0o600
        text = page.read_text(encoding="utf-8")
        assert 'content="0;url=http://127.0.0.1:8866/voila/render/a.ipynb?token=s3cret' in text
        assert "<1>" not in text  # the address is escaped into the page
    finally:
        page.unlink()
    monkeypatch.setattr(webbrowser, "open", lambda url, new=0: opened.append(url) and False)
    assert open_in_browser(address) is None  # no browser: the page is not left behind
    assert not Path(opened[-1].removeprefix("file://")).exists()


def test_the_studios_voila_opens_the_browser_at_its_address_with_the_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`goalstudio dashboard` and `goalstudio start --app` run TokenVoila: the browser must
    open the page with the token, or it lands on a login page."""
    from types import SimpleNamespace

    from goalstudio import _voila_app
    from goalstudio._server_token import with_token

    opened: list[str] = []
    monkeypatch.setattr(_voila_app, "open_in_browser", lambda url: opened.append(url))
    monkeypatch.setenv("GOALSTUDIO_OPEN_PATH", "/voila/render/01-workshop-board.ipynb")
    server = SimpleNamespace(
        connection_url="http://127.0.0.1:8123/", identity_provider=SimpleNamespace(token="t0k")
    )
    _voila_app.TokenVoila.launch_browser(server)
    page = "http://127.0.0.1:8123/voila/render/01-workshop-board.ipynb"
    assert opened == [with_token(page, "t0k")] and "t0k" in opened[0]
    assert "launch_browser" in vars(_voila_app.TokenVoila)  # Voilà's own would drop the token
