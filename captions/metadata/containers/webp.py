"""WebP container: ``EXIF`` and ``XMP `` chunks of an extended (VP8X) RIFF/WEBP file.

Reading accepts two quirks seen in real files, each with a warning: an EXIF chunk that starts
with JPEG's ``Exif\\0\\0`` (iPhone exports; the prefix is dropped) and an XMP chunk named
``XMP\\0`` instead of ``XMP `` (ExifTool and exiv2 both ignore that one; we read it).
WebP has no home for IIM or Photoshop resources.

Writing (``None`` leaves a payload alone, ``b""`` removes it):

* An existing EXIF/XMP chunk is replaced where it stands (an ``XMP\\0`` chunk becomes
  ``XMP ``); a new EXIF chunk goes right after the image data, a new XMP chunk after EXIF, as
  the container specification orders them.
* A simple file (a lone ``VP8 `` or ``VP8L`` chunk) that gains metadata becomes an extended
  one: a ``VP8X`` chunk is put first, with the canvas size read from the VP8/VP8L bitstream
  header and the alpha flag from the VP8L header.
* The VP8X EXIF and XMP flags are set to match the chunks written; the other flags, every other
  chunk (byte for byte, with its padding) and bytes after the RIFF data stay as they were.
  Odd-sized chunks are padded and the RIFF size is recomputed.
"""

from __future__ import annotations

import struct
from typing import BinaryIO

import attrs

from ...errors import Malformed, Truncated
from . import Payloads, copy_range

__all__ = ["FORMAT", "CAN_HOLD", "matches", "read", "write"]

FORMAT = "webp"
CAN_HOLD = frozenset({"exif", "xmp"})

FLAG_ICC, FLAG_ALPHA, FLAG_EXIF, FLAG_XMP, FLAG_ANIM = 0x20, 0x10, 0x08, 0x04, 0x02
_IMAGE_CHUNKS = frozenset({b"VP8 ", b"VP8L", b"ALPH", b"ANIM", b"ANMF"})
_XMP_NAMES = (b"XMP ", b"XMP\0")
MAX_META = 64 << 20
MAX_CHUNKS = 100000


@attrs.frozen
class Chunk:
    """A RIFF chunk: offset of its header, FourCC and declared data size."""

    offset: int
    fourcc: bytes
    size: int

    @property
    def data_offset(self) -> int:
        return self.offset + 8

    @property
    def end(self) -> int:
        """End including the pad byte of an odd-sized chunk."""
        return self.offset + 8 + self.size + (self.size & 1)


def matches(head: bytes) -> bool:
    """``RIFF....WEBP``."""
    return head[:4] == b"RIFF" and head[8:12] == b"WEBP"


def _walk(fp: BinaryIO) -> tuple[list[Chunk], int, int, list[str]]:
    """The chunks, the end of the RIFF data, the file size, and warnings."""
    warnings: list[str] = []
    fp.seek(0, 2)
    size = fp.tell()
    fp.seek(0)
    head = fp.read(12)
    if len(head) < 12:
        raise Truncated("RIFF header", 0, 12, len(head))
    if not matches(head):
        raise Malformed("not a RIFF/WEBP file", 0)
    riff_end = 8 + struct.unpack("<I", head[4:8])[0]
    if riff_end > size:
        raise Truncated("RIFF data", 8, riff_end - 8, size - 8)
    if riff_end < size:
        warnings.append(f"{size - riff_end} bytes after the RIFF data")
    chunks: list[Chunk] = []
    pos = 12
    while pos + 8 <= riff_end:
        if len(chunks) >= MAX_CHUNKS:
            raise Malformed("too many RIFF chunks", pos)
        fp.seek(pos)
        fourcc, n = struct.unpack("<4sI", fp.read(8))
        if pos + 8 + n > riff_end:
            raise Truncated(f"WebP {fourcc!r} chunk", pos, n, riff_end - pos - 8)
        chunk = Chunk(pos, fourcc, n)
        chunks.append(chunk)
        pos = chunk.end
    if pos < riff_end:
        raise Truncated("RIFF chunk header", pos, 8, riff_end - pos)
    if pos > riff_end:  # last odd chunk without its pad byte
        warnings.append("last chunk lacks its pad byte")
    if not chunks:
        raise Malformed("WebP file without chunks", 12)
    return chunks, riff_end, size, warnings


