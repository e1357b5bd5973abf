"""With `track_issues`, the monitor closes a workflow's tracking issue once it passes again."""

from __future__ import annotations

from pathlib import Path

from smartmon.github.client import GitHubClient
from smartmon.monitor.config import MonitorConfig
from smartmon.monitor.loop import Monitor
from tests.fixtures_sandbox import SandboxHandle
from tests.monitor.monitor_support import PASSING_CI, FakeClock, new_repo

pytest_plugins = ["tests.fixtures_sandbox"]


def test_a_passing_workflow_closes_its_tracking_issue_once(
    sandbox_server: SandboxHandle, tmp_path: Path
) -> None:
    repo = new_repo(sandbox_server, "tracked", PASSING_CI)
    client = GitHubClient(sandbox_server.token, repo=repo, api_url=sandbox_server.api_url)
    [workflow] = client.list_workflows()
    body = f"<!-- smartmon:tracking workflow={workflow['id']} -->\nCI fails on main."
    issue = client.create_issue("CI failing: CI on main", body, labels=("ci-failure",))
    other = client.create_issue("Unrelated", "a person's issue", labels=("ci-failure",))
    clock = FakeClock()
    config = MonitorConfig(reports_dir=tmp_path / "reports", track_issues=True, max_iterations=2)
    monitor = Monitor(client, config, token=sandbox_server.token, clock=clock, sleep=clock.sleep)
    monitor.run()
    assert client.get_issue(issue["number"])["state"] == "closed"
    assert client.get_issue(other["number"])["state"] == "open"
    comments = client.list_issue_comments(issue["number"])
    assert len(comments) == 1 and "passes again" in comments[0]["body"]  # checked once
