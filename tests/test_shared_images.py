"""Interop over every shared JPEG (``../shared/images``): reads agree with ExifTool, writes are
lossless and read back in ExifTool and exiv2.

One test case per file.  The heavy lifting (writing every copy, one ExifTool run over all of
them) happens once in module fixtures; each case then checks its own file.

What "ExifTool's reading" means (see :func:`expected` and ``docs/notes/engine.md``): the value
ExifTool's Metadata Working Group module derives from the IIM, XMP and EXIF tags in the
oracle dumps (``exiftool -j -a -G1 -struct -charset iptc=UTF8``), with EXIF used last as
``captions`` does.  Because the dumps decode IIM as UTF-8, legacy 8-bit IIM shows ``?``
there; such a ``?`` matches one non-ASCII character of ours (the right letter is checked
separately against MANIFEST.md's description of those files).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from captions.api import TEMP_MARK, read_fields, write_fields
from captions.errors import CodecError
from captions.metadata import tiffio
from captions.metadata.containers import jpeg
from captions.metadata.engine import normalise

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "images"
FILES = SHARED / "files"
ORACLE = SHARED / "oracle"
EXIFTOOL = shutil.which("exiftool")
EXIV2 = shutil.which("exiv2")

if not FILES.is_dir():
    pytest.skip("../shared/images is absent: the real-image interop tests need it",
                allow_module_level=True)


def _jpegs() -> list[str]:
    if not FILES.is_dir():
        return []
    names = []
    for p in sorted(FILES.iterdir()):
        with open(p, "rb") as fp:
            if jpeg.matches(fp.read(16)):
                names.append(p.name)
    return names


JPEGS = _jpegs()
needs_exiftool = pytest.mark.skipif(EXIFTOOL is None, reason="exiftool not on PATH")
needs_exiv2 = pytest.mark.skipif(EXIV2 is None, reason="exiv2 not on PATH")

# ---------------------------------------------------------------------------------------------
# ExifTool's reading, from the oracle dumps

#: field -> (IIM tag, XMP tag, EXIF tag, IIM byte limit)
TAGS: dict[str, tuple[str, str, str | None, int]] = {
    "description": ("IPTC:Caption-Abstract", "XMP-dc:Description", "IFD0:ImageDescription", 2000),
    "creators": ("IPTC:By-line", "XMP-dc:Creator", "IFD0:Artist", 32),
    "city": ("IPTC:City", "XMP-photoshop:City", None, 32),
    "country": ("IPTC:Country-PrimaryLocationName", "XMP-photoshop:Country", None, 64),
    "credit_line": ("IPTC:Credit", "XMP-photoshop:Credit", None, 32),
    "date_created": ("IPTC:DateCreated", "XMP-photoshop:DateCreated", "ExifIFD:DateTimeOriginal", 0),
}
FIELDS = tuple(TAGS)


def load(name: str) -> dict[str, Any]:
    """The oracle dump of one shared file (a repeated key keeps its last value, as ExifTool
    itself reports duplicates without ``-a``)."""
    data = json.loads((ORACLE / f"{name}.exiftool.json").read_text(encoding="utf-8"))
    return dict(data[0])


def _text(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, list):
        items = [str(x).replace("\r\n", "\n").replace("\r", "\n").strip() for x in v]
        return [x for x in items if x] or None
    s = str(v).replace("\r\n", "\n").replace("\r", "\n").strip()
    return s or None


def _date(v: Any, time: Any = None) -> str | None:
    """ExifTool's ``YYYY:MM:DD[ HH:MM:SS[.ss][+HH:MM|Z]]`` as ISO 8601."""
    if v is None:
        return None
    s = str(v).strip()
    m = re.match(r"^(\d{4})(?::(\d{2}))?(?::(\d{2}))?(?:[ T](.*))?$", s)
    if not m:
        return s
    y, mo, d, t = m.groups()
    out = y + (f"-{mo}" if mo and mo != "00" else "") + (f"-{d}" if d and d != "00" and mo != "00" else "")
    if t is None and time is not None:
        t = str(time)
    if t:
        out += "T" + t
    return normalise_date(out)


def normalise_date(s: str | None) -> str | None:
    """ISO 8601 with ``Z`` as ``+00:00`` and without fractional seconds (precision differs)."""
    if s is None:
        return None
    s = re.sub(r"\.\d+", "", s.strip())
    return re.sub(r"Z$", "+00:00", s)


