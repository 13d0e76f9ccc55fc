"""The shape of an agency rule file, and its validation.

A rule file (``captions/agencies/data/<family>.toml``) holds::

    [agency]
    name = "AFP"                   # canonical name (DESIGN.md); "" for a file of generic rules
    source = "AFP"                 # IPTC Source when this agency supplies the picture
    aliases = ["AFP", "AFP PHOTO"] # spellings in credits, to resolve an (?P<agency>...) group
    triggers = ["afp"]             # lower-case words; credit rules run only when one is in the tail

    [[credit]]                     # a credit tail
    id = "afp-name-slash-afp"      # unique over all files
    pattern = '(?P<photographer>{NAMES})\\s*/\\s*AFP\\b'
    credit_line = "{photographer}/AFP"          # optional template
    kind = "handout"                            # optional: force photographer_kind
    examples = [{ text = "...", expect = { photographer = "Jane Doe" } }]

    [[strip]]                      # boilerplate removed from the subject
    where = "start"                # "start" (prefix) or "end" (suffix)

    [[dateline]]                   # a dateline at the start of the caption

Patterns are Python regular expressions; ``{NAME}``, ``{NAMES}``, ``{UP}`` and ``{AGENCY}`` are
macros (see :data:`MACROS`) expanded before compiling, so every file spells a name the same way.
Every problem is reported as a :class:`~captions.errors.RuleFileError` naming the file and the
path inside it (``afp.toml: credit[2].pattern: ...``).
"""

from __future__ import annotations

import functools
import importlib
import re
from array import array
from typing import Any

try:  # the regex parser, to read the literals a pattern needs (Python 3.11+ names first)
    import re._constants as _sc
    import re._parser as _sp
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants as _sc  # type: ignore[no-redef,unused-ignore]
    import sre_parse as _sp  # type: ignore[no-redef,unused-ignore]
try:  # the regex compiler's last step, for the on-disk cache's programs (program_of)
    _sre: Any = importlib.import_module("_sre")
    _rc: Any = importlib.import_module("re._compiler")
except ImportError:  # pragma: no cover - another Python: patterns are compiled as usual
    _sre = _rc = None

import attrs

from ..errors import RuleFileError

__all__ = ["Example", "Rule", "LazyPattern", "AgencyFile", "MACROS", "expand", "validate_file",
           "SECTIONS", "GROUPS", "required_literals", "required_alternatives", "fold_for_needs",
           "may_match", "lead_of", "leads_of", "literal_first", "core_of", "to_data", "from_data",
           "program_of", "from_program"]

_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ"


def _trie(words: list[str]) -> str:
    """The words as one alternation factored by prefix (``(?:a(?:bu|l)|bin(?:t|)|...)``): ``re``
    tries a branch only when its first letter is the text's, so a word costs one test a letter
    instead of one a word.  Only for alternations where at most one word can lead to a match
    (below: each is followed by what no letter is, or sits in a negative lookahead), so the
    order the words are tried in changes nothing."""
    groups: dict[str, list[str]] = {}
    empty = False
    for word in sorted(set(words)):
        if word:
            groups.setdefault(word[0], []).append(word[1:])
        else:
            empty = True
    alts = [re.escape(c) + _trie(rest) for c, rest in groups.items()] + ([""] if empty else [])
    return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"


#: name particles; always followed by a blank or "-" in the patterns below
_PARTICLE = _trie("de da di do du des del della der den van von la le al el bin ibn bint uz ud ul "
                  "y e dos das ter ten zu abu ap".split())
#: words that are no name (a negative lookahead: which word matches does not matter)
_LABEL = (r"(?!" + _trie("Image Images Photo Picture Credit Mandatory MANDATORY RESTRICTED "
                         "EDITORIAL TPX File FILE via Via Press Wire Agency News PHOTO AFP REUTERS "
                         "Reuters EPA EFE ANSA Getty XINHUA Xinhua AP BY By".split()) + r"\b)")
#: a word of a name: a capital, then an initial's dot ("A.", "J.-P.") tried first, so that "MIGUEL
#: A. LOPES" goes on past the initial instead of stopping at the bare letter "A"; else the word
_WORD = (rf"(?:{_LABEL}[{_UPPER}](?:\.(?:-?[{_UPPER}]\.)?|[\w'’]*+(?:-(?=\w)[\w'’]*+)*(?<![.]))"
         r"(?![ \t]*:))")
#: a name starts after no word character, no "." and no degree sign ("40°C. Name": no initial)
_NAME = (rf"(?:(?<![\w'’\-.°])(?:{_PARTICLE}-)?{_WORD}"
         rf"(?:[ \t]+(?:{_PARTICLE}(?:[ \t]+|-)){{0,3}}(?:{_PARTICLE}-)?{_WORD}){{0,5}})")

_AGENCY = rf"(?:[{_UPPER}a-z][\w.&'’\-]*(?:[ \t]+[{_UPPER}][\w.&'’\-]*){{0,3}})"

#: macro -> regex text, expanded in every pattern before it is compiled
MACROS: dict[str, str] = {
    "{UP}": _UPPER,
    "{NAME}": _NAME,
    "{NAMES}": rf"(?:{_NAME}(?:(?:[ \t]*,[ \t]*|[ \t]+(?:and|&|und|et|y)[ \t]+){_NAME}){{0,3}})",
    "{AGENCY}": _AGENCY,
    "{CHAIN}": rf"(?:{_AGENCY}(?:[ \t]*/[ \t]*{_AGENCY}){{0,3}})",
}

