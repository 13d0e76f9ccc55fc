#!/usr/bin/env python3
"""Speed against ExifTool and against a plain copy, side by side in one run (issue 6).

Builds ``--files`` realistic JPEGs (default 1,000; 0.5-3 MB camera-like images with EXIF and a
maker note, half of them also carrying wire IIM + XMP; see ``bench/_corpus.py``), then runs
each contender as a whole process (start-up included), ``--repeat`` rounds, interleaved so
that machine noise hits all of them alike, and prints medians and ratios:

* write: ``write_fields`` over every file in one Python process (on the batch's threads, as
  ``captions batch --write`` runs; the ``1 thread`` rows one file after another), setting description,
  headline, creator, credit, source, city, country, country code, copyright and date in IIM,
  XMP and EXIF; vs ``exiftool -overwrite_original`` setting the same tags on the same files
  in one process; vs ``cp -r`` of the folder (the floor for any writer that rewrites files) and
  a Python copy that also fsyncs each file (our writer fsyncs; cp and ExifTool do not).
  Every write round starts from a fresh copy of the pristine files (the copy is not timed).
* read: ``read_metadata`` over every file (``to_dict`` serialised to JSON) vs
  ``exiftool -j -IPTC:all -XMP:all``.
* parse: ``captions.parse_caption`` over the caption corpus, captions per second.
* memory: peak resident set (``ru_maxrss`` from ``wait4``) of the read and write processes on
  ``--small`` files vs ``--files`` files.

    .venv/bin/python bench/bench_speed.py                   # 1,000 files, median of 3
    .venv/bin/python bench/bench_speed.py --files 200 --repeat 1 --profile
    # before/after in the same rounds: an older package beside the current one
    git archive <rev> captions | tar -x -C /tmp/before
    .venv/bin/python bench/bench_speed.py --before /tmp/before

``write: captions, durable=False`` is the same writer without its two fsyncs.

Results are also written to ``bench/out/speed.json``; ``--profile`` writes pyinstrument
profiles of the write, read and parse processes to ``bench/out/profile-{write,read,parse}.txt``.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
PY = sys.executable

#: what both writers set (logical name -> value); ExifTool gets the same through TAGS below
VALUES: dict[str, str | list[str]] = {
    "description": "Passengers board a night train at the central station in Lyon, France, on "
                   "March 4, 2024, after a two-day regional rail strike ended. "
                   "(Photo by Claire EXEMPLE / Example Agency)",
    "headline": "Rail strike ends in Lyon",
    "creators": ["Claire Exemple"],
    "credit_line": "Claire Exemple/Example Agency",
    "source": "Example Agency",
    "city": "Lyon",
    "country": "France",
    "country_code": "FRA",
    "copyright_notice": "(c) Example Agency 2024",
    "date_created": "2024-03-04",
}


def exiftool_write_args(folder: Path) -> list[str]:
    """ExifTool setting the same IIM, XMP and EXIF tags as ``VALUES``, UTF-8 IIM."""
    v = VALUES
    d, who = str(v["description"]), str(v["creators"][0])
    pairs = [
        ("IPTC:CodedCharacterSet", "UTF8"),
        ("IPTC:Caption-Abstract", d), ("XMP-dc:Description", d), ("EXIF:ImageDescription", d),
        ("IPTC:Headline", v["headline"]), ("XMP-photoshop:Headline", v["headline"]),
        ("IPTC:By-line", who), ("XMP-dc:Creator", who), ("EXIF:Artist", who),
        ("IPTC:Credit", v["credit_line"]), ("XMP-photoshop:Credit", v["credit_line"]),
        ("IPTC:Source", v["source"]), ("XMP-photoshop:Source", v["source"]),
        ("IPTC:City", v["city"]), ("XMP-photoshop:City", v["city"]),
        ("IPTC:Country-PrimaryLocationName", v["country"]),
        ("XMP-photoshop:Country", v["country"]),
        ("IPTC:Country-PrimaryLocationCode", v["country_code"]),
        ("XMP-iptcCore:CountryCode", v["country_code"]),
        ("IPTC:CopyrightNotice", v["copyright_notice"]), ("XMP-dc:Rights", v["copyright_notice"]),
        ("EXIF:Copyright", v["copyright_notice"]),
        ("IPTC:DateCreated", "2024:03:04"), ("XMP-photoshop:DateCreated", "2024-03-04"),
    ]
    return (["exiftool", "-q", "-q", "-overwrite_original", "-charset", "iptc=UTF8"]
            + [f"-{tag}={value}" for tag, value in pairs] + [str(folder)])


# --------------------------------------------------------------------------- child drivers
# These run as their own processes (``bench_speed.py _write FOLDER`` ...): whole-process timing.


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix.lower() == ".jpg")


def _write_all(folder: Path, *, durable: bool, threads: int | None) -> None:
    """``write_fields`` on every file, as ``captions batch --write`` runs them: on the batch's
    threads (``ordered_map``, ``DEFAULT_THREADS``) unless ``threads`` is 1."""
    from captions.api import write_fields

    files = _files(folder)

    def one(path: Path) -> None:
        write_fields(path, VALUES, durable=durable)

    try:
        from captions.batch import DEFAULT_THREADS, ordered_map
    except ImportError:  # an older package (--before): one file after another
        threads = 1
    else:
        threads = threads or DEFAULT_THREADS
    if threads <= 1:
        for path in files:
            one(path)
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=threads) as pool:
        for _ in ordered_map(pool, one, files, threads * 4):
            pass


def drive_write(folder: Path) -> None:
    _write_all(folder, durable=True, threads=None)


def drive_write_fast(folder: Path) -> None:
    _write_all(folder, durable=False, threads=None)


def drive_write_one_thread(folder: Path) -> None:
    _write_all(folder, durable=True, threads=1)


def drive_write_fast_one_thread(folder: Path) -> None:
    _write_all(folder, durable=False, threads=1)


def drive_read(folder: Path) -> None:
    from captions import read_metadata

    out = []
    for path in _files(folder):
        out.append({"path": str(path), **read_metadata(path).to_dict()})
    with open(os.devnull, "w") as sink:
        json.dump(out, sink, ensure_ascii=False)


def drive_copy_fsync(src: Path, dst: Path) -> None:
    dst.mkdir()
    for path in _files(src):
        target = dst / path.name
        with open(path, "rb") as fin, open(target, "wb") as fout:
            shutil.copyfileobj(fin, fout, 1 << 20)
            fout.flush()
            os.fsync(fout.fileno())


def drive_copy_replace(folder: Path) -> None:
    """Each file copied to a temp file beside it, which then replaces it (``os.replace``), no
    fsync: what any atomic rewriter does at the least, ExifTool included.  Unlike ``cp -r``
    into a new folder, replacing an existing file makes ext4 (``auto_da_alloc``, on by
    default) start writing the new data to disk at the rename, so this floor follows the
    disk's write speed."""
    for path in _files(folder):
        tmp = path.with_name(f".{path.name}.tmp")
        shutil.copyfile(path, tmp)
        os.replace(tmp, path)


