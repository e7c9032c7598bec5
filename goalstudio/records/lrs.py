"""Sending xAPI statements to a learning record store (LRS) over HTTP.

Statements go in batches to ``URL/statements`` with HTTP basic auth (the user name and password
come from ``$GOALSTUDIO_LRS_USERNAME`` and ``$GOALSTUDIO_LRS_PASSWORD``, never from the command
line, where other accounts could read them). A batch the LRS cannot take because the server is
busy or down is retried with exponential back-off; a batch it refuses (400) is sent again one
statement at a time, so each refused statement is named with the LRS's reason. Statement ids are
the record ids, so sending twice stores nothing twice.
"""

from __future__ import annotations

import base64
import json
import os
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from goalstudio._environment import LRS_PASSWORD_ENV, LRS_USERNAME_ENV
from goalstudio.records._errors import RecordStoreError
from goalstudio.records._xapi import XAPI_VERSION

BATCH = 50
RETRIES = 4
_RETRY_STATUS = {408, 429, 500, 502, 503, 504}
_MAX_REASON = 300
_LOOPBACK = {"localhost", "127.0.0.1", "::1"}


class LrsError(RecordStoreError):
    """The LRS cannot be reached or used; the message says what to check."""


@dataclass
class SendSummary:
    """What a send did: statements the LRS accepted, and each refused one with its reason."""

    sent: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)  # (statement id, reason)


Opener = Callable[[urllib.request.Request, float], Any]


def _open(request: urllib.request.Request, timeout: float) -> Any:
    return urllib.request.urlopen(request, timeout=timeout)  # the scheme is checked first


def check_lrs_url(url: str) -> str:
    """The statements endpoint for an LRS address; plain http only to this machine, because
    basic auth would cross the network readable."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise LrsError(
            f"--lrs {url!r} must be an http(s) address, such as https://lrs.example.org/xAPI"
        )
    if parts.scheme == "http" and parts.hostname not in _LOOPBACK:
        raise LrsError(
            f"--lrs {url!r} uses plain http to another machine, which would send the password "
            "readable over the network; use its https address."
        )
    base = url.rstrip("/")
    return base if base.endswith("/statements") else f"{base}/statements"


def credentials() -> tuple[str, str]:
    username, password = os.environ.get(LRS_USERNAME_ENV, ""), os.environ.get(LRS_PASSWORD_ENV, "")
    if not username or not password:
        raise LrsError(
            f"set {LRS_USERNAME_ENV} and {LRS_PASSWORD_ENV} to the LRS account's user name and "
            "password (ask the LRS administrator for a key and secret), then send again."
        )
    return username, password


def send_statements(
    statements: Sequence[dict[str, Any]],
    url: str,
    auth: tuple[str, str],
    *,
    batch: int = BATCH,
    retries: int = RETRIES,
    backoff: float = 0.5,
    timeout: float = 30.0,
    opener: Opener = _open,
    sleep: Callable[[float], None] = time.sleep,
) -> SendSummary:
    """Send the statements; returns what was accepted and what was refused, and why."""
    endpoint = check_lrs_url(url)
    token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode("ascii")
    headers = {
        "Authorization": f"Basic {token}",
        "Content-Type": "application/json; charset=utf-8",
        "X-Experience-API-Version": XAPI_VERSION,
    }

    def post(items: Sequence[dict[str, Any]]) -> tuple[int, str]:
        body = json.dumps(list(items), ensure_ascii=False).encode("utf-8")
        for attempt in range(retries + 1):
            request = urllib.request.Request(endpoint, body, headers, method="POST")
            try:
                with opener(request, timeout) as response:
                    return int(response.status), ""
            except urllib.error.HTTPError as exc:
                reason = exc.read(_MAX_REASON * 4).decode("utf-8", "replace")[:_MAX_REASON]
                if exc.code in (401, 403):
                    raise LrsError(
                        f"the LRS at {endpoint} refused the user name and password "
                        f"(HTTP {exc.code}). Check {LRS_USERNAME_ENV} and {LRS_PASSWORD_ENV}."
                    ) from None
                if exc.code not in _RETRY_STATUS or attempt == retries:
                    return exc.code, reason.strip() or str(exc.reason)
            except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
                if attempt == retries:
                    why = getattr(exc, "reason", exc)
                    raise LrsError(
                        f"the LRS at {endpoint} could not be reached after {retries + 1} tries "
                        f"({why}). Statements sent before this are stored; sending again adds "
                        "nothing twice."
                    ) from None
            sleep(backoff * 2**attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    summary = SendSummary()
    for start in range(0, len(statements), max(batch, 1)):
        items = statements[start : start + max(batch, 1)]
        status, _reason = post(items)
        if 200 <= status < 300:
            summary.sent += len(items)
            continue
        for item in items:  # find the statements the LRS refuses, and why
            one, reason = post([item])
            if 200 <= one < 300:
                summary.sent += 1
            else:
                summary.refused.append((str(item.get("id", "?")), f"HTTP {one}: {reason}"))
    return summary
