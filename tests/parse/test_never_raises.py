"""parse_caption never raises on a string, whatever it holds, and gives a well-formed record."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given, settings
from hypothesis import strategies as st

import captions
from captions import Caption, parse_caption

_WIRE_BITS = st.sampled_from([
    "REUTERS/", "AFP", " / AFP / ", "(AP Photo/", ")", "EPA-EFE/", "epa01234567 ", "Getty Images",
    "(Photo by ", " via ", "Image Credit: ", "KYIV, Ukraine (AP) — ", "PARIS, FRANCE - MAY 03: ",
    "Feb. 28", ", 2023", "on Thursday", "STRINGER", "HO", "Pool", " in London, Britain, ",
    "Jan", "31", "de", "\x00", "\n\n", "—", "/", ",", "(", "ÉÀ", "Xinhua", "TPX IMAGES OF THE DAY",
])


def _check(cap: Caption, text: str) -> None:
    assert isinstance(cap, Caption)
    assert cap.text == text
    d = cap.to_dict()
    json.dumps(d)
    assert d["photographer_kind"] in (None, "person", "stringer", "handout", "pool", "staff")
    cc = d["location"]["country_code"]
    assert cc is None or (len(cc) == 3 and cc.isupper())


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_arbitrary_text(text: str) -> None:
    _check(parse_caption(text), text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_WIRE_BITS, st.text(max_size=8)), max_size=40).map("".join),
       st.one_of(st.none(), st.dates()))
def test_wire_shaped_text(text: str, ref: dt.date | None) -> None:
    _check(parse_caption(text, reference_date=ref), text)


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=200))
def test_control_characters(text: str) -> None:
    _check(parse_caption(text), text)


def test_one_megabyte_input_is_bounded() -> None:
    text = ("Protesters march in Paris, France, May 3, 2024. " * 21000)[:1_000_000] + \
        " / AFP / STRINGER"
    cap = parse_caption(text)
    _check(cap, text)
    assert cap.photographer == "Stringer"
    assert any("characters" in w for w in cap.warnings)


def test_pathological_repetition() -> None:
    for text in ("A " * 500_000, "/" * 1_000_000, "AB/" * 300_000, "(" * 100_000 + "AP Photo/"):
        _check(parse_caption(text), text)


def test_empty_input_gives_warnings_not_errors() -> None:
    cap = parse_caption("")
    assert cap.subject is None and cap.agency is None
    assert "no credit found" in cap.warnings


def test_non_string_raises_parse_error() -> None:
    import pytest
    with pytest.raises(captions.ParseError):
        parse_caption(b"bytes")  # type: ignore[arg-type]


def test_reference_dates_at_the_ends_of_the_calendar() -> None:
    for text in ("A fire yesterday.", "Fans cheer, Feb. 28.", "on Monday", "Jan. 1 rally"):
        for ref in (dt.date.min, dt.date.max, dt.datetime(2024, 5, 3, 12, 0)):
            _check(parse_caption(text, reference_date=ref), text)
