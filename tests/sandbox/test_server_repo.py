"""The sandbox's repository routes: auth, contents, pulls, refs, commits, secrets, rate limit."""

from __future__ import annotations

import base64

import pytest
from nacl.public import PublicKey, SealedBox

from tests.fixtures_sandbox import CI_WORKFLOW, SandboxHandle

pytest_plugins = ["tests.fixtures_sandbox"]

R = "/repos/octo/demo"
BIG = "x = 1\n" * 40  # more than 60 Base64 characters


@pytest.fixture
def sb(sandbox_server: SandboxHandle) -> SandboxHandle:
    files = {".github/workflows/ci.yml": CI_WORKFLOW, "app.py": BIG, "docs/guide.md": "# Guide\n"}
    sandbox_server.admin.create_repo("octo", "demo", files)
    sandbox_server.admin.wait_idle()
    return sandbox_server


def _run_count(sb: SandboxHandle) -> int:
    sb.admin.wait_idle()
    return int(sb.api("GET", f"{R}/actions/runs").json()["total_count"])


def test_credentials_versions_and_visibility(sb: SandboxHandle) -> None:
    bad = sb.api("GET", R, token="ghp_wrong")
    assert bad.status_code == 401
    assert bad.json() == {
        "message": "Bad credentials",
        "documentation_url": "https://docs.github.com/rest",
        "status": "401",
    }
    assert sb.api("GET", R, token="").status_code == 404  # private repository, no token
    assert sb.api("GET", R, headers={"Authorization": f"token {sb.token}"}).status_code == 200
    old = sb.api("GET", R, headers={"X-GitHub-Api-Version": "2021-01-01"})
    assert old.status_code == 410
    assert sb.api("GET", "/repos/octo/missing").status_code == 404
    sb.admin.configure("octo/demo", private=False)
    public = sb.api("GET", R, token="")
    assert public.status_code == 200 and public.headers["x-ratelimit-limit"] == "60"
    assert sb.api("POST", f"{R}/actions/runs/1/rerun", token="").status_code == 401


def test_missing_permission_names_the_accepted_permission(sb: SandboxHandle) -> None:
    reader = sb.admin.token("github_token", permissions={"actions": "read"}, repo="octo/demo")
    runs = sb.api("GET", f"{R}/actions/runs", token=reader).json()["workflow_runs"]
    response = sb.api("POST", f"{R}/actions/runs/{runs[0]['id']}/rerun", token=reader)
    assert response.status_code == 403
    assert response.headers["x-accepted-github-permissions"] == "actions=write"
    assert response.json()["message"] == "Resource not accessible by integration"
    # A github_token only sees its own repository.
    sb.admin.create_repo("octo", "other", {"a": "b"})
    assert sb.api("GET", "/repos/octo/other", token=reader).status_code == 404


def test_contents_get_wraps_base64_every_60_characters(sb: SandboxHandle) -> None:
    body = sb.api("GET", f"{R}/contents/app.py").json()
    assert body["type"] == "file" and body["encoding"] == "base64"
    lines = body["content"].split("\n")
    assert all(len(line) == 60 for line in lines[:-2]) and lines[-1] == ""
    assert base64.b64decode(body["content"]) == BIG.encode()
    listing = sb.api("GET", f"{R}/contents/docs?ref=main").json()
    assert [(e["name"], e["type"]) for e in listing] == [("guide.md", "file")]
    assert sb.api("GET", f"{R}/contents/nope.txt").status_code == 404


def test_contents_put_create_update_conflict_and_push_runs(sb: SandboxHandle) -> None:
    before = _run_count(sb)
    new = {"message": "add", "content": base64.b64encode(b"hello\n").decode()}
    created = sb.api("PUT", f"{R}/contents/hello.txt", json=new)
    assert created.status_code == 201, created.text
    sha = created.json()["content"]["sha"]
    commit = created.json()["commit"]
    assert commit["message"] == "add" and commit["parents"]
    assert _run_count(sb) == before + 1  # an API commit with a personal token is a push
    missing_sha = sb.api("PUT", f"{R}/contents/hello.txt", json=new)
    assert missing_sha.status_code == 422
    stale = sb.api("PUT", f"{R}/contents/hello.txt", json=new | {"sha": "0" * 40})
    assert stale.status_code == 409
    updated = sb.api("PUT", f"{R}/contents/hello.txt", json=new | {"sha": sha})
    assert updated.status_code == 200
    bot = sb.admin.token("github_token", repo="octo/demo")
    change = {"message": "bot", "content": base64.b64encode(b"x").decode()}
    assert sb.api("PUT", f"{R}/contents/bot.txt", token=bot, json=change).status_code == 201
    assert _run_count(sb) == before + 2  # the GITHUB_TOKEN commit started nothing


