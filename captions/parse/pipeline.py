"""The parser's steps, in order, for one caption string (compiled with mypyc when built).

:func:`captions.parse.parse_caption` checks its arguments and calls :func:`parse_text`.
"""


from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable
from typing import Any, Final

import attrs

from ..agencies import load_rules
from ..model import Caption, Location
from .credit import TAIL, find_credit, handed_out_by_named_org, trigger_hits
from .dateline import HEAD, find_dateline, find_dateline_end
from .dates import find_date, find_taken_date
from .location import find_location
from .subject import active_end_rules, strip_end, strip_start, tidy

__all__ = ["parse_text", "HEAD_LIMIT", "MAX_INPUT", "MAX_SUBJECT"]

#: characters at the head of the caption searched for the date and the places
HEAD_LIMIT = 3000
#: inputs longer than this are cut (head and tail kept) before parsing, with a warning
MAX_INPUT = 20_000
MAX_SUBJECT = 10_000

_CONTROL: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")
_PARAGRAPH: Final = re.compile(r"\n[ \t\r]*\n")
_ID_LINE: Final = re.compile(r"^[ \t]*[\w.\-:#]{1,60}[ \t]*\r?\n")
_UNDATED: Final = re.compile(r"\b[Uu]ndated\s+(?:(?:handout|file|satellite|aerial)\s+)?"
                      r"(?:photo|picture|image|photograph|frame|still|video)s?\b")


#: :class:`Caption`'s fields, in the order :func:`_new_caption` takes their values
_CAPTION_FIELDS = ("text", "subject", "date", "location", "agency", "photographer",
                   "photographer_kind", "credit_line", "source", "headline", "copyright_notice",
                   "warnings")


def _slot_setters() -> tuple[Callable[[Any, Any], None], ...]:
    """The ``__set__`` of each of :class:`Caption`'s slots, in :data:`_CAPTION_FIELDS` order;
    empty (use the constructor) unless the record is exactly what :func:`_new_caption` expects:
    these fields, slots, no validator, no ``__attrs_pre_init__``/``__attrs_post_init__``, no
    cached hash, and no converter but ``warnings``' (which returns a tuple of ``str`` as it is).
    """
    fields = attrs.fields(Caption)
    if (tuple(f.name for f in fields) != _CAPTION_FIELDS
            or "__attrs_cached_hash" in Caption.__dict__.get("__slots__", ("__attrs_cached_hash",))
            or any(f.validator is not None or (f.converter is not None and f.name != "warnings")
                   for f in fields)
            or hasattr(Caption, "__attrs_pre_init__") or hasattr(Caption, "__attrs_post_init__")):
        return ()
    return tuple(Caption.__dict__[name].__set__ for name in _CAPTION_FIELDS)


_CAPTION_SETTERS = _slot_setters()


def _new_caption(values: tuple[Any, ...]) -> Caption:
    """``Caption(**dict(zip(_CAPTION_FIELDS, values)))``, ``warnings`` a tuple of ``str``.

    The attrs-generated ``__init__`` of the frozen record runs as bytecode, after
    ``type.__call__`` has packed the keyword arguments into a dict: several microseconds a
    caption.  This does what that ``__init__`` does (``object.__setattr__`` on each field, which
    sets the slot through its descriptor) without the detour;
    ``tests/parse/test_parse_speed_seventh.py`` checks that both give equal records.
    """
    if not _CAPTION_SETTERS:
        return Caption(**dict(zip(_CAPTION_FIELDS, values)))
    cap: Caption = object.__new__(Caption)
    for setter, value in zip(_CAPTION_SETTERS, values):
        setter(cap, value)
    return cap


