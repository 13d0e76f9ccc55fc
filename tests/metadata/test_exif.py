"""EXIF codec (``captions.metadata.exif``) and the IFD0 rewriter under it (``tiffio``).

Payload-level tests build TIFF structures by hand (``_ifd``/``_tiff`` below) so each one
controls the exact layout: where IFD0 sits, what follows it, which sub-IFDs point where.
The shared-file tests take the EXIF of every real JPEG in ``../shared/images/files`` and
compare our reading with ExifTool's (its JSON is in ``../shared/images/oracle``), then check
that a rewrite changes no ExifTool tag but ours.
"""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from captions.errors import CodecError
from captions.metadata import exif, tiffio
from captions.metadata.tiffio import Tiff

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "images"
EXIFTOOL = shutil.which("exiftool")
EXIV2 = shutil.which("exiv2")

CAPTION = ("ISTANBUL, TURKEY - MAY 4: Commuters board a ferry at Eminönü pier as rain falls "
           "over the Bosphorus on May 4, 2023. (Photo by Deniz Örnek/Example Wire)")
ARABIC = "متظاهرون يتجمعون في ساحة التحرير بالقاهرة"
CJK = "东京街头的行人 — 東京の通行人"


# -- hand-made TIFF structures ----------------------------------------------------------------

def _entry(order: str, tag: int, typ: int, count: int, field: bytes) -> bytes:
    return struct.pack(order + "HHI", tag, typ, count) + field.ljust(4, b"\0")


def _camera_like(order: str = "<") -> bytes:
    """IFD0 (Make, Description, Exif pointer) -> Exif IFD (DateTimeOriginal, a maker note whose
    content holds an absolute offset), IFD1 with a thumbnail (513/514), all in camera order."""
    p32 = lambda v: struct.pack(order + "I", v)  # noqa: E731
    magic = b"II*\0" if order == "<" else b"MM\0*"
    ifd0_off = 8
    n0 = 4
    vals0 = ifd0_off + 2 + 12 * n0 + 4
    make = b"Testcam\0"
    desc = b"OLYMPUS DIGITAL CAMERA         \0"
    exif_off = vals0 + len(make) + len(desc)
    n1 = 2
    exif_vals = exif_off + 2 + 12 * n1 + 4
    dto = b"2019:03:01 09:15:00\0"
    mn_off = exif_vals + len(dto)
    ifd1_off = mn_off + 16
    thumb_off = ifd1_off + 2 + 12 * 2 + 4
    thumb = b"\xff\xd8\xff\xd9"
    makernote = b"MKNT" + p32(thumb_off) + b"abcdefgh"  # absolute offset inside the maker note
    ifd0 = struct.pack(order + "H", n0) + b"".join([
        _entry(order, 270, 2, len(desc), p32(vals0 + len(make))),
        _entry(order, 271, 2, len(make), p32(vals0)),
        _entry(order, 274, 3, 1, struct.pack(order + "H", 1)),
        _entry(order, 34665, 4, 1, p32(exif_off)),
    ]) + p32(ifd1_off)
    exif_ifd = struct.pack(order + "H", n1) + b"".join([
        _entry(order, 36867, 2, len(dto), p32(exif_vals)),
        _entry(order, 37500, 7, len(makernote), p32(mn_off)),
    ]) + p32(0)
    ifd1 = struct.pack(order + "H", 2) + b"".join([
        _entry(order, 513, 4, 1, p32(thumb_off)),
        _entry(order, 514, 4, 1, p32(len(thumb))),
    ]) + p32(0)
    data = magic + p32(ifd0_off) + ifd0 + make + desc + exif_ifd + dto + makernote + ifd1 + thumb
    assert len(data) == thumb_off + len(thumb)
    return data


def _all_entries(data: bytes) -> dict[tuple[str, int], bytes]:
    """Every entry of every IFD we can reach, as (ifd name, tag) -> value bytes."""
    t = Tiff.from_bytes(data)
    out: dict[tuple[str, int], bytes] = {}
    for i, ifd in enumerate(t.chain()):
        for e in ifd.entries:
            out[(f"IFD{i}", e.tag)] = t.value(e)
        sub = t.sub_ifd(ifd, tiffio.EXIF_IFD, "Exif") if i == 0 else None
        if sub is not None:
            for e in sub.entries:
                out[("Exif", e.tag)] = t.value(e)
    return out


# -- reading and writing our fields -------------------------------------------------------------

