"""Where the picture was taken: place phrases in the caption text, resolved with the gazetteer.

Evidence, strongest first (the first that gives a city and a country wins; weaker evidence only
fills what is missing):

1. the dateline (found by :mod:`captions.parse.dateline`);
2. ``in CITY, Country`` / ``in CITY, State`` phrases;
3. ``in the northern town of X``, ``north of Doha`` (the named place; its country from the
   gazetteer or, failing that, from the rest of the caption);
4. ``in CITY`` where the gazetteer knows CITY (the most populous of that name; a warning when
   another country has a city of that name nearly as large);
5. a country named anywhere in the caption, then a demonym ("Syrian forces").

English grammar, not agency conventions, so this is code rather than rule data.
"""

from __future__ import annotations

import functools
import operator
import re
import unicodedata
from collections.abc import Iterator
from typing import Final, NamedTuple


from .. import places
from ..agencies.schema import MACROS
from ..model import Location
from .dates import MONTHS, TUPLE_NEW, WEEKDAYS
from .names import natural_case
from .wordtrie import trie, words

__all__ = ["resolve_place", "find_location", "BODY_LIMIT"]

#: how many characters of the caption body are searched for place phrases
BODY_LIMIT = 1500

_UP = MACROS["{UP}"]
_LINK = r"(?:al|el|de|la|le|du|des|del|di|da|dos|do|of|upon|am|an|im|sur|sous|y|lo)"
#: a place word; initials ("N.H.", "D.C.": AP's state abbreviations) whole, with their dots;
#: "St.", "Mt.", "Co." ("Co. Cork") with theirs
_PW = rf"(?:(?:St|Ste|Mt|Ft|Pt|Co)\.|[A-Z]\.(?:[A-Z]\.)+|[{_UP}][\w'’]*(?:-[\w'’]+)*)"
#: "Zahara de la Sierra", "San Martín de los Andes", "Castiglione della Pescaia": a link and
#: an article
_LINK2 = r"(?:de[ \t]+(?:la|las|los)|della|delle|degli|dei)"
_PLACE = (rf"(?:(?:al-|el-)?{_PW}(?:(?:[ \t]+(?:{_LINK2}|{_LINK})[ \t]+|[ \t]+|-)(?:al-|el-)?"
          rf"{_PW}){{0,3}})")
_MOD_WORDS = ("the central downtown northern southern eastern western north south east west "
              "northeastern northwestern southeastern southwestern north-eastern north-western "
              "south-eastern south-western greater suburban rural old occupied rebel-held "
              "Israeli-occupied war-torn besieged flooded capital centrala centrale").split()
_MOD = r"(?:(?:" + "|".join(_MOD_WORDS) + r")[ \t]+){0,3}"
_CHAIN = (rf"(?P<a>{_PLACE})(?:[ \t]*,[ \t]*{_MOD}(?P<b>{_PLACE})|"
          rf"[ \t]+in[ \t]+{_MOD}(?P<b2>{_PLACE}))?"
          rf"(?:[ \t]*,[ \t]*{_MOD}(?P<c>{_PLACE}))?(?:[ \t]*\((?P<p>{_PLACE})\))?")
_DIR = (r"(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west|"
        r"central)")
_KIND_WORDS = ("town", "city", "village", "capital", "port", "suburb", "neighbourhood",
               "neighborhood", "camp", "municipality", "enclave", "hamlet", "locality", "commune",
               "outskirts", "streets", "coast", "border town", "border city", "resort", "island",
               "coastal town", "coastal city", "district", "ville", "pueblo", "ciudad", "stadt",
               "dorf",
               # Italian, Spanish, French, German: "il borgo di X", "la localidad de X"
               "borgo", "paese", "comune", "frazione", "cittadina", "città", "località",
               "municipio", "localidad", "aldea", "bourg", "hameau", "gemeinde", "ortschaft")
#: case-sensitive alternation of both spellings ("town", "Town"): faster than (?i:...)
_KIND = "(?:" + "|".join(sorted({w for k in _KIND_WORDS for w in (k, k[0].upper() + k[1:])},
                                key=len, reverse=True)) + ")"
_PREP = (r"(?:in|at|near|outside|around|across|through|along|inside|into|towards|over|above|off|from|"
         r"à|au|aux|près de|dans|en|a|cerca de|durch|bei|"
         # Swedish, Danish, Norwegian, Dutch: "i Aarhus", "vid Västerås", "nord for Skagen"
         r"i|vid|ved|bij|nord for|syd for|øst for|vest for|norr om|söder om|öster om|väster om)")

#: French "près d'Agen": the elided "de" before a vowel, no space
_ELIDED_PREP = r"(?:près[ \t]+d['’])"
_RX_IN: Final = re.compile(rf"(?<![\w])(?:{_PREP}[ \t]+|{_ELIDED_PREP}){_MOD}{_CHAIN}")
_RX_KIND: Final = re.compile(rf"(?<![\w]){_KIND}[ \t]+(?:of|de|d'|di|von)[ \t]*{_CHAIN}")
#: "north of" in French, Spanish, Italian and German, up to the first letter of the place:
#: "au nord de Nice", "à l'est d'Annecy", "al sur de Sevilla", "a nord di Firenze",
#: "nördlich von Hamburg"
_DIR_OTHER = [
    *[(f"au {d}", r"[ \t]+(?:de[ \t]+|d')") for d in
      ("nord", "sud", "nord-est", "nord-ouest", "sud-est", "sud-ouest")],
    *[(f"à l'{d}", r"[ \t]+(?:de[ \t]+|d')") for d in ("est", "ouest")],
    *[(f"al {d}", r"[ \t]+de[ \t]+") for d in
      ("norte", "sur", "este", "oeste", "noreste", "noroeste", "sureste", "suroeste")],
    *[(f"a {d}", r"[ \t]+di[ \t]+") for d in
      ("nord", "sud", "est", "ovest", "nord-est", "nord-ovest", "sud-est", "sud-ovest")],
    *[(d, r"[ \t]+von[ \t]+") for d in ("nördlich", "südlich", "östlich", "westlich")],
]
_RX_DIR: Final = re.compile(rf"(?<![\w])(?:(?:{_DIR}|{_DIR.title()})(?:ern)?[ \t]+of[ \t]+|"
                     rf"{trie(_DIR_OTHER)}){_MOD}{_CHAIN}")
_RX_OF: Final = re.compile(rf"(?<![\w])(?:(?:of|de|du|des|di|von)[ \t]+|d['’]){_MOD}{_CHAIN}")
_RX_LEAD: Final = re.compile(rf"^[ \t]*{_CHAIN}[ \t]*[:,]")


#: the first letters of a place (:data:`_PLACE`)
_PLACE_START = rf"(?:al-|el-|[{_UP}])"
#: the leading words of the four phrase patterns, each with what the scan wants after it up to
#: the first letter of a place, and what an ASCII text prints right after the word when the
#: scan matches there (its non-word characters as blanks, see :func:`_scan_starts`)
_BLANK: tuple[str, ...] = (" ",)
_NOTHING: tuple[str, ...] = ("",)
_START_LEADS: list[tuple[str, str, tuple[str, ...]]] = (
    [(w, rf"[ \t]+{_MOD}{_PLACE_START}", _BLANK)
     for w in words(_PREP) + ["of", "de", "du", "des", "di", "von"]] +
    # "la préfecture d'Agen", "près d'Agen": the elided "de", the place right after it
    [(w, _PLACE_START, _NOTHING) for w in ("d'", "d’", "près d'", "près d’")] +
    [(w, rf"[ \t]+(?:of|de|d'|di|von)[ \t]*{_PLACE_START}", _BLANK)
     for k in _KIND_WORDS for w in (k, k[0].upper() + k[1:])] +
    [(w, rf"(?:ern)?[ \t]+of[ \t]+{_MOD}{_PLACE_START}", _BLANK + ("ern ",))
     for w in words(_DIR) + words(_DIR.title())] +
    # (the other languages' direction words up to "de"/"di"/"von" only: a superset is enough)
    [(w, tail, _BLANK) for w, tail in _DIR_OTHER])
#: where one of the four place phrases above can start: a non-word character (consumed: a
#: character class first lets ``re`` skip to candidates in C; the text gets a leading space),
#: then a phrase's leading words up to the first letter of a place, all leading words in one
#: factored alternation.  A superset of every start of ``_RX_KIND``, ``_RX_IN``, ``_RX_DIR``
#: and ``_RX_OF``, found in one scan of the body; each pattern is then only *matched* at those
#: starts (see :func:`_phrase_matches`).
_RX_STARTS: Final = re.compile(r"[^\w](?=" + trie([(w, tail) for w, tail, _ in _START_LEADS]) + ")")
#: the same for ASCII text, where ``\w`` is ``[0-9A-Za-z_]``: a plain character table
_RX_STARTS_ASCII: Final = re.compile("[^0-9A-Za-z_]" + _RX_STARTS.pattern[len(r"[^\w]"):])
#: ASCII text as bytes through this table: word characters kept, every other byte a blank
_BLANK_NONWORD = bytes(c if chr(c).isascii() and (chr(c).isalnum() or c == 95) else 32
                       for c in range(256))


