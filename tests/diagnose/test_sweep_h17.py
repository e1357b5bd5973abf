"""Verdicts the Python web-application sweep (helper h17) relies on beyond the rules' own examples:
Celery's broker URL as the unreachable host, framework messages in pytest's "E" form and pasted
without the runner's trailer, and database credential errors next to a passing job's service logs.

Texts are the tools' real formats with names changed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.hosts import network_host
from tests.diagnose.joblog import FAILED, top_finding


@pytest.mark.parametrize(
    ("line", "want"),
    [
        # celery/worker/consumer: the broker URL with its password masked.
        (
            "consumer: Cannot connect to amqp://guest:**@rabbitmq:5672//: [Errno 111] Connection refused.",
            "rabbitmq",
        ),
        (
            "consumer: Cannot connect to redis://redis-cache:6379/0: Timeout connecting to server.",
            "redis-cache",
        ),
        # An address is not a host to report, and the user name before "@" is not one either.
        (
            "consumer: Cannot connect to amqp://guest:**@127.0.0.1:5672//: [Errno 111] Connection refused.",
            None,
        ),
    ],
)
def test_celery_broker_host(line: str, want: str | None) -> None:
    assert network_host(line) == want


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # FastAPI's lazy import of python-multipart during collection, pasted without a trailer.
        (
            [
                "_____________________ ERROR collecting tests/test_upload.py ______________________",
                ".venv/lib/python3.12/site-packages/fastapi/dependencies/utils.py:129: in ensure_multipart_is_installed",
                "    raise RuntimeError(multipart_not_installed_error) from None",
                'E   RuntimeError: Form data requires "python-multipart" to be installed.',
                'E   You can install "python-multipart" with:',
                "E   ",
                "E   pip install python-multipart",
            ],
            "missing_dependency",
            {"module": "python-multipart"},
        ),
        # Django's backend wraps the driver's ImportError; the ModuleNotFoundError form is absent.
        (
            [
                "##[group]Run python manage.py migrate",
                "##[endgroup]",
                "django.core.exceptions.ImproperlyConfigured: Error loading psycopg2 or psycopg module",
                FAILED,
            ],
            "missing_dependency",
            {"module": "psycopg2"},
        ),
        (
            [
                "Run flask db upgrade",
                "Usage: flask [OPTIONS] COMMAND [ARGS]...",
                "Try 'flask --help' for help.",
                "",
                "Error: Could not locate a Flask application. Use the 'flask --app' option, 'FLASK_APP' "
                "environment variable, or a 'wsgi.py' or 'app.py' file in the current directory.",
            ],
            "missing_env_vars",
            {"var": "FLASK_APP"},
        ),
        (
            [
                "##[group]Run uvicorn main:app --port 8000 &",
                "##[endgroup]",
                'ERROR:    Error loading ASGI app. Attribute "app" not found in module "main".',
                FAILED,
            ],
            "import_error",
            {"name": "app", "from": "main"},
        ),
    ],
)
def test_framework_verdicts(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    got, data = top_finding(tmp_path, lines)
    assert got == want
    assert {key: data.get(key) for key in facts} == facts


def test_service_container_health_check_log_is_no_auth_error(tmp_path: Path) -> None:
    # A postgres service logs pg_isready's default user; the job's own tests passed.
    lines = [
        "##[group]Run pytest",
        "##[endgroup]",
        "============================== 12 passed in 3.10s ==============================",
        "Print service container logs: 3f0c2a_postgres14",
        '2023-05-01 10:00:03.120 UTC [71] FATAL:  role "root" does not exist',
        "Stop and remove container: 3f0c2a_postgres14",
    ]
    assert top_finding(tmp_path, lines) == (None, {})
