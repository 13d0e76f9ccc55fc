"""The optional compiled build (setup.py, mypyc) runs the same code as the sources.

An editable install keeps the compiled copies beside the sources, and Python imports a
compiled copy before its source: after an edit the old copy would still run.  These tests
catch that, and check that the compiled parser answers exactly as the pure-Python one.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import subprocess
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RECORD = ROOT / "captions" / "_compiled_sources.json"
CORPORA = sorted((ROOT / "tests" / "corpus").glob("*.jsonl"))


def _module_name(path: str) -> str:
    name = path[:-3].replace("/", ".")
    return name[:-len(".__init__")] if name.endswith(".__init__") else name


def _compiled() -> dict[str, str]:
    """Compiled module name -> the source path it was built from (none for a pure install)."""
    if not RECORD.exists():
        return {}
    out = {}
    for path in json.loads(RECORD.read_text(encoding="utf-8")):
        module = importlib.import_module(_module_name(path))
        if any(str(module.__file__).endswith(s) for s in EXTENSION_SUFFIXES):
            out[module.__name__] = path
    return out


def test_compiled_modules_match_their_sources() -> None:
    compiled = _compiled()
    if not compiled:
        pytest.skip("pure-Python install (CAPTIONS_PURE=1, or no mypyc/compiler): nothing compiled")
    record = json.loads(RECORD.read_text(encoding="utf-8"))
    stale = [path for path in compiled.values()
             if hashlib.sha256((ROOT / path).read_bytes()).hexdigest() != record[path]]
    assert not stale, (
        f"{', '.join(stale)} changed since the compiled copy was built, which still runs: "
        "rebuild with `.venv/bin/python -m pip install -e '.[test]'`, or install with "
        "CAPTIONS_PURE=1 while editing these modules")


# run in a child process: every module of the record imported from its .py source
_PURE_CHILD = r"""
import importlib, importlib.machinery, importlib.util, json, sys
names = set(json.loads(sys.argv[1]))

class SourceFirst:
    @staticmethod
    def find_spec(name, path=None, target=None):
        if name not in names:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.origin is None or spec.origin.endswith(".py"):
            return spec
        folder = spec.origin.rsplit("/", 1)[0]
        stem = name.rsplit(".", 1)[-1]
        source = folder + ("/__init__.py" if spec.submodule_search_locations else f"/{stem}.py")
        return importlib.util.spec_from_file_location(
            name, source, submodule_search_locations=spec.submodule_search_locations)

sys.meta_path.insert(0, SourceFirst)
for name in sorted(names):
    importlib.import_module(name)
import tests.test_build as here
result = getattr(here, sys.argv[2])()
loaded = [sys.modules[n].__file__ for n in sorted(names)]
if not all(f.endswith(".py") for f in loaded):
    sys.exit(f"not all from sources: {loaded}")
print(json.dumps(result))
"""


def parse_all() -> list[dict[str, object]]:
    """Every corpus caption parsed, with and without its reference date."""
    import datetime as dt

    from captions import parse_caption

    out = []
    for corpus in CORPORA:
        for line in corpus.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            row = json.loads(line)
            ref = row.get("reference_date")
            dates = dict.fromkeys([None, dt.date.fromisoformat(ref) if ref else None,
                                   dt.date(2025, 3, 14)])
            for date in dates:
                out.append(parse_caption(row["text"], reference_date=date).to_dict())
                out.append(parse_caption(row["text"].upper(), reference_date=date).to_dict())
    return out


IMAGE_DIRS = [ROOT / "sample_images", ROOT.parent / "shared" / "images" / "files"]
#: written into copies of every image by :func:`write_all` (a list field, a date, non-ASCII)
WRITE_VALUES = {
    "description": "Fishermen mend nets in Nouakchott, Mauritania, on March 4, 2024. "
                   "(Photo by Aminata KANE / Agence Exemple)",
    "creators": ["Aminata Kane", "José Núñez"],
    "city": "Nouakchott", "country": "Mauritania", "country_code": "MRT",
    "date_created": "2024-03-04", "keywords": ["fishing", "port"], "headline": None,
}


def _images() -> list[Path]:
    return sorted(p for d in IMAGE_DIRS if d.is_dir() for p in d.iterdir() if p.is_file())


def read_all() -> list[object]:
    """What ``read_fields`` gives for every sample and shared image (or the error it raises)."""
    from captions import CaptionsError
    from captions.api import read_fields

    out: list[object] = []
    for path in _images():
        try:
            out.append([path.name, *read_fields(path)])
        except CaptionsError as exc:
            out.append([path.name, type(exc).__name__, str(exc)])
    return out


def write_all() -> list[object]:
    """The sha256 of every sample and shared image after ``write_fields`` (or the error)."""
    import shutil
    import tempfile

    from captions import CaptionsError
    from captions.api import write_fields

    out: list[object] = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in _images():
            copy = Path(tmp) / path.name
            shutil.copyfile(path, copy)
            try:
                warnings = write_fields(copy, WRITE_VALUES, durable=False)
                out.append([path.name, hashlib.sha256(copy.read_bytes()).hexdigest(),
                            [str(w) for w in warnings or ()]])
            except CaptionsError as exc:
                out.append([path.name, type(exc).__name__, str(exc)])
    return out


def _compare(what: str, minimum: int) -> None:
    compiled = _compiled()
    if not compiled:
        pytest.skip("pure-Python install (CAPTIONS_PURE=1, or no mypyc/compiler): nothing compiled")
    child = subprocess.run(
        [sys.executable, "-c", _PURE_CHILD, json.dumps(sorted(compiled)), what],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert child.returncode == 0, child.stderr[-2000:]
    pure = json.loads(child.stdout)
    here = json.loads(json.dumps(globals()[what]()))
    assert len(here) == len(pure) >= minimum
    differ = [i for i, (a, b) in enumerate(zip(here, pure)) if a != b]
    assert not differ, f"{len(differ)} results differ, first: {here[differ[0]]} vs {pure[differ[0]]}"


def test_compiled_parser_answers_as_the_sources_do() -> None:
    _compare("parse_all", 1000)


def test_compiled_reader_reads_as_the_sources_do() -> None:
    _compare("read_all", 5)


def test_compiled_writer_writes_as_the_sources_do() -> None:
    _compare("write_all", 5)
