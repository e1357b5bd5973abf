"""Facts the Python/JavaScript message-family sweep relies on: vitest's first failed test and the file a
stylelint row belongs to."""

from __future__ import annotations

from smartmon.diagnose.facts import enrich, first_test


def test_vitest_names_the_first_failed_test_of_the_list() -> None:
    before = (
        "⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯ Failed Tests 2 ⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯",
        "",
        " FAIL  src/api/list.test.ts > orders > lists by status",
        "AssertionError: expected [] to have a length of 1 but got +0",
        " ❯ src/api/list.test.ts:109:8",
    )
    text = " FAIL  src/api/get.test.ts > orders > returns 404"
    assert first_test("orders > returns 404", text, before) == "orders > lists by status"


def test_vitest_list_of_an_earlier_run_is_not_read() -> None:
    before = (
        " FAIL  src/old.test.ts > stale > from a previous list",
        "⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯ Failed Tests 1 ⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯",
    )
    text = " FAIL  |unit| src/math.test.ts > math > adds"
    assert first_test("math > adds", text, before) == "math > adds"


def test_stylelint_row_takes_the_file_header_above() -> None:
    before = ("Run npx stylelint '**/*.css'", "", "src/index.css")
    text = '  3:5  ✖  Unexpected unknown property "colr"  property-no-unknown'
    data = enrich("lint_failure", {}, text, before, "Run npx stylelint '**/*.css'")
    assert (data.get("file"), data.get("line"), data.get("tool")) == (
        "src/index.css",
        "3",
        "stylelint",
    )
