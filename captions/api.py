"""The public read/write API: files in, :class:`ImageMetadata`/:class:`Caption` out, and back.

Errors (see ``docs/notes/engine.md``):

* the file's bytes: :class:`~captions.errors.CodecError` subclasses (:class:`Unsupported` for a
  file that is not JPEG/TIFF/PNG/WebP, :class:`Truncated`, :class:`Malformed`);
* opening the file to read it (missing, a folder, no permission): the plain :class:`OSError`
  that :func:`open` raises (``FileNotFoundError``, ``IsADirectoryError``,
  ``PermissionError``), with its ``filename`` set, as every Python file API does;
* producing the new file (temp file, disk full, read-only folder, rename): a
  :class:`~captions.errors.WriteError` naming the reason; its ``errno`` attribute carries the
  operating system's error number and ``__cause__`` the original :class:`OSError`.  The
  original file is then byte-identical to what it was.

Writing is atomic: the new file is written beside the original as
``.<name>.captions-tmp-<random>`` (header in one write, the unchanged image data copied by the
kernel where it can), given the original's permission bits, flushed and fsynced, read back
and checked, then moved over the original with :func:`os.replace`, and the folder is fsynced.
``durable=False`` leaves out the two fsyncs: still atomic against a killed process, but not
durable across a power loss (see :func:`write_fields`).  A leftover ``.*.captions-tmp-*`` file can only come from a killed process; it is
never the original and can be deleted.  ``backup=True`` first copies the original to
``<name>.bak`` beside it (replacing an older ``.bak``).
"""

from __future__ import annotations

import datetime as _dt
import errno as _errno
import os
import shutil
import stat
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import Any, BinaryIO

import attrs

from .errors import CaptionsError, CodecError, WriteError
from .metadata import engine
from .metadata.containers import Payloads, detect
from .metadata.fields import BY_NAME, LIST_FIELDS
from .model import Caption, ImageMetadata, Location, PartialDate

__all__ = [
    "read_fields",
    "read_metadata",
    "read_caption",
    "write_fields",
    "write_caption",
    "caption_values",
    "TEMP_MARK",
]

PathLike = str | os.PathLike[str]
FieldValue = str | list[str] | None

#: the infix of our temp files: ``.<name>.captions-tmp-<random>``
TEMP_MARK = ".captions-tmp-"

_SINGLE_FIELDS = tuple(f.name for f in BY_NAME.values() if f.name not in LIST_FIELDS)


# --------------------------------------------------------------------------------------------
# reading


def _read_payloads(fp: BinaryIO) -> tuple[ModuleType, Payloads]:
    container = detect(fp)
    return container, container.read(fp)


def read_fields(path: PathLike) -> tuple[str, dict[str, str | list[str]], list[str]]:
    """``(format, fields, warnings)`` of an image file, fields keyed by logical name.

    Values are strings, or lists of strings for ``creators`` and ``keywords``; absent fields
    are left out.  Raises :class:`~captions.errors.CodecError` subclasses for bad bytes and
    :class:`OSError` when the file cannot be opened.
    """
    with open(path, "rb") as fp:
        container, payloads = _read_payloads(fp)
    values, warnings = engine.read_fields(payloads)
    return container.FORMAT, values, _dedupe(warnings)


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def read_metadata(path: PathLike) -> ImageMetadata:
    """The IPTC Core fields of an image, after precedence (IIM/XMP/EXIF) and charset repair.

    Raises :class:`~captions.errors.CodecError` subclasses for bad bytes (:class:`Unsupported`
    for other formats) and :class:`OSError` when the file cannot be opened.
    """
    fmt, values, warnings = read_fields(path)
    kwargs: dict[str, Any] = {}
    for name, value in values.items():
        if name in LIST_FIELDS:
            kwargs[name] = tuple([value] if isinstance(value, str) else value)
        else:
            kwargs[name] = value if isinstance(value, str) else "; ".join(value)
    return ImageMetadata(format=fmt, warnings=tuple(warnings), **kwargs)


def _partial_date(iso: str | None) -> PartialDate | None:
    if not iso:
        return None
    try:
        return PartialDate.fromisoformat(iso[:10])
    except CaptionsError:
        return None


