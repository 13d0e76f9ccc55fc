"""WebP container (``captions.metadata.containers.webp``).

Pillow (libwebp) makes the three shapes a WebP can have: simple lossy (``VP8 ``), simple
lossless (``VP8L``, with or without alpha) and extended (``VP8X`` + ``ALPH`` + ``VP8 ``);
:func:`split`/:func:`join` add or rename chunks by hand.
"""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pytest
from PIL import Image

from captions.errors import CodecError
from captions.metadata import exif
from captions.metadata.containers import Payloads
from captions.metadata.containers import webp as container

from .test_exif import CAPTION, EXIFTOOL, SHARED, broken_files, exiftool_many
from .test_tiff import XMP, _oracle, assert_shared_writes_lossless

EXIF = exif.update(None, {"description": CAPTION, "creators": ["Deniz Örnek"]})


def split(data: bytes) -> list[tuple[bytes, bytes]]:
    """(FourCC, data) of each chunk; checks the RIFF size and the padding on the way."""
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    assert struct.unpack("<I", data[4:8])[0] == len(data) - 8
    out, pos = [], 12
    while pos < len(data):
        fourcc, n = struct.unpack("<4sI", data[pos:pos + 8])
        out.append((fourcc, data[pos + 8:pos + 8 + n]))
        if n % 2:
            assert data[pos + 8 + n] == 0
        pos += 8 + n + n % 2
    assert pos == len(data)
    return out


def join(chunks: list[tuple[bytes, bytes]]) -> bytes:
    body = b"".join(f + struct.pack("<I", len(d)) + d + b"\0" * (len(d) % 2) for f, d in chunks)
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WEBP" + body


def make(mode: str = "RGB", lossless: bool = False, size: tuple[int, int] = (13, 7)) -> bytes:
    im = Image.new(mode, size)
    im.putdata([((x * 19) % 256, (y * 37) % 256, 90, 128 + x)[:len(mode)]
                for y in range(size[1]) for x in range(size[0])])
    buf = io.BytesIO()
    im.save(buf, "WEBP", lossless=lossless, quality=90)
    return buf.getvalue()


def read(data: bytes) -> Payloads:
    return container.read(io.BytesIO(data))


def write(data: bytes, update: Payloads) -> bytes:
    out = io.BytesIO()
    container.write(io.BytesIO(data), out, update)
    return out.getvalue()


def pixels(data: bytes | Path) -> bytes:
    with Image.open(io.BytesIO(data) if isinstance(data, bytes) else data) as im:
        return im.convert("RGBA").tobytes()


def vp8x(data: bytes) -> tuple[int, int, int]:
    """Flags, canvas width and height of the VP8X chunk."""
    fourcc, body = split(data)[0]
    assert fourcc == b"VP8X"
    return body[0], int.from_bytes(body[4:7], "little") + 1, int.from_bytes(body[7:10], "little") + 1


# -- simple files become extended ------------------------------------------------------------------

@pytest.mark.parametrize("mode,lossless,first,alpha", [
    ("RGB", False, b"VP8 ", False), ("RGBA", True, b"VP8L", True), ("RGB", True, b"VP8L", False),
])
def test_simple_file_gains_vp8x(mode: str, lossless: bool, first: bytes, alpha: bool) -> None:
    original = make(mode, lossless, size=(301, 77))
    assert [f for f, _ in split(original)] == [first]
    result = write(original, Payloads(exif=EXIF, xmp=XMP + b"x"))  # odd size: padded
    assert [f for f, _ in split(result)] == [b"VP8X", first, b"EXIF", b"XMP "]
    flags, w, h = vp8x(result)
    assert (w, h) == (301, 77)
    assert flags == container.FLAG_EXIF | container.FLAG_XMP | (container.FLAG_ALPHA if alpha else 0)
    assert split(result)[1] == split(original)[0]
    assert pixels(result) == pixels(original)
    p = read(result)
    assert (p.exif, p.xmp) == (EXIF, XMP + b"x")


def test_simple_file_stays_simple_without_metadata() -> None:
    original = make()
    assert write(original, Payloads(exif=b"", xmp=b"")) == original


# -- extended files --------------------------------------------------------------------------------

def test_extended_file_keeps_other_chunks_and_flags() -> None:
    original = make("RGBA", lossless=False)
    chunks = split(original)
    assert chunks[0][0] == b"VP8X" and b"ALPH" in [f for f, _ in chunks]
    chunks.insert(1, (b"ICCP", b"fake profile"))
    chunks.append((b"ZZZZ", b"unknown!!"))
    flags0 = bytes([chunks[0][1][0] | container.FLAG_ICC]) + chunks[0][1][1:]
    original = join([(b"VP8X", flags0)] + chunks[1:])
    result = write(original, Payloads(xmp=XMP))
    out = split(result)
    assert [f for f, _ in out] == [b"VP8X", b"ICCP", b"ALPH", b"VP8 ", b"XMP ", b"ZZZZ"]
    assert [c for c in out if c[0] != b"VP8X" and c[0] != b"XMP "] == chunks[1:]
    flags, *_ = vp8x(result)
    assert flags == flags0[0] | container.FLAG_XMP
    result2 = write(result, Payloads(exif=EXIF))
    assert [f for f, _ in split(result2)] == [b"VP8X", b"ICCP", b"ALPH", b"VP8 ", b"EXIF", b"XMP ", b"ZZZZ"]
    gone = write(result2, Payloads(exif=b"", xmp=b""))
    assert vp8x(gone)[0] == flags0[0] and [c for c in split(gone)] == [(b"VP8X", flags0)] + chunks[1:]
    assert pixels(gone) == pixels(original)


