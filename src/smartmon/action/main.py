"""The composite action's program (`python -I -m smartmon.action`, run by action.yml).

Reads the inputs action.yml passes through `env:` (`SMARTMON_<INPUT>`), the run to heal (the
`workflow_run` event at GITHUB_EVENT_PATH, the `run-id` input, or on other events the recent
failed runs), heals each, and writes the job summary, outputs, annotations and a report folder
(JSON report and patches) that action.yml uploads as an artifact.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from smartmon.action.runtime import Runtime
from smartmon.errors import InputError
from smartmon.github import GitHubClient, GitHubError, runner_cache
from smartmon.heal import (
    COMMENT_MODES,
    MODES,
    REMOTE,
    HealOptions,
    HealResult,
    announce,
    close_tracking,
    heal,
    render_handoff,
    render_summary,
)
from smartmon.model import IssueType

log = logging.getLogger(__name__)

SCHEDULED_WINDOW = timedelta(days=1)
SCHEDULED_MAX_RUNS = 5
_LEVELS = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warning": logging.WARNING,
    "error": logging.ERROR,
}


class _RuntimeHandler(logging.Handler):
    """Library log records go to the job log through the runtime: redacted, never commands."""

    def __init__(self, rt: Runtime) -> None:
        super().__init__()
        self.rt = rt

    def emit(self, record: logging.LogRecord) -> None:
        text = f"{record.levelname.lower()}: {record.getMessage()}"
        if record.levelno < logging.INFO:
            self.rt.debug(text)
        else:
            self.rt.info(text)


def main(rt: Runtime | None = None) -> int:
    rt = rt or Runtime()
    try:
        return run(rt)
    except InputError as exc:
        rt.error(str(exc), title="smartmon: bad input")
        return 2
    except GitHubError as exc:
        rt.error(str(exc), title="smartmon: GitHub API error")
        return 1


def run(rt: Runtime) -> int:
    token = rt.input("token", secret=True)
    default_token = rt.input("default-token", secret=True)
    level = rt.input("log-level", "info").lower()
    if level not in _LEVELS:
        raise InputError(f"input log-level: {level!r}; use {', '.join(_LEVELS)}")
    _configure_logging(rt, _LEVELS[level])
    env = rt.env
    repo = rt.input("repository", env.get("GITHUB_REPOSITORY", ""))
    server_url = rt.input("server-url", env.get("GITHUB_SERVER_URL", "https://github.com"))
    server_url = server_url.rstrip("/")
    api_url = rt.input("api-url", env.get("GITHUB_API_URL", "")) or None
    client = GitHubClient(token or None, repo=repo or None, api_url=api_url)
    is_default = not token or token == default_token
    options = HealOptions(
        mode=_mode(rt.input("mode", "auto")),
        max_attempts=rt.int_input("max-attempts", 2, minimum=1),
        fix_types=_fix_types(rt.list_input("fix-types")),
        dry_run=rt.bool_input("dry-run"),
        create_secrets=rt.bool_input("create-secrets"),
        can_push_workflows=False if is_default else _may_push_workflows(client),
        token_starts_runs=not is_default,
        skip_label=rt.input("skip-label", "smartmon:skip").strip(),
    )
    comment = rt.input("comment", "auto").strip().lower()
    if comment not in COMMENT_MODES:
        raise InputError(f"input comment: {comment!r}; use one of {', '.join(COMMENT_MODES)}")
    track_issues = rt.bool_input("track-issues")
    targets = _targets(rt, client)
    workspace = _workspace(env, server_url, client.repo)
    results: list[HealResult] = []
    for target in targets:
        result = heal(
            client,
            target,
            workspace=workspace,
            options=options,
            token=token or None,
            action_cache=runner_cache(env),  # lookups of deprecated actions keep ETags here
        )
        results.append(result)
        told = _tell(rt, client, result, comment, track_issues, server_url)
        rt.append_summary(render_summary(result, server_url=server_url, repo=client.repo) + told)
        _annotate(rt, result)
        rt.info(f"smartmon: run {result.run_id}: {_status(result)}")
    if not targets:
        rt.append_summary("## smartmon\n\nNo failed run to heal.\n")
    if (
        track_issues
        and not rt.input("run-id")
        and rt.env.get("GITHUB_EVENT_NAME") != "workflow_run"
    ):
        _close_passing(rt, client, server_url)
    report = _write_report(rt, env, results)
    _outputs(rt, results, report)
    _handoff(rt, results, report, server_url, client.repo)
    return 0


def _tell(
    rt: Runtime,
    client: GitHubClient,
    result: HealResult,
    comment: str,
    track_issues: bool,
    server_url: str,
) -> str:
    """The pull request comment and the tracking issue; returns lines for the job summary."""
    if dry := rt.bool_input("dry-run"):
        comment, track_issues = "never", False
    repo = client.repo
    told = announce(
        client,
        result,
        comment=comment,
        track_issues=track_issues,
        server_url=server_url,
        repo=repo,
    )
    lines = []
    if told.comment_url:
        verb = "Commented on" if told.comment_created else "Updated the comment on"
        lines.append(f"- {verb} the pull request: <{told.comment_url}>")
    issue = told.issue
    if track_issues and not dry and result.run.get("conclusion") == "success":
        issue = close_tracking(client, result.run, server_url=server_url, repo=repo)
    if issue.action != "none" and issue.url:
        lines.append(f"- Tracking issue #{issue.number} {issue.action}: <{issue.url}>")
    for note in (*told.notes, *([issue.note] if issue.note else [])):
        rt.warning(note, title="smartmon could not tell people")
    return "\n### Where people look\n\n" + "\n".join(lines) + "\n" if lines else ""


def _close_passing(rt: Runtime, client: GitHubClient, server_url: str) -> None:
    """On a schedule: close the tracking issue of each workflow whose newest default-branch run
    passed (the newest run per workflow only: an older green run says nothing)."""
    newest: dict[Any, Mapping[str, Any]] = {}
    try:
        branch = str(client.get_repo().get("default_branch") or "")
        for item in client.list_runs(branch=branch or None, status="completed", max_items=100):
            newest.setdefault(item.get("workflow_id"), item)
    except GitHubError as exc:
        rt.warning(f"tracking issues not checked: {exc}", title="smartmon could not tell people")
    for run in newest.values():
        if run.get("conclusion") == "success":
            closed = close_tracking(client, run, server_url=server_url, repo=client.repo)
            if closed.action == "closed":
                rt.append_summary(f"- Tracking issue #{closed.number} closed: <{closed.url}>\n")
            elif closed.note:
                rt.warning(closed.note, title="smartmon could not tell people")


def _handoff(
    rt: Runtime, results: Sequence[HealResult], report: Path, server_url: str, repo: str
) -> None:
    """The `handoff` output: work orders for a coding agent, one per finding left unfixed."""
    orders = [
        render_handoff(r, repo=repo, run_url=f"{server_url}/{repo}/actions/runs/{r.run_id}")
        for r in results
    ]
    text = rt.redact("\n".join(o for o in orders if o))
    if text:
        (report / "handoff.md").write_text(text, encoding="utf-8")
    rt.set_output("handoff", text)


def _configure_logging(rt: Runtime, level: int) -> None:
    root = logging.getLogger("smartmon")
    root.setLevel(level)
    root.handlers[:] = [_RuntimeHandler(rt)]
    root.propagate = False


def _mode(value: str) -> str:
    if value not in MODES:
        raise InputError(f"input mode: {value!r}; use one of {', '.join(MODES)}")
    return value


def _fix_types(names: Sequence[str]) -> frozenset[IssueType] | None:
    if not names:
        return None
    known = {t.value: t for t in IssueType}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise InputError(
            f"input fix-types: unknown {', '.join(unknown)}; choose from {', '.join(sorted(known))}"
        )
    return frozenset(known[n] for n in names)


def _may_push_workflows(client: GitHubClient) -> bool:
    """A classic PAT says its scopes; App and fine-grained tokens do not (try, fall back on refusal)."""
    try:
        reply = client.http.request("GET", f"/repos/{client.repo}")
    except GitHubError:
        return False
    scopes = {k.lower(): v for k, v in reply.headers.items()}.get("x-oauth-scopes")
    if scopes is None:
        return True
    return "workflow" in {s.strip() for s in scopes.split(",")}


def _targets(rt: Runtime, client: GitHubClient) -> list[int | Mapping[str, Any]]:
    given = rt.input("run-id")
    if given:
        if not given.isdigit():
            raise InputError(f"input run-id: {given!r} is not a run id (a whole number)")
        return [int(given)]
    if rt.env.get("GITHUB_EVENT_NAME") == "workflow_run":
        payload = rt.event_payload()
        if not isinstance(payload.get("workflow_run"), dict):
            raise InputError("the workflow_run event payload has no workflow_run object")
        return [payload]
    return list(_recent_failures(client, rt.env.get("GITHUB_WORKFLOW_REF", "")))


def _recent_failures(client: GitHubClient, own_ref: str) -> list[int]:
    """The newest failed run per workflow and branch in the last day (older ones are superseded)."""
    since = (datetime.now(UTC) - SCHEDULED_WINDOW).strftime("%Y-%m-%dT%H:%M:%SZ")
    own_path = own_ref.partition("@")[0].split("/", 2)[-1] if own_ref else ""
    seen: set[tuple[Any, Any]] = set()
    picked: list[int] = []
    for item in client.list_runs(status="failure", created=f">={since}", max_items=100):
        key = (item.get("workflow_id"), item.get("head_branch"))
        if key in seen or item.get("path") == own_path:
            continue
        seen.add(key)
        picked.append(int(item["id"]))
        if len(picked) >= SCHEDULED_MAX_RUNS:
            break
    return picked


def _workspace(env: Mapping[str, str], server_url: str, repo: str) -> Path:
    """The job's checkout of this repository when there is one; else an empty repository that
    heal fetches into."""
    checkout = Path(env.get("GITHUB_WORKSPACE", ""))
    same_repo = env.get("GITHUB_REPOSITORY", "").lower() == repo.lower()
    if env.get("GITHUB_WORKSPACE") and same_repo and (checkout / ".git").exists():
        return checkout
    root = Path(env.get("RUNNER_TEMP") or tempfile.mkdtemp(prefix="smartmon-")) / "smartmon-repo"
    if not (root / ".git").exists():
        root.mkdir(parents=True, exist_ok=True)
        for args in (["init", "--quiet"], ["remote", "add", REMOTE, f"{server_url}/{repo}.git"]):
            subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)
    return root


def _annotate(rt: Runtime, result: HealResult) -> None:
    if result.skipped and result.run.get("conclusion") != "success":  # green: nothing to say
        rt.notice(result.skipped, title="smartmon skipped this run")
    if result.analysis is None:
        return
    for f in result.analysis.findings:
        file, line = f.data.get("file"), f.data.get("line")
        if file and not file.startswith("/") and line and line.isdigit():
            rt.error(f.text, file=file, line=int(line), title=f"smartmon: {f.type.value}")


def _status(result: HealResult) -> str:
    if result.skipped:
        return f"skipped: {result.skipped}"
    return f"delivery {result.delivery}, verification {result.verification}"


def _write_report(rt: Runtime, env: Mapping[str, str], results: Sequence[HealResult]) -> Path:
    base = Path(env.get("RUNNER_TEMP") or tempfile.mkdtemp(prefix="smartmon-"))
    folder = base / f"smartmon-report-{env.get('GITHUB_RUN_ID', 'local')}"
    folder.mkdir(parents=True, exist_ok=True)
    body = {"results": [r.to_dict() for r in results]}
    text = rt.redact(json.dumps(body, indent=2, ensure_ascii=False))
    (folder / "report.json").write_text(text + "\n", encoding="utf-8")
    for result in results:
        if result.patch:
            patch = rt.redact(result.patch)
            (folder / f"fix-run-{result.run_id}.patch").write_text(patch, encoding="utf-8")
    return folder


def _outputs(rt: Runtime, results: Sequence[HealResult], report: Path) -> None:
    findings = sum(len(r.analysis.findings) for r in results if r.analysis is not None)
    fixed = sum(1 for r in results for _, applied in r.fixes if applied)
    rt.set_output("findings", str(findings))
    rt.set_output("fixed", str(fixed))
    rt.set_output("report-path", str(report))
    rt.set_output(
        "pull-request-url", next((r.pull_request_url for r in results if r.pull_request_url), "")
    )
    rt.set_output("commit-sha", next((r.commit_sha for r in results if r.commit_sha), ""))


if __name__ == "__main__":
    sys.exit(main())
