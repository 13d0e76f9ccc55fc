"""Agency conventions as data: load and validate ``data/*.toml`` once, on first use.

A new agency is a new data file: nothing here names an agency.

>>> rules = load_rules()
>>> rules.canonical("Agence France-Presse")
'AFP'
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from ..errors import RuleFileError
from .schema import AgencyFile, Rule, validate_file

__all__ = ["RuleSet", "load_rules", "load_files", "AgencyFile", "Rule"]


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
    return RuleSet(
        end_triggers=_triggers_of(strip_end), dateline_triggers=_triggers_of(datelines),
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


def load_files(paths: Iterable[Path]) -> RuleSet:
    """Load and validate the given rule files (tests use this on their own files)."""
    out: list[AgencyFile] = []
    for path in sorted(paths):
        try:
            with open(path, "rb") as fh:
                data = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise RuleFileError(f"{path.name}: (toml): {exc}") from None
        except OSError as exc:
            raise RuleFileError(f"{path.name}: cannot read: {exc}") from None
        out.append(validate_file(path.name, data))
    return build(out)


def data_dir() -> Path:
    """Where the bundled rule files live."""
    return Path(str(resources.files(__package__) / "data"))


@functools.cache
def load_rules() -> RuleSet:
    """The bundled rule set, loaded and validated on first call, then cached."""
    return load_files(data_dir().glob("*.toml"))