SECTIONS: tuple[str, ...] = ("credit", "strip", "dateline")
#: named groups a pattern may use, per section
GROUPS: dict[str, frozenset[str]] = {
    "credit": frozenset({"photographer", "agency", "org"}),
    "strip": frozenset(),
    "dateline": frozenset({"city", "region", "country", "sublocation", "date", "agency",
                          "headline"}),
}
KINDS = frozenset({"person", "stringer", "handout", "pool", "staff"})


def expand(pattern: str) -> str:
    """Replace the macros in ``pattern``."""
    for key, value in MACROS.items():
        pattern = pattern.replace(key, value)
    return pattern


@attrs.frozen
class Example:
    """A text the rule must match, and the fields it must give."""

    text: str
    expect: dict[str, str | None]


#: what ``_sre.compile`` takes besides the pattern: (flags, code as 32-bit words, groups,
#: group index, index group) -- see :func:`program_of`
Program = tuple[int, bytes, int, dict[str, int], tuple[Any, ...]]


def program_of(pattern: str, flags: int) -> Program | None:
    """The compiled form of ``re.compile(pattern, flags)`` as plain data, or None.

    ``re.compile`` parses the pattern (three quarters of its cost for our long patterns) and
    turns the tree into a list of integers for the ``_sre`` engine; this keeps that list (and
    the group tables) so that :func:`from_program` can rebuild the same pattern object without
    parsing.  Only for this very Python (the on-disk cache is keyed by ``sys.version``); it
    follows ``re._compiler.compile`` and gives None if this Python's ``re`` differs.
    """
    if _rc is None or _sre is None or getattr(_sre, "CODESIZE", 0) != 4 or \
            array("I").itemsize != 4:
        return None
    try:
        parsed = _parse(pattern, flags)
        code = _rc._code(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, i in groupindex.items():
            indexgroup[i] = name
        return (int(flags | parsed.state.flags), array("I", code).tobytes(),
                parsed.state.groups - 1,
                groupindex, tuple(indexgroup))
    except Exception:  # noqa: BLE001 - no program: the pattern is compiled as usual
        return None


def from_program(pattern: str, program: Program) -> re.Pattern[str]:
    """The pattern object :func:`program_of` described (``_sre`` checks the code is valid);
    raises when ``program`` is not one (the caller then compiles ``pattern``)."""
    flags, code, groups, groupindex, indexgroup = program
    words = array("I")
    words.frombytes(code)
    compiled: re.Pattern[str] = _sre.compile(pattern, flags, words.tolist(), groups,
                                             dict(groupindex), tuple(indexgroup))
    return compiled


@functools.lru_cache(maxsize=2048)
def _compiled(pattern: str, flags: int) -> tuple[re.Pattern[str], Program | None]:
    """``re.compile(pattern, flags)`` and its program, from the parse tree the analyses share
    (:func:`_parse`): each pattern is parsed once at load, not once to compile and once to
    analyse.  A pattern ``re`` refuses raises ``re``'s own error (from ``re.compile``)."""
    program = program_of(pattern, flags)
    if program is not None:
        try:
            compiled = from_program(pattern, program)
            if compiled.flags == program[0]:
                return compiled, program
        except Exception:  # noqa: BLE001 - compiled as usual below
            pass
    return re.compile(pattern, flags), None


class LazyPattern:
    """A rule's compiled pattern, compiled on first use.

    Rules loaded from the on-disk cache (:mod:`captions._diskcache`: the files were validated,
    patterns compiled, when it was written) compile only when the parser first needs them: a
    caption needs the rules of the agencies it names; with the cached ``program``
    (:func:`program_of`), compiling skips ``re``'s parser.  Thread-safe without a lock:
    compiling is a pure function of ``(pattern, flags)``; two threads that both compile get
    equal patterns, and either one kept gives the same matches.
    """

    def __init__(self, pattern: str, flags: int, compiled: re.Pattern[str] | None = None,
                 program: Program | None = None) -> None:
        self.pattern = pattern
        self.flags = flags
        self.compiled = compiled
        self.program = program

    def get(self) -> re.Pattern[str]:
        """The compiled pattern (compiling it the first time)."""
        compiled = self.compiled
        if compiled is None:
            compiled = None
            if self.program is not None:
                try:
                    compiled = from_program(self.pattern, self.program)
                except Exception:  # noqa: BLE001 - not a program this Python takes
                    compiled = None
                if compiled is not None and compiled.flags != self.flags:
                    compiled = None
            if compiled is None:
                compiled = re.compile(self.pattern, self.flags)
            self.compiled = compiled
        return compiled

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, LazyPattern) and self.pattern == other.pattern
                and self.flags == other.flags)

    def __hash__(self) -> int:
        return hash((self.pattern, self.flags))

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r}, {self.flags})"


