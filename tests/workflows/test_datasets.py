"""The generated tables under workflows/data/ are whole and say where each fact came from.

`action_runtimes.json` (scripts/action_dataset.py): runtimes and inputs per major, read from each
action's own action.yml. `endpoint_permissions.json` and `octokit_methods.json`
(scripts/permissions_table.py): the GITHUB_TOKEN scope each REST endpoint needs, and github-script's
method names. `permission_needs.yaml`: what `gh` commands and popular actions need, by hand, sourced.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import Any

import yaml

DATA = resources.files("smartmon.workflows").joinpath("data")
RUNTIMES = {"node12", "node16", "node20", "node24", "docker", "composite"}
SCOPES = {
    "actions", "attestations", "checks", "contents", "deployments", "discussions", "id-token",
    "issues", "metadata", "packages", "pages", "pull-requests", "security-events", "statuses",
    "artifact-metadata",
}  # fmt: skip


def _json(name: str) -> Any:
    return json.loads(DATA.joinpath(name).read_text(encoding="utf-8"))


def test_action_runtimes_cover_popular_actions_with_sources() -> None:
    data = _json("action_runtimes.json")
    assert data["generator"] == "scripts/action_dataset.py"
    actions = data["actions"]
    assert len(actions) >= 300
    for name in (
        "actions/checkout",
        "actions/setup-python",
        "actions/cache",
        "docker/login-action",
    ):
        assert name in actions, name
    checkout = actions["actions/checkout"]["majors"]
    assert checkout["v2"]["using"] == "node12"
    assert checkout["v4"]["using"] == "node20"
    assert checkout["v5"]["using"] == "node24"
    assert actions["actions/checkout"]["first_node24_major"] == "v5"
    for name, entry in actions.items():
        assert entry["majors"], name
        for major, row in entry["majors"].items():
            assert row["source"] and row["checked"], (name, major)
            assert row["using"] in RUNTIMES | {None}, (name, major, row["using"])
    assert actions["actions-rs/toolchain"]["archived"] is True


def test_pin_targets_and_tags_are_fixed_versions_with_full_commits() -> None:
    actions = _json("action_runtimes.json")["actions"]
    sha = re.compile(r"[0-9a-f]{40}")
    targets = 0
    for name, entry in actions.items():
        for key, row in entry["majors"].items():
            newest = row.get("newest")
            if newest is None:
                continue
            targets += 1
            assert re.fullmatch(r"[vV]?(\d+)\.\d+\.\d+", newest["tag"]), (name, key)
            assert newest["tag"].lstrip("vV").split(".")[0] == key[1:], (name, key)
            assert sha.fullmatch(newest["commit"]) and newest["source"], (name, key)
            assert newest["using"] in {"node24", "docker", "composite"}, (name, key)
    assert targets >= 300
    tags = _json("action_tags.json")
    assert tags["generator"] == "scripts/action_dataset.py" and tags["sources"]
    assert len(tags["repos"]) >= 200
    for repo, entry in tags["repos"].items():
        assert entry["snapshot"] and entry["tags"], repo
        for tag, commit in entry["tags"].items():
            assert re.fullmatch(r"[vV]?\d+\.\d+\.\d+", tag) and sha.fullmatch(commit), repo
    assert tags["repos"]["actions/checkout"]["tags"]["v4.2.2"].startswith("11bd71901bbe")


def test_endpoint_permissions_name_scope_and_access() -> None:
    data = _json("endpoint_permissions.json")
    assert data["source"]["permissions"][0].startswith("https://github.com/github/docs/")
    rows = data["endpoints"]
    assert len(rows) >= 250
    for row in rows:
        assert row["method"] in {"GET", "POST", "PUT", "PATCH", "DELETE"}
        assert row["path"].startswith("/")
        assert row["access"] in {"read", "write", "admin"}
        assert row["scope"] in SCOPES, row
    comment = [
        r
        for r in rows
        if r["method"] == "POST"
        and r["path"] == "/repos/{owner}/{repo}/issues/{issue_number}/comments"
    ]
    assert {r["scope"] for r in comment} >= {"issues"}
    assert all(r["access"] == "write" for r in comment)


def test_octokit_methods_resolve_to_endpoints_in_the_table() -> None:
    methods = _json("octokit_methods.json")["methods"]
    table = {(r["method"], r["path"]) for r in _json("endpoint_permissions.json")["endpoints"]}
    create = methods["github.rest.issues.createComment"]
    assert (create["method"], create["path"]) in table
    known = sum((m["method"], m["path"]) in table for m in methods.values())
    assert known >= 0.9 * len(methods)


def test_permission_needs_are_sourced() -> None:
    needs = yaml.safe_load(DATA.joinpath("permission_needs.yaml").read_text(encoding="utf-8"))
    assert needs["gh_commands"] and needs["actions"] and needs["token_inputs"]
    rows = list(
        needs["gh_commands"].values()
        if isinstance(needs["gh_commands"], dict)
        else needs["gh_commands"]
    )
    rows += list(
        needs["actions"].values() if isinstance(needs["actions"], dict) else needs["actions"]
    )
    for row in rows:
        assert "source" in str(row), row