def _group_of(d: dict[str, Any], tag: str) -> str | None:
    """The group ExifTool reports ``tag`` in: IIM tags also come from the later blocks it
    calls IPTC2, IPTC3... (several 0x0404 resources)."""
    if tag in d or not tag.startswith("IPTC:"):
        return tag.split(":", 1)[0] if tag in d else None
    name = tag.split(":", 1)[1]
    return next((f"IPTC{n}" for n in range(2, 10) if f"IPTC{n}:{name}" in d), None)


def _get(d: dict[str, Any], tag: str) -> Any:
    group = _group_of(d, tag)
    return None if group is None else d[f"{group}:{tag.split(':', 1)[1]}"]


def _value(d: dict[str, Any], tag: str | None, field: str) -> Any:
    if tag is None:
        return None
    v = _get(d, tag)
    if field == "creators":
        if isinstance(v, str) and tag == "IFD0:Artist":
            v = [p for p in v.split("; ")]
        elif isinstance(v, str):
            v = [v]
    if field == "date_created":
        if tag == "IPTC:DateCreated":
            # the time from the same IIM block as the date (Issue 122.jpg has a second,
            # EXIF-embedded IIM copy that MWG readers ignore)
            return _date(v, d.get(f"{_group_of(d, tag)}:TimeCreated"))
        return _date(v)
    return _text(v)


def expected(d: dict[str, Any], field: str) -> Any:
    """ExifTool's MWG reading of ``field`` (EXIF last), from one oracle dump."""
    iim_tag, xmp_tag, exif_tag, limit = TAGS[field]
    iim, xmp = _value(d, iim_tag, field), _value(d, xmp_tag, field)
    current, stored = d.get("File:CurrentIPTCDigest"), d.get("Photoshop:IPTCDigest")
    if current is None or (xmp is not None and (stored is None or stored == current)):
        value = xmp
    else:
        value = _recover(iim, xmp, limit)
    if value is None:
        value = _value(d, exif_tag, field)
    return value


def _recover(iim: Any, xmp: Any, limit: int) -> Any:
    if iim is None or xmp is None or not limit:
        return iim
    if isinstance(iim, list):
        xs = xmp if isinstance(xmp, list) else [xmp]
        return [_recover(a, xs[i] if i < len(xs) else None, limit) for i, a in enumerate(iim)]
    x = xmp[0] if isinstance(xmp, list) else xmp
    if len(iim.encode("utf-8")) == limit and len(x) > len(iim) and x.startswith(iim):
        return x
    return iim


def matches(want: Any, got: Any) -> bool:
    """``got == want``, where a ``?``/U+FFFD in ``want`` (ExifTool's stand-in for an 8-bit
    byte it could not decode as UTF-8) matches one non-ASCII character."""
    if isinstance(want, list) or isinstance(got, list):
        if not isinstance(want, list) or not isinstance(got, list) or len(want) != len(got):
            return False
        return all(matches(w, g) for w, g in zip(want, got))
    if want == got:
        return True
    if not isinstance(want, str) or not isinstance(got, str):
        return False
    if "?" not in want and "\ufffd" not in want:
        return False
    pattern = "".join("(?:\\?|[^\\x00-\\x7f])" if c in "?\ufffd" else re.escape(c) for c in want)
    return re.fullmatch(pattern, got) is not None


#: files MANIFEST.md documents as broken where we read differently from ExifTool, and the
#: few deliberate differences; each stays a strict xfail so a change of behaviour shows
READ_DIFFERENCES: dict[str, str] = {
    "exiv2__issue_1847_poc.jpg": "fuzzer PoC (MANIFEST: corrupt APP13): ExifTool reads a caption "
    "running over the damaged datasets; we keep only the datasets before the damage",
    "metadata-extractor-images__Issue 600 (2).jpg": "XMP photoshop:DateCreated holds two dates "
    "('2009-09-09T17:00:00, 2009-09-09'); ExifTool shows the raw text, we read the first date",
}

#: the right text of legacy 8-bit IIM values, as MANIFEST.md describes those files
LEGACY_TEXT: dict[str, tuple[str, str]] = {
    "exiv2__exiv2-bug501.jpg": ("description", "Porträtt på Eva"),
    "frameright-php__metapm.jpg": ("description", "José Mourinho"),
    "exiv2__iptc-psAPP13s-wIPTCs-psAPP13s-wIPTCs.jpg": ("creators", "Jens Trübiger"),
}


def _read_params() -> list[Any]:
    return [pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=READ_DIFFERENCES[n]))
            if n in READ_DIFFERENCES else n for n in JPEGS]


