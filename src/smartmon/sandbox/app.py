"""The sandbox application: state, tokens and permissions, rate budgets, blobs, faults, the run queue.

Route modules, events, git hosting, the run queue and the admin routes take a `Sandbox`;
`server.SandboxServer` is one served over HTTP. Nothing here knows of sockets.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from smartmon.sandbox import permissions
from smartmon.sandbox.api.core import ApiError
from smartmon.sandbox.faults import FaultBook, parse
from smartmon.sandbox.state import RATE_LIMITS, Blob, Repo, SandboxState, Token

if TYPE_CHECKING:
    from smartmon.sandbox.api.core import Request
    from smartmon.sandbox.runner import RunnerProtocol


class RunQueueProtocol(Protocol):
    """What the app asks of the run queue (`runqueue.RunQueue`, which takes the app)."""

    cancels: dict[int, threading.Event]

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def submit(self, run_id: int, attempt: int) -> None: ...

    def wait_idle(self, timeout: float) -> bool: ...


class _Budget:
    """An anonymous caller's primary rate-limit window (tokens keep theirs on the Token)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0
        self.reset = 0


class Sandbox:
    """One emulated GitHub: what every request, push and run reads and changes."""

    def __init__(
        self,
        runner: RunnerProtocol,
        *,
        root: Path,
        api_url: str,
        queue: Callable[[Sandbox], RunQueueProtocol],
        state_dir: Path | None = None,
        faults: str = "",
        admin_token: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.state = SandboxState(root, state_dir)
        self.faults = FaultBook()
        self.faults.add(parse(faults))
        self.runner = runner
        self.clock = clock
        self.admin_token = admin_token or "sba_" + secrets.token_hex(16)
        self.api_url = api_url
        self.queue = queue(self)
        self._anonymous: dict[str, _Budget] = {}
        self.push_locks: dict[str, threading.Lock] = {}

    # access ----------------------------------------------------------------------------------
    def repo(self, req: Request, owner: str, name: str, scope: str, level: str) -> Repo:
        """The repository, if the caller may see it, after checking `scope: level`."""
        with self.state.lock:
            repo = self.state.repos.get(f"{owner}/{name}")
        if repo is None:
            raise ApiError(404, "Not Found")
        token = req.token
        if token is None:
            if repo.private:
                raise ApiError(404, "Not Found")
            if level != "read":
                raise ApiError(401, "Requires authentication")
            return repo
        if token.repo is not None and token.repo != repo.full_name:
            raise ApiError(404, "Not Found")
        if token.owner is not None and token.owner != repo.owner:
            raise ApiError(404, "Not Found")
        # The endpoint's need from GitHub's table; the route's own scope for what it lacks.
        sets = permissions.needed(req.method, req.path)
        self.require_any(token, sets if sets is not None else [{scope: level}])
        return repo

    def push_lock(self, repo: Repo) -> threading.Lock:
        """Serialises ref updates of one repository (git pushes and API commits)."""
        with self.state.lock:
            return self.push_locks.setdefault(repo.full_name, threading.Lock())

    def require(self, token: Token, needed: dict[str, str]) -> None:
        self.require_any(token, [needed])

    def require_any(self, token: Token, sets: list[dict[str, str]]) -> None:
        """403 as GitHub answers it unless one of the permission sets is granted."""
        if permissions.allows(token.permissions, sets):
            return
        who = "integration" if token.kind == "github_token" else "personal access token"
        raise ApiError(
            403,
            f"Resource not accessible by {who}",
            headers={"x-accepted-github-permissions": permissions.accepted_header(sets)},
        )

    def token_for(self, header: str | None) -> Token | None:
        """The token named by an `Authorization` header; ApiError 401 when it is unknown."""
        if not header:
            return None
        scheme, _, value = header.strip().partition(" ")
        if scheme.lower() not in ("bearer", "token") or not value.strip():
            raise ApiError(401, "Bad credentials")
        with self.state.lock:
            token = self.state.tokens.get(value.strip())
        if token is None or token.expired:
            raise ApiError(401, "Bad credentials")
        return token

    # rate limits -----------------------------------------------------------------------------
    def budget(self, req: Request) -> Token | _Budget:
        now = int(self.clock())
        with self.state.lock:
            budget: Token | _Budget
            if req.token is not None:
                budget = req.token
            else:
                budget = self._anonymous.setdefault(req.client, _Budget(RATE_LIMITS["anonymous"]))
            if budget.reset <= now:
                budget.used = 0
                budget.reset = now + 3600
            return budget

    def rate_headers(self, budget: Token | _Budget) -> dict[str, str]:
        return {
            "x-ratelimit-limit": str(budget.limit),
            "x-ratelimit-remaining": str(max(0, budget.limit - budget.used)),
            "x-ratelimit-used": str(budget.used),
            "x-ratelimit-reset": str(budget.reset),
            "x-ratelimit-resource": "core",
        }

    # blobs -----------------------------------------------------------------------------------
    def make_blob(self, data: bytes, content_type: str) -> str:
        """Store `data` for 60 s behind an unauthenticated URL and return that URL."""
        key = secrets.token_urlsafe(24)
        now = self.clock()
        with self.state.lock:
            for stale in [k for k, b in self.state.blobs.items() if b.expires < now]:
                del self.state.blobs[stale]
            self.state.blobs[key] = Blob(data, content_type, now + 60)
        return f"{self.api_url}/_blob/{key}"

    def blob(self, key: str) -> Blob | None:
        """The blob behind `key`, or None when it is unknown or expired."""
        with self.state.lock:
            blob = self.state.blobs.get(key)
        if blob is None or blob.expires < self.clock():
            return None
        return blob