@attrs.frozen
class Rule:
    """One compiled rule of one section of one file."""

    id: str
    section: str
    file: str
    agency: str
    source: str
    pattern: str
    #: the pattern as compiled (macros expanded, see :attr:`regex`), compiled on first use
    lazy: LazyPattern
    examples: tuple[Example, ...]
    credit_line: str | None = None
    credit_line_pseudo: str | None = None
    kind: str | None = None
    where: str = "start"
    priority: int = 0
    require_known: bool = False
    require_person: bool = False
    #: lower-case words one of which must be in the searched text (else the file's triggers)
    triggers: tuple[str, ...] = ()
    #: search only the last ``window`` characters (0: no limit) -- for rules anchored at the end
    window: int = 0
    #: how far before the last mention of a trigger a match may start
    reach: int = 100
    #: lower-case ASCII literals every match contains (derived from the pattern, not written
    #: in the file): a search is skipped when one is missing -- a cheap ``str`` test
    needs: tuple[str, ...] = ()
    #: groups of lower-case ASCII literals, each match containing one of every group (read
    #: from the pattern's required alternations, like ``needs``)
    needs_any: tuple[tuple[str, ...], ...] = ()
    #: a case-sensitive literal every match holds, everything before it in the match being
    #: characters of ``back`` (derived from the pattern, see :func:`lead_of`): a search need
    #: not start before the run of such characters that ends at the literal's first occurrence
    lead: str = ""
    #: matches that run backwards in the reversed text (None: the literal starts the match);
    #: with ``core``, the run before the name's end
    back: re.Pattern[str] | None = None
    #: what follows a name-first rule's name (see :func:`core_of`), or None
    core: re.Pattern[str] | None = None
    #: the characters a match's last non-blank character can be, as one string (derived from
    #: the pattern, see :func:`last_chars_of`; empty: not known): an end rule's match ends the
    #: text, so it cannot match when the text's last non-blank character is not one of these
    ends: str = ""
    #: an end rule's case-sensitive literals, one of which every match holds, everything before
    #: it in the match being characters of ``back`` (see :func:`leads_of`; empty: not known): a
    #: search need not start before the run of such characters that ends at the first
    #: occurrence of any of them, nor run when none occurs
    leads: tuple[str, ...] = ()

    @property
    def regex(self) -> re.Pattern[str]:
        """The compiled pattern (macros expanded; credit rules through :func:`literal_first`)."""
        return self.lazy.get()


@attrs.frozen
class AgencyFile:
    """A validated rule file."""

    file: str
    name: str
    source: str
    aliases: tuple[str, ...]
    triggers: tuple[str, ...]
    rules: tuple[Rule, ...]


def required_marks(pattern: str, flags: int = 0) -> str:
    """ASCII characters that are not letters (",", "-", a line break...) every match of
    ``pattern`` holds, read like :func:`required_literals` reads its literals (the sequence,
    groups, repeats of at least one, lookaheads: a necessary condition).  Without letters, the
    flags cannot change what they match."""
    repeats = {_sc.MAX_REPEAT, _sc.MIN_REPEAT}
    if hasattr(_sc, "POSSESSIVE_REPEAT"):
        repeats.add(_sc.POSSESSIVE_REPEAT)
    out: dict[str, None] = {}

    def walk(seq: Any, depth: int) -> None:
        for op, av in seq:
            if depth > 40:
                return
            if op is _sc.LITERAL:
                if av < 128 and not chr(av).isalpha():
                    out[chr(av)] = None
            elif op is _sc.SUBPATTERN:
                walk(av[-1], depth + 1)
            elif op in repeats and av[0] >= 1:
                walk(av[2], depth + 1)
            elif op is _sc.ASSERT and av[0] == 1:
                walk(av[1], depth + 1)

    walk(_sp.parse(pattern, flags), 0)
    return "".join(out)


def required_literals(pattern: str, flags: int = 0) -> tuple[str, ...]:
    """Lower-case ASCII strings (2+ characters) that every match of ``pattern`` contains.

    Read from the parsed pattern: runs of literal characters in its required parts (the
    sequence itself, groups, repeats of at least one, lookaheads); alternations, optional parts
    and lookbehinds are left out, so the answer is a necessary condition, never a guess.  Text
    to test against must be folded with :func:`fold_for_needs` first.
    """
    return _required(pattern, flags)[0]


def required_alternatives(pattern: str, flags: int = 0) -> tuple[tuple[str, ...], ...]:
    """Groups of lower-case ASCII strings: every match contains at least one string of each.

    One group per required alternation whose every branch needs a literal (the longest is
    kept) or one of a nested group: ``(?:MANDATORY CREDIT|NO SALES)`` gives
    ``("mandatory credit", "no sales")``.  Like :func:`required_literals`, a necessary
    condition read from the parsed pattern.
    """
    return _required(pattern, flags)[1]


@functools.lru_cache(maxsize=2048)
def _parse(pattern: str, flags: int) -> Any:
    """``re``'s parse of a pattern, kept: each credit rule's pattern is read by four analyses
    (the walks only read the tree)."""
    return _sp.parse(pattern, flags)


@functools.lru_cache(maxsize=2048)
def _required(pattern: str, flags: int) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """``(required literals, required groups of alternatives)`` of a pattern."""
    repeats = {_sc.MAX_REPEAT, _sc.MIN_REPEAT}
    if hasattr(_sc, "POSSESSIVE_REPEAT"):
        repeats.add(_sc.POSSESSIVE_REPEAT)

    def walk(seq: Any, depth: int, out: list[str], groups: list[tuple[str, ...]]) -> None:
        run: list[str] = []

        def flush() -> None:
            if len(run) >= 2:
                out.append("".join(run).lower())
            run.clear()

        for op, av in seq:
            if op is _sc.LITERAL and av < 128:
                run.append(chr(av))
            elif op is _sc.AT:
                continue                  # zero width: the run stays contiguous
            elif depth > 40:
                flush()
            elif op is _sc.SUBPATTERN:
                flush()
                walk(av[-1], depth + 1, out, groups)
            elif op in repeats and av[0] >= 1:
                flush()
                walk(av[2], depth + 1, out, groups)
            elif op is _sc.ASSERT and av[0] == 1:
                flush()
                walk(av[1], depth + 1, out, groups)
            elif op is _sc.BRANCH:
                flush()
                alts: list[str] = []
                for branch in av[1]:
                    lits: list[str] = []
                    inner: list[tuple[str, ...]] = []
                    walk(branch, depth + 1, lits, inner)
                    if lits:
                        alts.append(max(lits, key=len))
                    elif inner:
                        alts.extend(inner[0])   # the branch needs one of a nested group
                    else:
                        break             # a branch needing no literal: no condition
                else:
                    alts = list(dict.fromkeys(alts))
                    if len(alts) == 1:
                        # every branch needs the same string ("Handout|HANDOUT", folded):
                        # a required literal, tested before the rule's search
                        out.append(alts[0])
                    else:
                        groups.append(tuple(alts))
            else:
                flush()
        flush()

    out: list[str] = []
    groups: list[tuple[str, ...]] = []
    try:
        walk(_parse(pattern, flags), 0, out, groups)
    except Exception:  # noqa: BLE001 - a pattern the parser reads differently: no prefilter
        return (), ()
    return tuple(dict.fromkeys(out)), tuple(dict.fromkeys(groups))


