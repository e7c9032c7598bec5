"""Voilà's word that a preheated kernel's page has been opened, listened for from early on.

Voilà hands a preheated kernel to a page by sending the request's details on the socket
``/voila/query/<kernel id>`` (it keeps them until the kernel connects). A kernel that listens
from its first cell can tell, before it reads the records store, whether someone already waits
for its page: a page opened as the server starts. The dashboard then reads the store after the
page has been sent, while the browser starts, instead of before (``Dashboard.__init__``).

The socket is opened once and kept open until the message comes: a probe that connected and
closed again could miss a message sent in between, and the page would never be served.
"""

from __future__ import annotations

import asyncio
import os
import threading

# The listener of this kernel, by the socket's address (one kernel, one address).
_LISTENERS: dict[str, PageRequest] = {}


class PageRequest:
    """Listens, in a thread of its own (the kernel's event loop is busy running cells), for
    the one message Voilà sends when this kernel's page is opened."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._details: str | None = None
        self._done = threading.Event()
        thread = threading.Thread(target=self._listen, name="voila-page-request", daemon=True)
        thread.start()

    def _listen(self) -> None:
        try:
            self._details = asyncio.run(_receive(self.url))
        finally:
            self._done.set()

    def arrived(self) -> bool:
        """True once Voilà has said that the page is opened (never blocks)."""
        return self._done.is_set() and self._details is not None

    def wait(self) -> str | None:
        """The request's details (JSON) once the page is opened; None if the socket cannot be
        reached (the caller then waits Voilà's own way)."""
        self._done.wait()
        return self._details


async def _receive(url: str) -> str | None:
    from websockets.asyncio.client import connect
    from websockets.exceptions import WebSocketException

    try:
        async with connect(url, open_timeout=5) as socket:
            return str(await socket.recv())
    except (OSError, TimeoutError, WebSocketException):
        return None


def query_url() -> str | None:
    """The address of this kernel's query socket, from what Voilà puts in the kernel's
    environment; None outside a Voilà kernel."""
    kernel, port = os.environ.get("VOILA_KERNEL_ID"), os.environ.get("VOILA_APP_PORT")
    if not kernel or not port:
        return None
    protocol = os.environ.get("VOILA_WS_PROTOCOL", "ws")
    host = os.environ.get("VOILA_APP_IP", "127.0.0.1")
    base = os.environ.get("VOILA_WS_BASE_URL", os.environ.get("VOILA_SERVER_URL", "/"))
    return f"{protocol}://{host}:{port}{base}voila/query/{kernel}"


def listen() -> PageRequest | None:
    """This kernel's listener, started on the first call; None outside a Voilà kernel."""
    url = query_url()
    if url is None:
        return None
    if url not in _LISTENERS:
        _LISTENERS[url] = PageRequest(url)
    return _LISTENERS[url]


def page_opened() -> bool:
    """True when a listener started earlier has heard that the page is opened."""
    url = query_url()
    request = _LISTENERS.get(url) if url is not None else None
    return request is not None and request.arrived()


def take() -> str | None:
    """Wait for the page to be opened and return the request's details (JSON); None if the
    socket cannot be reached. The listener is used up: a kernel serves one page."""
    request = listen()
    if request is None:
        return None
    details = request.wait()
    _LISTENERS.pop(request.url, None)
    return details
