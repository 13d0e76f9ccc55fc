"""The gazetteer: wire-service country names, ISO alpha-3 codes, regions, cities -> country."""

from __future__ import annotations

import pytest

from captions import places
from captions.parse import parse_caption


@pytest.mark.parametrize(("name", "code", "short"), [
    ("Britain", "GBR", "United Kingdom"), ("U.S.", "USA", "United States"),
    ("Russia", "RUS", "Russian Federation"), ("South Korea", "KOR", "South Korea"),
    ("Iran", "IRN", "Iran"), ("Syria", "SYR", "Syria"), ("Gaza Strip", "PSE", "Palestine, State of"),
    ("West Bank", "PSE", "Palestine, State of"), ("Turkiye", "TUR", None), ("the Netherlands", "NLD", None),
    ("Czech Republic", "CZE", "Czechia"), ("Ivory Coast", "CIV", None), ("Kosovo", "XKX", "Kosovo"),
    ("España", "ESP", "Spain"), ("SYR", "SYR", "Syria"),
])
def test_country_names(name: str, code: str, short: str | None) -> None:
    c = places.lookup_country(name)
    assert c is not None and c.alpha3 == code
    if short:
        assert c.name == short


@pytest.mark.parametrize(("name", "state"), [
    ("Calif.", "California"), ("MI", "Michigan"), ("Mo.", "Missouri"), ("Texas", "Texas"),
    ("D.C.", "District of Columbia"),
])
def test_us_states(name: str, state: str) -> None:
    r = places.lookup_region(name)
    assert r is not None and r.name == state and r.country.alpha3 == "USA"


@pytest.mark.parametrize(("city", "code"), [
    ("Aleppo", "SYR"), ("Kiev", "UKR"), ("Kyiv", "UKR"), ("Kitzbuehel", "AUT"),
    ("Kitzbühel", "AUT"), ("Bogota", "COL"), ("Detroit", "USA"), ("Paris", "FRA"),
    ("London", "GBR"), ("Gaza City", "PSE"),
])
def test_cities(city: str, code: str) -> None:
    hit = places.lookup_city(city)
    assert hit is not None and hit.country.alpha3 == code


def test_city_lookup_within_a_country() -> None:
    assert places.lookup_city("London", country="CAN").country.alpha3 == "CAN"
    assert places.lookup_city("Paris", country="USA").us_state == "TX"
    assert places.lookup_city("Nowhereville") is None


def test_ambiguous_city_gives_a_warning() -> None:
    cap = parse_caption("Neighbours inspect flood damage in Valencia on October 30, 2024. "
                        "REUTERS/Eva Manez")
    assert cap.location.city == "Valencia"
    assert any("ambiguous" in w for w in cap.warnings)


def test_georgia_the_state_or_the_country() -> None:
    us = parse_caption("Crowds gather in Atlanta, Georgia, on July 4, 2024. "
                       "(Photo by Jane Roe/Getty Images)")
    ge = parse_caption("Protesters in Tbilisi, Georgia, on December 2, 2024. "
                       "(Photo by Giorgi ARJEVANIDZE / AFP)")
    assert (us.location.country_code, us.location.region) == ("USA", "Georgia")
    assert ge.location.country_code == "GEO"


def test_country_from_demonym_only_as_last_resort() -> None:
    cap = parse_caption("Syrian soldiers stand guard on February 4, 2016. / AFP / STRINGER")
    assert cap.location.country_code == "SYR" and cap.location.city is None


def test_big_city_named_without_a_phrase_is_a_last_resort() -> None:
    cap = parse_caption("Commuters use the Dubai Metro during rush hour. Image Credit: Jane Roe/Gulf News")
    assert (cap.location.city, cap.location.country_code) == ("Dubai", "ARE")
    assert any("mention" in w for w in cap.warnings)
    # a country named elsewhere that disagrees wins over the city
    cap = parse_caption("Ukrainian soldiers reject the Moscow claims. REUTERS/Jane Roe")
    assert (cap.location.city, cap.location.country_code) == (None, "UKR")


def test_alpha3_codes_count_only_in_capitals() -> None:
    from captions import places

    assert places.lookup_country("SUR") is not None and places.lookup_country("SUR").alpha3 == "SUR"
    assert places.lookup_country("Sur") is None  # a town in Oman
    assert places.lookup_country("Chad").alpha3 == "TCD"  # a name, not a code: any case


def test_city_alias_joins_a_smaller_namesake() -> None:
    # "Bruges" is also a town of 12,000 in the Gironde; the alias to Brugge (GeoNames' name
    # for the Belgian city) joins its entries, so the bigger city wins unless a country says
    # otherwise
    hit = places.lookup_city("Bruges")
    assert hit is not None and hit.country.alpha3 == "BEL"
    assert places.lookup_city("Bruges", country="FRA") is not None
    loc = parse_caption("Cyclists ride past a canal in Bruges on May 6, 2025. "
                        "REUTERS/Pieter Van Damme").location
    assert (loc.city, loc.country_code) == ("Bruges", "BEL")
    loc = parse_caption("Volunteers clear a flooded street in Bruges, France, on May 6, 2025. "
                        "REUTERS/Claire Lamotte").location
    assert (loc.city, loc.country_code) == ("Bruges", "FRA")


def test_a_constituent_country_is_never_a_town() -> None:
    # GeoNames lists a village called Wales; in a caption "Wales" is the country
    assert places.lookup_city("Wales") is None
    assert places.lookup_country("Wales") is not None
    loc = parse_caption("A farmer moves sheep near Llanidloes, Wales, on April 2, 2025. "
                        "REUTERS/Gareth Pryce").location
    assert loc.city != "Wales" and loc.country_code == "GBR"
    loc = parse_caption("Fans gather in Swansea, Wales, on April 2, 2025. "
                        "REUTERS/Gareth Pryce").location
    assert (loc.city, loc.country_code) == ("Swansea", "GBR")


@pytest.mark.parametrize(("city", "code"), [
    ("Doğubayazıt", "TUR"), ("Dogubayazit", "TUR"), ("Ağrı", "TUR"), ("Agri", "TUR"),
    ("Tromsø", "NOR"), ("Tromso", "NOR"), ("Gießen", "DEU"), ("Giessen", "DEU"),
])
def test_letters_without_a_decomposition_fold_to_their_base(city: str, code: str) -> None:
    # ı, ł, ø, æ, đ, ß... are not a base letter plus an accent in Unicode: the gazetteer's keys
    # and the lookups fold them alike, so towns spelt with them are found either way
    hit = places.lookup_city(city)
    assert hit is not None and hit.country.alpha3 == code
    assert places.fold("Łódź Ærøskøbing") == "lodz aeroskobing"
