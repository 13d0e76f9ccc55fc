"""The credit tail: who took the picture, for which agency, and how the credit reads.

Credit rules come from the agency files (``[[credit]]``).  Only the last :data:`TAIL` characters
of the caption are searched, and a file's rules run only when one of its trigger words is in
that tail, so the cost per caption stays flat whatever the caption's length.

Choosing among matches:

* the *credit block* is the run of matches chained to the end of the text (only separators
  between them); matches elsewhere are ignored unless nothing is chained to the end;
* overlapping matches form one credit, represented by the longest match;
* the first credit of the block naming a photographer (or a pseudo-credit) wins: an agency's
  own credit comes before a publisher's "Image Credit: AFP"; but a reseller's copy of the same
  person's credit printed after it ("(Photo by X / AFP) (Photo by X/AFP via Getty Images)")
  wins over the first, as the corpus convention has it (the rightmost credit naming the
  photographer);
* the agency is the first known agency in the credit's chain ("Name/SOPA Images/LightRocket via
  Getty Images" -> SOPA Images); a credit naming no known agency takes one from the other
  credits of the block, else keeps the publisher as ``source`` ("Image Credit: WAM").

``credit_line`` is the chosen credit as printed, tidied: labels ("Photo by", "Credit:"),
brackets, ", File", "/File Photo" and "/Illustration" removed, names in natural case, " / "
closed up.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any, Final, NamedTuple

from ..agencies import RuleSet
from ..agencies.schema import Rule, fold_for_needs
from .dates import TUPLE_NEW
from .names import (ORG_WORDS, clean_name, looks_like_person, natural_case, pseudo_credit,
                    split_names)

__all__ = ["CreditFind", "find_credit", "trigger_hits", "handed_out_by_named_org", "TAIL",
           "photographer_fields", "tidy_credit_line"]

#: how many characters at the end of the caption are searched for credits
TAIL = 600
#: how far before its agency's name a credit may start ("Photo by Firstname Lastname / AFP")
BEFORE_TRIGGER = 160
#: rules that name no agency (publishers' tails) look only at the last characters
GENERIC_TAIL = 200
_MAX_REPEAT = 4
#: what may sit between a credit and the end (or the next credit) without being subject text
_FILLER: Final = re.compile(r"^[\s./|,;:\-–—()\[\]=+]*$")
_LABELS = {"stringer": "Stringer", "handout": "Handout", "pool": "Pool", "staff": "Staff"}
_CHAIN_SPLIT: Final = re.compile(r"\s*(?:/|\bvia\b|\s-\s|\bfor\b)\s*")

_LEAD: Final = re.compile(
    r"^(?:[\s(\[©/]+|(?:Mandatory\s+Credit|Image\s+Credit|Credit\s+Image|"
    r"Photo\s+credit\s+should\s+read|Photo\s+Credit|Cr[eé]dit|Photo(?:graph(?:er)?)?s?|Foto|Bild|"
    r"Picture|Image|Source|File)\s*:|(?:Photo(?:graph)?s?|Picture)\s+by\b)+\s*", re.IGNORECASE)
_TRAIL: Final = re.compile(
    r"(?:\s*/\s*(?:File(?:\s+Photo)?|FILE(?:\s+PHOTO)?|Illustration|ILLUSTRATION)|"
    r"\s*,\s*(?:File|FILE)|\s*/\s*\d{6,}|"
    r"\s*\(\w{6,12}\)|[\s)\].]+)+$")
_PSEUDO_TOKEN: Final = re.compile(r"(?<![\w])(HO|HANDOUT|POOL|STR|STRINGER|STAFF)(?![\w])")
_SLASH: Final = re.compile(r"\s*/\s*")
#: a pool marker printed after the name, inside the name slot ("Name, Pool")
_NAME_POOL: Final = re.compile(r",\s*(?:POOL|Pool)\s*$")


class CreditFind(NamedTuple):
    """A credit found in the tail; offsets are in the searched text (a plain tuple: cheap)."""

    start: int
    end: int
    rule: Rule
    agency: str | None
    photographer: str | None
    kind: str | None
    credit_line: str | None
    source: str | None
    org: str | None = None

    @property
    def named(self) -> bool:
        return self.photographer is not None or self.kind is not None


#: memoised answers per pure name/credit-line function: a desk's stream of captions credits the
#: same photographers again and again (bounded; ``bench_parse.py --cold`` empties them)
NAME_CACHE = 4096


@functools.lru_cache(maxsize=NAME_CACHE)
def photographer_fields(raw: str | None) -> tuple[str | None, str | None]:
    """``(photographer, kind)`` from a raw credit name; several names joined with " and "."""
    if not raw:
        return None, None
    raw = clean_name(raw)
    half = len(raw) // 2
    if 3 <= half <= 40 and raw[:half] == raw[half:]:
        raw = raw[:half]             # "CHRISTOF STACHECHRISTOF STACHE": a field pasted twice
    names = split_names(raw)
    people = [natural_case(n) for n in names if pseudo_credit(n) is None]
    if people:
        return " and ".join(people), "person"
    pseudo = pseudo_credit(names[0]) if names else None
    if pseudo is None:
        return None, None
    return pseudo


def _is_org(raw: str) -> bool:
    """A credited "name" that is an organisation ("KENYA WILDLIFE SERVICE", "Supreme Leader")."""
    return any(w.lower().strip(".,") in ORG_WORDS for w in raw.split())


_TRAIL_WORDS = ("File", "FILE", "Photo", "PHOTO", "Illustration", "ILLUSTRATION")


def _cut_trail(text: str) -> str:
    """``text`` without its trailing ", File", "/File Photo", picture number, brackets."""
    bare = text.rstrip(" \t\r\n).]")
    if bare[-1:].isalpha() and not bare.endswith(_TRAIL_WORDS) and "(" not in bare[-14:]:
        return bare                  # the common case, without the (slower) pattern
    trail = _TRAIL.search(text, max(0, len(text) - 48))
    return text[:trail.start()] if trail is not None else text


@functools.lru_cache(maxsize=NAME_CACHE)
def tidy_credit_line(text: str, raw_name: str | None = None, name: str | None = None) -> str | None:
    """The printed credit, tidied (see the module docstring)."""
    if raw_name and name and raw_name in text:
        text = text.replace(raw_name, name, 1)
    lead = _LEAD.match(text)
    if lead is not None:
        text = text[lead.end():]
    text = _cut_trail(text)
    text = _PSEUDO_TOKEN.sub(lambda m: (pseudo_credit(m.group(1)) or (m.group(1),))[0], text)
    text = _SLASH.sub("/", text).strip(" /")
    return " ".join(text.split()) or None


def _chain_agency(raw: str, rules: RuleSet) -> tuple[str | None, str | None]:
    """The first known agency in "A/B via C"; else (None, the first link as printed)."""
    links = [p for p in _CHAIN_SPLIT.split(raw.strip()) if p]
    for link in links:
        canonical = rules.canonical(link)
        if canonical:
            return canonical, None
    return None, clean_name(links[0]) if links else None


#: (rule id, matched text, groups) -> (rule, rules, fields) of a resolved match: resolving is a
#: pure function of those, and a desk's credits repeat (bounded; cleared when full)
_RESOLVED: dict[tuple[int, str, tuple[str | None, ...]], tuple[Rule, RuleSet, tuple[Any, ...] | None]] = {}


def _resolve(rule: Rule, m: re.Match[str], rules: RuleSet, offset: int) -> CreditFind | None:
    key = (id(rule), m.group(0), m.groups())
    hit = _RESOLVED.get(key)
    if hit is None or hit[0] is not rule or hit[1] is not rules:
        found = _resolve_fields(rule, m, rules)
        if len(_RESOLVED) >= NAME_CACHE:
            _RESOLVED.clear()
        hit = _RESOLVED[key] = (rule, rules, found)
    fields = hit[2]
    if fields is None:
        return None
    # ``CreditFind(...)`` made as its NamedTuple ``__new__`` makes it, without running that as
    # bytecode (see ``dates.TUPLE_NEW``)
    made: CreditFind = TUPLE_NEW(CreditFind, (m.start() + offset, m.end() + offset, rule) + fields)
    return made


def _resolve_fields(rule: Rule, m: re.Match[str], rules: RuleSet) -> tuple[Any, ...] | None:
    """``(agency, photographer, kind, credit_line, source, org)`` of a match, or None."""
    groups = m.groupdict()
    agency: str | None = rule.agency or None
    source: str | None = rule.source or None
    raw_agency = groups.get("agency")
    if raw_agency:
        known, printed = _chain_agency(raw_agency, rules)
        if known:
            agency, source = known, rules.sources.get(known, known)
        elif rule.require_known:
            return None
        elif not agency:
            source = printed
    raw_name = groups.get("photographer")
    known = rules.canonical(clean_name(raw_name)) if raw_name else None
    if known:
        # "Photograph: Anadolu/Getty Images": the "name" is an agency, first in the chain
        agency, source = known, rules.sources.get(known or "", known)
        raw_name = None
    if rule.require_person and not (raw_name and looks_like_person(raw_name)):
        return None
    photographer, kind = photographer_fields(raw_name)
    org = clean_name(groups.get("org") or "") or None
    org_slot = False
    if kind == "person" and photographer and _is_org(photographer):
        # "Office of the Iranian Supreme Leader/WANA": an organisation, so a handout; led by a
        # pseudo-credit word it is that kind ("Pool Monaco/ABACAPRESS.COM": a pool)
        lead = pseudo_credit(photographer.split(" ", 1)[0])
        if lead is not None and lead[1] != "handout":
            photographer, kind = lead
        else:
            org, photographer, kind = clean_name(raw_name or ""), "Handout", "handout"
            org_slot = True
    if rule.kind is not None and kind != "person":
        if rule.kind == "handout" and org and looks_like_person(org):
            photographer, kind = natural_case(org), "person"
        else:
            kind = rule.kind
            photographer = _LABELS.get(rule.kind, photographer)
    template = rule.credit_line_pseudo if kind not in (None, "person") and \
        rule.credit_line_pseudo else rule.credit_line
    shown = photographer
    if org_slot and kind == "handout" and rule.credit_line_pseudo and rule.credit_line:
        # "KCNA VIA KNS / AFP": the organisation printed where the name goes keeps that place
        template, shown = rule.credit_line, org
    if template:
        credit_line: str | None = template.format(
            photographer=shown or "", agency=agency or "", org=org or "").strip(" /")
    else:
        name = photographer if raw_name and kind == "person" else None
        if name and raw_name and _NAME_POOL.search(raw_name):
            name += ", Pool"         # "(AP Photo/Name, Pool)": the pool marker is kept
        credit_line = tidy_credit_line(m.group(0), raw_name.strip() if raw_name else None, name)
    return (agency, photographer, kind, credit_line, source, org)


#: the caption says an organisation handed the picture out, its name right after an article:
#: "photo released by the ...", "diffusée le 12 novembre par l'...", "cedida por la ...",
#: "fornita dalla ..." (lower case; the credited name follows at the end of the match).
#: A name with no article ("provided by Jane Roe") is a person's and stays one.
_HANDED_OUT: Final = re.compile(
    r"(?<![\w])(?:released|provided|distributed|handed\s+out|supplied|issued|made\s+available|"
    r"diffus[ée]e?s?|publi[ée]e?s?|fournie?s?|transmise?s?|distribu[ée]e?s?|communiqu[ée]e?s?|"
    r"difundidas?|facilitadas?|cedidas?|distribuidas?|proporcionadas?|publicadas?|divulgadas?|"
    r"diffusa|fornita|distribuita|rilasciata|pubblicata)(?![\w])"
    r"[^.;()\n]{0,60}?(?<![\w])(?:by\s+the|par\s+(?:l['’]|la\s|le\s|les\s)|"
    r"por\s+(?:el|la|los|las)\s|pel[ao]\s|"
    r"da(?:l|lla|llo|i|gli|lle)\s|dall['’])\s*$")


def handed_out_by_named_org(credit: CreditFind, low_body: str) -> CreditFind:
    """``credit`` as a handout when the caption says the credited "person" handed the picture
    out as an organisation ("Cette photo diffusée ... par l'armée de Terre" over "(Photo by
    Handout / ARMÉE DE TERRE / AFP)"; "This photo released by the Royal Greenland Trade" over
    "(Royal Greenland Trade via AP)"); else ``credit`` itself.  ``low_body`` is the caption's
    text before the credit, lower-cased.  The credit line is kept as printed.
    """
    name = credit.photographer
    if credit.kind != "person" or name is None:
        return credit
    i = low_body.find(name.lower())
    if i <= 0 or _HANDED_OUT.search(low_body, max(0, i - 110), i) is None:
        return credit
    # ``_replace`` without running it as bytecode (see ``dates.TUPLE_NEW``)
    out: CreditFind = TUPLE_NEW(CreditFind, (credit.start, credit.end, credit.rule, credit.agency,
                                             "Handout", "handout", credit.credit_line,
                                             credit.source, credit.org or name))
    return out


class _Step(NamedTuple):
    """One rule of a plan, with what the search loop reads of it unpacked once."""

    rule: Rule
    #: the positions in the plan's present triggers of those that enable the rule
    enabled_by: tuple[int, ...]
    #: the one enabling trigger's position, -1 when none or several
    only: int
    search: Callable[[str, int], re.Match[str] | None]
    reach: int
    window: int
    needs: tuple[str, ...]
    agency: bool
    #: a literal every match holds, and the backward run before it (see ``Rule.lead``)
    lead: str
    back: re.Pattern[str] | None
    #: the search of what follows a name-first rule's name (see ``Rule.core``), or None
    core: Callable[[str, int], re.Match[str] | None] | None


#: the last rule set's plans (``RuleSet.memo("credit plans")``), so that a caption asks for
#: them with an identity check rather than a method call on the (attrs, not compiled) rule set
_LAST_PLANS: list[tuple[RuleSet, dict[tuple[str, ...], tuple[_Step, ...]]]] = []


def _plan(rules: RuleSet, present: tuple[str, ...]) -> tuple[_Step, ...]:
    # per rule set: the present triggers -> the rules to try, in order, each with the
    # positions (in the present triggers) of those that enable it (a few dozen distinct
    # sets: each planned once)
    if _LAST_PLANS and _LAST_PLANS[0][0] is rules:
        plans = _LAST_PLANS[0][1]
    else:
        plans = rules.memo("credit plans")
        _LAST_PLANS[:] = [(rules, plans)]
    plan = plans.get(present)
    if plan is None:
        enable: dict[str, list[int]] = {r.id: [] for r in rules.credit_always}
        todo: dict[str, Rule] = {r.id: r for r in rules.credit_always}
        index = dict(rules.credit_index)
        for i, trigger in enumerate(present):
            for r in index[trigger]:
                enable.setdefault(r.id, []).append(i)
                todo[r.id] = r
        order = rules.credit_order
        # an organisation's own rules (an agency, or a non-canonical one that names its IPTC
        # Source: Belga, ANP...) before the generic publishers' rules
        plan = tuple(
            _Step(r, tuple(en), en[0] if len(en) == 1 else -1, r.regex.search, r.reach, r.window,
                  r.needs, bool(r.agency or r.source), r.lead, r.back,
                  r.core.search if r.core is not None else None)
            for r, en in ((todo[rid], enable[rid]) for rid in sorted(
                todo, key=lambda rid: (not (todo[rid].agency or todo[rid].source), order[rid]))))
        if len(plans) < 4096:
            plans[present] = plan
    return plan


def trigger_hits(rules: RuleSet, low: str) -> list[bool]:
    """``t in low`` for every tail trigger ``t`` (``rules.tail_triggers``: the credit triggers
    first, then the end rules' others): which are in the lower-cased tail ``low``, found in one
    pass over it by the rule set's Aho-Corasick automaton (``RuleSet.tail_automaton``)."""
    hits = list(rules.tail_blank)
    automaton = rules.tail_automaton
    if automaton is not None:
        for found in automaton.iter(low):
            i: int = found[1]        # a native int: the list is then set without a generic call
            hits[i] = True
    return hits


def _search(rules: RuleSet, tail: str, base: int, low: str | None = None,
            hits: list[bool] | None = None) -> list[CreditFind]:
    if low is None:
        low = tail.lower()
    found: list[CreditFind] = []
    size = len(tail)
    # which rules can apply, and from where: a credit sits just before or around the last
    # mention of its trigger word, so the search starts a little before it
    # (``in`` is cheaper than ``rfind``, whose arguments are parsed: most triggers are absent)
    if hits is None:
        present = tuple([t for t in rules.credit_triggers if t in low])
    else:
        present = tuple([t for t, hit in zip(rules.credit_triggers, hits) if hit])
    lasts = [low.rfind(t) for t in present]
    settled = False
    ascii_tail = tail.isascii()
    fold = low if ascii_tail else ""     # folded when a rule first needs it
    generic_pos = max(0, size - GENERIC_TAIL)
    rev = ""
    for rule, enabled_by, only, search, reach, window, needs, own, lead, back, core in \
            _plan(rules, present):
        if settled and not own:
            # an agency's own credit already ends the caption: the generic publishers' rules
            # could only repeat it
            break
        if only >= 0:
            pos = lasts[only] - reach
        elif not enabled_by:
            pos = generic_pos
        else:
            pos = min([lasts[i] for i in enabled_by]) - reach
        if pos < 0:
            pos = 0
        if window and pos < size - window:
            pos = size - window
        if needs:
            # a literal every match contains is missing after ``pos``: the search would fail
            if ascii_tail:
                for lit in needs:
                    if fold.find(lit, pos) < 0:
                        break
                else:
                    lit = ""
                if lit:
                    continue
            else:
                if not fold:
                    fold = fold_for_needs(tail)
                for lit in needs:
                    if lit not in fold:
                        break
                else:
                    lit = ""
                if lit:
                    continue
        if core is not None or lead:
            # no match starts before the run of the characters a match may hold before its
            # literal (or its name's end), the run that ends at the literal's first occurrence
            # (at the first match of what must follow the name)
            if core is not None:
                c = core(tail, pos)
                if c is None:
                    continue
                k = c.start()
            else:
                k = tail.find(lead, pos)
                if k < 0:
                    continue
            if back is None:
                pos = k
            else:
                if not rev:
                    rev = tail[::-1]
                run = back.match(rev, size - k)
                start = k - (run.end() - (size - k)) if run is not None else k
                if start > pos:
                    pos = start
        m = search(tail, pos)
        n = 0
        while m is not None and n < _MAX_REPEAT:
            hit = _resolve(rule, m, rules, base)
            end = m.end()
            if hit is not None:
                found.append(hit)
                if own and end >= size - 1 and (hit.photographer is not None
                                                or hit.kind is not None):   # hit.named
                    settled = True
            n += 1
            if end >= size - 2:
                break
            m = search(tail, max(end, m.start() + 1))
    return found


def find_credit(text: str, rules: RuleSet, *, end: int | None = None, low: str | None = None,
                hits: list[bool] | None = None
                ) -> tuple[CreditFind | None, int, list[CreditFind]]:
    """The chosen credit in the tail of ``text[:end]``, where the credit block starts, and all.

    The second value is the offset where the credit block starts (``end`` if none).  ``low``,
    when given, is ``text.lower()`` and as long as ``text`` (the caller's lower-cased ASCII
    text), so the tail need not be lower-cased again.  ``hits``, when given, is
    :func:`trigger_hits` of the lower-cased tail this call searches (the caller's, shared with
    the end rules' trigger tests).
    """
    end = len(text) if end is None else end
    base = max(0, end - TAIL)
    found = _search(rules, text[base:end], base, low[base:end] if low is not None else None,
                    hits)
    if not found:
        return None, end, []
    if len(found) == 1:
        # the common case: one match is the block (if chained to the end) and the credit
        f = found[0]
        if f.end >= end or _FILLER.match(text[f.end:end]) is not None:
            return f, min(end, f.start), found
        return f, end, found
    cut = end
    for f in sorted(found, key=lambda f: (-f.end, f.start)):
        if f.end >= cut or _FILLER.match(text[f.end:cut]) is not None:
            cut = min(cut, f.start)
    block = [f for f in found if f.start >= cut] or found
    # overlapping matches are one credit: keep the longest (then the higher priority, named)
    block.sort(key=lambda f: (f.start, -(f.end - f.start)))
    credits: list[CreditFind] = []
    reach = -1
    for f in block:
        if credits and f.start < reach:
            cur = credits[-1]
            if (f.end - f.start, f.rule.priority, f.named) > \
                    (cur.end - cur.start, cur.rule.priority, cur.named):
                credits[-1] = f
            reach = max(reach, f.end)
            continue
        credits.append(f)
        reach = f.end
    best = next((c for c in credits if c.named), credits[0])
    if best.kind == "person" and best.photographer is not None:
        # a reseller's copy of the same credit printed after it ("(Photo by X / AFP) (Photo by
        # X/AFP via Getty Images)"): the rightmost copy is the one the picture came with
        same = best.photographer.casefold()
        for c in credits:
            if (c.start > best.start and c.kind == "person" and c.photographer is not None
                    and c.photographer.casefold() == same):
                best = c

    if best.agency is None:
        donor = next((c for c in credits if c.agency), None)
        if donor is not None:
            best = best._replace(agency=donor.agency, source=donor.source)
    return best, cut, found
