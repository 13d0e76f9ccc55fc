"""Refused writes: read-only file or folder, full disk, corrupt input.

In every case the write must fail with our error saying why (:class:`WriteError` for the
file system, a :class:`CodecError` subclass for the bytes), the file must stay byte-identical,
and no ``.captions-tmp-`` file may be left behind.

Permissions do not stop root, and these tests often run as root (CI does): the permission
cases then run in a forked child that drops to the ``nobody`` user first, so the kernel's real
checks apply.  The full disk is produced twice: by the kernel (``RLIMIT_FSIZE`` in a child, so
writes past a size fail with ``EFBIG``), and by a simulated ``ENOSPC`` from the write and from
``fsync``.
"""

from __future__ import annotations

import errno
import io
import os
import pickle
import resource
import shutil
import signal
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from captions.errors import CaptionsError, CodecError, Unsupported, WriteError
from captions.model import Caption

from ._samples import (
    bare_jpeg,
    insert_app13,
    irb_resource,
    jpeg_bytes,
    png_bytes,
    public_api,
    temp_leftovers,
    tiff_bytes,
    webp_bytes,
)

NEW = Caption(subject="A new caption that must not land.", photographer="Olena Testova")
NOBODY = 65534


def api() -> tuple[Any, Any]:
    read_metadata, write_caption = public_api("read_metadata"), public_api("write_caption")
    if read_metadata is None or write_caption is None:
        pytest.skip("captions.read_metadata/write_caption do not exist yet")
    return read_metadata, write_caption


def run_in_child(fn: Callable[[], Any], *, uid: int | None = None,
                 setup: Callable[[], None] | None = None) -> tuple[str, Any]:
    """Run ``fn`` in a forked child (optionally as ``uid``); ``("ok", result)`` or
    ``("raised", (class name, message, errno))``."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        os.close(r)
        try:
            if uid is not None:
                os.setgid(uid)
                os.setuid(uid)
            if setup is not None:
                setup()
            try:
                out: tuple[str, Any] = ("ok", repr(fn()))
            except BaseException as exc:  # noqa: BLE001 - reported to the parent
                out = ("raised", (type(exc).__name__, str(exc), getattr(exc, "errno", None),
                                  isinstance(exc, CaptionsError)))
            os.write(w, pickle.dumps(out))
        finally:
            os._exit(0)
    os.close(w)
    with os.fdopen(r, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    assert data, "the child died without reporting"
    return pickle.loads(data)  # type: ignore[no-any-return]


@pytest.fixture
def world_dir() -> Iterator[Path]:
    """A folder outside pytest's private tmp tree (which ``nobody`` cannot enter)."""
    folder = Path(tempfile.mkdtemp(prefix="captions-refused-"))
    os.chmod(folder, 0o755)
    try:
        yield folder
    finally:
        os.chmod(folder, 0o755)
        shutil.rmtree(folder, ignore_errors=True)


def _warm_imports(read_metadata: Any, tmp: Path) -> None:
    """Import every container module before forking (a child as ``nobody`` may not)."""
    for name, data in (("w.jpg", jpeg_bytes()), ("w.tif", tiff_bytes()),
                       ("w.png", png_bytes()), ("w.webp", webp_bytes())):
        (tmp / name).write_bytes(data)
        read_metadata(tmp / name)
        (tmp / name).unlink()


def _as_nobody_or_real(tmp: Path) -> int | None:
    return NOBODY if os.geteuid() == 0 else None


# --------------------------------------------------------------------------- permissions


def _desk_photo(world_dir: Path) -> tuple[Path, Path, bytes, int | None]:
    """A photo in a folder, both owned by the user the write will run as."""
    desk = world_dir / "desk"
    desk.mkdir()
    path = desk / "photo.jpg"
    data = jpeg_bytes()
    path.write_bytes(data)
    uid = _as_nobody_or_real(world_dir)
    if uid is not None:
        os.chown(path, uid, uid)
        os.chown(desk, uid, uid)
    return desk, path, data, uid


def test_read_only_folder_refuses(world_dir: Path) -> None:
    read_metadata, write_caption = api()
    _warm_imports(read_metadata, world_dir)
    desk, path, data, uid = _desk_photo(world_dir)
    os.chmod(desk, 0o555)
    kind, result = run_in_child(lambda: write_caption(path, NEW), uid=uid)
    os.chmod(desk, 0o755)
    assert kind == "raised", f"the write went through a read-only folder: {result}"
    name, message, err, ours = result
    assert name == "WriteError" and ours, result
    assert err == errno.EACCES and "permission" in message.lower(), result
    assert path.read_bytes() == data
    assert temp_leftovers(desk) == []


def test_read_only_file_refuses(world_dir: Path) -> None:
    """chmod 0444: the folder is writable, so a rename would succeed; the tool must refuse."""
    read_metadata, write_caption = api()
    _warm_imports(read_metadata, world_dir)
    desk, path, data, uid = _desk_photo(world_dir)
    os.chmod(path, 0o444)
    kind, result = run_in_child(lambda: write_caption(path, NEW), uid=uid)
    assert kind == "raised", "a read-only file was rewritten (replaced through the folder)"
    name, message, _, ours = result
    assert name == "WriteError" and ours, result
    assert "read-only" in message.lower() or "permission" in message.lower(), message
    assert path.read_bytes() == data
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    assert temp_leftovers(desk) == []


