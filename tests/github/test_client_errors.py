"""Errors a person can act on, built from GitHub's documented error bodies; the token never leaks."""

from __future__ import annotations

import logging
import traceback

import pytest

from smartmon.errors import SmartmonError
from smartmon.github.client import (
    AuthenticationFailed,
    Conflict,
    ConnectionFailed,
    GitHubClient,
    GitHubError,
    LogsExpired,
    NotFound,
    PermissionDenied,
    RateLimited,
    ServerError,
    UnsupportedApiVersion,
    ValidationFailed,
)
from tests.github.fake_github import DROP, REPO, TOKEN, Answer, FakeGitHub, repo_path

DOCS = "https://docs.github.com/rest"


def _fail(fake: FakeGitHub, client: GitHubClient, answer: Answer) -> GitHubError:
    fake.on("GET", repo_path("/actions/runs/42"), answer)
    with pytest.raises(GitHubError) as info:
        client.get_run(42)
    return info.value


def test_401_says_the_token_was_rejected(fake: FakeGitHub, client: GitHubClient) -> None:
    err = _fail(
        fake, client, Answer(401, {"message": "Bad credentials", "documentation_url": DOCS})
    )
    assert isinstance(err, AuthenticationFailed)
    assert isinstance(err, SmartmonError)
    assert "token rejected (check the token or its expiry)" in str(err)
    assert str(err).startswith("GET /repos/octo-org/hello-world/actions/runs/42: HTTP 401: ")
    assert err.documentation_url == DOCS


def test_403_with_accepted_permissions_names_the_permissions_entry(
    fake: FakeGitHub, client: GitHubClient
) -> None:
    fake.on(
        "PUT",
        repo_path("/contents/requirements.txt"),
        Answer(
            403,
            {"message": "Resource not accessible by integration", "documentation_url": DOCS},
            {"x-accepted-github-permissions": "contents=write", "x-github-request-id": "AB:CD"},
        ),
    )
    with pytest.raises(PermissionDenied) as info:
        client.put_contents("requirements.txt", "pyyaml\n", "Add pyyaml", "main", sha="abc")
    err = info.value
    assert (
        "add `permissions: contents: write` to the workflow (the token lacks contents=write)"
        in str(err)
    )
    assert "Resource not accessible by integration" in str(err)
    assert err.accepted_permissions == (("contents=write",),)
    assert err.request_id == "AB:CD"


def test_403_for_a_permission_github_token_cannot_have_says_which_token_to_use(
    fake: FakeGitHub, client: GitHubClient
) -> None:
    headers = {"x-accepted-github-permissions": "secrets=write"}
    err = _fail(fake, client, Answer(403, {"message": "Resource not accessible"}, headers))
    assert "GITHUB_TOKEN cannot be granted it" in str(err)
    assert "secrets=write" in str(err)


def test_403_with_several_permissions_lists_them_with_workflow_key_spelling(
    fake: FakeGitHub, client: GitHubClient
) -> None:
    headers = {"x-accepted-github-permissions": "pull_requests=write, contents=read; issues=write"}
    err = _fail(fake, client, Answer(403, {"message": "Resource not accessible"}, headers))
    assert "`permissions: pull-requests: write, contents: read`" in str(err)
    assert isinstance(err, PermissionDenied)
    assert err.accepted_permissions == (("pull_requests=write", "contents=read"), ("issues=write",))


def test_403_rate_limit_is_not_a_permission_error(fake: FakeGitHub, client: GitHubClient) -> None:
    headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(2**31)}
    err = _fail(fake, client, Answer(403, {"message": "API rate limit exceeded"}, headers))
    assert isinstance(err, RateLimited)
    assert err.reset_at == float(2**31)


def test_404_says_the_token_may_not_see_it(fake: FakeGitHub, client: GitHubClient) -> None:
    err = _fail(fake, client, Answer(404, {"message": "Not Found", "documentation_url": DOCS}))
    assert isinstance(err, NotFound)
    assert "not found, or the token cannot see it" in str(err)


def test_410_on_logs_means_expired(fake: FakeGitHub, client: GitHubClient) -> None:
    # Recorded body (rust-lang/triagebot #2241): `status` is a string.
    fake.on(
        "GET",
        repo_path("/actions/jobs/7/logs"),
        Answer(410, {"message": "Server Error", "documentation_url": DOCS, "status": "410"}),
    )
    with pytest.raises(LogsExpired) as info:
        client.job_log(7)
    assert "logs expired (retention)" in str(info.value)


@pytest.mark.parametrize("status", [400, 410])
def test_unsupported_api_version_is_told_apart_from_expired_logs(
    fake: FakeGitHub, client: GitHubClient, status: int
) -> None:
    body = {"message": "Unsupported 'X-GitHub-Api-Version' header value", "status": str(status)}
    fake.on("GET", repo_path("/actions/jobs/7/logs"), Answer(status, body))
    with pytest.raises(UnsupportedApiVersion) as info:
        client.job_log(7)
    assert not isinstance(info.value, LogsExpired)
    assert "API version" in str(info.value)


