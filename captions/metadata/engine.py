"""The metadata engine: payloads -> one field dict (with precedence), and values -> new payloads.

Containers (:mod:`captions.metadata.containers`) find the raw payloads; the codecs
(:mod:`~captions.metadata.iim`, :mod:`~captions.metadata.xmp`, :mod:`~captions.metadata.exif`)
turn each into logical fields.  This module decides which source wins and keeps the three in
step when writing.

Reading precedence, per field (the Metadata Working Group's rules as ExifTool's MWG module
applies them, see ``docs/notes/engine.md``):

1. IIM against XMP.  The Photoshop IPTC digest (IRB 0x0425) is the MD5 of the IIM block as it
   was when an MWG-aware program last synchronised IIM and XMP.

   * no IIM, or no digest, or the digest matches: **XMP wins**; IIM only fills fields XMP
     lacks.  A matching digest means both say the same, and XMP holds values uncut.
   * the digest does not match: a program that knows only IIM (an old wire system,
     iptcinfo3...) changed the IIM after the last synchronisation, so **IIM is the newer**
     and wins; XMP fills fields IIM lacks, and an IIM value cut at its length limit is
     replaced by the XMP value it is the start of.

2. EXIF last: it only fills what IPTC leaves empty (camera firmware writes boilerplate such
   as "OLYMPUS DIGITAL CAMERA" into ImageDescription).  ExifTool's MWG module puts EXIF
   first for description, creator and copyright; this is a deliberate difference.

Writing puts the same values into every place the format has: IIM (inside the IRB as 0x0404,
with the 0x0425 digest recomputed so MWG readers trust it; or bare where the format keeps
IIM outside an IRB), XMP, and EXIF for the fields EXIF has.  A payload whose fields already
read as the values asked for is left untouched (``None`` in the returned update).
"""

from __future__ import annotations

import datetime as _dt
import re
import threading
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from ..errors import CodecError, Malformed, ParseError
from . import exif as exif_codec
from . import iim as iim_codec
from . import irb as irb_codec
from . import xmp as xmp_codec
from .containers import Payloads
from .fields import BY_NAME, FIELDS, LIST_FIELDS

__all__ = ["Value", "Values", "IimSource", "read_fields", "plan_update", "normalise", "find_iim", "clean",
           "check_values", "misread",
           "forget"]

Value = str | list[str]
Values = dict[str, Value]

#: fields EXIF holds (description, creators, copyright_notice, date_created)
EXIF_FIELDS: frozenset[str] = frozenset(f.name for f in FIELDS if f.exif)


@attrs.frozen
class IimSource:
    """Where the IIM of a file lives and whether the digest vouches for it."""

    #: the IIM block used for reading (the first 0x0404, or the bare block)
    block: bytes | None
    #: ``"irb"`` (resource 0x0404) or ``"iim"`` (bare: TIFF 33723, PNG raw profile)
    place: str | None
    #: the decoded image resources (empty when there is no IRB)
    resources: tuple[irb_codec.Resource, ...]
    #: ``True`` digest matches, ``False`` digest present and stale, ``None`` no digest
    digest_ok: bool | None
    #: the extra 0x0404 blocks after the first one (several Photoshop APP13s)
    extra_blocks: tuple[bytes, ...]
    warnings: tuple[str, ...]


