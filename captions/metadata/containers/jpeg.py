"""JPEG: find the EXIF, XMP and Photoshop IRB segments, and splice new ones in.

A JPEG file (ITU T.81 / JFIF / EXIF 2.3 section 4.5) is a sequence of marker segments
``FF xx [len_hi len_lo payload...]`` up to the first SOS (start of scan); after SOS come the
entropy-coded scan data, more segments, EOI and sometimes trailing bytes (Photo Mechanic
trailers, multi-picture extensions).  Metadata lives before SOS:

* APP1 ``Exif\\0\\0`` + a TIFF structure                     -> ``Payloads.exif``
* APP1 ``http://ns.adobe.com/xap/1.0/\\0`` + an XMP packet   -> ``Payloads.xmp``
* APP1 ``http://ns.adobe.com/xmp/extension/\\0`` + GUID, full length, offset, chunk
  (extended XMP, reassembled by GUID and offset)             -> ``Payloads.xmp_extended``
* APP13 ``Photoshop 3.0\\0`` + image resource blocks; a large IRB is split over several
  APP13 segments, so the payloads of all of them are joined in order -> ``Payloads.irb``

Reading stops at SOS.  Writing copies every segment byte-for-byte except the ones being
replaced, then copies everything from SOS to the end of the file unchanged (a streaming copy,
so scan data is never held in memory nor decoded).

Damage policy (see ``docs/notes/engine.md``):

* stray bytes between segments (a wrong declared length, as Photoshop CC 2017 sometimes
  writes) are skipped with a warning when reading, and copied verbatim, in place, when writing;
* a file that ends, or breaks (a length word below 2), before its first SOS is no picture:
  reading and writing both raise :class:`Truncated` / :class:`Malformed` (:func:`walk` still
  returns what it found, for tools that want to look at such a file);
* a file truncated after SOS (header-only copies) reads and writes normally: the bytes from
  SOS on are copied as they are.
"""

from __future__ import annotations

import io
import os
import shutil
import struct
from collections.abc import Iterator
from typing import BinaryIO

import attrs

from ...errors import CodecError, Malformed, Truncated
from . import Payloads

__all__ = [
    "FORMAT", "CAN_HOLD", "matches", "read", "read_for_write", "write", "Segment", "walk",
    "EXIF_HEADER", "XMP_HEADER", "XMP_EXT_HEADER", "PS_HEADER", "MAX_PAYLOAD",
]

FORMAT = "jpeg"
CAN_HOLD: frozenset[str] = frozenset({"exif", "xmp", "irb"})

SOI, EOI, SOS, APP0, APP1, APP13, APP15, COM = 0xD8, 0xD9, 0xDA, 0xE0, 0xE1, 0xED, 0xEF, 0xFE
#: markers that stand alone (no length word): TEM, RST0-7, SOI, EOI
_STANDALONE: frozenset[int] = frozenset({0x01, *range(0xD0, 0xD8), SOI, EOI})

EXIF_HEADER = b"Exif\x00\x00"
#: some writers use ``Exif\0\xff``; readers (ExifTool, exiv2) accept it
_EXIF_HEADER_ALT = b"Exif\x00\xff"
XMP_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"
#: a damaged main-XMP header seen in the wild; ExifTool reads it with a warning
_XMP_HEADER_DAMAGED = b"XMP\x00://ns.adobe.com/xap/1.0/\x00"
XMP_EXT_HEADER = b"http://ns.adobe.com/xmp/extension/\x00"
PS_HEADER = b"Photoshop 3.0\x00"

#: largest payload one segment holds: the length word counts itself
MAX_PAYLOAD = 0xFFFF - 2
#: upper bound on the segments before SOS (a real file has a few dozen; extended XMP a few
#: hundred); keeps hostile files from making us build huge lists
_MAX_SEGMENTS = 65536
#: upper bound on an extended XMP packet we reassemble (the format allows 4 GB)
_MAX_EXTENDED_XMP = 64 * 1024 * 1024


