"""Browser-automation timeouts (rev44): a navigation or launch that ran out of its own limit is a
timeout and names the test whose block it is in; an element wait or action, the test's own limit and
a script's quoted retry leave the runner's failure summary to speak.

Texts are the runners' real formats with names changed; the threads are named in the rule
(rules/60-tests.yaml, browser-automation-timeout).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.failed_tests import block_test_above
from tests.diagnose.joblog import FAILED, assert_job_finding, run_step


@pytest.mark.parametrize(
    ("before", "want"),
    [
        (["  2) [chromium] › home.spec.ts:5:3 › home loads ────────────", ""], "home loads"),
        (["  1) tests/example.spec.ts:3:1 › example ====="], "example"),
        (["  ● app › renders title", ""], "app › renders title"),
        (["  ● Test suite failed to run", ""], None),
        # only the nearest printed line: a header further up is another line's
        (["  1) [chromium] › a.spec.ts:1:1 › a ───", "", "    Call log:"], None),
        ([], None),
    ],
)
def test_block_test_above(before: list[str], want: str | None) -> None:
    assert block_test_above(before) == want


_CART = [
    "  2) [chromium] › cart.spec.ts:9:3 › cart total ──────────────",
    "",
    "    Error: expect(received).toBe(expected) // Object.is equality",
    "",
]


@pytest.mark.parametrize(
    ("body", "want", "facts"),
    [
        # a navigation timeout names its test
        (
            [
                "  1) [chromium] › home.spec.ts:5:3 › home loads ────────────",
                "",
                "    TimeoutError: page.goto: Timeout 30000ms exceeded.",
                "  1 failed",
            ],
            "timeout",
            {"test": "home loads"},
        ),
        # an action's timeout beside an assertion: the runner's summary names the first failed test
        (
            [
                "  1) [chromium] › login.spec.ts:5:3 › login shows error ─────",
                "",
                "    TimeoutError: locator.click: Timeout 30000ms exceeded.",
                "",
                *_CART,
                "  2 failed",
                "    [chromium] › login.spec.ts:5:3 › login shows error",
                "    [chromium] › cart.spec.ts:9:3 › cart total",
            ],
            "test_failure",
            {"test": "login shows error"},
        ),
        # the test's own limit ends an action: the test ran out of time, as jest's and mocha's
        # "Exceeded timeout" are read (and Playwright's bare "Test timeout of N ms exceeded.")
        (
            [
                "  1) [chromium] › home.spec.ts:5:3 › home loads ────────────",
                "",
                "    Error: locator.click: Test timeout of 30000ms exceeded.",
                "  1 failed",
            ],
            "timeout",
            {"test": "home loads"},
        ),
    ],
)
def test_browser_timeout_findings(
    tmp_path: Path, body: list[str], want: str, facts: dict[str, str]
) -> None:
    assert_job_finding(tmp_path, [*run_step("npx playwright test", *body), FAILED], want, facts)


def test_quoted_navigation_timeout_is_no_cause(tmp_path: Path) -> None:
    """A prerender script that logs Puppeteer's timeout and retries; eslint then fails the step."""
    body = [
        "warn: /blog/rss skipped (TimeoutError: Navigation timeout of 30000 ms exceeded), retrying",
        "prerendered 42/42 pages",
        "/home/runner/work/site/site/src/a.js",
        "  3:7  error  'x' is assigned a value but never used  no-unused-vars",
        "",
        "✖ 1 problem (1 error, 0 warnings)",
    ]
    assert_job_finding(
        tmp_path, [*run_step("npm run lint", *body), FAILED], "lint_failure", {"tool": "eslint"}
    )
