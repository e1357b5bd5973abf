"""`monitor --org`: the monitor's loop over every repository of an organisation in one process.

One `Monitor` per active repository, all sharing one transport (so one ETag cache and one rate
budget) and each writing its reports under `reports/<owner>/<name>/`. A round checks every
repository once, the failing ones first; a quiet repository's poll is answered with 304s and
costs nothing. The checks of a round are spread over `interval`, and each waits for the reset
when the budget runs low, so it never runs dry. The session ends when every repository has passed
`consecutive_passes` checks in a row (exit 0), after `max_iterations` rounds (exit 1 if one still
fails), or on a signal; then each repository's final report is written, and one for the
organisation with their totals summed (`report.org_final_report`).
"""

from __future__ import annotations

import logging
import signal
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from smartmon.errors import SmartmonError
from smartmon.github import AuthenticationFailed, GitHubClient, NotFound, PermissionDenied
from smartmon.monitor.config import MonitorConfig, Observer, Quiet, StopRequested
from smartmon.monitor.heal import HealCall, HealOutcome, WorkspaceClone
from smartmon.monitor.loop import Monitor
from smartmon.monitor.stop_rules import EXIT_ERROR, EXIT_FAILURES, EXIT_PASSING, by_signal
from smartmon.monitor.watch import Watch
from smartmon.report import WorkflowState, org_final_report, webhook, write_org_final

log = logging.getLogger(__name__)


class _Tagged:
    """Passes a repository's events on with its name in front."""

    def __init__(self, inner: Observer, repository: str) -> None:
        self.inner, self.repository = inner, repository

    def iteration(self, number: int, workflows: Sequence[WorkflowState]) -> None:
        states = ", ".join(f"{w.name}: {w.conclusion or 'running'}" for w in workflows)
        self.inner.event(f"{self.repository}: {states or 'no runs yet'}")

    def event(self, message: str) -> None:
        self.inner.event(f"{self.repository}: {message}")

    def waiting(self, seconds: float, reason: str) -> None:
        self.inner.waiting(seconds, reason)