def matches(head: bytes) -> bool:
    """A JPEG starts with SOI followed by a marker."""
    return head[:3] == b"\xff\xd8\xff"


@attrs.frozen
class Segment:
    """One piece of the file before SOS, with its raw bytes for copying.

    ``marker`` is the marker code (``0xE1`` for APP1...) or ``None`` for stray bytes that
    belong to no segment.  ``raw`` is every byte of the piece as found in the file, including
    fill bytes (``FF FF``) before the marker, the marker and the length word.  ``payload``
    is what follows the length word (empty for standalone markers and stray bytes).
    """

    marker: int | None
    offset: int
    raw: bytes
    payload: bytes

    def kind(self) -> str | None:
        """``"exif"``, ``"xmp"``, ``"xmp-damaged"``, ``"xmp-ext"``, ``"irb"`` or ``None``."""
        return _kind(self.marker, self.payload, 0, len(self.payload))


def _kind(marker: int | None, buf: bytes, at: int, end: int) -> str | None:
    """The kind of a segment whose payload is ``buf[at:end]`` (see :meth:`Segment.kind`)."""
    if marker == APP1:
        if buf.startswith(EXIF_HEADER, at, end) or buf.startswith(_EXIF_HEADER_ALT, at, end):
            return "exif"
        if buf.startswith(XMP_HEADER, at, end):
            return "xmp"
        if buf.startswith(XMP_EXT_HEADER, at, end):
            return "xmp-ext"
        if buf.startswith(_XMP_HEADER_DAMAGED, at, end):
            return "xmp-damaged"
    elif marker == APP13 and buf.startswith(PS_HEADER, at, end):
        return "irb"
    return None


@attrs.frozen
class Walk:
    """The result of walking a JPEG up to its first SOS."""

    segments: tuple[Segment, ...]
    #: offset of the first byte of the SOS piece (its fill bytes included), or of EOI or
    #: the end of the file when there is no SOS; everything from here on is copied as-is
    rest_offset: int
    #: why the header cannot be rewritten safely (cut short, impossible length), or None
    damage: CodecError | None
    warnings: tuple[str, ...]

    @property
    def truncated(self) -> bool:
        return self.damage is not None


#: bytes asked of the file by the first read of a walk; a header (EXIF with its thumbnail,
#: XMP, IRB, tables) is rarely longer, and a longer one is read in growing steps
_HEAD_CHUNK = 64 * 1024
#: at most this much is read beyond what the segment being parsed needs
_HEAD_MAX_AHEAD = 4 * 1024 * 1024


class _Head:
    """The start of a file, read in large steps and parsed by index (no per-segment reads).

    ``data[i]`` is the byte at file offset ``base + i``; :meth:`cover` extends ``data``
    until it holds ``end`` bytes or the file ends.
    """

    __slots__ = ("fp", "base", "data", "eof")

    def __init__(self, fp: BinaryIO) -> None:
        self.fp = fp
        self.base = fp.tell()
        self.data = b""
        self.eof = False

    def cover(self, end: int) -> bytes:
        data = self.data
        while len(data) < end and not self.eof:
            # what is needed, and ahead of it as much again as is held (at most
            # _HEAD_MAX_AHEAD): a long header costs a few reads, not many, and is never
            # read far past its end
            more = self.fp.read(max(end - len(data), min(len(data), _HEAD_MAX_AHEAD),
                                    _HEAD_CHUNK))
            if more:
                data += more
            else:
                self.eof = True
        self.data = data
        return data


def walk(fp: BinaryIO) -> Walk:
    """Walk the segments of a JPEG from its start up to (not including) the first SOS.

    Raises :class:`Malformed` when the file does not start with SOI.  Damage after SOI is
    reported in ``warnings`` (and ``truncated``) rather than raised, so readers can use what
    was readable.
    """
    return _segments(_pieces(fp))


