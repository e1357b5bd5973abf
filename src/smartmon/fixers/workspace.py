"""Read and write the checked-out repository safely: no escapes, no symlinks, atomic writes.

Fixers read through a `Workspace` and return `Edit`s; `stage` overlays planned edits so later reads
see them, `diff` shows them git-style, and `apply` validates every edit before writing any file.
Nothing here runs repository code; git is called only for `update-index --chmod`, with hooks off.
The path rules live in `_workspace_paths`, the writing in `_workspace_writes`, the diff in
`_workspace_diff`.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Collection, Iterable
from pathlib import Path

from smartmon.fixers._workspace_diff import file_diff
from smartmon.fixers._workspace_paths import (
    DiskFile,
    WorkspaceError,
    disk_path,
    files_matching,
    glob_regex,
    normalize,
    read_disk,
    writable,
)
from smartmon.fixers._workspace_writes import git_chmod, is_work_tree, write_planned
from smartmon.model import Edit

__all__ = ["Workspace", "WorkspaceError"]

log = logging.getLogger(__name__)


class Workspace:
    """The repository at `root`, seen through an overlay of staged edits."""

    def __init__(self, root: Path) -> None:
        path = Path(root)
        if not path.is_dir():
            raise WorkspaceError(f"{root}: not a directory; pass the repository's checkout")
        self.root: Path = path.resolve()
        self._staged: dict[str, Edit] = {}
        self._snapshots: dict[str, DiskFile] = {}
        self._git: bool | None = None

    # -- paths -----------------------------------------------------------------------------

    def _norm(self, rel: str) -> str:
        return normalize(self.root, rel)

    def _path(self, norm: str) -> Path:
        return disk_path(self.root, norm)

    def _disk(self, norm: str) -> DiskFile:
        return read_disk(self.root, norm)

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
        regex = glob_regex(pattern)
        try:
            found = files_matching(self.root, pattern, regex, prune=prune)
        except WorkspaceError:
            return []
        for norm, edit in self._staged.items():
            if edit.content is not None and regex.fullmatch(norm):
                found.add(norm)
        return sorted(found)

    def is_git(self) -> bool:
        """Whether root is inside a git work tree (git missing counts as no)."""
        if self._git is None:
            self._git = is_work_tree(self.root)
        return self._git

    # -- staging ---------------------------------------------------------------------------

    def stage(self, edits: Iterable[Edit]) -> None:
        """Overlay `edits` so later reads see them; refuses an edit planned on other content."""
        for edit in edits:
            norm = writable(self._norm(edit.path), edit.path)
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

    def _plan(self, edits: Iterable[Edit] | None) -> list[tuple[str, DiskFile, Edit]]:
        """Validate edits against the disk; return (path, disk state, merged edit) for changes."""
        merged: dict[str, tuple[DiskFile, Edit]] = {}
        source = self.staged() if edits is None else tuple(edits)
        for edit in source:
            norm = writable(self._norm(edit.path), edit.path)
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
        out: list[tuple[str, DiskFile, Edit]] = []
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
            chunks.append(file_diff(norm, disk, edit))
        return "".join(chunks)

    def apply(self, edits: Iterable[Edit] | None = None) -> list[str]:
        """Write `edits` (default: the staged ones) atomically; return the paths that changed.

        Every edit is validated before any file is touched, and every new file body is written
        to a temp file before any is renamed into place.
        """
        changed = write_planned(self.root, self._plan(edits), set_index_mode=self._index_mode)
        if edits is None:
            self._staged.clear()
            self._snapshots.clear()
        log.info("applied %d edit(s): %s", len(changed), ", ".join(changed))
        return changed

    def _index_mode(self, norm: str, executable: bool) -> None:
        if self.is_git():
            git_chmod(self.root, norm, executable)
