"""The ``captions`` command: argument parsing and presentation only.

Subcommands ``parse``, ``read``, ``write`` and ``batch``; the work is done by the public API and
:mod:`captions.batch`.  Exit codes: 0 clean, 1 changes pending (``batch`` dry run), 2 an error
(a file failed, a bad argument or config).  Errors print one line on stderr, no traceback.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any, TextIO

import attrs

from . import __version__
from .batch import DEFAULT_THREADS, BatchOptions, FileResult, Summary, count_files, run_batch
from .config import HouseStyle, load_config
from .errors import CaptionsError

__all__ = ["main", "build_parser"]

PROG = "captions"


# --------------------------------------------------------------------------------------------
# Arguments


def _iso_date(text: str) -> _dt.date:
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date like 2024-06-01: {text!r}") from None


def _workers(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``captions`` command."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Parse wire-photo captions into IPTC fields; read and write them in images.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("parse", help="parse one caption text and show its fields")
    p.add_argument("text", metavar="TEXT", help="the caption (use - to read it from stdin)")
    p.add_argument("--json", action="store_true", help="print the fields as JSON")
    p.add_argument("--reference-date", type=_iso_date, metavar="YYYY-MM-DD",
                   help='resolve relative dates ("on Thursday") against this date')

    r = sub.add_parser("read", help="show the IPTC fields stored in image files")
    r.add_argument("files", nargs="+", metavar="FILE")
    r.add_argument("--json", action="store_true", help="print one JSON array, an object per file")

    w = sub.add_parser("write", help="parse a caption and write its fields into one image")
    w.add_argument("file", metavar="FILE")
    w.add_argument("--caption", required=True, metavar="TEXT",
                   help="the caption text (use - to read it from stdin)")
    w.add_argument("--reference-date", type=_iso_date, metavar="YYYY-MM-DD",
                   help='resolve relative dates ("on Thursday") against this date')
    w.add_argument("--backup", action="store_true", help="keep a copy of the original file")

    b = sub.add_parser(
        "batch",
        help="fill IPTC fields from each picture's caption (a dry run unless --write)",
        description="Read each picture's caption, parse it, and fill the structured IPTC "
        "fields. A dry run by default: it shows per file what would change. Folders are walked "
        "recursively; symbolic links inside them are not followed; non-images are skipped. "
        "Exit 0: nothing to change (or all written); 1: changes pending (dry run); "
        "2: a file failed.",
    )
    b.add_argument("paths", nargs="+", metavar="PATH", help="image files or folders")
    b.add_argument("--write", action="store_true", help="apply the changes (default: dry run)")
    b.add_argument("--report", metavar="FILE", help="write a per-file report (.json or .csv)")
    b.add_argument("--workers", type=_workers, default=1, metavar="N",
                   help="worker processes (default: 1)")
    b.add_argument("--threads", type=_workers, default=DEFAULT_THREADS, metavar="N",
                   help="threads per process with --write: one file's disk work overlaps "
                   f"the next files' parsing (default: {DEFAULT_THREADS}; a dry run uses one)")
    b.add_argument("--config", metavar="FILE", help="house-style TOML file")
    policy = b.add_mutually_exclusive_group()
    policy.add_argument("--overwrite", dest="policy", action="store_const", const="overwrite",
                        help="replace fields that already have a value")
    policy.add_argument("--fill-empty", dest="policy", action="store_const", const="fill-empty",
                        help="only fill empty fields (the default)")
    b.add_argument("--backup", action="store_true",
                   help="keep a copy of each file before writing it")
    b.add_argument("--no-fsync", dest="durable", action="store_false",
                   help="skip the fsync of each rewritten file and its folder: faster, still "
                   "atomic, but a power loss just after the run may lose recent writes")
    b.add_argument("--reference-date", type=_iso_date, metavar="YYYY-MM-DD",
                   help="resolve relative dates against this date (overrides the config)")
    verbosity = b.add_mutually_exclusive_group()
    verbosity.add_argument("-q", "--quiet", action="store_true",
                           help="print only failures and the summary")
    verbosity.add_argument("-v", "--verbose", action="store_true",
                           help="also list unchanged pictures and their warnings")
    return parser


# --------------------------------------------------------------------------------------------
# Presentation helpers


def _show(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "(empty)"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def _read_text(value: str) -> str:
    return sys.stdin.read() if value == "-" else value


def _print_fields(rows: Sequence[tuple[str, Any]], out: TextIO) -> None:
    width = max((len(k) for k, _ in rows), default=0)
    for key, value in rows:
        print(f"  {key + ':':<{width + 1}} {_show(value)}", file=out)


def _caption_rows(data: dict[str, Any]) -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = []
    for key, value in data.items():
        if key == "location":
            rows.extend((k, v) for k, v in value.items())
        elif key != "warnings":
            rows.append((key, value))
    return rows


def _print_warnings(warnings: Sequence[str], out: TextIO) -> None:
    for warning in warnings:
        print(f"  warning: {warning}", file=out)


# --------------------------------------------------------------------------------------------
# Commands


def cmd_parse(args: argparse.Namespace) -> int:
    from .parse import parse_caption

    caption = parse_caption(_read_text(args.text), reference_date=args.reference_date)
    data = caption.to_dict()
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    _print_fields(_caption_rows(data), sys.stdout)
    _print_warnings(caption.warnings, sys.stdout)
    return 0


def cmd_read(args: argparse.Namespace) -> int:
    from .api import read_metadata

    status = 0
    records: list[dict[str, Any]] = []
    for name in args.files:
        try:
            meta = read_metadata(Path(name))
        except (CaptionsError, OSError) as exc:
            status = 2
            message = _error_text(exc, name)
            if args.json:
                records.append({"path": name, "error": message})
            else:
                print(f"{PROG}: error: {name}: {message}", file=sys.stderr)
            continue
        data = meta.to_dict()
        if args.json:
            records.append({"path": name, **data})
            continue
        print(f"{name} ({data['format']})")
        rows = [(k, v) for k, v in data.items()
                if k not in ("format", "warnings") and v not in (None, "", [])]
        if rows:
            _print_fields(rows, sys.stdout)
        else:
            print("  (no IPTC fields)")
        _print_warnings(data["warnings"], sys.stdout)
    if args.json:
        print(json.dumps(records, ensure_ascii=False, indent=2))
    return status


def cmd_write(args: argparse.Namespace) -> int:
    from .api import write_caption
    from .parse import parse_caption

    caption = parse_caption(_read_text(args.caption), reference_date=args.reference_date)
    warnings = list(caption.warnings)
    before = _identity(args.file)
    warnings.extend(write_caption(Path(args.file), caption, backup=args.backup))
    # a write replaces the file (a new inode); a file that already held the values is left
    print(f"wrote {args.file}" if _identity(args.file) != before
          else f"unchanged {args.file} (it already holds these values)")
    _print_fields([row for row in _caption_rows(caption.to_dict()) if row[1] is not None],
                  sys.stdout)
    _print_warnings(list(dict.fromkeys(warnings)), sys.stdout)
    return 0


def _batch_options(args: argparse.Namespace) -> BatchOptions:
    """The config file's house style, with the command-line switches winning."""
    style = load_config(args.config) if args.config else HouseStyle()
    if args.policy is not None:
        style = attrs.evolve(style, policy=args.policy)
    return BatchOptions(style=style, write=args.write, backup=args.backup,
                        durable=args.durable, reference_date=args.reference_date,
                        threads=args.threads)


