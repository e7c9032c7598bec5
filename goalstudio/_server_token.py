"""The token every server the studio starts requires (JupyterLab, app mode, dashboards).

Loopback is not a boundary on a shared server: any account on the machine can reach
127.0.0.1. So each server is started with a random token, which the studio prints in the
address (as JupyterLab does). The token travels to the server in ``JUPYTER_TOKEN``, never on
the command line, which every account can read in ``/proc``. A browser is opened through a
page only this account can read, so the token stays off the browser's command line too.
"""

from __future__ import annotations

import html
import os
import secrets
import tempfile
import webbrowser
from urllib.parse import quote

TOKEN_ENV = "JUPYTER_TOKEN"


def server_token() -> str:
    """``JUPYTER_TOKEN`` when the person set one, else a new random token. Never empty: a
    server without a token would answer every account on the machine."""
    given = os.environ.get(TOKEN_ENV, "").strip()
    return given or secrets.token_hex(24)


def with_token(url: str, token: str) -> str:
    """``url`` with ``?token=...`` added, as JupyterLab prints it."""
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}token={quote(token, safe='')}"


def open_in_browser(url: str) -> str | None:
    """Open ``url`` (which holds the token) through a redirect page readable by this account
    only. Returns the page's path (remove it once the browser has read it), or ``None`` when
    no browser was found (the page is removed)."""
    fd, path = tempfile.mkstemp(prefix="goalstudio-open-", suffix=".html")
    safe = html.escape(url, quote=True)
    with os.fdopen(fd, "w", encoding="utf-8") as page:
        page.write(
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="refresh" content="0;url={safe}">'
            "<title>Opening Goal Discovery Studio</title></head><body>"
            f'<p><a href="{safe}">Open Goal Discovery Studio</a></p></body></html>'
        )
    try:
        if webbrowser.open(f"file://{path}", new=2):
            return path
    except webbrowser.Error:
        pass
    os.unlink(path)
    return None
