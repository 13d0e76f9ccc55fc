"""Score ``captions.parse_caption`` against a hand-labelled caption corpus.

Usage::

    python bench/score_parser.py tests/corpus/captions.jsonl [--show-failures N] [--json] [--by-style]

Each corpus line is ``{"id", "style", "text", "expect": {...}, "reference_date"?}`` (see
``tests/corpus/README.md``).  The script parses every text (with its ``reference_date`` when
given) and prints, per field, the share of captions whose value equals the expected one exactly,
then up to N failures.  It always exits 0: it measures, it does not judge (the floors live in
``tests/test_corpus.py``).  Until ``captions.parse_caption`` exists it says so and exits 0.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

__all__ = ["FIELDS", "load_corpus", "flatten", "score", "main"]

#: the scored fields, in report order (``city``/``country``/``country_code`` come from ``location``)
FIELDS: tuple[str, ...] = (
    "subject", "date", "city", "country", "country_code",
    "agency", "photographer", "photographer_kind", "credit_line", "source",
)

Parser = Callable[..., Any]


def load_corpus(path: str | Path) -> list[dict[str, Any]]:
    """Read a JSONL corpus (blank lines and ``#`` comment lines are skipped)."""
    entries: list[dict[str, Any]] = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            try:
                entries.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise SystemExit(f"{path}:{lineno}: not JSON: {exc}") from None
    return entries


def flatten(result: dict[str, Any]) -> dict[str, Any]:
    """``Caption.to_dict()`` output -> the flat field dict the corpus uses."""
    loc = result.get("location") or {}
    flat = {k: result.get(k) for k in FIELDS if k not in ("city", "country", "country_code")}
    for k in ("city", "country", "country_code"):
        flat[k] = loc.get(k)
    return flat


def _reference(entry: dict[str, Any]) -> _dt.date | None:
    ref = entry.get("reference_date")
    return _dt.date.fromisoformat(ref) if ref else None


def score(entries: Sequence[dict[str, Any]], parse: Parser) -> dict[str, Any]:
    """Run ``parse`` over ``entries``; return counts, per-field accuracy and the failures.

    A parser exception counts as a miss on every field and is recorded with the failure.
    """
    hits = dict.fromkeys(FIELDS, 0)
    failures: list[dict[str, Any]] = []
    by_style: dict[str, dict[str, int]] = {}
    started = time.perf_counter()
    for entry in entries:
        expect = entry["expect"]
        error: str | None = None
        try:
            got = flatten(parse(entry["text"], reference_date=_reference(entry)).to_dict())
        except Exception as exc:  # a crash is a result to report, not a reason to stop
            got = dict.fromkeys(FIELDS)
            error = f"{type(exc).__name__}: {exc}"
        style = by_style.setdefault(entry.get("style", "?"), {"n": 0, **dict.fromkeys(FIELDS, 0)})
        style["n"] += 1
        wrong: dict[str, dict[str, Any]] = {}
        for field in FIELDS:
            if got.get(field) == expect.get(field) and error is None:
                hits[field] += 1
                style[field] += 1
            else:
                wrong[field] = {"expected": expect.get(field), "got": got.get(field)}
        if wrong:
            failures.append({"id": entry.get("id"), "text": entry["text"], "fields": wrong,
                             **({"error": error} if error else {})})
    elapsed = time.perf_counter() - started
    n = len(entries)
    return {
        "n": n,
        "accuracy": {f: (hits[f] / n if n else 0.0) for f in FIELDS},
        "hits": hits,
        "by_style": by_style,
        "failures": failures,
        "seconds": elapsed,
    }


def _load_parser() -> Parser | None:
    try:
        from captions import parse_caption
    except ImportError:
        return None
    return parse_caption  # type: ignore[no-any-return]


def _print_report(path: str, report: dict[str, Any], show: int, by_style: bool) -> None:
    n = report["n"]
    rate = n / report["seconds"] if report["seconds"] > 0 else float("inf")
    print(f"{path}: {n} captions ({rate:,.0f} captions/s, wall clock, indicative only)")
    print(f"{'field':<18} {'accuracy':>8}  {'hits':>9}")
    for field in FIELDS:
        print(f"{field:<18} {report['accuracy'][field]:>8.3f}  {report['hits'][field]:>4}/{n:<4}")
    if by_style:
        keys = ("date", "city", "country_code", "agency", "photographer", "credit_line")
        print()
        print(f"{'style':<16} {'n':>3}  " + " ".join(f"{k[:12]:>12}" for k in keys))
        for style, row in sorted(report["by_style"].items()):
            cells = " ".join(f"{row[k] / row['n']:>12.2f}" for k in keys)
            print(f"{style:<16} {row['n']:>3}  {cells}")
    failures = report["failures"]
    print(f"\n{len(failures)} captions with at least one field wrong", end="")
    print(f"; first {min(show, len(failures))}:" if show and failures else ".")
    for fail in failures[:show]:
        print(f"\n- {fail['id']}: {fail['text'][:160]}{'...' if len(fail['text']) > 160 else ''}")
        if "error" in fail:
            print(f"    raised {fail['error']}")
        for field, pair in fail["fields"].items():
            print(f"    {field}: expected {pair['expected']!r}, got {pair['got']!r}")


def main(argv: Iterable[str] | None = None) -> int:
    """Command-line entry point; always returns 0."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", help="a JSONL corpus, e.g. tests/corpus/captions.jsonl")
    ap.add_argument("--show-failures", type=int, default=None, metavar="N",
                    help="list the first N failing captions (default: 20 in text, all with --json)")
    ap.add_argument("--json", action="store_true", help="print the whole report as JSON")
    ap.add_argument("--by-style", action="store_true", help="add a per-style accuracy table")
    args = ap.parse_args(list(argv) if argv is not None else None)

    entries = load_corpus(args.corpus)
    parse = _load_parser()
    if parse is None:
        msg = ("captions.parse_caption is not importable yet (the parser is not written or not "
               f"installed); nothing scored. The corpus has {len(entries)} captions.")
        if args.json:
            print(json.dumps({"corpus": args.corpus, "n": len(entries), "error": msg}))
        else:
            print(msg)
        return 0
    report = score(entries, parse)
    if args.json:
        shown = report["failures"]
        if args.show_failures is not None:
            shown = shown[: max(args.show_failures, 0)]
        out = dict(report, corpus=args.corpus, failures=shown,
                   failures_total=len(report["failures"]))
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        show = 20 if args.show_failures is None else max(args.show_failures, 0)
        _print_report(args.corpus, report, show, args.by_style)
    return 0


if __name__ == "__main__":
    sys.exit(main())