def find_iim(p: Payloads) -> IimSource:
    """Locate the IIM block(s) and the digest in a file's payloads (lenient: never raises).

    A bare block (TIFF tag 33723, PNG raw profile) comes first, as ExifTool reads it; the
    0x0404 resources of the IRB follow (JPEG APP13; TIFF 34377 may hold a second copy).
    The digest is compared with the first block as stored (TIFF: with its NUL padding).
    """
    warnings: list[str] = []
    resources: list[irb_codec.Resource] = []
    if p.irb is not None:
        resources, _tail, w = irb_codec.decode_lenient(p.irb)
        warnings += w
    blocks = [r.data for r in resources if r.id == irb_codec.IPTC_NAA]
    digest_res = irb_codec.get(resources, irb_codec.IPTC_DIGEST)
    place: str | None = "irb" if blocks else None
    if p.iim is not None:
        place = "iim"
        blocks.insert(0, p.iim)
    block = blocks[0] if blocks else None
    digest_ok: bool | None = None
    if block is not None and digest_res is not None:
        digest_ok = digest_res.data == irb_codec.iptc_digest(block)
    # filled directly: the attrs record's generated __init__ is interpreted (_new_payloads)
    src = _OBJECT_NEW(IimSource)
    _SET(src, "block", block)
    _SET(src, "place", place)
    _SET(src, "resources", tuple(resources))
    _SET(src, "digest_ok", digest_ok)
    _SET(src, "extra_blocks", tuple(b for b in blocks[1:] if b != block))
    _SET(src, "warnings", tuple(warnings))
    return src


Decoder = Callable[[bytes], tuple[dict[str, Value], list[str]]]

#: the last few codec readings of this thread, keyed by (codec function, payload bytes).  A
#: write decodes its new XMP and IIM to compare them with the old (:func:`_differs`), and the
#: read-back check of the written file then finds the very same bytes in it; a batch reads a
#: file's payloads and then plans the write from the same bytes.  Equal bytes decode alike, so
#: the check still proves that what is in the new file decodes to the values asked for.  One
#: memo per thread: CMS plugins and the batch's writer threads each write their own file, and
#: one thread's :func:`forget` must not empty another's.
_MEMO_SIZE = 8
_LOCAL = threading.local()


def _memo() -> dict[tuple[Decoder, bytes], tuple[dict[str, Value], tuple[str, ...]]]:
    memo: dict[tuple[Decoder, bytes], tuple[dict[str, Value], tuple[str, ...]]] | None = (
        getattr(_LOCAL, "memo", None))
    if memo is None:
        memo = _LOCAL.memo = {}
    return memo


def _decode(fn: Decoder, payload: bytes) -> tuple[dict[str, Value], list[str]]:
    """``fn(payload)``, remembered for the last few payloads; callers get their own copies."""
    key = (fn, payload)
    memo = _memo()
    hit = memo.get(key)
    if hit is None:
        values, warnings = fn(payload)  # a CodecError is raised again next time, not kept
        hit = (dict(values), tuple(warnings))
        while len(memo) >= _MEMO_SIZE:
            memo.pop(next(iter(memo)), None)
        memo[key] = hit
    return ({k: list(v) if isinstance(v, list) else v for k, v in hit[0].items()},
            list(hit[1]))


def _remember(fn: Decoder, payload: bytes, reading: tuple[dict[str, Value], list[str]]) -> None:
    """Store what ``fn(payload)`` gives, found as a by-product (an update's parse of the old
    payload), so that :func:`_decode` need not compute it again."""
    memo = _memo()
    while len(memo) >= _MEMO_SIZE:
        memo.pop(next(iter(memo)), None)
    values, warnings = reading
    memo[(fn, payload)] = (dict(values), tuple(warnings))


def forget() -> None:
    """Drop this thread's remembered codec readings (the API does after each write, so that
    one file's readings never serve another's; they would be right, but nothing gained)."""
    _memo().clear()


def _codec_read(name: str, fn: Decoder, payload: bytes | None, warnings: list[str],
                remember: bool = True) -> Values:
    """``fn(payload)``'s values (its warnings go to ``warnings``); ``remember=False`` for a
    payload no write compares (EXIF: its bytes are compared, never its reading), which is
    then decoded without hashing it for the memo."""
    if payload is None:
        return {}
    try:
        values, w = _decode(fn, payload) if remember else fn(payload)
    except CodecError as exc:
        warnings.append(f"{name} unreadable: {exc}")
        return {}
    warnings.extend(w)
    return values  # already the caller's own: _decode copies, and fn builds a new one


