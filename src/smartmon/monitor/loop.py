"""The continuous loop: poll every active workflow's latest run, heal failures, repeat until green.

One iteration: wait for rate budget if it runs low → read the latest run of each active workflow
(`poll.py`; conditional GETs, so an idle repository costs no rate limit) → heal each failed run
through `heal.py`, at most `max_retries` times per failing workflow, with exponential backoff
between attempts → write the iteration report, with the fixes later runs proved (`proofs.py`) →
wait `interval`. The loop stops when every workflow has passed `consecutive_passes` checks in a
row, after `max_iterations`, or when asked to stop (a signal); `stop_rules.py` says which exit
code each gets. A stop request abandons a heal that is waiting (for a run to finish) at its next
sleep, and the final report is written either way.
"""

from __future__ import annotations

import logging
import signal
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from smartmon.errors import SmartmonError
from smartmon.github import (
    AuthenticationFailed,
    GitHubClient,
    GitHubError,
    NotFound,
    PermissionDenied,
)
from smartmon.monitor.config import MonitorConfig, Observer, Quiet, StopRequested
from smartmon.monitor.heal import HealCall, HealOutcome, WorkspaceClone, default_heal, records
from smartmon.monitor.poll import poll_runs
from smartmon.monitor.proofs import UnprovenFixes
from smartmon.monitor.stop_rules import EXIT_ERROR, Stop, after_check, by_signal, describe_rules
from smartmon.monitor.tracking import close_passing
from smartmon.monitor.watch import HEALABLE, Watch, describe, run_key
from smartmon.report import MonitorLog, WorkflowState, webhook

log = logging.getLogger(__name__)

MAX_BACKOFF = 3600.0

__all__ = ["Monitor", "MonitorConfig", "Observer", "StopRequested", "Watch"]


@dataclass(kw_only=True)
class _Iteration:
    issues: list[Any] = field(default_factory=list)
    fixes: list[Any] = field(default_factory=list)
    reruns: list[Any] = field(default_factory=list)
    errors: list[str | BaseException] = field(default_factory=list)


