"""`smartmon monitor` as a command: settings from options and environment, the log file, signals."""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from smartmon.cli import monitor as command
from smartmon.errors import InputError
from smartmon.report import FINAL_REPORT, REPORT_PREFIX
from tests.fixtures_sandbox import SandboxHandle


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    command.add_arguments(parser)
    return parser.parse_args(argv)


def smartmon(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    return subprocess.run(
        [sys.executable, "-m", "smartmon", "monitor", *args],
        cwd=cwd,
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_environment_fallbacks() -> None:
    env = {
        "GITHUB_REPOSITORY_OWNER": "octo",
        "GITHUB_REPOSITORY_NAME": "app",
        "CHECK_INTERVAL": "15",
        "MAX_RETRIES": "2",
    }
    assert command.resolve_repo(None, env) == "octo/app"
    assert command.resolve_repo(None, {**env, "GITHUB_REPOSITORY": "a/b"}) == "a/b"
    assert command.resolve_repo("c/d", env) == "c/d"
    config = command.config_from_args(parse(), env)
    assert (config.interval, config.max_retries, config.max_iterations) == (15.0, 2, None)
    config = command.config_from_args(parse("--interval", "5", "--once"), env)
    assert (config.interval, config.max_retries, config.max_iterations) == (5.0, 2, 1)
    assert config.token_starts_runs
    actions = command.config_from_args(parse(), {"GITHUB_ACTIONS": "true"})
    assert not actions.token_starts_runs  # GITHUB_TOKEN's pushes start no runs
    with pytest.raises(InputError, match="CHECK_INTERVAL='soon'"):
        command.config_from_args(parse(), {"CHECK_INTERVAL": "soon"})


def test_no_token_and_no_repository_points_to_the_demo(tmp_path: Path) -> None:
    proc = smartmon(cwd=tmp_path)
    assert proc.returncode == 2
    assert "smartmon demo" in proc.stderr
    assert proc.stderr.startswith("smartmon: error: no repository to watch")


@pytest.mark.slow
@pytest.mark.parametrize("sandbox", [["passing"]], indirect=True)
def test_environment_only_run_logs_redacted(sandbox: SandboxHandle, tmp_path: Path) -> None:
    sandbox.admin.wait_idle()
    env = {
        "GITHUB_TOKEN": sandbox.token,
        "GITHUB_REPOSITORY": sandbox.repo,
        "GITHUB_API_URL": sandbox.api_url,
        "CHECK_INTERVAL": "0",
        "LOG_LEVEL": "DEBUG",
    }
    proc = smartmon("--max-iterations", "5", cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "iteration 3: CI [main] success (3 in a row)" in proc.stdout
    logged = (tmp_path / "logs" / "continuous_workflow_monitor.log").read_text()
    assert "all workflows passed 3 checks in a row" in logged
    assert "GET " in logged  # DEBUG: the transport's requests are in the file
    for text in (logged, proc.stdout, proc.stderr):
        assert sandbox.token not in text
        assert sandbox.token[4:] not in text
    reports = sorted((tmp_path / "reports").glob(f"{REPORT_PREFIX}*.json"))
    assert len(reports) == 3
    assert (
        not (tmp_path / "reports" / "continuous_monitoring_report.html")
        .read_text()
        .count("<script src")
    )


@pytest.mark.slow
@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
@pytest.mark.parametrize("sandbox", [["passing"]], indirect=True)
def test_a_signal_writes_the_final_report(
    sandbox: SandboxHandle, tmp_path: Path, signum: int, code: int
) -> None:
    sandbox.admin.wait_idle()
    args = [sys.executable, "-m", "smartmon", "monitor", "--repo", sandbox.repo]
    args += ["--token", sandbox.token, "--api-url", sandbox.api_url, "--interval", "600"]
    proc = subprocess.Popen(
        args, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        for line in proc.stdout:  # the first check is done when its line is printed
            if "iteration 1:" in line:
                break
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == code, err
    final = json.loads((tmp_path / "reports" / FINAL_REPORT).read_text())
    assert final["stop_reason"] == f"stopped by {signal.Signals(signum).name}"
    assert final["exit_code"] == code
    assert final["total_iterations"] == 1
    assert (tmp_path / "reports" / "continuous_monitoring_report.html").is_file()
    assert "done: stopped by" in out


@pytest.mark.slow
@pytest.mark.parametrize("sandbox", [["permission-denied"]], indirect=True)
def test_report_mode_heals_nothing_and_keeps_the_patch(
    sandbox: SandboxHandle, tmp_path: Path
) -> None:
    sandbox.admin.wait_idle()
    args = ["--repo", sandbox.repo, "--token", sandbox.token, "--api-url", sandbox.api_url]
    proc = smartmon(*args, "--mode", "report", "--once", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    final = json.loads((tmp_path / "reports" / FINAL_REPORT).read_text())
    assert final["issues_by_type"].get("permission_error") == 1
    [fix] = [f for f in final["fixes"] if f["type"] == "permission_error"]
    assert fix["applied"] is False
    assert "scripts/build.sh" in (fix["patch"] or "")
    assert "1 workflow(s) failing" in final["stop_reason"]
