"""`smartmon demo`: start the offline sandbox with a repository whose CI fails five ways, run the
monitor until every workflow passed 3 checks in a row, print the story, stop the sandbox."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from pathlib import Path
from types import FrameType

import requests

from smartmon.cli.demo_people import render as render_people
from smartmon.cli.demo_people import tell_people
from smartmon.cli.demo_story import SCENARIO, Reviewer, demo_config, run_monitor, story
from smartmon.cli.monitor import stop_on_signals
from smartmon.errors import InputError
from smartmon.github import GitHubError
from smartmon.github import git as gitops
from smartmon.monitor import (
    DEFAULT_LOG_FILE,
    LiveView,
    Monitor,
    PlainView,
    close_log_file,
    open_log_file,
)
from smartmon.report import strip_controls
from smartmon.sandbox import SandboxProcess, SandboxStartError

log = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--reports", type=Path, default=Path("reports"), metavar="DIR")
    parser.add_argument("--log-file", type=Path, default=DEFAULT_LOG_FILE, metavar="PATH")
    parser.add_argument(
        "--interval", type=float, default=2.0, help="seconds between checks (default 2)"
    )


def _terminate(signum: int, frame: FrameType | None) -> None:
    # Before the monitor runs, SIGTERM unwinds like Ctrl-C so the sandbox is stopped.
    raise SystemExit(128 + signum)


def run(args: argparse.Namespace) -> int:
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        sys.stdout.write(f"smartmon demo: starting the offline sandbox (scenario {SCENARIO})\n")
        sys.stdout.flush()
        try:
            sandbox = SandboxProcess(scenarios=[SCENARIO], extra_args=["--workers", "2"])
            sandbox.__enter__()
        except SandboxStartError as exc:
            raise InputError(f"sandbox: {exc}") from None
        try:
            monitor, reviewer = _watch(args, sandbox)
            people = [] if monitor.stopping else _last_act(sandbox)  # Ctrl-C: stop now
        finally:
            sandbox.__exit__(None, None, None)
        story(monitor, reviewer, args.log_file, sys.stdout, people=people)
        sys.stdout.write("the sandbox is stopped\n")
        return monitor.exit_code if monitor.exit_code is not None else 1
    finally:
        signal.signal(signal.SIGTERM, previous)


def _last_act(sandbox: SandboxProcess) -> list[str]:
    """A pull request and the default branch going red where no rule helps: comment and issue."""
    sys.stdout.write("smartmon demo: last act, where people look (a pull request, a red main)\n")
    sys.stdout.flush()
    try:
        told = tell_people(sandbox.api_url, sandbox.token, sandbox.admin_token, sandbox.api_url)
    except (GitHubError, gitops.GitError, requests.RequestException) as exc:
        return ["", "Where people look", f"  ! the last act failed: {strip_controls(str(exc))}"]
    return render_people(told)


def _watch(args: argparse.Namespace, sandbox: SandboxProcess) -> tuple[Monitor, Reviewer]:
    secrets = [sandbox.token, sandbox.admin_token]
    handler = open_log_file(args.log_file, secrets=secrets, level=logging.INFO)
    config = demo_config(args.reports, args.interval)
    start = (sandbox.api_url, sandbox.repo, sandbox.token, config)
    try:
        if sys.stdout.isatty():
            with LiveView(sandbox.repo, needed=config.consecutive_passes) as view:
                return run_monitor(*start, view, stop_on_signals)
        return run_monitor(*start, PlainView(sys.stdout), stop_on_signals)
    finally:
        close_log_file(handler)
