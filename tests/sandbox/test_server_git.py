"""Real `git clone` and `git push` against the sandbox's smart-HTTP hosting, and GitHub's rules."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.fixtures_sandbox import CI_WORKFLOW, SandboxHandle, clone_url, git

pytest_plugins = ["tests.fixtures_sandbox"]

R = "/repos/octo/demo"


@pytest.fixture
def sb(sandbox_server: SandboxHandle) -> SandboxHandle:
    files = {".github/workflows/ci.yml": CI_WORKFLOW, "README.md": "hello\n"}
    sandbox_server.admin.create_repo("octo", "demo", files)
    sandbox_server.admin.wait_idle()
    return sandbox_server


def _clone(sb: SandboxHandle, tmp_path: Path, token: str, name: str = "work") -> Path:
    work = tmp_path / name
    git("clone", "--quiet", clone_url(sb.api_url, "octo/demo", token), str(work), cwd=tmp_path)
    return work


def _commit(work: Path, name: str, text: str) -> str:
    (work / name).parent.mkdir(parents=True, exist_ok=True)
    (work / name).write_text(text, encoding="utf-8")
    git("add", name, cwd=work)
    git("commit", "--quiet", "-m", f"change {name}", cwd=work)
    return git("rev-parse", "HEAD", cwd=work).stdout.strip()


def _runs(sb: SandboxHandle) -> list[dict[str, object]]:
    sb.admin.wait_idle()
    runs: list[dict[str, object]] = sb.api("GET", f"{R}/actions/runs").json()["workflow_runs"]
    return runs


def test_clone_and_push_with_a_personal_token_starts_a_run(
    sb: SandboxHandle, tmp_path: Path
) -> None:
    work = _clone(sb, tmp_path, sb.token)
    assert (work / "README.md").read_text() == "hello\n"
    sha = _commit(work, "src/app.py", "print('hi')\n")
    git("push", "--quiet", "origin", "HEAD:main", cwd=work)
    runs = _runs(sb)
    assert len(runs) == 2
    newest = runs[0]
    assert (newest["head_sha"], newest["event"], newest["head_branch"]) == (sha, "push", "main")
    assert sb.runner is not None
    payload = sb.runner.requests[-1].payload
    assert payload["after"] == sha and payload["ref"] == "refs/heads/main"
    # A new branch is a push too.
    git("push", "--quiet", "origin", "HEAD:refs/heads/feature", cwd=work)
    assert _runs(sb)[0]["head_branch"] == "feature"


def test_push_with_the_run_token_starts_no_run(sb: SandboxHandle, tmp_path: Path) -> None:
    bot = sb.admin.token("github_token", repo="octo/demo")
    work = _clone(sb, tmp_path, bot)
    sha = _commit(work, "fix.txt", "fixed\n")
    git("push", "--quiet", "origin", "HEAD:main", cwd=work)
    assert len(_runs(sb)) == 1
    head = sb.api("GET", f"{R}/git/ref/heads/main").json()["object"]["sha"]
    assert head == sha


def test_bearer_extra_header_also_authenticates(sb: SandboxHandle, tmp_path: Path) -> None:
    url = f"{sb.api_url}/octo/demo.git"
    header = f"http.extraHeader=Authorization: Bearer {sb.token}"
    git("-c", header, "clone", "--quiet", url, str(tmp_path / "w"), cwd=tmp_path)
    assert (tmp_path / "w" / "README.md").is_file()


def test_clone_needs_valid_credentials(sb: SandboxHandle, tmp_path: Path) -> None:
    url = f"{sb.api_url}/octo/demo.git"
    anonymous = git("clone", url, str(tmp_path / "a"), cwd=tmp_path, check=False)
    assert anonymous.returncode != 0
    wrong = git(
        "clone", clone_url(sb.api_url, "octo/demo", "ghp_nope"), "b", cwd=tmp_path, check=False
    )
    assert wrong.returncode != 0
    other = sb.admin.token("github_token", repo="octo/other")
    scoped = git("clone", clone_url(sb.api_url, "octo/demo", other), "c", cwd=tmp_path, check=False)
    assert scoped.returncode != 0 and "not found" in scoped.stderr.lower()


def test_read_only_token_cannot_push(sb: SandboxHandle, tmp_path: Path) -> None:
    reader = sb.admin.token("github_token", repo="octo/demo", permissions={"contents": "read"})
    work = _clone(sb, tmp_path, reader)
    _commit(work, "x.txt", "x\n")
    denied = git("push", "origin", "HEAD:main", cwd=work, check=False)
    assert denied.returncode != 0 and "denied" in denied.stderr


def test_protected_branch_rejects_pushes(sb: SandboxHandle, tmp_path: Path) -> None:
    sb.admin.configure("octo/demo", protected_branches=["main"])
    work = _clone(sb, tmp_path, sb.token)
    _commit(work, "x.txt", "x\n")
    rejected = git("push", "origin", "HEAD:main", cwd=work, check=False)
    assert rejected.returncode != 0
    assert "GH006: Protected branch update failed for refs/heads/main." in rejected.stderr
    assert len(_runs(sb)) == 1
    git("push", "--quiet", "origin", "HEAD:refs/heads/fix", cwd=work)


def test_workflow_changes_need_the_workflows_permission(sb: SandboxHandle, tmp_path: Path) -> None:
    bot = sb.admin.token("github_token", repo="octo/demo")
    work = _clone(sb, tmp_path, bot)
    _commit(work, ".github/workflows/ci.yml", CI_WORKFLOW + "# edited\n")
    rejected = git("push", "origin", "HEAD:main", cwd=work, check=False)
    assert rejected.returncode != 0
    assert (
        "refusing to allow a GitHub App to create or update workflow `.github/workflows/ci.yml`"
        " without `workflows` permission"
    ) in rejected.stderr
    # A new branch carrying the change is refused as well; a personal token may push it.
    new_branch = git("push", "origin", "HEAD:refs/heads/wf", cwd=work, check=False)
    assert new_branch.returncode != 0
    narrow = sb.admin.token("pat", permissions={"contents": "write"})
    git("remote", "set-url", "origin", clone_url(sb.api_url, "octo/demo", narrow), cwd=work)
    classic = git("push", "origin", "HEAD:main", cwd=work, check=False)
    assert "Personal Access Token to create or update workflow" in classic.stderr
    assert "without `workflow` scope" in classic.stderr
    git("remote", "set-url", "origin", clone_url(sb.api_url, "octo/demo", sb.token), cwd=work)
    git("push", "--quiet", "origin", "HEAD:main", cwd=work)


def test_push_nonff_fault_makes_the_push_lose_a_race(sb: SandboxHandle, tmp_path: Path) -> None:
    work = _clone(sb, tmp_path, sb.token)
    _commit(work, "mine.txt", "mine\n")
    sb.admin.faults("push-nonff")
    rejected = git("push", "origin", "HEAD:main", cwd=work, check=False)
    assert rejected.returncode != 0
    assert "[rejected]" in rejected.stderr and "fetch first" in rejected.stderr
    # After fetching and rebasing, the push goes through (the fault fired once).
    git("pull", "--quiet", "--rebase", "origin", "main", cwd=work)
    git("push", "--quiet", "origin", "HEAD:main", cwd=work)
    assert (work / "CONCURRENT.md").is_file()


def test_large_pushes_arrive_in_chunks(sb: SandboxHandle, tmp_path: Path) -> None:
    # Above http.postBuffer (1 MiB) git sends the pack with chunked transfer encoding.
    work = _clone(sb, tmp_path, sb.token)
    (work / "big.bin").write_bytes(os.urandom(3 * 1024 * 1024))
    git("add", "big.bin", cwd=work)
    git("commit", "--quiet", "-m", "big", cwd=work)
    git("push", "--quiet", "origin", "HEAD:main", cwd=work)
    fresh = _clone(sb, tmp_path, sb.token, name="fresh")
    assert (fresh / "big.bin").read_bytes() == (work / "big.bin").read_bytes()


def test_a_repository_from_a_folder_keeps_executable_bits(
    sandbox_server: SandboxHandle, tmp_path: Path
) -> None:
    folder = tmp_path / "src"
    (folder / "scripts").mkdir(parents=True)
    (folder / "scripts" / "run.sh").write_text("#!/bin/sh\necho hi\n")
    (folder / "scripts" / "run.sh").chmod(0o755)
    (folder / "notes.txt").write_text("plain\n")
    created = sandbox_server.admin.call(
        "POST", "repos", {"owner": "octo", "name": "dir", "dir": str(folder)}
    )
    assert created["runs"] == []  # no workflows, nothing to run
    work = tmp_path / "clone"
    git(
        "clone",
        "--quiet",
        clone_url(sandbox_server.api_url, "octo/dir", sandbox_server.token),
        str(work),
    )
    assert os.access(work / "scripts" / "run.sh", os.X_OK)
    assert not os.access(work / "notes.txt", os.X_OK)
    # The initial commit is deterministic: same files, same author and date, same sha.
    again = sandbox_server.admin.call(
        "POST", "repos", {"owner": "octo", "name": "dir2", "dir": str(folder)}
    )
    assert again["head_sha"] == created["head_sha"]
