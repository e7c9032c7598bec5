"""Voilà as the studio runs it: ``python -m goalstudio._voila_app`` takes ``python -m voila``'s
arguments, for ``goalstudio dashboard`` and ``goalstudio start --app``.

It is its own process (the core never imports Jupyter). Voilà itself requires the token the
studio passes in ``JUPYTER_TOKEN`` (``--Voila.auto_token=True``). Two changes here:

- the browser: Voilà opens its address without the token, which would land on a login page, so
  this opens the address with the token, through a page only this account can read;
- the first page (``--TokenVoila.first_page``, the workshop board for ``goalstudio dashboard``):
  Voilà preheats every page's kernel as it starts, and on a small machine the page a facilitator
  opens first waited for all of them. Given a first page, the server is started with kernel
  pools for that page only, and fills every other page's pool once the first page's kernel says
  it is ready (``FIRST_PAGE_READY_FILE``, written by ``wait_for_viewer`` in the dashboards) or
  ``later_wait`` seconds have passed.
"""

from __future__ import annotations

import asyncio
import os
import time
import warnings
from pathlib import Path

from jupyter_core.paths import jupyter_runtime_dir
from tornado.ioloop import IOLoop
from traitlets import Float, Int, Unicode
from voila.app import Voila  # type: ignore[import-untyped]

from goalstudio._environment import OPEN_PATH_ENV
from goalstudio._server_token import open_in_browser, with_token

# The first page's kernel writes the server's process id to this file in Jupyter's runtime folder
# (widgets/dashboards/_common.py names it too); a file left by an earlier server holds another id.
FIRST_PAGE_READY_FILE = "goalstudio-dashboard-first-page-{port}.ready"


def first_page_ready(port: int, server: int) -> bool:
    """True once the first page's kernel of the server ``server`` on ``port`` is ready."""
    path = Path(jupyter_runtime_dir()) / FIRST_PAGE_READY_FILE.format(port=port)
    try:
        return path.read_text(encoding="utf-8").strip() == str(server)
    except OSError:
        return False


class TokenVoila(Voila):  # type: ignore[misc]
    """Voilà that opens the browser at its address with the token, and preheats the first page's
    kernel before the others'."""

    first_page = Unicode(
        "",
        config=True,
        help="The notebook whose kernel preheats alone; the other pages' kernel pools are "
        "filled once it is ready. Empty: every page's at once, as Voilà does.",
    )
    later_pool_size = Int(1, config=True, help="Preheated kernels per page after the first.")
    later_wait = Float(
        30.0, config=True, help="Seconds at most before the other pages' kernels start anyway."
    )

    def start(self) -> None:
        if self.first_page and self.voila_configuration.preheat_kernel:
            IOLoop.current().add_callback(self._fill_later_pages)
        super().start()

    async def _fill_later_pages(self) -> None:
        deadline = time.monotonic() + self.later_wait
        while time.monotonic() < deadline and not first_page_ready(self.port, os.getpid()):
            await asyncio.sleep(0.1)
        manager = self.kernel_manager
        pools = dict(manager.kernel_pools_config)
        pools["default"] = {**pools.get("default", {}), "pool_size": self.later_pool_size}
        manager.kernel_pools_config = pools
        for name in later_pages(Path(self.root_dir), self.first_page):
            manager.fill_if_needed(delay=0, notebook_name=name)
        self.log.info("The first page is ready: preheating the other pages' kernels")

    def launch_browser(self) -> None:
        path = os.environ.get(OPEN_PATH_ENV, "").lstrip("/")
        url = f"{str(self.connection_url).rstrip('/')}/{path}"
        page = open_in_browser(with_token(url, str(self.identity_provider.token)))
        if page:  # the browser reads it at once; the token need not stay on disk
            IOLoop.current().call_later(60, lambda: Path(page).unlink(missing_ok=True))


def later_pages(root: Path, first_page: str) -> list[str]:
    """The notebooks served from ``root`` (as Voilà names them) but the first page, in order;
    none inside hidden folders such as ``.ipynb_checkpoints``."""
    names = []
    for path in sorted(root.rglob("*.ipynb")):
        relative = path.relative_to(root)
        if not any(part.startswith(".") for part in relative.parts):
            names.append(str(relative))
    return [name for name in names if name != first_page]


def main() -> None:
    # traitlets would have list and dict settings given item by item, but it parses a dict's
    # items as strings and the kernel pools need JSON, so its warning to every facilitator about
    # the whole-value form (which it still reads) is hushed.
    warnings.filterwarnings(
        "ignore", message=r"--\S+=.* is deprecated in traitlets 5", category=DeprecationWarning
    )
    TokenVoila.launch_instance()


if __name__ == "__main__":
    main()
