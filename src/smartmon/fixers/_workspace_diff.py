"""Planned edits as a git-style unified diff: mode lines, /dev/null for new files, and the
"No newline at end of file" marker, as git itself writes them."""

from __future__ import annotations

import difflib

from smartmon.fixers._workspace_paths import DiskFile
from smartmon.model import Edit


def file_diff(norm: str, disk: DiskFile, edit: Edit) -> str:
    """The diff of one file's edit against its state on disk."""
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


def _git_mode(disk: DiskFile, executable: bool | None) -> str:
    exe = disk.executable if executable is None else executable
    return "100755" if exe else "100644"


def _split(data: bytes) -> list[str]:
    # surrogateescape keeps undecodable bytes round-trippable instead of failing the diff.
    return data.decode("utf-8", errors="surrogateescape").splitlines(keepends=True)
