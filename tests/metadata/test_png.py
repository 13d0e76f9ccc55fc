"""PNG container (``captions.metadata.containers.png``).

Synthetic files: Pillow makes a small image, then :func:`split`/:func:`join` move and add
chunks by hand so each test controls which chunk sits where (before/after IDAT) and how it is
encoded (iTXt, zTXt, tEXt, hex or raw profiles).
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from captions.errors import CodecError
from captions.metadata import exif
from captions.metadata.containers import Payloads, detect
from captions.metadata.containers import png as container

from ._reading import CountingReader
from .test_exif import CAPTION, SHARED
from .test_tiff import XMP, IIM, _oracle, assert_shared_writes_lossless

EXIF = exif.update(None, {"description": CAPTION, "creators": ["Deniz Örnek"]})


def split(data: bytes) -> list[tuple[bytes, bytes]]:
    """(type, data) of every chunk; checks each CRC on the way."""
    assert data[:8] == container.SIGNATURE
    out, pos = [], 8
    while pos < len(data):
        n, ctype = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        crc = struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])[0]
        assert zlib.crc32(ctype + body) == crc, ctype
        out.append((ctype, body))
        pos += 12 + n
    return out


def join(chunks: list[tuple[bytes, bytes]]) -> bytes:
    return container.SIGNATURE + b"".join(
        struct.pack(">I", len(b)) + t + b + struct.pack(">I", zlib.crc32(t + b)) for t, b in chunks)


def base_png(mode: str = "RGB") -> list[tuple[bytes, bytes]]:
    buf = io.BytesIO()
    im = Image.new(mode, (7, 5))
    im.putdata([(x * 30 % 256, y * 50 % 256, 99, 200)[:len(mode)] for y in range(5) for x in range(7)])
    im.save(buf, "PNG")
    return split(buf.getvalue())


def with_chunks(before: list[tuple[bytes, bytes]] = (), after: list[tuple[bytes, bytes]] = ()) -> bytes:  # type: ignore[assignment]
    chunks = base_png()
    i = next(k for k, (t, _) in enumerate(chunks) if t == b"IDAT")
    return join(chunks[:i] + list(before) + chunks[i:-1] + list(after) + chunks[-1:])


def itxt(key: bytes, text: bytes, compressed: bool = False) -> tuple[bytes, bytes]:
    body = zlib.compress(text) if compressed else text
    return b"iTXt", key + b"\0" + (b"\1\0" if compressed else b"\0\0") + b"\0\0" + body


def ztxt(key: bytes, text: bytes) -> tuple[bytes, bytes]:
    return b"zTXt", key + b"\0\0" + zlib.compress(text)


def hex_profile(data: bytes, name: str = "iptc") -> bytes:
    h = data.hex()
    return f"\n{name}\n{len(data):8d}\n".encode() + b"\n".join(
        h[i:i + 72].encode() for i in range(0, len(h), 72)) + b"\n"


def irb(rid: int, payload: bytes) -> bytes:
    return b"8BIM" + struct.pack(">HHI", rid, 0, len(payload)) + payload + b"\0" * (len(payload) % 2)


def read(data: bytes) -> Payloads:
    return container.read(io.BytesIO(data))


def write(data: bytes, update: Payloads) -> bytes:
    out = io.BytesIO()
    container.write(io.BytesIO(data), out, update)
    return out.getvalue()


def pixels(data: bytes | Path) -> bytes:
    with Image.open(io.BytesIO(data) if isinstance(data, bytes) else data) as im:
        return im.convert("RGBA").tobytes()


def others(data: bytes) -> list[tuple[bytes, bytes]]:
    """The chunks that are not our payloads."""
    keys = (container.XMP_KEYWORD, b"Raw profile type iptc", b"Raw profile type exif")
    return [(t, b) for t, b in split(data) if t != b"eXIf"
            and not (t in (b"iTXt", b"zTXt", b"tEXt") and b.split(b"\0")[0] in keys)]


# -- reading ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("chunk", [
    itxt(container.XMP_KEYWORD, XMP), itxt(container.XMP_KEYWORD, XMP, compressed=True),
    ztxt(container.XMP_KEYWORD, XMP), (b"tEXt", container.XMP_KEYWORD + b"\0" + XMP),
])
def test_xmp_in_any_text_chunk(chunk: tuple[bytes, bytes]) -> None:
    data = with_chunks(after=[chunk])
    assert detect(io.BytesIO(data)) is container
    p = read(data)
    assert p.xmp == XMP
    assert bool(p.warnings) == (chunk[0] != b"iTXt")


@pytest.mark.parametrize("profile", [
    hex_profile(IIM),                                                        # ImageMagick, bare
    hex_profile(irb(0x03ED, b"res!") + irb(0x0404, IIM), "8BIM"),            # ExifTool, wrapped
    IIM,                                                                     # Photo Mechanic, raw
])
def test_iim_from_raw_profiles(profile: bytes) -> None:
    for chunk in (ztxt(b"Raw profile type iptc", profile),
                  (b"tEXt", b"Raw profile type iptc\0" + profile)):
        assert read(with_chunks(before=[chunk])).iim == IIM


def test_iim_from_8bim_profile_and_exif_sources() -> None:
    data = with_chunks(before=[ztxt(b"Raw profile type 8bim", hex_profile(irb(0x0404, IIM), "8bim"))])
    assert read(data).iim == IIM
    raw = with_chunks(before=[ztxt(b"Raw profile type exif", hex_profile(b"Exif\0\0" + EXIF, "exif"))])
    assert read(raw).exif == EXIF
    both = with_chunks(before=[(b"eXIf", EXIF)],
                       after=[ztxt(b"Raw profile type exif", hex_profile(b"Exif\0\0" + b"MM\0*junk"))])
    p = read(both)
    assert p.exif == EXIF and p.warnings
    prefixed = read(with_chunks(after=[(b"eXIf", b"Exif\0\0" + EXIF)]))
    assert prefixed.exif == EXIF and prefixed.warnings


# -- writing ---------------------------------------------------------------------------------------

def test_xmp_exif_iim_added_before_idat_everything_else_kept() -> None:
    original = with_chunks(before=[(b"tEXt", b"Comment\0keep me")], after=[(b"tIME", b"\x07\xe8\1\2\3\4\5")])
    result = write(original, Payloads(xmp=XMP, exif=EXIF, iim=IIM))
    chunks = split(result)
    types = [t for t, _ in chunks]
    first_idat = types.index(b"IDAT")
    assert types.index(b"iTXt") < first_idat and types.index(b"eXIf") < first_idat
    assert types.index(b"zTXt") < first_idat
    assert others(result) == others(original)
    assert pixels(result) == pixels(original)
    p = read(result)
    assert (p.xmp, p.exif, p.iim) == (XMP, EXIF, IIM)
    # the new IIM is what ExifTool writes: zTXt, hex, inside an 8BIM 0x0404 resource
    body = dict(chunks)[b"zTXt"]
    text = zlib.decompress(body.split(b"\0", 1)[1][1:])
    assert bytes.fromhex("".join(text.decode().split()[3:]))[:6] == b"8BIM\x04\x04"


def test_payloads_after_idat_move_before_it_and_in_place_when_before() -> None:
    late = with_chunks(after=[itxt(container.XMP_KEYWORD, b"<old/>"), (b"eXIf", b"MM\0*old")])
    result = write(late, Payloads(xmp=XMP, exif=EXIF))
    types = [t for t, _ in split(result)]
    assert types.count(b"iTXt") == 1 and types.count(b"eXIf") == 1
    assert types.index(b"iTXt") < types.index(b"IDAT") and types.index(b"eXIf") < types.index(b"IDAT")
    early = with_chunks(before=[(b"tEXt", b"A\0a"), itxt(container.XMP_KEYWORD, b"<old/>"), (b"tEXt", b"B\0b")])
    in_place = split(write(early, Payloads(xmp=XMP)))
    keys = [b.split(b"\0")[0] for t, b in in_place if t in (b"tEXt", b"iTXt")]
    assert keys == [b"A", container.XMP_KEYWORD, b"B"]


def test_iim_keeps_the_shape_it_had() -> None:
    wrapped = with_chunks(before=[(b"tEXt", b"Raw profile type iptc\0" + hex_profile(irb(0x03ED, b"res!") + irb(0x0404, b"\x1c\x02\x78\x00\x01x")))])
    result = write(wrapped, Payloads(iim=IIM))
    (t, body), = [(t, b) for t, b in split(result) if b.startswith(b"Raw profile")]
    assert t == b"tEXt"
    raw = container._unhex_profile(body.split(b"\0", 1)[1], "test")
    assert raw == irb(0x03ED, b"res!") + irb(0x0404, IIM)
    bare = with_chunks(after=[ztxt(b"Raw profile type iptc", b"\x1c\x02\x78\x00\x01x")])  # raw binary
    result = write(bare, Payloads(iim=IIM))
    assert read(result).iim == IIM
    assert b"1c015a" in zlib.decompress([b for t, b in split(result) if t == b"zTXt"][0].split(b"\0", 1)[1][1:])
    assert read(write(result, Payloads(iim=b""))).iim is None


def test_raw_exif_profile_is_replaced_by_exif_chunk_and_removal_works() -> None:
    original = with_chunks(before=[ztxt(b"Raw profile type exif", hex_profile(b"Exif\0\0" + EXIF, "exif")),
                                   itxt(container.XMP_KEYWORD, XMP)])
    new = exif.update(read(original).exif, {"description": "new"})
    result = write(original, Payloads(exif=new))
    assert [t for t, _ in split(result)].count(b"zTXt") == 0
    assert exif.read_fields(read(result).exif or b"")[0]["description"] == "new"
    gone = read(write(result, Payloads(exif=b"", xmp=b"")))
    assert gone.exif is None and gone.xmp is None


def test_unchanged_chunks_are_byte_identical() -> None:
    original = with_chunks(after=[(b"zzZz", b"private")])
    assert write(original, Payloads()) == original


def test_read_skips_the_image_data() -> None:
    import os

    buf = io.BytesIO()
    Image.frombytes("RGB", (500, 400), os.urandom(500 * 400 * 3)).save(buf, "PNG")
    chunks = split(buf.getvalue())
    data = join(chunks[:-1] + [itxt(container.XMP_KEYWORD, XMP)] + chunks[-1:])

    fp = CountingReader(data)
    assert container.read(fp).xmp == XMP
    assert len(data) > 500_000 and fp.taken < 2_000


# -- damaged input ---------------------------------------------------------------------------------

def test_truncated_and_corrupt_files_raise_only_codec_errors() -> None:
    data = with_chunks(before=[itxt(container.XMP_KEYWORD, XMP, compressed=True),
                               ztxt(b"Raw profile type iptc", hex_profile(IIM))],
                       after=[(b"eXIf", EXIF)])
    for n in range(len(data)):
        for op in (read, lambda d: write(d, Payloads(xmp=b"<x/>"))):
            try:
                op(data[:n])
            except CodecError:
                pass
    for i in range(8, len(data), 3):
        bad = bytearray(data)
        bad[i] ^= 0x5A
        try:
            read(bytes(bad))
        except CodecError:
            pass
    with pytest.raises(CodecError):
        read(container.SIGNATURE + struct.pack(">I", 0x7FFFFFF0) + b"IHDR")


def test_bad_crc_is_a_warning_and_inflate_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    data = bytearray(with_chunks(before=[itxt(container.XMP_KEYWORD, XMP)]))
    pos = data.find(b"iTXt")
    n = struct.unpack(">I", data[pos - 4:pos])[0]
    data[pos + 4 + n] ^= 1
    p = read(bytes(data))
    assert p.xmp == XMP and any("CRC" in w for w in p.warnings)
    monkeypatch.setattr(container, "MAX_INFLATE", 1000)
    bomb = with_chunks(before=[itxt(container.XMP_KEYWORD, b" " * 100_000, compressed=True),
                               (b"eXIf", EXIF)])
    p = read(bomb)
    assert p.xmp is None and p.exif == EXIF and any("inflates" in w for w in p.warnings)
    # the unreadable packet is replaced, not kept beside the new one
    assert [t for t, _ in split(write(bomb, Payloads(xmp=XMP)))].count(b"iTXt") == 1


def test_damaged_raw_profile_is_a_warning_and_is_replaced() -> None:
    data = with_chunks(before=[ztxt(b"Raw profile type iptc", b"\niptc\n  999\nzz"),
                               itxt(container.XMP_KEYWORD, XMP)])
    p = read(data)
    assert p.iim is None and p.xmp == XMP and p.warnings
    fixed = write(data, Payloads(iim=IIM))
    assert read(fixed).iim == IIM and read(fixed).warnings == ()


# -- the shared real files -------------------------------------------------------------------------

def _shared_pngs() -> list[Path]:
    if not SHARED.is_dir():
        return []
    return sorted(p for p in (SHARED / "files").iterdir() if p.suffix.lower() == ".png")


#: where ExifTool's reading is not the one to follow (documented in docs/notes/tiff-png-webp.md)
ORACLE_GAPS = {"frameright-php__metapm.png": "iim"}  # unencoded IIM profile ExifTool leaves undecoded


@pytest.mark.shared
def test_shared_pngs_read_like_exiftool() -> None:
    files = _shared_pngs()
    if not files:
        pytest.skip("../shared/images is not there")
    for path in files:
        oracle = _oracle(path)
        with path.open("rb") as fp:
            p = container.read(fp)
        fields = exif.read_fields(p.exif)[0] if p.exif else {}
        want = str(oracle.get("IFD0:ImageDescription", "")).strip() or None
        assert fields.get("description") == want, path.name
        assert (p.exif is not None) == any(k.startswith(("IFD0:", "ExifIFD:")) for k in oracle), path.name
        assert (p.xmp is not None) == any(k.startswith("XMP-") for k in oracle), path.name
        has_iim = any(k.startswith("IPTC:") for k in oracle)
        if ORACLE_GAPS.get(path.name) == "iim":
            assert p.iim is not None and not has_iim
        else:
            assert (p.iim is not None) == has_iim, path.name


@pytest.mark.shared
@pytest.mark.interop
def test_shared_png_writes_are_lossless(tmp_path: Path) -> None:
    assert_shared_writes_lossless(_shared_pngs(), container, tmp_path, at_least=8)
