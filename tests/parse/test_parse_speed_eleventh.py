"""The eleventh speed session's shortcuts give what the slow paths give
(docs/notes/parser.md, "Eleventh speed session").

* ``location._rule_starts``: the place start scan's starts split by phrase pattern, read from
  the first two characters at each start (``_LEADS``): every start of the scan where a pattern
  matches is kept for it, and each pattern tried only at its own starts finds what it found
  tried at every start.
* ``dateline.find_dateline``: start dateline rules with the same triggers have their triggers
  looked for once a head, and a rule without triggers is tried only when the head holds the
  marks every match of it holds (``schema.required_marks``): the dateline found is the one
  found testing each rule's own triggers and trying every rule; ``find_dateline_end`` tries
  an end rule only when the tail holds its marks: the same end datelines.

Checked on the corpora, the rule examples, seeded recombinations of them, and phrases built
from every leading word of the four patterns.
"""

from __future__ import annotations

import random

from captions.agencies import RuleSet, load_rules, schema
from captions.parse import dateline, location

from ._mixes import mixed_texts


_PLACES = ["Kherson", "Lalibela, northern Ethiopia", "Saint-Martin-Vésubie", "Agen",
           "Zahara de la Sierra", "Doha", "Gaza City, Gaza Strip", "Letna Stadium in Prague",
           "al-Bireh", "N.H.", "St. Louis (Missouri)", "Ukraine", "Élancourt"]


def _texts(seed: int, mixes: int, phrases: bool = True) -> list[str]:
    texts = mixed_texts(seed, mixes)
    if not phrases:
        return texts
    # every leading word the patterns are built from, before a place, a modifier, a link
    leads = (location.words(location._PREP) + ["près d'", "près d’", "d'", "d’"] +
             [w for k in location._KIND_WORDS for w in (k, k[0].upper() + k[1:])] +
             [w + e + " of" for w in location.words(location._DIR) +
              location.words(location._DIR.title()) for e in ("", "ern")] +
             [w + " de" for w, _tail in location._DIR_OTHER] +
             [w + " di" for w, _tail in location._DIR_OTHER] +
             [w + " von" for w, _tail in location._DIR_OTHER] +
             ["of", "de", "du", "des", "di", "von"])
    for lead in leads:
        for place in _PLACES:
            for mod in ("", "the ", "northern ", "war-torn old "):
                sep = "" if lead.endswith(("'", "’")) else " "
                for before in ("", "A man ", "(", "Photo-", "x"):
                    texts.append(f"{before}{lead}{sep}{mod}{place}, on Monday.")
                    texts.append(f"{before}{lead}{sep}of {mod}{place}")
                    texts.append(f"{before}{lead.replace(' ', chr(9))}{sep and chr(9)}{place}")
    return texts


def _bodies() -> list[str]:
    out = []
    for text in _texts(11, 4000):
        body = text[:location.BODY_LIMIT]
        out.append(body)
        if body.isupper():
            out.append(location._uncap(body))
    return out


def test_rule_starts_keep_every_start_of_their_pattern() -> None:
    checked = 0
    for body in _bodies():
        scan = location._RX_STARTS_ASCII if body.isascii() else location._RX_STARTS
        starts = [m.start() for m in scan.finditer(" " + body)]
        by_rule = location._rule_starts(body, starts)
        assert len(by_rule) == len(location._RULES)
        for (rx, _named, _weak), mine in zip(location._RULES, by_rule):
            assert set(mine) <= set(starts)
            for s in starts:
                if rx.match(body, s) is not None:
                    assert s in mine, (rx.pattern[:40], body, s)
                    checked += 1
            got = [(m.span(), m.groupdict()) for m in location._phrase_matches(rx, body, mine)]
            # what the pattern found tried at every start of the scan (before this session)
            assert got == [(m.span(), m.groupdict())
                           for m in location._phrase_matches(rx, body, starts)]
    assert checked > 5000


