"""The dateline at the head of a caption ("KYIV, Ukraine (AP) —", "PARIS, FRANCE - MAY 03:").

Dateline shapes are agency conventions, so they live in the rule files (``[[dateline]]``);
this module only runs them, in priority order, anchored at the start of the caption body and
limited to its first :data:`HEAD` characters.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import NamedTuple

from ..agencies import RuleSet
from ..agencies.schema import Rule
from ..model import PartialDate
from .dates import find_date
from .location import Place, resolve_place

__all__ = ["DatelineFind", "find_dateline", "find_dateline_end", "HEAD"]

_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_YMD = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")

#: how many characters at the start of the caption a dateline may span
HEAD = 300


class DatelineFind(NamedTuple):
    """A dateline: where it ends, the place it names, its date and agency (when given); a
    plain tuple (an attrs record's ``__init__`` runs as bytecode even in the compiled build)."""

    start: int
    end: int
    place: Place
    date: PartialDate | None
    agency: str | None
    rule_id: str
    warnings: tuple[str, ...] = ()
    #: a title line printed apart from the caption (Shutterstock's "Event, City, Country - date"):
    #: the picture's headline; its place only stands in for one the caption text does not name
    headline: str | None = None


def _resolve(rule: Rule, m: re.Match[str], text: str, after: int, start: int, end: int,
             rules: RuleSet, reference_date: _dt.date | None) -> DatelineFind | None:
    g = m.groupdict()
    place = resolve_place(g.get("city"), g.get("region"), g.get("country"),
                          sublocation=(g.get("sublocation") or "").strip() or None)
    if place.city is None and place.country is None and not g.get("date"):
        return None
    warnings: list[str] = []
    date = None
    raw_date = (g.get("date") or "").strip()
    if raw_date:
        dmy = _DMY.match(raw_date)
        if dmy:                      # EFE's "03/05/2024": day first
            raw_date = f"{dmy.group(1)}.{dmy.group(2)}.{dmy.group(3)}"
        ymd = _YMD.match(raw_date)
        if ymd:                      # SOPA Images' "2025/09/09": year first
            raw_date = f"{ymd.group(3)}.{ymd.group(2)}.{ymd.group(1)}"
        # the rest of the caption may print the year the dateline leaves out
        found = find_date(raw_date + " " + text[after:after + 400],
                          reference_date=reference_date, end=len(raw_date))
        date = found.date
        warnings.extend(found.warnings)
    agency = rules.canonical(g["agency"]) if g.get("agency") else None
    headline = " ".join((g.get("headline") or "").split()) or None
    return DatelineFind(start, end, place, date, agency, rule.id, tuple(warnings), headline)


def find_dateline(text: str, pos: int, rules: RuleSet, *,
                  reference_date: _dt.date | None = None) -> DatelineFind | None:
    """The first dateline rule matching at ``pos`` (head of the body), resolved; else None."""
    head = text[pos:pos + HEAD]
    low = head.lower()
    for rule in rules.dateline_rules(low):
        m = rule.regex.match(head)
        if m is None:
            continue
        found = _resolve(rule, m, text, pos + m.end(), pos, pos + m.end(), rules, reference_date)
        if found is not None:
            return found
    return None


def find_dateline_end(text: str, start: int, end: int, rules: RuleSet, *,
                      reference_date: _dt.date | None = None) -> DatelineFind | None:
    """A dateline printed last (Shutterstock's story line) ending at ``end``; else None."""
    base = max(start, end - HEAD)
    tail = text[base:end]
    for rule in rules.datelines_end:
        m = rule.regex.search(tail)
        if m is None or m.end() != len(tail):
            continue
        found = _resolve(rule, m, text, end, base + m.start(), end, rules, reference_date)
        if found is not None:
            return found
    return None
