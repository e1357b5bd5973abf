"""A rule matches a tool's line behind the prefix a runner relays it with: Docker Compose's service
column, lerna's and Yarn Berry's package tags, concurrently's index. (Shapes: docker/compose's log
formatter, "web-1  | "; lerna/lerna #1790 and #2974; yarnpkg/berry foreach.ts; element-plus #15091.)
The jobs are ours."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import analyze_paths

CAUSE = "Error: Cannot find module 'express'"


@pytest.mark.parametrize(
    "prefix",
    ["web-1  | ", "acme-web-1  | ", "acme_web_1  | ", "@acme/web: ", "lerna ERR! ", "[1] "],
    ids=["compose", "compose-2.x", "compose-1.x", "lerna-stream", "lerna-replay", "concurrently"],
)
def test_a_relayed_line_is_read_behind_its_prefix(tmp_path: Path, prefix: str) -> None:
    log = tmp_path / "job.txt"
    log.write_text(
        "Run npm start\n"
        f"{prefix}node:internal/modules/cjs/loader:1080\n"
        f"{prefix}  throw err;\n"
        f"{prefix}{CAUSE}\n"
        f"{prefix}Require stack:\n"
        "Error: Process completed with exit code 1.\n"
    )
    finding = analyze_paths([log]).findings[0]
    assert (finding.type.value, finding.data.get("module")) == ("missing_dependency", "express")


def test_a_compose_service_that_only_logs_is_no_cause(tmp_path: Path) -> None:
    log = tmp_path / "job.txt"
    log.write_text(
        "Run docker compose up -d --wait\n"
        "db-1   | 2024-05-02 10:11:12.123 UTC [1] LOG:  database system is ready to accept connections\n"
        "web-1  | listening on :8080\n"
    )
    assert not analyze_paths([log]).findings
