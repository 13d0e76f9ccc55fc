"""The public API (``captions.read_metadata``, ``read_caption``, ``write_caption`` and
``captions.api.write_fields``) on small JPEGs made here with Pillow.

The captions are ours, written in agency styles; the images are 16x16 grey squares.
"""

from __future__ import annotations

import errno
import io
import os
import stat
from pathlib import Path

import attrs
import pytest
from PIL import Image

import captions
from captions import Caption, Location, PartialDate
from captions.api import TEMP_MARK, caption_values, read_fields, write_fields
from captions.errors import CodecError, Unsupported, WriteError
from captions.metadata.containers import jpeg

AFP_TEXT = ("Protesters gather on the Corniche in Doha on February 4, 2016. "
            "(Photo by Mariam Al-Sayed / AFP)")


def _caption(**kw: object) -> Caption:
    base: dict[str, object] = dict(
        text=AFP_TEXT,
        subject="Protesters gather on the Corniche in Doha on February 4, 2016.",
        date=PartialDate(2016, 2, 4),
        location=Location(city="Doha", country="Qatar", country_code="QAT"),
        agency="AFP",
        photographer="Mariam Al-Sayed",
        photographer_kind="person",
        credit_line="Mariam Al-Sayed/AFP",
        source="AFP",
    )
    base.update(kw)
    return Caption(**base)  # type: ignore[arg-type]


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "desk" / "photo.jpg"
    path.parent.mkdir()
    Image.new("RGB", (16, 16), (90, 90, 90)).save(path, "JPEG", quality=80)
    return path


def _scan(path: Path) -> bytes:
    with open(path, "rb") as fp:
        w = jpeg.walk(fp)
        fp.seek(w.rest_offset)
        return fp.read()


def _leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if TEMP_MARK in p.name]


def test_write_caption_then_read_metadata(photo: Path) -> None:
    scan = _scan(photo)
    warnings = captions.write_caption(photo, _caption())
    assert warnings == []
    meta = captions.read_metadata(photo)
    assert meta.format == "jpeg"
    assert meta.description == "Protesters gather on the Corniche in Doha on February 4, 2016."
    assert meta.creators == ("Mariam Al-Sayed",)
    assert (meta.city, meta.country, meta.country_code) == ("Doha", "Qatar", "QAT")
    assert (meta.credit_line, meta.source, meta.date_created) == ("Mariam Al-Sayed/AFP", "AFP",
                                                                   "2016-02-04")
    assert meta.warnings == ()
    assert _scan(photo) == scan
    assert _leftovers(photo.parent) == []


def test_every_place_holds_the_values(photo: Path) -> None:
    from captions.metadata import exif, iim, irb, xmp

    captions.write_caption(photo, _caption(photographer="Mariam Al-Sayed and Li Wei"))
    with open(photo, "rb") as fp:
        p = jpeg.read(fp)
    assert p.irb is not None and p.xmp is not None and p.exif is not None
    resources = irb.decode(p.irb)
    block = irb.get(resources, irb.IPTC_NAA)
    digest = irb.get(resources, irb.IPTC_DIGEST)
    assert block is not None and digest is not None
    assert digest.data == irb.iptc_digest(block.data)
    for values in (iim.read_fields(iim.decode(block.data))[0], xmp.read_fields(p.xmp)[0]):
        assert values["creators"] == ["Mariam Al-Sayed", "Li Wei"]
        assert values["city"] == "Doha"
    ex = exif.read_fields(p.exif)[0]
    assert ex["creators"] == ["Mariam Al-Sayed", "Li Wei"]
    assert str(ex["description"]).startswith("Protesters gather")


def test_subject_falls_back_to_text(photo: Path) -> None:
    captions.write_caption(photo, Caption(text=AFP_TEXT))
    assert captions.read_metadata(photo).description == AFP_TEXT


def test_none_fields_are_left_untouched(photo: Path) -> None:
    captions.write_caption(photo, _caption(headline="Doha protest"))
    captions.write_caption(photo, Caption(text="", subject="A new subject.",
                                          location=Location(city="Al Wakrah")))
    meta = captions.read_metadata(photo)
    assert meta.description == "A new subject."
    assert meta.city == "Al Wakrah"
    assert meta.country == "Qatar" and meta.headline == "Doha protest"
    assert meta.creators == ("Mariam Al-Sayed",) and meta.credit_line == "Mariam Al-Sayed/AFP"


