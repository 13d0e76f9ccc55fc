"""Small synthetic images and payloads for the hardening tests, plus the real files when present.

Everything here is built in memory with Pillow and a few hand-written byte helpers, so the
tests run without ``../shared``; the real files (which include known fuzz crashers) are added
as seeds when that folder exists.
"""

from __future__ import annotations

import importlib
import io
import os
import signal
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

from PIL import Image, PngImagePlugin, TiffImagePlugin

#: ``../shared`` beside the repository root
SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
SHARED_FILES = SHARED / "images" / "files"

#: real files bigger than this are left out of the in-suite fuzz (bench/fuzz.py takes them all)
MAX_SEED_BYTES = 400_000

DESCRIPTION = (
    "KYIV, UKRAINE - MARCH 3: A tram passes a snow-covered square in central Kyiv on "
    "March 3, 2024. (Photo by Olena Testova/Example Agency)"
)


# --------------------------------------------------------------------------- optional modules

def optional_module(name: str) -> ModuleType | None:
    """Import ``captions.<name>`` if it exists yet (other parts of the project land over time)."""
    try:
        return importlib.import_module(f"captions.{name}")
    except ImportError:
        return None


def public_api(name: str) -> Any:
    """``captions.<name>`` if the public package exports it yet."""
    import captions

    return getattr(captions, name, None)


# --------------------------------------------------------------------------- payload builders

def iim_dataset(record: int, number: int, value: bytes) -> bytes:
    """One IIM dataset with a standard (short) length."""
    return bytes((0x1C, record, number)) + struct.pack(">H", len(value)) + value


def iim_block(description: str = DESCRIPTION) -> bytes:
    """An IIM stream: 1:90 UTF-8, record version, caption, by-line x2, city, credit."""
    return b"".join(
        (
            iim_dataset(1, 90, b"\x1b%G"),
            iim_dataset(2, 0, b"\x00\x04"),
            iim_dataset(2, 120, description.encode()),
            iim_dataset(2, 80, "Olena Testova".encode()),
            iim_dataset(2, 80, "Jörg Beispiel".encode()),
            iim_dataset(2, 90, "Kyiv".encode()),
            iim_dataset(2, 110, b"Example Agency"),
            iim_dataset(2, 55, b"20240303"),
        )
    )


def irb_resource(rid: int, data: bytes, name: bytes = b"") -> bytes:
    """One Photoshop image resource block (``8BIM``, id, Pascal name, size, data, padding)."""
    pname = bytes((len(name),)) + name
    if len(pname) % 2:
        pname += b"\x00"
    body = data + (b"\x00" if len(data) % 2 else b"")
    return b"8BIM" + struct.pack(">H", rid) + pname + struct.pack(">I", len(data)) + body


def irb_block(iim: bytes | None = None) -> bytes:
    """An IRB stream holding IIM (0x0404) and an unrelated resource (0x03ED, resolution)."""
    return irb_resource(0x03ED, b"\x00H\x00\x00\x00\x01\x00\x01\x00H\x00\x00\x00\x01\x00\x01") + \
        irb_resource(0x0404, iim if iim is not None else iim_block())


