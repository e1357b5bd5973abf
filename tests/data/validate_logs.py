#!/usr/bin/env python3
"""Check the development set's shape (not any engine): formats, zips, expected files, sizes.

python tests/data/validate_logs.py [-v]     # exit 1 on any problem; -v prints each pinned line
"""

from __future__ import annotations

import json
import re
import sys
import zipfile
from pathlib import Path

from smartmon.model import DATA_KEYS as MODEL_DATA_KEYS
from smartmon.model import IssueType

LOGS = Path(__file__).resolve().parent / "logs"
STAMP = re.compile(rb"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z ")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
# The shapes the engine promises, taken from the engine itself so the two cannot drift apart.
TYPES = {t.value for t in IssueType}
DATA_KEYS = set(MODEL_DATA_KEYS)
NEAR_KEYS = {"module", "var", "name", "from", "action", "label", "host", "test", "command"}
LEGACY = re.compile(r"^-\d+_")


def check_text(label: str, raw: bytes, problems: list[str]) -> list[bytes]:
    """Return the physical lines (BOM removed, line ends stripped)."""
    if len(raw) >= 200_000:
        problems.append(f"{label}: {len(raw)} bytes (limit 200 KB)")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(f"{label}: not UTF-8 ({exc})")
    crlf = b"\r\n" in raw
    if crlf and raw.count(b"\r\n") != raw.count(b"\n"):
        problems.append(f"{label}: mixed CRLF and LF")
    if not raw.endswith(b"\n"):
        problems.append(f"{label}: no final newline")
    lines = raw.split(b"\r\n" if crlf else b"\n")[:-1]
    if not lines or not STAMP.match(lines[0]):
        problems.append(f"{label}: first line has no timestamp")
    return lines


def job_files(zf: zipfile.ZipFile) -> dict[str, bytes]:
    """Top-level job files, legacy duplicates dropped, keyed by job name."""
    out: dict[str, bytes] = {}
    for name in zf.namelist():
        if "/" in name or LEGACY.match(name):
            continue
        out[name.split("_", 1)[1].removesuffix(".txt")] = zf.read(name)
    return out


def main() -> int:
    verbose = "-v" in sys.argv
    problems: list[str] = []
    total = 0
    counts: dict[str, int] = {}
    inputs = sorted(p for p in LOGS.iterdir() if p.suffix in {".txt", ".zip"})
    for path in inputs:
        total += path.stat().st_size
        exp_path = path.with_suffix(".expected.json")
        if not exp_path.exists():
            problems.append(f"{path.name}: no expected file")
            continue
        exp = json.loads(exp_path.read_text())
        if set(exp) - {"passing", "top", "jobs", "notes"} or not isinstance(
            exp.get("passing"), bool
        ):
            problems.append(f"{exp_path.name}: bad keys {sorted(exp)}")
        jobs: dict[str, list[bytes]] = {}
        if path.suffix == ".zip":
            try:
                with zipfile.ZipFile(path) as zf:
                    if zf.testzip() is not None:
                        problems.append(f"{path.name}: corrupt member")
                    for job, data in job_files(zf).items():
                        jobs[job] = check_text(f"{path.name}:{job}", data, problems)
                        steps = sorted(
                            (n for n in zf.namelist() if n.startswith(job.replace("/", "") + "/")),
                            key=lambda n: int(n.split("/", 1)[1].split("_", 1)[0]),
                        )
                        if steps and b"".join(zf.read(n) for n in steps) != data:
                            problems.append(
                                f"{path.name}: step files of {job!r} do not add up to the job file"
                            )
            except zipfile.BadZipFile as exc:
                problems.append(f"{path.name}: {exc}")
        else:
            jobs[path.stem] = check_text(path.name, path.read_bytes(), problems)
        if exp.get("jobs") != len(jobs):
            problems.append(f"{path.name}: jobs={exp.get('jobs')} but the input holds {len(jobs)}")
        all_text = b"\n".join(b"\n".join(v) for v in jobs.values())
        if exp["passing"]:
            counts["passing"] = counts.get("passing", 0) + 1
            if "top" in exp:
                problems.append(f"{exp_path.name}: passing but has top")
            if b"##[error]" in all_text:
                problems.append(f"{path.name}: passing but contains ##[error]")
            continue
        top = exp.get("top")
        if not isinstance(top, dict) or top.get("type") not in TYPES:
            problems.append(f"{exp_path.name}: bad top {top!r}")
            continue
        counts[top["type"]] = counts.get(top["type"], 0) + 1
        if set(top) - {"type", "data", "job", "line"} or set(top.get("data", {})) - DATA_KEYS:
            problems.append(
                f"{exp_path.name}: bad top keys {sorted(top)} / {sorted(top.get('data', {}))}"
            )
        if b"##[error]" not in all_text:
            problems.append(f"{path.name}: failing but no ##[error] line")
        if path.suffix == ".zip":
            if top.get("job") not in jobs:
                problems.append(f"{exp_path.name}: job {top.get('job')!r} not in {sorted(jobs)}")
                continue
            lines = jobs[top["job"]]
        else:
            if "job" in top:
                problems.append(f"{exp_path.name}: .txt input must not name the job")
            lines = jobs[path.stem]
        if "line" in top:
            n = top["line"]
            if not 1 <= n <= len(lines):
                problems.append(f"{exp_path.name}: line {n} out of range 1..{len(lines)}")
                continue
            text = ANSI.sub("", STAMP.sub(b"", lines[n - 1]).decode("utf-8"))
            if text.startswith("##[error]Process completed with exit code"):
                problems.append(f"{exp_path.name}: line {n} is the generic trailer")
            near = [
                ANSI.sub("", x.decode("utf-8", "replace")) for x in lines[max(0, n - 6) : n + 2]
            ]
            for key, value in top.get("data", {}).items():
                if key in NEAR_KEYS and not any(str(value) in x for x in near):
                    problems.append(f"{exp_path.name}: data {key}={value!r} not near line {n}")
            if verbose:
                print(f"{path.name}:{n}: {text[:150]}")
    if total >= 5_000_000:
        problems.append(f"total {total} bytes (limit 5 MB)")
    for p in problems:
        print("PROBLEM", p)
    print(
        f"{len(inputs)} inputs, {total / 1e6:.2f} MB;",
        ", ".join(f"{k}={v}" for k, v in sorted(counts.items())),
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
