"""Files written by iptcinfo3: it stores UTF-8 text but no 1:90 marker, and keeps a ``file~``.

We must read its text right (by guessing UTF-8, with a warning) and, on update, declare the
charset so ExifTool stops reading mojibake.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from captions.metadata import iim, irb

from .test_irb import PHOTOSHOP, app13_payloads

iptcinfo3 = pytest.importorskip("iptcinfo3")

CAPTION = "Des manifestants brandissent des drapeaux place Tahrir au Caire, le 25 janvier 2024."
ARABIC = "متظاهرون في ساحة التحرير"
BYLINE = "Zoë Ångström"


@pytest.fixture
def written_by_iptcinfo3(tmp_path: Path) -> Path:
    from PIL import Image

    path = tmp_path / "wire.jpg"
    Image.new("RGB", (16, 16), (200, 80, 40)).save(path, quality=85)
    logging.getLogger("iptcinfo").setLevel(logging.ERROR)  # it logs a warning for a file without IPTC
    info = iptcinfo3.IPTCInfo(str(path), force=True)
    info["caption/abstract"] = CAPTION
    info["headline"] = ARABIC
    info["by-line"] = [BYLINE]
    info["city"] = "Besançon"
    info["keywords"] = ["manifestation", "مصر"]
    info.save()
    return path


def _iim_block(path: Path) -> bytes:
    [payload] = [p for p in app13_payloads(path) if p.startswith(PHOTOSHOP)]
    block = irb.get(irb.decode(payload[len(PHOTOSHOP):]), irb.IPTC_NAA)
    assert block is not None
    return block.data


def test_iptcinfo3_leaves_utf8_unmarked_and_a_backup(written_by_iptcinfo3: Path) -> None:
    datasets = iim.decode(_iim_block(written_by_iptcinfo3))
    assert not any(d.record == 1 and d.number == 90 for d in datasets)  # no charset declared
    assert (2, 120, CAPTION.encode()) in [(d.record, d.number, d.value) for d in datasets]
    assert written_by_iptcinfo3.with_name("wire.jpg~").exists()  # its stray backup


def test_we_read_iptcinfo3_text_and_warn_about_the_guess(written_by_iptcinfo3: Path) -> None:
    values, warnings = iim.read_fields(iim.decode(_iim_block(written_by_iptcinfo3)))
    assert values == {
        "description": CAPTION,
        "headline": ARABIC,
        "creators": [BYLINE],
        "city": "Besançon",
        "keywords": ["manifestation", "مصر"],
    }
    assert len(warnings) == 1
    assert warnings[0].startswith("IIM charset guessed (no 1:90 coded character set): UTF-8 for ")
    for dataset in ("2:105", "2:80", "2:90", "2:25"):
        assert dataset in warnings[0]


def test_update_declares_utf8_without_touching_its_text(written_by_iptcinfo3: Path) -> None:
    before = iim.decode(_iim_block(written_by_iptcinfo3))
    after, warnings = iim.update(before, {"country": "Égypte"})
    assert warnings == []  # valid UTF-8 already: nothing re-encoded
    assert [d for d in after if (d.record, d.number) in {(2, 120), (2, 105), (2, 80)}] == [
        d for d in before if (d.record, d.number) in {(2, 120), (2, 105), (2, 80)}]
    values, warnings = iim.read_fields(after)
    assert warnings == []
    assert values["headline"] == ARABIC and values["country"] == "Égypte"
