"""TIFF container (``captions.metadata.containers.tiff``).

Synthetic files come from :func:`make_tiff`, a small hand-written TIFF writer that controls
byte order, tag types (IPTC-NAA as LONG or UNDEFINED), page count and where the IFDs sit
(after the pixel data, as libtiff writes them).  The shared real files are checked against
ExifTool's oracle JSON on read, and with ExifTool/exiv2/Pillow before and after a write.
"""

from __future__ import annotations

import io
import struct
from pathlib import Path
from types import ModuleType

import pytest
from PIL import Image, ImageSequence

from captions.errors import CodecError, Unsupported
from captions.metadata import exif, tiffio
from captions.metadata.containers import Payloads, detect
from captions.metadata.containers import tiff as container
from captions.metadata.tiffio import Tiff

from ._reading import CountingReader
from .test_exif import ARABIC, CAPTION, CJK, EXIFTOOL, EXIV2, SHARED, broken_files, exiftool_many

XMP = (b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
       b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
       b'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:format>image/tiff</dc:format>'
       b'</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>')
IIM = b"\x1c\x01\x5a\x00\x03\x1b%G\x1c\x02\x78\x00\x0bHello there"
IRB = b"8BIM\x03\xed\x00\x00\x00\x00\x00\x10" + bytes(range(16))


def _field(order: str, data: bytes, place: list[bytes], pos: list[int]) -> bytes:
    """The 4-byte value field: ``data`` inline, or an offset to it appended to ``place``."""
    if len(data) <= 4:
        return data.ljust(4, b"\0")
    if pos[0] % 2:
        place.append(b"\0")
        pos[0] += 1
    off = pos[0]
    place.append(data)
    pos[0] += len(data)
    return struct.pack(order + "I", off)