class _Chars:
    """A set of characters a part of a pattern may consume (``None`` from the walk: unknown)."""

    def __init__(self) -> None:
        self.word = False            # every character ``\w`` matches
        self.space = False           # every character ``\s`` matches
        self.chars: set[str] = set()
        #: "." only right after a capital (the initials of ``{NAME}``)
        self.dot_after_upper = False


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _add_literal(ch: str, out: _Chars) -> bool:
    """Add a literal character (and, for a letter, what it matches in any case)."""
    if _is_word(ch):
        out.word = True              # a letter matches only letters, whatever the case flags
    elif ch.lower() == ch == ch.upper():
        out.chars.add(ch)            # no case forms: it matches itself only
    else:
        return False
    return True


def _add_chars(seq: Any, out: _Chars, special: dict[int, _Chars], depth: int = 0) -> bool:
    """Add to ``out`` every character the parsed ``seq`` may consume; False when unsure."""
    repeats = {_sc.MAX_REPEAT, _sc.MIN_REPEAT}
    if hasattr(_sc, "POSSESSIVE_REPEAT"):
        repeats.add(_sc.POSSESSIVE_REPEAT)
    if depth > 40:
        return False
    for op, av in seq:
        if op is _sc.LITERAL:
            if not _add_literal(chr(av), out):
                return False
        elif op is _sc.IN:
            for iop, iav in av:
                if iop is _sc.LITERAL:
                    if not _add_literal(chr(iav), out):
                        return False
                elif iop is _sc.RANGE and iav[1] - iav[0] < 512 and all(
                        _is_word(chr(c)) for c in range(iav[0], iav[1] + 1)):
                    out.word = True
                elif iop is _sc.CATEGORY and iav in (_sc.CATEGORY_WORD, _sc.CATEGORY_DIGIT):
                    out.word = True
                elif iop is _sc.CATEGORY and iav is _sc.CATEGORY_SPACE:
                    out.space = True
                else:
                    return False     # a negated class, a case-folded one...: not known
        elif op in (_sc.AT, _sc.ASSERT, _sc.ASSERT_NOT):
            continue                 # zero width
        elif op is _sc.SUBPATTERN:
            known = special.get(av[0]) if av[0] is not None else None
            if known is not None:
                out.word |= known.word
                out.space |= known.space
                out.chars |= known.chars
                out.dot_after_upper |= known.dot_after_upper
            elif not _add_chars(av[-1], out, special, depth + 1):
                return False
        elif op is _sc.BRANCH:
            if not all(_add_chars(b, out, special, depth + 1) for b in av[1]):
                return False
        elif op in repeats:
            if not _add_chars(av[2], out, special, depth + 1):
                return False
        else:
            return False
    return True


#: what ``{NAMES}`` consumes: word characters, blanks, ``' ’ - , &``, and "." only after a
#: capital ("J.", "J.-P."); checked against the macro by tests/parse/test_credit_speed_lead.py
_NAMES_CHARS = _Chars()
_NAMES_CHARS.word = _NAMES_CHARS.space = _NAMES_CHARS.dot_after_upper = True
_NAMES_CHARS.chars.update("'’-,&")


def _flatten(seq: list[Any], special: dict[int, _Chars], out: list[Any]) -> None:
    """``seq`` with its groups' contents spliced in (a group is matched in sequence), except
    groups that change flags and the groups of ``special``."""
    for op, av in seq:
        if op is _sc.SUBPATTERN and av[1] == av[2] == 0 and av[0] not in special:
            _flatten(list(av[-1]), special, out)
        else:
            out.append((op, av))


def _case_sensitive(pattern: str, flags: int) -> tuple[Any, re.Pattern[str]] | None:
    """The parse tree and compiled pattern, for the analyses that read literals out of it;
    None when it does not parse here or matches in any case (its literals would then bound
    nothing): no bound rather than a wrong one."""
    try:
        parsed = _parse(pattern, flags)
        compiled = _compiled(pattern, flags)[0]
    except Exception:  # noqa: BLE001 - no bound rather than a wrong one
        return None
    if compiled.flags & re.IGNORECASE:
        return None
    return parsed, compiled


def lead_of(pattern: str, raw: str, flags: int = 0) -> tuple[str, str | None] | None:
    """``(literal, backward pattern)`` for a search bound, or None when none is derived.

    ``pattern`` is the expanded pattern and ``raw`` the pattern as written.  The literal is
    the first run of case-sensitive literal characters of the pattern's top-level sequence:
    every match holds it, and everything the match consumes before it is a character of the
    parts before it (read from the parsed pattern; a ``(?P<photographer>{NAMES})`` group is
    known to consume only :data:`_NAMES_CHARS`).  The backward pattern, matched in the
    reversed text at the literal's first occurrence, consumes a run of such characters: a
    match cannot start before that run (None: the literal starts the match).
    """
    found = _case_sensitive(pattern, flags)
    if found is None:
        return None
    parsed, compiled = found
    groups = compiled.groupindex
    special: dict[int, _Chars] = {}
    if "(?P<photographer>{NAMES})" in raw and "photographer" in groups:
        special[groups["photographer"]] = _NAMES_CHARS
    seq: list[Any] = []
    _flatten(list(parsed), special, seq)
    lead = ""
    for i, (op, av) in enumerate(seq):
        if op is _sc.LITERAL:
            j = i
            while j < len(seq) and seq[j][0] is _sc.LITERAL:
                lead += chr(seq[j][1])
                j += 1
            before = _Chars()
            if not _add_chars(seq[:i], before, special):
                return None
            break
    else:
        return None
    return lead, _back_of(before)


