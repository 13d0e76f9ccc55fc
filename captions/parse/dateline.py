"""The dateline at the head of a caption ("KYIV, Ukraine (AP) —", "PARIS, FRANCE - MAY 03:").

Dateline shapes are agency conventions, so they live in the rule files (``[[dateline]]``);
this module only runs them, in priority order, anchored at the start of the caption body and
limited to its first :data:`HEAD` characters.
"""

from __future__ import annotations

import datetime as _dt

import attrs

from ..agencies import RuleSet
from ..model import PartialDate
from .dates import find_date
from .location import Place, resolve_place

__all__ = ["DatelineFind", "find_dateline", "HEAD"]

#: how many characters at the start of the caption a dateline may span
HEAD = 300


@attrs.frozen
class DatelineFind:
    """A dateline: where it ends, the place it names, its date and agency (when given)."""

    end: int
    place: Place
    date: PartialDate | None
    agency: str | None
    rule_id: str
    warnings: tuple[str, ...] = ()


def find_dateline(text: str, pos: int, rules: RuleSet, *,
                  reference_date: _dt.date | None = None) -> DatelineFind | None:
    """The first dateline rule matching at ``pos`` (head of the body), resolved; else None."""
    head = text[pos:pos + HEAD]
    for rule in rules.datelines:
        m = rule.regex.match(head)
        if m is None:
            continue
        g = m.groupdict()
        place = resolve_place(g.get("city"), g.get("region"), g.get("country"),
                              sublocation=(g.get("sublocation") or "").strip() or None)
        if place.city is None and place.country is None and not g.get("date"):
            continue
        warnings: list[str] = []
        date = None
        if g.get("date"):
            # the rest of the caption may print the year the dateline leaves out
            found = find_date(g["date"] + " " + text[pos + m.end():pos + m.end() + 400],
                              reference_date=reference_date, end=len(g["date"]))
            date = found.date
            warnings.extend(found.warnings)
        agency = rules.canonical(g["agency"]) if g.get("agency") else None
        return DatelineFind(pos + m.end(), place, date, agency, rule.id, tuple(warnings))
    return None