class Monitor:
    """Runs the loop for one repository; `request_stop()` is safe to call from a signal handler."""

    def __init__(
        self,
        client: GitHubClient,
        config: MonitorConfig,
        *,
        token: str | None = None,
        heal: HealCall | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] | None = None,
        observer: Observer | None = None,
        workspace: WorkspaceClone | None = None,
        report_log: MonitorLog | None = None,
        secrets: Sequence[str] = (),
        on_healed: Callable[[Watch, HealOutcome], None] | None = None,
    ) -> None:
        self.client = client
        self.config = config
        self.token = token
        self.clock = clock
        self._sleep_impl = sleep
        self._heal = heal or default_heal
        self.observer: Observer = observer or Quiet()
        self.on_healed = on_healed
        self.workspace = workspace or WorkspaceClone(client, token=token)
        self.report = report_log or MonitorLog(
            config.reports_dir,
            clock=lambda: datetime.fromtimestamp(self.clock(), UTC),
            secrets=[token, *secrets],
            repository=client.repo,
        )
        self.watches: dict[tuple[int, str], Watch] = {}
        self.outcomes: list[tuple[Watch, HealOutcome]] = []
        self.iteration = 0
        self.stop_signal: int | None = None
        self.stop_reason = ""
        self.exit_code: int | None = None
        self.final_report: dict[str, Any] | None = None
        self.webhook_delivered: bool | None = None
        self._default_branch: str | None = None
        self._streak = 0
        self._tracked: set[tuple[int, int]] = set()  # passing runs checked for a tracking issue
        self._unproven = UnprovenFixes()
        # The transport's retries sleep through us too, so a stop request cuts them short.
        client.http.sleep = self.sleep

    def _say(self, message: str, level: int = logging.INFO) -> None:
        """Tell the person watching, and the log file."""
        log.log(level, "%s", message)
        self.observer.event(message)

    # -- stopping and sleeping ----------------------------------------------------------------

    def request_stop(self, signum: int = signal.SIGINT) -> None:
        """Stop at the next safe point: only sets a flag (async-signal safe)."""
        if self.stop_signal is None:
            self.stop_signal = signum

    @property
    def stopping(self) -> bool:
        return self.stop_signal is not None

    def sleep(self, seconds: float) -> None:
        """Wait, or raise StopRequested as soon as a stop is requested."""
        if self.stopping:
            raise StopRequested
        if self._sleep_impl is not None:
            self._sleep_impl(max(0.0, seconds))
        else:
            # Short slices: a signal handler only sets a flag, so the wait notices within 0.2 s.
            end = time.monotonic() + max(0.0, seconds)
            while not self.stopping and (left := end - time.monotonic()) > 0:
                time.sleep(min(0.2, left))
        if self.stopping:
            raise StopRequested

    # -- the loop -------------------------------------------------------------------------------

    def run(self) -> int:
        """Loop until a stop rule fires; write the final report and call the webhook; exit code."""
        self._say(f"monitoring {self.client.repo} ({describe_rules(self.config)})")
        try:
            code = self._loop()
        except StopRequested:
            code = self._signal_exit()
        except KeyboardInterrupt:  # no handler installed (the Python API): Ctrl-C is SIGINT
            self.request_stop(signal.SIGINT)
            code = self._signal_exit()
        except (AuthenticationFailed, PermissionDenied, NotFound) as exc:
            self.stop_reason = f"error: {exc}"
            self._finish(EXIT_ERROR)
            raise SmartmonError(
                f"{self.client.repo}: {exc}; check --repo, --token and --api-url"
            ) from None
        except BaseException as exc:
            # Whatever goes wrong, the session's reports end consistently.
            self.stop_reason = f"error: {type(exc).__name__}: {exc}"
            self._finish(EXIT_ERROR)
            raise
        self._finish(code)
        return code

    def _loop(self) -> int:
        while True:
            if self.stopping:
                return self._signal_exit()
            self.iteration += 1
            self.check_once(heal=True)
            watches = list(self.watches.values())
            stop = after_check(self.config, watches, iteration=self.iteration, streak=self._streak)
            if stop is not None:
                self.stop_reason = stop.reason
                return stop.code
            self.observer.waiting(self.config.interval, "next check")
            self.sleep(self.config.interval)

    def verdict(self) -> Stop | None:
        """The stop rules applied to what the checks so far saw (None: go on)."""
        watches = list(self.watches.values())
        return after_check(self.config, watches, iteration=self.iteration, streak=self._streak)

    def finish(self, code: int, reason: str) -> None:
        """End a session that someone else looped over (`monitor --org`): final report, webhook."""
        self.stop_reason = reason
        self._finish(code)

    def _signal_exit(self) -> int:
        stop = by_signal(self.stop_signal or signal.SIGINT)
        self.stop_reason = stop.reason
        return stop.code

    def poll(self) -> list[WorkflowState]:
        """Read the latest runs (waiting for rate budget first); records and heals nothing."""
        self._wait_for_budget()
        self._poll()
        return [w.state() for w in self.watches.values()]

    def check_once(self, *, heal: bool) -> list[WorkflowState]:
        """One iteration: poll, heal failures (when `heal`), write the iteration report."""
        work = _Iteration()
        self._streak += 1  # checks in a row that saw every workflow passing
        try:
            self._wait_for_budget()
            self._poll()
        except StopRequested:
            self._record(work)
            raise
        except (AuthenticationFailed, PermissionDenied, NotFound):
            raise
        except (GitHubError, SmartmonError) as exc:
            self._say(f"polling failed: {exc}", logging.WARNING)
            work.errors.append(exc)
            self._streak = 0
        if any(w.passes == 0 for w in self.watches.values()):
            self._streak = 0
        if self.config.track_issues and not work.errors:
            close_passing(
                self.client,
                self.watches.values(),
                default_branch=self.default_branch(),
                seen=self._tracked,
                say=self._say,
            )
        states = [w.state() for w in self.watches.values()]
        self.observer.iteration(self.iteration, states)
        if heal:
            try:
                for watch in list(self.watches.values()):
                    if watch.failing:
                        self._maybe_heal(watch, work)
            except StopRequested:
                self._record(work)
                raise
        self._record(work)
        return [w.state() for w in self.watches.values()]

    def _record(self, work: _Iteration) -> None:
        rate = self.client.rate
        report = self.report.record_iteration(
            workflows=[w.state() for w in self.watches.values()],
            issues=work.issues,
            fixes=work.fixes,
            reruns=work.reruns,
            errors=work.errors,
            verified=self._unproven.proofs(self.client, self.watches.values()),
            rate_limit_remaining=rate.remaining if rate is not None else None,
        )
        work.issues, work.fixes, work.reruns, work.errors = [], [], [], []
        self._unproven.update(report)

    # -- polling ----------------------------------------------------------------------------------

    def _wait_for_budget(self) -> None:
        rate = self.client.rate
        if rate is None or rate.remaining >= self.config.min_rate_remaining:
            return
        wait = max(0.0, rate.reset - self.clock()) + 1.0
        when = datetime.fromtimestamp(rate.reset, UTC).strftime("%H:%M:%SZ")
        message = (
            f"rate limit low: {rate.remaining} of {rate.limit} calls left; "
            f"waiting {wait:.0f}s for the reset at {when}"
        )
        self._say(message, logging.WARNING)
        self.observer.waiting(wait, "rate-limit reset")
        self.sleep(wait)

    def default_branch(self) -> str:
        if self._default_branch is None:
            self._default_branch = str(self.client.get_repo().get("default_branch") or "main")
        return self._default_branch

    def _poll(self) -> None:
        poll_runs(
            self.client,
            self.watches,
            branch=self.default_branch(),
            all_branches=self.config.all_branches,
            say=self._say,
        )

    # -- healing ----------------------------------------------------------------------------------

    def _maybe_heal(self, watch: Watch, work: _Iteration) -> None:
        run = watch.run
        if run is None or run.get("conclusion") not in HEALABLE or watch.given_up:
            return
        if watch.healed == run_key(run):
            return  # healed already; a new run (or attempt) will show whether it worked
        if watch.attempts >= self.config.max_retries:
            watch.given_up = True
            message = (
                f"{watch.name}: giving up after {watch.attempts} heal attempt(s); "
                "the failure needs a person"
            )
            self._say(message, logging.WARNING)
            work.errors.append(message)
            return
        now = self.clock()
        if now < watch.next_try:
            self._say(
                f"{watch.name}: next heal attempt in {watch.next_try - now:.0f}s "
                f"(attempt {watch.attempts + 1} of {self.config.max_retries})"
            )
            return
        self._wait_for_budget()
        watch.attempts += 1
        watch.next_try = now + min(
            MAX_BACKOFF, self.config.first_backoff * 2 ** (watch.attempts - 1)
        )
        run_id = int(run["id"])
        self._say(
            f"{watch.name}: healing run {run_id} "
            f"(attempt {watch.attempts} of {self.config.max_retries})"
        )
        try:
            outcome = self._heal(
                self.client,
                run,
                workspace=self.workspace.prepare(str(run.get("head_branch") or watch.branch)),
                config=self.config,
                token=self.token,
                clock=self.clock,
                sleep=self.sleep,
            )
        except StopRequested:
            work.errors.append(f"{watch.name}: healing run {run_id} abandoned: stop requested")
            raise
        except (AuthenticationFailed, PermissionDenied) as exc:
            work.errors.append(exc)
            raise
        except (GitHubError, SmartmonError, OSError) as exc:
            self._say(
                f"{watch.name}: healing run {run_id} failed: {exc}; will retry", logging.WARNING
            )
            work.errors.append(exc)
            return
        except Exception as exc:
            # A bug while healing one run must not end the watch over all the others; the
            # attempt counts, so a run that always trips it is given up after max_retries.
            log.exception("%s: healing run %s crashed", watch.name, run_id)
            self._say(f"{watch.name}: healing run {run_id} crashed: {exc!r}", logging.ERROR)
            work.errors.append(exc)
            return
        watch.healed = run_key(run)
        self.outcomes.append((watch, outcome))
        issues, fixes, reruns = records(watch.name, run, outcome)
        work.issues += issues
        work.fixes += fixes
        work.reruns += reruns
        self._say(f"{watch.name}: {describe(outcome)}")
        if self.on_healed is not None:
            self.on_healed(watch, outcome)

    # -- the end ----------------------------------------------------------------------------------

    def _finish(self, code: int) -> None:
        self.exit_code = code
        if not self.report.finalized:
            self.final_report = self.report.finalize(self.stop_reason, code)
        self._say(f"done: {self.stop_reason}; reports in {self.config.reports_dir} (exit {code})")
        if self.config.webhook and self.final_report is not None:
            raw_sleep = self._sleep_impl or time.sleep
            self.webhook_delivered = webhook.post_webhook(
                self.config.webhook,
                webhook.completion_payload(self.final_report),
                sleep=raw_sleep,
                secrets=[self.token],
            )
        self.workspace.close()
