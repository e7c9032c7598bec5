"""The dashboard server's kernels: the workshop board's preheats first and alone, the server
fills the other pages' kernel pools once it is ready, and a page's next kernel starts only after
it has drawn."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import goalstudio.widgets.dashboards._common as common
from goalstudio import _voila_app
from goalstudio._voila_settings import KERNEL_START_TIMEOUT
from goalstudio.cli._dashboard import FILL_DELAY, FIRST_PAGE, facilitator_folder, voila_command


def test_the_board_and_the_server_name_the_same_ready_file() -> None:
    # The kernel writes it and the server reads it: two processes, one name.
    assert _voila_app.FIRST_PAGE_READY_FILE == common.FIRST_PAGE_READY_FILE
    board = (facilitator_folder() / FIRST_PAGE).read_text(encoding="utf-8")
    assert "warm_up(first=True)" in board  # the page whose kernel writes the ready file


def test_voila_starts_with_the_first_pages_kernel_only_and_delays_refills() -> None:
    import nbformat
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    from traitlets.config.configurable import Configurable
    from voila.execute import VoilaExecutor  # type: ignore[import-untyped]
    from voila.voila_kernel_manager import (  # type: ignore[import-untyped]
        voila_kernel_manager_factory,
    )

    command = voila_command(Path("/served"), 8123, no_browser=True)
    assert command[1:3] == ["-m", "goalstudio._voila_app"]
    app = _voila_app.TokenVoila()
    app.parse_command_line([part for part in command[3:] if part.startswith("--")])
    assert app.first_page == FIRST_PAGE and app.later_pool_size == 1
    # The kernel manager Voilà builds reads the settings under its own class name.
    made = voila_kernel_manager_factory(AsyncMappingKernelManager, lambda *a: None, 1)
    manager: Any = made.__new__(made)
    Configurable.__init__(manager, config=app.config)
    assert manager.kernel_pools_config == {
        "default": {"pool_size": 0},
        FIRST_PAGE: {"pool_size": 1},
    }
    assert manager.fill_delay == FILL_DELAY >= 3  # the taken page draws before the refill
    # A kernel slow to answer as the other pages' kernels start is waited for: Voilà would
    # leave a page that gave up on it loading for ever.
    executor = VoilaExecutor(nbformat.v4.new_notebook(), config=app.config)
    assert executor.startup_timeout == KERNEL_START_TIMEOUT >= 300
    assert VoilaExecutor(nbformat.v4.new_notebook()).startup_timeout < KERNEL_START_TIMEOUT


def test_the_first_page_tells_the_server_it_is_ready(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path))
    monkeypatch.setenv("VOILA_APP_PORT", "8123")
    server = os.getppid()  # a kernel's parent: the server that started it
    assert not _voila_app.first_page_ready(8123, server)
    common._write_ready_file()
    assert _voila_app.first_page_ready(8123, server)
    assert not _voila_app.first_page_ready(8124, server)  # another server's port
    # A file left by an earlier server on the same port holds another process id.
    assert not _voila_app.first_page_ready(8123, server + 1)


class _Pools:
    """What the server's filler uses of Voilà's kernel manager, recorded."""

    def __init__(self) -> None:
        self.kernel_pools_config: dict[str, Any] = {
            "default": {"pool_size": 0},
            FIRST_PAGE: {"pool_size": 1},
        }
        self.filled: list[tuple[str, float, int]] = []

    def fill_if_needed(self, delay: float, notebook_name: str) -> None:
        size = self.kernel_pools_config["default"]["pool_size"]
        self.filled.append((notebook_name, delay, size))


def _server(root: Path, port: int, wait: float) -> SimpleNamespace:
    return SimpleNamespace(
        port=port,
        root_dir=str(root),
        first_page=FIRST_PAGE,
        later_pool_size=1,
        later_wait=wait,
        kernel_manager=_Pools(),
        log=logging.getLogger("test"),
    )


def _pages(root: Path) -> None:
    for name in (FIRST_PAGE, "02-cohort.ipynb", "03-gap.ipynb", ".ipynb_checkpoints/02-x.ipynb"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("{}", encoding="utf-8")


def test_the_server_fills_the_other_pages_once_the_first_is_ready(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path))
    _pages(tmp_path / "served")
    server = _server(tmp_path / "served", 8123, wait=30)
    ready = tmp_path / _voila_app.FIRST_PAGE_READY_FILE.format(port=8123)

    async def run() -> float:
        filler = asyncio.ensure_future(_voila_app.TokenVoila._fill_later_pages(server))
        await asyncio.sleep(0.5)
        assert server.kernel_manager.filled == []  # nothing until the first page is ready
        ready.write_text(str(os.getpid()), encoding="utf-8")
        started = time.monotonic()
        await filler
        return time.monotonic() - started

    assert asyncio.run(run()) < 5
    assert server.kernel_manager.filled == [("02-cohort.ipynb", 0, 1), ("03-gap.ipynb", 0, 1)]
    assert server.kernel_manager.kernel_pools_config[FIRST_PAGE] == {"pool_size": 1}


def test_the_server_fills_the_other_pages_after_its_wait_if_never_told(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path))
    _pages(tmp_path / "served")
    # A file from an earlier server on this port: not this server's first page.
    (tmp_path / _voila_app.FIRST_PAGE_READY_FILE.format(port=8123)).write_text("1")
    server = _server(tmp_path / "served", 8123, wait=0.3)
    asyncio.run(_voila_app.TokenVoila._fill_later_pages(server))
    assert [name for name, _d, _s in server.kernel_manager.filled] == [
        "02-cohort.ipynb",
        "03-gap.ipynb",
    ]


def test_the_first_page_signals_when_opened_or_after_a_while(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    events: list[str] = []

    class Timer:
        def __init__(self, after: float) -> None:
            self.after = after
            events.append(f"in {after}")

        def cancel(self) -> None:
            events.append(f"cancel {self.after}")

    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setattr(common, "_signal_ready", Timer)
    monkeypatch.setattr(common, "wait_for_request", lambda: events.append("opened"))
    monkeypatch.setattr(common, "_FIRST_PAGE", [True])
    common.wait_for_viewer()
    idle, settle = common.FIRST_PAGE_IDLE, common.FIRST_PAGE_SETTLE
    assert events == [f"in {idle}", "opened", f"cancel {idle}", f"in {settle}"]
    events.clear()
    monkeypatch.setattr(common, "_FIRST_PAGE", [])  # any other page: no signal
    common.wait_for_viewer()
    assert events == ["opened"]


@contextmanager
def _query_socket(
    monkeypatch: pytest.MonkeyPatch,
    answer: Callable[[Any], None],
    kernel: str | None = None,
    process_request: Callable[[Any, Any], None] | None = None,
) -> Iterator[int]:
    """A stand-in for Voilà's query socket on a free port until the block ends; yields the port.
    ``answer(socket)`` is what Voilà sends once the page is opened. The kernel's ``VOILA_*``
    variables point at it (the kernel id is ``kernel``, else one named by the port), and the
    request's variables it sets are restored after the test."""
    from websockets.sync.server import serve

    with serve(answer, "127.0.0.1", 0, process_request=process_request) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port = server.socket.getsockname()[1]
        monkeypatch.setenv("VOILA_KERNEL_ID", kernel or f"kernel-{port}")
        monkeypatch.setenv("VOILA_APP_PORT", str(port))
        monkeypatch.setenv("VOILA_SERVER_URL", "/")
        for name in ("QUERY_STRING", "SCRIPT_NAME"):
            monkeypatch.setenv(name, "")  # restored after the test
        try:
            yield port
        finally:
            server.shutdown()


