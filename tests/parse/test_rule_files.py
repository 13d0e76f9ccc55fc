"""Every bundled agency rule file: valid, unique ids, safe regexes, and every example holds.

A rule cannot exist without an example (the schema refuses it), so this file is the test of
every rule: each example's text must match and give the fields its ``expect`` table lists.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from captions.agencies import data_dir, load_files, load_rules
from captions.agencies.schema import Rule
from captions.errors import RuleFileError
from captions.parse.credit import _resolve

RULES = load_rules()
ALL = list(RULES.rules())


def _example_params() -> list[object]:
    out = []
    for rule in ALL:
        for i, ex in enumerate(rule.examples):
            out.append(pytest.param(rule, ex, id=f"{rule.file}:{rule.id}[{i}]"))
    return out


def test_ids_unique_over_all_files() -> None:
    ids = [r.id for r in ALL]
    assert len(ids) == len(set(ids))


def test_every_file_is_loaded() -> None:
    assert {f.file for f in RULES.files} == {p.name for p in data_dir().glob("*.toml")}
    assert len(RULES.files) >= 15


@pytest.mark.parametrize("rule", ALL, ids=lambda r: f"{r.file}:{r.id}")
def test_regex_does_not_match_empty(rule: Rule) -> None:
    assert rule.regex.search("") is None
    assert rule.examples


@pytest.mark.parametrize("rule", ALL, ids=lambda r: f"{r.file}:{r.id}")
def test_regex_is_bounded_on_hostile_text(rule: Rule) -> None:
    # long runs of name-like words, slashes and spaces: the shapes that make a careless
    # pattern backtrack; a bounded one answers at once (a hang here fails the whole run)
    for text in ("AB " * 3000 + "/", "A" * 5000 + " / " * 500, "Photo by " + "Xy " * 2000):
        rule.regex.search(text[:600])


@pytest.mark.parametrize(("rule", "example"), _example_params())
def test_example(rule: Rule, example: object) -> None:
    text = example.text  # type: ignore[attr-defined]
    expect = example.expect  # type: ignore[attr-defined]
    if rule.section == "credit":
        m = rule.regex.search(text)
        assert m is not None, f"{rule.id} does not match its example"
        found = _resolve(rule, m, RULES, 0)
        got = {"photographer": found.photographer, "kind": found.kind, "agency": found.agency,
               "credit_line": found.credit_line, "source": found.source, "org": found.org}
    elif rule.section == "dateline":
        m = rule.regex.match(text) if rule.where == "start" else rule.regex.search(text)
        assert m is not None, f"{rule.id} does not match at the {rule.where} of its example"
        got = {k: (v.strip() if v else v) for k, v in m.groupdict().items()}
    else:
        m = rule.regex.match(text) if rule.where == "start" else rule.regex.search(text)
        assert m is not None and m.end() > m.start()
        if rule.where == "end":
            assert m.end() == len(text), "an end rule must reach the end of its example"
        got = {}
    for key, value in expect.items():
        assert got.get(key) == (value or None), f"{rule.id}: {key}"


def _write(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "bad.toml"
    p.write_text(body, encoding="utf-8")
    return p


@pytest.mark.parametrize(("body", "message"), [
    ("[agency]\nname = 'X'\n[[credit]]\nid = 'x'\npattern = '(unclosed'\n"
     "examples = [{ text = 'a' }]\n", "bad.toml: credit[0].pattern: does not compile"),
    ("[agency]\nname = 'X'\n[[credit]]\nid = 'x'\npattern = 'a*'\nexamples = [{ text = 'a' }]\n",
     "bad.toml: credit[0].pattern: matches the empty string"),
    ("[agency]\nname = 'X'\n[[credit]]\nid = 'x'\npattern = 5\nexamples = [{ text = 'a' }]\n",
     "bad.toml: credit[0].pattern: expected a string, got int"),
    ("[agency]\nname = 'X'\n[[credit]]\nid = 'x'\npattern = 'a'\nexamples = []\n",
     "bad.toml: credit[0].examples: needs at least one example"),
    ("[agency]\nname = 'X'\n[[credit]]\nid = 'x'\npattern = '(?P<who>a)'\n"
     "examples = [{ text = 'a' }]\n", "unknown group 'who'"),
    ("[agency]\nname = 'X'\n[[dateline]]\npattern = 'a'\nexamples = [{ text = 'a' }]\n",
     "bad.toml: dateline[0].id: required key missing"),
    ("[agency]\nname = 'X'\n[[credit]]\nid = 'x'\npattern = 'a'\nkind = 'robot'\n"
     "examples = [{ text = 'a' }]\n", "bad.toml: credit[0].kind: must be one of"),
    ("[agency]\nname = 'X'\n[[credits]]\n", "bad.toml: credits: unknown section"),
    ("", "bad.toml: agency: required table missing"),
    ("[agency\n", "bad.toml: (toml)"),
])
def test_bad_file_is_reported_with_file_and_path(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(RuleFileError, match=re.escape(message)):
        load_files([_write(tmp_path, body)])


def test_duplicate_ids_across_files_are_refused(tmp_path: Path) -> None:
    rule = "[[credit]]\nid = 'same'\npattern = 'a'\nexamples = [{ text = 'a' }]\n"
    (tmp_path / "one.toml").write_text("[agency]\nname = 'One'\n" + rule, encoding="utf-8")
    (tmp_path / "two.toml").write_text("[agency]\nname = 'Two'\n" + rule, encoding="utf-8")
    with pytest.raises(RuleFileError, match="two.toml: credit: id 'same' already used in one.toml"):
        load_files(sorted(tmp_path.glob("*.toml")))


def test_new_agency_is_a_data_file(tmp_path: Path) -> None:
    # a made-up agency, added with no code: its credit is found by the parser's machinery
    (tmp_path / "acme.toml").write_text(
        "[agency]\nname = 'Acme Photo'\naliases = ['ACME']\ntriggers = ['acme']\n"
        "[[credit]]\nid = 'acme'\npattern = 'ACME\\s*/\\s*(?P<photographer>{NAMES})'\n"
        "credit_line = 'ACME/{photographer}'\n"
        "examples = [{ text = 'ACME/JANE ROE', expect = { photographer = 'Jane Roe' } }]\n",
        encoding="utf-8")
    from captions.parse.credit import find_credit
    rules = load_files(tmp_path.glob("*.toml"))
    best, cut, _ = find_credit("Cows graze in a field. ACME/JANE ROE", rules)
    assert best is not None
    assert (best.agency, best.photographer, best.credit_line) == ("Acme Photo", "Jane Roe",
                                                                  "ACME/Jane Roe")
    assert cut == len("Cows graze in a field. ")
