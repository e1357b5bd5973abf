"""An HTTP 401 or 403 a failing test raised is the test's failure, not the job's credential: pytest's
`E   requests.exceptions.HTTPError: 403 Client Error: Forbidden for url: http://localhost:5000/admin`
and its summary row `FAILED tests/x.py::test_admin - requests…403…`, Jest's `● api › admin` over
`AxiosError: Request failed with status code 403`, Vitest's ` FAIL  src/api.test.ts > API > x` over
the same (`checks: [test-owns-http-error]`). The test rules (60-tests) then report the test, as
they do for a database a failing test could not reach (database-or-cache-unreachable is listed after
them for that reason).
"""

from __future__ import annotations

import re

from smartmon.diagnose.jobstate import Hit, step_above

# pytest's exception line inside a failure's block ("E   …") and its short summary's row
# ("FAILED tests/test_x.py::test_y - …", "ERROR tests/…::… - …").
_PYTEST_LINE = re.compile(r"^\s*(?:E {2,}|(?:FAILED|ERROR) \S+::\S.*? - )")
# A server the job started itself: the test's own app, not an API the job's token reached.
# A loopback URL alone says nothing (a publish to a local verdaccio); a refusal from a real host is
# the credential's even inside a test (a fork's job without the secret, review rev53).
_ANY_URL = re.compile(r"\bhttps?://")
_LOOPBACK_URL = re.compile(r"\bhttps?://(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])(?:[:/]|\s|$)")
# A JavaScript runner's header for the failing test the lines below belong to: Jest's "  ● suite ›
# test", Vitest's " FAIL  src/api.test.ts > API > test" and its tree's "   × API > test 8ms".
_JS_TEST_HEADER = re.compile(r"^\s*(?:● \S|FAIL {1,2}\S+ > \S|× \S)")
# What ends a test's block: a tally, the next file's result line.
_BLOCK_END = re.compile(r"^\s*(?:Tests?:|Test Files |PASS |✓ )")


def _under_js_test(hit: Hit, window: int = 12) -> bool:
    """A Jest or Vitest failing test's header is above the hit in its step, within `window` lines
    and with no tally or passing file between."""
    for line in reversed(step_above(hit)[-window:]):
        if _BLOCK_END.match(line):
            return False
        if _JS_TEST_HEADER.match(line):
            return True
    return False


def raised_by_failing_test(hit: Hit) -> bool:
    """A rule with `checks: [test-owns-http-error]` on a line a failing test printed (pytest's `E`
    line or summary row, a Jest or Vitest test's block) naming no host or a loopback one: the test's
    failure."""
    if "test-owns-http-error" not in hit.rule.checks:
        return False
    if _ANY_URL.search(hit.text) and not _LOOPBACK_URL.search(hit.text):
        return False  # a test that called a real service with the job's token: the token's refusal
    return bool(_PYTEST_LINE.match(hit.text) or _under_js_test(hit))
