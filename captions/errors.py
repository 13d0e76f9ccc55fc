"""The one error tree of ``captions``.

Everything the library raises on bad input is a :class:`CaptionsError`.  Callers that only
want "did this file work?" catch that; callers that care catch the leaves.
"""

from __future__ import annotations

__all__ = [
    "CaptionsError",
    "ParseError",
    "RuleFileError",
    "CodecError",
    "Truncated",
    "Malformed",
    "Unsupported",
    "WriteError",
]


class CaptionsError(Exception):
    """Base class of every error raised by ``captions`` on bad input."""


class ParseError(CaptionsError, ValueError):
    """A caption or a value inside one could not be understood."""


class RuleFileError(CaptionsError):
    """An agency rule file is invalid; the message names the file and the path inside it."""


class CodecError(CaptionsError):
    """Image or metadata bytes could not be decoded or encoded.

    ``offset`` is the byte offset in the payload being decoded, when known.
    """

    def __init__(self, message: str, offset: int | None = None) -> None:
        self.offset = offset
        if offset is not None:
            message = f"{message} (at byte {offset})"
        super().__init__(message)


class Truncated(CodecError):
    """The data ends before a structure it declares (a short read)."""

    def __init__(
        self, what: str, offset: int, wanted: int, available: int
    ) -> None:
        self.what = what
        self.wanted = wanted
        self.available = available
        super().__init__(
            f"truncated {what}: wanted {wanted} bytes, {available} available", offset
        )


class Malformed(CodecError):
    """The data is present but breaks the format's rules."""


class Unsupported(CodecError):
    """The file is not a format ``captions`` can read or write."""


class WriteError(CaptionsError):
    """A file could not be written; the original file is left untouched."""