@pytest.mark.parametrize("name", _read_params())
def test_read_agrees_with_exiftool(name: str) -> None:
    oracle = load(name)
    _, got, _ = read_fields(FILES / name)
    wrong = {}
    for field in FIELDS:
        want = expected(oracle, field)
        have = normalise(field, got.get(field))
        if field == "date_created":
            have = normalise_date(have)  # type: ignore[arg-type]
        if not matches(want, have):
            wrong[field] = (want, have)
    assert not wrong, wrong


@pytest.mark.parametrize("name", sorted(set(LEGACY_TEXT) & set(JPEGS)))
def test_legacy_iim_charset_repaired(name: str) -> None:
    field, text = LEGACY_TEXT[name]
    _, got, warnings = read_fields(FILES / name)
    value = got[field]
    assert (value[0] if isinstance(value, list) else value) == text
    assert any("charset" in w for w in warnings)


# ---------------------------------------------------------------------------------------------
# Writing to every shared JPEG

VALUES: dict[str, Any] = {
    "description": "متظاهرون يتجمعون في ساحة التحرير — 东京街头的行人 — Café près de l'église",
    "creators": ["Zoë Ñúñez", "李明"],
    "city": "الدوحة",
    "country": "Qatar",
    "country_code": "QAT",
    "credit_line": "Zoë Ñúñez/AFP",
    "source": "AFP",
    "headline": "Protesters gather in Doha",
    "date_created": "2016-02-04",
    "copyright_notice": "© AFP 2016",
}

#: files we refuse to rewrite, and why (the refusal is tested: CodecError, file untouched)
REFUSED: dict[str, str] = {
    "exiv2__exiv2-bug444.jpg": "IIM block desynchronised after 1:90 (MANIFEST: broken)",
    "exiv2__issue_1847_poc.jpg": "fuzzer PoC, IIM datasets corrupt (MANIFEST: broken)",
}

#: ExifTool tags that a write may change: ours, the digest, derived and file-system tags
OUR_TAGS = frozenset({
    "Caption-Abstract", "By-line", "City", "Sub-location", "Province-State",
    "Country-PrimaryLocationName", "Country-PrimaryLocationCode", "Credit", "Source",
    "CopyrightNotice", "Headline", "DateCreated", "TimeCreated", "CodedCharacterSet",
    "ApplicationRecordVersion", "EnvelopeRecordVersion",
    "Description", "Creator", "Rights", "Country", "CountryCode", "Location", "State",
    "ImageDescription", "Artist", "Copyright", "DateTimeOriginal",
    "IPTCDigest", "CurrentIPTCDigest",
})
#: logical field -> ExifTool tag names, for fields the engine may sync (stale digest)
SYNC_TAGS: dict[str, frozenset[str]] = {
    "keywords": frozenset({"Keywords", "Subject"}),
    "job_id": frozenset({"OriginalTransmissionReference", "TransmissionReference"}),
    "instructions": frozenset({"SpecialInstructions", "Instructions"}),
    "caption_writer": frozenset({"Writer-Editor", "CaptionWriter"}),
}
IGNORED_GROUPS = frozenset({"System", "File", "ExifTool", "Composite", "SourceFile"})


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for k, v in pairs:
        out.setdefault(k, []).append(v)
    return out


