"""Declared sizes, counts and offsets that lie: no big allocation, no hang, only our errors.

Each case is a small file or payload whose length fields claim gigabytes, or whose IFD chain
loops.  A reader must check the declared size against the bytes really there before allocating
(the traced peak stays small) and must detect loops (the time guard stays quiet).
"""

from __future__ import annotations

import io
import struct
import tracemalloc
import zlib
from functools import lru_cache
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from captions.errors import CaptionsError

from ._samples import (
    bare_jpeg,
    exif_tiff,
    iim_dataset,
    insert_app13,
    irb_resource,
    optional_module,
    public_api,
    time_guard,
    xmp_packet,
)

#: no case may allocate more than this (the inputs are a few kilobytes)
PEAK_LIMIT = 16 * 1024 * 1024
#: a decompression bomb inflates to this much; the reader must stop well before it
BOMB_MIB = 96
#: compressed text chunks may legitimately inflate up to a cap: bombs get this looser bound
BOMB_PEAK_LIMIT = 48 * 1024 * 1024
CALL_SECONDS = 5.0


# --------------------------------------------------------------------------- builders


def jpeg_segment(marker: int, body: bytes) -> bytes:
    return bytes((0xFF, marker)) + struct.pack(">H", len(body) + 2) + body


def jpeg_with(*segments: bytes) -> bytes:
    """A real little JPEG with ``segments`` inserted right after SOI."""
    base = bare_jpeg()
    return base[:2] + b"".join(segments) + base[2:]


def png_chunk(kind: bytes, body: bytes, length: int | None = None) -> bytes:
    n = len(body) if length is None else length
    return struct.pack(">I", n) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_with(chunk: bytes) -> bytes:
    sig = b"\x89PNG\r\n\x1a\n"
    ihdr = png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    idat = png_chunk(b"IDAT", zlib.compress(b"\x00\x00"))
    return sig + ihdr + chunk + idat + png_chunk(b"IEND", b"")


def webp_with(chunks: bytes, riff_size: int | None = None) -> bytes:
    vp8x = b"VP8X" + struct.pack("<I", 10) + bytes((0x0C, 0, 0, 0)) + b"\x00\x00\x00" + b"\x00\x00\x00"
    body = b"WEBP" + vp8x + chunks
    size = len(body) if riff_size is None else riff_size
    return b"RIFF" + struct.pack("<I", size) + body


def tiff_ifd(entries: list[tuple[int, int, int, bytes]], next_ifd: int = 0, *,
             ifd_offset: int = 8, order: str = ">", tail: bytes = b"") -> bytes:
    """A TIFF header + one IFD at ``ifd_offset``; entries are (tag, type, count, 4-byte value)."""
    head = (b"MM\x00*" if order == ">" else b"II*\x00") + struct.pack(order + "I", ifd_offset)
    head = head.ljust(ifd_offset, b"\x00")
    ifd = struct.pack(order + "H", len(entries))
    for tag, typ, count, value in entries:
        ifd += struct.pack(order + "HHI", tag, typ, count) + value.ljust(4, b"\x00")
    ifd += struct.pack(order + "I", next_ifd)
    return head + ifd + tail


def u32(v: int) -> bytes:
    return struct.pack(">I", v)


@lru_cache(maxsize=None)
def zlib_bomb(n_mib: int = BOMB_MIB, fill: bytes = b"0") -> bytes:
    """``n_mib`` MiB of one repeated byte, deflated (about 1/1000 of that)."""
    c = zlib.compressobj(9)
    block = fill * (1 << 20)
    return b"".join(c.compress(block) for _ in range(n_mib)) + c.flush()


# --------------------------------------------------------------------------- cases

XMP_EXT_SIG = b"http://ns.adobe.com/xmp/extension/\x00"
GUID = b"0123456789ABCDEF0123456789ABCDEF"

