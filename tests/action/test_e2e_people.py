"""Issue 16 end to end through the composite action: examples/on-failure.yml (with its
`track-issues: true`) installed in a sandbox repository whose test fails. The red default branch
gets one tracking issue; a pull request whose CI fails twice gets exactly one comment, edited the
second time (with the `smartmon:skip` label the edit says the run was report-only), and turned
green when the branch passes again."""

from __future__ import annotations

import pytest

from smartmon.github.client import GitHubClient
from smartmon.heal.pr_comment import MARKER
from tests.action import e2e_support as es

pytestmark = pytest.mark.slow

CI = """\
name: CI

on:
  push:
  pull_request:

permissions: {}

jobs:
  test:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: '3.x'
      - name: Test
        run: python -m unittest discover -s tests -v
"""


def _commit(client: GitHubClient, branch: str, text: str) -> None:
    _content, sha = client.get_contents("README.md", ref=branch)
    client.put_contents("README.md", text, f"docs: {text.strip()}", branch, sha)


def test_one_comment_per_pull_request_and_one_tracking_issue(sb: es.Sandbox) -> None:
    repo = sb.create("unfixable", extra={".github/workflows/ci.yml": CI})
    sb.admin.wait_idle(240)
    client = sb.client(repo)
    [issue] = client.list_issues(labels="ci-failure")  # the red default branch
    main_run = next(r for r in sb.runs(repo) if r["name"] == "CI")
    assert f"[{main_run['id']}](" in issue["body"]

    client.create_ref("feature", str(client.get_ref("main")["object"]["sha"]))
    _commit(client, "feature", "first change\n")
    sb.admin.wait_idle(240)
    pull = client.create_pull("feature", "main", "A change")
    sb.admin.wait_idle(240)
    [comment] = [c for c in client.list_issue_comments(pull["number"]) if MARKER in c["body"]]
    assert "test_failure" in comment["body"] and "Left for a person" in comment["body"]

    client.http.request(
        "POST",
        f"/repos/{repo}/issues/{pull['number']}/labels",
        json_body={"labels": ["smartmon:skip"]},
    )
    _commit(client, "feature", "second change\n")
    sb.admin.wait_idle(240)
    ours = [c for c in client.list_issue_comments(pull["number"]) if MARKER in c["body"]]
    assert [c["id"] for c in ours] == [comment["id"]]  # edited in place, never a second one
    last = max((r for r in sb.runs(repo) if r["name"] == "CI"), key=lambda r: r["id"])
    assert f"Updated for run [{last['id']}]" in ours[0]["body"]
    assert (
        "Report only, nothing pushed: the pull request has the label smartmon:skip"
        in (ours[0]["body"])
    )
    assert len(client.list_issues(labels="ci-failure")) == 1  # a branch opens no tracking issue
    assert len(client.list_pulls()) == 1  # smartmon opened no pull request of its own

    # A person fixes the test: the passing run's `passing-again` job turns the section green.
    _content, sha = client.get_contents("tests/test_report.py", ref="feature")
    fixed = _content.decode().replace("restock: apple, pear, plum", "restock: apple, pear")
    client.put_contents("tests/test_report.py", fixed, "fix the test", "feature", sha)
    sb.admin.wait_idle(240)
    green = max((r for r in sb.runs(repo) if r["name"] == "CI"), key=lambda r: r["id"])
    assert green["conclusion"] == "success"
    [passing] = [c for c in client.list_issue_comments(pull["number"]) if MARKER in c["body"]]
    assert passing["id"] == comment["id"] and f"run [{green['id']}]" in passing["body"]
    assert "✅" in passing["body"] and "Left for a person" not in passing["body"]
