"""Bounded fuzzing of every reader: mutated real and synthetic inputs may only raise our errors.

For each reader, Hypothesis draws a seed (small synthetic files built with Pillow, plus the real
files of ``../shared/images/files`` when present, which include known fuzz crashers) and applies
byte edits (see ``_mutate.py``).  Each call must

* return, or raise a :class:`captions.errors.CaptionsError` subclass (nothing else escapes);
* finish within a generous time guard (a hang or an unbounded loop fails the test);
* allocate no more than a bound proportional to the input (declared sizes are not trusted).

The longer, coverage-guided campaign is ``bench/fuzz.py``.  Runs are derandomized so CI is
stable; ``HARDENING_FUZZ_EXAMPLES`` raises the example count locally.
"""

from __future__ import annotations

import io
import random
import os
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from captions.errors import CaptionsError
from captions.model import Caption, Location

from ._mutate import mutate
from ._samples import (
    DESCRIPTION,
    all_file_seeds,
    file_seeds,
    optional_module,
    payload_seeds,
    public_api,
    temp_leftovers,
    time_guard,
)

EXAMPLES = int(os.environ.get("HARDENING_FUZZ_EXAMPLES", "300"))
#: per-call guard; real calls take milliseconds, this only catches hangs
CALL_SECONDS = 5.0
#: allocation allowed per call: a fixed slack plus a multiple of the input size
MEMORY_SLACK = 32 * 1024 * 1024
MEMORY_FACTOR = 16

#: writes go through the file system (temp file, fsync, rename): fewer examples
WRITE_EXAMPLES = max(1, EXAMPLES // 3)

FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.large_base_example, HealthCheck.function_scoped_fixture],
)


# (module under captions, attribute, seed kind, how to call it)
def _on_stream(fn: Callable[..., Any], data: bytes) -> Any:
    return fn(io.BytesIO(data))


def _on_bytes(fn: Callable[..., Any], data: bytes) -> Any:
    return fn(data)


#: values every fuzzed ``update`` applies: set, replace a list, remove
UPDATE_VALUES: dict[str, str | list[str] | None] = {
    "description": "A tram passes a snow-covered square in central Kyiv.",
    "creators": ["Olena Testova"],
    "city": "Kyiv",
    "keywords": None,
    "date_created": "2024-03-03T10:30:00+02:00",
}


def _update_bytes(fn: Callable[..., Any], data: bytes) -> Any:
    return fn(data, UPDATE_VALUES)


def _iim_update(fn: Callable[..., Any], data: bytes) -> Any:
    iim = optional_module("metadata.iim")
    assert iim is not None
    datasets, _ = iim.decode_lenient(data)
    return fn(datasets, UPDATE_VALUES)


READERS: dict[str, tuple[str, str, str, Callable[[Callable[..., Any], bytes], Any]]] = {
    "jpeg.read": ("metadata.containers.jpeg", "read", "file:jpeg", _on_stream),
    "tiff.read": ("metadata.containers.tiff", "read", "file:tiff", _on_stream),
    "png.read": ("metadata.containers.png", "read", "file:png", _on_stream),
    "webp.read": ("metadata.containers.webp", "read", "file:webp", _on_stream),
    "containers.detect": ("metadata.containers", "detect", "file:all", _on_stream),
    "iim.decode": ("metadata.iim", "decode", "payload:iim", _on_bytes),
    "iim.decode_lenient": ("metadata.iim", "decode_lenient", "payload:iim", _on_bytes),
    "iim.read_fields": ("metadata.iim", "read_fields", "payload:iim", _on_bytes),
    "iim.update": ("metadata.iim", "update", "payload:iim", _iim_update),
    "irb.decode": ("metadata.irb", "decode", "payload:irb", _on_bytes),
    "irb.decode_lenient": ("metadata.irb", "decode_lenient", "payload:irb", _on_bytes),
    "xmp.read_fields": ("metadata.xmp", "read_fields", "payload:xmp", _on_bytes),
    "xmp.update": ("metadata.xmp", "update", "payload:xmp", _update_bytes),
    "exif.read_fields": ("metadata.exif", "read_fields", "payload:exif", _on_bytes),
    "exif.update": ("metadata.exif", "update", "payload:exif", _update_bytes),
}


