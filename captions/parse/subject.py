"""The subject: the caption's own sentence, with agency boilerplate cut from both ends.

Boilerplate patterns ("epa05146134", "FILE PHOTO:", "TPX IMAGES OF THE DAY", "Picture taken
...") are rule-file data (``[[strip]]``, ``where = "start"`` or ``"end"``); this module applies
them until none matches, a bounded number of times.
"""

from __future__ import annotations

import re
from typing import Final, NamedTuple

from ..agencies import RuleSet
from ..agencies.schema import Rule, fold_for_needs, may_match

__all__ = ["strip_start", "strip_end", "tidy", "active_end_rules"]

_ROUNDS = 6
#: the separators trimmed at the ends of the subject besides white space: the characters of
#: ``[\s/|,;:\-–—]`` (``str.strip`` strips exactly what ``\s`` matches)
_FILLER_MARKS = "/|,;:-–—"
#: opening brackets left at the end of the subject when the credit they open was cut
_OPEN_MARKS = ("(", "[")


def _lstrip_filler(text: str) -> str:
    """``text`` without its leading white space and separators (``^[\\s/|,;:\\-–—]+``)."""
    while True:
        cut = text.lstrip().lstrip(_FILLER_MARKS)
        if len(cut) == len(text):
            return cut
        text = cut


def _rstrip_filler(text: str) -> str:
    """``text`` without its trailing white space and separators (``[\\s/|,;:\\-–—]+$``).

    Alternating the two strips is cheaper than the pattern, which tries every position.
    """
    while True:
        cut = text.rstrip().rstrip(_FILLER_MARKS)
        if len(cut) == len(text):
            return cut
        text = cut


class _StartAlternation(NamedTuple):
    """The start rules as one pattern, ``(?P<_s0>p0)|(?P<_s1>p1)|...``, and which rule each
    wrapping group's number stands for."""

    rules: tuple[Rule, ...]
    regex: re.Pattern[str] | None
    by_group: dict[int, Rule]


#: the start rules' alternation, per rule set (the tuple kept: its identity is the key)
_START_ALTERNATIONS: dict[int, _StartAlternation] = {}
#: what could make a rule's pattern mean something else inside a larger one: numbered or named
#: back-references and conditional groups (group numbers shift)
_GROUP_REFERENCE: Final = re.compile(r"\\[1-9]|\(\?P=|\(\?\(")


def _start_alternation(rules: tuple[Rule, ...]) -> _StartAlternation:
    """One anchored ``match`` instead of one per rule: an alternation tries its branches in
    order and takes the first that matches, as the loop over the rules does.  Only built when
    no rule can match the empty string (the loop skips empty matches, an alternation would
    stop at one), no rule has flags of its own or refers to a group by number or name, and
    the group names do not clash; else ``regex`` is None and the rules are tried one by one."""
    alt = _START_ALTERNATIONS.get(id(rules))
    if alt is not None and alt.rules is rules:
        return alt
    regex: re.Pattern[str] | None = None
    by_group: dict[int, Rule] = {}
    if rules and all(r.regex.flags == re.UNICODE and not _GROUP_REFERENCE.search(r.regex.pattern)
                     and re._parser.parse(r.regex.pattern).getwidth()[0] > 0
                     for r in rules):
        try:
            regex = re.compile("|".join(f"(?P<_s{i}>{r.regex.pattern})"
                                        for i, r in enumerate(rules)))
            by_group = {regex.groupindex[f"_s{i}"]: r for i, r in enumerate(rules)}
        except re.error:
            regex, by_group = None, {}
    alt = _StartAlternation(rules, regex, by_group)
    if len(_START_ALTERNATIONS) > 16:
        _START_ALTERNATIONS.clear()
    _START_ALTERNATIONS[id(rules)] = alt
    return alt


def strip_start(text: str, pos: int, rules: RuleSet, *, limit: int = 400) -> tuple[int, list[str]]:
    """Skip start boilerplate from ``pos``; the new position and the ids of the rules applied."""
    applied: list[str] = []
    alt = _start_alternation(rules.strip_start)
    for _ in range(_ROUNDS):
        head = text[pos:pos + limit]
        if alt.regex is not None:
            m = alt.regex.match(head)
            if m is None:
                break
            # the wrapping group closes last: it is the last group matched
            pos += m.end()
            applied.append(alt.by_group[m.lastindex or 0].id)
            continue
        for rule in alt.rules:
            m = rule.regex.match(head)
            if m is not None and m.end() > 0:
                pos += m.end()
                applied.append(rule.id)
                break
        else:
            break
    if pos == 0:
        # separators at the very start (the old pattern was anchored with "^", which only
        # matches at the start of the text, so they are skipped only when nothing was stripped)
        head = text[:limit]
        pos = len(head) - len(_lstrip_filler(head))
    return pos, applied


class _EndStep(NamedTuple):
    """One end rule, with what :func:`active_end_rules` reads of it unpacked once."""

    rule: Rule
    #: the rule's triggers that are not credit triggers (tested with ``in``)
    triggers: tuple[str, ...]
    #: the rule has literals every match holds (``Rule.needs``/``needs_any``)
    needs: bool
    #: the positions in ``RuleSet.tail_triggers`` of the rule's triggers (all of them are
    #: there: read from :func:`~captions.parse.credit.trigger_hits`, when given)
    shared: tuple[int, ...]