#: one piece of the header, by index into the bytes read: (marker or None for stray bytes,
#: start of the piece (fill bytes included), start of the payload, end)
_Piece = tuple[int | None, int, int, int]
#: what :func:`_pieces` found: the bytes read, their file offset, the pieces, the offset where
#: the rest (SOS on) starts, the damage, the warnings
_Pieces = tuple[bytes, int, list[_Piece], int, CodecError | None, list[str]]


def _segments(found: _Pieces) -> Walk:
    data, start, pieces, rest, damage, warnings = found
    segments = [Segment(m, start + pos, data[pos:end], data[body:end] if body < end else b"")
                for m, pos, body, end in pieces]
    return Walk(tuple(segments), rest, damage, tuple(warnings))


def _found(head: _Head, start: int, pieces: list[_Piece], rest: int, damage: CodecError | None,
           warnings: list[str]) -> _Pieces:
    return head.data, start, pieces, rest, damage, warnings


def _pieces(fp: BinaryIO) -> _Pieces:
    """The walk by index, without building :class:`Segment` records or copying bytes (a
    read takes only the payloads it returns)."""
    head = _Head(fp)
    start = head.base
    data = head.cover(2)
    if data[:2] != b"\xff\xd8":
        raise Malformed("not a JPEG file (no SOI marker)", start)
    segments: list[_Piece] = [(SOI, 0, 2, 2)]
    append = segments.append
    warnings: list[str] = []
    pos = 2  # index in ``data`` of the next piece
    n = len(data)
    while True:
        if len(segments) > _MAX_SEGMENTS:
            raise Malformed(f"more than {_MAX_SEGMENTS} segments before the image data")
        piece_start = start + pos
        if pos + 4 > n:  # marker and length word, when the file has them
            data = head.cover(pos + 4)
            n = len(data)
        if pos + 2 > n:
            warnings.append("JPEG ends before its image data (no SOS marker)")
            return _found(head, start, segments, piece_start,
                          Truncated("JPEG (no image data)", piece_start, 2, n - pos),
                        warnings)
        if data[pos] != 0xFF:
            end = _stray_end(head, pos)
            data = head.data
            n = len(data)
            append((None, pos, end, end))
            prev = _segment_name(segments[-2][0])
            warnings.append(
                f"skipped {end - pos} stray bytes after the {prev} segment at byte {piece_start}"
            )
            pos = end
            continue
        # fill bytes: any number of 0xFF before the marker code
        at = pos + 1  # index of the marker code
        while data[at] == 0xFF:
            at += 1
            if at >= n:
                data = head.cover(at + 3)
                n = len(data)
                if at >= n:
                    warnings.append(f"JPEG ends inside a marker at byte {piece_start}")
                    return _found(head, start, segments, piece_start,
                                  Truncated("JPEG marker", piece_start, 2, 1), warnings)
        marker = data[at]
        if marker == SOS or marker == EOI:
            if marker == EOI:
                warnings.append("JPEG has no image data (EOI before any SOS)")
            return _found(head, start, segments, piece_start, None, warnings)
        if marker == 0x00:
            # 0xFF00 is a stuffed byte inside scan data; here it means garbage
            end = _stray_end(head, pos)
            data = head.data
            n = len(data)
            append((None, pos, end, end))
            warnings.append(f"skipped {end - pos} stray bytes at byte {piece_start}")
            pos = end
            continue
        if marker in _STANDALONE:
            append((marker, pos, at + 1, at + 1))
            pos = at + 1
            continue
        if at + 3 > n:
            data = head.cover(at + 3)
            n = len(data)
            if at + 3 > n:
                name = _segment_name(marker)
                warnings.append(f"JPEG ends inside the {name} segment at byte {piece_start}")
                return _found(head, start, segments, piece_start,
                              Truncated(f"JPEG {name} segment length", piece_start, 2,
                                      n - at - 1), warnings)
        length = (data[at + 1] << 8) | data[at + 2]
        if length < 2:
            msg = (f"{_segment_name(marker)} segment at byte {piece_start} declares "
                   f"an impossible length {length}")
            warnings.append(msg)
            return _found(head, start, segments, piece_start, Malformed(msg), warnings)
        body = at + 3
        end = body + length - 2
        if end > n:
            data = head.cover(end)
            n = len(data)
            if end > n:
                warnings.append(
                    f"JPEG ends inside the {_segment_name(marker)} segment at byte {piece_start}: "
                    f"{length - 2} bytes declared, {n - body} present")
                return _found(head, start, segments, piece_start,
                              Truncated(f"JPEG {_segment_name(marker)} segment", piece_start,
                                      length - 2, n - body), warnings)
        append((marker, pos, body, end))
        pos = end


