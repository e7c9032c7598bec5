"""Voilà as the studio runs it: ``python -m goalstudio._voila_app`` takes ``python -m voila``'s
arguments, for ``goalstudio dashboard`` and ``goalstudio start --app``.

It is its own process (the core never imports Jupyter). Voilà itself requires the token the
studio passes in ``JUPYTER_TOKEN`` (``--Voila.auto_token=True``); the one change here is the
browser: Voilà opens its address without the token, which would land on a login page, so
this opens the address with the token, through a page only this account can read.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

from tornado.ioloop import IOLoop
from voila.app import Voila  # type: ignore[import-untyped]

from goalstudio._environment import OPEN_PATH_ENV
from goalstudio._server_token import open_in_browser, with_token


class TokenVoila(Voila):  # type: ignore[misc]
    """Voilà that opens the browser at its address with the token."""

    def launch_browser(self) -> None:
        path = os.environ.get(OPEN_PATH_ENV, "").lstrip("/")
        url = f"{str(self.connection_url).rstrip('/')}/{path}"
        page = open_in_browser(with_token(url, str(self.identity_provider.token)))
        if page:  # the browser reads it at once; the token need not stay on disk
            IOLoop.current().call_later(60, lambda: Path(page).unlink(missing_ok=True))


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
