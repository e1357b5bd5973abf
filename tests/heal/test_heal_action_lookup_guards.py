"""What keeps heal()'s live action lookups safe, against the sandbox over HTTP: a fork's run reads
no private repository but its own owner's (and logs one like a missing one), an API outage stops
the lookups without failing the heal, a hostile action.yml costs its action only, and a SHA pin
never moves to a commit whose action.yml was not read."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from smartmon.github.client import GitHubClient
from smartmon.heal.pipeline import HealOptions, HealResult, heal, render_summary
from smartmon.model import IssueType
from tests.github.action_repos import (
    SETUP_V1,
    SETUP_V2,
    action_repo,
    count_requests,
    requests_counted,
)
from tests.heal.test_heal import FakeClock, Repo
from tests.heal.test_heal_action_lookup import REFUSED

if TYPE_CHECKING:
    from tests.fixtures_sandbox import SandboxHandle

pytest_plugins = ["tests.fixtures_sandbox"]

LOOKUPS = "smartmon.github.action_lookups"
RELEASES = [(["v1.0.0", "v1"], SETUP_V1), (["v2.0.1", "v2"], SETUP_V2)]


@pytest.fixture(autouse=True)
def runner_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    temp = tmp_path / "runner-temp"
    monkeypatch.setenv("RUNNER_TEMP", str(temp))
    return temp


def _pinned(sb: SandboxHandle, tmp: Path, name: str, action: str, sha: str) -> Repo:
    return Repo(sb, tmp, name, REFUSED.format(action=action, version=sha))


def _heal(repo: Repo, *, fork: bool = False) -> HealResult:
    """Heal the latest run (as a fork's when `fork`) with a client that never really sleeps."""
    run: dict[str, Any] = repo.latest_run()
    if fork:
        run["head_repository"] = dict(run["head_repository"]) | {"id": 999_999}
    client = GitHubClient(
        repo.sb.token, repo=repo.full_name, api_url=repo.sb.api_url, sleep=lambda _s: None
    )
    return heal(
        client,
        run,
        workspace=repo.work,
        options=HealOptions(mode="report"),
        token=repo.sb.token,
        clock=FakeClock(),
        sleep=lambda _s: None,
    )


def _lookup_lines(caplog: pytest.LogCaptureFixture, slug: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == LOOKUPS and slug in r.getMessage()]


def test_a_forks_run_reads_no_private_repository_of_another_owner(
    sandbox_server: SandboxHandle, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The fork writes `corp/secret@SHA`; the base's token could read corp/secret, but its tags,
    inputs and existence must not reach the fork's report or log."""
    sb = sandbox_server
    caplog.set_level(logging.INFO, logger=LOOKUPS)
    old, new = action_repo(sb, tmp_path, "corp/secret", RELEASES, private=True)
    repo = _pinned(sb, tmp_path, "from-fork", "corp/secret", old)
    gone = _pinned(sb, tmp_path, "from-fork-gone", "corp/nothing", old)

    result = _heal(repo, fork=True)
    missing = _heal(gone, fork=True)

    assert [f.type for f in result.analysis.findings] == [IssueType.DEPRECATED_ACTION]
    assert result.patch is None and not any(fix.applicable for fix, _ in result.fixes)
    told = repr(result) + render_summary(result, server_url=sb.api_url, repo=repo.full_name)
    assert new not in told and "v2.0.1" not in told and new[:7] not in told
    [private_line] = _lookup_lines(caplog, "corp/secret")
    [missing_line] = _lookup_lines(caplog, "corp/nothing")
    assert private_line.replace("corp/secret", "X") == missing_line.replace("corp/nothing", "X")
    assert "404" in private_line
    assert missing.patch is None

    # The same run from the base repository itself is looked up and bumped: the test can fail.
    base = _heal(repo)
    assert base.patch is not None and f"corp/secret@{new}" in base.patch


def test_a_forks_run_reads_a_private_repository_of_its_own_owner(
    sandbox_server: SandboxHandle, tmp_path: Path
) -> None:
    sb = sandbox_server
    old, new = action_repo(sb, tmp_path, "octo/inhouse", RELEASES, private=True)
    repo = _pinned(sb, tmp_path, "inhouse-user", "octo/inhouse", old)

    result = _heal(repo, fork=True)

    assert result.patch is not None and f"+      - uses: octo/inhouse@{new}" in result.patch


@pytest.mark.parametrize(
    "fault", ["5xx:status=503,times=*", "drop:times=*"], ids=["server-error", "dropped"]
)
def test_an_api_outage_stops_the_lookups_and_the_heal_still_reports(
    sandbox_server: SandboxHandle, tmp_path: Path, caplog: pytest.LogCaptureFixture, fault: str
) -> None:
    sb = sandbox_server
    caplog.set_level(logging.WARNING, logger=LOOKUPS)
    old, _ = action_repo(sb, tmp_path, "octo/setup-thing", RELEASES)
    repo = _pinned(sb, tmp_path, "outage", "octo/setup-thing", old)
    sb.admin.faults(f"{fault},path=/repos/octo/setup-thing*")

    result = _heal(repo)

    assert result.skipped is None and result.patch is None
    [finding] = result.analysis.findings
    assert finding.type is IssueType.DEPRECATED_ACTION
    assert any("deprecated_action" in step for step in result.next_steps), result.next_steps
    [line] = _lookup_lines(caplog, "octo/setup-thing")
    assert line.startswith("octo/setup-thing: action lookups stopped")


def test_a_hostile_action_yml_costs_its_action_only(
    sandbox_server: SandboxHandle, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    sb = sandbox_server
    caplog.set_level(logging.INFO, logger=LOOKUPS)
    deep = "runs: {using: node24}\ninputs: " + "[" * 900 + "]" * 900 + "\n"
    old, _ = action_repo(sb, tmp_path, "octo/deep", [(["v1.0.0", "v1"], SETUP_V1), (["v2"], deep)])
    repo = _pinned(sb, tmp_path, "deep-user", "octo/deep", old)

    result = _heal(repo)  # no RecursionError

    assert result.skipped is None and result.patch is None
    assert [f.type for f in result.analysis.findings] == [IssueType.DEPRECATED_ACTION]


def test_a_pin_is_reported_not_moved_when_the_newest_tags_action_yml_differs(
    sandbox_server: SandboxHandle, tmp_path: Path
) -> None:
    """v2 (read) and v2.0.1 (the newest full tag, where a pin would move) are different commits,
    and v2.0.1 requires an input the step does not give: the pin stays, with its reason."""
    sb = sandbox_server
    strict = SETUP_V2.replace("runs:", "  token: {required: true}\nruns:")
    releases = [(["v1.0.0", "v1"], SETUP_V1), (["v2.0.1"], strict), (["v2"], SETUP_V2)]
    old, unread, _ = action_repo(sb, tmp_path, "octo/retagged", releases)
    repo = _pinned(sb, tmp_path, "retagged-user", "octo/retagged", old)
    count_requests(sb, "/repos/octo/retagged/contents/*")

    result = _heal(repo)

    assert result.patch is None
    assert all(unread not in str(fix) for fix, _ in result.fixes)
    assert unread not in " ".join(result.next_steps)
    # v1, v2 and v2.0.1 were each read once (the last to check it, then not offered).
    assert requests_counted(sb, "/repos/octo/retagged/contents/*") == 3
    assert re.search(r"deprecated_action", " ".join(result.next_steps))
