"""The credit search's start bound (``Rule.lead``/``Rule.back``) changes no result.

A credit rule's search may start at the run of characters, ending at the first occurrence
of a literal every match holds, that a match may hold before that literal
(:func:`captions.agencies.schema.lead_of`).  These tests compare the credits found with and
without the bound on recombined rule examples, and check the one hand-written fact the
bound rests on: what the ``{NAMES}`` macro consumes.
"""

from __future__ import annotations

import random
import re

import attrs

from captions.agencies import build, load_rules
from captions.agencies.schema import _UPPER, MACROS, core_of, expand, lead_of, literal_first
from captions.parse.credit import TAIL, _search

_PIECES = [" ", "  ", ". ", ", ", " / ", "/", "(", ")", ": ", " - ", " – ", "\n", "J.", "J.-P. ",
           "é", "Ö", "O'", "’", " and ", " & ", "2024. ", "Photo by ", "Photo: ", "via ", "al-"]


def _unbounded():
    rules = load_rules()
    files = tuple(attrs.evolve(f, rules=tuple(attrs.evolve(r, lead="", back=None, core=None)
                                               for r in f.rules)) for f in rules.files)
    return rules, build(files)


def _texts(rules, n: int, seed: int) -> list[str]:
    """Rule examples cut at random points and joined with separators in random orders."""
    rnd = random.Random(seed)
    examples = [ex.text for r in rules.rules() if r.section == "credit" for ex in r.examples]
    words = [w for t in examples for w in re.split(r"(\W)", t) if w]
    out: list[str] = []
    for _ in range(n):
        parts: list[str] = []
        for _ in range(rnd.randint(1, 4)):
            ex = rnd.choice(examples)
            a = rnd.randrange(len(ex))
            parts.append(ex[a:] if rnd.random() < 0.6 else ex[a:rnd.randint(a, len(ex))])
            for _ in range(rnd.randint(0, 3)):
                parts.insert(rnd.randrange(len(parts) + 1),
                             rnd.choice(_PIECES) if rnd.random() < 0.5 else rnd.choice(words))
        text = "".join(parts)
        out.append(text.upper() if rnd.random() < 0.1 else text)
    return out


def test_bounded_search_finds_the_same_credits() -> None:
    rules, plain = _unbounded()
    assert any(r.lead for r in rules.rules())
    for text in _texts(rules, 3000, 1):
        tail = text[-TAIL:]
        assert _search(rules, tail, 0) == [f._replace(rule=rules_rule(rules, f.rule.id))
                                           for f in _search(plain, tail, 0)], text


def rules_rule(rules, rid):
    return next(r for r in rules.rules() if r.id == rid)


def test_names_macro_consumes_only_its_characters() -> None:
    rx = re.compile(MACROS["{NAMES}"])
    allowed = re.compile(rf"(?:[\w\s'’\-,&]|(?<=[{_UPPER}])\.)*")
    rnd = random.Random(2)
    alphabet = "aZé Ö.'’-,&\t/:()J;_1" + "".join(chr(c) for c in range(0x2000, 0x2010))
    for _ in range(20000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 30)))
        for m in rx.finditer(text):
            assert allowed.fullmatch(text, m.start(), m.end()), (text, m.group())


def test_lead_of_reads_the_literal_and_what_comes_before() -> None:
    assert lead_of(r"\bAFP\s*/", r"\bAFP\s*/") == ("AFP", None)
    lead, back = lead_of(r"\(?\s*Photo by (?P<x>\w+)", r"\(?\s*Photo by (?P<x>\w+)")
    assert lead == "Photo by " and re.fullmatch(back, " ((") and not re.fullmatch(back, "a")
    assert lead_of(r"[^x]+/", r"[^x]+/") is None          # a negated class: no bound
    assert lead_of(r"(?i)AFP", r"(?i)AFP") is None
    assert lead_of(r"(?:AFP|EPA)", r"(?:AFP|EPA)") is None  # no top-level literal


def test_literal_first_keeps_the_matches() -> None:
    rules = load_rules()
    changed = [(re.compile(expand(r.pattern)), r.regex) for r in rules.rules()
               if r.section == "credit" and r.regex.pattern != expand(r.pattern)]
    assert changed
    for text in _texts(rules, 1500, 3) + ["AFP/POOL/Jane Doe", "xAFP / POOL / Jane Doe"]:
        for old, new in changed:
            for pos in (0, len(text) // 3, len(text) // 2):
                a, b = old.search(text, pos), new.search(text, pos)
                assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups())), text
    assert literal_first(r"\bAFPs?x") == r"AFP(?<!\wAFP)s?x"
    assert literal_first(r"\bA{2}") == r"\bA{2}"


def test_core_of_reads_what_follows_the_name() -> None:
    raw = r"(?:Photo by )?(?P<photographer>{NAMES})\s*/\s*AFP\b"
    core, back = core_of(expand(raw), raw)
    assert core == r"/\s*AFP\b" and back is not None
    # the name inside a repeat or an alternation: no core
    for raw in (r"(?:(?P<photographer>{NAMES})\s*/)?AFP", r"(?P<photographer>{NAMES})/AFP|AFP/x",
                r"(?P<photographer>{NAMES})(?:\s*/\s*AFP)?"):
        assert core_of(expand(raw), raw) is None, raw
