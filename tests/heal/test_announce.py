"""Issue 16 end to end in the in-process sandbox (real HTTP, real git): the sticky pull-request
comment, the opt-out label and trailer, and the tracking issue of a red default branch."""

from __future__ import annotations

from typing import Any

import pytest

from smartmon.heal import announce, close_tracking
from smartmon.heal.pr_comment import MARKER
from smartmon.heal.tracking_issue import LABEL
from tests.heal.test_heal import MISSING_MODULE, Repo, _git

pytest_plugins = ["tests.fixtures_sandbox"]

SERVER = "https://github.example"
TEST_FAILURE = MISSING_MODULE.replace(
    "python -m app\n          ModuleNotFoundError: No module named 'yaml'",
    "pytest -q\n          FAILED tests/test_app.py::test_add - assert 1 == 2",
)


@pytest.fixture
def make_repo(sandbox_server: Any, tmp_path: Any) -> Any:
    def make(name: str, workflow: str = MISSING_MODULE) -> Repo:
        return Repo(sandbox_server, tmp_path, name, workflow)

    return make


def _tell(repo: Repo, result: Any, **kw: Any) -> Any:
    options = {"comment": "auto", "track_issues": False} | kw
    return announce(repo.client, result, server_url=SERVER, repo=repo.full_name, **options)


def _ours(repo: Repo, number: int) -> list[dict[str, Any]]:
    comments = repo.client.list_issue_comments(number)
    return [c for c in comments if str(c["body"]).startswith(MARKER)]


def _commit(repo: Repo, branch: str, text: str, message: str) -> str:
    _git("checkout", "--quiet", branch, cwd=repo.dev)
    (repo.dev / "notes.txt").write_text(text)
    _git("add", "notes.txt", cwd=repo.dev)
    _git("commit", "--quiet", "-m", message, cwd=repo.dev)
    _git("push", "--quiet", "origin", branch, cwd=repo.dev)
    repo.sb.admin.wait_idle()
    return _git("rev-parse", "HEAD", cwd=repo.dev)


def test_a_pull_request_failing_twice_gets_one_comment_updated(make_repo: Any) -> None:
    repo = make_repo("sticky", TEST_FAILURE)
    repo.push_branch("feature", message="first try")
    pull = repo.client.create_pull("feature", "main", "Add a feature")
    repo.sb.admin.wait_idle()
    first = repo.latest_run("feature")
    assert first["conclusion"] == "failure"
    told = _tell(repo, repo.heal(first))
    assert told.comment_created and told.comment_url
    [comment] = _ours(repo, pull["number"])
    assert f"run [{first['id']}]" in comment["body"] and "test_failure" in comment["body"]
    assert "Left for a person" in comment["body"]

    _commit(repo, "feature", "second\n", "second try")
    second = repo.latest_run("feature")
    assert second["id"] != first["id"] and second["conclusion"] == "failure"
    told = _tell(repo, repo.heal(second))
    assert not told.comment_created
    [updated] = _ours(repo, pull["number"])
    assert updated["id"] == comment["id"]
    assert f"Updated for run [{second['id']}]" in updated["body"]
    assert updated["body"].count("<!-- smartmon:workflow ") == 1  # one section per workflow

    # The branch passes again: the workflow's section turns green, still in the same comment.
    workflow = repo.dev / ".github/workflows/ci.yml"
    workflow.write_text(workflow.read_text().replace("exit 1", "true"))
    _git("commit", "--quiet", "-am", "fix the test", cwd=repo.dev)
    _git("push", "--quiet", "origin", "feature", cwd=repo.dev)
    repo.sb.admin.wait_idle()
    green = repo.latest_run("feature")
    assert green["conclusion"] == "success"
    told = _tell(repo, repo.heal(green))
    assert told.comment_url and not told.comment_created
    [passing] = _ours(repo, pull["number"])
    assert passing["id"] == comment["id"] and f"run [{green['id']}]" in passing["body"]
    assert "✅" in passing["body"] and "test_failure" not in passing["body"]