def _data(fp: BinaryIO, chunk: Chunk, limit: int = MAX_META) -> bytes:
    if chunk.size > limit:
        raise Malformed(f"WebP {chunk.fourcc!r} chunk of {chunk.size} bytes is too large", chunk.offset)
    fp.seek(chunk.data_offset)
    data = fp.read(chunk.size)
    if len(data) != chunk.size:
        raise Truncated(f"WebP {chunk.fourcc!r} chunk", chunk.data_offset, chunk.size, len(data))
    return data


def _find(chunks: list[Chunk], names: tuple[bytes, ...]) -> Chunk | None:
    return next((c for c in chunks if c.fourcc in names), None)


def read(fp: BinaryIO) -> Payloads:
    """The EXIF and XMP payloads (only those chunks are read)."""
    chunks, _end, _size, warnings = _walk(fp)
    exif = xmp = None
    ec = _find(chunks, (b"EXIF",))
    if ec is not None:
        exif = _data(fp, ec)
        if exif[:6] == b"Exif\0\0":
            warnings.append("EXIF chunk starts with 'Exif\\0\\0'; prefix ignored")
            exif = exif[6:]
        if not exif:
            warnings.append("empty EXIF chunk")
            exif = None
    xc = _find(chunks, _XMP_NAMES)
    if xc is not None:
        if xc.fourcc != b"XMP ":
            warnings.append("XMP chunk named 'XMP\\0' instead of 'XMP '")
        xmp = _data(fp, xc) or None
    if sum(c.fourcc == b"EXIF" for c in chunks) > 1 or sum(c.fourcc in _XMP_NAMES for c in chunks) > 1:
        warnings.append("more than one EXIF or XMP chunk; the first is used")
    if chunks[0].fourcc == b"VP8X" and (ec is not None or xc is not None):
        flags = _data(fp, chunks[0], 64)[:1]
        if flags and ec is not None and not flags[0] & FLAG_EXIF:
            warnings.append("EXIF chunk present but the VP8X EXIF flag is not set")
        if flags and xc is not None and not flags[0] & FLAG_XMP:
            warnings.append("XMP chunk present but the VP8X XMP flag is not set")
    return Payloads(exif=exif, xmp=xmp, warnings=tuple(warnings))


def _canvas(fp: BinaryIO, chunk: Chunk) -> tuple[int, int, bool]:
    """Width, height and alpha of a simple file, from the VP8/VP8L bitstream header."""
    head = _head(fp, chunk, 10)
    if chunk.fourcc == b"VP8 ":
        if len(head) < 10 or head[3:6] != b"\x9d\x01\x2a":
            raise Malformed("VP8 bitstream without a key-frame start code", chunk.data_offset)
        w, h = struct.unpack("<HH", head[6:10])
        return w & 0x3FFF, h & 0x3FFF, False
    if len(head) < 5 or head[0] != 0x2F:
        raise Malformed("VP8L bitstream without its signature", chunk.data_offset)
    bits = int.from_bytes(head[1:5], "little")
    return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1, bool((bits >> 28) & 1)


def _head(fp: BinaryIO, chunk: Chunk, n: int) -> bytes:
    fp.seek(chunk.data_offset)
    return fp.read(min(n, chunk.size))


def _vp8x(flags: int, width: int, height: int) -> bytes:
    if not (1 <= width <= 1 << 24 and 1 <= height <= 1 << 24):
        raise Malformed(f"WebP canvas {width}x{height} out of range")
    data = bytes([flags, 0, 0, 0]) + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    return b"VP8X" + struct.pack("<I", 10) + data