def _stray_end(head: _Head, pos: int) -> int:
    """Index of the end of the stray bytes that start at ``pos``: the next byte pair that
    looks like a marker (``FF`` followed by a byte other than ``00`` and ``FF``), or the end
    of the file."""
    i = pos
    while True:
        data = head.data
        j = data.find(b"\xff", i)
        while j != -1 and j + 1 < len(data):
            if data[j + 1] not in (0x00, 0xFF):
                return j
            j = data.find(b"\xff", j + 1)
        i = len(data) - 1 if data.endswith(b"\xff") else len(data)
        if head.eof:
            return len(data)
        head.cover(len(data) + 4096)
        if len(head.data) == len(data):
            return len(data)


_NAMES: dict[int, str] = {
    SOI: "SOI", EOI: "EOI", SOS: "SOS", COM: "COM", 0xDB: "DQT", 0xC4: "DHT", 0xDD: "DRI",
    **{0xE0 + n: f"APP{n}" for n in range(16)},
    **{m: f"SOF{m - 0xC0}" for m in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7,
                                     0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF)},
}


def _segment_name(marker: int | None) -> str:
    if marker is None:
        return "stray"
    return _NAMES.get(marker, f"0x{marker:02X}")


# --------------------------------------------------------------------------------------------
# reading


def read(fp: BinaryIO) -> Payloads:
    """The payloads of a JPEG; reads only up to the first SOS.

    Stray bytes between segments are skipped with a warning.  A file that ends (or breaks)
    before its image data starts is not a picture: :class:`Truncated` or :class:`Malformed`.
    """
    found = _pieces(fp)
    if found[4] is not None:
        raise found[4]
    return _payloads(found)


def read_for_write(fp: BinaryIO) -> tuple[Payloads, _Pieces]:
    """:func:`read`, and what its walk found (opaque), for :func:`write` to use on the
    same file (so that a rewrite walks the original once, not twice)."""
    found = _pieces(fp)
    if found[4] is not None:
        raise found[4]
    return _payloads(found), found


def _new_payloads(exif: bytes | None, xmp: bytes | None, xmp_extended: bytes | None,
                  irb: bytes | None, iim: bytes | None, warnings: tuple[str, ...]) -> Payloads:
    """``Payloads(exif=..., ...)``, filled slot by slot: the record's attrs ``__init__`` is
    Python code (an interpreted call with six frozen-attribute stores, ~12,000 instructions
    a record), this is a few C calls.  The same record: all six fields given, no validators
    or converters to run (``Payloads`` has none)."""
    p = _OBJECT_NEW(Payloads)
    _SET(p, "exif", exif)
    _SET(p, "xmp", xmp)
    _SET(p, "xmp_extended", xmp_extended)
    _SET(p, "irb", irb)
    _SET(p, "iim", iim)
    _SET(p, "warnings", warnings)
    return p


_OBJECT_NEW = object.__new__
_SET = object.__setattr__


