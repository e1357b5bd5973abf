"""Hostile sizes: a huge log without a newline and millions of short lines are analysed in bounded
memory (peak RSS of the real process), with right line counts. `make soak` runs the full sizes."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest

SCALE = int(os.environ.get("SMARTMON_HOSTILE_SCALE", "1"))  # `make soak` sets a larger one
RSS_LIMIT_MIB = 160


# A child's peak RSS starts from its parent's at fork, and a test worker is large after hundreds
# of tests: a small Python in between makes the number the analysing process's own.
_MEASURE = """
import os, subprocess, sys
with open(sys.argv[1], "wb") as out:
    proc = subprocess.Popen(sys.argv[2:], stdout=out, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss // 1024)
"""


def _run(path: Path) -> tuple[dict[str, object], int]:
    """The analysis and the peak RSS (MiB) of the analysing process itself."""
    out = path.with_suffix(".json")
    cmd = [sys.executable, "-m", "smartmon", "analyze", str(path), "--format", "json"]
    proc = subprocess.run(
        [sys.executable, "-I", "-c", _MEASURE, str(out), *cmd],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    code, rss = (int(v) for v in proc.stdout.split())
    assert code == 0
    return json.loads(out.read_text()), rss


@pytest.mark.slow
def test_log_without_newline(tmp_path: Path) -> None:
    path = tmp_path / "one-line.txt"
    with path.open("wb") as fh:
        chunk = b"x" * (1 << 20)
        for _ in range(96 * SCALE):
            fh.write(chunk)
    doc, rss = _run(path)
    assert doc["jobs"] == [{"name": "one-line", "conclusion": "success", "lines": 1}]
    assert doc["findings"] == []
    assert rss < RSS_LIMIT_MIB, f"peak RSS {rss} MiB"


@pytest.mark.slow
def test_millions_of_short_lines(tmp_path: Path) -> None:
    n = 3_000_000 * SCALE
    path = tmp_path / "many.txt"
    with path.open("wb") as fh:
        block = b"ok\n" * 100_000
        for _ in range(n // 100_000):
            fh.write(block)
        fh.write(
            b"E   ModuleNotFoundError: No module named 'yaml'\n##[error]Process completed with exit code 1.\n"
        )
    doc, rss = _run(path)
    jobs = doc["jobs"]
    assert isinstance(jobs, list) and jobs[0]["lines"] == n + 2
    findings = doc["findings"]
    assert isinstance(findings, list) and findings[0]["line"] == n + 1
    assert rss < RSS_LIMIT_MIB, f"peak RSS {rss} MiB"


def test_zip_member_that_lies_about_its_size(tmp_path: Path) -> None:
    """A member whose headers claim 1 KiB while its stream inflates to 256 MiB of zeros passes
    the size and ratio checks, so reading must stop at the claimed size: refused, memory flat."""
    member = b"E   ModuleNotFoundError: No module named 'yaml'\n"
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    stream = packer.compress(member)
    zeros = bytes(1 << 20)
    stream += b"".join(packer.compress(zeros) for _ in range(256 * SCALE)) + packer.flush()
    path = tmp_path / "liar.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("0_build.txt", b"")  # the headers to forge
    raw = bytearray(path.read_bytes())
    central = raw.find(b"PK\x01\x02")
    local = bytes(raw[:central])
    name_len = struct.unpack_from("<H", local, 26)[0]
    head = bytearray(local[: 30 + name_len])
    struct.pack_into("<HIII", head, 8, zipfile.ZIP_DEFLATED, 0, 0, 0)  # method, time, crc, csize
    struct.pack_into("<II", head, 18, len(stream), 1024)  # compressed size, claimed size
    cd = bytearray(raw[central:])
    struct.pack_into("<H", cd, 10, zipfile.ZIP_DEFLATED)
    struct.pack_into("<II", cd, 20, len(stream), 1024)
    struct.pack_into("<I", cd, 42, 0)  # the local header still starts the file
    end = cd.find(b"PK\x05\x06")
    struct.pack_into("<I", cd, end + 16, len(head) + len(stream))  # central directory offset
    path.write_bytes(bytes(head) + stream + bytes(cd))

    doc, rss = _run(path)
    assert doc["findings"] == []
    errors = doc.get("errors")
    assert isinstance(errors, list) and len(errors) == 1
    assert "0_build.txt" in errors[0] and "Bad CRC-32" in errors[0]
    assert rss < RSS_LIMIT_MIB, f"peak RSS {rss} MiB"
