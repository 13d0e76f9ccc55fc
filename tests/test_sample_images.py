"""The committed ``sample_images/`` match what ``scripts/make_sample_images.py`` describes."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from PIL import Image

from captions.batch import sniff_format

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = ROOT / "sample_images"


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_sample_images",
                                                  ROOT / "scripts" / "make_sample_images.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SCRIPT = load_script()
SAMPLES = {s.name: s for s in SCRIPT.SAMPLES}


def test_sample_set_covers_formats_and_agency_styles() -> None:
    present = sorted(p.name for p in SAMPLE_DIR.iterdir() if p.is_file())
    assert present == sorted(SAMPLES), "sample_images/ differs from the script's list"
    assert len(present) >= 10
    formats = {sniff_format((SAMPLE_DIR / name).read_bytes()[:16]) for name in present}
    assert formats == {"jpeg", "tiff", "png", "webp"}
    styles = {s.style for s in SCRIPT.SAMPLES}
    assert {"AFP", "Reuters", "AP", "Getty Images", "EPA-EFE", "Xinhua", "Anadolu"} <= styles
    assert any("Image Credit:" in s.caption for s in SCRIPT.SAMPLES)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_is_small_and_captioned_in_description_only(name: str) -> None:
    from captions.api import read_metadata

    path = SAMPLE_DIR / name
    assert path.stat().st_size < 30_000
    with Image.open(path) as image:
        assert image.size == SCRIPT.SIZE
    meta = read_metadata(path)
    assert meta.description == SAMPLES[name].caption
    filled = {k for k, v in meta.to_dict().items()
              if v not in (None, "", []) and k not in ("description", "format", "warnings")}
    assert filled == set(), "only the description is set, so the batch has work to do"


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_caption_parses_to_its_agency(name: str) -> None:
    from captions.parse import parse_caption

    caption = parse_caption(SAMPLES[name].caption)
    assert caption.agency == SAMPLES[name].style
    assert caption.date is not None and caption.photographer


def test_script_is_deterministic(tmp_path: Path) -> None:
    first = SCRIPT.build(tmp_path / "one")
    second = SCRIPT.build(tmp_path / "two")
    assert [error for _, error in first] == [None] * len(SAMPLES)
    for (a, _), (b, _) in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a.name


@pytest.mark.interop
def test_exiftool_sees_the_captions() -> None:
    import json
    import shutil
    import subprocess

    if shutil.which("exiftool") is None:
        pytest.skip("exiftool is not installed")
    done = subprocess.run(["exiftool", "-json", "-Description", str(SAMPLE_DIR)],
                          capture_output=True, text=True, check=True, timeout=60)
    seen = {Path(entry["SourceFile"]).name: entry.get("Description") for entry in
            json.loads(done.stdout)}
    assert seen == {name: sample.caption for name, sample in SAMPLES.items()}
