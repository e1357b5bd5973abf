"""The demo's last act: where people look. On a second sandbox repository, a pull request whose
test fails twice gets one smartmon comment, edited the second time; the default branch going red
with a failure no rule can fix opens a tracking issue, which the next green run closes.

Every change goes through the REST API (contents commits start push runs, as on GitHub), and each
failed run goes through the same `heal` and `announce` as the action's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests

from smartmon.github import GitHubClient
from smartmon.heal import HealOptions, HealResult, announce, close_tracking, heal
from smartmon.monitor import WorkspaceClone
from smartmon.report import strip_controls

log = logging.getLogger(__name__)

OWNER, NAME = "smartmon-demo", "where-people-look"
WORKFLOW = """\
name: CI

on:
  push:
  pull_request:

jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Test
        run: python -m unittest discover -s tests -v
"""
ANSWER = '"""The answer the tests check."""\n\n\ndef answer() -> int:\n    return {value}\n'
TEST = """\
import unittest

from answer import answer


class AnswerTests(unittest.TestCase):
    def test_answer(self):
        self.assertEqual(answer(), 42)
"""
SHOWN_LINES = 40


@dataclass
class Told:
    """What the act produced, for the story."""

    pull: str = ""
    comment_url: str = ""
    comment_runs: list[int] = field(default_factory=list)
    comment_body: str = ""
    issue: str = ""
    issue_url: str = ""
    issue_runs: list[int] = field(default_factory=list)
    issue_body: str = ""
    closed_by: int | None = None
    notes: list[str] = field(default_factory=list)


def tell_people(api_url: str, token: str, admin_token: str, server_url: str) -> Told:
    """Create the repository, break it twice on a pull request and twice on main, and heal."""
    admin = requests.Session()
    admin.headers["Authorization"] = f"Bearer {admin_token}"
    files = {".github/workflows/ci.yml": WORKFLOW, "answer.py": ANSWER.format(value=42)}
    files["tests/test_answer.py"] = TEST
    reply = admin.post(
        f"{api_url}/_sandbox/repos",
        json={"owner": OWNER, "name": NAME, "files": files, "private": False},
        timeout=60,
    )
    reply.raise_for_status()

    def idle() -> None:
        admin.post(f"{api_url}/_sandbox/wait-idle", json={"timeout": 120}, timeout=130)

    idle()
    client = GitHubClient(token, repo=f"{OWNER}/{NAME}", api_url=api_url)
    clone = WorkspaceClone(client, token=token)
    told = Told()
    try:
        workspace = clone.prepare("main")

        def heal_latest(branch: str, event: str) -> HealResult:
            run = next(r for r in client.list_runs(branch=branch) if r.get("event") == event)
            options = HealOptions(skip_label="smartmon:skip", verify_timeout=30.0)
            return heal(client, run, workspace=workspace, options=options, token=token)

        _pull_request(client, told, heal_latest, idle, server_url)
        _default_branch(client, told, heal_latest, idle, server_url)
    finally:
        clone.close()
    return told


def _commit(client: GitHubClient, branch: str, value: int, message: str) -> None:
    _content, sha = client.get_contents("answer.py", ref=branch)
    client.put_contents("answer.py", ANSWER.format(value=value), message, branch, sha)


def _pull_request(
    client: GitHubClient,
    told: Told,
    heal_latest: Callable[[str, str], HealResult],
    idle: Callable[[], None],
    server_url: str,
) -> None:
    main = str(client.get_ref("main")["object"]["sha"])
    client.create_ref("answer-41", main)
    _commit(client, "answer-41", 41, "Make the answer 41")
    pull = client.create_pull("answer-41", "main", "Make the answer 41")
    told.pull = f"#{pull['number']} {pull['title']!r}"
    idle()
    for event, value in (("pull_request", None), ("push", 40)):
        if value is not None:
            _commit(client, "answer-41", value, f"Make the answer {value}")
            idle()
        result = heal_latest("answer-41", event)
        said = announce(
            client,
            result,
            comment="auto",
            track_issues=False,
            server_url=server_url,
            repo=client.repo,
        )
        told.notes += said.notes
        if said.comment_url:
            told.comment_url = said.comment_url
            told.comment_runs.append(result.run_id)
    comments = client.list_issue_comments(int(pull["number"]))
    ours = [c for c in comments if "smartmon" in str(c.get("body", ""))]
    told.notes += [] if len(ours) == 1 else [f"expected one comment, found {len(ours)}"]
    told.comment_body = str(ours[-1]["body"]) if ours else ""


def _default_branch(
    client: GitHubClient,
    told: Told,
    heal_latest: Callable[[str, str], HealResult],
    idle: Callable[[], None],
    server_url: str,
) -> None:
    for value in (41, 43):
        _commit(client, "main", value, f"Make the answer {value}")
        idle()
        result = heal_latest("main", "push")
        said = announce(
            client,
            result,
            comment="auto",
            track_issues=True,
            server_url=server_url,
            repo=client.repo,
        )
        told.notes += said.notes
        if said.issue.number is not None:
            told.issue_runs.append(result.run_id)
            told.issue_url = said.issue.url or ""
            issue = client.get_issue(said.issue.number)
            told.issue = f"#{issue['number']} {issue['title']!r}"
            told.issue_body = str(issue.get("body") or "")
    _commit(client, "main", 42, "Put the answer back to 42")
    idle()
    green: dict[str, Any] = dict(client.list_runs(branch="main")[0])
    closed = close_tracking(client, green, server_url=server_url, repo=client.repo)
    if closed.action == "closed":
        told.closed_by = int(green["id"])
    told.notes += [closed.note] if closed.note else []


def render(told: Told) -> list[str]:
    """The story's last section: the comment and the tracking issue as people see them."""
    runs = ", then updated for run ".join(str(r) for r in told.comment_runs)
    out = ["", "Where people look", f"  - pull request {told.pull}: one smartmon comment,"]
    out += [f"    posted for run {runs}: {told.comment_url}"]
    out += _quoted(told.comment_body)
    opened = " and ".join(str(r) for r in told.issue_runs)
    closed = f"closed when run {told.closed_by} passed" if told.closed_by else "still open"
    out += [f"  - tracking issue {told.issue}: failed runs {opened}; {closed}: {told.issue_url}"]
    out += _quoted(told.issue_body)
    out += [f"  ! {strip_controls(note)}" for note in told.notes]
    return out


def _quoted(body: str) -> list[str]:
    lines = [line for line in body.splitlines() if not line.startswith("<!-- smartmon:")]
    shown = [f"      │ {strip_controls(line)}" for line in lines[:SHOWN_LINES]]
    if len(lines) > SHOWN_LINES:
        shown.append(f"      │ … {len(lines) - SHOWN_LINES} more lines")
    return shown