def _iim_values(src: IimSource, warnings: list[str]) -> Values:
    if src.block is None:
        return {}
    values = _codec_read("IIM", iim_codec.read_fields, src.block, warnings)
    for extra in src.extra_blocks:  # later 0x0404 blocks fill what the first lacks
        more = _codec_read("IIM (second block)", iim_codec.read_fields, extra, warnings)
        for k, v in more.items():
            values.setdefault(k, v)
    return values


def _is_cut(iim_value: Value, xmp_value: Value, limit: int | None) -> bool:
    """Whether ``iim_value`` is ``xmp_value`` cut at the IIM length limit."""
    if limit is None or not isinstance(iim_value, str) or not isinstance(xmp_value, str):
        return False
    return (len(xmp_value) > len(iim_value) and xmp_value.startswith(iim_value)
            and len(iim_value.encode("utf-8")) >= limit - 3)


def read_fields(p: Payloads) -> tuple[Values, list[str]]:
    """One value per logical field from all payloads of a file, and warnings."""
    warnings: list[str] = list(p.warnings)
    src = find_iim(p)
    warnings += src.warnings
    iim = _iim_values(src, warnings)
    xmp = _codec_read("XMP", xmp_codec.read_fields, p.xmp, warnings)
    exif = _codec_read("EXIF", exif_codec.read_fields, p.exif, warnings, remember=False)

    iim_first = bool(iim) and src.digest_ok is False
    out: Values = {}
    disagree: list[str] = []
    recovered: list[str] = []
    for field in FIELDS:
        name = field.name
        # each value normalised once: ``a``/``b`` are the values as read, where not blank
        a, b = iim.get(name), xmp.get(name)
        na = None if a is None else normalise(name, a)
        nb = na if b == a else None if b is None else normalise(name, b)  # equal: alike
        if na is None:
            a = None
        if nb is None:
            b = None
        if a is not None and b is not None and na != nb:
            if _is_cut(a, b, field.iim_max):
                recovered.append(name)
                value: Value | None = b
            else:
                disagree.append(name)
                value = a if iim_first else b
        else:
            value = (a if a is not None else b) if iim_first else (b if b is not None else a)
        if value is None and name in exif:
            value = _present(name, exif)
        if value is not None:
            out[name] = value
    if disagree:
        names = ", ".join(disagree)
        if iim_first:
            warnings.append(f"IIM is newer than XMP (IPTC digest mismatch): IIM used for {names}")
        elif src.digest_ok is None:
            warnings.append(f"IIM and XMP disagree (no IPTC digest): XMP used for {names}")
        else:
            warnings.append(f"IIM and XMP disagree although the IPTC digest matches: "
                            f"XMP used for {names}")
    if recovered and iim_first:
        warnings.append(f"IIM value cut at its length limit; full XMP value used for "
                        f"{', '.join(recovered)}")
    return out, warnings


def misread(values: Mapping[str, Value | None], got: Mapping[str, Value]) -> list[str]:
    """The fields of ``values`` (what a write asked for) that ``got`` (what the written file
    reads back) does not hold, compared in normal form; removals (``None``/``""``/``[]``)
    are not checked (EXIF DateTimeOriginal, for one, is never removed)."""
    wrong = []
    for name, value in values.items():
        want = normalise(name, value)
        if want is None:
            continue
        held = got.get(name)
        if held != value and normalise(name, held) != want:  # equal: equal normal forms
            wrong.append(name)
    return wrong


def _present(name: str, values: Values) -> Value | None:
    """``values[name]``, or None when absent or blank (a lone space fills no gap)."""
    value = values.get(name)
    return None if normalise(name, value) is None else value


def normalise(name: str, value: Value | None) -> Value | None:
    """A value in the form the codecs read back: lists for list fields, ``None`` for empty,
    line breaks as ``\\n`` (IIM writers use CR)."""
    if value is None:
        return None
    if name in LIST_FIELDS:
        items = [value] if isinstance(value, str) else list(value)
        items = [_nl(v).strip() for v in items if v and v.strip()]
        return items or None
    if isinstance(value, list):
        value = "; ".join(value)
    value = _nl(value).strip()
    return value or None


