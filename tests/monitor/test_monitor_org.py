"""The `org` scenario end to end: org-scan's matrix, `monitor --org` until every repository is
green with one final report, and an empty matrix once the fixes have passed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from smartmon.cli.demo_story import Reviewer
from smartmon.cli.main import main
from smartmon.github import GitHubClient
from smartmon.monitor import MonitorConfig, OrgMonitor, list_repositories
from smartmon.report import FINAL_REPORT
from smartmon.sandbox import SandboxProcess
from smartmon.sandbox.scenarios.organisation import load_organisation
from tests.fixtures_sandbox import CI_WORKFLOW, Admin, SandboxHandle
from tests.report.test_report import check

ORG = load_organisation("org")
EXPECTED = {(r.full_name, w) for r in ORG.failing() for w in r.failing_workflows}


def _matrix(sb: SandboxProcess, capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    argv = ["org-scan", "--org", sb.org, "--api-url", sb.api_url, "--token", sb.token]
    assert main([*argv, "--format", "matrix"]) == 0
    include: list[dict[str, Any]] = json.loads(capsys.readouterr().out)["include"]
    return include


def _used(sb: SandboxProcess) -> int:
    client = GitHubClient(sb.token, api_url=sb.api_url)
    return int(client.rate_limit()["resources"]["core"]["used"])


@pytest.mark.slow
def test_monitor_org_heals_every_repository_and_writes_one_final_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    with SandboxProcess(scenarios=["org"], extra_args=["--workers", "2"]) as sb:
        assert (sb.org, sb.repo) == ("smartmon-org", "smartmon-org/billing")
        Admin(sb.api_url, sb.admin_token).wait_idle(240)
        # org-scan: exactly the failing workflows of active repositories; a rescan costs 0.
        include = _matrix(sb, capsys)
        assert {(e["repository"], e["workflow"]) for e in include} == EXPECTED
        before = _used(sb)
        assert _matrix(sb, capsys) == include
        assert _used(sb) == before

        client = GitHubClient(sb.token, api_url=sb.api_url)
        listing = list_repositories(client, sb.org, installation=False)
        active = [r for r in listing if not (r["archived"] or r["fork"])]
        reports = tmp_path / "reports"
        config = MonitorConfig(
            interval=2.0,
            max_retries=3,
            consecutive_passes=1,
            mode="auto",  # default-branch fixes go by pull request; the reviewer merges them
            reports_dir=reports,
            retry_backoff=1.0,
            can_push_workflows=True,
            verify_timeout=120.0,
            max_iterations=8,  # a safety net; two rounds are enough
        )

        def reviewer(monitor: object) -> Reviewer:
            one = monitor.client  # type: ignore[attr-defined]
            return Reviewer(one, sb.token, monitor.workspace)  # type: ignore[attr-defined]

        org = OrgMonitor(client, sb.org, active, config, token=sb.token, on_healed=reviewer)
        code = org.run()
        # Every fix has landed and passed: the next scan finds nothing to heal.
        assert _matrix(sb, capsys) == []
    final = json.loads((reports / FINAL_REPORT).read_text())
    assert code == 0, final["stop_reason"]
    assert final["kind"] == "organisation" and final["exit_code"] == 0
    check(final, "continuous_monitoring_org_final_report.schema.json")
    repos = {r["repository"]: r for r in final["repositories"]}
    assert len(repos) == 37 and all(r["passing"] for r in repos.values())
    failing = {r.full_name for r in ORG.failing()}
    healed = {r for r, entry in repos.items() if entry["total_issues_found"]}
    assert healed == failing
    for key in ("total_issues_found", "total_fixes_applied", "total_reruns"):
        assert final[key] == sum(r[key] for r in repos.values())
    assert final["success_rate"].endswith("%") and 0 < final["success_rate_value"] <= 1
    for name in repos:
        folder = reports / name
        assert (folder / FINAL_REPORT).is_file(), name
        own = json.loads((folder / FINAL_REPORT).read_text())
        assert own["repository"] == name and own["exit_code"] == 0
        check(own, "continuous_monitoring_final_report.schema.json")


def test_monitor_org_command_on_a_quiet_organisation(
    sandbox_server: SandboxHandle, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ci = {".github/workflows/ci.yml": CI_WORKFLOW}
    for name in ("one", "two", "three"):
        sandbox_server.admin.create_repo("quiet", name, ci)
    sandbox_server.admin.configure("quiet/three", archived=True)
    sandbox_server.admin.wait_idle()
    reports = tmp_path / "reports"
    argv = ["monitor", "--org", "quiet", "--token", sandbox_server.token]
    argv += ["--api-url", sandbox_server.api_url, "--interval", "0", "--consecutive-passes", "2"]
    argv += ["--reports", str(reports), "--log-file", str(tmp_path / "monitor.log")]
    assert main(argv) == 0, capsys.readouterr().out
    final = json.loads((reports / FINAL_REPORT).read_text())
    check(final, "continuous_monitoring_org_final_report.schema.json")
    assert [r["repository"] for r in final["repositories"]] == ["quiet/one", "quiet/two"]
    assert final["total_iterations"] == 2 and final["total_issues_found"] == 0
    assert (reports / "quiet" / "one" / FINAL_REPORT).is_file()
    assert "round 2: 2 of 2 repositories green" in capsys.readouterr().out
    assert main([*argv[:3], "--repo", "quiet/one", *argv[3:]]) == 2  # --repo and --org
