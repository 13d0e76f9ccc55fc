"""Dump ``parse_caption(...).to_dict()`` for many captions, to check a change alters no result.

Usage::

    python bench/parse_snapshot.py OUT.json [--mixes 20000] [--code /tmp/parse-before]
    diff <(python -m json.tool BEFORE.json) <(python -m json.tool AFTER.json)

Captions parsed (each with no reference date and with 2025-03-14, and the corpora's own
reference dates):

* every caption of ``tests/corpus/*.jsonl`` (and ``../shared/corpus`` when present);
* every string literal of 15+ characters in ``tests/parse/*.py`` (the examples, and some
  harmless non-captions);
* every example of every rule in the bundled agency files;
* the same texts upper-cased and lower-cased;
* ``--mixes`` seeded recombinations: the head of one text (cut at a word) joined to the tail
  of another, so credit tails, datelines and place phrases meet in orders no file has.

``--code DIR`` parses with the ``captions`` package of another checkout (``git worktree add``)
while reading the texts from this one, so both runs parse the same texts.  A measurement aid,
not a test: the output is only meaningful compared with another run.
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import json
import random
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if "--code" in sys.argv[:-1]:
    sys.path.insert(0, sys.argv[sys.argv.index("--code") + 1])
else:
    sys.path.insert(0, str(ROOT))

from captions import parse_caption  # noqa: E402
from captions.agencies import load_rules  # noqa: E402

REF = dt.date(2025, 3, 14)


def _corpus_rows() -> list[tuple[str, dt.date | None]]:
    paths = sorted((ROOT / "tests" / "corpus").glob("*.jsonl"))
    shared = ROOT.parent / "shared" / "corpus"
    if shared.is_dir():
        paths += sorted(shared.glob("*.jsonl"))
    out: list[tuple[str, dt.date | None]] = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            row = json.loads(line)
            if not isinstance(row.get("text"), str):
                continue
            ref = row.get("reference_date")
            out.append((row["text"], dt.date.fromisoformat(ref) if ref else None))
    if shared.is_dir():
        out += [(p.read_text(encoding="utf-8"), None) for p in sorted(shared.glob("*.txt"))]
    return out


def _test_literals() -> list[str]:
    out: list[str] = []
    for path in sorted((ROOT / "tests" / "parse").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                    15 <= len(node.value) <= 5000:
                out.append(node.value)
    return out


def _rule_examples() -> list[str]:
    return [ex.text for rule in load_rules().rules() for ex in rule.examples]


def texts(mixes: int) -> list[tuple[str, dt.date | None]]:
    """Every (text, reference date) pair to parse, in a fixed order."""
    base = _corpus_rows()
    plain = [t for t, _ in base] + _test_literals() + _rule_examples()
    plain = list(dict.fromkeys(plain))
    rows: list[tuple[str, dt.date | None]] = list(base)
    for t in plain:
        for variant in (t, t.upper(), t.lower()):
            rows.append((variant, None))
            rows.append((variant, REF))
    rng = random.Random(20261126)
    for _ in range(mixes):
        a, b = rng.choice(plain), rng.choice(plain)
        wa, wb = a.split(" "), b.split(" ")
        head = " ".join(wa[:rng.randint(0, len(wa))])
        tail = " ".join(wb[rng.randint(0, len(wb)):])
        rows.append((head + rng.choice((" ", ". ", ", ", " - ", "\n")) + tail,
                     rng.choice((None, REF))))
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out")
    ap.add_argument("--mixes", type=int, default=20000)
    ap.add_argument("--code", help="checkout whose captions package parses (default: this one)")
    args = ap.parse_args()
    import captions
    print(f"parsing with {Path(captions.__file__).parent}")
    results: list[Any] = []
    for text, ref in texts(args.mixes):
        results.append([text, ref.isoformat() if ref else None,
                        parse_caption(text, reference_date=ref).to_dict()])
    Path(args.out).write_text(json.dumps(results, ensure_ascii=False, indent=0), encoding="utf-8")
    print(f"{len(results)} captions -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
