"""Browser and end-to-end tests (helper h59): the test a Playwright or WebdriverIO run names as
failed, in each shape it prints, and the browser-launch failures that outrank the test tally below
them (a browser not installed, a sandbox the runner cannot give, a Cypress smoke test that timed out).

Texts are the tools' real formats with names changed; the threads are named where the code says why.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.named_failures import named_failure
from tests.diagnose.joblog import FAILED, run_step, top_finding


@pytest.mark.parametrize(
    ("lines", "want"),
    [
        # Playwright's closing summary alone (a paste of the run's tail).
        (
            [
                "  1 failed",
                "    [chromium] › tests/login.spec.ts:15:5 › Login › shows error ",
                "  11 passed (41.2s)",
            ],
            "Login › shows error",
        ),
        # Without named projects, and with the rule the reporter draws after the title.
        (
            [
                "  1 failed",
                "    example.spec.ts:10:1 › get started link ──────────────",
                "  1 passed (6.0s)",
            ],
            "get started link",
        ),
        # Before Playwright 1.23 the header's rule was "=".
        (
            [
                "  1) [firefox] › tests\\cart.spec.ts:8:3 › Cart › adds an item =========================="
            ],
            "Cart › adds an item",
        ),
        # The list reporter of older versions, without the ordinal.
        (["  ✘  [webkit] › cart.spec.ts:8:3 › Cart › adds an item (30s)"], "Cart › adds an item"),
        (
            ["  ✘  12 [webkit] › cart.spec.ts:8:3 › Cart › adds an item (1.2m)"],
            "Cart › adds an item",
        ),
        (
            ["  ✘  14 [webkit] › cart.spec.ts:8:3 › Cart › adds an item (retry #1) (5.2s)"],
            "Cart › adds an item",
        ),
        # WebdriverIO's spec reporter: suite and test after the worker's preface.
        (
            [
                "[chrome 124.0.6367.79 windows #0-0] 1 failing (5.2s)",
                "[chrome 124.0.6367.79 windows #0-0]",
                "[chrome 124.0.6367.79 windows #0-0] 1) My Login application should log in",
                "[chrome 124.0.6367.79 windows #0-0] expect(received).toHaveText(expected)",
            ],
            "My Login application should log in",
        ),
    ],
)
def test_failed_test_shapes(lines: list[str], want: str) -> None:
    assert named_failure(lines) == want


@pytest.mark.parametrize(
    "lines",
    [
        # "N failed" of another runner, whose list is no Playwright title.
        ["  1 failed", "    at Context.<anonymous> (test/cart.test.js:12:9)"],
        ["  1 flaky", "    [chromium] › tests/login.spec.ts:15:5 › Login › shows error"],
        ["[chrome 124.0.6367.79 linux #0-0]    ✓ should log in"],
    ],
)
def test_not_failed_tests(lines: list[str]) -> None:
    assert named_failure(lines) is None


def test_wdio_job_names_its_failed_test(tmp_path: Path) -> None:
    lines = run_step(
        "npx wdio run ./wdio.conf.js",
        "[chrome 120.0.6099.109 linux #0-0] » /test/specs/login.e2e.js",
        "[chrome 120.0.6099.109 linux #0-0] My Login application",
        "[chrome 120.0.6099.109 linux #0-0]    ✖ should login with valid credentials",
        "[chrome 120.0.6099.109 linux #0-0] 1 failing (5.2s)",
        "[chrome 120.0.6099.109 linux #0-0] 1) My Login application should login with valid credentials",
        '[chrome 120.0.6099.109 linux #0-0] Expected element to have text containing "You logged in"',
        "Spec Files:\t 0 passed, 1 failed, 1 total (100% completed) in 00:00:09",
        FAILED,
    )
    assert top_finding(tmp_path, lines) == (
        "test_failure",
        {"test": "My Login application should login with valid credentials", "exit_code": "1"},
    )


def test_wdio_passing_run_is_no_failure(tmp_path: Path) -> None:
    lines = run_step(
        "npx wdio run ./wdio.conf.js",
        "[0-0] RUNNING in chrome - /test/specs/basic.e2e.ts",
        "[0-0] PASSED in chrome - /test/specs/basic.e2e.ts",
        "Spec Files:\t 1 passed, 1 total (100% completed) in 00:00:19",
    )
    assert top_finding(tmp_path, lines)[0] is None


@pytest.mark.parametrize(
    ("body", "want"),
    [
        # Karma names the variable, but the browser is what is missing (not missing_env_vars).
        (
            [
                "14 02 2018 17:24:45.813:INFO [launcher]: Starting browser ChromeHeadless",
                "14 02 2018 17:24:45.814:ERROR [launcher]: No binary for ChromeHeadless browser on your platform.",
                '  Please, set "CHROME_BIN" env variable.',
            ],
            "missing_tool",
        ),
        (
            [
                "Cannot start ChromeHeadless",
                "\tCan not find the binary /Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
                "\tPlease set env variable CHROME_BIN",
            ],
            "missing_tool",
        ),
        # Puppeteer 19+ with its browser cache, and the executablePath forms.
        (
            [
                "Error: Could not find Chromium (rev. 1108766). This can occur if either",
                " 1. you did not perform an installation before running the script (e.g. `npm install`) or",
            ],
            "missing_tool",
        ),
        (
            [
                "Error: Browser was not found at the configured executablePath (/usr/bin/google-chrome)"
            ],
            "missing_tool",
        ),
        # The sandbox the runner image refuses outranks jest's tally of the suite it broke.
        (
            [
                "[1994:1994:0224/033452.414952:FATAL:zygote_host_impl_linux.cc(128)] No usable sandbox! If you are running on Ubuntu 23.10+ or another Linux distro that has disabled unprivileged user namespaces with AppArmor, see https://chromium.googlesource.com/chromium/src/+/main/docs/security/apparmor-userns-restrictions.md.",
                "FAIL test/render.test.js",
                "  ● Test suite failed to run",
                "Test Suites: 1 failed, 1 total",
            ],
            "runner_failure",
        ),
        # Cypress's smoke test, on Windows.
        (
            [
                "Cypress verification timed out.",
                "Command timed out after 30000 milliseconds: C:\\Users\\runneradmin\\AppData\\Local\\Cypress\\Cache\\9.0.0\\Cypress\\Cypress.exe --smoke-test --ping=453",
            ],
            "timeout",
        ),
    ],
)
def test_browser_launch_failures(tmp_path: Path, body: list[str], want: str) -> None:
    assert top_finding(tmp_path, run_step("npm test", *body, FAILED))[0] == want


@pytest.mark.parametrize(
    ("lines", "want"),
    [
        # TestCafe's spec reporter, with a quarantine rerun's "(unstable)".
        (
            [
                " Login",
                " ✓ valid user can sign in",
                " ✖ invalid user sees an error",
                " 1/2 failed (12s)",
            ],
            "invalid user sees an error",
        ),
        ([" ✖ checkout survives a reload (unstable)"], "checkout survives a reload"),
    ],
)
def test_testcafe_failed_test(lines: list[str], want: str) -> None:
    assert named_failure(lines) == want


@pytest.mark.parametrize(
    "lines",
    [
        ["✖ 3 problems (3 errors, 0 warnings)"],
        ["✖ failing tests:"],
    ],
)
def test_cross_lines_are_no_test(lines: list[str]) -> None:
    assert named_failure(lines) is None


@pytest.mark.parametrize(
    ("body", "facts"),
    [
        # Playwright's .NET binding, without "browserType.launch:".
        (
            [
                "  Failed Tests.LoginTests.ShowsError [1 s]",
                "   Microsoft.Playwright.PlaywrightException : Executable doesn't exist at /home/runner/.cache/ms-playwright/chromium-1091/chrome-linux/chrome",
            ],
            {"tool": "playwright"},
        ),
        # Cypress's verify step with no binary in the cache.
        (
            [
                "No version of Cypress is installed in: /home/runner/.cache/Cypress/13.6.0/Cypress",
                "",
                "Please reinstall Cypress by running: cypress install",
            ],
            {"tool": "cypress"},
        ),
        (
            [
                'ERROR Unable to find the browser. "chrome" is not a browser alias or path to an executable file.'
            ],
            {},
        ),
    ],
)
def test_browser_not_installed(tmp_path: Path, body: list[str], facts: dict[str, str]) -> None:
    got, data = top_finding(tmp_path, run_step("npm test", *body, FAILED))
    assert got == "missing_tool"
    assert {k: data.get(k) for k in facts} == facts


def test_karma_gave_up_below_a_compile_error(tmp_path: Path) -> None:
    """Karma's capture timeout is the cause only when nothing above it says why the page never loaded."""
    gave_up = [
        "07 04 2019 10:05:40.200:WARN [launcher]: Chrome have not captured in 60000 ms, killing.",
        "07 04 2019 10:07:43.450:ERROR [launcher]: Chrome failed 2 times (timeout). Giving up.",
    ]
    tsc = "ERROR in src/app/app.component.spec.ts(13,23): error TS2339: Property 'x' does not exist on type 'Y'."
    assert top_finding(tmp_path, run_step("npm test", *gave_up, FAILED))[0] == "timeout"
    assert top_finding(tmp_path, run_step("npm test", tsc, *gave_up, FAILED))[0] == "lint_failure"
