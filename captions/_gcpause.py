"""Pause the cyclic garbage collector while a large table of plain data is built.

Loading the gazetteer and the rule set allocates a few hundred thousand small objects
(tuples, lists, strings) and frees almost none: the collector, run every few hundred
allocations, keeps walking a growing young generation and finds nothing to collect (it cost
about a tenth of the first call).  Reference counting still frees everything as usual; only
the search for cycles waits until the block ends, and the collector is switched back on only
if it was on (another library that turned it off keeps it off).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused_gc"]


@contextmanager
def paused_gc() -> Iterator[None]:
    """Run the block with the cyclic garbage collector off, then restore its state."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
