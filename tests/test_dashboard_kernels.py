"""The dashboard server's kernels: the workshop board's preheats first and alone, the other
pages' kernels start once it is ready, and a page's next kernel starts only after it has drawn."""

from __future__ import annotations

import json
import os
import runpy
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import goalstudio.widgets.dashboards._common as common
from goalstudio import environment
from goalstudio.cli._dashboard import (
    FILL_DELAY,
    FIRST_PAGE,
    facilitator_folder,
    kernels_root,
    voila_command,
    voila_env,
)

STARTER = kernels_root() / "kernels" / "python3" / "start_kernel.py"


@pytest.fixture(scope="module")
def starter() -> SimpleNamespace:
    """start_kernel.py's names, loaded as the kernel spec runs it: a script, not a module."""
    return SimpleNamespace(**runpy.run_path(str(STARTER), run_name="start_kernel"))


def test_the_kernel_starter_names_the_studios_settings(starter: SimpleNamespace) -> None:
    # It runs before the studio is loaded, so it names them itself; they must not drift.
    assert starter.WAIT_ENV == environment.AFTER_FIRST_PAGE_ENV
    assert starter.READY_FILE == common.FIRST_PAGE_READY_FILE
    assert (facilitator_folder() / FIRST_PAGE).is_file()
    board = (facilitator_folder() / FIRST_PAGE).read_text(encoding="utf-8")
    assert "warm_up(first=True)" in board  # the page whose kernel writes the ready file


def test_the_server_runs_its_own_python3_kernel_through_the_starter() -> None:
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    env = voila_env("sqlite:///x.sqlite", None, None, token="t0ken")
    assert str(kernels_root()) in env["JUPYTER_PATH"].split(os.pathsep)
    specs = KernelSpecManager(kernel_dirs=[str(kernels_root() / "kernels")])
    spec = specs.get_kernel_spec("python3")
    manager = KernelManager(kernel_name="python3", kernel_spec_manager=specs)
    command = manager.format_kernel_cmd()
    # The interpreter running the server, the starter from this package, then ipykernel's -f.
    assert command[0] == sys.executable
    assert Path(command[1]) == STARTER and STARTER.is_file()
    assert command[2] == "-f" and spec.language == "python"


def test_voila_gives_every_page_but_the_first_the_wait_and_delays_refills() -> None:
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    from traitlets.config.configurable import Configurable
    from voila.app import Voila  # type: ignore[import-untyped]
    from voila.voila_kernel_manager import (  # type: ignore[import-untyped]
        voila_kernel_manager_factory,
    )

    command = voila_command(Path("/served"), 8123, no_browser=True)
    app = Voila()
    app.parse_command_line([part for part in command[3:] if part.startswith("--")])
    # The kernel manager Voilà builds reads the settings under its own class name.
    made = voila_kernel_manager_factory(AsyncMappingKernelManager, lambda *a: None, 1)
    manager: Any = made.__new__(made)
    Configurable.__init__(manager, config=app.config)
    pools = manager.kernel_pools_config
    assert pools["default"] == {
        "pool_size": 1,
        "kernel_env_variables": {environment.AFTER_FIRST_PAGE_ENV: "1"},
    }
    assert pools[FIRST_PAGE] == {"pool_size": 1, "kernel_env_variables": {}}
    assert manager.fill_delay == FILL_DELAY >= 3  # the taken page draws before the refill


def test_the_first_page_tells_the_others_it_is_ready(
    starter: SimpleNamespace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path))
    monkeypatch.setenv("VOILA_APP_PORT", "8123")
    path = starter.ready_file(str(tmp_path), "8123")
    server = os.getppid()  # the server that started this kernel, and the others
    assert not starter.first_page_ready(path, server)
    common._write_ready_file()
    assert starter.first_page_ready(path, server)
    assert json.loads(path.read_text(encoding="utf-8")) == server


def test_a_later_page_waits_for_this_servers_first_page_only(
    starter: SimpleNamespace, tmp_path: Path
) -> None:
    path = tmp_path / "goalstudio-dashboard-first-page-8123.ready"
    now = [100.0]  # a clock of the test's own: sleeping moves it, nothing really waits
    naps: list[float] = []
    ready_after = [5]  # naps until the first page's kernel gets ready (0: never)

    def nap(seconds: float) -> None:
        naps.append(seconds)
        now[0] += seconds
        if len(naps) == ready_after[0]:
            path.write_text("4242", encoding="utf-8")

    assert starter.wait_for_first_page(path, 4242, limit=30, clock=lambda: now[0], sleep=nap)
    assert len(naps) == 5  # it waited until then, and no longer
    # A file left by an earlier server on the same port holds another id: it does not count,
    # and the kernel starts anyway at the time limit.
    path.write_text("999999", encoding="utf-8")
    naps.clear()
    ready_after[0] = 0
    started = now[0]
    ready = starter.wait_for_first_page(path, 4242, limit=2, clock=lambda: now[0], sleep=nap)
    assert not ready and started + 2 <= now[0] <= started + 2 + max(naps)


def test_the_first_page_signals_when_opened_or_after_a_while(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import voila.utils  # type: ignore[import-untyped]

    events: list[str] = []

    class Timer:
        def __init__(self, after: float) -> None:
            self.after = after
            events.append(f"in {after}")

        def cancel(self) -> None:
            events.append(f"cancel {self.after}")

    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setattr(common, "_signal_ready", Timer)
    monkeypatch.setattr(voila.utils, "wait_for_request", lambda: events.append("opened"))
    monkeypatch.setattr(common, "_FIRST_PAGE", [True])
    common.wait_for_viewer()
    idle, settle = common.FIRST_PAGE_IDLE, common.FIRST_PAGE_SETTLE
    assert events == [f"in {idle}", "opened", f"cancel {idle}", f"in {settle}"]
    events.clear()
    monkeypatch.setattr(common, "_FIRST_PAGE", [])  # any other page: no signal
    common.wait_for_viewer()
    assert events == ["opened"]
