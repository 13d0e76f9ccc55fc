"""The subject: the caption's own sentence, with agency boilerplate cut from both ends.

Boilerplate patterns ("epa05146134", "FILE PHOTO:", "TPX IMAGES OF THE DAY", "Picture taken
...") are rule-file data (``[[strip]]``, ``where = "start"`` or ``"end"``); this module applies
them until none matches, a bounded number of times.
"""

from __future__ import annotations

import re

from ..agencies import RuleSet
from ..agencies.schema import Rule

__all__ = ["strip_start", "strip_end", "tidy"]

_ROUNDS = 6
_END_FILLER = re.compile(r"[\s/|,;:\-–—]+$")
_START_FILLER = re.compile(r"^[\s/|,;:\-–—]+")


def strip_start(text: str, pos: int, rules: RuleSet, *, limit: int = 400) -> tuple[int, list[str]]:
    """Skip start boilerplate from ``pos``; the new position and the ids of the rules applied."""
    applied: list[str] = []
    for _ in range(_ROUNDS):
        head = text[pos:pos + limit]
        for rule in rules.strip_start:
            m = rule.regex.match(head)
            if m is not None and m.end() > 0:
                pos += m.end()
                applied.append(rule.id)
                break
        else:
            break
    m = _START_FILLER.match(text, pos, pos + limit)
    return (m.end() if m else pos), applied


def strip_end(text: str, start: int, end: int, rules: RuleSet, *,
              limit: int = 400, triggers_in: str | None = None,
              active: tuple[Rule, ...] | None = None) -> tuple[int, list[str]]:
    """Cut end boilerplate before ``end``; the new end and the ids of the rules applied.

    A rule runs only when one of its triggers is in ``triggers_in`` (lower case; by default the
    searched window).
    """
    applied: list[str] = []
    for _ in range(_ROUNDS):
        base = max(start, end - limit)
        tail = text[base:end]
        if active is None:
            active = rules.end_rules(triggers_in if triggers_in is not None else tail.lower())
        for rule in active:
            m = rule.regex.search(tail, max(0, len(tail) - rule.window) if rule.window else 0)
            if m is not None and m.end() == len(tail) and m.start() < m.end():
                end = base + m.start()
                applied.append(rule.id)
                break
        else:
            break
        end = _trim_end(text, start, end)
    return end, applied


def _trim_end(text: str, start: int, end: int) -> int:
    m = _END_FILLER.search(text, max(start, end - 50), end)
    return m.start() if m else end


def tidy(text: str) -> str | None:
    """Trim separators left at the ends of the subject; None when nothing is left."""
    text = _START_FILLER.sub("", _END_FILLER.sub("", text)).strip()
    return text or None