def _prepare(text: str) -> tuple[str, list[str]]:
    """Clean control characters, skip an ID line, and keep the caption paragraph of a story.

    A text with paragraphs is a caption followed by its story when the first paragraph is
    caption-sized and carries a credit; otherwise all of it is the caption.
    """
    warnings: list[str] = []
    if len(text) > MAX_INPUT:
        warnings.append(f"caption of {len(text)} characters: only its first "
                        f"{MAX_INPUT // 2} and last {MAX_INPUT // 2} were read")
        text = text[:MAX_INPUT // 2] + " " + text[-(MAX_INPUT // 2):]
    # every character of _CONTROL is unprintable: a printable text has none (a quicker scan)
    work = text if text.isprintable() else _CONTROL.sub(" ", text)
    if "\n" not in work:
        # both patterns below need a line break (a quick scan instead of two pattern runs)
        return work.strip(), warnings
    m = _ID_LINE.match(work)
    if m and not any(c.isspace() for c in m.group(0).strip()) and any(c.isdigit() for c in m.group(0)):
        work = work[m.end():]
    para = _PARAGRAPH.search(work)
    if para is not None:
        first = work[:para.start()].strip()
        if len(first) >= 40 and find_credit(first, load_rules())[0] is not None:
            warnings.append("text after the first paragraph was taken for a story and ignored")
            work = first
    return work.strip(), warnings


def parse_text(text: str, reference_date: _dt.date | None) -> Caption:
    """:func:`captions.parse.parse_caption` on a string, ``reference_date`` a date or None."""
    rules = load_rules()
    work, warnings = _prepare(text)

    # ASCII text: one lower-casing serves the dateline and credit triggers, the end triggers
    # and the literals (fold_for_needs is lower() there, and lower() keeps every ASCII
    # string's length, so a slice of it is the slice lower-cased)
    folded = work.lower() if work.isascii() else None

    pos, _ = strip_start(work, 0, rules)
    dateline = find_dateline(work, pos, rules, reference_date=reference_date,
                             low=folded[pos:pos + HEAD] if folded is not None else None)
    body_start = dateline.end if dateline else pos
    if dateline is not None:
        # boilerplate printed after the dateline (Anadolu's "(----EDITORIAL USE ONLY ...----)")
        body_start, _ = strip_start(work, body_start, rules)

    # the end rules triggered by the tail, less those needing a literal the caption lacks
    # (which cannot match anywhere in it)
    # (the credit triggers are tested once: the end rules' triggers that are credit triggers
    # too are read there, and the credit search reuses them when no end boilerplate was cut,
    # its tail then being this one)
    low_tail = folded[-TAIL:] if folded is not None else work[-TAIL:].lower()
    hits = trigger_hits(rules, low_tail)
    active_end = active_end_rules(rules, low_tail, work, folded, hits)
    tail_end, _ = strip_end(work, body_start, len(work), rules, active=active_end)
    credit, cut, _found = find_credit(work, rules, end=tail_end, low=folded,
                                      hits=hits if tail_end == len(work) else None)
    cut = max(cut, body_start)
    end, _ = strip_end(work, body_start, cut, rules, active=active_end)
    if dateline is None:
        dateline = find_dateline_end(work, body_start, end, rules, reference_date=reference_date)
        if dateline is not None:
            end, _ = strip_end(work, body_start, dateline.start, rules, active=active_end)
    subject = tidy(work[body_start:end][:MAX_SUBJECT])

    head_end = min(cut if cut > body_start else len(work), body_start + HEAD_LIMIT)
    # the date is searched up to the credit, or to the end when there is none: end
    # boilerplate such as PA's "Picture date:" is left out of the subject, not out of the date
    date_end = head_end if credit is not None else min(len(work), body_start + HEAD_LIMIT)
    date = dateline.date if dateline and dateline.date else None
    if dateline:
        warnings.extend(dateline.warnings)
        if date is not None and "taken" in work:
            # "HANGZHOU, Nov. 12 (Xinhua) -- This photo taken on Nov. 9 ...": the day the
            # picture was made wins over the dateline's filing date, as it wins over any other
            taken = find_taken_date(work, reference_date=reference_date, start=body_start,
                                    end=date_end, low=folded)
            if taken is not None:
                date = taken.date
    if date is None:
        found = find_date(work, reference_date=reference_date, start=pos, end=date_end,
                          low=folded)
        date = found.date
        warnings.extend(found.warnings)
        if date is not None and "ndated" in work and _UNDATED.search(work, pos, date_end):
            # "This undated handout picture released by ... on May 5": a release date only
            date = None
            warnings.append("the caption calls the picture undated: its date left unknown")
    if date is None:
        warnings.append("no date found")

    body = work[body_start:head_end]
    if credit is not None and credit.kind == "person":
        # "photo diffusée par l'armée de Terre": the credited "name" handed the picture out
        credit = handed_out_by_named_org(
            credit, folded[body_start:head_end] if folded is not None else body.lower())
    if dateline is not None and dateline.headline is not None:
        # a title line's place is the story's; the caption text names the picture's own
        # ("Floods in Valencia, Spain" over "in Paiporta, Valencia, Spain"): it wins when it
        # names a city of a known country, the title line's place fills in otherwise (an event
        # read as a place, "at Prime Minister's Questions in the House of Commons", has none)
        location, loc_warnings = find_location(body)
        if location.city is None or location.country_code is None:
            titled, titled_warnings = find_location(body, dateline.place)
            if location.city is None or titled.country_code is not None:
                location, loc_warnings = titled, titled_warnings
    else:
        location, loc_warnings = find_location(body, dateline.place if dateline else None)
    warnings.extend(loc_warnings)

    agency = credit.agency if credit else None
    if agency is None and dateline and dateline.agency:
        agency = dateline.agency
    if credit is None:
        warnings.append("no credit found")
    elif credit.photographer is None:
        warnings.append("no photographer in the credit")
    if agency is None:
        warnings.append("no agency found")
    source = credit.source if credit and credit.source else (
        rules.sources.get(agency) if agency else None)

    return _new_caption((
        text,
        subject,
        date,
        location if isinstance(location, Location) else Location(),
        agency,
        credit.photographer if credit else None,
        credit.kind if credit else None,
        credit.credit_line if credit else None,
        source,
        dateline.headline if dateline else None,
        None,                                   # copyright_notice: not read from captions
        tuple(dict.fromkeys(warnings)),
    ))
