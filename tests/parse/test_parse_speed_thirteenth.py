"""The thirteenth speed session's shortcuts in ``dates`` give what the slow paths give
(docs/notes/parser.md, "Thirteenth speed session: dates").

* a date match's form read from ``lastindex`` (``dates._FORM_OF``) is the form its groups read
  by name give;
* ``_BEFORE_YEAR_AFTER_LOW`` searched on ``" " + window`` finds the groups
  ``_BEFORE_YEAR_LOW`` finds in the window;
* ``_date_matches`` with ``low`` (the word before the first only read when the first is "de")
  finds the matches of the plain loop over the digit runs, reading both words before each;
* ``_infer_year`` reading lower case from ``low`` gives what it gives lower-casing each window;
* ``find_date`` gives the same record with and without ``low`` (with it, a month group is
  looked up in ``MONTHS`` as it stands).

Checked on the corpus, the rule examples, seeded recombinations of them, and seeded texts made
of month words, "de", numbers and separators.
"""

from __future__ import annotations

import datetime as dt
import random
import re

from captions.parse import dates
from captions.parse.dates import MONTHS

from ._mixes import mixed_texts

_NAMES = ("d1", "m1", "y1", "m2", "d2", "y2", "y3", "m3", "d3", "d4", "m4", "y4", "d5", "m5",
          "m6", "y6")


def _date_texts(seed: int, count: int) -> list[str]:
    """Texts of month words (any case), "de"/"del", weekdays, numbers, years and separators."""
    rnd = random.Random(seed)
    words = list(MONTHS) + ["de", "del", "De", "DE", "on", "Sunday", "lundi", "x", "vide",
                            "abcdefghijklmde", "Mayde"]
    pieces = words + ["4", "04", "12", "31", "2024", "1999", "2016-02-04", "04.02.2016", "4.",
                      "12th", "1er", "-11-12", "05", "123456"]
    seps = [" ", "  ", ". ", ", ", ".", ",", "\t", "\n", "-", "", " de ", "/"]
    out = []
    for _ in range(count):
        parts = []
        for _ in range(rnd.randrange(1, 9)):
            w = rnd.choice(pieces)
            parts.append(w.upper() if rnd.random() < 0.2 else w)
            parts.append(rnd.choice(seps))
        out.append("".join(parts))
    return out


def _texts() -> list[str]:
    return [t for t in mixed_texts(13, 3000) + _date_texts(13, 6000)]


def _slow_date_matches(text: str, start: int, end: int, low: str) -> list[re.Match[str]]:
    """The loop before the session: both words before each digit run read."""
    out: list[re.Match[str]] = []
    covered = start
    for ds, de in dates._digit_runs(text, start, end, low):
        if ds < covered:
            continue
        floor = max(start, covered)
        w1, word1 = dates._word_before(low, ds, floor)
        if w1 < ds:
            w2, word2 = dates._word_before(low, w1, floor)
            if w2 < w1 and word2 in MONTHS:
                m = dates._DATE_LOW.match(low, w2, end)
                if m is not None and m.end() >= de:
                    out.append(m)
                    covered = m.end()
                    continue
            if word1 in MONTHS:
                m = dates._DATE_LOW.match(low, w1, end)
                if m is not None and m.end() >= de:
                    out.append(m)
                    covered = m.end()
                    continue
        m = dates._DATE_LOW.match(low, ds, end)
        if m is not None and m.end() >= de:
            out.append(m)
            covered = m.end()
    return out


def test_form_of_lastindex_is_the_form_of_the_named_groups() -> None:
    seen = set()
    for text in _texts():
        for rx, src in ((dates._DATE_RX, text), (dates._DATE_LOW, text.lower())):
            for m in rx.finditer(src):
                named = m.groupdict()
                if named["y1"]:
                    form = 1
                elif named["m2"]:
                    form = 2
                elif named["y3"]:
                    form = 3
                elif named["y4"]:
                    form = 4
                elif named["m5"]:
                    form = 5
                else:
                    form = 6
                assert dates._FORM_OF[m.lastindex or 0] == form, (m.group(), m.lastindex)
                assert m.groups() == tuple(named[n] for n in _NAMES)
                if rx is dates._DATE_LOW:
                    # find_date reads a month group of the lower-cased text from MONTHS as is
                    for month in m.group("m1", "m2", "m5", "m6"):
                        if month is not None:
                            assert MONTHS.get(month) == dates._month(month) is not None, month
                seen.add(form)
    assert seen == {1, 2, 3, 4, 5, 6}


def test_before_year_after_a_blank_finds_the_same_groups() -> None:
    found = 0
    for text in _texts():
        if not text.isascii():
            continue
        low = text.lower()
        for y in dates._YEAR_RX.finditer(text):
            for back in (8, 16, 24):
                window = low[max(0, y.start() - back):y.start()]
                slow = dates._BEFORE_YEAR_LOW.search(window)
                fast = dates._BEFORE_YEAR_AFTER_LOW.search(" " + window)
                assert (slow is None) == (fast is None), window
                if slow is not None and fast is not None:
                    assert slow.groups() == fast.groups(), window
                    found += 1
    assert found > 100


def test_date_matches_with_low_are_the_plain_loop() -> None:
    compared = 0
    for text in _texts():
        if not text.isascii():
            continue
        low = text.lower()
        for start in (0, len(text) // 3):
            fast = [(m.span(), m.groups()) for m in dates._date_matches(text, start, len(text), low)]
            slow = [(m.span(), m.groups()) for m in _slow_date_matches(text, start, len(text), low)]
            assert fast == slow, text
            compared += len(fast)
    assert compared > 1000


def test_word_before_low_is_word_before() -> None:
    for text in _texts()[::3]:
        if not text.isascii():
            continue
        low = text.lower()
        for pos in range(0, len(low), 3):
            for floor in (0, pos // 2):
                assert dates._word_before_low(low, pos, floor) == dates._word_before(low, pos, floor)


def test_infer_year_and_find_date_with_low_give_the_same() -> None:
    refs = (None, dt.date(2024, 5, 3))
    inferred = 0
    for text in _texts():
        if not text.isascii():
            continue
        low = text.lower()
        for ref in refs:
            assert dates.find_date(text, reference_date=ref) == \
                dates.find_date(text, reference_date=ref, low=low)
        for y in dates._YEAR_RX.finditer(text):
            after = max(0, y.start() - 30)
            for month, day in ((2, 4), (11, 12), (5, 5)):
                for ref in refs:
                    plain = dates._infer_year(month, day, text, after, ref)
                    assert dates._infer_year(month, day, text, after, ref, low) == plain
                    assert dates._infer_year(month, day, text, after, ref,
                                             low[:y.start()]) == plain
                    inferred += plain[0] is not None
    assert inferred > 1000