def _payloads(found: _Pieces) -> Payloads:
    data, _, pieces, _, _, found_warnings = found
    warnings = list(found_warnings)
    exif: bytes | None = None
    xmp: bytes | None = None
    irb_parts: list[bytes] = []
    ext_chunks: list[bytes] = []
    n_xmp = 0
    for marker, _, body, end in pieces:
        # (only APP1 and APP13 carry our kinds: the others are not looked into)
        kind = _kind(marker, data, body, end) if marker == APP1 or marker == APP13 else None
        if kind == "exif":
            if exif is None:
                exif = data[body + len(EXIF_HEADER):end]
            else:
                warnings.append("second EXIF APP1 segment ignored")
        elif kind in ("xmp", "xmp-damaged"):
            n_xmp += 1
            if kind == "xmp-damaged":
                warnings.append("XMP APP1 segment has a damaged header ('XMP\\0://...'); read anyway")
            if xmp is None:
                header = XMP_HEADER if kind == "xmp" else _XMP_HEADER_DAMAGED
                xmp = data[body + len(header):end]
        elif kind == "xmp-ext":
            ext_chunks.append(data[body + len(XMP_EXT_HEADER):end])
        elif kind == "irb":
            irb_parts.append(data[body + len(PS_HEADER):end])
    if n_xmp > 1:
        warnings.append(f"{n_xmp} main XMP packets (one allowed); the first is used "
                        "(as exiv2 does; ExifTool shows the last)")
    extended = None
    if ext_chunks:
        extended, ext_warnings = _reassemble_extended(ext_chunks, xmp)
        warnings += ext_warnings
    return _new_payloads(exif, xmp, extended, b"".join(irb_parts) if irb_parts else None,
                         None, tuple(warnings))


def _reassemble_extended(chunks: list[bytes], main: bytes | None) -> tuple[bytes | None, list[str]]:
    """Join extended-XMP chunks (GUID[32] + full length + offset + data) into one packet.

    The GUID named by ``xmpNote:HasExtendedXMP`` in the main packet is used when present,
    else the first GUID seen.  Missing or overlapping pieces give ``None`` and a warning.
    """
    warnings: list[str] = []
    by_guid: dict[bytes, list[tuple[int, int, bytes]]] = {}
    for c in chunks:
        if len(c) < 40:
            warnings.append("extended XMP chunk too short; ignored")
            continue
        guid = c[:32]
        full, offset = struct.unpack(">II", c[32:40])
        by_guid.setdefault(guid, []).append((offset, full, c[40:]))
    if not by_guid:
        return None, warnings
    wanted = None
    if main is not None:
        for guid in by_guid:
            if guid in main:
                wanted = guid
                break
    if wanted is None:
        wanted = next(iter(by_guid))
        if main is not None:
            warnings.append("extended XMP GUID not named by the main packet; using the first")
    parts = sorted(by_guid[wanted], key=lambda t: t[0])
    full = parts[0][1]
    if full > _MAX_EXTENDED_XMP:
        warnings.append(f"extended XMP declares {full} bytes; ignored")
        return None, warnings
    out = bytearray()
    for offset, declared, data in parts:
        if declared != full or offset != len(out):
            warnings.append("extended XMP chunks are inconsistent or missing; ignored")
            return None, warnings
        out += data
    if len(out) != full:
        warnings.append(f"extended XMP incomplete: {len(out)} of {full} bytes; ignored")
        return None, warnings
    return bytes(out), warnings


# --------------------------------------------------------------------------------------------
# writing


def _segments_for(marker: int, header: bytes, body: bytes, what: str,
                  *, split: bool = False) -> list[bytes]:
    """Encode ``header + body`` as one segment (or, with ``split``, as many as it takes),
    as the pieces to write one after the other (a single segment: its marker, length and
    header, then ``body`` itself, not copied into a new string here)."""
    room = MAX_PAYLOAD - len(header)
    if len(body) > room and not split:
        raise CodecError(
            f"{what} of {len(body)} bytes does not fit in a JPEG segment "
            f"(at most {room} bytes)")
    if len(body) <= room:  # one segment, as two pieces: ``write`` joins them with the rest
        return [b"".join((b"\xff", bytes((marker,)), struct.pack(">H", len(header) + len(body) + 2),
                          header)), body]
    out = []
    for i in range(0, len(body), room):
        chunk = header + body[i:i + room]
        out.append(b"\xff" + bytes((marker,)) + struct.pack(">H", len(chunk) + 2) + chunk)
    return out


