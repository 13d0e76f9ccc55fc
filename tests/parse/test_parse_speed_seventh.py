"""The seventh speed session's shortcuts give the same answers as the plain code they bypass
(docs/notes/parser.md, "Seventh speed session").

* ``pipeline._new_caption`` builds the :class:`Caption` record without its attrs ``__init__``:
  the record must equal the constructor's, field by field, and the shortcut must be in use
  (else a change to ``Caption`` silently brought back the slow path).
"""

from __future__ import annotations

import json
from pathlib import Path

import attrs

from captions import parse_caption
from captions.model import Caption, Location, PartialDate
from captions.parse import pipeline

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
