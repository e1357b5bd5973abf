"""Read and write the checked-out repository safely: no escapes, no symlinks, atomic writes.

Fixers read through a `Workspace` and return `Edit`s; `stage` overlays planned edits so later reads
see them, `diff` shows them git-style, and `apply` validates every edit before writing any file.
Nothing here runs repository code; git is called only for `update-index --chmod`, with hooks off.
"""

from __future__ import annotations

import contextlib
import difflib
import logging
import os
import re
import stat
import subprocess
import tempfile
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from smartmon.errors import InputError
from smartmon.model import Edit

log = logging.getLogger(__name__)

# Hooks and fsmonitor are the two ways git runs configured commands during update-index.
_GIT = ("git", "-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false")
_EXEC_BITS = stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH
# Inherited GIT_DIR/GIT_INDEX_FILE (e.g. when run from a hook) would point git at another repository.
_GIT_ENV_DROP = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY")


class WorkspaceError(InputError):
    """A path the workspace refuses, a file it cannot read, or an edit it cannot apply."""


@dataclass(frozen=True)
class _Disk:
    """What a file looked like on disk: content (None if absent) and permission bits."""

    content: bytes | None
    mode: int

    @property
    def executable(self) -> bool:
        return bool(self.mode & stat.S_IXUSR)