def write(src: BinaryIO, dst: BinaryIO, update: Payloads, walked: _Pieces | None = None) -> None:
    """Copy a JPEG from ``src`` to ``dst``, replacing the payloads ``update`` carries.

    ``update.exif``/``xmp``/``irb`` replace the first segment of their kind, and later
    segments of the same kind are dropped (IRB: the split parts of one stream, merged into
    one; XMP: duplicate main packets, which the XMP specification forbids and which would
    keep stale values visible to some readers).  An empty ``b""`` payload removes the
    segments of that kind.  Missing kinds are added: EXIF right after SOI and any APP0
    (JFIF/JFXX), XMP right after EXIF, the IRB before the first marker that is not APPn.
    Extended XMP segments, ICC profiles, every other segment and everything from SOS on are
    copied unchanged.

    ``walked``: what :func:`read_for_write` learnt walking ``src`` (``src`` is then not
    walked again).
    """
    if update.xmp_extended is not None or update.iim is not None:
        raise CodecError("JPEG stores IIM inside the Photoshop IRB; extended XMP is read-only")
    found = _pieces(src) if walked is None else walked
    data, _, pieces, rest_offset, damage, _ = found
    if damage is not None:
        raise damage
    new: dict[str, list[bytes]] = {}
    if update.exif is not None:
        new["exif"] = (_segments_for(APP1, EXIF_HEADER, update.exif, "EXIF block")
                       if update.exif else [])
    if update.xmp is not None:
        new["xmp"] = (_segments_for(APP1, XMP_HEADER, update.xmp, "XMP packet")
                      if update.xmp else [])
    if update.irb is not None:
        new["irb"] = (_segments_for(APP13, PS_HEADER, update.irb, "Photoshop IRB", split=True)
                      if update.irb else [])

    out: list[bytes | memoryview] = []  # the unchanged pieces as views: one copy, by join
    view = memoryview(data)
    placed: set[str] = set()
    kinds = [_kind(m, data, body, end) if m == APP1 or m == APP13 else None
             for m, _, body, end in pieces]
    mpf_at: int | None = None  # index in ``out`` of an MPF APP2 segment
    mpf_piece = 0  # and in ``pieces``

    def place(kind: str) -> None:
        if kind in new and kind not in placed:
            out.extend(new[kind])
            placed.add(kind)

    # where missing kinds go: after SOI and the leading APP0 run (EXIF, then XMP)
    lead = 1
    while lead < len(pieces) and pieces[lead][0] == APP0:
        lead += 1
    present = set(kinds)
    if "xmp-damaged" in present:
        present.add("xmp")
    for i, (marker, pos, body, end) in enumerate(pieces):
        if i == lead and "exif" not in present:
            place("exif")
            if "xmp" not in present:
                place("xmp")
        kind = kinds[i]
        if kind == "xmp-damaged":
            kind = "xmp"
        if kind in new:
            place(kind)  # first of its kind: the new one goes here; the rest are dropped
        else:
            if ("irb" not in present and marker is not None and marker != SOI
                    and not APP0 <= marker <= APP15):
                place("irb")
            if kind is None and marker == 0xE2 and data.startswith(_MPF_HEADER, body, end):
                mpf_at, mpf_piece = len(out), i
            out.append(view[pos:end])
        if kind == "exif" and "xmp" not in present:
            place("xmp")  # a new XMP goes right after the (first) EXIF
    if len(pieces) <= lead:  # nothing but SOI (and APP0s)
        place("exif")
        place("xmp")
    place("exif")
    place("xmp")
    place("irb")
    if mpf_at is not None:
        _fix_mpf(found, mpf_piece, out, mpf_at)
    dst.write(b"".join(out))
    _copy_rest(src, dst, rest_offset)


