"""Photoshop image resource blocks (IRB): the ``8BIM`` stream of JPEG APP13 and TIFF tag 34377.

Layout of one resource (Adobe Photoshop File Formats, "Image Resource Blocks")::

    signature  4 bytes   "8BIM" (also "MeSa", "PHUT", "AgHg", "DCSR" from other programs)
    id         2 bytes   big-endian, e.g. 0x0404 IPTC-NAA record, 0x0425 IPTC digest
    name       Pascal string: 1 length byte + bytes, padded with a zero to an even total
    size       4 bytes   big-endian length of the data
    data       ``size`` bytes, padded with a zero to an even length

Only the resources we change are re-encoded; every other one is kept byte for byte, so
``encode(decode(b)) == b`` for every well-formed stream Photoshop writes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from ..errors import CodecError, Malformed, Truncated

__all__ = [
    "Resource",
    "SIGNATURES",
    "IPTC_NAA",
    "IPTC_DIGEST",
    "decode",
    "decode_lenient",
    "encode",
    "get",
    "replace",
    "iptc_digest",
    "with_iim",
]

#: resource signatures seen in the wild (Photoshop, ImageReady, PhotoDeluxe, Aldus/Agfa, DCS)
SIGNATURES: frozenset[bytes] = frozenset({b"8BIM", b"MeSa", b"PHUT", b"AgHg", b"DCSR"})

#: 0x0404: the IPTC-NAA record (an IIM block)
IPTC_NAA = 0x0404
#: 0x0425: MD5 of the IIM block, written by Photoshop CS and later
IPTC_DIGEST = 0x0425

_MAX_SIZE = 0xFFFFFFFF


class Resource(NamedTuple):
    """One image resource; ``name`` is the Pascal string's content (usually ``b""``).  An
    immutable record (a named tuple: a file's resources are decoded several times a write)."""

    id: int
    name: bytes
    data: bytes
    signature: bytes = b"8BIM"


#: ``tuple.__new__``: builds a :class:`Resource` without the named tuple's ``__new__``, which
#: is Python code (compiled callers pay an interpreted call per resource through it)
_NEW = tuple.__new__


def _resource(rid: int, name: bytes, data: bytes, signature: bytes = b"8BIM") -> Resource:
    """``Resource(rid, name, data, signature)``, built directly (see :data:`_NEW`)."""
    return _NEW(Resource, (rid, name, data, signature))


def _decode_into(buf: bytes, out: list[Resource]) -> None:
    """Append the resources of ``buf`` to ``out``; raise at the first damaged one."""
    n = len(buf)
    pos = 0
    while pos < n:
        if pos + 7 > n:
            raise Truncated("image resource header", pos, 7, n - pos)
        sig = buf[pos:pos + 4]
        if sig not in SIGNATURES:
            raise Malformed(f"unknown image resource signature {sig!r}", pos)
        rid = (buf[pos + 4] << 8) | buf[pos + 5]
        name_len = buf[pos + 6]
        # the Pascal string (length byte + name) is padded to an even size
        size_at = pos + 6 + ((name_len + 2) & ~1)
        if size_at + 4 > n:
            raise Truncated(f"image resource 0x{rid:04X} name and size", pos + 6,
                            size_at + 4 - pos - 6, n - pos - 6)
        size = int.from_bytes(buf[size_at:size_at + 4], "big")
        data_at = size_at + 4
        if data_at + size > n:
            raise Truncated(f"image resource 0x{rid:04X} data", data_at, size, n - data_at)
        out.append(_resource(rid, buf[pos + 7:pos + 7 + name_len], buf[data_at:data_at + size], sig))
        # odd data is followed by one pad byte; a missing pad after the last resource is tolerated
        pos = data_at + size + (size & 1)


def decode(data: bytes | memoryview) -> list[Resource]:
    """Split an IRB stream into resources.

    Raises :class:`~captions.errors.Truncated` when a resource runs past the end and
    :class:`~captions.errors.Malformed` on an unknown signature.
    """
    out: list[Resource] = []
    _decode_into(bytes(data), out)
    return out


def decode_lenient(data: bytes | memoryview) -> tuple[list[Resource], bytes, list[str]]:
    """Like :func:`decode`, but stop at the first damaged resource instead of raising.

    Returns ``(resources, tail, warnings)``: the resources decoded before the damage, the
    undecoded bytes from the damaged resource on (``b""`` when the stream is sound), and one
    warning describing the damage.
    """
    buf = bytes(data)
    out: list[Resource] = []
    try:
        _decode_into(buf, out)
    except CodecError as exc:
        consumed = len(encode(out))
        return out, buf[consumed:], [f"Photoshop IRB: {exc}; {len(buf) - consumed} bytes left undecoded"]
    return out, b"", []


def encode(resources: Iterable[Resource]) -> bytes:
    """Serialise resources, padding names and data to even sizes as Photoshop does."""
    parts: list[bytes] = []
    for res in resources:
        if len(res.signature) != 4:
            raise Malformed(f"image resource signature must be 4 bytes, got {res.signature!r}")
        if not 0 <= res.id <= 0xFFFF:
            raise Malformed(f"image resource id out of range: {res.id}")
        if len(res.name) > 255:
            raise Malformed(f"image resource 0x{res.id:04X} name longer than 255 bytes")
        size = len(res.data)
        if size > _MAX_SIZE:
            raise Malformed(f"image resource 0x{res.id:04X} larger than 4 GiB")
        parts.append(res.signature)
        parts.append(res.id.to_bytes(2, "big"))
        parts.append(bytes((len(res.name),)))
        parts.append(res.name)
        if not len(res.name) & 1:  # length byte + even name = odd: pad
            parts.append(b"\0")
        parts.append(size.to_bytes(4, "big"))
        parts.append(res.data)
        if size & 1:
            parts.append(b"\0")
    return b"".join(parts)


def get(resources: Sequence[Resource], rid: int) -> Resource | None:
    """The first resource with id ``rid`` (any signature), or ``None``."""
    for res in resources:
        if res.id == rid:
            return res
    return None


def replace(resources: Sequence[Resource], rid: int, data: bytes) -> list[Resource]:
    """A copy of ``resources`` with the first ``rid`` resource's data replaced (name and
    signature kept), or with a new ``8BIM`` resource appended when there is none.

    Later resources with the same id are kept as they are (ExifTool reads them as
    secondary, lower-priority blocks).
    """
    out = list(resources)
    for i, res in enumerate(out):
        if res.id == rid:
            out[i] = _resource(res.id, res.name, bytes(data), res.signature)
            return out
    out.append(_resource(rid, b"", bytes(data)))
    return out


def iptc_digest(iim: bytes) -> bytes:
    """The 16-byte MD5 of an IIM block, as Photoshop stores it in resource 0x0425.

    ExifTool compares this with the MD5 of the 0x0404 data (without the IRB pad byte) to
    decide whether the IIM is current (Metadata Working Group rules).
    """
    return hashlib.md5(iim, usedforsecurity=False).digest()


def with_iim(resources: Sequence[Resource], iim: bytes) -> list[Resource]:
    """``resources`` with the IIM block replaced (or added) and its digest (0x0425) set to
    match, so Metadata Working Group readers treat the IIM as current."""
    return replace(replace(resources, IPTC_NAA, iim), IPTC_DIGEST, iptc_digest(iim))
