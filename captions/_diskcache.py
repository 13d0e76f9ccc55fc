"""A small on-disk cache for tables derived from the package's own data files.

The parser's first call builds two things from bundled data: the agency rule set (each
pattern read by ``re``'s parser for the search bounds and literals) and the gazetteer (about
100,000 city names).  Both are pure functions of bytes that only change with the package, so
they are kept in the user's cache directory, keyed by a sha256 of everything they depend on
(data files, the source of the module that derives them, the package and Python versions).

Where: ``$XDG_CACHE_HOME/captions`` (an absolute path, as the XDG spec asks) or
``~/.cache/captions``; never inside the package.  ``CAPTIONS_NO_CACHE=1`` turns it off.

The cache is only ever an optimisation: any failure to read or write it is ignored, a file
whose checksum, header or key does not match is ignored (and replaced on the next write), and
files are written to a temporary name and renamed into place, so a reader never sees half a
file.  Values are stored with :mod:`marshal` (plain data only: str, int, bool, None, tuples,
lists, dicts; nothing is executed on load).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = ["cache_dir", "code_stamp", "digest", "read", "write", "ENV_DISABLE"]

#: set to anything but "" or "0" to neither read nor write the cache
ENV_DISABLE = "CAPTIONS_NO_CACHE"
#: first bytes of every cache file; bump the number when the layout below changes
_MAGIC = b"captions-cache 1\n"


def cache_dir() -> Path | None:
    """The directory for cache files, or None when the cache is disabled or has no home."""
    if os.environ.get(ENV_DISABLE, "") not in ("", "0"):
        return None
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "captions"
    try:
        return Path.home() / ".cache" / "captions"
    except (RuntimeError, KeyError, OSError):  # no home directory: no cache
        return None


def code_stamp(module_file: str | None) -> str:
    """The file a module actually runs from (``__file__``), with its size and change time.

    Part of every key besides the module's source: a compiled copy (``.so``) built from an
    older source would otherwise write tables derived by the old code under the new source's
    key, and pure and compiled runs would share entries.
    """
    if not module_file:
        return ""
    try:
        st = os.stat(module_file)
    except OSError:
        return module_file
    return f"{module_file}:{st.st_size}:{st.st_mtime_ns}"


def digest(parts: Iterable[bytes | str]) -> str:
    """A sha256 (hex) of ``parts``, each length-prefixed (so no two lists share a digest),
    with the Python version, the marshal version and this cache's layout mixed in."""
    h = hashlib.sha256(_MAGIC)
    for part in (sys.version, sys.implementation.cache_tag or "", str(marshal.version), *parts):
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def _path(name: str) -> Path | None:
    base = cache_dir()
    return None if base is None else base / f"{name}.bin"


def read(name: str, key: str) -> Any:
    """The value stored under ``name`` for ``key``, or None (no file, another key, a file
    that is damaged in any way, a disabled cache)."""
    try:
        path = _path(name)
        if path is None:
            return None
        with open(path, "rb") as fh:
            blob = fh.read()
        # header: magic, key (64 hex digits), crc32 of the payload (8 hex digits), each
        # followed by a line break; a crc32 finds a torn or damaged file at a fraction of
        # the cost of a second sha256 over megabytes
        head = len(_MAGIC)
        if (not blob.startswith(_MAGIC) or len(blob) < head + 74
                or blob[head:head + 64] != key.encode("ascii")
                or blob[head + 64:head + 65] != b"\n" or blob[head + 73:head + 74] != b"\n"):
            return None
        payload = blob[head + 74:]
        if b"%08x" % zlib.crc32(payload) != blob[head + 65:head + 73]:
            return None
        return marshal.loads(payload)
    except Exception:  # noqa: BLE001 - a cache that cannot be read is no cache
        return None


def write(name: str, key: str, value: Any) -> bool:
    """Store ``value`` (plain data) under ``name`` for ``key``, atomically; False when it
    could not be written (never raises)."""
    tmp = ""
    try:
        path = _path(name)
        if path is None:
            return False
        payload = marshal.dumps(value)
        if len(key) != 64:
            raise ValueError("a key is a sha256 in hex")
        blob = b"".join((_MAGIC, key.encode("ascii"), b"\n", b"%08x" % zlib.crc32(payload),
                         b"\n", payload))
        import tempfile  # only when writing: most runs only read

        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
        os.replace(tmp, path)
        tmp = ""
        return True
    except Exception:  # noqa: BLE001 - the cache is an optimisation, never a failure
        return False
    finally:
        if tmp:
            try:
                os.unlink(tmp)
            except OSError:
                pass
