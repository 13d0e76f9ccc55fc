"""XMP packets: read our IPTC Core properties, and rewrite them in place.

Reading and writing share one pass of a defused expat parser (``defusedxml``) over the packet
as UTF-8 bytes.  The pass builds no document tree: it follows the RDF skeleton
(``x:xmpmeta`` > ``rdf:RDF`` > ``rdf:Description`` > property), records the byte offsets of
those elements, and keeps a small tree only for the properties listed in
:mod:`captions.metadata.fields`, matched by namespace URI (never by prefix).

:func:`update` edits the original bytes at those offsets: it replaces, removes or inserts only
our properties, so every other property, namespace declaration, prefix, comment and the
document's own layout stay byte for byte.  The packet is then re-wrapped as UTF-8 with a fresh
``<?xpacket?>`` header and about 2 KB of padding.

Refused with :class:`~captions.errors.Malformed`: packets over :data:`MAX_PACKET` bytes, bytes
that are not UTF-8/16/32, DTDs (and so entity declarations, entity expansion and external
entities), and anything that is not well-formed XML.  Values carrying characters that XML 1.0
cannot hold (most C0 controls, U+FFFE/U+FFFF, lone surrogates) are refused by :func:`update`;
:func:`strip_illegal` removes them for callers that prefer cleaning with a warning.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from pyexpat import ErrorString, ExpatError, ParserCreate
from xml.etree.ElementTree import XMLParser as _TreeParser
from typing import Any

from defusedxml import (
    DefusedXmlException,
    DTDForbidden,
    EntitiesForbidden,
    ExternalReferenceForbidden,
)

from ..errors import Malformed
from .fields import FIELDS, LIST_FIELDS, XMP_NAMESPACES, Field

__all__ = ["MAX_PACKET", "read_fields", "strip_illegal", "update", "update_reading"]

#: Largest packet we parse (bytes).  A JPEG's main packet is at most 65,504 bytes; extended
#: XMP (depth maps, Lightroom histories) reaches a few MB.  16 MiB is far above every real
#: packet seen and keeps a hostile one from costing more than ~0.5 s and bounded memory.
MAX_PACKET = 16 * 1024 * 1024

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_XML = "http://www.w3.org/XML/1998/namespace"
_X = "adobe:ns:meta/"

# Names as expat reports them with namespace processing: "URI}local" ("local" without one).
_T_RDF = f"{_RDF}}}RDF"
_T_DESC = f"{_RDF}}}Description"
_T_LI = f"{_RDF}}}li"
_T_VALUE = f"{_RDF}}}value"
_A_ABOUT = f"{_RDF}}}about"
_A_RESOURCE = f"{_RDF}}}resource"
_A_LANG = f"{_XML}}}lang"
_QUALIFIER_NS = (f"{_RDF}}}", f"{_XML}}}")
_CONTAINERS = {f"{_RDF}}}Alt": "alt", f"{_RDF}}}Seq": "seq", f"{_RDF}}}Bag": "bag"}
_T_XAPMETA = f"{_X}}}xapmeta"
_ROOT_TAGS = {f"{_X}}}xmpmeta", _T_XAPMETA}
#: the deepest level at which rdf:RDF is looked for (root = 1)
_RDF_MAX_DEPTH = 3

#: "namespace URI}local name" -> field, for every field with an XMP home
_LOOKUP: dict[str, Field] = {
    f"{XMP_NAMESPACES[f.xmp[0]]}}}{f.xmp[1]}": f for f in FIELDS if f.xmp is not None
}

_PACKET_ID = "W5M0MpCehiHzreSzNTczkc9d"
_HEADER = f'<?xpacket begin="\ufeff" id="{_PACKET_ID}"?>\n'.encode()
_TRAILER = b'<?xpacket end="w"?>'
_PADDING = (b" " * 99 + b"\n") * 20  # 2,000 bytes for in-place editors
#: how UTF-8 packets usually start: the wrapper with its BOM character (U+FEFF)
_BOM_BEGIN = '<?xpacket begin="\ufeff"'.encode()
#: the largest packet that fits one JPEG APP1 segment (65,533 - 29 bytes of namespace header)
_JPEG_XMP_MAX = 65504
_FRESH = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="captions">\n'
    b' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
    b" </rdf:RDF>\n"
    b"</x:xmpmeta>"
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)
#: encodings without a byte order mark, told by which of the first bytes are zero (True)
#: around the first character, which in XML is ASCII ('<' or whitespace)
_ZEROS: dict[tuple[bool, ...], str] = {
    (True, True, True, False): "utf-32-be",
    (False, True, True, True): "utf-32-le",
    (True, False): "utf-16-be",
    (False, True): "utf-16-le",
}

_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_START_TAG = re.compile(rb"<([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*(/?)>")
_ATTR = re.compile(rb"(\s+)([^\s=/>]+)\s*=\s*(\"[^\"]*\"|'[^']*')")
#: the same, every part a group: ``findall`` over a start tag's attributes (group 2 of
#: ``_START_TAG``, where they follow each other with nothing between) gives their pieces,
#: whose lengths add up to their offsets, without a match object per attribute
_ATTR_PARTS = re.compile(rb"(\s+)([^\s=/>]+)(\s*=\s*)(\"[^\"]*\"|'[^']*')")
_MISC = re.compile(rb"<\?.*?\?>|<!--.*?-->", re.DOTALL)
_ELEMENT = re.compile(rb"<[^?!]")
_WS = b" \t\r\n"
#: prolog/epilog items we drop because we write our own
_OURS = (b"<?xpacket", b"<?xml ", b"<?xml\t", b"<?xml\n", b"<?xml\r")

#: XMP dates as found in the wild: ISO 8601 plus ':' date separators, a space before the time
#: or the zone, and zones without a colon
_DATE_READ = re.compile(
    r"\s*(\d{4})(?:[-:](\d\d)(?:[-:](\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(\.\d+)?)?"
    r"\s*(Z|[+-]\d\d:?\d\d)?)?)?)?",
    re.ASCII,
)
#: what update() accepts: canonical ISO 8601, partial allowed
_DATE_WRITE = re.compile(
    r"(\d{4})(?:-(\d\d)(?:-(\d\d)(?:T(\d\d):(\d\d)(?::(\d\d)(\.\d+)?)?"
    r"(Z|[+-]\d\d:\d\d)?)?)?)?",
    re.ASCII,
)

Value = str | list[str]


# --------------------------------------------------------------------------- the one pass


class _Node:
    """An element inside one of our properties (the only part of a packet kept as a tree)."""

    __slots__ = ("attrib", "children", "end", "start", "tag", "text")

    def __init__(self, tag: str, attrib: dict[str, str], start: int) -> None:
        self.tag = tag
        self.attrib = attrib
        self.children: list[_Node] = []
        self.text: list[str] = []
        self.start = start
        self.end = -1  # expat's offset at the end event


class _Elem:
    """A skeleton element: root, rdf:RDF or rdf:Description."""

    __slots__ = ("attrib", "end", "scope", "start", "tag")

    def __init__(self, tag: str, attrib: dict[str, str], start: int, scope: dict[str, str]):
        self.tag = tag
        self.attrib = attrib
        self.start = start
        self.end = -1
        self.scope = scope  # prefix -> URI in scope inside the element


class _Prop:
    """One occurrence of one of our properties (a plain class: compiled, it is built without
    the interpreted ``__init__`` an attrs class has)."""

    __slots__ = ("attr_key", "desc", "field", "node")

    def __init__(self, field: Field, desc: _Elem, attr_key: str | None = None,
                 node: _Node | None = None) -> None:
        self.field = field
        self.desc = desc
        self.attr_key = attr_key  # attribute form: "URI}local"
        self.node = node  # element form


class _Scan:
    """Expat handlers: follow the RDF skeleton and record our properties.

    Installed straight on an expat parser set up with defusedxml's guards (see
    :func:`_scan_text`); skipping ElementTree's per-element name fixing and tree
    building makes a read about twice as fast.
    """

    def __init__(self, expat: Any) -> None:
        self.expat = expat
        self.depth = 0
        self.pending: dict[str, str] | None = None
        self.scopes: list[dict[str, str]] = [{"xml": _XML}]
        self.root: _Elem | None = None
        self.rdf: _Elem | None = None
        self.rdf_depth = -100
        self.in_rdf = False
        self.desc: _Elem | None = None
        self.descs: list[_Elem] = []
        self.props: list[_Prop] = []
        self.rec: list[_Node] | None = None

    def start_ns(self, prefix: str | None, uri: str | None) -> None:
        if self.pending is None:
            self.pending = {}
        self.pending[prefix or ""] = uri or ""

    def start(self, tag: str, attrs: list[str]) -> None:
        self.depth = depth = self.depth + 1
        rec = self.rec
        if rec is not None:
            node = _Node(tag, dict(zip(attrs[::2], attrs[1::2])) if attrs else {},
                         self.expat.CurrentByteIndex)
            rec[-1].children.append(node)
            rec.append(node)
            self.pending = None
            return
        if depth <= _RDF_MAX_DEPTH + 1:
            scope = self.scopes[-1]
            if self.pending is not None:
                scope = {**scope, **self.pending}
            self.scopes.append(scope)
        self.pending = None
        if depth == 1:
            self.root = self._elem(tag, attrs)
        if self.rdf is None:
            if tag == _T_RDF and depth <= _RDF_MAX_DEPTH:
                self.rdf = self.root if depth == 1 else self._elem(tag, attrs)
                self.rdf_depth = depth
                self.in_rdf = True
            return
        if not self.in_rdf:
            return
        if depth == self.rdf_depth + 1:
            if tag == _T_DESC:
                self.desc = desc = self._elem(tag, attrs)
                self.descs.append(desc)
                for key in desc.attrib:
                    field = _LOOKUP.get(key)
                    if field is not None:
                        self.props.append(_Prop(field, desc, attr_key=key))
        elif depth == self.rdf_depth + 2 and self.desc is not None:
            field = _LOOKUP.get(tag)
            if field is not None:
                node = _Node(tag, dict(zip(attrs[::2], attrs[1::2])), self.expat.CurrentByteIndex)
                self.rec = [node]
                self.expat.CharacterDataHandler = self.data  # text matters only in our props
                self.props.append(_Prop(field, self.desc, node=node))

    def _elem(self, tag: str, attrs: list[str]) -> _Elem:
        attrib = dict(zip(attrs[::2], attrs[1::2]))
        return _Elem(tag, attrib, self.expat.CurrentByteIndex, self.scopes[-1])

    def end(self, tag: str) -> None:
        depth = self.depth
        self.depth = depth - 1
        rec = self.rec
        if rec is not None:
            rec.pop().end = self.expat.CurrentByteIndex
            if rec:
                return
            self.rec = None  # the property element itself ended
            self.expat.CharacterDataHandler = None
        if depth <= _RDF_MAX_DEPTH + 1:
            self.scopes.pop()
        if depth == 1 and self.root is not None:
            self.root.end = self.expat.CurrentByteIndex
        if not self.in_rdf:
            return
        if depth == self.rdf_depth + 1 and self.desc is not None:
            self.desc.end = self.expat.CurrentByteIndex
            self.desc = None
        elif depth == self.rdf_depth:
            assert self.rdf is not None
            self.rdf.end = self.expat.CurrentByteIndex
            self.in_rdf = False

    def data(self, text: str) -> None:
        assert self.rec is not None
        self.rec[-1].text.append(text)


def _to_utf8(packet: bytes) -> bytes:
    """The packet as UTF-8 bytes (validated), or Malformed."""
    if not isinstance(packet, (bytes, bytearray, memoryview)):
        raise TypeError(f"an XMP packet is bytes, not {type(packet).__name__}")
    packet = bytes(packet)
    if len(packet) > MAX_PACKET:
        raise Malformed(
            f"XMP packet of {len(packet):,} bytes is over the {MAX_PACKET // 2**20} MiB limit"
        )
    encoding = "utf-8"
    skip = 0
    if packet[:1] == b"<" and packet[1:2] != b"\0":
        pass  # UTF-8 (no BOM, and not UTF-16/32: those have a zero after the '<')
    else:
        encoding, skip = _sniff(packet)
    try:
        if encoding == "utf-8":
            data = packet[skip:]
            # valid UTF-8: ASCII is, and so is the usual wrapper's BOM character followed by
            # ASCII; anything else is decoded (which finds the first bad byte, if any)
            if not data.isascii() and not (data.startswith(_BOM_BEGIN)
                                           and data[len(_BOM_BEGIN):].isascii()):
                data.decode("utf-8")
        else:
            data = packet[skip:].decode(encoding).encode("utf-8")
    except UnicodeError as exc:
        where = getattr(exc, "start", None)
        reason = getattr(exc, "reason", str(exc))
        raise Malformed(
            f"XMP packet is not valid {encoding.upper()} ({reason})",
            None if where is None else where + skip,
        ) from None
    return data.rstrip(b"\x00" + _WS)


def _sniff(packet: bytes) -> tuple[str, int]:
    """(encoding, length of its byte order mark) of a packet, by its first bytes."""
    encoding = "utf-8"
    skip = 0
    for bom, name in _BOMS:
        if packet.startswith(bom):
            encoding, skip = name, len(bom)
            break
    else:
        head = packet[:4]
        for pattern, name in _ZEROS.items():
            if len(head) >= len(pattern) and all(
                (b == 0) == zero for b, zero in zip(head, pattern, strict=False)
            ):
                encoding = name
                break
    return encoding, skip


def _has(data: bytes, part: bytes) -> bool:
    """``part in data``, without its cost in compiled code: ``bytes in bytes`` first tries
    the operand as an integer and builds a TypeError message before it searches."""
    return data.find(part) >= 0


#: the ``<?xpacket end?>`` trailer as XMP writers put it, after the padding
_END_PI = re.compile(rb"""<\?xpacket end=(["'])[rw]\1\?>""")


def _scan(data: bytes) -> _Scan:
    """Run the defused parser over UTF-8 bytes.

    A packet ending in padding and a well-formed ``<?xpacket end?>`` trailer is parsed
    without them (whitespace and a processing instruction after the root element are always
    well-formed; the padding is most of a small packet).  Should that shortened text fail,
    the whole packet is parsed, so that errors are reported as for the whole packet.
    """
    body = _unpadded(data)
    if body is not None:
        try:
            return _scan_text(body)
        except Malformed:
            pass
    return _scan_text(data)


def _unpadded(data: bytes) -> bytes | None:
    """``data`` without its padding and ``<?xpacket end?>`` trailer, or None when it does
    not end in a well-formed one (then it is parsed whole)."""
    at = data.rfind(b"<?xpacket end=")
    if at > 0 and _END_PI.fullmatch(data, at):
        # our own padding (all whitespace) is stepped over whole, the rest stripped
        cut = at - len(_PADDING) if data.endswith(_PADDING, 0, at) else at
        body = data[:cut].rstrip()  # the fast strip; it also takes VT and FF, which XML
        padding = data[len(body):at]  # refuses, so a padding holding them is parsed whole
        if 0x0B not in padding and 0x0C not in padding:  # ints: see _has
            return body
    return None


def _names(attrib: dict[str, str]) -> dict[str, str]:
    """ElementTree attribute names (``{URI}local``) as expat gives them to :class:`_Scan`."""
    return {(k[1:] if k[0] == "{" else k): v for k, v in attrib.items()} if attrib else {}


def _tree_node(elem: Any) -> _Node:
    """A property's subtree as :class:`_Scan` records it (own text = text + children's
    tails); iterative, as properties may nest deeply."""
    tag = elem.tag
    top = _Node(tag[1:] if tag[0] == "{" else tag, _names(elem.attrib), -1)
    todo = [(elem, top)]
    while todo:
        e, node = todo.pop()
        text = node.text
        if e.text:
            text.append(e.text)
        for child in e:
            tag = child.tag
            sub = _Node(tag[1:] if tag[0] == "{" else tag, _names(child.attrib), -1)
            node.children.append(sub)
            if child.tail:
                text.append(child.tail)
            if len(child):
                todo.append((child, sub))
            elif child.text:
                sub.text.append(child.text)
    return top


#: largest packet read through :func:`_scan_tree` (a JPEG's main packet is at most 64 KB)
_TREE_MAX = 256 * 1024


def _scan_tree(data: bytes) -> _Scan | None:
    """For reading only: what :func:`_scan` records about our properties (no byte offsets),
    from ElementTree's C parser, which builds the whole tree without a Python call per
    element.  ``None`` (use :func:`_scan`) for a packet with a DTD, whose guards only the
    handler-based parse has, and for any packet this parser refuses, so that errors are
    reported by :func:`_scan` as before.  Without a DTD there are no entity declarations
    and no external references, and expat is the same underneath.
    """
    if _has(data, b"<!DOCTYPE"):
        return None
    parser = _TreeParser(encoding="utf-8")
    try:
        parser.feed(data)
        root = parser.close()
    except Exception:  # noqa: BLE001 - any refusal: the guarded parse reports it
        return None
    scan = _Scan(None)
    rdf = None
    if root.tag == _ET_RDF:
        rdf = root
    else:  # the first rdf:RDF in document order, at most two levels below the root
        for child in root:
            if child.tag == _ET_RDF:
                rdf = child
                break
            rdf = child.find(_ET_RDF)
            if rdf is not None:
                break
    if rdf is None:
        return scan
    scan.rdf = _Elem(_T_RDF, {}, -1, {})
    props = scan.props
    for d in rdf:
        if d.tag != _ET_DESC:
            continue
        desc = _Elem(_T_DESC, _names(d.attrib), -1, {})
        scan.descs.append(desc)
        for key in desc.attrib:
            field = _LOOKUP.get(key)
            if field is not None:
                props.append(_Prop(field, desc, attr_key=key))
        for prop in d:
            field = _ET_LOOKUP.get(prop.tag)
            if field is not None:
                props.append(_Prop(field, desc, node=_tree_node(prop)))
    return scan


#: the names :func:`_scan_tree` looks for, as ElementTree spells them
_ET_RDF = "{" + _T_RDF
_ET_DESC = "{" + _T_DESC
_ET_LOOKUP = {"{" + k: f for k, f in _LOOKUP.items()}
_ET_LI = "{" + _T_LI
_ET_VALUE = "{" + _T_VALUE
_ET_RESOURCE = "{" + _A_RESOURCE
_ET_LANG = "{" + _A_LANG
_ET_QUALIFIER_NS = tuple("{" + ns for ns in _QUALIFIER_NS)
_ET_CONTAINERS = {"{" + k: kind for k, kind in _CONTAINERS.items()}


def _tree_root(data: bytes) -> Any | None:
    """The root element of ``data`` from ElementTree's C parser, or ``None`` (use the
    guarded :func:`_scan`) for a packet with a DTD or one the parser refuses (see
    :func:`_scan_tree`)."""
    if _has(data, b"<!DOCTYPE"):
        return None
    parser = _TreeParser(encoding="utf-8")
    try:
        parser.feed(data)
        return parser.close()
    except Exception:  # noqa: BLE001 - any refusal: the guarded parse reports it
        return None


def _tree_rdf(root: Any) -> Any | None:
    """The first rdf:RDF in document order, the root itself or at most two levels below."""
    if root.tag == _ET_RDF:
        return root
    for child in root:
        if child.tag == _ET_RDF:
            return child
        rdf = child.find(_ET_RDF)
        if rdf is not None:
            return rdf
    return None


def _et_own_text(elem: Any) -> str:
    """An element's own text: its text and its children's tails (:func:`_own_text`)."""
    text = elem.text or ""
    for child in elem:
        if child.tail:
            text += child.tail
    return text


def _et_item_text(li: Any) -> str | None:
    """:func:`_item_text` of an ElementTree element."""
    attrib = li.attrib
    if _ET_VALUE in attrib:
        return attrib[_ET_VALUE]  # type: ignore[no-any-return]
    if _ET_RESOURCE in attrib:
        return attrib[_ET_RESOURCE]  # type: ignore[no-any-return]
    if not len(li):
        return _et_own_text(li)
    for child in li:
        if child.tag == _ET_VALUE:
            return _et_own_text(child)
    return None


def _et_value(elem: Any, field: Field, warnings: list[str]) -> Value | None:
    """:func:`_node_value` of a property as an ElementTree element (same forms, same
    warnings), without converting it to :class:`_Node` first."""
    attrib = elem.attrib
    value: Value | None
    if _ET_RESOURCE in attrib:
        value = attrib[_ET_RESOURCE]
    elif _ET_VALUE in attrib:
        value = attrib[_ET_VALUE]
    elif not len(elem):
        # (loops, not generators: compiled, a generator is an object and a call per item)
        for k in attrib:
            if not k.startswith(_ET_QUALIFIER_NS):
                warnings.append(f"XMP {_xmp_name(field)} is a structure, not text; ignored")
                return None
        value = _et_own_text(elem)
    else:
        inner = None  # the first rdf:value child, else the first child
        for c in elem:
            if c.tag == _ET_VALUE:
                inner = c
                break
        if inner is None:
            inner = elem[0]
        tag = inner.tag
        kind = _ET_CONTAINERS.get(tag)
        if tag == _ET_VALUE:
            value = _et_own_text(inner)
        elif kind is None:
            warnings.append(f"XMP {_xmp_name(field)} is a structure, not text; ignored")
            return None
        else:
            items = [li for li in inner if li.tag == _ET_LI]
            if field.name in LIST_FIELDS:
                texts = [_et_item_text(li) for li in items]
                value = [t for t in texts if t is not None]
            else:
                if kind == "alt":
                    li = items[0] if items else None
                    for item in items:
                        if item.attrib.get(_ET_LANG, "").lower() == "x-default":
                            li = item
                            break
                else:
                    li = items[0] if items else None
                    if len(items) > 1:
                        warnings.append(
                            f"XMP {_xmp_name(field)} holds {len(items)} values where one is "
                            "expected; kept the first"
                        )
                value = None if li is None else _et_item_text(li)
    if value is None:
        return None
    if field.name in LIST_FIELDS and isinstance(value, str):
        value = [value] if value else []
    return value


def _collect_tree(rdf: Any) -> tuple[dict[str, Value], list[str]]:
    """:func:`_collect` of ``_scan_tree``'s records, read straight from the ElementTree
    elements under ``rdf`` (no :class:`_Prop`/:class:`_Node` records in between)."""
    fields: dict[str, Value] = {}
    warnings: list[str] = []
    seen: set[str] = set()
    for d in rdf:
        if d.tag != _ET_DESC:
            continue
        props: list[tuple[Field, Any, str | None]] = [
            (field, d, key) for key in d.attrib
            if (field := _ET_LOOKUP.get(key)) is not None]
        props += [(field, prop, None) for prop in d
                  if (field := _ET_LOOKUP.get(prop.tag)) is not None]
        for field, elem, key in props:
            if field.name in seen:
                warnings.append(f"XMP {_xmp_name(field)} appears more than once; kept the first")
                continue
            seen.add(field.name)
            if key is not None:
                value: Value | None = elem.attrib[key]
                if field.name in LIST_FIELDS and isinstance(value, str):
                    value = [value] if value else []
            else:
                value = _et_value(elem, field, warnings)
            if field.xmp_kind == "date" and isinstance(value, str) and value:
                value = _read_date(value, warnings)
            if value:
                fields[field.name] = value
    return fields, warnings


def _forbid_dtd(name: str, sysid: str | None, pubid: str | None, internal: int) -> None:
    raise DTDForbidden(name, sysid, pubid)


def _forbid_entity(name: str, is_parameter: int, value: str | None, base: str | None,
                   sysid: str | None, pubid: str | None, notation: str | None) -> None:
    raise EntitiesForbidden(name, value, base, sysid, pubid, notation)


def _forbid_unparsed_entity(name: str, base: str | None, sysid: str | None,
                            pubid: str | None, notation: str | None) -> None:
    raise EntitiesForbidden(name, None, base, sysid, pubid, notation)


def _forbid_external(context: str, base: str | None, sysid: str | None,
                     pubid: str | None) -> int:
    raise ExternalReferenceForbidden(context, base, sysid, pubid)


def _scan_text(data: bytes) -> _Scan:
    """Run the defused parser over UTF-8 bytes.

    The expat parser is set up as defusedxml's ``DefusedXMLParser(forbid_dtd=True,
    forbid_entities=True, forbid_external=True)`` sets it up (names as ``URI}local``,
    buffered text, ordered attributes; a DTD, an entity declaration or an external reference
    raises defusedxml's exception), without the ElementTree builder around it, whose
    handlers would only be dropped again (with no character handler, expat would hand
    character references to ElementTree's default handler, which takes them for undefined
    entities).
    """
    expat = ParserCreate("utf-8", "}")
    expat.buffer_text = True
    expat.ordered_attributes = True
    expat.StartDoctypeDeclHandler = _forbid_dtd
    expat.EntityDeclHandler = _forbid_entity
    expat.UnparsedEntityDeclHandler = _forbid_unparsed_entity
    expat.ExternalEntityRefHandler = _forbid_external
    scan = _Scan(expat)
    expat.StartElementHandler = scan.start
    expat.EndElementHandler = scan.end
    expat.CharacterDataHandler = None  # switched on inside our properties
    expat.StartNamespaceDeclHandler = scan.start_ns
    try:
        expat.Parse(data, True)
    except DefusedXmlException as exc:
        what = _FORBIDDEN.get(type(exc).__name__, "a forbidden XML construct")
        raise Malformed(
            f"XMP packet contains {what}; DTDs and entities are refused ({exc})"
        ) from None
    except ExpatError as exc:
        raise Malformed(
            f"XMP packet is not well-formed XML: {ErrorString(exc.code)} "
            f"(line {exc.lineno}, column {exc.offset})"
        ) from None
    except RecursionError:  # pragma: no cover - expat does not recurse, kept as a guard
        raise Malformed("XMP packet nests too deeply") from None
    if scan.root is None:  # pragma: no cover - expat reports "no element found" first
        raise Malformed("XMP packet has no XML element")
    return scan


_FORBIDDEN = {
    "DTDForbidden": "a DTD (<!DOCTYPE>)",
    "EntitiesForbidden": "an entity declaration",
    "ExternalReferenceForbidden": "an external entity reference",
}


# --------------------------------------------------------------------------- reading


def _own_text(node: _Node) -> str:
    return "".join(node.text)


def _item_text(li: _Node) -> str | None:
    """The value of an rdf:li (plain, or qualified through rdf:value); None for a struct."""
    if _T_VALUE in li.attrib:
        return li.attrib[_T_VALUE]
    if _A_RESOURCE in li.attrib:
        return li.attrib[_A_RESOURCE]
    if not li.children:
        return _own_text(li)
    for child in li.children:
        if child.tag == _T_VALUE:
            return _own_text(child)
    return None


def _pick_alt(items: list[_Node]) -> _Node | None:
    for li in items:
        if li.attrib.get(_A_LANG, "").lower() == "x-default":
            return li
    return items[0] if items else None


def _node_value(node: _Node, field: Field, warnings: list[str]) -> Value | None:
    """Our value from a property element, by the forms XMP allows (and a few it does not)."""
    name = _xmp_name(field)
    attrib = node.attrib
    if _A_RESOURCE in attrib:
        value: Value | None = attrib[_A_RESOURCE]
    elif _T_VALUE in attrib:
        value = attrib[_T_VALUE]
    elif not node.children:
        if any(not k.startswith(_QUALIFIER_NS) for k in attrib):
            warnings.append(f"XMP {name} is a structure, not text; ignored")
            return None
        value = _own_text(node)
    else:
        inner = next((c for c in node.children if c.tag == _T_VALUE), node.children[0])
        kind = _CONTAINERS.get(inner.tag)
        if inner.tag == _T_VALUE:
            value = _own_text(inner)
        elif kind is None:
            warnings.append(f"XMP {name} is a structure, not text; ignored")
            return None
        else:
            items = [li for li in inner.children if li.tag == _T_LI]
            if field.name in LIST_FIELDS:
                texts = [_item_text(li) for li in items]
                value = [t for t in texts if t is not None]
            else:
                if kind == "alt":
                    li = _pick_alt(items)
                else:
                    li = items[0] if items else None
                    if len(items) > 1:
                        warnings.append(
                            f"XMP {name} holds {len(items)} values where one is expected; "
                            "kept the first"
                        )
                value = None if li is None else _item_text(li)
    if value is None:
        return None
    if field.name in LIST_FIELDS and isinstance(value, str):
        value = [value] if value else []
    return value


def _xmp_name(field: Field) -> str:
    assert field.xmp is not None
    return f"{field.xmp[0]}:{field.xmp[1]}"


def _read_date(raw: str, warnings: list[str]) -> str | None:
    """An XMP date as canonical ISO 8601 (partial where the packet is partial)."""
    m = _DATE_READ.match(raw)
    if m is None:
        warnings.append(f"XMP photoshop:DateCreated {raw!r} is not a date; ignored")
        return None
    year, month, day, hh, mm, ss, frac, zone = m.groups()
    clean = m.end() == len(raw.rstrip())
    parts = [year]
    if month is not None:
        if 1 <= int(month) <= 12:
            parts.append(f"-{month}")
        else:
            clean, day = False, None
    if day is not None:
        if 1 <= int(day) <= 31:
            parts.append(f"-{day}")
        else:
            clean, hh = False, None
    if hh is not None:
        if int(hh) <= 23 and int(mm) <= 59:
            parts.append(f"T{hh}:{mm}")
            if ss is not None:
                if int(ss) <= 60:
                    parts.append(f":{ss}{frac or ''}")
                else:
                    clean = False
            if zone is not None:
                parts.append(zone if zone == "Z" or ":" in zone else f"{zone[:3]}:{zone[3:]}")
        else:
            clean = False
    value = "".join(parts)
    if not clean:
        warnings.append(f"XMP photoshop:DateCreated {raw!r} is not a clean date; read as {value!r}")
    return value


def _collect(scan: _Scan) -> tuple[dict[str, Value], list[str]]:
    fields: dict[str, Value] = {}
    warnings: list[str] = []
    seen: set[str] = set()
    for prop in scan.props:
        field = prop.field
        if field.name in seen:
            warnings.append(f"XMP {_xmp_name(field)} appears more than once; kept the first")
            continue
        seen.add(field.name)
        if prop.node is None:
            assert prop.attr_key is not None
            value: Value | None = prop.desc.attrib[prop.attr_key]
            if field.name in LIST_FIELDS and isinstance(value, str):
                value = [value] if value else []
        else:
            value = _node_value(prop.node, field, warnings)
        if field.xmp_kind == "date" and isinstance(value, str) and value:
            value = _read_date(value, warnings)
        if value:
            fields[field.name] = value
    return fields, warnings


def read_fields(packet: bytes) -> tuple[dict[str, str | list[str]], list[str]]:
    """Our fields from an XMP packet: ``({logical name: value}, warnings)``.

    Empty values are left out.  Language alternatives give ``x-default`` (else the first
    language); ``creators`` and ``keywords`` are lists; ``date_created`` is ISO 8601, partial
    where the packet is.  Raises :class:`~captions.errors.Malformed` for a packet that is too
    large, not Unicode, not well-formed, or carries a DTD or entities.
    """
    data = _to_utf8(packet)
    body = _unpadded(data) or data
    # the C tree holds every element of the packet (~25x its size in memory): only for
    # packets of a JPEG's size, where its speed matters; larger ones go to the handler
    # scan, which keeps only our properties
    root = _tree_root(body) if len(body) <= _TREE_MAX else None
    if root is not None:
        rdf = _tree_rdf(root)
        if rdf is None:
            return {}, ["XMP packet has no rdf:RDF element"]
        return _collect_tree(rdf)
    scan = _scan(data)
    if scan.rdf is None:
        return {}, ["XMP packet has no rdf:RDF element"]
    return _collect(scan)


# --------------------------------------------------------------------------- writing


def strip_illegal(text: str) -> tuple[str, list[str]]:
    """``text`` without the characters XML 1.0 cannot carry, and the code points removed."""
    if text.isprintable():  # printable characters are all legal in XML (not conversely)
        return text, []
    removed = [f"U+{ord(c):04X}" for c in _ILLEGAL.findall(text)]
    return (_ILLEGAL.sub("", text) if removed else text), removed


def _esc_text(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _esc_attr(s: str) -> str:
    return _esc_text(s).replace('"', "&quot;").replace("\t", "&#9;").replace("\n", "&#10;")


#: field name -> field, for the fields with an XMP home
_XMP_FIELDS: dict[str, Field] = {f.name: f for f in FIELDS if f.xmp is not None}


def _check_values(values: Mapping[str, Value | None]) -> list[tuple[Field, Value | None]]:
    """Validate the caller's values; return them with their fields, in table order."""
    for name in values:
        if name not in _XMP_FIELDS:
            raise ValueError(f"no XMP property for field {name!r}")
    out: list[tuple[Field, Value | None]] = []
    for field in FIELDS:
        name = field.name
        if name not in values:
            continue
        value = values[name]
        if value is None or value == "" or (isinstance(value, (list, tuple)) and not value):
            out.append((field, None))
            continue
        if name in LIST_FIELDS:
            if isinstance(value, str) or not isinstance(value, (list, tuple, Sequence)):
                raise TypeError(f"{name} takes a list of strings")
            items = list(value)
        else:
            if not isinstance(value, str):
                raise TypeError(f"{name} takes a string")
            items = [value]
        for item in items:
            if not isinstance(item, str):
                raise TypeError(f"{name} takes strings, not {type(item).__name__}")
            bad = None if item.isprintable() else _ILLEGAL.search(item)
            if bad:
                raise Malformed(
                    f"{name} contains U+{ord(bad.group()):04X}, which XML 1.0 cannot carry"
                )
        if field.xmp_kind == "date":
            assert isinstance(value, str)
            if not _valid_date(value):
                raise Malformed(
                    f"date_created {value!r} is not ISO 8601 (YYYY[-MM[-DD[Thh:mm[:ss]]]])"
                )
        out.append((field, items if name in LIST_FIELDS else value))
    return out


def _valid_date(value: str) -> bool:
    m = _DATE_WRITE.fullmatch(value)
    if m is None:
        return False
    _, month, day, hh, mm, ss, _, zone = m.groups()
    return (
        (month is None or 1 <= int(month) <= 12)
        and (day is None or 1 <= int(day) <= 31)
        and (hh is None or (int(hh) <= 23 and int(mm) <= 59))
        and (ss is None or int(ss) <= 60)
        and (zone is None or zone == "Z" or (int(zone[1:3]) <= 23 and int(zone[4:]) <= 59))
    )


class _Edit:
    """Replace ``start:end`` of the packet by ``text`` (a plain class, as :class:`_Prop`)."""

    __slots__ = ("end", "start", "text")

    def __init__(self, start: int, end: int, text: bytes) -> None:
        self.start = start
        self.end = end
        self.text = text


def _span(m: re.Match[bytes], end_event: int, data: bytes) -> tuple[int, int, bool, bytes]:
    """(start, end, self-closing, raw tag name) of an element, from its start tag's match and
    the offset expat gave at its end."""
    if m.group(3):
        return m.start(), m.end(), True, m.group(1)
    return m.start(), data.index(b">", end_event) + 1, False, m.group(1)


def _indent_before(data: bytes, pos: int) -> str:
    """The whitespace that starts the line holding ``pos`` (if only whitespace precedes it)."""
    line = data.rfind(b"\n", 0, pos) + 1
    head = data[line:pos]
    return head.decode() if head.strip(_WS) == b"" else ""


def _back_over_ws(data: bytes, pos: int, floor: int) -> int:
    while pos > floor and data[pos - 1] in _WS:
        pos -= 1
    return pos


def _prefix_for(uri: str, scope: Mapping[str, str], preferred: str) -> str | None:
    if scope.get(preferred) == uri:
        return preferred
    for prefix, bound in scope.items():
        if bound == uri and prefix:
            return prefix
    return None


def _ns_decls(raw_attrs: bytes) -> list[bytes]:
    return [m.group(0) for m in _ATTR.finditer(raw_attrs) if m.group(2).startswith(b"xmlns")]


def _prop_xml(
    qname: str,
    field: Field,
    value: Value,
    indent: str,
    rdf: str,
    decls: str = "",
    keep: Sequence[str] = (),
    alt_decls: str = "",
) -> str:
    """One property element, laid out like ExifTool lays it out (one space per level)."""
    i1, i2 = indent + " ", indent + "  "
    if field.xmp_kind in ("seq", "bag"):
        container = "Seq" if field.xmp_kind == "seq" else "Bag"
        lis = "".join(f"\n{i2}<{rdf}:li>{_esc_text(v)}</{rdf}:li>" for v in value)
        return (
            f"<{qname}{decls}>\n{i1}<{rdf}:{container}>{lis}\n{i1}</{rdf}:{container}>\n"
            f"{indent}</{qname}>"
        )
    assert isinstance(value, str)
    if field.xmp_kind == "alt":
        others = "".join(f"\n{i2}{raw}" for raw in keep)
        return (
            f"<{qname}{decls}>\n{i1}<{rdf}:Alt{alt_decls}>\n"
            f'{i2}<{rdf}:li xml:lang="x-default">{_esc_text(value)}</{rdf}:li>{others}\n'
            f"{i1}</{rdf}:Alt>\n{indent}</{qname}>"
        )
    return f"<{qname}{decls}>{_esc_text(value)}</{qname}>"


def _rdf_prefix(scope: Mapping[str, str]) -> tuple[str, str]:
    """(prefix for RDF names, declaration to add when none is in scope)."""
    prefix = _prefix_for(_RDF, scope, "rdf")
    if prefix is not None:
        return prefix, ""
    return "rdf", f' xmlns:rdf="{_RDF}"'


class _Writer:
    """Collects byte edits against the original packet, then applies them."""

    def __init__(self, data: bytes, scan: _Scan) -> None:
        self.data = data
        self.scan = scan
        self.edits: list[_Edit] = []
        self.appends: dict[int, list[str]] = {}  # id(elem) -> new children (serialized)
        self.append_elems: dict[int, _Elem] = {}
        self.homeless: list[tuple[Field, Value]] = []
        self._tags: dict[int, re.Match[bytes]] = {}
        #: per start tag: its attributes' (start, end, raw name)
        self._attrs: dict[int, list[tuple[int, int, bytes]]] = {}
        #: per element (id): the indent of its new children, the RDF prefix and declaration
        self._layout: dict[int, tuple[str, str, str]] = {}

    def tag(self, start: int) -> re.Match[bytes]:
        """The start tag at ``start`` (expat accepted it, so the pattern matches)."""
        m = self._tags.get(start)
        if m is None:
            m = _START_TAG.match(self.data, start)
            if m is None:  # pragma: no cover - expat accepted this tag
                raise Malformed("XMP start tag not understood", start)
            self._tags[start] = m
        return m

    def span(self, start: int, end_event: int) -> tuple[int, int, bool, bytes]:
        return _span(self.tag(start), end_event, self.data)

    # -- removal

    def remove(self, prop: _Prop) -> None:
        data = self.data
        desc = prop.desc
        if prop.node is None:
            found = self._attrs.get(desc.start)
            if found is None:
                m = self.tag(desc.start)
                pos = m.start(2)
                found = []
                for ws, name, eq, quoted in _ATTR_PARTS.findall(data, pos, m.end(2)):
                    end = pos + len(ws) + len(name) + len(eq) + len(quoted)
                    found.append((pos, end, name))
                    pos = end
                self._attrs[desc.start] = found
            assert prop.attr_key is not None
            local = b":" + prop.attr_key.rpartition("}")[2].encode()
            for a_start, a_end, name in found:
                if name.endswith(local) and self._attr_key(name, desc.scope) == prop.attr_key:
                    self.edits.append(_Edit(a_start, a_end, b""))
            return
        start, end, _, _ = self.span(prop.node.start, prop.node.end)
        floor = self.tag(desc.start).end()
        self.edits.append(_Edit(_back_over_ws(data, start, floor), end, b""))

    @staticmethod
    def _attr_key(raw: bytes, scope: Mapping[str, str]) -> str | None:
        name = raw.decode()
        if ":" not in name:
            return None
        prefix, local = name.split(":", 1)
        uri = scope.get(prefix)
        return None if uri is None else f"{uri}}}{local}"

    # -- setting

    def replace(self, prop: _Prop, field: Field, value: Value) -> None:
        """Write ``value`` where ``prop`` (element form) stands."""
        data = self.data
        node = prop.node
        assert node is not None
        start, end, _, raw_name = self.span(node.start, node.end)
        own = _ns_decls(self.tag(start).group(2))
        scope = dict(prop.desc.scope)
        for decl in own:
            a = _ATTR.match(decl)
            assert a is not None
            name = a.group(2).decode()
            scope[name[6:] if name.startswith("xmlns:") else ""] = a.group(3)[1:-1].decode()
        rdf, rdf_decl = _rdf_prefix(scope)
        keep: list[str] = []
        alt_decls = ""
        if field.xmp_kind == "alt" and node.children and node.children[0].tag in _CONTAINERS:
            inner = node.children[0]
            alt_decls = "".join(d.decode() for d in _ns_decls(self.tag(inner.start).group(2)))
            for li in inner.children:
                if li.tag == _T_LI and li.attrib.get(_A_LANG, "").lower() != "x-default":
                    s, e, _, _ = self.span(li.start, li.end)
                    keep.append(data[s:e].decode())
        decls = "".join(d.decode() for d in own) + rdf_decl
        xml = _prop_xml(
            raw_name.decode(),
            field,
            value,
            _indent_before(data, start),
            rdf,
            decls,
            keep,
            alt_decls,
        )
        self.edits.append(_Edit(start, end, xml.encode()))

    def add(self, desc: _Elem, field: Field, value: Value, prefix: str) -> None:
        """Queue ``value`` as a new element at the end of ``desc``."""
        assert field.xmp is not None
        qname = f"{prefix}:{field.xmp[1]}" if prefix else field.xmp[1]
        layout = self._layout.get(id(desc))
        if layout is None:
            layout = self._layout[id(desc)] = (self._child_indent(desc), *_rdf_prefix(desc.scope))
        indent, rdf, rdf_decl = layout
        xml = _prop_xml(qname, field, value, indent, rdf, rdf_decl)
        self.appends.setdefault(id(desc), []).append(xml)
        self.append_elems[id(desc)] = desc

    def _child_indent(self, elem: _Elem) -> str:
        return _indent_before(self.data, elem.start) + " "

    def flush_appends(self) -> None:
        for key, children in self.appends.items():
            self._append(self.append_elems[key], children)

    def _append(self, elem: _Elem, children: list[str], rename: bytes | None = None) -> None:
        """Edit that puts serialized ``children`` at the end of ``elem``'s content."""
        data = self.data
        indent = self._child_indent(elem)
        body = "".join(f"\n{indent}{c}" for c in children).encode()
        start, end, empty, raw_name = self.span(elem.start, elem.end)
        if empty:
            close = b"\n" + indent[:-1].encode() + b"</" + (rename or raw_name) + b">"
            self.edits.append(_Edit(end - 2, end, b">" + body + close))
        else:
            m = self.tag(start)
            end_tag = data.rindex(b"</", start, end)
            at = _back_over_ws(data, end_tag, m.end())
            tail = b"" if at != m.end() or end_tag != at else b"\n" + indent[:-1].encode()
            self.edits.append(_Edit(at, at, body + tail))

    def new_description(self, root_rename: bytes | None) -> None:
        """Put the properties no Description could hold into a new rdf:Description."""
        if not self.homeless:
            return
        scan = self.scan
        about = ""
        if scan.descs:
            first = scan.descs[0].attrib
            about = first.get(_A_ABOUT, first.get("about", ""))
        parent = scan.rdf if scan.rdf is not None else scan.root
        assert parent is not None
        scope = parent.scope if scan.rdf is not None else {**parent.scope, "rdf": _RDF}
        rdf, rdf_decl = _rdf_prefix(scope)
        indent = self._child_indent(parent) + (" " if scan.rdf is None else "")
        decls = []
        props = []
        used: set[str] = set()
        for field, value in self.homeless:
            assert field.xmp is not None
            prefix = field.xmp[0]
            if prefix not in used:
                used.add(prefix)
                decls.append(f'\n{indent}    xmlns:{prefix}="{XMP_NAMESPACES[prefix]}"')
            xml = _prop_xml(f"{prefix}:{field.xmp[1]}", field, value, indent + " ", rdf)
            props.append(f"\n{indent} {xml}")
        desc = (
            f'<{rdf}:Description {rdf}:about="{_esc_attr(about)}"{rdf_decl}{"".join(decls)}>'
            f"{''.join(props)}\n{indent}</{rdf}:Description>"
        )
        if scan.rdf is None:
            desc = f'<rdf:RDF xmlns:rdf="{_RDF}">\n{indent}{desc}\n{indent[:-1]}</rdf:RDF>'
        self._append(parent, [desc], rename=root_rename if parent is scan.root else None)

    def apply(self, lo: int, hi: int) -> bytes:
        out: list[bytes] = []
        pos = lo
        for edit in sorted(self.edits, key=lambda e: (e.start, e.end)):
            if edit.start < pos:  # pragma: no cover - would mean two edits of one span
                raise Malformed("XMP update produced overlapping edits", edit.start)
            out.append(self.data[pos : edit.start])
            out.append(edit.text)
            pos = edit.end
        out.append(self.data[pos:hi])
        return b"".join(out)


def _place(writer: _Writer, scan: _Scan, field: Field, value: Value,
           occurrences: list[_Prop]) -> None:
    """Set one field: in place of its first occurrence (``occurrences``: the field's
    properties in document order), else where its namespace is declared."""
    assert field.xmp is not None
    uri = XMP_NAMESPACES[field.xmp[0]]
    if occurrences:
        first, rest = occurrences[0], occurrences[1:]
        for prop in rest:
            writer.remove(prop)
        if first.node is not None:
            writer.replace(first, field, value)
            return
        writer.remove(first)
        assert first.attr_key is not None
        prefix = _prefix_for(uri, first.desc.scope, field.xmp[0])
        if prefix is not None:
            writer.add(first.desc, field, value, prefix)
            return
    for desc in scan.descs:
        prefix = _prefix_for(uri, desc.scope, field.xmp[0])
        if prefix is None and desc.scope.get("") == uri:
            prefix = ""
        if prefix is not None:
            writer.add(desc, field, value, prefix)
            return
    writer.homeless.append((field, value))


@functools.lru_cache(maxsize=1)
def _fresh_scan() -> _Scan:
    """The scan of the fresh packet, made once: :func:`update` only reads a scan."""
    return _scan(_FRESH)


def update(packet: bytes | None, values: Mapping[str, str | list[str] | None]) -> bytes:
    """A new packet: ``packet`` with our properties set or removed as ``values`` says.

    A key absent from ``values`` leaves that property untouched; ``None``, ``""`` or ``[]``
    removes it; anything else replaces it (``dc:description``/``dc:rights`` keep their other
    languages).  Everything else in the packet is kept byte for byte.  ``packet=None`` (or an
    empty one) starts a fresh packet.  The result is UTF-8 with an ``<?xpacket?>`` wrapper and
    about 2 KB of padding.  Raises :class:`~captions.errors.Malformed` for a packet
    :func:`read_fields` would refuse, or for a value XML cannot carry or a date that is not
    ISO 8601.
    """
    return update_reading(packet, values)[0]


Reading = tuple[dict[str, Value], list[str]]


def update_reading(
    packet: bytes | None, values: Mapping[str, str | list[str] | None]
) -> tuple[bytes, Reading | None]:
    """:func:`update`, and what :func:`read_fields` gives for ``packet``, from the same parse.

    The reading is ``None`` when there is no packet to read (``None``, empty, or a wrapper
    without an element, which :func:`read_fields` refuses).  A caller comparing the old and
    new readings so parses the old packet once instead of twice.
    """
    checked = _check_values(values)
    data = _FRESH
    fresh = True
    if packet is not None:
        data = _to_utf8(packet)
        fresh = _ELEMENT.search(data) is None  # empty, or an <?xpacket?> wrapper alone
        if fresh:
            data = _FRESH
    scan = _fresh_scan() if fresh else _scan(data)
    reading: Reading | None = None
    if not fresh:
        reading = _collect(scan) if scan.rdf is not None else (
            {}, ["XMP packet has no rdf:RDF element"])
    root = scan.root
    assert root is not None
    if scan.rdf is None and root.tag not in _ROOT_TAGS:
        raise Malformed("XMP packet has no rdf:RDF element and no x:xmpmeta to hold one")
    writer = _Writer(data, scan)
    r_start, r_end, r_empty, r_name = writer.span(root.start, root.end)
    rename = None
    if root.tag == _T_XAPMETA:
        rename = r_name[: -len(b"xapmeta")] + b"xmpmeta"
        writer.edits.append(_Edit(r_start + 1, r_start + 1 + len(r_name), rename))
        if not r_empty:
            close = data.rindex(b"</", r_start, r_end)
            writer.edits.append(_Edit(close + 2, close + 2 + len(r_name), rename))
    by_field: dict[int, list[_Prop]] = {}
    for prop in scan.props:
        by_field.setdefault(id(prop.field), []).append(prop)
    for field, value in checked:
        occurrences = by_field.get(id(field), [])
        if value is None:
            for prop in occurrences:
                writer.remove(prop)
        else:
            _place(writer, scan, field, value, occurrences)
    writer.flush_appends()
    writer.new_description(rename)
    body = writer.apply(r_start, r_end)
    if scan.rdf is root:
        body = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">\n' + body + b"\n</x:xmpmeta>"
    before, after = (
        [m.group(0) for m in _MISC.finditer(region) if not m.group(0).startswith(_OURS)]
        for region in (data[:r_start], data[r_end:])
    )
    head = (
        _HEADER
        + b"".join(x + b"\n" for x in before)
        + body
        + b"\n"
        + b"".join(x + b"\n" for x in after)
    )
    padding = _PADDING
    if len(head) + len(_TRAILER) <= _JPEG_XMP_MAX < len(head) + len(padding) + len(_TRAILER):
        padding = b" " * (_JPEG_XMP_MAX - len(head) - len(_TRAILER))
    return head + padding + _TRAILER, reading