def test_caption_values_mapping() -> None:
    values = caption_values(_caption(copyright_notice="© AFP 2016", date=PartialDate(2016, 2)))
    assert values == {
        "description": "Protesters gather on the Corniche in Doha on February 4, 2016.",
        "creators": ["Mariam Al-Sayed"],
        "credit_line": "Mariam Al-Sayed/AFP",
        "source": "AFP",
        "date_created": "2016-02",
        "city": "Doha",
        "country": "Qatar",
        "country_code": "QAT",
        "copyright_notice": "© AFP 2016",
    }


def test_write_fields_removes_with_none(photo: Path) -> None:
    write_fields(photo, {"city": "Doha", "keywords": ["protest", "Qatar"], "headline": "H"})
    write_fields(photo, {"city": None, "keywords": [], "headline": ""})
    _, values, _ = read_fields(photo)
    assert "city" not in values and "keywords" not in values and "headline" not in values


def test_unchanged_file_is_not_rewritten(photo: Path) -> None:
    captions.write_caption(photo, _caption())
    before = os.stat(photo)
    data = photo.read_bytes()
    assert captions.write_caption(photo, _caption()) == []
    after = os.stat(photo)
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert photo.read_bytes() == data


def test_permission_bits_kept_and_no_backup_by_default(photo: Path) -> None:
    os.chmod(photo, 0o640)
    captions.write_caption(photo, _caption())
    assert stat.S_IMODE(os.stat(photo).st_mode) == 0o640
    assert sorted(p.name for p in photo.parent.iterdir()) == ["photo.jpg"]


def test_backup_keeps_the_original(photo: Path) -> None:
    original = photo.read_bytes()
    captions.write_caption(photo, _caption(), backup=True)
    assert (photo.parent / "photo.jpg.bak").read_bytes() == original
    assert photo.read_bytes() != original


def test_symlink_is_followed_and_kept(photo: Path) -> None:
    link = photo.parent / "link.jpg"
    link.symlink_to(photo.name)
    captions.write_caption(link, _caption())
    assert link.is_symlink()
    assert captions.read_metadata(photo).city == "Doha"


def test_long_values_cut_in_iim_only_with_warning(photo: Path) -> None:
    credit = "Mariam Al-Sayed for Agence France-Presse/AFP"  # 44 bytes > IIM's 32
    warnings = write_fields(photo, {"credit_line": credit})
    assert any("credit_line" in w and "cut" in w for w in warnings)
    assert captions.read_metadata(photo).credit_line == credit  # XMP keeps it whole


def test_arabic_and_cjk_round_trip(photo: Path) -> None:
    values: dict[str, str | list[str] | None] = {
        "description": "متظاهرون في الدوحة — 多哈的抗议者", "creators": ["مريم السيد", "李伟"],
        "city": "الدوحة"}
    write_fields(photo, values)
    _, got, warnings = read_fields(photo)
    assert {k: got[k] for k in values} == values and warnings == []


def test_read_caption_fills_gaps_from_the_description(photo: Path) -> None:
    write_fields(photo, {"description": AFP_TEXT, "city": "Doha"})
    raw = captions.read_caption(photo, parse=False)
    assert raw.subject == AFP_TEXT and raw.text == AFP_TEXT
    assert raw.location.city == "Doha" and raw.agency is None and raw.photographer is None
    parsed = captions.read_caption(photo)
    assert parsed.subject == AFP_TEXT  # the stored description, so writing it back is a no-op
    assert parsed.agency == "AFP"
    assert parsed.photographer == "Mariam Al-Sayed"
    assert parsed.date == PartialDate(2016, 2, 4)
    assert parsed.location.city == "Doha"
    assert captions.write_caption(photo, parsed) is not None


def test_metadata_wins_over_parsing(photo: Path) -> None:
    write_fields(photo, {"description": AFP_TEXT, "creators": ["Desk Editor"],
                         "date_created": "2016-02-05"})
    cap = captions.read_caption(photo)
    assert cap.photographer == "Desk Editor" and cap.photographer_kind is None
    assert cap.date == PartialDate(2016, 2, 5)


# -- errors -------------------------------------------------------------------------------------

def test_unknown_format_is_unsupported(tmp_path: Path) -> None:
    path = tmp_path / "notes.jpg"
    path.write_bytes(b"this is not a picture")
    with pytest.raises(Unsupported):
        captions.read_metadata(path)
    with pytest.raises(Unsupported):
        captions.write_caption(path, _caption())
    assert path.read_bytes() == b"this is not a picture"


def test_missing_file_is_a_plain_oserror(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError) as info:
        captions.read_metadata(tmp_path / "nope.jpg")
    assert info.value.filename == str(tmp_path / "nope.jpg")
    with pytest.raises(FileNotFoundError):
        captions.write_caption(tmp_path / "nope.jpg", _caption())
    with pytest.raises(IsADirectoryError):
        captions.read_metadata(tmp_path)


