"""Hostile XMP: entity bombs, external entities, DTDs, huge packets, wrong encodings.

Documented behaviour (``captions/metadata/xmp.py`` and ``engine.py``):

* ``xmp.read_fields`` refuses such a packet with :class:`~captions.errors.Malformed`;
* ``read_metadata`` still reads the file: the XMP is ignored with a warning naming it, and the
  other payloads (here IIM, EXIF) give the fields;
* ``write_caption`` refuses (a packet we cannot parse cannot be rewritten losslessly), and the
  file stays byte-identical with no temp file left.

Every call runs under a time guard and an allocation cap, so an expansion that happened
anyway shows up as a failure, not as a stuck or swapping test run.
"""

from __future__ import annotations

import struct
import tracemalloc
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from captions.errors import CaptionsError, Malformed
from captions.model import Caption

from ._samples import (
    DESCRIPTION,
    jpeg_bytes,
    optional_module,
    png_bytes,
    public_api,
    temp_leftovers,
    time_guard,
    xmp_packet,
)

SENTINEL = "XMP-SENTINEL-MUST-NOT-BE-READ"
PEAK_LIMIT = 64 * 1024 * 1024

_BODY = xmp_packet(SENTINEL).decode()
_START = _BODY.index("<x:xmpmeta")


def with_prolog(prolog: str, body: str = _BODY, *, entity_in_text: str = "") -> bytes:
    """The sample packet with ``prolog`` (a DOCTYPE) before ``<x:xmpmeta>``."""
    text = body[:_START] + prolog + "\n" + body[_START:]
    if entity_in_text:
        text = text.replace(SENTINEL, SENTINEL + entity_in_text)
    return text.encode()


BILLION_LAUGHS = "<!DOCTYPE x:xmpmeta [\n<!ENTITY lol0 \"lol\">\n" + "".join(
    f"<!ENTITY lol{i} \"{('&lol' + str(i - 1) + ';') * 10}\">\n" for i in range(1, 10)) + "]>"

HOSTILE: dict[str, bytes] = {
    "billion-laughs": with_prolog(BILLION_LAUGHS, entity_in_text="&lol9;"),
    "quadratic-blowup": with_prolog(
        '<!DOCTYPE x:xmpmeta [<!ENTITY a "' + "A" * 20_000 + '">]>',
        entity_in_text="&a;" * 1000),
    "external-entity-file": with_prolog(
        '<!DOCTYPE x:xmpmeta [<!ENTITY ext SYSTEM "file:///etc/hostname">]>',
        entity_in_text="&ext;"),
    "external-entity-http": with_prolog(
        '<!DOCTYPE x:xmpmeta [<!ENTITY ext SYSTEM "http://127.0.0.1:9/x.xml">]>',
        entity_in_text="&ext;"),
    "external-dtd": with_prolog('<!DOCTYPE x:xmpmeta SYSTEM "http://127.0.0.1:9/evil.dtd">'),
    "parameter-entity": with_prolog(
        '<!DOCTYPE x:xmpmeta [<!ENTITY % pe SYSTEM "file:///etc/passwd"> %pe;]>'),
    "plain-internal-dtd": with_prolog("<!DOCTYPE x:xmpmeta [<!ELEMENT x:xmpmeta ANY>]>"),
    "invalid-utf8": _BODY.replace(SENTINEL, "caf\xe9").encode("utf-8").replace(
        "caf\xe9".encode(), b"caf\xe9\xff\xfe"),
    "latin1-bytes": _BODY.replace(SENTINEL, "J\xf6rg caf\xe9").encode("latin-1", "replace"),
    "utf16-odd-length": b"\xff\xfe" + _BODY.encode("utf-16-le") + b"\x00",
    "nul-in-text": _BODY.replace(SENTINEL, SENTINEL + "\x00\x01").encode(),
    "not-xml": b"<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?>\x00\x01 garbage <<<<",
}

#: XMP that is odd but legal: read or refused, either is fine, but never a crash or a lie
ODD: dict[str, bytes] = {
    "declared-utf16-but-utf8": b'<?xml version="1.0" encoding="UTF-16"?>\n' + _BODY.encode(),
    "utf16-with-bom": b"\xff\xfe" + _BODY.encode("utf-16-le"),
    "utf32-with-bom": b"\xff\xfe\x00\x00" + _BODY.encode("utf-32-le"),
    # 20,000 nested elements inside the description: must not hit Python's recursion limit
    "deep-nesting": _BODY.replace(SENTINEL, "<a>" * 20_000 + SENTINEL + "</a>" * 20_000).encode(),
}


def bounded(what: str, call: Callable[[], Any]) -> Any:
    tracemalloc.start()
    try:
        with time_guard(10.0, what):
            return call()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert peak < PEAK_LIMIT, f"{what}: allocated {peak:,} bytes (entity expansion?)"