def mutant(seeds: tuple[bytes, ...], pick: int, rng: int) -> bytes:
    """The input for one example: seed ``pick`` (modulo the count) mutated by ``Random(rng)``.

    Hypothesis draws just these two integers: cheap per example, and a failure report's two
    numbers rebuild the failing input exactly (``mutant(seeds_for(kind), pick, rng)``).
    """
    return mutate(seeds[pick % len(seeds)], random.Random(rng))


def seeds_for(kind: str) -> tuple[bytes, ...]:
    """Seeds by kind: ``file:<fmt>``, ``file:all`` or ``payload:<codec>``."""
    group, name = kind.split(":")
    if group == "payload":
        return payload_seeds(name)
    return all_file_seeds() if name == "all" else file_seeds(name)


def reader(name: str) -> Callable[..., Any]:
    modname, attr, _, _ = READERS[name]
    mod = optional_module(modname)
    fn: Callable[..., Any] | None = getattr(mod, attr, None) if mod is not None else None
    if fn is None:
        pytest.skip(f"captions.{modname}.{attr} does not exist yet")
    return fn


def guarded(what: str, data: bytes, call: Callable[[], Any]) -> Any:
    """Run ``call`` under the time and memory guards; swallow only :class:`CaptionsError`.

    Allocations are traced only during the call (tracing Hypothesis' own work would make the
    test ten times slower).
    """
    tracemalloc.start()
    try:
        with time_guard(CALL_SECONDS, what):
            result = call()
    except CaptionsError:
        result = None
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    limit = MEMORY_SLACK + MEMORY_FACTOR * len(data)
    assert peak <= limit, f"{what} allocated {peak:,} bytes on a {len(data):,}-byte input"
    return result


def guarded_write(what: str, path: Path, data: bytes, write: Callable[[], Any]) -> bool:
    """``write()`` under the guards; True when it wrote.  Either way no temp file is left
    beside ``path``, and a refused write (a :class:`CaptionsError`) left ``path`` as ``data``."""
    failed: list[CaptionsError] = []

    def attempt() -> None:
        try:
            write()
        except CaptionsError as exc:
            failed.append(exc)

    guarded(what, data, attempt)
    assert temp_leftovers(path.parent) == [], f"{what}: a temp file was left behind"
    if failed:
        assert path.read_bytes() == data, f"{what}: refused write ({failed[0]}) changed the file"
    return not failed


@pytest.mark.parametrize("name", list(READERS))
@FUZZ_SETTINGS
@given(pick=st.integers(0, 2**16), rng=st.integers(0, 2**32 - 1))
def test_reader_raises_only_captions_errors(name: str, pick: int, rng: int) -> None:
    fn = reader(name)
    _, _, kind, call = READERS[name]
    blob = mutant(seeds_for(kind), pick, rng)
    guarded(name, blob, lambda: call(fn, blob))


@pytest.mark.parametrize("name", list(READERS))
def test_reader_accepts_its_unmutated_seeds(name: str) -> None:
    """The synthetic seeds are valid files: every reader must take them without an error.

    (Guards the fuzz test against passing because every input is refused at the first byte.)
    """
    fn = reader(name)
    _, _, kind, call = READERS[name]
    group, fmt = kind.split(":")
    from . import _samples

    if group == "file":
        fmts = [fmt] if fmt != "all" else [
            f for f in _samples.SYNTHETIC_BUILDERS if optional_module(f"metadata.containers.{f}")]
        seeds = [build() for f in fmts for build in _samples.SYNTHETIC_BUILDERS[f]]
    else:
        seeds = list(seeds_for(kind)[:2])
    for seed in seeds:
        with time_guard(CALL_SECONDS, name):
            call(fn, seed)


# --------------------------------------------------------------------------- public API


def api(name: str) -> Callable[..., Any]:
    fn = public_api(name)
    if fn is None:
        mod = optional_module("api")
        fn = getattr(mod, name, None) if mod is not None else None
    if fn is None:
        pytest.skip(f"captions.{name} does not exist yet")
    return fn  # type: ignore[no-any-return]


NEW_CAPTION = Caption(
    text=DESCRIPTION,
    subject="A tram passes a snow-covered square in central Kyiv.",
    location=Location(city="Kyiv", country="Ukraine", country_code="UKR"),
    photographer="Olena Testova",
    credit_line="Olena Testova/Example Agency",
    source="Example Agency",
)


