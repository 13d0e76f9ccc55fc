"""The sixth speed session's rewrites change no result (docs/notes/parser.md).

* ``strip_start`` tries the start rules as one alternation: the same rule and end as the loop
  over the rules, and the loop still runs when the alternation would not be the same;
* three end patterns start with a character class instead of ``\\s*``: the same matches as the
  plain forms they replace, on seeded random tails;
* ``dates._word_before`` with string methods: the same word as a loop over characters.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from captions.agencies import load_files, load_rules
from captions.agencies.schema import expand
from captions.parse.dates import _word_before
from captions.parse.subject import _start_alternation, strip_start

_START_PIECES = ["TOPSHOT", "FILES", "AFP PHOTO", "(FILES)", "FILE", "epa05146134", "EFE12345678",
                 "(re-issued", "(CORRECTED on May 3)", "FILE PHOTO", "REFILE", "UPDATED",
                 "Mandatory Credit:", "Photo by", "Jo Sá/Shutterstock", "Shutterstock",
                 "(12345678)", "Protesters march", "-", "–", ":", "/", "|", ")", "("]
_SEPS = [" ", "", "  ", "\n", " - ", ": ", "\t", " / "]


def _loop(text: str, rules: tuple) -> tuple[int, list[str]]:
    """What strip_start did before: each rule in turn, six rounds at most."""
    pos, applied = 0, []
    for _ in range(6):
        head = text[pos:pos + 400]
        for rule in rules:
            m = rule.regex.match(head)
            if m is not None and m.end() > 0:
                pos += m.end()
                applied.append(rule.id)
                break
        else:
            break
    return pos, applied


def test_start_alternation_is_the_loop() -> None:
    rules = load_rules()
    assert _start_alternation(rules.strip_start).regex is not None
    rnd = random.Random(6)
    texts = [ex.text for r in rules.strip_start for ex in r.examples]
    texts += ["".join(rnd.choice(_START_PIECES) + rnd.choice(_SEPS)
                      for _ in range(rnd.randint(0, 8))) for _ in range(1500)]
    for text in texts:
        pos, applied = strip_start(text, 0, rules)
        want_pos, want_applied = _loop(text, rules.strip_start)
        assert applied == want_applied, text
        if want_applied:
            assert pos == want_pos, text


def test_no_alternation_when_a_rule_can_match_empty(tmp_path: Path) -> None:
    # "(?:NOTE:\s*)?(?=[A-Z])" can match the empty string: the loop skips such a match and
    # tries the next rule, an alternation would stop at it
    (tmp_path / "x.toml").write_text(
        '[agency]\nname = "X"\nsource = "X"\n\n'
        '[[strip]]\nid = "x-empty"\nwhere = "start"\npattern = \'(?:NOTE:\\s*)?(?=[A-Z])\'\n'
        'examples = [ { text = "NOTE: A caption" } ]\n\n'
        '[[strip]]\nid = "x-file"\nwhere = "start"\npattern = \'FILE\\s*-\\s*\'\n'
        'examples = [ { text = "FILE - a caption" } ]\n', encoding="utf-8")
    rules = load_files([tmp_path / "x.toml"])
    assert _start_alternation(rules.strip_start).regex is None
    assert strip_start("FILE - a caption", 0, rules) == (7, ["x-file"])
    assert strip_start("NOTE: FILE - a caption", 0, rules) == (6 + 7, ["x-empty", "x-file"])


#: rule id -> the plain form its pattern replaced (leading "\s*")
_PLAIN = {
    "afp-restricted": r"(?:\s*/\s*|\s+-\s+|\s+)RESTRICTED TO EDITORIAL USE\b(?![^\n]{0,400}?"
                      r"SERVICE TO CLIENTS\s*(?:/\s*[^\s/]|\(\s*Photo\b))[^\n]{0,400}$",
    # a slash glued to the word before it is a credit's ("EPA/NAME POLAND OUT"), not AFP's
    "afp-country-out": r"(?:\s+/|(?<!\w)/)\s*(?:[{UP}][\w.\x27’\-]*\s+){1,5}OUT\b"
                       r"(?:\s*/\s*(?:[{UP}][\w.\x27’\-]*\s+){1,5}OUT\b){0,3}\s*/?\s*$",
    "pa-picture-date": r"\s*(?i:Picture|Photo|Issue)\s+(?i:date)\s*:[^.]{0,60}\.?(?:\s*(?:PA\s+"
                       r"(?:Photo|Wire)|See\s+PA\s+story[^.\n]{0,80})\.?){0,3}\s*$",
}
_END_PIECES = ["RESTRICTED TO EDITORIAL USE", "SERVICE TO CLIENTS", "AFP", "SOUTH KOREA",
               "South Korea", "OUT", "OUTS", "Picture", "photo", "PHOTO", "pİcture", "date",
               "Date:", "Issue", "iSSUE", "(Photo by", "EPA", "PA Photo", "PA Wire", "See PA story", "May 3, 2024", "HO", "É", "’",
               ".", "-", "/", ":"]
_END_SEPS = [" ", "", "  ", "\n", " - ", " / ", "/", "\t", ". ", "\u00a0"]


def test_end_patterns_match_their_plain_forms() -> None:
    rules = {r.id: r for r in load_rules().strip_end}
    rnd = random.Random(7)
    for rule_id, plain in _PLAIN.items():
        new, old = rules[rule_id].regex, re.compile(expand(plain))
        assert new.pattern != old.pattern
        for _ in range(3000):
            tail = "".join(rnd.choice(_END_PIECES) + rnd.choice(_END_SEPS)
                           for _ in range(rnd.randint(0, 12)))
            for at in (0, max(0, len(tail) - 160), rnd.randint(0, len(tail))):
                a, b = old.search(tail, at), new.search(tail, at)
                assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups())), tail


def _word_before_loop(text: str, pos: int, floor: int) -> tuple[int, str]:
    i, k = pos, 0
    while i > floor and k < 3 and text[i - 1] in " \t.,":
        i -= 1
        k += 1
    j = i
    while j > floor and i - j < 12 and text[j - 1].isalpha():
        j -= 1
    return (j, text[j:i]) if j < i else (pos, "")


def test_word_before_is_the_character_loop() -> None:
    rnd = random.Random(8)
    alphabet = "abcXYZ  .,\t-1é²ǅ_"
    for _ in range(20000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30)))
        pos = rnd.randint(0, len(text))
        floor = rnd.randint(0, pos)
        assert _word_before(text, pos, floor) == _word_before_loop(text, pos, floor), text
    assert _word_before("on September 29", 13, 0) == (3, "September")
    assert _word_before("Sept. 29", 6, 0) == (0, "Sept")
