"""TIFF container: our payloads live as tags of IFD0.

=====  ==========================  ===================================================
tag    name                        payload
=====  ==========================  ===================================================
270    ImageDescription            ``exif`` (see below)
315    Artist                      ``exif``
33432  Copyright                   ``exif``
36867  DateTimeOriginal (Exif IFD) ``exif`` (added where absent, never replaced)
700    XMP (BYTE/UNDEFINED)        ``xmp``
33723  IPTC-NAA (LONG/UNDEFINED)   ``iim`` (raw, with the NUL padding LONG[] needs)
34377  Photoshop (BYTE)            ``irb``
=====  ==========================  ===================================================

How EXIF works for a TIFF file: the whole file *is* the EXIF structure, and the engine must
not hold a 2 GB file in memory.  So :func:`read` hands out a small *synthetic* EXIF payload, a
fresh TIFF structure in the file's byte order holding only IFD0 tags 270/315/33432 and an Exif
IFD with 36867/36881, copied from the file.  The engine treats it like any EXIF payload
(``exif.read_fields`` / ``exif.update``) and passes the result back in ``Payloads.exif``;
:func:`write` then applies those tags to the file: a tag present in the payload is set, an
owned tag absent from it is removed, DateTimeOriginal is only added.  Other tags in the
payload are ignored.  ``exif`` is ``None`` on read when the file has none of these tags.

``b""`` for ``xmp``, ``iim`` or ``irb`` in the update removes that tag; ``None`` leaves it.

Writing streams the original file unchanged except for the 4-byte IFD0 offset in the header
and appends a new IFD0 (see :mod:`captions.metadata.tiffio`); image strips/tiles, the Exif and
GPS IFDs and the other pages of a multi-page file are not moved.  A new IPTC-NAA tag is
written as LONG, as Photoshop and ExifTool do (Nikon Capture reads nothing else); an existing
one keeps its type.  ``read`` returns the IPTC-NAA value as stored, padding included, and
ExifTool's IPTC digest of a TIFF covers that padding: see :func:`pad_iim`.
"""

from __future__ import annotations

from typing import BinaryIO

from ...errors import CodecError
from .. import tiffio
from ..exif import new_exif_ifd_tags
from ..tiffio import FileSource, Ifd, NewValue, Tiff
from . import Payloads

__all__ = ["FORMAT", "CAN_HOLD", "matches", "read", "write", "pad_iim"]

FORMAT = "tiff"
CAN_HOLD = frozenset({"exif", "xmp", "irb", "iim"})

TAG_XMP, TAG_IPTC, TAG_PHOTOSHOP = 700, 33723, 34377
#: IFD0 tags mirrored into the synthetic EXIF payload
EXIF_TEXT_TAGS = (270, 315, 33432)
#: Exif-IFD tags mirrored into it (DateTimeOriginal, OffsetTimeOriginal)
EXIF_SUB_TAGS = (36867, 36881)
_TEXT_TYPES = frozenset({tiffio.BYTE, tiffio.ASCII, tiffio.UNDEFINED})
_BLOB_TYPES = frozenset({tiffio.BYTE, tiffio.UNDEFINED, tiffio.LONG})


def pad_iim(iim: bytes) -> bytes:
    """``iim`` NUL-padded to a multiple of 4 bytes, the way a LONG[] IPTC-NAA tag stores it.

    ExifTool's CurrentIPTCDigest for a TIFF is the MD5 of the tag value *as stored*, padding
    included; so the engine pads first and computes the IRB 0x0425 digest over the result.
    """
    return iim + b"\0" * (-len(iim) % 4)


def matches(head: bytes) -> bool:
    """Classic TIFF or BigTIFF, either byte order (BigTIFF is refused later as Unsupported)."""
    return head[:4] in (b"II*\0", b"MM\0*", b"II+\0", b"MM\0+")


def _copy(t: Tiff, ifd: Ifd, tags: tuple[int, ...]) -> dict[int, NewValue]:
    out: dict[int, NewValue] = {}
    for tag in tags:
        e = ifd.get(tag)
        if e is not None and e.type in _TEXT_TYPES:
            out[tag] = NewValue(e.type, e.count, t.value(e))
    return out


def _blob(t: Tiff, ifd: Ifd, tag: int, warnings: list[str]) -> bytes | None:
    e = ifd.get(tag)
    if e is None or e.type not in _BLOB_TYPES:
        return None
    try:
        return t.value(e, f"tag {tag}")
    except CodecError as exc:  # a damaged payload is not a reason to lose the others
        warnings.append(f"TIFF tag {tag} unreadable: {exc}")
        return None


