"""When to send again: the rate budget GitHub reports, and the waits before a retry.

`Pacing` is mixed into `http.Transport`, whose docstring states the retry policy these waits serve.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import requests
from urllib3.exceptions import MaxRetryError, NewConnectionError

from smartmon.github.replies import Reply

log = logging.getLogger(__name__)

Clock = Callable[[], float]
"""Returns the current time as Unix epoch seconds (like `time.time`)."""

SECONDARY_LIMIT_MIN_WAIT = 60.0


@dataclass(frozen=True)
class RateInfo:
    """The primary rate limit as last reported by `x-ratelimit-*` headers."""

    limit: int
    remaining: int
    reset: float
    used: int | None = None
    resource: str = "core"


class Pacing:
    """The rate budget and retry waits of a transport; it sets these attributes in `__init__`."""

    clock: Clock
    sleep: Callable[[float], None]
    max_wait: float
    rate: RateInfo | None
    on_rate: Callable[[RateInfo], None] | None
    _random: random.Random

    def wait_for_budget(self, min_remaining: int) -> float:
        """Sleep until the limit resets if fewer than `min_remaining` calls are left; return the wait."""
        if self.rate is None or self.rate.remaining >= min_remaining:
            return 0.0
        wait = max(0.0, self.rate.reset - self.clock()) + 1.0
        log.info(
            "rate budget low (%d left); waiting %.0fs for the reset", self.rate.remaining, wait
        )
        self.sleep(wait)
        return wait

    def _note_rate(self, headers: Mapping[str, str]) -> None:
        limit = _int_header(headers, "x-ratelimit-limit")
        remaining = _int_header(headers, "x-ratelimit-remaining")
        reset = _int_header(headers, "x-ratelimit-reset")
        resource = headers.get("x-ratelimit-resource", "core")
        # `rate` tracks the core budget that REST calls spend; search and others have their own.
        if limit is None or remaining is None or reset is None or resource != "core":
            return
        self.rate = RateInfo(
            limit=limit,
            remaining=remaining,
            reset=float(reset),
            used=_int_header(headers, "x-ratelimit-used"),
            resource=resource,
        )
        if self.on_rate is not None:
            self.on_rate(self.rate)

    def _reset_at(self, reply: Reply) -> float | None:
        reset = _int_header(reply.headers, "x-ratelimit-reset")
        return float(reset) if reset is not None else None

    def _retry_delay(self, reply: Reply, attempt: int, limited: bool, safe: bool) -> float | None:
        """Seconds to wait before retrying, or None when the call must not be retried."""
        retry_after = _retry_after(reply)
        if limited:
            reset = self._reset_at(reply)
            if retry_after is not None:
                delay = retry_after
            elif reply.headers.get("x-ratelimit-remaining") == "0" and reset is not None:
                delay = max(0.0, reset - self.clock()) + 1.0
            else:
                base = SECONDARY_LIMIT_MIN_WAIT * 2**attempt
                delay = base + self._random.uniform(0, base / 4)
            return delay if delay <= self.max_wait else None
        if reply.status >= 500 and safe:
            if retry_after is not None and retry_after <= self.max_wait:
                return retry_after
            return self.backoff(attempt)
        return None

    def backoff(self, attempt: int) -> float:
        """Seconds to wait before retry number `attempt` (0-based) after a server error."""
        # "Equal jitter": half the exponential step fixed, half random; capped at 32 s.
        step = min(32.0, 2.0**attempt)
        return step / 2 + self._random.uniform(0, step / 2)


def failed_before_send(exc: requests.RequestException) -> bool:
    """True when the connection could not even be opened, so the server never saw the request."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason: object = exc.args[0] if exc.args else None
    if isinstance(reason, MaxRetryError):
        reason = reason.reason
    return isinstance(reason, NewConnectionError)


def _int_header(headers: Mapping[str, str], name: str) -> int | None:
    try:
        return int(headers[name])
    except (KeyError, ValueError):
        return None


def _retry_after(reply: Reply) -> float | None:
    value = reply.headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
