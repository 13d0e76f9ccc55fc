"""Snapshot of what ``write_fields`` produces, to diff before/after a change of the write path.

For every image of ``/work/shared/images/files`` (the shared real-world set, when present),
every file of ``sample_images/`` and the first bench corpus files, and for several value sets
(the bench's VALUES, a removal set, non-ASCII values, a date with time and zone, three
creators), a copy is written with ``write_fields(..., durable=False)`` and one line is
recorded: file, value set, the sha256 of the result (or the error type and message when the
write is refused) and the warnings.  Sets are applied to fresh copies, one at a time, and
then once more in sequence to one copy (the chained result), so rewriting already written
files is covered too.

Usage (the old code from a worktree, the new from this checkout)::

    git worktree add /tmp/write-before <commit>
    PYTHONPATH=/tmp/write-before .venv/bin/python bench/write_snapshot.py > /tmp/before.txt
    .venv/bin/python bench/write_snapshot.py > /tmp/after.txt
    diff /tmp/before.txt /tmp/after.txt && echo identical

``--corpus DIR`` names the bench corpus folder (default ``/dev/shm/wb/pristine``, built by
``bench/_corpus.py``); ``--bench N`` how many of its files (default 20).
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from bench_speed import VALUES  # noqa: E402

import captions  # noqa: E402
from captions.api import write_fields  # noqa: E402

SETS: dict[str, dict[str, object]] = {
    "bench": dict(VALUES),
    "remove": {
        "description": None, "headline": "", "creators": [], "credit_line": None,
        "source": "", "city": None, "country": None, "country_code": "",
        "copyright_notice": None, "date_created": None, "keywords": None,
    },
    "unicode": {
        "description": "متظاهرون في ساحة التحرير — 北京天安门广场上的游客 — Ça dépend, señor Müller "
                       "& <friends> \"quoted\"",
        "headline": "東京の桜 / القاهرة",
        "creators": ["José Álvarez", "王小明"],
        "city": "Zürich",
        "country": "Côte d'Ivoire",
        "keywords": ["été", "夏", "صيف"],
        "credit_line": "Agence Française",
    },
    "datetime": {"date_created": "2023-11-05T14:30:15+05:30", "city": "Kolkata"},
    "creators3": {"creators": ["Anna Beispiel", "Bob Example", "Chen Li"],
                  "source": "Pool"},
}
SUFFIXES = {".jpg", ".jpeg", ".tif", ".tiff", ".png", ".webp"}


def _files(corpus: Path, n_bench: int) -> list[Path]:
    shared = ROOT.parent / "shared" / "images" / "files"
    files = sorted(p for p in shared.glob("*") if p.is_file()) if shared.is_dir() else []
    files += sorted(p for p in (ROOT / "sample_images").glob("*")
                    if p.suffix.lower() in SUFFIXES)
    files += sorted(corpus.glob("*.jpg"))[:n_bench]
    return files


def _write(path: Path, values: dict[str, object]) -> str:
    try:
        warnings = write_fields(path, values, durable=False)  # type: ignore[arg-type]
    except Exception as exc:  # noqa: BLE001 - recorded, refusals are part of the behaviour
        return f"ERROR {type(exc).__name__}: {exc}"
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return f"{digest} {warnings!r}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=Path("/dev/shm/wb/pristine"))
    ap.add_argument("--bench", type=int, default=20)
    args = ap.parse_args()
    print(f"# captions from {Path(captions.__file__).parent}", file=sys.stderr)
    lines = 0
    with tempfile.TemporaryDirectory(prefix="write-snapshot-") as tmp_dir:
        tmp = Path(tmp_dir)
        for src in _files(args.corpus, args.bench):
            label = f"{src.parent.name}/{src.name}"
            chained = tmp / ("chain" + src.suffix)
            shutil.copyfile(src, chained)
            for name, values in SETS.items():
                copy = tmp / ("one" + src.suffix)
                shutil.copyfile(src, copy)
                one = _write(copy, values).replace(tmp_dir, "<tmp>")
                chain = _write(chained, values).replace(tmp_dir, "<tmp>")
                # the temp folder's name is random: messages naming it are made comparable
                print(f"{label}\t{name}\t{one}")
                print(f"{label}\tchain+{name}\t{chain}")
                lines += 2
    print(f"# {lines} writes", file=sys.stderr)


if __name__ == "__main__":
    main()
