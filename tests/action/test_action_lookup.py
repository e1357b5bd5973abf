"""The action's program looks up a deprecated action the dataset lacks (and the SHA pin of it)
through GITHUB_API_URL with its token, and keeps the ETags under RUNNER_TEMP."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from smartmon.action import main as action
from smartmon.action.runtime import Runtime
from smartmon.github.client import GitHubClient
from tests.action import e2e_support as es
from tests.action.test_action import _env
from tests.github.action_repos import setup_thing

if TYPE_CHECKING:
    from tests.fixtures_sandbox import SandboxHandle

pytest_plugins = ["tests.fixtures_sandbox"]

REFUSED = """\
name: CI
on:
  push:
  workflow_dispatch:
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: |
          echo set up
          ##[error]This request has been automatically failed because it uses a deprecated version of `octo/setup-thing: {old}`.
          exit 1
      - uses: octo/setup-thing@{old} # v1.0.0
        with:
          tool-version: 3
"""


def test_the_action_bumps_a_pinned_action_outside_the_dataset(
    sandbox_server: SandboxHandle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sb = sandbox_server
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "never"))  # RUNNER_TEMP wins on a runner
    old, new = setup_thing(sb, tmp_path)
    sb.admin.create_repo("octo", "app", {".github/workflows/ci.yml": REFUSED.format(old=old)})
    sb.admin.wait_idle()
    client = GitHubClient(sb.token, repo="octo/app", api_url=sb.api_url)
    run = client.list_runs()[0]
    env = _env(tmp_path, sb, "octo/app", {"action": "completed", "workflow_run": dict(run)})

    assert action.main(Runtime(env=env, out=io.StringIO())) == 0

    outputs = es._parse_outputs((tmp_path / "output").read_text())
    assert outputs["findings"] == "1"
    report_dir = Path(outputs["report-path"])
    report = json.loads((report_dir / "report.json").read_text())
    assert report["results"][0]["delivery"] == "patch"
    patch = (report_dir / f"fix-run-{run['id']}.patch").read_text()
    assert f"-      - uses: octo/setup-thing@{old} # v1.0.0\n" in patch
    assert f"+      - uses: octo/setup-thing@{new} # v2.0.1\n" in patch
    assert (Path(env["RUNNER_TEMP"]) / "smartmon" / "action-etags.json").is_file()
    assert not (tmp_path / "never").exists()