def test_a_preheated_kernel_waits_on_voilas_query_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    from websockets.sync.server import ServerConnection

    asked: list[str] = []

    def voila(socket: ServerConnection) -> None:  # what Voilà sends once the page is opened
        assert socket.request is not None
        asked.append(socket.request.path)
        socket.send(json.dumps({"QUERY_STRING": "group=north", "SCRIPT_NAME": "/voila/render"}))

    with _query_socket(monkeypatch, voila, kernel="kernel-7"):
        common.wait_for_request()
    assert asked == ["/voila/query/kernel-7"]
    assert os.environ["QUERY_STRING"] == "group=north"
    assert os.environ["SCRIPT_NAME"] == "/voila/render"


def test_a_kernel_waits_for_a_busy_server_to_take_its_connection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A kernel that gave up after 5 s opened a second connection, and Voilà's socket handler then
    # forgot another kernel's socket: that kernel's page never opened (CI, stop 23).
    import voila.utils  # type: ignore[import-untyped]
    from websockets.sync.server import ServerConnection

    def busy(_connection: ServerConnection, _request: object) -> None:
        time.sleep(6)  # the handshake waits, as a server starting six kernels answers

    def page_opened(socket: ServerConnection) -> None:
        socket.send(json.dumps({"QUERY_STRING": "group=south"}))

    fallback: list[str] = []
    monkeypatch.setattr(voila.utils, "wait_for_request", lambda: fallback.append("voila"))
    with _query_socket(monkeypatch, page_opened, kernel="kernel-8", process_request=busy):
        common.wait_for_request()
    assert fallback == []  # one connection, kept until the page was opened
    assert os.environ["QUERY_STRING"] == "group=south"


def test_without_voilas_query_socket_voilas_own_wait_is_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import voila.utils  # type: ignore[import-untyped]

    from tests.conftest import free_port

    used: list[str] = []
    monkeypatch.setattr(voila.utils, "wait_for_request", lambda: used.append("voila"))
    monkeypatch.setenv("VOILA_KERNEL_ID", "kernel-7")
    monkeypatch.setenv("VOILA_APP_PORT", str(free_port()))  # nothing listens there
    common.wait_for_request()
    assert used == ["voila"]


@pytest.fixture
def voila_query_socket(monkeypatch: pytest.MonkeyPatch) -> Any:
    """A stand-in for Voilà's query socket that says at once that the page is opened (as Voilà
    does when the page was requested before the kernel connected); yields its port."""
    from websockets.sync.server import ServerConnection

    def voila(socket: ServerConnection) -> None:
        socket.send(json.dumps({"QUERY_STRING": "", "SCRIPT_NAME": "/voila/render"}))

    monkeypatch.setenv("VOILA_PREHEAT", "True")
    with _query_socket(monkeypatch, voila) as port:
        yield port


def test_in_a_kernel_then_has_ended_before_the_page_is_sent(
    voila_query_socket: int, tmp_path: Path
) -> None:
    """Voilà sends the page when the last cell ends: ``then`` must have ended by then. A page
    that connected while ``then`` was still changing its widgets would be sent messages about
    widgets it did not have yet ("Comm not found"), and could draw nothing."""
    from jupyter_client.manager import start_new_kernel

    done = tmp_path / "done"
    code = f"""
import time
from pathlib import Path
from goalstudio.widgets.dashboards import wait_for_viewer

def read_the_store():
    time.sleep(0.5)  # a slow read: the cell must still wait for it
    Path({str(done)!r}).write_text("read")

wait_for_viewer(then=read_the_store)
"""
    manager, client = start_new_kernel(kernel_name="python3", env=dict(os.environ))
    try:
        client.execute(code)
        reply = client.get_shell_msg(timeout=60)
        assert reply["content"]["status"] == "ok", reply["content"]
        assert done.read_text() == "read"  # the page is sent only after this
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
