"""Which paths a workspace accepts, and what is on disk there.

A path is relative, POSIX, inside the root, and never passes through a symlink; nothing is written
under `.git`. Reads open without following links; listings never enter `.git` or follow links.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from smartmon.errors import InputError


class WorkspaceError(InputError):
    """A path the workspace refuses, a file it cannot read, or an edit it cannot apply."""


@dataclass(frozen=True)
class DiskFile:
    """What a file looked like on disk: content (None if absent) and permission bits."""

    content: bytes | None
    mode: int

    @property
    def executable(self) -> bool:
        return bool(self.mode & stat.S_IXUSR)


def normalize(root: Path, rel: str) -> str:
    """The normalized POSIX path of `rel` inside `root`, or WorkspaceError."""
    if not isinstance(rel, str) or not rel or "\0" in rel or "\\" in rel:
        raise WorkspaceError(f"{rel!r}: not a relative POSIX path inside the workspace")
    pure = PurePosixPath(rel)
    if pure.is_absolute() or re.match(r"^[A-Za-z]:", rel):
        raise WorkspaceError(f"{rel}: absolute path refused; paths are relative to {root}")
    parts: list[str] = []
    for part in pure.parts:
        if part == "..":
            if not parts:
                raise WorkspaceError(f"{rel}: path escapes the workspace ({root})")
            parts.pop()
        elif part != ".":
            parts.append(part)
    if not parts:
        raise WorkspaceError(f"{rel}: names the workspace root, not a file")
    # Every existing component must be a real directory or file, never a symlink.
    current = root
    for part in parts:
        current = current / part
        try:
            st = os.lstat(current)
        except FileNotFoundError:
            break
        except OSError as exc:
            raise WorkspaceError(f"{rel}: cannot inspect: {exc.strerror}") from exc
        if stat.S_ISLNK(st.st_mode):
            raise WorkspaceError(f"{rel}: symlink refused ({current.relative_to(root)})")
    return "/".join(parts)


def writable(norm: str, rel: str) -> str:
    """`norm`, unless it lies inside .git."""
    # Writing under .git could plant hooks or config; case-folded for case-insensitive disks.
    if any(part.lower() == ".git" for part in norm.split("/")):
        raise WorkspaceError(f"{rel}: writing inside .git is refused")
    return norm


def disk_path(root: Path, norm: str) -> Path:
    return root.joinpath(*norm.split("/"))


def read_disk(root: Path, norm: str) -> DiskFile:
    """Current on-disk state of a validated path (content None when absent)."""
    path = disk_path(root, norm)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return DiskFile(None, 0)
    except OSError as exc:
        raise WorkspaceError(f"{norm}: cannot read: {exc.strerror}") from exc
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise WorkspaceError(f"{norm}: not a regular file")
        return DiskFile(fh.read(), stat.S_IMODE(st.st_mode))


def files_matching(
    root: Path, pattern: str, regex: re.Pattern[str], *, prune: Collection[str]
) -> set[str]:
    """Relative paths of regular files on disk that `regex` (made from `pattern`) matches.

    Symlinks are skipped and never followed; `.git` and directories named in `prune` are not
    entered. WorkspaceError when the pattern's literal directory is itself refused.
    """
    literal: list[str] = []
    for part in PurePosixPath(pattern).parts:
        if any(ch in part for ch in "*?["):
            break
        literal.append(part)
    else:
        literal = literal[:-1]  # a pattern without wildcards names one file
    start = root.joinpath(*literal) if literal else root
    if literal:
        normalize(root, "/".join(literal))
    found: set[str] = set()
    if start.is_dir() and not start.is_symlink():
        skip = {".git", *prune}
        for dirpath, dirnames, filenames in os.walk(start, followlinks=False):
            dirnames[:] = sorted(
                d
                for d in dirnames
                if d not in skip and not os.path.islink(os.path.join(dirpath, d))
            )
            reldir = Path(dirpath).relative_to(root).as_posix()
            for name in filenames:
                if name == ".git":  # a worktree's or submodule's gitfile
                    continue
                full = os.path.join(dirpath, name)
                rel = name if reldir == "." else f"{reldir}/{name}"
                if regex.fullmatch(rel) and stat.S_ISREG(os.lstat(full).st_mode):
                    found.add(rel)
    return found


def glob_regex(pattern: str) -> re.Pattern[str]:
    """The regex for a glob pattern: `*`, `?`, `[]` (`[!...]` negated) and `**` across folders."""
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
