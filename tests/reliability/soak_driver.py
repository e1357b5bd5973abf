"""Run the monitor (real client, real heal) for a fixed number of iterations at a zero interval in
this process alone, and print one JSON line: RSS and open file descriptors after every iteration.

Usage: python soak_driver.py API_URL TOKEN OWNER/NAME ITERATIONS REPORTS_DIR
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from smartmon.github.client import GitHubClient
from smartmon.monitor.config import MonitorConfig, Quiet
from smartmon.monitor.loop import Monitor
from smartmon.report import WorkflowState


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status")


class Sampler(Quiet):
    def __init__(self) -> None:
        self.samples: list[tuple[int, int, int]] = []  # (iteration, RSS KiB, open fds)

    def iteration(self, number: int, workflows: Sequence[WorkflowState]) -> None:
        self.samples.append((number, rss_kib(), len(os.listdir("/proc/self/fd"))))


def main(argv: list[str]) -> int:
    api_url, token, repo, iterations, reports = argv
    sampler = Sampler()
    config = MonitorConfig(
        interval=0,
        max_iterations=int(iterations),
        consecutive_passes=int(iterations) + 1,  # never stop early: run every iteration
        reports_dir=Path(reports),
    )
    client = GitHubClient(token, repo=repo, api_url=api_url)
    code = Monitor(client, config, token=token, observer=sampler).run()
    print(json.dumps({"exit": code, "samples": sampler.samples}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
