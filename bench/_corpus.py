"""Build a folder of realistic test JPEGs for the benchmarks.

"Realistic" here means what a photo desk handles: 0.5-3 MB JPEGs with camera EXIF (make,
model, exposure, dates, a maker-note-sized opaque blob, a thumbnail-sized IFD1 is left out),
half of them as they come off a camera (EXIF only) and half as they come off an agency wire
(EXIF plus an IIM block in a Photoshop APP13 and an XMP packet).  Pixels are a gradient mixed
with noise so that the JPEG does not compress away; sizes are set by the image dimensions.

A few distinct base images are encoded with Pillow (the slow part), then copied to ``n``
files ``img_00000.jpg`` ... (copies are cheap and the benchmarks only care about bytes).
"""

from __future__ import annotations

import io
import shutil
import struct
from pathlib import Path

from PIL import Image

#: (width, height, quality): about 0.5, 1.0, 1.5, 2.2 and 3.0 MB
SHAPES: tuple[tuple[int, int, int], ...] = (
    (1000, 750, 90),
    (1400, 1050, 90),
    (1600, 1200, 93),
    (2000, 1500, 92),
    (2400, 1600, 93),
)

WIRE_CAPTION = (
    "Commuters wait on a platform at the central station in Lyon, France, on March 3, 2024, "
    "as a regional rail strike enters its second day. (Photo by Claire EXEMPLE / Example Agency)"
)


def _pixels(w: int, h: int, seed: int) -> Image.Image:
    grad = Image.linear_gradient("L").resize((w, h)).rotate(seed * 37 % 360, expand=False)
    noise = Image.effect_noise((w, h), 40 + seed % 7)
    return Image.merge("RGB", (grad, noise, Image.blend(grad, noise, 0.4)))


def _exif(seed: int) -> bytes:
    ex = Image.Exif()
    ex[271] = "ExampleCam"
    ex[272] = f"EC-{seed % 5 + 1} Mark II"
    ex[305] = "ExampleCam firmware 1.2.3"
    ex[306] = "2024:03:03 10:30:00"
    sub = ex.get_ifd(0x8769)
    sub[36867] = "2024:03:03 10:29:58"
    sub[36868] = "2024:03:03 10:29:58"
    sub[33434] = (1, 500)
    sub[33437] = (28, 10)
    sub[34855] = 400
    sub[37386] = (50, 1)
    sub[37500] = bytes(range(256)) * 80  # a maker note: 20 KB of opaque bytes
    return ex.tobytes()


def _iim(caption: str) -> bytes:
    def ds(rec: int, num: int, value: bytes) -> bytes:
        return bytes((0x1C, rec, num)) + struct.pack(">H", len(value)) + value

    return b"".join((
        ds(1, 90, b"\x1b%G"), ds(2, 0, b"\x00\x04"), ds(2, 120, caption.encode()),
        ds(2, 80, b"Claire Exemple"), ds(2, 110, b"Example Agency"), ds(2, 115, b"Example Agency"),
        ds(2, 90, b"Lyon"), ds(2, 101, b"France"), ds(2, 55, b"20240303"),
    ))


def _app13(iim: bytes) -> bytes:
    res = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(iim)) + iim + (b"\x00" if len(iim) % 2 else b"")
    body = b"Photoshop 3.0\x00" + res
    return b"\xff\xed" + struct.pack(">H", len(body) + 2) + body


def _xmp(caption: str) -> bytes:
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:City="Lyon" '
        'photoshop:Country="France" photoshop:Credit="Example Agency">'
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{caption}</rdf:li></rdf:Alt>'
        '</dc:description><dc:creator><rdf:Seq><rdf:li>Claire Exemple</rdf:li></rdf:Seq>'
        '</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>'
        + " " * 2048 + '<?xpacket end="w"?>'
    ).encode()


def base_image(index: int) -> bytes:
    """Base image ``index``: shape ``index % len(SHAPES)``; odd indexes are wire pictures."""
    w, h, q = SHAPES[index % len(SHAPES)]
    wire = index % 2 == 1
    buf = io.BytesIO()
    kwargs: dict[str, object] = {"quality": q, "exif": _exif(index)}
    if wire:
        kwargs["xmp"] = _xmp(WIRE_CAPTION)
    _pixels(w, h, index).save(buf, "JPEG", **kwargs)
    data = buf.getvalue()
    if wire:  # APP13 after the APPn run Pillow wrote
        pos = 2
        while data[pos] == 0xFF and 0xE0 <= data[pos + 1] <= 0xEF:
            pos += 2 + struct.unpack(">H", data[pos + 2:pos + 4])[0]
        data = data[:pos] + _app13(_iim(WIRE_CAPTION)) + data[pos:]
    return data


def build_corpus(folder: Path, n: int, *, distinct: int = 10) -> list[Path]:
    """``n`` JPEGs in ``folder`` (created), cycling through ``distinct`` base images."""
    folder.mkdir(parents=True, exist_ok=True)
    bases = []
    for i in range(min(distinct, n)):
        p = folder / f"img_{i:05d}.jpg"
        p.write_bytes(base_image(i))
        bases.append(p)
    paths = list(bases)
    for i in range(len(bases), n):
        p = folder / f"img_{i:05d}.jpg"
        shutil.copyfile(bases[i % len(bases)], p)
        paths.append(p)
    return paths


if __name__ == "__main__":  # pragma: no cover - a manual check of the sizes
    for i in range(len(SHAPES) * 2):
        print(i, f"{len(base_image(i)):,} bytes")