def read_caption(path: PathLike, *, parse: bool = True) -> Caption:
    """The caption of an image: its metadata fields, gaps filled by parsing the description.

    ``subject`` and ``text`` are the stored description as it is (so writing the caption
    back changes nothing); with ``parse=True`` the description is parsed
    (:func:`captions.parse_caption`, with the stored date as reference date) and what the
    metadata lacks (date, place, photographer, credit, source, agency) comes from there.
    """
    meta = read_metadata(path)
    location = Location(
        sublocation=meta.sublocation, city=meta.city, region=meta.region,
        country=meta.country, country_code=meta.country_code,
    )
    caption = Caption(
        text=meta.description or "",
        subject=meta.description,
        date=_partial_date(meta.date_created),
        location=location,
        photographer=" and ".join(meta.creators) or None,
        credit_line=meta.credit_line,
        source=meta.source,
        headline=meta.headline,
        copyright_notice=meta.copyright_notice,
        warnings=meta.warnings,
    )
    if parse and meta.description:
        caption = _fill_from_parse(caption)
    return caption


def _fill_from_parse(caption: Caption) -> Caption:
    try:
        from .parse import parse_caption
    except ImportError:  # pragma: no cover - the parser ships with the package
        return caption
    ref = None
    if caption.date is not None and caption.date.day is not None:
        ref = _dt.date(caption.date.year, caption.date.month or 1, caption.date.day)
    parsed = parse_caption(caption.text, reference_date=ref)
    loc = caption.location
    ploc = parsed.location
    location = Location(**{k: getattr(loc, k) or getattr(ploc, k)
                           for k in ("sublocation", "city", "region", "country", "country_code")})
    photographer = caption.photographer
    kind = None
    if photographer is None:
        photographer, kind = parsed.photographer, parsed.photographer_kind
    elif parsed.photographer and parsed.photographer.casefold() == photographer.casefold():
        kind = parsed.photographer_kind
    return attrs.evolve(
        caption,
        date=caption.date or parsed.date,
        location=location,
        agency=parsed.agency,
        photographer=photographer,
        photographer_kind=kind,
        credit_line=caption.credit_line or parsed.credit_line,
        source=caption.source or parsed.source,
        headline=caption.headline or parsed.headline,
        warnings=tuple(caption.warnings) + tuple(parsed.warnings),
    )


# --------------------------------------------------------------------------------------------
# writing


def caption_values(caption: Caption) -> dict[str, FieldValue]:
    """The field values ``write_caption`` writes for a caption (``None`` fields left out)."""
    loc = caption.location
    description = caption.subject if caption.subject is not None else (caption.text or None)
    candidates: dict[str, FieldValue] = {
        "description": description,
        "headline": caption.headline,
        "creators": list(caption.photographers) if caption.photographer is not None else None,
        "credit_line": caption.credit_line,
        "source": caption.source,
        "date_created": caption.date.isoformat() if caption.date is not None else None,
        "city": loc.city,
        "sublocation": loc.sublocation,
        "region": loc.region,
        "country": loc.country,
        "country_code": loc.country_code,
        "copyright_notice": caption.copyright_notice,
    }
    return {k: v for k, v in candidates.items() if v is not None}


def write_caption(path: PathLike, caption: Caption, *, backup: bool = False,
                  durable: bool = True) -> list[str]:
    """Write a caption's fields into IIM, XMP and EXIF of an image; returns warnings.

    Fields that are ``None`` in the caption are left as they are in the file.  The subject
    becomes the description (the caption's ``text`` when there is no subject); the
    photographers become the creators; the date is written at its precision.  Atomic and
    lossless (see the module docstring); a file that already holds these values is not
    rewritten.  ``durable`` as for :func:`write_fields`.  A date the file already holds with
    more precision (the same day, plus a time) is kept: a caption read with
    :func:`read_caption` and written back changes nothing.
    """
    values = caption_values(caption)
    if "date_created" in values or "creators" in values:
        _, current, _ = read_fields(path)
        day, held = values.get("date_created"), current.get("date_created")
        if isinstance(day, str) and isinstance(held, str) and held.startswith(day):
            del values["date_created"]
        # creators read back as one " and "-joined photographer ("Smith and Sons Photography"
        # included) are the same creators: do not split them
        held_creators = current.get("creators")
        if isinstance(held_creators, list) and " and ".join(held_creators) == caption.photographer:
            del values["creators"]
    return write_fields(path, values, backup=backup, durable=durable)


