"""A small client for a running studio hub: the REST API, single-user servers and kernels.

Used by the real-hub test (tests/test_hub_live.py) and the load benchmark
(benchmarks/hub_load.py); an IT team can use it to check a new hub by hand:

    from hubclient import Hub
    hub = Hub("http://127.0.0.1:8000", admin_token)
    hub.create_users(["sam"])
    hub.start_server("sam")
    token = hub.user_token("sam")
    print(hub.run_code("sam", token, "print(1 + 1)"))

Only the standard library and tornado (which Jupyter already brings) are used.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Any


class HubError(RuntimeError):
    """A request to the hub or a server failed; the message names the request."""


@dataclass
class Response:
    status: int
    body: bytes
    headers: dict[str, str]

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8")) if self.body else None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def request(
    method: str, url: str, token: str, body: Any = None, *, timeout: float = 60.0
) -> Response:
    """One HTTP request with ``Authorization: token``; redirects are returned, not followed."""
    data = None
    headers = {"Authorization": f"token {token}"}
    if body is not None:
        data = json.dumps(body).encode("utf-8")
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with _OPENER.open(req, timeout=timeout) as resp:
            return Response(resp.status, resp.read(), dict(resp.headers))
    except urllib.error.HTTPError as exc:
        return Response(exc.code, exc.read(), dict(exc.headers or {}))


class Hub:
    """The hub's REST API with an admin token."""

    def __init__(self, base_url: str, token: str) -> None:
        self.base = base_url.rstrip("/")
        self.token = token

    def api(self, method: str, path: str, body: Any = None, *, ok: tuple[int, ...] = ()) -> Any:
        resp = request(method, f"{self.base}/hub/api{path}", self.token, body)
        if resp.status >= 400 and resp.status not in ok:
            raise HubError(f"{method} /hub/api{path}: {resp.status} {resp.text[:500]}")
        return resp.json() if resp.body else None

    def create_users(self, names: list[str], *, admin: bool = False) -> None:
        """Create the users (those that exist already are kept) and set their admin flag."""
        self.api("POST", "/users", {"usernames": names, "admin": admin}, ok=(409,))
        for name in names:
            self.api("PATCH", f"/users/{name}", {"admin": admin})

    def start_server(self, name: str, *, timeout: float = 120.0) -> None:
        self.request_server(name)
        self.wait_for_server(name, timeout=timeout)

    def request_server(self, name: str) -> None:
        """Ask for the user's server (it starts in the background)."""
        self.api("POST", f"/users/{name}/server", ok=(400,))

    def wait_for_server(self, name: str, *, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            model = self.api("GET", f"/users/{name}")
            server = (model.get("servers") or {}).get("")
            if server and server.get("ready"):
                return
            if model.get("pending") is None and not server:
                raise HubError(f"the server of {name} did not start (see the hub's log)")
            time.sleep(0.3)
        raise HubError(f"the server of {name} was not ready after {timeout:.0f} s")

    def stop_server(self, name: str, *, timeout: float = 60.0) -> None:
        self.api("DELETE", f"/users/{name}/server", ok=(400, 404))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            model = self.api("GET", f"/users/{name}")
            if not model.get("servers") and model.get("pending") is None:
                return
            time.sleep(0.3)
        raise HubError(f"the server of {name} did not stop after {timeout:.0f} s")

    def user_token(self, name: str) -> str:
        """A token that acts as the user (with the user's own permissions)."""
        made = self.api("POST", f"/users/{name}/tokens", {"note": "hub check", "expires_in": 3600})
        return str(made["token"])

    def server_url(self, name: str, path: str = "") -> str:
        return f"{self.base}/user/{name}/{path.lstrip('/')}"


class Server:
    """One user's single-user server, as that user (or as whoever holds ``token``)."""

    def __init__(self, hub: Hub, name: str, token: str) -> None:
        self.hub = hub
        self.name = name
        self.token = token

    def get(self, path: str, *, user: str | None = None, timeout: float = 60.0) -> Response:
        return request(
            "GET", self.hub.server_url(user or self.name, path), self.token, timeout=timeout
        )

    def call(self, method: str, path: str, body: Any = None, *, ok: tuple[int, ...] = ()) -> Any:
        resp = request(method, self.hub.server_url(self.name, path), self.token, body)
        if resp.status >= 400 and resp.status not in ok:
            raise HubError(f"{method} /user/{self.name}/{path}: {resp.status} {resp.text[:500]}")
        return resp.json() if resp.body else None

    def nbgrader(self, action: str, course: str, assignment: str) -> Any:
        """The Assignments tab's actions: fetch, submit, fetch_feedback."""
        query = urllib.parse.urlencode({"course_id": course, "assignment_id": assignment})
        result = self.call("POST", f"assignments/{action}?{query}")
        if not result or not result.get("success"):
            raise HubError(f"{self.name}: nbgrader {action} failed: {result}")
        return result

    def start_kernel(self) -> str:
        return str(self.call("POST", "api/kernels", {"name": "python3"})["id"])

    def stop_kernel(self, kernel_id: str) -> None:
        self.call("DELETE", f"api/kernels/{kernel_id}", ok=(404,))

    def run(self, code: str, *, kernel_id: str | None = None, timeout: float = 120.0) -> str:
        """Run code in a kernel of this server; returns what it printed. Errors raise."""
        own = kernel_id is None
        kid = kernel_id or self.start_kernel()
        try:
            return asyncio.run(self._execute(kid, code, timeout))
        finally:
            if own:
                self.stop_kernel(kid)

    def connect(self) -> KernelSession:
        return KernelSession(self, self.start_kernel())

    def _ws_url(self, kernel_id: str) -> str:
        url = self.hub.server_url(self.name, f"api/kernels/{kernel_id}/channels")
        return "ws" + url[len("http") :]

    async def _execute(self, kernel_id: str, code: str, timeout: float) -> str:
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        req = HTTPRequest(
            self._ws_url(kernel_id),
            headers={"Authorization": f"token {self.token}"},
            request_timeout=timeout,
        )
        conn = await asyncio.wait_for(websocket_connect(req), timeout)
        try:
            return await asyncio.wait_for(_exchange(conn, code), timeout)
        finally:
            await _close(conn)


class KernelSession:
    """A kernel kept open over one websocket, for many short runs (the load benchmark)."""

    def __init__(self, server: Server, kernel_id: str) -> None:
        self.server = server
        self.kernel_id = kernel_id
        self._conn: Any = None

    async def open(self) -> None:
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        req = HTTPRequest(
            self.server._ws_url(self.kernel_id),
            headers={"Authorization": f"token {self.server.token}"},
        )
        self._conn = await websocket_connect(req)

    async def run(self, code: str, timeout: float = 60.0) -> str:
        return await asyncio.wait_for(_exchange(self._conn, code), timeout)

    async def close(self) -> None:
        if self._conn is not None:
            await _close(self._conn)
        self.server.stop_kernel(self.kernel_id)


async def _close(conn: Any) -> None:
    """Close the websocket and wait until the server has closed it too (no socket left open)."""
    conn.close()
    try:
        while await asyncio.wait_for(conn.read_message(), 5) is not None:
            pass
    except TimeoutError:
        pass


async def _exchange(conn: Any, code: str) -> str:
    msg_id = uuid.uuid4().hex
    await conn.write_message(
        json.dumps(
            {
                "header": {
                    "msg_id": msg_id,
                    "username": "hubclient",
                    "session": uuid.uuid4().hex,
                    "msg_type": "execute_request",
                    "version": "5.3",
                    "date": "",
                },
                "parent_header": {},
                "metadata": {},
                "content": {
                    "code": code,
                    "silent": False,
                    "store_history": False,
                    "user_expressions": {},
                    "allow_stdin": False,
                    "stop_on_error": True,
                },
                "channel": "shell",
                "buffers": [],
            }
        )
    )
    out: list[str] = []
    error = ""
    replied = idle = False
    while not (replied and idle):
        raw = await conn.read_message()
        if raw is None:
            raise HubError("the kernel connection closed before the code finished")
        if isinstance(raw, bytes):
            continue
        msg = json.loads(raw)
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind = msg["header"]["msg_type"]
        content = msg.get("content", {})
        if kind == "stream":
            out.append(content.get("text", ""))
        elif kind == "error":
            error = f"{content.get('ename')}: {content.get('evalue')}"
        elif kind == "execute_reply":
            replied = True
        elif kind == "status" and content.get("execution_state") == "idle":
            idle = True
    if error:
        raise HubError(f"the code raised {error}; it printed: {''.join(out)[-2000:]}")
    return "".join(out)