# --------------------------------------------------------------------------- full disk


def test_file_size_limit_from_the_kernel(world_dir: Path) -> None:
    """RLIMIT_FSIZE makes the kernel refuse writes past a size (EFBIG): a real failing write."""
    read_metadata, write_caption = api()
    _warm_imports(read_metadata, world_dir)
    path = world_dir / "photo.jpg"
    data = jpeg_bytes(size=(640, 480))
    path.write_bytes(data)

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (len(data) // 2, len(data) // 2))

    kind, result = run_in_child(lambda: write_caption(path, NEW), setup=limit)
    assert kind == "raised", "the write succeeded past the file size limit"
    name, message, err, ours = result
    assert name == "WriteError" and ours, result
    assert err == errno.EFBIG, result
    assert path.read_bytes() == data
    assert temp_leftovers(world_dir) == []


class _FillingFile:
    """A file object that runs out of space after ``budget`` bytes."""

    def __init__(self, f: io.BufferedWriter, budget: int) -> None:
        self._f = f
        self._left = budget

    def write(self, data: bytes) -> int:
        if len(data) > self._left:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self._left -= len(data)
        return self._f.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._f, name)

    def __enter__(self) -> _FillingFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._f.close()


@pytest.mark.parametrize("where", ["write", "fsync"])
@pytest.mark.parametrize("fmt", ["jpg", "tif", "png", "webp"])
def test_disk_full_simulated(fmt: str, where: str, tmp_path: Path,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    _, write_caption = api()
    data = {"jpg": jpeg_bytes, "tif": tiff_bytes, "png": png_bytes, "webp": webp_bytes}[fmt]()
    path = tmp_path / f"photo.{fmt}"
    path.write_bytes(data)
    real_fdopen, real_fsync = os.fdopen, os.fsync
    hits = []

    if where == "write":
        def fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
            f = real_fdopen(fd, *args, **kwargs)
            if "w" in (args[0] if args else kwargs.get("mode", "r")):
                hits.append(fd)
                return _FillingFile(f, len(data) // 3)
            return f
        monkeypatch.setattr(os, "fdopen", fdopen)
    else:
        def fsync(fd: int) -> None:
            if stat.S_ISREG(os.fstat(fd).st_mode):
                hits.append(fd)
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            real_fsync(fd)
        monkeypatch.setattr(os, "fsync", fsync)

    with pytest.raises(WriteError, match=r"(?i)disk is full|no space") as info:
        write_caption(path, NEW)
    monkeypatch.undo()
    assert hits, "the simulated failure was never reached (the write path changed?)"
    assert getattr(info.value, "errno", None) == errno.ENOSPC
    assert path.read_bytes() == data
    assert temp_leftovers(tmp_path) == []


# --------------------------------------------------------------------------- corrupt input


def _truncated_jpeg() -> bytes:
    data = jpeg_bytes()
    return data[: data.index(b"\xff\xed") + 40]  # inside the APP13 segment


def _damaged_iim_jpeg() -> bytes:
    # an IIM dataset whose declared length runs past the block: refused, not rewritten
    iim = b"\x1c\x01\x5a\x00\x03\x1b%G\x1c\x02\x78\x00\x40short"
    return insert_app13(bare_jpeg(), irb_resource(0x0404, iim))


CORRUPT: dict[str, tuple[Callable[[], bytes], type[CaptionsError]]] = {
    "empty": (lambda: b"", CodecError),
    "text-named-jpg": (lambda: b"this is not a picture\n" * 20, Unsupported),
    "jpeg-truncated-in-app13": (_truncated_jpeg, CodecError),
    "jpeg-only-soi": (lambda: b"\xff\xd8", CodecError),
    "jpeg-damaged-iim": (_damaged_iim_jpeg, CodecError),
    "png-bad-signature-tail": (lambda: b"\x89PNG\r\n\x1a\x0a" + b"\x00" * 7, CodecError),
    "tiff-ifd-past-end": (lambda: b"MM\x00*\xff\xff\xff\x00", CodecError),
}


@pytest.mark.parametrize("case", list(CORRUPT))
def test_corrupt_input_refused_untouched(case: str, tmp_path: Path) -> None:
    _, write_caption = api()
    build, expected = CORRUPT[case]
    data = build()
    path = tmp_path / "photo.jpg"
    path.write_bytes(data)
    with pytest.raises(expected) as info:
        write_caption(path, NEW)
    assert str(info.value).strip(), "the error must say why"
    assert path.read_bytes() == data
    assert temp_leftovers(tmp_path) == []


def test_missing_file_is_an_oserror_and_creates_nothing(tmp_path: Path) -> None:
    _, write_caption = api()
    with pytest.raises(FileNotFoundError):
        write_caption(tmp_path / "nowhere.jpg", NEW)
    assert os.listdir(tmp_path) == []