def _nl(text: str) -> str:
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --------------------------------------------------------------------------------------------
# writing


def _subset(values: Values, keys: Mapping[str, object]) -> Values:
    return {k: values[k] for k in keys if k in values}


def plan_update(
    p: Payloads,
    values: Mapping[str, Value | None],
    *,
    can_hold: frozenset[str],
    fmt: str,
    cleaned: bool = False,
) -> tuple[Payloads, list[str]]:
    """The payloads to write so that ``values`` reads back from every place the format has.

    ``values`` follows the codec convention (absent key: untouched; ``None``/``""``/``[]``:
    removed).  Returns ``(update, warnings)`` where ``update`` carries only the payloads that
    change (all ``None``: nothing to do).  Raises :class:`CodecError` when a payload we must
    rewrite is damaged (a damaged IIM or IRB is refused, not rewritten without its tail).
    ``cleaned=True``: ``values`` come from :func:`clean` already (the API cleans them once,
    with its warnings; a second pass would change nothing and warn of nothing).
    """
    unknown = [k for k in values if k not in BY_NAME]
    if unknown:
        raise CodecError(f"unknown field names: {', '.join(sorted(unknown))}")
    warnings: list[str] = []
    if cleaned:
        values = dict(values)
    else:
        values, warnings = clean(values)
    src = find_iim(p)
    synced = _reconcile(p, src, values)
    if synced:
        warnings.append("IIM was newer than XMP (IPTC digest mismatch); copied its "
                        f"{', '.join(synced)} into XMP (and EXIF) so that all places agree")
    keys = dict.fromkeys(values)
    changed: dict[str, bytes] = {}

    # ---- XMP: always written (every format holds it)
    if "xmp" in can_hold:
        old_xmp = p.xmp
        new_xmp, old_reading = xmp_codec.update_reading(old_xmp, values)
        if old_reading is not None and old_xmp is not None:
            _remember(xmp_codec.read_fields, old_xmp, old_reading)
        if old_xmp is None or _differs(xmp_codec.read_fields, old_xmp, new_xmp, keys):
            changed["xmp"] = new_xmp

    # ---- IIM
    if any(BY_NAME[k].iim for k in values):
        _plan_iim(p, src, values, keys, can_hold, fmt, changed, warnings)

    # ---- EXIF: only the fields it has
    exif_values = {k: v for k, v in values.items() if k in EXIF_FIELDS}
    if "exif" in can_hold and exif_values:
        has_content = any(normalise(k, v) is not None for k, v in exif_values.items()
                          if k != "date_created")
        if p.exif is not None or has_content:
            new_exif = exif_codec.update(p.exif, exif_values)
            if p.exif is None or new_exif != p.exif:
                changed["exif"] = new_exif

    update = _new_payloads(changed.get("exif"), changed.get("xmp"), None, changed.get("irb"),
                           changed.get("iim"), ())
    return update, warnings


def _new_payloads(exif: bytes | None, xmp: bytes | None, xmp_extended: bytes | None,
                  irb: bytes | None, iim: bytes | None, warnings: tuple[str, ...]) -> Payloads:
    """``Payloads(exif=..., ...)``, filled slot by slot: the record's attrs ``__init__`` is
    Python code (an interpreted call with six frozen-attribute stores, ~12,000 instructions
    a record), this is a few C calls.  The same record: all six fields given, no validators
    or converters to run (``Payloads`` has none)."""
    p = _OBJECT_NEW(Payloads)
    _SET(p, "exif", exif)
    _SET(p, "xmp", xmp)
    _SET(p, "xmp_extended", xmp_extended)
    _SET(p, "irb", irb)
    _SET(p, "iim", iim)
    _SET(p, "warnings", warnings)
    return p


_OBJECT_NEW = object.__new__
_SET = object.__setattr__


