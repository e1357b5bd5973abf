"""Verdicts the misleading-noise sweep (helper h78) relies on beyond the rules' own examples: error
lines that passing tests print on purpose (mocha's console.error, libtest --nocapture, unittest, go
test's problem-matcher annotations), told apart from a test's own failure and from a run that fails.

Texts are the runners' real formats with names changed; the threads are named in passing_output.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.diagnose.joblog import assert_finding, top_finding

_MOCHA_PASSING = [
    "Run npm test",
    "  UserService",
    "    ✓ returns 404 for unknown user",
    "Error: User not found",
    "    at UserService.get (src/users.js:14:11)",
    "    ✓ logs the error and rethrows (41ms)",
    "",
    "  2 passing (63ms)",
]


@pytest.mark.parametrize(
    "lines",
    [
        _MOCHA_PASSING,
        # mocha prints a provoked socket error unindented; no rule takes it (wait-on loops print it
        # too), but the run page shows the line as the failure: the "✓" under it says otherwise.
        [
            "Run npx mocha",
            "  cache",
            "Error: connect ECONNREFUSED 127.0.0.1:6379",
            "    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)",
            "    ✓ retries when redis is down (204ms)",
            "",
            "  1 passing (230ms)",
        ],
        # libtest under --nocapture: the test's stderr, then its "... ok" row and the tally.
        [
            "Run cargo test -- --nocapture",
            "running 2 tests",
            'Error: Os { code: 2, kind: NotFound, message: "No such file or directory" }',
            "test config::tests::test_error_when_missing ... ok",
            "test config::tests::test_load ... ok",
            "",
            "test result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out",
        ],
        # unittest -v: a traceback the code under test logged, then "ok".
        [
            "Run python -m unittest -v",
            "test_error_path (tests.test_cli.CliTest) ... Traceback (most recent call last):",
            '  File "/home/runner/work/acme/acme/acme/cli.py", line 20, in main',
            '    raise ValueError("bad flag")',
            "ValueError: bad flag",
            "ok",
            "test_ok (tests.test_cli.CliTest) ... ok",
            "Ran 2 tests in 0.003s",
            "OK",
        ],
        # A script goes on after pip fails to open requirements.txt, and unittest's tally under
        # "Ran N tests" ends the step green (onichandame/python-test-action #2).
        [
            "Run ./ci.sh",
            "ERROR: Could not open requirements file: [Errno 2] No such file or directory: "
            "'requirements.txt'",
            "-" * 70,
            "Ran 3 tests in 0.004s",
            "",
            "OK (skipped=1)",
        ],
        # pytest -s: a module a test hides on purpose, then PASSED and the tally.
        [
            "Run pytest -v -s",
            "tests/test_optional.py::test_fallback_without_yaml",
            "ModuleNotFoundError: No module named 'yaml'",
            "tests/test_optional.py::test_fallback_without_yaml PASSED",
            "============================== 1 passed in 0.52s ===============================",
        ],
        # setup-go's problem matcher annotated t.Log rows of passing tests (sqlc-dev/sqlc #359).
        [
            "Run go test -v ./...",
            "=== RUN   TestAuthors",
            "--- PASS: TestAuthors (0.03s)",
            "##[error]    db_test.go:14: db: postgres://postgres:postgres@localhost:5432/postgres",
            "##[error]    db_test.go:25: []",
            "PASS",
            "ok  \tgithub.com/acme/sqlc/examples/authors\t0.044s",
        ],
    ],
)
def test_error_printed_by_a_passing_test_is_no_failure(tmp_path: Path, lines: list[str]) -> None:
    assert_finding(tmp_path, lines, None, {})


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # The same error line, but a test fails after it: the run failed.
        (
            [
                *_MOCHA_PASSING[:-2],
                "    1) rejects an expired token",
                "",
                "  2 passing (63ms)",
                "  1 failing",
                "Error: Process completed with exit code 1.",
            ],
            "test_failure",
            {},
        ),
        # A module missing for real: the run ends on the runner's failure line, not a pass.
        (
            [
                "Run python -m acme.cli",
                "ModuleNotFoundError: No module named 'yaml'",
                "Error: Process completed with exit code 1.",
            ],
            "missing_dependency",
            {"module": "yaml"},
        ),
        # unittest's "OK" is a pass only right under its "Ran N tests" line: a paste that stops at
        # "Ran" says nothing, and a script's own "OK" elsewhere is no tally.
        (
            [
                "Run ./ci.sh",
                "ERROR: Could not open requirements file: [Errno 2] No such file or directory: "
                "'requirements.txt'",
                "Ran 3 tests in 0.004s",
            ],
            "unknown",
            {"file": "requirements.txt"},
        ),
        (
            [
                "Run ./ci.sh",
                "ERROR: Could not open requirements file: [Errno 2] No such file or directory: "
                "'requirements.txt'",
                "OK",
            ],
            "unknown",
            {"file": "requirements.txt"},
        ),
        # pytest's failure section ("E   …") is a failure even with PASSED rows around it.
        (
            [
                "Run pytest -v",
                "E   ModuleNotFoundError: No module named 'yaml'",
                "tests/test_b.py::test_two PASSED",
            ],
            "missing_dependency",
            {"module": "yaml"},
        ),
        # pytest -s: a passing test's hidden module, then another test fails: that test is the cause.
        (
            [
                "Run pytest -v -s",
                "tests/test_optional.py::test_fallback_without_yaml",
                "ModuleNotFoundError: No module named 'yaml'",
                "tests/test_optional.py::test_fallback_without_yaml PASSED",
                "tests/test_api.py::test_login FAILED",
                "=========================== short test summary info ============================",
                "FAILED tests/test_api.py::test_login - assert 401 == 200",
                "========================= 1 failed, 1 passed in 0.52s ==========================",
                "Error: Process completed with exit code 1.",
            ],
            "test_failure",
            {"test": "tests/test_api.py::test_login"},
        ),
        # Every test passed and the run still failed: the error line may be why (an unhandled
        # rejection after the last test), so it stays.
        (
            [
                "Run npx mocha",
                "  api",
                "Error: boom in background job",
                "    ✓ handles the request (12ms)",
                "",
                "  1 passing (30ms)",
                "Error: Process completed with exit code 1.",
            ],
            "unknown",
            {},
        ),
        # go test ./...: one package's compile error, another package's "ok" tally, then the first
        # package's FAIL: a tally is no pass of the printed line when anything fails after it.
        (
            [
                "Run go test ./...",
                "# github.com/acme/svc/a",
                "a/x.go:3:2: undefined: Foo",
                "ok  \tgithub.com/acme/svc/b\t0.012s",
                "FAIL\tgithub.com/acme/svc/a [build failed]",
                "FAIL",
                "Error: Process completed with exit code 1.",
            ],
            "syntax_error",
            {"file": "a/x.go", "line": "3"},
        ),
        # Jest prints a failed suite's error above the next suite's head; that suite's rows are not
        # the error's.
        (
            [
                "Run npx jest --verbose",
                " FAIL  src/a.test.js",
                "  ● Test suite failed to run",
                "    Cannot find module 'lodash.merge' from 'src/a.js'",
                " PASS  src/b.test.js",
                "  ✓ works (3 ms)",
                "Test Suites: 1 failed, 1 passed, 2 total",
                "Error: Process completed with exit code 1.",
            ],
            "missing_dependency",
            {},
        ),
        # The same in a paste that stops at the tallies: every test that ran passed, but "Test
        # Suites: 1 failed" says a suite never ran them (segmentio/action-destinations' monorepo).
        (
            [
                " FAIL  src/a.test.js",
                "  ● Test suite failed to run",
                "",
                "    Cannot find module '@acme/core' from 'src/a.test.js'",
                "",
                "      at Resolver.resolveModule (node_modules/jest-resolve/build/resolver.js:324:11)",
                "",
                "Test Suites: 1 failed, 57 passed, 58 total",
                "Tests:       412 passed, 412 total",
            ],
            "missing_dependency",
            {"module": "@acme/core"},
        ),
        # libtest's own failing row after the printed error.
        (
            [
                "Run cargo test -- --nocapture",
                "Error: missing key",
                "test config::tests::test_load ... FAILED",
                "test result: FAILED. 0 passed; 1 failed; 0 ignored",
                "Error: Process completed with exit code 101.",
            ],
            "test_failure",
            {},
        ),
    ],
)
def test_error_followed_by_a_failure_stays(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    assert_finding(tmp_path, lines, want, facts)


@pytest.mark.parametrize(
    ("lines", "facts"),
    [
        # cirrus-actions/rebase #27: the 2019 runner retried a missing ref's archive, then printed
        # .NET's bare 404; the retry notice names the action and the ref.
        (
            [
                "Current runner version: '2.163.1'",
                "Prepare all required actions",
                "Download action repository 'acme/rebase@v1.2.0'",
                "##[warning]Failed to download action 'https://api.github.com/repos/acme/rebase/"
                "tarball/v1.2.0'. Error Response status code does not indicate success: 404 (Not Found).",
                "##[warning]Back off 23.846999999999998 seconds before retry.",
                "##[error]Response status code does not indicate success: 404 (Not Found).",
            ],
            {"action": "acme/rebase", "version": "v1.2.0"},
        ),
        # The web page's spelling of the same lines.
        (
            [
                "Download action repository 'acme/promtool-check@vmaster'",
                "Warning: Failed to download action 'https://api.github.com/repos/acme/promtool-check/"
                "zipball/vmaster'. Error: Response status code does not indicate success: 404 (Not Found).",
                "Warning: Back off 17.589 seconds before retry.",
                "Error: Response status code does not indicate success: 404 (Not Found).",
            ],
            {"action": "acme/promtool-check", "version": "vmaster"},
        ),
    ],
)
def test_action_archive_404_after_retries_is_a_missing_action(
    tmp_path: Path, lines: list[str], facts: dict[str, str]
) -> None:
    assert_finding(tmp_path, lines, "deprecated_action", facts)


@pytest.mark.parametrize(
    "warning",
    [
        # kotlinc's warning row ("w: "), gcc's ("x.c:3:5: warning: …"): a compiler's deprecation
        # warning above a failed test is not where the test failed.
        "w: file:///home/runner/work/acme/acme/app/src/main/kotlin/App.kt:12:5 'getter for x: Int' "
        "is deprecated.",
        "src/util.c:12:5: warning: 'strlcpy' is deprecated [-Wdeprecated-declarations]",
    ],
)
def test_a_warning_row_is_no_place_for_a_failed_test(tmp_path: Path, warning: str) -> None:
    lines = [
        "Run ./gradlew build",
        warning,
        "> Task :app:test FAILED",
        "AppTest > parsesConfig() FAILED",
        "    org.opentest4j.AssertionFailedError at AppTest.kt:31",
        "FAILURE: Build failed with an exception.",
        "Error: Process completed with exit code 1.",
    ]
    got, data = top_finding(tmp_path, lines)
    assert got == "test_failure"
    assert data.get("test") == "AppTest > parsesConfig()"
    assert "file" not in data


def test_action_archive_401_after_retries_is_the_service(tmp_path: Path) -> None:
    # actions/runner #3310, johnynek/bosatsu #2137: GitHub refused the runner's own token for a
    # public action's archive; the last line is the same .NET message NuGet prints for a bad key.
    lines = [
        "Prepare all required actions",
        "Download action repository 'actions/checkout@v2.1.0' (SHA:01aecccf739ca6ff86c0539fbc67a7a5007bbc81)",
        "##[warning]Failed to download action 'https://api.github.com/repos/actions/checkout/tarball/"
        "01aecccf739ca6ff86c0539fbc67a7a5007bbc81'. Error: Response status code does not indicate "
        "success: 401 (Unauthorized).",
        "##[warning]Back off 21.776 seconds before retry.",
        "##[error]Response status code does not indicate success: 401 (Unauthorized).",
    ]
    assert_finding(tmp_path, lines, "network_error", {"host": "api.github.com"})


def test_numpy_size_warning_does_not_hide_the_failed_test(tmp_path: Path) -> None:
    # desihub/desisim #560: Cython's RuntimeWarning for a grown NumPy struct, printed by passing runs
    # in GitHub Actions; its ValueError twin (a shrunk struct) is the fatal one.
    lines = [
        "Run python -m pytest tests/",
        "<frozen importlib._bootstrap>:219: RuntimeWarning: numpy.ndarray size changed, may indicate "
        "binary incompatibility. Expected 80 from C header, got 88 from PyObject",
        "tests/test_lya.py ...........F                                           [100%]",
        "FAILED tests/test_lya.py::test_spectrum_shape - assert (10, 4) == (10, 5)",
        "========================= 1 failed, 11 passed in 3.02s =========================",
        "Error: Process completed with exit code 1.",
    ]
    assert_finding(
        tmp_path, lines, "test_failure", {"test": "tests/test_lya.py::test_spectrum_shape"}
    )
