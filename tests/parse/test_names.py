"""Photographers' names in natural case, pseudo-credits, several names."""

from __future__ import annotations

import pytest

from captions.parse.credit import photographer_fields
from captions.parse.names import looks_like_person, natural_case


@pytest.mark.parametrize(("raw", "name"), [
    ("LOUAI BESHARA", "Louai Beshara"),
    ("Anne-Christine POUJOULAT", "Anne-Christine Poujoulat"),
    ("MUNIR UZ ZAMAN", "Munir uz Zaman"),
    ("HABIB UR RAHMAN", "Habib ur Rahman"),
    ("Rafael DE SOUZA LIMA", "Rafael de Souza Lima"),
    ("JEROEN VAN DER KAMP", "Jeroen van der Kamp"),
    ("ANDRES DE LOS RIOS", "Andres de los Rios"),
    ("Lucia DE LAS MERCEDES", "Lucia de las Mercedes"),
    ("Bilal AL-KHATIB", "Bilal al-Khatib"),
    ("HAZWAN RAHIM BIN YUSOF", "Hazwan Rahim bin Yusof"),
    ("Mathilde CARRÈRE", "Mathilde Carrère"),
    ("Declan McGarry-Quinn", "Declan McGarry-Quinn"),
    ("Andy Wong Chun-kit", "Andy Wong Chun-kit"),
    ("Ty O'Neil", "Ty O'Neil"),
    ("SEAN O'KANE", "Sean O'Kane"),
])
def test_natural_case(raw: str, name: str) -> None:
    assert natural_case(raw) == name


@pytest.mark.parametrize(("raw", "expect"), [
    ("STRINGER", ("Stringer", "stringer")),
    ("STR", ("Stringer", "stringer")),
    ("HO", ("Handout", "handout")),
    ("HANDOUT", ("Handout", "handout")),
    ("POOL", ("Pool", "pool")),
    ("Staff", ("Staff", "staff")),
    ("PAUL SANCYA", ("Paul Sancya", "person")),
    ("Umit Bektas and Dilara Senkaya", ("Umit Bektas and Dilara Senkaya", "person")),
    ("JANE ROE, JOHN DOE", ("Jane Roe and John Doe", "person")),
    ("CHRISTOF STACHECHRISTOF STACHE", ("Christof Stache", "person")),
    ("Marie-Laure DELACOURT / POOL", ("Marie-Laure Delacourt", "person")),
    ("", (None, None)),
])
def test_photographer_fields(raw: str, expect: tuple[str | None, str | None]) -> None:
    assert photographer_fields(raw) == expect


@pytest.mark.parametrize(("text", "person"), [
    ("Gudrun Halldorsdottir", True), ("Kwok Wing-yan", True),
    ("Chilean Navy", False), ("Coconino County Sheriff's Office", False),
    ("Social Media", False), ("WAM", False), ("China Daily", False),
])
def test_person_or_organisation(text: str, person: bool) -> None:
    assert looks_like_person(text) is person
