"""Write files so a reader, or a crash at any instant, sees the old content or the new, never half.

The bytes go to a temp file in the target's directory, are flushed and fsynced, renamed over the
target with os.replace (atomic on POSIX within one file system), and the directory is fsynced so
the rename itself survives a power loss.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import secrets
import stat
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

TEMP_SUFFIX = ".atomic-tmp"
_NAME_MAX = 255
_TOKEN_HEX = 12


def write_bytes(path: str | os.PathLike[str], data: bytes, *, mode: int | None = None) -> Path:
    """Replace `path` with `data` atomically; returns the path.

    `mode` None keeps the permission bits of an existing regular file, or gives a new file the
    usual 0o666 minus umask. The parent directory must exist.
    """
    target = Path(path)
    keep = mode if mode is not None else _existing_mode(target)
    fd, tmp = _create_temp(target)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if keep is not None:
                os.fchmod(fh.fileno(), keep)
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_directory(target.parent)
    return target


def write_text(
    path: str | os.PathLike[str], text: str, *, encoding: str = "utf-8", mode: int | None = None
) -> Path:
    """Replace `path` with `text` atomically."""
    return write_bytes(path, text.encode(encoding), mode=mode)


def write_json(
    path: str | os.PathLike[str], value: Any, *, indent: int | None = 2, mode: int | None = None
) -> Path:
    """Serialize `value` first (a failure leaves the disk untouched), then replace `path`."""
    text = json.dumps(value, indent=indent, ensure_ascii=False, allow_nan=False) + "\n"
    return write_text(path, text, mode=mode)


def fsync_directory(directory: str | os.PathLike[str]) -> None:
    """Make a rename or unlink in `directory` durable; a no-op where directories cannot be synced."""
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as exc:
        log.debug("cannot open %s to fsync it: %s", directory, exc)
        return
    try:
        os.fsync(fd)
    except OSError as exc:
        # Some file systems (and all of Windows) refuse fsync on a directory.
        if exc.errno not in (errno.EINVAL, errno.EBADF, errno.EACCES, errno.ENOTSUP):
            raise
    finally:
        os.close(fd)


def remove_stale_temps(directory: str | os.PathLike[str], name_prefix: str = "") -> list[Path]:
    """Delete temp files left by writers killed mid-write (names starting with `name_prefix`).

    Only call this on a directory no other process is writing to: it cannot tell a dead writer's
    temp file from a live one's.
    """
    removed: list[Path] = []
    folder = Path(directory)
    if not folder.is_dir():
        return removed
    for entry in folder.glob(f".{name_prefix}*{TEMP_SUFFIX}"):
        if entry.is_file() and not entry.is_symlink():
            with contextlib.suppress(FileNotFoundError):
                entry.unlink()
                removed.append(entry)
    return removed


def _existing_mode(target: Path) -> int | None:
    try:
        info = target.lstat()
    except FileNotFoundError:
        return None
    return stat.S_IMODE(info.st_mode) if stat.S_ISREG(info.st_mode) else None


def _create_temp(target: Path) -> tuple[int, str]:
    # Created with 0o666 so the umask applies as for any new file (mkstemp would force 0o600);
    # O_EXCL refuses an existing file or symlink at the temp name.
    room = _NAME_MAX - len(TEMP_SUFFIX) - _TOKEN_HEX - 3
    stem = target.name[:room]
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        tmp = target.parent / f".{stem}.{secrets.token_hex(_TOKEN_HEX // 2)}{TEMP_SUFFIX}"
        try:
            return os.open(tmp, flags, 0o666), str(tmp)
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temp file name", str(target.parent))
