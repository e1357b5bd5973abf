"""Find the jobs in the input: a job log `.txt`, a run-logs `.zip` (both layouts) or a folder of those.

Nothing is read here beyond a sniff for binary data: each job comes back as a `JobSource` whose
openers `logs.iter_blocks` reads later. Hostile inputs are refused by name, the rest still listed:
zip members with `..`, absolute or backslash names, members that inflate far beyond any log
(a zip bomb), symbolic links in folders. Zips hold `<n>_<job>.txt` per job (`-<n>_` on the legacy
backend) and, not always, `<job>/<n>_<step>.txt` (research/github-api.md §1.4).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from smartmon.diagnose.utf16 import utf16_read
from smartmon.errors import InputError

# Zip members GitHub serves are text that compresses about 10:1; refuse what no log looks like.
MAX_MEMBER_SIZE = 8 << 30
MAX_RATIO = 200
RATIO_FLOOR = 64 << 20  # small members may compress as they like
_STEP_FILE_RE = re.compile(r"^(-?\d+)_(.*)\.txt$")

Opener = Callable[[], IO[bytes]]


@dataclass(frozen=True)
class JobSource:
    """One job's log inside the input: a file, a zip member, or a job folder of step files."""

    name: str
    origin: str  # what to name in messages: "run.zip:3_build.txt"
    parts: tuple[tuple[str, int | None, Opener], ...]  # (step name or "", step number, opener)
    prefer_log_name: bool = False  # a bare .txt: the log's "Complete job name:" beats the file name
    verdict: str | None = None  # "failure" | "success" when the API (or the user) already knows
    path: Path | None = None  # a plain log file on disk: large ones are read by two processes


class LogReadError(InputError):
    """A member of an otherwise readable input could not be read."""


def discover(path: Path) -> list[JobSource]:
    """List the jobs in a `.txt` log, a run-logs `.zip` or a folder, or raise InputError."""
    if not path.exists():
        raise InputError(
            f"{path}: no such file or folder; give a job log (.txt), a run zip or a folder"
        )
    if path.is_dir():
        return _discover_dir(path)
    if zipfile.is_zipfile(path):
        return _discover_zip(path)
    if path.suffix.lower() == ".zip":
        raise InputError(
            f"{path}: not a zip file (truncated download?); download it again: gh run download"
        )
    _check_text(path)
    parsed = _job_name_from_file(path.name)
    return [
        JobSource(
            name=parsed[0] if parsed else path.stem,
            origin=str(path),
            parts=(("", None, _file_opener(path)),),
            prefer_log_name=parsed is None,
            path=path,
        )
    ]


def _file_opener(path: Path) -> Opener:
    def _open() -> IO[bytes]:
        try:
            return path.open("rb")
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({exc.strerror}); check the file") from exc

    return _open


def _check_text(path: Path) -> None:
    try:
        with path.open("rb") as fh:
            head = fh.read(8192)
    except OSError as exc:
        raise InputError(
            f"{path}: cannot read ({exc.strerror}); check the path and permissions"
        ) from exc
    # A Windows tool's UTF-16 output inside a text log (wsl at the top of a job) puts a NUL after
    # each letter: those runs are read as text (utf16.utf16_read), any other NUL is binary.
    if b"\x00" in head and b"\x00" in utf16_read(head):
        raise InputError(
            f"{path}: not a text log (binary data); give the job's .txt log or the run zip"
        )


def _job_name_from_file(filename: str) -> tuple[str, int, bool] | None:
    m = _STEP_FILE_RE.match(filename)
    if not m:
        return None
    number = int(m.group(1))
    return m.group(2), abs(number), number < 0