def _plan_iim(p: Payloads, src: IimSource, values: Mapping[str, Value | None],
              keys: Mapping[str, object], can_hold: frozenset[str], fmt: str,
              changed: dict[str, bytes], warnings: list[str]) -> None:
    """Add the new IIM (bare and/or in the IRB) and the IRB digest to ``changed``."""
    bare = p.iim is not None
    in_irb = any(r.id == irb_codec.IPTC_NAA for r in src.resources)
    if not bare and not in_irb:  # no IIM yet: where this format keeps it
        if fmt == "jpeg" and "irb" in can_hold:
            in_irb = True
        elif "iim" in can_hold:
            bare = True
        else:
            return  # WebP: no home for IIM
    old_block = src.block
    datasets: list[iim_codec.Dataset] = []
    if old_block is not None:
        try:
            datasets = iim_codec.decode(old_block)
            # what read_fields gives for the old block (sound, so no damage warning), kept
            # for the comparison below instead of decoding the block again
            _remember(iim_codec.read_fields, old_block, iim_codec.read_fields(datasets))
            for extra in src.extra_blocks:  # later blocks: what the first one lacks
                have = {(d.record, d.number) for d in datasets}
                datasets += [d for d in iim_codec.decode(extra)
                             if (d.record, d.number) not in have]
        except CodecError as exc:
            raise Malformed(f"the IIM block is damaged ({exc}); refusing to rewrite it, "
                            "as that would drop what follows the damage") from exc
    new_datasets, w = iim_codec.update(datasets, values)
    warnings += w
    new_block = iim_codec.encode(new_datasets)
    if fmt == "tiff" and bare:
        new_block += b"\0" * (-len(new_block) % 4)  # as a LONG[] tag stores it
    iim_changes = (old_block is None or bool(src.extra_blocks)
                   or _differs(iim_codec.read_fields, old_block, new_block, keys))
    if not iim_changes:
        assert old_block is not None
        new_block = old_block
    if bare and iim_changes:
        changed["iim"] = new_block
    has_digest = irb_codec.get(src.resources, irb_codec.IPTC_DIGEST) is not None
    want_irb = in_irb or (bare and has_digest and "irb" in can_hold)
    if not want_irb or not (iim_changes or (src.digest_ok is not True and changed)):
        return
    resources, tail = _irb_for_write(p.irb, warnings)
    resources = _drop_repeats(resources, (irb_codec.IPTC_NAA, irb_codec.IPTC_DIGEST))
    if in_irb:
        resources = irb_codec.replace(resources, irb_codec.IPTC_NAA,
                                      new_block)
    resources = irb_codec.replace(resources, irb_codec.IPTC_DIGEST,
                                  irb_codec.iptc_digest(new_block))
    changed["irb"] = irb_codec.encode(resources) + tail


_ISO_DATE_TIME = re.compile(
    r"(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:\d{2})?)?)?)?")


def check_values(values: Mapping[Any, Any]) -> dict[str, Value | None]:
    """What :func:`captions.api.check_values` does (see there): a caller's field values,
    checked and copied, or :class:`~captions.errors.ParseError` naming the field.  Here,
    compiled, because every write runs it; keys and values are typed ``Any`` so that a
    caller's wrong types reach the checks below (and their error messages) as they did."""
    unknown = sorted(k for k in values if k not in BY_NAME)
    if unknown:
        raise ParseError(f"unknown field names: {', '.join(unknown)}")
    out: dict[str, Value | None] = {}
    for name, value in values.items():
        if name in LIST_FIELDS and isinstance(value, str):
            value = [value]
        if value is None or isinstance(value, str):
            pass
        elif name in LIST_FIELDS and isinstance(value, (list, tuple)):
            if not all(isinstance(v, str) for v in value):
                raise ParseError(f"{name}: every item must be a string")
            value = list(value)
        else:
            kind = "a string or a list of strings" if name in LIST_FIELDS else "a string"
            raise ParseError(f"{name}: expected {kind} or None, got {type(value).__name__}")
        if name == "date_created" and value:
            _check_date(str(value))
        out[name] = value
    return out


