"""Repository calls: runs, jobs, reruns, dispatch, contents, pulls, refs, commits, secrets."""

from __future__ import annotations

import base64

import pytest
from nacl.public import PrivateKey, SealedBox

from smartmon.errors import InputError
from smartmon.github.client import Conflict, GitHubClient, PermissionDenied, ServerError
from tests.github.fake_github import REPO, TOKEN, Answer, FakeGitHub, Sleeps, repo_path

RUN = {
    "id": 99,
    "name": "CI",
    "head_branch": "main",
    "head_sha": "acb5820ced9479c074f688cc328bf03f341a511d",
    "path": ".github/workflows/ci.yml@main",
    "event": "push",
    "status": "completed",
    "conclusion": "failure",
    "workflow_id": 159038,
    "run_number": 562,
    "run_attempt": 1,
}


def test_list_runs_sends_filters_and_uses_the_workflow_route(
    fake: FakeGitHub, client: GitHubClient
) -> None:
    fake.on(
        "GET",
        repo_path("/actions/workflows/ci.yml/runs"),
        Answer(200, {"total_count": 1, "workflow_runs": [RUN]}),
    )
    runs = client.list_runs(
        workflow="ci.yml",
        branch="main",
        event="push",
        status="failure",
        head_sha=str(RUN["head_sha"]),
        created=">=2026-11-01T00:00:00Z",
    )
    assert runs[0]["conclusion"] == "failure"
    assert fake.seen[0].query == (
        f"branch=main&event=push&status=failure&head_sha={RUN['head_sha']}"
        "&created=%3E%3D2026-11-01T00%3A00%3A00Z&per_page=100"
    )


def test_list_runs_refuses_a_status_github_does_not_accept(client: GitHubClient) -> None:
    with pytest.raises(InputError, match="startup_failure"):
        client.list_runs(status="startup_failure")


def test_list_workflows_and_jobs(fake: FakeGitHub, client: GitHubClient) -> None:
    wf = {"id": 159038, "name": "CI", "path": ".github/workflows/ci.yml", "state": "active"}
    fake.on(
        "GET", repo_path("/actions/workflows"), Answer(200, {"total_count": 1, "workflows": [wf]})
    )
    fake.on(
        "GET",
        repo_path("/actions/runs/99/jobs"),
        Answer(200, {"total_count": 1, "jobs": [{"id": 1}]}),
    )
    fake.on(
        "GET",
        repo_path("/actions/runs/99/attempts/2/jobs"),
        Answer(200, {"total_count": 1, "jobs": [{"id": 2}]}),
    )
    assert client.list_workflows() == [wf]
    assert client.list_jobs(99, filter="all") == [{"id": 1}]
    assert "filter=all" in fake.seen[-1].query
    assert client.list_jobs(99, attempt=2) == [{"id": 2}]
    with pytest.raises(InputError):
        client.list_jobs(99, filter="newest")


def test_get_run_attempt_and_job(fake: FakeGitHub, client: GitHubClient) -> None:
    fake.on("GET", repo_path("/actions/runs/99/attempts/1"), Answer(200, RUN))
    fake.on("GET", repo_path("/actions/jobs/5"), Answer(200, {"id": 5, "run_id": 99}))
    assert client.get_run_attempt(99, 1)["run_attempt"] == 1
    assert client.get_job(5)["run_id"] == 99


def _run_with_attempt(attempt: int) -> Answer:
    return Answer(200, {**RUN, "run_attempt": attempt})


def test_rerun_returns_the_new_attempt(fake: FakeGitHub, client: GitHubClient) -> None:
    fake.on("GET", repo_path("/actions/runs/99"), _run_with_attempt(3))
    fake.on("POST", repo_path("/actions/runs/99/rerun-failed-jobs"), Answer(201, {}))
    assert client.rerun_failed_jobs(99) == 4
    assert fake.requests_to("POST", repo_path("/actions/runs/99/rerun-failed-jobs"))[0].body == b""


def test_rerun_after_an_ambiguous_5xx_is_not_sent_twice_when_it_took_effect(
    fake: FakeGitHub, client: GitHubClient
) -> None:
    fake.on("GET", repo_path("/actions/runs/99"), _run_with_attempt(1), _run_with_attempt(2))
    fake.on("POST", repo_path("/actions/runs/99/rerun"), Answer(502, {"message": "Server Error"}))
    assert client.rerun(99, debug=True) == 2
    posts = fake.requests_to("POST", repo_path("/actions/runs/99/rerun"))
    assert len(posts) == 1
    assert posts[0].json() == {"enable_debug_logging": True}