def _file_printer(quiet: bool, verbose: bool, write: bool) -> Callable[[FileResult], None]:
    """Per-file lines: failures always (stderr); changes unless quiet; unchanged ones if verbose."""
    arrow = "->"

    def show(result: FileResult) -> None:
        if result.status == "skipped":
            return
        if result.status == "failed":
            print(f"{PROG}: error: {result.path}: {result.error}", file=sys.stderr)
            return
        if quiet or not (result.changes or verbose):
            return
        label = ("changed" if write else "would change") if result.changes else "unchanged"
        print(f"{result.path}  [{label}]")
        width = max((len(f) for f in result.changes), default=0)
        for field, (old, new) in result.changes.items():
            print(f"  {field + ':':<{width + 1}} {_show(old)} {arrow} {_show(new)}")
        _print_warnings(result.warnings, sys.stdout)

    return show


def _summary_text(summary: Summary) -> str:
    warnings = f"{summary.warnings} warning" + ("" if summary.warnings == 1 else "s")
    counts = (f"{summary.changed} changed, {summary.unchanged} unchanged, "
              f"{summary.failed} failed, {warnings}")
    skipped = ""
    if summary.skipped:
        plural = "s" if summary.skipped > 1 else ""
        skipped = f" ({summary.skipped} non-image file{plural} skipped)"
    if summary.leftovers:  # temp files of an interrupted write (batch.is_leftover)
        n = summary.leftovers
        what = f"{n} temp file{'s' if n > 1 else ''} left by an interrupted run"
        skipped += (f"; {what} removed" if not summary.dry_run
                    else f"; {what} found (--write removes {'them' if n > 1 else 'it'})")
    counts += skipped
    if summary.files == 0:
        return f"No pictures found{skipped}."
    if summary.dry_run:
        text = f"Dry run: {counts}."
        if summary.changed:
            text += " Nothing written; run again with --write to apply."
        elif not summary.failed:
            text += " Nothing to change."
        return text
    text = f"Done: {counts}."
    if not summary.changed and not summary.failed:
        text += " Nothing to change: every picture was already up to date."
    return text


