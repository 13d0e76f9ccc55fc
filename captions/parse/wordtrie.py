"""Alternations of many literal words as prefix trees, for the patterns scanned at every position.

``re`` tries the branches of ``in|inside|into|at`` one after the other, and with IGNORECASE it
cannot even skip a branch by its first letter.  The same words factored by prefix,
``(?:at|in(?:side|to)?)``, test each character once.  The set of matches is the same, and so is
the match found: at any position the words that can match are prefixes of one another, and the
tree tries longer ones first, as an alternation sorted longest first does.
"""

from __future__ import annotations

import re

__all__ = ["trie", "words"]


def trie(entries: list[tuple[str, str]]) -> str:
    """A regex matching ``word + tail`` for each ``(word, tail)``, the words factored by prefix.

    ``tail`` is a regex following its word (``""`` for a plain list of words).
    """
    groups: dict[str, list[tuple[str, str]]] = {}
    tails: list[str] = []
    for word, tail in sorted(set(entries)):
        if word:
            groups.setdefault(word[0], []).append((word[1:], tail))
        else:
            tails.append(tail)
    alts = [re.escape(c) + trie(rest) for c, rest in groups.items()] + tails
    return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"


def words(alternation: str) -> list[str]:
    """The literal words of an alternation written ``(?:a|b-?c|...)`` (``-?`` spelled both ways)."""
    out: list[str] = []
    for w in alternation[3:-1].split("|"):
        out += [w.replace("-?", ""), w.replace("-?", "-")] if "-?" in w else [w]
    return out