def test_rerun_after_an_ambiguous_5xx_is_resent_when_it_did_not_take_effect(
    fake: FakeGitHub, client: GitHubClient, sleeps: Sleeps
) -> None:
    fake.on("GET", repo_path("/actions/runs/99"), _run_with_attempt(1))
    fake.on(
        "POST",
        repo_path("/actions/runs/99/rerun"),
        Answer(500, {"message": "Server Error"}),
        Answer(201, {}),
    )
    assert client.rerun(99) == 2
    assert len(fake.requests_to("POST", repo_path("/actions/runs/99/rerun"))) == 2
    assert len(sleeps.waits) == 1


def test_rerun_gives_up_after_max_retries(fake: FakeGitHub, sleeps: Sleeps) -> None:
    client = GitHubClient(TOKEN, repo=REPO, api_url=fake.url, sleep=sleeps, max_retries=2)
    fake.on("GET", repo_path("/actions/runs/99"), _run_with_attempt(1))
    fake.on("POST", repo_path("/actions/runs/99/rerun"), Answer(500, {"message": "Server Error"}))
    with pytest.raises(ServerError):
        client.rerun(99)
    assert len(fake.requests_to("POST", repo_path("/actions/runs/99/rerun"))) == 3


def test_rerun_refused_is_raised_at_once(fake: FakeGitHub, client: GitHubClient) -> None:
    fake.on("GET", repo_path("/actions/runs/99"), _run_with_attempt(1))
    body = {"message": "Unable to retry this workflow run because it was created over a month ago"}
    fake.on("POST", repo_path("/actions/runs/99/rerun"), Answer(403, body))
    with pytest.raises(PermissionDenied, match="over a month ago"):
        client.rerun(99)
    assert len(fake.requests_to("POST", repo_path("/actions/runs/99/rerun"))) == 1


def test_rerun_job_finds_its_run(fake: FakeGitHub, client: GitHubClient) -> None:
    fake.on("GET", repo_path("/actions/jobs/5"), Answer(200, {"id": 5, "run_id": 99}))
    fake.on("GET", repo_path("/actions/runs/99"), _run_with_attempt(2))
    fake.on("POST", repo_path("/actions/jobs/5/rerun"), Answer(201, {}))
    assert client.rerun_job(5) == 3


def test_dispatch_sends_ref_and_inputs(fake: FakeGitHub, client: GitHubClient) -> None:
    path = repo_path("/actions/workflows/ci.yml/dispatches")
    fake.on("POST", path, Answer(204), Answer(200, {"workflow_run_id": 1234, "run_url": "u"}))
    assert client.dispatch("ci.yml", "main", {"reason": "smartmon verify"}) is None
    assert fake.seen[0].json() == {"ref": "main", "inputs": {"reason": "smartmon verify"}}
    # API version 2026-03-10 answers 200 with the run's details.
    assert client.dispatch("ci.yml", "main") == {"workflow_run_id": 1234, "run_url": "u"}


def test_get_contents_decodes_base64_with_newlines(fake: FakeGitHub, client: GitHubClient) -> None:
    raw = b"pytest\npyyaml>=6\n" * 10
    encoded = base64.b64encode(raw).decode()
    wrapped = "\n".join(encoded[i : i + 60] for i in range(0, len(encoded), 60)) + "\n"
    body = {
        "type": "file",
        "encoding": "base64",
        "size": len(raw),
        "name": "requirements.txt",
        "path": "requirements.txt",
        "content": wrapped,
        "sha": "3d21ec53a331a6f037a91c368710b99387d012c1",
    }
    fake.on("GET", repo_path("/contents/requirements.txt"), Answer(200, body))
    assert client.get_contents("requirements.txt", ref="abc") == (raw, body["sha"])
    assert fake.seen[0].query == "ref=abc"


def test_get_contents_of_a_large_file_uses_the_raw_media_type(
    fake: FakeGitHub, client: GitHubClient
) -> None:
    meta = {"type": "file", "encoding": "none", "content": "", "sha": "ff00", "path": "big.log"}
    fake.on(
        "GET",
        repo_path("/contents/data/big.log"),
        lambda seen: (
            Answer(200, b"\x00raw", {"Content-Type": "application/octet-stream"})
            if seen.headers["Accept"] == "application/vnd.github.raw+json"
            else Answer(200, meta)
        ),
    )
    assert client.get_contents("data/big.log") == (b"\x00raw", "ff00")


