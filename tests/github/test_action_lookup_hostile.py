"""`lookup_actions` against action repositories anyone could publish (real HTTP, the sandbox):
a hostile action.yml (deep nesting, an alias bomb, a huge file), names with dot segments, endless
tags, a tag whose commit's action.yml was never read, a tampered cache, an API outage and the
budget and deadline that bound one heal's lookups."""

from __future__ import annotations

import base64
import json
import logging
from pathlib import Path

import pytest

from smartmon.atomic import TEMP_SUFFIX
from smartmon.github import GitHubClient, LookupBudget, lookup_action, lookup_actions
from tests.fixtures_sandbox import SandboxHandle
from tests.github.action_repos import (
    SETUP_V1,
    SETUP_V2,
    action_repo,
    count_requests,
    requests_counted,
    setup_thing,
)

LOGGERS = ("smartmon.github.action_lookups", "smartmon.github.action_lookup")
DEEP = "name: deep\nruns: {using: node24, main: a.js}\ninputs: " + "[" * 900 + "]" * 900 + "\n"
BOMB = 'name: bomb\na: &a ["x","x","x","x","x","x","x","x","x","x"]\n'
for _prev, _name in zip("abcde", "bcdef", strict=True):
    BOMB += f"{_name}: &{_name} [" + ",".join([f"*{_prev}"] * 10) + "]\n"