def _back_of(before: _Chars) -> str | None:
    """The pattern that consumes, in reversed text, a run of the characters of ``before``."""
    if not (before.word or before.space or before.chars or before.dot_after_upper):
        return None
    cls = ("\\w" if before.word else "") + ("\\s" if before.space else "") + "".join(
        re.escape(c) for c in sorted(before.chars))
    run = f"[{cls}]++" if cls else ""
    if before.dot_after_upper and "." not in before.chars:
        dot = rf"\.(?=[{_UPPER}])"
        return f"(?:{run}|{dot})*+" if run else f"(?:{dot})*+"
    return f"{run[:-2]}*+"


_NAMES_GROUP = "(?P<photographer>{NAMES})"


def core_of(pattern: str, raw: str, flags: int = 0) -> tuple[str, str | None] | None:
    """``(core pattern, backward pattern)`` of a name-first rule, or None.

    When ``raw`` holds ``(?P<photographer>{NAMES})`` in the top-level sequence of the
    pattern, what follows that group (less a leading ``\\s*``/``\\s+``) matches in every
    match, at or after the end of the name: the leftmost match of that "core" from a
    position bounds the name's end from below (no core match: no match at all), and the
    backward pattern consumes, in reversed text, the characters the match holds before the
    name's end (what comes before the group, and the name).
    """
    if raw.count(_NAMES_GROUP) != 1:
        return None
    found = _case_sensitive(pattern, flags)
    if found is None:
        return None
    parsed, compiled = found
    group = compiled.groupindex.get("photographer")
    if group is None:
        return None
    special = {group: _NAMES_CHARS}
    seq: list[Any] = []
    _flatten(list(parsed), special, seq)
    at = [i for i, (op, av) in enumerate(seq) if op is _sc.SUBPATTERN and av[0] == group]
    if len(at) != 1:
        return None                  # the group sits inside an alternation or a repeat
    before = _Chars()
    if not _add_chars(seq[:at[0] + 1], before, special):
        return None
    rest = raw[raw.index(_NAMES_GROUP) + len(_NAMES_GROUP):]
    for blank in ("\\s*", "\\s+"):
        if rest.startswith(blank):
            rest = rest[len(blank):]
            break
    try:
        core = _compiled(expand(rest), compiled.flags)[0]
        first = _parse(core.pattern, compiled.flags)[0][0]
    except Exception:  # noqa: BLE001 - not a pattern on its own (the group was nested)
        return None
    if core.search("") is not None or first not in (_sc.LITERAL, _sc.IN):
        return None                  # a core that re could not skip ahead for
    return core.pattern, _back_of(before)


#: what :func:`_leads` found on every path of a sequence: a lead on each, a path without one
#: (the walk went off its end), or a part it does not know
_FOUND, _THROUGH, _UNKNOWN = 0, 1, 2


def _has_literal(seq: Any, depth: int = 0) -> bool:
    """Whether a parsed sequence holds a literal character anywhere (nested included)."""
    if depth > 40:
        return True
    for op, av in seq:
        if op is _sc.LITERAL:
            return True
        if op is _sc.SUBPATTERN or op is _sc.ASSERT or op is _sc.ASSERT_NOT:
            if _has_literal(av[-1], depth + 1):
                return True
        elif op is _sc.BRANCH:
            if any(_has_literal(b, depth + 1) for b in av[1]):
                return True
        elif op in (_sc.MAX_REPEAT, _sc.MIN_REPEAT) or op is getattr(_sc, "POSSESSIVE_REPEAT",
                                                                     None):
            if _has_literal(av[2], depth + 1):
                return True
    return False


def _leads(seq: list[Any], before: _Chars, out: list[str], depth: int = 0) -> int:
    """Walk ``seq`` (flattened) from its start along every path to its first run of literal
    characters, adding each run to ``out`` and what the path may consume before it to
    ``before``; :data:`_FOUND` when every path reaches one."""
    repeats = {_sc.MAX_REPEAT, _sc.MIN_REPEAT}
    if hasattr(_sc, "POSSESSIVE_REPEAT"):
        repeats.add(_sc.POSSESSIVE_REPEAT)
    if depth > 40:
        return _UNKNOWN
    special: dict[int, _Chars] = {}
    for i, (op, av) in enumerate(seq):
        if op is _sc.LITERAL:
            lead = ""
            j = i
            while j < len(seq) and seq[j][0] is _sc.LITERAL:
                lead += chr(seq[j][1])
                j += 1
            out.append(lead)
            return _FOUND
        if op in (_sc.AT, _sc.ASSERT, _sc.ASSERT_NOT):
            continue                 # zero width
        if op is _sc.BRANCH:
            # each branch, then what follows the alternation
            for branch in av[1]:
                path: list[Any] = []
                _flatten(list(branch), special, path)
                found = _leads(path + seq[i + 1:], before, out, depth + 1)
                if found != _FOUND:
                    return found
            return _FOUND
        if op in repeats and _has_literal(av[2]):
            # a repeat holding a literal: its first repetition must reach a lead on every
            # path; when it may be skipped (``?``, ``*``), the walk goes on after it too
            body: list[Any] = []
            _flatten(list(av[2]), special, body)
            found = _leads(body, before, out, depth + 1)
            if found != _FOUND:
                return _UNKNOWN
            if av[0] > 0:
                return _FOUND
            continue
        if not _add_chars([(op, av)], before, special):
            return _UNKNOWN          # a negated class, a case-folded group...
    return _THROUGH