def test_workflow_files_need_the_workflows_permission(sb: SandboxHandle) -> None:
    bot = sb.admin.token("github_token", repo="octo/demo")
    change = {"message": "edit", "content": base64.b64encode(b"name: x\n").decode()}
    response = sb.api("PUT", f"{R}/contents/.github/workflows/new.yml", token=bot, json=change)
    assert response.status_code == 403
    assert response.headers["x-accepted-github-permissions"] == "contents=write,workflows=write"
    assert sb.api("PUT", f"{R}/contents/.github/workflows/new.yml", json=change).status_code == 201


def _branch(sb: SandboxHandle, name: str, content: bytes | None) -> str:
    main = sb.api("GET", f"{R}/git/ref/heads/main").json()["object"]["sha"]
    created = sb.api("POST", f"{R}/git/refs", json={"ref": f"refs/heads/{name}", "sha": main})
    assert created.status_code == 201
    assert created.headers["Location"].endswith(f"/git/refs/heads/{name}")
    if content is not None:
        body = {"message": "fix", "content": base64.b64encode(content).decode(), "branch": name}
        assert sb.api("PUT", f"{R}/contents/fix.txt", json=body).status_code == 201
    return main


def test_pull_requests(sb: SandboxHandle) -> None:
    _branch(sb, "fix", b"fixed\n")
    _branch(sb, "empty", None)
    body = {"title": "Fix", "head": "octo:fix", "base": "main", "body": "Why"}
    created = sb.api("POST", f"{R}/pulls", json=body)
    assert created.status_code == 201
    pull = created.json()
    assert created.headers["Location"] == pull["url"]
    assert (pull["number"], pull["head"]["ref"], pull["base"]["ref"]) == (1, "fix", "main")
    assert "merge_commit_sha" in pull
    duplicate = sb.api("POST", f"{R}/pulls", json=body)
    assert duplicate.status_code == 422 and "already exists" in duplicate.text
    nothing = sb.api("POST", f"{R}/pulls", json=body | {"head": "empty"})
    assert nothing.status_code == 422
    assert nothing.json()["errors"][0]["message"] == "No commits between main and empty"
    no_branch = sb.api("POST", f"{R}/pulls", json=body | {"head": "ghost"})
    assert no_branch.json()["errors"] == [
        {"resource": "PullRequest", "field": "head", "code": "invalid"}
    ]
    listed = sb.api("GET", f"{R}/pulls?head=octo:fix").json()
    assert [p["number"] for p in listed] == [1]
    new_api = sb.api("GET", f"{R}/pulls/1", headers={"X-GitHub-Api-Version": "2026-03-10"})
    assert "merge_commit_sha" not in new_api.json()
    assert sb.api("GET", f"{R}/pulls/7").status_code == 404


def test_refs_compare_and_swap(sb: SandboxHandle) -> None:
    main = _branch(sb, "topic", b"topic\n")
    topic = sb.api("GET", f"{R}/git/ref/heads/topic").json()["object"]["sha"]
    assert topic != main
    assert (
        sb.api("POST", f"{R}/git/refs", json={"ref": "refs/heads/topic", "sha": main}).status_code
        == 422
    )
    # Moving topic back to main is not a fast forward.
    back = sb.api("PATCH", f"{R}/git/refs/heads/topic", json={"sha": main})
    assert back.status_code == 422 and back.json()["message"] == "Update is not a fast forward"
    forced = sb.api("PATCH", f"{R}/git/refs/heads/topic", json={"sha": main, "force": True})
    assert forced.status_code == 200 and forced.json()["object"]["sha"] == main
    ahead = sb.api("PATCH", f"{R}/git/refs/heads/main", json={"sha": topic})
    assert ahead.status_code == 200
    assert sb.api("GET", f"{R}/git/ref/heads/nope").status_code == 404


