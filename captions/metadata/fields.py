"""One table: each IPTC Core field we handle, where it lives in IIM, XMP and EXIF.

This is the single place that knows the mapping (DESIGN.md section 3, and the IPTC Photo
Metadata Standard's field table in ``shared/images/spec``).  Codecs look fields up here by their
logical name, which is also the key in :meth:`captions.ImageMetadata.to_dict`.

Precedence when reading (Metadata Working Group guidelines, as ExifTool's MWG module applies
them): when the file has no IIM, or the Photoshop IPTC digest (IRB 0x0425) is absent or matches the
IIM block, IIM and XMP are in sync and XMP wins, IIM filling only what XMP lacks.  A digest that
does not match means a program that knows only IIM edited it after the last sync: the IIM is the
newer copy and wins, with a warning.  EXIF comes last (ExifTool's MWG reads it first): camera
firmware fills ImageDescription/Artist with boilerplate, so it only fills what IPTC leaves empty.
See ``engine.read_fields``.
"""

from __future__ import annotations

from typing import Literal

import attrs

__all__ = ["Field", "FIELDS", "BY_NAME", "XMP_NAMESPACES", "LIST_FIELDS"]

XmpKind = Literal["text", "alt", "seq", "bag", "date", "struct-text"]

#: namespace prefix -> URI, for every property in the table
XMP_NAMESPACES: dict[str, str] = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "Iptc4xmpCore": "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
}


@attrs.frozen
class Field:
    """One logical field and its three homes."""

    #: logical name (ImageMetadata key)
    name: str
    #: IIM (record, dataset), or None
    iim: tuple[int, int] | None
    #: IIM maximum length in bytes (IPTC IIM 4.2 / ExifTool's table); values are cut in IIM only
    iim_max: int | None
    #: repeatable in IIM / a list in XMP
    repeatable: bool
    #: XMP (prefix, property), or None
    xmp: tuple[str, str] | None
    xmp_kind: XmpKind | None
    #: EXIF IFD0/ExifIFD tag numbers, or empty
    exif: tuple[int, ...] = ()


FIELDS: tuple[Field, ...] = (
    Field("description", (2, 120), 2000, False, ("dc", "description"), "alt", (270,)),
    Field("headline", (2, 105), 256, False, ("photoshop", "Headline"), "text"),
    Field("creators", (2, 80), 32, True, ("dc", "creator"), "seq", (315,)),
    Field("credit_line", (2, 110), 32, False, ("photoshop", "Credit"), "text"),
    Field("source", (2, 115), 32, False, ("photoshop", "Source"), "text"),
    Field("copyright_notice", (2, 116), 128, False, ("dc", "rights"), "alt", (33432,)),
    # IIM 2:55 Date Created (CCYYMMDD) + 2:60 Time Created (HHMMSS+HHMM); EXIF 36867 DateTimeOriginal
    Field("date_created", (2, 55), 8, False, ("photoshop", "DateCreated"), "date", (36867,)),
    Field("city", (2, 90), 32, False, ("photoshop", "City"), "text"),
    Field("sublocation", (2, 92), 32, False, ("Iptc4xmpCore", "Location"), "text"),
    Field("region", (2, 95), 32, False, ("photoshop", "State"), "text"),
    Field("country", (2, 101), 64, False, ("photoshop", "Country"), "text"),
    Field("country_code", (2, 100), 3, False, ("Iptc4xmpCore", "CountryCode"), "text"),
    Field("keywords", (2, 25), 64, True, ("dc", "subject"), "bag"),
    Field("caption_writer", (2, 122), 32, False, ("photoshop", "CaptionWriter"), "text"),
    Field("job_id", (2, 103), 32, False, ("photoshop", "TransmissionReference"), "text"),
    Field("instructions", (2, 40), 256, False, ("photoshop", "Instructions"), "text"),
)

#: IIM 2:60 Time Created, written beside 2:55 when the date carries a time
IIM_TIME_CREATED = (2, 60)

BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}
LIST_FIELDS: frozenset[str] = frozenset(f.name for f in FIELDS if f.repeatable)
