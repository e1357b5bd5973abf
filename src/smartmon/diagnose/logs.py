"""Read GitHub Actions logs: a job log `.txt`, a run-logs `.zip` (both layouts) or a folder of those.

Lines keep their raw 1-based number in the job's file so a report can link `#step:S:L`. Reading is
streamed in large blocks: memory stays flat whatever the log size.

Format facts (research/github-api.md §1.4, §2): every record starts with a `YYYY-MM-DDTHH:MM:SS.fffffffZ `
timestamp; continuation lines of a multi-line record have none; `run:` and action steps open with
`##[group]Run …`; post steps with `Post job cleanup.`; the last step with `Cleaning up orphan processes`.
Zips hold `<n>_<job>.txt` per job (`-<n>_` on the legacy backend) and, not always, `<job>/<n>_<step>.txt`.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from smartmon.errors import InputError

BLOCK_SIZE = 4 << 20
# Zip members GitHub serves are text that compresses about 10:1; refuse what no log looks like.
MAX_MEMBER_SIZE = 8 << 30
MAX_RATIO = 200
RATIO_FLOOR = 64 << 20  # small members may compress as they like
# A line longer than this is cut into blocks (a 200 MB log without newlines must not be held whole);
# iter_lines then keeps only its first piece.
LONG_LINE = 1 << 16
TIMESTAMP_RE = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z ?")
# CSI sequences (colours, cursor moves), OSC sequences (titles, hyperlinks) and two-byte escapes.
ANSI_RE = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b\n]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]?"
)
_STEP_FILE_RE = re.compile(r"^(-?\d+)_(.*)\.txt$")
_BOM = b"\xef\xbb\xbf"

SETUP_STEP = "Set up job"
POST_STEP = "Post job cleanup"
COMPLETE_STEP = "Complete job"

Opener = Callable[[], IO[bytes]]


@dataclass(frozen=True)
class JobSource:
    """One job's log inside the input: a file, a zip member, or a job folder of step files."""

    name: str
    origin: str  # what to name in messages: "run.zip:3_build.txt"
    parts: tuple[tuple[str, int | None, Opener], ...]  # (step name or "", step number, opener)
    prefer_log_name: bool = False  # a bare .txt: the log's "Complete job name:" beats the file name


@dataclass(frozen=True)
class StepMark:
    """A step starts at `offset` in a block's bytes (line `line` of the job's file)."""

    offset: int
    line: int
    name: str
    number: int


@dataclass(frozen=True)
class Block:
    """A run of whole lines: ANSI escapes, CRs and the BOM removed, timestamps and newlines kept."""

    data: bytes
    first_line: int  # raw line number of the block's first line
    steps: tuple[StepMark, ...]  # steps that start inside this block
    step_before: StepMark  # the step in force at the block's first byte


@dataclass(frozen=True)
class LogLine:
    job: str
    step: str
    step_number: int
    line: int
    step_line: int
    text: str
    timestamp: str | None  # None on continuation lines


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
    if b"\x00" in head:
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
                JobSource(name=name, origin=str(entry), parts=(("", None, _file_opener(entry)),))
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


def strip_ansi(raw: bytes) -> bytes:
    """Remove ANSI escapes (newlines are never part of one, so the line count is unchanged)."""
    if b"\x1b" in raw:
        raw = b"".join(ANSI_RE.split(raw))  # measurably faster than .sub on colourful logs
    return raw


def strip_cr(raw: bytes) -> bytes:
    if b"\r" in raw:
        raw = raw.replace(b"\r\n", b"\n").replace(b"\r", b"")
    return raw


def _read_blocks(fh: IO[bytes], block_size: int) -> Iterator[bytes]:
    """Yield chunks that end on a newline (the last may not); the BOM is dropped."""
    carry = b""
    first = True
    while True:
        chunk = fh.read(max(block_size, len(_BOM)) if first else block_size)
        if not chunk:
            break
        if first:
            if chunk.startswith(_BOM):
                chunk = chunk[len(_BOM) :]
            first = False
        data = carry + chunk
        cut = data.rfind(b"\n")
        if cut < 0:
            if len(data) > max(4 * block_size, LONG_LINE):
                # A single line this long: split it; line counting stays right (no newline added).
                yield data
                carry = b""
            else:
                carry = data
            continue
        yield data[: cut + 1]
        carry = data[cut + 1 :]
    if carry:
        yield carry


