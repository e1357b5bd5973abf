"""Action repositories in the sandbox, for the live lookups (`scan --online`, heal, the action):
a repository whose commits carry `action.yml` files and version tags, pushed over smart HTTP, and
a counter of the API requests that reach a path (a `slow` fault of 0 ms that fires N times)."""

from __future__ import annotations

from pathlib import Path

from tests.fixtures_sandbox import SandboxHandle, clone_url, git

SETUP_V1 = """\
name: setup-thing
inputs:
  tool-version: {required: true}
runs: {using: node16, main: index.js}
"""
SETUP_V2 = """\
name: setup-thing
inputs:
  tool-version: {required: true}
  cache: {default: "false"}
runs: {using: node24, main: index.js}
"""
COUNTER_START = 1000


def action_repo(
    sb: SandboxHandle,
    tmp: Path,
    slug: str,
    releases: list[tuple[list[str], str]],
    *,
    private: bool = False,
) -> list[str]:
    """`slug` with one commit per release (its tags, its action.yml); the commits, in order."""
    owner, name = slug.split("/")
    first_yml = releases[0][1]
    sb.admin.create_repo(owner, name, {"action.yml": first_yml}, private=private, trigger=False)
    work = tmp / f"action-{owner}-{name}"
    git("clone", "-q", clone_url(sb.api_url, slug, sb.token), str(work))
    shas: list[str] = []
    for number, (tags, yml) in enumerate(releases):
        if number:
            (work / "action.yml").write_text(yml)
            git("commit", "-qam", f"release {tags[0]}", cwd=work)
        for tag in tags:
            git("tag", tag, cwd=work)
        shas.append(git("rev-parse", "HEAD", cwd=work).stdout.strip())
    git("push", "-q", "origin", "HEAD", "--tags", cwd=work)
    return shas


def setup_thing(sb: SandboxHandle, tmp: Path) -> tuple[str, str]:
    """octo/setup-thing, outside the dataset: v1 (node16) and v2 (node24); commits of v1.0.0, v2.0.1."""
    old, new = action_repo(
        sb, tmp, "octo/setup-thing", [(["v1.0.0", "v1"], SETUP_V1), (["v2.0.1", "v2"], SETUP_V2)]
    )
    return old, new


def count_requests(sb: SandboxHandle, path: str) -> None:
    """Start counting the API requests whose path matches the glob `path`."""
    sb.admin.faults(f"slow:delay_ms=0,times={COUNTER_START},path={path}")


def requests_counted(sb: SandboxHandle, path: str) -> int:
    """How many requests matched `path` since `count_requests`."""
    listing = sb.admin.call("GET", "faults")["faults"]
    [left] = [f["times"] for f in listing if f["kind"] == "slow" and f["path"] == path]
    return COUNTER_START - int(left)


def rate_used(sb: SandboxHandle, token: str) -> int:
    """The primary rate limit `token` has used (`/rate_limit` itself is free)."""
    return int(sb.api("GET", "/rate_limit", token=token).json()["resources"]["core"]["used"])
