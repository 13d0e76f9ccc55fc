"""The photo-desk run: find the pictures, plan the field changes, apply them, report.

Nothing here prints.  :func:`run_batch` streams one :class:`FileResult` per picture, in input
order, to an optional callback (the command line prints and draws the progress bar there) and to
an optional report file, and returns a :class:`Summary` of counts.  Memory stays flat in the
number of files: paths are walked lazily, at most a few chunks are in flight, and only counts are
kept.

One picture, step by step (:func:`process_file`):

1. sniff the first bytes: a non-image is *skipped* quietly; a file named like an image that is
   not one, or that cannot be read, is *failed*;
2. read its metadata and parse the description with :func:`captions.parse_caption`;
3. :func:`plan_changes` turns the caption into field values under the house style (fill empty
   fields only, or overwrite), keeping what an editor typed and never removing a value;
4. with ``write=True``, :func:`captions.api.write_fields` applies them (atomic, lossless).

Any :class:`~captions.errors.CaptionsError` or :class:`OSError` (and, as a safety net, any other
exception) marks that file *failed* and the batch goes on.  The one exception is
:class:`~captions.errors.RuleFileError`: broken agency rule files are no picture's fault, so the
run stops (before the first file, as the parser is loaded up front).
"""

from __future__ import annotations

import collections
import concurrent.futures
import csv
import datetime as _dt
import functools
import gc
import itertools
import json
import os
import re
import stat
import string
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, Literal, TypeVar

import attrs

from .api import TEMP_MARK
from .config import HouseStyle
from .errors import CaptionsError, RuleFileError
from .model import Caption, ImageMetadata

__all__ = [
    "BatchOptions",
    "FileResult",
    "Summary",
    "ReportWriter",
    "IMAGE_SUFFIXES",
    "sniff_format",
    "iter_files",
    "is_leftover",
    "LEFTOVER_AGE",
    "count_files",
    "proposed_values",
    "plan_changes",
    "process_file",
    "process_files",
    "ordered_map",
    "run_batch",
]

Status = Literal["changed", "unchanged", "failed", "skipped"]
Value = str | list[str] | None

#: file name endings we treat as images even when their bytes say otherwise (then: failed)
IMAGE_SUFFIXES: frozenset[str] = frozenset(
    {".jpg", ".jpeg", ".jpe", ".jfif", ".tif", ".tiff", ".png", ".webp"}
)

#: magic bytes -> format, checked against the first 16 bytes of a file
_MAGIC: tuple[tuple[Callable[[bytes], bool], str], ...] = (
    (lambda h: h.startswith(b"\xff\xd8\xff"), "jpeg"),
    (lambda h: h.startswith((b"II*\x00", b"MM\x00*")), "tiff"),
    (lambda h: h.startswith(b"\x89PNG\r\n\x1a\n"), "png"),
    (lambda h: h[:4] == b"RIFF" and h[8:12] == b"WEBP", "webp"),
)

#: macOS "._NAME.jpg" companions (AppleDouble) on shared volumes: named like pictures, never ones
_APPLE_DOUBLE = b"\x00\x05\x16\x07"

#: files handed to a worker at a time, and chunks allowed in flight per worker
CHUNK_SIZE = 8
CHUNKS_IN_FLIGHT_PER_WORKER = 4
#: threads per process (``--threads``): while one file's image data is copied by the kernel and
#: fsynced (the interpreter lock is released for both), others are read, parsed and encoded.
#: The Python work still takes turns, so more threads than this gain nothing measurable
#: (``bench/bench_speed.py``, docs/notes/performance.md).
DEFAULT_THREADS = 4
#: files allowed in flight per thread (submitted, result not yet consumed)
FILES_IN_FLIGHT_PER_THREAD = 4


def sniff_format(head: bytes) -> str | None:
    """The image format the first bytes announce, or ``None``.

    >>> sniff_format(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00")
    'png'
    >>> sniff_format(b"%PDF-1.7") is None
    True
    """
    for test, fmt in _MAGIC:
        if test(head):
            return fmt
    return None