BOMB += "runs: {using: *f, main: a.js}\n"  # str() of it: 5 MB; one more level: 50 MB
HUGE = SETUP_V2 + "# padding\n" * (300 * 1024 // 10)  # valid YAML, 300 KiB


class SteppingClock:
    """Unix time that moves `step` seconds every time it is read (each request reads it once)."""

    def __init__(self, step: float) -> None:
        self.now, self.step = 1_000_000.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def _client(sb: SandboxHandle, clock: SteppingClock | None = None) -> GitHubClient:
    return GitHubClient(sb.token, api_url=sb.api_url, max_retries=0, max_wait=0, clock=clock)


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    for name in LOGGERS:
        caplog.set_level(logging.INFO, logger=name)
    return caplog


@pytest.mark.parametrize(
    ("yml", "why"),
    [
        (DEEP, "nested too deeply"),
        (BOMB, "aliases are not read"),
        (HUGE, "no usable action.yml (size 30"),
    ],
    ids=["deep-nesting", "alias-bomb", "300-KiB"],
)
def test_a_hostile_action_yml_is_no_usable_one_and_the_others_are_still_read(
    sandbox_server: SandboxHandle,
    tmp_path: Path,
    logs: pytest.LogCaptureFixture,
    yml: str,
    why: str,
) -> None:
    sb = sandbox_server
    action_repo(sb, tmp_path, "octo/aaa-hostile", [(["v1.0.0", "v1"], yml)])
    setup_thing(sb, tmp_path)
    cache = tmp_path / "etags.json"
    refs = {"octo/aaa-hostile": True, "octo/setup-thing": True}  # the hostile one goes first

    found = lookup_actions(_client(sb), refs, cache=cache)

    assert list(found) == ["octo/setup-thing"]
    assert why in logs.text and "octo/aaa-hostile@" in logs.text
    assert "no usable action.yml at any of its version tags" in logs.text
    # A large answer is never kept on disk (the 300 KiB one would be ~400 KiB of Base64).
    assert cache.stat().st_size < 128 * 1024


def test_names_with_dot_segments_never_reach_a_url(
    sandbox_server: SandboxHandle, logs: pytest.LogCaptureFixture
) -> None:
    sb = sandbox_server
    count_requests(sb, "*")
    bad = ["octo/..", "../octo", "octo/x/../../rate_limit", "octo/x//y", "octo/x/./y", "-o/x"]

    assert lookup_actions(_client(sb), dict.fromkeys(bad, True)) == {}

    assert requests_counted(sb, "*") == 0
    for slug in bad:
        assert f"{slug!r} is not an action name" in logs.text


def test_tags_are_read_up_to_300(sandbox_server: SandboxHandle, tmp_path: Path) -> None:
    sb = sandbox_server
    names = [f"v1.0.{n}" for n in range(350)] + ["v1"]
    action_repo(sb, tmp_path, "octo/many-tags", [(names, SETUP_V1)])
    count_requests(sb, "/repos/octo/many-tags/tags")

    found = lookup_actions(_client(sb), {"octo/many-tags": True})

    assert requests_counted(sb, "/repos/octo/many-tags/tags") == 3  # 100 a page
    assert len(found["octo/many-tags"].majors[1].tags) == 300


def test_a_pin_moves_only_to_a_commit_whose_action_yml_was_read(
    sandbox_server: SandboxHandle, tmp_path: Path
) -> None:
    """v2 points at a newer commit than v2.0.1 (its last full tag): v2.0.1 is offered only when
    its own action.yml, read too, says what v2's does."""
    sb = sandbox_server
    needs_more = SETUP_V2.replace("runs:", "  token: {required: true}\nruns:")
    releases = [(["v1.0.0", "v1"], SETUP_V1), (["v2.0.1"], needs_more), (["v2"], SETUP_V2)]
    _, unread, bare = action_repo(sb, tmp_path, "octo/moved-tag", releases)
    same = [(["v1.0.0", "v1"], SETUP_V1), (["v2.0.1"], SETUP_V2), (["v2"], SETUP_V2 + "# docs\n")]
    _, same_full, same_bare = action_repo(sb, tmp_path, "octo/same-tag", same)
    client = _client(sb)

    record = lookup_action(client, "octo/moved-tag")
    assert record is not None
    v2 = record["majors"]["v2"]
    assert v2["commit"] == bare and set(v2["inputs"]) == {"tool-version", "cache"}
    assert v2["tags"] == {"v2": bare}  # v2.0.1 (another action.yml) is no pin target
    assert unread not in str(record)
    assert record["majors"]["v1"]["tags"]["v1.0.0"]  # a pin's version is still named

    record = lookup_action(client, "octo/same-tag")
    assert record is not None
    assert record["majors"]["v2"]["tags"] == {"v2": same_bare, "v2.0.1": same_full}


def test_a_tampered_cache_cannot_put_anything_but_a_sha_into_uses(
    sandbox_server: SandboxHandle, tmp_path: Path
) -> None:
    """The cache file replays bodies on 304s: commits that are not SHAs and a `full_name` that is
    no repository name are dropped, not written into `uses:`."""
    sb = sandbox_server
    old, new = setup_thing(sb, tmp_path)
    cache = tmp_path / "etags.json"
    lookup_actions(_client(sb), {"octo/setup-thing": True}, cache=cache)
    entries = json.loads(cache.read_text())
    for entry in entries:
        body = json.loads(base64.b64decode(entry["content"]))
        if entry["url"].endswith("/tags?per_page=100"):
            for tag in body:
                tag["commit"]["sha"] = "main\n  run: curl evil" if "2" in tag["name"] else old
            body.append({"name": "v3.0.0\n", "commit": {"sha": old}})  # `$` allows a newline
        elif entry["url"].endswith("/repos/octo/setup-thing"):
            body["full_name"] = "evil/../x"
        else:
            continue
        entry["content"] = base64.b64encode(json.dumps(body).encode()).decode()
    cache.write_text(json.dumps(entries))

    info = lookup_actions(_client(sb), {"octo/setup-thing": True}, cache=cache)["octo/setup-thing"]

    assert list(info.majors) == [1] and info.majors[1].tags == {"v1.0.0": old, "v1": old}
    assert info.moved_to is None and new not in str(info)


@pytest.mark.parametrize(
    "fault", ["5xx:status=502,times=*", "drop:times=*"], ids=["server-error", "dropped"]
)
def test_lookups_stop_at_the_first_server_error_or_failed_connection(
    sandbox_server: SandboxHandle, tmp_path: Path, logs: pytest.LogCaptureFixture, fault: str
) -> None:
    sb = sandbox_server
    setup_thing(sb, tmp_path)
    sb.admin.faults(f"{fault},path=/repos/octo/a-thing*")
    count_requests(sb, "/repos/octo/setup-thing*")
    budget = LookupBudget()
    refs = {"octo/a-thing": True, "octo/setup-thing": True}

    assert lookup_actions(_client(sb), refs, budget=budget) == {}
    assert lookup_actions(_client(sb), {"octo/setup-thing": True}, budget=budget) == {}

    assert "octo/a-thing: action lookups stopped" in logs.text and budget.stopped
    assert requests_counted(sb, "/repos/octo/setup-thing*") == 0


def test_one_budget_of_requests_bounds_every_lookup_sharing_it(
    sandbox_server: SandboxHandle, tmp_path: Path, logs: pytest.LogCaptureFixture
) -> None:
    sb = sandbox_server
    setup_thing(sb, tmp_path)
    action_repo(sb, tmp_path, "octo/other", [(["v1.0.0", "v1"], SETUP_V1)])
    count_requests(sb, "/repos/octo/*")
    budget = LookupBudget(requests=6)

    first = lookup_actions(_client(sb), {"octo/other": True}, budget=budget)
    second = lookup_actions(_client(sb), {"octo/setup-thing": True}, budget=budget)

    assert list(first) == ["octo/other"] and second == {}
    assert requests_counted(sb, "/repos/octo/*") == budget.spent == 6
    assert "the budget of 6 requests is spent" in logs.text


def test_the_lookups_stop_at_the_deadline_by_the_clients_clock(
    sandbox_server: SandboxHandle, tmp_path: Path, logs: pytest.LogCaptureFixture
) -> None:
    sb = sandbox_server
    setup_thing(sb, tmp_path)
    count_requests(sb, "/repos/octo/*")
    client = _client(sb, SteppingClock(25.0))
    budget = LookupBudget(seconds=60.0)

    assert lookup_actions(client, {"octo/setup-thing": True}, budget=budget) == {}

    assert requests_counted(sb, "/repos/octo/*") == 3  # at 0 s, 25 s and 50 s; not at 75 s
    assert "the 60 s allowed for lookups are spent" in logs.text
    assert client.http.timeout == 30 and client.http.max_wait == 0  # given back as they were


def test_stale_temp_files_of_the_cache_are_removed(
    sandbox_server: SandboxHandle, tmp_path: Path
) -> None:
    sb = sandbox_server
    setup_thing(sb, tmp_path)
    cache = tmp_path / "cache" / "action-etags.json"
    cache.parent.mkdir()
    stale = cache.parent / f".{cache.name}.0123456789ab{TEMP_SUFFIX}"
    stale.write_text("half a cache")

    lookup_actions(_client(sb), {"octo/setup-thing": True}, cache=cache)

    assert cache.is_file() and not stale.exists()
