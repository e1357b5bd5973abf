"""The demo: a local GitHub whose CI fails five ways at once, healed by the monitor until green.

The sandbox (`smartmon sandbox serve`, offline) hosts scenario `multi`: a real ModuleNotFoundError
in a real venv, a deprecated action major, a secret-backed variable the workflow never passes, a
script without its run bit, and a download that fails on a run's first attempt. The monitor runs
against it with a personal-access-kind token. Dependency changes are delivered as a pull request
(a supply-chain decision a person reviews), so the demo plays that person: it merges smartmon's
pull request with a merge commit, as GitHub's "Merge pull request" button would.
"""

from __future__ import annotations

import logging
import os
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from smartmon.github import GitHubClient
from smartmon.github import git as gitops
from smartmon.monitor import HealOutcome, Monitor, MonitorConfig, Observer, Watch, WorkspaceClone
from smartmon.report import FINAL_REPORT, HTML_REPORT, REPORT_PREFIX, strip_controls

log = logging.getLogger(__name__)

SCENARIO = "multi"
REVIEWER = ("Demo Reviewer", "reviewer@example.com")


@dataclass
class Reviewer:
    """Merges smartmon's open pull requests into the default branch with a merge commit."""

    client: GitHubClient
    token: str
    clone: WorkspaceClone
    merged: list[tuple[str, str]] = field(default_factory=list)  # (pull request URL, merge sha)
    say: Callable[[str], None] = log.info

    def __call__(self, watch: Watch, outcome: HealOutcome) -> None:
        if outcome.delivery != "pull-request":
            return
        base = watch.branch
        for pull in self.client.list_pulls(base=base):
            head = str(pull.get("head", {}).get("ref", ""))
            if not head.startswith(gitops.FIX_BRANCH_PREFIX):
                continue
            repo = self.clone.prepare(base)
            tip = gitops.head_sha(repo)
            gitops.fetch(repo, "origin", head, token=self.token)
            number = pull.get("number")
            _git(
                repo,
                "merge",
                "--no-ff",
                "--quiet",
                "-m",
                f"Merge pull request #{number} from {head}",
                "FETCH_HEAD",
            )
            pushed = gitops.push_with_lease(repo, "origin", base, tip, token=self.token)
            if not pushed.ok:
                self.say(f"reviewer: merging #{number} failed: {pushed.message}")
                continue
            url = str(pull.get("html_url", f"#{number}"))
            self.merged.append((url, pushed.sha))
            self.say(f"reviewer: merged pull request #{number} into {base} ({pushed.sha[:12]})")


def _git(repo: Path, *args: str) -> None:
    name, email = REVIEWER
    identity = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    identity.update(
        {
            "GIT_AUTHOR_NAME": name,
            "GIT_AUTHOR_EMAIL": email,
            "GIT_COMMITTER_NAME": name,
            "GIT_COMMITTER_EMAIL": email,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_TERMINAL_PROMPT": "0",
        }
    )
    subprocess.run(
        ["git", "-c", "core.hooksPath=/dev/null", "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        env=identity,
        check=True,
        capture_output=True,
        timeout=60,
    )


def demo_config(reports: Path, interval: float) -> MonitorConfig:
    return MonitorConfig(
        interval=interval,
        max_retries=5,
        consecutive_passes=3,
        mode="auto",
        reports_dir=reports,
        retry_backoff=1.0,
        can_push_workflows=True,  # the demo's token is a PAT with the workflow scope
        token_starts_runs=True,
        verify_timeout=90.0,
        max_iterations=300,  # a safety net; the demo needs about 20
    )


def run_monitor(
    api_url: str,
    repo: str,
    token: str,
    config: MonitorConfig,
    observer: Observer,
    install: Callable[[Monitor], Any],
) -> tuple[Monitor, Reviewer]:
    """Run the monitor with the reviewer attached; `install` wires signal handling."""
    client = GitHubClient(token, repo=repo, api_url=api_url)
    reviewer = Reviewer(client, token, WorkspaceClone(client, token=token))
    reviewer.say = observer.event
    monitor = Monitor(client, config, token=token, observer=observer, on_healed=reviewer)
    try:
        with install(monitor):
            monitor.run()
    finally:
        reviewer.clone.close()
    return monitor, reviewer


def story(
    monitor: Monitor,
    reviewer: Reviewer,
    log_file: Path,
    out: TextIO,
    *,
    people: Sequence[str] = (),
) -> None:
    """What failed, what was fixed, which run proved it, where people look, the reports."""
    report = monitor.final_report or {}
    w = out.write
    w(f"\nsmartmon demo: {monitor.client.repo}\n")
    w("\nWhat failed\n")
    seen: set[tuple[str, str]] = set()
    for issue in report.get("issues", []):
        key = (issue["type"], issue["job"])
        if key in seen:
            continue
        seen.add(key)
        text = strip_controls(str(issue["text"]))[:110]
        w(f"  - run {issue['run_id']}, job {issue['job']}: {issue['type']}: {text}\n")
    w("\nWhat smartmon did\n")
    for _watch, outcome in monitor.outcomes:
        applied = [fix for fix, ok in outcome.fixes if ok]
        if outcome.delivery in ("commit", "pull-request"):
            where = outcome.pull_request_url or (outcome.commit_sha or "")[:12]
            w(f"  - run {outcome.run_id}: {len(applied)} fix(es) delivered as {outcome.delivery}")
            w(f" {where}\n")
            for fix in applied:
                w(f"      * {strip_controls(fix.description)}\n")
            for url, sha in reviewer.merged:
                if url == outcome.pull_request_url:
                    w(f"  - the reviewer merged {url} ({sha[:12]})\n")
        elif outcome.delivery == "rerun":
            w(f"  - run {outcome.run_id}: transient failure, re-ran the failed jobs ")
            w(f"(attempt {outcome.rerun_attempt})\n")
        else:
            why = outcome.skipped or "nothing safe to change"
            w(f"  - run {outcome.run_id}: not healed ({strip_controls(why)})\n")
    w("\nWhich run proved it\n")
    proofs = [
        item
        for item in report.get("fixes", []) + report.get("reruns", [])
        if item.get("verified_by_run")
    ]
    for item in proofs:
        what = item.get("description") or f"re-run ({item.get('reason')})"
        w(f"  - run {item['verified_by_run']} passed: {strip_controls(str(what))}\n")
    if not proofs:
        w("  - no passing run yet\n")
    for state in report.get("workflows", []):
        w(
            f"  - {state['name']} on {state['branch']}: run {state['run_id']} "
            f"attempt {state['run_attempt']} {state['conclusion']}, "
            f"{state['consecutive_passes']} passing checks in a row\n"
        )
    w("".join(f"{line}\n" for line in people))
    reports = monitor.config.reports_dir
    count = len(list(reports.glob(f"{REPORT_PREFIX}*.json")))
    w("\nReports\n")
    w(f"  - {reports / FINAL_REPORT} (success rate {report.get('success_rate')})\n")
    w(f"  - {reports / HTML_REPORT}\n")
    w(f"  - {count} iteration reports in {reports}/\n")
    w(f"  - log: {log_file}\n")
    w(f"\n{report.get('stop_reason', '')} (exit {monitor.exit_code})\n")