# --------------------------------------------------------------------------------------------
# Records


@attrs.frozen(kw_only=True)
class BatchOptions:
    """How to run: the house style plus the command-line switches that override it."""

    style: HouseStyle = attrs.field(factory=HouseStyle)
    write: bool = False
    backup: bool = False
    #: fsync each rewritten file and its folder (``write_fields(durable=...)``); ``--no-fsync``
    durable: bool = True
    #: a fixed reference date that wins over the style's policy (``--reference-date``)
    reference_date: _dt.date | None = None
    #: threads per process when writing (``--threads``); 1 processes the files one after
    #: another.  Dry runs always use one: reading and parsing are all Python, and threads
    #: would only take turns with each other (measured slower: bench/bench_batch.py)
    threads: int = DEFAULT_THREADS


@attrs.frozen(kw_only=True)
class FileResult:
    """What happened to one file.  ``changes`` maps a field to ``(old, new)``."""

    path: str
    status: Status
    changes: Mapping[str, tuple[Value, Value]] = attrs.field(factory=dict)
    warnings: tuple[str, ...] = ()
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The report object of DESIGN.md section 2 (``changes``: field -> [old, new])."""
        return {
            "path": self.path,
            "status": self.status,
            "changes": {k: [old, new] for k, (old, new) in self.changes.items()},
            "warnings": list(self.warnings),
            "error": self.error,
        }


@attrs.define
class Summary:
    """Counts over a run; the only state :func:`run_batch` keeps."""

    dry_run: bool = True
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    skipped: int = 0
    warnings: int = 0
    #: temp files left by an interrupted write (:data:`LEFTOVER_AGE`): removed by a write run,
    #: only counted by a dry run
    leftovers: int = 0

    def add(self, result: FileResult) -> None:
        """Count one result."""
        setattr(self, result.status, getattr(self, result.status) + 1)
        self.warnings += len(result.warnings)

    @property
    def files(self) -> int:
        """Images looked at (skipped non-images not included)."""
        return self.changed + self.unchanged + self.failed

    @property
    def exit_code(self) -> int:
        """0 all clean, 1 changes pending (dry run), 2 a file failed (2 wins)."""
        if self.failed:
            return 2
        if self.dry_run and self.changed:
            return 1
        return 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "files": self.files,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "skipped": self.skipped,
            "warnings": self.warnings,
            "leftover_temp_files": self.leftovers,
            "exit_code": self.exit_code,
        }


# --------------------------------------------------------------------------------------------
# Finding files


def iter_files(paths: Iterable[str | os.PathLike[str]], *,
               on_leftover: Callable[[Path], None] | None = None) -> Iterator[Path]:
    """Yield candidate files under ``paths``, lazily, in a stable (sorted) order.

    A path given on the command line is used as given (a symlink named there is followed).
    Inside a folder, symbolic links are never followed, to files or to folders: a link could lead
    out of the tree, loop, or make one picture be processed twice, and writing through a link
    would replace the link with a plain file.  Hidden folders (``.git``, ``.thumbnails``) inside a
    folder are not entered either, as with ExifTool's ``-r``.  A named path that does not exist is
    still yielded so that it is reported as failed.  Our own temp files met on the way (see
    :func:`is_leftover`) are never yielded; ``on_leftover`` is called with each instead.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from _walk(path, on_leftover)
        else:
            yield path


def _walk(folder: Path, on_leftover: Callable[[Path], None] | None = None) -> Iterator[Path]:
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            yield current  # reported as failed by process_file
            continue
        subdirs: list[Path] = []
        for entry in entries:
            if entry.is_symlink():
                continue
            if _is_our_artefact(entry.name):
                if on_leftover is not None and _TEMP_NAME.fullmatch(entry.name):
                    on_leftover(Path(entry.path))
                continue
            if entry.is_dir(follow_symlinks=False):
                if not entry.name.startswith("."):  # .git, .thumbnails, .Trash-1000 ...
                    subdirs.append(Path(entry.path))
            elif entry.is_file(follow_symlinks=False):
                yield Path(entry.path)
        stack.extend(reversed(subdirs))  # depth-first, in name order


