"""heal() looks up, through the sandbox's API, a deprecated action the dataset lacks or the
workflow pins by SHA, bumps it (a pin moves to the new major's commit with its `# vX.Y.Z`), keeps
the answers' ETags under RUNNER_TEMP so a second heal pays nothing for them, and asks nothing when
no finding is a deprecated action."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from smartmon.github.client import GitHubClient
from smartmon.heal.pipeline import HealOptions, HealResult, heal
from smartmon.model import IssueType
from tests.github.action_repos import (
    action_repo,
    count_requests,
    rate_used,
    requests_counted,
    setup_thing,
)
from tests.heal.test_heal import MISSING_MODULE, FakeClock, Repo

if TYPE_CHECKING:
    from tests.fixtures_sandbox import SandboxHandle

pytest_plugins = ["tests.fixtures_sandbox"]

ACTION_PATHS = "/repos/octo/setup-thing*"
# FakeRunner echoes the first script into the log: the second line is GitHub's refusal.
REFUSED = """\
name: CI
on:
  push:
  workflow_dispatch:
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: |
          echo set up
          ##[error]This request has been automatically failed because it uses a deprecated version of `{action}: {version}`.
          exit 1
      - uses: {action}@{version}
        with:
          tool-version: 3
"""


def _heal(repo: Repo, run: int, *, token: str | None = None) -> HealResult:
    """Heal with a client of its own (no replies cached in memory), as a new process would."""
    client = GitHubClient(repo.sb.token, repo=repo.full_name, api_url=repo.sb.api_url)
    return heal(
        client,
        run,
        workspace=repo.work,
        options=HealOptions(mode="report"),
        token=token or repo.sb.token,
        clock=FakeClock(),
        sleep=lambda _s: None,
    )


def _run(repo: Repo) -> int:
    return int(repo.latest_run()["id"])


@pytest.fixture
def runner_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    temp = tmp_path / "runner-temp"
    monkeypatch.setenv("RUNNER_TEMP", str(temp))
    return temp


def test_an_action_the_dataset_lacks_is_looked_up_and_bumped_with_its_pin(
    sandbox_server: SandboxHandle, tmp_path: Path, runner_temp: Path
) -> None:
    old, new = setup_thing(sandbox_server, tmp_path)
    workflow = REFUSED.format(action="octo/setup-thing", version="v1")
    workflow += f"      - uses: octo/setup-thing@{old}  # v1.0.0\n"
    repo = Repo(sandbox_server, tmp_path, "unknown-action", workflow)

    result = _heal(repo, _run(repo))

    [finding] = [f for f in result.analysis.findings if f.type is IssueType.DEPRECATED_ACTION]
    assert finding.data["action"] == "octo/setup-thing"
    [(fix, applied)] = result.fixes
    assert fix.applicable and not applied, fix.reason  # report mode: a patch
    assert result.delivery == "patch" and result.patch is not None
    assert "-      - uses: octo/setup-thing@v1\n" in result.patch
    assert "+      - uses: octo/setup-thing@v2\n" in result.patch
    assert f"+      - uses: octo/setup-thing@{new}  # v2.0.1\n" in result.patch
    assert (runner_temp / "smartmon" / "action-etags.json").is_file()


def test_a_sha_pinned_dataset_action_moves_to_the_new_majors_commit(
    sandbox_server: SandboxHandle, tmp_path: Path, runner_temp: Path
) -> None:
    """actions/cache is in the dataset, but not this SHA: its tags say it is v2.1.0, and the
    lookup lists a v5 release newer than the dataset's newest, which the pin moves to."""
    sb = sandbox_server
    yml = "name: cache\ninputs:\n  path: {}\n  key: {}\nruns: {using: node16, main: a.js}\n"
    releases = [(["v2.1.0"], yml), (["v5.99.0", "v5"], yml.replace("node16", "node24"))]
    old, new = action_repo(sb, tmp_path, "actions/cache", releases)
    workflow = REFUSED.format(action="actions/cache", version=old).replace(
        f"actions/cache@{old}\n        with:\n          tool-version: 3",
        f"actions/cache@{old} # v2.1.0\n        with:\n          path: ~/.cache\n          key: k",
    )
    repo = Repo(sb, tmp_path, "pinned-cache", workflow)

    result = _heal(repo, _run(repo))

    [(fix, _)] = result.fixes
    assert fix.applicable, fix.reason
    assert result.patch is not None
    assert f"+      - uses: actions/cache@{new} # v5.99.0\n" in result.patch