def test_unknown_field_name_refused(photo: Path) -> None:
    with pytest.raises(captions.ParseError, match="unknown field names: colour"):
        write_fields(photo, {"colour": "grey"})


@pytest.mark.parametrize("values, message", [
    ({"city": 5}, "city: expected a string"),
    ({"keywords": ["a", None]}, "keywords: every item must be a string"),
    ({"date_created": "2016-02-31"}, "no such date"),
    ({"date_created": "2016-02-04T25:00"}, "no such date or time"),
    ({"date_created": "Feb 4 2016"}, "not an ISO 8601 date"),
])
def test_bad_values_are_refused_with_the_field_named(photo: Path, values: dict, message: str) -> None:
    data = photo.read_bytes()
    with pytest.raises(captions.ParseError, match=message):
        write_fields(photo, values)
    assert photo.read_bytes() == data and _leftovers(photo.parent) == []


def test_a_single_creator_string_is_a_one_item_list(photo: Path) -> None:
    write_fields(photo, {"creators": "Jane Doe"})
    assert captions.read_metadata(photo).creators == ("Jane Doe",)


def test_truncated_jpeg_refused_and_untouched(photo: Path) -> None:
    photo.write_bytes(photo.read_bytes()[:40])
    data = photo.read_bytes()
    with pytest.raises(CodecError):
        captions.read_metadata(photo)
    with pytest.raises(CodecError):
        captions.write_caption(photo, _caption())
    assert photo.read_bytes() == data and _leftovers(photo.parent) == []