#: ``write_fields(..., backup=True)`` leaves ``NAME.bak``; a killed write ``.NAME.captions-tmp-*``
_BACKUP_SUFFIX = ".bak"
_TEMP_MARK = TEMP_MARK


def _is_our_artefact(name: str) -> bool:
    """Our own backups and leftover temp files: pictures, but never ones to process again."""
    return name.endswith(_BACKUP_SUFFIX) or (name.startswith(".") and _TEMP_MARK in name)


#: the name :func:`captions.api.write_fields` gives its temp file: ``.NAME.captions-tmp-`` and
#: 12 hex digits
_TEMP_NAME = re.compile(r"\..+" + re.escape(TEMP_MARK) + r"[0-9a-f]{12}")
#: seconds since its last change after which such a temp file is a leftover of an interrupted
#: write (killed process, power cut) rather than a write in progress: a write takes
#: milliseconds, and a running one touches its temp file all along
LEFTOVER_AGE = 3600.0


def is_leftover(path: Path, *, now: float | None = None) -> bool:
    """Whether ``path`` is a temp file of ours that an interrupted write left behind.

    Only a regular file named as :func:`captions.api.write_fields` names its temp files, and
    not changed for :data:`LEFTOVER_AGE` seconds, qualifies: a picture, a backup, or the temp
    file of a write running right now (in another process or program) never does.
    """
    if not _TEMP_NAME.fullmatch(path.name):
        return False
    try:
        st = os.lstat(path)
    except OSError:
        return False
    age = (time.time() if now is None else now) - st.st_mtime
    return stat.S_ISREG(st.st_mode) and age > LEFTOVER_AGE


class _Leftovers:
    """Counts (and in a write run removes) the leftovers :func:`iter_files` meets."""

    def __init__(self, remove: bool) -> None:
        self.remove = remove
        self.count = 0
        self.now = time.time()

    def found(self, path: Path) -> None:
        if not is_leftover(path, now=self.now):
            return
        if self.remove:
            try:
                os.unlink(path)
            except OSError:  # gone meanwhile, or not ours to remove: leave it, say nothing
                return
        self.count += 1


def count_files(paths: Iterable[str | os.PathLike[str]]) -> int:
    """How many candidate files :func:`iter_files` will yield (for a progress bar's total)."""
    return sum(1 for _ in iter_files(paths))


# --------------------------------------------------------------------------------------------
# Planning