def test_get_contents_of_a_directory_is_an_input_error(
    fake: FakeGitHub, client: GitHubClient
) -> None:
    fake.on("GET", repo_path("/contents/src"), Answer(200, [{"type": "file", "name": "a.py"}]))
    with pytest.raises(InputError, match="src: not a file"):
        client.get_contents("src")


def test_put_contents_sends_base64_branch_and_sha(fake: FakeGitHub, client: GitHubClient) -> None:
    fake.on(
        "PUT",
        repo_path("/contents/.github/workflows/ci.yml"),
        Answer(200, {"commit": {"sha": "c0ffee"}}),
    )
    got = client.put_contents(".github/workflows/ci.yml", "on: push\n", "Fix CI", "main", sha="abc")
    assert got["commit"]["sha"] == "c0ffee"
    assert fake.seen[0].json() == {
        "message": "Fix CI",
        "content": base64.b64encode(b"on: push\n").decode(),
        "branch": "main",
        "sha": "abc",
    }


def test_list_pulls_qualifies_a_bare_head_with_the_owner(
    fake: FakeGitHub, client: GitHubClient
) -> None:
    fake.on("GET", repo_path("/pulls"), Answer(200, [{"number": 3}]))
    assert client.list_pulls(head="smartmon/fix-1", base="main") == [{"number": 3}]
    assert (
        fake.seen[0].query == "head=octo-org%3Asmartmon%2Ffix-1&base=main&state=open&per_page=100"
    )


def test_create_pull(fake: FakeGitHub, client: GitHubClient) -> None:
    fake.on("POST", repo_path("/pulls"), Answer(201, {"number": 8}, {"Location": "x"}))
    assert client.create_pull("fix", "main", "Fix CI", "body", draft=True)["number"] == 8
    assert fake.seen[0].json() == {
        "head": "fix",
        "base": "main",
        "title": "Fix CI",
        "body": "body",
        "draft": True,
    }


def _ref(sha: str) -> Answer:
    return Answer(200, {"ref": "refs/heads/main", "object": {"sha": sha, "type": "commit"}})


def test_update_ref_checks_the_expected_sha_first(fake: FakeGitHub, client: GitHubClient) -> None:
    fake.on("GET", repo_path("/git/ref/heads/main"), _ref("b" * 40))
    with pytest.raises(Conflict, match="branch main moved"):
        client.update_ref("main", "c" * 40, expected="a" * 40)
    assert not fake.requests_to("PATCH", repo_path("/git/refs/heads/main"))


def test_update_ref_moves_the_branch_when_it_is_unchanged(
    fake: FakeGitHub, client: GitHubClient
) -> None:
    fake.on("GET", repo_path("/git/ref/heads/main"), _ref("a" * 40))
    fake.on("PATCH", repo_path("/git/refs/heads/main"), _ref("c" * 40))
    assert client.update_ref("main", "c" * 40, expected="a" * 40)["object"]["sha"] == "c" * 40
    assert fake.requests_to("PATCH", repo_path("/git/refs/heads/main"))[0].json() == {
        "sha": "c" * 40,
        "force": False,
    }


def test_create_ref_get_ref_compare_and_commits(fake: FakeGitHub, client: GitHubClient) -> None:
    fake.on("POST", repo_path("/git/refs"), Answer(201, {"ref": "refs/heads/fix"}))
    fake.on("GET", repo_path("/git/ref/heads/feature/x"), _ref("d" * 40))
    fake.on(
        "GET",
        repo_path("/compare/main...feature/x"),
        Answer(200, {"status": "ahead", "ahead_by": 1}),
    )
    fake.on("GET", repo_path("/commits"), Answer(200, [{"sha": "d" * 40}]))
    fake.on("GET", repo_path("/commits/main"), Answer(200, {"sha": "d" * 40}))
    assert client.create_ref("fix", "d" * 40)["ref"] == "refs/heads/fix"
    assert fake.seen[0].json() == {"ref": "refs/heads/fix", "sha": "d" * 40}
    assert client.get_ref("feature/x")["object"]["sha"] == "d" * 40
    assert client.compare("main", "feature/x")["status"] == "ahead"
    assert client.list_commits("main", per_page=5) == [{"sha": "d" * 40}]
    assert fake.seen[-1].query == "sha=main&per_page=5"
    assert client.get_commit("main")["sha"] == "d" * 40