class Workspace:
    """The repository at `root`, seen through an overlay of staged edits."""

    def __init__(self, root: Path) -> None:
        path = Path(root)
        if not path.is_dir():
            raise WorkspaceError(f"{root}: not a directory; pass the repository's checkout")
        self.root: Path = path.resolve()
        self._staged: dict[str, Edit] = {}
        self._snapshots: dict[str, _Disk] = {}
        self._git: bool | None = None

    # -- paths -----------------------------------------------------------------------------

    def _norm(self, rel: str) -> str:
        """The normalized POSIX path of `rel` inside root, or WorkspaceError."""
        if not isinstance(rel, str) or not rel or "\0" in rel or "\\" in rel:
            raise WorkspaceError(f"{rel!r}: not a relative POSIX path inside the workspace")
        pure = PurePosixPath(rel)
        if pure.is_absolute() or re.match(r"^[A-Za-z]:", rel):
            raise WorkspaceError(f"{rel}: absolute path refused; paths are relative to {self.root}")
        parts: list[str] = []
        for part in pure.parts:
            if part == "..":
                if not parts:
                    raise WorkspaceError(f"{rel}: path escapes the workspace ({self.root})")
                parts.pop()
            elif part != ".":
                parts.append(part)
        if not parts:
            raise WorkspaceError(f"{rel}: names the workspace root, not a file")
        # Every existing component must be a real directory or file, never a symlink.
        current = self.root
        for part in parts:
            current = current / part
            try:
                st = os.lstat(current)
            except FileNotFoundError:
                break
            except OSError as exc:
                raise WorkspaceError(f"{rel}: cannot inspect: {exc.strerror}") from exc
            if stat.S_ISLNK(st.st_mode):
                raise WorkspaceError(f"{rel}: symlink refused ({current.relative_to(self.root)})")
        return "/".join(parts)

    def _path(self, norm: str) -> Path:
        return self.root.joinpath(*norm.split("/"))

    def _disk(self, norm: str) -> _Disk:
        """Current on-disk state of a validated path (content None when absent)."""
        path = self._path(norm)
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except FileNotFoundError:
            return _Disk(None, 0)
        except OSError as exc:
            raise WorkspaceError(f"{norm}: cannot read: {exc.strerror}") from exc
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode):
                raise WorkspaceError(f"{norm}: not a regular file")
            return _Disk(fh.read(), stat.S_IMODE(st.st_mode))

    # -- reading ---------------------------------------------------------------------------

    def read_bytes(self, rel: str) -> bytes:
        """The file's bytes as staged edits left them, else as on disk."""
        norm = self._norm(rel)
        edit = self._staged.get(norm)
        if edit is not None and edit.content is not None:
            return edit.content
        content = self._disk(norm).content
        if content is None:
            raise WorkspaceError(f"{norm}: no such file in {self.root}")
        return content

    def read_text(self, rel: str) -> str:
        """The file decoded as UTF-8, line endings kept as they are."""
        data = self.read_bytes(rel)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise WorkspaceError(f"{rel}: not UTF-8 text (byte {exc.start})") from exc

    def exists(self, rel: str) -> bool:
        norm = self._norm(rel)
        edit = self._staged.get(norm)
        if edit is not None and edit.content is not None:
            return True
        path = self._path(norm)
        try:
            return stat.S_ISREG(os.lstat(path).st_mode)
        except OSError:
            return False

    def is_executable(self, rel: str) -> bool:
        """Whether the user-execute bit is (or is staged to be) set."""
        norm = self._norm(rel)
        edit = self._staged.get(norm)
        if edit is not None and edit.executable is not None:
            return edit.executable
        try:
            st = os.lstat(self._path(norm))
        except OSError:
            return False
        return stat.S_ISREG(st.st_mode) and bool(st.st_mode & stat.S_IXUSR)

    def glob(self, pattern: str, *, prune: Collection[str] = ()) -> list[str]:
        """Sorted relative POSIX paths of regular files matching `pattern` (`*`, `?`, `[]`, `**`).

        Symlinks are skipped and never followed; `.git` and directories named in `prune` are
        not entered. Files created by staged edits are included.
        """
        regex = _glob_regex(pattern)
        literal: list[str] = []
        for part in PurePosixPath(pattern).parts:
            if any(ch in part for ch in "*?["):
                break
            literal.append(part)
        else:
            literal = literal[:-1]  # a pattern without wildcards names one file
        start = self.root.joinpath(*literal) if literal else self.root
        if literal:
            try:
                self._norm("/".join(literal))
            except WorkspaceError:
                return []
        found: set[str] = set()
        if start.is_dir() and not start.is_symlink():
            skip = {".git", *prune}
            for dirpath, dirnames, filenames in os.walk(start, followlinks=False):
                dirnames[:] = sorted(
                    d
                    for d in dirnames
                    if d not in skip and not os.path.islink(os.path.join(dirpath, d))
                )
                reldir = Path(dirpath).relative_to(self.root).as_posix()
                for name in filenames:
                    if name == ".git":  # a worktree's or submodule's gitfile
                        continue
                    full = os.path.join(dirpath, name)
                    rel = name if reldir == "." else f"{reldir}/{name}"
                    if regex.fullmatch(rel) and stat.S_ISREG(os.lstat(full).st_mode):
                        found.add(rel)
        for norm, edit in self._staged.items():
            if edit.content is not None and regex.fullmatch(norm):
                found.add(norm)
        return sorted(found)

    def is_git(self) -> bool:
        """Whether root is inside a git work tree (git missing counts as no)."""
        if self._git is None:
            try:
                proc = subprocess.run(
                    [*_GIT, "rev-parse", "--is-inside-work-tree"],
                    cwd=self.root,
                    env=_git_env(),
                    capture_output=True,
                    text=True,
                    check=False,
                )
                self._git = proc.returncode == 0 and proc.stdout.strip() == "true"
            except OSError:
                self._git = False
        return self._git

    # -- staging ---------------------------------------------------------------------------

    def stage(self, edits: Iterable[Edit]) -> None:
        """Overlay `edits` so later reads see them; refuses an edit planned on other content."""
        for edit in edits:
            norm = _writable(self._norm(edit.path), edit.path)
            if norm not in self._snapshots:
                self._snapshots[norm] = self._disk(norm)
            disk = self._snapshots[norm]
            prev = self._staged.get(norm)
            seen = prev.content if prev is not None and prev.content is not None else disk.content
            if edit.original is not None and edit.original != seen:
                raise WorkspaceError(f"{norm}: changed since planned; plan the fix again")
            if edit.content is None and seen is None:
                raise WorkspaceError(f"{norm}: no such file to change the mode of")
            content = edit.content
            executable = edit.executable
            if prev is not None:
                content = prev.content if content is None else content
                executable = prev.executable if executable is None else executable
            self._staged[norm] = Edit(
                path=norm, content=content, executable=executable, original=disk.content
            )

    def staged(self) -> tuple[Edit, ...]:
        """The staged edits merged per path, sorted, with `original` the on-disk bytes."""
        return tuple(self._staged[k] for k in sorted(self._staged))

    # -- diff and apply --------------------------------------------------------------------

    def _plan(self, edits: Iterable[Edit] | None) -> list[tuple[str, _Disk, Edit]]:
        """Validate edits against the disk; return (path, disk state, merged edit) for changes."""
        merged: dict[str, tuple[_Disk, Edit]] = {}
        source = self.staged() if edits is None else tuple(edits)
        for edit in source:
            norm = _writable(self._norm(edit.path), edit.path)
            if norm in merged:
                disk, prev = merged[norm]
            else:
                disk = self._disk(norm)
                prev = Edit(path=norm)
                if edits is None:
                    snap = self._snapshots.get(norm)
                    if snap is not None and snap.content != disk.content:
                        raise WorkspaceError(f"{norm}: changed since planned; plan the fix again")
            current = prev.content if prev.content is not None else disk.content
            if edit.original is not None and edit.original != current:
                raise WorkspaceError(f"{norm}: changed since planned; plan the fix again")
            if edit.content is None and current is None:
                raise WorkspaceError(f"{norm}: no such file to change the mode of")
            if current is None and not self._path(norm).parent.is_dir():
                raise WorkspaceError(f"{norm}: its directory does not exist")
            merged[norm] = (
                disk,
                Edit(
                    path=norm,
                    content=edit.content if edit.content is not None else prev.content,
                    executable=edit.executable if edit.executable is not None else prev.executable,
                ),
            )
        out: list[tuple[str, _Disk, Edit]] = []
        for norm in sorted(merged):
            disk, edit = merged[norm]
            content_changes = edit.content is not None and edit.content != disk.content
            mode_changes = edit.executable is not None and (
                disk.content is None or edit.executable != disk.executable
            )
            if content_changes or mode_changes:
                out.append((norm, disk, edit))
        return out

    def diff(self, edits: Iterable[Edit] | None = None) -> str:
        """A git-style unified diff of `edits` (default: the staged ones) against the disk."""
        chunks: list[str] = []
        for norm, disk, edit in self._plan(edits):
            chunks.append(_file_diff(norm, disk, edit))
        return "".join(chunks)

    def apply(self, edits: Iterable[Edit] | None = None) -> list[str]:
        """Write `edits` (default: the staged ones) atomically; return the paths that changed.

        Every edit is validated before any file is touched, and every new file body is written
        to a temp file before any is renamed into place.
        """
        plan = self._plan(edits)
        prepared: list[tuple[str, str | None, int, Edit]] = []
        try:
            for norm, disk, edit in plan:
                mode = _new_mode(disk, edit)
                tmp: str | None = None
                if edit.content is not None and edit.content != disk.content:
                    tmp = _write_temp(self._path(norm), edit.content, mode)
                prepared.append((norm, tmp, mode, edit))
        except BaseException:
            for _, tmp, _, _ in prepared:
                if tmp is not None:
                    with contextlib.suppress(OSError):
                        os.unlink(tmp)
            raise
        changed: list[str] = []
        for norm, tmp, mode, edit in prepared:
            path = self._path(norm)
            if tmp is not None:
                os.replace(tmp, path)
                _fsync_dir(path.parent)
            else:
                fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
                try:
                    os.fchmod(fd, mode)
                finally:
                    os.close(fd)
            if edit.executable is not None and self.is_git():
                self._git_chmod(norm, edit.executable)
            changed.append(norm)
        if edits is None:
            self._staged.clear()
            self._snapshots.clear()
        log.info("applied %d edit(s): %s", len(changed), ", ".join(changed))
        return changed

    def _git_chmod(self, norm: str, executable: bool) -> None:
        flag = "--chmod=+x" if executable else "--chmod=-x"
        proc = subprocess.run(
            [*_GIT, "update-index", flag, "--", norm],
            cwd=self.root,
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


def _writable(norm: str, rel: str) -> str:
    # Writing under .git could plant hooks or config; case-folded for case-insensitive disks.
    if any(part.lower() == ".git" for part in norm.split("/")):
        raise WorkspaceError(f"{rel}: writing inside .git is refused")
    return norm


def _new_mode(disk: _Disk, edit: Edit) -> int:
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


def _git_mode(disk: _Disk, executable: bool | None) -> str:
    exe = disk.executable if executable is None else executable
    return "100755" if exe else "100644"


def _file_diff(norm: str, disk: _Disk, edit: Edit) -> str:
    old_mode = _git_mode(disk, None)
    new_mode = _git_mode(disk, edit.executable)
    lines = [f"diff --git a/{norm} b/{norm}\n"]
    if disk.content is None:
        lines.append(f"new file mode {new_mode}\n")
    elif old_mode != new_mode:
        lines.append(f"old mode {old_mode}\nnew mode {new_mode}\n")
    new = edit.content if edit.content is not None else disk.content
    old = disk.content
    if new is None or new == old:
        return "".join(lines)
    old_lines = _split(old or b"")
    new_lines = _split(new)
    fromfile = "/dev/null" if old is None else f"a/{norm}"
    body = difflib.unified_diff(old_lines, new_lines, fromfile, f"b/{norm}", lineterm="\n")
    for line in body:
        lines.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(lines)


def _split(data: bytes) -> list[str]:
    # surrogateescape keeps undecodable bytes round-trippable instead of failing the diff.
    return data.decode("utf-8", errors="surrogateescape").splitlines(keepends=True)


def _glob_regex(pattern: str) -> re.Pattern[str]:
    out: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:[^/]+/)*")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if ch == "*":
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[":
            end = pattern.find("]", i + 2)
            if end == -1:
                out.append(re.escape(ch))
            else:
                body = pattern[i + 1 : end]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body.replace(chr(92), chr(92) * 2)}]")
                i = end
        else:
            out.append(re.escape(ch))
        i += 1
    return re.compile("".join(out))
