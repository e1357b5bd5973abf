"""A tracking issue per workflow failing on the default branch, for failures smartmon did not fix.

One open issue per workflow (label `ci-failure`, found by a hidden marker naming the workflow id):
opened by the first failure, its body rewritten by each later one (the latest cause, what is left,
and a table of runs, newest first), and closed with a comment once the workflow passes again.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from smartmon.github import GitHubClient, GitHubError
from smartmon.heal.failure_table import failure_table, run_url
from smartmon.redact import redact
from smartmon.report import code_span, escape_markdown, strip_controls

if TYPE_CHECKING:
    from smartmon.heal.result import HealResult

log = logging.getLogger(__name__)

LABEL = "ci-failure"
LABEL_COLOR = "d73a4a"
MAX_RUNS = 50
_RUNS_HEADER = "| run | commit | when | cause | smartmon |"
_ROW = re.compile(r"^\| \[\d+\]\(")
_FIXED = ("commit", "pull-request", "rerun")
_DID = {"none": "no safe fix", "patch": "patch only"}


@dataclass(frozen=True)
class Tracked:
    action: str  # "opened" | "updated" | "closed" | "none"
    url: str | None = None
    number: int | None = None
    note: str | None = None


def marker(workflow_id: int) -> str:
    return f"<!-- smartmon:tracking workflow={int(workflow_id)} -->"


def default_branch(client: GitHubClient, run: Mapping[str, Any]) -> str | None:
    """The repository's default branch: from the run's payload, else asked of the API."""
    found = (run.get("repository") or {}).get("default_branch")
    if found:
        return str(found)
    try:
        return str(client.get_repo().get("default_branch") or "") or None
    except GitHubError:
        return None


def on_default_branch(run: Mapping[str, Any], default_branch: str | None) -> bool:
    branch = run.get("head_branch")
    pr_event = run.get("event") in ("pull_request", "pull_request_target")
    return bool(branch) and branch == default_branch and not pr_event


def needs_tracking(result: HealResult) -> bool:
    """A failure smartmon could not fix, or was told only to report."""
    if result.opted_out or result.delivery not in _FIXED:
        return True
    return result.verification == "failed"


def record_failure(
    client: GitHubClient, result: HealResult, *, server_url: str, repo: str
) -> Tracked:
    """Open the workflow's tracking issue, or add this run to the open one."""
    run = result.run
    wid = int(run.get("workflow_id") or 0)
    try:
        issue = find_open(client, wid)
        rows = _rows(str(issue.get("body") or "")) if issue else []
        row = _row(result, server_url, repo)
        rows = [row, *(r for r in rows if not r.startswith(row.split(" | ", 1)[0]))][:MAX_RUNS]
        body = redact(_body(result, rows, server_url=server_url, repo=repo))
        if issue is not None:
            reply = client.update_issue(int(issue["number"]), body=body)
            return Tracked("updated", str(reply.get("html_url") or ""), int(issue["number"]))
        client.ensure_label(LABEL, LABEL_COLOR, "A workflow fails on the default branch")
        reply = client.create_issue(_title(run), body, labels=(LABEL,))
        return Tracked("opened", str(reply.get("html_url") or ""), int(reply["number"]))
    except GitHubError as exc:
        return Tracked("none", note=f"tracking issue not updated: {exc}")


def close_if_passing(
    client: GitHubClient, run: Mapping[str, Any], *, server_url: str, repo: str
) -> Tracked:
    """The workflow passed (`run` succeeded): close its open tracking issue with a comment."""
    if run.get("conclusion") != "success":
        return Tracked("none")
    wid = int(run.get("workflow_id") or 0)
    try:
        issue = find_open(client, wid)
        if issue is None:
            return Tracked("none")
        url = run_url(server_url, repo, int(run["id"]))
        sha = code_span(str(run.get("head_sha") or "")[:12])
        client.create_issue_comment(
            int(issue["number"]),
            f"The workflow passes again: run [{int(run['id'])}]({url}) on commit {sha}. "
            "Closing; smartmon opens a new issue if it fails again.",
        )
        reply = client.update_issue(int(issue["number"]), state="closed", state_reason="completed")
        return Tracked("closed", str(reply.get("html_url") or ""), int(issue["number"]))
    except GitHubError as exc:
        return Tracked("none", note=f"tracking issue not closed: {exc}")


def find_open(client: GitHubClient, workflow_id: int) -> Mapping[str, Any] | None:
    want = marker(workflow_id)
    for issue in client.list_issues(labels=LABEL, state="open"):
        if str(issue.get("body") or "").startswith(want):
            return issue
    return None


def _title(run: Mapping[str, Any]) -> str:
    name = " ".join(strip_controls(str(run.get("name") or run.get("path") or "workflow")).split())
    branch = " ".join(strip_controls(str(run.get("head_branch") or "")).split())
    return redact(f"CI failing: {name[:120]} on {branch[:80]}")


def _body(result: HealResult, rows: list[str], *, server_url: str, repo: str) -> str:
    run = result.run
    url = run_url(server_url, repo, result.run_id)
    name = escape_markdown(str(run.get("name") or "workflow"))
    path = code_span(str(run.get("path") or "").partition("@")[0])
    branch = escape_markdown(str(run.get("head_branch") or ""))
    why = result.skipped or "no safe automatic fix"
    if result.opted_out:
        why = f"report only: {result.opted_out}"
    out = [
        marker(int(run.get("workflow_id") or 0)),
        f"The workflow **{name}** ({path}) fails on {branch}; smartmon did not fix it "
        f"({escape_markdown(why)}).",
        "",
        f"### Latest failure: run [{result.run_id}]({url})",
        "",
        *failure_table(result, url),
        "### Left for a person",
        "",
    ]
    out += [f"- {escape_markdown(s)}" for s in result.next_steps] or [
        "- Read the failed jobs' logs."
    ]
    out += ["", "### Failed runs, newest first", "", _RUNS_HEADER, "|---|---|---|---|---|"]
    out += [*rows, ""]
    out += ["smartmon closes this issue when the workflow passes again.", ""]
    return "\n".join(out)


def _row(result: HealResult, server_url: str, repo: str) -> str:
    run = result.run
    url = run_url(server_url, repo, result.run_id)
    when = escape_markdown(str(run.get("updated_at") or run.get("created_at") or ""))
    sha = code_span(str(run.get("head_sha") or "")[:12])
    causes = sorted({f.type.value for f in result.analysis.findings}) if result.analysis else []
    did = _DID.get(result.delivery, result.delivery)
    if result.opted_out or result.skipped:
        did = "report only" if result.opted_out else "skipped"
    return (
        f"| [{result.run_id}]({url}) | {sha} | {when} | {', '.join(causes) or 'unknown'} "
        f"| {escape_markdown(did)} |"
    )


def _rows(body: str) -> list[str]:
    start = body.find(_RUNS_HEADER)
    if start < 0:
        return []
    return [line for line in body[start:].splitlines() if _ROW.match(line)]