FILE_CASES: dict[str, tuple[str, Callable[[], bytes]]] = {
    # JPEG: IRB resource claiming 4 GB, IIM extended dataset claiming 4 GB, extended XMP of 4 GB
    "jpeg-irb-4GB": ("jpeg", lambda: insert_app13(
        bare_jpeg(), b"8BIM\x04\x04\x00\x00" + u32(0xFFFFFFFF) + b"\x1c\x02\x78")),
    "jpeg-iim-extended-4GB": ("jpeg", lambda: insert_app13(
        bare_jpeg(), irb_resource(0x0404, b"\x1c\x02\x78\x80\x04" + u32(0xFFFFFFFF) + b"abc"))),
    "jpeg-iim-extended-len-of-len-huge": ("jpeg", lambda: insert_app13(
        bare_jpeg(), irb_resource(0x0404, b"\x1c\x02\x78\xff\xff" + b"\xff" * 16))),
    "jpeg-extended-xmp-4GB": ("jpeg", lambda: jpeg_with(
        jpeg_segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + xmp_packet(
            extra=f'<xmpNote:HasExtendedXMP xmlns:xmpNote="http://ns.adobe.com/xmp/note/">'
                  f'{GUID.decode()}</xmpNote:HasExtendedXMP>')),
        jpeg_segment(0xE1, XMP_EXT_SIG + GUID + u32(0xFFFFFFFF) + u32(0xFFFFFF00) + b"<x/>"))),
    "jpeg-segment-length-past-eof": ("jpeg", lambda: bare_jpeg()[:2] + b"\xff\xe1\xff\xffExif\x00\x00MM"),
    "jpeg-segment-length-zero": ("jpeg", lambda: bare_jpeg()[:2] + b"\xff\xe1\x00\x00" + bare_jpeg()[2:]),
    "jpeg-exif-ifd-loop": ("jpeg", lambda: jpeg_with(jpeg_segment(
        0xE1, b"Exif\x00\x00" + tiff_ifd([(270, 2, 4, b"abc\x00")], next_ifd=8)))),
    "jpeg-exif-count-4GB": ("jpeg", lambda: jpeg_with(jpeg_segment(
        0xE1, b"Exif\x00\x00" + tiff_ifd([(270, 2, 0xFFFFFFFF, u32(8))])))),
    # PNG: chunks claiming 2 GB and 4 GB
    "png-itxt-2GB": ("png", lambda: png_with(png_chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00<x",
                                                       length=0x7FFFFFFF))),
    "png-chunk-4GB": ("png", lambda: png_with(png_chunk(b"eXIf", b"MM\x00*", length=0xFFFFFFFF))),
    "png-ztxt-bomb": ("png", lambda: png_with(png_chunk(
        b"zTXt", b"Raw profile type iptc\x00\x00" + zlib_bomb()))),
    "png-itxt-compressed-bomb": ("png", lambda: png_with(png_chunk(
        b"iTXt", b"XML:com.adobe.xmp\x00\x01\x00\x00\x00" + zlib_bomb(fill=b" ")))),
    # WebP: RIFF and chunk sizes claiming 4 GB
    "webp-riff-4GB": ("webp", lambda: webp_with(b"XMP " + struct.pack("<I", 4) + b"<x/>",
                                                riff_size=0xFFFFFFF0)),
    "webp-chunk-4GB": ("webp", lambda: webp_with(b"XMP " + struct.pack("<I", 0xFFFFFFF0) + b"<x/>")),
    "webp-exif-chunk-odd-size": ("webp", lambda: webp_with(b"EXIF" + struct.pack("<I", 0xFFFFFFFF))),
    # TIFF: XMP/IIM tags claiming gigabytes, IFD loops, IFD pointer past the end
    "tiff-xmp-4GB": ("tiff", lambda: tiff_ifd([(700, 1, 0xFFFFFFFF, u32(8))])),
    "tiff-iim-long-16GB": ("tiff", lambda: tiff_ifd([(33723, 4, 0xFFFFFFFF, u32(8))])),
    "tiff-ifd-self-loop": ("tiff", lambda: tiff_ifd([(270, 2, 4, b"abc\x00")], next_ifd=8)),
    "tiff-ifd-count-65535": ("tiff", lambda: b"MM\x00*" + u32(8) + b"\xff\xff" + b"\x00" * 64),
    "tiff-ifd-past-eof": ("tiff", lambda: b"MM\x00*" + u32(0xFFFFFFF0)),
    "tiff-exif-subifd-loop": ("tiff", lambda: tiff_ifd([(0x8769, 4, 1, u32(8))])),
}

