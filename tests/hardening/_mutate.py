"""Byte-level mutations for fuzzing, as a Hypothesis strategy.

A mutated input is a seed with one to five edits: flip bits, insert or delete bytes, truncate,
duplicate a slice, or overwrite a 16/32-bit word with an extreme value (the declared lengths,
counts and offsets that break naive readers).  Positions are drawn either anywhere or from
"hot" offsets just after structure markers (JPEG markers, ``8BIM``, IIM tags, PNG/RIFF chunk
headers, TIFF headers), where the length fields live.
"""

from __future__ import annotations

import random
import re
from functools import lru_cache

from hypothesis import strategies as st

#: values written over 16/32-bit words: zero, one, small, sign-bit, all-ones, off-by-one
EXTREME_U16 = (0, 1, 2, 0x7FFF, 0x8000, 0x8004, 0xFFFE, 0xFFFF)
EXTREME_U32 = (0, 1, 8, 0x7FFFFFFF, 0x80000000, 0xFFFFFFF0, 0xFFFFFFFF)

_HOT = re.compile(
    rb"\xff[\xc0-\xfe]|8BIM|\x1c[\x01\x02]|Exif\x00\x00|II\*\x00|MM\x00\*|"
    rb"IHDR|iTXt|tEXt|zTXt|eXIf|IDAT|IEND|RIFF|VP8X|VP8 |VP8L|EXIF|XMP |ICCP|"
    rb"<x:xmpmeta|<rdf:|xpacket|http://ns\.adobe\.com/xmp/extension/"
)


@lru_cache(maxsize=256)
def hot_offsets(data: bytes, limit: int = 400) -> tuple[int, ...]:
    """Offsets around structure markers (the marker itself, just after it, and +2/+4/+8)."""
    out: set[int] = set()
    for m in _HOT.finditer(data):
        for off in (m.start(), m.end(), m.end() + 2, m.end() + 4, m.end() + 8, m.start() - 4):
            if 0 <= off < len(data):
                out.add(off)
        if len(out) >= limit:
            break
    # TIFF headers: the first-IFD pointer and the first entry count are always interesting
    out.update(o for o in (2, 4, 8, 10) if o < len(data))
    return tuple(sorted(out))


OPS = ("flip", "insert", "delete", "truncate", "u16", "u32", "u16le", "u32le", "dup", "zero")


def mutate(seed: bytes, rng: random.Random, max_edits: int = 5) -> bytes:
    """``seed`` with 1..``max_edits`` random edits (see the module docstring)."""
    buf = bytearray(seed)
    hot = hot_offsets(seed)
    for _ in range(rng.randint(1, max_edits)):
        if not buf:
            buf += rng.randbytes(rng.randint(1, 16))
            continue
        near = [o for o in hot if o < len(buf)] if rng.random() < 0.5 else None
        pos = rng.choice(near) if near else rng.randrange(len(buf))
        op = rng.choice(OPS)
        if op == "flip":
            buf[pos] ^= rng.randint(1, 255)
        elif op == "insert":
            buf[pos:pos] = rng.randbytes(rng.randint(1, 32))
        elif op == "delete":
            del buf[pos:pos + rng.randint(1, 64)]
        elif op == "truncate":
            del buf[pos:]
        elif op == "dup":
            buf[pos:pos] = buf[pos:pos + rng.randint(1, 256)]
        elif op == "zero":
            n = len(buf[pos:pos + rng.randint(1, 16)])
            buf[pos:pos + n] = bytes(n)
        else:
            size = 2 if op.startswith("u16") else 4
            value = rng.choice(EXTREME_U16 if size == 2 else EXTREME_U32)
            buf[pos:pos + size] = value.to_bytes(size, "little" if op.endswith("le") else "big")
    return bytes(buf)


def mutations(seeds: tuple[bytes, ...], max_edits: int = 5) -> st.SearchStrategy[bytes]:
    """Hypothesis strategy: a seed index and a random-generator seed, turned into a mutant.

    Drawing two integers (rather than every edit) keeps Hypothesis' per-example cost low, so a
    few hundred examples per reader fit in the test suite; a failure report names both numbers,
    which reproduce the input exactly.
    """
    return st.builds(
        lambda i, r: mutate(seeds[i], random.Random(r), max_edits),
        st.integers(0, len(seeds) - 1),
        st.integers(0, 2**32 - 1),
    )
