"""Exact storage of learner text.

Text is stored as UTF-8 bytes in a binary column, encoded with ``surrogatepass`` so that every
Python string, including empty text, NUL characters and lone surrogates pasted from a broken
clipboard, comes back identical. Binary columns also keep NUL bytes, which PostgreSQL's text
type refuses. Hostile HTML is just text here: escaping is the job of whatever displays it.
"""

from __future__ import annotations

import hashlib

MAX_TEXT_CHARS = 10_000_000  # generous: 10 million characters is far beyond any plan


def encode_text(text: str, field: str) -> bytes:
    if not isinstance(text, str):
        from goalstudio.records._errors import RecordInputError

        raise RecordInputError(f"{field} must be text (str), not {type(text).__name__}")
    if len(text) > MAX_TEXT_CHARS:
        from goalstudio.records._errors import RecordInputError

        raise RecordInputError(
            f"{field} is {len(text):,} characters long; the limit is {MAX_TEXT_CHARS:,}. "
            "Split it into smaller pieces."
        )
    return text.encode("utf-8", "surrogatepass")


def decode_text(data: bytes | memoryview | None) -> str:
    if data is None:
        return ""
    return bytes(data).decode("utf-8", "surrogatepass")


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