def test_the_artifact_pair_is_looked_up_and_moved_together(
    sandbox_server: SandboxHandle, tmp_path: Path, runner_temp: Path
) -> None:
    """The log names upload-artifact only; download-artifact, pinned without a comment, is looked
    up too because the pair must move together (v4+ cannot read what v3 uploaded)."""
    sb = sandbox_server
    yml = "name: a\ninputs:\n  name: {}\n  path: {}\nruns: {using: node16, main: a.js}\n"
    node24 = yml.replace("node16", "node24")
    up_old, up_new = action_repo(
        sb, tmp_path, "actions/upload-artifact", [(["v3.1.0"], yml), (["v6.99.0"], node24)]
    )
    down_old, down_new = action_repo(
        sb, tmp_path, "actions/download-artifact", [(["v3.0.0"], yml), (["v7.99.0"], node24)]
    )
    count_requests(sb, "/repos/actions/download-artifact*")
    steps = "        with:\n          name: dist\n          path: dist\n"
    workflow = REFUSED.format(action="actions/upload-artifact", version=up_old).replace(
        "        with:\n          tool-version: 3\n", steps
    )
    workflow += f"      - uses: actions/download-artifact@{down_old}\n" + steps
    repo = Repo(sb, tmp_path, "artifact-pair", workflow)

    result = _heal(repo, _run(repo))

    assert result.patch is not None, result.next_steps
    assert f"+      - uses: actions/upload-artifact@{up_new} # v6.99.0\n" in result.patch
    assert f"+      - uses: actions/download-artifact@{down_new} # v7.99.0\n" in result.patch
    assert requests_counted(sb, "/repos/actions/download-artifact*") > 0


def test_a_second_heal_asks_again_conditionally_and_pays_nothing(
    sandbox_server: SandboxHandle, tmp_path: Path, runner_temp: Path
) -> None:
    sb = sandbox_server
    setup_thing(sb, tmp_path)
    repo = Repo(sb, tmp_path, "twice", REFUSED.format(action="octo/setup-thing", version="v1"))
    run = _run(repo)
    lookups = sb.admin.token("pat", login="octo")  # heal's token: the lookups' own rate budget
    count_requests(sb, ACTION_PATHS)

    first = _heal(repo, run, token=lookups)
    asked = requests_counted(sb, ACTION_PATHS)
    first_cost = rate_used(sb, lookups)
    second = _heal(repo, run, token=lookups)

    assert first.patch == second.patch and first.patch is not None
    assert asked > 0 and first_cost == asked  # the repository, its tags, action.yml per major
    assert requests_counted(sb, ACTION_PATHS) == 2 * asked  # asked again, with If-None-Match
    assert rate_used(sb, lookups) == first_cost  # every answer a 304


def test_a_failure_without_a_deprecated_action_asks_nothing(
    sandbox_server: SandboxHandle, tmp_path: Path, runner_temp: Path
) -> None:
    sb = sandbox_server
    old, _ = setup_thing(sb, tmp_path)
    uses = f"      - uses: octo/setup-thing@v1\n      - uses: octo/setup-thing@{old}  # v1.0.0\n"
    repo = Repo(sb, tmp_path, "no-deprecation", MISSING_MODULE + uses)
    count_requests(sb, ACTION_PATHS)

    result = _heal(repo, _run(repo))

    assert [f.type for f in result.analysis.findings] == [IssueType.MISSING_DEPENDENCY]
    assert result.fixes and result.fixes[0][0].applicable
    assert requests_counted(sb, ACTION_PATHS) == 0
    assert not (runner_temp / "smartmon").exists()


def test_a_lookup_that_fails_leaves_the_finding_reported(
    sandbox_server: SandboxHandle,
    tmp_path: Path,
    runner_temp: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="smartmon.github.action_lookups")
    workflow = REFUSED.format(action="octo/nowhere", version="v1")
    repo = Repo(sandbox_server, tmp_path, "gone-action", workflow)

    result = _heal(repo, _run(repo))

    assert result.skipped is None
    [finding] = result.analysis.findings
    assert finding.type is IssueType.DEPRECATED_ACTION
    # Nothing knows octo/nowhere: no fix is planned at all, and the finding is left to a human.
    assert tuple(result.fixes) == () and result.patch is None
    assert any("deprecated_action" in step for step in result.next_steps), result.next_steps
    assert "octo/nowhere: not looked up" in caplog.text and "404" in caplog.text
