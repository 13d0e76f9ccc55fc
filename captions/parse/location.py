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
import re

import attrs

from .. import places
from ..agencies.schema import MACROS
from ..model import Location
from .dates import MONTHS, WEEKDAYS
from .names import natural_case

__all__ = ["resolve_place", "find_location", "BODY_LIMIT"]

#: how many characters of the caption body are searched for place phrases
BODY_LIMIT = 1500

_UP = MACROS["{UP}"]
_LINK = r"(?:al|el|de|la|le|du|des|del|di|da|dos|do|of|on|upon|am|an|im|sur|sous|en|y|lo)"
_PW = rf"(?:(?:St|Ste|Mt|Ft|Pt)\.|[{_UP}][\w'’]*(?:-[\w'’]+)*)"
_PLACE = rf"(?:(?:al-|el-)?{_PW}(?:(?:[ \t]+{_LINK}[ \t]+|[ \t]+|-)(?:al-|el-)?{_PW}){{0,3}})"
_CHAIN = (rf"(?P<a>{_PLACE})(?:[ \t]*,[ \t]*(?P<b>{_PLACE}))?"
          rf"(?:[ \t]*,[ \t]*(?P<c>{_PLACE}))?")
_DIR = (r"(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west|"
        r"central)")
_KIND = (r"(?:town|city|village|capital|port|district|suburb|neighbou?rhood|region|province|"
         r"area|camp|municipality|enclave|hamlet|locality|commune|outskirts|streets|"
         r"border town|border city|resort|island|coastal town|coastal city|state|county)")

_RX_IN = re.compile(
    rf"(?<![\w])(?:in|at|near|outside|around|across|from)[ \t]+(?:the[ \t]+)?{_CHAIN}")
_RX_KIND = re.compile(rf"(?<![\w]){_KIND}[ \t]+of[ \t]+{_CHAIN}", re.IGNORECASE)
_RX_DIR = re.compile(rf"(?<![\w]){_DIR}(?:ern)?[ \t]+of[ \t]+(?:the[ \t]+)?{_CHAIN}",
                     re.IGNORECASE)

_NOT_PLACES = frozenset(
    list(MONTHS) + list(WEEKDAYS) +
    ["the", "a", "an", "this", "his", "her", "their", "its", "front", "order", "addition",
     "support", "memory", "honor", "honour", "protest", "response", "action", "attendance",
     "march", "may", "june", "august", "april", "play", "part", "charge", "office", "power",
     "tears", "court", "parliament", "congress", "training", "practice", "victory", "defeat"])


@attrs.frozen
class Place:
    """A resolved place mention."""

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
    return places.fold(name) not in _NOT_PLACES


def resolve_place(city: str | None, region: str | None = None, country: str | None = None,
                  *, sublocation: str | None = None, need_city_check: bool = True) -> Place:
    """Resolve raw dateline parts ("KYIV", None, "Ukraine") into a place with a country."""
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
    city_out = _display(city) if city else None
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


def _chain(m: re.Match[str]) -> list[str]:
    return [p for p in (m.group("a"), m.group("b"), m.group("c")) if p]


def _from_chain(parts: list[str], *, named: bool) -> Place | None:
    """A place from "A, B, C" parts; ``named`` when the phrase says A is a place (town of A)."""
    parts = [p for p in parts if _is_word_place(p)]
    if not parts:
        return None
    first = parts[0]
    rest = parts[1:]
    country = region = None
    for p in rest:
        if places.lookup_country(p) or places.lookup_region(p):
            if places.lookup_country(p) and country is None:
                country = p
            elif region is None:
                region = p
        else:
            break
    if places.lookup_country(first) and not rest:
        return resolve_place(first)
    if places.lookup_region(first) and not rest and not named:
        r = places.lookup_region(first)
        return Place(None, r.name, r.country) if r else None
    place = resolve_place(first, region, country)
    if not named and place.country is None:
        return None
    if not named and country is None and region is None:
        # a bare "in X": trust it only when the gazetteer knows X
        if places.lookup_city(first) is None:
            return None
    return place


@functools.cache
def _mention_rx() -> tuple[re.Pattern[str], re.Pattern[str]]:
    data = places._load()  # noqa: SLF001 - the gazetteer's own tables, read once
    names = sorted((k for k in data.countries if len(k) > 3 and "," not in k and "(" not in k),
                   key=len, reverse=True)
    countries = re.compile(r"(?<![\w])(" + "|".join(re.escape(n) for n in names) + r")(?![\w])",
                           re.IGNORECASE)
    dem = sorted(data.demonyms, key=len, reverse=True)
    demonyms = re.compile(r"(?<![\w])(" + "|".join(re.escape(d.title()) for d in dem) +
                          r")(?![\w])")
    return countries, demonyms


def _mentioned_country(text: str) -> places.Country | None:
    countries, demonyms = _mention_rx()
    for m in countries.finditer(text):
        if m.group(1)[:1].isupper():
            c = places.lookup_country(m.group(1))
            if c is not None:
                return c
    m = demonyms.search(text)
    if m:
        return places.lookup_demonym(m.group(1))
    return None


def find_location(body: str, dateline: Place | None = None) -> tuple[Location, list[str]]:
    """The caption's location from its dateline (if any) and the body text."""
    body = body[:BODY_LIMIT]
    warnings: list[str] = []
    best: Place | None = dateline if dateline and dateline.score else None
    if best is None or best.score < 3:
        candidates: list[tuple[int, int, Place]] = []
        for rank, rx, named in ((0, _RX_IN, False), (1, _RX_KIND, True), (2, _RX_DIR, True)):
            for m in rx.finditer(body):
                p = _from_chain(_chain(m), named=named)
                if p is None:
                    continue
                candidates.append((rank if p.score == 3 else rank + 3, m.start(), p))
                if len(candidates) > 12:
                    break
        if candidates:
            candidates.sort(key=lambda t: (-t[2].score, t[0], t[1]))
            top = candidates[0][2]
            if best is None:
                best = top
            elif best.country is None and top.country is not None:
                best = attrs.evolve(best, country=top.country)
    if best is not None and best.country is None:
        c = _mentioned_country(body)
        if c is not None:
            best = attrs.evolve(best, country=c)
    if best is None:
        c = _mentioned_country(body)
        if c is not None:
            best = Place(None, None, c)
    if best is None:
        warnings.append("no place found")
        return Location(), warnings
    warnings.extend(best.warnings)
    if best.country is None:
        warnings.append(f"no country found for {best.city!r}")
    return Location(
        sublocation=best.sublocation, city=best.city, region=best.region,
        country=best.country.name if best.country else None,
        country_code=best.country.alpha3 if best.country else None,
    ), warnings
