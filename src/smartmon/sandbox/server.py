"""The sandbox's HTTP front: GitHub's REST API, smart-HTTP git hosting, blobs and admin routes.

Request pipeline for API paths: API version (410 for unknown) → credentials (401) → injected
faults → primary rate limit → route → ETag/304 → rate-limit accounting and common headers. What
the routes read and change is the app (`app.Sandbox`); `SandboxServer` is that app on a socket.
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

from smartmon.sandbox.api import (
    DEFAULT_VERSION,
    ROUTES,
    VERSIONS,
    ApiError,
    Request,
    Response,
    admin,
)
from smartmon.sandbox.app import Sandbox
from smartmon.sandbox.git import githttp
from smartmon.sandbox.runner import RunnerProtocol
from smartmon.sandbox.runqueue import RunQueue
from smartmon.sandbox.state import Token

log = logging.getLogger(__name__)

_GIT_PATH = re.compile(r"^/(?P<owner>[^/]+)/(?P<name>[^/]+?)\.git(?P<rest>/.*)$")


class _Server(ThreadingHTTPServer):
    """A client that hangs up mid-answer (a timeout, a killed test) is normal here, not an error."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, (BrokenPipeError, ConnectionResetError, TimeoutError)):
            return
        logging.getLogger(__name__).exception("sandbox: error answering %s", client_address)


class SandboxServer(Sandbox):
    """The app on a socket; use as a context manager or call `start()` and `close()`."""

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
        self.httpd = _Server((host, port), _Handler)
        setattr(self.httpd, "sandbox", self)  # noqa: B010 - the handler finds the app here
        bound_host, bound_port = self.httpd.server_address[:2]
        host_text = bound_host.decode() if isinstance(bound_host, bytes) else bound_host
        try:
            super().__init__(
                runner,
                root=root,
                api_url=f"http://{host_text}:{bound_port}",
                queue=lambda app: RunQueue(app, workers=workers),
                state_dir=state_dir,
                faults=faults,
                admin_token=admin_token,
                clock=clock,
            )
        except BaseException:
            self.httpd.server_close()
            raise
        self._thread: threading.Thread | None = None

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

    # pipeline --------------------------------------------------------------------------------
    def handle(self, h: _Handler) -> None:
        parts = urlsplit(h.path)
        path = unquote(parts.path)
        query = parse_qs(parts.query, keep_blank_values=True)
        if path.startswith("/_blob/"):
            drop = self.faults.take(("drop",), h.command, path)
            self._send(h, self._blob_answer(path.removeprefix("/_blob/")), cut=drop is not None)
            return
        body = h.read_body()
        git_match = _GIT_PATH.match(path)
        if git_match:
            githttp.serve(self, h, git_match["owner"], git_match["name"], git_match["rest"], body)
            return
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

    def _blob_answer(self, key: str) -> Response:
        blob = self.blob(key)
        if blob is None:
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
