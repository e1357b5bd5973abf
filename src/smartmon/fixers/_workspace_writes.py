"""Writing validated edits: every new file body to a temp file before any is renamed into place;
and git, asked only whether the root is a work tree and to record an executable bit (hooks off)."""

from __future__ import annotations

import contextlib
import logging
import os
import stat
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from smartmon.fixers._workspace_paths import DiskFile, disk_path
from smartmon.model import Edit

log = logging.getLogger(__name__)

# Hooks and fsmonitor are the two ways git runs configured commands during update-index.
_GIT = ("git", "-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false")
_EXEC_BITS = stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH
# Inherited GIT_DIR/GIT_INDEX_FILE (e.g. when run from a hook) would point git at another repository.
_GIT_ENV_DROP = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY")


def write_planned(
    root: Path,
    plan: Sequence[tuple[str, DiskFile, Edit]],
    *,
    set_index_mode: Callable[[str, bool], None],
) -> list[str]:
    """Write each (path, disk state, edit) of a validated plan; return the paths written.

    `set_index_mode` is called after each file whose edit sets the executable bit.
    """
    prepared: list[tuple[str, str | None, int, Edit]] = []
    try:
        for norm, disk, edit in plan:
            mode = _new_mode(disk, edit)
            tmp: str | None = None
            if edit.content is not None and edit.content != disk.content:
                tmp = _write_temp(disk_path(root, norm), edit.content, mode)
            prepared.append((norm, tmp, mode, edit))
    except BaseException:
        for _, tmp, _, _ in prepared:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
        raise
    changed: list[str] = []
    for norm, tmp, mode, edit in prepared:
        path = disk_path(root, norm)
        if tmp is not None:
            os.replace(tmp, path)
            _fsync_dir(path.parent)
        else:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
            try:
                os.fchmod(fd, mode)
            finally:
                os.close(fd)
        if edit.executable is not None:
            set_index_mode(norm, edit.executable)
        changed.append(norm)
    return changed


def _new_mode(disk: DiskFile, edit: Edit) -> int:
    mode = disk.mode if disk.content is not None else 0o666 & ~_umask()
    if edit.executable is True:
        mode |= stat.S_IXUSR
        if mode & stat.S_IRGRP:
            mode |= stat.S_IXGRP
        if mode & stat.S_IROTH:
            mode |= stat.S_IXOTH
    elif edit.executable is False:
        mode &= ~_EXEC_BITS
    return mode


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _write_temp(path: Path, content: bytes, mode: int) -> str:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".smartmon")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fchmod(fh.fileno(), mode)
            os.fsync(fh.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# -- git ------------------------------------------------------------------------------------------


def is_work_tree(root: Path) -> bool:
    """Whether `root` is inside a git work tree (git missing counts as no)."""
    try:
        proc = subprocess.run(
            [*_GIT, "rev-parse", "--is-inside-work-tree"],
            cwd=root,
            env=_git_env(),
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return False
    return proc.returncode == 0 and proc.stdout.strip() == "true"


def git_chmod(root: Path, norm: str, executable: bool) -> None:
    """Record the executable bit in git's index (a warning if git refuses)."""
    flag = "--chmod=+x" if executable else "--chmod=-x"
    proc = subprocess.run(
        [*_GIT, "update-index", flag, "--", norm],
        cwd=root,
        env=_git_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        # An untracked file has no index entry; its file mode is all git will see.
        log.warning("%s: git update-index %s failed: %s", norm, flag, proc.stderr.strip())


def _git_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in _GIT_ENV_DROP}
