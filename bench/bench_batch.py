#!/usr/bin/env python3
"""Benchmark ``captions batch``: files per second and peak memory on a folder of JPEGs.

Builds N JPEGs (default 2,000) in a temporary folder: copies of the sample JPEGs in
``sample_images/`` (or small generated ones when those are absent), each with a caption varied in
place, date, photographer and a running number (so no two are alike),
written with our own writer into the description only.  Then runs
the installed ``captions`` command as a whole process (start-up included), dry run and
``--write``, with 1 and 2 workers, ``--repeat`` times each (a fresh copy of the folder before each
``--write`` run), and prints the median wall time, files per second and peak resident memory.
``--write`` runs are repeated for each ``--threads`` count (default 1 and 4); dry runs use one.

"cpu s" is the median user + system CPU time of the run and all its workers: on a busy machine
it varies less than wall time.  Peak memory is ``ru_maxrss`` of ``RUSAGE_CHILDREN`` measured in a small wrapper process around
each run: the largest resident set of the ``captions`` process or any of its workers (not their
sum).  A smaller run (``--small``, default 200 files) shows whether memory grows with the number
of files.

    .venv/bin/python bench/bench_batch.py                  # 2,000 files, median of 3
    .venv/bin/python bench/bench_batch.py --files 500 --repeat 1
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

# our own caption templates in agency styles; {city}/{country}/{date}/{name} vary per file
TEMPLATES = (
    "Commuters wait for delayed train {n} at the central station in {city}, {country}, on "
    "{month} {day}, 2024. (Photo by {name_upper} / AFP)",
    "Workers repair water main {n} under a busy street in {city}, {country}, {month} {day}, 2024. "
    "REUTERS/{name}",
    "A vendor arranges fruit at stall {n} of a morning market in {city}, {country}, {weekday}, "
    "{month_ap} {day}, 2024. (AP Photo/{name})",
    "epa11{n:06d} Children play in fountain {n} during a heat wave in {city}, "
    "{country}, {day:02d} {month} 2024. EPA-EFE/{name_upper}",
)
PLACES = (("Lyon", "France"), ("Frankfurt", "Germany"), ("Madrid", "Spain"),
          ("Nairobi", "Kenya"), ("Chicago", "Illinois"), ("Osaka", "Japan"), ("Lima", "Peru"))
NAMES = ("Claire Duval", "Anna Keller", "Daniel Brooks", "Grace Mwangi", "Luis Ortega")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
AP_MONTHS = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.",
             "Nov.", "Dec.")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

WRAPPER = """
import resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(wall, done.returncode, usage.ru_maxrss, usage.ru_utime + usage.ru_stime)
sys.stderr.buffer.write(done.stderr[-2000:])
"""


def caption_for(i: int) -> str:
    import datetime as dt

    day = 1 + i % 28
    month = 1 + (i // 28) % 12
    weekday = WEEKDAYS[dt.date(2024, month, day).weekday()]
    city, country = PLACES[i % len(PLACES)]
    name = NAMES[i % len(NAMES)]
    return TEMPLATES[i % len(TEMPLATES)].format(
        n=i, city=city, country=country, day=day, month=MONTHS[month - 1], month_num=month,
        month_ap=AP_MONTHS[month - 1], weekday=weekday, name=name,
        name_upper=name.split()[0] + " " + name.split()[1].upper(),
    )


def source_jpegs(scratch: Path) -> list[Path]:
    found = sorted((ROOT / "sample_images").glob("*.jpg"))
    if found:
        return found
    from PIL import Image

    made = []
    for i, colour in enumerate([(200, 90, 40), (40, 120, 200), (90, 160, 70)]):
        path = scratch / f"src{i}.jpg"
        Image.new("RGB", (320, 213), colour).save(path, "JPEG", quality=80)
        made.append(path)
    return made


def build_folder(folder: Path, count: int, scratch: Path) -> None:
    """``count`` JPEGs in ``folder``, copies of the sample JPEGs, each with its own caption."""
    from captions.api import write_fields

    folder.mkdir(parents=True)
    sources = itertools.cycle(source_jpegs(scratch))
    for i in range(count):
        path = folder / f"img{i:05d}.jpg"
        shutil.copyfile(next(sources), path)
        write_fields(path, {"description": caption_for(i)})


def captions_command() -> list[str]:
    script = Path(sys.executable).parent / "captions"
    return [str(script)] if script.exists() else [sys.executable, "-m", "captions.cli"]


def one_run(args: list[str]) -> tuple[float, int, int, float]:
    done = subprocess.run([sys.executable, "-c", WRAPPER, *args], capture_output=True, text=True,
                          check=True)
    wall, code, peak, cpu = done.stdout.split()
    if int(code) == 2:  # a file failed: show why, the figures are suspect
        print(f"  exit 2 from {' '.join(args[-4:])}:\n{done.stderr.strip()[-600:]}",
              file=sys.stderr)
    return float(wall), int(code), int(peak), float(cpu)


def measure(pristine: Path, work: Path, count: int, write: bool, workers: int,
            repeat: int, threads: int = 1) -> dict[str, Any]:
    walls, peaks, cpus, codes = [], [], [], set()
    for _ in range(repeat):
        if work.exists():
            shutil.rmtree(work)
        shutil.copytree(pristine, work)
        args = [*captions_command(), "batch", str(work), "--workers", str(workers),
                "--threads", str(threads)]
        if write:
            args.append("--write")
        wall, code, peak_kb, cpu = one_run(args)
        walls.append(wall)
        cpus.append(cpu)
        peaks.append(peak_kb)
        codes.add(code)
    wall = statistics.median(walls)
    return {"files": count, "write": write, "workers": workers, "threads": threads,
            "seconds": wall,
            "files_per_s": count / wall, "peak_mb": max(peaks) / 1024,
            "cpu_seconds": statistics.median(cpus),
            "exit_codes": sorted(codes)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--small", type=int, default=200,
                        help="size of the extra dry run for the memory comparison (0: skip)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", default="1,4",
                        help="comma-separated thread counts per process to try (default: 1,4)")
    parser.add_argument("--json", action="store_true", help="also print the rows as JSON")
    args = parser.parse_args(argv)
    thread_counts = [int(t) for t in args.threads.split(",")]

    rows = []
    with tempfile.TemporaryDirectory(prefix="captions-bench-") as tmp:
        base = Path(tmp)
        scratch = base / "scratch"
        scratch.mkdir()
        started = time.perf_counter()
        build_folder(base / "pristine", args.files, scratch)
        print(f"built {args.files} JPEGs in {time.perf_counter() - started:.1f} s "
              f"({sum(p.stat().st_size for p in (base / 'pristine').iterdir()) / 1e6:.1f} MB); "
              f"{os.cpu_count()} CPUs; Python {sys.version.split()[0]}; "
              f"load average {os.getloadavg()[0]:.2f}", flush=True)
        for write, workers in [(False, 1), (False, 2), (True, 1), (True, 2)]:
            # a dry run always runs on one thread (captions.batch.process_files)
            for threads in (thread_counts if write else [1]):
                rows.append(measure(base / "pristine", base / "work", args.files, write,
                                    workers, args.repeat, threads))
        if args.small:
            small = base / "small"
            small.mkdir()
            for p in sorted((base / "pristine").iterdir())[: args.small]:
                shutil.copyfile(p, small / p.name)
            rows.append(measure(small, base / "work", args.small, False, 1, args.repeat))

    print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    print(f"\n{'files':>6} {'mode':>8} {'workers':>7} {'threads':>7} {'median s':>9} {'files/s':>8} "
          f"{'cpu s':>6} {'peak MB':>8} {'exit':>5}")
    for row in rows:
        mode = "write" if row["write"] else "dry-run"
        print(f"{row['files']:>6} {mode:>8} {row['workers']:>7} {row['threads']:>7} "
              f"{row['seconds']:>9.2f} "
              f"{row['files_per_s']:>8.0f} {row['cpu_seconds']:>6.2f} {row['peak_mb']:>8.1f} "
              f"{'/'.join(map(str, row['exit_codes'])):>5}")
    if args.json:
        print(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