def xmp_module() -> Any:
    mod = optional_module("metadata.xmp")
    if mod is None or not hasattr(mod, "read_fields"):
        pytest.skip("captions.metadata.xmp does not exist yet")
    return mod


def api() -> tuple[Any, Any]:
    read_metadata, write_caption = public_api("read_metadata"), public_api("write_caption")
    if read_metadata is None or write_caption is None:
        pytest.skip("captions.read_metadata/write_caption do not exist yet")
    return read_metadata, write_caption


@pytest.mark.parametrize("case", list(HOSTILE))
def test_codec_refuses_hostile_packet(case: str) -> None:
    xmp = xmp_module()
    with pytest.raises(Malformed) as info:
        bounded(case, lambda: xmp.read_fields(HOSTILE[case]))
    assert str(info.value), "the error must say why"
    with pytest.raises(Malformed):
        bounded(case, lambda: xmp.update(HOSTILE[case], {"description": "new"}))


def test_codec_refuses_huge_packet() -> None:
    xmp = xmp_module()
    limit = getattr(xmp, "MAX_PACKET", 16 * 1024 * 1024)
    huge = _BODY.replace(SENTINEL, "x" * (limit + 1)).encode()
    with pytest.raises(Malformed, match=r"(?i)limit|large|big|huge"):
        bounded("huge", lambda: xmp.read_fields(huge))


@pytest.mark.parametrize("case", list(ODD))
def test_codec_odd_but_legal_packets(case: str) -> None:
    xmp = xmp_module()
    try:
        values, warnings = bounded(case, lambda: xmp.read_fields(ODD[case]))
    except Malformed as exc:
        assert str(exc)
    else:
        # read whole, or left out (the nested case drops it: an element inside rdf:li)
        assert values.get("description") in (SENTINEL, None), warnings
        assert values.get("city") == "Kyiv"


def hostile_jpeg(packet: bytes) -> bytes:
    """A JPEG whose IIM and EXIF are fine and whose APP1 XMP is ``packet``."""
    assert len(packet) <= 65_000, "a JPEG XMP segment holds at most 65,502 bytes"
    return jpeg_bytes(xmp=packet)


JPEG_CASES = [c for c in HOSTILE if len(HOSTILE[c]) <= 65_000]


@pytest.mark.parametrize("case", JPEG_CASES)
def test_read_ignores_hostile_xmp_with_a_warning(case: str, tmp_path: Path) -> None:
    read_metadata, _ = api()
    path = tmp_path / "hostile.jpg"
    path.write_bytes(hostile_jpeg(HOSTILE[case]))
    meta = bounded(case, lambda: read_metadata(path))
    assert meta.description == DESCRIPTION, "the IIM caption must still be read"
    assert SENTINEL not in repr(meta.to_dict())
    assert any("XMP" in w for w in meta.warnings), meta.warnings


@pytest.mark.parametrize("case", JPEG_CASES)
def test_write_refuses_hostile_xmp_and_leaves_file(case: str, tmp_path: Path) -> None:
    _, write_caption = api()
    data = hostile_jpeg(HOSTILE[case])
    path = tmp_path / "hostile.jpg"
    path.write_bytes(data)
    with pytest.raises(CaptionsError) as info:
        bounded(case, lambda: write_caption(path, Caption(subject="A new caption.")))
    assert "XMP" in str(info.value) or isinstance(info.value, Malformed), str(info.value)
    assert path.read_bytes() == data
    assert temp_leftovers(tmp_path) == []


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def test_huge_xmp_in_png_read_and_write(tmp_path: Path) -> None:
    """A PNG whose iTXt XMP is over the packet limit: read warns, write refuses."""
    read_metadata, write_caption = api()
    xmp = xmp_module()
    limit = getattr(xmp, "MAX_PACKET", 16 * 1024 * 1024)
    packet = _BODY.replace(SENTINEL, "x" * (limit + 16)).encode()
    base = png_bytes()
    # drop the sample's own XMP chunk, add the huge one before IEND
    pos = base.index(b"iTXt") - 4
    (n,) = struct.unpack(">I", base[pos:pos + 4])
    base = base[:pos] + base[pos + 12 + n:]
    chunk = _png_chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + packet)
    data = base[:-12] + chunk + base[-12:]
    path = tmp_path / "huge.png"
    path.write_bytes(data)
    try:
        meta = read_metadata(path)
    except CaptionsError as exc:  # refusing the whole file is acceptable too
        assert str(exc)
    else:
        assert SENTINEL not in repr(meta.to_dict())
        assert "x" * 100 not in (meta.description or "")
    with pytest.raises(CaptionsError):
        write_caption(path, Caption(subject="A new caption."))
    assert path.read_bytes() == data
    assert temp_leftovers(tmp_path) == []
