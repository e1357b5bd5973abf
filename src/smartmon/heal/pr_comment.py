"""One sticky comment per pull request: what failed, what smartmon did, which run proved it, what
is left for a person. Found again by a hidden marker and edited in place, never posted twice.

Several workflows may fail on one pull request: each has its own section, between marker lines
that name the workflow id, and a later heal replaces only its workflow's section. A marker is a
whole line, so a diff line (always prefixed by ` `, `+`, `-` or `@`) can never fake one.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from smartmon.github import GitHubClient, GitHubError
from smartmon.heal.failure_table import collapsed_patch, failure_table, link_or_text, run_url
from smartmon.redact import redact
from smartmon.report import code_span, escape_markdown

if TYPE_CHECKING:
    from smartmon.heal.result import HealResult

log = logging.getLogger(__name__)

COMMENT_MODES = ("auto", "always", "never")
MAX_BODY = 60_000
MAX_NOTES = 10
_PATCH_TITLES = {
    "commit": "The change in the commit",
    "pull-request": "The change in the fix pull request",
    "patch": "The patch (nothing of it is pushed)",
}
MARKER = "<!-- smartmon:pull-request-comment -->"
_SECTION = re.compile(
    r"^<!-- smartmon:workflow (?P<id>\d+) -->\n.*?^<!-- smartmon:end (?P=id) -->\n",
    re.M | re.S,
)


@dataclass(frozen=True)
class Posted:
    url: str | None
    created: bool
    note: str | None = None  # why nothing was posted


def wanted(result: HealResult, mode: str) -> bool:
    """Only for a failed run; auto: only when smartmon also has something to say."""
    failed = result.run.get("conclusion") in ("failure", "timed_out", "startup_failure")
    if mode == "never" or not failed:
        return False
    if mode == "always":
        return True
    if result.opted_out:
        return True
    if result.skipped:
        return False
    findings = bool(result.analysis is not None and result.analysis.findings)
    return findings or result.delivery != "none"


def render_section(result: HealResult, *, server_url: str, repo: str) -> str:
    """This workflow's section of the comment, between its marker lines."""
    run = result.run
    url = run_url(server_url, repo, result.run_id)
    wid = int(run.get("workflow_id") or 0)
    name = escape_markdown(str(run.get("name") or run.get("path") or "workflow"))
    attempt = int(run.get("run_attempt") or 1)
    sha = str(run.get("head_sha") or "")[:12]
    out = [f"<!-- smartmon:workflow {wid} -->", f"### ❌ {name}: run [{result.run_id}]({url})"]
    out += [f"Attempt {attempt} on commit {code_span(sha)}.", ""]
    if result.opted_out:
        why = escape_markdown(result.opted_out)
        out += ["> [!NOTE]", f"> Report only, nothing pushed: {why}.", ""]
    if result.skipped:
        out += [f"smartmon did not heal this run: {escape_markdown(result.skipped)}.", ""]
    if result.analysis is not None:
        out += ["**What failed**", "", *failure_table(result, url)]
    out += ["**What smartmon did**", "", *_did(result), ""]
    if result.patch:
        out += collapsed_patch(result.patch, _PATCH_TITLES.get(result.delivery, "The patch"))
    if result.verification_run_id is not None or result.verification != "not needed":
        out += ["**Which run proved it**", "", _proof(result, server_url, repo), ""]
    steps = result.next_steps
    out += ["**Left for a person**", ""]
    out += [f"- {escape_markdown(s)}" for s in steps] if steps else ["- Nothing."]
    out += ["", f"<!-- smartmon:end {wid} -->", ""]
    return "\n".join(out)


def merge(previous: str | None, section: str, *, head: str) -> str:
    """The comment body: the header, then the sections of every workflow, this one replaced."""
    match = re.match(r"<!-- smartmon:workflow (\d+) -->", section)
    wid = match.group(1) if match else "0"
    sections = [m.group(0) for m in _SECTION.finditer(previous or "") if m.group("id") != wid]
    body = "\n".join([MARKER, head, "", *sections, section])
    while len(body) > MAX_BODY and sections:  # GitHub refuses bodies over 65 536 characters
        sections.pop(0)
        body = "\n".join([MARKER, head, "", *sections, section])
    return redact(body)