@pytest.mark.parametrize("order", ["<", ">"])
def test_update_sets_fields_and_keeps_every_other_byte(order: str) -> None:
    original = _camera_like(order)
    new = exif.update(original, {"description": CAPTION, "creators": ["Deniz Örnek"],
                                 "copyright_notice": "© 2023 Example Wire"})
    fields, warnings = exif.read_fields(new)
    assert fields == {"description": CAPTION, "creators": ["Deniz Örnek"],
                      "copyright_notice": "© 2023 Example Wire",
                      "date_created": "2019-03-01T09:15:00"}
    assert warnings == []
    # nothing that was there moved: only the header's IFD0 offset differs in the old range
    assert new[:4] == original[:4]
    assert new[8:len(original)] == original[8:]
    before, after = _all_entries(original), _all_entries(new)
    for key in before:
        if key != ("IFD0", 270):
            assert after[key] == before[key], key
    # the maker note's absolute offset still lands on the thumbnail
    mn = after[("Exif", 37500)]
    thumb_off = struct.unpack(order + "I", mn[4:8])[0]
    assert new[thumb_off:thumb_off + 4] == b"\xff\xd8\xff\xd9"


def test_entries_stay_sorted_and_word_aligned() -> None:
    new = exif.update(_camera_like(), {"creators": ["A"], "copyright_notice": "C" * 9})
    t = Tiff.from_bytes(new)
    ifd0 = t.ifd0()
    tags = [e.tag for e in ifd0.entries]
    assert tags == sorted(tags) and {270, 271, 274, 315, 33432, 34665} == set(tags)
    assert ifd0.offset % 2 == 0
    assert all(span[0] % 2 == 0 for e in ifd0.entries if (span := t.value_span(e)))


def test_build_from_nothing_round_trips_every_script() -> None:
    values = {"description": f"{ARABIC} / {CJK} / Zoë Ñúñez", "creators": ["Łukasz Ąę", "李明"],
              "copyright_notice": "© Example Wire", "date_created": "2024-06-30T18:05:00+00:00"}
    data = exif.update(None, values)
    fields, warnings = exif.read_fields(data)
    assert fields == values and warnings == []


def test_remove_and_no_op() -> None:
    data = exif.update(None, {"description": "x", "creators": ["A"]})
    assert exif.update(data, {"description": "x", "creators": ["A"]}) == data
    assert exif.update(data, {}) == data
    assert exif.read_fields(exif.update(data, {"description": "a\0b"}))[0]["description"] == "ab"
    gone = exif.update(data, {"description": "", "creators": []})
    assert exif.read_fields(gone)[0] == {}
    assert exif.read_fields(exif.update(data, {"creators": None}))[0] == {"description": "x"}


def test_date_only_where_absent_and_only_with_a_time() -> None:
    assert exif.read_fields(exif.update(_camera_like(), {"date_created": "2024-01-02T03:04:05"}))[0][
        "date_created"] == "2019-03-01T09:15:00"
    # ExifTool refuses a DateTimeOriginal without a time; we do not invent one
    for coarse in ("2024", "2024-01", "2024-01-02"):
        assert "date_created" not in exif.read_fields(
            exif.update(None, {"date_created": coarse}))[0]
    timed = exif.update(None, {"date_created": "2024-01-02T03:04:05+02:00"})
    assert exif.read_fields(timed)[0]["date_created"] == "2024-01-02T03:04:05+02:00"
    t = Tiff.from_bytes(timed)
    sub = t.sub_ifd(t.ifd0(), tiffio.EXIF_IFD, "Exif")
    assert sub is not None
    assert {e.tag for e in sub.entries} == {36864, 36867, 36881, 40960, 40961}
    assert t.value(sub.get(36864)) == b"0232"  # type: ignore[arg-type]
    # never removed: it records the capture
    assert "date_created" in exif.read_fields(exif.update(_camera_like(), {"date_created": None}))[0]


def test_latin1_fallback_warns_and_copyright_has_two_parts() -> None:
    t = Tiff.from_bytes(exif.update(None, {}))
    raw = tiffio.apply_patch(exif.update(None, {}), tiffio.plan_update(t, {
        270: tiffio.NewValue.ascii("Porträtt på Eva".encode("latin-1")),
        33432: tiffio.NewValue(tiffio.ASCII, 14, b"Photog\0Editor\0"),
    }))
    fields, warnings = exif.read_fields(raw)
    assert fields["description"] == "Porträtt på Eva"
    assert fields["copyright_notice"] == "Photog\nEditor"
    assert any("Latin-1" in w for w in warnings)