PAYLOAD_CASES: dict[str, tuple[str, Callable[[], bytes]]] = {
    "iim-extended-4GB": ("iim", lambda: b"\x1c\x02\x78\x80\x04" + u32(0xFFFFFFFF) + b"abc"),
    "iim-extended-len-of-len-32k": ("iim", lambda: b"\x1c\x02\x78\xff\xff" + b"\x00" * 8),
    "iim-short-len-past-end": ("iim", lambda: iim_dataset(2, 120, b"x" * 10)[:-5]),
    "iim-many-tiny-datasets": ("iim", lambda: iim_dataset(2, 25, b"k") * 50_000),
    "irb-size-4GB": ("irb", lambda: b"8BIM\x04\x04\x00\x00" + u32(0xFFFFFFFF) + b"abc"),
    "irb-name-past-end": ("irb", lambda: b"8BIM\x04\x04\xff"),
    "exif-ifd-self-loop": ("exif", lambda: tiff_ifd([(270, 2, 4, b"abc\x00")], next_ifd=8)),
    "exif-ifd-two-cycle": ("exif", lambda: tiff_ifd([(270, 2, 4, b"abc\x00")], next_ifd=26,
                                                    tail=struct.pack(">H", 0) + u32(8))),
    "exif-subifd-points-to-ifd0": ("exif", lambda: tiff_ifd([(0x8769, 4, 1, u32(8))])),
    "exif-count-4GB": ("exif", lambda: tiff_ifd([(270, 2, 0xFFFFFFFF, u32(8))])),
    "exif-rational-count-huge": ("exif", lambda: tiff_ifd([(282, 5, 0x20000000, u32(8))])),
    "exif-entry-count-65535": ("exif", lambda: b"II*\x00" + struct.pack("<I", 8) + b"\xff\xff"),
    "exif-little-endian-offset-past-end": ("exif", lambda: exif_tiff()[:4] + b"\xff\xff\xff\x7f"),
}

PAYLOAD_READERS = {"iim": ("metadata.iim", "decode"), "irb": ("metadata.irb", "decode"),
                   "exif": ("metadata.exif", "read_fields")}


def limit_for(case: str) -> int:
    return BOMB_PEAK_LIMIT if "bomb" in case else PEAK_LIMIT


def run_bounded(what: str, call: Callable[[], Any], limit: int = PEAK_LIMIT) -> None:
    """Call under a time guard and an allocation cap; only CaptionsError may escape."""
    tracemalloc.start()
    try:
        with time_guard(CALL_SECONDS, what):
            call()
    except CaptionsError:
        pass
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert peak < limit, f"{what}: allocated {peak:,} bytes for a tiny input"


@pytest.mark.parametrize("case", list(FILE_CASES))
def test_container_reader_bounded(case: str) -> None:
    fmt, build = FILE_CASES[case]
    mod = optional_module(f"metadata.containers.{fmt}")
    if mod is None:
        pytest.skip(f"captions.metadata.containers.{fmt} does not exist yet")
    data = build()
    run_bounded(f"{fmt}.read[{case}]", lambda: mod.read(io.BytesIO(data)), limit_for(case))


@pytest.mark.parametrize("case", list(FILE_CASES))
def test_read_metadata_bounded(case: str, tmp_path: Path) -> None:
    read_metadata = public_api("read_metadata")
    if read_metadata is None:
        pytest.skip("captions.read_metadata does not exist yet")
    fmt, build = FILE_CASES[case]
    path = tmp_path / f"case.{fmt}"
    path.write_bytes(build())
    run_bounded(f"read_metadata[{case}]", lambda: read_metadata(path),
                limit_for(case))


@pytest.mark.parametrize("case", list(PAYLOAD_CASES))
def test_payload_decoder_bounded(case: str) -> None:
    kind, build = PAYLOAD_CASES[case]
    modname, attr = PAYLOAD_READERS[kind]
    mod = optional_module(modname)
    fn = getattr(mod, attr, None) if mod is not None else None
    if fn is None:
        pytest.skip(f"captions.{modname}.{attr} does not exist yet")
    data = build()
    run_bounded(f"{kind}[{case}]", lambda: fn(data))
