"""`smartmon monitor --repo OWNER/NAME`: watch a repository's workflows and heal failures until green.

With `--org ORG`, every active repository of the organisation in one process (`OrgMonitor`).

Environment fallbacks: GITHUB_TOKEN, GITHUB_REPOSITORY (or GITHUB_REPOSITORY_OWNER and
GITHUB_REPOSITORY_NAME), GITHUB_API_URL, CHECK_INTERVAL, MAX_RETRIES, LOG_LEVEL (the log file's
level). Exit codes: 0 all workflows passing, 1 failures remain, 2 usage error, 128+N on signal N.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import FrameType
from typing import Any

from smartmon.errors import InputError
from smartmon.github import GitHubClient
from smartmon.monitor import (
    DEFAULT_LOG_FILE,
    MODES,
    LiveView,
    Monitor,
    MonitorConfig,
    Observer,
    OrgMonitor,
    PlainView,
    ScanFilter,
    WorkspaceClone,
    close_log_file,
    list_repositories,
    open_log_file,
    parse_names,
)

log = logging.getLogger(__name__)

NO_TARGET = (
    "no repository to watch: pass --repo OWNER/NAME and --token (or set GITHUB_REPOSITORY and "
    "GITHUB_TOKEN); to see the monitor heal a broken repository offline, run `smartmon demo`"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repo", metavar="OWNER/NAME", help="repository (GITHUB_REPOSITORY)")
    parser.add_argument(
        "--org",
        metavar="ORG",
        help="watch every active repository of this organisation instead (one rate budget; "
        "reports under DIR/OWNER/NAME/ and one final report in DIR)",
    )
    parser.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="REPOS",
        help="with --org: skip these repositories (name, ORG/name or pattern, comma-separated)",
    )
    parser.add_argument("--topic", metavar="T", help="with --org: only repositories with topic T")
    parser.add_argument("--token", help="API token (GITHUB_TOKEN); a PAT's pushes start new runs")
    parser.add_argument("--api-url", metavar="URL", help="REST API base (GITHUB_API_URL)")
    parser.add_argument(
        "--interval", type=float, help="seconds between checks (CHECK_INTERVAL; default 60)"
    )
    parser.add_argument(
        "--max-retries", type=int, help="heal attempts per failing workflow (MAX_RETRIES; 5)"
    )
    parser.add_argument(
        "--consecutive-passes",
        type=int,
        default=3,
        help="stop when every workflow passed this many checks in a row (default 3)",
    )
    parser.add_argument("--mode", choices=MODES, default="auto", help="how fixes are delivered")
    parser.add_argument("--once", action="store_true", help="one check (and heal), then exit")
    parser.add_argument("--max-iterations", type=int, metavar="N", help="stop after N checks")
    parser.add_argument(
        "--all-branches", action="store_true", help="watch every branch, not only the default"
    )
    parser.add_argument("--webhook", metavar="URL", help="POST a summary here when done")
    parser.add_argument("--reports", type=Path, default=Path("reports"), metavar="DIR")
    parser.add_argument("--log-file", type=Path, default=DEFAULT_LOG_FILE, metavar="PATH")
    parser.add_argument(
        "--can-push-workflows",
        action="store_true",
        help="the token may edit .github/workflows (PAT `workflow` scope); else such fixes "
        "are delivered as a patch",
    )
    parser.add_argument(
        "--track-issues",
        action="store_true",
        help="close a workflow's ci-failure tracking issue once it passes again (issues: write)",
    )
    parser.add_argument(
        "--workspace",
        type=Path,
        metavar="DIR",
        help="keep the repository clone here (default: a temporary folder)",
    )


def _number(value: Any, env: Mapping[str, str], name: str, default: float) -> float:
    if value is not None:
        return float(value)
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        raise InputError(f"{name}={raw!r}: not a number; unset it or pass a number") from None


def resolve_repo(given: str | None, env: Mapping[str, str]) -> str | None:
    """--repo, else GITHUB_REPOSITORY, else GITHUB_REPOSITORY_OWNER + GITHUB_REPOSITORY_NAME."""
    if given:
        return given
    if env.get("GITHUB_REPOSITORY"):
        return env["GITHUB_REPOSITORY"]
    owner, name = env.get("GITHUB_REPOSITORY_OWNER"), env.get("GITHUB_REPOSITORY_NAME")
    return f"{owner}/{name}" if owner and name else None


def config_from_args(args: argparse.Namespace, env: Mapping[str, str]) -> MonitorConfig:
    max_iterations = 1 if args.once else args.max_iterations
    return MonitorConfig(
        interval=_number(args.interval, env, "CHECK_INTERVAL", 60.0),
        max_retries=int(_number(args.max_retries, env, "MAX_RETRIES", 5)),
        consecutive_passes=args.consecutive_passes,
        mode=args.mode,
        max_iterations=max_iterations,
        all_branches=args.all_branches,
        webhook=args.webhook,
        reports_dir=args.reports,
        can_push_workflows=True if args.can_push_workflows else None,
        # GITHUB_TOKEN's pushes start no runs (autofix.md §2.3); other tokens' do.
        token_starts_runs=not (args.token is None and env.get("GITHUB_ACTIONS") == "true"),
        track_issues=bool(getattr(args, "track_issues", False)),
    )


@contextlib.contextmanager
def stop_on_signals(monitor: Monitor) -> Iterator[None]:
    """SIGINT and SIGTERM ask the monitor to stop; the previous handlers come back afterwards."""

    def on_signal(signum: int, frame: FrameType | None) -> None:
        monitor.request_stop(signum)

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _file_level(env: Mapping[str, str]) -> int:
    level = logging.getLevelName(env.get("LOG_LEVEL", "INFO").upper())
    return level if isinstance(level, int) else logging.INFO


def run(args: argparse.Namespace) -> int:
    env = os.environ
    if args.org:
        return run_org(args, env)
    repo = resolve_repo(args.repo, env)
    token = args.token or env.get("GITHUB_TOKEN") or None
    if not repo or not token:
        raise InputError(NO_TARGET)
    config = config_from_args(args, env)
    client = GitHubClient(token, repo=repo, api_url=args.api_url)
    client.repo  # noqa: B018 - validates OWNER/NAME before anything starts
    handler = open_log_file(args.log_file, secrets=[token], level=_file_level(env))
    try:
        live = sys.stdout.isatty()
        with contextlib.ExitStack() as stack:
            observer: Observer
            if live:
                observer = stack.enter_context(LiveView(repo, needed=config.consecutive_passes))
            else:
                observer = PlainView(sys.stdout)
            monitor = Monitor(
                client,
                config,
                token=token,
                observer=observer,
                workspace=WorkspaceClone(client, token=token, root=args.workspace),
            )
            stack.enter_context(stop_on_signals(monitor))
            return monitor.run()
    finally:
        close_log_file(handler)


def run_org(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    """`monitor --org ORG`: every active repository of the organisation, one rate budget."""
    token = args.token or env.get("GITHUB_TOKEN") or None
    if not token:
        raise InputError(f"--org {args.org}: pass --token (or set GITHUB_TOKEN)")
    if args.repo:
        raise InputError("--repo and --org: choose one")
    config = config_from_args(args, env)
    client = GitHubClient(token, api_url=args.api_url)
    wanted = ScanFilter(exclude=parse_names(args.exclude), topic=args.topic)
    installation = token.startswith("ghs_")
    listing = list_repositories(client, args.org, installation=installation)
    repos = [
        r
        for r in listing
        if not (r.get("archived") or r.get("disabled") or r.get("fork")) and wanted.wants_repo(r)
    ]
    if not repos:
        raise InputError(f"--org {args.org}: no active repository to watch")
    # Each repository keeps its own ETags; an organisation needs a few per repository.
    client.http.reserve_etags(16 * len(repos))
    handler = open_log_file(args.log_file, secrets=[token], level=_file_level(env))
    try:
        monitor = OrgMonitor(
            client,
            args.org,
            repos,
            config,
            token=token,
            observer=PlainView(sys.stdout),
            workspace_root=args.workspace,
        )

        def on_signal(signum: int, frame: FrameType | None) -> None:
            monitor.request_stop(signum)

        previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            return monitor.run()
        finally:
            for signum, handler_before in previous.items():
                signal.signal(signum, handler_before)
    finally:
        close_log_file(handler)