@pytest.mark.parametrize("text,names", [
    ("Ann Lee; Bob Ray", ["Ann Lee", "Bob Ray"]),
    ("Ann Lee;Bob Ray", ["Ann Lee;Bob Ray"]),          # MWG splits on "; " only
    ('"Smith; Jones"; Lee', ["Smith; Jones", "Lee"]),
    ('"""Quoted"""', ['"Quoted"']),
    ("Stringer", ["Stringer"]),
])
def test_artist_list_follows_mwg(text: str, names: list[str]) -> None:
    assert exif.split_artist(text) == names


@given(st.lists(st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zs")), min_size=1,
                        max_size=12).filter(lambda s: s.strip() == s), min_size=1, max_size=4))
def test_artist_join_split_round_trip(names: list[str]) -> None:
    assert exif.split_artist(exif.join_artist(names)) == names


def test_repeated_edits_do_not_grow_the_payload() -> None:
    data = exif.update(_camera_like(), {"description": "first"})
    sizes = []
    for i in range(40):
        data = exif.update(data, {"description": f"edit {i} " * (i % 3 + 1)})
        sizes.append(len(data))
    assert max(sizes) - min(sizes) < 40
    assert exif.read_fields(data)[0]["description"] == "edit 39"


def test_over_64k_is_refused_with_a_clear_error() -> None:
    big = exif.update(None, {"description": "x" * 65_300})
    with pytest.raises(CodecError, match="64 KB"):
        exif.update(_camera_like(), {"description": "y" * 65_600})
    # a rewrite that reuses the dead tail still fits
    assert len(exif.update(big, {"description": "z" * 65_300})) == len(big)


# -- damaged input: only CodecError escapes --------------------------------------------------------

def test_every_truncation_raises_only_codec_errors() -> None:
    data = exif.update(_camera_like(">"), {"description": "cut me"})
    for n in range(len(data)):
        for op in (lambda d: exif.read_fields(d), lambda d: exif.update(d, {"creators": ["X"]})):
            try:
                op(data[:n])
            except CodecError:
                pass


def test_ifd_loop_and_bogus_counts() -> None:
    data = bytearray(_camera_like())
    t = Tiff.from_bytes(bytes(data))
    ifd1 = t.chain()[1]
    data[ifd1.span[1] - 4:ifd1.span[1]] = struct.pack("<I", 8)  # IFD1 -> IFD0
    looped = Tiff.from_bytes(bytes(data))
    assert len(looped.chain()) == 2 and any("loop" in w for w in looped.warnings)
    assert "description" in exif.read_fields(bytes(data))[0]
    data[8:10] = struct.pack("<H", 60000)
    with pytest.raises(CodecError):
        exif.read_fields(bytes(data))
    with pytest.raises(CodecError):
        exif.read_fields(b"II*\0" + struct.pack("<I", 10**6))
    with pytest.raises(CodecError):
        exif.read_fields(b"XX*\0\0\0\0\x08")


def test_a_damaged_tag_is_skipped_and_can_be_replaced() -> None:
    data = bytearray(exif.update(None, {"description": "kept", "creators": ["Lost Name Here"]}))
    t = Tiff.from_bytes(bytes(data))
    ifd0 = t.ifd0()
    i = [e.tag for e in ifd0.entries].index(315)
    pos = ifd0.offset + 2 + 12 * i + 4
    data[pos:pos + 4] = struct.pack("<I", 10**6)  # Artist count far past the end
    fields, warnings = exif.read_fields(bytes(data))
    assert fields == {"description": "kept"} and any("Artist" in w for w in warnings)
    fixed = exif.update(bytes(data), {"creators": ["Lost Name Here"]})
    assert exif.read_fields(fixed) == ({"description": "kept", "creators": ["Lost Name Here"]}, [])


def test_exif_pointer_to_itself_is_refused() -> None:
    data = bytearray(_camera_like())
    t = Tiff.from_bytes(bytes(data))
    ifd0 = t.ifd0()
    i = [e.tag for e in ifd0.entries].index(34665)
    pos = ifd0.offset + 2 + 12 * i + 8
    data[pos:pos + 4] = struct.pack("<I", ifd0.offset)
    fields, warnings = exif.read_fields(bytes(data))
    assert "date_created" not in fields and warnings


# -- the real files --------------------------------------------------------------------------------

