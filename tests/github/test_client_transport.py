"""Transport behaviour against a real local HTTP server: headers, paging, ETags, retries, limits."""

from __future__ import annotations

import logging
import socket

import pytest

from smartmon import __version__
from smartmon.errors import InputError
from smartmon.github.client import (
    ConnectionFailed,
    GitHubClient,
    GitHubError,
    RateInfo,
    RateLimited,
    ServerError,
)
from tests.github.fake_github import DROP, REPO, TOKEN, Answer, FakeGitHub, Sleeps, repo_path

RATE = {
    "x-ratelimit-limit": "5000",
    "x-ratelimit-remaining": "4999",
    "x-ratelimit-used": "1",
    "x-ratelimit-reset": "1800003600",
    "x-ratelimit-resource": "core",
}
REPO_BODY = {"id": 1296269, "full_name": REPO, "default_branch": "main"}


def test_every_call_sends_version_accept_user_agent_and_bearer_token(
    fake: FakeGitHub, client: GitHubClient
) -> None:
    fake.on("GET", repo_path(""), Answer(200, REPO_BODY, RATE))
    assert client.get_repo()["full_name"] == REPO
    (seen,) = fake.seen
    assert seen.headers["Accept"] == "application/vnd.github+json"
    assert seen.headers["X-GitHub-Api-Version"] == "2022-11-28"
    assert seen.headers["User-Agent"] == f"smartmon/{__version__}"
    assert seen.headers["Authorization"] == f"Bearer {TOKEN}"


