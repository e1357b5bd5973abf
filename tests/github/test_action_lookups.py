"""`lookup_actions` against the sandbox over HTTP: which actions it asks about (unknown to the
dataset or pinned by SHA), what it reads (runtime per major, version tags), the ETag cache on disk
that makes a second lookup free, and the failures it skips or stops at."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from smartmon.github import GitHubClient, lookup_actions, needs_lookup, runner_cache
from tests.fixtures_sandbox import SandboxHandle
from tests.github.action_repos import (
    count_requests,
    rate_used,
    requests_counted,
    setup_thing,
)


def _client(sb: SandboxHandle, token: str | None = None) -> GitHubClient:
    return GitHubClient(token or sb.token, api_url=sb.api_url, max_retries=0, max_wait=0)


def test_only_unknown_or_pinned_actions_are_looked_up() -> None:
    refs = {"actions/checkout": False, "actions/setup-python": True, "octo/setup-thing": False}
    assert needs_lookup(refs) == ["actions/setup-python", "octo/setup-thing"]


def test_runtimes_and_tags_are_read_and_a_second_lookup_costs_no_rate_limit(
    sandbox_server: SandboxHandle, tmp_path: Path
) -> None:
    sb = sandbox_server
    old, new = setup_thing(sb, tmp_path)
    cache = tmp_path / "etags.json"
    count_requests(sb, "/repos/octo/setup-thing*")
    refs = {"octo/setup-thing": True, "actions/checkout": False}  # checkout: the dataset answers

    before = rate_used(sb, sb.token)
    found = lookup_actions(_client(sb), refs, cache=cache)
    first_cost = rate_used(sb, sb.token) - before

    assert list(found) == ["octo/setup-thing"]
    info = found["octo/setup-thing"]
    assert {n: m.using for n, m in info.majors.items()} == {1: "node16", 2: "node24"}
    assert info.first_node24 == 2 and not info.archived
    assert info.majors[1].tags == {"v1.0.0": old, "v1": old}
    assert info.majors[2].tags == {"v2.0.1": new, "v2": new}
    assert set(info.majors[2].inputs) == {"tool-version", "cache"}
    asked = requests_counted(sb, "/repos/octo/setup-thing*")
    assert first_cost == asked > 0 and cache.stat().st_mode & 0o777 == 0o600
    assert sb.token not in cache.read_text()  # keyed by a hash of the token, never the token

    before = rate_used(sb, sb.token)
    again = lookup_actions(_client(sb), refs, cache=cache)  # a new process: only the file is left
    assert rate_used(sb, sb.token) - before == 0  # every answer a 304
    assert requests_counted(sb, "/repos/octo/setup-thing*") == 2 * asked  # asked, conditionally
    assert again == found


def test_an_action_that_cannot_be_read_is_skipped_not_raised(
    sandbox_server: SandboxHandle, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    sb = sandbox_server
    setup_thing(sb, tmp_path)
    caplog.set_level(logging.WARNING, logger="smartmon.github.action_lookups")
    refs = {"octo/aaa-gone": False, "octo/setup-thing": False}  # the 404 is looked up first
    found = lookup_actions(_client(sb), refs)
    assert list(found) == ["octo/setup-thing"]
    assert "octo/aaa-gone: not looked up" in caplog.text and "404" in caplog.text


def test_lookups_stop_at_the_rate_limit_and_a_refused_token(
    sandbox_server: SandboxHandle, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The same answer awaits every other action: no request is spent on asking again."""
    sb = sandbox_server
    setup_thing(sb, tmp_path)
    sb.admin.faults("primary:reset=3600,path=/repos/octo/a-thing")
    count_requests(sb, "/repos/octo/setup-thing*")
    caplog.set_level(logging.WARNING, logger="smartmon.github.action_lookups")
    refs = {"octo/a-thing": False, "octo/setup-thing": False}
    assert lookup_actions(_client(sb), refs) == {}
    assert "octo/a-thing: action lookups stopped" in caplog.text
    assert "rate limit" in caplog.text
    assert requests_counted(sb, "/repos/octo/setup-thing*") == 0

    caplog.clear()
    assert lookup_actions(_client(sb, token="ghp_" + "0" * 36), refs) == {}
    assert "octo/a-thing: action lookups stopped" in caplog.text and "401" in caplog.text
    assert "octo/setup-thing" not in caplog.text


def test_the_count_is_capped(
    sandbox_server: SandboxHandle, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    sb = sandbox_server
    setup_thing(sb, tmp_path)
    caplog.set_level(logging.WARNING, logger="smartmon.github.action_lookups")
    refs = {"octo/setup-thing": False, "octo/zzz-other": False}
    assert list(lookup_actions(_client(sb), refs, limit=1)) == ["octo/setup-thing"]
    assert "2 actions to look up; only the first 1 are (octo/zzz-other" in caplog.text


def test_the_cache_lives_in_runner_temp_on_a_runner(tmp_path: Path) -> None:
    on_runner = runner_cache({"RUNNER_TEMP": str(tmp_path)})
    assert on_runner == tmp_path / "smartmon" / "action-etags.json"
    # Off a runner, the XDG_CACHE_HOME of the same env (not the process's) decides.
    elsewhere = runner_cache({"XDG_CACHE_HOME": str(tmp_path / "xdg")})
    assert elsewhere == tmp_path / "xdg" / "smartmon" / "action-etags.json"
