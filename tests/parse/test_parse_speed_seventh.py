"""The seventh speed session's shortcuts give the same answers as the plain code they bypass
(docs/notes/parser.md, "Seventh speed session").

* ``pipeline._new_caption`` builds the :class:`Caption` record without its attrs ``__init__``:
  the record must equal the constructor's, field by field, and the shortcut must be in use
  (else a change to ``Caption`` silently brought back the slow path);
* ``find_dateline`` and ``subject.active_end_rules`` decide rule by rule whether a rule is
  tried (triggers, literals): the same rules as the trigger sets of ``RuleSet``, on seeded
  recombinations of the corpus and the rule examples.
"""

from __future__ import annotations

import json
from pathlib import Path

import attrs

from captions import parse_caption
from captions.agencies import load_rules
from captions.agencies.schema import fold_for_needs, may_match
from captions.model import Caption, Location, PartialDate
from captions.parse import pipeline
from captions.parse.credit import TAIL
from captions.parse.dateline import HEAD, _resolve, find_dateline
from captions.parse.subject import active_end_rules

_CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "captions.jsonl"


def _corpus_texts() -> list[str]:
    rows = [json.loads(line) for line in _CORPUS.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    return [row["text"] for row in rows]


def test_caption_shortcut_is_in_use() -> None:
    assert pipeline._CAPTION_SETTERS, "Caption changed shape: pipeline._new_caption falls back"
    assert tuple(f.name for f in attrs.fields(Caption)) == pipeline._CAPTION_FIELDS


def test_caption_shortcut_equals_the_constructor() -> None:
    values = ("text", "subject", PartialDate(2024, 5), Location(city="Paris", country="France"),
              "AFP", "Jo Doe", "person", "Jo Doe/AFP", "AFP", "Head", None, ("a", "b"))
    fast = pipeline._new_caption(values)
    slow = Caption(**dict(zip(pipeline._CAPTION_FIELDS, values)))
    assert type(fast) is Caption
    assert fast == slow
    assert attrs.asdict(fast, recurse=False) == attrs.asdict(slow, recurse=False)
    assert hash(fast) == hash(slow)
    assert fast.to_dict() == slow.to_dict()
    # still frozen
    try:
        fast.subject = "other"  # type: ignore[misc]
    except attrs.exceptions.FrozenInstanceError:
        pass
    else:
        raise AssertionError("the shortcut's record is not frozen")


def test_parsed_captions_equal_their_rebuilt_records() -> None:
    for text in _corpus_texts():
        cap = parse_caption(text)
        rebuilt = Caption(**{name: getattr(cap, name) for name in pipeline._CAPTION_FIELDS})
        assert cap == rebuilt
        assert type(cap.warnings) is tuple and all(type(w) is str for w in cap.warnings)


def _texts(n: int = 3000) -> list[str]:
    """Corpus captions, every rule example, and seeded recombinations of their heads and tails
    (with the dateline and end words the rules react to put in)."""
    import random

    rules = load_rules()
    base = _corpus_texts() + [ex.text for r in rules.rules() for ex in r.examples]
    pieces = ["Bayern, München: ", "Sachsen-Anhalt, Halle: ", "KYIV, Ukraine (AP) — ",
              "BEIJING, May 3 (Xinhua) -- ", "03.05.2024, Hessen, Frankfurt: ", " - ", ": ",
              "EDITORS NOTE: ", " / RESTRICTED TO EDITORIAL USE", " NO ARCHIVING", " (AAP) ",
              "Picture taken May 3, 2024.", " for this story", "Mandatory Credit: ", " zu dpa ",
              "+++ dpa-Bildfunk +++", "==Kyodo", " via REUTERS", " FRANCE OUT", "İstanbul ",
              "TPX IMAGES OF THE DAY", "Photo by ", "Credit: "]
    rnd = random.Random(7)
    out = list(base)
    for _ in range(n):
        a, b = rnd.choice(base), rnd.choice(base)
        cut_a, cut_b = rnd.randrange(len(a) + 1), rnd.randrange(len(b) + 1)
        mid = "".join(rnd.choice(pieces) for _ in range(rnd.randrange(3)))
        text = a[:cut_a] + mid + b[cut_b:]
        out.append(rnd.choice([text, text.upper(), text.lower(), rnd.choice(pieces) + text]))
    return out


def test_dateline_rules_tried_as_before() -> None:
    """``find_dateline`` decides rule by rule (matching first when a rule has many triggers):
    the same dateline as trying :meth:`RuleSet.dateline_rules` in order."""
    rules = load_rules()
    for text in _texts():
        for pos in (0, min(len(text), 7)):
            head = text[pos:pos + HEAD]
            old = None
            for rule in rules.dateline_rules(head.lower()):
                m = rule.regex.match(head)
                if m is None:
                    continue
                old = _resolve(rule, m, text, pos + m.end(), pos, pos + m.end(), rules, None)
                if old is not None:
                    break
            assert find_dateline(text, pos, rules) == old, text


def test_end_rules_chosen_as_before() -> None:
    """``active_end_rules``: the rules of :meth:`RuleSet.end_rules` whose literals the text
    holds, in the same order."""
    rules = load_rules()
    for text in _texts():
        low_tail = text[-TAIL:].lower()
        folded = fold_for_needs(text)
        old = tuple(r for r in rules.end_rules(low_tail)
                    if not (r.needs or r.needs_any) or may_match(r, folded))
        assert active_end_rules(rules, low_tail, text) == old, text
        assert active_end_rules(rules, low_tail, text, folded) == old, text
