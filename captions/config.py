"""House style for the photo-desk batch: a small TOML file, loaded with ``tomllib`` and validated.

Every problem is reported as one :class:`~captions.errors.CaptionsError` whose message names the
file and the key (``desk.toml: policy: must be "fill-empty" or "overwrite", got "clobber"``), so a
desk editor can fix the file without reading code.  Nothing here touches images.

The file (see ``docs/config-example.toml``)::

    fields = ["creators", "credit_line", "source", "date_created", "city", "country"]
    policy = "fill-empty"            # or "overwrite"
    reference_date = "file-mtime"    # or "none", or a fixed "2024-06-01"
    description = "keep"             # or "subject"

    [credit_line]                    # per-agency templates, keyed by canonical agency name
    AFP = "{photographer}/{agency}"
    default = "{credit_line}"
"""

from __future__ import annotations

import datetime as _dt
import string
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import attrs

from .errors import CaptionsError

__all__ = [
    "HouseStyle",
    "FILLABLE_FIELDS",
    "DEFAULT_FIELDS",
    "TEMPLATE_PLACEHOLDERS",
    "POLICIES",
    "DESCRIPTION_POLICIES",
    "load_config",
    "house_style_from_mapping",
]

Policy = Literal["fill-empty", "overwrite"]
DescriptionPolicy = Literal["keep", "subject"]

#: filled when the config does not say otherwise (headline and copyright only on request:
#: few wire captions carry a headline line -- Shutterstock's title line is one -- and a
#: desk usually writes its own)
DEFAULT_FIELDS: tuple[str, ...] = (
    "creators",
    "credit_line",
    "source",
    "date_created",
    "city",
    "sublocation",
    "region",
    "country",
    "country_code",
)

#: the ImageMetadata fields the batch may fill from a parsed caption
FILLABLE_FIELDS: tuple[str, ...] = DEFAULT_FIELDS + ("headline", "copyright_notice")

POLICIES: tuple[str, ...] = ("fill-empty", "overwrite")
DESCRIPTION_POLICIES: tuple[str, ...] = ("keep", "subject")
#: reference-date policies besides a fixed YYYY-MM-DD date
REFERENCE_DATE_POLICIES: tuple[str, ...] = ("none", "file-mtime")

#: what a credit-line template may use, all taken from the parsed caption
TEMPLATE_PLACEHOLDERS: tuple[str, ...] = ("photographer", "agency", "source", "credit_line")

_KNOWN_KEYS: tuple[str, ...] = ("fields", "policy", "reference_date", "description", "credit_line")


def _check_template(template: str) -> None:
    """Raise ``ValueError`` (with a readable reason) unless the template is usable."""
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as exc:  # unbalanced braces
        raise ValueError(f"not a valid template ({exc}); write literal braces as {{{{ }}}}") from None
    names = [name for _, name, spec, conv in parts if name is not None]
    for _, name, spec, conv in parts:
        if name is None:
            continue
        if name not in TEMPLATE_PLACEHOLDERS:
            shown = "{" + name + "}" if name else "{}"
            allowed = ", ".join("{" + p + "}" for p in TEMPLATE_PLACEHOLDERS)
            raise ValueError(f"unknown placeholder {shown}; use {allowed}")
        if spec or conv:
            raise ValueError(f"placeholder {{{name}}} takes no format spec or conversion")
    if not names and not template.strip():
        raise ValueError("empty template")


