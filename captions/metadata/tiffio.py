"""TIFF structures (EXIF payloads and TIFF files): a bounds-checked IFD reader and an IFD0 rewriter.

Reading
    :class:`Tiff` opens a TIFF structure through a :class:`Source` (bytes in memory, or a file
    read by ``seek``/``read`` so that a 2 GB scan costs a few kilobytes of I/O).  Every offset
    and count is checked against the real size before it is followed; entry counts and IFD
    chains are bounded, and an IFD visited twice ends the walk (loops in fuzzed files).

Writing
    :func:`plan_update` never moves a byte that is already there.  It writes a new IFD0 (and a
    new Exif IFD when asked to add a tag to it), with the new tag values, *after* the end of the
    structure and repoints the header's IFD0 offset.  Every entry we do not change is copied as
    its raw 12 bytes, so strip/tile offsets, sub-IFD pointers (Exif, GPS, Interop, SubIFDs), the
    IFD1 link and maker notes with absolute offsets keep pointing at the same bytes.  When the
    old IFD0 and the old values it replaces sit at the very end (which is what our own previous
    write left there), that tail is reused instead of grown, so repeated edits do not pile up.

A :class:`Patch` says how to produce the result: keep the first ``keep`` bytes (with the 8-byte
header replaced by ``header``), then append ``tail``.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Mapping
from typing import BinaryIO, NamedTuple, Protocol

import attrs

from ..errors import CodecError, Malformed, Truncated, Unsupported

__all__ = [
    "BYTE", "ASCII", "SHORT", "LONG", "UNDEFINED", "TYPE_SIZES",
    "Source", "BytesSource", "FileSource", "Entry", "Ifd", "Tiff", "NewValue", "Patch",
    "plan_update", "apply_patch", "build_tiff", "EXIF_IFD", "GPS_IFD", "INTEROP_IFD",
]

BYTE, ASCII, SHORT, LONG, RATIONAL, UNDEFINED = 1, 2, 3, 4, 5, 7

#: TIFF 6.0 + EXIF field types -> size of one value in bytes
TYPE_SIZES: dict[int, int] = {
    1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4,
}

EXIF_IFD, GPS_IFD, INTEROP_IFD, SUB_IFDS = 34665, 34853, 40965, 330

#: tags whose (inline or out-of-line) values are offsets into the structure
_POINTER_TAGS: frozenset[int] = frozenset({
    273,  # StripOffsets
    324,  # TileOffsets
    330,  # SubIFDs
    513,  # JPEGInterchangeFormat (thumbnail)
    EXIF_IFD, GPS_IFD, INTEROP_IFD,
})

#: more entries than this in one IFD is not a real file (real IFDs hold tens, at most hundreds)
MAX_ENTRIES = 4000
#: longest IFD chain we follow (multi-page TIFFs: one IFD per page)
MAX_CHAIN = 10000


#: one IFD entry: tag, type, count, value/offset field
_ENTRY = {"<": struct.Struct("<HHI4s"), ">": struct.Struct(">HHI4s")}
#: 16- and 32-bit unsigned numbers, by byte order
_U16 = {"<": struct.Struct("<H"), ">": struct.Struct(">H")}
_U32 = {"<": struct.Struct("<I"), ">": struct.Struct(">I")}


class Source(Protocol):
    """Random access to a TIFF structure; ``read_at`` raises :class:`Truncated` on short data."""

    size: int

    def read_at(self, offset: int, n: int, what: str) -> bytes: ...


class BytesSource:
    """A TIFF structure held in memory (an EXIF payload)."""

    def __init__(self, data: bytes) -> None:
        self.data = bytes(data)
        self.size = len(self.data)

    def read_at(self, offset: int, n: int, what: str) -> bytes:
        if offset < 0 or n < 0 or offset + n > self.size:
            raise Truncated(what, offset, n, max(0, self.size - max(offset, 0)))
        return self.data[offset:offset + n]


class FileSource:
    """A TIFF file read by ``seek``/``read``: only the bytes asked for are read."""

    def __init__(self, fp: BinaryIO) -> None:
        self.fp = fp
        fp.seek(0, 2)
        self.size = fp.tell()

    def read_at(self, offset: int, n: int, what: str) -> bytes:
        if offset < 0 or n < 0 or offset + n > self.size:
            raise Truncated(what, offset, n, max(0, self.size - max(offset, 0)))
        self.fp.seek(offset)
        data = self.fp.read(n)
        if len(data) != n:
            raise Truncated(what, offset, n, len(data))
        return data


class Entry(NamedTuple):
    """One 12-byte IFD entry, kept raw so that an unchanged entry is copied bit for bit (an
    immutable record; a named tuple, as every directory read makes one per entry)."""

    tag: int
    type: int
    count: int  # type: ignore[assignment]  # the field, not tuple.count
    #: the 4-byte value/offset field as stored
    field: bytes
    #: the whole 12-byte record as stored
    raw: bytes

    @property
    def size(self) -> int | None:
        """Size of the value in bytes, or None for a type we do not know."""
        unit = TYPE_SIZES.get(self.type)
        return None if unit is None else unit * self.count

    @property
    def inline(self) -> bool:
        size = self.size
        return size is not None and size <= 4


#: ``tuple.__new__``: builds an :class:`Entry` without the named tuple's ``__new__``, which is
#: Python code (compiled callers pay an interpreted call per entry through it)
_NEW = tuple.__new__
#: the same for the attrs records below, whose generated ``__init__`` is interpreted too
#: (about 7,000 instructions for three frozen fields): :func:`_ifd`, :func:`_patch` and
#: :meth:`NewValue.ascii` fill a new record's fields directly (no validators or converters
#: to skip: these records have none)
_OBJECT_NEW = object.__new__
_SET = object.__setattr__


@attrs.frozen
class Ifd:
    """An image file directory: where it is, its entries, and the next-IFD link."""

    offset: int
    entries: tuple[Entry, ...]
    next_offset: int

    @property
    def span(self) -> tuple[int, int]:
        """The byte range the directory itself occupies."""
        return self.offset, self.offset + 2 + 12 * len(self.entries) + 4

    def get(self, tag: int) -> Entry | None:
        for e in self.entries:
            if e.tag == tag:
                return e
        return None


class Tiff:
    """A parsed TIFF header over a :class:`Source`; IFDs are read on demand."""

    def __init__(self, source: Source) -> None:
        self.source = source
        head = source.read_at(0, 8, "TIFF header")
        if head[:4] == b"II*\0":
            self.order = "<"
        elif head[:4] == b"MM\0*":
            self.order = ">"
        elif head[:4] in (b"II+\0", b"MM\0+"):
            raise Unsupported("BigTIFF is not supported")
        else:
            raise Malformed("not a TIFF header", 0)
        self.header = head
        self.ifd0_offset = self.u32(head[4:8])
        self.warnings: list[str] = []
        #: directories read so far, by offset, and whether each had its next-IFD link
        self._ifds: dict[int, tuple[Ifd, bool]] = {}

    @classmethod
    def from_bytes(cls, data: bytes) -> Tiff:
        return cls(BytesSource(data))

    # -- decoding helpers -------------------------------------------------------------------
    def u16(self, b: bytes) -> int:
        return int(_U16[self.order].unpack(b)[0])

    def u32(self, b: bytes) -> int:
        return int(_U32[self.order].unpack(b)[0])

    def p16(self, v: int) -> bytes:
        return _U16[self.order].pack(v)

    def p32(self, v: int) -> bytes:
        return _U32[self.order].pack(v)

    # -- IFDs ---------------------------------------------------------------------------------
    def ifd(self, offset: int, what: str = "IFD") -> Ifd:
        """Read the directory at ``offset`` (bounds-checked).

        A directory read before is not decoded again (a write reads IFD0 twice); its
        warning, if it had one, is given again, as a second read would.
        """
        hit = self._ifds.get(offset)
        if hit is not None:
            if not hit[1]:
                self.warnings.append(f"{what} has no next-IFD link")
            return hit[0]
        if offset < 8 or offset >= self.source.size:
            raise Malformed(f"{what} offset outside the data", offset)
        n = self.u16(self._read(offset, 2, what, "entry count"))
        if n > MAX_ENTRIES:
            raise Malformed(f"{what} claims {n} entries", offset)
        body = self._read(offset + 2, 12 * n, what, "entries")
        entries = tuple([
            _NEW(Entry, (tag, typ, count, field, body[at:at + 12]))
            for at, (tag, typ, count, field) in zip(
                range(0, 12 * n, 12), _ENTRY[self.order].iter_unpack(body))
        ])
        nxt_pos = offset + 2 + 12 * n
        linked = nxt_pos + 4 <= self.source.size
        if linked:
            nxt = self.u32(self._read(nxt_pos, 4, what, "next link"))
        else:  # some writers end the data right after the last entry
            self.warnings.append(f"{what} has no next-IFD link")
            nxt = 0
        ifd = _ifd(offset, entries, nxt)
        self._ifds[offset] = (ifd, linked)
        return ifd

    def _read(self, offset: int, n: int, what: str, part: str) -> bytes:
        """``source.read_at(offset, n, f"{what} {part}")``; bytes in memory that are there
        are sliced without building the message, which only an error would use."""
        src = self.source
        if type(src) is BytesSource and 0 <= offset and 0 <= n and offset + n <= src.size:
            return src.data[offset:offset + n]
        return src.read_at(offset, n, f"{what} {part}")

    def ifd0(self) -> Ifd:
        return self.ifd(self.ifd0_offset, "IFD0")

    def chain(self) -> list[Ifd]:
        """IFD0, IFD1, ... following next links; stops at a loop (with a warning)."""
        out: list[Ifd] = []
        seen: set[int] = set()
        off = self.ifd0_offset
        while off and len(out) < MAX_CHAIN:
            if off in seen:
                self.warnings.append(f"IFD loop at offset {off}")
                break
            seen.add(off)
            out.append(self.ifd(off, f"IFD{len(out)}"))
            off = out[-1].next_offset
        return out

    def offset_of(self, entry: Entry) -> int:
        """The value offset (or the inline value read as a 32-bit number)."""
        return self.u32(entry.field)

    def value(self, entry: Entry, what: str | None = None) -> bytes:
        """The raw value bytes of ``entry`` (bounds-checked)."""
        name = what or f"tag {entry.tag} value"
        size = entry.size
        if size is None:
            raise Malformed(f"{name}: unknown field type {entry.type}")
        if size <= 4:
            return entry.field[:size]
        return self.source.read_at(self.offset_of(entry), size, name)

    def value_span(self, entry: Entry) -> tuple[int, int] | None:
        """Byte range of an out-of-line value, None when inline or of unknown type."""
        size = entry.size
        if size is None or size <= 4:
            return None
        start = self.offset_of(entry)
        return start, start + size

    def sub_ifd(self, parent: Ifd, tag: int, what: str) -> Ifd | None:
        """The IFD a pointer tag (ExifIFD, GPS, Interop) of ``parent`` points to, if any."""
        entry = parent.get(tag)
        if entry is None or entry.type not in (LONG, 13) or entry.count < 1:
            return None
        off = self.offset_of(entry)
        if off == parent.offset:
            raise Malformed(f"{what} points to its parent IFD", off)
        return self.ifd(off, what)

    def offsets(self, entry: Entry) -> list[int]:
        """All offsets stored in a pointer tag (SHORT or LONG array), bounds-checked."""
        if entry.type not in (SHORT, LONG, 13):
            return []
        raw = self.value(entry)
        unit = 2 if entry.type == SHORT else 4
        fmt = self.order + ("H" if unit == 2 else "I") * entry.count
        return list(struct.unpack(fmt, raw))


# -- writing --------------------------------------------------------------------------------

@attrs.frozen
class NewValue:
    """A value to store in an IFD entry: field type, count and the encoded bytes."""

    type: int
    count: int
    data: bytes

    @classmethod
    def ascii(cls, text_bytes: bytes) -> NewValue:
        data = text_bytes + b"\0"
        if cls is not NewValue:  # a subclass may add fields: its own __init__
            return cls(ASCII, len(data), data)
        return _new_value(ASCII, len(data), data)

    @classmethod
    def undefined(cls, data: bytes) -> NewValue:
        return cls(UNDEFINED, len(data), data)

    @classmethod
    def byte(cls, data: bytes) -> NewValue:
        return cls(BYTE, len(data), data)

    @classmethod
    def long_padded(cls, data: bytes) -> NewValue:
        """Bytes stored as LONG[] (IPTC-NAA as Photoshop writes it): NUL-padded to 4 bytes."""
        pad = (-len(data)) % 4
        data = data + b"\0" * pad
        return cls(LONG, len(data) // 4, data)


@attrs.frozen
class Patch:
    """How to build the result: ``header`` + ``original[8:keep]`` + ``tail``."""

    header: bytes
    keep: int
    tail: bytes

    @property
    def size(self) -> int:
        return self.keep + len(self.tail)


def _ifd(offset: int, entries: tuple[Entry, ...], next_offset: int) -> Ifd:
    """``Ifd(offset, entries, next_offset)``, filled directly (see :data:`_OBJECT_NEW`)."""
    ifd = _OBJECT_NEW(Ifd)
    _SET(ifd, "offset", offset)
    _SET(ifd, "entries", entries)
    _SET(ifd, "next_offset", next_offset)
    return ifd


def _new_value(type_: int, count: int, data: bytes) -> NewValue:
    """``NewValue(type_, count, data)``, filled directly (see :data:`_OBJECT_NEW`)."""
    value = _OBJECT_NEW(NewValue)
    _SET(value, "type", type_)
    _SET(value, "count", count)
    _SET(value, "data", data)
    return value


def _patch(header: bytes, keep: int, tail: bytes) -> Patch:
    """``Patch(header, keep, tail)``, filled directly (see :data:`_OBJECT_NEW`)."""
    patch = _OBJECT_NEW(Patch)
    _SET(patch, "header", header)
    _SET(patch, "keep", keep)
    _SET(patch, "tail", tail)
    return patch


class _Tail:
    """Bytes appended after ``base``; every block starts on an even offset (TIFF word rule)."""

    def __init__(self, base: int) -> None:
        self.base = base
        self.buf = bytearray()

    def add(self, data: bytes) -> int:
        if (self.base + len(self.buf)) % 2:
            self.buf += b"\0"
        off = self.base + len(self.buf)
        self.buf += data
        return off


def _build_ifd(tiff: Tiff, old: Ifd | None, changes: Mapping[int, NewValue | None],
               tail: _Tail, next_offset: int) -> int:
    """Append a copy of ``old`` with ``changes`` applied; return the new IFD's offset."""
    records: dict[int, bytes] = {}
    if old is not None:
        for e in old.entries:
            if e.tag in records:
                tiff.warnings.append(f"duplicate tag {e.tag} in IFD at {old.offset}; first kept")
                continue
            if e.type not in TYPE_SIZES:
                # unreadable by anyone; sorted to the front it would make ExifTool drop the IFD
                tiff.warnings.append(f"entry with unknown type {e.type} dropped from IFD")
                continue
            records[e.tag] = e.raw
    for tag, new in changes.items():
        if new is None:
            records.pop(tag, None)
            continue
        if len(new.data) <= 4:
            field = new.data + b"\0" * (4 - len(new.data))
        else:
            field = tiff.p32(tail.add(new.data))
        records[tag] = struct.pack(tiff.order + "HHI", tag, new.type, new.count) + field
    body = tiff.p16(len(records)) + b"".join(records[t] for t in sorted(records))
    return tail.add(body + tiff.p32(next_offset))