def _chunk(fourcc: bytes, data: bytes) -> bytes:
    return fourcc + struct.pack("<I", len(data)) + data + (b"\0" if len(data) & 1 else b"")


def write(src: BinaryIO, dst: BinaryIO, update: Payloads) -> None:
    """Copy ``src`` to ``dst`` with EXIF/XMP replaced as ``update`` asks (see the module doc)."""
    chunks, riff_end, size, _warnings = _walk(src)
    old_exif = _find(chunks, (b"EXIF",))
    old_xmp = _find(chunks, _XMP_NAMES)

    # pieces: ("copy", chunk) or ("new", bytes), in output order
    pieces: list[tuple[str, Chunk | bytes]] = []
    new_exif = None if update.exif is None else (_chunk(b"EXIF", update.exif) if update.exif else b"")
    new_xmp = None if update.xmp is None else (_chunk(b"XMP ", update.xmp) if update.xmp else b"")
    has_exif = old_exif is not None if new_exif is None else bool(new_exif)
    has_xmp = old_xmp is not None if new_xmp is None else bool(new_xmp)

    last_image = max((i for i, c in enumerate(chunks) if c.fourcc in _IMAGE_CHUNKS), default=0)
    for i, c in enumerate(chunks):
        if c.fourcc == b"EXIF" and new_exif is not None:
            if c is old_exif and new_exif:
                pieces.append(("new", new_exif))
        elif c.fourcc in _XMP_NAMES and new_xmp is not None:
            if c is old_xmp and new_xmp:
                pieces.append(("new", new_xmp))
        else:
            pieces.append(("copy", c))
        if i == last_image:
            if new_exif and old_exif is None:
                pieces.append(("new", new_exif))
            if new_xmp and old_xmp is None and (old_exif is None or new_exif == b""):
                pieces.append(("new", new_xmp))
        elif c is old_exif and new_exif != b"" and new_xmp and old_xmp is None:
            pieces.append(("new", new_xmp))

    first = chunks[0]
    if first.fourcc == b"VP8X":
        body = bytearray(_data(src, first, 1 << 16))
        if len(body) < 10:
            raise Truncated("VP8X chunk", first.data_offset, 10, len(body))
        flags = body[0] & ~(FLAG_EXIF | FLAG_XMP)
        flags |= (FLAG_EXIF if has_exif else 0) | (FLAG_XMP if has_xmp else 0)
        if flags != body[0]:
            body[0] = flags
            pieces[0] = ("new", _chunk(b"VP8X", bytes(body)))
    elif has_exif or has_xmp:
        if first.fourcc not in (b"VP8 ", b"VP8L"):
            raise Malformed(f"simple WebP file starting with {first.fourcc!r}", first.offset)
        w, h, alpha = _canvas(src, first)
        flags = (FLAG_ALPHA if alpha else 0) | (FLAG_EXIF if has_exif else 0) | (FLAG_XMP if has_xmp else 0)
        pieces.insert(0, ("new", _vp8x(flags, w, h)))

    riff_size = 4 + sum(item.end - item.offset if isinstance(item, Chunk) else len(item)
                        for _kind, item in pieces)
    if riff_size > 0xFFFFFFFF:
        raise Malformed("WebP file would exceed the 4 GB RIFF limit")
    dst.write(b"RIFF" + struct.pack("<I", riff_size) + b"WEBP")
    for _kind, item in pieces:
        if isinstance(item, Chunk):
            copy_range(src, dst, item.offset, min(item.end, size), "WebP data")
            if item.end > size:  # the file ended without the last pad byte
                dst.write(b"\0")
        else:
            dst.write(item)
    if riff_end < size and chunks[-1].end <= riff_end:
        copy_range(src, dst, riff_end, size, "WebP data")
