"""Where a failed test is read and fixed: the test file of the project in the stack under a failure.

A test runner's report names the assertion library's and the framework's frames first and the test's
own last; `fill_location` takes the test file from there when a rule's match named none, and
`facts` uses `go_test_location` for a go test failure named above the matched one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from smartmon.diagnose.locations import location

# A test file by its name: PHPUnit "tests/Unit/CalcTest.php", Go "x_test.go", pytest "test_x.py" and
# "x_test.py", Jest/Vitest "x.test.ts" / "x.spec.js", JUnit/Kotest "CalcTest.kt" / "CalcSpec.kt", RSpec
# "x_spec.rb", Minitest "x_test.rb". Third-party code (vendor/, node_modules/ …) is no test of the project.
_TEST_FILE = re.compile(
    r"(?:^|[\\/])(?:test_[^\\/]+\.py|[^\\/]+_(?:test|spec)\.(?:go|py|rb|exs?)"
    r"|[^\\/]+\.(?:test|spec)\.[cm]?[jt]sx?"
    r"|[^\\/]+(?:Test|Tests|Spec|IT)\.(?:php|java|kt|kts|scala|groovy|cs|swift))$"
)
_THIRD_PARTY = re.compile(
    r"(?:^|[\\/])(?:vendor|node_modules|site-packages|dist-packages|third_party)[\\/]"
)
# Where the report of one failure ends: the next numbered failure (PHPUnit "2) Tests\\X::y", mocha),
# PHPUnit's closing "FAILURES!", go test's next "--- FAIL", pytest's "____ test_x ____" headers, Jest's
# "  ● Suite › test", a rule of "=" signs, minitest-reporters' next row ('ERROR["test_x", …',
# " FAIL Suite#test_x (0.05s)"; publiclab/plots2 PR #8795).
_NEXT_FAILURE = re.compile(
    r"^\s*\d+\) \S|^\s*FAILURES!|^\s*--- FAIL|^_{3,} |^\s*● |^={3,}"
    r"|^\s*(?:FAIL|ERROR) ?\[\"test|^\s*(?:FAIL|ERROR) [A-Z][\w:]*#test\w* \("
)
# How far under the failure its stack may run.
_FAILURE_SPAN = 60


def is_test_file(path: str) -> bool:
    """Whether a repository path names a test file of the project (not one of its dependencies)."""
    return bool(_TEST_FILE.search(path)) and not _THIRD_PARTY.search(path)


def test_file_below(after: Sequence[str], cwd: str = "") -> tuple[str, str] | None:
    """The last test file's location in the stack printed under a failure.

    PHPUnit, JUnit and Node list the innermost frame first (the assertion library's, the framework's),
    the test's own frame last: the test file is where the failure is read and fixed.
    """
    found: tuple[str, str] | None = None
    located = (
        False  # a header right under a tally ("There was 1 failure:" then "1) …") opens the span
    )
    for text in after[:_FAILURE_SPAN]:
        if located and _NEXT_FAILURE.match(text):
            break
        here = location(text, cwd)
        if here:
            located = True
            if is_test_file(here[0]):
                found = here
    return found


def go_test_location(test: str, before: Sequence[str], cwd: str = "") -> tuple[str, str] | None:
    """The test file's place under an earlier go test failure (`--- FAIL: TestX (0.01s)`), when the
    named test is not the matched one (the package's first failure is named, the last one matched)."""
    header = f"--- FAIL: {test} "
    for i in range(len(before) - 1, -1, -1):
        if before[i].lstrip().startswith(header):
            return test_file_below(before[i + 1 :], cwd)
    return None
