#!/usr/bin/env python3
"""A longer fuzzing campaign over every reader and the in-memory write path (issue 7).

Coverage-guided with atheris (libFuzzer) when it is installed (``pip install atheris`` into the
virtualenv; it is not a test dependency), else a random-mutation loop driven by the same
mutator as the test suite (``tests/hardening/_mutate.py``).

The first input byte picks the target, the rest is the target's input:

* containers: ``jpeg``/``tiff``/``png``/``webp`` ``.read`` and ``containers.detect``;
* codecs: ``iim.decode_lenient``/``read_fields``, ``irb.decode_lenient``, ``xmp.read_fields``,
  ``exif.read_fields``, and each codec's ``update``;
* the engine: detect + read + ``engine.read_fields`` (what ``read_metadata`` does), and the
  whole write in memory: ``engine.plan_update`` + ``container.write`` + reading the result
  back (what ``write_fields`` does, without the file system).

Only :class:`captions.errors.CaptionsError` may escape.  Anything else is a crash: it is
recorded (one input per distinct exception type and place) in ``bench/out/fuzz-crashes/`` and
the campaign goes on; the summary (executions, crashes) goes to stdout and to
``bench/out/fuzz-summary.json``.  Hangs and memory blow-ups stop libFuzzer itself
(``-timeout``, ``-rss_limit_mb``) and leave its ``timeout-*``/``oom-*`` file.

    .venv/bin/python bench/fuzz.py --seconds 600           # atheris if present
    .venv/bin/python bench/fuzz.py --seconds 60 --engine random
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import random
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
CRASH_DIR = OUT / "fuzz-crashes"
sys.path.insert(0, str(ROOT))

UPDATE_VALUES: dict[str, Any] = {
    "description": "A tram passes a snow-covered square in central Kyiv.",
    "creators": ["Olena Testova", "Jörg Beispiel"],
    "city": "Kyiv",
    "keywords": None,
    "date_created": "2024-03-03T10:30:00+02:00",
}

STATE: dict[str, Any] = {"execs": 0, "crashes": {}, "start": time.time(), "engine": "?"}


def load_targets() -> list[tuple[str, Callable[[bytes], Any]]]:
    """(name, function of the input bytes) for every target, in a fixed order."""
    from captions.metadata import engine, exif, iim, irb, xmp
    from captions.metadata.containers import container_for, detect

    def container_read(fmt: str) -> Callable[[bytes], Any]:
        mod = container_for(fmt)
        return lambda data: mod.read(io.BytesIO(data))

    def read_all(data: bytes) -> Any:
        fp = io.BytesIO(data)
        mod = detect(fp)
        return engine.read_fields(mod.read(fp))

    def write_all(data: bytes) -> Any:
        fp = io.BytesIO(data)
        mod = detect(fp)
        payloads = mod.read(fp)
        update, _ = engine.plan_update(payloads, UPDATE_VALUES, can_hold=mod.CAN_HOLD,
                                       fmt=mod.FORMAT)
        fp.seek(0)
        out = io.BytesIO()
        mod.write(fp, out, update)
        out.seek(0)
        again = detect(out)
        return engine.read_fields(again.read(out))

    def iim_update(data: bytes) -> Any:
        datasets, _ = iim.decode_lenient(data)
        return iim.encode(iim.update(datasets, UPDATE_VALUES)[0])

    return [
        ("jpeg.read", container_read("jpeg")),
        ("tiff.read", container_read("tiff")),
        ("png.read", container_read("png")),
        ("webp.read", container_read("webp")),
        ("detect", lambda d: detect(io.BytesIO(d))),
        ("iim.decode_lenient", iim.decode_lenient),
        ("iim.read_fields", iim.read_fields),
        ("iim.update", iim_update),
        ("irb.decode_lenient", irb.decode_lenient),
        ("xmp.read_fields", xmp.read_fields),
        ("xmp.update", lambda d: xmp.update(d, UPDATE_VALUES)),
        ("exif.read_fields", exif.read_fields),
        ("exif.update", lambda d: exif.update(d, UPDATE_VALUES)),
        ("read (engine)", read_all),
        ("write (engine, in memory)", write_all),
    ]


#: which seed kind feeds which target
SEED_KIND = {
    "jpeg.read": "file:jpeg", "tiff.read": "file:tiff", "png.read": "file:png",
    "webp.read": "file:webp", "detect": "file:all", "iim.decode_lenient": "payload:iim",
    "iim.read_fields": "payload:iim", "iim.update": "payload:iim",
    "irb.decode_lenient": "payload:irb", "xmp.read_fields": "payload:xmp",
    "xmp.update": "payload:xmp", "exif.read_fields": "payload:exif",
    "exif.update": "payload:exif", "read (engine)": "file:all",
    "write (engine, in memory)": "file:all",
}


def seeds(kind: str, max_bytes: int) -> list[bytes]:
    from tests.hardening import _samples

    group, name = kind.split(":")
    if group == "payload":
        found = list(_samples.payload_seeds(name))
    elif name == "all":
        found = list(_samples.all_file_seeds())
    else:
        found = list(_samples.file_seeds(name))
    return [s for s in found if len(s) <= max_bytes]


def record_crash(target: str, data: bytes, exc: BaseException) -> None:
    tb = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in tb if "/captions/" in f.filename] or tb
    where = f"{Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else "?"
    key = f"{type(exc).__name__} at {where}"
    entry = STATE["crashes"].get(key)
    if entry is None:
        CRASH_DIR.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha1(data).hexdigest()[:12]
        path = CRASH_DIR / f"{target.split()[0]}-{type(exc).__name__}-{digest}.bin"
        path.write_bytes(data)
        STATE["crashes"][key] = {"count": 1, "target": target, "input": str(path),
                                 "message": str(exc)[:300], "size": len(data)}
        print(f"\nNEW CRASH {key} in {target}: {exc!r:.200} -> {path}", flush=True)
    else:
        entry["count"] += 1


def run_one(targets: list[tuple[str, Callable[[bytes], Any]]], data: bytes) -> None:
    from captions.errors import CaptionsError

    if not data:
        return
    name, fn = targets[data[0] % len(targets)]
    body = data[1:]
    STATE["execs"] += 1
    try:
        fn(body)
    except CaptionsError:
        pass
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - every other escape is a finding
        record_crash(name, body, exc)


def summary() -> dict[str, Any]:
    elapsed = time.time() - STATE["start"]
    out = {"engine": STATE["engine"], "executions": STATE["execs"], "seconds": round(elapsed, 1),
           "execs_per_s": round(STATE["execs"] / max(elapsed, 1e-9)),
           "distinct_crashes": len(STATE["crashes"]), "crashes": STATE["crashes"]}
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "fuzz-summary.json").write_text(json.dumps(out, indent=2, ensure_ascii=False))
    return out


def print_summary() -> None:
    s = summary()
    print(f"\n[{s['engine']}] {s['executions']:,} executions in {s['seconds']} s "
          f"({s['execs_per_s']:,}/s); {s['distinct_crashes']} distinct crashes", flush=True)
    for key, c in s["crashes"].items():
        print(f"  {key}: {c['count']}x in {c['target']} ({c['message'][:120]}) -> {c['input']}")


def run_atheris(seconds: int, max_len: int, extra: list[str]) -> None:
    import atheris  # type: ignore[import-untyped]

    with atheris.instrument_imports(include=["captions"]):
        import captions.metadata.containers.jpeg  # noqa: F401 - instrument every module
        import captions.metadata.containers.png  # noqa: F401
        import captions.metadata.containers.tiff  # noqa: F401
        import captions.metadata.containers.webp  # noqa: F401
        import captions.metadata.engine  # noqa: F401
    targets = load_targets()
    corpus = OUT / "fuzz-corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for i, (name, _) in enumerate(targets):
        for seed in seeds(SEED_KIND[name], max_len - 1):
            blob = bytes((i,)) + seed
            (corpus / hashlib.sha1(blob).hexdigest()).write_bytes(blob)
    STATE["engine"] = "atheris (libFuzzer)"
    # libFuzzer ends the process from C, past Python's atexit: stop on our own clock instead
    deadline = time.time() + seconds

    def one_input(data: bytes) -> None:
        run_one(targets, data)
        if STATE["execs"] % 2000 == 0 and time.time() >= deadline:
            print_summary()
            os._exit(0)

    argv = [sys.argv[0], f"-max_total_time={seconds + 60}", f"-max_len={max_len}", "-timeout=10",
            "-rss_limit_mb=2048", "-print_final_stats=1", f"-artifact_prefix={OUT}/",
            *extra, str(corpus)]
    atheris.Setup(argv, one_input)
    atheris.Fuzz()


def run_random(seconds: int, max_len: int, seed: int) -> None:
    from tests.hardening._mutate import mutate

    targets = load_targets()
    pools = [seeds(SEED_KIND[name], max_len) for name, _ in targets]
    rng = random.Random(seed)
    STATE["engine"] = f"random mutation (seed {seed})"
    deadline = time.time() + seconds
    while time.time() < deadline:
        for _ in range(200):
            i = rng.randrange(len(targets))
            if not pools[i]:
                continue
            data = mutate(rng.choice(pools[i]), rng, max_edits=rng.choice((1, 2, 4, 8)))
            run_one(targets, bytes((i,)) + data)
    print_summary()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=int, default=300, help="time budget")
    ap.add_argument("--engine", choices=("auto", "atheris", "random"), default="auto")
    ap.add_argument("--max-len", type=int, default=256 * 1024, help="largest input in bytes")
    ap.add_argument("--seed", type=int, default=1, help="random engine seed")
    args, extra = ap.parse_known_args()
    engine = args.engine
    if engine == "auto":
        try:
            import atheris  # noqa: F401
            engine = "atheris"
        except ImportError:
            engine = "random"
    if engine == "atheris":
        run_atheris(args.seconds, args.max_len, extra)
    else:
        run_random(args.seconds, args.max_len, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
