"""Dates in caption text: English, French, Spanish, German and Italian, full or partial.

Handled forms (case-insensitive; a weekday before any of them is skipped):

* ``04 February 2016``, ``4 février 2016``, ``4 de febrero de 2016``, ``4. Februar 2016``
* ``February 4, 2016``, ``Feb. 4, 2016``, ``Sept. 29, 2005``, ``JANUARY 19, 2002``
* ``2016-02-04`` and ``04.02.2016`` (day first)
* ``Feb. 28`` / ``28 February`` without a year: the year comes from a later year printed in the
  caption, else from ``reference_date``; else the date stays unknown, with a warning
* ``June 2024``, ``juin 2024``: a month-precision date
* ``yesterday``, ``today``, ``on Thursday`` (and their French, Spanish, German, Italian forms): only
  resolved against ``reference_date``; without one they give a warning, never the clock.

>>> import datetime
>>> find_date("Rally in Paris on February 4, 2016. AFP").date.isoformat()
'2016-02-04'
>>> find_date("Protest on Thursday", reference_date=datetime.date(2024, 5, 3)).date.isoformat()
'2024-05-02'
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
import string
from typing import Any, Final, NamedTuple

from ..errors import ParseError
from ..model import PartialDate
from .wordtrie import trie

__all__ = ["DateFind", "find_date", "find_taken_date", "parse_date_text", "MONTHS", "WEEKDAYS"]

#: month word (lower case, no trailing dot, accents kept and stripped) -> month number
MONTHS: Final[dict[str, int]] = {}
#: English, French, Spanish, German, Italian, Dutch, Swedish/Danish/Norwegian, Portuguese
_MONTH_WORDS: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "janvier", "janv", "enero", "ene", "januar", "jänner", "jaenner",
        "gennaio", "januari", "janeiro"),
    2: ("february", "feb", "febr", "février", "fevrier", "févr", "fevr", "fév", "fev", "febrero",
        "februar", "febbraio", "februari", "fevereiro"),
    3: ("march", "mar", "mars", "marzo", "märz", "maerz", "mär", "mrz", "maart", "marts", "março",
        "marco"),
    4: ("april", "apr", "avril", "avr", "abril", "abr", "aprile"),
    5: ("may", "mai", "mayo", "maggio", "mei", "maj", "maio"),
    6: ("june", "jun", "juin", "junio", "juni", "giugno", "junho"),
    7: ("july", "jul", "juillet", "juil", "julio", "juli", "luglio", "julho"),
    8: ("august", "aug", "août", "aout", "agosto", "ago", "augustus", "augusti"),
    9: ("september", "sep", "sept", "septembre", "septiembre", "setiembre", "set",
        "settembre", "setembro"),
    10: ("october", "oct", "octobre", "octubre", "oktober", "okt", "ottobre", "outubro"),
    11: ("november", "nov", "novembre", "noviembre", "novembro"),
    12: ("december", "dec", "décembre", "decembre", "déc", "diciembre", "dic", "dezember", "dez",
         "dicembre", "dezembro"),
}
for _num, _words in _MONTH_WORDS.items():
    for _w in _words:
        MONTHS[_w] = _num

#: weekday word -> Monday=0 ... Sunday=6
WEEKDAYS: Final[dict[str, int]] = {}
_WEEKDAY_WORDS: dict[int, tuple[str, ...]] = {
    0: ("monday", "mon", "lundi", "lunes", "montag", "lunedì", "lunedi"),
    1: ("tuesday", "tue", "tues", "mardi", "martes", "dienstag", "martedì", "martedi"),
    2: ("wednesday", "wed", "mercredi", "miércoles", "miercoles", "mittwoch", "mercoledì",
        "mercoledi"),
    3: ("thursday", "thu", "thur", "thurs", "jeudi", "jueves", "donnerstag", "giovedì",
        "giovedi"),
    4: ("friday", "fri", "vendredi", "viernes", "freitag", "venerdì", "venerdi"),
    5: ("saturday", "sat", "samedi", "sábado", "sabado", "samstag", "sonnabend", "sabato"),
    6: ("sunday", "sun", "dimanche", "domingo", "sonntag", "domenica"),
}
for _num, _words in _WEEKDAY_WORDS.items():
    for _w in _words:
        WEEKDAYS[_w] = _num

#: relative day words -> offset in days from the reference date
RELATIVE: Final[dict[str, int]] = {
    "today": 0, "yesterday": -1, "aujourd'hui": 0, "hier": -1, "hoy": 0, "ayer": -1,
    "heute": 0, "gestern": -1, "oggi": 0, "ieri": -1, "tonight": 0, "this morning": 0, "this afternoon": 0,
    "this evening": 0, "last night": -1,
}

#: named days on a fixed date -> (month, day): "on Christmas Eve" reads like "on Dec. 24", its
#: year from a later year in the caption or from ``reference_date``
NAMED_DAYS: Final[dict[str, tuple[int, int]]] = {
    "christmas eve": (12, 24), "christmas day": (12, 25), "boxing day": (12, 26),
    "new year's eve": (12, 31), "new year’s eve": (12, 31), "new year's day": (1, 1),
    "new year’s day": (1, 1), "valentine's day": (2, 14), "valentine’s day": (2, 14),
    "halloween": (10, 31), "bastille day": (7, 14), "heiligabend": (12, 24),
}


def _alt(words: list[str]) -> str:
    """An alternation of ``words`` as a prefix tree (longer words first, like ``a|b`` sorted
    longest first; much quicker under IGNORECASE, which tries every branch)."""
    return trie([(w, "") for w in words])


_MON = rf"(?:{_alt(list(MONTHS))})"
_WD_FULL = [w for w in WEEKDAYS if len(w) > 3 or w in {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}]
_WD = rf"(?:{_alt(_WD_FULL)})"
_D = r"(?:[012]?\d|3[01])"
_Y = r"(?:1[89]\d\d|20\d\d)"
_B = r"(?<![\w])"   # left word boundary that also works before accented letters
_E = r"(?![\w])"

_DATE_RX: Final = re.compile(
    rf"""
    {_B}(?:
      (?P<d1>{_D})(?:st|nd|rd|th|er|\.)?[ \t]*(?:de[ \t]+)?(?P<m1>{_MON})\.?,?[ \t]*(?:de[ \t]+|del[ \t]+)?(?P<y1>{_Y}){_E}
    | (?P<m2>{_MON})\.?[ \t]+(?P<d2>{_D})(?:st|nd|rd|th)?{_E}(?:,?[ \t]*(?P<y2>{_Y}){_E})?
    | (?P<y3>{_Y})-(?P<m3>[01]\d)-(?P<d3>[0-3]\d){_E}
    | (?P<d4>{_D})\.(?P<m4>[01]?\d)\.(?P<y4>{_Y}){_E}
    | (?P<d5>{_D})(?:st|nd|rd|th|er|\.)?[ \t]+(?:de[ \t]+)?(?P<m5>{_MON}){_E}
    | (?P<m6>{_MON})\.?,?[ \t]+(?:de[ \t]+)?(?P<y6>{_Y}){_E}
    )
    """,
    re.IGNORECASE | re.VERBOSE,
)
#: a weekday printed alone after a comma, as AP writes it ("in Paragould, Ark., Sunday."):
#: the whole word (no "Sun", "Sat"), then the end of the clause or a part of the day
_WD_LONG = [w for w in _WD_FULL if len(w) >= 5]
_REL_BODY = (rf"(?P<m>(?:(?P<rel>{_alt(list(RELATIVE))})|(?:on|this|last|le|el|am|este|ce|questo|"
             rf"diesen|pasado|scorso)[ \t]+(?P<wd>{_WD})"
             rf"|(?<=,[ \t])(?P<wd2>{_alt(_WD_LONG)})(?=(?:[ \t]+(?:morning|afternoon|evening|"
             rf"night))?[ \t]*(?:[.,;)]|$))){_E})")
_REL_RX: Final = re.compile(rf"{_B}{_REL_BODY}", re.IGNORECASE)
#: the same after a consumed non-word character (``(?<![\w])`` at the text's start): a
#: character class first lets ``re`` skip to candidates in C, where the lookbehind made it
#: try every position; the class is outside the IGNORECASE part (no case to fold in ``\w``)
_REL_AFTER: Final = re.compile(rf"[^\w](?i:{_REL_BODY})")
#: a year (:data:`_Y`) at a word start: each branch starts with a digit (the lookbehind
#: ``(?<![\w].)`` after it looks at the character before it), so ``re`` skips to ``1``/``2``
_YEAR_RX: Final = re.compile(r"((?:1(?<![\w].)[89]|2(?<![\w].)0)\d\d)" + _E)
_NAMED_RX: Final = re.compile(rf"{_B}(?:on|am)[ \t]+(?P<n>{_alt(list(NAMED_DAYS))}){_E}", re.IGNORECASE)
#: the same patterns without IGNORECASE, for ASCII text lower-cased (``low``): every letter of
#: them is lower case, and an ASCII character matches a letter under IGNORECASE exactly when
#: its lower case is that letter (no other character folds to an ASCII one in ASCII text), so
#: they match the lower-cased text where the originals match the text, with the same spans.
#: Without IGNORECASE ``re`` skips an alternation's branches by their first letter (under it,
#: it enters every branch).  ``tests/parse/test_parse_speed_ninth.py`` compares both.
_DATE_LOW: Final = re.compile(_DATE_RX.pattern, re.VERBOSE)
_REL_LOW: Final = re.compile(_REL_RX.pattern)
_REL_AFTER_LOW: Final = re.compile(rf"[^\w]{_REL_BODY}")
_NAMED_LOW: Final = re.compile(_NAMED_RX.pattern)
#: :data:`_DATE_RX`'s form (its branch, 1-6) by the match's ``lastindex``: the index of the
#: last group of the branch that matched (groups 1-3, 4-6 with its year optional, 7-9,
#: 10-12, 13-14, 15-16); ``tests/parse/test_parse_speed_thirteenth.py`` checks it against the
#: groups read by name
_FORM_OF: Final[tuple[int, ...]] = (0, 0, 0, 1, 0, 2, 2, 0, 0, 3, 0, 0, 4, 0, 5, 0, 6)
#: ASCII text as bytes through this table: digits become ``0``, every other byte a space, so
#: the runs of digits are found with ``find`` (``memchr``) rather than a pattern scan
_DIGIT_MAP: Final = bytes(48 if 48 <= i <= 57 else 32 for i in range(256))
#: runs of digits; a character class first lets ``re`` skip to the next digit in C (``\d+``
#: tries a match at every position), and ASCII text needs no Unicode digit test
_DIGITS: Final = re.compile(r"\d\d*")
_ASCII_DIGITS: Final = re.compile(r"[0-9][0-9]*")
_ASCII_LETTERS: Final = string.ascii_letters
_ASCII_LOWER: Final = string.ascii_lowercase
#: most digit runs looked at per caption (bounded work on absurd inputs)
_MAX_DIGIT_RUNS: Final = 60


def _word_before(text: str, pos: int, floor: int) -> tuple[int, str]:
    """Start and letters of the word before ``pos``, skipping up to 3 separators (". ", ", ").

    ``(pos, "")`` when there is none.  Nothing before ``floor`` is looked at; the word is its
    last 12 letters at most.  String methods on short slices, not a loop per character (an
    ASCII letter is exactly what ``str.isalpha`` accepts among ASCII characters).
    """
    lo = max(floor, pos - 3)
    i = lo + len(text[lo:pos].rstrip(" \t.,"))
    lo = max(floor, i - 12)
    window = text[lo:i]
    if window.isascii():
        j = lo + len(window.rstrip(_ASCII_LETTERS))
    else:
        j = i
        while j > lo and text[j - 1].isalpha():
            j -= 1
    return (j, text[j:i]) if j < i else (pos, "")


def _word_before_low(low: str, pos: int, floor: int) -> tuple[int, str]:
    """:func:`_word_before` in ASCII text lower-cased (no test for other letters; the up to
    3 separators skipped by a loop over characters, a compiled primitive, not a slice and a
    ``rstrip`` call)."""
    lo = max(floor, pos - 3)
    i = pos
    while i > lo and low[i - 1] in " \t.,":
        i -= 1
    lo = max(floor, i - 12)
    j = lo + len(low[lo:i].rstrip(_ASCII_LOWER))
    return (j, low[j:i]) if j < i else (pos, "")


def _digit_runs(text: str, start: int, end: int, low: str | None) -> list[tuple[int, int]]:
    """The spans of the runs of digits in ``text[start:end]``, at most :data:`_MAX_DIGIT_RUNS`
    (``\\d`` in any text; ASCII digits in ASCII text, the case when ``low`` is given)."""
    out: list[tuple[int, int]] = []
    if low is None:
        digits = _ASCII_DIGITS if text.isascii() else _DIGITS
        for d in digits.finditer(text, start, end):
            if len(out) >= _MAX_DIGIT_RUNS:
                break
            out.append((d.start(), d.end()))
        return out
    # (back to ``str``: its ``find`` is a compiled primitive, ``bytes.find`` a method call)
    marks = text[start:end].encode("ascii").translate(_DIGIT_MAP).decode("ascii")
    size = len(marks)
    i = marks.find("0")
    while i >= 0 and len(out) < _MAX_DIGIT_RUNS:
        j = marks.find(" ", i)
        if j < 0:
            j = size
        out.append((start + i, start + j))
        i = marks.find("0", j)
    return out


def _date_matches(text: str, start: int, end: int, low: str | None = None
                  ) -> list[re.Match[str]]:
    """The date expressions in ``text[start:end]``, in order.

    Every date form holds a number, so the (slow) date pattern is only tried just before and
    at each run of digits, not at every character.  Before the digits, only at a month word:
    a date starting with a word starts with a month followed by ".", ",", a space or a tab,
    so the word's whole run of letters is that month; an ASCII word matches a month under
    IGNORECASE exactly when its lower case is one (other words are left to the pattern).
    ``low``, when given, is ASCII ``text`` lower-cased (at least up to ``end``): the matches
    are then :data:`_DATE_LOW`'s in it (same spans; their groups read lower case).
    """
    out: list[re.Match[str]] = []
    covered = start
    rx = _DATE_RX
    src = text
    if low is not None:
        rx = _DATE_LOW
        src = low
    for ds, de in _digit_runs(text, start, end, low):
        if ds < covered:
            continue
        floor = max(start, covered)
        # the word right before the digits and the one before it, tried first to last (a
        # date starting with a word starts with a month: other ASCII words are skipped)
        # (with ``low``, the words are read there: ASCII, already lower case)
        # (with ``low``, the word before the first is only read when the first is "de": a
        # match at a month there reaches past the first word only through "de", in
        # "febrero de 2016"; elsewhere it ends before the digits and is not kept)
        if low is not None:
            w1, word1 = _word_before_low(low, ds, floor)
        else:
            w1, word1 = _word_before(text, ds, floor)
        if w1 < ds:
            if low is None or word1 == "de":
                w2, word2 = _word_before(src, w1, floor) if low is None else \
                    _word_before_low(low, w1, floor)
            else:
                w2, word2 = w1, ""
            if w2 < w1 and ((word2 in MONTHS) if low is not None else
                            (not word2.isascii() or word2.lower() in MONTHS)):
                m = rx.match(src, w2, end)
                if m is not None and m.end() >= de:
                    out.append(m)
                    covered = m.end()
                    continue
            if (word1 in MONTHS) if low is not None else \
                    (not word1.isascii() or word1.lower() in MONTHS):
                m = rx.match(src, w1, end)
                if m is not None and m.end() >= de:
                    out.append(m)
                    covered = m.end()
                    continue
        m = rx.match(src, ds, end)
        if m is not None and m.end() >= de:
            out.append(m)
            covered = m.end()
    return out


#: month words that are also common words: only trusted with a day number next to them
_WEAK_MONTHS: Final = frozenset({"mar", "may", "mai", "set", "ago", "sun", "jun", "jul", "dez"})


class DateFind(NamedTuple):
    """The date found in a caption, where it was, and what went wrong on the way (a plain
    tuple: an attrs record's ``__init__`` runs as bytecode even in the compiled build)."""

    date: PartialDate | None
    start: int = -1
    end: int = -1
    warnings: tuple[str, ...] = ()


#: ``tuple.__new__``: what a NamedTuple's generated ``__new__`` calls, with its fields as one
#: tuple.  Called directly it makes the same record without running that ``__new__`` as
#: bytecode (~2,000 instructions a record in the compiled build)
TUPLE_NEW: Any = tuple.__new__


def _date_find(date: PartialDate | None, start: int, end: int,
               warnings: tuple[str, ...]) -> DateFind:
    """``DateFind(date, start, end, warnings)``, through :data:`TUPLE_NEW`."""
    found: DateFind = TUPLE_NEW(DateFind, (date, start, end, warnings))
    return found


def _month(word: str) -> int | None:
    return MONTHS.get(word.lower().rstrip("."))


@functools.lru_cache(maxsize=4096)
def _make(year: int, month: int | None, day: int | None) -> PartialDate | None:
    try:
        return PartialDate(year, month, day)
    except ParseError:
        return None


#: a year printed right after a day and month ("on Christmas Eve, 2024", "on May 5,\n2024")
_NEXT_YEAR: Final = re.compile(r"[ \t]*,?\s*((?:1[89]|20)\d\d)(?![\w])")


#: what :data:`_DATE_RX`'s full forms print before their year, up to it ("November 12, ",
#: "12 de noviembre de ", "12.11."), for a year found by :data:`_YEAR_RX`; and the rest of an
#: ISO date after its year ("-11-12")
_BEFORE_YEAR: Final = re.compile(
    rf"""
    {_B}(?:
      (?P<d1>{_D})(?:st|nd|rd|th|er|\.)?[ \t]*(?:de[ \t]+)?(?P<m1>{_MON})\.?,?[ \t]*(?:de[ \t]+|del[ \t]+)?
    | (?P<m2>{_MON})\.?[ \t]+(?P<d2>{_D})(?:st|nd|rd|th)?,?[ \t]*
    | (?P<d4>{_D})\.(?P<m4>[01]?\d)\.
    )$
    """,
    re.IGNORECASE | re.VERBOSE,
)
#: the same for ASCII text lower-cased (see :data:`_DATE_LOW`)
_BEFORE_YEAR_LOW: Final = re.compile(_BEFORE_YEAR.pattern, re.VERBOSE)
#: the same searched on ``" " + window``: a consumed non-word character first (where
#: :data:`_B` looked behind: the blank stands for the window's start) lets ``re`` skip to
#: candidates in C, where the lookbehind made it try every position; the same groups
_BEFORE_YEAR_AFTER_LOW: Final = re.compile(r"[^\w]" + _BEFORE_YEAR.pattern.strip()[len(_B):],
                                    re.VERBOSE)
_ISO_REST: Final = re.compile(r"-([01]\d)-([0-3]\d)(?![\w])")


def _infer_year(month: int, day: int, text: str, after: int,
                reference_date: _dt.date | None,
                low: str | None = None) -> tuple[int | None, str | None]:
    """The year of a day and month printed without one ("NOVEMBER 12:", "on Feb. 28").

    A year printed right after it; else the year of a full date of the same day and month in
    the next 300 characters ("NOVEMBER 12: ... on November 12, 2025"); else ``reference_date``'s
    year (the year before when that puts the date more than 31 days after it); else the year
    of another full date in those 300 characters.  A bare number is never a year here ("the
    2026 budget", "a 2024 model"): it may name anything.  ``low``, when given, is ASCII
    ``text`` lower-cased up to some point (read where it reaches).
    """
    other: int | None = None
    limit = min(len(text), after + 300)
    size = len(text)
    low_size = len(low) if low is not None else -1
    printed_day = str(day)
    # each year printed there, read as the end of a full date or not: one short search before
    # it, anchored at the year (or an ISO date's rest after it); the full date pattern over
    # the whole stretch costs several times more, and Getty datelines are often year-less
    y = _YEAR_RX.search(text, after, limit)
    while y is not None:
        ys, ye = y.span()
        if ys - after <= 3 and _NEXT_YEAR.match(text, after) is not None:
            return int(y.group(1)), None     # "on Christmas Eve, 2024": its own year
        mo: int | None
        # (an ISO date's rest starts with "-": the pattern only tried there)
        iso = _ISO_REST.match(text, ye) if ye < size and text[ye] == "-" else None
        if iso is not None:
            mo, d = int(iso.group(1)), int(iso.group(2))
        else:
            lo = max(after, ys - 24)
            window = text[lo:ys]
            if reference_date is not None and printed_day not in window:
                # only a date of that day could win over the reference date: not this one
                y = _YEAR_RX.search(text, ye, limit)
                continue
            # the window after a blank, searched from a consumed non-word character (see
            # :data:`_BEFORE_YEAR_AFTER_LOW`); lower case read from ``low`` when it reaches
            if ys <= low_size and low is not None:
                b = _BEFORE_YEAR_AFTER_LOW.search(" " + low[lo:ys])
            elif window.isascii():
                b = _BEFORE_YEAR_AFTER_LOW.search(" " + window.lower())
            else:
                b = _BEFORE_YEAR.search(window)
            if b is None:
                y = _YEAR_RX.search(text, ye, limit)
                continue
            # (the same group numbers in both patterns)
            m2 = b.group(3)
            if m2:
                mo, d = _month(m2), int(b.group(4))
            else:
                m1 = b.group(2)
                if m1:
                    mo, d = _month(m1), int(b.group(1))
                else:
                    mo, d = int(b.group(6)), int(b.group(5))
        if mo == month and d == day:
            return int(y.group(1)), None
        if other is None:
            other = int(y.group(1))
        y = _YEAR_RX.search(text, ye, limit)
    if reference_date is not None:
        year = reference_date.year
        try:
            if _dt.date(year, month, day) > reference_date + _dt.timedelta(days=31):
                year -= 1
        except (ValueError, OverflowError):
            pass
        return (year, None) if year >= 1 else (None, "date before year 1 ignored")
    if other is not None:
        return other, None
    return None, "date without a year and no reference_date: left unknown"


#: a year printed last, after a comma and a place (a capitalised name after a comma or "in",
#: "near", "at"): "near Hawes, North Yorkshire, UK, 2018" (Shutterstock's older layout)
_YEAR_LAST: Final = re.compile(r"(?:,[ \t]*|(?<![\w])(?:in|near|at|outside)[ \t]+)([^\W\d_][^,\n\d]{0,40}?),"
                        r"[ \t]*((?:1[89]|20)\d\d)$")


def _year_printed_last(text: str, start: int, end: int) -> tuple[PartialDate, int, int] | None:
    """A year-only date printed at the very end of ``text[start:end]`` (trailing spaces and a
    full stop aside) after a place (:data:`_YEAR_LAST`); None when there is none."""
    base = max(start, end - 60)
    tail = text[base:end].rstrip(" \t\r\n.")
    if not tail[-1:].isdigit():
        return None
    m = _YEAR_LAST.search(tail)
    if m is None or not m.group(1)[0].isupper():
        return None
    date = _make(int(m.group(2)), None, None)
    return (date, base + m.start(2), base + m.end(2)) if date is not None else None


def parse_date_text(text: str, *, reference_date: _dt.date | None = None) -> PartialDate | None:
    """Parse a short text that holds one date ("MAY 03", "July 3, 2023"); None if none."""
    return find_date(text, reference_date=reference_date).date


_TAKEN_RX: Final = re.compile(r"(?<![\w])(?:picture|photo|image|photograph)s?\s+(?:was\s+|were\s+)?"
                       r"taken\s+(?:on\s+|in\s+)?", re.IGNORECASE)


def find_taken_date(text: str, *, reference_date: _dt.date | None = None,
                    start: int = 0, end: int | None = None,
                    low: str | None = None) -> DateFind | None:
    """The date printed right after "photo taken (on)" / "Picture taken" in ``text[start:end]``
    (the day the picture was made: it wins over any other date, a dateline's filing date
    included); None when there is none.  ``low`` as in :func:`find_date`."""
    if "taken" not in text:
        return None
    end = len(text) if end is None else end
    taken = _TAKEN_RX.search(text, start, end)
    if taken is None:
        return None
    sub = find_date(text, reference_date=reference_date, start=taken.end(),
                    end=min(end, taken.end() + 40), _taken=False, low=low)
    return sub if sub.date is not None and sub.start == taken.end() else None


def find_date(text: str, *, reference_date: _dt.date | None = None,
              start: int = 0, end: int | None = None, _taken: bool = True,
              low: str | None = None) -> DateFind:
    """Find the caption's date in ``text[start:end]``.

    The first date with a day and a year wins; else the first day-and-month date (year
    inferred); else the first month-and-year; else a relative day resolved against
    ``reference_date``.  ``low``, when given, is ``text.lower()`` (the caller's, for ASCII
    text); ASCII text is otherwise lower-cased here up to ``end``: the date patterns then run
    without IGNORECASE (see :data:`_DATE_LOW`), what depends on case read from ``text``.
    """
    end = len(text) if end is None else end
    if low is None and text.isascii():
        low = text[:end].lower()
    if _taken:
        # "Picture taken September 30, 2023": the day the picture was made, whatever came first
        sub = find_taken_date(text, reference_date=reference_date, start=start, end=end, low=low)
        if sub is not None:
            return sub
    best_rank = 9
    best: tuple[PartialDate, int, int] | None = None
    warnings: list[str] = []
    lowered = low is not None
    for m in _date_matches(text, start, end, low):
        # the form is the last group matched (``lastindex``: the groups are not nested, each
        # form's last group closes last; see :data:`_FORM_OF`), its groups read by index from
        # one tuple; with ``low`` they read lower case: a month's first letter is read from
        # ``text``
        # (a month group read from ``low`` is a key of :data:`MONTHS` as it stands: the
        # pattern's month words are its keys, in lower case, without their dot)
        g = m.groups()
        form = _FORM_OF[m.lastindex or 0]
        if form == 1:
            rank, y, d = 0, int(g[2]), int(g[0])
            mo = MONTHS.get(g[1]) if lowered else _month(g[1])
        elif form == 2:
            m2, y2 = g[3], g[5]
            mo, d = MONTHS.get(m2) if lowered else _month(m2), int(g[4])
            if y2:
                rank, y = 0, int(y2)
            else:
                if m2.lower() in _WEAK_MONTHS and not text[m.start(4)].isupper():
                    continue
                rank, y = 1, 0
        elif form == 3:
            rank, y, mo, d = 0, int(g[6]), int(g[7]), int(g[8])
        elif form == 4:
            rank, y, mo, d = 0, int(g[11]), int(g[10]), int(g[9])
        elif form == 5:
            m5 = g[13]
            if m5.lower() in _WEAK_MONTHS and not text[m.start(14)].isupper():
                continue
            rank, y, d = 1, 0, int(g[12])
            mo = MONTHS.get(m5) if lowered else _month(m5)
        else:
            m6 = g[14]
            if m6.lower() in _WEAK_MONTHS and not text[m.start(15)].isupper():
                continue
            rank, y, d = 2, int(g[15]), 0
            mo = MONTHS.get(m6) if lowered else _month(m6)
        if rank >= best_rank or mo is None:
            continue
        if rank == 1:
            year, warn = _infer_year(mo, d, text, m.end(), reference_date, low)
            if year is None:
                if warn and warn not in warnings:
                    warnings.append(warn)
                continue
            y = year
        date = _make(y, mo, d or None)
        if date is None:
            warnings.append(f"impossible date {text[m.start():m.end()]!r} ignored")
            continue
        best_rank, best = rank, (date, m.start(), m.end())
        if rank == 0:
            break
    if best_rank > 1:
        named = _NAMED_RX.search(text, start, end) if low is None else \
            _NAMED_LOW.search(low, start, end)
        if named is not None:
            nmo, nday = NAMED_DAYS[named.group("n").lower()]
            year, warn = _infer_year(nmo, nday, text, named.end(), reference_date, low)
            found = _make(year, nmo, nday) if year is not None else None
            if found is not None:
                best_rank, best = 1, (found, named.start(), named.end())
            elif warn and warn not in warnings:
                warnings.append(warn)
    if best is not None:
        return _date_find(best[0], best[1], best[2], tuple(warnings) if best_rank else ())
    last = _year_printed_last(text, start, end)
    # the relative-day pattern's start: after a non-word character, or at the text's start
    if low is None:
        rel = _REL_AFTER.search(text, start - 1, end) if start > 0 else \
            _REL_RX.match(text, 0, end) or _REL_AFTER.search(text, 0, end)
    else:
        rel = _REL_AFTER_LOW.search(low, start - 1, end) if start > 0 else \
            _REL_LOW.match(low, 0, end) or _REL_AFTER_LOW.search(low, 0, end)
    if rel:
        if reference_date is None:
            printed = text[rel.start("m"):rel.end("m")]
            warnings.append(f"relative date {printed!r} needs a reference_date: left unknown")
        else:
            try:
                if rel.group("rel"):
                    day = reference_date + _dt.timedelta(days=RELATIVE[rel.group("rel").lower()])
                else:
                    wd = WEEKDAYS[(rel.group("wd") or rel.group("wd2")).lower()]
                    back = (reference_date.weekday() - wd) % 7
                    if rel.group('m').lower().startswith("last") and back == 0:
                        back = 7
                    day = reference_date - _dt.timedelta(days=back)
            except OverflowError:
                printed = text[rel.start("m"):rel.end("m")]
                warnings.append(f"relative date {printed!r} falls outside the calendar")
                return _date_find(None, -1, -1, tuple(warnings))
            if last is None or last[0].year == day.year:
                return _date_find(PartialDate.from_date(day), rel.start("m"), rel.end(),
                                  tuple(warnings))
    if last is not None:
        # "..., North Yorkshire, UK, 2018": a year-only date (it wins over a weekday resolved
        # into another year: the printed year is the caption's own)
        return _date_find(last[0], last[1], last[2], ())
    return _date_find(None, -1, -1, tuple(warnings))