def _discover_zip(path: Path) -> list[JobSource]:
    try:
        zf = zipfile.ZipFile(path)
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise InputError(
            f"{path}: not a readable zip ({exc}); download it again: gh run download"
        ) from exc
    top: dict[str, tuple[bool, zipfile.ZipInfo]] = {}
    folders: dict[str, list[tuple[int, str, zipfile.ZipInfo]]] = {}
    refused: list[JobSource] = []
    for info in infos:
        if info.is_dir():
            continue
        parts = info.filename.split("/")
        if info.filename.startswith("/") or "\\" in info.filename or ".." in parts:
            # Nothing is extracted to disk, but such a name is no GitHub log: report it, read nothing.
            refused.append(_refused(path, info, "unsafe member name"))
            continue
        if len(parts) == 1:
            parsed = _job_name_from_file(parts[0])
            if parsed is None:
                continue
            name, _, legacy = parsed
            known = top.get(name)
            # GitHub CLI prefers the non-legacy file when both exist (cli/cli PR #10769).
            if known is None or (known[0] and not legacy):
                top[name] = (legacy, info)
        elif len(parts) == 2:
            parsed = _job_name_from_file(parts[1])
            if parsed is None:
                continue  # system.txt and other non-step files
            step, number, _ = parsed
            folders.setdefault(parts[0], []).append((number, step, info))
    jobs: list[JobSource] = []
    for name, (_, info) in top.items():
        jobs.append(
            JobSource(
                name=name,
                origin=f"{path}:{info.filename}",
                parts=(("", None, _zip_opener(path, info)),),
            )
        )
    for name, steps in folders.items():
        if name in top:
            continue
        steps.sort(key=lambda s: s[0])
        jobs.append(
            JobSource(
                name=name,
                origin=f"{path}:{name}/",
                parts=tuple((step, num, _zip_opener(path, info)) for num, step, info in steps),
            )
        )
    if not jobs and not refused:
        raise InputError(
            f"{path}: the zip holds no job logs (<n>_<job>.txt); is it a run-logs zip?"
        )
    return jobs + refused


def _refused(path: Path, info: zipfile.ZipInfo, why: str) -> JobSource:
    def _open() -> IO[bytes]:
        raise LogReadError(f"{path}:{info.filename!r}: refused: {why}")

    return JobSource(
        name=info.filename, origin=f"{path}:{info.filename}", parts=(("", None, _open),)
    )


def _refused_path(path: Path, why: str) -> JobSource:
    def _open() -> IO[bytes]:
        raise LogReadError(f"{path}: refused: {why}")

    return JobSource(name=path.name, origin=str(path), parts=(("", None, _open),))


def _zip_opener(path: Path, info: zipfile.ZipInfo) -> Opener:
    def _open() -> IO[bytes]:
        if info.file_size > MAX_MEMBER_SIZE or (
            info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1)
        ):
            raise LogReadError(
                f"{path}:{info.filename}: refused: expands to {info.file_size >> 20} MiB from "
                f"{info.compress_size >> 10} KiB (a zip bomb?); download the job's log instead"
            )
        try:
            zf = zipfile.ZipFile(path)
            return zf.open(info)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
            raise LogReadError(f"{path}:{info.filename}: unreadable member ({exc})") from exc

    return _open


def _discover_dir(path: Path) -> list[JobSource]:
    jobs: list[JobSource] = []
    names: set[str] = set()
    try:
        entries = sorted(path.iterdir())
    except OSError as exc:
        raise InputError(f"{path}: cannot list the folder ({exc.strerror})") from exc
    refused: list[JobSource] = []
    for entry in entries:
        if entry.is_symlink():
            # An unzipped hostile archive can hold links to anywhere; a log is never one.
            refused.append(_refused_path(entry, "a symbolic link, not followed"))
            continue
        if entry.is_file() and entry.suffix.lower() == ".txt":
            parsed = _job_name_from_file(entry.name)
            name = parsed[0] if parsed else entry.stem
            if name in names:
                continue
            _check_text(entry)
            names.add(name)
            jobs.append(
                JobSource(
                    name=name,
                    origin=str(entry),
                    parts=(("", None, _file_opener(entry)),),
                    path=entry,
                )
            )
        elif entry.is_file() and entry.suffix.lower() == ".zip":
            jobs.extend(_discover_zip(entry))
    for entry in entries:
        if entry.is_dir() and entry.name not in names:
            steps: list[tuple[int, str, Path]] = []
            for f in entry.iterdir():
                parsed = _job_name_from_file(f.name)
                if parsed and f.is_file() and not f.is_symlink():
                    steps.append((parsed[1], parsed[0], f))
            if steps:
                steps.sort(key=lambda s: s[0])
                jobs.append(
                    JobSource(
                        name=entry.name,
                        origin=f"{entry}/",
                        parts=tuple((s, n, _file_opener(f)) for n, s, f in steps),
                    )
                )
    if not jobs and not refused:
        raise InputError(f"{path}: no job logs (.txt) or run zips in this folder")
    return jobs + refused


def discover_all(paths: Sequence[Path]) -> list[JobSource]:
    jobs: list[JobSource] = []
    for path in paths:
        jobs.extend(discover(path))
    return jobs
