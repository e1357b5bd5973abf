"""The loop's stop rules, retries with backoff, and stop requests, against the in-process sandbox."""

from __future__ import annotations

import json
import signal
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from smartmon.errors import SmartmonError
from smartmon.github.client import GitHubClient, ServerError
from smartmon.monitor.config import MonitorConfig
from smartmon.monitor.loop import Monitor
from smartmon.report import FINAL_REPORT, REPORT_PREFIX
from tests.fixtures_sandbox import SandboxHandle
from tests.monitor.monitor_support import (
    PASSING_CI,
    ContentsHeal,
    FakeClock,
    Outcome,
    analysis,
    finding,
    new_repo,
)


def make(
    sandbox: SandboxHandle,
    repo: str,
    tmp_path: Path,
    clock: FakeClock,
    heal: Any = None,
    **options: Any,
) -> Monitor:
    config = MonitorConfig(reports_dir=tmp_path / "reports", **options)
    client = GitHubClient(sandbox.token, repo=repo, api_url=sandbox.api_url, clock=clock)
    return Monitor(client, config, token=sandbox.token, heal=heal, clock=clock, sleep=clock.sleep)


def final(tmp_path: Path) -> dict[str, Any]:
    return json.loads((tmp_path / "reports" / FINAL_REPORT).read_text())


def iteration_reports(tmp_path: Path) -> list[dict[str, Any]]:
    paths = sorted((tmp_path / "reports").glob(f"{REPORT_PREFIX}*.json"))
    return [json.loads(p.read_text()) for p in paths]


def never_heal(*args: Any, **kwargs: Any) -> Outcome:
    raise AssertionError("nothing should be healed")


def test_all_passing_stops_after_consecutive_passes(
    sandbox_server: SandboxHandle, tmp_path: Path
) -> None:
    repo = new_repo(sandbox_server, "green", PASSING_CI)
    clock = FakeClock()
    monitor = make(sandbox_server, repo, tmp_path, clock, never_heal, interval=60, max_iterations=9)
    assert monitor.run() == 0
    assert clock.sleeps == [60, 60]  # three checks, two waits between them
    report = final(tmp_path)
    assert report["total_iterations"] == 3
    assert report["stop_reason"] == "all workflows passed 3 checks in a row"
    assert report["exit_code"] == 0
    assert [r["iteration"] for r in iteration_reports(tmp_path)] == [1, 2, 3]
    assert report["workflows"][0]["consecutive_passes"] == 3


def test_heals_a_failure_and_proves_it_with_the_next_run(
    sandbox_server: SandboxHandle, tmp_path: Path
) -> None:
    repo = new_repo(sandbox_server, "red")
    clock = FakeClock()
    heal = ContentsHeal(sandbox_server)
    monitor = make(sandbox_server, repo, tmp_path, clock, heal, interval=5, max_iterations=9)
    assert monitor.run() == 0
    assert len(heal.calls) == 1
    assert heal.cloned == [True]  # heal got a real clone of the repository
    report = final(tmp_path)
    assert report["total_iterations"] == 4  # the failure, then three passes
    assert report["total_fixes_applied"] == 1
    fix = report["fixes"][0]
    assert fix["delivery"] == "commit"
    assert fix["verified_by_run"] == report["workflows"][0]["run_id"]
    assert report["workflows"][0]["head_sha"] == fix["commit_sha"]
    assert report["success_rate_value"] == 1.0
    first = iteration_reports(tmp_path)[0]
    assert first["state"] == "fixes_applied"
    assert first["issues_by_type"] == {"test_failure": 1}
    assert first["fixes_by_type"] == {"test_failure": 1}


def test_max_iterations_with_failures_left_exits_1(
    sandbox_server: SandboxHandle, tmp_path: Path
) -> None:
    repo = new_repo(sandbox_server, "stuck")
    clock = FakeClock()
    calls: list[int] = []

    def no_fix(client: GitHubClient, run: Mapping[str, Any], **_: Any) -> Outcome:
        calls.append(int(run["id"]))
        return Outcome(run_id=int(run["id"]), analysis=analysis(finding(fixable=False)))

    monitor = make(sandbox_server, repo, tmp_path, clock, no_fix, max_iterations=4, interval=1)
    assert monitor.run() == 1
    assert len(calls) == 1  # the same run is not healed again: it would fail the same way
    report = final(tmp_path)
    assert report["exit_code"] == 1
    assert report["total_iterations"] == 4
    assert "1 workflow(s) failing" in report["stop_reason"]
    assert report["success_rate_value"] == 1.0  # nothing healable was found


def test_once_on_a_green_repository_exits_0(sandbox_server: SandboxHandle, tmp_path: Path) -> None:
    repo = new_repo(sandbox_server, "once", PASSING_CI)
    clock = FakeClock()
    monitor = make(sandbox_server, repo, tmp_path, clock, never_heal, max_iterations=1)
    assert monitor.run() == 0
    assert clock.sleeps == []
    assert final(tmp_path)["total_iterations"] == 1


