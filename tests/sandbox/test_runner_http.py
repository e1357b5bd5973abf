"""actions/checkout over real smart HTTP from the sandbox server, with the run token."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest

from smartmon.sandbox import Runner, SandboxServer, create_repo
from tests.sandbox.runner_support import body, make_runner, request

WORKFLOW = """\
on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: ${{ github.run_attempt == '1' }}
      - run: |
          cat README.md
          git config --local --get-regexp 'extraheader' || echo "no stored credentials"
          git fetch origin main && echo "fetch with stored token ok"
"""


@pytest.fixture
def server(tmp_path: Path) -> Iterator[SandboxServer]:
    runner: Runner = make_runner(tmp_path / "server-runner")
    with SandboxServer(runner, root=tmp_path / "repos").start() as app:
        yield app


@pytest.mark.slow
def test_checkout_over_http_persists_the_token_only_when_asked(
    tmp_path: Path, server: SandboxServer
) -> None:
    files = {".github/workflows/ci.yml": WORKFLOW.encode(), "README.md": b"hello over http\n"}
    repo, sha, _ = create_repo(server, "octo", "web", files, trigger=False)
    token = server.state.new_token("github_token", repo=repo.full_name).value
    runner = make_runner(tmp_path)
    common = {
        "repo_full_name": repo.full_name,
        "token": token,
        "git_url": f"{server.api_url}/{repo.full_name}.git",
        "api_url": server.api_url,
        "server_url": server.api_url,
    }
    first = runner.run(request(Path(repo.git_dir), sha, **common))
    log = body(first.jobs[0].log)
    assert first.conclusion == "success", "\n".join(log)
    assert "hello over http" in log
    host = server.api_url.removeprefix("http://")
    assert f"http.http://{host}/.extraheader AUTHORIZATION: basic ***" in log
    assert "fetch with stored token ok" in log
    basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
    assert token not in first.jobs[0].log and basic not in first.jobs[0].log
    post = body(first.jobs[0].steps[-2].log)
    assert post[0] == "Post job cleanup."
    assert any(line.endswith(f"--unset-all http.http://{host}/.extraheader") for line in post)

    second = runner.run(request(Path(repo.git_dir), sha, run_attempt=2, **common))
    log = body(second.jobs[0].log)
    assert "hello over http" in log and "no stored credentials" in log
    assert second.conclusion == "failure"  # the fetch without credentials is refused


@pytest.mark.slow
def test_checkout_with_a_rejected_token_fails(tmp_path: Path, server: SandboxServer) -> None:
    files = {".github/workflows/ci.yml": WORKFLOW.encode(), "README.md": b"x\n"}
    repo, sha, _ = create_repo(server, "octo", "private", files, trigger=False)
    result = make_runner(tmp_path).run(
        request(
            Path(repo.git_dir),
            sha,
            repo_full_name=repo.full_name,
            token="ghs_notarealtoken",
            git_url=f"{server.api_url}/{repo.full_name}.git",
        )
    )
    assert result.conclusion == "failure"
    steps = {s.name: s.conclusion for s in result.jobs[0].steps}
    assert steps["Run actions/checkout@v4"] == "failure"
    assert "##[error]The process '/usr/bin/git' failed with exit code 128" in body(
        result.jobs[0].log
    )