def _progress(paths: Sequence[str], label: str
              ) -> tuple[AbstractContextManager[Any], Callable[[], None]]:
    """A rich progress bar on stderr when it is a terminal; otherwise nothing at all."""
    if not sys.stderr.isatty():
        return nullcontext(), lambda: None
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                               TimeRemainingColumn)

    # refreshed from our own loop (no refresh thread), so worker processes are never forked
    # while another thread of ours holds a lock
    progress = Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
        auto_refresh=False,
    )
    task = progress.add_task(label, total=count_files(paths))
    last = [0.0]

    def advance() -> None:
        progress.advance(task)
        now = time.monotonic()
        if now - last[0] >= 0.1:
            last[0] = now
            progress.refresh()

    return progress, advance


def cmd_batch(args: argparse.Namespace) -> int:
    options = _batch_options(args)
    printer = _file_printer(args.quiet, args.verbose, args.write)
    bar, advance = _progress(args.paths, "writing" if args.write else "checking")

    def on_result(result: FileResult) -> None:
        printer(result)
        advance()

    with bar:
        summary = run_batch(args.paths, options, workers=args.workers, report=args.report,
                            on_result=on_result)
    print(_summary_text(summary))
    if summary.warnings and not args.verbose and not args.report:
        print("Unchanged pictures' warnings are listed with -v (or in a --report).")
    if args.report:
        print(f"Report: {args.report}")
    return summary.exit_code


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "parse": cmd_parse,
    "read": cmd_read,
    "write": cmd_write,
    "batch": cmd_batch,
}


def _identity(path: str) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_ino, st.st_mtime_ns


def _error_text(exc: BaseException, path: str | None = None) -> str:
    """One line for an error; an OSError's file name is added unless it is ``path`` itself."""
    if isinstance(exc, OSError):
        text = exc.strerror or str(exc)
        if exc.filename is not None and str(exc.filename) != path:
            return f"{text}: {exc.filename}"
        return text
    return str(exc) or type(exc).__name__


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it)."""
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except BrokenPipeError:  # `captions read ... | head`: the reader left; not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except (CaptionsError, OSError) as exc:
        path = getattr(args, "file", None)
        where = f"{path}: " if path else ""
        print(f"{PROG}: error: {where}{_error_text(exc, path)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
