"""captions: parse wire-photo captions into IPTC fields; read and write them in image files.

>>> import captions
>>> sorted(captions.__all__)[:3]
['Caption', 'CaptionsError', 'CodecError']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import (
    CaptionsError,
    CodecError,
    Malformed,
    ParseError,
    RuleFileError,
    Truncated,
    Unsupported,
    WriteError,
)
from .model import Caption, ImageMetadata, Location, PartialDate
from .api import read_caption, read_metadata, write_caption, write_fields

if TYPE_CHECKING:  # imported lazily below; type checkers see the real signature
    from .parse import parse_caption

__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    """``parse_caption`` is imported on first use: the parser compiles its rules at import
    time, which reading and writing files never need (half of ``import captions``)."""
    if name == "parse_caption":
        from .parse import parse_caption

        globals()["parse_caption"] = parse_caption
        return parse_caption
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Caption",
    "CaptionsError",
    "CodecError",
    "ImageMetadata",
    "Location",
    "Malformed",
    "ParseError",
    "PartialDate",
    "RuleFileError",
    "Truncated",
    "Unsupported",
    "WriteError",
    "parse_caption",
    "read_caption",
    "read_metadata",
    "write_caption",
    "write_fields",
]
