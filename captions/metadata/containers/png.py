"""PNG container: XMP in iTXt, EXIF in eXIf, IIM in ImageMagick's raw-profile text chunks.

Where each payload is read from (first match wins, later duplicates give a warning):

``xmp``
    iTXt ``XML:com.adobe.xmp`` (the XMP standard's place); also zTXt/tEXt with that keyword,
    which some writers (Photoshop CC 2015) used, with a warning.
``exif``
    the ``eXIf`` chunk; failing that, ImageMagick's ``Raw profile type exif``/``APP1`` text
    chunk (hex, ``Exif\\0\\0``-prefixed).  A leading ``Exif\\0\\0`` is dropped.
``iim``
    ``Raw profile type iptc`` (hex; either bare IIM or an 8BIM resource block whose 0x0404
    resource is the IIM), else the 0x0404 resource of ``Raw profile type 8bim``.

Writing (``None`` leaves a payload alone, ``b""`` removes it):

* XMP becomes one uncompressed iTXt ``XML:com.adobe.xmp``.  It takes the place of the first
  existing XMP chunk if that one is before the first IDAT, else it goes right before the first
  IDAT (readers that stop at the image data find it).  Other XMP chunks are dropped.
* EXIF becomes one ``eXIf`` chunk with the same placement rule.  ImageMagick raw EXIF profiles
  are dropped then, since their content was read into the payload we are replacing.
* IIM is written where it was read (same chunk type, same keyword; bare IIM stays bare, an
  8BIM block keeps its other resources), always hex-encoded: Photo Mechanic's unencoded binary
  profile is read but not written back, since neither ExifTool nor exiv2 reads it.  With no existing IIM it is added as ExifTool does:
  a zTXt ``Raw profile type iptc`` holding an 8BIM block with one 0x0404 resource, before the
  first IDAT.  (ExifTool warns that IIM in PNG is non-standard; it and exiv2 both read it.)

Every other chunk is copied byte for byte (CRC included); the file is streamed, IDAT data is
never held in memory.  New chunks get correct CRCs.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from typing import BinaryIO

import attrs

from ...errors import CodecError, Malformed, Truncated
from . import Payloads, copy_range

__all__ = ["FORMAT", "CAN_HOLD", "matches", "read", "write"]

FORMAT = "png"
CAN_HOLD = frozenset({"exif", "xmp", "iim"})

SIGNATURE = b"\x89PNG\r\n\x1a\n"
XMP_KEYWORD = b"XML:com.adobe.xmp"
#: chunk types whose data we read (text and EXIF); all others are skipped with a seek
_TEXT_TYPES = frozenset({b"tEXt", b"zTXt", b"iTXt"})
_RAW_EXIF_KEYS = frozenset({b"Raw profile type exif", b"Raw profile type APP1"})
_RAW_IPTC_KEY = b"Raw profile type iptc"
_RAW_8BIM_KEY = b"Raw profile type 8bim"
#: largest chunk data we read into memory / inflate to (metadata, not pixels)
MAX_META = 64 << 20
#: largest text we inflate a compressed chunk to: the XMP codec refuses packets over 16 MiB
#: anyway, and a small bound keeps a zlib bomb from costing more than a few times that
MAX_INFLATE = 16 << 20
IIM_RESOURCE = 0x0404


@attrs.frozen
class Chunk:
    """A chunk header: where it starts (its length field) and what it is."""

    offset: int
    length: int
    type: bytes

    @property
    def end(self) -> int:
        return self.offset + 12 + self.length


def matches(head: bytes) -> bool:
    """PNG signature."""
    return head[:8] == SIGNATURE


def _chunks(fp: BinaryIO, size: int, warnings: list[str]) -> Iterator[Chunk]:
    fp.seek(0)
    if fp.read(8) != SIGNATURE:
        raise Malformed("not a PNG signature", 0)
    pos = 8
    while pos < size:
        fp.seek(pos)
        head = fp.read(8)
        if len(head) < 8:
            raise Truncated("PNG chunk header", pos, 8, len(head))
        length, ctype = struct.unpack(">I4s", head)
        if length > 0x7FFFFFFF or pos + 12 + length > size:
            raise Truncated(f"PNG {ctype!r} chunk", pos, 12 + length, size - pos)
        if not all(65 <= c <= 90 or 97 <= c <= 122 for c in ctype):
            raise Malformed(f"bad PNG chunk type {ctype!r}", pos)
        chunk = Chunk(pos, length, ctype)
        yield chunk
        pos = chunk.end
        if ctype == b"IEND":
            if pos < size:
                warnings.append(f"{size - pos} bytes after IEND")
            return
    raise Truncated("PNG (no IEND chunk)", pos, 12, 0)


def _data(fp: BinaryIO, chunk: Chunk, warnings: list[str]) -> bytes:
    if chunk.length > MAX_META:
        raise Malformed(f"PNG {chunk.type!r} chunk of {chunk.length} bytes is too large", chunk.offset)
    fp.seek(chunk.offset + 8)
    data = fp.read(chunk.length + 4)
    if len(data) != chunk.length + 4:
        raise Truncated(f"PNG {chunk.type!r} chunk", chunk.offset, chunk.length + 4, len(data))
    body, crc = data[:-4], struct.unpack(">I", data[-4:])[0]
    if zlib.crc32(chunk.type + body) != crc:
        warnings.append(f"CRC mismatch in {chunk.type.decode('latin-1')} chunk at {chunk.offset}")
    return body


def _inflate(data: bytes, what: str) -> bytes:
    d = zlib.decompressobj()
    try:
        out = d.decompress(data, MAX_INFLATE)
    except zlib.error as exc:
        raise Malformed(f"{what}: bad zlib data ({exc})") from None
    if d.unconsumed_tail:
        raise Malformed(f"{what}: inflates to more than {MAX_INFLATE} bytes")
    return out


def _split_text(ctype: bytes, data: bytes) -> tuple[bytes, bytes]:
    """(keyword, text bytes) of a tEXt/zTXt/iTXt chunk, decompressed."""
    key, sep, rest = data.partition(b"\0")
    if not sep or not 1 <= len(key) <= 79:
        raise Malformed(f"PNG {ctype.decode()} chunk without a valid keyword")
    what = f"PNG {ctype.decode()} {key.decode('latin-1')!r}"
    if ctype == b"tEXt":
        return key, rest
    if ctype == b"zTXt":
        if not rest:
            raise Malformed(f"{what}: no compression method")
        return key, _inflate(rest[1:], what)
    if len(rest) < 2:
        raise Malformed(f"{what}: header cut short")
    flag, _method = rest[0], rest[1]
    parts = rest[2:].split(b"\0", 2)
    if len(parts) < 3:
        raise Malformed(f"{what}: header cut short")
    text = parts[2]
    return key, _inflate(text, what) if flag else text


def _unhex_profile(text: bytes, what: str) -> bytes:
    """ImageMagick raw profile: "\\n<name>\\n<length>\\n<hex lines>"."""
    lines = text.split(b"\n")
    words = [ln.strip() for ln in lines if ln.strip()]
    if len(words) < 2 or not words[1].isdigit():
        raise Malformed(f"{what}: not an ImageMagick raw profile")
    n = int(words[1])
    hexdigits = b"".join(words[2:])
    if n * 2 > len(hexdigits):
        raise Truncated(what, 0, n, len(hexdigits) // 2)
    try:
        return bytes.fromhex(hexdigits[:2 * n].decode("ascii"))
    except ValueError:
        raise Malformed(f"{what}: bad hex digits") from None


def _profile_bytes(text: bytes, what: str) -> tuple[bytes, bool]:
    """The bytes of a raw profile and whether they were hex-encoded.

    ImageMagick writes hex; Photo Mechanic writes the IIM itself, unencoded (frameright's
    metapm.png), which starts with the IIM tag marker 0x1C (or ``8BIM`` for a resource block).
    """
    if text[:1] == b"\x1c" or text[:4] == b"8BIM":
        return text, False
    return _unhex_profile(text, what), True


def _hex_profile(name: str, data: bytes) -> bytes:
    """The inverse of :func:`_unhex_profile` (ExifTool's layout: 72 hex digits a line)."""
    hexed = data.hex()
    lines = [hexed[i:i + 72] for i in range(0, len(hexed), 72)]
    return (f"\n{name}\n{len(data):8d}\n" + "\n".join(lines) + "\n").encode("ascii")


# -- 8BIM resource blocks (only the little we need here) ---------------------------------------

def _irb_resources(data: bytes) -> list[tuple[int, int, int]]:
    """(resource id, data start, data end) of each 8BIM resource; raises on a broken block."""
    out = []
    pos = 0
    while pos + 12 <= len(data):
        if data[pos:pos + 4] != b"8BIM":
            raise Malformed("bad 8BIM resource signature", pos)
        rid = struct.unpack(">H", data[pos + 4:pos + 6])[0]
        nlen = data[pos + 6]
        name_total = nlen + 1 + ((nlen + 1) % 2)
        size_pos = pos + 6 + name_total
        if size_pos + 4 > len(data):
            raise Truncated("8BIM resource", pos, size_pos + 4 - pos, len(data) - pos)
        size = struct.unpack(">I", data[size_pos:size_pos + 4])[0]
        start = size_pos + 4
        if start + size > len(data):
            raise Truncated("8BIM resource data", start, size, len(data) - start)
        out.append((rid, start, start + size))
        pos = start + size + (size % 2)
    return out


def _irb_iim(data: bytes) -> bytes | None:
    for rid, start, end in _irb_resources(data):
        if rid == IIM_RESOURCE:
            return data[start:end]
    return None


def _irb_resource(rid: int, payload: bytes) -> bytes:
    pad = b"\0" if len(payload) % 2 else b""
    return b"8BIM" + struct.pack(">HHI", rid, 0, len(payload)) + payload + pad


def _irb_replace_iim(data: bytes, iim: bytes) -> bytes:
    """``data`` with its 0x0404 resource replaced by ``iim`` (removed when empty, added if none)."""
    out = bytearray()
    done = False
    pos = 0
    for rid, start, end in _irb_resources(data):
        block_end = end + ((end - start) % 2)
        if rid == IIM_RESOURCE:
            if not done and iim:
                out += _irb_resource(IIM_RESOURCE, iim)
            done = True
        else:
            out += data[pos:block_end]
        pos = block_end
    if not done and iim:
        out += _irb_resource(IIM_RESOURCE, iim)
    return bytes(out)


# -- reading -------------------------------------------------------------------------------

@attrs.define
class _Found:
    """Where each payload was found while walking the chunks."""

    xmp: tuple[Chunk, bytes] | None = None
    exif: tuple[Chunk, bytes] | None = None
    raw_exif: tuple[Chunk, bytes] | None = None
    #: chunk, its keyword, the IIM, the 8BIM block it came from (None when bare), hex or not
    iim: tuple[Chunk, bytes, bytes, bytes | None, bool] | None = None
    first_idat: int | None = None
    xmp_chunks: list[Chunk] = attrs.Factory(list)
    exif_chunks: list[Chunk] = attrs.Factory(list)
    #: ``Raw profile type iptc`` chunks that could not be decoded
    bad_iim: list[Chunk] = attrs.Factory(list)
    warnings: list[str] = attrs.Factory(list)


def _scan(fp: BinaryIO) -> tuple[_Found, list[Chunk], int]:
    fp.seek(0, 2)
    size = fp.tell()
    found = _Found()
    chunks: list[Chunk] = []
    w = found.warnings
    for chunk in _chunks(fp, size, w):
        chunks.append(chunk)
        if chunk.type == b"IDAT" and found.first_idat is None:
            found.first_idat = chunk.offset
        if chunk.type == b"eXIf":
            found.exif_chunks.append(chunk)
            if found.exif is None:
                try:
                    found.exif = (chunk, _data(fp, chunk, w))
                except CodecError as exc:
                    w.append(f"eXIf chunk unreadable: {exc}")
            else:
                w.append("more than one eXIf chunk; the first is used")
            continue
        if chunk.type not in _TEXT_TYPES:
            continue
        fp.seek(chunk.offset + 8)
        key = fp.read(min(chunk.length, 80)).partition(b"\0")[0]
        if key == XMP_KEYWORD:
            found.xmp_chunks.append(chunk)
        elif key in _RAW_EXIF_KEYS:
            found.exif_chunks.append(chunk)
        elif key not in (_RAW_IPTC_KEY, _RAW_8BIM_KEY):
            continue
        try:
            _take(fp, chunk, found)
        except CodecError as exc:  # one damaged payload chunk does not hide the others
            w.append(f"PNG {key.decode('latin-1')!r} chunk unreadable: {exc}")
            if key == _RAW_IPTC_KEY:
                found.bad_iim.append(chunk)
    return found, chunks, size


def _take(fp: BinaryIO, chunk: Chunk, found: _Found) -> None:
    """Decode one metadata text chunk into ``found``."""
    w = found.warnings
    key, text = _split_text(chunk.type, _data(fp, chunk, w))
    what = f"PNG {key.decode('latin-1')!r}"
    if key == XMP_KEYWORD:
        if chunk.type != b"iTXt":
            w.append(f"XMP stored in a {chunk.type.decode()} chunk (the XMP standard says iTXt)")
        if found.xmp is None:
            found.xmp = (chunk, text)
        else:
            w.append("more than one XMP chunk; the first is used")
    elif key in _RAW_EXIF_KEYS:
        raw = _profile_bytes(text, what)[0]
        if found.raw_exif is None:
            found.raw_exif = (chunk, raw)
    else:
        raw, hexed = _profile_bytes(text, what)
        if raw[:4] == b"8BIM":
            iim, block = _irb_iim(raw), raw
        elif key == _RAW_IPTC_KEY:
            iim, block = raw, None
        else:
            raise Malformed(f"{what}: not an 8BIM block")
        if iim is None:
            return
        if found.iim is None:
            found.iim = (chunk, key, iim, block, hexed)
        else:
            w.append("IIM found in more than one PNG raw profile; the first is used")


def _strip_exif_prefix(data: bytes, warnings: list[str]) -> bytes:
    if data[:6] == b"Exif\0\0":
        warnings.append("EXIF payload starts with 'Exif\\0\\0'; prefix ignored")
        return data[6:]
    return data


def read(fp: BinaryIO) -> Payloads:
    """The payloads of a PNG (chunk data other than text/eXIf is skipped, not read)."""
    found, _chunks_, _size = _scan(fp)
    w = found.warnings
    exif = None
    if found.exif is not None:
        exif = _strip_exif_prefix(found.exif[1], w)
        if found.raw_exif is not None:
            w.append("both eXIf and an ImageMagick raw EXIF profile; eXIf is used")
    elif found.raw_exif is not None:
        raw = found.raw_exif[1]
        exif = raw[6:] if raw[:6] == b"Exif\0\0" else raw
    return Payloads(
        exif=exif,
        xmp=found.xmp[1] if found.xmp else None,
        iim=found.iim[2] if found.iim else None,
        warnings=tuple(w),
    )


# -- writing -------------------------------------------------------------------------------

def _chunk(ctype: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + ctype + data + struct.pack(">I", zlib.crc32(ctype + data))


def _xmp_chunk(xmp: bytes) -> bytes:
    # keyword, NUL, compression flag 0, method 0, empty language tag, empty translated keyword
    return _chunk(b"iTXt", XMP_KEYWORD + b"\0\0\0\0\0" + xmp)


def _iim_chunk(ctype: bytes, key: bytes, block: bytes | None, iim: bytes) -> bytes | None:
    """A raw-profile chunk holding ``iim``: bare when ``block`` is None, else inside that 8BIM
    block (other resources kept).  None when nothing would be left in it."""
    profile = iim if block is None else _irb_replace_iim(block, iim)
    if not profile:
        return None
    # always hex: the unencoded form some writers use is read by neither ExifTool nor exiv2
    text = _hex_profile("IPTC profile", profile)
    if ctype == b"tEXt":
        return _chunk(ctype, key + b"\0" + text)
    if ctype == b"iTXt":
        return _chunk(ctype, key + b"\0\1\0\0\0" + zlib.compress(text, 9))
    return _chunk(b"zTXt", key + b"\0\0" + zlib.compress(text, 9))


def write(src: BinaryIO, dst: BinaryIO, update: Payloads) -> None:
    """Copy ``src`` to ``dst`` with the payloads of ``update`` replaced (see the module doc)."""
    found, chunks, _size = _scan(src)
    if found.first_idat is None:
        raise Malformed("PNG without an IDAT chunk")
    drop: set[int] = set()
    #: chunk offset -> bytes to write instead of that chunk (or, for IDAT, before it)
    put_at: dict[int, list[bytes]] = {}

    first_idat: int = found.first_idat

    def place(new: bytes, first_old: Chunk | None) -> None:
        at = first_old.offset if first_old is not None and first_old.offset < first_idat else first_idat
        put_at.setdefault(at, []).append(new)

    if update.xmp is not None:
        drop.update(c.offset for c in found.xmp_chunks)
        if update.xmp:
            place(_xmp_chunk(update.xmp), found.xmp_chunks[0] if found.xmp_chunks else None)
    if update.exif is not None:
        if update.exif and update.exif[:4] not in (b"II*\0", b"MM\0*"):
            raise CodecError("the EXIF payload is not a TIFF structure")
        drop.update(c.offset for c in found.exif_chunks)
        if update.exif:
            first = next((c for c in found.exif_chunks if c.type == b"eXIf"), None)
            place(_chunk(b"eXIf", update.exif), first)
    if update.iim is not None:
        drop.update(c.offset for c in found.bad_iim)  # superseded by the new IIM
        if found.iim is not None:
            chunk, key, _iim, block, _hexed = found.iim
            drop.add(chunk.offset)
            new = _iim_chunk(chunk.type, key, block, update.iim)
            if new is not None:
                put_at.setdefault(chunk.offset, []).append(new)
        elif update.iim:
            new = _iim_chunk(b"zTXt", _RAW_IPTC_KEY, b"", update.iim)
            assert new is not None
            place(new, None)

    src.seek(0)
    dst.write(SIGNATURE)
    for chunk in chunks:
        for new in put_at.get(chunk.offset, ()):
            dst.write(new)
        if chunk.offset not in drop:
            copy_range(src, dst, chunk.offset, chunk.end, "PNG data")
