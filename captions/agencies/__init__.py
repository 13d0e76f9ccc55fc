"""Agency conventions as data: load and validate ``data/*.toml`` once, on first use.

A new agency is a new data file: nothing here names an agency.

>>> rules = load_rules()
>>> rules.canonical("Agence France-Presse")
'AFP'
"""

from __future__ import annotations

import functools
import sys
import tomllib
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

import ahocorasick
import attrs

from .. import _diskcache
from .._gcpause import paused_gc
from ..errors import RuleFileError
from .schema import AgencyFile, Rule, from_data, to_data, validate_file

__all__ = ["RuleSet", "load_rules", "load_files", "AgencyFile", "Rule", "trigger_automaton",
           "CHAR_ORDER"]


@functools.lru_cache(maxsize=4096)
def _alias_key(name: str) -> str:
    return " ".join(name.replace("-", " ").replace(".", " ").lower().split())


@attrs.frozen
class RuleSet:
    """All rule files, with the lookups the parser needs precomputed."""

    files: tuple[AgencyFile, ...]
    aliases: dict[str, str]          # folded alias -> canonical agency name
    sources: dict[str, str]          # canonical name -> IPTC Source
    #: (triggers, credit rules) per file; empty triggers = always tried
    credit_groups: tuple[tuple[tuple[str, ...], tuple[Rule, ...]], ...]
    #: unique trigger -> the credit rules it enables (rules with no trigger are always tried)
    credit_index: tuple[tuple[str, tuple[Rule, ...]], ...]
    #: the triggers of ``credit_index``, in the same order
    credit_triggers: tuple[str, ...]
    credit_always: tuple[Rule, ...]
    credit_order: dict[str, int]
    strip_start: tuple[Rule, ...]
    strip_end: tuple[Rule, ...]
    datelines: tuple[Rule, ...]
    datelines_end: tuple[Rule, ...]
    #: the distinct triggers of ``strip_end`` and of ``datelines`` (checked once per caption)
    end_triggers: tuple[str, ...] = ()
    dateline_triggers: tuple[str, ...] = ()
    #: the triggers looked for in the caption's tail: ``credit_triggers``, then those of
    #: ``end_triggers`` that are not credit triggers
    tail_triggers: tuple[str, ...] = ()
    #: ``t in ""`` for each of them (True only for an empty trigger, which is in every text
    #: and which the automaton cannot hold): where :func:`~captions.parse.credit.trigger_hits`
    #: starts
    tail_blank: tuple[bool, ...] = ()
    #: an Aho-Corasick automaton of the non-empty tail triggers, each stored with its position
    #: in ``tail_triggers`` (see :func:`trigger_automaton`); None when there are none
    tail_automaton: Any = attrs.field(default=None, eq=False, repr=False)

    def canonical(self, name: str) -> str | None:
        """The canonical agency name of an alias ("Agence France-Presse" -> "AFP"), else None."""
        return self.aliases.get(_alias_key(name))

    def end_rules(self, low_tail: str) -> tuple[Rule, ...]:
        """The strip-end rules whose triggers occur in ``low_tail`` (lower case)."""
        return self._choose("end", self.strip_end,
                            tuple([t for t in self.end_triggers if t in low_tail]))

    def dateline_rules(self, low_head: str) -> tuple[Rule, ...]:
        """The start dateline rules whose triggers occur in ``low_head`` (lower case), in order."""
        return self._choose("dateline", self.datelines,
                            tuple([t for t in self.dateline_triggers if t in low_head]))

    def _choose(self, kind: str, rules: tuple[Rule, ...], present: tuple[str, ...]
                ) -> tuple[Rule, ...]:
        memo: dict[tuple[str, tuple[str, ...]], tuple[Rule, ...]] = self.memo("chosen rules")
        key = (kind, present)
        chosen = memo.get(key)
        if chosen is None:
            found = set(present)
            chosen = tuple(r for r in rules if not r.triggers or not found.isdisjoint(r.triggers))
            if len(memo) < 4096:
                memo[key] = chosen
        return chosen

    def memo(self, purpose: str) -> dict[Any, Any]:
        """A dict for answers that depend only on this rule set (the rules chosen per set of
        present triggers, the credit search plans): one per rule set and purpose, kept in a
        module table by identity (an attrs factory field would stop mypyc)."""
        key = (id(self), purpose)
        entry = _MEMOS.get(key)
        if entry is None or entry[0] is not self:
            if len(_MEMOS) > 64:
                _MEMOS.clear()
            entry = _MEMOS[key] = (self, {})
        return entry[1]

    def rules(self) -> Iterable[Rule]:
        for f in self.files:
            yield from f.rules


