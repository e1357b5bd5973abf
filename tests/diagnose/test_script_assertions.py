"""A script's own bare `assert` (`assertion-or-test-mark-failed`, `checks: [tool-assertion]`) is no
test failure; a test file's or a runner script's is. The file's name decides, so a name that merely
contains "test" (latest.py, contest.py) is a script like any other."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.diagnose.joblog import top_finding


def _traceback(path: str) -> list[str]:
    return [
        "Traceback (most recent call last):",
        f'  File "/home/runner/work/app/app/{path}", line 12, in <module>',
        "    assert os.path.exists(target)",
        "AssertionError",
    ]


@pytest.mark.parametrize("path", ["scripts/latest.py", "contest.py", "tools/attestation.py"])
def test_a_script_whose_name_only_contains_test_asserts_as_a_script(
    tmp_path: Path, path: str
) -> None:
    kind, _ = top_finding(tmp_path, _traceback(path))
    assert kind != "test_failure"


@pytest.mark.parametrize(
    "path",
    ["test_api.py", "api_test.py", "runtests.py", "run_tests.py", "selftest.py", "tests/smoke.py"],
)
def test_a_test_file_or_runner_script_asserts_as_a_test(tmp_path: Path, path: str) -> None:
    kind, _ = top_finding(tmp_path, _traceback(path))
    assert kind == "test_failure"