def test_base_url_and_token_come_from_the_environment(
    fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A GHES-style base with a path prefix, as GITHUB_API_URL is on GitHub Enterprise Server.
    monkeypatch.setenv("GITHUB_API_URL", fake.url + "/api/v3/")
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.setenv("GITHUB_REPOSITORY", REPO)
    fake.on("GET", "/api/v3" + repo_path(""), Answer(200, REPO_BODY))
    assert GitHubClient().get_repo()["id"] == 1296269
    assert fake.seen[0].headers["Authorization"] == f"Bearer {TOKEN}"


def test_without_a_token_no_authorization_header_is_sent(fake: FakeGitHub, sleeps: Sleeps) -> None:
    fake.on("GET", repo_path(""), Answer(200, REPO_BODY))
    GitHubClient(repo=REPO, api_url=fake.url, sleep=sleeps).get_repo()
    assert "Authorization" not in fake.seen[0].headers


def test_pagination_follows_link_next_urls_as_given(fake: FakeGitHub, client: GitHubClient) -> None:
    runs = repo_path("/actions/runs")
    # The server's next link carries an opaque cursor: the client must not build page URLs.
    fake.on(
        "GET",
        runs,
        lambda seen: (
            Answer(
                200,
                {"total_count": 3, "workflow_runs": [{"id": 3}, {"id": 2}]},
                {"Link": f'<{fake.url}{runs}?per_page=2&after=CURSOR>; rel="next"'},
            )
            if "after=" not in seen.query
            else Answer(200, {"total_count": 3, "workflow_runs": [{"id": 1}]})
        ),
    )
    got = client.list_runs(branch="main", per_page=2)
    assert [r["id"] for r in got] == [3, 2, 1]
    assert fake.seen[0].query == "branch=main&per_page=2"
    assert fake.seen[1].query == "per_page=2&after=CURSOR"


def test_max_items_stops_paging_early(fake: FakeGitHub, client: GitHubClient) -> None:
    runs = repo_path("/actions/runs")
    fake.on(
        "GET",
        runs,
        Answer(
            200,
            {"total_count": 9, "workflow_runs": [{"id": 9}, {"id": 8}, {"id": 7}]},
            {
                "Link": f'<{fake.url}{runs}?page=2>; rel="next", <{fake.url}{runs}?page=3>; rel="last"'
            },
        ),
    )
    assert [r["id"] for r in client.list_runs(max_items=2)] == [9, 8]
    assert len(fake.seen) == 1


def test_link_to_another_origin_is_followed_without_the_token(
    fake: FakeGitHub, blob: FakeGitHub, client: GitHubClient
) -> None:
    fake.on(
        "GET",
        repo_path("/pulls"),
        Answer(200, [{"number": 1}], {"Link": f'<{blob.url}/page2>; rel="next"'}),
    )
    blob.on("GET", "/page2", Answer(200, [{"number": 2}]))
    assert [p["number"] for p in client.list_pulls()] == [1, 2]
    assert "Authorization" not in blob.seen[0].headers


def test_etag_304_replays_the_cached_body(fake: FakeGitHub, client: GitHubClient) -> None:
    path = repo_path("/actions/runs/30433642")
    run = {"id": 30433642, "status": "completed", "conclusion": "failure", "run_attempt": 1}
    etag = 'W/"a9f8b7c6"'
    fake.on(
        "GET",
        path,
        lambda seen: (
            Answer(304, None, {**RATE, "ETag": etag})
            if seen.headers.get("If-None-Match") == etag
            else Answer(200, run, {**RATE, "ETag": etag})
        ),
    )
    assert client.get_run(30433642) == run
    again = client.http.request("GET", path)
    assert again.from_cache and again.status == 200
    assert again.json() == run
    assert "If-None-Match" not in fake.seen[0].headers
    assert fake.seen[1].headers["If-None-Match"] == etag


def test_etag_cache_is_per_token(fake: FakeGitHub, sleeps: Sleeps) -> None:
    fake.on("GET", repo_path(""), Answer(200, REPO_BODY, {"ETag": '"v1"'}))
    first = GitHubClient(TOKEN, repo=REPO, api_url=fake.url, sleep=sleeps)
    first.get_repo()
    first.get_repo()
    other = GitHubClient("ghp_" + "x" * 36, repo=REPO, api_url=fake.url, sleep=sleeps)
    other.http._cache = first.http._cache  # same cache object, different token
    other.get_repo()
    assert fake.seen[1].headers.get("If-None-Match") == '"v1"'
    assert "If-None-Match" not in fake.seen[2].headers


def test_etag_cache_is_bounded(fake: FakeGitHub, sleeps: Sleeps) -> None:
    client = GitHubClient(TOKEN, repo=REPO, api_url=fake.url, sleep=sleeps)
    client.http._cache.max_entries = 2
    for run_id in (1, 2, 3):
        fake.on(
            "GET",
            repo_path(f"/actions/runs/{run_id}"),
            Answer(200, {"id": run_id}, {"ETag": f'"{run_id}"'}),
        )
        client.get_run(run_id)
    assert len(client.http._cache) == 2
    client.get_run(1)  # evicted: asked again without If-None-Match
    assert "If-None-Match" not in fake.seen[-1].headers


def test_get_is_retried_on_5xx_with_growing_jittered_backoff(
    fake: FakeGitHub, client: GitHubClient, sleeps: Sleeps
) -> None:
    fake.on(
        "GET",
        repo_path(""),
        Answer(502, {"message": "Server Error"}),
        Answer(503, {"message": "Service Unavailable"}),
        Answer(500, {"message": "Server Error"}),
        Answer(200, REPO_BODY),
    )
    assert client.get_repo()["id"] == 1296269
    assert len(fake.seen) == 4
    assert len(sleeps.waits) == 3
    for attempt, wait in enumerate(sleeps.waits):
        assert 2**attempt / 2 <= wait <= 2**attempt


def test_get_gives_up_after_max_retries(fake: FakeGitHub, sleeps: Sleeps) -> None:
    client = GitHubClient(TOKEN, repo=REPO, api_url=fake.url, sleep=sleeps, max_retries=2)
    fake.on("GET", repo_path(""), Answer(500, {"message": "Server Error"}))
    with pytest.raises(ServerError) as info:
        client.get_repo()
    assert info.value.status == 500
    assert len(fake.seen) == 3


def test_post_is_not_retried_on_5xx(fake: FakeGitHub, client: GitHubClient, sleeps: Sleeps) -> None:
    fake.on("POST", repo_path("/pulls"), Answer(502, {"message": "Server Error"}))
    with pytest.raises(ServerError):
        client.create_pull("fix", "main", "Fix CI")
    assert len(fake.requests_to("POST", repo_path("/pulls"))) == 1
    assert sleeps.waits == []


def test_post_is_retried_after_a_secondary_limit_with_retry_after(
    fake: FakeGitHub, client: GitHubClient, sleeps: Sleeps
) -> None:
    secondary = {
        "message": "You have exceeded a secondary rate limit. Please wait a few minutes before "
        "you try again.",
        "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
        "status": "403",
    }
    fake.on(
        "POST",
        repo_path("/pulls"),
        Answer(403, secondary, {**RATE, "retry-after": "37"}),
        Answer(201, {"number": 7, "html_url": "https://github.com/octo-org/hello-world/pull/7"}),
    )
    assert client.create_pull("fix", "main", "Fix CI")["number"] == 7
    assert sleeps.waits == [37.0]


def test_secondary_limit_without_retry_after_waits_at_least_a_minute(
    fake: FakeGitHub, client: GitHubClient, sleeps: Sleeps
) -> None:
    message = {"message": "You have exceeded a secondary rate limit.", "status": "403"}
    fake.on(
        "GET",
        repo_path(""),
        Answer(403, message, RATE),
        Answer(429, message, RATE),
        Answer(200, REPO_BODY),
    )
    client.get_repo()
    assert len(sleeps.waits) == 2
    assert 60 <= sleeps.waits[0] <= 75
    assert 120 <= sleeps.waits[1] <= 150


def test_primary_limit_waits_until_reset(
    fake: FakeGitHub, client: GitHubClient, sleeps: Sleeps
) -> None:
    reset = int(sleeps.now) + 120
    exhausted = {**RATE, "x-ratelimit-remaining": "0", "x-ratelimit-reset": str(reset)}
    fake.on(
        "GET",
        repo_path(""),
        Answer(403, {"message": "API rate limit exceeded for installation ID 1."}, exhausted),
        Answer(200, REPO_BODY, RATE),
    )
    client.get_repo()
    assert sleeps.waits == [121.0]


def test_primary_limit_with_a_distant_reset_raises_rate_limited_with_the_reset(
    fake: FakeGitHub, client: GitHubClient, sleeps: Sleeps
) -> None:
    reset = int(sleeps.now) + 3000
    exhausted = {**RATE, "x-ratelimit-remaining": "0", "x-ratelimit-reset": str(reset)}
    fake.on("GET", repo_path(""), Answer(403, {"message": "API rate limit exceeded"}, exhausted))
    with pytest.raises(RateLimited) as info:
        client.get_repo()
    assert info.value.reset_at == reset
    assert not info.value.secondary
    assert str(reset) in str(info.value)
    assert sleeps.waits == []
    assert client.rate is not None and client.rate.remaining == 0


def test_rate_is_tracked_and_reported_to_the_hook(fake: FakeGitHub, client: GitHubClient) -> None:
    seen: list[RateInfo] = []
    client.on_rate(seen.append)
    fake.on("GET", repo_path(""), Answer(200, REPO_BODY, RATE))
    client.get_repo()
    expected = RateInfo(limit=5000, remaining=4999, reset=1800003600.0, used=1, resource="core")
    assert client.rate == expected
    assert seen == [expected]


def test_wait_for_budget_sleeps_until_reset_only_when_low(
    fake: FakeGitHub, client: GitHubClient, sleeps: Sleeps
) -> None:
    low = {**RATE, "x-ratelimit-remaining": "3", "x-ratelimit-reset": str(int(sleeps.now) + 50)}
    fake.on("GET", repo_path(""), Answer(200, REPO_BODY, low))
    client.get_repo()
    assert client.wait_for_budget(2) == 0.0
    assert client.wait_for_budget(10) == 51.0
    assert sleeps.waits == [51.0]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_post_is_retried_when_the_connection_was_refused(sleeps: Sleeps) -> None:
    client = GitHubClient(
        TOKEN, repo=REPO, api_url=f"http://127.0.0.1:{_closed_port()}", sleep=sleeps, max_retries=2
    )
    with pytest.raises(ConnectionFailed) as info:
        client.create_ref("fix", "0" * 40)
    assert len(sleeps.waits) == 2
    assert info.value.status is None
    assert "could not connect" in str(info.value)


def test_post_is_not_retried_when_the_connection_dropped_after_sending(
    fake: FakeGitHub, client: GitHubClient, sleeps: Sleeps
) -> None:
    fake.on("POST", repo_path("/git/refs"), DROP)
    with pytest.raises(ConnectionFailed):
        client.create_ref("fix", "0" * 40)
    assert len(fake.requests_to("POST", repo_path("/git/refs"))) == 1
    assert sleeps.waits == []


def test_get_is_retried_when_the_connection_dropped(
    fake: FakeGitHub, client: GitHubClient, sleeps: Sleeps
) -> None:
    fake.on("GET", repo_path(""), DROP, Answer(200, REPO_BODY))
    assert client.get_repo()["id"] == 1296269
    assert len(sleeps.waits) == 1


def test_every_call_has_a_timeout(fake: FakeGitHub, sleeps: Sleeps) -> None:
    import threading

    release = threading.Event()

    def stall(_seen: object) -> Answer:
        release.wait(5)
        return Answer(200, REPO_BODY)

    fake.on("GET", repo_path(""), stall)
    client = GitHubClient(
        TOKEN, repo=REPO, api_url=fake.url, sleep=sleeps, timeout=0.2, max_retries=0
    )
    try:
        with pytest.raises(ConnectionFailed) as info:
            client.get_repo()
    finally:
        release.set()
    assert "ReadTimeout" in str(info.value) or "timed out" in str(info.value)


def test_retries_are_logged_without_the_token(
    fake: FakeGitHub, client: GitHubClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    fake.on("GET", repo_path(""), Answer(502, {"message": TOKEN}), Answer(200, REPO_BODY))
    client.get_repo()
    assert "retrying" in caplog.text
    assert TOKEN not in caplog.text


@pytest.mark.parametrize("url", ["api.github.com", "ftp://example.com", "https://"])
def test_a_malformed_api_url_is_an_input_error(url: str) -> None:
    with pytest.raises(InputError, match="GITHUB_API_URL"):
        GitHubClient(TOKEN, repo=REPO, api_url=url)


def test_a_non_json_answer_says_to_check_the_api_url(
    fake: FakeGitHub, client: GitHubClient
) -> None:
    fake.on("GET", repo_path(""), Answer(200, "<html>login</html>", {"Content-Type": "text/html"}))
    with pytest.raises(GitHubError, match="not JSON; is GITHUB_API_URL"):
        client.get_repo()


def test_only_the_core_budget_is_tracked(fake: FakeGitHub, client: GitHubClient) -> None:
    fake.on("GET", repo_path(""), Answer(200, REPO_BODY, RATE))
    fake.on("GET", "/rate_limit", Answer(200, {}, {**RATE, "x-ratelimit-resource": "search"}))
    client.get_repo()
    client.rate_limit()
    assert client.rate is not None and client.rate.resource == "core"


@pytest.mark.parametrize(
    ("status", "keeps_token"), [(301, True), (308, True), (307, False), (302, False)]
)
def test_only_a_permanent_move_inside_the_api_keeps_the_token(
    fake: FakeGitHub, client: GitHubClient, status: int, keeps_token: bool
) -> None:
    # GitHub answers 301 for a renamed repository (best-practices page: follow redirects).
    fake.on("GET", repo_path(""), Answer(status, None, {"Location": "/repositories/1296269"}))
    fake.on("GET", "/repositories/1296269", Answer(200, REPO_BODY))
    assert client.get_repo()["id"] == 1296269
    (moved,) = fake.requests_to("GET", "/repositories/1296269")
    assert ("Authorization" in moved.headers) is keeps_token
