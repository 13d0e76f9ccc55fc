"""The first call's shortcuts (issue 6) change no result.

The rule set and the gazetteer's cities are kept in an on-disk cache between runs
(``captions/_diskcache.py``), rules loaded from it compile their patterns on first use
(``schema.LazyPattern``), and the collector is paused while the tables are built.  These
tests check that a cache hit gives the same rules and answers as a fresh validation, that a
changed, broken or damaged input never comes from the cache, and that any cache failure is
silent.  No timing here: ``bench/bench_load.py`` measures.
"""

from __future__ import annotations

import gc
import re
import shutil
import threading
from pathlib import Path

import pytest

from captions import _diskcache, places
from captions._gcpause import paused_gc
from captions.agencies import data_dir, load_cached, load_files
from captions.agencies.schema import (
    AgencyFile,
    LazyPattern,
    from_data,
    from_program,
    program_of,
    to_data,
)
from captions.errors import RuleFileError
from captions.parse.credit import find_credit

DATA = sorted(data_dir().glob("*.toml"))


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private, empty cache directory for the test (the user's is never touched)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv(_diskcache.ENV_DISABLE, raising=False)
    return tmp_path / "xdg" / "captions"


def _uncompiled(rules: object) -> int:
    return sum(1 for r in rules.rules() if r.lazy.compiled is None)  # type: ignore[attr-defined]


def _credits(rules: object) -> list[tuple[str | None, ...]]:
    """find_credit on every credit example of the bundled files, with ``rules``."""
    out = []
    for rule in load_files(DATA).rules():
        for ex in rule.examples:
            best, cut, _ = find_credit(ex.text, rules)  # type: ignore[arg-type]
            out.append((best.agency, best.photographer, best.credit_line, best.kind, str(cut))
                       if best is not None else (None,))
    return out


def test_plain_data_round_trip_is_exact() -> None:
    files = load_files(DATA).files
    again = from_data(to_data(files))
    assert again == files                       # every field, patterns by (pattern, flags)
    for old, new in zip((r for f in files for r in f.rules),
                        (r for f in again for r in f.rules), strict=True):
        assert new.lazy.compiled is None
        assert new.regex == old.regex           # re.Pattern equality compares the code
        assert (new.back, new.core) == (old.back, old.core)


def test_cache_hit_gives_the_same_rules_and_answers(cache: Path) -> None:
    fresh = load_cached(DATA)
    assert (cache / "agency-rules.bin").is_file()
    assert _uncompiled(fresh) == 0              # a miss validates (and compiles) everything
    hit = load_cached(DATA)
    assert _uncompiled(hit) == len(list(hit.rules()))   # nothing compiled at load
    assert hit.files == fresh.files
    assert _credits(hit) == _credits(fresh)
    assert _uncompiled(hit) < len(list(hit.rules()))    # ...until used


def test_changed_rule_file_misses_the_cache(cache: Path, tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    shutil.copytree(data_dir(), folder)
    first = load_cached(folder.glob("*.toml"))
    path = folder / "afp.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('triggers = ["afp"', 'triggers = ["afp", "agence x"', 1)
                    if 'triggers = ["afp"' in text else text + "\n# changed\n", encoding="utf-8")
    second = load_cached(folder.glob("*.toml"))
    assert second.files == load_files(folder.glob("*.toml")).files
    assert _uncompiled(second) == 0             # validated again, not read from the cache
    # a new rule appears at once
    path.write_text(text + "\n[[credit]]\nid = 'afp-test-new'\npattern = 'NEWAGENCY'\n"
                    "examples = [{ text = 'NEWAGENCY afp' }]\n", encoding="utf-8")
    third = load_cached(folder.glob("*.toml"))
    assert "afp-test-new" in {r.id for r in third.rules()}
    assert "afp-test-new" not in {r.id for r in first.rules()}


def test_broken_pattern_is_reported_even_with_a_cache(cache: Path, tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    shutil.copytree(data_dir(), folder)
    load_cached(folder.glob("*.toml"))          # a valid cache entry exists
    with open(folder / "afp.toml", "a", encoding="utf-8") as fh:
        fh.write("\n[[credit]]\nid = 'afp-broken'\npattern = '(unclosed'\n"
                 "examples = [{ text = 'afp' }]\n")
    with pytest.raises(RuleFileError, match=re.escape("afp.toml: credit[")):
        load_cached(folder.glob("*.toml"))


@pytest.mark.parametrize("damage", ["flip", "truncate", "garbage", "empty", "other key"])
def test_damaged_cache_is_ignored_and_replaced(cache: Path, damage: str) -> None:
    fresh = load_cached(DATA)
    path = cache / "agency-rules.bin"
    blob = bytearray(path.read_bytes())
    if damage == "flip":
        blob[len(blob) // 2] ^= 0x55
    elif damage == "truncate":
        del blob[len(blob) // 3:]
    elif damage == "garbage":
        blob = bytearray(b"\x00\xff" * 500)
    elif damage == "empty":
        blob = bytearray()
    else:
        i = len(b"captions-cache 1\n")
        blob[i] = ord("0") if blob[i] != ord("0") else ord("1")
    path.write_bytes(bytes(blob))
    again = load_cached(DATA)
    assert again.files == fresh.files
    assert _uncompiled(again) == 0              # not taken from the damaged file
    assert load_cached(DATA).files == fresh.files
    assert _uncompiled(load_cached(DATA)) > 0   # rewritten: the next load hits


def test_well_formed_entry_of_the_wrong_shape_is_ignored(cache: Path) -> None:
    fresh = load_cached(DATA)
    key = [ln for ln in (cache / "agency-rules.bin").read_bytes().split(b"\n")][1].decode()
    assert _diskcache.write("agency-rules", key, ("T", (("Rule", (("id", "x"),)),)))
    again = load_cached(DATA)
    assert again.files == fresh.files


def test_disabled_cache_writes_nothing(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(_diskcache.ENV_DISABLE, "1")
    rules = load_cached(DATA)
    assert not cache.exists()
    assert _uncompiled(rules) == 0


def test_unwritable_cache_is_not_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    monkeypatch.delenv(_diskcache.ENV_DISABLE, raising=False)
    assert not _diskcache.write("x", "0" * 64, (1, 2))
    assert _diskcache.read("x", "0" * 64) is None
    assert load_cached(DATA).files == load_files(DATA).files


def test_relative_xdg_cache_home_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                              ) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/dir")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv(_diskcache.ENV_DISABLE, raising=False)
    assert _diskcache.cache_dir() == tmp_path / ".cache" / "captions"


def test_cache_round_trip_and_key(cache: Path) -> None:
    key = _diskcache.digest([b"a", "b"])
    assert key != _diskcache.digest([b"ab"])    # parts are length-prefixed
    value = {"x": [(1, "a", "", True)], "y": ("T", None)}
    assert _diskcache.write("t", key, value)
    assert _diskcache.read("t", key) == value
    assert _diskcache.read("t", _diskcache.digest([b"other"])) is None
    assert not list(cache.glob("*.tmp"))        # the temporary file was renamed


def test_gazetteer_cities_from_the_cache_are_the_same(cache: Path) -> None:
    toml_blob = places._data_path("places.toml").read_bytes()
    import tomllib
    table = tomllib.loads(toml_blob.decode())
    fresh = places._cities(table, toml_blob)
    assert (cache / "gazetteer-cities.bin").is_file()
    hit = places._cities(table, toml_blob)
    assert hit == fresh and hit is not fresh
    assert all(type(v) is list and all(type(e) is tuple for e in v) for v in hit.values())
    # a changed places.toml is another key
    other = places._cities(table, toml_blob + b"\n# changed\n")
    assert other == fresh
    # a damaged file is ignored
    path = cache / "gazetteer-cities.bin"
    blob = bytearray(path.read_bytes())
    blob[-10] ^= 0xFF
    path.write_bytes(bytes(blob))
    assert places._cities(table, toml_blob + b"\n# changed\n") == fresh


def test_lazy_pattern_compiles_once_and_threads_agree() -> None:
    rule = next(r for r in load_files(DATA).rules() if r.section == "credit")
    results: list[re.Pattern[str]] = []
    for _ in range(3):
        lazy = LazyPattern(rule.lazy.pattern, rule.lazy.flags)
        threads = [threading.Thread(target=lambda lz=lazy: results.append(lz.get()))
                   for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert lazy.get() is lazy.get()
    assert len(results) == 24 and all(p == rule.regex for p in results)


def test_agency_file_records_survive_the_round_trip() -> None:
    f = load_files(DATA).files[0]
    assert isinstance(from_data(to_data(f)), AgencyFile)
    with pytest.raises(TypeError):
        to_data(object())


@pytest.mark.parametrize("enabled", [True, False])
def test_collector_state_is_restored(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        with paused_gc():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(ValueError), paused_gc():
            raise ValueError
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_cached_programs_rebuild_the_same_patterns() -> None:
    rules = list(load_files(DATA).rules())
    built = 0
    for rule in rules:
        program = program_of(rule.lazy.pattern, rule.lazy.flags)
        if program is None:
            continue
        built += 1
        again = from_program(rule.lazy.pattern, program)
        assert again == rule.regex and again.groupindex == rule.regex.groupindex
        assert again.groups == rule.regex.groups
        lazy = LazyPattern(rule.lazy.pattern, rule.lazy.flags, None, program)
        assert lazy.get() == rule.regex
    assert built == len(rules) or built == 0    # all, or (another Python's re) none


def test_a_program_this_python_refuses_falls_back_to_compiling() -> None:
    rule = next(r for r in load_files(DATA).rules() if r.section == "credit")
    program = program_of(rule.lazy.pattern, rule.lazy.flags)
    if program is None:
        pytest.skip("this Python's re gives no programs")
    flags, code, groups, groupindex, indexgroup = program
    for bad in ((flags, code[:-4], groups, groupindex, indexgroup),     # cut short
                (flags, b"\xff\xff\xff\x7f" + code[4:], groups, groupindex, indexgroup),
                (flags, b"", groups, groupindex, indexgroup),           # no code
                (flags + 2, code, groups, groupindex, indexgroup)):     # other flags
        lazy = LazyPattern(rule.lazy.pattern, rule.lazy.flags, None, bad)
        assert lazy.get() == rule.regex


def test_code_stamp_follows_the_file_the_code_runs_from(tmp_path: Path) -> None:
    # a compiled copy rebuilt (or replaced by the pure module) changes the key even when the
    # source beside it is the same
    from captions import _diskcache

    mod = tmp_path / "mod.so"
    mod.write_bytes(b"old build")
    before = _diskcache.code_stamp(str(mod))
    mod.write_bytes(b"a new build")
    assert _diskcache.code_stamp(str(mod)) != before
    assert _diskcache.code_stamp(str(tmp_path / "gone.so")) == str(tmp_path / "gone.so")
    assert _diskcache.code_stamp(None) == ""