def test_commits_and_compare(sb: SandboxHandle) -> None:
    main = _branch(sb, "feature", b"feature\n")
    compared = sb.api("GET", f"{R}/compare/main...feature").json()
    assert (compared["status"], compared["ahead_by"], compared["behind_by"]) == ("ahead", 1, 0)
    assert [f["filename"] for f in compared["files"]] == ["fix.txt"]
    assert compared["merge_base_commit"]["sha"] == main
    listed = sb.api("GET", f"{R}/commits?sha=feature").json()
    assert len(listed) == 2 and listed[1]["sha"] == main
    one = sb.api("GET", f"{R}/commits/feature").json()
    assert one["files"][0]["status"] == "added" and one["stats"]["additions"] == 1
    assert sb.api("GET", f"{R}/commits/nothing-here").status_code == 404


def test_secrets_sealed_box_round_trip(sb: SandboxHandle) -> None:
    key = sb.api("GET", f"{R}/actions/secrets/public-key").json()
    sealed = SealedBox(PublicKey(base64.b64decode(key["key"]))).encrypt(b"s3cret")
    body = {"encrypted_value": base64.b64encode(sealed).decode(), "key_id": key["key_id"]}
    first = sb.api("PUT", f"{R}/actions/secrets/API_KEY", json=body)
    assert (first.status_code, first.json()) == (201, {})
    assert sb.api("PUT", f"{R}/actions/secrets/API_KEY", json=body).status_code == 204
    assert sb.admin.call("GET", "repos/octo/demo/secrets")["API_KEY"] == "s3cret"
    assert sb.api("PUT", f"{R}/actions/secrets/GITHUB_X", json=body).status_code == 422
    assert sb.api("PUT", f"{R}/actions/secrets/1BAD", json=body).status_code == 422
    assert sb.api("PUT", f"{R}/actions/secrets/OK", json={"key_id": "1"}).status_code == 422
    bot = sb.admin.token("github_token", repo="octo/demo")
    denied = sb.api("GET", f"{R}/actions/secrets/public-key", token=bot)
    assert denied.status_code == 403
    assert denied.headers["x-accepted-github-permissions"] == "secrets=read"


def test_rate_limit_shapes_and_cost(sb: SandboxHandle) -> None:
    old = sb.api("GET", "/rate_limit").json()
    assert old["rate"] == old["resources"]["core"]
    new = sb.api("GET", "/rate_limit", headers={"X-GitHub-Api-Version": "2026-03-10"}).json()
    assert "rate" not in new and new["resources"]["core"]["limit"] == 5000
    assert new["resources"]["core"]["used"] == old["resources"]["core"]["used"]  # free
    limited = sb.admin.token("pat", limit=2)
    assert sb.api("GET", R, token=limited).headers["x-ratelimit-remaining"] == "1"
    assert sb.api("GET", R, token=limited).headers["x-ratelimit-remaining"] == "0"
    exhausted = sb.api("GET", R, token=limited)
    assert exhausted.status_code == 403
    assert exhausted.headers["x-ratelimit-remaining"] == "0"
    assert "rate limit exceeded" in exhausted.json()["message"]


def test_content_paths_are_decoded_and_checked(sb: SandboxHandle) -> None:
    body = {"message": "m", "content": base64.b64encode(b"spaced\n").decode()}
    assert sb.api("PUT", f"{R}/contents/my%20dir/a%20b.txt", json=body).status_code == 201
    got = sb.api("GET", f"{R}/contents/my%20dir/a%20b.txt").json()
    assert got["path"] == "my dir/a b.txt"
    # Dot segments percent-encoded, since HTTP clients drop literal ones before sending.
    for bad in ("%2E%2E/escape.txt", "a/%2E/b.txt", ".git/config", "a//b"):
        assert sb.api("PUT", f"{R}/contents/{bad}", json=body).status_code in (404, 422), bad