class OrgMonitor:
    """Runs the loop over many repositories; `request_stop()` is safe in a signal handler."""

    def __init__(
        self,
        client: GitHubClient,
        organisation: str,
        repositories: Sequence[dict[str, Any]],
        config: MonitorConfig,
        *,
        token: str | None = None,
        observer: Observer | None = None,
        workspace_root: Path | None = None,
        heal: HealCall | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] | None = None,
        notes: Sequence[str] = (),
        on_healed: Callable[[Monitor], Callable[[Watch, HealOutcome], None]] | None = None,
    ) -> None:
        self.client = client
        self.organisation = organisation
        self.config = config
        self.token = token
        self.clock = clock
        self._sleep_impl = sleep
        self.observer: Observer = observer or Quiet()
        self.notes = list(notes)
        self.stop_signal: int | None = None
        self.rounds = 0
        self.started = self._now()
        self.final_report: dict[str, Any] | None = None
        self.monitors: dict[str, Monitor] = {}
        self._finished: list[tuple[str, Monitor]] = []  # repositories no longer in the loop
        for repo in repositories:
            full = str(repo["full_name"])
            owner, name = full.split("/", 1)
            one = client.for_repo(full)
            # Each repository's own session: its reports in its folder, no webhook of its own,
            # and no iteration limit (the organisation's rounds count instead).
            own = replace(
                config,
                reports_dir=config.reports_dir / owner / name,
                webhook=None,
                max_iterations=None,
            )
            root = workspace_root / owner / name if workspace_root is not None else None
            self.monitors[full] = Monitor(
                one,
                own,
                token=token,
                heal=heal,
                clock=clock,
                sleep=self._sleep,
                observer=_Tagged(self.observer, full),
                workspace=WorkspaceClone(one, token=token, root=root),
            )
            if on_healed is not None:  # e.g. the demo's reviewer, merging pull requests
                self.monitors[full].on_healed = on_healed(self.monitors[full])
        client.http.sleep = self._sleep  # the transport's retries end on a stop request too

    def _now(self) -> str:
        return datetime.fromtimestamp(self.clock(), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    # -- stopping and sleeping ----------------------------------------------------------------

    def request_stop(self, signum: int = signal.SIGINT) -> None:
        if self.stop_signal is None:
            self.stop_signal = signum
        for monitor in self.monitors.values():
            monitor.request_stop(signum)

    def _sleep(self, seconds: float) -> None:
        if self.stop_signal is not None:
            raise StopRequested
        if self._sleep_impl is not None:
            self._sleep_impl(max(0.0, seconds))
        else:
            end = time.monotonic() + max(0.0, seconds)
            while self.stop_signal is None and (left := end - time.monotonic()) > 0:
                time.sleep(min(0.2, left))
        if self.stop_signal is not None:
            raise StopRequested

    # -- the loop -------------------------------------------------------------------------------

    def run(self) -> int:
        """Round after round until a stop rule fires; write every final report; exit code."""
        names = ", ".join(sorted(self.monitors)) or "none"
        self.observer.event(
            f"monitoring {len(self.monitors)} repositories of {self.organisation}: {names}"
        )
        try:
            code, reason = self._loop()
        except StopRequested:
            stop = by_signal(self.stop_signal or signal.SIGINT)
            code, reason = stop.code, stop.reason
        except KeyboardInterrupt:
            self.request_stop(signal.SIGINT)
            stop = by_signal(signal.SIGINT)
            code, reason = stop.code, stop.reason
        except AuthenticationFailed as exc:
            self._finish(EXIT_ERROR, f"error: {exc}")
            raise SmartmonError(f"{self.organisation}: {exc}; check --token") from None
        except BaseException as exc:
            self._finish(EXIT_ERROR, f"error: {type(exc).__name__}: {exc}")
            raise
        self._finish(code, reason)
        return code

    def _order(self) -> list[Monitor]:
        """Failing repositories first, then the others by name."""

        def key(item: tuple[str, Monitor]) -> tuple[bool, str]:
            return (not _failing(item[1]), item[0])

        return [m for _, m in sorted(self.monitors.items(), key=key)]

    def _loop(self) -> tuple[int, str]:
        need = self.config.consecutive_passes
        while True:
            if self.stop_signal is not None:
                raise StopRequested
            self.rounds += 1
            order = self._order()
            pause = self.config.interval / max(1, len(order))
            for index, monitor in enumerate(order):
                self._check(monitor)
                if index + 1 < len(order) and pause > 0:
                    self._sleep(pause)
            verdicts = {name: m.verdict() for name, m in self.monitors.items()}
            green = [n for n, v in verdicts.items() if v is not None and v.code == EXIT_PASSING]
            failing = [n for n, m in self.monitors.items() if _failing(m)]
            self.observer.event(
                f"round {self.rounds}: {len(green)} of {len(self.monitors)} repositories green"
                + (f"; failing: {', '.join(sorted(failing))}" if failing else "")
            )
            if len(green) == len(self.monitors):
                return EXIT_PASSING, f"all repositories passed {need} checks in a row"
            limit = self.config.max_iterations
            if limit is not None and self.rounds >= limit:
                code = EXIT_FAILURES if failing else EXIT_PASSING
                return code, (
                    f"stopped after {self.rounds} round(s) with {len(failing)} repositories failing"
                )
            self.observer.waiting(pause, "next round")
            self._sleep(pause)

    def _check(self, monitor: Monitor) -> None:
        monitor.iteration += 1
        try:
            monitor.check_once(heal=True)
        except (PermissionDenied, NotFound) as exc:
            # Access lost mid-session (or never granted for actions): note it, stop watching.
            name = monitor.client.repo
            self.notes.append(f"{name}: no longer watched: {exc}")
            self.observer.event(f"{name}: no longer watched: {exc}")
            monitor.finish(EXIT_ERROR, f"error: {exc}")
            self._finished.append((name, monitor))
            del self.monitors[name]

    # -- the end ----------------------------------------------------------------------------------

    def _finish(self, code: int, reason: str) -> None:
        for name, monitor in self.monitors.items():
            verdict = monitor.verdict()
            if verdict is not None and verdict.code == EXIT_PASSING:
                own = (EXIT_PASSING, verdict.reason)
            elif code >= 128:
                own = (code, reason)
            else:
                own = (EXIT_FAILURES if _failing(monitor) else EXIT_PASSING, reason)
            if not monitor.report.finalized:
                monitor.finish(*own)
            self._finished.append((name, monitor))
        finals = [
            (name, str(m.config.reports_dir), m.final_report or {}) for name, m in self._finished
        ]
        finals.sort(key=lambda item: item[0])
        rate = self.client.rate
        self.final_report = org_final_report(
            organisation=self.organisation,
            started=self.started,
            ended=self._now(),
            total_iterations=self.rounds,
            finals=finals,
            notes=self.notes,
            stop_reason=reason,
            exit_code=code,
            rate_limit_remaining=rate.remaining if rate is not None else None,
        )
        path = write_org_final(self.config.reports_dir, self.final_report)
        self.observer.event(f"done: {reason}; organisation report {path} (exit {code})")
        if self.config.webhook:
            webhook.post_webhook(
                self.config.webhook,
                webhook.completion_payload(self.final_report),
                sleep=self._sleep_impl or time.sleep,
                secrets=[self.token],
            )


def _failing(monitor: Monitor) -> bool:
    return any(w.failing for w in monitor.watches.values())