_MARKERS = (
    (b"##[group]Run ", None),
    (b"Post job cleanup.", POST_STEP),
    (b"Cleaning up orphan processes", COMPLETE_STEP),
)


def _step_marks(data: bytes, first_line: int, last_number: int) -> tuple[list[StepMark], int]:
    """Step boundaries (markers at a line's start, after its timestamp) and the offset of the last.

    Works the same on raw and on ANSI-stripped data, so both give the same steps.
    """
    found: list[tuple[int, str]] = []  # (line start offset, name)
    for marker, fixed in _MARKERS:
        pos = data.find(marker)
        while pos >= 0:
            start = data.rfind(b"\n", 0, pos) + 1
            prefix = strip_ansi(data[start:pos])
            if not prefix or TIMESTAMP_RE.fullmatch(prefix):
                end = data.find(b"\n", pos)
                end = len(data) if end < 0 else end
                if fixed is None:
                    title = strip_ansi(data[pos + len(marker) : end])
                    name = "Run " + title.decode("utf-8", "replace").strip()
                else:
                    name = fixed
                found.append((start, name))
            pos = data.find(marker, pos + 1)
    found.sort()
    marks: list[StepMark] = []
    last_off = 0
    line = first_line
    for start, name in found:
        line += data.count(b"\n", last_off, start)
        last_off = start
        last_number += 1
        marks.append(StepMark(offset=start, line=line, name=name, number=last_number))
    return marks, last_off


def iter_blocks(source: JobSource, block_size: int = BLOCK_SIZE) -> Iterator[Block]:
    """Stream a job's log as cleaned blocks with the step boundaries inside each."""
    line = 1
    current = StepMark(offset=0, line=1, name=SETUP_STEP, number=1)
    for step_name, step_number, opener in source.parts:
        if step_name:
            # A step file: its own numbering (line 1 = the step's first line).
            line = 1
            current = StepMark(offset=0, line=1, name=step_name, number=step_number or 1)
        with opener() as fh:
            try:
                for raw in _read_blocks(fh, block_size):
                    data = strip_ansi(strip_cr(raw))
                    marks: list[StepMark] = []
                    last_off = 0
                    if not step_name:
                        marks, last_off = _step_marks(data, line, current.number)
                    yield Block(data, line, tuple(marks), current)
                    if marks:
                        current = marks[-1]
                        line = current.line + data.count(b"\n", last_off)
                    else:
                        line += data.count(b"\n")
            except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
                raise LogReadError(f"{source.origin}: unreadable ({exc})") from exc


def step_at(block: Block, offset: int) -> StepMark:
    """The step in force at a byte offset of a block."""
    current = block.step_before
    for mark in block.steps:
        if mark.offset > offset:
            break
        current = mark
    return current


def split_timestamp(line: bytes) -> tuple[str | None, bytes]:
    m = TIMESTAMP_RE.match(line)
    if m is None:
        return None, line
    return m.group(0).decode("ascii").strip(), line[m.end() :]


def iter_lines(source: JobSource, block_size: int = BLOCK_SIZE) -> Iterator[LogLine]:
    """Every physical line of a job's log, cleaned, with its step and raw line number."""
    partial = False  # the previous block ended inside a line
    for block in iter_blocks(source, block_size):
        data = block.data
        pos = 0
        if partial:
            # The rest of an over-long line: skip it, it was reported with its first piece.
            nl = data.find(b"\n")
            pos = len(data) if nl < 0 else nl + 1
        partial = not data.endswith(b"\n")
        line = block.first_line + (1 if pos and data[pos - 1 : pos] == b"\n" else 0)
        marks = list(block.steps)
        current = block.step_before
        mi = 0
        while pos < len(data):
            while mi < len(marks) and marks[mi].offset <= pos:
                current = marks[mi]
                mi += 1
            end = data.find(b"\n", pos)
            stop = len(data) if end < 0 else end
            stamp, text = split_timestamp(data[pos:stop])
            yield LogLine(
                job=source.name,
                step=current.name,
                step_number=current.number,
                line=line,
                step_line=line - current.line + 1,
                text=text.decode("utf-8", "replace"),
                timestamp=stamp,
            )
            line += 1
            pos = stop + 1


def discover_all(paths: Sequence[Path]) -> list[JobSource]:
    jobs: list[JobSource] = []
    for path in paths:
        jobs.extend(discover(path))
    return jobs
