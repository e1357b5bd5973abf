"""Hostile sizes: a huge log without a newline and millions of short lines are analysed in bounded
memory (peak RSS of the real process), with right line counts. `make soak` runs the full sizes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
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
