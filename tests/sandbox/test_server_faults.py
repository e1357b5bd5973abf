"""Injected faults: 5xx bursts, secondary and primary rate limits, gone logs, truncated zips."""

from __future__ import annotations

import io
import zipfile

import pytest
import requests

from smartmon.sandbox.faults import FaultSpecError, parse
from tests.fixtures_sandbox import CI_WORKFLOW, SandboxHandle

pytest_plugins = ["tests.fixtures_sandbox"]

R = "/repos/octo/demo"


@pytest.fixture
def sb(sandbox_server: SandboxHandle) -> SandboxHandle:
    sandbox_server.admin.create_repo("octo", "demo", {".github/workflows/ci.yml": CI_WORKFLOW})
    sandbox_server.admin.wait_idle()
    return sandbox_server


def _first_run(sb: SandboxHandle) -> int:
    return int(sb.api("GET", f"{R}/actions/runs").json()["workflow_runs"][0]["id"])


def test_spec_grammar() -> None:
    faults = parse("5xx:times=2,path=/repos/*/actions/runs,status=503; slow:delay_ms=5,times=*")
    assert [(f.kind, f.times, f.path) for f in faults] == [
        ("5xx", 2, "/repos/*/actions/runs"),
        ("slow", None, "/repos/*"),
    ]
    assert parse("gone")[0].path == "*/logs"
    for bad in ("boom", "5xx:times=0", "5xx:status", "secondary:retry_after=soon"):
        with pytest.raises(FaultSpecError):
            parse(bad)


def test_a_5xx_burst_then_recovery(sb: SandboxHandle) -> None:
    sb.admin.faults("5xx:times=2,path=/repos/*/actions/runs,status=503")
    statuses = [sb.api("GET", f"{R}/actions/runs").status_code for _ in range(3)]
    assert statuses == [503, 503, 200]
    assert sb.api("GET", R).status_code == 200  # other paths were never affected


def test_secondary_rate_limit_has_retry_after(sb: SandboxHandle) -> None:
    sb.admin.faults("secondary:status=429,retry_after=7")
    response = sb.api("GET", R)
    assert response.status_code == 429
    assert response.headers["retry-after"] == "7"
    assert "secondary rate limit" in response.json()["message"]
    assert sb.api("GET", R).status_code == 200


def test_primary_rate_limit_exhaustion(sb: SandboxHandle) -> None:
    sb.admin.faults("primary:reset=120")
    response = sb.api("GET", R)
    assert response.status_code == 403
    assert response.headers["x-ratelimit-remaining"] == "0"
    assert int(response.headers["x-ratelimit-reset"]) > 0
    assert "API rate limit exceeded" in response.json()["message"]


def test_gone_logs(sb: SandboxHandle) -> None:
    sb.admin.faults("gone")
    run_id = _first_run(sb)
    response = sb.api("GET", f"{R}/actions/runs/{run_id}/logs")
    assert response.status_code == 410
    assert response.json()["message"] == "Server Error"
    assert sb.api("GET", f"{R}/actions/runs/{run_id}/logs").status_code == 302


def test_truncated_zip(sb: SandboxHandle) -> None:
    sb.admin.faults("truncated-zip")
    run_id = _first_run(sb)
    location = sb.api("GET", f"{R}/actions/runs/{run_id}/logs").headers["Location"]
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(io.BytesIO(requests.get(location, timeout=30).content))
    location = sb.api("GET", f"{R}/actions/runs/{run_id}/logs").headers["Location"]
    assert zipfile.ZipFile(io.BytesIO(requests.get(location, timeout=30).content)).namelist()


def test_slow_responses_still_answer(sb: SandboxHandle) -> None:
    sb.admin.faults("slow:delay_ms=50,times=2,method=GET")
    assert [sb.api("GET", R).status_code for _ in range(3)] == [200, 200, 200]
    listing = sb.admin.call("GET", "faults")
    assert listing == {"faults": []}


def test_faults_can_be_cleared_and_bad_specs_are_refused(sb: SandboxHandle) -> None:
    sb.admin.faults("5xx:times=*")
    sb.admin.call("DELETE", "faults")
    assert sb.api("GET", R).status_code == 200
    response = requests.post(
        f"{sb.api_url}/_sandbox/faults",
        json={"spec": "nonsense"},
        headers={"Authorization": f"Bearer {sb.admin.admin_token}"},
        timeout=30,
    )
    assert response.status_code == 400 and "unknown fault kind" in response.json()["message"]
    no_admin = requests.post(f"{sb.api_url}/_sandbox/faults", json={"spec": "5xx"}, timeout=30)
    assert no_admin.status_code == 401
