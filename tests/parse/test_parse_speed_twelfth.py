"""The twelfth speed session's shortcut gives what the slow path gives
(docs/notes/parser.md, "Twelfth speed session").

``credit.trigger_hits`` finds the tail triggers in one pass of an Aho-Corasick automaton
(``RuleSet.tail_automaton``, built by ``agencies.trigger_automaton``) instead of one ``in`` scan
per trigger: its answer must be ``[t in low for t in rules.tail_triggers]`` on every text.
Checked on the corpus tails, the rule examples, seeded recombinations, and texts made of the
triggers themselves (each alone, all of them run together so that they overlap, at odd
positions, with upper-case and non-ASCII characters around them), so that a trigger missing
from the automaton, or found where it is not, fails a test.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from captions.agencies import CHAR_ORDER, load_rules, trigger_automaton
from captions.parse.credit import TAIL, trigger_hits

from ._mixes import mixed_texts


def _plain(triggers: tuple[str, ...], low: str) -> list[bool]:
    return [t in low for t in triggers]


def _found(automaton: Any, count: int, text: str) -> list[bool]:
    hits = [False] * count
    if automaton is not None:
        for _end, i in automaton.iter(text):
            hits[i] = True
    return hits


def _trigger_texts(triggers: tuple[str, ...], seed: int) -> list[str]:
    """Texts made of the triggers: each alone and between other characters, all of them run
    together (a trigger's end is the next one's start), cut at every trigger's middle, and
    seeded shuffles at odd offsets with ASCII, upper-case and non-ASCII filler."""
    rnd = random.Random(seed)
    filler = ["", " ", "x", "é", "É", "ı", "İ", "ß", "—", "\u00a0", "\U0001d11e", "中", "Photo",
              "AFP", "/", ")", "\n"]
    out: list[str] = []
    for t in triggers:
        out += [t, f"«{t}»", f"\U0001d11e{t}\U0001d11e", t.upper(), t[:-1], t[1:], t + t]
    together = "".join(triggers)
    out += [together, together[::-1], " ".join(triggers), together.upper()]
    for t in triggers:
        k = len(t) // 2
        out.append(together.replace(t, t[:k] + "|" + t[k:]))
    for _ in range(400):
        parts = list(triggers)
        rnd.shuffle(parts)
        pieces = [rnd.choice(filler) * rnd.randrange(4)]
        for t in parts[:rnd.randrange(1, 8)]:
            pieces.append(t if rnd.random() < 0.8 else t[rnd.randrange(len(t)):])
            pieces.append(rnd.choice(filler) * rnd.randrange(3))
        out.append("".join(pieces))
    return out


def test_tail_hits_are_the_plain_scan_on_real_texts() -> None:
    rules = load_rules()
    triggers = rules.tail_triggers
    seen = [False] * len(triggers)
    for text in mixed_texts(12, 3000):
        for low in (text[-TAIL:].lower(), text[-TAIL:], text.lower()):
            hits = trigger_hits(rules, low)
            assert hits == _plain(triggers, low), low
            seen = [a or b for a, b in zip(seen, hits)]
    assert sum(seen) > len(triggers) // 2          # most triggers do occur in real tails


def test_tail_hits_are_the_plain_scan_on_texts_of_triggers() -> None:
    rules = load_rules()
    triggers = rules.tail_triggers
    texts = _trigger_texts(triggers, 12)
    for text in texts:
        for low in (text, text.lower()):
            assert trigger_hits(rules, low) == _plain(triggers, low), low
    # every trigger is found alone and in the run of all of them
    for i, t in enumerate(triggers):
        assert trigger_hits(rules, t)[i], t
    assert all(trigger_hits(rules, "".join(triggers)))


def test_a_trigger_left_out_is_noticed() -> None:
    # the texts above name every trigger: an automaton lacking any one of them answers
    # differently on some text (what the two tests above would report)
    rules = load_rules()
    triggers = rules.tail_triggers
    texts = _trigger_texts(triggers, 12)
    for i in range(len(triggers)):
        short = trigger_automaton(triggers[:i] + ("\x00never",) + triggers[i + 1:])
        assert any(_found(short, len(triggers), text) != _plain(triggers, text)
                   for text in texts), triggers[i]


@pytest.mark.parametrize("triggers", [
    ("ab", "abc", "b", "bc", "c"),                    # inside one another, shared ends
    ("aba", "bab", "abab", "a"),                      # overlapping, periodic
    ("he", "she", "his", "hers"),                     # the textbook set
    ("é", "ée", "thüringen", "\U0001d11e", "中国", "ı"),   # non-ASCII, beyond the BMP
    (" by ", "by", " ", "/", ")", ": "),              # blanks and punctuation
    ("x",),
])
def test_automaton_on_small_sets(triggers: tuple[str, ...]) -> None:
    automaton = trigger_automaton(triggers)
    backwards = trigger_automaton(triggers[::-1])     # the order of adding changes nothing
    for text in _trigger_texts(triggers, 5) + ["", "zzz", "ABABAB", "THÜRINGEN"]:
        expected = _plain(triggers, text)
        assert _found(automaton, len(triggers), text) == expected, text
        assert _found(backwards, len(triggers), text)[::-1] == expected, text


def test_automaton_edge_cases() -> None:
    assert trigger_automaton(()) is None
    assert trigger_automaton(("",)) is None
    # an empty trigger (the rule files refuse them) is in every text: not held by the
    # automaton, but where trigger_hits starts (RuleSet.tail_blank)
    assert _found(trigger_automaton(("afp", "")), 2, "x afp") == [True, False]
    rules = load_rules()
    assert rules.tail_blank == tuple(not t for t in rules.tail_triggers)
    # the character order only sorts the triggers: every printable ASCII character it lists
    # is listed once
    assert len(set(CHAR_ORDER)) == len(CHAR_ORDER)