def drive_parse() -> None:
    rate, n = parse_rate(seconds=2.0, rounds=1)
    print(f"{rate:,.0f} captions/s over {n} texts")


DRIVERS: dict[str, Callable[..., None]] = {
    "_write": drive_write, "_writefast": drive_write_fast, "_write1": drive_write_one_thread,
    "_writefast1": drive_write_fast_one_thread, "_read": drive_read,
    "_copyfsync": drive_copy_fsync, "_copyreplace": drive_copy_replace,
    "_parse": drive_parse,
}


# --------------------------------------------------------------------------- measuring


GNU_TIME = shutil.which("time", path="/usr/bin:/bin")


def run_process(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one whole process.

    A child forked from this (large) process starts with this process' resident set, and
    Linux keeps that high-water mark across ``exec``; so the peak is taken by GNU ``time``
    (a small process in between) when it is installed, else from ``wait4`` (an over-estimate:
    at least this process' own size).
    """
    rss_file = None
    if GNU_TIME:
        fd, rss_file = tempfile.mkstemp(prefix="captions-rss-")
        os.close(fd)
        cmd = [GNU_TIME, "-f", "%M", "-o", rss_file, *cmd]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:6])} ... failed ({proc.returncode}):\n{err[-2000:]}")
    peak = int(usage.ru_maxrss)
    if rss_file:
        text = Path(rss_file).read_text().split()
        os.unlink(rss_file)
        peak = int(text[-1]) if text else peak
    return elapsed, peak


def fresh_copy(src: Path, dst: Path) -> None:
    """A fresh copy of ``src`` at ``dst``, flushed to disk, so that no timed run pays for
    writing back the previous run's or this copy's data (not timed)."""
    if dst.exists():
        shutil.rmtree(dst)
    shutil.copytree(src, dst)
    os.sync()


def check_written(folder: Path, who: str) -> None:
    """Both writers must really have written: our reader sees the new caption in every file."""
    from captions import read_metadata

    for path in _files(folder)[:10]:
        meta = read_metadata(path)
        if meta.description != VALUES["description"] or meta.city != VALUES["city"]:
            raise SystemExit(f"{who} did not write {path.name}: {meta.description!r}")


def parse_rate(seconds: float = 1.5, rounds: int = 3) -> tuple[float, int]:
    """Median captions/s of ``parse_caption`` over the caption corpus (in-process)."""
    import captions

    texts = []
    for corpus in (ROOT / "tests" / "corpus" / "captions.jsonl",
                   ROOT.parent / "shared" / "corpus" / "real_wire_images.jsonl"):
        if corpus.exists():
            texts += [json.loads(line)["text"] for line in corpus.read_text().splitlines()
                      if line.strip()]
    if not texts:
        texts = [str(VALUES["description"])]
    ref = _dt.date(2024, 3, 4)
    for t in texts:  # warm-up: rule files load, regexes compile
        captions.parse_caption(t, reference_date=ref)
    rates = []
    for _ in range(rounds):
        n, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < seconds:
            for t in texts:
                captions.parse_caption(t, reference_date=ref)
            n += len(texts)
        rates.append(n / (time.perf_counter() - t0))
    return statistics.median(rates), len(texts)


def import_time(rounds: int = 5) -> float:
    """Median seconds of ``python -c 'import captions'`` minus ``python -c pass``."""
    base = [run_process([PY, "-c", "pass"])[0] for _ in range(rounds)]
    full = [run_process([PY, "-c", "import captions, captions.api"])[0] for _ in range(rounds)]
    return statistics.median(full) - statistics.median(base)


def machine_facts() -> dict[str, str]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    exiftool = subprocess.run(["exiftool", "-ver"], capture_output=True, text=True).stdout.strip()
    return {
        "date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu, "cores": str(os.cpu_count()), "python": platform.python_version(),
        "os": platform.platform(), "exiftool": exiftool or "absent",
    }


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in DRIVERS:
        DRIVERS[argv[0]](*[Path(a) for a in argv[1:]])
        return 0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--small", type=int, default=100, help="files for the memory comparison")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workdir", type=Path, help="where to build the files (default: a temp dir)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    ap.add_argument("--profile", action="store_true", help="pyinstrument the write/read runs")
    ap.add_argument("--before", type=Path, metavar="DIR",
                    help="a folder holding an older 'captions' package (e.g. from `git archive "
                         "<rev> captions | tar -x -C DIR`): its write and read run in the same "
                         "rounds, labelled '(before)'")
    args = ap.parse_args(argv)
    before_env = None
    if args.before is not None:
        before_env = {**os.environ, "PYTHONPATH": str(args.before.resolve())}
        probe = subprocess.run([PY, "-c", "import captions; print(captions.__file__)"],
                               env=before_env, capture_output=True, text=True, check=True,
                               cwd=args.before)
        if not probe.stdout.startswith(str(args.before.resolve())):
            raise SystemExit(f"--before: 'captions' imports from {probe.stdout.strip()}")

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _corpus import build_corpus

    have_exiftool = shutil.which("exiftool") is not None
    work = Path(tempfile.mkdtemp(prefix="captions-bench-", dir=args.workdir))
    me = str(Path(__file__).resolve())
    try:
        pristine, small = work / "pristine", work / "small"
        t0 = time.perf_counter()
        paths = build_corpus(pristine, args.files)
        small.mkdir()
        for p in paths[: args.small]:
            shutil.copyfile(p, small / p.name)
        total = sum(p.stat().st_size for p in paths)
        print(f"corpus: {len(paths):,} JPEGs, {total / 1e6:,.0f} MB "
              f"(mean {total / len(paths) / 1e6:.2f} MB), built in {time.perf_counter() - t0:.1f} s",
              flush=True)

        times: dict[str, list[float]] = {}
        rss: dict[str, list[int]] = {}

        def record(name: str, result: tuple[float, int]) -> None:
            times.setdefault(name, []).append(result[0])
            rss.setdefault(name, []).append(result[1])

        target, floor = work / "target", work / "floor"

        def write_round(name: str, cmd: list[str], env: dict[str, str] | None = None) -> None:
            """One writer over a fresh copy of the files, timed, then checked."""
            fresh_copy(pristine, target)
            record(name, run_process(cmd, env))
            check_written(target, name)

        for rnd in range(args.repeat):
            write_round("write: captions", [PY, me, "_write", str(target)])
            write_round("write: captions, durable=False", [PY, me, "_writefast", str(target)])
            write_round("write: captions, 1 thread", [PY, me, "_write1", str(target)])
            write_round("write: captions, durable=False, 1 thread",
                        [PY, me, "_writefast1", str(target)])
            if before_env is not None:
                write_round("write: captions (before)", [PY, me, "_write", str(target)],
                            before_env)
            if have_exiftool:
                write_round("write: exiftool", exiftool_write_args(target))
            shutil.rmtree(floor, ignore_errors=True)
            os.sync()
            record("copy: cp -r", run_process(["cp", "-r", str(pristine), str(floor)]))
            shutil.rmtree(floor, ignore_errors=True)
            os.sync()
            record("copy: python + fsync",
                   run_process([PY, me, "_copyfsync", str(pristine), str(floor)]))
            fresh_copy(pristine, target)
            record("copy: python, replace each file",
                   run_process([PY, me, "_copyreplace", str(target)]))
            record("read: captions", run_process([PY, me, "_read", str(pristine)]))
            if before_env is not None:
                record("read: captions (before)",
                       run_process([PY, me, "_read", str(pristine)], before_env))
            if have_exiftool:
                record("read: exiftool", run_process(
                    ["exiftool", "-j", "-IPTC:all", "-XMP:all", str(pristine)]))
            fresh_copy(small, target)
            record("write: captions (small)", run_process([PY, me, "_write", str(target)]))
            record("read: captions (small)", run_process([PY, me, "_read", str(small)]))
            print(f"round {rnd + 1}/{args.repeat} done", flush=True)

        med = {k: statistics.median(v) for k, v in times.items()}
        peak = {k: max(v) for k, v in rss.items()}
        n = args.files
        rate, n_texts = parse_rate()
        imp = import_time()
        largest = max(p.stat().st_size for p in paths)

        ratios: dict[str, float] = {}
        if have_exiftool:
            ratios["write: exiftool / captions (goal >= 5)"] = med["write: exiftool"] / med["write: captions"]
            ratios["write: exiftool / captions durable=False"] = (
                med["write: exiftool"] / med["write: captions, durable=False"])
            ratios["read: exiftool / captions (goal >= 10)"] = med["read: exiftool"] / med["read: captions"]
            if before_env is not None:
                ratios["write: exiftool / captions (before)"] = (
                    med["write: exiftool"] / med["write: captions (before)"])
                ratios["read: exiftool / captions (before)"] = (
                    med["read: exiftool"] / med["read: captions (before)"])
        ratios["write: captions / cp -r (goal <= 3)"] = med["write: captions"] / med["copy: cp -r"]
        ratios["write: captions durable=False / cp -r"] = (
            med["write: captions, durable=False"] / med["copy: cp -r"])
        if before_env is not None:
            ratios["write: captions (before) / cp -r"] = (
                med["write: captions (before)"] / med["copy: cp -r"])
        ratios["write: captions / python copy + fsync"] = (med["write: captions"]
                                                           / med["copy: python + fsync"])
        ratios["write: captions durable=False / python copy, replace each file"] = (
            med["write: captions, durable=False"] / med["copy: python, replace each file"])
        if have_exiftool:
            ratios["write: exiftool / python copy, replace each file (best any atomic "
                   "rewriter could do)"] = (med["write: exiftool"]
                                            / med["copy: python, replace each file"])
        mem = {
            f"write RSS, {args.small} files (MiB)": peak["write: captions (small)"] / 1024,
            f"write RSS, {n} files (MiB)": peak["write: captions"] / 1024,
            f"read RSS, {args.small} files (MiB)": peak["read: captions (small)"] / 1024,
            f"read RSS, {n} files (MiB)": peak["read: captions"] / 1024,
            "largest file (MiB)": largest / 2**20,
        }
        if have_exiftool:
            mem[f"exiftool write RSS, {n} files (MiB)"] = peak["write: exiftool"] / 1024
            mem[f"exiftool read RSS, {n} files (MiB)"] = peak["read: exiftool"] / 1024

        print(f"\n## {n:,} JPEGs, {total / 1e6:,.0f} MB, median of {args.repeat} (whole processes)\n")
        print("| run | median s | files/s |\n|---|---:|---:|")
        for k in sorted(med):
            if "(small)" in k:
                continue
            print(f"| {k} | {med[k]:.2f} | {n / med[k]:,.0f} |")
        print("\n| ratio | value |\n|---|---:|")
        for k, v in ratios.items():
            print(f"| {k} | {v:.2f} |")
        print(f"\n| parse | value |\n|---|---:|\n| captions/s (goal >= 20,000), {n_texts} texts "
              f"| {rate:,.0f} |\n| import captions (s) | {imp:.3f} |")
        print("\n| memory | value |\n|---|---:|")
        for k, v in mem.items():
            print(f"| {k} | {v:.1f} |")

        OUT.mkdir(parents=True, exist_ok=True)
        (OUT / "speed.json").write_text(json.dumps({
            "machine": machine_facts(), "files": n, "bytes": total, "repeat": args.repeat,
            "times": times, "median": med, "ratios": ratios, "parse_per_s": rate,
            "import_s": imp, "memory_mib": mem,
        }, indent=2))

        if args.profile:
            fresh_copy(small, target)
            subprocess.run([PY, "-m", "pyinstrument", "-o", str(OUT / "profile-write.txt"),
                            me, "_write", str(target)], check=True)
            subprocess.run([PY, "-m", "pyinstrument", "-o", str(OUT / "profile-read.txt"),
                            me, "_read", str(small)], check=True)
            subprocess.run([PY, "-m", "pyinstrument", "-o", str(OUT / "profile-parse.txt"),
                            me, "_parse"], check=True, stdout=subprocess.DEVNULL)
            print(f"\nprofiles: {OUT}/profile-{{write,read,parse}}.txt")
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
