"""The action's inputs of issue 16 in-process against the sandbox: `track-issues` opens the
tracking issue of a red default branch and a later successful `workflow_run` closes it; the
`handoff` output carries a work order; `comment` rejects what it does not know."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from smartmon.action import main as action
from smartmon.action.runtime import Runtime
from smartmon.github.client import GitHubClient
from tests.action import e2e_support as es
from tests.action.test_action import FAILING, _env

if TYPE_CHECKING:
    from tests.fixtures_sandbox import SandboxHandle

pytest_plugins = ["tests.fixtures_sandbox"]

TEST_FAILURE = FAILING.replace(
    "python -m app\n          ModuleNotFoundError: No module named 'yaml'",
    "pytest -q\n          FAILED tests/test_app.py::test_add - assert 1 == 2",
)


def _act(
    tmp: Path, sb: SandboxHandle, run: dict[str, Any], event: str = "workflow_run", **inputs: str
) -> dict[str, str]:
    env = _env(tmp, sb, "octo/tracked", {"action": "completed", "workflow_run": run})
    env |= {f"SMARTMON_{k.upper()}": v for k, v in inputs.items()} | {"GITHUB_EVENT_NAME": event}
    assert action.main(Runtime(env=env, out=io.StringIO())) == 0
    return es._parse_outputs((tmp / "output").read_text())


@pytest.mark.parametrize("closer", ["workflow_run", "schedule"])
def test_track_issues_opens_then_closes_and_handoff_is_set(
    sandbox_server: SandboxHandle, tmp_path: Path, closer: str
) -> None:
    files = {".github/workflows/ci.yml": TEST_FAILURE}
    sandbox_server.admin.create_repo("octo", "tracked", files)
    sandbox_server.admin.wait_idle()
    client = GitHubClient(sandbox_server.token, repo="octo/tracked", api_url=sandbox_server.api_url)
    red = dict(client.list_runs()[0])
    assert red["conclusion"] == "failure"

    outputs = _act(tmp_path, sandbox_server, red, track_issues="true")
    [issue] = client.list_issues(labels="ci-failure")
    assert issue["title"] == "CI failing: CI on main"
    summary = (tmp_path / "summary").read_text()
    assert f"Tracking issue #{issue['number']} opened" in summary
    assert "## Fix the test_failure" in outputs["handoff"]
    assert (Path(outputs["report-path"]) / "handoff.md").read_text() == outputs["handoff"]

    # The workflow passes again (CI edited through the API): the next workflow_run, or the
    # scheduled run that looks at each workflow's newest run, closes it.
    content, sha = client.get_contents(".github/workflows/ci.yml")
    green_text = content.decode().replace("exit 1", "true")
    client.put_contents(".github/workflows/ci.yml", green_text, "fix", "main", sha)
    sandbox_server.admin.wait_idle()
    green = dict(client.list_runs()[0])
    assert green["conclusion"] == "success"
    _act(tmp_path, sandbox_server, green, closer, track_issues="true")
    assert client.get_issue(issue["number"])["state"] == "closed"
    assert f"Tracking issue #{issue['number']} closed" in (tmp_path / "summary").read_text()


def test_comment_input_is_checked(sandbox_server: SandboxHandle, tmp_path: Path) -> None:
    env = _env(tmp_path, sandbox_server, "octo/none", {"workflow_run": {}})
    out = io.StringIO()
    assert action.main(Runtime(env={**env, "SMARTMON_COMMENT": "loud"}, out=out)) == 2
    assert "input comment: 'loud'" in out.getvalue()