def xmp_packet(description: str = DESCRIPTION, extra: str = "") -> bytes:
    """A small but typical XMP packet with dc:description, dc:creator and photoshop fields."""
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
    xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/"
    photoshop:City="Kyiv" photoshop:Credit="Example Agency" Iptc4xmpCore:CountryCode="UKR">
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{description}</rdf:li></rdf:Alt></dc:description>
   <dc:creator><rdf:Seq><rdf:li>Olena Testova</rdf:li><rdf:li>Jörg Beispiel</rdf:li></rdf:Seq></dc:creator>
   <dc:subject><rdf:Bag><rdf:li>tram</rdf:li><rdf:li>snow</rdf:li></rdf:Bag></dc:subject>
   <photoshop:DateCreated>2024-03-03T10:30:00+02:00</photoshop:DateCreated>{extra}
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>""".encode()


def exif_tiff(description: str = "KYIV tram", with_exif_ifd: bool = True) -> bytes:
    """An EXIF payload as a TIFF structure (no ``Exif\\0\\0``): IFD0 text tags and an Exif IFD."""
    ex = Image.Exif()
    ex[270] = description
    ex[315] = "Olena Testova"
    ex[33432] = "(c) Example Agency"
    ex[271] = "ExampleCam"
    if with_exif_ifd:
        ex.get_ifd(0x8769)[36867] = "2024:03:03 10:30:00"
    data = ex.tobytes()
    return data[6:] if data.startswith(b"Exif\x00\x00") else data


def _image(size: tuple[int, int]) -> Image.Image:
    w, h = size
    im = Image.linear_gradient("L").resize((w, h)).convert("RGB")
    return im


# --------------------------------------------------------------------------- image builders

def insert_app13(jpeg: bytes, irb: bytes) -> bytes:
    """Insert an APP13 ``Photoshop 3.0`` segment after the first APPn run of a JPEG."""
    seg_body = b"Photoshop 3.0\x00" + irb
    seg = b"\xff\xed" + struct.pack(">H", len(seg_body) + 2) + seg_body
    pos = 2
    while jpeg[pos] == 0xFF and 0xE0 <= jpeg[pos + 1] <= 0xEF:
        pos += 2 + struct.unpack(">H", jpeg[pos + 2:pos + 4])[0]
    return jpeg[:pos] + seg + jpeg[pos:]


def jpeg_bytes(size: tuple[int, int] = (48, 32), *, xmp: bytes | None = None,
               exif: bool = True, iim: bool = True, quality: int = 85) -> bytes:
    """A JPEG with EXIF (APP1), XMP (APP1) and IIM inside a Photoshop IRB (APP13)."""
    buf = io.BytesIO()
    kwargs: dict[str, object] = {"quality": quality}
    if exif:
        kwargs["exif"] = b"Exif\x00\x00" + exif_tiff()
    kwargs["xmp"] = xmp_packet() if xmp is None else xmp
    _image(size).save(buf, "JPEG", **kwargs)
    data = buf.getvalue()
    return insert_app13(data, irb_block()) if iim else data


def bare_jpeg(size: tuple[int, int] = (48, 32)) -> bytes:
    """A JPEG with no metadata at all (only JFIF)."""
    buf = io.BytesIO()
    _image(size).save(buf, "JPEG", quality=85)
    return buf.getvalue()


def tiff_bytes(size: tuple[int, int] = (24, 16)) -> bytes:
    """A TIFF with ImageDescription, Artist, Copyright, XMP (700), IIM (33723) and IRB (34377)."""
    ifd = TiffImagePlugin.ImageFileDirectory_v2()
    ifd[270] = DESCRIPTION
    ifd[315] = "Olena Testova"
    ifd[33432] = "(c) Example Agency"
    ifd[700] = xmp_packet()
    ifd[33723] = iim_block()
    ifd[34377] = irb_block()
    buf = io.BytesIO()
    _image(size).save(buf, "TIFF", tiffinfo=ifd)
    return buf.getvalue()


def png_bytes(size: tuple[int, int] = (24, 16)) -> bytes:
    """A PNG with an iTXt XMP packet, an eXIf chunk and a tEXt comment."""
    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", xmp_packet().decode())
    info.add_text("Comment", "hardening sample")
    buf = io.BytesIO()
    _image(size).save(buf, "PNG", pnginfo=info, exif=b"Exif\x00\x00" + exif_tiff())
    return buf.getvalue()


def webp_bytes(size: tuple[int, int] = (24, 16)) -> bytes:
    """An extended (VP8X) WebP with EXIF and XMP chunks."""
    buf = io.BytesIO()
    _image(size).save(buf, "WEBP", exif=b"Exif\x00\x00" + exif_tiff(), xmp=xmp_packet(),
                      quality=80)
    return buf.getvalue()


SYNTHETIC_BUILDERS = {
    "jpeg": (jpeg_bytes, bare_jpeg),
    "tiff": (tiff_bytes,),
    "png": (png_bytes,),
    "webp": (webp_bytes,),
}


# --------------------------------------------------------------------------- seeds

def sniff(head: bytes) -> str | None:
    """The format of a file from its first bytes (independent of the project's own detector)."""
    if head.startswith(b"\xff\xd8"):
        return "jpeg"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


@lru_cache(maxsize=None)
def real_files(max_bytes: int = MAX_SEED_BYTES) -> tuple[tuple[str, str, bytes], ...]:
    """(format or None, name, bytes) for every shared real file up to ``max_bytes``."""
    if not SHARED_FILES.is_dir():
        return ()
    out = []
    for p in sorted(SHARED_FILES.iterdir()):
        if p.is_file() and p.stat().st_size <= max_bytes:
            data = p.read_bytes()
            out.append((sniff(data[:16]) or "other", p.name, data))
    return tuple(out)


@lru_cache(maxsize=None)
def file_seeds(fmt: str, include_real: bool = True) -> tuple[bytes, ...]:
    """Seeds for one container format: synthetic ones always, real ones when present.

    Real files of other formats are added too (a reader must refuse them cleanly), and so is
    the one real fuzz crasher with no recognised format.
    """
    seeds = [build() for build in SYNTHETIC_BUILDERS[fmt]]
    if include_real:
        seeds += [data for kind, _, data in real_files() if kind in (fmt, "other")]
    return tuple(seeds)


@lru_cache(maxsize=None)
def all_file_seeds() -> tuple[bytes, ...]:
    """Synthetic files of every format plus every small real file."""
    seeds = [build() for builders in SYNTHETIC_BUILDERS.values() for build in builders]
    seeds += [data for _, _, data in real_files()]
    return tuple(seeds)


@lru_cache(maxsize=None)
def payload_seeds(kind: str) -> tuple[bytes, ...]:
    """Seeds for a payload codec (``exif``/``xmp``/``irb``/``iim``): synthetic + extracted.

    Extraction uses our own container modules when they exist; payloads of real files thus join
    the seeds as soon as the containers land.
    """
    synthetic = {
        "exif": (exif_tiff(), exif_tiff(with_exif_ifd=False)),
        "xmp": (xmp_packet(), xmp_packet("x"), b"<x:xmpmeta xmlns:x='adobe:ns:meta/'/>"),
        "irb": (irb_block(), irb_resource(0x0404, b"")),
        "iim": (iim_block(), iim_dataset(2, 120, b"\xe9t\xe9")),
    }[kind]
    seeds = list(synthetic)
    seeds += [p for p in extracted_payloads(kind) if len(p) <= 200_000]
    return tuple(dict.fromkeys(seeds))


@lru_cache(maxsize=None)
def extracted_payloads(kind: str) -> tuple[bytes, ...]:
    """Payloads of one kind found by our containers in the real files (empty until they exist)."""
    containers = optional_module("metadata.containers")
    if containers is None:
        return ()
    out: list[bytes] = []
    for fmt, _, data in real_files():
        if fmt == "other":
            continue
        try:
            mod = containers.container_for(fmt)
            payloads = mod.read(io.BytesIO(data))
        except Exception:  # noqa: BLE001 - seeds are best effort; the fuzz tests judge errors
            continue
        value = getattr(payloads, kind, None)
        if value:
            out.append(bytes(value))
        if kind == "iim" and payloads.irb:
            out.extend(_iim_from_irb(bytes(payloads.irb)))
    return tuple(out)


def _iim_from_irb(irb: bytes) -> list[bytes]:
    """IIM blocks (resource 0x0404) inside an IRB stream, found by a tolerant local walk."""
    out = []
    pos = 0
    while pos + 12 <= len(irb) and irb[pos:pos + 4] == b"8BIM":
        rid = struct.unpack(">H", irb[pos + 4:pos + 6])[0]
        nlen = irb[pos + 6]
        npad = 1 + nlen + ((1 + nlen) % 2)
        p = pos + 6 + npad
        if p + 4 > len(irb):
            break
        size = struct.unpack(">I", irb[p:p + 4])[0]
        data = irb[p + 4:p + 4 + size]
        if rid == 0x0404:
            out.append(data)
        pos = p + 4 + size + (size % 2)
    return out


# --------------------------------------------------------------------------- guards

class Hang(Exception):
    """A call outlived its time guard."""


@contextmanager
def time_guard(seconds: float, what: str) -> Iterator[None]:
    """Fail with :class:`Hang` if the block runs longer than ``seconds`` (main thread only).

    Uses ``SIGALRM``; a flag also catches code under test that swallows the exception.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    fired = []

    def on_alarm(signum: int, frame: object) -> None:
        fired.append(True)
        raise Hang(f"{what} still running after {seconds} s (a hang or an unbounded loop)")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    if fired:
        raise Hang(f"{what} ran longer than {seconds} s and swallowed the time guard")


def temp_leftovers(folder: Path) -> list[str]:
    """Names of writer temp files (``.<name>.captions-tmp-*``) in a folder."""
    return sorted(n for n in os.listdir(folder) if ".captions-tmp-" in n)
