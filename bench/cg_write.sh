#!/bin/bash
# User-space instructions per write_fields call (callgrind; independent of machine load).
# Needs valgrind and the bench corpus in /dev/shm/wb/pristine:
#   .venv/bin/python -c "import sys; sys.path.insert(0,'bench'); from pathlib import Path; \
#     from _corpus import build_corpus; build_corpus(Path('/dev/shm/wb/pristine'), 60)"
# Usage: bench/cg_write.sh   (from anywhere; it measures the checkout it lives in, compiled
# copies included, unless PYTHONPATH=<checkout> names another; PYTHON=<interpreter> when the
# checkout has no .venv, e.g. a git worktree: PYTHON=/work/main/.venv/bin/python)
set -e
cd "$(dirname "$0")/.."
out=/dev/shm/wb
py=${PYTHON:-.venv/bin/python}
[[ $py = /* ]] || py=$PWD/$py  # absolute: the probe below runs from / (not to import ./captions)
export PYTHONPATH=${PYTHONPATH:-$(pwd)}
echo "measuring: $(cd / && $py -c 'import captions.metadata.xmp as m; print(m.__file__)')"
for n in 0 30; do
  PYTHONHASHSEED=0 valgrind --tool=callgrind --callgrind-out-file=$out/cg_write.$n.out \
    $py bench/cg_write.py $n >/dev/null 2>$out/cg_write.$n.err
  grep -o "Collected : [0-9]*" $out/cg_write.$n.err | grep -o "[0-9]*" > $out/cg_write.$n.n
done
echo "instructions per write: $(( ($(cat $out/cg_write.30.n) - $(cat $out/cg_write.0.n)) / 30 ))"
