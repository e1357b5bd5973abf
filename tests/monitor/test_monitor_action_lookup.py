"""`ContinuousWorkflowMonitor.apply_auto_fix` looks a deprecated action the dataset lacks up
through the monitor's API and token, as the heal pipeline does for `smartmon monitor`."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.model import IssueType
from smartmon.monitor.api import ContinuousWorkflowMonitor
from tests.fixtures_sandbox import SandboxHandle
from tests.github.action_repos import setup_thing
from tests.monitor.monitor_support import FakeClock

WORKFLOW = """\
name: CI
on: [push, workflow_dispatch]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: |
          echo set up
          ##[error]This request has been automatically failed because it uses a deprecated version of `octo/setup-thing: v1`.
          exit 1
      - uses: octo/setup-thing@v1
        with:
          tool-version: 3
"""


def test_apply_auto_fix_bumps_an_action_outside_the_dataset(
    sandbox_server: SandboxHandle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sb = sandbox_server
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("RUNNER_TEMP", raising=False)
    setup_thing(sb, tmp_path)
    sb.admin.create_repo("octo", "app", {".github/workflows/ci.yml": WORKFLOW})
    sb.admin.wait_idle()
    clock = FakeClock()
    mon = ContinuousWorkflowMonitor(
        sb.token,
        "octo",
        "app",
        api_url=sb.api_url,
        reports_dir=tmp_path / "reports",
        workspace=tmp_path / "clone",
        clock=clock,
        sleep=clock.sleep,
    )
    [state] = mon.check_workflow_status()
    [deprecated] = [
        f
        for f in mon.analyze_workflow_failure(state["run_id"])
        if f.type is IssueType.DEPRECATED_ACTION
    ]

    fix = mon.apply_auto_fix(deprecated, state["run_id"])

    assert fix is not None and fix.applicable, fix and fix.reason
    text = (tmp_path / "clone" / ".github/workflows/ci.yml").read_text()
    assert "      - uses: octo/setup-thing@v2\n" in text and "@v1\n" not in text
    assert (tmp_path / "cache" / "smartmon" / "action-etags.json").is_file()
