import json
import logging
import socket
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests

from smartmon.model import Finding, Fix, IssueType, Severity
from smartmon.report import Delivery, FixRecord, IssueRecord, MonitorLog, WorkflowState
from smartmon.report.webhook import MAX_RETRY_AFTER, completion_payload, post_webhook
from tests.report.test_report import check

SECRET = "T0k3nInTheQuery"
PAYLOAD = {"status": "monitoring_complete", "issues_fixed": 2}

# One answer per request, in order; the last one repeats. An answer is (status, headers) or "hang".
Answer = tuple[int, dict[str, str]] | str


class Hook:
    """A real HTTP server on 127.0.0.1 that records what it receives and answers from a script."""

    def __init__(self, answers: list[Answer]) -> None:
        self.answers = answers
        self.hits: list[dict[str, Any]] = []
        self.arrived = threading.Condition()
        self.release = threading.Event()
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                with hook.arrived:
                    hook.hits.append(
                        {
                            "path": self.path,
                            "body": self.rfile.read(length),
                            "type": self.headers.get("Content-Type"),
                        }
                    )
                    hook.arrived.notify_all()
                answer = hook.answers[min(len(hook.hits), len(hook.answers)) - 1]
                if answer == "hang":
                    hook.release.wait(30)
                    return
                assert isinstance(answer, tuple)
                status, headers = answer
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def received(self, count: int) -> int:
        """How many requests arrived, waiting (boundedly) until `count` have.

        A client that gave up on a hanging server may have sent a request the server has not
        accepted yet on a busy machine: the count is only settled once the server has read it.
        """
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.hits) >= count, timeout=30)
            return len(self.hits)

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hook() -> Iterator[Callable[..., Hook]]:
    started: list[Hook] = []

    def start(*answers: Answer) -> Hook:
        server = Hook(list(answers))
        started.append(server)
        return server

    yield start
    for server in started:
        server.close()


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


OK: Answer = (200, {})
FAIL: Answer = (500, {})


def test_success_posts_the_json_once(hook: Callable[..., Hook]) -> None:
    server = hook((204, {}))
    sleeps = Sleeps()
    assert post_webhook(f"{server.url}/hooks/x", PAYLOAD, sleep=sleeps) is True
    (hit,) = server.hits
    assert hit["path"] == "/hooks/x"
    assert hit["type"] == "application/json"
    assert json.loads(hit["body"]) == PAYLOAD
    assert sleeps == []


def test_a_500_is_retried_with_backoff(hook: Callable[..., Hook]) -> None:
    server = hook(FAIL, FAIL, OK)
    sleeps = Sleeps()
    assert post_webhook(server.url, PAYLOAD, sleep=sleeps, backoff=0.5) is True
    assert len(server.hits) == 3
    assert sleeps == [0.5, 1.0]


def test_always_failing_gives_up_logs_without_the_secret_and_returns_false(
    hook: Callable[..., Hook], caplog: pytest.LogCaptureFixture
) -> None:
    server = hook(FAIL)
    host = server.url.removeprefix("http://")
    url = f"http://user:pa55word@{host}/services/{SECRET}/hook?token={SECRET}"
    sleeps = Sleeps()
    with caplog.at_level(logging.INFO, logger="smartmon.report.webhook"):
        assert post_webhook(url, PAYLOAD, sleep=sleeps, retries=3) is False
    assert len(server.hits) == 4
    assert sleeps == [1.0, 2.0, 4.0]
    assert "failed after 4 attempt(s): answered 500" in caplog.text
    assert f"http://{host}/…" in caplog.text
    for secret in (SECRET, "pa55word", "user:"):
        assert secret not in caplog.text


def test_a_hanging_server_times_out(hook: Callable[..., Hook]) -> None:
    server = hook("hang")
    sleeps = Sleeps()
    assert post_webhook(server.url, PAYLOAD, timeout=0.2, retries=1, sleep=sleeps) is False
    assert server.received(2) == 2
    assert sleeps == [1.0]


def test_connection_refused_is_retried_then_false(caplog: pytest.LogCaptureFixture) -> None:
    # A bound socket that does not listen: the kernel refuses connections, and no test can
    # take the port meanwhile.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/h?key={SECRET}"
        sleeps = Sleeps()
        with caplog.at_level(logging.WARNING, logger="smartmon.report.webhook"):
            assert post_webhook(url, PAYLOAD, retries=2, sleep=sleeps) is False
    assert sleeps == [1.0, 2.0]
    assert "connection failed" in caplog.text
    assert SECRET not in caplog.text