def _check_date(text: str) -> None:
    m = _ISO_DATE_TIME.fullmatch(text)
    if not m:
        raise ParseError(f"date_created: not an ISO 8601 date: {text!r}")
    y, mo, d, hh, mm, ss, _zone = m.groups()
    try:
        _dt.date(int(y), int(mo or 1), int(d or 1))
        if hh is not None:
            _dt.time(int(hh), int(mm), int(ss or 0))
    except ValueError as exc:
        raise ParseError(f"date_created: no such date or time: {text!r}") from exc


def clean(values: Mapping[str, Value | None]) -> tuple[dict[str, Value | None], list[str]]:
    """``values`` without the control characters XML cannot carry (U+000B, U+001C...).

    Such characters reach us from IIM written by old wire systems; every place gets the same
    cleaned value, so IIM, XMP and EXIF stay in step, and a warning names what went.
    """
    warnings: list[str] = []
    out: dict[str, Value | None] = {}
    for name, value in values.items():
        removed: list[str] = []
        if isinstance(value, str):
            value, removed = xmp_codec.strip_illegal(value)
        elif isinstance(value, list):
            items = []
            for item in value:
                item, r = xmp_codec.strip_illegal(item)
                items.append(item)
                removed += r
            value = items
        if removed:
            warnings.append(f"{name}: removed control characters XMP cannot hold "
                            f"({', '.join(sorted(set(removed)))})")
        out[name] = value
    return out, warnings


def _drop_repeats(resources: list[irb_codec.Resource],
                  ids: tuple[int, ...]) -> list[irb_codec.Resource]:
    """Keep only the first resource of each id in ``ids`` (several APP13 streams merged into
    one carry several IIM blocks and digests; the IIM of the later ones is merged into the
    first block, and a second digest would contradict the new one)."""
    seen: set[int] = set()
    out = []
    for r in resources:
        if r.id in ids:
            if r.id in seen:
                continue
            seen.add(r.id)
        out.append(r)
    return out


def _irb_for_write(irb: bytes | None, warnings: list[str]) -> tuple[list[irb_codec.Resource], bytes]:
    """The resources of an IRB about to be rewritten, and its undecodable tail.

    A damaged tail (a resource cut short, as when a JPEG APP13 declares too short a length)
    is kept verbatim at the end of the new stream, so its bytes stay where they were
    relative to the rest of the file.  Every other resource is re-encoded as it was.
    """
    if irb is None:
        return [], b""
    resources, tail, w = irb_codec.decode_lenient(irb)
    if tail:
        warnings.append(f"kept {len(tail)} undecodable bytes at the end of the Photoshop IRB "
                        "as they were")
    return resources, tail


def _reconcile(p: Payloads, src: IimSource, values: dict[str, Value | None]) -> list[str]:
    """With a stale digest, IIM values newer than XMP's join ``values`` (in place).

    Writing makes the digest current again, after which readers trust XMP; so every field
    where IIM currently wins over a different XMP value is written everywhere first, and no
    field the caller did not touch changes its reading.  Returns the names added.
    """
    if src.digest_ok is not False or p.xmp is None:
        return []
    merged, _ = read_fields(p)
    iim = _iim_values(src, [])
    xmp = _codec_read("XMP", xmp_codec.read_fields, p.xmp, [])
    added = []
    for field in FIELDS:
        name = field.name
        if name in values or name not in iim or name not in merged:
            continue
        if normalise(name, iim[name]) != normalise(name, xmp.get(name)) and not (
                name in xmp and _is_cut(iim[name], xmp[name], field.iim_max)):
            values[name] = merged[name]
            added.append(name)
    return added


def _differs(read: Decoder, old: bytes, new: bytes, keys: Mapping[str, object]) -> bool:
    """Whether ``new`` reads differently from ``old`` for ``keys`` (damaged old: True)."""
    if old == new:
        return False
    try:
        before, _ = _decode(read, old)
    except CodecError:
        return True
    after, _ = _decode(read, new)
    for k in keys:
        b, a = before.get(k), after.get(k)
        if b != a and normalise(k, b) != normalise(k, a):  # equal values: equal normal forms
            return True
    return False
