"""Photographers' names: natural case, pseudo-credits, several names in one credit.

Wire credits print surnames, or whole names, in capitals ("Anne-Christine POUJOULAT",
"LOUAI BESHARA").  A word in capitals is title-cased part by part (hyphens and apostrophes
split parts); a word already in mixed case is kept as written ("McCarthy" stays).  Name
particles after the first word go to lower case ("MUNIR UZ ZAMAN" -> "Munir uz Zaman").

>>> natural_case("Anne-Christine POUJOULAT")
'Anne-Christine Poujoulat'
>>> natural_case("MUNIR UZ ZAMAN")
'Munir uz Zaman'
>>> natural_case("AHMAD AL-RUBAYE")
'Ahmad al-Rubaye'
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["natural_case", "pseudo_credit", "split_names", "clean_name", "PSEUDO",
           "looks_like_person", "ORG_WORDS"]

#: lower-case particles inside a name (never the first word)
PARTICLES: frozenset[str] = frozenset({
    "de", "del", "della", "der", "den", "des", "di", "da", "das", "do", "dos", "du", "la", "le",
    "van", "von", "ter", "ten", "zu", "y", "e", "uz", "ud", "al", "el", "bin", "ibn", "bint",
    "abu", "ul", "ur", "los", "las", "ap",
})
#: particles that are also joined by a hyphen: "AL-RUBAYE" -> "al-Rubaye"
HYPHEN_PARTICLES: frozenset[str] = frozenset({"al", "el", "ad", "ud", "ul", "uz", "bin"})

#: pseudo-credits: the word printed where a name goes -> (photographer, kind)
PSEUDO: dict[str, tuple[str, str]] = {
    "stringer": ("Stringer", "stringer"),
    "str": ("Stringer", "stringer"),
    "ho": ("Handout", "handout"),
    "handout": ("Handout", "handout"),
    "hando": ("Handout", "handout"),
    "pool": ("Pool", "pool"),
    "pool photo": ("Pool", "pool"),
    "staff": ("Staff", "staff"),
    "staff photographer": ("Staff", "staff"),
    "stf": ("Staff", "staff"),
}

_WORD: Final = re.compile(r"\S+")
_PART_SPLIT: Final = re.compile(r"([\-'’])")
#: every separator _SPLIT_NAMES knows holds one of these (lower case)
_SEPARATORS = (",", "&", "/", "and", "und", "et", "y")
_SPLIT_NAMES: Final = re.compile(r"\s*(?:,|&|/|\band\b|\bund\b|\bet\b|\by\b)\s*", re.IGNORECASE)


def _is_caps(word: str) -> bool:
    """A word in capitals ("POUJOULAT", "O'KANE"); an initial ("J.") is not."""
    return word.isupper() and not (len(word) == 2 and word[1] == ".")


def _title_part(part: str) -> str:
    if not part:
        return part
    if part.lower().startswith("mc") and len(part) > 3:
        return "Mc" + part[2].upper() + part[3:].lower()
    return part[0].upper() + part[1:].lower()


def _case_word(word: str, first: bool) -> str:
    low = word.lower()
    if not first and low in PARTICLES and (_is_caps(word) or word.islower()):
        return low
    if not _is_caps(word):
        return word
    pieces = _PART_SPLIT.split(word)
    out: list[str] = []
    for i, piece in enumerate(pieces):
        if piece in "-'’" and piece:
            out.append(piece)
            continue
        low_piece = piece.lower()
        nxt = pieces[i + 1] if i + 1 < len(pieces) else ""
        if i == 0 and nxt == "-" and low_piece in HYPHEN_PARTICLES and (not first or len(pieces) > 2):
            out.append(low_piece)
        elif i == 0 and low_piece in {"d", "l"} and nxt in {"'", "’"} and not first:
            out.append(low_piece)
        else:
            out.append(_title_part(piece))
    return "".join(out)


def natural_case(name: str) -> str:
    """Turn a credit's name into natural case; words already in mixed case are kept."""
    words = name.split()
    if not any(_is_caps(w) for w in words):
        return " ".join(words)       # mixed case already: kept as written (the common case)
    return " ".join(_case_word(w, i == 0) for i, w in enumerate(words))


