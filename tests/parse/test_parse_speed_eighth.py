"""The eighth speed session's filters never skip a rule that could match
(docs/notes/parser.md, "Eighth speed session").

* ``schema.required_literals``: an alternation whose branches all need the same folded string
  (``Handout|HANDOUT``) makes that string required;
* ``schema.last_chars_of`` / ``Rule.ends``: an end rule's match that ends its text ends (less
  trailing blanks) with one of the rule's characters, on the corpus, the rule examples and
  seeded recombinations of them; the IGNORECASE letters stand for what ``re`` folds.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

from captions.agencies import load_rules
from captions.agencies.schema import _last_of_literal, last_chars_of, required_literals

_CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "captions.jsonl"


def _corpus_texts() -> list[str]:
    rows = [json.loads(line) for line in _CORPUS.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    return [row["text"] for row in rows]


def test_one_string_alternation_is_required() -> None:
    assert "andout" in required_literals(r"(?P<org>\w+)/(?:Handout|HANDOUT)/Anadolu")
    # different strings stay alternatives, not requirements
    assert not any(lit in ("pool", "handout") for lit in
                   required_literals(r"Name/(?:Pool|Handout)/AFP"))


def test_last_chars_of_reads_patterns() -> None:
    assert set(last_chars_of(r"Photo\s+(?i:by)\s*$")) == {"y", "Y"}
    assert set(last_chars_of(r"Credit\s*:?\s*")) == {"t", ":"}
    assert last_chars_of(r"OUT[^\n]{0,40}$") == ()       # a negated class: not known
    assert last_chars_of(r"\s*") == ()                   # may match blanks only


def test_ignorecase_letters_are_what_re_folds() -> None:
    code_points = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]
    for ch in "kisy:":
        rx = re.compile(re.escape(ch), re.IGNORECASE)
        assert {c for c in code_points if rx.fullmatch(c)} == _last_of_literal(ch, True), ch


def test_end_rule_matches_end_with_their_characters() -> None:
    rules = load_rules()
    ends = [r for r in rules.strip_end if r.ends]
    assert any(r.id == "pub-dangling-label" for r in ends)
    examples = [e.text for r in rules.strip_end for e in r.examples]
    texts = _corpus_texts() + examples
    rnd = random.Random(8)
    for _ in range(4000):
        a, b = rnd.choice(texts), rnd.choice(examples)
        texts.append(a[:rnd.randrange(len(a) + 1)] + rnd.choice(["", " ", ". ", "\n"]) + b +
                     rnd.choice(["", " ", "\n", "\u00a0", "."]))
    matched = 0
    for text in texts:
        tail = text[-400:]
        last = tail.rstrip()[-1:]
        for rule in ends:
            m = rule.regex.search(tail, max(0, len(tail) - rule.window) if rule.window else 0)
            if m is not None and m.end() == len(tail) and m.start() < m.end():
                matched += 1
                assert last in rule.ends, (rule.id, tail[-60:])
    assert matched > 500
