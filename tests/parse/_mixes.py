"""Texts the speed tests check their shortcuts on: corpus captions, every rule example, and
seeded recombinations of the two (a caption's head cut anywhere, then an example), so that a
shortcut is tried on credits and datelines in places the corpora never put them."""

from __future__ import annotations

import json
import random
from pathlib import Path

from captions.agencies import load_rules

CORPUS_DIR = Path(__file__).resolve().parents[1] / "corpus"


def mixed_texts(seed: int, mixes: int, corpora: list[Path] | None = None) -> list[str]:
    """The captions of ``corpora`` (default: every corpus file), the rule examples, and
    ``mixes`` recombinations drawn with ``random.Random(seed)``."""
    texts: list[str] = []
    for path in corpora if corpora is not None else sorted(CORPUS_DIR.glob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()
                  if line.strip() and not line.startswith("#")]
    rules = load_rules()
    examples = [e.text for f in rules.files for r in f.rules for e in r.examples]
    texts += examples
    rnd = random.Random(seed)
    for _ in range(mixes):
        a, b = rnd.choice(texts), rnd.choice(examples)
        texts.append(a[:rnd.randrange(len(a) + 1)] + rnd.choice(["", " ", ". ", "\n"]) + b +
                     rnd.choice(["", " ", "\n", ".", " 2024"]))
    return texts
