"""A bounds-checked cursor over bytes: every read either succeeds or raises :class:`Truncated`.

All binary decoders in ``captions.metadata`` read through this, so ``struct.error`` and
``IndexError`` never escape and a short read is never silently zero.
"""

from __future__ import annotations

import struct

from ..errors import Truncated

__all__ = ["Reader"]

_U16BE = struct.Struct(">H")
_U32BE = struct.Struct(">I")
_U16LE = struct.Struct("<H")
_U32LE = struct.Struct("<I")


class Reader:
    """Sequential reader over a ``bytes``/``memoryview`` with explicit bounds."""

    __slots__ = ("data", "pos", "end", "base")

    def __init__(self, data: bytes | bytearray | memoryview, pos: int = 0, end: int | None = None,
                 base: int = 0) -> None:
        self.data = memoryview(data)
        n = len(self.data)
        self.end = n if end is None else min(end, n)
        self.pos = pos
        #: offset of ``data[0]`` in the enclosing file, for error messages
        self.base = base

    @property
    def remaining(self) -> int:
        return max(0, self.end - self.pos)

    def at_end(self) -> bool:
        return self.pos >= self.end

    def take(self, n: int, what: str) -> memoryview:
        """Return the next ``n`` bytes or raise :class:`Truncated` naming ``what``."""
        if n < 0 or self.pos + n > self.end:
            raise Truncated(what, self.base + self.pos, n, self.remaining)
        start = self.pos
        self.pos += n
        return self.data[start:self.pos]

    def skip(self, n: int, what: str) -> None:
        self.take(n, what)

    def u8(self, what: str) -> int:
        return self.take(1, what)[0]

    def u16be(self, what: str) -> int:
        return int(_U16BE.unpack(self.take(2, what))[0])

    def u32be(self, what: str) -> int:
        return int(_U32BE.unpack(self.take(4, what))[0])

    def u16le(self, what: str) -> int:
        return int(_U16LE.unpack(self.take(2, what))[0])

    def u32le(self, what: str) -> int:
        return int(_U32LE.unpack(self.take(4, what))[0])

    def peek(self, n: int) -> bytes:
        """Up to ``n`` bytes from the current position, without moving (may be shorter)."""
        return bytes(self.data[self.pos:min(self.pos + n, self.end)])
