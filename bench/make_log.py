"""Write a deterministic, realistic GitHub Actions job log of a given size (default 256 MiB).

The log looks like a long Python CI job: set-up boilerplate, grouped `run:` steps with cyan script
lines, pip output, pytest progress with coloured PASSED lines (some test names contain "error" and
"fail"), compiler warnings, deprecation warnings, and at the very end a real failure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

START = dt.datetime(2026, 11, 2, 8, 0, 0)

HEADER = [
    "Current runner version: '2.329.0'",
    "##[group]Operating System",
    "Ubuntu",
    "24.04.3",
    "LTS",
    "##[endgroup]",
    "##[group]Runner Image",
    "Image: ubuntu-24.04",
    "Version: 20261026.1.0",
    "##[endgroup]",
    "##[group]GITHUB_TOKEN Permissions",
    "Contents: read",
    "Metadata: read",
    "##[endgroup]",
    "Secret source: Actions",
    "Prepare workflow directory",
    "Prepare all required actions",
    "Getting action download info",
    "Download action repository 'actions/checkout@v4' (SHA:11bd71901bbe5b1630ceea73d27597364c9af683)",
    "Complete job name: test (3.12)",
]


def _step(title: str, script: str) -> list[str]:
    return [
        f"##[group]Run {title}",
        f"\x1b[36;1m{script}\x1b[0m",
        "shell: /usr/bin/bash -e {0}",
        "env:",
        "  pythonLocation: /opt/hostedtoolcache/Python/3.12.7/x64",
        "##[endgroup]",
    ]


def _chunk(rng: random.Random, n: int) -> list[str]:
    """About 1 MiB of mixed tool output."""
    out: list[str] = []
    out += _step("pip install -r requirements.txt", "pip install -r requirements.txt")
    for i in range(400):
        pkg = rng.choice(["requests", "numpy", "pandas", "pytest", "urllib3", "idna", "certifi"])
        out.append(f"Collecting {pkg}>=1.{i % 9} (from -r requirements.txt (line {i % 40 + 1}))")
        out.append(f"  Downloading {pkg}-2.{i % 30}.{i % 7}-py3-none-any.whl ({i % 900 + 10} kB)")
        out.append(
            f"Requirement already satisfied: {pkg} in /opt/hostedtoolcache/Python/3.12.7/x64/lib"
        )
    out += _step("python -m pytest -v", "python -m pytest -v")
    for i in range(5200):
        mod = rng.choice(["test_api", "test_errors", "test_failover", "test_parser", "test_io"])
        name = rng.choice(["handles_error", "retries_on_fail", "parses_ok", "roundtrip", "timeout"])
        pct = (i * 100) // 5200
        out.append(
            f"tests/{mod}.py::test_{name}_{n}_{i} \x1b[32mPASSED\x1b[0m"
            f"                                  [{pct:3d}%]"
        )
    for i in range(80):
        out.append(
            f"src/pkg/mod{i}.c:{i + 10}:{i % 30 + 1}: warning: unused variable 'tmp{i}' "
            "[-Wunused-variable]"
        )
    out.append("DeprecationWarning: datetime.datetime.utcnow() is deprecated")
    return out


FAILURE = [
    "==================================== ERRORS ====================================",
    "_____________________ ERROR collecting tests/test_config.py _____________________",
    "ImportError while importing test module '/home/runner/work/app/app/tests/test_config.py'.",
    "tests/test_config.py:3: in <module>",
    "    import yaml",
    "E   ModuleNotFoundError: No module named 'yaml'",
    "=========================== short test summary info ============================",
    "ERROR tests/test_config.py",
    "!!!!!!!!!!!!!!!!!!!! Interrupted: 1 error during collection !!!!!!!!!!!!!!!!!!!!",
    "##[error]Process completed with exit code 2.",
    "Post job cleanup.",
    "Cleaning up orphan processes",
]


def write_log(path: Path, size: int, seed: int = 7) -> int:
    """Write the log; returns the number of bytes written."""
    rng = random.Random(seed)
    t = START
    step = dt.timedelta(microseconds=1300)
    written = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as fh:

        def emit(lines: list[str]) -> None:
            nonlocal t, written
            parts = []
            for line in lines:
                parts.append(t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond:06d}0Z {line}\n")
                t += step
            text = "".join(parts)
            fh.write(text)
            written += len(text.encode())

        emit(HEADER)
        n = 0
        while written < size:
            emit(_chunk(rng, n))
            n += 1
        emit(FAILURE)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", type=Path)
    parser.add_argument("--mib", type=int, default=256)
    args = parser.parse_args()
    size = write_log(args.path, args.mib << 20)
    print(f"wrote {args.path} ({size / (1 << 20):.0f} MiB)")


if __name__ == "__main__":
    main()