def write_fields(path: PathLike, values: Mapping[str, FieldValue], *,
                 backup: bool = False, durable: bool = True) -> list[str]:
    """Set fields by logical name in every place the format has; returns warnings.

    ``values`` follows the codec convention: a key absent leaves that field alone, ``None``,
    ``""`` or ``[]`` removes it, anything else sets it (lists for ``creators`` and
    ``keywords``; ``date_created`` in ISO 8601, partial allowed).  Nothing is written when
    the file already reads as asked.  Raises :class:`~captions.errors.CodecError` subclasses
    for files we cannot rewrite safely, :class:`~captions.errors.WriteError` when the new
    file cannot be produced or when another program or thread changed the file while it
    was being rewritten (it is then left as they wrote it: read it again and retry),
    :class:`OSError` when the file cannot be opened.

    The write is atomic either way (a reader, or a killed process, leaves the old file or the
    new one, whole).  ``durable=True`` (the default) also fsyncs the new file before the
    rename and the folder after it, so that once this returns the new version survives a
    power loss.  ``durable=False`` skips both fsyncs (as ExifTool and most editors do): 1.7x
    as fast in ``bench/bench_speed.py``, but after a power loss or kernel crash shortly after the call the file may
    be the old version, or, on file systems that do not order data before renames, empty.
    """
    values, cleaned = engine.clean(check_values(values))
    target = _realpath(path)
    if not isinstance(target, str):  # pragma: no cover - bytes paths: refused as Path refuses them
        target = str(Path(target))
    try:
        with open(target, "rb") as src:
            opened = os.fstat(src.fileno())
            container = detect(src)
            # a container that can hand its reading over to ``write`` (JPEG: the walk of the
            # segments) reads the original once
            read_for_write = getattr(container, "read_for_write", None)
            state: tuple[Any, ...] = ()
            if read_for_write is not None:
                payloads, walked = read_for_write(src)
                state = (walked,)
            else:
                payloads = container.read(src)
            update, warnings = engine.plan_update(payloads, values,
                                                  can_hold=container.CAN_HOLD,
                                                  fmt=container.FORMAT, cleaned=True)
            warnings = cleaned + warnings
            if (update.exif is None and update.xmp is None and update.irb is None
                    and update.iim is None and update.xmp_extended is None
                    and not update.warnings):  # == Payloads(), without building one
                return _dedupe(warnings)
            src.seek(0)
            _atomic_write(target, src, lambda dst: container.write(src, dst, update, *state),
                          lambda tmp: _verify(tmp, values), backup=backup, durable=durable,
                          opened=opened)
    finally:
        engine.forget()
    return _dedupe(warnings)


#: resolved folders: folder as given -> (its realpath, (st_dev, st_ino) of that folder)
_REAL_FOLDERS: dict[str, tuple[str, tuple[int, int]]] = {}
_REAL_FOLDERS_MAX = 64


def _realpath(path: PathLike) -> str:
    """``os.path.realpath(path)``, with the folder's resolution remembered.

    ``os.path.realpath`` lstat()s every component of the path in Python (~90,000
    instructions for a path five folders deep, 4 % of a write).  A batch writes many files
    of one folder, so the folder's realpath is kept, and used again only while both the folder
    as given and the remembered real folder are still the same directory (``stat``: same
    device and inode), and the file itself is not a symlink (``lstat``); anything else (a
    relative path, a file that is a symlink, a folder that moved or a link that now points
    elsewhere, any ``OSError``) goes through ``os.path.realpath``.
    """
    text = os.fspath(path)
    if not isinstance(text, str) or not text.startswith("/"):
        return os.path.realpath(text)
    folder, _, name = text.rpartition("/")
    if not name or name in (".", "..") or not folder:
        return os.path.realpath(text)
    hit = _REAL_FOLDERS.get(folder)
    try:
        if stat.S_ISLNK(os.lstat(text).st_mode):
            return os.path.realpath(text)
        st = os.stat(folder)
        if hit is not None:
            real, ident = hit
            if (st.st_dev, st.st_ino) == ident:
                again = st if real == folder else os.stat(real)  # (no link on the way: one)
                if (again.st_dev, again.st_ino) == ident:
                    return f"{real}/{name}" if real != "/" else f"/{name}"
        real = os.path.realpath(folder)
        if os.path.samestat(st, os.stat(real)):
            if len(_REAL_FOLDERS) >= _REAL_FOLDERS_MAX:
                _REAL_FOLDERS.clear()
            _REAL_FOLDERS[folder] = (real, (st.st_dev, st.st_ino))
    except OSError:
        pass
    return os.path.realpath(text)


def check_values(values: Mapping[str, Any]) -> dict[str, FieldValue]:
    """The caller's field values, checked: known names, strings (or lists of strings for
    ``creators``/``keywords``; a single string is taken as a one-item list), ``None`` to
    remove, ``date_created`` a real calendar date in ISO 8601 (partial allowed, optional
    time and zone).  Raises :class:`~captions.errors.ParseError` naming the field.

    The checks run in :func:`captions.metadata.engine.check_values` (a compiled module:
    this runs on every write)."""
    return engine.check_values(values)


def _verify(tmp: str, values: Mapping[str, FieldValue]) -> None:
    """Read the new file back: it must parse and every value we set must read back."""
    try:
        _, got, _ = read_fields(tmp)
    except CodecError as exc:
        raise CodecError(f"the rewritten file does not read back: {exc}") from exc
    wrong = engine.misread(values, got)
    if wrong:
        raise CodecError(f"the rewritten file does not read back {', '.join(wrong)} as written; "
                         "the original was left untouched")


