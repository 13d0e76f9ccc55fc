"""Dates: four languages, partial dates, year inference and relative days (never the clock)."""

from __future__ import annotations

import datetime as dt

import pytest

from captions.parse.dates import find_date

REF = dt.date(2024, 5, 3)   # a Friday


@pytest.mark.parametrize(("text", "iso"), [
    ("in Madrid, Spain, 04 February 2016.", "2016-02-04"),
    ("in London, Britain, December 11, 2018.", "2018-12-11"),
    ("Thursday, Sept. 29, 2005.", "2005-09-29"),
    ("PARIS, FRANCE - JANUARY 19, 2002:", "2002-01-19"),
    ("à Lyon, le 7 mars 2023.", "2023-03-07"),
    ("le 2 novembre 2023", "2023-11-02"),
    ("el 30 de octubre de 2024", "2024-10-30"),
    ("este 3 de mayo de 2024", "2024-05-03"),
    ("am 12. März 2024 in Berlin", "2024-03-12"),
    ("4. Februar 2016", "2016-02-04"),
    ("03.05.2024, Berlin:", "2024-05-03"),
    ("taken 2024-06-01 in Oslo", "2024-06-01"),
    ("19 Jan 2002: Cobi Jones", "2002-01-19"),
    ("in Nuwara Eliya, Sri Lanka, in June 2024.", "2024-06"),
    ("juin 2024", "2024-06"),
    ("1er janvier 2024", "2024-01-01"),
])
def test_absolute_dates(text: str, iso: str) -> None:
    assert find_date(text).date.isoformat() == iso


def test_picture_taken_wins_over_an_earlier_date() -> None:
    text = "near Bordeaux, France, October 2, 2023. Picture taken September 30, 2023."
    assert find_date(text).date.isoformat() == "2023-09-30"


def test_yearless_date_takes_the_year_of_a_full_date_of_that_day() -> None:
    text = "MARCH 3: crowds gather for the 2027 bid launch in Lagos on March 3, 2025."
    assert find_date(text, end=7).date.isoformat() == "2025-03-03"
    # ... or a year printed right after it (on the next line too)
    assert find_date("on Christmas Eve, 2023 in Oslo").date.isoformat() == "2023-12-24"
    assert find_date("on May 5,\n2024. Photo: Reuters").date.isoformat() == "2024-05-05"


def test_yearless_date_never_takes_a_bare_number_for_its_year() -> None:
    # "the 2023 vote", "the 2026 budget": a number that is not a date names no year
    found = find_date("on Feb. 28, shortly after the 2023 vote")
    assert found.date is None and found.warnings
    text = "NOVEMBER 12: a debate on the 2026 budget in Accra on November 12, 2025."
    assert find_date(text, end=11).date.isoformat() == "2025-11-12"
    # without the full date: the reference date's year (the year before: November is more
    # than 31 days after May 3), never 2026
    assert find_date(text[:45], end=11, reference_date=REF).date.isoformat() == "2023-11-12"
    assert find_date(text[:45], end=11).date is None
    # a full date of another day is used only without a reference date
    text = "MAY 4: mourners mark the attack of May 1, 2019 in Colombo."
    assert find_date(text, end=5).date.isoformat() == "2019-05-04"
    assert find_date(text, end=5, reference_date=REF).date.isoformat() == f"{REF.year}-05-04"


def test_yearless_date_uses_reference_date() -> None:
    assert find_date("Fans cheer, Feb. 28.", reference_date=REF).date.isoformat() == "2024-02-28"
    # a date well after the reference belongs to the year before
    assert find_date("Fans cheer, Dec. 28.", reference_date=REF).date.isoformat() == "2023-12-28"


def test_yearless_date_without_reference_is_unknown_with_warning() -> None:
    found = find_date("Fans cheer, Feb. 28.")
    assert found.date is None
    assert any("reference_date" in w for w in found.warnings)


@pytest.mark.parametrize(("text", "iso"), [
    ("Firefighters battle a fire on Thursday.", "2024-05-02"),
    ("Firefighters battle a fire on Friday.", "2024-05-03"),
    ("A protest yesterday.", "2024-05-02"),
    ("Une manifestation hier.", "2024-05-02"),
    ("Protest am Montag", "2024-04-29"),
])
def test_relative_dates_need_reference(text: str, iso: str) -> None:
    assert find_date(text, reference_date=REF).date.isoformat() == iso
    unresolved = find_date(text)
    assert unresolved.date is None
    assert any("reference_date" in w for w in unresolved.warnings)


@pytest.mark.parametrize("text", [
    "A cat sleeps in a box.", "since 2012", "May the best team win", "two days ago",
    "Feb. 30, 2024 is not a day", "",
])
def test_no_date(text: str) -> None:
    assert find_date(text).date is None


def test_impossible_date_is_skipped_for_a_real_one() -> None:
    found = find_date("Feb. 30, 2024 then March 2, 2024")
    assert found.date.isoformat() == "2024-03-02"


def test_year_printed_last_after_a_place() -> None:
    # Shutterstock's older layout: "..., Town, County, UK, 2018" -> a year-only date
    found = find_date("Sheep graze on the fells near Keswick, Cumbria, UK, 2016")
    assert found.date.isoformat() == "2016"
    # ... not a number after a word that is no place, nor after a lower-case word
    assert find_date("The squad of 1998, 2018").date is None
    assert find_date("Members of the club, 2018.").date is None
    assert find_date("Supporters, 2025.").date is None
    # a weekday resolved into another year gives way to the printed year
    text = "Crowds gather on Sunday in Keswick, Cumbria, UK, 2016"
    assert find_date(text, reference_date=REF).date.isoformat() == "2016"
    text = "Crowds gather on Sunday in Keswick, Cumbria, UK, 2024"
    assert find_date(text, reference_date=REF).date.isoformat() == "2024-04-28"
