"""The JPEG container (``captions.metadata.containers.jpeg``) on JPEGs built byte by byte.

Each test assembles the segments it needs with :func:`seg` / :func:`jpeg_file`, so the layout
under test is visible in the test itself.  Corrupt-input tests check that only
:class:`~captions.errors.CodecError` subclasses escape.
"""

from __future__ import annotations

import io
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from captions.errors import CodecError, Malformed, Truncated
from captions.metadata.containers import Payloads, detect
from captions.metadata.containers import jpeg

from ._reading import CountingReader

SCAN = b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00" + b"\x12\x34\xff\x00\x56\xff\xd0\x78" + b"\xff\xd9"
TIFF = b"II*\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00"
XMP = b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"/>'
DQT = b"\xff\xdb\x00\x43\x00" + bytes(range(64))


def seg(marker: int, payload: bytes) -> bytes:
    """One marker segment: FF marker, length (counting itself), payload."""
    return b"\xff" + bytes((marker,)) + struct.pack(">H", len(payload) + 2) + payload


def jfif() -> bytes:
    return seg(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")


def exif(tiff: bytes = TIFF) -> bytes:
    return seg(0xE1, jpeg.EXIF_HEADER + tiff)


def xmp(packet: bytes = XMP) -> bytes:
    return seg(0xE1, jpeg.XMP_HEADER + packet)


def app13(irb: bytes) -> bytes:
    return seg(0xED, jpeg.PS_HEADER + irb)


def resource(rid: int, data: bytes) -> bytes:
    pad = b"\x00" if len(data) % 2 else b""
    return b"8BIM" + struct.pack(">H", rid) + b"\x00\x00" + struct.pack(">I", len(data)) + data + pad


def jpeg_file(*segments: bytes, tail: bytes = SCAN) -> bytes:
    return b"\xff\xd8" + b"".join(segments) + tail


def read(data: bytes) -> Payloads:
    return jpeg.read(io.BytesIO(data))


def write(data: bytes, update: Payloads) -> bytes:
    out = io.BytesIO()
    jpeg.write(io.BytesIO(data), out, update)
    return out.getvalue()


def kinds(data: bytes) -> list[str]:
    """The segment kinds before SOS, e.g. ``["SOI", "APP0", "exif", "xmp", "DQT"]``."""
    names = {0xD8: "SOI", 0xE0: "APP0", 0xDB: "DQT", 0xE2: "APP2", 0xFE: "COM", 0xED: "APP13"}
    out = []
    for s in jpeg.walk(io.BytesIO(data)).segments:
        out.append(s.kind() or (names.get(s.marker, hex(s.marker)) if s.marker else "stray"))
    return out


# -- reading -----------------------------------------------------------------------------------

def test_matches_and_detect() -> None:
    data = jpeg_file(DQT)
    assert jpeg.matches(data[:16])
    assert not jpeg.matches(b"\x89PNG\r\n\x1a\n")
    assert detect(io.BytesIO(data)) is jpeg


def test_reads_each_payload() -> None:
    irb = resource(0x0404, b"\x1c\x02\x78\x00\x03abc")
    p = read(jpeg_file(jfif(), exif(), xmp(), app13(irb), DQT))
    assert p.exif == TIFF
    assert p.xmp == XMP
    assert p.irb == irb
    assert p.xmp_extended is None and p.warnings == ()


def test_irb_split_over_app13_segments_is_joined_in_order() -> None:
    irb = resource(0x0404, b"x" * 101) + resource(0x0425, b"d" * 16)
    p = read(jpeg_file(app13(irb[:50]), DQT, app13(irb[50:])))
    assert p.irb == irb


def test_non_photoshop_app13_is_not_an_irb() -> None:
    p = read(jpeg_file(seg(0xED, b"Adobe_CM\x00\x01"), DQT))
    assert p.irb is None


def test_fill_bytes_before_markers() -> None:
    data = b"\xff\xd8" + b"\xff\xff" + exif() + b"\xff\xff\xff" + DQT + SCAN
    assert read(data).exif == TIFF
    assert write(data, Payloads()) == data


def test_stray_bytes_skipped_with_warning_and_kept_on_write() -> None:
    data = jpeg_file(app13(resource(0x0406, b"qq")), b"8BIM\x04\x06junk", xmp(), DQT)
    p = read(data)
    assert p.xmp == XMP
    assert any("10 stray bytes" in w for w in p.warnings)
    assert write(data, Payloads()) == data
    new = write(data, Payloads(xmp=XMP + b" "))
    assert b"8BIM\x04\x06junk" in new and read(new).xmp == XMP + b" "


def test_damaged_xmp_header_read_with_warning() -> None:
    data = jpeg_file(seg(0xE1, b"XMP\x00://ns.adobe.com/xap/1.0/\x00" + XMP), DQT)
    p = read(data)
    assert p.xmp == XMP and any("damaged header" in w for w in p.warnings)
    new = write(data, Payloads(xmp=XMP))  # rewritten with the standard header
    assert jpeg.XMP_HEADER + XMP in new and b"XMP\x00://" not in new


def _ext_chunk(guid: bytes, full: int, offset: int, data: bytes) -> bytes:
    return seg(0xE1, jpeg.XMP_EXT_HEADER + guid + struct.pack(">II", full, offset) + data)


def test_extended_xmp_reassembled_by_guid_and_offset() -> None:
    guid, other = b"A" * 32, b"B" * 32
    body = b"<x:xmpmeta>" + b"z" * 100 + b"</x:xmpmeta>"
    main = XMP + b"<xmpNote:HasExtendedXMP>" + guid + b"</xmpNote:HasExtendedXMP>"
    data = jpeg_file(
        xmp(main),
        _ext_chunk(other, 5, 0, b"wrong"),
        _ext_chunk(guid, len(body), 60, body[60:]),  # out of order
        _ext_chunk(guid, len(body), 0, body[:60]),
        DQT,
    )
    p = read(data)
    assert p.xmp_extended == body
    new = write(data, Payloads(xmp=main + b" "))
    assert new.count(jpeg.XMP_EXT_HEADER) == 3  # extended segments kept untouched
    assert read(new).xmp_extended == body


def test_incomplete_extended_xmp_is_dropped_with_warning() -> None:
    guid = b"C" * 32
    p = read(jpeg_file(xmp(), _ext_chunk(guid, 100, 0, b"x" * 40), DQT))
    assert p.xmp_extended is None
    assert any("extended XMP" in w for w in p.warnings)


def test_two_main_xmp_packets_first_wins_and_write_keeps_one() -> None:
    data = jpeg_file(xmp(XMP + b"1"), xmp(XMP + b"2"), DQT)
    p = read(data)
    assert p.xmp == XMP + b"1" and any("2 main XMP packets" in w for w in p.warnings)
    new = write(data, Payloads(xmp=XMP + b"3"))
    assert kinds(new) == ["SOI", "xmp", "DQT"] and read(new).xmp == XMP + b"3"


def test_reading_stops_at_sos() -> None:
    after = xmp(XMP + b"after-sos")
    p = read(jpeg_file(DQT, tail=SCAN[:-2] + after + b"\xff\xd9"))
    assert p.xmp is None


def test_eoi_before_sos_reads_with_warning() -> None:
    p = read(jpeg_file(exif(), tail=b"\xff\xd9"))
    assert p.exif == TIFF and any("EOI" in w for w in p.warnings)


@pytest.mark.parametrize("data, error", [
    (b"\x00\x00\x00\x00", Malformed),                         # no SOI
    (jpeg_file(exif(), tail=b""), Truncated),                 # ends before any image data
    (b"\xff\xd8" + exif()[:-5], Truncated),                   # ends inside a segment
    (b"\xff\xd8\xff\xe1\x00", Truncated),                     # ends inside a length word
    (b"\xff\xd8\xff\xe1\x00\x01" + SCAN, Malformed),          # length below 2
    (b"\xff\xd8\xff", Truncated),                             # ends inside a marker
])
def test_broken_header_raises_codec_errors(data: bytes, error: type[CodecError]) -> None:
    with pytest.raises(error):
        read(data)
    with pytest.raises(error):
        write(data, Payloads(xmp=XMP))


# -- writing -----------------------------------------------------------------------------------

def test_nothing_to_replace_copies_every_byte() -> None:
    data = jpeg_file(jfif(), exif(), xmp(), seg(0xE2, b"ICC_PROFILE\x00\x01\x01abc"),
                     app13(resource(0x0404, b"")), seg(0xFE, b"a comment"), DQT,
                     tail=SCAN + b"trailer after EOI")
    assert write(data, Payloads()) == data
    assert write(data, Payloads(exif=TIFF, xmp=XMP, irb=resource(0x0404, b""))) == data


def test_replacements_stay_in_place_and_scan_is_untouched() -> None:
    data = jpeg_file(jfif(), exif(), seg(0xE2, b"ICC_PROFILE\x00"), xmp(),
                     app13(resource(0x0404, b"old")), DQT, tail=SCAN + b"TRAILER")
    new_tiff = b"MM\x00*\x00\x00\x00\x08" + b"\x00" * 6
    new = write(data, Payloads(exif=new_tiff, xmp=XMP + b"  ", irb=resource(0x0404, b"new!")))
    assert kinds(new) == ["SOI", "APP0", "exif", "APP2", "xmp", "irb", "DQT"]
    p = read(new)
    assert (p.exif, p.xmp, p.irb) == (new_tiff, XMP + b"  ", resource(0x0404, b"new!"))
    assert new.endswith(SCAN + b"TRAILER")


def test_missing_payloads_are_added_in_their_places() -> None:
    data = jpeg_file(jfif(), seg(0xE0, b"JFXX\x00\x10"), seg(0xE2, b"ICC_PROFILE\x00"), DQT,
                     seg(0xFE, b"c"))
    new = write(data, Payloads(exif=TIFF, xmp=XMP, irb=resource(0x0404, b"x")))
    assert kinds(new) == ["SOI", "APP0", "APP0", "exif", "xmp", "APP2", "irb", "DQT", "COM"]


def test_new_xmp_goes_after_existing_exif() -> None:
    data = jpeg_file(jfif(), exif(), app13(resource(0x0404, b"")), DQT)
    new = write(data, Payloads(xmp=XMP))
    assert kinds(new) == ["SOI", "APP0", "exif", "xmp", "irb", "DQT"]


def test_file_with_only_soi_and_sos() -> None:
    new = write(jpeg_file(), Payloads(exif=TIFF, xmp=XMP, irb=resource(0x0404, b"")))
    assert kinds(new) == ["SOI", "exif", "xmp", "irb"]


def test_large_irb_is_split_over_several_app13_and_reads_back() -> None:
    irb = resource(0x0404, bytes(range(256)) * 600) + resource(0x0425, b"d" * 16)
    data = jpeg_file(app13(resource(0x0404, b"")), DQT, app13(resource(0x0425, b"e" * 16)))
    new = write(data, Payloads(irb=irb))
    assert kinds(new) == ["SOI", "irb", "irb", "irb", "DQT"]
    assert read(new).irb == irb


def test_empty_payload_removes_segments() -> None:
    data = jpeg_file(exif(), xmp(), app13(resource(0x0404, b"")), app13(resource(1, b"")), DQT)
    new = write(data, Payloads(irb=b"", xmp=b""))
    assert kinds(new) == ["SOI", "exif", "DQT"]


@pytest.mark.parametrize("update, what", [
    (Payloads(exif=b"I" * 65528), "EXIF block"),
    (Payloads(xmp=b"x" * 65505), "XMP packet"),
])
def test_oversized_payload_is_refused_clearly(update: Payloads, what: str) -> None:
    with pytest.raises(CodecError, match=f"{what} of .* does not fit in a JPEG segment"):
        write(jpeg_file(DQT), update)


def test_largest_payloads_that_fit() -> None:
    new = write(jpeg_file(DQT), Payloads(exif=b"I" * 65527, xmp=b"x" * 65504))
    p = read(new)
    assert len(p.exif or b"") == 65527 and len(p.xmp or b"") == 65504


def _mpf(order: str, offset: int) -> bytes:
    """An MPF APP2: TIFF header, IFD0 with an MP Entry for two images (second at ``offset``)."""
    entries = struct.pack(order + "IIIHH", 0x20030000, 1000, 0, 0, 0) + \
        struct.pack(order + "IIIHH", 0x00020000, 50, offset, 0, 0)
    magic = b"II*\x00" if order == "<" else b"MM\x00*"
    ifd = struct.pack(order + "H", 1) + struct.pack(order + "HHII", 0xB002, 7, 32, 8 + 2 + 12 + 4) \
        + struct.pack(order + "I", 0)
    return seg(0xE2, b"MPF\x00" + magic + struct.pack(order + "I", 8) + ifd + entries)


def _mp_offset(data: bytes, order: str) -> int:
    for s in jpeg.walk(io.BytesIO(data)).segments:
        if s.payload.startswith(b"MPF\x00"):
            tiff = s.payload[4:]
            return int(struct.unpack_from(order + "I", tiff, 8 + 2 + 12 + 4 + 16 + 8)[0])
    raise AssertionError("no MPF segment")


@pytest.mark.parametrize("order", ["<", ">"])
def test_mpf_offsets_follow_size_changes_after_the_mpf_segment(order: str) -> None:
    data = jpeg_file(exif(), _mpf(order, 5000), app13(resource(0x0404, b"ab")), DQT)
    new = write(data, Payloads(irb=resource(0x0404, b"a" * 102)))
    assert _mp_offset(new, order) == 5000 + 100
    # a change before the MPF segment moves the header too: offsets stay
    new2 = write(data, Payloads(exif=TIFF + b"\x00" * 40))
    assert _mp_offset(new2, order) == 5000


# -- corrupt input: only CodecError subclasses -------------------------------------------------

_SAMPLE = jpeg_file(jfif(), exif(), xmp(), app13(resource(0x0404, b"\x1c\x02\x78\x00\x01a")),
                    _ext_chunk(b"G" * 32, 4, 0, b"abcd"), DQT)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_mutated_jpegs_raise_only_codec_errors(data: st.DataObject) -> None:
    buf = bytearray(_SAMPLE)
    for _ in range(data.draw(st.integers(1, 6))):
        pos = data.draw(st.integers(0, len(buf) - 1))
        buf[pos] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(2, len(buf)))
    sample = bytes(buf[:cut])
    try:
        read(sample)
    except CodecError:
        pass
    try:
        write(sample, Payloads(xmp=XMP, irb=b"", exif=TIFF))
    except CodecError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_after_soi_raise_only_codec_errors(tail: bytes) -> None:
    try:
        read(b"\xff\xd8" + tail)
    except CodecError:
        pass