#: the first two letters of a modifier (:data:`_MOD`) or of a place starting in lower case
#: ("al-", "el-"): what follows "in " where :data:`_RX_STARTS` can match, other than a capital
_MOD_PAIRS = frozenset([w[:2] for w in _MOD_WORDS] + ["al", "el"])
#: the ASCII capitals (:data:`_PLACE_START` in ASCII text, but "al-" and "el-")
_CAPITALS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _first_words() -> tuple[dict[str, int], frozenset[str]]:
    """The leading words of :data:`_START_LEADS` as an ASCII text reads once its non-word
    characters are blanks (:data:`_BLANK_NONWORD`; "north-east" reads "north east", the elided
    "d'" reads "d"), by their first word: bit 1 when the word alone is a one-word preposition
    (letters only, wanting what :data:`_RX_STARTS` wants after a preposition: blanks, up to
    three modifiers, a place's first letter), bit 2 when it is another leading word alone
    ("town", "north", "northern", "d"), bit 4 when it starts a leading word of several words
    ("a nord", "cerca de"); and the second words of those.  Words with other than ASCII
    letters cannot be in ASCII text: left out."""
    plain = rf"[ \t]+{_MOD}{_PLACE_START}"
    first: dict[str, int] = {}
    second: set[str] = set()
    for w, tail, follow in _START_LEADS:
        if not w.isascii():
            continue
        for after in follow:
            read = (w.encode("ascii").translate(_BLANK_NONWORD).decode("ascii") + after).split()
            if len(read) > 1:
                bit = 4
                second.add(read[1])
            elif tail == plain and after == " " and w.isalpha():
                bit = 1
            else:
                bit = 2
            first[read[0]] = first.get(read[0], 0) | bit
    return first, frozenset(second)


_FIRST_WORDS, _SECOND_WORDS = _first_words()


def _scan_starts(body: str) -> list[int]:
    """The starts of :data:`_RX_STARTS` in ``" " + body`` (the body index of each phrase's
    first word), in order.

    ASCII text: read with its non-word characters as blanks and split at each blank, its words
    are looked up in :data:`_FIRST_WORDS` (every start of the pattern is the blank before such
    a word: the character the pattern consumes reads as a blank, a leading word as it is,
    followed by a blank), and the pattern is matched only there; alone, it tried a match at
    every non-word character (~21 a body, ~1,500 instructions each).  After a one-word
    preposition (bit 1) the pattern wants blanks, up to three modifiers and a place's first
    letter: one blank or tab then a capital matches; one blank or tab then anything but a
    letter, or two letters no modifier (nor "al-", "el-") starts with, cannot; only the rest
    ("in the", "in" and two blanks) is left to the pattern.  A word starting leading words of
    several words (bit 4) is left to it when the next word is a second word of one.
    """
    text = " " + body
    if not text.isascii():
        return [m.start() for m in _RX_STARTS.finditer(text)]
    pieces = text.encode("ascii").translate(_BLANK_NONWORD).decode("ascii").split(" ")
    final = len(pieces) - 1
    # (module globals read once: each read is a dict look-up in the compiled build)
    first, second, pairs, capitals = _FIRST_WORDS, _SECOND_WORDS, _MOD_PAIRS, _CAPITALS
    rx = _RX_STARTS_ASCII
    out: list[int] = []
    pos = 0                             # where the piece starts in ``text``
    for k in range(final):              # (the last piece has no blank after it)
        word = pieces[k]
        size = len(word)
        if size:
            code = first.get(word, 0)
            if code:
                j = pos + size          # right after the word
                check = bool(code & 2) or bool(code & 4) and pieces[k + 1] in second
                if code & 1 and not check:
                    c = text[j]
                    if c == " " or c == "\t":
                        n = text[j + 1:j + 2]
                        if n in capitals:
                            out.append(pos - 1)
                        elif n == " " or n == "\t" or text[j + 1:j + 3] in pairs:
                            check = True
                if check and rx.match(text, pos - 1) is not None:
                    out.append(pos - 1)
        pos += size + 1
    return out


def _phrase_matches(rx: re.Pattern[str], body: str, starts: list[int]) -> list[re.Match[str]]:
    """``list(rx.finditer(body))``, trying ``rx`` only at ``starts`` (a superset of its starts).

    ``finditer`` takes the leftmost match at or after the end of the previous one: the first
    start past that end where ``rx`` matches is the same match.
    """
    out: list[re.Match[str]] = []
    last = 0
    for s in starts:
        if s >= last:
            m = rx.match(body, s)
            if m is not None:
                out.append(m)
                last = m.end()
    return out


#: a word after a place that makes it a region or a feature, not a town
_AFTER_WORDS = ("region province state oblast governorate prefecture county district department "
                "river sea lake mountain mountains valley desert strait ocean bay gulf island "
                "islands peninsula border highway street road square park stadium airport "
                "station bridge club team government army police forces president official "
                "officials").split()
_AFTER: Final = re.compile(rf"[ \t]+({trie([(w, '') for w in _AFTER_WORDS])})\b", re.IGNORECASE)
_REGION_AFTER = frozenset({"region", "province", "state", "oblast", "governorate", "prefecture",
                           "county", "district", "department"})
#: words that make a place a sublocation (a park, a stadium), not a city
_SUBLOC_WORDS = frozenset({
    "park", "beach", "bridge", "stadium", "airport", "square", "palace", "house", "hall",
    "cathedral", "church", "mosque", "temple", "museum", "station", "street", "avenue", "road",
    "market", "arena", "centre", "center", "circuit", "club", "university", "hospital",
    "building", "tower", "harbour", "harbor", "port", "lake", "river", "canyon", "valley",
    "mountain", "mount", "island", "islands", "bay", "coast", "sea", "plaza", "ground",
    "field", "garden", "gardens", "zoo", "festival", "castle", "court", "parliament", "capitol",
    "marina", "shoal", "shoals", "reef", "atoll", "strait", "straits", "gulf", "ocean",
})
#: first words of a body of water named "X of Y" ("the Strait of Hormuz", "the Gulf of Aden",
#: "the Bay of Bengal", "the Sea of Azov"): no town
_WATER_OF = frozenset({"strait", "straits", "gulf", "bay", "sea", "ocean", "channel"})

_NOT_PLACES = frozenset(
    list(MONTHS) + list(WEEKDAYS) +
    ["the", "a", "an", "this", "his", "her", "their", "its", "front", "order", "addition",
     "support", "memory", "honor", "honour", "protest", "response", "action", "attendance",
     "march", "may", "june", "august", "april", "play", "part", "charge", "office", "power",
     "tears", "court", "parliament", "congress", "training", "practice", "victory", "defeat",
     "le", "la", "les", "el", "los", "las", "der", "die", "das", "un", "une", "game", "match",
     "round", "final", "stage", "state", "city"])
_TRIM_WORDS = frozenset(list(MONTHS) + list(WEEKDAYS) + ["on", "le", "el", "this"])


class Place(NamedTuple):
    """A resolved place mention (a plain tuple: built several times per caption)."""

    city: str | None
    region: str | None
    country: places.Country | None
    sublocation: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def score(self) -> int:
        return (2 if self.city else 0) + (1 if self.country else 0)