def test_put_secret_round_trip_with_a_sealed_box(fake: FakeGitHub, client: GitHubClient) -> None:
    private = PrivateKey.generate()
    key = {
        "key_id": "568250167242549743",
        "key": base64.b64encode(bytes(private.public_key)).decode(),
    }
    fake.on("GET", repo_path("/actions/secrets/public-key"), Answer(200, key))
    fake.on("PUT", repo_path("/actions/secrets/PYPI_TOKEN"), Answer(201, {}), Answer(204))
    assert client.put_secret("PYPI_TOKEN", "s3cret-value") is True
    assert client.put_secret("PYPI_TOKEN", "s3cret-value") is False
    body = fake.requests_to("PUT", repo_path("/actions/secrets/PYPI_TOKEN"))[0].json()
    assert body["key_id"] == key["key_id"]
    assert b"s3cret-value" not in fake.seen[1].body
    sealed = base64.b64decode(body["encrypted_value"])
    assert SealedBox(private).decrypt(sealed) == b"s3cret-value"


def test_put_secret_is_retried_on_5xx_because_it_is_idempotent(
    fake: FakeGitHub, client: GitHubClient
) -> None:
    key = {"key_id": "1", "key": base64.b64encode(bytes(PrivateKey.generate().public_key)).decode()}
    fake.on("GET", repo_path("/actions/secrets/public-key"), Answer(200, key))
    fake.on("PUT", repo_path("/actions/secrets/X"), Answer(502, {}), Answer(204))
    assert client.put_secret("X", "v") is False


@pytest.mark.parametrize("name", ["GITHUB_TOKEN", "github_x", "1ABC", "A-B", "", "A B"])
def test_put_secret_refuses_invalid_names(client: GitHubClient, name: str) -> None:
    with pytest.raises(InputError, match="secret name"):
        client.put_secret(name, "v")


def test_put_secret_refuses_values_over_48_kb(client: GitHubClient) -> None:
    with pytest.raises(InputError, match="48 KB"):
        client.put_secret("BIG", "x" * (48 * 1024 + 1))


def test_rate_limit_and_for_repo_share_the_budget(fake: FakeGitHub, client: GitHubClient) -> None:
    headers = {"x-ratelimit-limit": "60", "x-ratelimit-remaining": "59", "x-ratelimit-reset": "1"}
    fake.on("GET", "/rate_limit", Answer(200, {"resources": {"core": {"limit": 60}}}, headers))
    fake.on("GET", "/repos/octo-org/other", Answer(200, {"full_name": "octo-org/other"}, headers))
    assert client.rate_limit()["resources"]["core"]["limit"] == 60
    other = client.for_repo("octo-org/other")
    assert other.get_repo()["full_name"] == "octo-org/other"
    assert other.rate is client.rate


def test_a_client_without_a_repository_says_how_to_name_one(
    fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)
    client = GitHubClient(TOKEN, api_url=fake.url)
    with pytest.raises(InputError, match="GITHUB_REPOSITORY"):
        client.get_repo()


@pytest.mark.parametrize("repo", ["octo-org", "a/b/c", "o/r?x=1", "o/r#frag", "o /r"])
def test_a_malformed_repository_name_is_refused(fake: FakeGitHub, repo: str) -> None:
    client = GitHubClient(TOKEN, repo=repo, api_url=fake.url)
    with pytest.raises(InputError, match="expected OWNER/NAME"):
        client.get_repo()
    assert fake.seen == []


def test_rerun_refused_on_resend_because_the_first_took_effect_late(
    fake: FakeGitHub, client: GitHubClient
) -> None:
    fake.on(
        "GET",
        repo_path("/actions/runs/99"),
        _run_with_attempt(1),
        _run_with_attempt(1),  # the first POST is accepted but not visible yet
        _run_with_attempt(2),
    )
    fake.on(
        "POST",
        repo_path("/actions/runs/99/rerun"),
        Answer(502, {"message": "Server Error"}),
        Answer(403, {"message": "This workflow is already running"}),
    )
    assert client.rerun(99) == 2
    assert len(fake.requests_to("POST", repo_path("/actions/runs/99/rerun"))) == 2
