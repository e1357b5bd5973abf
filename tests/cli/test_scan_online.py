"""`smartmon scan --online`: an action the dataset lacks is looked up in the sandbox over HTTP
(repository, tags, action.yml at each major), bumped, its SHA pin moved to the new major's commit
with a `# vX.Y.Z` comment, and a second scan costs no rate limit (ETags kept on disk)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smartmon.cli.main import main
from tests.fixtures_sandbox import SandboxHandle
from tests.github import action_repos
from tests.github.action_repos import rate_used, setup_thing


@pytest.fixture
def action_repo(sandbox_server: SandboxHandle, tmp_path: Path) -> tuple[str, str]:
    """octo/setup-thing with v1 (node16) and v2 (node24) tags; the commits of v1.0.0, v2.0.1."""
    return setup_thing(sandbox_server, tmp_path)


def test_unknown_action_is_looked_up_bumped_and_repinned(
    sandbox_server: SandboxHandle,
    action_repo: tuple[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    old, new = action_repo
    sb = sandbox_server
    monkeypatch.setenv("GITHUB_TOKEN", sb.token)
    monkeypatch.setenv("GITHUB_API_URL", sb.api_url)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    repo = tmp_path / "repo"
    (repo / ".github/workflows").mkdir(parents=True)
    workflow = repo / ".github/workflows/ci.yml"
    text = "on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n"
    text += "      - uses: octo/setup-thing@v1\n        with:\n          tool-version: 3\n"
    text += f"      - uses: octo/setup-thing@{old}  # v1.0.0\n"
    text += "        with:\n          tool-version: 3\n"
    workflow.write_text(text)

    offline = main(["scan", "--repo", str(repo), "--format", "json"])
    assert offline == 0 and json.loads(capsys.readouterr().out)["findings"] == []

    code = main(["scan", "--repo", str(repo), "--online", "--fix", "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0, out
    assert [f["line"] for f in out["findings"]] == [6, 9]
    assert workflow.read_text() == text.replace("@v1\n", "@v2\n").replace(
        f"@{old}  # v1.0.0", f"@{new}  # v2.0.1"
    )

    before = rate_used(sb, sb.token)
    assert main(["scan", "--repo", str(repo), "--online"]) == 0
    capsys.readouterr()
    assert (
        rate_used(sb, sb.token) - before == 0
    )  # every lookup answered 304 from the ETag cache on disk


def test_online_without_a_token_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.delenv("GH_TOKEN", raising=False)
    (tmp_path / ".github/workflows").mkdir(parents=True)
    wf = "on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n"
    (tmp_path / ".github/workflows/ci.yml").write_text(wf + "      - uses: octo/x@v1\n")
    assert main(["scan", "--repo", str(tmp_path), "--online"]) == 2
    assert "GITHUB_TOKEN" in capsys.readouterr().err


def test_tags_shape_validates_with_githubkit(
    sandbox_server: SandboxHandle, action_repo: tuple[str, str]
) -> None:
    from githubkit import GitHub

    gh = GitHub(sandbox_server.token, base_url=sandbox_server.api_url)
    tags = gh.rest.repos.list_tags("octo", "setup-thing", per_page=2).parsed_data
    assert [t.name for t in tags] == ["v2.0.1", "v2"]  # newest first, paged
    assert tags[0].commit.sha == action_repo[1]
    rest = gh.rest.repos.list_tags("octo", "setup-thing", per_page=2, page=2).parsed_data
    assert [t.name for t in rest] == ["v1.0.0", "v1"]


def test_a_pinned_dataset_action_is_resolved_by_its_tags(
    sandbox_server: SandboxHandle,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """actions/setup-python is in the dataset (the hand table moves v4 to v6): the tags tell
    which version the SHA is, whatever its comment says, and which commit v6.0.0 is."""
    sb = sandbox_server
    node16 = (
        "name: setup-python\ninputs:\n  python-version: {}\nruns: {using: node16, main: a.js}\n"
    )
    node24 = node16.replace("node16", "node24")
    old, new = action_repos.action_repo(
        sb, tmp_path, "actions/setup-python", [(["v4.7.1"], node16), (["v6.0.0", "v6"], node24)]
    )
    monkeypatch.setenv("GITHUB_TOKEN", sb.token)
    monkeypatch.setenv("GITHUB_API_URL", sb.api_url)
    repo = tmp_path / "repo"
    (repo / ".github/workflows").mkdir(parents=True)
    wf = repo / ".github/workflows/ci.yml"
    head = "on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n"
    wf.write_text(head + f"      - uses: actions/setup-python@{old} # v4.0.0 (stale)\n")
    offline = main(["scan", "--repo", str(repo), "--fix", "--format", "json"])
    assert offline == 1 and "pinned by SHA" in capsys.readouterr().out
    cache = str(tmp_path / "etags.json")
    assert main(["scan", "--repo", str(repo), "--online", "--cache", cache, "--fix"]) == 0
    capsys.readouterr()
    assert wf.read_text() == head + f"      - uses: actions/setup-python@{new} # v6.0.0 (stale)\n"
