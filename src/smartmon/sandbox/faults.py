"""Injected failures, so clients can be tested against GitHub's bad days.

SPEC grammar (``--faults SPEC`` or ``POST /_sandbox/faults {"spec": SPEC}``)::

    SPEC  := RULE (";" RULE)*
    RULE  := KIND [":" PARAM ("," PARAM)*]
    PARAM := KEY "=" VALUE

KIND and its effect (PARAMs in brackets are optional, defaults shown):

- ``5xx``        [status=502] answer with that status and GitHub's error body.
- ``secondary``  [status=403] [retry_after=1] "You have exceeded a secondary rate limit" with
  ``retry-after``; status may be 403 or 429.
- ``primary``    [reset=60] 403 "API rate limit exceeded" with ``x-ratelimit-remaining: 0`` and
  ``x-ratelimit-reset`` = now + reset seconds.
- ``gone``       410 ``{"message": "Server Error", "status": "410"}`` (expired logs); default
  path ``*/logs``.
- ``truncated-zip`` the next run-logs zip blobs are cut in half; default path ``*/logs``.
- ``slow``       [delay_ms=200] delay the response, then answer normally.
- ``drop``       the connection is cut mid-download: the headers announce the whole body, half
  of it is sent, then the server hangs up; default path ``/_blob/*`` (the signed URLs that log
  downloads redirect to).
- ``push-nonff`` a concurrent commit lands on [branch=<default branch>] of the repository just
  before the client's push (at ``info/refs?service=git-receive-pack``), so the push is rejected
  as non-fast-forward ("fetch first") exactly as when someone else pushed first.

Common PARAMs: ``path`` (fnmatch glob on the request path without query; default ``/repos/*``
except where noted), ``method`` (e.g. ``GET``; default any), ``times`` (how many matching
requests the rule fires for; default 1; ``*`` = forever).

Example: ``5xx:times=2,path=/repos/*/actions/runs;secondary:status=429,retry_after=2``.
"""

from __future__ import annotations

import fnmatch
import threading
from dataclasses import dataclass, field

KINDS = ("5xx", "secondary", "primary", "gone", "truncated-zip", "slow", "push-nonff", "drop")
_DEFAULT_PATH = {"gone": "*/logs", "truncated-zip": "*/logs", "push-nonff": "*", "drop": "/_blob/*"}


class FaultSpecError(ValueError):
    """A fault SPEC that cannot be parsed; the message says which part."""


@dataclass
class Fault:
    kind: str
    path: str
    method: str | None = None
    times: int | None = 1  # None: forever
    params: dict[str, str] = field(default_factory=dict)

    def int_param(self, name: str, default: int) -> int:
        try:
            return int(self.params.get(name, default))
        except ValueError as exc:
            raise FaultSpecError(f"{self.kind}: {name} must be an integer") from exc


def parse(spec: str) -> list[Fault]:
    faults = []
    for raw_rule in spec.split(";"):
        rule = raw_rule.strip()
        if not rule:
            continue
        kind, _, rest = rule.partition(":")
        kind = kind.strip()
        if kind not in KINDS:
            raise FaultSpecError(f"unknown fault kind {kind!r}; expected one of {', '.join(KINDS)}")
        params: dict[str, str] = {}
        for raw_param in rest.split(","):
            if not raw_param.strip():
                continue
            key, sep, value = raw_param.partition("=")
            if not sep:
                raise FaultSpecError(f"{kind}: parameter {raw_param!r} is not KEY=VALUE")
            params[key.strip()] = value.strip()
        times_text = params.pop("times", "1")
        if times_text == "*":
            times: int | None = None
        elif times_text.isdigit() and int(times_text) > 0:
            times = int(times_text)
        else:
            raise FaultSpecError(f"{kind}: times must be a positive integer or *")
        fault = Fault(
            kind=kind,
            path=params.pop("path", _DEFAULT_PATH.get(kind, "/repos/*")),
            method=params.pop("method", None),
            times=times,
            params=params,
        )
        for name in ("status", "retry_after", "reset", "delay_ms"):
            if name in params:
                fault.int_param(name, 0)
        faults.append(fault)
    return faults


class FaultBook:
    """The active faults; `take` consumes one firing of the first matching rule."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, faults: list[Fault]) -> None:
        with self._lock:
            self._faults.extend(faults)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def active(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    def take(self, kinds: tuple[str, ...], method: str, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.kind not in kinds:
                    continue
                if fault.method and fault.method.upper() != method.upper():
                    continue
                if not fnmatch.fnmatchcase(path, fault.path):
                    continue
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
                return fault
        return None
