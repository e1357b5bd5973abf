"""Soak: the monitor against the sandbox for many iterations at a zero interval, in its own
process. Peak RSS and open file descriptors stay flat, and the rate-limit cost stays bounded by
the first iteration, because every later poll is a conditional GET answered 304.

`make test` runs 10 workflows x 40 iterations; `make soak` sets SMARTMON_SOAK=full for the size
issue 8 asks for, 50 workflows x 200 iterations."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from smartmon.report import REPORT_PREFIX
from tests.fixtures_sandbox import SandboxHandle
from tests.reliability.reliability_support import OWNER, PASSING

FULL = os.environ.get("SMARTMON_SOAK") == "full"
WORKFLOWS, ITERATIONS = (50, 200) if FULL else (10, 40)
DRIVER = Path(__file__).with_name("soak_driver.py")
RSS_GROWTH_KIB = 4096  # after warm-up; a leak of one API reply per poll would exceed it


def used(sb: SandboxHandle, token: str) -> int:
    # GET /rate_limit costs nothing, so it can watch the budget.
    return int(sb.api("GET", "/rate_limit", token=token).headers["x-ratelimit-used"])


@pytest.mark.slow
def test_soak_memory_and_descriptors_stay_flat(
    sandbox_server: SandboxHandle, tmp_path: Path
) -> None:
    files = {
        f".github/workflows/ci-{n:02d}.yml": PASSING.replace("name: CI", f"name: CI {n}")
        for n in range(WORKFLOWS)
    }
    sandbox_server.admin.create_repo(OWNER, "soak", files)
    sandbox_server.admin.wait_idle()
    token = sandbox_server.admin.token("pat", login=OWNER, limit=100_000)
    proc = subprocess.run(
        [
            sys.executable,
            str(DRIVER),
            sandbox_server.api_url,
            token,
            f"{OWNER}/soak",
            str(ITERATIONS),
            str(tmp_path / "reports"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.splitlines()[-1])
    samples = result["samples"]
    assert result["exit"] == 0  # every workflow passing
    assert [s[0] for s in samples] == list(range(1, ITERATIONS + 1))
    warm = samples[len(samples) // 4 :]  # after the first quarter: caches and pools are full
    rss = [s[1] for s in warm]
    fds = [s[2] for s in warm]
    calls = used(sandbox_server, token)
    print(
        f"\nsoak {WORKFLOWS} workflows x {ITERATIONS} iterations: "
        f"RSS {min(rss) / 1024:.1f}-{max(rss) / 1024:.1f} MiB after warm-up "
        f"(peak {max(s[1] for s in samples) / 1024:.1f} MiB), open fds {min(fds)}-{max(fds)}, "
        f"{calls} rate-limited request(s) for {ITERATIONS * (WORKFLOWS + 1)} polls"
    )
    assert max(rss) - min(rss) <= RSS_GROWTH_KIB
    assert max(fds) == min(fds)
    # First iteration: the repository, the workflow list and each workflow's runs; later
    # iterations are all 304s, which cost nothing.
    assert calls <= WORKFLOWS + 3
    assert len(list((tmp_path / "reports").glob(f"{REPORT_PREFIX}*.json"))) == ITERATIONS