def _display(name: str) -> str:
    name = " ".join(name.split()).strip(" ,.;:")
    letters = [c for c in name if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(letters) > 3:
        return natural_case(name)
    return name


def _is_word_place(name: str) -> bool:
    if len(name) <= 3 and name.isupper() and places.lookup_country(name) is None and \
            places.lookup_region(name) is None:
        return False                 # "the EU summit": an acronym, not the town of Eu
    return places.fold(name) not in _NOT_PLACES


@functools.lru_cache(maxsize=4096)
def resolve_place(city: str | None, region: str | None = None, country: str | None = None,
                  *, sublocation: str | None = None, need_city_check: bool = True) -> Place:
    """Resolve raw dateline parts ("KYIV", None, "Ukraine") into a place with a country.

    Pure (the gazetteer is fixed data), so memoised: datelines repeat from caption to caption.
    """
    warnings: list[str] = []
    ctry: places.Country | None = None
    reg: str | None = None
    for raw in (country, region):
        if not raw:
            continue
        c = places.lookup_country(raw)
        r = places.lookup_region(raw)
        if c is not None and r is not None and city:
            # "Georgia": the country or the US state?  Ask the gazetteer about the city.
            if places.lookup_city(city, country=r.country.alpha3) and not \
                    places.lookup_city(city, country=c.alpha3):
                c = None
        if c is not None:
            ctry = ctry or c
        elif r is not None:
            reg = reg or r.name
            ctry = ctry or r.country
        elif raw is region and country is None:
            reg = reg or _display(raw)
    if city and any(w[:1].islower() and w not in ("de", "am", "la", "al", "el", "upon", "of")
                    for w in city.split()):
        # "Farmers protest in Strasbourg": the town is what follows the last "in"/"at"
        tail = re.split(r"\s(?:in|at|near)\s", city)
        city = tail[-1] if len(tail) > 1 else city
    city_out = _display(city) if city else None
    if city_out and " " in city_out:
        head, _, last = city_out.rpartition(" ")
        if last.lower() in _REGION_AFTER and places.lookup_city(city_out) is None:
            # "KHERSON REGION, UKRAINE" (Getty), "in Kherson Oblast": a region, not a town
            r = places.lookup_region(head)
            reg = reg or (r.name if r is not None else head)
            ctry = ctry or (r.country if r is not None else None)
            city_out = None
    if city_out and ctry is not None and country and not places.lookup_city(city_out) and \
            places.lookup_city(country, country=ctry.alpha3) and sublocation is None and \
            (ctry.alpha3 in _CITY_STATES or ctry.alpha3 == "MCO" or _is_subloc(city_out) or
             places.fold(city_out) in _SUBLOC_WORDS):
        # "Marina Bay Street Circuit, Singapore": a venue in a city-state (a town the gazetteer
        # lacks stays the town: "in Khan Younis, Gaza" names the territory, not Gaza City)
        sublocation, city_out = city_out, _display(country)
    if city_out and places.lookup_country(city_out) is not None and ctry is None:
        # "in Syria": a country, not a city
        return Place(None, reg, places.lookup_country(city_out), sublocation)
    if city_out and (ctry is None or reg is None) and need_city_check:
        hit = places.lookup_city(city_out, country=ctry.alpha3 if ctry else None)
        if hit is not None:
            if ctry is None:
                ctry = hit.country
                if hit.ambiguous:
                    warnings.append(f"city {city_out!r} is ambiguous ({hit.country.alpha3} or "
                                    f"{', '.join(hit.ambiguous)}); chose the most populous")
            if reg is None and hit.us_state and ctry.alpha3 == "USA":
                r = places.lookup_region(hit.us_state)
                reg = r.name if r else None
    return Place(city_out, reg, ctry, sublocation, tuple(warnings))


def _trim(name: str) -> str:
    """Cut a captured place at a month or weekday word ("Dakar on November" -> "Dakar")."""
    words = name.split()
    if len(words) > 1 and (places.lookup_city(name) or places.lookup_country(name)):
        return name                  # "Chiang Mai": a known place, whatever its words mean
    for i, w in enumerate(words):
        if i and places.fold(w) in _TRIM_WORDS:
            return " ".join(words[:i])
    return name


def _is_subloc(name: str) -> bool:
    big = places.lookup_city(name)
    if big is not None and big.population >= 100_000:
        return False                 # "Long Beach", "Palm Springs"... are towns
    words = name.split()
    if len(words) > 2 and words[1] == "of" and places.fold(words[0]) in _WATER_OF:
        return True
    if not words:
        return False
    first = places.fold(words[0])
    # "Port of Santos" is a facility, "Port Talbot" a town's name ("Mount X", "Lake X" features)
    return any(places.fold(w) in _SUBLOC_WORDS for w in words[1:]) or \
        first in ("mount", "lake") or first == "port" and (len(words) == 1 or words[1] == "of")


class _Cand(NamedTuple):
    tier: int
    pos: int
    place: Place
    end: int = 0


def _cand(tier: int, pos: int, place: Place, end: int) -> _Cand:
    """``_Cand(tier, pos, place, end)`` through ``dates.TUPLE_NEW`` (the NamedTuple's
    ``__new__`` runs as bytecode even in the compiled build: ~2,000 instructions a record)."""
    made: _Cand = TUPLE_NEW(_Cand, (tier, pos, place, end))
    return made


#: the place printed after a region word: "near Pokrovsk, Donetsk region, Ukraine"
_RX_NEXT: Final = re.compile(rf"[ \t]*,[ \t]*(?P<y>{_PLACE})")


def _candidate(m: re.Match[str], body: str, tier_named: int | None) -> _Cand | None:
    """Turn a matched phrase into a ranked candidate (None when it names no place we trust)."""
    end = m.end()
    nxt_char = body[end:end + 1]
    # (``_AFTER`` starts with a blank: no need to run it when the next character is none)
    after = _AFTER.match(body, end) if nxt_char == " " or nxt_char == "\t" else None
    after_word = next_raw = None
    if after is not None:
        after_word = after.group(1)
        if after_word.lower() in _REGION_AFTER:
            nxt = _RX_NEXT.match(body, after.end())
            next_raw = nxt.group("y") if nxt is not None else None
    a, b, b2, c, p = m.group("a", "b", "b2", "c", "p")
    if after_word == "district" and tier_named is None and not (b or b2 or c or p):
        town = _district_town(m, body, after.end() if after is not None else 0)
        if town is not None:
            return town
    found = _ranked_place(a, b, b2, c, p, after_word, tier_named, next_raw)
    return None if found is None else _cand(found[0], m.start(), found[1], end)


@functools.lru_cache(maxsize=4096)
def _ranked_place(a: str, b: str | None, b2: str | None, c: str | None, p: str | None,
                  after_word: str | None, tier_named: int | None,
                  next_raw: str | None = None) -> tuple[int, Place] | None:
    """``(tier, place)`` of a phrase's parts and the word after it, as printed (pure:
    memoised); ``next_raw``: the place printed after a region word ("X region, Country")."""
    word = after_word
    after_word = word.lower() if word is not None else None
    raw = [a, b or b2, c, p]
    inner = b2
    outer_city = places.lookup_city(_trim(a)) if inner else None
    inner_city = places.lookup_city(inner) if inner else None
    if inner and tier_named is None and inner_city is not None and (
            _is_subloc(a) or outer_city is None and
            places.lookup_country(a) is None or
            outer_city is not None and inner_city.population >= 10 * outer_city.population):
        # "at Letna Stadium in Prague, Czech Republic": the town is the inner place
        raw = [inner, c, p]
    parts: list[str] = []
    for i, part in enumerate(raw):
        if not part:
            continue
        part = _trim(part)
        if not _is_word_place(part) and not (
                part == p and i == len(raw) - 1 and parts and _province_code(parts[0], part)):
            if i == 0:
                return None
            break
        parts.append(part)
        if part != raw[i]:
            break
    if not parts:
        return None
    first, rest = parts[0], parts[1:]
    if after_word in _REGION_AFTER:
        # "Donetsk region", "Para state", "Santa Barbara department": the last part is a region
        # (often named like its capital), of the country printed after it when there is one
        nxt = places.lookup_country(next_raw) if next_raw else None
        if not rest:
            r = places.lookup_region(first)
            hit = places.lookup_city(first)
            found: places.Country | None = nxt or (r.country if r else hit.country if hit else None)
            return (8, Place(None, _display(first), found))
        if len(rest) == 1 and parts[-1] == [x for x in raw if x][-1]:
            # "near Pokrovsk, Donetsk region, Ukraine": the town before the region
            return _town_in_region(first, rest[0], word, nxt, tier_named)
    if p is not None and len(parts) == 2 and parts[1] == p and not _is_subloc(first) and \
            (places.lookup_country(p) is None and places.lookup_region(p) is None
             or _province_code(first, p)):
        # "a Marradi (Firenze)", "en Écija (Sevilla)": a place in brackets after the town is
        # its province, often named like its capital; the town is the place
        return _town_in_region(first, p, None, None, tier_named)
    if after_word is not None and not rest:
        if tier_named is None:
            return None
    country_raw = region_raw = None
    unknown: list[str] = []
    for p in rest:
        if places.lookup_country(p) and country_raw is None:
            country_raw = p
        elif places.lookup_region(p) and region_raw is None:
            region_raw = p
        else:
            unknown.append(p)
    if places.lookup_country(first) and not rest:
        return (9, resolve_place(first))
    big = places.lookup_city(first)
    if places.lookup_region(first) and not rest and tier_named is None and \
            (big is None or big.population < 100_000):
        r = places.lookup_region(first)
        return (9, Place(None, r.name, r.country)) if r else None
    if country_raw is not None and not region_raw and not unknown and tier_named is None:
        state = places.lookup_country(country_raw)
        if state is not None and state.alpha3 in _CITY_STATES and \
                places.lookup_country(first) != state:     # "in Vatican City, Vatican": as is
            # "in Mong Kok, Hong Kong", "in St. Peter's Square, Vatican City": a city that is
            # its own country is the town, the place before it a district or venue in it
            return (2, resolve_place(country_raw, None, country_raw, sublocation=_display(first)))
    # "at Anfield, Liverpool": the second part is the town, the first a place in it
    sub = None
    if tier_named is None and rest and not country_raw and not region_raw and unknown and \
            places.lookup_city(unknown[0]) and not places.lookup_city(first):
        sub, first = first, unknown[0]
    elif tier_named is None and rest and unknown and unknown[0] is rest[0]:
        # "in Notting Hill, London": a district, then the much bigger city of the same country;
        # "in Whitehall, London": a district whose namesake town abroad is what the gazetteer
        # knows, then a city of a million people (not ambiguous) ten times bigger
        small, big_city = places.lookup_city(first), places.lookup_city(unknown[0])
        if small is not None and big_city is not None and \
                big_city.population >= 10 * small.population and (
                    small.country == big_city.country or
                    big_city.population >= BIG_CITY and not big_city.ambiguous):
            sub, first = first, unknown[0]
    if sub is None and tier_named is None:
        head, _, last = first.rpartition(" ")
        if head and places.fold(last) in _SUBLOC_WORDS:
            # "at Dubai Marina": a district listed as a town of 100,000+ (smaller venues are
            # sublocations anyway) named after a city ten times bigger in the same country: the
            # city, the district its sublocation ("Manhattan Beach", 35,000, stays a town)
            own, big_city = places.lookup_city(first), places.lookup_city(head)
            if own is not None and big_city is not None and own.country == big_city.country \
                    and own.population >= 100_000 \
                    and big_city.population >= 10 * own.population:
                sub, first = first, head
    if sub is None and tier_named is None and unknown and unknown[0] is rest[0] and \
            _is_subloc(first) and places.lookup_city(unknown[0]) is not None:
        # "in Leicester Square, London, UK": a venue, then its town
        sub, first = first, unknown[0]
    if _is_subloc(first) and not _town_of(first, region_raw, country_raw):
        if country_raw or region_raw:
            venue = resolve_place(None, region_raw, country_raw, sublocation=_display(first))
            return (7, venue)
        return None
    place = resolve_place(first, region_raw, country_raw, sublocation=_display(sub) if sub else None)
    if tier_named is not None:
        return (tier_named, place)
    explicit = bool(country_raw or region_raw) and place.country is not None
    if explicit:
        return (2, place)
    if places.lookup_city(first) is not None:
        return (3, place)
    if unknown:
        # "in Agam, West Sumatra": a town we do not know, in a region we do not know
        return (6, place._replace(region=_display(unknown[0])))
    return None


#: the rest of a name the place pattern cut at "and" ("Jammu and Kashmir, India")
_RX_AND: Final = re.compile(rf"[ \t]+and[ \t]+(?P<y>{_PLACE})(?:[ \t]*,[ \t]*{_MOD}(?P<c>{_PLACE}))?")


def _joined_name(m: re.Match[str], body: str) -> _Cand | None:
    """"near Sonamarg, Jammu and Kashmir, India", "in Zahedan, Sistan and Baluchestan": the
    phrase stopped at "and" inside a region's or country's name, and its first word alone is a
    town (Jammu): the phrase read again with the whole name (None when the joined words name
    no listed region or country)."""
    j = _RX_AND.match(body, m.end())
    if j is None or m.group("b2") or m.group("c") or m.group("p"):
        return None
    a, b = m.group("a", "b")
    name = f"{b or a} and {j.group('y')}"
    if places.lookup_region(name) is None and places.lookup_country(name) is None:
        return None
    found = (_ranked_place(a, name, None, j.group("c"), None, None, None) if b else
             _ranked_place(name, j.group("c"), None, None, None, None, None))
    return None if found is None else _cand(found[0], m.start(), found[1], j.end())


_RX_OF_NEXT: Final = re.compile(rf"[ \t]+of[ \t]+(?P<y>{_PLACE})")


def _district_town(m: re.Match[str], body: str, end: int) -> _Cand | None:
    """"in Dogubayazit district of Agri": a district named after its town, in a province (a
    town the gazetteer knows, no article before it, the place after "of" no city of a million
    people): the town, named.  "the Alfama district of Lisbon" and "Kadikoy district of
    Istanbul" are parts of a city: None."""
    y = _RX_OF_NEXT.match(body, end)
    a = m.group("a")
    if y is None or "the" in body[m.start():m.start("a")].split() or \
            not _is_word_place(a) or places.lookup_city(a) is None:
        return None
    big = places.lookup_city(_trim(y.group("y")))
    if big is not None and big.population >= BIG_CITY:
        return None
    return _cand(1, m.start(), resolve_place(a), m.end())


def _town_of(name: str, region_raw: str | None, country_raw: str | None) -> bool:
    """Whether the gazetteer knows ``name`` as a town of the region or country printed after
    it ("Fort Valley, Ga.", "Byron Bay, NSW"): a town, whatever its words say (valley, bay)."""
    if not (region_raw or country_raw):
        return False
    country = places.lookup_country(country_raw) if country_raw else None
    region = places.lookup_region(region_raw) if region_raw else None
    within = country or (region.country if region is not None else None)
    if within is None:
        return False
    hit = places.lookup_city(name, country=within.alpha3)
    if hit is None:
        return False
    if region is not None and hit.us_state and within.alpha3 == "USA":
        state = places.lookup_region(hit.us_state)
        return state is not None and state.name == region.name
    return True


def _province_code(town: str, code: str) -> bool:
    """Whether ``code``, in brackets after ``town``, is an Italian province's two-letter code
    (ANSA: "Civita Castellana (VT)", "Sperlonga (LT)") rather than the US state or the country
    it also spells: unless the town is known there and not in the province's country."""
    if len(code) != 2 or not code.isupper():
        return False
    prov = places.lookup_province(code)
    if prov is None:
        return False
    if places.lookup_city(town, country=prov.country.alpha3) is not None:
        return True
    state = places.lookup_region(code)
    other = places.lookup_country(code) or (state.country if state is not None else None)
    return other is None or places.lookup_city(town, country=other.alpha3) is None


def _town_in_region(town: str, region: str, word: str | None, country: places.Country | None,
                    tier_named: int | None) -> tuple[int, Place] | None:
    """``(tier, place)`` of "TOWN, REGION region[, COUNTRY]" (``word``: the region word as
    printed): the town, in the region's country (the one printed after it, else the listed
    region's, else the country of the city the region is named after)."""
    r = places.lookup_region(region)
    if r is not None and word is None and country is None and _province_code(town, region):
        r = None    # "Civita Castellana (VT)": Viterbo, not Vermont
    within = country or (r.country if r is not None else None)
    if within is None and word is None and \
            (prov := places.lookup_province(region)) is not None and (
                places.lookup_city(town) is None or
                places.lookup_city(town, country=prov.country.alpha3) is not None):
        # "Algeciras (Cádiz)", "Civita di Bagnoregio (Viterbo)": an Italian or Spanish province
        # in brackets tells the country (a town known only abroad keeps its own country)
        r = prov
        within = prov.country
    if within is None:
        hit = places.lookup_city(region)
        within = hit.country if hit is not None and not hit.ambiguous else None
    if r is not None:
        reg = r.name
    else:
        # "south China's Guangxi Zhuang Autonomous Region": the name after the possessive, with
        # the region word when it is printed as part of the name
        low = region.lower()
        cut = max(low.rfind("'s "), low.rfind("’s "))
        name = region[cut + 3:] if cut >= 0 else region
        reg = _display(name) + (" " + word if word and word[:1].isupper() else "")
    if places.lookup_country(town) is not None:
        return None
    if _is_subloc(town):
        return (7, Place(None, reg, within, _display(town)))
    place = resolve_place(town, None, within.name if within is not None else None)
    place = place._replace(region=reg)
    if tier_named is not None:
        return (tier_named, place)
    if country is not None or r is not None or within is not None and \
            places.lookup_city(town, country=within.alpha3) is not None:
        return (2, place)
    return (6, place)


_CAP_WORDS: Final = re.compile(rf"[{_UP}][\w'’.\-]*(?:[ \t]+(?:of|the|and)?[ \t]*[{_UP}][\w'’.\-]*){{0,3}}")


_POSSESSIVE = ("'s", "’s")

#: countries that are one city (ISO 3166-1 alpha-3): "X, Singapore" names a place in the city
#: (not Monaco: "Monte Carlo, Monaco" keeps its quarter as the town, as captions print it)
_CITY_STATES = frozenset({"SGP", "VAT", "HKG", "MAC", "GIB"})


def _cap_phrases(text: str, sizes: tuple[int, ...], strip: str = ""
                 ) -> Iterator[tuple[str, int, int]]:
    """Runs of ``sizes`` capitalised words in the text's first capitalised runs, longest first
    within each run: ``(phrase, size, words in the run)``, the phrase cut of ``strip``
    characters at its end and of a possessive "'s"."""
    for n, m in enumerate(_CAP_WORDS.finditer(text)):
        if n > 80:
            return
        words = m.group(0).split()
        for size in sizes:
            for i in range(len(words) - size + 1):
                phrase = words[i] if size == 1 else " ".join(words[i:i + size])
                if strip:
                    phrase = phrase.rstrip(strip)
                if phrase.endswith(_POSSESSIVE):
                    phrase = phrase[:-2]
                yield phrase, size, len(words)


def _mentioned_country(text: str) -> places.Country | None:
    """A country named in the text ("in Syria", "Austria's"), else one from a demonym."""
    demonym: places.Country | None = None
    for phrase, size, _ in _cap_phrases(text, (3, 2, 1)):
        c = places.lookup_country(phrase) if len(phrase) > 3 or size > 1 else None
        if c is not None and not (size == 1 and phrase.isupper() and len(phrase) <= 4):
            return c
        if demonym is None:
            demonym = places.lookup_demonym(phrase)
    return demonym


_LOWER_WORDS: Final = re.compile(r"(?<![\w'’-])[^\W\d_A-Z][^\W\d_]{3,}\b")


def _adjective_country(text: str) -> places.Country | None:
    """The country of the first lower-case adjective of a region or town ("dans l'arrière-pays
    niçois"): only asked for a named town no other word gives a country."""
    for m in _LOWER_WORDS.finditer(text):
        c = places.lookup_place_adjective(m.group(0))
        if c is not None:
            return c
    return None


#: a city named with no phrase around it counts only this big ("the Dubai Metro")
BIG_CITY = 1_000_000


#: ... or this big when it is a city of the country the caption names (a whole capitalised run)
NAMED_COUNTRY_CITY = 100_000


def _mentioned_big_city(text: str, country: places.Country | None = None) -> Place | None:
    """The first city of a million people or more named anywhere (a last resort), or of
    :data:`NAMED_COUNTRY_CITY` when it is a city of ``country``, the country the caption names,
    standing alone ("the Burkinabe Presidency ... a visit to Bobo-Dioulasso")."""
    for phrase, size, run in _cap_phrases(text, (2, 1), ".,"):
        if len(phrase) < 4 or places.lookup_country(phrase) is not None:
            continue
        hit = places.lookup_city(phrase)
        if hit is not None and (hit.population >= BIG_CITY or
                                hit.country == country and size == run and
                                hit.population >= NAMED_COUNTRY_CITY and
                                _is_word_place(phrase)):
            return Place(_display(phrase), None, hit.country,
                         warnings=(f"place taken from a mention of {phrase!r}",))
    return None


def _known_in_country(place: Place) -> bool:
    return bool(place.city and place.country is not None and
                places.lookup_city(place.city, country=place.country.alpha3) is not None)


def _context_countries(text: str, skip: str) -> list[places.Country]:
    """Countries the caption's other place words point to, in order: countries, regions,
    demonyms and cities named anywhere ("north of Paris", "Abu Dhabi's", "Syrian")."""
    out: list[places.Country] = []
    skip_key = places.fold(skip)
    for phrase, size, run in _cap_phrases(text, (3, 2, 1), ".,"):
        if len(phrase) < 3 or places.fold(phrase) == skip_key or \
                size == 1 and phrase.isupper() and len(phrase) <= 4:
            continue
        c = places.lookup_country(phrase)
        if c is None:
            r = places.lookup_region(phrase)
            c = r.country if r is not None else places.lookup_demonym(phrase)
        if c is None and size == run and len(phrase) >= 4 and _is_word_place(phrase):
            # only a big city named on its own is evidence: small namesakes of words ("Kent",
            # "Summit") and parts of longer names ("San" of "San Marco") are everywhere
            hit = places.lookup_city(phrase)
            c = hit.country if hit is not None and hit.population >= BIG_CITY and \
                not hit.ambiguous else None
        if c is not None and c not in out:
            out.append(c)
    return out


def _in_context(best: Place, body: str, rivals: tuple[str, ...]) -> Place:
    """A city guessed from its name alone, moved to a namesake nearly as big (``rivals``: the
    gazetteer's "ambiguous" countries) in a country the caption's other places point to ("in
    Saint-Denis, north of Paris": France, not the bigger one in Réunion).  A much smaller
    namesake is never taken ("Washington" stays in the US whatever "Britain's" says)."""
    assert best.city is not None and best.country is not None
    ctx = _context_countries(body, best.city)
    if not ctx or best.country in ctx:
        return best
    for c in ctx:
        if c.alpha3 in rivals:
            return resolve_place(best.city, None, c.name)
    return best


#: "in" before a region or country that places the town named before it: "X, in Morocco",
#: French "X, en Dordogne", "X, dans la Drôme", Italian "X, nel Lazio", German "X, im Allgäu"
_WITHIN = (r"(?:in|en|au|aux|dans(?:[ \t]+(?:la|le|les)\b|[ \t]+l')?|nel|nella|nelle|im)"
           r"[ \t]+")
_RX_WITHIN: Final = re.compile(rf"[ \t]*,[ \t]*{_WITHIN}(?:the[ \t]+)?(?P<y>{_PLACE})")


def _within_country(body: str, end: int) -> places.Country | None:
    """The country of "X, in Y" right after a place phrase ending at ``end``: Y (or its first
    words, "Abu Dhabi's Al Dhafra" -> "Abu Dhabi") a country, a region or a city of 100,000+."""
    m = _RX_WITHIN.match(body, end) if end else None
    if m is None:
        return None
    words = m.group("y").split()
    for size in range(min(len(words), 3), 0, -1):
        phrase = " ".join(words[:size])
        if phrase.endswith("'s") or phrase.endswith("’s"):
            phrase = phrase[:-2]
        elif size < len(words):
            continue                 # a part of a longer name counts only as a possessive
        c = places.lookup_country(phrase)
        if c is not None:
            return c
        r = places.lookup_region(phrase)
        if r is not None:
            return r.country
        hit = places.lookup_city(phrase)
        if hit is not None and hit.population >= 100_000 and not hit.ambiguous:
            return hit.country
    return None


_RX_IN_COUNTRY: Final = re.compile(
    rf"[ \t]*,[ \t]*{_WITHIN}{_MOD}(?P<y>{_PLACE})[ \t]*(?:[,.;:]|on\b|$)")


def _unknown_in_country(m: re.Match[str], body: str) -> _Cand | None:
    """"near Merzouga, in south-eastern Morocco", "à Montignac-Lascaux, en Dordogne": a town
    the gazetteer lacks, placed by the country or listed region named right after it ("X, in
    Country"): the town, of that country.  Also "at the Adre border crossing"
    (:func:`_crossing_town`)."""
    if body.startswith(" border ", m.end()):
        return _crossing_town(m, body)
    w = _RX_IN_COUNTRY.match(body, m.end())      # most phrases fail here, at once
    inner: str | None = None
    if w is not None:
        y = w.group("y")
    else:
        poss = _possessive_within(body, m.end())
        if poss is None:
            return None
        y, inner = poss
    a = m.group("a")
    if m.group("b") or m.group("b2") or m.group("c") or m.group("p") or \
            not _is_word_place(a) or _is_subloc(a) or places.lookup_city(a) is not None or \
            places.lookup_country(a) is not None or places.lookup_region(a) is not None:
        return None
    country = places.lookup_country(y)
    if country is None:
        region = places.lookup_region(y)
        if region is None:
            return None
        return _cand(2, m.start(), resolve_place(a, region.name, None), m.end())
    # "Torkham, in Afghanistan's Nangarhar province": the region after the possessive
    place = resolve_place(a, None, country.name)
    if inner:
        place = place._replace(region=_display(inner))
    return _cand(2, m.start(), place, m.end())


#: the words before "from X" that make X where the camera stood: "as seen from Metula"
_RX_SEEN: Final = re.compile(r"(?:seen|viewed|pictured|photographed|filmed)[ \t]+$")


def _water_before(body: str, start: int) -> bool:
    """Whether "of X" at ``start`` names a body of water's "X" ("the Sea of Azov": no town)."""
    head = body[max(0, start - 8):start].rsplit(None, 1)
    return bool(head) and places.fold(head[-1]) in _WATER_OF


def _from_place(c: _Cand, body: str) -> _Cand:
    """A town after "from": where people or things came from ("displaced from El-Fasher arrive
    in Tawila"), weaker than one after "in"/"at" (ranked like "north of X"); but "as seen from
    Metula, northern Israel" names the camera's place, and wins over the place seen ("the
    village of Khiam")."""
    if c.place.city is not None and _RX_SEEN.search(body, max(0, c.pos - 14), c.pos):
        return c._replace(tier=0)
    return c._replace(tier=4) if c.tier < 4 else c


def _possessive_within(body: str, end: int) -> tuple[str, str] | None:
    """"X, in Afghanistan's Nangarhar province", "X, in Sudan's North Darfur state" right after
    a place phrase ending at ``end``: the name before the possessive (the country or region)
    and the one after it (None without a possessive)."""
    w = _RX_WITHIN.match(body, end)
    if w is None:
        return None
    y = w.group("y")
    cut = max(y.find("'s "), y.find("’s "))
    return (y[:cut], y[cut + 3:]) if cut > 0 else None


#: "à Saint-Martin-Vésubie, " ending right before "au nord de Nice": the town a direction
#: phrase locates (searched in a short window before it)
_RX_BEFORE_DIR: Final = re.compile(
    rf"(?<![\w]){_PREP}[ \t]+(?:the[ \t]+(?:town|city|village)[ \t]+of[ \t]+)?"
    rf"(?P<a>{_PLACE})[ \t]*,[ \t]*$")


def _town_before_dir(body: str, start: int, ref: Place) -> _Cand | None:
    """"in X, north of Y" (any language of :data:`_RX_DIR`): X is the town, named (kept when
    the gazetteer lacks it), of Y's country; None when no such X ends right before ``start``."""
    if body[max(0, start - 2):start].strip(" \t") != ",":
        return None                              # most direction phrases: no comma before
    m = _RX_BEFORE_DIR.search(body, max(0, start - 80), start)
    if m is None:
        return None
    a = _trim(m.group("a"))
    if not _is_word_place(a) or _is_subloc(a) or places.lookup_country(a) is not None or \
            places.lookup_region(a) is not None or \
            a.rpartition(" ")[2].lower() in _REGION_AFTER:
        return None
    country = ref.country
    place = resolve_place(a, None, country.name if country is not None else None)
    return _cand(2, m.start(), place, start)


def _ref_country(d: re.Match[str]) -> places.Country | None:
    """The country of the place a direction phrase ("north of Lima", "al norte de Lima, Perú")
    refers to: a country printed in it, else the named place's (a country, a city, a region)."""
    for part in d.group("b", "c"):
        if part and places.lookup_country(part) is not None:
            return places.lookup_country(part)
    return _country_of(_trim(d.group("a")))


def _country_of(ref: str) -> places.Country | None:
    """The country a place name stands in: the country so named, else the city's (the most
    populous of that name), else the region's."""
    country = places.lookup_country(ref)
    if country is None:
        hit = places.lookup_city(ref)
        region = places.lookup_region(ref)
        country = hit.country if hit is not None else region.country if region else None
    return country


def _movable(city: str, country: places.Country) -> bool:
    """Whether a town the gazetteer placed by its name alone may move to ``country`` the
    caption points to: its namesake is small (under 100,000) or it is known there too (a big
    city stays: "in Tijuana, south of San Diego" is Mexico)."""
    guess = places.lookup_city(city)
    return guess is None or guess.population < 100_000 or \
        places.lookup_city(city, country=country.alpha3) is not None


def _placed_by_direction(c: _Cand, m: re.Match[str], body: str) -> _Cand:
    """"in Ancon, north of Lima", "la localidad de Ancón, al norte de Lima": a town named
    without its country and placed relative to a city right after it is in that city's country
    (moved there when :func:`_movable`: Peru, not the Ancón of Panama).  The caller checked
    that ", " and a direction word's first letter follow the phrase."""
    if c.place.city is None or c.place.country is None or \
            m.group("b") or m.group("b2") or m.group("c") or m.group("p"):
        return c
    d = _RX_DIR.match(body, c.end + 2)
    if d is None:
        return c
    country = _ref_country(d)
    if country is None or country == c.place.country or not _movable(c.place.city, country):
        return c
    return c._replace(place=resolve_place(c.place.city, None, country.name))


def _names_within(m: re.Match[str]) -> bool:
    """Whether a phrase prints a country, region or province after its town ("X, Chile", "X
    in Mugla": not ", June")."""
    return any(part and (places.lookup_country(part) is not None or
                         places.lookup_region(part) is not None or
                         places.lookup_province(part) is not None)
               for part in m.group("b", "b2", "c", "p"))


def _demonym_country(body: str, start: int) -> places.Country | None:
    """The country of a demonym right before the kind word at ``start`` ("the Bolivian city of
    El Alto", "the Honduran port town of Trujillo": one lower-case word may come between)."""
    if not body[start - 2:start - 1].isalpha():
        return None                  # "(the) town of X": no word right before the kind word
    words = body[max(0, start - 40):start].split()
    if len(words) > 1 and words[-1].islower():
        words.pop()
    if not words or not words[-1][:1].isupper():
        return None
    return places.lookup_demonym(words[-1])


def _by_demonym(c: _Cand, m: re.Match[str], body: str) -> _Cand:
    """"the Bolivian city of El Alto": a town named by a kind phrase with no country printed
    after it is in the country of the demonym before the kind word (the gazetteer's El Alto is
    a small Peruvian one); the town stays, known there or not."""
    country = _demonym_country(body, c.pos)
    if country is None or country == c.place.country or c.place.city is None or \
            c.place.sublocation is not None or _names_within(m):
        return c
    return c._replace(place=resolve_place(c.place.city, None, country.name))


def _amended(c: _Cand, m: re.Match[str], body: str, rx: re.Pattern[str]) -> _Cand:
    """A phrase's candidate amended by the words around it: the demonym before a kind phrase
    (:func:`_by_demonym`), a direction phrase after it (:func:`_placed_by_direction`)."""
    if rx is _RX_KIND:
        c = _by_demonym(c, m, body)
    end = c.end
    # (most phrases end before a blank or a full stop; after ", " only a direction word counts)
    if body.startswith(", ", end) and body[end + 2:end + 3] in _DIR_INITIALS:
        return _placed_by_direction(c, m, body)
    return c


#: the first letters of :data:`_RX_DIR`'s leading words
_DIR_INITIALS = frozenset("nsewcNSEWCaàö")


#: "the Adre border crossing": the name before the crossing is the border town
_RX_CROSSING: Final = re.compile(r"[ \t]+border[ \t]+(?:crossing|post|checkpoint|point|gate)s?\b")


def _crossing_town(m: re.Match[str], body: str) -> _Cand | None:
    """"at the Adre border crossing", "at the Torkham border post": the town the crossing is
    named after (a town the gazetteer lacks too: its country then comes from the rest of the
    caption); None for a country or a people ("the Polish border crossing")."""
    if _RX_CROSSING.match(body, m.end()) is None or \
            m.group("b") or m.group("b2") or m.group("c") or m.group("p"):
        return None
    a = _trim(m.group("a"))
    if not _is_word_place(a) or _is_subloc(a) or any(
            places.lookup_country(w) or places.lookup_region(w) or places.lookup_demonym(w)
            for w in {a, *a.split("-")}):
        return None
    hit = places.lookup_city(a)
    if hit is not None:
        return _cand(3, m.start(), resolve_place(a), m.end())
    return _cand(6, m.start(), Place(_display(a), None, None), m.end())


@functools.cache
def _rx_before_region() -> re.Pattern[str]:
    """A region word between a town and "of"/"de" Y: "em Arganil, distrito de Coimbra", "en
    Zahara, provincia de Cádiz", "in X, province of Y" (searched in a short window before
    "of"/"de"; compiled on first use)."""
    return re.compile(
        rf"(?<![\w])(?:{_PREP}|em|no|na)[ \t]+(?P<a>{_PLACE})[ \t]*,[ \t]*(?:the[ \t]+)?"
        r"(?:distrito|district|provincia|province|regi[oó]n|departamento|department|"
        r"département|estado|state|county|prefecture|governorate)[ \t]+$")

#: the region words of :func:`_rx_before_region` (the word before "of"/"de", lower case)
_REGION_OF = frozenset({"distrito", "district", "provincia", "province", "region", "región",
                        "departamento", "department", "département", "estado", "state",
                        "county", "prefecture", "governorate"})

#: nouns of people before "of X" that make X a town: "residents of Puerto Williams, Chile"
_PEOPLE_OF = frozenset({"residents", "inhabitants", "villagers", "townspeople", "habitantes",
                        "vecinos", "moradores", "habitants", "abitanti", "einwohner"})


def _of_place(c: _Cand, m: re.Match[str], body: str) -> _Cand | None:
    """The candidate of a weak "of X" phrase ("the skyline of Chongqing"), ranked 5, or None
    when it does not count: only a town the gazetteer knows (in the country printed after it),
    or one the words around it make a town -- "residents of X, Country", "di Sperlonga (LT)"
    (a listed province in brackets); and "X, distrito de Y": the town X, in region Y."""
    start = m.start()
    head = body[max(0, start - 14):start].split()
    word = head[-1].lower() if head else ""
    before = _rx_before_region().search(body, max(0, start - 80), start) \
        if word in _REGION_OF and c.place.city is not None else None
    if before is not None:
        town = _trim(before.group("a"))
        if _is_word_place(town) and not _is_subloc(town) and \
                places.lookup_country(town) is None and places.lookup_region(town) is None:
            country = c.place.country
            place = resolve_place(town, None, country.name if country is not None else None)
            return _cand(2, before.start(), place._replace(region=c.place.city), c.end)
    if c.tier != 3 and not (c.tier == 2 and _known_in_country(c.place)):
        p = m.group("p")
        prov = places.lookup_province(p) if p else None
        if c.tier != 2 or not (prov is not None and prov.country == c.place.country or
                               word in _PEOPLE_OF):
            return None
    if _water_before(body, start):
        return None
    return c._replace(tier=5)


#: a known town right before a lower-case feature word: "a ferry leaves Belfast harbour"
_RX_FEATURE: Final = re.compile(
    r"[ \t](?:harbour|harbor|port|airport|docks|seafront|waterfront|skyline|city centre|"
    r"city center|town centre|town center)\b")
#: the place words ending right before the feature word (searched in a short window before it)
_RX_BEFORE_FEATURE: Final = re.compile(rf"(?<![\w])(?P<a>{_PLACE})$")
#: the town must be at least this big (a small namesake of a common word is no evidence)
FEATURE_CITY = 50_000


def _city_before_feature(body: str) -> Place | None:
    # the literal feature words first (cheap), then the capitalised words just before each
    for n, f in enumerate(_RX_FEATURE.finditer(body)):
        if n > 5:
            break
        m = _RX_BEFORE_FEATURE.search(body, max(0, f.start() - 60), f.start())
        if m is None:
            continue
        words = m.group("a").split()
        for i in range(len(words)):          # "The Belfast harbour": try "Belfast" too
            name = " ".join(words[i:])
            if not _is_word_place(name) or places.lookup_country(name) is not None:
                continue
            hit = places.lookup_city(name)
            if hit is not None and hit.population >= FEATURE_CITY:
                return resolve_place(name)
    return None


#: "the Port of Ningbo-Zhoushan in Ningbo, China": a port named in a town is a facility of that
#: town, so its phrase is read like "X in Y" (the town), not as a named place
_PORT = ("port", "Port")

#: "in Uiseong, 180 kilometers southeast of Seoul", "sur la plage de Kayar, à 60 km au nord-est
#: de Dakar", "en Tarifa, a 20 kilómetros al oeste de Algeciras", "bei Husum, 40 Kilometer
#: nördlich von Heide": the town before a distance phrase is the place (after "in"/"à"/"bei"...:
#: named, kept even when the gazetteer lacks it; after "of"/"de"/"di": only a known town); the
#: city after it only locates it
_DIST_LEAD = (r"(?:(?P<strong>in|at|near|outside|à|près[ \t]+de|sur|en|a|cerca[ \t]+de|bei|nel|"
              r"nella|presso)[ \t]+(?:the[ \t]+(?:town|city|village|county)[ \t]+of[ \t]+)?|"
              r"(?P<weak>(?:of|de|du|di|del|von)[ \t]+|d['’]))")
_DIST_UNIT = (r"(?:km|kilometers|kilometres|kilomètres|kilómetros|chilometri|kilometer|Kilometer|"
              r"Kilometern|miles|mi)")
_RX_DISTANCE: Final = re.compile(
    rf"(?<![\w]){_DIST_LEAD}"
    rf"(?P<a>{_PLACE})[ \t]*,[ \t]*(?:about|some|around|roughly|nearly|approximately|almost|"
    rf"à|a|environ|unos|unas|circa|rund|etwa)?"
    rf"[ \t]*(?:environ[ \t]+)?\d[\d,.]*[ \t]*(?:-[ \t]*)?{_DIST_UNIT}\b[ \t]*"
    rf"(?:\([^()\n]{{0,30}}\)[ \t]*)?(?:(?:{_DIR}|{_DIR.title()})(?:ern)?[ \t]+of[ \t]+|"
    rf"{trie(_DIR_OTHER)}){_MOD}(?P<ref>{_PLACE})")


def _distance_place(body: str) -> _Cand | None:
    """The town of "in X, 180 kilometers southeast of Y" (country from Y), else None."""
    if "ilom" not in body and " km" not in body and " mile" not in body and \
            " mi " not in body:
        return None
    m = _RX_DISTANCE.search(body)
    if m is None or not _is_word_place(m.group("a")):
        return None
    a = m.group("a")
    if m.group("weak") is not None and (places.lookup_city(a) is None or
                                        places.lookup_country(a) is not None):
        return None          # "the beach of X": X counts only as a town the gazetteer knows
    country = _country_of(_trim(m.group("ref")))
    place = resolve_place(a, None, country.name if country else None)
    return _cand(1, m.start(), place, m.end())


@functools.cache
def _rx_ad() -> re.Pattern[str]:
    """Italian "ad" ("a" before a vowel): "ad Amatrice (Rieti)", "ad Ancona", read like "in X"
    (not in the start scan: only looked for where " ad " is printed; compiled on first use,
    ~4 ms)."""
    return re.compile(rf"ad[ \t]+{_CHAIN}")


def _ad_places(body: str) -> list[_Cand]:
    """The candidates of Italian "ad X" phrases (the first three)."""
    out: list[_Cand] = []
    i = body.find(" ad ")
    while i >= 0 and len(out) < 3:
        m = _rx_ad().match(body, i + 1)
        c = _candidate(m, body, None) if m is not None else None
        if c is not None:
            out.append(c)
        i = body.find(" ad ", i + 3)
    return out


#: "..., Venezia, 3 novembre 2024." / "..., Cowes, Isle of Wight, UK - 05 Aug 2018" /
#: "..., Leipzig, 15.02.2025": the place and date printed last (ANSA, Rex/Shutterstock, Imago,
#: TT); the places after a comma or a full stop, the date in one of the wire forms
_TAIL_DATE = (r"(?:\d{1,2}\.?[ \t]+(?:de[ \t]+)?(?P<m1>[^\W\d_]{3,10})\.?[ \t]+(?:de[ \t]+)?\d{4}|"
              r"(?P<m2>[^\W\d_]{3,10})\.?[ \t]+\d{1,2},?[ \t]+\d{4}|"
              r"\d{1,2}[./]\d{1,2}[./]\d{4}|\d{4}-\d{2}-\d{2})")
_RX_TAIL: Final = re.compile(
    rf"(?<=[,.;:])[ \t]*(?P<parts>{_PLACE}(?:[ \t]*,[ \t]*{_PLACE}){{0,3}})[ \t]*(?:,|[-–—])"
    rf"[ \t]*{_TAIL_DATE}[ \t]*\.?[ \t]*$")
_RX_LABEL_END: Final = re.compile(r"[ \t]*(?:[^\W\d_]+[ \t]+){0,2}[^\W\d_]+[ \t]*:$")
#: how far from the end of the body the place-and-date tail may start
TAIL_REACH = 160


def _tail_place(body: str) -> _Cand | None:
    """The town of a trailing "Place, [Region,] [Country] - date" (the rightmost part the
    gazetteer knows as a town, of the country named after it), else None."""
    end = body.rstrip(" \t.(")
    if end.endswith(":"):
        # the credit's label when the credit rule starts after it ("15.02.2025 Foto: IMAGO/...")
        end = _RX_LABEL_END.sub("", end).rstrip(" \t.")
    if not end[-1:].isdigit():
        return None
    m = _RX_TAIL.search(end, max(0, len(end) - TAIL_REACH))
    if m is None:
        return None
    month = m.group("m1") or m.group("m2")
    if month is not None and month.lower() not in MONTHS:
        return None
    parts = [p.strip() for p in m.group("parts").split(",")]
    country: places.Country | None = None
    region: places.Region | None = None
    i = len(parts) - 1
    while i > 0:
        if country is None and places.lookup_country(parts[i]) is not None:
            country = places.lookup_country(parts[i])
        elif region is None and country is None and places.lookup_region(parts[i]) is not None:
            region = places.lookup_region(parts[i])
        else:
            break
        i -= 1
    within = country or (region.country if region is not None else None)
    code = within.alpha3 if within is not None else None
    for j in (i, i - 1) if within is not None else (i,):
        name = parts[j] if j >= 0 else ""
        if name and _is_word_place(name) and not _is_subloc(name) and \
                places.lookup_country(name) is None and places.lookup_city(name, country=code):
            place = resolve_place(name, region.name if region else None,
                                  country.name if country else None)
            return _cand(3, m.start("parts"), place, m.end())
    return None


_RULES: tuple[tuple[re.Pattern[str], int | None, int], ...] = (
    (_RX_KIND, 1, 0),      # the town of X: named
    (_RX_IN, None, 0),     # in X, Country / in X
    (_RX_DIR, 4, 1),       # north of Doha (only when nothing better)
    (_RX_OF, None, 2),     # the skyline of Chongqing (weaker: only known cities)
)


#: which of :data:`_RULES` (bit ``1 << i``) can match at a start, by the start's first two
#: characters.  Every match of a phrase pattern starts with one of its leading words, listed
#: here as the patterns are built: a word of two letters or more starts with its first two;
#: the one-letter words ("a", "i", "à", the elided "d'") are followed by what the pattern puts
#: after them (a blank; "'" or "’").  A start whose two characters are not a key starts none.
_LEADS: dict[str, int] = {}
for _bit, _leads in enumerate((
        [w for k in _KIND_WORDS for w in (k, k[0].upper() + k[1:])],
        [w for w in words(_PREP) if len(w) > 1] + ["près", "a ", "a\t", "i ", "i\t", "à ", "à\t"],
        words(_DIR) + words(_DIR.title()) + [w[:2] for w, _tail in _DIR_OTHER],
        ["of", "de", "du", "des", "di", "von", "d'", "d’"])):
    for _w in _leads:
        _LEADS[_w[:2]] = _LEADS.get(_w[:2], 0) | 1 << _bit


def _rule_starts(body: str, starts: list[int]) -> list[list[int]]:
    """``starts`` split by :data:`_RULES`: for each pattern, the starts where it can match."""
    out: list[list[int]] = [[], [], [], []]
    for s in starts:
        bits = _LEADS.get(body[s:s + 2], 0)
        if bits & 1:
            out[0].append(s)
        if bits & 2:
            out[1].append(s)
        if bits & 4:
            out[2].append(s)
        if bits & 8:
            out[3].append(s)
    return out


#: words an all-caps caption gets back in lower case, so the place phrases can read it
_SMALL_WORDS = frozenset(
    re.findall(r"[a-zà-ÿ\-]+", _PREP + " " + _MOD + " " + " ".join(_KIND_WORDS)) + [
        "of", "the", "on", "and", "to", "for", "by", "with", "after", "during", "as", "is",
        "are", "was", "were", "its", "his", "her", "their", "this", "that", "le", "la", "el",
        "di", "de", "du", "des", "y", "al"])
_LETTERS: Final = re.compile(r"[^\W\d_]+")


def _uncap(body: str) -> str:
    """An all-caps caption in natural case: small words lower, the rest capitalised."""
    return _LETTERS.sub(lambda m: m.group(0).lower() if m.group(0).lower() in _SMALL_WORDS
                        else m.group(0).capitalize(), body)


#: the sort key of candidates: tier, then position
_TIER_POS = operator.itemgetter(0, 1)


def _explicit_elsewhere(body: str, dateline: Place) -> Place | None:
    """A town the body names explicitly ("in Iten, Kenya") in the dateline's country, when it
    is another town than the dateline's: the picture's place, the dateline the filing city.

    Only looked for when the body repeats the dateline's region or country after a comma (a
    cheap test that keeps the body scan off most captions with a dateline).
    """
    country = dateline.country
    if country is None or dateline.city is None:
        return None
    hint = dateline.region or country.name
    if ", " + hint not in body and (hint.isascii() or ", " + _unaccented(hint) not in body):
        return None                  # ("MUGLA, TURKIYE": "Turkiye", the name without accents)
    by_rule = _rule_starts(body, _scan_starts(body))
    for m in _phrase_matches(_RX_IN, body, by_rule[1]):
        c = _candidate(m, body, None)
        if c is None or c.tier != 2 or c.place.city is None or c.place.country != country:
            continue
        here = places.lookup_city(c.place.city, country=country.alpha3)
        there = places.lookup_city(dateline.city, country=country.alpha3)
        if here is None and c.place.sublocation is None and \
                places.lookup_city(c.place.city) is None and \
                places.lookup_region(c.place.city) is None and \
                places.fold(c.place.city) != places.fold(dateline.city):
            return c.place  # "in Kupiansk, Ukraine": a town the gazetteer lacks, named with it
        if here is None or places.fold(c.place.city) == places.fold(dateline.city) or \
                there is not None and (here.population, here.us_state) == \
                (there.population, there.us_state):
            continue        # not a known town, or the dateline's town spelt another way
        return c.place
    for m in _phrase_matches(_RX_KIND, body, by_rule[0]):
        town = _town_of_kind(m, dateline)
        if town is not None:
            return town
    return None


#: kind words of a town (not of a district or a coast) for :func:`_town_of_kind`
_TOWN_KINDS = frozenset({"town", "city", "village", "hamlet", "municipality", "commune",
                         "locality", "resort", "border town", "coastal town", "ville",
                         "pueblo", "ciudad", "localidad", "aldea", "stadt", "dorf", "borgo",
                         "paese", "comune", "frazione", "cittadina", "città", "località"})


def _town_of_kind(m: re.Match[str], dateline: Place) -> Place | None:
    """"MUGLA, TURKIYE - ...: near the town of Koycegiz in Mugla, Turkiye": a town named with
    a kind word and its country (the dateline's), another than the dateline's town, is the
    picture's place (the README's dateline convention; Anadolu's dateline names the province).
    None for a district ("the district of Kadikoy in Istanbul") or without a country."""
    kind = m.group(0)[:m.start("a") - m.start()].split()
    if not kind or places.fold(" ".join(kind[:-1])) not in _TOWN_KINDS:
        return None
    country = dateline.country
    assert country is not None and dateline.city is not None
    a = _trim(m.group("a"))
    named = [x for x in m.group("b", "b2", "c") if x]
    if not named or places.lookup_country(named[-1]) != country or \
            places.fold(a) == places.fold(dateline.city) or not _is_word_place(a) or \
            _is_subloc(a) or places.lookup_country(a) is not None or \
            places.lookup_region(a) is not None:
        return None
    region = _display(named[0]) if len(named) > 1 else None
    return resolve_place(a, None, country.name)._replace(region=region)


@functools.lru_cache(maxsize=256)
def _unaccented(name: str) -> str:
    """``name`` without its accents, its case kept ("Türkiye" -> "Turkiye")."""
    if name.isascii():
        return name
    return "".join(c for c in unicodedata.normalize("NFKD", name)
                   if not unicodedata.combining(c))


@functools.lru_cache(maxsize=2048)
def _location(sublocation: str | None, city: str | None, region: str | None,
              country: str | None, country_code: str | None) -> Location:
    """The :class:`Location` record of these fields: records are frozen, so equal places
    share one (a desk's captions name the same towns again and again)."""
    return Location(sublocation=sublocation, city=city, region=region, country=country,
                    country_code=country_code)


def find_location(body: str, dateline: Place | None = None) -> tuple[Location, list[str]]:
    """The caption's location from its dateline (if any) and the body text."""
    body = body[:BODY_LIMIT]
    if body.isupper():
        uncapped = _uncap(body)
        if len(uncapped) == len(body):
            body = uncapped
    warnings: list[str] = []
    best: Place | None = dateline if dateline and dateline.score else None
    if best is not None:
        best = _explicit_elsewhere(body, best) or best
    cands: list[_Cand] = []
    if best is None or best.country is None or best.city is None:
        starts = _scan_starts(body)
        good = False            # a candidate of tier 3 or better is known
        by_rule = _rule_starts(body, starts) if starts else []
        for i in range(len(_RULES) if starts else 0):
            rx, named, weak = _RULES[i]
            if weak and good:
                break           # a good place is known: the weak phrases cannot beat it
            n = 0
            for m in _phrase_matches(rx, body, by_rule[i]):
                c = _candidate(m, body, None if named == 1 and m.group("b2") and
                               m.group(0)[:4] in _PORT else named)
                if named is None and body.startswith(" and ", m.end()):
                    c = _joined_name(m, body) or c
                if c is None and named is None and not weak:
                    c = _unknown_in_country(m, body)
                if c is None:
                    continue
                if rx is _RX_KIND or not weak and by_rule[2]:
                    # (a direction phrase can follow only where one can start)
                    c = _amended(c, m, body, rx)
                if rx is _RX_IN and m.group(0).startswith("from") and not m.group("b2"):
                    # ("lines cast from the Galata Bridge in Istanbul": the town is after "in")
                    c = _from_place(c, body)
                if weak == 2:
                    # "the churches of Lalibela, northern Ethiopia": "of X, Country" counts when
                    # X is a known city of that country
                    c = _of_place(c, m, body)
                    if c is None:
                        continue
                elif rx is _RX_DIR:
                    # "à Saint-Martin-Vésubie, au nord de Nice": the town before the phrase
                    town = _town_before_dir(body, m.start(), c.place)
                    if town is not None:
                        cands.append(town)
                elif named == 1 and m.group(0).lower().startswith("outskirts"):
                    # "in Gazipur, on the outskirts of Dhaka": the outskirts' city only locates
                    # the place named before it, like "north of X"
                    c = c._replace(tier=4)
                cands.append(c)
                if c.tier <= 3 and c.place.city is not None:
                    # (a region alone, "in Kherson Oblast, Ukraine", leaves room for the town a
                    # weaker phrase names: "20 kilometres north of Kherson")
                    good = True
                n += 1
                if n > 10:
                    break
        dist = _distance_place(body) if starts else None
        if dist is not None:
            cands.append(dist)
        if not good and " ad " in body:
            cands.extend(_ad_places(body))
        # a trailing place ranks like "in X" after every phrase: only tried when none of tier 3
        # or better was found (it could not win then)
        tail = _tail_place(body) if not good and dist is None else None
        if tail is not None:
            cands.append(tail)
        if len(cands) > 1:
            cands.sort(key=_TIER_POS)
    if best is None and cands:
        best = cands[0].place
        if cands[0].tier == 3 and best.city and best.country is not None:
            within = _within_country(body, cands[0].end)
            guess = places.lookup_city(best.city)
            if within is not None and within != best.country and (
                    guess is None or guess.population < 100_000 or
                    places.lookup_city(best.city, country=within.alpha3) is not None):
                # "near Liwa, in Abu Dhabi's Al Dhafra region": the caption says which country
                # (a small town's namesake elsewhere is no match; a big city is not moved)
                best = resolve_place(best.city, None, within.name)
            else:
                hit = places.lookup_city(best.city)
                if hit is not None and hit.ambiguous:
                    best = _in_context(best, body, hit.ambiguous)
    if best is not None and best.city is None and cands:
        # a dateline or phrase naming only a region or country ("KHERSON REGION, UKRAINE -"):
        # the town the sentence names in that country ("north of Kherson")
        said = next((c.place for c in cands if c.place.city is not None and (
            best.country is None or c.place.country == best.country)), None)
        if said is not None:
            best = said._replace(region=said.region or best.region,
                                 country=said.country or best.country)
    if best is not None and best.country is None:
        given = next((c.place for c in cands if c.place.country is not None), None)
        donor = given.country if given is not None else None
        if given is not None and given.city is None and best.region is None:
            # "at the Torkham border crossing ..., in Nangarhar province, Afghanistan": a phrase
            # naming only a region gives the town its region with its country
            best = best._replace(region=given.region)
        if donor is None:
            donor = _mentioned_country(body)
        if donor is None:
            donor = _adjective_country(body)
        if donor is not None:
            best = best._replace(country=donor)
    if best is None:
        best = _city_before_feature(body)
    if best is None:
        mentioned = _mentioned_country(body)
        big = _mentioned_big_city(body, mentioned)
        if big is not None and (mentioned is None or mentioned == big.country):
            best = big
        elif mentioned is not None:
            best = Place(None, None, mentioned)
    if best is None:
        warnings.append("no place found")
        return _location(None, None, None, None, None), warnings
    warnings.extend(best.warnings)
    if best.country is None:
        warnings.append(f"no country found for {best.city!r}")
    return _location(best.sublocation, best.city, best.region,
                     best.country.name if best.country else None,
                     best.country.alpha3 if best.country else None), warnings
