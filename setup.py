"""Build the hot modules (parser, metadata codecs) as C extensions with mypyc, when possible.

Everything else about the package is in ``pyproject.toml``.  The modules listed in
:data:`COMPILED` are ordinary typed Python; mypyc (part of mypy) turns them into C extensions
that run the same code with a fifth to a quarter fewer instructions (docs/notes/build.md).  The pure-Python package
is the same program, and it is what you get when:

* ``CAPTIONS_PURE=1`` is set at install time (use it while editing those modules: an
  editable install keeps the compiled copy beside the source, and ``tests/test_build.py``
  fails when a source no longer matches its compiled copy);
* mypyc or a C compiler is missing, or the build fails: the install goes on without the
  extensions and says so.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from setuptools import setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent

#: the hot modules (typed, no monkeypatching; no attrs field with a factory): compiled when possible
COMPILED = [
    "captions/parse/credit.py",
    "captions/parse/dateline.py",
    "captions/parse/dates.py",
    "captions/parse/location.py",
    "captions/parse/names.py",
    "captions/parse/pipeline.py",
    "captions/parse/subject.py",
    "captions/parse/wordtrie.py",
    "captions/agencies/__init__.py",
    "captions/agencies/schema.py",
    "captions/places/__init__.py",
    # the metadata codecs and containers: the CPU side of reading and writing files
    "captions/metadata/_reader.py",
    "captions/metadata/engine.py",
    "captions/metadata/exif.py",
    "captions/metadata/fields.py",
    "captions/metadata/iim.py",
    "captions/metadata/irb.py",
    "captions/metadata/tiffio.py",
    "captions/metadata/xmp.py",
    "captions/metadata/containers/jpeg.py",
    "captions/metadata/containers/png.py",
    "captions/metadata/containers/tiff.py",
    "captions/metadata/containers/webp.py",
]
#: what the compiled copies were built from (read by tests/test_build.py)
RECORD = ROOT / "captions" / "_compiled_sources.json"


def _say(message: str) -> None:
    print(f"captions: {message}", flush=True)


def _remove_built(where: Path) -> None:
    """Delete compiled copies of :data:`COMPILED` under ``where`` (an old in-place build)."""
    for path in COMPILED:
        stem = (where / path).with_suffix("")
        for built in stem.parent.glob(stem.name + ".*.so"):
            built.unlink(missing_ok=True)
    for built in where.glob("*__mypyc.*.so"):
        built.unlink(missing_ok=True)
    if where == ROOT:
        RECORD.unlink(missing_ok=True)


class _OptionalBuildExt(build_ext):
    """Build the extensions; on any failure, remove what was built and go on pure Python."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # no compiler, missing headers, a compiler error...
            self._give_up(exc)

    def _give_up(self, exc: BaseException) -> None:
        _say(f"compiled modules not built ({type(exc).__name__}: {exc}); "
             "the pure-Python modules are used")
        # a half-built set must not stay: a module's stub without mypyc's shared library
        # would fail to import
        _remove_built(ROOT)
        _remove_built(Path(self.build_lib))
        self.extensions = []


#: the commands that build code (the metadata steps, e.g. ``egg_info``, need no compiling)
_BUILDS = {"build", "build_ext", "bdist_wheel", "editable_wheel", "develop", "install"}


def _extensions() -> list[Any]:
    if not _BUILDS.intersection(sys.argv[1:]):
        return []
    if os.environ.get("CAPTIONS_PURE", "").strip().lower() in {"1", "true", "yes", "on"}:
        _say("CAPTIONS_PURE is set: pure-Python modules only")
        _remove_built(ROOT)   # an editable install must not keep an older compiled copy
        return []
    try:
        from mypyc.build import mypycify
    except ImportError as exc:
        _say(f"mypyc not available ({exc}): pure-Python modules only")
        _remove_built(ROOT)
        return []
    try:
        extensions = list(mypycify(COMPILED, opt_level="3"))
    except BaseException as exc:  # mypyc stops with SystemExit on a type error
        _say(f"mypyc could not compile the modules ({exc!r}): pure-Python modules only")
        _remove_built(ROOT)
        return []
    RECORD.write_text(json.dumps(
        {path: hashlib.sha256((ROOT / path).read_bytes()).hexdigest() for path in COMPILED},
        indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return extensions


setup(ext_modules=_extensions(), cmdclass={"build_ext": _OptionalBuildExt})
