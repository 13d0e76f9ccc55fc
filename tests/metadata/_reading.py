"""Test helpers for the containers' reading."""

from __future__ import annotations

import io


class CountingReader(io.BytesIO):
    """A file in memory that counts the bytes read from it (``taken``)."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.taken = 0

    def read(self, n: int | None = -1) -> bytes:  # type: ignore[override]
        block = super().read(n)
        self.taken += len(block)
        return block
