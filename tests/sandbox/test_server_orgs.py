"""Organisations in the sandbox: `/orgs/{org}/repos`, `/installation/repositories`, rate limits."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest

from smartmon.sandbox.scenarios.organisation import load_organisation
from tests.fixtures_sandbox import SandboxHandle, clone_url, git

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from githubkit import GitHub

ORG = "acme"
WORKFLOW = "name: CI\non: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ok\n"


@pytest.fixture
def org(sandbox_server: SandboxHandle) -> SandboxHandle:
    admin = sandbox_server.admin
    for n in range(1, 6):
        admin.create_repo(ORG, f"r{n}", {"README.md": f"{n}\n"}, trigger=False)
    admin.configure(f"{ORG}/r2", archived=True)
    admin.configure(f"{ORG}/r3", fork=True, topics=["python"])
    admin.create_repo("other", "elsewhere", {"README.md": "x\n"}, trigger=False)
    return sandbox_server


def test_org_repos_pages_filters_and_githubkit_shapes(org: SandboxHandle) -> None:
    gh: Any = GitHub(org.token, base_url=org.api_url)
    repos = gh.rest.repos.list_for_org(ORG, sort="full_name", per_page=2).parsed_data
    assert [r.full_name for r in repos] == ["acme/r1", "acme/r2"]
    every = list(
        gh.rest.paginate(gh.rest.repos.list_for_org, org=ORG, sort="full_name", per_page=2)
    )
    assert [r.full_name for r in every] == [f"acme/r{n}" for n in range(1, 6)]
    flags = {r.name: (r.archived, r.fork, r.topics) for r in every}
    assert flags["r2"] == (True, False, []) and flags["r3"] == (False, True, ["python"])
    sources = org.api("GET", f"/orgs/{ORG}/repos", params={"type": "sources"}).json()
    assert "r3" not in {r["name"] for r in sources}
    forks = org.api("GET", f"/orgs/{ORG}/repos", params={"type": "forks"}).json()
    assert [r["name"] for r in forks] == ["r3"]
    assert org.api("GET", "/orgs/nobody/repos").status_code == 404
    assert org.api("GET", f"/orgs/{ORG}/repos", params={"sort": "stars"}).status_code == 422


def test_installation_repositories(org: SandboxHandle) -> None:
    app = org.admin.token("github_token", owner=ORG)
    gh: Any = GitHub(app, base_url=org.api_url)
    listing = gh.rest.apps.list_repos_accessible_to_installation().parsed_data
    assert listing.total_count == 5
    assert {r.owner.login for r in listing.repositories} == {ORG}
    # The installation token sees only its account's repositories.
    assert org.api("GET", "/repos/other/elsewhere", token=app).status_code == 404
    one = org.admin.token("github_token", repo=f"{ORG}/r4")
    body = org.api("GET", "/installation/repositories", token=one).json()
    assert body["repository_selection"] == "selected"
    assert [r["full_name"] for r in body["repositories"]] == [f"{ORG}/r4"]
    answer = org.api("GET", "/installation/repositories")  # a personal token
    assert answer.status_code == 403 and "installation access token" in answer.json()["message"]


def test_rate_limits_count_per_token_and_304s_are_free(org: SandboxHandle) -> None:
    first = org.admin.token("pat")
    second = org.admin.token("pat")
    answer = org.api("GET", f"/orgs/{ORG}/repos", token=first)
    etag = answer.headers["etag"]
    assert answer.headers["x-ratelimit-used"] == "1"
    again = org.api("GET", f"/orgs/{ORG}/repos", token=first, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["x-ratelimit-used"] == "1"
    other = org.api("GET", f"/orgs/{ORG}/repos", token=second)
    assert other.headers["x-ratelimit-used"] == "1"  # each token has its own budget
    core = org.api("GET", "/rate_limit", token=first).json()["resources"]["core"]
    assert (core["used"], core["remaining"]) == (1, core["limit"] - 1)


def test_org_scenario_data() -> None:
    organisation = load_organisation("org")
    assert organisation.name == "smartmon-org" and len(organisation.repositories) == 40
    failing = organisation.failing()
    assert len(failing) == 8
    assert sorted(len(r.failing_workflows) for r in failing)[-2:] == [2, 2]
    assert sum(r.archived for r in organisation.repositories) == 2
    assert all(r.failing_workflows for r in organisation.repositories if r.archived)
    kinds = {f for r in failing for f in r.scenario.findings}
    assert len(kinds) >= 7  # assorted types
    with pytest.raises(KeyError, match="unknown organisation"):
        load_organisation("nope")


def test_any_token_may_fetch_a_public_repository(org: SandboxHandle, tmp_path: Path) -> None:
    # A job's GITHUB_TOKEN (scoped to its own repository, no contents permission) checks out
    # an action's public repository, as on GitHub; private ones stay hidden from it.
    org.admin.create_repo("owner", "tool", {"README.md": "t\n"}, private=False, trigger=False)
    scoped = org.admin.token("github_token", repo=f"{ORG}/r1", permissions={})
    seen = git("ls-remote", clone_url(org.api_url, "owner/tool", scoped), cwd=tmp_path, check=False)
    assert seen.returncode == 0 and "refs/heads/main" in seen.stdout
    hidden = git(
        "ls-remote", clone_url(org.api_url, f"{ORG}/r4", scoped), cwd=tmp_path, check=False
    )
    assert hidden.returncode != 0
