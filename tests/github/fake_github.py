"""A real HTTP server on 127.0.0.1 that answers with GitHub's documented response shapes.

It stands in for github.com behaviours the sandbox may not emulate (secondary limits with
`retry-after`, 304s, `Link` paging, 302s to another host, 410 bodies). Tests script answers per
route; every request is recorded with its headers so tests can check what the client sent.
"""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

TOKEN = "ghp_" + "T0kenForTests0123456789abcdefghijklm"
REPO = "octo-org/hello-world"
DROP = "drop"  # answer: close the connection after reading the request, sending nothing


class _QuietServer(ThreadingHTTPServer):
    """The client under test hangs up on purpose in timeout tests; that is not a server error."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@dataclass
class Answer:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)

    def encode(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body).encode()


@dataclass
class Seen:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


Responder = Answer | str | Callable[[Seen], "Answer | str"]


class FakeGitHub:
    """Scripted answers per (method, path); the last answer of a script repeats."""

    def __init__(self) -> None:
        self.scripts: dict[tuple[str, str], list[Responder]] = {}
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                seen = Seen(self.command, parts.path, parts.query, dict(self.headers.items()), body)
                answer = fake._answer(seen)
                if answer == DROP:
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                assert isinstance(answer, Answer)
                payload = answer.encode()
                self.send_response(answer.status)
                headers = {"Content-Type": "application/json; charset=utf-8", **answer.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()

    def on(self, method: str, path: str, *answers: Responder) -> None:
        self.scripts[(method, path)] = list(answers)

    def requests_to(self, method: str, path: str) -> list[Seen]:
        return [s for s in self.seen if s.method == method and s.path == path]

    def _answer(self, seen: Seen) -> Answer | str:
        with self._lock:
            self.seen.append(seen)
            script = self.scripts.get((seen.method, seen.path))
            if not script:
                return Answer(404, {"message": "Not Found", "status": "404"})
            responder = script.pop(0) if len(script) > 1 else script[0]
        return responder(seen) if callable(responder) else responder

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Sleeps:
    """Injected `sleep`: records waits and advances the injected clock instead of sleeping."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now
        self.waits: list[float] = []

    def clock(self) -> float:
        return self.now

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


def repo_path(tail: str) -> str:
    return f"/repos/{REPO}{tail}"