def _jpeg_exif(path: Path) -> bytes | None:
    """The first APP1 Exif payload of a JPEG (a minimal marker walk, for tests only)."""
    data = path.read_bytes()
    pos = 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker in (0xD9, 0xDA):
            return None
        length = struct.unpack(">H", data[pos + 2:pos + 4])[0]
        seg = data[pos + 4:pos + 2 + length]
        if marker == 0xE1 and seg[:6] == b"Exif\0\0":
            return seg[6:]
        pos += 2 + length
    return None


def _shared_jpegs() -> list[Path]:
    if not SHARED.is_dir():
        return []
    return sorted(p for p in (SHARED / "files").iterdir() if p.suffix.lower() in (".jpg", ".jpeg"))


def broken_files() -> set[str]:
    """Files MANIFEST.md marks as broken on purpose (fuzz cases, corrupt segments)."""
    out: set[str] = set()
    manifest = SHARED / "MANIFEST.md"
    if not manifest.is_file():
        return out
    for line in manifest.read_text(encoding="utf-8").splitlines():
        cells = line.split("|")
        if len(cells) > 3 and "[broken]" in line:
            out.add(cells[2].strip().strip("`"))
    return out


def _oracle(path: Path) -> dict[str, object]:
    return json.loads((SHARED / "oracle" / f"{path.name}.exiftool.json").read_text())[0]


def _expected(oracle: dict[str, object]) -> dict[str, str]:
    out = {}
    for name, key in (("description", "IFD0:ImageDescription"), ("creators", "IFD0:Artist"),
                      ("copyright_notice", "IFD0:Copyright")):
        value = oracle.get(key)
        if isinstance(value, (str, int, float)) and str(value).strip():
            out[name] = str(value).strip()
    return out


@pytest.mark.shared
def test_real_jpeg_exif_reads_agree_with_exiftool() -> None:
    files = _shared_jpegs()
    if not files:
        pytest.skip("../shared/images is not there")
    checked = 0
    for path in files:
        payload = _jpeg_exif(path)
        expected = _expected(_oracle(path))
        if payload is None:
            assert not expected, path.name
            continue
        try:
            fields, _ = exif.read_fields(payload)
        except CodecError:
            assert "infinite_loop" in path.name, path.name  # MANIFEST: broken on purpose
            continue
        got = {k: ("; ".join(v) if isinstance(v, list) else v) for k, v in fields.items()
               if k != "date_created"}
        assert got == expected, path.name
        checked += 1
    assert checked >= 20


def exiftool_many(paths: list[Path]) -> dict[str, dict[str, object]]:
    """ExifTool's tags (``-j -a -G1 -struct``) for many files in one run, by file name;
    the File/System/ExifTool groups (sizes, dates, warnings about the file) left out."""
    if not paths:
        return {}
    proc = subprocess.run([EXIFTOOL or "exiftool", "-j", "-a", "-G1", "-struct",
                           *map(str, paths)], capture_output=True, text=True)
    out = {}
    for tags in json.loads(proc.stdout or "[]"):
        name = Path(tags.pop("SourceFile")).name
        out[name] = {k: v for k, v in tags.items()
                     if k.split(":")[0] not in ("System", "File", "ExifTool")}
    return out


OWNED = {"IFD0:ImageDescription", "IFD0:Artist", "IFD0:Copyright", "ExifIFD:DateTimeOriginal"}
#: what a newly made Exif IFD starts with (as ExifTool makes one)
NEW_EXIF_IFD = {"ExifIFD:ExifVersion", "ExifIFD:FlashpixVersion", "ExifIFD:ColorSpace",
                "ExifIFD:OffsetTimeOriginal"}


