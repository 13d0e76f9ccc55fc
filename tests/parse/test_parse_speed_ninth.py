"""The ninth speed session's shortcuts give what the slow paths give
(docs/notes/parser.md, "Ninth speed session").

* ``schema.leads_of`` / ``Rule.leads``: an end rule searched from the run before the first of
  its literals finds the match a search from the window's start finds, and none exists when
  no literal occurs;
* ``credit.trigger_hits`` shared by the end rules and the credit search: the same rules, the
  same credits;
* ``dates``: the lower-case twins of the date patterns on lower-cased ASCII text match where
  the IGNORECASE originals match the text; the digit runs found by ``find`` are the pattern's;
* the NamedTuple records made with ``tuple.__new__`` equal the constructor's.

Checked on the corpus, the rule examples and seeded recombinations of them.
"""

from __future__ import annotations

from pathlib import Path

from captions.agencies import load_rules
from captions.agencies.schema import leads_of
from captions.parse import credit, dates, subject
from captions.parse.credit import TAIL, find_credit, trigger_hits
from captions.parse.dateline import DatelineFind
from captions.parse.dates import TUPLE_NEW, DateFind

from ._mixes import mixed_texts

_CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "captions.jsonl"


def _texts(seed: int, mixes: int) -> list[str]:
    return mixed_texts(seed, mixes, [_CORPUS])


def test_leads_of_reads_patterns() -> None:
    found = leads_of(r"\s*(?:MANDATORY CREDIT|NO SALES)[^\n]{0,40}$")
    assert found is not None and set(found[0]) == {"MANDATORY CREDIT", "NO SALES"}
    assert found[1] == r"[\s]*+"
    found = leads_of(r"\s*(?:EDITORIAL USE ONLY\s*)?NO ARCHIVING\s*$")
    assert found is not None and set(found[0]) == {"EDITORIAL USE ONLY", "NO ARCHIVING"}
    assert leads_of(r"(?i:mandatory)\s*$") is None          # no case-sensitive literal
    assert leads_of(r"[^/]+OUT$") is None                   # a negated class before it
    assert leads_of(r"(?:\w+|OUT)\s*$") is None             # a path without a literal


def test_end_rules_bounded_search_finds_the_same_match() -> None:
    rules = load_rules()
    bounded = [r for r in rules.strip_end if r.leads]
    assert any(r.id == "reuters-license" for r in bounded)
    compared = matched = 0
    for text in _texts(9, 4000):
        tail = text[-400:]
        rev = tail[::-1]
        for rule in bounded:
            at = max(0, len(tail) - rule.window) if rule.window else 0
            m = rule.regex.search(tail, at)
            firsts = [j for j in (tail.find(lead, at) for lead in rule.leads) if j >= 0]
            if not firsts:
                assert m is None, (rule.id, tail[-80:])
                continue
            k = min(firsts)
            start = k
            if rule.back is not None:
                run = rule.back.match(rev, len(tail) - k)
                if run is not None:
                    start = k - (run.end() - (len(tail) - k))
            fast = rule.regex.search(tail, max(at, start))
            assert (m and m.span()) == (fast and fast.span()), (rule.id, tail[-80:])
            compared += 1
            matched += m is not None
    assert compared > 1000 and matched > 100


def test_shared_trigger_hits_change_nothing() -> None:
    rules = load_rules()
    for text in _texts(10, 1500):
        low_tail = text[-TAIL:].lower()
        hits = trigger_hits(rules, low_tail)
        assert hits == [t in low_tail for t in rules.tail_triggers]
        folded = text.lower() if text.isascii() else None
        assert subject.active_end_rules(rules, low_tail, text, folded, hits) == \
            subject.active_end_rules(rules, low_tail, text, folded), text
        assert find_credit(text, rules, low=folded, hits=hits) == \
            find_credit(text, rules, low=folded), text


def test_lower_case_date_patterns_match_as_the_originals() -> None:
    pairs = [(dates._DATE_RX, dates._DATE_LOW), (dates._REL_RX, dates._REL_LOW),
             (dates._REL_AFTER, dates._REL_AFTER_LOW), (dates._NAMED_RX, dates._NAMED_LOW)]
    extra = ["Fans on Christmas Eve, DEC. 24 2023", "MARCH 3, 2024", "on Thursday", "3 May",
             "LAST NIGHT in Paris", "Sept. 29, 2005", "le 4 FÉVRIER 2016", "am Heiligabend"]
    checked = 0
    for text in _texts(11, 1500) + extra:
        if not text.isascii():
            assert dates._digit_runs(text, 0, len(text), None) == \
                [m.span() for m in dates._DIGITS.finditer(text)][:dates._MAX_DIGIT_RUNS]
            continue
        low = text.lower()
        assert dates._digit_runs(text, 0, len(text), low) == \
            [m.span() for m in dates._ASCII_DIGITS.finditer(text)][:dates._MAX_DIGIT_RUNS]
        assert [m.span() for m in dates._date_matches(text, 0, len(text), low)] == \
            [m.span() for m in dates._date_matches(text, 0, len(text))], text
        for pos in range(0, len(text), 7):
            for rx, twin in pairs:
                a, b = rx.match(text, pos), twin.match(low, pos)
                assert (a and a.span()) == (b and b.span()), (rx.pattern[:30], text, pos)
                if a is not None and b is not None:
                    assert [g.lower() if g else g for g in a.groups()] == list(b.groups())
                checked += 1
    assert checked > 10000


def test_records_made_with_tuple_new_equal_the_constructors() -> None:
    made = TUPLE_NEW(DateFind, (None, 3, 9, ("w",)))
    assert made == DateFind(None, 3, 9, ("w",)) and type(made) is DateFind
    assert made.start == 3 and made._replace(end=1).end == 1
    rules = load_rules()
    found = [f for f in (find_credit("Rally in Paris. (Photo by Jane Doe / AFP)", rules)[0],)
             if f is not None]
    assert found and type(found[0]) is credit.CreditFind
    f = found[0]
    assert f == credit.CreditFind(*f) and f.named
    dl = TUPLE_NEW(DatelineFind, (0, 5, None, None, None, "x", (), None))
    assert dl == DatelineFind(0, 5, None, None, None, "x")  # type: ignore[arg-type]