#: the end rules' steps, per rule set (the rules' tuple kept: its identity is the key)
_END_PLANS: dict[int, tuple[tuple[Rule, ...], tuple[_EndStep, ...]]] = {}


def _end_plan(rules: tuple[Rule, ...], credit_triggers: tuple[str, ...]) -> tuple[_EndStep, ...]:
    entry = _END_PLANS.get(id(rules))
    if entry is not None and entry[0] is rules:
        return entry[1]
    where = {t: i for i, t in enumerate(credit_triggers)}
    plan = tuple(_EndStep(r, tuple([t for t in r.triggers if t not in where]),
                          bool(r.needs or r.needs_any),
                          tuple([where[t] for t in r.triggers if t in where]))
                 for r in rules)
    if len(_END_PLANS) > 16:
        _END_PLANS.clear()
    _END_PLANS[id(rules)] = (rules, plan)
    return plan


def active_end_rules(rules: RuleSet, low_tail: str, text: str,
                     folded: str | None = None, hits: list[bool] | None = None
                     ) -> tuple[Rule, ...]:
    """The end rules worth trying on ``text``, in order: those with a trigger in ``low_tail``
    (the lower-cased tail, as :meth:`RuleSet.end_rules`) whose literals are in the whole text
    (:func:`~captions.agencies.schema.may_match` on ``folded``, ``fold_for_needs(text)``, made
    here when None and first needed).  Rule by rule, without building the set of present
    triggers: the same rules as ``end_rules`` then the literal filter.  ``hits``, when given,
    is :func:`~captions.parse.credit.trigger_hits` of ``low_tail``: the triggers are looked up
    there instead of scanned again.
    """
    out: list[Rule] = []
    for rule, triggers, needs, shared in _end_plan(rules.strip_end, rules.tail_triggers):
        if triggers or shared:
            for i in shared:
                if hits is None:
                    if rules.tail_triggers[i] in low_tail:
                        break
                elif hits[i]:
                    break
            else:
                for t in triggers:
                    if t in low_tail:
                        break
                else:
                    continue
        if needs:
            if folded is None:
                folded = fold_for_needs(text)
            if not may_match(rule, folded):
                continue
        out.append(rule)
    return tuple(out)


def strip_end(text: str, start: int, end: int, rules: RuleSet, *,
              limit: int = 400, triggers_in: str | None = None,
              active: tuple[Rule, ...] | None = None) -> tuple[int, list[str]]:
    """Cut end boilerplate before ``end``; the new end and the ids of the rules applied.

    A rule runs only when one of its triggers is in ``triggers_in`` (lower case; by default the
    searched window).
    """
    applied: list[str] = []
    if active is not None and not active:
        return end, applied         # no rule to try (the loop below would find nothing)
    for _ in range(_ROUNDS):
        base = max(start, end - limit)
        tail = text[base:end]
        if active is None:
            active = rules.end_rules(triggers_in if triggers_in is not None else tail.lower())
        last: str | None = None     # the tail's last non-blank character, when first needed
        rev = ""                    # the tail reversed, when first needed
        for rule in active:
            ends = rule.ends
            if ends:
                # a match ends the tail: its last non-blank character is one of ``ends``
                if last is None:
                    last = tail.rstrip()[-1:]
                if not last or last not in ends:
                    continue        # (``ends`` is a string: "" would be in it)
            at = 0
            if rule.window:
                at = max(0, len(tail) - rule.window)
                window = tail[at:]
                if window.isascii() and not may_match(rule, window.lower()):
                    continue        # a literal every match holds is not in the searched window
            leads = rule.leads
            if leads:
                # every match holds one of ``leads``, only characters of ``back`` before it:
                # none starts before the run of those that ends at the first one's first
                # occurrence (see ``schema.leads_of``), and none exists without one
                k = -1
                for lead in leads:
                    j = tail.find(lead, at)
                    if j >= 0 and (k < 0 or j < k):
                        k = j
                if k < 0:
                    continue
                back = rule.back
                if back is None:
                    at = k
                else:
                    size = len(tail)
                    if not rev:
                        rev = tail[::-1]
                    run = back.match(rev, size - k)
                    first = k - (run.end() - (size - k)) if run is not None else k
                    if first > at:
                        at = first
            m = rule.regex.search(tail, at)
            if m is not None and m.end() == len(tail) and m.start() < m.end():
                end = base + m.start()
                applied.append(rule.id)
                break
        else:
            break
        end = _trim_end(text, start, end)
    return end, applied


def _trim_end(text: str, start: int, end: int) -> int:
    """``end`` moved back over the separators before it (looking at most 50 characters back)."""
    low = max(start, end - 50)
    if low >= end:
        return end
    return low + len(_rstrip_filler(text[low:end]))


def tidy(text: str) -> str | None:
    """Trim separators left at the ends of the subject; None when nothing is left."""
    text = _rstrip_filler(text)
    while text.endswith(_OPEN_MARKS):
        # an opening bracket whose credit was cut: "... on Christmas Eve. (Name/PA)"
        text = _rstrip_filler(text[:-1])
    text = _lstrip_filler(text).strip()
    return text or None