def leads_of(pattern: str, flags: int = 0) -> tuple[tuple[str, ...], str | None] | None:
    """``(literals, backward pattern)``: every match holds one of the literals (case-sensitive),
    everything it consumes before that literal being characters the backward pattern consumes
    in reversed text; None when not derived (IGNORECASE, a path without a literal, a part the
    walk does not know).

    :func:`lead_of` for patterns whose first literal sits in an alternation or after an
    optional part (``\\s*(?:MANDATORY CREDIT|NO SALES)...``, ``\\s*(?:A\\s*)?B``): every
    path through the pattern is walked to its first run of literal characters.  No match
    starts before the run of such characters that ends at the first occurrence of any of the
    literals (a match holding a later occurrence consumes, before it, that first occurrence
    and the run too).
    """
    found = _case_sensitive(pattern, flags)
    if found is None:
        return None
    parsed = found[0]
    seq: list[Any] = []
    _flatten(list(parsed), {}, seq)
    before = _Chars()
    out: list[str] = []
    if _leads(seq, before, out) != _FOUND or not all(out):
        return None
    return tuple(dict.fromkeys(out)), _back_of(before)


#: characters that match an ASCII letter case-insensitively but do not lower-case to it
_NEEDS_FOLD = (("\u0130", "i"), ("\u0131", "i"), ("\u212a", "k"), ("\u017f", "s"))


def _last_of_literal(ch: str, fold: bool) -> set[str] | None:
    """What a literal matches (under IGNORECASE when ``fold``); None when not known here."""
    if not fold or ch.lower() == ch == ch.upper() and all(ch != p for _, p in _NEEDS_FOLD):
        return {ch}
    if ch.isascii() and ch.isalpha():
        low = ch.lower()
        return {low, low.upper()} | {odd for odd, plain in _NEEDS_FOLD if plain == low}
    return None


def _last_chars(seq: Any, fold: bool, depth: int = 0) -> tuple[set[str], bool] | None:
    """``(chars, blank)`` of a parsed sequence: the characters its last non-blank character
    can be, and whether it may consume only blanks (``\\s``, ``str.isspace``) or nothing;
    None when the walk does not know an element."""
    repeats = {_sc.MAX_REPEAT, _sc.MIN_REPEAT}
    if hasattr(_sc, "POSSESSIVE_REPEAT"):
        repeats.add(_sc.POSSESSIVE_REPEAT)
    if depth > 40:
        return None
    acc: set[str] = set()
    items: list[Any] = list(seq)
    items.reverse()                  # from the end (``reversed(...)`` trips mypyc here)
    for op, av in items:
        chars: set[str] = set()
        blank = False
        if op is _sc.LITERAL:
            if chr(av).isspace():
                blank = True
            else:
                lit = _last_of_literal(chr(av), fold)
                if lit is None:
                    return None
                chars = lit
        elif op is _sc.IN:
            for iop, iav in av:
                if iop is _sc.LITERAL and not chr(iav).isspace():
                    lit = _last_of_literal(chr(iav), fold)
                    if lit is None:
                        return None
                    chars |= lit
                elif iop is _sc.LITERAL or iop is _sc.CATEGORY and iav is _sc.CATEGORY_SPACE:
                    blank = True
                else:
                    return None      # a range, a negated class, \w...: not listed here
        elif op in (_sc.AT, _sc.ASSERT, _sc.ASSERT_NOT):
            blank = True             # zero width
        elif op is _sc.SUBPATTERN:
            inner = _last_chars(av[-1], (fold or bool(av[1] & _sc.SRE_FLAG_IGNORECASE))
                                and not av[2] & _sc.SRE_FLAG_IGNORECASE, depth + 1)
            if inner is None:
                return None
            chars, blank = inner
        elif op is _sc.BRANCH:
            for branch in av[1]:
                inner = _last_chars(branch, fold, depth + 1)
                if inner is None:
                    return None
                chars |= inner[0]
                blank |= inner[1]
        elif op in repeats:
            inner = _last_chars(av[2], fold, depth + 1)
            if inner is None:
                return None
            # the last non-blank character is that of some repetition
            chars, blank = inner[0], inner[1] or av[0] == 0
        else:
            return None
        acc |= chars
        if not blank:
            return acc, False
    return acc, True


def last_chars_of(pattern: str, flags: int = 0) -> tuple[str, ...]:
    """The characters the last non-blank character of every match of ``pattern`` is one of
    (empty when not known, or when a match may hold only blanks).

    Read from the parsed pattern, walking back from its end over parts that may consume only
    blanks (``\\s``, as ``str.isspace``), zero-width parts and optional parts; a letter under
    IGNORECASE stands for both cases and the other characters ``re`` folds to it
    (:data:`_NEEDS_FOLD`).  An end rule's match ends its text, so ``text.rstrip()[-1:]`` is one
    of these characters whenever it matches.
    """
    try:
        compiled = _compiled(pattern, flags)[0]
        parsed = _parse(pattern, flags)
        found = _last_chars(parsed, bool(compiled.flags & re.IGNORECASE))
    except Exception:  # noqa: BLE001 - no filter rather than a wrong one
        return ()
    if found is None or found[1] or not found[0]:
        return ()
    return tuple(sorted(found[0]))


