"""`smartmon org-scan` against a small organisation in the in-process sandbox (the big `org`
scenario runs end to end in tests/monitor/test_monitor_org.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smartmon.cli.main import main
from smartmon.github import GitHubClient
from smartmon.monitor import scan_organisation
from tests.fixtures_sandbox import SandboxHandle

ORG = "acme"
PASS = "name: {name}\non: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ok\n"
FAIL = PASS.replace("echo ok", "exit 1")
EXPECTED = {("acme/api", "CI"), ("acme/web", "CI"), ("acme/web", "Lint")}


@pytest.fixture
def org(
    sandbox_server: SandboxHandle, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> SandboxHandle:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    admin = sandbox_server.admin
    ci = ".github/workflows/ci.yml"
    lint = ".github/workflows/lint.yml"
    admin.create_repo(ORG, "api", {ci: FAIL.format(name="CI")}, topics=["payments"])
    admin.create_repo(ORG, "web", {ci: FAIL.format(name="CI"), lint: FAIL.format(name="Lint")})
    admin.create_repo(ORG, "docs", {ci: PASS.format(name="CI")}, topics=["payments"])
    admin.create_repo(ORG, "old", {ci: FAIL.format(name="CI")}, archived=True)
    admin.create_repo(ORG, "fork", {ci: FAIL.format(name="CI")}, fork=True)
    admin.wait_idle()
    return sandbox_server


def _scan(
    sb: SandboxHandle, capsys: pytest.CaptureFixture[str], *args: str, token: str | None = None
) -> tuple[int, str, str]:
    argv = ["org-scan", "--org", ORG, "--api-url", sb.api_url, "--token", token or sb.token]
    code = main([*argv, *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _used(sb: SandboxHandle, token: str | None = None) -> int:
    return int(sb.api("GET", "/rate_limit", token=token).json()["resources"]["core"]["used"])


def test_matrix_lists_exactly_the_failing_workflows_and_the_rescan_is_free(
    org: SandboxHandle, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _scan(org, capsys, "--format", "matrix")
    assert code == 0, err
    assert out.count("\n") == 1 and out.startswith('{"include": [')
    include = json.loads(out)["include"]
    assert {(e["repository"], e["workflow"]) for e in include} == EXPECTED
    assert all(list(e) == ["repository", "run_id", "workflow", "branch"] for e in include)
    assert all(e["branch"] == "main" and isinstance(e["run_id"], int) for e in include)

    before = _used(org)
    code, again, err = _scan(org, capsys, "--format", "json")
    assert code == 0, err
    assert _used(org) - before == 0  # a second scan of an unchanged organisation: all 304s
    failures = json.loads(again)["failures"]
    assert [f["run_id"] for f in failures] == [e["run_id"] for e in include]
    finished = [(f["updated_at"], f["run_id"]) for f in failures]
    assert finished == sorted(finished, reverse=True)  # most recent failures first
    assert json.loads(again)["repositories"] == ["acme/api", "acme/docs", "acme/web"]


def test_filters_and_cap(org: SandboxHandle, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _scan(org, capsys, "--format", "json", "--topic", "payments")
    assert json.loads(out)["failing_repositories"] == ["acme/api"]
    _, out, _ = _scan(
        org, capsys, "--format", "matrix", "--exclude", "api", "--workflows", "lint.yml"
    )
    assert [(e["repository"], e["workflow"]) for e in json.loads(out)["include"]] == [
        ("acme/web", "Lint")
    ]
    _, out, err = _scan(org, capsys, "--format", "matrix", "--max", "1")
    assert len(json.loads(out)["include"]) == 1 and "2 more failing workflow(s)" in err
    _, out, _ = _scan(org, capsys, "--exclude", "acme/*")
    assert out.startswith("acme: 0 failing workflow(s) in 0 of 0 active repositories")
    assert main(["org-scan", "--org", ORG, "--max", "0"]) == 2


def test_installation_token_lists_the_installation(
    org: SandboxHandle, capsys: pytest.CaptureFixture[str]
) -> None:
    permissions = {"actions": "read", "metadata": "read"}
    app = org.admin.token("github_token", owner=ORG, permissions=permissions)
    assert app.startswith("ghs_")
    code, out, err = _scan(org, capsys, "--format", "matrix", token=app)
    assert code == 0, err
    assert {(e["repository"], e["workflow"]) for e in json.loads(out)["include"]} == EXPECTED


def test_unreadable_repositories_are_skipped_with_a_note(
    org: SandboxHandle, capsys: pytest.CaptureFixture[str]
) -> None:
    blind = org.admin.token("pat", permissions={"metadata": "read"})
    code, out, err = _scan(org, capsys, "--format", "matrix", token=blind)
    assert code == 0 and json.loads(out) == {"include": []}
    notes = [line for line in err.splitlines() if "skipped" in line]
    assert len(notes) == 3 and "acme/api: skipped: " in err and "actions=read" in err

    client = GitHubClient(org.token, api_url=org.api_url)
    listing = client.list_org_repos(ORG)
    gone = dict(listing[0], full_name="acme/deleted-meanwhile")
    scan = scan_organisation(client, ORG, repositories=[gone, *listing])
    assert scan.notes[0].startswith("acme/deleted-meanwhile: skipped")
    assert {(f.repository, f.workflow) for f in scan.failures} == EXPECTED


def test_stops_early_when_the_budget_runs_low(
    org: SandboxHandle, capsys: pytest.CaptureFixture[str]
) -> None:
    low = org.admin.token("pat", limit=104)
    code, out, err = _scan(org, capsys, "--format", "matrix", "--no-cache", token=low)
    assert code == 0
    assert "stopped early: 99 of 104 API calls left (under 100)" in err
    assert {e["repository"] for e in json.loads(out)["include"]} == {"acme/api"}