def test_422_joins_the_api_errors(fake: FakeGitHub, client: GitHubClient) -> None:
    body = {
        "message": "Validation Failed",
        "errors": [
            {
                "resource": "PullRequest",
                "code": "custom",
                "message": "A pull request already exists for octo-org:fix.",
            },
            {"resource": "PullRequest", "field": "base", "code": "invalid"},
        ],
        "documentation_url": DOCS,
        "status": "422",
    }
    fake.on("POST", repo_path("/pulls"), Answer(422, body))
    with pytest.raises(ValidationFailed) as info:
        client.create_pull("fix", "main", "Fix CI")
    assert str(info.value).endswith(
        "validation failed: Validation Failed: A pull request already exists for octo-org:fix.; "
        "PullRequest base invalid"
    )
    assert len(info.value.errors) == 2


def test_409_is_a_conflict(fake: FakeGitHub, client: GitHubClient) -> None:
    body = {"message": "requirements.txt does not match 1234", "status": "409"}
    fake.on("PUT", repo_path("/contents/requirements.txt"), Answer(409, body))
    with pytest.raises(Conflict):
        client.put_contents("requirements.txt", b"x\n", "msg", "main", sha="1234")


def _all_text(err: BaseException) -> str:
    parts = [str(err), repr(err), repr(err.args), "".join(traceback.format_exception(err))]
    parts += [repr(v) for v in vars(err).values()]
    return "\n".join(parts)


@pytest.mark.parametrize(
    "answer",
    [
        Answer(401, {"message": f"Bad credentials {TOKEN}"}),
        Answer(
            403,
            {"message": f"token {TOKEN} lacks"},
            {"x-accepted-github-permissions": "actions=write"},
        ),
        Answer(403, {"message": f"secondary rate limit {TOKEN}"}, {"retry-after": "99999"}),
        Answer(404, {"message": f"Not Found Authorization: Bearer {TOKEN}"}),
        Answer(410, {"message": f"Gone {TOKEN}"}),
        Answer(422, {"message": "Validation Failed", "errors": [{"message": f"bad {TOKEN}"}]}),
        Answer(500, {"message": f"boom {TOKEN}"}),
        Answer(418, f"<html>{TOKEN}</html>"),
    ],
)
def test_the_token_never_appears_in_errors_or_logs(
    fake: FakeGitHub, sleeps: object, answer: Answer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = GitHubClient(
        TOKEN, repo="octo-org/hello-world", api_url=fake.url, sleep=lambda s: None, max_retries=1
    )
    err = _fail(fake, client, answer)
    assert TOKEN not in _all_text(err)
    assert TOKEN not in caplog.text
    assert TOKEN not in repr(client)
    assert err.status == answer.status


def test_server_error_after_retries_is_a_server_error(fake: FakeGitHub, sleeps: object) -> None:
    client = GitHubClient(
        TOKEN, repo="octo-org/hello-world", api_url=fake.url, sleep=lambda s: None, max_retries=1
    )
    err = _fail(fake, client, Answer(503, {"message": "Service Unavailable"}))
    assert isinstance(err, ServerError)
    assert "try again later" in str(err)


def _chain(err: BaseException | None) -> list[BaseException]:
    seen: list[BaseException] = []
    while err is not None and err not in seen:
        seen.append(err)
        err = err.__cause__ or err.__context__
    return seen


def test_connection_failures_carry_no_request_with_the_token(fake: FakeGitHub) -> None:
    fake.on("GET", repo_path("/actions/runs/42"), DROP)
    client = GitHubClient(TOKEN, repo=REPO, api_url=fake.url, sleep=lambda s: None, max_retries=1)
    with pytest.raises(ConnectionFailed) as info:
        client.get_run(42)
    chain = _chain(info.value)
    assert chain == [info.value]
    assert TOKEN not in _all_text(info.value)
    assert "connection failed" in str(info.value)


def test_a_403_with_an_html_body_is_still_a_permission_error(
    fake: FakeGitHub, client: GitHubClient
) -> None:
    answer = Answer(403, "<html>Forbidden</html>", {"Content-Type": "text/html"})
    err = _fail(fake, client, answer)
    assert isinstance(err, PermissionDenied)
    assert "forbidden; the token lacks a permission" in str(err)


def test_primary_limit_message_gives_the_reset_time(fake: FakeGitHub, client: GitHubClient) -> None:
    headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1800000000"}
    err = _fail(fake, client, Answer(429, {"message": "API rate limit exceeded"}, headers))
    assert isinstance(err, RateLimited)
    assert "API rate limit exhausted until 2027-01-15T08:00:00Z" in str(err)