def post(
    client: GitHubClient, pull_number: int, result: HealResult, *, server_url: str, repo: str
) -> Posted:
    """Create the comment or edit ours in place; a refusal is a note, never an error."""
    section = render_section(result, server_url=server_url, repo=repo)
    try:
        ours = _find(client, pull_number)
        previous = str(ours.get("body") or "") if ours else None
        head = _head(result.run_id, server_url, repo)
        body = merge(previous, section, head=head)
        if ours is not None:
            reply = client.update_issue_comment(int(ours["id"]), body)
            return Posted(str(reply.get("html_url") or ""), created=False)
        reply = client.create_issue_comment(pull_number, body)
        return Posted(str(reply.get("html_url") or ""), created=True)
    except GitHubError as exc:
        return Posted(None, created=False, note=f"pull request comment not posted: {exc}")


def mark_passing(
    client: GitHubClient,
    pull_number: int,
    run: Mapping[str, Any],
    *,
    server_url: str,
    repo: str,
) -> Posted | None:
    """The workflow passed: replace its section of our comment, if it has one, with a green line.

    Never creates a comment: a pull request smartmon said nothing about stays quiet."""
    wid = int(run.get("workflow_id") or 0)
    try:
        ours = _find(client, pull_number)
        previous = str(ours.get("body") or "") if ours else ""
        if ours is None or f"<!-- smartmon:workflow {wid} -->\n" not in previous:
            return None
        run_id = int(run["id"])
        url = run_url(server_url, repo, run_id)
        name = escape_markdown(str(run.get("name") or run.get("path") or "workflow"))
        sha = code_span(str(run.get("head_sha") or "")[:12])
        section = "\n".join(
            [
                f"<!-- smartmon:workflow {wid} -->",
                f"### ✅ {name}: run [{run_id}]({url}) passed",
                f"On commit {sha}: nothing is left here for this workflow.",
                "",
                f"<!-- smartmon:end {wid} -->",
                "",
            ]
        )
        body = merge(previous, section, head=_head(run_id, server_url, repo))
        reply = client.update_issue_comment(int(ours["id"]), body)
        return Posted(str(reply.get("html_url") or ""), created=False)
    except GitHubError as exc:
        return Posted(None, created=False, note=f"pull request comment not updated: {exc}")


def _find(client: GitHubClient, pull_number: int) -> Mapping[str, Any] | None:
    for comment in client.list_issue_comments(pull_number):
        if str(comment.get("body") or "").startswith(MARKER):
            return dict(comment)
    return None


def _head(run_id: int, server_url: str, repo: str) -> str:
    url = run_url(server_url, repo, run_id)
    return (
        f"## smartmon\n\nUpdated for run [{run_id}]({url}). smartmon reads failed CI runs, "
        "fixes what rules can fix safely, and says here what is left."
    )


def _did(result: HealResult) -> list[str]:
    kind = result.delivery
    out: list[str] = []
    if kind == "commit" and result.commit_sha:
        branch = escape_markdown(str(result.run.get("head_branch") or "the branch"))
        out.append(f"- Pushed commit {code_span(result.commit_sha[:12])} to {branch}.")
    elif kind == "pull-request" and result.pull_request_url:
        out.append(f"- Opened a pull request with the fix: {link_or_text(result.pull_request_url)}")
    elif kind == "patch":
        out.append("- Wrote a patch (below); nothing was pushed.")
    elif kind == "rerun":
        out.append(f"- Re-ran the failed jobs (attempt {result.rerun_attempt}).")
    else:
        out.append("- Nothing was changed.")
    for fix, applied in result.fixes:
        state = "applied" if applied else ("proposed" if fix.applicable else "not fixed")
        line = f"- {fix.type.value} ({state}): {escape_markdown(fix.description)}"
        if fix.reason:
            line += f" (why not: {escape_markdown(fix.reason)})"
        out.append(line)
    # Why it went this way (a fork, report only, a refusal); the opt-out has its own note above.
    notes = [n for n in result.notes if not n.startswith("report only, nothing pushed:")]
    out += [f"- {escape_markdown(note)}" for note in notes[:MAX_NOTES]]
    return out


def _proof(result: HealResult, server_url: str, repo: str) -> str:
    status = escape_markdown(result.verification)
    if result.verification_run_id is None:
        return f"Verification: {status}."
    url = run_url(server_url, repo, result.verification_run_id)
    return f"Run [{result.verification_run_id}]({url}): {status}."
