"""The one way the core makes HTML: Jinja2 templates shipped in a package, autoescaped.

Every value put into a page is escaped unless the template says ``|safe``, and a name the
template uses but the code does not give is an error, not an empty string.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jinja2


@functools.cache
def html_templates(package: str, folder: str = ".") -> jinja2.Environment:
    """The templates in ``folder`` of ``package`` (Jinja2 is imported only when a page is made)."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader(package, folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def json_in_script(text: str) -> str:
    """JSON text made safe to put inside an HTML ``<script>``: every ``<``, ``>`` and ``&`` is
    written as its JSON escape (the same value to a JSON or JavaScript reader), so no text in it
    can end the script early or start markup."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