def make_tiff(order: str = "<", pages: int = 1, size: tuple[int, int] = (5, 3),
              tags: dict[int, tuple[int, bytes]] | None = None, exif_tags: dict[int, bytes] | None = None) -> bytes:
    """A valid uncompressed RGB TIFF; each page's pixels come before its IFD.

    ``tags`` adds IFD0 entries as tag -> (type, raw value bytes in file order);
    ``exif_tags`` adds an Exif IFD with ASCII values.
    """
    w, h = size
    p16 = lambda v: struct.pack(order + "H", v)  # noqa: E731
    p32 = lambda v: struct.pack(order + "I", v)  # noqa: E731
    out = bytearray((b"II*\0" if order == "<" else b"MM\0*") + b"\0\0\0\0")
    prev_link = 4
    for page in range(pages):
        pixels = bytes((x * 40 + page * 90 + y) % 256 for y in range(h) for x in range(w * 3))
        strip = len(out)
        out += pixels
        if len(out) % 2:
            out += b"\0"
        entries: dict[int, tuple[int, int, bytes]] = {
            256: (3, 1, p16(w)), 257: (3, 1, p16(h)), 258: (3, 3, p16(8) * 3), 259: (3, 1, p16(1)),
            262: (3, 1, p16(2)), 273: (4, 1, p32(strip)), 277: (3, 1, p16(3)),
            278: (3, 1, p16(h)), 279: (4, 1, p32(len(pixels))),
        }
        if page == 0:
            for tag, (typ, data) in (tags or {}).items():
                entries[tag] = (typ, len(data) // tiffio.TYPE_SIZES[typ], data)
        n = len(entries) + (1 if page == 0 and exif_tags else 0)
        ifd_off = len(out)
        values_start = ifd_off + 2 + 12 * n + 4
        place: list[bytes] = []
        pos = [values_start]
        recs = {}
        for tag, (typ, count, data) in entries.items():
            recs[tag] = struct.pack(order + "HHI", tag, typ, count) + _field(order, data, place, pos)
        exif_blob = b""
        if page == 0 and exif_tags:
            if pos[0] % 2:
                place.append(b"\0")
                pos[0] += 1
            exif_off = pos[0]
            m = len(exif_tags)
            evals = exif_off + 2 + 12 * m + 4
            eplace: list[bytes] = []
            epos = [evals]
            erecs = b"".join(struct.pack(order + "HHI", tag, 2, len(v) + 1)
                             + _field(order, v + b"\0", eplace, epos)
                             for tag, v in sorted(exif_tags.items()))
            exif_blob = p16(m) + erecs + p32(0) + b"".join(eplace)
            place.append(exif_blob)
            pos[0] += len(exif_blob)
            recs[34665] = struct.pack(order + "HHI", 34665, 4, 1) + p32(exif_off)
        out[prev_link:prev_link + 4] = p32(ifd_off)
        out += p16(n) + b"".join(recs[t] for t in sorted(recs))
        prev_link = len(out)
        out += p32(0) + b"".join(place)
        if len(out) % 2:
            out += b"\0"
    return bytes(out)


def _ascii(text: str) -> tuple[int, bytes]:
    return tiffio.ASCII, text.encode("utf-8") + b"\0"


def _frames(data: bytes | Path) -> list[bytes]:
    """Decoded pixels of every frame (a file cut short, like kim's header-only samples, is
    decoded as far as it goes, the same way before and after)."""
    from PIL import ImageFile

    old = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = True
    try:
        with Image.open(io.BytesIO(data) if isinstance(data, bytes) else data) as im:
            return [frame.convert("RGBA").tobytes() for frame in ImageSequence.Iterator(im)]
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = old


def _read(data: bytes) -> Payloads:
    return container.read(io.BytesIO(data))


def _write(data: bytes, update: Payloads) -> bytes:
    out = io.BytesIO()
    container.write(io.BytesIO(data), out, update)
    return out.getvalue()


def _padded_long(data: bytes) -> tuple[int, bytes]:
    return tiffio.LONG, data + b"\0" * (-len(data) % 4)


# -- reading ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("order", ["<", ">"])
def test_read_every_payload_both_byte_orders(order: str) -> None:
    data = make_tiff(order, tags={270: _ascii(CAPTION), 315: _ascii("Deniz Örnek"),
                                  700: (tiffio.BYTE, XMP), 33723: _padded_long(IIM),
                                  34377: (tiffio.BYTE, IRB)},
                     exif_tags={36867: b"2023:05:04 10:11:12"})
    assert detect(io.BytesIO(data)) is container
    p = _read(data)
    assert p.xmp == XMP and p.irb == IRB and p.iim is not None and p.iim.rstrip(b"\0") == IIM
    assert p.exif is not None
    fields, warnings = exif.read_fields(p.exif)
    assert fields == {"description": CAPTION, "creators": ["Deniz Örnek"],
                      "date_created": "2023-05-04T10:11:12"}
    assert warnings == []


def test_read_touches_only_the_directory_and_tag_values() -> None:
    data = make_tiff(size=(600, 400), tags={270: _ascii("x")})

    fp = CountingReader(data)
    container.read(fp)
    assert len(data) > 700_000 and fp.taken < 1000


def test_no_payloads_reads_as_none() -> None:
    p = _read(make_tiff())
    assert (p.exif, p.xmp, p.iim, p.irb) == (None, None, None, None)


# -- writing ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("order", ["<", ">"])
def test_write_all_payloads_keeps_pixels_pages_and_bytes(order: str) -> None:
    original = make_tiff(order, pages=3, tags={270: _ascii("old caption"),
                                               33723: _padded_long(b"\x1c\x02\x78\x00\x01x")})
    new_exif = exif.update(_read(original).exif, {"description": CAPTION, "creators": ["A B", "C D"],
                                                  "copyright_notice": "© Wire",
                                                  "date_created": "2023-05-04T06:07:08"})
    result = _write(original, Payloads(exif=new_exif, xmp=XMP, iim=IIM, irb=IRB))
    assert result[8:len(original)] == original[8:]          # nothing moved
    assert _frames(result) == _frames(original)             # all three pages decode the same
    t_old, t_new = Tiff.from_bytes(original), Tiff.from_bytes(result)
    assert [i.entries for i in t_old.chain()[1:]] == [i.entries for i in t_new.chain()[1:]]
    p = _read(result)
    assert p.xmp == XMP and p.irb == IRB and p.iim == IIM + b"\0" * (-len(IIM) % 4)
    assert exif.read_fields(p.exif or b"")[0] == {
        "description": CAPTION, "creators": ["A B", "C D"], "copyright_notice": "© Wire",
        "date_created": "2023-05-04T06:07:08"}
    ifd0 = t_new.ifd0()
    assert [e.tag for e in ifd0.entries] == sorted(e.tag for e in ifd0.entries)
    types = {e.tag: e.type for e in ifd0.entries}
    assert types[33723] == tiffio.LONG and types[700] == tiffio.BYTE


def test_existing_iptc_undefined_type_is_kept() -> None:
    original = make_tiff(tags={33723: (tiffio.UNDEFINED, b"\x1c\x02\x78\x00\x01x")})
    result = _write(original, Payloads(iim=IIM))
    e = Tiff.from_bytes(result).ifd0().get(33723)
    assert e is not None and e.type == tiffio.UNDEFINED and _read(result).iim == IIM


def test_empty_payload_removes_the_tag_and_none_keeps_it() -> None:
    original = make_tiff(tags={700: (tiffio.BYTE, XMP), 34377: (tiffio.BYTE, IRB),
                               270: _ascii("caption")})
    result = _write(original, Payloads(xmp=b"", exif=exif.update(_read(original).exif, {"description": None})))
    p = _read(result)
    assert p.xmp is None and p.irb == IRB and p.exif is None
    assert _frames(result) == _frames(original)


def test_date_goes_into_an_existing_exif_ifd_without_touching_it() -> None:
    original = make_tiff(">", exif_tags={42016: b"ABC123"})
    new = exif.update(_read(original).exif, {"date_created": "2021-12-31T23:59:58"})
    result = _write(original, Payloads(exif=new))
    t = Tiff.from_bytes(result)
    sub = t.sub_ifd(t.ifd0(), tiffio.EXIF_IFD, "Exif")
    assert sub is not None and t.value(sub.get(42016)) == b"ABC123\0"  # type: ignore[arg-type]
    assert exif.read_fields(_read(result).exif or b"")[0]["date_created"] == "2021-12-31T23:59:58"
    # an existing DateTimeOriginal is never replaced
    again = _write(result, Payloads(exif=exif.update(None, {"date_created": "1999-01-01T00:00:01"})))
    assert exif.read_fields(_read(again).exif or b"")[0]["date_created"] == "2021-12-31T23:59:58"


def test_unchanged_write_is_a_plain_copy_and_edits_do_not_pile_up() -> None:
    original = make_tiff(tags={270: _ascii("same")})
    assert _write(original, _read(original)) == original
    data = original
    sizes = []
    for i in range(20):
        data = _write(data, Payloads(exif=exif.update(_read(data).exif, {"description": f"v{i}" * (i % 4 + 3)})))
        sizes.append(len(data))
    assert max(sizes) - min(sizes) < 40
    assert _frames(data) == _frames(original)


def test_bigtiff_is_unsupported() -> None:
    with pytest.raises(Unsupported):
        _read(b"II+\0\x08\0\0\0" + b"\0" * 16)


# -- damaged input ---------------------------------------------------------------------------------

def test_truncated_and_corrupt_files_raise_only_codec_errors() -> None:
    data = make_tiff(">", tags={270: _ascii("cut"), 700: (tiffio.BYTE, XMP)}, exif_tags={36867: b"2020:01:01 00:00:00"})
    for n in list(range(0, 64)) + list(range(len(data) - 400, len(data))):
        for op in (_read, lambda d: _write(d, Payloads(xmp=b"<x/>"))):
            try:
                op(data[:n])
            except CodecError:
                pass
    # flip each byte of the header and IFD0 region
    ifd0 = Tiff.from_bytes(data).ifd0()
    for i in list(range(8)) + list(range(ifd0.offset, ifd0.span[1])):
        bad = bytearray(data)
        bad[i] ^= 0xFF
        for op in (_read, lambda d: _write(d, Payloads(iim=IIM))):
            try:
                op(bytes(bad))
            except CodecError:
                pass


def test_one_damaged_tag_does_not_hide_the_others() -> None:
    data = bytearray(make_tiff(">", tags={700: (tiffio.BYTE, XMP), 270: _ascii("still here")}))
    t = Tiff.from_bytes(bytes(data))
    ifd0 = t.ifd0()
    i = [e.tag for e in ifd0.entries].index(700)
    pos = ifd0.offset + 2 + 12 * i + 8
    data[pos:pos + 4] = struct.pack(">I", len(data) - 10)  # XMP value runs past the end
    p = _read(bytes(data))
    assert p.xmp is None and any("700" in w for w in p.warnings)
    assert exif.read_fields(p.exif or b"")[0] == {"description": "still here"}
    assert _read(_write(bytes(data), Payloads(xmp=XMP))).xmp == XMP


def test_ifd_loops_are_detected() -> None:
    data = bytearray(make_tiff(pages=2, tags={270: _ascii("loop")}))
    t = Tiff.from_bytes(bytes(data))
    ifd1 = t.chain()[1]
    data[ifd1.span[1] - 4:ifd1.span[1]] = struct.pack("<I", t.ifd0_offset)
    looped = Tiff.from_bytes(bytes(data))
    assert len(looped.chain()) == 2 and any("loop" in w for w in looped.warnings)
    result = _write(bytes(data), Payloads(xmp=XMP))
    assert _read(result).xmp == XMP


# -- the shared real files -------------------------------------------------------------------------

def _shared_tiffs() -> list[Path]:
    if not SHARED.is_dir():
        return []
    out = []
    for p in sorted((SHARED / "files").iterdir()):
        with p.open("rb") as fp:
            if container.matches(fp.read(16)):
                out.append(p)
    return out


def _oracle(path: Path) -> dict[str, object]:
    import json

    return json.loads((SHARED / "oracle" / f"{path.name}.exiftool.json").read_text())[0]


@pytest.mark.shared
def test_shared_tiffs_read_like_exiftool() -> None:
    files = _shared_tiffs()
    if not files:
        pytest.skip("../shared/images is not there")
    broken = broken_files()
    agree = 0
    for path in files:
        if path.name in broken:
            with pytest.raises(CodecError), path.open("rb") as fp:
                container.read(fp)
            continue
        oracle = _oracle(path)
        with path.open("rb") as fp:
            p = container.read(fp)
        fields = exif.read_fields(p.exif)[0] if p.exif else {}
        for name, key in (("description", "IFD0:ImageDescription"), ("copyright_notice", "IFD0:Copyright")):
            assert fields.get(name) == (str(oracle[key]).strip() if key in oracle else None), (path.name, key)
        artist = oracle.get("IFD0:Artist")
        assert fields.get("creators") == (exif.split_artist(str(artist)) if artist else None)
        assert (p.xmp is not None) == any(k.startswith("XMP-") for k in oracle), path.name
        assert (p.iim is not None) == any(k.startswith("IPTC:") for k in oracle), path.name
        assert (p.irb is not None) == any(k.startswith("Photoshop:") for k in oracle), path.name
        try:
            from captions.metadata import iim
        except ImportError:
            pass
        else:
            if p.iim is not None and oracle.get("IPTC:CodedCharacterSet") == "UTF8":
                got = iim.read_fields(p.iim)[0]
                assert got.get("description") == oracle.get("IPTC:Caption-Abstract"), path.name
        agree += 1
    assert agree >= 4


#: the tags a caption write may change (ExifTool names); everything else must stay as it was
OWNED_TAGS = {
    "IFD0:ImageDescription", "IFD0:Artist", "IFD0:Copyright", "ExifIFD:DateTimeOriginal",
    "IPTC:Caption-Abstract", "IPTC:By-line", "IPTC:CopyrightNotice", "IPTC:CodedCharacterSet",
    "IPTC:ApplicationRecordVersion", "IPTC:EnvelopeRecordVersion",
    "XMP-dc:Description", "XMP-dc:Creator", "XMP-dc:Rights",
    "Photoshop:IPTCDigest",
}
VALUES = {"description": f"{ARABIC} — {CJK} — Café Ñúñez", "creators": ["Zoë Ñúñez", "李明"],
          "copyright_notice": "© 2024 Example Wire"}


def new_payloads(p: Payloads, fmt_holds: frozenset[str]) -> Payloads:
    """Every payload of ``p`` updated with VALUES through our codecs (those that exist yet)."""
    new_exif = exif.update(p.exif, VALUES) if "exif" in fmt_holds else None
    new_xmp = new_iim = new_irb = None
    try:
        from captions.metadata import xmp
    except ImportError:
        xmp = None  # type: ignore[assignment]
    if xmp is not None and "xmp" in fmt_holds:
        new_xmp = xmp.update(p.xmp, VALUES)
    try:
        from captions.metadata import iim, irb
    except ImportError:
        iim = irb = None  # type: ignore[assignment]
    if iim is not None and "iim" in fmt_holds and (p.iim is not None or "irb" not in fmt_holds):
        datasets, _ = iim.decode_lenient(p.iim.rstrip(b"\0")) if p.iim else ([], [])
        new_iim = iim.encode(iim.update(datasets, VALUES)[0])
        if "irb" in fmt_holds:  # TIFF: stored LONG-padded, and ExifTool's digest covers that
            new_iim = container.pad_iim(new_iim)
        if p.irb is not None and irb is not None:
            resources = irb.decode(p.irb)
            if irb.get(resources, irb.IPTC_NAA) is not None:
                resources = irb.replace(resources, irb.IPTC_NAA, new_iim)
            new_irb = irb.encode(irb.replace(resources, irb.IPTC_DIGEST, irb.iptc_digest(new_iim)))
    return Payloads(exif=new_exif, xmp=new_xmp, iim=new_iim, irb=new_irb)


def _validate(paths: list[Path]) -> dict[str, set[str]]:
    """ExifTool's ``-validate`` warnings per file name (one run for all files)."""
    import subprocess

    proc = subprocess.run([EXIFTOOL or "exiftool", "-validate", "-warning", "-a", "-s3",
                           *map(str, paths)], capture_output=True, text=True)
    out: dict[str, set[str]] = {}
    current: set[str] = set()
    for line in proc.stdout.splitlines():
        if line.startswith("======== "):
            current = out.setdefault(Path(line[9:]).name, set())
        elif line.strip() and not line.strip()[0].isdigit() and line.strip() != "OK":
            # IPTC judgements (stale digest, legacy charset) are covered by the IPTC
            # comparisons in check_lossless_writes
            if "IPTC" not in line:
                current.add(line.strip())
    if len(paths) == 1:
        out = {paths[0].name: current}
    return out


def _repaired(old: object, new: object) -> bool:
    """``new`` is ``old`` with UTF-8 read as Latin-1/cp1252 (mojibake) undone."""
    if isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(_repaired(a, b) or a == b for a, b in zip(old, new))
    if not isinstance(old, str) or not isinstance(new, str):
        return False
    for codec in ("cp1252", "latin-1"):
        try:
            if old.encode(codec).decode("utf-8") == new:
                return True
        except UnicodeError:
            pass
    return False


def check_lossless_writes(files: list[Path], mod: ModuleType, tmp_path: Path) -> tuple[int, int]:
    """Write VALUES into each file; compare pixels and ExifTool tags before/after and read
    our values back with ExifTool and exiv2.  Returns (lossless writes, files tried)."""
    import shutil
    import subprocess

    outs = []
    for i, path in enumerate(files):
        with path.open("rb") as fp:
            p = mod.read(fp)
        update = new_payloads(p, mod.CAN_HOLD)
        out = tmp_path / f"{i}{path.suffix}"
        with path.open("rb") as src, out.open("wb") as dst:
            mod.write(src, dst, update)
        assert _frames(out) == _frames(path), path.name
        outs.append((path, out, update, p))
    tags = exiftool_many([q for a, b, _, _ in outs for q in (a, b)])
    warnings = _validate([q for a, b, _, _ in outs for q in (a, b)])
    done = 0
    for path, out, update, p in outs:
        old, new = tags[path.name], tags[out.name]
        # no warning of ExifTool's validation that the original did not have already
        assert warnings[out.name] <= warnings[path.name], (path.name, warnings[out.name])
        if update.exif is not None:
            assert new["IFD0:ImageDescription"] == VALUES["description"], path.name
            assert new["IFD0:Artist"] == "Zoë Ñúñez; 李明", path.name
            assert new["IFD0:Copyright"] == VALUES["copyright_notice"], path.name
        if update.xmp is not None:
            assert new["XMP-dc:Description"] == VALUES["description"], path.name
            assert new["XMP-dc:Creator"] == VALUES["creators"], path.name
        if update.iim is not None:
            assert new["IPTC:Caption-Abstract"] == VALUES["description"], path.name
        opaque_iim = "PNG:IPTC_Profile" in old and not any(k.startswith("IPTC") for k in old)
        # an XMP packet ExifTool skipped (WebP "XMP\0" chunk) that we read and rewrote properly
        hidden_xmp = p.xmp is not None and not any(k.startswith("XMP-") for k in old)
        for key in set(old) | set(new):
            group, _, name = key.partition(":")
            if key in OWNED_TAGS or group.startswith("IPTC") and f"IPTC:{name}" in OWNED_TAGS:
                continue
            if group == "Composite" or key in ("XMP-x:XMPToolkit", "XMP-xmp:MetadataDate",
                                               "RIFF:WebP_Flags"):  # VP8X EXIF/XMP bits
                continue
            if hidden_xmp and group.startswith("XMP-") and key not in old:
                continue
            if opaque_iim and (group.startswith("IPTC") and key not in old or key == "PNG:IPTC_Profile"):
                continue  # an unencoded PNG IIM profile ExifTool could not decode, now hex: it can
            if group.startswith("IPTC") and _repaired(old.get(key), new.get(key)):
                continue  # legacy UTF-8 IIM without 1:90, now marked: ExifTool stops misreading it
            assert old.get(key) == new.get(key), (path.name, key, old.get(key), new.get(key))
        if shutil.which("exiv2"):
            keys = {"Exif.Image.ImageDescription": update.exif, "Xmp.dc.description": update.xmp,
                    "Iptc.Application2.Caption": update.iim}
            args = [a for k, v in keys.items() if v for a in ("-K", k)]
            proc = subprocess.run(["exiv2", "-pa", *args, str(out)], capture_output=True, text=True)
            seen = {line.split()[0] for line in proc.stdout.splitlines()
                    if VALUES["description"] in line}
            assert seen == {k for k, v in keys.items() if v}, (path.name, proc.stdout, proc.stderr)
        done += 1
    return done, len(files)


@pytest.mark.shared
@pytest.mark.interop
def test_shared_tiff_writes_are_lossless(tmp_path: Path) -> None:
    assert_shared_writes_lossless(_shared_tiffs(), container, tmp_path, at_least=4)


def assert_shared_writes_lossless(files: list[Path], mod: ModuleType, tmp_path: Path, *,
                                  at_least: int) -> None:
    """Every shared file of a format that MANIFEST does not mark broken writes losslessly
    (:func:`check_lossless_writes`), and there are at least ``at_least`` of them."""
    if not EXIFTOOL or not EXIV2:
        pytest.skip("exiftool/exiv2 not installed")
    broken = broken_files()
    files = [p for p in files if p.name not in broken]
    if not files:
        pytest.skip("../shared/images is not there")
    done, total = check_lossless_writes(files, mod, tmp_path)
    assert done == total >= at_least