def test_client_errors_are_not_retried(hook: Callable[..., Hook]) -> None:
    server = hook((404, {}))
    sleeps = Sleeps()
    assert post_webhook(server.url, PAYLOAD, sleep=sleeps) is False
    assert len(server.hits) == 1
    assert sleeps == []


def test_retry_after_is_honoured_and_capped(hook: Callable[..., Hook]) -> None:
    server = hook((429, {"Retry-After": "7"}), (503, {"Retry-After": "86400"}), OK)
    sleeps = Sleeps()
    assert post_webhook(server.url, PAYLOAD, sleep=sleeps) is True
    assert sleeps == [7.0, MAX_RETRY_AFTER]


def test_307_to_http_is_followed_with_the_same_body(hook: Callable[..., Hook]) -> None:
    target = hook(OK)
    source = hook((307, {"Location": f"{target.url}/moved"}))
    assert post_webhook(source.url, PAYLOAD, sleep=Sleeps()) is True
    assert target.hits[0]["path"] == "/moved"
    assert json.loads(target.hits[0]["body"]) == PAYLOAD


@pytest.mark.parametrize(
    "answer",
    [
        (308, {"Location": "file:///etc/passwd"}),
        (307, {"Location": "ftp://127.0.0.1/x"}),
        (307, {"Location": "javascript:alert(1)"}),
        (302, {"Location": "/elsewhere"}),
    ],
)
def test_other_redirects_are_not_followed(hook: Callable[..., Hook], answer: Answer) -> None:
    server = hook(answer, OK)
    sleeps = Sleeps()
    assert post_webhook(server.url, PAYLOAD, sleep=sleeps) is False
    assert len(server.hits) == 1
    assert sleeps == []


def test_a_redirect_loop_stops(hook: Callable[..., Hook]) -> None:
    server = hook((307, {"Location": "/again"}))
    assert post_webhook(server.url, PAYLOAD, retries=0, sleep=Sleeps()) is False
    assert len(server.hits) == 4  # the first POST and three redirects


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://127.0.0.1/x", "javascript:alert(1)", "http://", "http://[::1"],
)
def test_only_http_urls_are_called_and_nothing_raises(url: str) -> None:
    sleeps = Sleeps()
    assert post_webhook(url, PAYLOAD, sleep=sleeps) is False
    assert sleeps == []


def test_unserializable_payload_is_false_and_a_given_session_is_used(
    hook: Callable[..., Hook],
) -> None:
    server = hook(OK)
    assert post_webhook(server.url, {"x": object()}, sleep=Sleeps()) is False
    session = requests.Session()
    assert post_webhook(server.url, PAYLOAD, session=session, sleep=Sleeps()) is True
    assert len(server.hits) == 1


def _final(tmp_path: Path) -> dict[str, Any]:
    t = [datetime(2026, 11, 27, 9, 0, tzinfo=UTC)]

    def clock() -> datetime:
        t[0] += timedelta(minutes=1)
        return t[0]

    log = MonitorLog(tmp_path, clock=clock, repository="octo/demo")
    finding = Finding(
        type=IssueType.MISSING_DEPENDENCY,
        severity=Severity.HIGH,
        auto_fixable=True,
        rule="r",
        job="j",
        step="s",
        line=1,
        text="ModuleNotFoundError: No module named 'yaml'",
    )
    log.record_iteration(
        workflows=[WorkflowState(name="CI", run_id=1, conclusion="failure")],
        issues=[IssueRecord(finding=finding, workflow="CI", run_id=1)],
        fixes=[
            FixRecord(
                fix=Fix(type=IssueType.MISSING_DEPENDENCY, file="r.txt", description="add"),
                applied=True,
                delivery=Delivery.COMMIT,
                workflow="CI",
                commit_sha="c" * 40,
                verified_by_run=2,
            )
        ],
    )
    return log.finalize("all_passing", 0)


def test_completion_payload_from_a_final_report(tmp_path: Path, hook: Callable[..., Hook]) -> None:
    payload = completion_payload(_final(tmp_path))
    check(payload, "webhook_payload.schema.json")
    assert payload["status"] == "monitoring_complete"
    assert payload["issues_fixed"] == 1
    assert payload["fixes_verified"] == 1
    assert payload["repository"] == "octo/demo"
    assert payload["exit_code"] == 0
    server = hook(OK)
    assert post_webhook(server.url, payload, sleep=Sleeps()) is True
    assert json.loads(server.hits[0]["body"]) == payload