def _merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1] + 1:  # allow the one alignment byte between blocks
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _reclaimable_start(tiff: Tiff, ifd0: Ifd, ifd0_changes: Mapping[int, NewValue | None],
                       exif_ifd: Ifd | None, rebuild_exif: bool) -> int:
    """Where the dead tail begins, or the size when nothing at the end can be reused.

    Dead = the old IFD0 (and Exif IFD if rebuilt) plus the out-of-line values of the entries
    being replaced.  Reused only if those spans alone cover the end of the data, and nothing we
    keep points into them.
    """
    size = tiff.source.size
    dead: list[tuple[int, int]] = [ifd0.span]
    kept: list[tuple[Ifd, Entry]] = []
    for e in ifd0.entries:
        span = tiff.value_span(e)
        if e.tag in ifd0_changes:
            if span:
                dead.append(span)
        else:
            kept.append((ifd0, e))
    if rebuild_exif and exif_ifd is not None:
        dead.append(exif_ifd.span)
        kept.extend((exif_ifd, e) for e in exif_ifd.entries)
    merged = _merge_spans(dead)
    start, end = merged[-1]
    if end != size:
        return size
    # the dead spans must be the only thing in [start, size)
    refs: list[int] = [ifd0.next_offset]
    for _, e in kept:
        span = tiff.value_span(e)
        if span:
            refs.append(span[0])
            refs.append(span[1] - 1)
        if e.tag in _POINTER_TAGS:
            try:
                refs.extend(tiff.offsets(e))
            except CodecError:
                return size
    if any(start <= r < size for r in refs if r):
        return size
    return start


