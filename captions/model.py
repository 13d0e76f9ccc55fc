"""The records ``captions`` hands out: frozen, typed, JSON-ready through ``to_dict``.

Edits go through :func:`attrs.evolve`; nothing here does I/O.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any, Literal

import attrs

from .errors import ParseError

__all__ = ["PartialDate", "Location", "Caption", "ImageMetadata", "PhotographerKind"]

PhotographerKind = Literal["person", "stringer", "handout", "pool", "staff"]
PHOTOGRAPHER_KINDS: tuple[str, ...] = ("person", "stringer", "handout", "pool", "staff")

_ISO_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _opt_str(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ParseError(f"expected a string or null, got {type(value).__name__}")
    return value


@attrs.frozen(order=True)
class PartialDate:
    """A calendar date that may lack its day, or its month and day ("June 2024", "2016")."""

    year: int
    month: int | None = None
    day: int | None = None

    def __attrs_post_init__(self) -> None:
        if not 1 <= self.year <= 9999:
            raise ParseError(f"year out of range: {self.year}")
        if self.month is None:
            if self.day is not None:
                raise ParseError("a day without a month")
            return
        if not 1 <= self.month <= 12:
            raise ParseError(f"month out of range: {self.month}")
        if self.day is not None:
            try:
                _dt.date(self.year, self.month, self.day)
            except ValueError as exc:
                raise ParseError(f"no such date: {self.year}-{self.month}-{self.day}") from exc

    @property
    def precision(self) -> Literal["year", "month", "day"]:
        if self.month is None:
            return "year"
        return "month" if self.day is None else "day"

    def isoformat(self) -> str:
        """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

        >>> PartialDate(2016, 2).isoformat()
        '2016-02'
        """
        out = f"{self.year:04d}"
        if self.month is not None:
            out += f"-{self.month:02d}"
            if self.day is not None:
                out += f"-{self.day:02d}"
        return out

    __str__ = isoformat

    @classmethod
    def fromisoformat(cls, text: str) -> PartialDate:
        """Parse ``YYYY[-MM[-DD]]``; raises :class:`ParseError` otherwise.

        >>> PartialDate.fromisoformat("2016-02-04")
        PartialDate(year=2016, month=2, day=4)
        """
        m = _ISO_PARTIAL.match(text.strip()) if isinstance(text, str) else None
        if not m:
            raise ParseError(f"not an ISO 8601 (partial) date: {text!r}")
        y, mo, d = m.groups()
        return cls(int(y), int(mo) if mo else None, int(d) if d else None)

    @classmethod
    def from_date(cls, value: _dt.date) -> PartialDate:
        return cls(value.year, value.month, value.day)


@attrs.frozen
class Location:
    """Where the picture was taken, as IPTC Core's legacy location fields hold it."""

    sublocation: str | None = None
    city: str | None = None
    region: str | None = None
    country: str | None = None
    #: ISO 3166-1 alpha-3, as IPTC Core asks
    country_code: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {
            "sublocation": self.sublocation,
            "city": self.city,
            "region": self.region,
            "country": self.country,
            "country_code": self.country_code,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Location:
        data = data or {}
        if not isinstance(data, dict):
            raise ParseError(f"location must be an object, got {type(data).__name__}")
        return cls(**{k: _opt_str(data.get(k)) for k in
                      ("sublocation", "city", "region", "country", "country_code")})

    def is_empty(self) -> bool:
        return not any(self.to_dict().values())


def _tuple_of_str(value: Any) -> tuple[str, ...]:
    if not value:
        return ()
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise ParseError(f"expected a list of strings, got {type(value).__name__}")
    return tuple(str(v) for v in value)


@attrs.frozen(kw_only=True)
class Caption:
    """A wire caption split into the fields IPTC Core holds.

    ``text`` is the caption as received and is never rewritten.  ``to_dict()`` gives exactly the
    keys of the public contract (DESIGN.md section 2); ``text`` and ``copyright_notice`` are extra
    attributes outside it.
    """

    text: str = ""
    subject: str | None = None
    date: PartialDate | None = None
    location: Location = attrs.field(factory=Location)
    agency: str | None = None
    photographer: str | None = None
    photographer_kind: PhotographerKind | None = None
    credit_line: str | None = None
    source: str | None = None
    headline: str | None = None
    copyright_notice: str | None = None
    warnings: tuple[str, ...] = attrs.field(default=(), converter=_tuple_of_str)

    @property
    def photographers(self) -> tuple[str, ...]:
        """The photographer field split into names (it joins several with " and ")."""
        if not self.photographer:
            return ()
        return tuple(p for p in (s.strip() for s in self.photographer.split(" and ")) if p)

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "date": self.date.isoformat() if self.date else None,
            "location": self.location.to_dict(),
            "agency": self.agency,
            "photographer": self.photographer,
            "photographer_kind": self.photographer_kind,
            "credit_line": self.credit_line,
            "source": self.source,
            "headline": self.headline,
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, text: str = "") -> Caption:
        """Build a caption from ``to_dict()`` output (or a CMS's JSON in that shape)."""
        if not isinstance(data, dict):
            raise ParseError("a caption must be a JSON object")
        date = data.get("date")
        if date is not None and not isinstance(date, str):
            raise ParseError(f"date must be an ISO 8601 string, got {type(date).__name__}")
        kind = data.get("photographer_kind")
        if kind is not None and kind not in PHOTOGRAPHER_KINDS:
            raise ParseError(f"unknown photographer_kind: {kind!r}")
        return cls(
            text=text or str(data.get("text") or ""),
            subject=_opt_str(data.get("subject")),
            date=PartialDate.fromisoformat(date) if date else None,
            location=Location.from_dict(data.get("location")),
            agency=_opt_str(data.get("agency")),
            photographer=_opt_str(data.get("photographer")),
            photographer_kind=kind,
            credit_line=_opt_str(data.get("credit_line")),
            source=_opt_str(data.get("source")),
            headline=_opt_str(data.get("headline")),
            copyright_notice=_opt_str(data.get("copyright_notice")),
            warnings=data.get("warnings") or (),
        )


@attrs.frozen(kw_only=True)
class ImageMetadata:
    """The IPTC Core fields of one image as read, after precedence and charset repair."""

    format: str
    description: str | None = None
    headline: str | None = None
    creators: tuple[str, ...] = attrs.field(default=(), converter=_tuple_of_str)
    credit_line: str | None = None
    source: str | None = None
    copyright_notice: str | None = None
    #: ISO 8601, partial allowed ("2016", "2016-02", "2016-02-04", or with a time)
    date_created: str | None = None
    city: str | None = None
    sublocation: str | None = None
    region: str | None = None
    country: str | None = None
    country_code: str | None = None
    keywords: tuple[str, ...] = attrs.field(default=(), converter=_tuple_of_str)
    caption_writer: str | None = None
    job_id: str | None = None
    instructions: str | None = None
    warnings: tuple[str, ...] = attrs.field(default=(), converter=_tuple_of_str)

    def to_dict(self) -> dict[str, Any]:
        return {
            "description": self.description,
            "headline": self.headline,
            "creators": list(self.creators),
            "credit_line": self.credit_line,
            "source": self.source,
            "copyright_notice": self.copyright_notice,
            "date_created": self.date_created,
            "city": self.city,
            "sublocation": self.sublocation,
            "region": self.region,
            "country": self.country,
            "country_code": self.country_code,
            "keywords": list(self.keywords),
            "caption_writer": self.caption_writer,
            "job_id": self.job_id,
            "instructions": self.instructions,
            "format": self.format,
            "warnings": list(self.warnings),
        }
