#!/usr/bin/env python3
"""Build ``sample_images/``: small pictures with wire-style captions for demos, tests and docs.

Each picture is drawn with Pillow (a gradient sky and a few shapes, no fonts, no photographs), then
its caption goes into the *description only*, with our own writer
(``captions.api.write_fields(path, {"description": text})``), so that ``captions batch`` has the
structured fields to fill.  The captions are written by the project in the styles of the
agencies named in ``SAMPLES``; people and events in them are invented.

The output is deterministic: same Pillow and same ``captions`` give the same bytes.  Run::

    .venv/bin/python scripts/make_sample_images.py            # writes sample_images/
    .venv/bin/python scripts/make_sample_images.py --out DIR  # somewhere else
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path
from typing import NamedTuple

from PIL import Image, ImageDraw

SIZE = (320, 213)
ROOT = Path(__file__).resolve().parents[1]


class Sample(NamedTuple):
    """One sample picture: file name, the agency style its caption follows, the caption."""

    name: str
    style: str
    caption: str


# Our own captions, written in each agency's house style (credit tail, dateline, date form).
SAMPLES: tuple[Sample, ...] = (
    Sample(
        "afp_marseille_port.jpg", "AFP",
        "Fishermen unload crates of sardines at the Old Port of Marseille, southern France, on "
        "March 14, 2024, as the spring fishing season opens. (Photo by Claire DUVAL / AFP)",
    ),
    Sample(
        "afp_stringer_zahle.webp", "AFP",
        "A man walks past buildings damaged by shelling in the town of Zahle, eastern Lebanon, "
        "on October 3, 2024. / AFP / STRINGER",
    ),
    Sample(
        "reuters_frankfurt_exchange.jpg", "Reuters",
        "Traders watch their screens on the floor of the stock exchange in Frankfurt, Germany, "
        "May 3, 2023. REUTERS/Anna Keller",
    ),
    Sample(
        "reuters_file_aberdeen.png", "Reuters",
        "FILE PHOTO: Turbines of an offshore wind farm are seen near Aberdeen, Scotland, "
        "Britain, August 17, 2022. REUTERS/Sarah Collins/File Photo",
    ),
    Sample(
        "ap_chicago_parade.tif", "AP",
        "Marchers carry a long banner along State Street during a neighborhood parade in "
        "Chicago, Saturday, June 29, 2024. (AP Photo/Daniel Brooks)",
    ),
    Sample(
        "ap_nairobi_polls.jpg", "AP",
        "Voters line up outside a polling station at a primary school in Nairobi, Kenya, "
        "Tuesday, Aug. 9, 2022. (AP Photo/Grace Mwangi)",
    ),
    Sample(
        "getty_london_match.png", "Getty Images",
        "LONDON, ENGLAND - SEPTEMBER 21: Players celebrate their second goal during the league "
        "match at the stadium on September 21, 2024 in London, England. "
        "(Photo by Tom Harris/Getty Images)",
    ),
    Sample(
        "epa_valencia_flood.webp", "EPA-EFE",
        "epa11634512 Residents wade through a flooded street after heavy rain in Valencia, "
        "Spain, 30 October 2024. EPA-EFE/LUIS ORTEGA",
    ),
    Sample(
        "epa_berlin_tram.tif", "EPA-EFE",
        "epa11022019 A tram passes the Brandenburg Gate during the first snowfall of the winter "
        "in Berlin, Germany, 02 December 2023. EPA-EFE/MARKUS WEBER",
    ),
    Sample(
        "xinhua_chongqing_bridge.jpg", "Xinhua",
        "A train crosses a bridge over the Yangtze River in Chongqing, southwest China, "
        "April 8, 2024. (Xinhua/Liu Wen)",
    ),
    Sample(
        "anadolu_istanbul_ferry.tif", "Anadolu",
        "ISTANBUL, TURKIYE - JANUARY 12: A ferry sails across the Bosphorus as snow falls in "
        "Istanbul, Turkiye on January 12, 2024. (Photo by Emre Yildiz/Anadolu via Getty Images)",
    ),
    Sample(
        "publisher_dubai_trees.png", "AFP",
        "Volunteers plant mangrove saplings along the coast near Dubai, United Arab Emirates, "
        "on November 2, 2023. / AFP / KARIM HASSAN Image Credit: AFP",
    ),
)

#: Pillow save arguments per file ending (small files; TIFF compressed losslessly)
SAVE_ARGS: dict[str, dict[str, object]] = {
    ".jpg": {"format": "JPEG", "quality": 80, "optimize": True},
    ".tif": {"format": "TIFF", "compression": "tiff_adobe_deflate"},
    ".png": {"format": "PNG", "optimize": True},
    ".webp": {"format": "WEBP", "quality": 75, "method": 6},
}


def draw_picture(seed: int) -> Image.Image:
    """A deterministic 320x213 picture: a vertical gradient and a few flat shapes."""
    rnd = random.Random(seed)
    top = tuple(rnd.randrange(40, 200) for _ in range(3))
    bottom = tuple(rnd.randrange(0, 120) for _ in range(3))
    width, height = SIZE
    image = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / (height - 1)
        colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom))
        draw.line([(0, y), (width, y)], fill=colour)
    for _ in range(rnd.randrange(3, 6)):
        x0, y0 = rnd.randrange(0, width - 40), rnd.randrange(height // 3, height - 30)
        x1, y1 = x0 + rnd.randrange(20, 120), y0 + rnd.randrange(15, 80)
        fill = tuple(rnd.randrange(0, 256) for _ in range(3))
        if rnd.random() < 0.5:
            draw.rectangle([x0, y0, x1, y1], fill=fill)
        else:
            draw.ellipse([x0, y0, x1, y1], fill=fill)
    return image


def build(out: Path) -> list[tuple[Path, str | None]]:
    """Write every sample into ``out``; return (path, error or None) per sample.

    A format our writer cannot handle yet is reported and its file removed, so the folder never
    holds a picture without its caption.
    """
    from captions.api import write_fields
    from captions.errors import CaptionsError

    out.mkdir(parents=True, exist_ok=True)
    results: list[tuple[Path, str | None]] = []
    for seed, sample in enumerate(SAMPLES):
        path = out / sample.name
        draw_picture(seed).save(path, **SAVE_ARGS[path.suffix])  # type: ignore[arg-type]
        try:
            write_fields(path, {"description": sample.caption})
        except (CaptionsError, OSError, NotImplementedError) as exc:
            path.unlink()
            results.append((path, f"{type(exc).__name__}: {exc}"))
            continue
        results.append((path, None))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "sample_images",
                        help="output folder (default: sample_images/ in the project)")
    args = parser.parse_args(argv)
    failed = 0
    for path, error in build(args.out):
        if error:
            failed += 1
            print(f"not written: {path.name}: {error}", file=sys.stderr)
        else:
            print(f"{path.stat().st_size:6d}  {path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