def fold_for_needs(text: str) -> str:
    """``text`` in the form :attr:`Rule.needs` literals are tested against."""
    if not text.isascii():
        for odd, plain in _NEEDS_FOLD:   # str.replace: much faster than str.translate here
            if odd in text:
                text = text.replace(odd, plain)
    return text.lower()


def may_match(rule: Rule, folded: str, at: int = 0) -> bool:
    """False when ``folded[at:]`` lacks a literal every match of ``rule`` holds.

    ``folded`` is the searched text through :func:`fold_for_needs` (``at`` > 0 only when that
    kept its length: ASCII text); the literals are :attr:`Rule.needs` and one of each
    :attr:`Rule.needs_any` group.
    """
    for lit in rule.needs:
        if folded.find(lit, at) < 0:
            return False
    for alts in rule.needs_any:
        for lit in alts:
            if folded.find(lit, at) >= 0:
                break
        else:
            return False
    return True


_BOUNDARY_WORD = re.compile(r"\\b([A-Za-z]+)")


def literal_first(pattern: str) -> str:
    r"""``pattern`` with a leading ``\bWORD`` written ``WORD(?<!\wWORD)``: the same matches.

    Both hold at a position where WORD starts and the character before is not a word
    character (or there is none); but a pattern that starts with a literal lets ``re`` skip
    ahead to where the literal occurs instead of trying a match at every position.
    """
    m = _BOUNDARY_WORD.match(pattern)
    if m is None:
        return pattern
    word = m.group(1)
    if pattern[m.end():m.end() + 1] in ("?", "*", "+", "{") and pattern[m.end():m.end() + 1]:
        word = word[:-1]             # the last letter is repeated: leave it where it is
    if not word:
        return pattern
    return f"{word}(?<!\\w{word}){pattern[2 + len(word):]}"


def to_data(value: Any) -> Any:
    """A validated :class:`AgencyFile` (or a part of one) as plain data for the on-disk cache:
    ``str``/``int``/``bool``/``None`` as they are, everything else a tagged tuple; the
    compiled patterns are kept as ``(pattern, flags)``.  Every attrs field is written, so a
    field added to :class:`Rule` is cached with no change here.  Raises TypeError on a value
    it cannot represent (the cache is then not written)."""
    if value is None or isinstance(value, (str, int, bool)):
        return value
    if isinstance(value, tuple):
        return ("T", tuple([to_data(v) for v in value]))
    if isinstance(value, LazyPattern):
        program = value.program
        if program is None:
            program = program_of(value.pattern, value.flags)
        return ("L", value.pattern, value.flags, program)
    if isinstance(value, re.Pattern):
        return ("R", value.pattern, value.flags)
    if isinstance(value, dict):
        if not all(isinstance(k, str) and (v is None or isinstance(v, str))
                   for k, v in value.items()):
            raise TypeError("only tables of strings are cached")
        return ("D", dict(value))
    if isinstance(value, (Example, Rule, AgencyFile)):
        cls = type(value).__name__
        return (cls, tuple([(a.name, to_data(getattr(value, a.name)))
                            for a in attrs.fields(type(value))]))
    raise TypeError(f"cannot cache a {type(value).__name__}")


def from_data(data: Any) -> Any:
    """The value :func:`to_data` made ``data`` from; patterns of rules stay uncompiled
    (:class:`LazyPattern`), the others (``back``, ``core``: short) are compiled.  Raises
    (TypeError, ValueError, KeyError...) on data it did not make."""
    if data is None or isinstance(data, (str, int, bool)):
        return data
    tag = data[0]
    if tag == "T":
        return tuple([from_data(v) for v in data[1]])
    if tag == "L":
        program = data[3]
        if not (isinstance(program, tuple) and len(program) == 5):
            program = None
        return LazyPattern(data[1], data[2], None, program)
    if tag == "R":
        return re.compile(data[1], data[2])
    if tag == "D":
        if not isinstance(data[1], dict):
            raise TypeError("a table expected")
        return dict(data[1])
    cls = {"Example": Example, "Rule": Rule, "AgencyFile": AgencyFile}[tag]
    kw = {name: from_data(v) for name, v in data[1]}
    if [a.name for a in attrs.fields(cls)] != list(kw):
        raise ValueError(f"the fields of {tag} changed")
    return cls(**{name.lstrip("_"): v for name, v in kw.items()})


def _fail(file: str, path: str, msg: str) -> RuleFileError:
    return RuleFileError(f"{file}: {path}: {msg}")


def _str(file: str, path: str, value: Any, *, empty: bool = False) -> str:
    if not isinstance(value, str):
        raise _fail(file, path, f"expected a string, got {type(value).__name__}")
    if not empty and not value.strip():
        raise _fail(file, path, "must not be empty")
    return value