def _is_empty(value: Value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return not any(v.strip() for v in value)


def _render_credit(template: str, caption: Caption) -> str | None:
    values = {
        "photographer": caption.photographer,
        "agency": caption.agency,
        "source": caption.source,
        "credit_line": caption.credit_line,
    }
    needed = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    if any(not values[name] for name in needed):
        return None  # the caption lacks something the template needs
    return template.format(**values).strip() or None


def proposed_values(caption: Caption, style: HouseStyle) -> dict[str, Value]:
    """Field values the parsed caption offers, for the fields the house style fills.

    Fields the caption says nothing about are left out (never proposed as empty).
    """
    location = caption.location
    credit = caption.credit_line
    template = style.credit_template(caption.agency)
    if template is not None:
        credit = _render_credit(template, caption) or credit
    offered: dict[str, Value] = {
        "creators": list(caption.photographers) or None,
        "credit_line": credit,
        "source": caption.source,
        "date_created": caption.date.isoformat() if caption.date else None,
        "city": location.city,
        "sublocation": location.sublocation,
        "region": location.region,
        "country": location.country,
        "country_code": location.country_code,
        "headline": caption.headline,
        "copyright_notice": caption.copyright_notice,
    }
    return {f: offered[f] for f in style.fields if not _is_empty(offered.get(f))}


def _same(field: str, old: Value, new: Value) -> bool:
    if field == "date_created" and isinstance(old, str) and isinstance(new, str):
        # "2016-02-04T10:30:00" already says "2016-02-04": keep the more precise value
        return old == new or old.startswith(new)
    if isinstance(old, list) or isinstance(new, list):
        return list(old or []) == list(new or [])
    return old == new


def plan_changes(
    meta: ImageMetadata, caption: Caption, style: HouseStyle
) -> dict[str, tuple[Value, Value]]:
    """Field -> (old, new) for everything the house style would change in this picture.

    ``fill-empty`` sets only fields that are empty now; ``overwrite`` also replaces differing
    values.  A value the caption does not offer is never removed.  With ``description =
    "subject"`` the description becomes the parsed subject (credit tail and dateline removed).
    """
    current = meta.to_dict()
    changes: dict[str, tuple[Value, Value]] = {}
    for field, new in proposed_values(caption, style).items():
        old = current[field]
        old_value: Value = list(old) if isinstance(old, list) else old
        if style.policy == "fill-empty" and not _is_empty(old_value):
            continue
        if not _same(field, old_value, new):
            changes[field] = (None if _is_empty(old_value) else old_value, new)
    if style.description == "subject" and caption.subject:
        subject = caption.subject.strip()
        if subject and subject != (meta.description or "").strip():
            changes["description"] = (meta.description, subject)
    return changes


# --------------------------------------------------------------------------------------------
# One file


def _reference_date(path: Path, options: BatchOptions) -> _dt.date | None:
    if options.reference_date is not None:
        return options.reference_date
    policy = options.style.reference_date
    if policy == "file-mtime":
        mtime = os.stat(path).st_mtime
        return _dt.datetime.fromtimestamp(mtime, tz=_dt.timezone.utc).date()
    return options.style.fixed_reference_date


def _write_obstacles(path: Path, st: os.stat_result) -> list[str]:
    """Why ``--write`` would fail on this file, told in the dry run already."""
    if not st.st_mode & 0o222 or not os.access(path, os.W_OK):
        return ["the file is read-only: --write will fail"]
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return ["its folder is not writable: --write will fail"]
    return []


def _describe(exc: BaseException, path: Path) -> str:
    if isinstance(exc, OSError):
        reason = exc.strerror or str(exc)
        other = exc.filename is not None and str(exc.filename) != str(path)
        return reason + (f": {exc.filename}" if other else "")
    if isinstance(exc, CaptionsError):
        return str(exc) or type(exc).__name__
    return f"internal error ({type(exc).__name__}: {exc}); please report it"


def process_file(path: Path, options: BatchOptions) -> FileResult:
    """Plan (and with ``options.write`` apply) the changes for one file; never raises."""
    from .api import read_metadata, write_fields  # imported late: keeps worker start-up lean
    from .parse import parse_caption

    name = str(path)
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            raise OSError("cannot list this folder")
        with open(path, "rb") as fp:
            head = fp.read(16)
        if sniff_format(head) is None:
            if path.suffix.lower() in IMAGE_SUFFIXES and not head.startswith(_APPLE_DOUBLE):
                raise CaptionsError(
                    f"not a JPEG, TIFF, PNG or WebP file despite its {path.suffix} name"
                )
            return FileResult(path=name, status="skipped")
        meta = read_metadata(path)
        warnings = list(meta.warnings)
        if _is_empty(meta.description):
            warnings.append("no description to parse")
            return FileResult(path=name, status="unchanged", warnings=tuple(warnings))
        caption = parse_caption(meta.description or "", reference_date=_reference_date(path, options))
        warnings.extend(caption.warnings)
        changes = plan_changes(meta, caption, options.style)
        if changes and options.write:
            values = {field: new for field, (_, new) in changes.items()}
            warnings.extend(write_fields(path, values, backup=options.backup,
                                         durable=options.durable))
        elif changes:
            warnings.extend(_write_obstacles(path, st))
        return FileResult(
            path=name,
            status="changed" if changes else "unchanged",
            changes=changes,
            warnings=tuple(dict.fromkeys(warnings)),  # same warning twice says nothing new
        )
    except RuleFileError:
        raise  # our own rule files are broken: no picture is to blame, stop the run
    except Exception as exc:  # per-file isolation: one bad picture never stops the desk
        return FileResult(path=name, status="failed", error=_describe(exc, path))


def _warm_up() -> None:
    """Load the parser's rule files and gazetteer once, before the first file.

    Broken rule files stop the run here, before any picture is touched.  Where workers are
    forked (Linux) they inherit the loaded tables instead of each loading them again.
    """
    from . import api  # noqa: F401  (imported here so forked workers inherit it)
    from .parse import parse_caption

    try:
        parse_caption("A view of Paris, France, May 1, 2024. REUTERS/Jane Doe")
    except RuleFileError:
        raise  # broken rule files: stop before touching any picture
    except CaptionsError:  # pragma: no cover - nothing else in a warm-up stops the run
        pass


def _process_chunk(paths: Sequence[Path], options: BatchOptions) -> list[FileResult]:
    if options.threads <= 1 or len(paths) <= 1:
        return [process_file(p, options) for p in paths]
    with concurrent.futures.ThreadPoolExecutor(max_workers=options.threads) as pool:
        return list(pool.map(process_file, paths, itertools.repeat(options)))


def _chunks(items: Iterable[Path], size: int) -> Iterator[list[Path]]:
    chunk: list[Path] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


_T = TypeVar("_T")
_R = TypeVar("_R")


def ordered_map(pool: concurrent.futures.Executor, fn: Callable[[_T], _R], items: Iterable[_T],
                limit: int) -> Iterator[_R]:
    """``fn(item)`` for each item, run on ``pool``, yielded in input order.

    At most ``limit`` calls are submitted and not yet consumed, so memory does not grow with
    the number of items.  When the consumer stops early (an error, Ctrl-C), the calls not yet
    started are cancelled; the ones running finish (each file's write is atomic anyway).
    """
    pending: collections.deque[concurrent.futures.Future[_R]] = collections.deque()
    try:
        for item in items:
            pending.append(pool.submit(fn, item))
            while len(pending) >= limit:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()


def process_files(
    paths: Iterable[Path], options: BatchOptions, *, workers: int = 1
) -> Iterator[FileResult]:
    """Results for ``paths`` in input order, computed by ``workers`` processes of
    ``options.threads`` threads each (writing runs only; a dry run uses one thread).

    At most ``workers * CHUNKS_IN_FLIGHT_PER_WORKER`` chunks of ``CHUNK_SIZE`` files (one
    process) or ``threads * FILES_IN_FLIGHT_PER_THREAD`` files (threads) are submitted and not
    yet consumed, so memory does not grow with the number of files.
    """
    if workers < 1:
        raise CaptionsError(f"workers must be at least 1, got {workers}")
    if options.threads < 1:
        raise CaptionsError(f"threads must be at least 1, got {options.threads}")
    _warm_up()
    if not options.write:  # a dry run is all Python: threads would only take turns
        options = attrs.evolve(options, threads=1)
    if workers == 1 and options.threads == 1:
        for path in paths:
            yield process_file(path, options)
        return
    if workers == 1:
        with concurrent.futures.ThreadPoolExecutor(max_workers=options.threads) as threads:
            yield from ordered_map(threads, functools.partial(process_file, options=options),
                                   paths, options.threads * FILES_IN_FLIGHT_PER_THREAD)
        return
    limit = workers * CHUNKS_IN_FLIGHT_PER_WORKER
    # keep the collector off the loaded tables, so forked workers share their pages instead of
    # copying them (the gc module's documented advice for fork)
    gc.freeze()
    try:
        with concurrent.futures.ProcessPoolExecutor(max_workers=workers) as pool:
            for chunk in ordered_map(pool, functools.partial(_process_chunk, options=options),
                                     _chunks(paths, CHUNK_SIZE), limit):
                yield from chunk
    finally:
        gc.unfreeze()


# --------------------------------------------------------------------------------------------
# Report


def _cell(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(value)
    return value


class ReportWriter:
    """Write a per-file report incrementally: JSON (``.json``) or CSV (``.csv``).

    JSON: one object ``{"files": [...], "summary": {...}}`` (DESIGN.md section 2).
    CSV: columns ``path, status, field, old, new, warnings, error``; one row per changed field,
    or one row with an empty ``field`` for a file without changes; list values and warnings are
    joined with ``"; "``.

    The report goes to ``FILE.partial`` and is renamed to ``FILE`` by :meth:`close`, so a run
    that dies halfway leaves no report that looks complete.
    """

    CSV_COLUMNS = ("path", "status", "field", "old", "new", "warnings", "error")

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        suffix = self.path.suffix.lower()
        if suffix not in (".json", ".csv"):
            raise CaptionsError(f"report: {self.path}: name it .json or .csv")
        self.kind = suffix[1:]
        self._partial = self.path.with_name(self.path.name + ".partial")
        try:
            self._fp: IO[str] = open(self._partial, "w", encoding="utf-8", newline="")
        except OSError as exc:
            raise CaptionsError(f"report: cannot write {self.path}: {exc.strerror or exc}") from None
        self._first = True
        if self.kind == "json":
            self._fp.write('{"files": [')
        else:
            self._csv = csv.writer(self._fp)
            self._csv.writerow(self.CSV_COLUMNS)

    def write(self, result: FileResult) -> None:
        """Append one file's result."""
        if self.kind == "json":
            self._fp.write(("\n  " if self._first else ",\n  ") + json.dumps(
                result.to_dict(), ensure_ascii=False))
            self._first = False
            return
        common = (result.path, result.status)
        tail = ("; ".join(result.warnings), result.error or "")
        if not result.changes:
            self._csv.writerow((*common, "", "", "", *tail))
        for field, (old, new) in result.changes.items():
            self._csv.writerow((*common, field, _cell(old), _cell(new), *tail))

    def close(self, summary: Summary) -> None:
        """Finish the report (JSON: add the summary) and move it into place."""
        if self.kind == "json":
            self._fp.write("\n], " if not self._first else "], ")
            self._fp.write('"summary": ' + json.dumps(summary.to_dict()) + "}\n")
        self._fp.close()
        os.replace(self._partial, self.path)

    def abort(self) -> None:
        """Drop the partial report (after an interruption)."""
        self._fp.close()
        try:
            os.unlink(self._partial)
        except OSError:
            pass


# --------------------------------------------------------------------------------------------
# The run


def run_batch(
    paths: Iterable[str | os.PathLike[str]],
    options: BatchOptions,
    *,
    workers: int = 1,
    report: str | os.PathLike[str] | None = None,
    on_result: Callable[[FileResult], None] | None = None,
) -> Summary:
    """Process every picture under ``paths``; return the counts.

    ``on_result`` is called once per file in input order (skipped non-images included, so a
    progress bar can count them; their status is ``"skipped"``).  ``report`` names a ``.json``
    or ``.csv`` file written as results arrive; skipped non-images are left out of it.
    Temp files that an interrupted write left in the folders walked (:func:`is_leftover`) are
    removed by a write run and counted in ``Summary.leftovers`` (a dry run only counts them).
    """
    summary = Summary(dry_run=not options.write)
    writer = ReportWriter(report) if report is not None else None
    leftovers = _Leftovers(remove=options.write)
    files = iter_files(paths, on_leftover=leftovers.found)
    try:
        for result in process_files(files, options, workers=workers):
            summary.add(result)
            if writer is not None and result.status != "skipped":
                writer.write(result)
            if on_result is not None:
                on_result(result)
    except BaseException:
        if writer is not None:
            writer.abort()
        raise
    summary.leftovers = leftovers.count
    if writer is not None:
        writer.close(summary)
    return summary