def plan_update(tiff: Tiff, ifd0_changes: Mapping[int, NewValue | None],
                exif_changes: Mapping[int, NewValue | None] | None = None,
                max_size: int | None = None) -> Patch:
    """Plan a lossless rewrite of IFD0 (and optionally the Exif IFD).

    ``ifd0_changes``/``exif_changes`` map a tag to its new value, or to None to delete it.
    Raises :class:`CodecError` if the result would exceed ``max_size`` bytes.
    """
    ifd0 = tiff.ifd0()
    changes = dict(ifd0_changes)
    exif_ifd: Ifd | None = None
    if exif_changes:
        exif_ifd = tiff.sub_ifd(ifd0, EXIF_IFD, "Exif IFD")
        changes[EXIF_IFD] = None  # placeholder; the real pointer is set once the IFD is placed
    keep = _reclaimable_start(tiff, ifd0, changes, exif_ifd, bool(exif_changes))
    tail = _Tail(keep)
    if exif_changes:
        exif_off = _build_ifd(tiff, exif_ifd, exif_changes, tail,
                              exif_ifd.next_offset if exif_ifd else 0)
        changes[EXIF_IFD] = _new_value(LONG, 1, tiff.p32(exif_off))
    new0 = _build_ifd(tiff, ifd0, changes, tail, ifd0.next_offset)
    header = tiff.header[:4] + tiff.p32(new0)
    patch = _patch(header, keep, bytes(tail.buf))
    if max_size is not None and patch.size > max_size:
        raise CodecError(
            f"the rewritten TIFF/EXIF structure would be {patch.size} bytes, over the "
            f"{max_size}-byte limit (a JPEG APP1 segment holds at most 64 KB)")
    return patch


