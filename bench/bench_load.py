"""Import time and first-call latency of the parser, each run in a fresh child process.

Usage::

    python bench/bench_load.py [--runs 7] [--pure-too | --pure] [--modes warm,cold,off]

What a CLI run on a few pictures, or a CMS plugin's first request, pays before the first
answer: ``import captions``, ``import captions.parse``, loading the agency rule files
(``load_rules``), loading the gazetteer (``places._load``), and the first ``parse_caption`` of a
Reuters caption (it compiles the rules that caption's triggers select).  Each line is the
median over ``--runs`` children, in milliseconds.

Cache modes (``captions/_diskcache.py``), each with its own temporary ``XDG_CACHE_HOME``:

* ``warm``: the cache was filled by an earlier run (every run after the first);
* ``cold``: an empty cache (the first run after an install or an upgrade; it writes the cache);
* ``off``: ``CAPTIONS_NO_CACHE=1`` (validation and analyses every time, as before the cache).

``--pure`` imports every ``captions`` module from its ``.py`` source even when a compiled
copy (mypyc, docs/notes/build.md) sits beside it; ``--pure-too`` measures both builds.  The
children write bytecode (``__pycache__``) as an installed package has it: a first, unmeasured
child writes it.  Wall-clock figures move with the machine's load; for instruction counts run
one child under callgrind, e.g.::

    PYTHONHASHSEED=0 valgrind --tool=callgrind --callgrind-out-file=/dev/null \\
        python -c "import captions; captions.parse_caption('x')"

A measurement, not a test: it always exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CAPTION = "A view of Paris, France, May 1, 2024. REUTERS/Jane Doe"

# the child: optionally force the pure-Python modules, then time each step
_CHILD = r"""
import importlib.machinery, importlib.util, json, sys, time
sys.path.insert(0, sys.argv[1])
if sys.argv[2] == "pure":
    class SourceFirst:
        @staticmethod
        def find_spec(name, path=None, target=None):
            if name != "captions" and not name.startswith("captions."):
                return None
            spec = importlib.machinery.PathFinder.find_spec(name, path)
            if spec is None or spec.origin is None or spec.origin.endswith(".py"):
                return spec
            folder = spec.origin.rsplit("/", 1)[0]
            stem = name.rsplit(".", 1)[-1]
            source = folder + ("/__init__.py" if spec.submodule_search_locations else f"/{stem}.py")
            return importlib.util.spec_from_file_location(
                name, source, submodule_search_locations=spec.submodule_search_locations)
    sys.meta_path.insert(0, SourceFirst)
t0 = time.perf_counter()
import captions
t1 = time.perf_counter()
import captions.parse
t2 = time.perf_counter()
from captions.agencies import load_rules
load_rules()
t3 = time.perf_counter()
from captions import places
places._load()
t4 = time.perf_counter()
captions.parse_caption(sys.argv[3])
t5 = time.perf_counter()
from importlib.machinery import EXTENSION_SUFFIXES
compiled = [n for n, m in sys.modules.items() if n.startswith("captions")
            and str(getattr(m, "__file__", "")).endswith(tuple(EXTENSION_SUFFIXES))]
print(json.dumps({"import captions": t1 - t0, "import captions.parse": t2 - t1,
                  "load_rules": t3 - t2, "gazetteer": t4 - t3, "first parse_caption": t5 - t4,
                  "total": t5 - t0, "compiled": len(compiled)}))
"""

STEPS = ("import captions", "import captions.parse", "load_rules", "gazetteer",
         "first parse_caption", "total")


def _child(build: str, cache: Path | None, disabled: bool) -> dict[str, float]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONDONTWRITEBYTECODE", "CAPTIONS_NO_CACHE")}
    if cache is not None:
        env["XDG_CACHE_HOME"] = str(cache)
    if disabled:
        env["CAPTIONS_NO_CACHE"] = "1"
    out = subprocess.run([sys.executable, "-c", _CHILD, str(ROOT), build, CAPTION],
                         env=env, capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(out.stdout)
    return result


def _measure(build: str, mode: str, runs: int) -> tuple[dict[str, float], int]:
    samples: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        base = Path(tmp)
        _child(build, base / "warmup", disabled=False)          # bytecode, and a warm cache
        for i in range(runs):
            if mode == "warm":
                samples.append(_child(build, base / "warmup", disabled=False))
            elif mode == "cold":
                samples.append(_child(build, base / f"cold{i}", disabled=False))
            else:
                samples.append(_child(build, base / "off", disabled=True))
    medians = {step: statistics.median(s[step] for s in samples) for step in STEPS}
    return medians, int(samples[0]["compiled"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--modes", default="warm,cold,off")
    group = ap.add_mutually_exclusive_group()
    group.add_argument("--pure", action="store_true", help="only the pure-Python modules")
    group.add_argument("--pure-too", action="store_true", help="compiled and pure-Python")
    args = ap.parse_args()
    builds = ["pure"] if args.pure else ["as installed", "pure"] if args.pure_too else [
        "as installed"]
    modes = [m for m in args.modes.split(",") if m]
    print(f"median of {args.runs} fresh processes, milliseconds; caption: {CAPTION!r}")
    print(f"{'build':<26}{'cache':<6}" + "".join(f"{s:>14}" for s in
                                                  ("import", "import parse", "rules",
                                                   "gazetteer", "1st parse", "total")))
    for build in builds:
        for mode in modes:
            medians, compiled = _measure(build, mode, args.runs)
            label = (f"compiled ({compiled} modules)" if compiled else "pure Python")
            print(f"{label:<26}{mode:<6}" + "".join(f"{1000 * medians[s]:>14.1f}"
                                                   for s in STEPS), flush=True)


if __name__ == "__main__":
    main()