def test_retries_back_off_exponentially_then_give_up(
    sandbox_server: SandboxHandle, tmp_path: Path
) -> None:
    repo = new_repo(sandbox_server, "flaky-api")
    clock = FakeClock()
    times: list[float] = []

    def broken(client: GitHubClient, run: Mapping[str, Any], **kw: Any) -> Outcome:
        times.append(kw["clock"]() - clock.start)
        raise ServerError(502, "Server Error", method="POST", url="/rerun")

    monitor = make(
        sandbox_server, repo, tmp_path, clock, broken, interval=10, max_retries=3, max_iterations=8
    )
    assert monitor.run() == 1
    # Attempt n+1 waits 10·2ⁿ⁻¹ s after attempt n; checks happen every 10 s.
    assert times == [0, 10, 30]
    report = final(tmp_path)
    messages = [e["message"] for e in report["errors"]]
    assert sum("ServerError" in m for m in messages) == 3
    assert any("giving up after 3 heal attempt(s)" in m for m in messages)


def test_a_crashing_heal_is_recorded_and_retried(
    sandbox_server: SandboxHandle, tmp_path: Path
) -> None:
    repo = new_repo(sandbox_server, "buggy-heal")
    clock = FakeClock()
    calls: list[int] = []

    def crashes(client: GitHubClient, run: Mapping[str, Any], **_: Any) -> Outcome:
        calls.append(int(run["id"]))
        raise KeyError("conclusion")

    monitor = make(
        sandbox_server, repo, tmp_path, clock, crashes, interval=1, max_retries=2, max_iterations=6
    )
    assert monitor.run() == 1
    assert len(calls) == 2
    messages = [e["message"] for e in final(tmp_path)["errors"]]
    assert messages[0] == "KeyError: 'conclusion'"


def test_a_stop_during_heal_abandons_it_and_writes_the_final_report(
    sandbox_server: SandboxHandle, tmp_path: Path
) -> None:
    repo = new_repo(sandbox_server, "abandon")
    clock = FakeClock()
    monitor: Monitor

    def waits_forever(client: GitHubClient, run: Mapping[str, Any], **kw: Any) -> Outcome:
        monitor.request_stop(signal.SIGTERM)  # as the signal handler would
        sleep: Callable[[float], None] = kw["sleep"]
        while True:
            sleep(30)  # waiting for a verifying run: the stop cuts this short

    monitor = make(sandbox_server, repo, tmp_path, clock, waits_forever, max_iterations=3)
    assert monitor.run() == 143
    report = final(tmp_path)
    assert report["stop_reason"] == "stopped by SIGTERM"
    assert report["exit_code"] == 143
    assert any("abandoned: stop requested" in e["message"] for e in report["errors"])
    assert clock.sleeps == []


def test_a_stop_between_checks_exits_130(sandbox_server: SandboxHandle, tmp_path: Path) -> None:
    repo = new_repo(sandbox_server, "interrupted", PASSING_CI)
    clock = FakeClock()
    monitor = make(
        sandbox_server, repo, tmp_path, clock, never_heal, consecutive_passes=50, max_iterations=9
    )

    def stop_at_second(index: int) -> None:
        if index == 2:
            monitor.request_stop(signal.SIGINT)

    clock.on_sleep = stop_at_second
    assert monitor.run() == 130
    assert final(tmp_path)["total_iterations"] == 2
    assert final(tmp_path)["stop_reason"] == "stopped by SIGINT"


def test_bad_credentials_end_the_session_with_a_report(
    sandbox_server: SandboxHandle, tmp_path: Path
) -> None:
    repo = new_repo(sandbox_server, "nope", PASSING_CI)
    clock = FakeClock()
    monitor = make(sandbox_server, repo, tmp_path, clock, never_heal, max_iterations=2)
    monitor.client = GitHubClient("ghp_" + "x" * 36, repo=repo, api_url=sandbox_server.api_url)
    with pytest.raises(SmartmonError, match="check --repo, --token"):
        monitor.run()
    assert final(tmp_path)["exit_code"] == 2


def test_config_is_validated() -> None:
    with pytest.raises(SmartmonError, match="--mode"):
        MonitorConfig(mode="yolo")
    with pytest.raises(SmartmonError, match="--consecutive-passes"):
        MonitorConfig(consecutive_passes=0)
    with pytest.raises(SmartmonError, match="--max-iterations"):
        MonitorConfig(max_iterations=0)


def test_all_branches_watches_each_branch_on_its_own(
    sandbox_server: SandboxHandle, tmp_path: Path
) -> None:
    repo = new_repo(sandbox_server, "branches", PASSING_CI)
    client = GitHubClient(sandbox_server.token, repo=repo, api_url=sandbox_server.api_url)
    text, sha = client.get_contents(".github/workflows/ci.yml")
    client.create_ref("feature", client.get_ref("main")["object"]["sha"])
    broken = text.decode().replace("echo ok", "exit 1")
    client.put_contents(".github/workflows/ci.yml", broken, "break CI", "feature", sha)
    sandbox_server.admin.wait_idle()
    healed: list[str] = []

    def no_fix(client: GitHubClient, run: Mapping[str, Any], **_: Any) -> Outcome:
        healed.append(str(run["head_branch"]))
        return Outcome(run_id=int(run["id"]))

    clock = FakeClock()
    only_main = make(sandbox_server, repo, tmp_path / "a", clock, no_fix, max_iterations=3)
    assert only_main.run() == 0
    assert healed == []
    every = make(
        sandbox_server, repo, tmp_path / "b", clock, no_fix, all_branches=True, max_iterations=3
    )
    assert every.run() == 1
    assert healed == ["feature"]
    states = {w["branch"]: w["conclusion"] for w in final(tmp_path / "b")["workflows"]}
    assert states == {"main": "success", "feature": "failure"}
