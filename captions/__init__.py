"""captions: parse wire-photo captions into IPTC fields; read and write them in image files.

>>> import captions
>>> sorted(captions.__all__)[:3]
['Caption', 'CaptionsError', 'CodecError']
"""

from __future__ import annotations

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
from .parse import parse_caption
from .api import read_caption, read_metadata, write_caption, write_fields

__version__ = "0.1.0"

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
