"""Image containers: find the metadata payloads in a file and splice new ones in.

A container module never decodes pixels and never interprets a payload; it only knows where
payloads live.  Every container module exposes the same three names:

``FORMAT``
    ``"jpeg"``, ``"tiff"``, ``"png"`` or ``"webp"``.
``CAN_HOLD``
    which payload kinds the format stores (``frozenset({"exif", "xmp", "irb", "iim"})`` subset).
``matches(head: bytes) -> bool``
    whether the first 16 bytes of a file are this format.
``read(fp: BinaryIO) -> Payloads``
    the payloads found (``None`` where absent).  Reads only as far as it must.
``write(src: BinaryIO, dst: BinaryIO, update: Payloads) -> None``
    copy ``src`` to ``dst`` with every non-``None`` payload of ``update`` replacing (or adding)
    that payload; every other byte is copied unchanged.  Raises :class:`~captions.errors.CodecError`
    subclasses only.

Optional: ``read_for_write(fp) -> (Payloads, state)``, what ``read`` gives plus what the
container learnt reading it, for ``write(src, dst, update, state)`` to use on the same file
instead of reading it again (JPEG: the walk of its segments).
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import BinaryIO

import attrs

from ...errors import Truncated, Unsupported

__all__ = ["Payloads", "detect", "container_for", "copy_range", "FORMATS"]

#: format name -> module name, in detection order
FORMATS: dict[str, str] = {"jpeg": "jpeg", "tiff": "tiff", "png": "png", "webp": "webp"}


@attrs.frozen(kw_only=True)
class Payloads:
    """Raw metadata payloads of one file (or, for ``write``, the ones to replace)."""

    #: EXIF as a TIFF structure (starts ``II*\\0`` or ``MM\\0*``), without JPEG's ``Exif\\0\\0``
    exif: bytes | None = None
    #: the main XMP packet (UTF-8 or as stored)
    xmp: bytes | None = None
    #: JPEG extended XMP: the reassembled extended packet, read-only (kept untouched on write)
    xmp_extended: bytes | None = None
    #: Photoshop image resource blocks (the ``8BIM`` stream); JPEG APP13, TIFF tag 34377
    irb: bytes | None = None
    #: bare IIM where the format stores it outside an IRB (TIFF 33723, PNG raw profile)
    iim: bytes | None = None
    #: what the container noticed but could live with (bad segment length, duplicate chunk...)
    warnings: tuple[str, ...] = ()


#: the container modules imported so far, by format name
_LOADED: dict[str, ModuleType] = {}


def container_for(fmt: str) -> ModuleType:
    """The container module for a format name."""
    mod = _LOADED.get(fmt)
    if mod is None:
        if fmt not in FORMATS:
            raise Unsupported(f"unsupported format: {fmt}")
        mod = _LOADED[fmt] = importlib.import_module(f"{__name__}.{FORMATS[fmt]}")
    return mod


def detect(fp: BinaryIO) -> ModuleType:
    """Identify a file by its first bytes; raises :class:`Unsupported` for anything else."""
    pos = fp.tell()
    head = fp.read(16)
    fp.seek(pos)
    for fmt in FORMATS:
        try:
            mod = container_for(fmt)
        except ImportError:  # a container not built yet
            continue
        if mod.matches(head):
            return mod
    raise Unsupported("not a JPEG, TIFF, PNG or WebP file")


def copy_range(src: BinaryIO, dst: BinaryIO, start: int, end: int, what: str) -> None:
    """Copy bytes ``start:end`` of ``src`` onto ``dst`` in 1 MB blocks (never the whole range
    in memory); raises :class:`Truncated` naming ``what`` when ``src`` ends early."""
    src.seek(start)
    left = end - start
    while left > 0:
        block = src.read(min(1 << 20, left))
        if not block:
            raise Truncated(what, end - left, left, 0)
        dst.write(block)
        left -= len(block)
