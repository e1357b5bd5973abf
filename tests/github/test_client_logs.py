"""Logs: 302s followed without the token, the run zip in both layouts, per-job logs with fallback."""

from __future__ import annotations

import io
import zipfile

import pytest

from smartmon.diagnose.runzip import job_text_from_zip, zip_log_name
from smartmon.github.client import (
    GitHubClient,
    LogsExpired,
    LogsUnavailable,
    NotFound,
)
from tests.github.fake_github import TOKEN, Answer, FakeGitHub, repo_path

BUILD_LOG = (
    "\ufeff2026-11-24T10:00:00.1234567Z ##[group]Run pytest\n"
    "2026-11-24T10:00:00.1234568Z \x1b[36;1mpytest\x1b[0m\n"
    "2026-11-24T10:00:01.0000000Z E   ModuleNotFoundError: No module named 'yaml'\n"
    "2026-11-24T10:00:01.1000000Z ##[error]Process completed with exit code 1.\n"
)


def _zip(files: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    return buf.getvalue()


def _job(job_id: int, name: str, conclusion: str) -> dict[str, object]:
    return {
        "id": job_id,
        "run_id": 99,
        "run_attempt": 1,
        "name": name,
        "status": "completed",
        "conclusion": conclusion,
        "check_run_url": f"https://api.github.com/repos/octo-org/hello-world/check-runs/{job_id}",
        "steps": [],
    }


def test_job_log_follows_302_to_another_host_without_the_token(
    fake: FakeGitHub, blob: FakeGitHub, client: GitHubClient
) -> None:
    signed = f"{blob.url}/abc/signedlogcontent/5?urlExpires=2026-11-24T10%3A01%3A00Z&sig=xyz"
    fake.on("GET", repo_path("/actions/jobs/5/logs"), Answer(302, None, {"Location": signed}))
    blob.on(
        "GET", "/abc/signedlogcontent/5", Answer(200, BUILD_LOG, {"Content-Type": "text/plain"})
    )
    text = client.job_log(5)
    assert text == BUILD_LOG.removeprefix("\ufeff")
    assert fake.seen[0].headers["Authorization"] == f"Bearer {TOKEN}"
    assert "Authorization" not in blob.seen[0].headers
    assert blob.seen[0].query == "urlExpires=2026-11-24T10%3A01%3A00Z&sig=xyz"


def test_job_log_302_on_the_same_host_still_gets_no_token(
    fake: FakeGitHub, client: GitHubClient
) -> None:
    # The sandbox serves blobs from its own origin; requests would keep the header there.
    fake.on("GET", repo_path("/actions/jobs/5/logs"), Answer(302, None, {"Location": "/_blob/j5"}))
    fake.on("GET", "/_blob/j5", Answer(200, BUILD_LOG))
    assert "ModuleNotFoundError" in client.job_log(5)
    assert "Authorization" not in fake.requests_to("GET", "/_blob/j5")[0].headers


def test_run_logs_zip_downloads_the_archive(fake: FakeGitHub, client: GitHubClient) -> None:
    archive = _zip({"0_build.txt": BUILD_LOG})
    fake.on(
        "GET",
        repo_path("/actions/runs/99/attempts/2/logs"),
        Answer(302, None, {"Location": "/_blob/z"}),
    )
    fake.on("GET", "/_blob/z", Answer(200, archive, {"Content-Type": "application/zip"}))
    assert client.run_logs_zip(99, attempt=2) == archive


def test_truncated_zip_is_reported_as_unavailable(fake: FakeGitHub, client: GitHubClient) -> None:
    archive = _zip({"0_build.txt": BUILD_LOG * 50})
    fake.on("GET", repo_path("/actions/runs/99/logs"), Answer(200, archive[: len(archive) // 2]))
    with pytest.raises(LogsUnavailable, match="truncated download"):
        client.run_logs_zip(99)


def test_failed_job_logs_uses_per_job_logs(fake: FakeGitHub, client: GitHubClient) -> None:
    jobs = [
        _job(1, "lint", "success"),
        _job(2, "test (3.12)", "failure"),
        _job(3, "slow", "timed_out"),
    ]
    fake.on(
        "GET", repo_path("/actions/runs/99/jobs"), Answer(200, {"total_count": 3, "jobs": jobs})
    )
    fake.on("GET", repo_path("/actions/jobs/2/logs"), Answer(200, "log two"))
    fake.on("GET", repo_path("/actions/jobs/3/logs"), Answer(200, "log three"))
    assert client.failed_job_logs(99) == {2: "log two", 3: "log three"}
    assert fake.seen[0].query == "filter=latest&per_page=100"
    assert not fake.requests_to("GET", repo_path("/actions/runs/99/logs"))


def test_failed_job_logs_falls_back_to_the_zip(fake: FakeGitHub, client: GitHubClient) -> None:
    jobs = [_job(2, "test / unit: py3.12", "failure"), _job(3, "docs", "failure")]
    fake.on(
        "GET", repo_path("/actions/runs/99/jobs"), Answer(200, {"total_count": 2, "jobs": jobs})
    )
    fake.on(
        "GET",
        repo_path("/actions/jobs/2/logs"),
        Answer(410, {"message": "Server Error", "status": "410"}),
    )
    fake.on("GET", repo_path("/actions/jobs/3/logs"), Answer(404, {"message": "Not Found"}))
    archive = _zip(
        {
            # Ordinals are not job ids; the legacy `-<n>_` copy loses to the current one.
            "24_test  unit py3.12.txt": "from zip",
            "-3_test  unit py3.12.txt": "legacy copy",
            "7_docs.txt": "docs log",
            "docs/1_Set up job.txt": "step file",
        }
    )
    fake.on("GET", repo_path("/actions/runs/99/logs"), Answer(200, archive))
    assert client.failed_job_logs(99) == {2: "from zip", 3: "docs log"}


def test_failed_job_logs_raises_when_nothing_can_be_read(
    fake: FakeGitHub, client: GitHubClient
) -> None:
    fake.on(
        "GET",
        repo_path("/actions/runs/99/jobs"),
        Answer(200, {"total_count": 1, "jobs": [_job(2, "t", "failure")]}),
    )
    fake.on("GET", repo_path("/actions/jobs/2/logs"), Answer(410, {"message": "Server Error"}))
    fake.on("GET", repo_path("/actions/runs/99/logs"), Answer(410, {"message": "Server Error"}))
    with pytest.raises(LogsExpired):
        client.failed_job_logs(99)


def test_failed_job_logs_of_an_attempt_use_the_attempt_routes(
    fake: FakeGitHub, client: GitHubClient
) -> None:
    fake.on(
        "GET",
        repo_path("/actions/runs/99/attempts/1/jobs"),
        Answer(200, {"total_count": 1, "jobs": [_job(2, "t", "failure")]}),
    )
    fake.on("GET", repo_path("/actions/jobs/2/logs"), Answer(404, {"message": "Not Found"}))
    fake.on(
        "GET",
        repo_path("/actions/runs/99/attempts/1/logs"),
        Answer(
            200,
            _zip({"t/2_Run tests.txt": "b\n", "t/1_Set up job.txt": "a\n", "t/system.txt": "sys"}),
        ),
    )
    assert client.failed_job_logs(99, attempt=1) == {2: "a\nb\n"}


def test_missing_job_in_zip_is_skipped_when_others_were_read(
    fake: FakeGitHub, client: GitHubClient
) -> None:
    jobs = [_job(2, "a", "failure"), _job(3, "b", "failure")]
    fake.on(
        "GET", repo_path("/actions/runs/99/jobs"), Answer(200, {"total_count": 2, "jobs": jobs})
    )
    fake.on("GET", repo_path("/actions/jobs/2/logs"), Answer(200, "a log"))
    fake.on("GET", repo_path("/actions/jobs/3/logs"), Answer(404, {"message": "Not Found"}))
    fake.on("GET", repo_path("/actions/runs/99/logs"), Answer(200, _zip({"1_a.txt": "a log"})))
    assert client.failed_job_logs(99) == {2: "a log"}


def test_a_404_for_the_job_log_without_fallback_is_not_found(
    fake: FakeGitHub, client: GitHubClient
) -> None:
    fake.on("GET", repo_path("/actions/jobs/8/logs"), Answer(404, {"message": "Not Found"}))
    with pytest.raises(NotFound):
        client.job_log(8)


def test_zip_log_name_matches_github_cli_sanitising() -> None:
    assert zip_log_name("build (ubuntu-latest, 3.12)") == "build (ubuntu-latest, 3.12)"
    assert zip_log_name("test / unit: py3.12") == "test  unit py3.12"
    assert zip_log_name("x" * 95) == "x" * 90
    # 90 UTF-16 code units: an astral character counts twice and is never split.
    assert zip_log_name("a" * 89 + "\U0001f600b") == "a" * 89
    assert zip_log_name("  padded  ") == "padded"


def test_job_text_from_zip_returns_none_for_an_unknown_job() -> None:
    assert job_text_from_zip(_zip({"1_a.txt": "x"}), "b") is None


def test_annotations_are_paged(fake: FakeGitHub, client: GitHubClient) -> None:
    path = "/repos/octo-org/hello-world/check-runs/2/annotations"
    first = {
        "path": ".github",
        "start_line": 12,
        "end_line": 12,
        "annotation_level": "failure",
        "title": "",
        "message": "Process completed with exit code 1.",
        "raw_details": None,
        "blob_href": "https://github.com/octo-org/hello-world/blob/abc/.github",
    }
    fake.on(
        "GET",
        path,
        lambda seen: (
            Answer(200, [first], {"Link": f'<{fake.url}{path}?page=2>; rel="next"'})
            if "page=2" not in seen.query
            else Answer(200, [{**first, "annotation_level": "warning"}])
        ),
    )
    got = client.annotations(2)
    assert [a["annotation_level"] for a in got] == ["failure", "warning"]
