"""Callgrind driver for the write path: ``write_fields`` on N bench files (RAM disk).

Run under callgrind with N=0 and N=30 (``bench/cg_write.sh`` does); the difference of the
instruction counts over 30 is the user-space instructions per write, a figure that does not
depend on the machine's load.  The files are copies of ``/dev/shm/wb/pristine`` (built by
``bench/_corpus.py``); one write before the counted ones warms imports and compiled patterns.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_speed import VALUES  # noqa: E402

from captions.api import write_fields  # noqa: E402

n = int(sys.argv[1])
src = sorted(Path("/dev/shm/wb/pristine").glob("*.jpg"))[:40]
d = Path("/dev/shm/wb/cg")
shutil.rmtree(d, ignore_errors=True)
d.mkdir()
files = []
for f in src:
    shutil.copyfile(f, d / f.name)
    files.append(d / f.name)
write_fields(files[-1], VALUES, durable=False)  # warm: imports, compiled patterns
for f in files[:n]:
    write_fields(f, VALUES, durable=False)
