"""Agreement with real agency captions whose agencies also filled the IPTC fields.

The captions and their gold fields live in ``../shared/corpus`` beside the project (they are
not ours to copy into the repository); the test skips when that folder is absent.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from captions import parse_caption

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
REAL = SHARED / "real_wire_images.jsonl"
FIELDS = ("agency", "photographer", "photographer_kind", "date", "city", "country_code")

pytestmark = pytest.mark.shared


def _cases() -> list[object]:
    if not REAL.is_file():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"{REAL} not present"))]
    rows = [json.loads(line) for line in REAL.read_text(encoding="utf-8").splitlines() if line]
    return [pytest.param(r, id=Path(r.get("source", str(i))).name) for i, r in enumerate(rows)]


@pytest.mark.parametrize("row", _cases())
def test_real_caption_agrees_with_gold(row: dict[str, str]) -> None:
    got = parse_caption(row["text"]).to_dict()
    flat = {**got, **{k: got["location"][k] for k in ("city", "country_code")}}
    for field in FIELDS:
        if field in row:
            assert flat[field] == row[field], field


def test_afp_story_file_caption() -> None:
    files = sorted(SHARED.glob("000_*.txt")) if SHARED.is_dir() else []
    if not files:
        pytest.skip(f"{SHARED} has no 000_*.txt")
    cap = parse_caption(files[0].read_text(encoding="utf-8")).to_dict()
    assert (cap["agency"], cap["photographer"], cap["photographer_kind"]) == ("AFP", "Stringer",
                                                                            "stringer")
    assert cap["credit_line"] == "AFP/Stringer" and cap["source"] == "AFP"
    assert cap["date"] == "2016-02-04"
    assert (cap["location"]["city"], cap["location"]["country"],
            cap["location"]["country_code"]) == ("Zahraa", "Syria", "SYR")
    assert cap["subject"].startswith("Syrians pro-government forces celebrate")
