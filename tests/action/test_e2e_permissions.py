"""Acceptance of issue 14, end to end: a workflow with job-level least-privilege permissions whose
`comment` job comments on a pull request (403 without `pull-requests: write`) and whose `publish`
job asks for an OIDC token (refused without `id-token: write`). The sandbox enforces the job's
`permissions:` as GitHub does; the healer adds exactly the two scopes, each to its own job.
With a token that may edit workflows the fix arrives as a pull request whose run passes; with
GITHUB_TOKEN as a patch in the summary."""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests

from tests.action import e2e_support as es

pytestmark = pytest.mark.slow

CI = """\
name: CI
on:
  workflow_dispatch:
permissions:
  contents: read
jobs:
  comment:
    runs-on: ubuntu-latest
    permissions:
      contents: read  # least privilege
    steps:
      - name: Comment on the pull request
        run: >-
          curl -sS --fail-with-body -X POST -H "Authorization: Bearer $TOKEN"
          "$GITHUB_API_URL/repos/$GITHUB_REPOSITORY/issues/${{ github.event.pull_request.number || 1 }}/comments"
          -d '{"body": "build ok"}'
        env:
          TOKEN: ${{ github.token }}
  publish:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - name: Publish with trusted publishing
        run: |
          if [ -z "${ACTIONS_ID_TOKEN_REQUEST_URL:-}" ]; then
            echo "Error: Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable"
            exit 1
          fi
          curl -sSf -H "Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN" \\
            "$ACTIONS_ID_TOKEN_REQUEST_URL&audience=pypi" > /dev/null
          echo "published"
  test:
    runs-on: ubuntu-latest
    steps:
      - run: echo "tests pass"
"""
FIXED = CI.replace(
    "      contents: read  # least privilege\n",
    "      contents: read  # least privilege\n      pull-requests: write\n",
).replace(
    "      contents: read\n    steps:\n      - name: Publish",
    "      contents: read\n      id-token: write\n    steps:\n      - name: Publish",
)


def _repo(sb: es.Sandbox, name: str, healer: str, secrets: dict[str, str]) -> str:
    """A repository with pull request #1 open, then one failing CI run on main."""
    files = {
        ".github/workflows/ci.yml": CI,
        ".github/workflows/smartmon.yml": es.sandbox_permissions(healer),
        "README.md": "demo\n",
    }
    sb.admin.create_repo("demo", name, files, secrets=secrets, trigger=False)
    repo = f"demo/{name}"
    client = sb.client(repo)
    client.create_ref("feature", client.get_ref("main")["object"]["sha"])
    client.put_contents("NOTES.md", b"notes\n", "notes", "feature")
    assert client.create_pull("feature", "main", "Add notes")["number"] == 1
    client.dispatch("ci.yml", "main")
    return repo


def _healed(sb: es.Sandbox, repo: str) -> tuple[dict[str, Any], es.HealerJob]:
    runs = sb.runs(repo)
    failed = min((r for r in runs if r["name"] == "CI"), key=lambda r: r["id"])
    assert failed["conclusion"] == "failure"
    log = sb.job_log(repo, failed["id"])
    assert "Resource not accessible by integration" in log
    assert "Unable to get ACTIONS_ID_TOKEN_REQUEST_URL" in log
    healers = sorted(
        (r for r in runs if r["name"] == "smartmon" and r["id"] > failed["id"]),
        key=lambda r: r["id"],
    )
    assert healers, runs
    return failed, sb.healer_job(healers[0]["id"])


def test_the_missing_scopes_arrive_by_pull_request_or_patch(sb: es.Sandbox) -> None:
    example = es.EXAMPLE.read_text(encoding="utf-8")
    pat = sb.admin.token("pat", login="healer")
    pat_repo = _repo(sb, "scopes-pat", es.with_token(example), {"SMARTMON_TOKEN": pat})
    plain_repo = _repo(sb, "scopes", example, {})
    sb.admin.wait_idle(300)

    # A token that may edit workflows: one pull request adds exactly the two scopes.
    failed, job = _healed(sb, pat_repo)
    assert job.outputs["pull-request-url"], job.summary
    branch = f"smartmon/fix-{failed['id']}"
    client = sb.client(pat_repo)
    text = client.get_contents(".github/workflows/ci.yml", ref=branch)[0].decode()
    assert text == FIXED, text
    verified = [r for r in sb.runs(pat_repo) if r["name"] == "CI" and r["head_branch"] == branch]
    assert [r["conclusion"] for r in verified] == ["success"], job.summary
    comments = requests.get(
        f"{sb.api_url}/repos/{pat_repo}/issues/1/comments",
        headers={"Authorization": f"Bearer {sb.proc.token}"},
        timeout=30,
    ).json()
    assert [c["body"] for c in comments] == ["build ok"]  # the passing run's comment

    # GITHUB_TOKEN cannot push workflow files: the same edit as a patch in the summary.
    _, job = _healed(sb, plain_repo)
    assert job.outputs["pull-request-url"] == "" and job.outputs["commit-sha"] == ""
    diff = "".join(re.findall(r"(?s)```diff\n(.*?)```", job.summary))
    added = sorted(re.findall(r"(?m)^\+\s+(\S.*)$", diff))
    assert added == ["id-token: write", "pull-requests: write"], job.summary
    assert re.findall(r"(?m)^-\s", diff) == []  # nothing removed
    assert sb.client(plain_repo).list_pulls()[0]["number"] == 1  # only the user's own