#: (rule set id, purpose) -> (the rule set, its memo): see :meth:`RuleSet.memo`
_MEMOS: dict[tuple[int, str], tuple[RuleSet, dict[Any, Any]]] = {}


def _triggers_of(rules: Iterable[Rule]) -> tuple[str, ...]:
    """The distinct triggers of some rules."""
    return tuple(dict.fromkeys(t for r in rules for t in r.triggers))


#: characters by their frequency in the holdout corpora's lower-cased tails (the last 600
#: characters), most frequent first: see :func:`trigger_automaton`
CHAR_ORDER = " aeriontslhdupcmg,b2fykv.0w/1-5()z:j463'xq+987"


def _char_ranks(word: str) -> tuple[int, ...]:
    """Each character's place in :data:`CHAR_ORDER` (the others after them all)."""
    ranks: list[int] = []
    for c in word:
        r = CHAR_ORDER.find(c)
        ranks.append(r if r >= 0 else len(CHAR_ORDER))
    return tuple(ranks)


def trigger_automaton(triggers: tuple[str, ...]) -> Any:
    """An Aho-Corasick automaton (``pyahocorasick``) holding every non-empty trigger, with its
    position in ``triggers`` as its value, or None when there is none.

    ``automaton.iter(text)`` yields ``(end, position)`` for every occurrence of every trigger
    in ``text`` (overlapping ones and those inside another included), in the order of their
    ends, in one pass over ``text``: the triggers it names are exactly those ``in text``.

    The triggers are added in the order of their characters' frequency (:data:`CHAR_ORDER`,
    then the others): the library keeps a state's next characters in the order they were
    added and looks them up one by one, so the frequent ones come first (~-15 % of the
    search's cost on the dev tails).  The order changes nothing else.
    """
    automaton = ahocorasick.Automaton()
    for i in sorted(range(len(triggers)), key=lambda i: _char_ranks(triggers[i])):
        if triggers[i]:
            automaton.add_word(triggers[i], i)
    if len(automaton) == 0:
        return None
    automaton.make_automaton()
    return automaton


def build(files: Iterable[AgencyFile]) -> RuleSet:
    """Combine validated files; ids must be unique over all of them."""
    files = tuple(files)
    seen: dict[str, str] = {}
    aliases: dict[str, str] = {}
    sources: dict[str, str] = {}
    for f in files:
        for rule in f.rules:
            if rule.id in seen:
                raise RuleFileError(f"{f.file}: {rule.section}: id {rule.id!r} already used in "
                                    f"{seen[rule.id]}")
            seen[rule.id] = f.file
        if f.name:
            sources.setdefault(f.name, f.source)
            for alias in (f.name, *f.aliases):
                key = _alias_key(alias)
                if key in aliases and aliases[key] != f.name:
                    raise RuleFileError(f"{f.file}: agency.aliases: {alias!r} already names "
                                        f"{aliases[key]}")
                aliases[key] = f.name
    groups = tuple((f.triggers, tuple(r for r in f.rules if r.section == "credit"))
                   for f in files)
    every = [r for f in files for r in f.rules]
    # agencies' own rules first, then the generic ones (files with no agency name)
    credit_rules = sorted((r for r in every if r.section == "credit"), key=lambda r: not r.agency)
    index: dict[str, list[Rule]] = {}
    for r in credit_rules:
        for t in r.triggers:
            index.setdefault(t, []).append(r)
    strip_end = tuple(r for r in every if r.section == "strip" and r.where == "end")
    datelines = tuple(sorted((r for r in every if r.section == "dateline" and r.where == "start"),
                             key=lambda r: -r.priority))
    end_triggers = _triggers_of(strip_end)
    tail_triggers = tuple(index) + tuple(t for t in end_triggers if t not in index)
    return RuleSet(
        end_triggers=end_triggers, dateline_triggers=_triggers_of(datelines),
        tail_triggers=tail_triggers, tail_blank=tuple([not t for t in tail_triggers]),
        tail_automaton=trigger_automaton(tail_triggers),
        credit_index=tuple((t, tuple(rs)) for t, rs in index.items()),
        credit_triggers=tuple(index),
        credit_always=tuple(r for r in credit_rules if not r.triggers),
        credit_order={r.id: i for i, r in enumerate(credit_rules)},
        files=files, aliases=aliases, sources=sources,
        credit_groups=tuple(g for g in groups if g[1]),
        strip_start=tuple(r for r in every if r.section == "strip" and r.where == "start"),
        strip_end=strip_end,
        datelines=datelines,
        datelines_end=tuple(sorted((r for r in every if r.section == "dateline" and r.where == "end"),
                                   key=lambda r: -r.priority)),
    )