@FUZZ_SETTINGS
@given(pick=st.integers(0, 2**16), rng=st.integers(0, 2**32 - 1))
def test_read_metadata_on_mutated_files(pick: int, rng: int, tmp_path: Path) -> None:
    read_metadata = api("read_metadata")
    blob = mutant(all_file_seeds(), pick, rng)
    path = tmp_path / "fuzzed.img"
    path.write_bytes(blob)
    guarded("read_metadata", blob, lambda: read_metadata(path))


@settings(FUZZ_SETTINGS, max_examples=WRITE_EXAMPLES)
@given(pick=st.integers(0, 2**16), rng=st.integers(0, 2**32 - 1))
def test_write_caption_on_mutated_files(pick: int, rng: int, tmp_path: Path) -> None:
    """A write either succeeds and reads back, or fails with our error and leaves no trace."""
    write_caption = api("write_caption")
    read_metadata = api("read_metadata")
    blob = mutant(all_file_seeds(), pick, rng)
    folder = tmp_path / "w"
    folder.mkdir(exist_ok=True)
    for leftover in folder.iterdir():
        leftover.unlink()
    path = folder / "fuzzed.jpg"
    path.write_bytes(blob)
    if guarded_write("write_caption", path, blob, lambda: write_caption(path, NEW_CAPTION)):
        meta = guarded("read_metadata after write", path.read_bytes(),
                       lambda: read_metadata(path))
        assert meta is not None, "a file we just wrote cannot be read back"


# --------------------------------------------------------------------------- real files, as they are


def _real_names() -> list[str]:
    from ._samples import SHARED_FILES

    return sorted(p.name for p in SHARED_FILES.iterdir()) if SHARED_FILES.is_dir() else []


@pytest.mark.shared
@pytest.mark.parametrize("name", _real_names() or ["<no ../shared>"])
def test_real_file_read_and_write(name: str, tmp_path: Path) -> None:
    """Every shared file (fuzz crashers included): read and write raise only our errors;
    a refused write leaves the copy byte-identical and no temp file."""
    from ._samples import SHARED_FILES

    src = SHARED_FILES / name
    if not src.is_file():
        pytest.skip("../shared/images/files is absent")
    read_metadata = api("read_metadata")
    write_caption = api("write_caption")
    data = src.read_bytes()
    path = tmp_path / name
    path.write_bytes(data)
    guarded(f"read_metadata[{name}]", data, lambda: read_metadata(path))
    if guarded_write(f"write_caption[{name}]", path, data,
                     lambda: write_caption(path, NEW_CAPTION)):
        assert read_metadata(path).description == NEW_CAPTION.subject


# --------------------------------------------------------------------------- hostile values


@settings(FUZZ_SETTINGS, max_examples=WRITE_EXAMPLES)
@given(
    text=st.text(max_size=3000),
    short=st.text(max_size=80),
    names=st.lists(st.text(max_size=40), max_size=4),
    fmt=st.sampled_from(["jpeg", "tiff", "png", "webp"]),
)
def test_write_fields_with_arbitrary_values(text: str, short: str, names: list[str], fmt: str,
                                            tmp_path: Path) -> None:
    """Any Unicode (controls, NUL, lone surrogates, over-long values) is written or refused
    with our error; a written file reads back, a refused one is unchanged."""
    api_mod = optional_module("api")
    write_fields = getattr(api_mod, "write_fields", None)
    if write_fields is None:
        pytest.skip("captions.api.write_fields does not exist yet")
    read_metadata = api("read_metadata")
    from . import _samples

    folder = tmp_path / "v"
    folder.mkdir(exist_ok=True)
    path = folder / f"photo.{fmt}"
    data = _samples.SYNTHETIC_BUILDERS[fmt][0]()
    path.write_bytes(data)
    values = {"description": text, "headline": short, "city": short, "creators": names,
              "keywords": names}
    if guarded_write("write_fields", path, data, lambda: write_fields(path, values)):
        meta = guarded("read_metadata after write", path.read_bytes(), lambda: read_metadata(path))
        assert meta is not None, "a file we just wrote cannot be read back"
