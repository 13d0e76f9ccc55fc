"""The literal prefilter of the rules (``Rule.needs``): a necessary condition, never a guess."""

from __future__ import annotations

import re

import pytest

from captions.agencies import load_rules
from captions.agencies.schema import fold_for_needs, required_alternatives, required_literals


@pytest.mark.parametrize("pattern, needs", [
    (r"(?P<photographer>\w+)\s*/\s*AFP\b", ("afp",)),
    (r"REUTERS|AFP", ()),                        # an alternation needs neither
    (r"(?:Photo by )?X/Getty Images", ("x/getty images",)),
    (r"(?=[^/]{1,9}/NurPhoto)\w+", ("/nurphoto",)),
    (r"(?<=via )REUTERS", ("reuters",)),         # a lookbehind's text is not required after pos
    (r"ab{0,2}cd", ("cd",)),
])
def test_required_literals(pattern: str, needs: tuple[str, ...]) -> None:
    assert required_literals(pattern) == needs


def test_case_insensitive_look_alikes_are_folded() -> None:
    # U+017F (long s) and U+212A (Kelvin) match "s"/"k" under IGNORECASE
    text = "Photo: Reuter\u017f/Kyodo via REUTER\u017f".replace("Kyodo", "\u212ayodo")
    rx = re.compile(r"(?i)reuters")
    assert rx.search(text)
    assert all(lit in fold_for_needs(text) for lit in required_literals(rx.pattern, rx.flags))


def test_every_example_contains_its_rules_needs_and_needs_any() -> None:
    for rule in load_rules().rules():
        for ex in rule.examples:
            m = rule.regex.search(ex.text)
            if m is None:
                continue
            folded = fold_for_needs(m.group(0) + ex.text[m.end():])
            missing = [lit for lit in rule.needs if lit not in folded]
            assert not missing, (rule.id, ex.text, missing)
            # and one literal of each group of required alternatives (``needs_any``)
            missing_any = [g for g in rule.needs_any if not any(lit in folded for lit in g)]
            assert not missing_any, (rule.id, ex.text, missing_any)


@pytest.mark.parametrize("pattern, groups", [
    (r"REUTERS|AFP", (("reuters", "afp"),)),
    (r"\s*(?:MANDATORY CREDIT|NO SALES)\b.{0,9}$", (("mandatory credit", "no sales"),)),
    (r"(?:Photo|Picture) by", (("hoto", "icture"),)),     # re's parser takes the "P" out first
    (r"(?:AFP|\w+)/X", ()),                       # a branch needing nothing: no condition
    (r"(?:AFP|EPA)?\s*X", ()),                     # an optional alternation is not required
    (r"(?<=AFP|EPA)X", ()),                        # nor one in a lookbehind
    (r"(?!AFP|EPA)X", ()),                         # nor one in a negative lookahead
    (r"(?:A(?:FP|P)|Getty Images)", ()),           # a one-letter run is no literal
    (r"(?:\((?:Photo|Credit)|Picture)", (("photo", "credit", "picture"),)),  # a nested group
])
def test_required_alternatives(pattern: str, groups: tuple[tuple[str, ...], ...]) -> None:
    assert required_alternatives(pattern) == groups




@pytest.mark.parametrize("text, photographer, agency", [
    # a name word gives back a hyphenated part when the credit joins the agency with "-"
    ("Crowds gather in Ankara. (Photo by Ali Kaya-Anadolu Agency)", "Ali Kaya", "Anadolu"),
    # while a hyphenated surname stays whole
    ("A view of the port. (Photo by Ana Ruiz-Picasso/Getty Images)", "Ana Ruiz-Picasso",
     "Getty Images"),
])
def test_name_words_backtrack_only_at_hyphens(text: str, photographer: str, agency: str) -> None:
    from captions import parse_caption
    cap = parse_caption(text)
    assert (cap.photographer, cap.agency) == (photographer, agency)