def test_quirky_chunks_are_read_and_fixed_on_write() -> None:
    chunks = split(make("RGBA", lossless=False))
    quirky = join(chunks + [(b"EXIF", b"Exif\0\0" + EXIF), (b"XMP\0", XMP)])
    p = read(quirky)
    assert p.exif == EXIF and p.xmp == XMP and len(p.warnings) >= 3  # prefix, name, flags
    fixed = write(quirky, Payloads(exif=EXIF, xmp=XMP))
    assert [f for f, _ in split(fixed)][-2:] == [b"EXIF", b"XMP "]
    assert vp8x(fixed)[0] & (container.FLAG_EXIF | container.FLAG_XMP) == 0x0C
    assert read(fixed).warnings == ()


def test_in_place_replacement_and_single_copy() -> None:
    base = split(make("RGBA", lossless=False))
    original = join(base + [(b"EXIF", b"MM\0*old"), (b"XMP ", b"<old/>"), (b"EXIF", b"II*\0dup")])
    result = split(write(original, Payloads(exif=EXIF, xmp=XMP)))
    assert [f for f, _ in result].count(b"EXIF") == 1
    assert result[-2:] == [(b"EXIF", EXIF), (b"XMP ", XMP)]


def test_animated_file_gets_metadata_after_its_frames() -> None:
    from PIL import ImageSequence

    frames = [Image.new("RGB", (16, 9), (i * 60, 20, 200 - i * 50)) for i in range(3)]
    buf = io.BytesIO()
    frames[0].save(buf, "WEBP", save_all=True, append_images=frames[1:], duration=80)
    original = buf.getvalue()
    result = write(original, Payloads(exif=EXIF, xmp=XMP))
    assert [f for f, _ in split(result)] == [b"VP8X", b"ANIM", b"ANMF", b"ANMF", b"ANMF", b"EXIF", b"XMP "]
    assert vp8x(result)[0] == vp8x(original)[0] | container.FLAG_EXIF | container.FLAG_XMP

    def decoded(data: bytes) -> list[bytes]:
        with Image.open(io.BytesIO(data)) as im:
            return [f.convert("RGBA").tobytes() for f in ImageSequence.Iterator(im)]

    assert decoded(result) == decoded(original)


# -- damaged input ---------------------------------------------------------------------------------

def test_truncated_and_corrupt_files_raise_only_codec_errors() -> None:
    data = write(make("RGB", lossless=True), Payloads(exif=EXIF, xmp=XMP))
    for n in range(len(data)):
        for op in (read, lambda d: write(d, Payloads(xmp=b"<x/>"))):
            try:
                op(data[:n])
            except CodecError:
                pass
    for i in range(len(data)):
        bad = bytearray(data)
        bad[i] ^= 0xA5
        for op in (read, lambda d: write(d, Payloads(exif=EXIF))):
            try:
                op(bytes(bad))
            except CodecError:
                pass
    # a VP8 chunk whose bitstream header is damaged cannot give a canvas size
    simple = split(make())
    broken = join([(b"VP8 ", b"\0" * 10)])
    with pytest.raises(CodecError):
        write(broken, Payloads(exif=EXIF))
    assert simple


# -- the shared real files -------------------------------------------------------------------------

def _shared_webps() -> list[Path]:
    if not SHARED.is_dir():
        return []
    return sorted(p for p in (SHARED / "files").iterdir() if p.suffix.lower() == ".webp")


#: ExifTool (and exiv2) ignore an XMP chunk named "XMP\0"; we read it (with a warning)
ORACLE_GAPS = {"metadata-extractor-images__Issue 473 (Java).webp"}


@pytest.mark.shared
def test_shared_webps_read_like_exiftool() -> None:
    files = _shared_webps()
    if not files:
        pytest.skip("../shared/images is not there")
    broken = broken_files()
    for path in files:
        if path.name in broken:
            with pytest.raises(CodecError), path.open("rb") as fp:
                container.read(fp)
            continue
        oracle = _oracle(path)
        with path.open("rb") as fp:
            p = container.read(fp)
        fields = exif.read_fields(p.exif)[0] if p.exif else {}
        assert fields.get("description") == (str(oracle.get("IFD0:ImageDescription", "")).strip() or None)
        artist = oracle.get("IFD0:Artist")
        assert fields.get("creators") == (exif.split_artist(str(artist)) if artist else None)
        assert (p.exif is not None) == any(k.startswith(("IFD0:", "ExifIFD:")) for k in oracle)
        has_xmp = any(k.startswith("XMP-") for k in oracle)
        assert (p.xmp is not None) == (has_xmp or path.name in ORACLE_GAPS), path.name


@pytest.mark.shared
@pytest.mark.interop
def test_shared_webp_writes_are_lossless(tmp_path: Path) -> None:
    assert_shared_writes_lossless(_shared_webps(), container, tmp_path, at_least=5)


@pytest.mark.interop
def test_exiftool_validates_our_conversion(tmp_path: Path) -> None:
    if not EXIFTOOL:
        pytest.skip("exiftool is not installed")
    path = tmp_path / "converted.webp"
    path.write_bytes(write(make("RGBA", lossless=True), Payloads(exif=EXIF, xmp=XMP)))
    import subprocess

    out = subprocess.run([EXIFTOOL, "-validate", "-warning", "-a", "-s3", str(path)],
                         capture_output=True, text=True).stdout
    assert out.strip() in ("", "OK"), out
    tags = exiftool_many([path])[path.name]
    assert tags["IFD0:ImageDescription"] == CAPTION
