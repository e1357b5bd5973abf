"""The sandbox HTTP server: GitHub's REST API, smart-HTTP git hosting, blobs and admin routes.

Request pipeline for API paths: API version (410 for unknown) → credentials (401) → injected
faults → primary rate limit → route → ETag/304 → rate-limit accounting and common headers.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import secrets
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from smartmon.sandbox import (
    admin,
    githttp,
    routes_actions,
    routes_checks,
    routes_git,
    routes_pulls,
    routes_repo,
)
from smartmon.sandbox.api import (
    DEFAULT_VERSION,
    VERSIONS,
    ApiError,
    Request,
    Response,
    Route,
)
from smartmon.sandbox.faults import FaultBook, parse
from smartmon.sandbox.runqueue import RunQueue
from smartmon.sandbox.runtypes import RunnerProtocol
from smartmon.sandbox.state import RATE_LIMITS, Blob, Repo, SandboxState, Token

log = logging.getLogger(__name__)

_LEVELS = {"none": 0, "read": 1, "write": 2, "admin": 3}
_GIT_PATH = re.compile(r"^/(?P<owner>[^/]+)/(?P<name>[^/]+?)\.git(?P<rest>/.*)$")
ROUTES: list[Route] = [
    *routes_actions.ROUTES,
    *routes_checks.ROUTES,
    *routes_git.ROUTES,
    *routes_pulls.ROUTES,
    *routes_repo.ROUTES,
]


class _Budget:
    """An anonymous caller's primary rate-limit window (tokens keep theirs on the Token)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0
        self.reset = 0


