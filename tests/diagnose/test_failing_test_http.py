"""An HTTP 401 or 403 a failing test raised is the test's failure (diagnose/failing_test_http.py):
pytest's `E` line and summary row, a loopback URL, Jest's and Vitest's test blocks; the same error
from a tool in a step of its own stays a refused credential. Line shapes are the tools'; names ours.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import analyze_paths
from tests.diagnose.joblog import FAILED, run_step, write_job

_PY_403 = "requests.exceptions.HTTPError: 403 Client Error: Forbidden for url: "


def _top(tmp_path: Path, lines: list[str]) -> tuple[str, str]:
    top = analyze_paths([write_job(tmp_path, lines)]).findings[0]
    return top.type.value, top.rule


def test_pytests_http_error_is_the_failing_test(tmp_path: Path) -> None:
    body = (
        f"E   {_PY_403}http://localhost:5000/admin",
        "=========================== short test summary info ============================",
        f"FAILED tests/test_http.py::test_admin - {_PY_403}http://localhost:5000/admin",
        "========================= 1 failed in 0.11s ==========================",
    )
    lines = [*run_step("python -m pytest", *body), FAILED]
    assert _top(tmp_path, lines) == ("test_failure", "pytest-failed-summary")


@pytest.mark.parametrize("code", ["403", "401"])
def test_jests_axios_error_in_a_test_block_is_the_test(tmp_path: Path, code: str) -> None:
    body = (
        "FAIL src/api.test.ts",
        "  ● api › admin",
        "",
        f"    AxiosError: Request failed with status code {code}",
        "Tests:       1 failed, 3 passed, 4 total",
    )
    lines = [*run_step("npx jest", *body), FAILED]
    assert _top(tmp_path, lines)[0] == "test_failure"


def test_vitests_axios_error_in_a_test_block_is_the_test(tmp_path: Path) -> None:
    body = (
        " ❯ src/api.test.ts (3 tests | 1 failed) 12ms",
        "   × API > fetches user 8ms",
        "     → Request failed with status code 401",
        " FAIL  src/api.test.ts > API > fetches user",
        "AxiosError: Request failed with status code 401",
        " Test Files  1 failed (1)",
        "      Tests  1 failed | 2 passed (3)",
    )
    lines = [*run_step("npx vitest run", *body), FAILED]
    assert _top(tmp_path, lines)[0] == "test_failure"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (f"{_PY_403}https://api.github.com/repos/o/r/releases", "tool-http-403-forbidden"),
        ("AxiosError: Request failed with status code 403", "tool-http-403-forbidden"),
        ("AxiosError: Request failed with status code 401", "registry-credential-rejected"),
    ],
)
def test_a_tools_refusal_outside_a_test_stays_a_credential(
    tmp_path: Path, line: str, expected: str
) -> None:
    lines = [*run_step("node scripts/release.js", line), FAILED]
    assert _top(tmp_path, lines)[1] == expected


# Review rev53's look-alikes: a loopback URL alone is no test, and a real host's refusal in a test
# is the token's.
def test_a_publish_to_a_local_registry_keeps_its_refusal(tmp_path: Path) -> None:
    body = ["Uploading dist/pkg-1.0.tar.gz to http://localhost:4873"]
    body += [f"{_PY_403}http://localhost:4873/-/package/pkg"]
    assert _top(tmp_path, [*run_step("python publish.py", *body), FAILED]) == (
        "permission_error",
        "tool-http-403-forbidden",
    )


def test_a_tests_refusal_from_a_real_host_is_the_tokens(tmp_path: Path) -> None:
    url = "https://huggingface.co/api/models/acme/tiny-model/revision/main"
    body = [f"E   requests.exceptions.HTTPError: 401 Client Error: Unauthorized for url: {url}"]
    body += ["=========================== short test summary info ============================"]
    body += [f"ERROR tests/test_model.py::test_generate - requests.exceptions.HTTPError: 401 {url}"]
    kind, _ = _top(tmp_path, [*run_step("pytest", *body), FAILED])
    assert kind == "auth_error"