def _strlist(file: str, path: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise _fail(file, path, f"expected a list of strings, got {type(value).__name__}")
    return tuple(_str(file, f"{path}[{i}]", v) for i, v in enumerate(value))


_RULE_KEYS = frozenset({"id", "pattern", "examples", "credit_line", "credit_line_pseudo", "kind",
                        "where", "agency", "source", "priority", "note", "require_known",
                        "require_person", "triggers", "window", "reach"})


def _rule(file: str, section: str, idx: int, raw: Any, agency: str, source: str) -> Rule:
    path = f"{section}[{idx}]"
    if not isinstance(raw, dict):
        raise _fail(file, path, "expected a table")
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        raise _fail(file, f"{path}.{sorted(unknown)[0]}", "unknown key")
    for key in ("id", "pattern", "examples"):
        if key not in raw:
            raise _fail(file, f"{path}.{key}", "required key missing")
    rid = _str(file, f"{path}.id", raw["id"])
    pattern = _str(file, f"{path}.pattern", raw["pattern"])
    try:
        regex, program = _compiled(expand(pattern), int(re.UNICODE))
        if section == "credit":
            regex, program = _compiled(literal_first(regex.pattern), regex.flags)
    except re.error as exc:
        raise _fail(file, f"{path}.pattern", f"does not compile: {exc}") from None
    if regex.search("") is not None:
        raise _fail(file, f"{path}.pattern", "matches the empty string")
    bad = set(regex.groupindex) - GROUPS[section]
    if bad:
        raise _fail(file, f"{path}.pattern", f"unknown group {sorted(bad)[0]!r} "
                    f"(allowed: {', '.join(sorted(GROUPS[section])) or 'none'})")
    raw_examples = raw["examples"]
    if not isinstance(raw_examples, list) or not raw_examples:
        raise _fail(file, f"{path}.examples", "needs at least one example")
    examples: list[Example] = []
    for j, ex in enumerate(raw_examples):
        epath = f"{path}.examples[{j}]"
        if not isinstance(ex, dict) or "text" not in ex:
            raise _fail(file, epath, "expected a table with text (and expect)")
        text = _str(file, f"{epath}.text", ex["text"])
        expect = ex.get("expect", {})
        if not isinstance(expect, dict):
            raise _fail(file, f"{epath}.expect", "expected a table")
        for k, v in expect.items():
            if v is not None and not isinstance(v, str):
                raise _fail(file, f"{epath}.expect.{k}", "expected a string")
        examples.append(Example(text, dict(expect)))
    kind = raw.get("kind")
    if kind is not None and kind not in KINDS:
        raise _fail(file, f"{path}.kind", f"must be one of {', '.join(sorted(KINDS))}")
    where = raw.get("where", "start")
    if where not in ("start", "end"):
        raise _fail(file, f"{path}.where", 'must be "start" or "end"')
    priority = raw.get("priority", 0)
    if not isinstance(priority, int):
        raise _fail(file, f"{path}.priority", "expected an integer")
    opt = {k: _str(file, f"{path}.{k}", raw[k]) for k in
           ("credit_line", "credit_line_pseudo") if k in raw}
    bound = lead_of(regex.pattern, pattern, regex.flags) if section == "credit" else None
    core = core_of(regex.pattern, pattern, regex.flags) if section == "credit" else None
    if core is not None:
        bound = ("", core[1])
    leads = leads_of(regex.pattern, regex.flags) if section == "strip" and where == "end" \
        else None
    if leads is not None:
        bound = ("", leads[1])
    return Rule(
        id=rid, section=section, file=file,
        agency=_str(file, f"{path}.agency", raw.get("agency", agency), empty=True),
        source=_str(file, f"{path}.source", raw.get("source", source), empty=True),
        pattern=pattern, lazy=LazyPattern(regex.pattern, regex.flags, regex, program),
        examples=tuple(examples), kind=kind, where=where,
        needs=required_literals(regex.pattern, regex.flags),
        needs_any=required_alternatives(regex.pattern, regex.flags),
        lead=bound[0] if bound else "",
        back=re.compile(bound[1]) if bound and bound[1] is not None else None,
        core=_compiled(core[0], regex.flags)[0] if core is not None else None,
        leads=leads[0] if leads is not None else (),
        ends="".join(last_chars_of(regex.pattern, regex.flags)) if section == "strip" and
        where == "end" else "",
        priority=priority, require_known=bool(raw.get("require_known", False)),
        require_person=bool(raw.get("require_person", False)),
        window=int(raw.get("window", 0)) if isinstance(raw.get("window", 0), int) else 0,
        reach=int(raw.get("reach", 100)) if isinstance(raw.get("reach", 100), int) else 100,
        triggers=tuple(t.lower() for t in _strlist(file, f"{path}.triggers",
                                                    raw.get("triggers", []))),
        **opt,
    )


def validate_file(file: str, data: Any) -> AgencyFile:
    """Check one parsed TOML document and compile its rules; raise RuleFileError on any fault."""
    if not isinstance(data, dict):
        raise _fail(file, "(top)", "expected a table")
    unknown = set(data) - {"agency", *SECTIONS}
    if unknown:
        raise _fail(file, sorted(unknown)[0], "unknown section")
    head = data.get("agency")
    if not isinstance(head, dict):
        raise _fail(file, "agency", "required table missing")
    name = _str(file, "agency.name", head.get("name", ""), empty=True)
    source = _str(file, "agency.source", head.get("source", name), empty=True)
    aliases = _strlist(file, "agency.aliases", head.get("aliases", []))
    triggers = tuple(t.lower() for t in _strlist(file, "agency.triggers", head.get("triggers", [])))
    rules: list[Rule] = []
    for section in SECTIONS:
        items = data.get(section, [])
        if not isinstance(items, list):
            raise _fail(file, section, "expected an array of tables ([[...]])")
        for i, item in enumerate(items):
            rule = _rule(file, section, i, item, name, source)
            if not rule.triggers and triggers and (section == "credit" or
                                                   section == "strip" and rule.where == "end"):
                rule = attrs.evolve(rule, triggers=triggers)
            for ex_i, ex in enumerate(rule.examples):
                low = ex.text.lower()
                if rule.triggers and not any(t in low for t in rule.triggers):
                    raise _fail(file, f"{section}[{i}].examples[{ex_i}]",
                                "text has none of the rule's triggers")
            rules.append(rule)
    return AgencyFile(file, name, source, aliases, triggers, tuple(rules))
