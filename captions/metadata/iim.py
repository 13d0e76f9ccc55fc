"""IPTC IIM (Information Interchange Model 4.2): datasets, 1:90 charset, field values.

A block is a sequence of datasets, each ``0x1C record number length value``.  The length is
two bytes; with bit 15 set, its low 15 bits count the octets (at most 8) of the real length
that follow (IIM 4.2 section 1.5.4, "extended DataSet").  Only records 1 (envelope) and 2
(application) are interpreted; every dataset we do not change is written back byte for byte.

Layers, from bytes to fields:

* :func:`decode` / :func:`encode`: bytes <-> :class:`Dataset` list (lossless; trailing NUL
  padding after the last dataset is accepted and not kept).
* :func:`decode_lenient`: the datasets before the first damage, plus a warning (for reading).
* :func:`read_fields` / :func:`update`: datasets <-> logical field values
  (:mod:`captions.metadata.fields`), with the charset handling described in
  ``docs/notes/iim.md``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

import attrs

from ..errors import CodecError, Malformed, Truncated
from .fields import BY_NAME, FIELDS, IIM_TIME_CREATED

__all__ = [
    "Dataset",
    "decode",
    "decode_lenient",
    "encode",
    "read_fields",
    "update",
    "UTF8_MARKER",
]

# --------------------------------------------------------------------------------------------
# IIM 4.2 section 1.5: dataset framing
# --------------------------------------------------------------------------------------------

_TAG_MARKER = 0x1C
#: ExifTool's limit on extended length octets (IIM allows up to 32767, nobody needs more than 8)
MAX_LENGTH_OCTETS = 8
#: the octet count we write for extended lengths (the form ExifTool and Photoshop write)
_EXTENDED_OCTETS = 4


class Dataset(NamedTuple):
    """One IIM dataset: ``record:number`` and its raw value bytes (an immutable record;
    a named tuple, as blocks are decoded into dozens of them per file)."""

    record: int
    number: int
    value: bytes


#: ``tuple.__new__``: builds a :class:`Dataset` without the named tuple's ``__new__``, which
#: is Python code (compiled callers pay an interpreted call per dataset through it)
_NEW = tuple.__new__


def _dataset(record: int, number: int, value: bytes) -> Dataset:
    """``Dataset(record, number, value)``, built directly (see :data:`_NEW`)."""
    return _NEW(Dataset, (record, number, value))


def _decode_into(buf: bytes, out: list[Dataset]) -> None:
    """Append the datasets of ``buf`` to ``out``; raise at the first damaged one."""
    n = len(buf)
    pos = 0
    append = out.append
    while pos < n:
        if buf[pos] != _TAG_MARKER:
            if buf[pos] == 0 and buf.count(0, pos) == n - pos:
                return  # zero padding after the last dataset (Photoshop, iMatch)
            raise Malformed(f"bad IIM tag marker 0x{buf[pos]:02X} (expected 0x1C)", pos)
        if pos + 5 > n:
            raise Truncated("IIM dataset header", pos, 5, n - pos)
        record = buf[pos + 1]
        number = buf[pos + 2]
        length = (buf[pos + 3] << 8) | buf[pos + 4]
        pos += 5
        if length & 0x8000:
            octets = length & 0x7FFF
            if not 0 < octets <= MAX_LENGTH_OCTETS:
                raise Malformed(
                    f"IIM dataset {record}:{number} extended length uses {octets} octets", pos - 2)
            if pos + octets > n:
                raise Truncated(f"IIM dataset {record}:{number} extended length", pos, octets, n - pos)
            length = int.from_bytes(buf[pos:pos + octets], "big")
            pos += octets
        end = pos + length
        if end > n:
            raise Truncated(f"IIM dataset {record}:{number}", pos, length, n - pos)
        append(_dataset(record, number, buf[pos:end]))
        pos = end


def decode(data: bytes | memoryview) -> list[Dataset]:
    """Split an IIM block into datasets, in file order.

    Raises :class:`~captions.errors.Truncated` when a dataset runs past the end and
    :class:`~captions.errors.Malformed` on a bad tag marker or extended length.
    """
    out: list[Dataset] = []
    _decode_into(bytes(data), out)
    return out


def decode_lenient(data: bytes | memoryview) -> tuple[list[Dataset], list[str]]:
    """The datasets before the first damage, and a warning describing it (none when sound).

    No resynchronisation is attempted: once a length is wrong, every later boundary is a
    guess (see ``docs/notes/iim.md``).  Use :func:`decode` before writing, so that a damaged
    block is refused rather than rewritten without its tail.
    """
    out: list[Dataset] = []
    try:
        _decode_into(bytes(data), out)
    except CodecError as exc:
        return out, [f"IIM: {exc}; kept the {len(out)} datasets before it"]
    return out, []


def encode(datasets: Iterable[Dataset]) -> bytes:
    """Serialise datasets; values over 32767 bytes get an extended (4-octet) length."""
    parts: list[bytes] = []
    append = parts.append
    for ds in datasets:
        if not (0 <= ds.record <= 255 and 0 <= ds.number <= 255):
            raise Malformed(f"IIM dataset number out of range: {ds.record}:{ds.number}")
        size = len(ds.value)
        if size <= 0x7FFF:
            append(bytes((_TAG_MARKER, ds.record, ds.number, size >> 8, size & 0xFF)))
        else:
            octets = max(_EXTENDED_OCTETS, (size.bit_length() + 7) // 8)
            if octets > MAX_LENGTH_OCTETS:
                raise Malformed(f"IIM dataset {ds.record}:{ds.number} too large ({size} bytes)")
            append(bytes((_TAG_MARKER, ds.record, ds.number, 0x80, octets)))
            append(size.to_bytes(octets, "big"))
        append(ds.value)
    return b"".join(parts)


# --------------------------------------------------------------------------------------------
# IIM 4.2 dataset 1:90 Coded Character Set (ISO 2022 escape sequences)
# --------------------------------------------------------------------------------------------

#: ``ESC % G``: UTF-8, the only value we write
UTF8_MARKER = b"\x1b%G"
_CHARSET = (1, 90)
_ENVELOPE_VERSION = (1, 0)
_RECORD_VERSION = (2, 0)
#: IIM version 4, as ExifTool and Photoshop write 1:00 and 2:00 (int16u)
_VERSION_4 = b"\x00\x04"

#: ISO 2022 designations of UTF-8 (``ESC % G`` and the ``ESC % / G|H|I`` levels)
_UTF8_DESIGNATIONS = (b"\x1b%G", b"\x1b%/G", b"\x1b%/H", b"\x1b%/I")
#: ISO 8859-1 right half designated into G1, G2, G3 (``ESC - A``, ``ESC . A``, ``ESC / A``)
_LATIN1_DESIGNATION = re.compile(rb"\x1b[,\-./]A")
#: designations that only announce ASCII (``ESC ( B``) or nothing at all
_ASCII_ONLY = re.compile(rb"(?:\x1b\(B|\x1b\(@)*")

#: record-2 datasets that are binary, never text (ExifTool's IPTC table)
_BINARY_2 = frozenset({0, 125, 200, 201, 202})

#: Mac Roman letters are scored against cp1252 only in this band (cp1252 punctuation lives here)
_NEUTRAL_SYMBOLS = frozenset("©®°±·«»¿¡€£¥§¶†‡•…–—‘’‚“”„‹›™\u00a0")


def _legacy_score(text: str) -> int:
    """How plausible ``text`` is as Latin-script prose: letters in natural case score,
    rare symbols and capitals inside a lower-case word cost (``JosŽ``, ``TrŸbiger``)."""
    score = 0
    prev = " "
    for ch in text:
        if ch >= "\x80":
            if ch.isalpha():
                score += -2 if (ch.isupper() and prev.islower()) else 1
            elif ch not in _NEUTRAL_SYMBOLS:
                score -= 1
        prev = ch
    return score


def _cp1252(value: bytes) -> str:
    try:
        return value.decode("cp1252")
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
        return value.decode("latin-1")


def _choose_legacy(values: Iterable[bytes]) -> str:
    """``"cp1252"`` or ``"mac_roman"`` for the 8-bit values of one block.

    cp1252 unless Mac Roman reads clearly better: cp1252 cannot decode the bytes, or Mac
    Roman gives more natural letters (0x8E = é, 0x9F = ü) where cp1252 gives capitals or
    symbols in mid-word.
    """
    blob = b"\n".join(values)
    try:
        as_windows = blob.decode("cp1252")
    except UnicodeDecodeError:
        return "mac_roman"
    return "mac_roman" if _legacy_score(blob.decode("mac_roman")) > _legacy_score(as_windows) else "cp1252"


@attrs.frozen
class _Charset:
    """How the text of one block is to be read."""

    #: what 1:90 declares: "utf-8", "latin-1", "ascii", "unknown", or None when absent
    declared: str | None
    #: codec for 8-bit values that are not valid UTF-8
    legacy: str
    #: the raw 1:90 value, for messages
    raw: bytes | None


def _declared_charset(raw: bytes) -> str:
    value = raw.rstrip(b"\0")
    if any(d in value for d in _UTF8_DESIGNATIONS):
        return "utf-8"
    if _LATIN1_DESIGNATION.search(value):
        return "latin-1"
    if _ASCII_ONLY.fullmatch(value):
        return "ascii"
    return "unknown"


def _is_text(ds: Dataset) -> bool:
    return ds.record == 2 and ds.number not in _BINARY_2


def _is_utf8(value: bytes) -> bool:
    try:
        value.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _block_charset(datasets: Sequence[Dataset]) -> _Charset:
    raw = None
    eight_bit = []
    for record, number, value in datasets:
        if record == 2:
            # text (as _is_text) that is neither ASCII nor UTF-8
            if not value.isascii() and number not in _BINARY_2 and not _is_utf8(value):
                eight_bit.append(value)
        elif raw is None and record == 1 and number == 90:
            raw = value
    declared = None if raw is None else _declared_charset(raw)
    legacy = _choose_legacy(eight_bit) if eight_bit else "cp1252"
    return _Charset(declared, legacy, raw)


def _decode_text(value: bytes, cs: _Charset) -> tuple[str, str]:
    """Text of a record-2 value and the codec used ("ascii", "utf-8", "latin-1", legacy)."""
    if value.isascii():
        return value.decode("ascii"), "ascii"
    if cs.declared == "latin-1":
        return value.decode("latin-1"), "latin-1"
    try:
        return value.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if cs.legacy == "mac_roman":
        return value.decode("mac_roman"), "mac_roman"
    return _cp1252(value), "cp1252"


_CODEC_NAMES = {"utf-8": "UTF-8", "cp1252": "cp1252 (Windows Latin-1)", "mac_roman": "Mac Roman"}


def _charset_warnings(cs: _Charset, used: Mapping[str, list[str]]) -> list[str]:
    """Warnings about how the non-ASCII values named in ``used`` (codec -> datasets) were read."""
    guessed = {c: names for c, names in used.items() if c in _CODEC_NAMES}
    if not guessed:
        return []
    if cs.declared == "utf-8":
        bad = {c: n for c, n in guessed.items() if c != "utf-8"}
        return [f"IIM {', '.join(names)} not valid UTF-8 although 1:90 declares UTF-8; "
                f"read as {_CODEC_NAMES[codec]}" for codec, names in bad.items()]
    if cs.declared is None:
        why = "IIM charset guessed (no 1:90 coded character set)"
    elif cs.declared == "unknown":
        why = f"IIM charset guessed (1:90 = {(cs.raw or b'').hex(' ')} is not supported)"
    else:  # "ascii" declared, 8-bit found
        why = "IIM charset guessed (1:90 declares ASCII but values are 8-bit)"
    found = "; ".join(f"{_CODEC_NAMES[c]} for {', '.join(n)}" for c, n in guessed.items())
    return [f"{why}: {found}"]


# --------------------------------------------------------------------------------------------
# IIM 4.2 2:55 Date Created (CCYYMMDD) and 2:60 Time Created (HHMMSS+-HHMM)
# --------------------------------------------------------------------------------------------

_ISO_DATE = re.compile(
    r"(\d{4})(?:-(\d{2})(?:-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?")
_IIM_DATE = re.compile(rb"(\d{4})-?(\d{2})-?(\d{2})")
_IIM_TIME = re.compile(rb"(\d{2}):?(\d{2}):?(\d{2})(\.\d+)?(?:([+-])(\d{2}):?(\d{2})|Z)?")


def _date_to_iim(iso: str) -> tuple[bytes, bytes | None] | None:
    """2:55 and 2:60 values for an ISO 8601 (partial) date, or None when it is not one."""
    m = _ISO_DATE.fullmatch(iso.strip())
    if m is None:
        return None
    year, month, day, hh, mi, ss, zone = m.groups()
    if month is not None and not 1 <= int(month) <= 12:
        return None
    if day is not None and not 1 <= int(day) <= 31:
        return None
    date = f"{year}{month or '00'}{day or '00'}".encode("ascii")
    if hh is None:
        return date, None
    if int(hh) > 23 or int(mi) > 59 or int(ss or 0) > 60:
        return None
    time = f"{hh}{mi}{ss or '00'}"
    if zone == "Z":
        time += "+0000"
    elif zone is not None:
        time += zone.replace(":", "")
    # no zone: written as HHMMSS, as Lightroom and AP do; ExifTool then reads no zone back
    return date, time.encode("ascii")


def _date_from_iim(date: bytes, time: bytes | None) -> str | None:
    """ISO 8601 text for 2:55 (+ 2:60); None when 2:55 is not a date."""
    m = _IIM_DATE.fullmatch(date.split(b"\0", 1)[0].strip())
    if m is None or m.group(1) == b"0000":
        return None
    # (three groups, always there: decoded one by one, no generator object)
    year, month, day = (m.group(1).decode("ascii"), m.group(2).decode("ascii"),
                        m.group(3).decode("ascii"))
    if month == "00" or not 1 <= int(month) <= 12:
        return year
    if day == "00" or not 1 <= int(day) <= 31:
        return f"{year}-{month}"
    iso = f"{year}-{month}-{day}"
    if time is None:
        return iso
    t = _IIM_TIME.fullmatch(time.split(b"\0", 1)[0].strip())
    if t is None:
        return iso
    hh, mi, ss, frac, sign, zh, zm = (g.decode("ascii") if g else None for g in t.groups())
    iso += f"T{hh}:{mi}:{ss}{frac or ''}"
    if sign is not None:
        iso += f"{sign}{zh}:{zm}"
    elif time.rstrip(b"\0 ").endswith(b"Z"):
        iso += "+00:00"
    return iso


# --------------------------------------------------------------------------------------------
# Logical fields (captions.metadata.fields) <-> datasets
# --------------------------------------------------------------------------------------------

#: (record, number) -> Field, for the fields stored in IIM
_BY_DATASET = {f.iim: f for f in FIELDS if f.iim is not None}
_DATE_CREATED = BY_NAME["date_created"].iim
#: the datasets read_fields looks at
_READ_KEYS = frozenset(_BY_DATASET) | {IIM_TIME_CREATED}


def _label(key: tuple[int, int]) -> str:
    return f"{key[0]}:{key[1]:02d}"


def read_fields(
    datasets: Sequence[Dataset] | bytes | memoryview,
) -> tuple[dict[str, str | list[str]], list[str]]:
    """Logical field values of an IIM block, and warnings.

    ``datasets`` may also be raw IIM bytes; they are then decoded with
    :func:`decode_lenient` (what precedes damage is read, with a warning).
    Empty values are left out; text is cut at the first NUL (C-string padding).
    """
    warnings: list[str] = []
    block: Sequence[Dataset]
    if isinstance(datasets, (bytes, bytearray, memoryview)):
        block, warnings = decode_lenient(datasets)
    else:
        block = datasets
    found: dict[tuple[int, int], list[bytes]] = {}
    for record, number, value in block:
        key = (record, number)
        if key in _READ_KEYS:
            raws = found.get(key)
            if raws is None:
                found[key] = [value]
            else:
                raws.append(value)

    values: dict[str, str | list[str]] = {}
    used: dict[str, list[str]] = {}
    cs: _Charset | None = None  # worked out at the first value that is not ASCII
    for key, raws in found.items():
        if key == IIM_TIME_CREATED:
            continue
        field = _BY_DATASET[key]
        if key == _DATE_CREATED:
            times = found.get(IIM_TIME_CREATED)
            iso = _date_from_iim(raws[0], times[0] if times else None)
            if iso is None:
                warnings.append(f"IIM {_label(key)} {field.name}: not a date: {raws[0]!r}")
            else:
                values[field.name] = iso
            continue
        texts: list[str] = []
        for raw in raws:
            if 0 in raw:  # (an int: ``bytes in bytes`` first tries the operand as an int and
                # builds a TypeError message before searching, ~2,500 instructions a test)
                raw = raw.split(b"\0", 1)[0]
            if raw.isascii():
                text = raw.decode("ascii")
            else:
                if cs is None:
                    cs = _block_charset(block)
                text, codec = _decode_text(raw, cs)
                if codec in _CODEC_NAMES:
                    used.setdefault(codec, [])
                    if _label(key) not in used[codec]:
                        used[codec].append(_label(key))
            if text:
                texts.append(text)
        if not texts:
            continue
        if field.repeatable:
            values[field.name] = texts
        else:
            values[field.name] = texts[0]
            if len(texts) > 1 and len(set(texts)) > 1:
                warnings.append(f"IIM {_label(key)} {field.name} is repeated; kept the first of "
                                f"{len(texts)} values")
    if used:
        assert cs is not None
        warnings.extend(_charset_warnings(cs, used))
    return values, warnings


def _fit(text: str, limit: int) -> tuple[bytes, bool]:
    """UTF-8 bytes of ``text`` cut to ``limit`` bytes on a character boundary (no dangling
    combining mark or joiner); second item True when cut."""
    raw = text.encode("utf-8", "replace")
    if len(raw) <= limit:
        return raw, False
    end = limit
    while end > 0 and (raw[end] & 0xC0) == 0x80:  # inside a multi-byte character: back off
        end -= 1
    kept = raw[:end].decode("utf-8")
    dropped = raw[end:end + 4].decode("utf-8", "ignore")
    if dropped and _extends_cluster(dropped[0]):
        # the cut splits a character from its accents or joiner: drop the whole character
        while kept and _extends_cluster(kept[-1]):
            kept = kept[:-1]
        kept = kept[:-1]
    while kept and _extends_cluster(kept[-1]):
        kept = kept[:-1]
    return kept.encode("utf-8"), True


def _extends_cluster(ch: str) -> bool:
    """A combining mark, zero-width joiner or variation selector: never ends a cut value."""
    return bool(unicodedata.combining(ch)) or ch in "\u200d\u034f" or "\ufe00" <= ch <= "\ufe0f"


def _insert_position(keys: Sequence[int], key: int) -> int:
    """Where a new dataset goes: before the first dataset that sorts after it."""
    for i, k in enumerate(keys):
        if k > key:
            return i
    return len(keys)


def _set(out: list[Dataset], keys: list[int], key: tuple[int, int],
         values: Sequence[bytes]) -> None:
    """Replace every ``key`` dataset of ``out`` by ``values``, at the first one's place (new
    ones in numerical order), in place; ``keys`` is ``out``'s list of ``record << 8 |
    number`` (the order of the (record, number) pairs, as both are octets; plain ints
    compare without a call), kept in step."""
    record, number = key
    ikey = record << 8 | number
    new = [_dataset(record, number, v) for v in values]
    if ikey not in keys:  # (a membership test: no ValueError raised and caught per field)
        first = len(keys)  # before the first dataset that sorts after it (_insert_position)
        for i, k in enumerate(keys):
            if k > ikey:
                first = i
                break
        out[first:first] = new
        keys[first:first] = [ikey] * len(new)
        return
    first = keys.index(ikey)
    if keys.count(ikey) == 1:
        out[first:first + 1] = new
        keys[first:first + 1] = [ikey] * len(new)
        return
    kept = [(k, ds) for k, ds in zip(keys[first:], out[first:]) if k != ikey]
    out[first:] = new + [ds for _, ds in kept]
    keys[first:] = [ikey] * len(new) + [k for k, _ in kept]


def _ensure(out: list[Dataset], keys: list[int], key: tuple[int, int],
            value: bytes) -> None:
    ikey = key[0] << 8 | key[1]
    if ikey not in keys:
        i = _insert_position(keys, ikey)
        out.insert(i, _dataset(key[0], key[1], value))
        keys.insert(i, ikey)


def update(
    datasets: Sequence[Dataset], values: Mapping[str, str | list[str] | None]
) -> tuple[list[Dataset], list[str]]:
    """Datasets with ``values`` applied, and warnings (cut values, unknown names...).

    A key absent from ``values`` leaves the field alone; ``None``, ``""`` or ``[]`` removes
    it; anything else replaces it at the place of its first dataset (new ones go in
    numerical order).  The block is written as UTF-8 with 1:90 = ``ESC % G``: values in a
    legacy charset (Latin-1 by 1:90, or guessed) are transcoded to UTF-8 so they keep
    reading the same.  1:00 and 2:00 (record versions, 4) are added when missing.
    Values longer than the field's IIM limit are cut on a character boundary.

    ``datasets`` should come from the strict :func:`decode`: a damaged block must be
    refused, not rewritten without its tail.  A dataset whose record or number is not an
    octet (none that :func:`decode` gives) is refused with :class:`Malformed`, as
    :func:`encode` would refuse it.
    """
    warnings: list[str] = []
    plan: dict[tuple[int, int], list[bytes]] = {}
    for name, value in values.items():
        field = BY_NAME.get(name)
        if field is None or field.iim is None:
            warnings.append(f"IIM: no dataset for field {name!r}; ignored")
            continue
        if isinstance(value, str):
            items = [value] if value else []
        elif value is None:
            items = []
        else:
            items = [v for v in value if v]
        if name == "date_created":
            if not items:
                plan[field.iim] = []
                plan[IIM_TIME_CREATED] = []
                continue
            converted = _date_to_iim(items[0])
            if converted is None:
                warnings.append(f"IIM: date_created {items[0]!r} is not an ISO 8601 date; left unchanged")
                continue
            plan[field.iim] = [converted[0]]
            plan[IIM_TIME_CREATED] = [] if converted[1] is None else [converted[1]]
            continue
        if not field.repeatable and len(items) > 1:
            warnings.append(f"IIM: {name} takes one value; joined {len(items)} with '; '")
            items = ["; ".join(items)]
        encoded: list[bytes] = []
        for item in items:
            raw = item.encode("utf-8", "replace")
            if len(raw) <= (field.iim_max or len(raw)):  # fits: what _fit gives, uncut
                encoded.append(raw)
                continue
            raw, cut = _fit(item, field.iim_max or len(raw))
            if cut:
                warnings.append(f"IIM: {name} cut to {len(raw)} bytes for {_label(field.iim)} "
                                f"(limit {field.iim_max})")
            encoded.append(raw)
        plan[field.iim] = encoded

    out = list(datasets)
    transcoded = 0
    cs: _Charset | None = None  # worked out at the first text dataset that is not ASCII
    for i, ds in enumerate(out):
        record, number, raw = ds
        if (record == 2 and not raw.isascii() and number not in _BINARY_2
                and (record, number) not in plan):
            if cs is None:
                cs = _block_charset(datasets)
            text, codec = _decode_text(raw, cs)
            if codec not in ("utf-8", "ascii"):
                out[i] = _dataset(record, number, text.encode("utf-8"))
                transcoded += 1
    if transcoded:
        assert cs is not None
        source = _CODEC_NAMES.get(cs.legacy) if cs.declared != "latin-1" else "ISO 8859-1"
        warnings.append(f"IIM: re-encoded {transcoded} datasets from {source} to UTF-8")

    keys: list[int] = []
    for ds in out:
        if not (0 <= ds.record <= 255 and 0 <= ds.number <= 255):  # as encode() refuses it
            raise Malformed(f"IIM dataset number out of range: {ds.record}:{ds.number}")
        keys.append(ds.record << 8 | ds.number)
    for key, encoded in plan.items():
        _set(out, keys, key, encoded)
    _set(out, keys, _CHARSET, [UTF8_MARKER])
    _ensure(out, keys, _ENVELOPE_VERSION, _VERSION_4)
    _ensure(out, keys, _RECORD_VERSION, _VERSION_4)
    return out, warnings