def test_leads_are_the_first_two_characters_of_the_leading_words() -> None:
    # one-letter words: with the blank or apostrophe their pattern puts after them
    assert {w for w in location.words(location._PREP) if len(w) == 1} == {"a", "i", "à"}
    assert location._LEADS["in"] == 2 and location._LEADS["to"] == 1 | 2   # town, towards
    assert location._LEADS["a "] == 2 | 4 and location._LEADS["d'"] == 8
    assert location._LEADS["no"] == 2 | 4 and location._LEADS["pr"] == 2   # nord for; près
    assert "th" in location._LEADS and "an" not in location._LEADS     # through; "and"


def _find_dateline_slow(text: str, pos: int, rules: RuleSet) -> dateline.DatelineFind | None:
    """``find_dateline`` as it was: every rule's triggers looked for in the head, rule by rule."""
    head = text[pos:pos + dateline.HEAD]
    low = head.lower()
    for rule in rules.datelines:
        if rule.triggers and not any(t in low for t in rule.triggers):
            continue
        m = rule.regex.match(head)
        if m is None:
            continue
        found = dateline._resolve(rule, m, text, pos + m.end(), pos, pos + m.end(), rules, None)
        if found is not None:
            return found
    return None


def test_shared_dateline_triggers_find_the_same_datelines() -> None:
    rules = load_rules()
    plan = dateline._plan(rules.datelines)
    assert [step.triggers for step in plan] == [r.triggers for r in rules.datelines]
    for one in plan:
        for other in plan:
            if one.triggers and other.triggers:
                assert (one.group == other.group) == (one.triggers == other.triggers)
    found = 0
    rnd = random.Random(5)
    for text in _texts(7, 3000):
        for pos in {0, rnd.randrange(len(text) + 1)}:
            got = dateline.find_dateline(text, pos, rules)
            assert got == _find_dateline_slow(text, pos, rules), text
            found += got is not None
    assert found > 300


def test_required_marks_are_in_every_match() -> None:
    rules = load_rules()
    every = [r for f in rules.files for r in f.rules]
    marked = [(r, schema.required_marks(r.regex.pattern, r.regex.flags)) for r in every]
    assert dict((r.id, m) for r, m in marked)["shutterstock-title-line"] == "\n,-"
    assert schema.required_marks(r"a(?:,|;)b[-]c(?=x\n)(?<=:)d?e*(?:f\.)+") == "-\n."
    matched = 0
    for text in _texts(3, 3000, phrases=False):
        for rule, marks in marked:
            if not marks:
                continue
            m = rule.regex.search(text)
            if m is not None:
                matched += 1
                assert all(c in text[m.start():] for c in marks), (rule.id, text)
    assert matched > 100


def _find_dateline_end_slow(text: str, start: int, end: int,
                            rules: RuleSet) -> dateline.DatelineFind | None:
    """``find_dateline_end`` as it was: every end rule searched."""
    base = max(start, end - dateline.HEAD)
    tail = text[base:end]
    for rule in rules.datelines_end:
        m = rule.regex.search(tail)
        if m is None or m.end() != len(tail):
            continue
        found = dateline._resolve(rule, m, text, end, base + m.start(), end, rules, None)
        if found is not None:
            return found
    return None


def test_end_dateline_marks_find_the_same_datelines() -> None:
    rules = load_rules()
    assert [r for r, _marks in dateline._end_plan(rules.datelines_end)] == \
        list(rules.datelines_end)
    found = 0
    rnd = random.Random(9)
    for text in _texts(13, 3000):
        start = rnd.randrange(len(text) + 1)
        for s, e in ((0, len(text)), (start, rnd.randrange(start, len(text) + 1))):
            got = dateline.find_dateline_end(text, s, e, rules)
            assert got == _find_dateline_end_slow(text, s, e, rules), text
            found += got is not None
    assert found > 20
