"""Voilà's word that a preheated kernel's page has been opened.

Voilà hands a preheated kernel to a page by sending the request's details on the socket
``/voila/query/<kernel id>`` (it keeps them until the kernel connects). This is what
``voila.utils.wait_for_request`` listens for, without importing Voilà into the kernel.
"""

from __future__ import annotations

import asyncio
import os
import threading

# Seconds to wait for the server to take the connection. Voilà answers slowly while it starts the
# other pages' kernels, and a kernel that gave up would open a second connection; Voilà's socket
# handler then forgets the wrong kernel's socket when the first one closes, and that kernel's
# page never opens.
OPEN_TIMEOUT = 120.0


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


def take() -> str | None:
    """Wait for the page to be opened and return the request's details (JSON); None outside a
    Voilà kernel or if the socket cannot be reached (the caller then waits Voilà's own way).
    In a thread of its own: the kernel's event loop is busy running the cell."""
    url = query_url()
    if url is None:
        return None
    got: list[str | None] = []
    thread = threading.Thread(target=lambda: got.append(asyncio.run(_receive(url))))
    thread.start()
    thread.join()
    return got[0] if got else None


async def _receive(url: str) -> str | None:
    from websockets.asyncio.client import connect
    from websockets.exceptions import WebSocketException

    try:
        # No keep-alive pings: on loopback they guard nothing, and a busy server missing one
        # would close the connection while the kernel waits, with the same second connection.
        async with connect(url, open_timeout=OPEN_TIMEOUT, ping_interval=None) as socket:
            return str(await socket.recv())
    except (OSError, TimeoutError, WebSocketException):
        return None