@pytest.mark.shared
@pytest.mark.interop
def test_real_exif_rewrites_change_only_our_tags(tmp_path: Path) -> None:
    if not EXIFTOOL:
        pytest.skip("exiftool is not installed")
    files = [p for p in _shared_jpegs() if _jpeg_exif(p) is not None]
    if not files:
        pytest.skip("../shared/images is not there")
    values = {"description": f"{ARABIC} — {CJK} — Eminönü", "creators": ["Zoë Ñúñez", "李明"],
              "copyright_notice": "© 2024 Example Wire", "date_created": "2024-05-06T07:08:09"}
    # of the files MANIFEST.md calls broken, only this one's EXIF is the broken part: ExifTool
    # hides a "suspicious" IFD0 entry that our rewritten, well-formed IFD0 no longer hides
    broken = {"imagemeta__infinite_loop_exif.jpg"}
    pairs = []
    for i, path in enumerate(files):
        if path.name in broken:
            continue
        payload = _jpeg_exif(path)
        assert payload is not None
        before, after = tmp_path / f"{i}a.exif", tmp_path / f"{i}b.exif"
        before.write_bytes(payload)
        after.write_bytes(exif.update(payload, values))
        pairs.append((path.name, before, after))
    tags = exiftool_many([p for _, a, b in pairs for p in (a, b)])
    for name, before, after in pairs:
        old_tags, new_tags = tags[before.name], tags[after.name]
        assert new_tags["IFD0:ImageDescription"] == values["description"], name
        assert new_tags["IFD0:Artist"] == "Zoë Ñúñez; 李明"
        assert new_tags["IFD0:Copyright"] == values["copyright_notice"]
        had_exif_ifd = any(k.startswith("ExifIFD:") for k in old_tags)
        for key in set(old_tags) | set(new_tags):
            if key in OWNED or key.startswith("Composite:"):
                continue
            if not had_exif_ifd and key in NEW_EXIF_IFD:
                continue
            if "ExifIFD:DateTimeOriginal" not in old_tags and key == "ExifIFD:OffsetTimeOriginal":
                continue
            assert old_tags.get(key) == new_tags.get(key), (name, key)
        if "ExifIFD:DateTimeOriginal" in old_tags:
            assert new_tags["ExifIFD:DateTimeOriginal"] == old_tags["ExifIFD:DateTimeOriginal"]
        else:
            assert new_tags["ExifIFD:DateTimeOriginal"] == "2024:05:06 07:08:09"
    assert len(pairs) >= 26


@pytest.mark.interop
def test_exiv2_reads_our_minimal_exif(tmp_path: Path) -> None:
    if not EXIV2:
        pytest.skip("exiv2 is not installed")
    from PIL import Image

    payload = exif.update(None, {"description": ARABIC, "creators": [CJK, "Zoë"],
                                 "copyright_notice": "© Wire"})
    path = tmp_path / "x.jpg"
    Image.new("RGB", (8, 8)).save(path, exif=b"Exif\0\0" + payload)
    out = subprocess.run([EXIV2, "-pa", "-K", "Exif.Image.ImageDescription", "-K",
                          "Exif.Image.Artist", "-K", "Exif.Image.Copyright", str(path)],
                         capture_output=True, text=True).stdout
    assert ARABIC in out and f"{CJK}; Zoë" in out and "© Wire" in out


@pytest.mark.parametrize("date, offset", [("2016-02-04T10:30:00", None),
                                          ("2016-02-04T10:30:00+05:00", "+05:00")])
def test_leftover_offset_without_date_gives_way_to_ours(date: str, offset: str | None) -> None:
    """A file whose Exif IFD kept OffsetTimeOriginal but lost DateTimeOriginal: writing a
    date must neither crash nor pair our time with the stale zone."""
    from captions.metadata import tiffio
    from captions.metadata.exif import TAG_OFFSET_ORIGINAL

    base = exif.update(None, {"description": "x", "date_created": "2001-01-01T01:00:00+02:00"})
    t = tiffio.Tiff.from_bytes(base)
    patch = tiffio.plan_update(t, {}, {exif.TAG_DATE_ORIGINAL: None})
    stale = tiffio.apply_patch(base, patch)
    assert "date_created" not in exif.read_fields(stale)[0]
    out = exif.update(stale, {"date_created": date})
    got = exif.read_fields(out)[0]["date_created"]
    assert got == date
    ifd = tiffio.Tiff.from_bytes(out).sub_ifd(tiffio.Tiff.from_bytes(out).ifd0(), tiffio.EXIF_IFD, "Exif IFD")
    assert ifd is not None
    assert (ifd.get(TAG_OFFSET_ORIGINAL) is not None) == (offset is not None)


def test_a_directory_read_twice_is_the_same_and_warns_again() -> None:
    # IFD0 with one SHORT entry and no next-IFD link: the data ends right after the entry
    data = (b"II*\0" + struct.pack("<I", 8) + struct.pack("<H", 1)
            + struct.pack("<HHI4s", 274, 3, 1, b"\x01\0\0\0"))
    t = tiffio.Tiff.from_bytes(data)
    first = t.ifd0()
    assert [(e.tag, e.type, e.count, e.field) for e in first.entries] == [(274, 3, 1, b"\x01\0\0\0")]
    assert first.entries[0].raw == data[10:22]
    assert t.ifd(8, "IFD0") is first
    assert t.warnings == ["IFD0 has no next-IFD link"] * 2
