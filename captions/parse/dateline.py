"""The dateline at the head of a caption ("KYIV, Ukraine (AP) —", "PARIS, FRANCE - MAY 03:").

Dateline shapes are agency conventions, so they live in the rule files (``[[dateline]]``);
this module only runs them, in priority order, anchored at the start of the caption body and
limited to its first :data:`HEAD` characters.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable
from typing import Final, NamedTuple

from ..agencies import RuleSet
from ..agencies.schema import Rule, required_marks
from ..model import PartialDate
from .dates import TUPLE_NEW, find_date
from .location import Place, resolve_place

__all__ = ["DatelineFind", "find_dateline", "find_dateline_end", "HEAD"]

_DMY: Final = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_YMD: Final = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")

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
    if rule.require_known and place.country is None:
        return None                  # a dateline shape common enough to need a known place
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
    # (the record made as its NamedTuple ``__new__`` makes it, without running that as bytecode)
    dl: DatelineFind = TUPLE_NEW(DatelineFind, (start, end, place, date, agency, rule.id,
                                                tuple(warnings), headline))
    return dl


class _Step(NamedTuple):
    """One start dateline rule, with what :func:`find_dateline` reads of it unpacked once."""

    rule: Rule
    match: Callable[[str], re.Match[str] | None]
    triggers: tuple[str, ...]
    #: try the pattern before looking for the triggers (see :data:`MATCH_FIRST`)
    match_first: bool
    #: rules with the same triggers share a number (": " twice, ":" three times, " - " three
    #: times): a head is scanned for them once (-1: no triggers)
    group: int
    #: a rule without triggers: marks every match holds (:func:`schema.required_marks`), looked
    #: for before the pattern is tried (Shutterstock's title line needs a line break)
    marks: str


#: a rule with more triggers than this is matched first and its triggers looked for only when
#: it matches: an anchored match that fails costs about one trigger scan of the head (the
#: German states of ``dpa-land-dateline``: one failed match instead of twelve scans)
MATCH_FIRST = 3
#: the start dateline rules' steps, per rule set (the rules' tuple kept: its identity is the key)
_PLANS: dict[int, tuple[tuple[Rule, ...], tuple[_Step, ...]]] = {}


def _plan(rules: tuple[Rule, ...]) -> tuple[_Step, ...]:
    entry = _PLANS.get(id(rules))
    if entry is not None and entry[0] is rules:
        return entry[1]
    groups: dict[tuple[str, ...], int] = {}
    for r in rules:
        if r.triggers:
            groups.setdefault(r.triggers, len(groups))
    plan = tuple(_Step(r, r.regex.match, r.triggers, len(r.triggers) > MATCH_FIRST,
                       groups[r.triggers] if r.triggers else -1,
                       "" if r.triggers else required_marks(r.regex.pattern, r.regex.flags))
                 for r in rules)
    if len(_PLANS) > 16:
        _PLANS.clear()
    _PLANS[id(rules)] = (rules, plan)
    return plan


def find_dateline(text: str, pos: int, rules: RuleSet, *,
                  reference_date: _dt.date | None = None,
                  low: str | None = None) -> DatelineFind | None:
    """The first dateline rule matching at ``pos`` (head of the body), resolved; else None.

    The rules are tried in priority order; a rule with triggers only when one of them is in the
    head (lower case) -- :meth:`RuleSet.dateline_rules`, decided rule by rule here, so that a
    rule that does not match needs no trigger scan when matching is the cheaper test.
    ``low``, when given, is ``text[pos:pos + HEAD].lower()`` (the caller's lower-cased text).
    """
    head = text[pos:pos + HEAD]
    if low is None:
        low = ""                     # the head in lower case, made when first needed
    plan = _plan(rules.datelines)
    seen: list[int] = []             # per trigger group: 1 in the head, 2 not, 0 not looked for
    for rule, match, triggers, match_first, group, marks in plan:
        m = match(head) if match_first else None
        if match_first and m is None:
            continue
        if marks:
            missing = False
            for c in marks:
                if c not in head:
                    missing = True
                    break
            if missing:
                continue             # a character every match holds is not in the head
        if triggers:
            if not seen:
                seen = [0] * len(plan)
            state = seen[group]
            if state == 0:
                if not low:
                    low = head.lower()
                state = 2
                for t in triggers:
                    if t in low:
                        state = 1
                        break
                seen[group] = state
            if state == 2:
                continue             # no trigger in the head: the rule is not tried
        if m is None:
            m = match(head)
            if m is None:
                continue
        found = _resolve(rule, m, text, pos + m.end(), pos, pos + m.end(), rules, reference_date)
        if found is not None:
            return found
    return None


#: the end dateline rules with their marks (:func:`schema.required_marks`), per rule set
_END_PLANS: dict[int, tuple[tuple[Rule, ...], tuple[tuple[Rule, str], ...]]] = {}


def _end_plan(rules: tuple[Rule, ...]) -> tuple[tuple[Rule, str], ...]:
    entry = _END_PLANS.get(id(rules))
    if entry is not None and entry[0] is rules:
        return entry[1]
    plan = tuple((r, required_marks(r.regex.pattern, r.regex.flags)) for r in rules)
    if len(_END_PLANS) > 16:
        _END_PLANS.clear()
    _END_PLANS[id(rules)] = (rules, plan)
    return plan


def find_dateline_end(text: str, start: int, end: int, rules: RuleSet, *,
                      reference_date: _dt.date | None = None) -> DatelineFind | None:
    """A dateline printed last (Shutterstock's story line) ending at ``end``; else None."""
    base = max(start, end - HEAD)
    tail = text[base:end]
    for rule, marks in _end_plan(rules.datelines_end):
        missing = False
        for c in marks:
            if c not in tail:
                missing = True
                break
        if missing:
            continue                 # a character every match holds is not in the tail
        m = rule.regex.search(tail)
        if m is None or m.end() != len(tail):
            continue
        found = _resolve(rule, m, text, end, base + m.start(), end, rules, reference_date)
        if found is not None:
            return found
    return None