class _Server(ThreadingHTTPServer):
    """A client that hangs up mid-answer (a timeout, a killed test) is normal here, not an error."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, (BrokenPipeError, ConnectionResetError, TimeoutError)):
            return
        logging.getLogger(__name__).exception("sandbox: error answering %s", client_address)


class SandboxServer:
    """A running emulator; use as a context manager or call `start()` and `close()`."""

    def __init__(
        self,
        runner: RunnerProtocol,
        *,
        root: Path,
        host: str = "127.0.0.1",
        port: int = 0,
        state_dir: Path | None = None,
        faults: str = "",
        admin_token: str | None = None,
        clock: Callable[[], float] = time.time,
        workers: int = 1,
    ) -> None:
        self.state = SandboxState(root, state_dir)
        self.faults = FaultBook()
        self.faults.add(parse(faults))
        self.runner = runner
        self.clock = clock
        self.admin_token = admin_token or "sba_" + secrets.token_hex(16)
        self.httpd = _Server((host, port), _Handler)
        setattr(self.httpd, "sandbox", self)  # noqa: B010 - the handler finds the app here
        bound_host, bound_port = self.httpd.server_address[:2]
        host_text = bound_host.decode() if isinstance(bound_host, bytes) else bound_host
        self.api_url = f"http://{host_text}:{bound_port}"
        self.queue = RunQueue(self, workers=workers)
        self._anonymous: dict[str, _Budget] = {}
        self._thread: threading.Thread | None = None
        self.push_locks: dict[str, threading.Lock] = {}

    # lifecycle -------------------------------------------------------------------------------
    def start(self) -> SandboxServer:
        """Serve in background threads; calling it again (e.g. `with app.start():`) is a no-op."""
        if self._thread is not None:
            return self
        self.queue.start()
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop serving, stop the run workers (cancelling a running run) and save the state."""
        if self._thread is not None:  # shutdown() would wait forever for a loop never started
            self.httpd.shutdown()
            self._thread.join()
            self._thread = None
        self.httpd.server_close()
        self.queue.stop()
        self.state.save()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # helpers for routes ----------------------------------------------------------------------
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
        self.require(token, {scope: level})
        return repo

    def push_lock(self, repo: Repo) -> threading.Lock:
        """Serialises ref updates of one repository (git pushes and API commits)."""
        with self.state.lock:
            return self.push_locks.setdefault(repo.full_name, threading.Lock())

    def require(self, token: Token, needed: dict[str, str]) -> None:
        for scope, level in needed.items():
            if _LEVELS[token.permissions.get(scope, "none")] < _LEVELS[level]:
                who = "integration" if token.kind == "github_token" else "personal access token"
                accepted = ",".join(f"{s}={lv}" for s, lv in needed.items())
                raise ApiError(
                    403,
                    f"Resource not accessible by {who}",
                    headers={"x-accepted-github-permissions": accepted},
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

    # pipeline --------------------------------------------------------------------------------
    def handle(self, h: _Handler) -> None:
        parts = urlsplit(h.path)
        path = unquote(parts.path)
        query = parse_qs(parts.query, keep_blank_values=True)
        if path.startswith("/_blob/"):
            drop = self.faults.take(("drop",), h.command, path)
            self._send(h, self._blob(path.removeprefix("/_blob/")), cut=drop is not None)
            return
        git_match = _GIT_PATH.match(path)
        if git_match:
            githttp.serve(self, h, git_match["owner"], git_match["name"], git_match["rest"])
            return
        body = h.read_body()
        if path.startswith("/_sandbox/"):
            self._send(h, admin.handle(self, h.command, path, h.headers, body))
            return
        response = self._api(h, path, query, body)
        drop = self.faults.take(("drop",), h.command, path)
        self._send(h, response, cut=drop is not None)

    def _api(self, h: _Handler, path: str, query: dict[str, list[str]], body: bytes) -> Response:
        request_id = f"{secrets.token_hex(2).upper()}:{secrets.token_hex(3).upper()}"
        version = h.headers.get("X-GitHub-Api-Version") or DEFAULT_VERSION
        common = {"x-github-request-id": request_id, "x-github-media-type": "github.v3"}
        if version not in VERSIONS:
            return self._error(ApiError(410, f"API version '{version}' is not supported."), common)
        common["x-github-api-version-selected"] = version
        try:
            token = self.token_for(h.headers.get("Authorization"))
        except ApiError as exc:
            return self._error(exc, common)
        client = str(h.client_address[0])
        req = Request(h.command, path, query, h.headers, body, token, version, self.api_url, client)
        budget = self.budget(req)
        common.update(self.rate_headers(budget))
        fault = self._fault(req, common)
        if fault is not None:
            return fault
        counts = path != "/rate_limit"
        if counts and budget.used >= budget.limit:
            return self._error(_primary_limit(budget.reset, req.token), common)
        try:
            response = self._dispatch(req)
        except ApiError as exc:
            response = self._error(exc, {})
        etag = None
        if (
            req.method == "GET"
            and response.status == 200
            and response.content_type.startswith("application/json")
        ):
            etag = 'W/"' + hashlib.sha256(response.body).hexdigest()[:40] + '"'
            response.headers["etag"] = etag
            if etag in (h.headers.get("If-None-Match") or ""):
                response = Response(304, b"", {"etag": etag}, content_type="", counts=False)
        if counts and response.counts:
            with self.state.lock:
                budget.used += 1
        response.headers = {**common, **self.rate_headers(budget), **response.headers}
        return response

    def _dispatch(self, req: Request) -> Response:
        method = "GET" if req.method == "HEAD" else req.method
        for r in ROUTES:
            m = r.pattern.match(req.path)
            if m is not None and r.method == method:
                return r.handler(self, req, m)
        raise ApiError(404, "Not Found")  # GitHub answers an unknown method with 404 too

    def _fault(self, req: Request, common: dict[str, str]) -> Response | None:
        slow = self.faults.take(("slow",), req.method, req.path)
        if slow is not None:
            threading.Event().wait(slow.int_param("delay_ms", 200) / 1000)
        kinds = ("5xx", "secondary", "primary", "gone")
        fault = self.faults.take(kinds, req.method, req.path)
        if fault is None:
            return None
        if fault.kind == "5xx":
            status = fault.int_param("status", 502)
            return self._error(ApiError(status, "Server Error"), common)
        if fault.kind == "gone":
            return self._error(ApiError(410, "Server Error"), common)
        if fault.kind == "secondary":
            status = fault.int_param("status", 403)
            retry = str(fault.int_param("retry_after", 1))
            message = (
                "You have exceeded a secondary rate limit. Please wait a few minutes before you "
                "try again. If you reach out to GitHub Support for help, please include the "
                f"request ID {common['x-github-request-id']}."
            )
            return self._error(ApiError(status, message, headers={"retry-after": retry}), common)
        reset = int(self.clock()) + fault.int_param("reset", 60)
        error = _primary_limit(reset, req.token)
        headers = {**common, "x-ratelimit-remaining": "0", "x-ratelimit-reset": str(reset)}
        return self._error(error, headers)

    def _error(self, exc: ApiError, headers: dict[str, str]) -> Response:
        response = Response.json(exc.status, exc.body(), {**headers, **exc.headers})
        response.counts = exc.status not in (401, 304)
        return response

    def make_blob(self, data: bytes, content_type: str) -> str:
        """Store `data` for 60 s behind an unauthenticated URL and return that URL."""
        key = secrets.token_urlsafe(24)
        now = self.clock()
        with self.state.lock:
            for stale in [k for k, b in self.state.blobs.items() if b.expires < now]:
                del self.state.blobs[stale]
            self.state.blobs[key] = Blob(data, content_type, now + 60)
        return f"{self.api_url}/_blob/{key}"

    def _blob(self, key: str) -> Response:
        with self.state.lock:
            blob = self.state.blobs.get(key)
        if blob is None or blob.expires < self.clock():
            # What Azure blob storage answers for an expired signed URL.
            text = b"AuthenticationFailed: Signed expiry time has passed."
            return Response(403, text, {}, content_type="text/plain")
        return Response(200, blob.data, {}, content_type=blob.content_type)

    def _send(self, h: _Handler, response: Response, *, cut: bool = False) -> None:
        """Answer; `cut` (the `drop` fault) sends half the body and hangs up, like a lost link."""
        h.send_response(response.status)
        for name, value in response.headers.items():
            h.send_header(name, value)
        if response.content_type:
            h.send_header("Content-Type", response.content_type)
        h.send_header("Content-Length", str(len(response.body)))
        h.end_headers()
        if h.command != "HEAD" and response.body:
            h.wfile.write(response.body[: len(response.body) // 2] if cut else response.body)
        if cut:
            h.close_connection = True


def _primary_limit(reset: int, token: Token | None) -> ApiError:
    who = "user ID 1" if token is not None else "127.0.0.1"
    return ApiError(
        403,
        f"API rate limit exceeded for {who}.",
        headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(reset)},
        doc="https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
    )


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def version_string(self) -> str:
        return "GitHub.com"

    @property
    def app(self) -> SandboxServer:
        app: SandboxServer = getattr(self.server, "sandbox")  # noqa: B009
        return app

    def read_body(self) -> bytes:
        """The request body, with chunked transfer encoding undone (git sends large packs so)."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _any(self) -> None:
        try:
            self.app.handle(self)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client hung up (killed, timed out): nobody to tell
        except Exception:
            log.exception("sandbox: %s %s failed", self.command, self.path)
            payload: dict[str, Any] = {"message": "Server Error", "status": "500"}
            data = json.dumps(payload).encode()
            self.send_response(500)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _any

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("sandbox: " + format, *args)