def read(fp: BinaryIO) -> Payloads:
    """The payloads of IFD0, reading only the directory and those tag values."""
    t = Tiff(FileSource(fp))
    ifd0 = t.ifd0()
    warnings: list[str] = []
    try:
        texts = _copy(t, ifd0, EXIF_TEXT_TAGS)
    except CodecError as exc:
        warnings.append(f"TIFF text tags unreadable: {exc}")
        texts = {}
    try:
        exif_ifd = t.sub_ifd(ifd0, tiffio.EXIF_IFD, "Exif IFD")
    except CodecError as exc:
        warnings.append(f"Exif IFD unreadable: {exc}")
        exif_ifd = None
    try:
        subs = _copy(t, exif_ifd, EXIF_SUB_TAGS) if exif_ifd is not None else {}
    except CodecError as exc:
        warnings.append(f"Exif IFD date unreadable: {exc}")
        subs = {}
    exif = tiffio.build_tiff(t.order, texts, subs or None) if (texts or subs) else None
    for tag in (TAG_XMP, TAG_IPTC, TAG_PHOTOSHOP):
        e = ifd0.get(tag)
        if e is not None and e.type not in _BLOB_TYPES:
            warnings.append(f"TIFF tag {tag} has unexpected type {e.type}; ignored")
    warnings.extend(t.warnings)
    return Payloads(
        exif=exif,
        xmp=_blob(t, ifd0, TAG_XMP, warnings),
        iim=_blob(t, ifd0, TAG_IPTC, warnings),
        irb=_blob(t, ifd0, TAG_PHOTOSHOP, warnings),
        warnings=tuple(warnings),
    )


def _blob_value(old_type: int | None, tag: int, data: bytes) -> NewValue:
    if tag == TAG_IPTC and old_type in (None, tiffio.LONG):
        return NewValue.long_padded(data)
    if old_type == tiffio.UNDEFINED:
        return NewValue.undefined(data)
    return NewValue.byte(data)


def _same(t: Tiff, ifd: Ifd, tag: int, new: NewValue | None) -> bool:
    old = ifd.get(tag)
    if new is None or old is None:
        return new is None and old is None
    if old.type != new.type or old.count != new.count:
        return False
    try:
        return t.value(old) == new.data
    except CodecError:  # the old value is damaged: replacing it is a change
        return False


def plan(t: Tiff, update: Payloads) -> tiffio.Patch | None:
    """The rewrite ``update`` asks for, or None when the file already holds exactly that."""
    ifd0 = t.ifd0()
    changes: dict[int, NewValue | None] = {}
    exif_changes: dict[int, NewValue | None] = {}
    if update.exif is not None:
        mini = Tiff.from_bytes(update.exif)
        mini0 = mini.ifd0()
        wanted = _copy(mini, mini0, EXIF_TEXT_TAGS)
        for tag in EXIF_TEXT_TAGS:
            changes[tag] = wanted.get(tag)
        mini_exif = mini.sub_ifd(mini0, tiffio.EXIF_IFD, "Exif IFD")
        try:
            file_exif = t.sub_ifd(ifd0, tiffio.EXIF_IFD, "Exif IFD")
        except CodecError:  # a broken Exif IFD pointer: leave it alone, add no date
            mini_exif = file_exif = None
        if mini_exif is not None:
            wanted_sub = _copy(mini, mini_exif, EXIF_SUB_TAGS)
            if file_exif is None or file_exif.get(EXIF_SUB_TAGS[0]) is None:
                for tag, value in wanted_sub.items():
                    if file_exif is None or file_exif.get(tag) is None:
                        exif_changes[tag] = value
            if exif_changes and file_exif is None:
                exif_changes.update(new_exif_ifd_tags(t.order))
    for tag, data in ((TAG_XMP, update.xmp), (TAG_IPTC, update.iim), (TAG_PHOTOSHOP, update.irb)):
        if data is None:
            continue
        old = ifd0.get(tag)
        changes[tag] = _blob_value(old.type if old else None, tag, data) if data else None
    changes = {tag: v for tag, v in changes.items() if not _same(t, ifd0, tag, v)}
    if not changes and not exif_changes:
        return None
    return tiffio.plan_update(t, changes, exif_changes or None)


def write(src: BinaryIO, dst: BinaryIO, update: Payloads) -> None:
    """Copy ``src`` to ``dst`` with IFD0 rewritten as ``update`` asks (see the module doc)."""
    t = Tiff(FileSource(src))
    patch = plan(t, update)
    src.seek(0)
    if patch is None:
        while block := src.read(1 << 20):
            dst.write(block)
        return
    tiffio.stream_patch(src, dst, patch)
