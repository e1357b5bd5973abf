"""Speed on text the catalog's set has not met: a log made of the catalog's own rule examples.

The yardstick log repeats a few hundred kinds of line, so RE2's set DFA is warm after its first
megabyte. A failed job full of different error messages is the other case: each new line makes new
DFA states, and one set over the whole catalog then reads about 0.05 MB/s. `diagnose/prefilter.py`
moves such text to small sets. This section shows both, in one process and as whole processes:
1. `smartmon analyze` on the varied log, against `grep -E -c -f` with the yardstick's 40 patterns;
2. in-process, on the same bytes: `Prefilter.match` (adaptive) against the whole-catalog set alone,
   each with a freshly compiled catalog (a cold DFA, as a new process has).
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from smartmon.diagnose.anchors import compile_exact
from smartmon.diagnose.prefilter import Prefilter
from smartmon.diagnose.rules import load_rules

_STAMP = b"2025-04-05T15:00:07.9588411Z "
_TARGET = 1 << 20  # bytes of examples in the log (each example at most once)


def write_varied_log(path: Path) -> int:
    """A failed job's log whose lines are the catalog's examples, in catalog order; returns bytes."""
    lines = [b"##[group]Run ./ci.sh", b"##[endgroup]"]
    size = 0
    for rule in load_rules():
        for example in rule.examples_match:
            line = example.text.encode()
            lines.append(line)
            size += len(line) + len(_STAMP) + 1
        if size >= _TARGET:
            break
    lines.append(b"##[error]Process completed with exit code 1.")
    path.write_bytes(b"".join(_STAMP + line + b"\n" for line in lines))
    return path.stat().st_size


def _in_process(data: bytes) -> tuple[float, float, bool]:
    patterns = [compile_exact(rule.pattern, tasks=False) for rule in load_rules()]
    adaptive = Prefilter(patterns)
    start = time.perf_counter()
    found = adaptive.match(data)
    t_adaptive = time.perf_counter() - start
    whole = Prefilter(patterns)
    start = time.perf_counter()
    same = sorted(whole._match_whole(data)) == found
    t_whole = time.perf_counter() - start
    return t_adaptive, t_whole, same


Timed = Callable[[list[str]], tuple[float, int, bytes]]  # seconds, peak RSS in KiB, stdout


def varied_section(exe: list[str], out: Path, patterns_ere: Path, timed: Timed) -> list[str]:
    """The section's Markdown lines."""
    log = out / "varied.log"
    size = write_varied_log(log)
    subprocess.run(["cat", str(log)], stdout=subprocess.DEVNULL, check=True)
    grep = ["grep", "-E", "-c", "-f", str(patterns_ere), str(log)]
    sm = min((timed([*exe, str(log), "--format", "json"]) for _ in range(3)), key=lambda r: r[0])
    gr = min((timed(grep) for _ in range(3)), key=lambda r: r[0])
    t_adaptive, t_whole, same = _in_process(log.read_bytes())
    return [
        "## New text: a log of the catalog's own examples",
        "",
        f"Log: {size / (1 << 20):.1f} MiB, one line per rule example (bench/varied.py), best of three.",
        "",
        "| contender | time | notes |",
        "|---|---|---|",
        f"| smartmon analyze --format json (whole process) | {sm[0]:.2f} s "
        f"| peak RSS {sm[1] / 1024:.0f} MiB |",
        f"| grep -E -c -f patterns.ere (the yardstick's 40) | {gr[0]:.2f} s "
        f"| {gr[2].decode().strip()} lines |",
        f"| in-process: Prefilter.match (adaptive), cold | {t_adaptive:.2f} s | |",
        f"| in-process: the whole-catalog set alone, cold | {t_whole:.2f} s | same indexes: {same} |",
        "",
        f"- smartmon / grep -c = {sm[0] / gr[0]:.1f}× on new text (the target is for the yardstick log)",
        f"- whole set alone / adaptive = {t_whole / t_adaptive:.1f}×",
    ]
