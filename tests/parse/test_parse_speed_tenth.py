"""The tenth speed session's shortcuts give what the slow paths give
(docs/notes/parser.md, "Tenth speed session").

* ``credit.trigger_hits`` (since the twelfth session an Aho-Corasick automaton, see
  ``test_parse_speed_twelfth.py``; the tenth's key substrings are gone): the tail triggers it
  finds are exactly those ``t in low`` finds, and the end rules and credits read from them are
  the ones found without;
* ``{NAME}``/``{NAMES}``: the particle and label alternations factored by prefix match what the
  plain alternations match, and every credit rule spelt with them finds the matches (spans and
  groups) it found with the plain ones.

Checked on the corpus, the rule examples and seeded recombinations of them.
"""

from __future__ import annotations

import re

from captions.agencies import load_rules
from captions.agencies import schema
from captions.parse import subject
from captions.parse.credit import TAIL, find_credit, trigger_hits

from ._mixes import mixed_texts


#: the alternations as they were written before this session
_OLD_PARTICLE = (r"(?:de|da|di|do|du|des|del|della|der|den|van|von|la|le|al|el|bin|ibn|bint|uz|"
                 r"ud|ul|y|e|dos|das|ter|ten|zu|abu|ap)")
_OLD_LABEL = (r"(?!(?:Image|Images|Photo|Picture|Credit|Mandatory|MANDATORY|RESTRICTED|EDITORIAL|"
              r"TPX|File|FILE|via|Via|Press|Wire|Agency|News|PHOTO|AFP|REUTERS|Reuters|EPA|EFE|"
              r"ANSA|Getty|XINHUA|Xinhua|AP|BY|By)\b)")


def _texts(seed: int, mixes: int) -> list[str]:
    return mixed_texts(seed, mixes)


def test_tail_triggers_are_the_credit_then_the_end_triggers() -> None:
    rules = load_rules()
    triggers = rules.tail_triggers
    assert triggers[:len(rules.credit_triggers)] == rules.credit_triggers
    assert set(triggers) == set(rules.credit_triggers) | set(rules.end_triggers)
    assert len(set(triggers)) == len(triggers)


def test_tail_hits_are_the_plain_scan() -> None:
    rules = load_rules()
    found = 0
    for text in _texts(11, 3000):
        for low_tail in (text[-TAIL:].lower(), text[-TAIL:]):
            hits = trigger_hits(rules, low_tail)
            assert hits == [t in low_tail for t in rules.tail_triggers], low_tail
            found += sum(hits)
        low_tail = text[-TAIL:].lower()
        hits = trigger_hits(rules, low_tail)
        folded = text.lower() if text.isascii() else None
        assert subject.active_end_rules(rules, low_tail, text, folded, hits) == \
            subject.active_end_rules(rules, low_tail, text, folded), text
        assert find_credit(text, rules, low=folded, hits=hits) == \
            find_credit(text, rules, low=folded), text
    assert found > 10_000


def test_factored_alternations_match_the_same_words() -> None:
    particles = _OLD_PARTICLE[3:-1].split("|")
    labels = _OLD_LABEL[6:-4].split("|")
    assert schema._PARTICLE != _OLD_PARTICLE and schema._LABEL != _OLD_LABEL
    for old, new, words in ((_OLD_PARTICLE, schema._PARTICLE, particles),
                            (_OLD_LABEL[3:-3], schema._LABEL[3:-3], labels)):
        probes = {w[:k] + tail for w in words for k in range(len(w) + 1)
                  for tail in ("", "a", "s", "-", " ", "la", "t")}
        for flags in (0, re.IGNORECASE):
            a, b = re.compile(old + r"\Z", flags), re.compile(new + r"\Z", flags)
            assert {p for p in probes if a.match(p)} == {p for p in probes if b.match(p)}
    assert {p for p in particles if re.fullmatch(schema._PARTICLE, p)} == set(particles)


def test_credit_rules_match_as_with_the_plain_alternations() -> None:
    rules = load_rules()
    old_macros = {k: v.replace(schema._PARTICLE, _OLD_PARTICLE).replace(schema._LABEL, _OLD_LABEL)
                  for k, v in schema.MACROS.items()}
    assert old_macros["{NAMES}"] != schema.MACROS["{NAMES}"]
    pairs = []
    for f in rules.files:
        for r in f.rules:
            if "{NAME" not in r.pattern:
                continue
            old = r.pattern
            for key, value in old_macros.items():
                old = old.replace(key, value)
            if r.section == "credit":
                old = schema.literal_first(old)
            pairs.append((r.regex, re.compile(old, r.regex.flags)))
    assert len(pairs) > 40
    texts = _texts(12, 1500)
    matched = 0
    for new, old in pairs:
        for text in texts:
            tail = text[-TAIL:]
            a = [(m.span(), m.groups()) for m in new.finditer(tail)]
            assert a == [(m.span(), m.groups()) for m in old.finditer(tail)], (new.pattern, tail)
            matched += len(a)
    assert matched > 1000