def test_disk_full_becomes_write_error(photo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = photo.read_bytes()

    def full(src: object, dst: io.BufferedWriter, update: object, *walked: object) -> None:
        dst.write(b"\xff\xd8")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(jpeg, "write", full)
    with pytest.raises(WriteError, match="disk is full") as info:
        captions.write_caption(photo, _caption())
    assert getattr(info.value, "errno", None) == errno.ENOSPC
    assert photo.read_bytes() == data and _leftovers(photo.parent) == []


@pytest.mark.parametrize("how", ["edited in place", "replaced"])
def test_a_file_changed_by_another_program_mid_write_is_left_as_it_wrote_it(
        photo: Path, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    real = jpeg.write

    def meanwhile(src: object, dst: io.BufferedWriter, update: object, *walked: object) -> None:
        real(src, dst, update, *walked)  # type: ignore[arg-type]
        if how == "edited in place":  # another editor rewrites the same file
            with open(photo, "r+b") as other:
                other.seek(0, os.SEEK_END)
                other.write(b"\0" * 16)
        else:  # another program replaces it with a new file
            new = photo.with_name("other.jpg")
            new.write_bytes(photo.read_bytes() + b"\1" * 8)
            os.replace(new, photo)

    monkeypatch.setattr(jpeg, "write", meanwhile)
    with pytest.raises(WriteError, match="changed by someone else"):
        captions.write_caption(photo, _caption())
    theirs = photo.read_bytes()
    assert theirs.endswith(b"\0" * 16 if how == "edited in place" else b"\1" * 8)
    assert _leftovers(photo.parent) == []


def test_read_back_mismatch_refused(photo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import captions.api as api

    data = photo.read_bytes()
    real = api.read_fields

    def wrong(path: Path) -> tuple[str, dict[str, str | list[str]], list[str]]:
        fmt, values, warnings = real(path)
        values["city"] = "Somewhere else"
        return fmt, values, warnings

    monkeypatch.setattr(api, "read_fields", wrong)
    with pytest.raises(CodecError, match="does not read back city"):
        captions.write_caption(photo, _caption())
    assert photo.read_bytes() == data and _leftovers(photo.parent) == []


def test_unwritable_folder_is_write_error(photo: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can write into a read-only folder")
    data = photo.read_bytes()
    os.chmod(photo.parent, 0o555)
    try:
        with pytest.raises(WriteError, match="permission denied"):
            captions.write_caption(photo, _caption())
    finally:
        os.chmod(photo.parent, 0o755)
    assert photo.read_bytes() == data


# -- precedence (Metadata Working Group rules as ExifTool applies them) -------------------------

def _with_iim(photo: Path, iim_values: dict[str, str | list[str] | None], digest: str) -> None:
    """Replace the IIM of ``photo`` (keeping its XMP) and set the digest to ``digest``:
    "match" (MD5 of the new IIM), "stale" (left as it was) or "none" (removed)."""
    from captions.metadata import iim, irb
    from captions.metadata.containers import Payloads

    with open(photo, "rb") as fp:
        p = jpeg.read(fp)
    assert p.irb is not None
    resources = irb.decode(p.irb)
    block = irb.get(resources, irb.IPTC_NAA)
    assert block is not None
    datasets, _ = iim.update(iim.decode(block.data), iim_values)
    new_block = iim.encode(datasets)
    resources = irb.replace(resources, irb.IPTC_NAA, new_block)
    if digest == "match":
        resources = irb.replace(resources, irb.IPTC_DIGEST, irb.iptc_digest(new_block))
    elif digest == "none":
        resources = [r for r in resources if r.id != irb.IPTC_DIGEST]
    out = io.BytesIO()
    with open(photo, "rb") as fp:
        jpeg.write(fp, out, Payloads(irb=irb.encode(resources)))
    photo.write_bytes(out.getvalue())


@pytest.mark.parametrize("digest, winner", [("match", "XMP"), ("none", "XMP"), ("stale", "IIM")])
def test_digest_decides_between_iim_and_xmp(photo: Path, digest: str, winner: str) -> None:
    write_fields(photo, {"description": "Caption as XMP has it.", "city": "Doha"})
    _with_iim(photo, {"description": "Caption as IIM has it."}, digest)
    _, values, warnings = read_fields(photo)
    assert values["description"] == f"Caption as {winner} has it."
    assert values["city"] == "Doha"
    if winner == "IIM":
        assert any("IIM is newer than XMP" in w for w in warnings)
    else:
        assert any("XMP used for description" in w for w in warnings)


def test_stale_digest_recovers_values_cut_at_the_iim_limit(photo: Path) -> None:
    credit = "Mariam Al-Sayed for Agence France-Presse/AFP"
    write_fields(photo, {"credit_line": credit})
    _with_iim(photo, {"description": "Newer IIM caption."}, "stale")  # credit stays cut in IIM
    _, values, _ = read_fields(photo)
    assert values["description"] == "Newer IIM caption."
    assert values["credit_line"] == credit


def test_stale_digest_xmp_fills_fields_iim_lacks(photo: Path) -> None:
    write_fields(photo, {"description": "XMP caption.", "headline": "Doha protest"})
    _with_iim(photo, {"description": "IIM caption.", "headline": None}, "stale")
    _, values, _ = read_fields(photo)
    assert (values["description"], values["headline"]) == ("IIM caption.", "Doha protest")


def test_write_on_stale_digest_keeps_newer_iim_values_everywhere(photo: Path) -> None:
    from captions.metadata import exif, irb, xmp

    write_fields(photo, {"description": "Old caption.", "city": "Doha"})
    _with_iim(photo, {"description": "Caption corrected by a wire system."}, "stale")
    warnings = write_fields(photo, {"city": "Al Wakrah"})
    assert any("IIM was newer than XMP" in w and "description" in w for w in warnings)
    _, values, _ = read_fields(photo)
    assert values["description"] == "Caption corrected by a wire system."
    assert values["city"] == "Al Wakrah"
    with open(photo, "rb") as fp:
        p = jpeg.read(fp)
    assert p.xmp is not None and p.irb is not None and p.exif is not None
    assert xmp.read_fields(p.xmp)[0]["description"] == "Caption corrected by a wire system."
    assert exif.read_fields(p.exif)[0]["description"] == "Caption corrected by a wire system."
    resources = irb.decode(p.irb)
    block, digest = irb.get(resources, irb.IPTC_NAA), irb.get(resources, irb.IPTC_DIGEST)
    assert block is not None and digest is not None
    assert digest.data == irb.iptc_digest(block.data)


def test_exif_only_fills_gaps(photo: Path) -> None:
    from captions.metadata import exif
    from captions.metadata.containers import Payloads

    write_fields(photo, {"description": "IPTC caption."})
    with open(photo, "rb") as fp:
        p = jpeg.read(fp)
    assert p.exif is not None
    boiler = exif.update(p.exif, {"description": "OLYMPUS DIGITAL CAMERA", "creators": ["Cam"]})
    out = io.BytesIO()
    with open(photo, "rb") as fp:
        jpeg.write(fp, out, Payloads(exif=boiler))
    photo.write_bytes(out.getvalue())
    _, values, _ = read_fields(photo)
    assert values["description"] == "IPTC caption."
    assert values["creators"] == ["Cam"]  # IPTC has no creator: EXIF fills the gap


def test_control_characters_are_stripped_everywhere_with_a_warning(tmp_path):
    """Old wire systems put control codes (U+001C, U+000B) in IIM captions; XML cannot carry
    them, so the write removes them from every place and says so."""
    from PIL import Image

    import captions
    from captions.api import write_fields

    path = tmp_path / "ctrl.jpg"
    Image.new("RGB", (8, 8), "white").save(path)
    warnings = write_fields(path, {"description": "Flood\x1cwaters\x0b rise", "city": "Pa\x0bris"})
    meta = captions.read_metadata(path)
    assert meta.description == "Floodwaters rise"
    assert meta.city == "Paris"
    assert any("U+001C" in w and "description" in w for w in warnings)
    assert any("city" in w for w in warnings)


def test_threads_share_the_library_safely(tmp_path):
    """A threaded CMS calls read and write from many threads at once."""
    from concurrent.futures import ThreadPoolExecutor

    from PIL import Image

    import captions

    paths = []
    for i in range(8):
        p = tmp_path / f"t{i}.jpg"
        Image.new("RGB", (16, 16), (i * 30, 0, 0)).save(p)
        paths.append(p)

    conflicts = []

    def work(i: int) -> tuple[str | None, str | None]:
        p = paths[i % len(paths)]
        # two threads rewriting one file at once: the later one is told (WriteError), so a
        # CMS can retry instead of one update silently overwriting the other
        for _ in range(100):
            try:
                captions.write_fields(p, {"city": f"City {i}", "description": f"Picture {i}"},
                                      durable=False)
                break
            except captions.WriteError as exc:
                assert "changed by someone else" in str(exc)
                conflicts.append(i)
        else:
            raise AssertionError("never got to write")
        return captions.read_metadata(p).city, captions.read_metadata(paths[(i + 3) % 8]).description

    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(work, range(400)))
    assert len(results) == 400
    assert all(city and city.startswith("City ") for city, _ in results)
    assert _leftovers(tmp_path) == []


def test_a_file_name_near_the_limit_can_be_written(tmp_path):
    from PIL import Image

    import captions

    path = tmp_path / ("é" * 100 + ".jpg")  # 204 bytes: the temp name must not exceed 255
    Image.new("RGB", (8, 8)).save(path)
    captions.write_fields(path, {"city": "Paris"})
    assert captions.read_metadata(path).city == "Paris"
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


@pytest.mark.parametrize("data, message", [
    ({"location": ["Paris"]}, "location must be an object"),
    ({"warnings": 5}, "expected a list of strings"),
    ({"warnings": "abc"}, "expected a list of strings"),
    ({"date": 2016}, "date must be an ISO 8601 string"),
    ({"location": {"city": 3}}, "expected a string or null"),
])
def test_caption_from_bad_json_is_a_parse_error(data: dict, message: str) -> None:
    with pytest.raises(captions.ParseError, match=message):
        captions.Caption.from_dict(data)


def test_caption_json_round_trip() -> None:
    cap = captions.parse_caption("Fans cheer in Paris, France, May 3, 2024. REUTERS/Anna Keller")
    assert captions.Caption.from_dict(cap.to_dict(), text=cap.text) == cap


def test_read_caption_then_write_back_keeps_the_time(photo: Path) -> None:
    write_fields(photo, {"date_created": "2016-02-04T10:30:00+01:00", "city": "Aleppo"})
    cap = captions.read_caption(photo)
    assert cap.date == captions.PartialDate(2016, 2, 4)
    captions.write_caption(photo, cap)
    assert captions.read_metadata(photo).date_created == "2016-02-04T10:30:00+01:00"
    # a different day still replaces it
    captions.write_caption(photo, attrs.evolve(cap, date=captions.PartialDate(2016, 2, 5)))
    assert captions.read_metadata(photo).date_created == "2016-02-05"


def test_read_caption_then_write_back_keeps_a_creator_with_and(photo: Path) -> None:
    write_fields(photo, {"creators": ["Smith and Sons Photography"], "city": "Leeds"})
    captions.write_caption(photo, captions.read_caption(photo))
    assert captions.read_metadata(photo).creators == ("Smith and Sons Photography",)


def test_parse_caption_from_many_threads_gives_the_same_answers():
    """The batch's writer threads and threaded CMS plugins share the parser's caches."""
    import json
    import sys
    from concurrent.futures import ThreadPoolExecutor
    from pathlib import Path

    import captions

    corpus = Path(__file__).resolve().parent / "corpus" / "captions.jsonl"
    texts = [json.loads(line)["text"] for line in corpus.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    expected = [captions.parse_caption(t).to_dict() for t in texts]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible: races show up
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            got = list(pool.map(lambda t: captions.parse_caption(t).to_dict(), texts * 2))
    finally:
        sys.setswitchinterval(interval)
    assert got == expected * 2