@attrs.frozen(kw_only=True)
class HouseStyle:
    """A desk's house style: which fields to fill, how, and how credit lines read."""

    fields: tuple[str, ...] = DEFAULT_FIELDS
    policy: Policy = "fill-empty"
    #: "none", "file-mtime" or an ISO date "YYYY-MM-DD"
    reference_date: str = "none"
    description: DescriptionPolicy = "keep"
    #: (agency name folded to lower case, template); "default" applies to agencies not listed
    credit_templates: tuple[tuple[str, str], ...] = ()

    def __attrs_post_init__(self) -> None:
        unknown = [f for f in self.fields if f not in FILLABLE_FIELDS]
        if unknown:
            raise CaptionsError(
                f"fields: unknown field {unknown[0]!r}; choose from {', '.join(FILLABLE_FIELDS)}"
            )
        if self.policy not in POLICIES:
            raise CaptionsError(f'policy: must be "fill-empty" or "overwrite", got {self.policy!r}')
        if self.description not in DESCRIPTION_POLICIES:
            raise CaptionsError(
                f'description: must be "keep" or "subject", got {self.description!r}'
            )
        self.fixed_reference_date  # validates
        for agency, template in self.credit_templates:
            try:
                _check_template(template)
            except ValueError as exc:
                raise CaptionsError(f"credit_line.{agency}: {exc}") from None

    @property
    def fixed_reference_date(self) -> _dt.date | None:
        """The fixed reference date, when the policy is one (else ``None``)."""
        if self.reference_date in REFERENCE_DATE_POLICIES:
            return None
        try:
            return _dt.date.fromisoformat(self.reference_date)
        except (TypeError, ValueError):
            raise CaptionsError(
                'reference_date: must be "none", "file-mtime" or a date like "2024-06-01", '
                f"got {self.reference_date!r}"
            ) from None

    def credit_template(self, agency: str | None) -> str | None:
        """The template for an agency (case-insensitive), else the default one, else ``None``."""
        table = dict(self.credit_templates)
        if agency is not None and agency.casefold() in table:
            return table[agency.casefold()]
        return table.get("default")


def _expect(value: Any, kind: type | tuple[type, ...], where: str, what: str) -> Any:
    # bool is an int in Python; TOML keeps them apart, so do we
    if isinstance(value, bool) and kind is not bool:
        raise CaptionsError(f"{where}: expected {what}, got a boolean")
    if not isinstance(value, kind):
        raise CaptionsError(f"{where}: expected {what}, got {_toml_type(value)}")
    return value


def _toml_type(value: Any) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a number", str: "a string",
             list: "an array", dict: "a table"}
    for kind, name in names.items():
        if isinstance(value, kind):
            return name
    if isinstance(value, (_dt.date, _dt.datetime, _dt.time)):
        return "a TOML date/time (quote it)"
    return type(value).__name__


def house_style_from_mapping(data: Mapping[str, Any], *, source: str = "config") -> HouseStyle:
    """Validate a parsed TOML document and build a :class:`HouseStyle`.

    Errors are :class:`CaptionsError` with ``source`` and the key in the message.
    """
    try:
        return _build(data)
    except CaptionsError as exc:
        raise CaptionsError(f"{source}: {exc}") from None


def _build(data: Mapping[str, Any]) -> HouseStyle:
    unknown = sorted(set(data) - set(_KNOWN_KEYS))
    if unknown:
        raise CaptionsError(
            f"unknown key {unknown[0]!r}; known keys: {', '.join(_KNOWN_KEYS)}"
        )
    kwargs: dict[str, Any] = {}
    if "fields" in data:
        fields = _expect(data["fields"], list, "fields", "an array of field names")
        for i, name in enumerate(fields):
            _expect(name, str, f"fields[{i}]", "a field name")
        if len(set(fields)) != len(fields):
            raise CaptionsError("fields: a field is listed twice")
        kwargs["fields"] = tuple(fields)
    for key in ("policy", "description"):
        if key in data:
            kwargs[key] = _expect(data[key], str, key, "a string")
    if "reference_date" in data:
        value = data["reference_date"]
        if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
            value = value.isoformat()  # an unquoted TOML date is fine too
        kwargs["reference_date"] = _expect(value, str, "reference_date", "a string")
    if "credit_line" in data:
        table = _expect(data["credit_line"], dict, "credit_line", "a table of agency = template")
        templates: dict[str, str] = {}
        for agency, template in table.items():
            _expect(template, str, f"credit_line.{agency}", "a template string")
            folded = agency.casefold()
            if folded in templates:
                raise CaptionsError(f"credit_line.{agency}: agency listed twice")
            templates[folded] = template
        kwargs["credit_templates"] = tuple(sorted(templates.items()))
    return HouseStyle(**kwargs)


def load_config(path: str | Path) -> HouseStyle:
    """Read and validate a house-style TOML file.

    Raises :class:`CaptionsError` for a missing or unreadable file, bad TOML, or a bad value;
    the message starts with the file name.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CaptionsError(f"{path}: cannot read config: {exc.strerror or exc}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise CaptionsError(f"{path}: config is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise CaptionsError(f"{path}: not valid TOML: {exc}") from None
    return house_style_from_mapping(data, source=str(path))
