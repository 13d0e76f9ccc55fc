"""Throughput of ``captions.parse_caption`` on one core.

Usage::

    python bench/bench_parse.py [CORPUS.jsonl] [--runs 7] [--repeat 20] [--cold]
    PYTHONHASHSEED=0 valgrind --tool=callgrind --callgrind-out-file=cg.N \
        python bench/bench_parse.py --passes N [--cold]     # N = 0 and 2: instruction counts

Loads the rules and the gazetteer once (timed separately: that is the cost of the first call),
then parses every caption of the corpus ``--repeat`` times per run, ``--runs`` runs, and prints
the median captions per second, by the wall clock and by this thread's CPU time (the two agree
when nothing else wants the core; when they agree and a run is still slow, the core itself ran
slower: a busy host).  The gazetteer keeps its recent answers (a photo desk's captions
name the same towns again and again); ``--cold`` empties those caches before every pass, so a
pass pays for each town once, as a corpus of all-different captions would.  It also times the worst inputs the parser is built to bound:
a 1 MB caption and a 1 MB run of name-like words.  A measurement, not a test: it always exits 0.

``--passes N`` only parses: rules and gazetteer loaded, one unmeasured pass (unless ``--cold``),
then N passes over the corpus (caches emptied before each with ``--cold``), nothing printed.
Under callgrind, (instructions with N=2 - instructions with N=0) / (2 x captions) is the cost of
a caption whatever the machine's load (docs/notes/parser.md, fourth and fifth speed sessions).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from captions import parse_caption  # noqa: E402
from captions import places  # noqa: E402
from captions.parse import credit as _credit  # noqa: E402
from captions.parse import location as _location  # noqa: E402


def _clear_gazetteer_caches() -> None:
    """Empty the gazetteer's and the credit names' memoised answers."""
    for mod, name in ((places, "lookup_city"), (places, "lookup_country"),
                      (places, "lookup_region"), (places, "lookup_demonym"), (places, "fold"),
                      (_credit, "photographer_fields"), (_credit, "tidy_credit_line"),
                      (_location, "_ranked_place"), (_location, "resolve_place"),
                      (_location, "_location")):
        clear = getattr(getattr(mod, name, None), "cache_clear", None)
        if clear is not None:
            clear()
    getattr(_credit, "_RESOLVED", {}).clear()


def _build() -> str:
    """Which parser modules run compiled (setup.py's mypyc build) and which from source."""
    import importlib
    from importlib.machinery import EXTENSION_SUFFIXES

    names = ["captions.parse.credit", "captions.parse.dateline", "captions.parse.dates",
             "captions.parse.location", "captions.parse.names", "captions.parse.pipeline",
             "captions.parse.subject",
             "captions.parse.wordtrie", "captions.agencies", "captions.agencies.schema",
             "captions.places"]
    compiled = [n for n in names
                if str(importlib.import_module(n).__file__).endswith(tuple(EXTENSION_SUFFIXES))]
    if not compiled:
        return "pure Python (not compiled)"
    if len(compiled) == len(names):
        return f"compiled with mypyc ({len(names)} of {len(names)} modules)"
    return f"partly compiled ({len(compiled)} of {len(names)}: {', '.join(compiled)})"


def _load(path: Path) -> list[tuple[str, dt.date | None]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        row = json.loads(line)
        ref = row.get("reference_date")
        out.append((row["text"], dt.date.fromisoformat(ref) if ref else None))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", nargs="?", default=str(ROOT / "tests" / "corpus" / "captions.jsonl"))
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--cold", action="store_true",
                    help="empty the gazetteer and credit-name caches before every pass over the corpus")
    ap.add_argument("--passes", type=int, default=None,
                    help="only parse the corpus N times (for callgrind), after loading and one "
                         "unmeasured pass (none with --cold)")
    args = ap.parse_args()
    texts = _load(Path(args.corpus))
    if args.passes is not None:
        parse_caption(texts[0][0], reference_date=texts[0][1])
        places.lookup_city("Paris")
        if not args.cold:
            for text, ref in texts:
                parse_caption(text, reference_date=ref)
        for _ in range(args.passes):
            if args.cold:
                _clear_gazetteer_caches()
            for text, ref in texts:
                parse_caption(text, reference_date=ref)
        return 0

    t0 = time.perf_counter()
    parse_caption(texts[0][0], reference_date=texts[0][1])
    first = time.perf_counter() - t0

    rates = []
    cpu_rates = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        c0 = time.thread_time()
        for _ in range(args.repeat):
            if args.cold:
                _clear_gazetteer_caches()
            for text, ref in texts:
                parse_caption(text, reference_date=ref)
        cpu = time.thread_time() - c0
        elapsed = time.perf_counter() - t0
        rates.append(len(texts) * args.repeat / elapsed)
        if cpu > 0:
            cpu_rates.append(len(texts) * args.repeat / cpu)

    # a fixed pure-Python workload, to compare machines: about 7 us on a quiet 2023 laptop core
    calib = []
    for _ in range(200):
        t0 = time.perf_counter()
        sum(range(1000))
        calib.append(time.perf_counter() - t0)

    worst = {}
    for name, text in (("1 MB caption", ("Protesters march in Paris, France, May 3, 2024. " * 21000)
                        [:1_000_000] + " / AFP / STRINGER"),
                       ("1 MB name-like words", "Ab Cd " * 170_000 + "/AFP")):
        t0 = time.perf_counter()
        parse_caption(text)
        worst[name] = time.perf_counter() - t0

    print(f"corpus: {args.corpus} ({len(texts)} captions)")
    print(f"parser modules: {_build()}")
    print(f"first call (loads rules + gazetteer): {first * 1000:.0f} ms")
    print(f"throughput: median {statistics.median(rates):,.0f} captions/s "
          f"(min {min(rates):,.0f}, max {max(rates):,.0f}; {args.runs} runs x "
          f"{args.repeat} passes{', gazetteer caches emptied before each' if args.cold else ''})")
    if cpu_rates:
        # the same runs counted in this thread's CPU time: time the machine gave to other
        # processes (or, in a virtual machine, that the host took: "steal") is left out, so
        # this is the rate on one core of this machine, less moved by the load around it
        print(f"throughput per CPU second (thread_time): median "
              f"{statistics.median(cpu_rates):,.0f} captions/s "
              f"(min {min(cpu_rates):,.0f}, max {max(cpu_rates):,.0f})")
    print(f"machine calibration: sum(range(1000)) takes {min(calib) * 1e6:.1f} us (best of 200)")
    for name, sec in worst.items():
        print(f"{name}: {sec * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