def apply_patch(original: bytes, patch: Patch) -> bytes:
    """The patched structure, for data held in memory."""
    return b"".join((patch.header, memoryview(original)[8:patch.keep], patch.tail))


def stream_patch(src: BinaryIO, dst: BinaryIO, patch: Patch, chunk: int = 1 << 20) -> None:
    """Write the patched file from ``src`` to ``dst`` without holding it in memory."""
    dst.write(patch.header)
    src.seek(8)
    left = patch.keep - 8
    while left > 0:
        block = src.read(min(chunk, left))
        if not block:
            raise Truncated("TIFF data", patch.keep - left, left, 0)
        dst.write(block)
        left -= len(block)
    dst.write(patch.tail)


def build_tiff(order: str, ifd0: Mapping[int, NewValue],
               exif: Mapping[int, NewValue] | None = None) -> bytes:
    """A fresh, minimal TIFF structure (IFD0 and optionally an Exif IFD) in byte order ``order``."""
    magic = b"II*\0" if order == "<" else b"MM\0*"
    stub = magic + struct.pack(order + "I", 8) + struct.pack(order + "HI", 0, 0)
    tiff = Tiff.from_bytes(stub)
    patch = plan_update(tiff, dict(ifd0), dict(exif) if exif else None)
    # the stub's empty IFD0 sits at the end and is dead, so the patch reclaims it
    return apply_patch(stub, patch)


__all__ += ["stream_patch"]
