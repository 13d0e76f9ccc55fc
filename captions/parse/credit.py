"""The credit tail: who took the picture, for which agency, and how the credit reads.

Credit rules come from the agency files (``[[credit]]``).  Only the last :data:`TAIL` characters
of the caption are searched, and a file's rules run only when one of its trigger words is in
that tail, so the cost per caption stays flat whatever the caption's length.

Choosing among several matches ("/ AFP / STRINGER Image Credit: AFP", "NAME/AFP/Getty
Images"): the credit that names a photographer and reaches furthest right wins (then the longest,
then the rule's priority); an agency missing from it is taken from the other matches.
"""

from __future__ import annotations

import re

import attrs

from ..agencies import RuleSet
from ..agencies.schema import Rule
from .names import clean_name, natural_case, pseudo_credit, split_names

__all__ = ["CreditFind", "find_credit", "TAIL", "photographer_fields"]

#: how many characters at the end of the caption are searched for credits
TAIL = 600
_MAX_REPEAT = 4
#: what may sit between a credit and the end (or the next credit) without being subject text
_FILLER = re.compile(r"^[\s./|,;:\-–—()\[\]]*$")
_LABELS = {"stringer": "Stringer", "handout": "Handout", "pool": "Pool", "staff": "Staff"}
_DOUBLED = re.compile(r"^(.{3,40}?)\1$")


@attrs.frozen
class CreditFind:
    """A credit found in the tail; offsets are in the searched text."""

    start: int
    end: int
    rule: Rule
    agency: str | None
    photographer: str | None
    kind: str | None
    credit_line: str | None
    source: str | None
    org: str | None = None


def photographer_fields(raw: str | None) -> tuple[str | None, str | None]:
    """``(photographer, kind)`` from a raw credit name; several names joined with " and "."""
    if not raw:
        return None, None
    raw = clean_name(raw)
    doubled = _DOUBLED.match(raw)
    if doubled:                      # "CHRISTOF STACHECHRISTOF STACHE": a field pasted twice
        raw = doubled.group(1)
    names = split_names(raw)
    people = [natural_case(n) for n in names if pseudo_credit(n) is None]
    if people:
        return " and ".join(people), "person"
    pseudo = pseudo_credit(names[0]) if names else None
    if pseudo is None:
        return None, None
    return pseudo


def _resolve(rule: Rule, m: re.Match[str], rules: RuleSet, offset: int) -> CreditFind:
    groups = m.groupdict()
    agency = rule.agency or None
    source: str | None = rule.source or None
    raw_agency = groups.get("agency")
    if raw_agency:
        canonical = rules.canonical(raw_agency.strip())
        if canonical:
            agency = canonical
            source = rules.sources.get(canonical, canonical)
        elif not agency:
            agency = clean_name(raw_agency)
            source = agency
    photographer, kind = photographer_fields(groups.get("photographer"))
    if rule.kind is not None and kind != "person":
        kind = rule.kind
        photographer = _LABELS.get(rule.kind, photographer)
    template = rule.credit_line_pseudo if kind not in (None, "person") and \
        rule.credit_line_pseudo else rule.credit_line
    if template:
        credit_line: str | None = template.format(
            photographer=photographer or "", agency=agency or "",
            org=clean_name(groups.get("org") or ""),
        ).strip(" /")
    else:
        credit_line = clean_name(m.group(0)) or None
    org = groups.get("org")
    return CreditFind(m.start() + offset, m.end() + offset, rule, agency, photographer, kind,
                      credit_line, source, clean_name(org) if org else None)


def find_credit(text: str, rules: RuleSet, *, end: int | None = None
                ) -> tuple[CreditFind | None, int, list[CreditFind]]:
    """The best credit in the tail of ``text[:end]``, where the subject ends, and all matches.

    The second value is the offset where the credit block starts (``end`` if none).
    """
    end = len(text) if end is None else end
    base = max(0, end - TAIL)
    tail = text[base:end]
    low = tail.lower()
    found: list[CreditFind] = []
    for triggers, group in rules.credit_groups:
        if triggers and not any(t in low for t in triggers):
            continue
        for rule in group:
            m = rule.regex.search(tail)
            last = None
            n = 0
            while m is not None and n < _MAX_REPEAT:
                last = m
                n += 1
                if m.end() >= len(tail):
                    break
                m = rule.regex.search(tail, max(m.end(), m.start() + 1))
            if last is not None:
                found.append(_resolve(rule, last, rules, base))
    if not found:
        return None, end, []
    with_name = [f for f in found if f.photographer]
    pool = with_name or found
    best = max(pool, key=lambda f: (f.end, -f.start, f.rule.priority))
    if best.agency is None:
        other = [f for f in found if f.agency]
        if other:
            donor = max(other, key=lambda f: (f.end, -f.start))
            best = attrs.evolve(best, agency=donor.agency, source=donor.source)
    # the credit block: matches chained to the end of the text, only filler between them
    cut = end
    for f in sorted(found, key=lambda f: (-f.end, f.start)):
        if f.end >= cut or _FILLER.match(text[f.end:cut]) is not None:
            cut = min(cut, f.start)
    return best, cut, found
