"""heal() against the in-process sandbox (real HTTP, real git over smart HTTP, FakeRunner jobs):
each skip rule and each delivery branch."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from smartmon.github import git as gitops
from smartmon.github.client import GitHubClient
from smartmon.heal.pipeline import HealOptions, HealResult, heal, render_summary
from smartmon.model import IssueType

if TYPE_CHECKING:
    from tests.fixtures_sandbox import SandboxHandle

pytest_plugins = ["tests.fixtures_sandbox"]

OWNER = "octo"
# FakeRunner echoes a job's first script into its log, so the script's lines are what the
# classifier reads; `exit 1` makes the job fail.
MISSING_MODULE = """\
name: CI
on:
  push:
  workflow_dispatch:
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: |
          python -m app
          ModuleNotFoundError: No module named 'yaml'
          exit 1
"""
NOT_EXECUTABLE = MISSING_MODULE.replace(
    "python -m app\n          ModuleNotFoundError: No module named 'yaml'",
    "./build.sh\n          /home/runner/work/_temp/1.sh: line 1: ./build.sh: Permission denied",
)
FLAKY = MISSING_MODULE.replace(
    "python -m app\n          ModuleNotFoundError: No module named 'yaml'",
    "npm ci\n          npm error code ECONNRESET",
)
RETIRED = MISSING_MODULE.replace("ubuntu-latest", "ubuntu-20.04").replace(
    "python -m app\n          ModuleNotFoundError: No module named 'yaml'",
    "echo hi\n          ##[error]This is a scheduled Ubuntu 20.04 retirement. "
    "Ubuntu 20.04 LTS runner will be removed on 2025-04-15.",
)
OUT_OF_MEMORY = MISSING_MODULE.replace(
    "python -m app\n          ModuleNotFoundError: No module named 'yaml'",
    "npm run build\n          FATAL ERROR: Reached heap limit Allocation failed"
    " - JavaScript heap out of memory",
)
NO_DISPATCH = MISSING_MODULE.replace("  workflow_dispatch:\n", "")
BASE_FILES = {"requirements.txt": "packaging>=23.0\n", "build.sh": "#!/bin/sh\necho ok\n"}


def _git(*args: str, cwd: Path) -> str:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(cwd),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_AUTHOR_NAME": "Dev",
        "GIT_AUTHOR_EMAIL": "dev@example.com",
        "GIT_COMMITTER_NAME": "Dev",
        "GIT_COMMITTER_EMAIL": "dev@example.com",
    }
    proc = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, f"git {args}: {proc.stderr}"
    return proc.stdout.strip()


class Repo:
    """A sandbox repository, a clone to push from, and a clone for heal to work in."""

    def __init__(self, sb: SandboxHandle, tmp: Path, name: str, workflow: str) -> None:
        self.sb = sb
        self.full_name = f"{OWNER}/{name}"
        files = {**BASE_FILES, ".github/workflows/ci.yml": workflow}
        sb.admin.create_repo(OWNER, name, files)
        sb.admin.wait_idle()
        self.url = f"{sb.api_url}/{self.full_name}.git"
        self.dev = tmp / f"{name}-dev"
        self.work = tmp / f"{name}-work"
        for path in (self.dev, self.work):
            _git("clone", "--quiet", self._auth_url(), str(path), cwd=tmp)
        # heal's workspace keeps no credentials: gitops hands the token to each git call.
        _git("remote", "set-url", "origin", self.url, cwd=self.work)
        self.client = GitHubClient(sb.token, repo=self.full_name, api_url=sb.api_url)

    def _auth_url(self) -> str:
        scheme, rest = self.url.split("://", 1)
        return f"{scheme}://x-access-token:{self.sb.token}@{rest}"

    def push_branch(self, branch: str, *, message: str = "work", trailer: bool = False) -> str:
        _git("checkout", "--quiet", "-B", branch, "origin/main", cwd=self.dev)
        (self.dev / "notes.txt").write_text(f"{branch} {message}\n")
        _git("add", "notes.txt", cwd=self.dev)
        text = message + (f"\n\n{gitops.TRAILER}: run 1\n" if trailer else "\n")
        _git("commit", "--quiet", "-m", text, cwd=self.dev)
        _git("push", "--quiet", "--force", "origin", f"{branch}:refs/heads/{branch}", cwd=self.dev)
        self.sb.admin.wait_idle()
        return _git("rev-parse", "HEAD", cwd=self.dev)

    def latest_run(self, branch: str = "main") -> dict[str, Any]:
        runs = self.client.list_runs(branch=branch)
        assert runs, f"no run on {branch}"
        return dict(runs[0])

    def heal(self, run: int | dict[str, Any], **options: Any) -> HealResult:
        return heal(
            self.client,
            run,
            workspace=self.work,
            options=HealOptions(**options),
            token=self.sb.token,
            clock=FakeClock(),
            # A poll's wait lets the sandbox's runner finish what is queued: with a no-op wait,
            # the fake clock's deadline came before a loaded machine had run the fix's workflow.
            sleep=lambda _s: self.sb.admin.wait_idle(),
        )


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 5.0
        return self.now


@pytest.fixture
def make_repo(sandbox_server: SandboxHandle, tmp_path: Path) -> Any:
    def make(name: str, workflow: str = MISSING_MODULE) -> Repo:
        return Repo(sandbox_server, tmp_path, name, workflow)

    return make


def test_skips_a_run_that_did_not_fail(make_repo: Any) -> None:
    repo = make_repo("green", MISSING_MODULE.replace("exit 1", "true"))
    result = repo.heal(repo.latest_run()["id"])
    assert result.skipped is not None and "did not fail" in result.skipped
    assert result.delivery == "none" and result.analysis is None


def test_skips_past_the_attempt_cap(make_repo: Any) -> None:
    repo = make_repo("capped")
    run = repo.latest_run() | {"run_attempt": 3}
    result = repo.heal(run, max_attempts=2)
    assert result.skipped is not None and "past max-attempts 2" in result.skipped


def test_skips_smartmons_own_workflow(make_repo: Any) -> None:
    ours = MISSING_MODULE.replace(
        "      - run: |", "      - uses: octo/smartmon-action@v1\n      - run: |"
    )
    repo = make_repo("own", ours)
    result = repo.heal(repo.latest_run()["id"])
    assert result.skipped is not None and "runs smartmon itself" in result.skipped


def test_skips_a_commit_with_our_trailer(make_repo: Any) -> None:
    repo = make_repo("trailer")
    repo.push_branch("feature", trailer=True)
    result = repo.heal(repo.latest_run("feature"))
    assert result.skipped is not None and "is a smartmon fix" in result.skipped


def test_a_transient_failure_on_our_fix_commit_is_still_rerun(make_repo: Any) -> None:
    # A re-run edits nothing and run_attempt caps it: our fix must not stay red on a network blip.
    repo = make_repo("trailer-flaky", FLAKY)
    repo.push_branch("feature", trailer=True)
    run = repo.latest_run("feature")
    result = heal(
        repo.client,
        run["id"],
        workspace=repo.work,
        options=HealOptions(max_attempts=2),
        token=repo.sb.token,
        sleep=lambda _: None,
    )
    assert result.skipped is None
    assert result.delivery == "rerun" and result.rerun_attempt == 2


def test_skips_when_the_last_three_commits_are_ours(make_repo: Any) -> None:
    repo = make_repo("three")
    sha = repo.push_branch("feature", message="human")
    for n in range(3):
        (repo.dev / "notes.txt").write_text(f"bot {n}\n")
        _git("commit", "--quiet", "-am", f"bot {n}\n\n{gitops.TRAILER}: run {n}", cwd=repo.dev)
    _git("push", "--quiet", "origin", "feature", cwd=repo.dev)
    repo.sb.admin.wait_idle()
    run = next(r for r in repo.client.list_runs(branch="feature") if r["head_sha"] == sha)
    result = repo.heal(dict(run))
    assert result.skipped is not None and "last 3 commits" in result.skipped


def test_default_branch_dependency_fix_becomes_a_pull_request(make_repo: Any) -> None:
    repo = make_repo("dep")
    run = repo.latest_run()
    result = repo.heal(run["id"])
    assert result.skipped is None, result.notes
    assert result.delivery == "pull-request", result.notes
    assert result.pull_request_url
    assert [f.type for f, applied in result.fixes if applied] == [IssueType.MISSING_DEPENDENCY]
    branch = gitops.fix_branch(run["id"])
    sha = repo.client.get_ref(branch)["object"]["sha"]
    assert sha == result.commit_sha
    body, _ = repo.client.get_contents("requirements.txt", ref=branch)
    assert b"PyYAML" in body
    # GITHUB_TOKEN-like verification: the workflow has workflow_dispatch, so it is dispatched.
    assert result.verification == "dispatched" and result.verification_run_id is not None
    dispatched = repo.client.get_run(result.verification_run_id)
    assert dispatched["head_sha"] == result.commit_sha
    # main itself is untouched.
    assert repo.client.get_ref("main")["object"]["sha"] == run["head_sha"]


def test_working_branch_fix_is_a_commit_with_the_trailer(make_repo: Any) -> None:
    repo = make_repo("chmod", NOT_EXECUTABLE)
    head = repo.push_branch("feature")
    run = repo.latest_run("feature")
    assert run["head_sha"] == head
    result = repo.heal(run, token_starts_runs=True, verify_timeout=60)
    assert result.delivery == "commit", result.notes
    tip = repo.client.get_ref("feature")["object"]["sha"]
    assert tip == result.commit_sha
    commit = repo.client.get_commit(tip)
    assert f"{gitops.TRAILER}: run {run['id']}" in commit["commit"]["message"]
    assert commit["parents"][0]["sha"] == head
    # The PAT's push started a run on the fix commit, and heal waited for it.
    assert result.verification in ("failed", "passed")
    assert result.verification_run_id is not None
    assert repo.client.get_run(result.verification_run_id)["head_sha"] == tip


def test_a_moved_branch_is_a_stale_run(make_repo: Any) -> None:
    repo = make_repo("stale", NOT_EXECUTABLE)
    repo.push_branch("feature")
    run = repo.latest_run("feature")
    repo.push_branch("feature", message="newer")  # the branch moves on after the failure
    result = repo.heal(run)
    assert result.skipped is not None and result.skipped.startswith("stale run")
    assert result.delivery == "none" and result.commit_sha is None


def test_fork_runs_get_a_report_and_a_patch_only(make_repo: Any) -> None:
    repo = make_repo("forked", NOT_EXECUTABLE)
    repo.push_branch("feature")
    run = repo.latest_run("feature")
    run["head_repository"] = dict(run["head_repository"]) | {"id": 999_999}
    before = repo.client.get_ref("feature")["object"]["sha"]
    result = repo.heal(run, mode="commit")
    assert result.delivery == "patch" and result.patch and "build.sh" in result.patch
    assert "new mode 100755" in result.patch
    assert repo.client.get_ref("feature")["object"]["sha"] == before
    assert not any(applied for _, applied in result.fixes)


def test_workflow_edits_without_workflows_permission_are_a_patch(make_repo: Any) -> None:
    repo = make_repo("runner", RETIRED)
    repo.push_branch("feature")
    result = repo.heal(repo.latest_run("feature"), can_push_workflows=None)
    assert result.delivery == "patch", result.notes
    assert any("workflows permission" in n for n in result.notes)
    assert result.patch and "ubuntu-20.04" in result.patch


def test_transient_failure_is_rerun_within_the_cap(make_repo: Any) -> None:
    repo = make_repo("flaky", FLAKY)
    run = repo.latest_run()
    waits: list[float] = []
    result = heal(
        repo.client,
        run["id"],
        workspace=repo.work,
        options=HealOptions(max_attempts=2),
        token=repo.sb.token,
        sleep=waits.append,
    )
    assert result.delivery == "rerun" and result.rerun_attempt == 2
    assert waits == [5.0]
    repo.sb.admin.wait_idle()
    second = repo.client.get_run(run["id"])
    assert second["run_attempt"] == 2
    # Attempt 2 fails again: at the cap, no further rerun.
    again = repo.heal(dict(second), max_attempts=2)
    assert again.delivery == "none" and again.rerun_attempt is None
    assert any("attempt cap" in n for n in again.notes)


def test_a_runner_failure_a_rerun_meets_again_is_not_rerun(make_repo: Any) -> None:
    # Out of memory is a runner_failure, but the same machine runs out again: its rule says so
    # (`checks: [same-on-rerun]`), and heal spends no attempt on it.
    repo = make_repo("oom", OUT_OF_MEMORY)
    run = repo.latest_run()
    result = repo.heal(run["id"], max_attempts=2)
    assert result.analysis is not None
    assert [f.rule for f in result.analysis.findings][:1] == ["node-heap-out-of-memory"]
    assert result.delivery != "rerun" and result.rerun_attempt is None
    repo.sb.admin.wait_idle()
    assert repo.client.get_run(run["id"])["run_attempt"] == 1


def test_report_mode_and_dry_run_push_nothing(make_repo: Any) -> None:
    repo = make_repo("report")
    run = repo.latest_run()
    for options in ({"mode": "report"}, {"dry_run": True}):
        result = repo.heal(run["id"], **options)
        assert result.delivery in ("patch", "none")
        assert result.patch and "PyYAML" in result.patch
        assert repo.client.list_pulls() == []


def test_unverified_without_dispatch_says_how_to_fix(make_repo: Any) -> None:
    repo = make_repo("nodispatch", NO_DISPATCH)
    result = repo.heal(repo.latest_run()["id"])
    assert result.delivery == "pull-request"
    assert result.verification == "unverified: pushes with GITHUB_TOKEN start no runs"
    assert any("workflow_dispatch" in step for step in result.next_steps)


def test_summary_table_diff_delivery_and_escaping(make_repo: Any) -> None:
    repo = make_repo("summary")
    run = repo.latest_run()
    result = repo.heal(run["id"])
    text = render_summary(result, server_url="https://github.example", repo=repo.full_name)
    job_id = next(iter(result.job_ids.values()))
    assert f"/actions/runs/{run['id']}/job/{job_id}#step:" in text
    assert "| test |" in text and "missing_dependency" in text
    assert "```diff" in text and "+PyYAML" in text
    assert result.pull_request_url and result.pull_request_url in text
    assert "### Next steps" in text or result.next_steps == ()
    assert repo.sb.token not in text


def test_a_protected_branch_gets_a_pull_request_instead(make_repo: Any) -> None:
    repo = make_repo("protected", NOT_EXECUTABLE)
    head = repo.push_branch("feature")
    repo.sb.admin.configure(repo.full_name, protected_branches=["feature"])
    run = repo.latest_run("feature")
    result = repo.heal(run)
    assert result.delivery == "pull-request", result.notes
    assert repo.client.get_ref("feature")["object"]["sha"] == head
    pulls = repo.client.list_pulls()
    assert [(p["head"]["ref"], p["base"]["ref"]) for p in pulls] == [
        (gitops.fix_branch(run["id"]), "feature")
    ]
    assert any("refused" in note for note in result.notes)


def test_a_startup_failure_is_diagnosed_from_its_annotations(make_repo: Any) -> None:
    broken = "fake-startup-failure: You have an error in your yaml syntax on line 3\n"
    repo = make_repo("startup", MISSING_MODULE + broken)
    run = repo.latest_run()
    assert run["conclusion"] == "startup_failure"
    assert repo.client.list_jobs(run["id"]) == []
    result = repo.heal(run["id"], mode="report")
    assert result.analysis is not None
    assert [f.type for f in result.analysis.findings] == [IssueType.YAML_SYNTAX_ERROR]
    assert result.analysis.findings[0].data.get("line") == "3"
