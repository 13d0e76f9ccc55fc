"""EXIF fields we own: ImageDescription, Artist, Copyright (IFD0) and DateTimeOriginal (Exif IFD).

The payload is a TIFF structure (``II*\\0`` or ``MM\\0*``) without JPEG's ``Exif\\0\\0`` prefix.
Rewriting goes through :mod:`captions.metadata.tiffio`, which keeps every existing byte where it
is (maker notes with absolute offsets, the thumbnail, GPS and Interop IFDs) and appends a new
IFD0; see that module.  piexif is not used for writing because it re-lays out every IFD.

Text: EXIF says ASCII; we write UTF-8 (what ExifTool reads by default and what the MWG asks
for) and read UTF-8 when the bytes are valid UTF-8, else Latin-1 with a warning.

Creators: EXIF Artist is one string.  As the MWG guidelines (and ExifTool's MWG module) do, a
list is stored joined with ``"; "``, a value that contains ``"; "`` or starts with a quote being
quoted with doubled inner quotes; reading splits the same way.  A bare ``";"`` does not split.

Copyright: EXIF stores "photographer NUL editor NUL"; like ExifTool we read that as
``"photographer\\neditor"`` and write a newline back as NUL.

DateTimeOriginal (with OffsetTimeOriginal when the date has an offset) is written only when
absent and only for a date with a time: ExifTool refuses a date alone for this tag and flags
the blank-time form EXIF allows ("2016:02:04   :  :  ") as invalid, and "00:00:00" would
invent a time.  It is never removed (it records the capture, not the caption).  A new Exif IFD
starts with ExifVersion, FlashpixVersion and ColorSpace (uncalibrated), as ExifTool writes one.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Mapping

from ..errors import CodecError, Malformed
from . import tiffio
from .tiffio import NewValue, Tiff

__all__ = ["read_fields", "update", "MAX_EXIF_SIZE", "split_artist", "join_artist",
           "new_exif_ifd_tags"]

#: largest TIFF structure that still fits one JPEG APP1 segment (65533 - len("Exif\0\0"))
MAX_EXIF_SIZE = 65527

TAG_DESCRIPTION, TAG_ARTIST, TAG_COPYRIGHT = 270, 315, 33432
TAG_DATE_ORIGINAL, TAG_OFFSET_ORIGINAL = 36867, 36881
TAG_EXIF_VERSION, TAG_FLASHPIX_VERSION, TAG_COLOR_SPACE = 36864, 40960, 40961

#: logical field -> IFD0 tag, for the text fields
_TEXT_TAGS: dict[str, int] = {
    "description": TAG_DESCRIPTION,
    "creators": TAG_ARTIST,
    "copyright_notice": TAG_COPYRIGHT,
}
_TEXT_TYPES = frozenset({tiffio.BYTE, tiffio.ASCII, tiffio.UNDEFINED})

_EXIF_DATE = re.compile(
    r"^(\d{4}):(\d{2}):(\d{2})(?: (\d{2}):(\d{2}):(\d{2})| +: +: *)?\s*$")
_ISO_DATE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?"
    r"(Z|[+-]\d{2}:?\d{2})?)?$")
_OFFSET = re.compile(r"^[+-]\d{2}:\d{2}$")


def _decode_text(raw: bytes, what: str, warnings: list[str]) -> str:
    raw = raw.rstrip(b"\0")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        warnings.append(f"EXIF {what} is not UTF-8; read as Latin-1")
        return raw.decode("latin-1")


def split_artist(text: str) -> list[str]:
    """Split an EXIF Artist string into creators (MWG: ``"; "`` separator, quoted values)."""
    vals: list[str] = []
    in_quotes = False
    for part in text.split("; "):
        was_quoted = in_quotes
        if not in_quotes and part.startswith('"'):
            in_quotes = True
            part = part[1:]
        if in_quotes:
            m = re.search(r'((?:^|[^"])(?:"")*)"$', part)
            if m:
                part = part[:m.start()] + m.group(1)
                in_quotes = False
            part = part.replace('""', '"')
        if was_quoted and vals:
            vals[-1] += "; " + part
        else:
            vals.append(part)
    return [v for v in (v.strip() for v in vals) if v]


def join_artist(names: list[str]) -> str:
    """The inverse of :func:`split_artist`."""
    out = []
    for name in names:
        if name.startswith('"') or "; " in name:
            name = '"' + name.replace('"', '""') + '"'
        out.append(name)
    return "; ".join(out)


def _exif_date_to_iso(raw: str, offset: str | None) -> str | None:
    m = _EXIF_DATE.match(raw.rstrip("\0"))
    if not m or m.group(1) == "0000":
        return None
    y, mo, d, hh, mi, ss = m.groups()
    if mo == "00":
        return y
    if d == "00":
        return f"{y}-{mo}"
    iso = f"{y}-{mo}-{d}"
    if hh is not None:
        iso += f"T{hh}:{mi}:{ss}"
        if offset and _OFFSET.match(offset):
            iso += offset
    return iso


def _iso_to_exif_date(iso: str) -> tuple[str, str | None] | None:
    """EXIF "YYYY:MM:DD HH:MM:SS" (and the "+HH:MM" offset, if any) for a date with a time.

    None for anything coarser: ExifTool refuses a date without a time for DateTimeOriginal and
    flags the blank-time form EXIF allows as invalid, and midnight would be invented precision.
    """
    m = _ISO_DATE.match(iso.strip())
    if not m:
        return None
    y, mo, d, hh, mi, ss, tz = m.groups()
    if hh is None:
        return None
    offset = None
    if tz:
        offset = "+00:00" if tz == "Z" else (tz if ":" in tz else f"{tz[:3]}:{tz[3:]}")
    return f"{y}:{mo}:{d} {hh}:{mi}:{ss or '00'}", offset


def new_exif_ifd_tags(order: str) -> dict[int, NewValue]:
    """What a new Exif IFD starts with, as ExifTool writes it: ExifVersion 0232,
    FlashpixVersion 0100 and ColorSpace 0xFFFF (uncalibrated, i.e. not claimed)."""
    return {
        TAG_EXIF_VERSION: NewValue.undefined(b"0232"),
        TAG_FLASHPIX_VERSION: NewValue.undefined(b"0100"),
        TAG_COLOR_SPACE: NewValue(tiffio.SHORT, 1, struct.pack(order + "H", 0xFFFF)),
    }


def _date_tags(new_date: tuple[str, str | None]) -> dict[int, NewValue]:
    out = {TAG_DATE_ORIGINAL: NewValue.ascii(new_date[0].encode("ascii"))}
    if new_date[1]:
        out[TAG_OFFSET_ORIGINAL] = NewValue.ascii(new_date[1].encode("ascii"))
    return out


def read_fields(tiff: bytes) -> tuple[dict[str, str | list[str]], list[str]]:
    """Our fields from an EXIF payload, plus warnings.  Raises only CodecError subclasses."""
    t = Tiff.from_bytes(tiff)
    warnings: list[str] = []
    out: dict[str, str | list[str]] = {}
    ifd0 = t.ifd0()
    for name, tag in _TEXT_TAGS.items():
        entry = ifd0.get(tag)
        if entry is None:
            continue
        if entry.type not in _TEXT_TYPES:
            warnings.append(f"EXIF tag {tag} has type {entry.type}; ignored")
            continue
        try:
            raw = t.value(entry)
        except CodecError as exc:
            warnings.append(f"EXIF {_field_label(tag)} unreadable: {exc}")
            continue
        if tag == TAG_COPYRIGHT:
            parts = raw.split(b"\0")
            first = parts[0].rstrip(b" ")
            second = parts[1].rstrip(b" ") if len(parts) > 1 else b""
            raw = first + (b"\n" + second if second else b"")
        text = _decode_text(raw, _field_label(tag), warnings).strip()
        if not text:
            continue
        if name == "creators":
            creators = split_artist(text)
            if creators:
                out[name] = creators
        else:
            out[name] = text
    try:
        exif_ifd = t.sub_ifd(ifd0, tiffio.EXIF_IFD, "Exif IFD")
    except CodecError as exc:
        warnings.append(f"EXIF sub-IFD unreadable: {exc}")
        exif_ifd = None
    if exif_ifd is not None:
        try:
            _read_date(t, exif_ifd, out, warnings)
        except CodecError as exc:
            warnings.append(f"EXIF DateTimeOriginal unreadable: {exc}")
    warnings.extend(t.warnings)
    return out, warnings


def _read_date(t: Tiff, exif_ifd: tiffio.Ifd, out: dict[str, str | list[str]],
               warnings: list[str]) -> None:
    """DateTimeOriginal (+ OffsetTimeOriginal) of the Exif IFD into ``out["date_created"]``."""
    entry = exif_ifd.get(TAG_DATE_ORIGINAL)
    if entry is None or entry.type not in _TEXT_TYPES:
        return
    offset_entry = exif_ifd.get(TAG_OFFSET_ORIGINAL)
    offset = None
    if offset_entry is not None and offset_entry.type in _TEXT_TYPES:
        offset = t.value(offset_entry).rstrip(b"\0").decode("latin-1")
    raw_date = t.value(entry).decode("latin-1").rstrip("\0")
    iso = _exif_date_to_iso(raw_date, offset)
    if iso:
        out["date_created"] = iso
    elif raw_date.strip(" :0"):
        warnings.append(f"EXIF DateTimeOriginal not understood: {raw_date!r}")


_LABELS = {TAG_DESCRIPTION: "ImageDescription", TAG_ARTIST: "Artist", TAG_COPYRIGHT: "Copyright"}


def _field_label(tag: int) -> str:
    return _LABELS.get(tag) or str(tag)


def _encode(name: str, value: str | list[str]) -> bytes:
    if name == "creators":
        names = [value] if isinstance(value, str) else list(value)
        text = join_artist([n for n in (x.strip() for x in names) if n])
    elif isinstance(value, str):
        text = value
    else:
        raise CodecError(f"{name} takes a string, not a list")
    raw = text.replace("\0", "").encode("utf-8")  # a NUL would end the ASCII value early
    if name == "copyright_notice":
        raw = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\0", 1)
    return raw


def _value_or_none(t: Tiff, entry: tiffio.Entry) -> bytes | None:
    try:
        return t.value(entry)
    except CodecError:
        return None


def _is_empty(value: str | list[str] | None) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    return not any(v.strip() for v in value)


def update(tiff: bytes | None, values: Mapping[str, str | list[str] | None]) -> bytes:
    """Set/remove our fields in an EXIF payload; ``None`` builds a minimal EXIF.

    Keys absent from ``values`` are left alone; ``None``/``""``/``[]`` removes the tag (except
    DateTimeOriginal, which is only ever added where absent).  Returns the payload unchanged
    when nothing differs.  Raises :class:`CodecError` if the result would not fit a JPEG APP1.
    """
    ifd0_changes: dict[int, NewValue | None] = {}
    for name, tag in _TEXT_TAGS.items():
        if name not in values:
            continue
        value = values[name]
        ifd0_changes[tag] = None if _is_empty(value) else NewValue.ascii(_encode(name, value or ""))
    new_date: tuple[str, str | None] | None = None
    date = values.get("date_created")
    if isinstance(date, str) and date.strip():
        new_date = _iso_to_exif_date(date)

    if tiff is None:
        fresh = {t: v for t, v in ifd0_changes.items() if v is not None}
        sub = {**new_exif_ifd_tags("<"), **_date_tags(new_date)} if new_date else None
        return tiffio.build_tiff("<", fresh, sub)

    t = Tiff.from_bytes(tiff)
    ifd0 = t.ifd0()
    # drop no-op changes so that an unchanged payload stays byte-identical
    for tag in list(ifd0_changes):
        new = ifd0_changes[tag]
        old = ifd0.get(tag)
        if new is None and old is None:
            del ifd0_changes[tag]
        elif new is not None and old is not None and old.type == new.type \
                and old.count == new.count and _value_or_none(t, old) == new.data:
            del ifd0_changes[tag]
    exif_changes: dict[int, NewValue | None] = {}
    if new_date:
        try:
            exif_ifd = t.sub_ifd(ifd0, tiffio.EXIF_IFD, "Exif IFD")
        except CodecError:
            exif_ifd = None
            exif_broken = True
        else:
            exif_broken = False
        if not exif_broken and exif_ifd is None:
            exif_changes.update(new_exif_ifd_tags(t.order))
        if not exif_broken and (exif_ifd is None or exif_ifd.get(TAG_DATE_ORIGINAL) is None):
            exif_changes.update(_date_tags(new_date))
            if (exif_ifd is not None and exif_ifd.get(TAG_OFFSET_ORIGINAL) is not None
                    and TAG_OFFSET_ORIGINAL not in exif_changes):
                # an offset left without its DateTimeOriginal belongs to no date: it would
                # give ours a zone it does not have, so it goes
                exif_changes[TAG_OFFSET_ORIGINAL] = None
    if not ifd0_changes and not exif_changes:
        return bytes(tiff)
    patch = tiffio.plan_update(t, ifd0_changes, exif_changes or None, MAX_EXIF_SIZE)
    result = tiffio.apply_patch(bytes(tiff), patch)
    if len(result) < 8:  # pragma: no cover - plan_update always leaves a header
        raise Malformed("rewritten EXIF is empty")
    return result
