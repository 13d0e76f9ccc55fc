"""The subject: the caption's own sentence, with agency boilerplate cut from both ends.

Boilerplate patterns ("epa05146134", "FILE PHOTO:", "TPX IMAGES OF THE DAY", "Picture taken
...") are rule-file data (``[[strip]]``, ``where = "start"`` or ``"end"``); this module applies
them until none matches, a bounded number of times.
"""

from __future__ import annotations

from ..agencies import RuleSet
from ..agencies.schema import Rule, may_match

__all__ = ["strip_start", "strip_end", "tidy"]

_ROUNDS = 6
#: the separators trimmed at the ends of the subject besides white space: the characters of
#: ``[\s/|,;:\-–—]`` (``str.strip`` strips exactly what ``\s`` matches)
_FILLER_MARKS = "/|,;:-–—"
#: opening brackets left at the end of the subject when the credit they open was cut
_OPEN_MARKS = ("(", "[")


def _lstrip_filler(text: str) -> str:
    """``text`` without its leading white space and separators (``^[\\s/|,;:\\-–—]+``)."""
    while True:
        cut = text.lstrip().lstrip(_FILLER_MARKS)
        if len(cut) == len(text):
            return cut
        text = cut


def _rstrip_filler(text: str) -> str:
    """``text`` without its trailing white space and separators (``[\\s/|,;:\\-–—]+$``).

    Alternating the two strips is cheaper than the pattern, which tries every position.
    """
    while True:
        cut = text.rstrip().rstrip(_FILLER_MARKS)
        if len(cut) == len(text):
            return cut
        text = cut


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
    if pos == 0:
        # separators at the very start (the old pattern was anchored with "^", which only
        # matches at the start of the text, so they are skipped only when nothing was stripped)
        head = text[:limit]
        pos = len(head) - len(_lstrip_filler(head))
    return pos, applied


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
        low = None
        for rule in active:
            if rule.window:
                at = max(0, len(tail) - rule.window)
                if low is None and tail.isascii():
                    low = tail.lower()
                if low is not None and not may_match(rule, low, at):
                    continue        # a literal every match holds is not in the searched window
                m = rule.regex.search(tail, at)
            else:
                m = rule.regex.search(tail, 0)
            if m is not None and m.end() == len(tail) and m.start() < m.end():
                end = base + m.start()
                applied.append(rule.id)
                break
        else:
            break
        end = _trim_end(text, start, end)
    return end, applied


def _trim_end(text: str, start: int, end: int) -> int:
    """``end`` moved back over the separators before it (looking at most 50 characters back)."""
    low = max(start, end - 50)
    if low >= end:
        return end
    return low + len(_rstrip_filler(text[low:end]))


def tidy(text: str) -> str | None:
    """Trim separators left at the ends of the subject; None when nothing is left."""
    text = _rstrip_filler(text)
    while text.endswith(_OPEN_MARKS):
        # an opening bracket whose credit was cut: "... on Christmas Eve. (Name/PA)"
        text = _rstrip_filler(text[:-1])
    text = _lstrip_filler(text).strip()
    return text or None