def test_the_skip_label_makes_it_report_only_and_the_comment_says_why(make_repo: Any) -> None:
    repo = make_repo("skip-label")  # a missing dependency: smartmon would open a fix PR
    repo.push_branch("feature")
    pull = repo.client.create_pull("feature", "main", "Feature")
    repo.sb.admin.wait_idle()
    reply = repo.sb.api(
        "POST",
        f"/repos/{repo.full_name}/issues/{pull['number']}/labels",
        json={"labels": ["smartmon:skip"]},
    )
    assert reply.status_code == 200, reply.text
    branches = _git("ls-remote", "--heads", "origin", cwd=repo.dev)
    result = repo.heal(repo.latest_run("feature"), skip_label="smartmon:skip")
    assert result.delivery == "patch" and result.commit_sha is None
    assert result.opted_out and "smartmon:skip" in result.opted_out
    assert _git("ls-remote", "--heads", "origin", cwd=repo.dev) == branches  # nothing pushed
    assert len(repo.client.list_pulls()) == 1
    _tell(repo, result)
    [comment] = _ours(repo, pull["number"])
    assert "Report only" in comment["body"] and "smartmon:skip" in comment["body"]
    assert "<details>" in comment["body"]  # the patch, collapsed


def test_a_skip_trailer_on_the_failing_commit_makes_it_report_only(make_repo: Any) -> None:
    repo = make_repo("skip-trailer")
    repo.push_branch("feature", message="work\n\nSmartmon: skip")
    result = repo.heal(repo.latest_run("feature"))
    assert result.delivery == "patch" and result.opted_out is not None
    assert "Smartmon: skip" in result.opted_out


def test_a_red_default_branch_gets_one_tracking_issue_closed_when_green(make_repo: Any) -> None:
    repo = make_repo("tracked", TEST_FAILURE)
    first = repo.latest_run()
    told = _tell(repo, repo.heal(first), track_issues=True)
    assert told.issue.action == "opened" and told.issue.number is not None
    number = told.issue.number

    _commit(repo, "main", "again\n", "still red")
    second = repo.latest_run()
    told = _tell(repo, repo.heal(second), track_issues=True)
    assert told.issue.action == "updated" and told.issue.number == number
    [issue] = repo.client.list_issues(labels=LABEL)
    assert issue["number"] == number and issue["state"] == "open"
    body = issue["body"]
    assert body.index(f"[{second['id']}](") < body.index(f"[{first['id']}](")  # newest first

    _git("checkout", "--quiet", "main", cwd=repo.dev)
    workflow = repo.dev / ".github/workflows/ci.yml"
    workflow.write_text(workflow.read_text().replace("exit 1", "true"))
    _git("commit", "--quiet", "-am", "fix the test", cwd=repo.dev)
    _git("push", "--quiet", "origin", "main", cwd=repo.dev)
    repo.sb.admin.wait_idle()
    green = repo.latest_run()
    assert green["conclusion"] == "success"
    closed = close_tracking(repo.client, green, server_url=SERVER, repo=repo.full_name)
    assert closed.action == "closed" and closed.number == number
    issue = repo.client.get_issue(number)
    assert issue["state"] == "closed" and issue["state_reason"] == "completed"
    assert "passes again" in repo.client.list_issue_comments(number)[-1]["body"]
    assert repo.client.list_issues(labels=LABEL) == []


def test_a_fix_pull_request_on_the_default_branch_opens_no_tracking_issue(make_repo: Any) -> None:
    repo = make_repo("fixed-main")  # missing dependency: smartmon opens a fix pull request
    result = repo.heal(repo.latest_run())
    assert result.delivery == "pull-request"
    told = _tell(repo, result, track_issues=True)
    assert told.issue.action == "none" and repo.client.list_issues(labels=LABEL) == []


def test_a_fork_pull_request_is_found_by_its_head_and_commented(make_repo: Any) -> None:
    # workflow_run.pull_requests is empty for a fork's run: the pull request is looked up by
    # `fork-owner:branch`, and the fork's run gets a report and a comment, nothing pushed.
    repo = make_repo("forked")
    repo.push_branch("feature")
    pull = repo.client.create_pull("stranger:feature", "main", "From a fork")
    assert pull["head"]["label"] == "stranger:feature"
    repo.sb.admin.wait_idle()
    repo.sb.admin.configure(repo.full_name, next_head_repository="stranger/forked")
    sha = _commit(repo, "feature", "from the fork\n", "fork work")
    run = next(r for r in repo.client.list_runs(branch="feature") if r["head_sha"] == sha)
    assert run["pull_requests"] == [] and run["head_repository"]["full_name"] == "stranger/forked"
    result = repo.heal(run)
    assert result.pull_number == pull["number"] and result.delivery == "patch"
    told = _tell(repo, result)
    assert told.comment_created
    [comment] = _ours(repo, pull["number"])
    assert "the run came from a fork: report and patch only" in comment["body"]
