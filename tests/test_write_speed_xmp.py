"""The write path's faster XMP code against the code it replaced (same readings, same errors).

``xmp.read_fields`` reads packets straight from ElementTree's elements; the reference is the
earlier reading through ``_scan_tree`` records (or the guarded handler scan), kept in
``xmp.py`` for this comparison.  Inputs: every packet of ``tests/metadata/test_xmp.py``
(synthetic ones, and the real ones of ``../shared/images`` when present) and seeded
mutations of them that insert, delete or swap XML pieces (the property forms XMP allows and
a few it does not), so that the rarer branches (``rdf:value``, ``rdf:resource``, structures,
several items, ``xml:lang``, text around child elements) are exercised.
"""

from __future__ import annotations

import random

import pytest

from captions.errors import Malformed
from captions.metadata import xmp
from tests.metadata.test_xmp import ALL_PACKETS

#: pieces inserted into packets by the mutations
PIECES = (
    b"<", b">", b"/>", b"</", b'"', b" ", b"\n", b"&amp;", b"&#13;", b"x", b"<!-- c -->",
    b"<?pi x?>", b"<rdf:li>a</rdf:li>", b'<rdf:li xml:lang="x-default">d</rdf:li>',
    b'<rdf:li xml:lang="fr">f</rdf:li>', b"<rdf:value>v</rdf:value>", b' rdf:value="w"',
    b' rdf:resource="r"', b' xml:lang="de"', b' ex:q="1"', b"<rdf:Bag>", b"</rdf:Bag>",
    b"<rdf:Seq><rdf:li>s1</rdf:li><rdf:li>s2</rdf:li></rdf:Seq>",
    b"<rdf:Alt><rdf:li>n</rdf:li></rdf:Alt>", b"<ex:s>t</ex:s>", b"tail",
    b'<rdf:Description rdf:about="" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" '
    b'photoshop:City="Oslo"/>',
    b'<photoshop:Headline xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/">H'
    b"</photoshop:Headline>",
    b'<dc:subject xmlns:dc="http://purl.org/dc/elements/1.1/"><rdf:Bag><rdf:li>k</rdf:li>'
    b"<rdf:li><rdf:value>kv</rdf:value></rdf:li><rdf:li/></rdf:Bag></dc:subject>",
    b'<photoshop:DateCreated xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/">'
    b"2020:13:01</photoshop:DateCreated>",
    b' xmlns:ex="http://example.com/ns/"',
)


def reference_read(packet: bytes) -> tuple[dict[str, object], list[str]]:
    """``xmp.read_fields`` as it was: records from ``_scan_tree`` or the handler scan."""
    data = xmp._to_utf8(packet)
    body = xmp._unpadded(data) or data
    scan = (xmp._scan_tree(body) if len(body) <= xmp._TREE_MAX else None) or xmp._scan(data)
    if scan.rdf is None:
        return {}, ["XMP packet has no rdf:RDF element"]
    fields, warnings = xmp._collect(scan)
    return dict(fields), warnings


def outcome(read: object, packet: bytes) -> tuple[str, object]:
    try:
        return "ok", read(packet)  # type: ignore[operator]
    except Malformed as exc:
        return "error", str(exc)


def mutate(packet: bytes, rng: random.Random) -> bytes:
    out = bytearray(packet)
    for _ in range(rng.randint(1, 3)):
        op = rng.random()
        at = rng.randrange(len(out) + 1)
        if op < 0.5:
            out[at:at] = rng.choice(PIECES)
        elif op < 0.8:
            del out[at:at + rng.randint(1, 12)]
        else:  # move a slice elsewhere
            size = rng.randint(1, 40)
            piece = bytes(out[at:at + size])
            del out[at:at + size]
            to = rng.randrange(len(out) + 1)
            out[to:to] = piece
    return bytes(out)


@pytest.mark.parametrize("index", range(len(ALL_PACKETS)))
def test_read_fields_reads_as_before(index: int) -> None:
    packet = ALL_PACKETS[index]
    assert outcome(xmp.read_fields, packet) == outcome(reference_read, packet)


def test_read_fields_reads_mutations_as_before() -> None:
    rng = random.Random(20261126)
    readable = 0
    for i in range(4000):
        packet = mutate(ALL_PACKETS[i % len(ALL_PACKETS)], rng)
        got = outcome(xmp.read_fields, packet)
        assert got == outcome(reference_read, packet), packet
        readable += got[0] == "ok"
    assert readable > 400  # the mutations reach the reading code, not only the parser's errors


@pytest.mark.parametrize("tail", [b"\xff", b"\xc3", b"ok \xe2\x82", b"\xc3\xa9t\xc3\xa9 ok", b"plain"])
def test_utf8_check_after_the_bom_wrapper(tail: bytes) -> None:
    """Packets starting with the BOM wrapper are checked by ``isascii`` on the rest when they
    can be: a bad byte after the wrapper is still found, at its place."""
    packet = xmp._BOM_BEGIN + b' id="W5M0MpCehiHzreSzNTczkc9d"?><x/>' + tail
    try:
        packet.decode("utf-8")
    except UnicodeDecodeError as exc:
        with pytest.raises(Malformed) as got:
            xmp._to_utf8(packet)
        assert got.value.offset == exc.start
    else:
        assert xmp._to_utf8(packet) == packet.rstrip(b"\x00 \t\r\n")
