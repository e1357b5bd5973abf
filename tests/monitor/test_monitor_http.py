"""The monitor over real HTTP: report schemas, the webhook (working and failing), conditional polls
that cost no rate limit, waiting for the reset, and injected faults (5xx burst, secondary limit)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from smartmon.github.client import GitHubClient
from smartmon.monitor.config import MonitorConfig
from smartmon.monitor.loop import Monitor
from smartmon.report import FINAL_REPORT, REPORT_PREFIX
from tests.fixtures_sandbox import SandboxHandle
from tests.monitor.monitor_support import PASSING_CI, ContentsHeal, FakeClock, new_repo
from tests.report.test_report import check


class Hook:
    """A webhook receiver on 127.0.0.1:0 that answers `status` and keeps what it was sent."""

    def __init__(self, status: int) -> None:
        self.status = status
        self.bodies: list[dict[str, Any]] = []
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                hook.bodies.append(json.loads(self.rfile.read(length)))
                self.send_response(hook.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/s3cret-path"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hook_ok() -> Iterator[Hook]:
    hook = Hook(200)
    yield hook
    hook.close()


@pytest.fixture
def hook_broken() -> Iterator[Hook]:
    hook = Hook(503)
    yield hook
    hook.close()


def make(
    sandbox: SandboxHandle,
    repo: str,
    tmp_path: Path,
    clock: FakeClock,
    token: str | None = None,
    heal: Any = None,
    **options: Any,
) -> Monitor:
    options.setdefault("max_iterations", 9)
    config = MonitorConfig(reports_dir=tmp_path / "reports", **options)
    use = token or sandbox.token
    client = GitHubClient(use, repo=repo, api_url=sandbox.api_url, clock=clock)
    return Monitor(client, config, token=use, heal=heal, clock=clock, sleep=clock.sleep)


def remaining(sandbox: SandboxHandle, token: str | None = None) -> int:
    # GET /rate_limit does not count against the limit, so it can watch the budget.
    reply = sandbox.api("GET", "/rate_limit", token=token)
    return int(reply.headers["x-ratelimit-remaining"])


def test_reports_follow_their_schemas_and_the_webhook_gets_the_summary(
    sandbox_server: SandboxHandle, tmp_path: Path, hook_ok: Hook
) -> None:
    repo = new_repo(sandbox_server, "schemas")
    clock = FakeClock()
    heal = ContentsHeal(sandbox_server)
    monitor = make(sandbox_server, repo, tmp_path, clock, heal=heal, webhook=hook_ok.url)
    assert monitor.run() == 0
    reports = tmp_path / "reports"
    iterations = sorted(reports.glob(f"{REPORT_PREFIX}*.json"))
    assert len(iterations) == 4
    for path in iterations:
        check(json.loads(path.read_text()), "continuous_monitoring_report.schema.json")
    final = json.loads((reports / FINAL_REPORT).read_text())
    check(final, "continuous_monitoring_final_report.schema.json")
    page = (reports / "continuous_monitoring_report.html").read_text()
    assert "<svg" in page and "<script src" not in page
    assert monitor.webhook_delivered is True
    assert len(hook_ok.bodies) == 1
    body = hook_ok.bodies[0]
    check(body, "webhook_payload.schema.json")
    assert body["status"] == "monitoring_complete"
    assert body["issues_fixed"] == 1
    assert body["exit_code"] == 0


def test_a_failing_webhook_is_retried_and_never_changes_the_outcome(
    sandbox_server: SandboxHandle,
    tmp_path: Path,
    hook_broken: Hook,
    caplog: pytest.LogCaptureFixture,
) -> None:
    repo = new_repo(sandbox_server, "hook-down", PASSING_CI)
    clock = FakeClock()
    monitor = make(sandbox_server, repo, tmp_path, clock, webhook=hook_broken.url, interval=1)
    assert monitor.run() == 0
    assert monitor.webhook_delivered is False
    assert len(hook_broken.bodies) == 4  # the first try and three retries
    assert clock.sleeps == [1, 1, 1.0, 2.0, 4.0]  # two check intervals, then the backoff
    assert "failed after 4 attempt(s)" in caplog.text
    assert "s3cret-path" not in caplog.text


def test_an_idle_repository_costs_no_rate_limit(
    sandbox_server: SandboxHandle, tmp_path: Path
) -> None:
    repo = new_repo(sandbox_server, "idle", PASSING_CI)
    clock = FakeClock()
    monitor = make(sandbox_server, repo, tmp_path, clock, consecutive_passes=6, max_iterations=6)
    monitor.check_once(heal=False)  # the first check fills the ETag cache
    before = remaining(sandbox_server)
    assert monitor.run() == 0
    assert remaining(sandbox_server) == before
    final = json.loads((tmp_path / "reports" / FINAL_REPORT).read_text())
    assert final["rate_limit_remaining"] == before


def test_a_low_budget_waits_for_the_reset_and_says_so(
    sandbox_server: SandboxHandle, tmp_path: Path
) -> None:
    repo = new_repo(sandbox_server, "budget", PASSING_CI)
    token = sandbox_server.admin.token("pat", login="octo", limit=60)
    clock = FakeClock()
    events: list[str] = []
    monitor = make(
        sandbox_server, repo, tmp_path, clock, token=token, min_rate_remaining=58, max_iterations=2
    )
    monitor.observer.event = events.append  # type: ignore[method-assign]
    assert monitor.run() == 0  # no failures left after the two allowed checks
    reset_waits = [s for s in clock.sleeps if s > 3000]
    assert len(reset_waits) == 1  # after the first check the budget was below 58 of 60
    assert any("rate limit low" in e and "waiting" in e for e in events)


def test_a_5xx_burst_and_a_secondary_limit_are_ridden_out(
    sandbox_server: SandboxHandle, tmp_path: Path
) -> None:
    repo = new_repo(sandbox_server, "faults", PASSING_CI)
    sandbox_server.admin.faults("5xx:times=3,path=/repos/*/actions/workflows/*/runs")
    sandbox_server.admin.faults("secondary:retry_after=7,path=/repos/*/actions/workflows")
    clock = FakeClock()
    monitor = make(sandbox_server, repo, tmp_path, clock, interval=30)
    assert monitor.run() == 0
    assert 7 in clock.sleeps  # retry-after was honoured
    assert len([s for s in clock.sleeps if s < 7]) == 3  # one backoff per 5xx
    assert json.loads((tmp_path / "reports" / FINAL_REPORT).read_text())["errors"] == []


def test_a_long_outage_is_recorded_and_the_loop_goes_on(
    sandbox_server: SandboxHandle, tmp_path: Path
) -> None:
    repo = new_repo(sandbox_server, "outage", PASSING_CI)
    sandbox_server.admin.faults("5xx:times=6,path=/repos/*/actions/workflows")
    clock = FakeClock()
    monitor = make(sandbox_server, repo, tmp_path, clock, interval=30)
    assert monitor.run() == 0
    final = json.loads((tmp_path / "reports" / FINAL_REPORT).read_text())
    assert final["total_iterations"] == 4  # the first check failed; three passes followed
    assert len(final["errors"]) == 1
    assert "502" in final["errors"][0]["message"]
    assert final["errors"][0]["iteration"] == 1