def _read(paths: Iterable[Path]) -> list[tuple[Path, bytes]]:
    """The bytes of each rule file, in name order."""
    out: list[tuple[Path, bytes]] = []
    for path in sorted(paths):
        try:
            with open(path, "rb") as fh:
                out.append((path, fh.read()))
        except OSError as exc:
            raise RuleFileError(f"{path.name}: cannot read: {exc}") from None
    return out


def _validate(blobs: list[tuple[Path, bytes]]) -> list[AgencyFile]:
    """Parse and validate the files read by :func:`_read`."""
    out: list[AgencyFile] = []
    for path, blob in blobs:
        try:
            data = tomllib.loads(blob.decode())
        except tomllib.TOMLDecodeError as exc:
            raise RuleFileError(f"{path.name}: (toml): {exc}") from None
        out.append(validate_file(path.name, data))
    return out


def load_files(paths: Iterable[Path]) -> RuleSet:
    """Load and validate the given rule files (tests use this on their own files)."""
    return build(_validate(_read(paths)))


def data_dir() -> Path:
    """Where the bundled rule files live."""
    return Path(str(resources.files(__package__) / "data"))


#: name of the bundled rule set's entry in the on-disk cache (captions/_diskcache.py)
_CACHE_NAME = "agency-rules"


def _cache_key(blobs: list[tuple[Path, bytes]]) -> str:
    """What the derived rules depend on: the files (names and bytes), the code that derives
    them (``schema.py``, this module), the package version (and, in the digest, Python's)."""
    schema_module = sys.modules.get(f"{__name__}.schema")
    parts: list[bytes | str] = [str(getattr(sys.modules.get("captions"), "__version__", "")),
                                _diskcache.code_stamp(__file__),
                                _diskcache.code_stamp(getattr(schema_module, "__file__", None))]
    here = Path(__file__).parent
    for source in ("schema.py", "__init__.py"):
        try:
            parts.append((here / source).read_bytes())
        except OSError:
            parts.append("")   # an install without sources: the version alone tells
    for path, blob in blobs:
        parts.extend((path.name, blob))
    return _diskcache.digest(parts)


def load_cached(paths: Iterable[Path]) -> RuleSet:
    """:func:`load_files`, with the validated and analysed files kept in the on-disk cache.

    A cache entry is only ever written after the files passed validation, and is keyed by
    their bytes: a changed or broken file misses the cache and is validated (and reported)
    as by :func:`load_files`.  On a hit no pattern is parsed or compiled at load; each rule
    compiles its pattern on first use (:class:`~captions.agencies.schema.LazyPattern`).
    """
    blobs = _read(paths)
    key = _cache_key(blobs)
    cached = _diskcache.read(_CACHE_NAME, key)
    if cached is not None:
        try:
            files = from_data(cached)
            if isinstance(files, tuple) and all(isinstance(f, AgencyFile) for f in files):
                return build(files)
        except Exception:  # noqa: BLE001 - a cache entry we cannot use is no entry
            pass
    files = tuple(_validate(blobs))
    rules = build(files)
    try:
        data = to_data(files)
    except TypeError:       # a value the cache cannot hold: do without
        return rules
    _diskcache.write(_CACHE_NAME, key, data)
    return rules


@functools.cache
def load_rules() -> RuleSet:
    """The bundled rule set, loaded and validated on first call, then cached (in memory, and
    on disk between runs: :func:`load_cached`)."""
    with paused_gc():
        return load_cached(data_dir().glob("*.toml"))
