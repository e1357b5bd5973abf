"""Compose v2 warns that a service's image is on no registry and then builds it (benign.warned_only
on registry-unauthorized): the job's later failure speaks; `docker pull`'s own refusal still does.
Line shapes are Docker's (jajm/koha-docker #14, dunglas/symfony-docker #788); names ours.
"""

from __future__ import annotations

from pathlib import Path

from smartmon.diagnose import analyze_paths
from tests.diagnose.joblog import FAILED, run_step, write_job

_WARNED = (
    " ! app Warning pull access denied for myapp, repository does not exist or may require "
    "'docker login': denied: requested access to the resource is denied"
)


def _top(tmp_path: Path, lines: list[str]) -> tuple[str, str]:
    top = analyze_paths([write_job(tmp_path, lines)]).findings[0]
    return top.type.value, top.rule


def test_composes_pull_warning_leaves_the_port_conflict(tmp_path: Path) -> None:
    body = (
        _WARNED,
        " ✔ Container app-db-1 Started",
        "Error response from daemon: driver failed programming external connectivity on endpoint "
        "app-web-1: Bind for 0.0.0.0:8080 failed: port is already allocated",
    )
    lines = [*run_step("docker compose up -d", *body), FAILED]
    assert _top(tmp_path, lines) == ("unknown", "docker-port-already-allocated")


def test_docker_pulls_refusal_is_still_the_registrys(tmp_path: Path) -> None:
    line = (
        "Error response from daemon: pull access denied for o/nope, repository does not exist or "
        "may require 'docker login': denied: requested access to the resource is denied"
    )
    lines = [*run_step("docker pull o/nope:1", line), FAILED]
    assert _top(tmp_path, lines) == ("auth_error", "registry-unauthorized")
