"""Crash safety: SIGKILL a process that is rewriting a photo, many times, at random moments.

A child process (forked, so it starts writing at once) rewrites a ~1.3 MB camera-like JPEG in a
loop, alternating two captions; the parent kills it with SIGKILL after a random delay spread
over a few write durations.  After every kill the file must be one whole version: it reads
with ``captions.read_metadata``, its description is the original or one of the two captions,
Pillow decodes its pixels, and the compressed image data is byte-identical to the original's
(only metadata segments may differ).  Leftover temp files of killed writes
(``.<name>.captions-tmp-*``) are counted; the next normal write must work beside them, leave no
new ones, and the batch walker must not take them for images.
"""

from __future__ import annotations

import io
import os
import random
import signal
import time
from pathlib import Path

import pytest
from PIL import Image

from captions.model import Caption, Location

from ._samples import optional_module, public_api, temp_leftovers

KILLS = int(os.environ.get("HARDENING_KILLS", "60"))
#: random but reproducible kill moments
RNG_SEED = 20240303

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork (POSIX)")


def camera_like_jpeg(size: tuple[int, int] = (1600, 1200)) -> bytes:
    """A ~1.3 MB JPEG: gradient and noise channels (noise keeps it from compressing away)."""
    w, h = size
    grad = Image.linear_gradient("L").resize((w, h))
    noise = Image.effect_noise((w, h), 48)
    im = Image.merge("RGB", (grad, noise, Image.blend(grad, noise, 0.5)))
    buf = io.BytesIO()
    exif = Image.Exif()
    exif[271] = "ExampleCam"
    exif[272] = "EC-1"
    im.save(buf, "JPEG", quality=92, exif=exif.tobytes())
    return buf.getvalue()


def scan_data(jpeg: bytes) -> bytes:
    """The bytes from the first SOS marker to the end (the compressed pixels)."""
    pos = jpeg.find(b"\xff\xda")
    assert pos > 0
    return jpeg[pos:]


CAPTIONS = (
    Caption(subject="Version A: commuters wait for a tram in central Kyiv.",
            location=Location(city="Kyiv", country="Ukraine", country_code="UKR"),
            photographer="Olena Testova", credit_line="Olena Testova/Example Agency"),
    Caption(subject="Version B: a street sweeper clears snow at dawn in Lviv.",
            location=Location(city="Lviv", country="Ukraine", country_code="UKR"),
            photographer="Jörg Beispiel", credit_line="Jörg Beispiel/Example Agency"),
)


def _writer_child(path: Path, ready_fd: int) -> None:
    """Child body: say ready, then rewrite forever (until killed)."""
    write_caption = public_api("write_caption")
    os.write(ready_fd, b"1")
    os.close(ready_fd)
    k = 0
    while True:
        write_caption(path, CAPTIONS[k % 2])
        k += 1


def _spawn_writer(path: Path) -> int:
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        code = 0
        try:
            os.close(r)
            _writer_child(path, w)
        except BaseException:  # noqa: BLE001 - the child must never return into pytest
            code = 1
        finally:
            os._exit(code)
    os.close(w)
    assert os.read(r, 1) == b"1", "the writer child died before starting"
    os.close(r)
    return pid


def test_sigkill_during_writes_leaves_a_whole_file(tmp_path: Path) -> None:
    write_caption = public_api("write_caption")
    read_metadata = public_api("read_metadata")
    if write_caption is None or read_metadata is None:
        pytest.skip("captions.write_caption/read_metadata do not exist yet")
    batch = optional_module("batch")

    original = camera_like_jpeg()
    pixels = scan_data(original)
    folder = tmp_path / "desk"
    folder.mkdir()
    path = folder / "photo.jpg"
    path.write_bytes(original)
    allowed = {read_metadata(path).description} | {c.subject for c in CAPTIONS}

    # one in-process write sets the time scale of the kill moments
    probe = folder / "probe.jpg"
    probe.write_bytes(original)
    t0 = time.perf_counter()
    write_caption(probe, CAPTIONS[0])
    write_caption(probe, CAPTIONS[1])
    one_write = (time.perf_counter() - t0) / 2
    probe.unlink()

    rng = random.Random(RNG_SEED)
    seen: dict[str | None, int] = {}
    mid_write = 0
    for i in range(KILLS):
        pid = _spawn_writer(path)
        time.sleep(rng.uniform(0.0, 3.0 * one_write))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status), f"kill {i}: the writer exited on its own ({status})"
        if temp_leftovers(folder):
            mid_write += 1
        data = path.read_bytes()
        assert data.endswith(pixels), f"kill {i}: the compressed image data changed"
        description = read_metadata(path).description
        assert description in allowed, f"kill {i}: unexpected description {description!r}"
        seen[description] = seen.get(description, 0) + 1
        with Image.open(io.BytesIO(data)) as im:
            im.load()
            assert im.size == (1600, 1200)

    # the kills must have landed inside writes at least once, or the test proved nothing
    assert mid_write > 0, "no kill interrupted a write; the delays are too short or too long"
    print(f"\n{KILLS} kills, {mid_write} left a temp file; versions seen: {seen}")

    # a normal write beside the leftovers works and leaves no temp file of its own
    leftovers = temp_leftovers(folder)
    write_caption(path, Caption(subject="After the crashes: a final caption."))
    assert read_metadata(path).description == "After the crashes: a final caption."
    assert set(temp_leftovers(folder)) <= set(leftovers), "a normal write left a temp file"
    assert path.read_bytes().endswith(pixels)

    # the batch walker does not take leftovers for images
    if batch is not None and hasattr(batch, "iter_files"):
        walked = [p.name for p in batch.iter_files([folder])]
        assert walked == ["photo.jpg"], walked


def test_normal_writes_leave_no_temp_files(tmp_path: Path) -> None:
    write_caption = public_api("write_caption")
    if write_caption is None:
        pytest.skip("captions.write_caption does not exist yet")
    from ._samples import jpeg_bytes, png_bytes, tiff_bytes, webp_bytes

    for name, data in (("a.jpg", jpeg_bytes()), ("b.tif", tiff_bytes()),
                       ("c.png", png_bytes()), ("d.webp", webp_bytes())):
        p = tmp_path / name
        p.write_bytes(data)
        for cap in CAPTIONS:
            write_caption(p, cap)
    assert temp_leftovers(tmp_path) == []
    assert sorted(os.listdir(tmp_path)) == ["a.jpg", "b.tif", "c.png", "d.webp"]