def _reason(exc: OSError) -> str:
    reasons = {
        _errno.ENOSPC: "the disk is full",
        _errno.EDQUOT: "the disk quota is exceeded",
        _errno.EROFS: "the file system is read-only",
        _errno.EACCES: "permission denied",
        _errno.EPERM: "operation not permitted",
    }
    return reasons.get(exc.errno or 0, exc.strerror or str(exc))


#: flags of a new temp file: created here and now, never through a symlink, not inherited
_TMP_FLAGS = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
              | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))


def _create_temp(target: str) -> tuple[int, str]:
    """A new, empty ``.<name>.captions-tmp-<random>`` beside ``target`` (an absolute,
    resolved path), open for writing.

    What :func:`tempfile.mkstemp` does (exclusive creation, mode 0600, retry on a name
    clash) without its name generator and path handling, which cost more than the open.
    Paths are plain strings here: a :class:`~pathlib.Path` and its ``with_name`` cost more
    than the system calls they name.
    """
    folder, _, name = target.rpartition(os.sep)
    # the name is cut (in bytes, as the file system counts) so that a long file name, up to
    # NAME_MAX, still leaves room for the mark and the random part
    short = os.fsdecode(os.fsencode(name)[:150])
    prefix = f"{folder}{os.sep}.{short}{TEMP_MARK}"
    for _ in range(100):
        tmp = prefix + os.urandom(6).hex()
        try:
            return os.open(tmp, _TMP_FLAGS, 0o600), tmp
        except FileExistsError:
            continue
    raise FileExistsError(_errno.EEXIST, "no free temporary file name", folder or os.sep)


def _atomic_write(target: str, src: BinaryIO, produce: Any, verify: Any, *,
                  backup: bool, durable: bool = True,
                  opened: os.stat_result | None = None) -> None:
    """Write through a temp file beside ``target``, check it, then replace ``target``.

    ``durable``: fsync the temp file before the rename and the folder after it.  ``opened``:
    the original's ``fstat`` when it was opened for reading; if ``target`` is no longer that
    file, unchanged (another program or thread wrote or replaced it meanwhile), nothing is
    replaced: the caller gets a :class:`WriteError` and may read the file again and retry.
    """
    folder = os.path.dirname(target) or os.sep
    tmp: str | None = None
    try:
        st = os.stat(target)
        if not st.st_mode & 0o222 or not os.access(target, os.W_OK):  # read-only: refuse, as asked
            raise PermissionError(_errno.EACCES, "the file is read-only", str(target))
        fd, tmp = _create_temp(target)
        with os.fdopen(fd, "wb") as dst:
            produce(dst)
            dst.flush()
            if hasattr(os, "fchmod"):
                os.fchmod(dst.fileno(), stat.S_IMODE(st.st_mode))
            if durable:
                os.fsync(dst.fileno())
        if not hasattr(os, "fchmod"):  # pragma: no cover - Windows
            os.chmod(tmp, stat.S_IMODE(st.st_mode))
        if hasattr(os, "geteuid") and os.geteuid() == 0 and (st.st_uid, st.st_gid) != (0, 0):
            os.chown(tmp, st.st_uid, st.st_gid)
        verify(tmp)
        if backup:  # through a temp name too: a failed copy never replaces a good backup
            bak = target + ".bak"
            bak_fd, bak_tmp = _create_temp(bak)
            os.close(bak_fd)
            try:
                shutil.copy2(target, bak_tmp)
                os.replace(bak_tmp, bak)
            except BaseException:
                try:
                    os.unlink(bak_tmp)
                except FileNotFoundError:
                    pass
                raise
        if opened is not None and _changed(opened, os.stat(target)):
            raise WriteError(f"cannot write {target}: it was changed by someone else (another "
                             "program or thread) while it was being rewritten; it was left as "
                             "they wrote it")
        os.replace(tmp, target)
        tmp = None
        if durable:
            _fsync_dir(folder)
    except OSError as exc:
        err = WriteError(f"cannot write {target}: {_reason(exc)}")
        err.errno = exc.errno  # type: ignore[attr-defined]
        raise err from exc
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _changed(before: os.stat_result, now: os.stat_result) -> bool:
    """Whether ``now`` is another file, or the same file written since ``before``."""
    return ((before.st_dev, before.st_ino, before.st_size, before.st_mtime_ns)
            != (now.st_dev, now.st_ino, now.st_size, now.st_mtime_ns))


def _fsync_dir(folder: str) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems refuse fsync on folders
        pass
    finally:
        os.close(fd)
