"""gitops against real repositories: a work clone and a bare remote over file://, plus one push
over the sandbox's smart HTTP with a token. A hostile global git config (signing on, failing
hooks, no identity) proves that nothing depends on the machine's configuration."""

from __future__ import annotations

import base64
import os
import stat
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from smartmon.github import git as gitops
from smartmon.github.git import GitError, PushStatus

if TYPE_CHECKING:  # imported by pytest_plugins; importing it here too would skip its rewriting
    from tests.fixtures_sandbox import SandboxHandle

pytest_plugins = ["tests.fixtures_sandbox"]


def git(*args: str, cwd: Path) -> str:
    """Set-up git for the test itself: a fixed human identity, the test's config only."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Dev",
        "GIT_AUTHOR_EMAIL": "dev@example.com",
        "GIT_COMMITTER_NAME": "Dev",
        "GIT_COMMITTER_EMAIL": "dev@example.com",
    }
    quiet = ["-c", "core.hooksPath=/dev/null", "-c", "commit.gpgsign=false"]
    proc = subprocess.run(["git", *quiet, *args], cwd=cwd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise AssertionError(f"git {' '.join(args)}: {proc.stderr}")
    return proc.stdout.strip()


@pytest.fixture(autouse=True)
def hostile_global_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hooks = tmp_path / "global-hooks"
    hooks.mkdir()
    for name in ("pre-commit", "commit-msg", "pre-push", "post-commit"):
        hook = hooks / name
        hook.write_text(f"#!/bin/sh\ntouch '{tmp_path}/hook-ran-{name}'\nexit 1\n")
        hook.chmod(0o755)
    config = tmp_path / "gitconfig"
    config.write_text(
        f"[core]\n\thooksPath = {hooks}\n[commit]\n\tgpgsign = true\n"
        "[gpg]\n\tprogram = /bin/false\n[init]\n\tdefaultBranch = main\n"
    )
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for var in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("EMAIL", "")


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    bare = tmp_path / "remote.git"
    git("init", "--quiet", "--bare", "--initial-branch=main", str(bare), cwd=tmp_path)
    seed = tmp_path / "seed"
    git("init", "--quiet", "--initial-branch=main", str(seed), cwd=tmp_path)
    (seed / "README.md").write_text("hello\n")
    (seed / "run.sh").write_text("echo run\n")
    (seed / "requirements.txt").write_text("requests\n")
    git("add", ".", cwd=seed)
    git("commit", "--quiet", "-m", "init", cwd=seed)
    git("push", "--quiet", bare.as_uri(), "HEAD:refs/heads/main", cwd=seed)
    return bare


def clone(remote: Path, dest: Path) -> Path:
    git("clone", "--quiet", remote.as_uri(), str(dest), cwd=dest.parent)
    return dest


@pytest.fixture
def work(remote: Path, tmp_path: Path) -> Path:
    return clone(remote, tmp_path / "work")


def remote_tip(remote: Path, branch: str = "main") -> str:
    proc = subprocess.run(
        [
            "git",
            "--git-dir",
            str(remote),
            "rev-parse",
            "--verify",
            "--quiet",
            f"refs/heads/{branch}",
        ],
        capture_output=True,
        text=True,
    )
    return proc.stdout.strip()


def human_commit(work: Path, name: str, text: str) -> str:
    (work / name).write_text(text)
    git("add", name, cwd=work)
    git("commit", "--quiet", "-m", name, cwd=work)
    return git("rev-parse", "HEAD", cwd=work)


def bot_commit(work: Path, run_id: int, name: str = "requirements.txt") -> str:
    with (work / name).open("a") as fh:
        fh.write(f"pkg{run_id}\n")
    sha = gitops.commit(work, f"fix for run {run_id}", paths=[name], run_id=run_id)
    assert sha is not None
    return sha


# -- commit ------------------------------------------------------------------------------------


def test_commit_adds_the_trailer_and_our_identity_without_hooks_or_signing(
    work: Path, tmp_path: Path
) -> None:
    (work / "requirements.txt").write_text("requests\npyyaml\n")
    message = "Add pyyaml\n\n$(touch pwned) `touch pwned2` ; rm -rf / # not a shell\n"
    sha = gitops.commit(work, message, paths=["requirements.txt"], run_id=12345)
    assert sha == git("rev-parse", "HEAD", cwd=work)
    body = git("log", "-1", "--format=%B", cwd=work)
    assert body.startswith("Add pyyaml\n\n$(touch pwned) `touch pwned2` ; rm -rf / # not a shell")
    assert body.endswith("Smartmon-Fix: run 12345")
    who = git("log", "-1", "--format=%an <%ae>|%cn <%ce>|%G?", cwd=work)
    bot = "smartmon[bot] <smartmon@users.noreply.github.com>"
    assert who == f"{bot}|{bot}|N"  # author, committer, unsigned
    assert gitops.is_smartmon_commit(work, sha)
    assert not gitops.is_smartmon_commit(work, "HEAD~1")
    assert not list(tmp_path.glob("hook-ran-*"))
    assert not (work / "pwned").exists() and not (work / "pwned2").exists()


def test_no_diff_makes_no_commit(work: Path) -> None:
    before = git("rev-parse", "HEAD", cwd=work)
    assert gitops.commit(work, "nothing", paths=["requirements.txt"], run_id=1) is None
    # Writing identical bytes is still no diff.
    (work / "README.md").write_text("hello\n")
    assert gitops.commit(work, "nothing", paths=["README.md"], run_id=1) is None
    assert git("rev-parse", "HEAD", cwd=work) == before


def test_commit_takes_exactly_the_given_paths(work: Path) -> None:
    (work / "README.md").write_text("someone else's staged edit\n")
    git("add", "README.md", cwd=work)
    (work / "requirements.txt").write_text("requests\nrich\n")
    (work / "run.sh").unlink()
    (work / "new.cfg").write_text("[x]\n")
    sha = gitops.commit(work, "fix", paths=["requirements.txt", "run.sh", "new.cfg"], run_id="7")
    assert sha is not None
    changed = git("show", "--name-status", "--format=", sha, cwd=work).splitlines()
    assert sorted(changed) == ["A\tnew.cfg", "D\trun.sh", "M\trequirements.txt"]
    # The unrelated staged change is still staged, not committed.
    assert git("diff", "--cached", "--name-only", cwd=work) == "README.md"


def test_mode_only_change_is_committed(work: Path) -> None:
    script = work / "run.sh"
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    sha = gitops.commit(work, "Make run.sh executable", paths=["run.sh"], run_id=3)
    assert sha is not None
    assert git("ls-tree", sha, "run.sh", cwd=work).split()[0] == "100755"
    assert git("diff", "--stat", "HEAD~1", sha, cwd=work).count("run.sh") == 1


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"message": "  \n", "paths": ["a"], "run_id": 1}, "message is empty"),
        ({"message": "m", "paths": [], "run_id": 1}, "no paths"),
        ({"message": "m", "paths": ["a"], "run_id": "1; rm -rf /"}, "not a run id"),
        ({"message": "m", "paths": ["/etc/passwd"], "run_id": 1}, "relative"),
    ],
)
def test_commit_refuses_bad_arguments(work: Path, kwargs: dict[str, object], words: str) -> None:
    with pytest.raises(GitError, match=words):
        gitops.commit(work, **kwargs)  # type: ignore[arg-type]


def test_recent_commits_ours_after_three_bot_commits(work: Path) -> None:
    assert not gitops.recent_commits_ours(work, "HEAD")
    bot_commit(work, 1)
    bot_commit(work, 2)
    assert not gitops.recent_commits_ours(work, "HEAD")  # two of three
    bot_commit(work, 3)
    assert gitops.recent_commits_ours(work, "HEAD")
    assert gitops.recent_commits_ours(work, "HEAD", n=1)
    assert not gitops.recent_commits_ours(work, "HEAD", n=4)  # the human's init commit
    human_commit(work, "notes.txt", "a person was here\n")
    assert not gitops.recent_commits_ours(work, "HEAD")
    with pytest.raises(GitError):
        gitops.recent_commits_ours(work, "--output=/tmp/x")


def test_recent_commits_ours_too_few_commits(tmp_path: Path) -> None:
    repo = tmp_path / "young"
    git("init", "--quiet", "--initial-branch=main", str(repo), cwd=tmp_path)
    (repo / "f").write_text("1\n")
    # The very first commit of a repository can be ours too.
    assert gitops.commit(repo, "first", paths=["f"], run_id=9) is not None
    assert not gitops.recent_commits_ours(repo, "HEAD", n=3)
    assert gitops.recent_commits_ours(repo, "HEAD", n=1)


def test_fetch_deepens_a_shallow_clone_for_the_loop_guard(
    work: Path, remote: Path, tmp_path: Path
) -> None:
    for run in (1, 2, 3):
        bot_commit(work, run)
    git("push", "--quiet", "origin", "HEAD:main", cwd=work)
    tip = remote_tip(remote)
    shallow = tmp_path / "shallow"
    git("clone", "--quiet", "--depth=1", remote.as_uri(), str(shallow), cwd=tmp_path)
    assert not gitops.recent_commits_ours(shallow, "HEAD")  # one commit of history only
    assert gitops.fetch(shallow, "origin", "main", token=None, depth=3) == tip
    assert gitops.recent_commits_ours(shallow, "FETCH_HEAD")
    assert gitops.is_smartmon_commit(shallow, tip)
    # By sha, as the failing run names its commit.
    git("config", "uploadpack.allowAnySHA1InWant", "true", cwd=remote)
    first = git("rev-parse", "HEAD~3", cwd=work)
    assert gitops.fetch(shallow, remote.as_uri(), first, token=None, depth=1) == first
    with pytest.raises(GitError, match="not a valid branch name"):
        gitops.fetch(shallow, "origin", "--upload-pack=touch x", token=None)
    with pytest.raises(GitError, match="git fetch failed"):
        gitops.fetch(shallow, "origin", "no-such-branch", token=None)


# -- push with lease ---------------------------------------------------------------------------


def test_lease_push_succeeds_while_the_tip_is_the_failing_sha(work: Path, remote: Path) -> None:
    failing = remote_tip(remote)
    sha = bot_commit(work, 100)
    result = gitops.push_with_lease(work, "origin", "main", failing, token=None)
    assert (result.status, result.sha, result.ok) == (PushStatus.PUSHED, sha, True)
    assert remote_tip(remote) == sha
    # A retry finds the branch already there: still pushed, nothing changes.
    again = gitops.push_with_lease(work, remote.as_uri(), "main", failing, token=None)
    assert again.status is PushStatus.PUSHED
    assert remote_tip(remote) == sha


def test_stale_run_pushes_nothing(work: Path, remote: Path, tmp_path: Path) -> None:
    failing = remote_tip(remote)
    other = clone(remote, tmp_path / "other")
    moved = human_commit(other, "later.txt", "pushed after the failing run\n")
    git("push", "--quiet", "origin", "HEAD:main", cwd=other)
    bot_commit(work, 101)
    result = gitops.push_with_lease(work, "origin", "main", failing, token=None)
    assert result.status is PushStatus.STALE
    assert "stale run" in result.message
    assert remote_tip(remote) == moved


def test_non_fast_forward_is_rejected(work: Path, remote: Path) -> None:
    failing = remote_tip(remote)
    git("checkout", "--quiet", "--orphan", "elsewhere", cwd=work)
    bot_commit(work, 102)
    result = gitops.push_with_lease(work, "origin", "main", failing, token=None)
    assert result.status is PushStatus.REJECTED
    assert "non-fast-forward" in result.message
    assert remote_tip(remote) == failing


def test_push_of_the_failing_commit_itself_is_refused(work: Path, remote: Path) -> None:
    failing = remote_tip(remote)
    result = gitops.push_with_lease(work, "origin", "main", failing, token=None)
    assert result.status is PushStatus.REJECTED


def test_protected_branch_hook_rejects_with_the_server_message(work: Path, remote: Path) -> None:
    # The server's own hooks directory (the hostile global config points elsewhere).
    git("config", "core.hooksPath", str(remote / "hooks"), cwd=remote)
    hook = remote / "hooks" / "pre-receive"
    hook.write_text(
        "#!/bin/sh\nwhile read -r old new ref; do\n"
        '  echo "error: GH006: Protected branch update failed for $ref." >&2\n'
        "done\nexit 1\n"
    )
    hook.chmod(0o755)
    failing = remote_tip(remote)
    bot_commit(work, 103)
    result = gitops.push_with_lease(work, "origin", "main", failing, token="ghp_" + "x" * 36)
    assert result.status is PushStatus.REJECTED
    assert "GH006: Protected branch update failed for refs/heads/main." in result.message
    assert remote_tip(remote) == failing


def test_unreachable_remote_fails(work: Path, remote: Path, tmp_path: Path) -> None:
    failing = remote_tip(remote)
    bot_commit(work, 104)
    gone = (tmp_path / "missing.git").as_uri()
    result = gitops.push_with_lease(work, gone, "main", failing, token=None)
    assert result.status is PushStatus.FAILED
    assert result.message


@pytest.mark.parametrize(
    "branch",
    ["--upload-pack=x", "a..b", "$(rm -rf)", "@{-1}", "HEAD", "-x", "a b", "x.lock", "", "a~1"],
)
def test_hostile_branch_names_are_refused_before_any_push(
    work: Path, remote: Path, branch: str
) -> None:
    failing = remote_tip(remote)
    bot_commit(work, 105)
    with pytest.raises(GitError, match="not a valid branch name"):
        gitops.push_with_lease(work, "origin", branch, failing, token=None)
    with pytest.raises(GitError, match="not a valid branch name"):
        gitops.create_branch_and_push(work, "origin", branch, token=None)
    refs = subprocess.run(
        ["git", "--git-dir", str(remote), "for-each-ref", "--format=%(refname)"],
        capture_output=True,
        text=True,
    ).stdout.split()
    assert refs == ["refs/heads/main"]
    assert remote_tip(remote) == failing


@pytest.mark.parametrize("where", ["--receive-pack=touch /tmp/x", "ext::sh -c touch% x", "no such"])
def test_hostile_remotes_are_refused(work: Path, remote: Path, where: str) -> None:
    bot_commit(work, 106)
    with pytest.raises(GitError):
        gitops.push_with_lease(work, where, "main", remote_tip(remote), token=None)


def test_bad_expected_sha_is_refused(work: Path) -> None:
    with pytest.raises(GitError, match="full commit sha"):
        gitops.push_with_lease(work, "origin", "main", "HEAD~1", token=None)


# -- pull-request branch -----------------------------------------------------------------------


def test_create_branch_is_idempotent_and_refuses_foreign_content(
    work: Path, remote: Path, tmp_path: Path
) -> None:
    branch = gitops.fix_branch(555)
    assert branch == "smartmon/fix-555"
    sha = bot_commit(work, 555)
    first = gitops.create_branch_and_push(work, "origin", branch, token=None)
    assert (first.status, first.sha) == (PushStatus.PUSHED, sha)
    assert remote_tip(remote, branch) == sha
    second = gitops.create_branch_and_push(work, "origin", branch, token=None)
    assert second.status is PushStatus.PUSHED and "up to date" in second.message
    # Someone else's content on the branch: refused, left alone.
    other = clone(remote, tmp_path / "other")
    git("checkout", "--quiet", "-b", "mine", cwd=other)
    theirs = human_commit(other, "x.txt", "theirs\n")
    git("push", "--quiet", "--force", "origin", f"HEAD:{branch}", cwd=other)
    third = gitops.create_branch_and_push(work, "origin", branch, token=None)
    assert third.status is PushStatus.REJECTED
    assert "already exists" in third.message
    assert remote_tip(remote, branch) == theirs
    with pytest.raises(GitError):
        gitops.fix_branch("5/../../main")


# -- patches -----------------------------------------------------------------------------------


def test_format_patch_applies_on_the_base(work: Path, remote: Path, tmp_path: Path) -> None:
    base = remote_tip(remote)
    bot_commit(work, 200)
    patch = gitops.format_patch(work, base, "HEAD")
    assert "Subject: [PATCH] fix for run 200" in patch
    assert "Smartmon-Fix: run 200" in patch
    target = clone(remote, tmp_path / "target")
    (tmp_path / "fix.patch").write_text(patch)
    git("apply", "--check", str(tmp_path / "fix.patch"), cwd=target)
    with pytest.raises(GitError):
        gitops.format_patch(work, "--output=/tmp/x", "HEAD")


def test_diff_patch_includes_new_files_and_leaves_the_index(
    work: Path, remote: Path, tmp_path: Path
) -> None:
    (work / "requirements.txt").write_text("requests\npyyaml\n")
    (work / ".github").mkdir()
    (work / ".github" / "new.yml").write_text("on: push\n")
    (work / "run.sh").chmod(0o755)
    status = git("status", "--porcelain", cwd=work)
    patch = gitops.diff_patch(work)
    assert git("status", "--porcelain", cwd=work) == status
    assert "+pyyaml" in patch and "b/.github/new.yml" in patch
    assert "new mode 100755" in patch
    target = clone(remote, tmp_path / "target")
    assert gitops.diff_patch(target) == ""
    (tmp_path / "fix.patch").write_text(patch)
    git("apply", str(tmp_path / "fix.patch"), cwd=target)
    assert (target / ".github" / "new.yml").read_text() == "on: push\n"
    assert os.access(target / "run.sh", os.X_OK)
    only = gitops.diff_patch(work, paths=["requirements.txt"])
    assert "+pyyaml" in only and "new.yml" not in only


# -- token over smart HTTP ---------------------------------------------------------------------


def test_token_push_over_http_keeps_the_token_out_of_argv_config_and_messages(
    sandbox_server: SandboxHandle,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    sb = sandbox_server
    sb.admin.create_repo("octo", "demo", {"a.txt": "a\n"})
    sb.admin.wait_idle()
    url = f"{sb.api_url}/octo/demo.git"
    work = tmp_path / "work"
    git(
        "-c",
        f"http.extraHeader=Authorization: Bearer {sb.token}",
        "clone",
        "-q",
        url,
        str(work),
        cwd=tmp_path,
    )
    failing = git("rev-parse", "HEAD", cwd=work)
    bot_commit(work, 300, name="a.txt")
    caplog.set_level("DEBUG")
    # GIT_TRACE records the argv of git and every helper it starts (remote-http, etc.).
    trace = tmp_path / "trace.log"
    monkeypatch.setenv("GIT_TRACE", str(trace))

    anonymous = gitops.push_with_lease(work, "origin", "main", failing, token=None)
    assert anonymous.status is PushStatus.REJECTED
    wrong = "ghp_" + "W" * 36
    bad = gitops.push_with_lease(work, "origin", "main", failing, token=wrong)
    assert bad.status is PushStatus.REJECTED
    reader = sb.admin.token("pat", permissions={"contents": "read"})
    denied = gitops.push_with_lease(work, "origin", "main", failing, token=reader)
    assert denied.status is PushStatus.REJECTED and "denied" in denied.message.lower()
    sb.admin.configure("octo/demo", protected_branches=["main"])
    protected = gitops.push_with_lease(work, "origin", "main", failing, token=sb.token)
    assert protected.status is PushStatus.REJECTED and "GH006" in protected.message
    sb.admin.configure("octo/demo", protected_branches=[])
    # A stale header left for the same host (as a persisted checkout would) is replaced.
    stale = base64.b64encode(f"x-access-token:{wrong}".encode()).decode()
    host = sb.api_url.rstrip("/") + "/"
    monkeypatch.setenv("GIT_CONFIG_COUNT", "1")
    monkeypatch.setenv("GIT_CONFIG_KEY_0", f"http.{host}.extraheader")
    monkeypatch.setenv("GIT_CONFIG_VALUE_0", f"AUTHORIZATION: basic {stale}")
    ok = gitops.push_with_lease(work, "origin", "main", failing, token=sb.token)
    assert ok.status is PushStatus.PUSHED, ok.message
    head = sb.api("GET", "/repos/octo/demo/git/ref/heads/main").json()["object"]["sha"]
    assert head == ok.sha
    # Fetching a private repository needs the token too.
    fresh = tmp_path / "fresh"
    git("init", "--quiet", str(fresh), cwd=tmp_path)
    with pytest.raises(GitError) as refused:
        gitops.fetch(fresh, url, "main", token=wrong, depth=1)
    assert gitops.fetch(fresh, url, "main", token=sb.token, depth=1) == ok.sha

    basics = [
        base64.b64encode(f"x-access-token:{t}".encode()).decode() for t in (sb.token, wrong, reader)
    ]
    seen = "\n".join(
        [
            trace.read_text(),
            (work / ".git" / "config").read_text(),
            caplog.text,
            *(r.message for r in (anonymous, bad, denied, protected, ok)),
            str(refused.value),
        ]
    )
    assert "remote-http" in trace.read_text() and "--force-with-lease" in trace.read_text()
    for secret in (sb.token, wrong, reader, *basics):
        assert secret not in seen