_TRIM_CHARS = " \t\r\n,;:.-–—/|()[]\"“”"


def clean_name(raw: str) -> str:
    """Trim separators and squeeze spaces around a raw name taken from a credit.

    >>> clean_name(" / Jane  Roe) ")
    'Jane Roe'
    """
    out = " ".join(raw.split()).strip(_TRIM_CHARS)
    return out


def pseudo_credit(raw: str) -> tuple[str, str] | None:
    """``(photographer, kind)`` for a pseudo-credit such as "STRINGER" or "HO", else None.

    >>> pseudo_credit("STR")
    ('Stringer', 'stringer')
    """
    return PSEUDO.get(clean_name(raw).lower().rstrip("."))


def split_names(raw: str) -> list[str]:
    """Several photographers in one credit ("A and B", "A, B") as separate raw names."""
    low = raw.lower()
    if not any(sep in low for sep in _SEPARATORS):
        one = clean_name(raw)        # one name: the common case, without the pattern
        return [one] if one else []
    parts = [clean_name(p) for p in _SPLIT_NAMES.split(raw)]
    return [p for p in parts if p]


#: words that make a credit an organisation rather than a person ("Chilean Navy via AP")
ORG_WORDS: frozenset[str] = frozenset({
    "agency", "army", "association", "authority", "board", "bureau", "center", "centre",
    "channel", "club", "coast", "command", "committee", "company", "corps", "council", "county",
    "court", "daily", "defence", "defense", "department", "embassy", "federation", "force",
    "forces", "foundation", "government", "group", "guard", "handout", "herald", "hospital",
    "images", "institute", "media", "military", "ministry", "museum", "navy", "network", "news",
    "office", "organisation", "organization", "palace", "parliament", "party", "photo", "police",
    "pool", "post", "presidency", "press", "service", "services", "sheriff's", "social", "society",
    "squad", "staff", "studio", "team", "television", "times", "tv", "university", "wire",
    "ministere", "ministerio", "the", "national", "state", "authorities", "brigade",
    "leader", "supreme", "presidential", "ministry", "municipality", "council", "rescue",
    "emergency", "fire", "wildlife", "agency", "reuters", "afp", "handout",
    # "KCNA VIA KCNA WATCH / AFP": state media relayed by an agency; "Kenya Red Cross via AP"
    "via", "cross", "crescent", "watch", "kcna",
    # Italian handout credits ("ANSA/UFFICIO STAMPA QUIRINALE": the press office)
    "ufficio", "stampa", "ministero", "presidenza", "polizia", "carabinieri",
    # companies ("Planet Labs PBC via AP", "Maxar Technologies"): their legal forms
    "labs", "technologies", "inc", "llc", "ltd", "plc", "pbc", "corp", "corporation", "gmbh",
    # Spanish, Portuguese, French and German handouts ("EFE/Armada de Chile", "Policía
    # Nacional", "Armée de Terre", "Bundeswehr"); not "marina" (a first name)
    "armada", "ejército", "ejercito", "policía", "guardia", "gobierno", "presidencia", "exército",
    "marinha", "armée", "armee", "gendarmerie", "bundeswehr", "polizei", "feuerwehr",
})


def looks_like_person(text: str) -> bool:
    """True for "Gudrun Halldorsdottir", False for "Chilean Navy", "WAM", "Social Media".

    >>> looks_like_person("Kwok Wing-yan"), looks_like_person("Coconino County Sheriff's Office")
    (True, False)
    """
    words = _WORD.findall(clean_name(text))
    if not 2 <= len(words) <= 5:
        return False
    if any(w.lower().strip(".,") in ORG_WORDS for w in words):
        return False
    return all(w[:1].isupper() or w.lower() in PARTICLES for w in words)
