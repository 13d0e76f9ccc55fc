"""The twelfth speed session's place start filter gives what the slow path gives
(docs/notes/parser.md, "Twelfth speed session: places and dates").

``location._scan_starts`` finds the starts of the place start scan (``_RX_STARTS``) in ASCII
text by splitting the text, its non-word characters read as blanks, and looking each word up
in ``_FIRST_WORDS``; after a one-word preposition it reads the next word itself instead of
matching the scan.  Its starts must be the scan's own, on the corpora, the rule examples,
seeded recombinations of them, and phrases built from every leading word (with blanks, tabs,
modifiers and marks around them); and every leading word must be found: dropping any word
from the table changes the starts of some phrase here.
"""

from __future__ import annotations

import random
import re

import pytest

from captions.parse import location

from ._mixes import mixed_texts

_PLACES = ["Doha", "Kherson, Ukraine", "al-Bireh", "St. Louis", "N.H.", "Zahara de la Sierra"]
_BEFORE = ["", "A man ", "x ", "(", "Photo-", "x\t", "x, ", "«"]
_BETWEEN = [" ", "\t", "  ", " \t", "\n", "-"]
_MODS = ["", "the ", "northern ", "war-torn old ", "The ", "thé ", "a "]


def _slow(body: str) -> list[int]:
    scan = location._RX_STARTS_ASCII if body.isascii() else location._RX_STARTS
    return [m.start() for m in scan.finditer(" " + body)]


def _lead_phrases() -> list[str]:
    """Every leading word of the four place patterns, as the scan reads it (with what follows
    it up to the place: "of", "de", "ern of"...), before a place, after other characters."""
    out: list[str] = []
    for word, _tail, follow in location._START_LEADS:
        links = [""]
        if word in [w for k in location._KIND_WORDS for w in (k, k[0].upper() + k[1:])]:
            links = ["of ", "de ", "d'", "di ", "von "]
        elif word in location.words(location._DIR) + location.words(location._DIR.title()):
            links = ["of ", "ern of "]
        elif word in [w for w, _t in location._DIR_OTHER]:
            links = ["de ", "d'", "di ", "von "]
        for link in links:
            for between in _BETWEEN:
                sep = "" if word.endswith(("'", "’")) or link.startswith("ern") else between
                for mod in _MODS:
                    for place in _PLACES:
                        for before in _BEFORE:
                            out.append(f"{before}{word}{sep}{link}{mod}{place}, on Monday.")
    return out


def _texts() -> list[str]:
    texts = mixed_texts(12, 3000)
    rnd = random.Random(12)
    phrases = _lead_phrases()
    # the phrases inside captions, and captions cut anywhere before one
    for _ in range(3000):
        a, b = rnd.choice(texts), rnd.choice(phrases)
        texts.append(a[:rnd.randrange(len(a) + 1)] + rnd.choice(["", " ", ". ", "\n"]) + b)
    texts += phrases
    texts += [t.upper() for t in texts[:2000]] + [t.lower() for t in texts[:2000]]
    return texts


def test_scan_starts_are_the_scan_pattern_starts() -> None:
    texts = _texts()
    assert len(texts) > 100_000
    bodies = 0
    for text in texts:
        body = text[:location.BODY_LIMIT]
        for b in (body, location._uncap(body)) if body.isupper() else (body,):
            assert location._scan_starts(b) == _slow(b), b
            bodies += b.isascii()
    assert bodies > 90_000                      # the ASCII path, the one that reads words


def _word_phrases() -> list[str]:
    """One phrase for each ASCII leading word, right before a place (or before its link word
    and a place): "x in Doha", "x town of Doha", "x northern of Doha", "x au nord de Doha"."""
    kinds = [w for k in location._KIND_WORDS for w in (k, k[0].upper() + k[1:])]
    dirs = location.words(location._DIR) + location.words(location._DIR.title())
    others = dict(location._DIR_OTHER)
    out: list[str] = []
    for word, _tail, follow in location._START_LEADS:
        if not word.isascii():
            continue
        for after in follow:
            if after == "ern ":
                out.append(f"x {word}ern of Doha")
            elif word.endswith("'"):
                out.append(f"x {word}Agen")
            elif word in kinds or word in dirs:
                out.append(f"x {word} of Doha")     # the town of X, north of X
            elif word in others:                    # "au nord de", "a nord di", "nördlich von"
                link = next(w for w in ("de", "di", "von") if w in others[word])
                out.append(f"x {word} {link} Doha")
            else:
                out.append(f"x {word} Doha")
    return out


def test_every_leading_word_gives_its_start() -> None:
    """Each phrase starts at its leading word, found by the filter: no word is missing from
    the table, and the table holds no other word."""
    seen: set[str] = set()
    for text in _word_phrases():
        assert 2 in _slow(text), text
        assert location._scan_starts(text) == _slow(text), text
        seen.add(re.split(r"[^0-9A-Za-z_]", text)[1])      # the word as the table reads it
    assert seen == set(location._FIRST_WORDS)


def test_dropping_any_word_changes_some_start(monkeypatch: pytest.MonkeyPatch) -> None:
    """The checks above would catch a word missing from the table."""
    phrases = [(p, _slow(p)) for p in _word_phrases()]
    for drop in sorted(location._FIRST_WORDS):
        table = dict(location._FIRST_WORDS)
        del table[drop]
        monkeypatch.setattr(location, "_FIRST_WORDS", table)
        assert any(location._scan_starts(p) != slow for p, slow in phrases), drop