def _exiftool_json(paths: list[Path]) -> dict[str, dict[str, list[Any]]]:
    """``exiftool -j -a -G1 -struct -charset iptc=UTF8`` of several files, repeated tags kept."""
    assert EXIFTOOL is not None
    proc = subprocess.run(
        [EXIFTOOL, "-j", "-a", "-G1", "-struct", "-charset", "iptc=UTF8", *map(str, paths)],
        capture_output=True, check=False, timeout=120,
    )
    out = {}
    for item in json.loads(proc.stdout.decode("utf-8"), object_pairs_hook=_pairs):
        out[Path(item["SourceFile"][0]).name] = item
    return out


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every shared JPEG copied and written with VALUES: name -> (path, warnings or error)."""
    folder = tmp_path_factory.mktemp("written")
    out: dict[str, Any] = {}
    for name in JPEGS:
        dst = folder / name
        shutil.copyfile(FILES / name, dst)
        try:
            out[name] = (dst, write_fields(dst, VALUES))
        except CodecError as exc:
            out[name] = (dst, exc)
    return out


@pytest.fixture(scope="module")
def exiftool_after(written: dict[str, Any]) -> dict[str, dict[str, list[Any]]]:
    if EXIFTOOL is None:
        pytest.skip("exiftool not on PATH")
    return _exiftool_json([p for p, r in written.values() if not isinstance(r, Exception)])


def _scan_part(path: Path) -> bytes:
    with open(path, "rb") as fp:
        w = jpeg.walk(fp)
        fp.seek(w.rest_offset)
        return fp.read()


def _icc(path: Path) -> bytes:
    with open(path, "rb") as fp:
        return b"".join(s.raw for s in jpeg.walk(fp).segments
                        if s.marker == 0xE2 and s.payload.startswith(b"ICC_PROFILE\0"))


def _maker_note(path: Path) -> bytes | None:
    with open(path, "rb") as fp:
        exif = jpeg.read(fp).exif
    if exif is None:
        return None
    try:
        t = tiffio.Tiff.from_bytes(exif)
        sub = t.sub_ifd(t.ifd0(), tiffio.EXIF_IFD, "Exif IFD")
        entry = sub.get(37500) if sub is not None else None
        return None if entry is None else t.value(entry)
    except CodecError:
        return None


def _exif_offset(path: Path) -> int:
    with open(path, "rb") as fp:
        return next((s.offset for s in jpeg.walk(fp).segments if s.kind() == "exif"), 0)


def _pixels(path: Path) -> bytes | None:
    try:
        with Image.open(path) as im:
            im.load()
            return im.tobytes()
    except OSError:  # header-only test files (kim__*) have no complete scan
        return None


def _write_params() -> list[Any]:
    return [n for n in JPEGS if n not in REFUSED]


@pytest.mark.parametrize("name", sorted(set(REFUSED) & set(JPEGS)))
def test_damaged_iim_write_refused(name: str, written: dict[str, Any]) -> None:
    path, result = written[name]
    assert isinstance(result, CodecError), f"expected a refusal: {REFUSED[name]}"
    assert path.read_bytes() == (FILES / name).read_bytes()
    assert not list(path.parent.glob(f"*{TEMP_MARK}*"))


@pytest.mark.parametrize("name", _write_params())
def test_write_keeps_image_data(name: str, written: dict[str, Any]) -> None:
    path, result = written[name]
    assert not isinstance(result, Exception), result
    original = FILES / name
    assert _scan_part(path) == _scan_part(original)
    assert _icc(path) == _icc(original)
    assert _maker_note(path) == _maker_note(original)
    before = _pixels(original)
    if before is not None:
        assert _pixels(path) == before
    assert not list(path.parent.glob(f"*{TEMP_MARK}*"))


@pytest.mark.parametrize("name", _write_params())
def test_write_reads_back_and_is_idempotent(name: str, written: dict[str, Any]) -> None:
    path, result = written[name]
    assert not isinstance(result, Exception), result
    _, got, _ = read_fields(path)
    for field, value in VALUES.items():
        assert normalise(field, got.get(field)) == normalise(field, value), field
    data = path.read_bytes()
    assert write_fields(path, VALUES) is not None
    assert path.read_bytes() == data  # nothing to change: not rewritten


def _synced(warnings: list[str]) -> frozenset[str]:
    tags: set[str] = set()
    for w in warnings:
        m = re.search(r"copied its (.*?) into XMP", w)
        if m:
            for field in m.group(1).split(", "):
                tags |= SYNC_TAGS.get(field, frozenset())
    return frozenset(tags)


def _changed_tags(before: dict[str, list[Any]], after: dict[str, list[Any]],
                  allowed: frozenset[str], size_change: int, exif_shift: int,
                  ) -> dict[str, Any]:
    diff = {}
    for key in sorted(set(before) | set(after)):
        group, _, tag = key.partition(":")
        if group in IGNORED_GROUPS or tag in OUR_TAGS or tag in allowed:
            continue
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if old is not None and new is not None and matches(old, new):
            continue  # legacy 8-bit IIM re-encoded as UTF-8: now readable
        if key == "XMP-x:XMPToolkit" and old is None:
            continue  # a new XMP packet names its writer
        if tag == "MPImageStart" and old and new and new[0] - old[0] == size_change:
            continue  # the second image moved with the end of the file, offsets follow it
        if (tag.endswith(("Offset", "Start")) and old and new and isinstance(old[0], int)
                and new[0] - old[0] == exif_shift):
            continue  # ExifTool gives EXIF offsets from the file start: they move with EXIF
        diff[key] = (old, new)
    return diff


#: files whose write changes tags outside our fields, on purpose
WRITE_DIFFERENCES: dict[str, str] = {
    "exiv2__exiv2-bug1229.jpg": "two main XMP packets: the second (which the XMP spec forbids "
    "and which ExifTool would show instead of ours) is dropped",
    "kim__photo_22_header.jpg": "two main XMP packets (the second is dropped) and two IIM "
    "blocks in two APP13 segments (merged into one; ExifTool's IPTC2 group goes)",
    "imagemeta__infinite_loop_exif.jpg": "fuzzed EXIF (MANIFEST: broken) whose IFD0 ExifTool "
    "cannot follow; our rewritten IFD0 is sound, so ExifTool now also reads XResolution",
}


def _lossless_params() -> list[Any]:
    return [pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=WRITE_DIFFERENCES[n]))
            if n in WRITE_DIFFERENCES else n for n in _write_params()]


@needs_exiftool
@pytest.mark.parametrize("name", _lossless_params())
def test_write_changes_no_other_exiftool_tag(
    name: str, written: dict[str, Any], exiftool_after: dict[str, dict[str, list[Any]]]
) -> None:
    path, warnings = written[name]
    before = json.loads((ORACLE / f"{name}.exiftool.json").read_text(encoding="utf-8"),
                        object_pairs_hook=_pairs)[0]
    size_change = path.stat().st_size - (FILES / name).stat().st_size
    exif_shift = _exif_offset(path) - _exif_offset(FILES / name)
    diff = _changed_tags(before, exiftool_after[name], _synced(warnings), size_change,
                         exif_shift)
    assert not diff, diff


def _one(d: dict[str, list[Any]], key: str) -> Any:
    values = d.get(key)
    assert values is not None, f"{key} missing"
    return values[0]


@needs_exiftool
@pytest.mark.parametrize("name", _write_params())
def test_exiftool_reads_our_values(
    name: str, exiftool_after: dict[str, dict[str, list[Any]]]
) -> None:
    d = exiftool_after[name]
    desc = VALUES["description"]
    assert _one(d, "IPTC:Caption-Abstract") == desc
    assert _one(d, "XMP-dc:Description") == desc
    assert _one(d, "IFD0:ImageDescription") == desc
    assert _one(d, "IPTC:By-line") == VALUES["creators"]
    assert _one(d, "XMP-dc:Creator") == VALUES["creators"]
    assert _one(d, "IFD0:Artist") == "; ".join(VALUES["creators"])
    for iim, xmp, field in [
        ("City", "XMP-photoshop:City", "city"),
        ("Country-PrimaryLocationName", "XMP-photoshop:Country", "country"),
        ("Country-PrimaryLocationCode", "XMP-iptcCore:CountryCode", "country_code"),
        ("Credit", "XMP-photoshop:Credit", "credit_line"),
        ("Source", "XMP-photoshop:Source", "source"),
        ("Headline", "XMP-photoshop:Headline", "headline"),
        ("CopyrightNotice", "XMP-dc:Rights", "copyright_notice"),
    ]:
        assert _one(d, f"IPTC:{iim}") == VALUES[field], field
        assert _one(d, xmp) == VALUES[field], field
    assert _one(d, "IFD0:Copyright") == VALUES["copyright_notice"]
    assert _one(d, "IPTC:DateCreated") == "2016:02:04"
    assert _one(d, "XMP-photoshop:DateCreated") == "2016:02:04"
    assert _one(d, "IPTC:CodedCharacterSet") == "UTF8"
    assert _one(d, "Photoshop:IPTCDigest") == _one(d, "File:CurrentIPTCDigest")


_EXIV2_LINE = re.compile(r"^(\S+)\s+(\S+)\s+(\d+)\s+(.*)$")


@needs_exiv2
@pytest.mark.parametrize("name", _write_params())
def test_exiv2_reads_our_values(name: str, written: dict[str, Any]) -> None:
    path, _ = written[name]
    assert EXIV2 is not None
    proc = subprocess.run([EXIV2, "-pa", str(path)], capture_output=True, check=False,
                          timeout=60)
    found: dict[str, list[str]] = {}
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        m = _EXIV2_LINE.match(line)
        if m:
            found.setdefault(m.group(1), []).append(m.group(4))
    desc = VALUES["description"]
    assert found["Iptc.Application2.Caption"] == [desc]
    assert found["Xmp.dc.description"] == [f'lang="x-default" {desc}']
    assert found["Exif.Image.ImageDescription"] == [desc]
    assert found["Iptc.Application2.Byline"] == VALUES["creators"]
    assert found["Xmp.dc.creator"] == [", ".join(VALUES["creators"])]
    assert found["Iptc.Application2.City"] == [VALUES["city"]]
    assert found["Xmp.photoshop.City"] == [VALUES["city"]]
    assert found["Iptc.Application2.Credit"] == [VALUES["credit_line"]]
    assert found["Xmp.photoshop.Credit"] == [VALUES["credit_line"]]