@pytest.mark.parametrize("data", [
    jpeg_file(jfif(), exif(), xmp(), DQT),
    jpeg_file(jfif(), b"\x00\x01junk", DQT, app13(resource(0x0404, b"\x1c\x02\x05\x00\x01T"))),
    jpeg_file(DQT, tail=SCAN + b"trailer"),
])
def test_write_with_the_walk_of_read_for_write_is_write(data: bytes) -> None:
    update = Payloads(exif=TIFF, xmp=XMP + b" ", irb=resource(0x0404, b"\x1c\x02\x05\x00\x01U"))
    src = io.BytesIO(data)
    payloads, walked = jpeg.read_for_write(src)
    assert payloads == read(data)
    out = io.BytesIO()
    jpeg.write(src, out, update, walked)
    assert out.getvalue() == write(data, update)


def test_a_long_header_is_not_read_far_past_its_end() -> None:
    """The walk reads the header in growing steps, but never more than a few MB past the
    segment it needs: the image data after SOS stays unread."""
    com = b"\xff\xfe\xff\xff" + b"c" * 65533  # a full-size COM segment
    header = b"\xff\xd8" + com * 160  # ~10 MB of segments before the image data
    body = b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00" + b"\x55" * (40 * 1024 * 1024)

    fp = CountingReader(header + body)
    w = jpeg.walk(fp)
    assert w.rest_offset == len(header) and w.damage is None
    assert fp.taken <= len(header) + 4 * 1024 * 1024 + 64 * 1024