#: file objects whose writes go straight to their descriptor (after a flush), so copying
#: behind their back with the kernel loses nothing; wrappers (tests, compressors) may not
_PLAIN_FILES = (io.BufferedWriter, io.BufferedRandom, io.FileIO)
_PLAIN_SOURCES = (io.BufferedReader, io.BufferedRandom, io.FileIO)
#: bytes asked of one ``copy_file_range`` call (the kernel may copy fewer)
_KERNEL_CHUNK = 1 << 30


def _copy_rest(src: BinaryIO, dst: BinaryIO, offset: int) -> None:
    """Copy ``src`` from ``offset`` to its end onto ``dst``'s current position.

    Between two real files this is ``os.copy_file_range`` (the kernel copies, or shares
    blocks on file systems that can, with no trip through Python buffers); anything else,
    or a kernel or file system that refuses, falls back to a streaming copy (1 MB blocks)
    from wherever the kernel copy stopped.  Measured inside ``write_fields`` (issue 6,
    ``docs/notes/performance.md``): 0.3-1 ms a file faster than the streaming copy for the
    1.5 MB bench files on ext4, though slower when copying page-cached files alone.
    """
    pos, n = offset, -1
    if (hasattr(os, "copy_file_range") and type(src) in _PLAIN_SOURCES
            and type(dst) in _PLAIN_FILES):
        dst.flush()
        sfd, dfd = src.fileno(), dst.fileno()
        try:
            while True:
                n = os.copy_file_range(sfd, dfd, _KERNEL_CHUNK, pos)
                if n <= 0:
                    break
                pos += n
        except OSError:
            pass  # EXDEV, EINVAL, ENOSYS, EOPNOTSUPP...: finish in user space
        dst.seek(os.lseek(dfd, 0, os.SEEK_CUR))  # resync the buffered object's position
        if n == 0:
            return
    src.seek(pos)
    shutil.copyfileobj(src, dst, 1024 * 1024)


# MPF (CIPA DC-007, multi-picture format): APP2 "MPF\0" + a TIFF structure whose MP Entry tag
# (0xB002) gives each further image's offset from the start of that TIFF header.  The images
# follow EOI, so when segments between the MPF segment and SOS change size the offsets must
# move by the same amount.

_MPF_HEADER = b"MPF\x00"
_MP_ENTRY = 0xB002


def _fix_mpf(found: _Pieces, index: int, out: list[bytes | memoryview], at: int) -> None:
    """Shift the MP Entry offsets in ``out[at]`` (piece ``index``) by the size change of
    what follows it.

    A structure we cannot follow is left as it is (it was as broken before).
    """
    data, _, pieces, _, _, _ = found
    _, pos, body, end = pieces[index]
    old_after = sum(e - p for _, p, _, e in pieces if p > pos)
    delta = sum(len(p) for p in out[at + 1:]) - old_after
    if delta == 0:
        return
    head = body - pos + len(_MPF_HEADER)  # TIFF header start in the piece
    buf = bytearray(data[pos:end])
    tiff = bytes(buf[head:])
    try:
        order = {b"II": "<", b"MM": ">"}[tiff[:2]]
        (ifd,) = struct.unpack_from(order + "I", tiff, 4)
        (count,) = struct.unpack_from(order + "H", tiff, ifd)
        for i in range(min(count, 64)):
            tag, typ, n, value = struct.unpack_from(order + "HHII", tiff, ifd + 2 + 12 * i)
            if tag != _MP_ENTRY or n % 16 or n > 16 * 256:
                continue
            for e in range(n // 16):
                pos = value + 16 * e + 8
                (off,) = struct.unpack_from(order + "I", tiff, pos)
                if off and 0 <= off + delta <= 0xFFFFFFFF:
                    struct.pack_into(order + "I", buf, head + pos, off + delta)
    except (KeyError, struct.error):
        return
    out[at] = bytes(buf)


def iter_kinds(fp: BinaryIO) -> Iterator[tuple[int, str | None, int]]:
    """(offset, kind, payload length) of each segment before SOS: for tests and debugging."""
    for seg in walk(fp).segments:
        yield seg.offset, seg.kind(), len(seg.payload)
