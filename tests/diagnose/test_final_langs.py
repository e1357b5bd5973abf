"""Go's package-qualified `undefined: pkg.Func` and Rust's unresolved import as import_error with
name/from; kotlinc's "e: " rows against ktlint's bare rows; PHP parse errors in one rule; and a test
failure's file read from the test's own frame, not the framework's innermost one, nor the next failure's."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import classify
from smartmon.diagnose.failed_test_places import is_test_file
from tests.diagnose.joblog import FAILED, run_step, write_job


def _one(tmp_path: Path, lines: list[str]) -> tuple[str, dict[str, str]]:
    analysis = classify.analyze_paths([write_job(tmp_path, lines)])
    [finding] = analysis.findings
    return finding.type.value, dict(finding.data)


def test_go_qualified_undefined_is_an_import_error(tmp_path: Path) -> None:
    log = run_step(
        "go build ./...",
        "# example.com/app/internal/render",
        "internal/render/page.go:47:16: undefined: blackfriday.Run",
        FAILED,
    )
    kind, data = _one(tmp_path, log)
    assert kind == "import_error"
    assert (data["name"], data["from"]) == ("Run", "blackfriday")
    assert (data["file"], data["line"]) == ("internal/render/page.go", "47")


def test_go_bare_undefined_stays_a_syntax_error(tmp_path: Path) -> None:
    log = run_step(
        "go build ./...",
        "# example.com/app",
        "./main.go:12:2: undefined: paintCell",
        FAILED,
    )
    kind, data = _one(tmp_path, log)
    assert kind == "syntax_error"
    assert "from" not in data


@pytest.mark.parametrize(
    ("line", "name", "source"),
    [
        ("error[E0432]: unresolved import `tokio::sync::Foo`", "Foo", "tokio::sync"),
        ("error[E0432]: unresolved import `foo`", "foo", None),
    ],
)
def test_rust_unresolved_import_splits_name_and_path(
    tmp_path: Path, line: str, name: str, source: str | None
) -> None:
    log = run_step(
        "cargo build",
        "   Compiling app v0.1.0 (/home/runner/work/app/app)",
        line,
        " --> src/main.rs:3:5",
        "  |",
        "3 | use tokio::sync::Foo;",
        'error: could not compile `app` (bin "app") due to 1 previous error',
        FAILED,
    )
    kind, data = _one(tmp_path, log)
    assert kind == "import_error"
    assert data["name"] == name
    assert data.get("from") == source


def test_ktlint_row_with_a_colon_is_a_lint(tmp_path: Path) -> None:
    log = run_step(
        "./gradlew ktlintCheck",
        "> Task :app:ktlintMainSourceSetCheck FAILED",
        'app/src/main/kotlin/Main.kt:12:5 Unexpected spacing before ":" (standard:colon-spacing)',
        FAILED,
    )
    kind, data = _one(tmp_path, log)
    assert kind == "lint_failure"
    assert data["file"] == "app/src/main/kotlin/Main.kt"


def test_kotlinc_windows_uri_is_a_compile_error(tmp_path: Path) -> None:
    log = run_step(
        "./gradlew build",
        "> Task :app:compileKotlin FAILED",
        "e: file:///D:/a/app/app/src/main/kotlin/Main.kt:12:5 Unresolved reference: foo",
        FAILED,
    )
    kind, data = _one(tmp_path, log)
    assert kind == "syntax_error"
    assert (data["file"], data["line"]) == ("src/main/kotlin/Main.kt", "12")


@pytest.mark.parametrize(
    "line",
    [
        'PHP Parse error:  syntax error, unexpected token "}" in src/Kernel.php on line 42',
        "Error: Parse error: syntax error, unexpected ':', expecting ')' in src/Kernel.php on line 42",
    ],
)
def test_php_parse_error_with_or_without_annotation(tmp_path: Path, line: str) -> None:
    kind, data = _one(tmp_path, run_step("composer lint", line, FAILED))
    assert kind == "syntax_error"
    assert (data["file"], data["line"]) == ("src/Kernel.php", "42")


def test_phpunit_failure_names_the_test_file_not_the_framework(tmp_path: Path) -> None:
    log = run_step(
        "vendor/bin/phpunit",
        "PHPUnit 10.5.20 by Sebastian Bergmann and contributors.",
        "",
        "..F.                                                                4 / 4 (100%)",
        "",
        "There was 1 failure:",
        "",
        "1) Tests\\Unit\\CalcTest::testAdd",
        "Failed asserting that 3 is identical to 4.",
        "",
        "/home/runner/work/app/app/vendor/phpunit/phpunit/src/Framework/Constraint/Constraint.php:121",
        "/home/runner/work/app/app/vendor/phpunit/phpunit/src/Framework/Assert.php:2210",
        "/home/runner/work/app/app/tests/Unit/CalcTest.php:14",
        "",
        "FAILURES!",
        "Tests: 4, Assertions: 4, Failures: 1.",
        FAILED,
    )
    kind, data = _one(tmp_path, log)
    assert kind == "test_failure"
    assert (data["file"], data["line"]) == ("tests/Unit/CalcTest.php", "14")


def test_minitest_reporters_file_is_the_first_rows_frame(tmp_path: Path) -> None:
    # publiclab/plots2 PR #8795: minitest-reporters 1.x rows are peers; the place is the first one's.
    log = [
        'ERROR["test_edit", #<Minitest::Reporters::Suite:0x00007f34518414d0 @name="EditorTest">, 90.5]',
        " test_edit#EditorTest (90.53s)",
        'Minitest::UnexpectedError:         Capybara::ElementNotFound: Unable to find css "a.edit"',
        "            test/system/editor_test.rb:66:in `block in <class:EditorTest>'",
        "",
        'ERROR["test_rich", #<Minitest::Reporters::Suite:0x00007f345b370b40 @name="EditorTest">, 153.1]',
        " test_rich#EditorTest (153.15s)",
        'Minitest::UnexpectedError:         Capybara::ElementNotFound: Unable to find css "a.rich"',
        "            test/system/editor_test.rb:42:in `block in <class:EditorTest>'",
    ]
    kind, data = _one(tmp_path, log)
    assert kind == "test_failure"
    assert (data["test"], data["file"], data["line"]) == (
        "test_edit",
        "test/system/editor_test.rb",
        "66",
    )


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("tests/Unit/CalcTest.php", True),
        ("pkg/api/server_test.go", True),
        ("tests/test_api.py", True),
        ("src/app.test.ts", True),
        ("src/test/kotlin/CalcSpec.kt", True),
        ("src/Framework/Constraint/Constraint.php", False),
        ("vendor/acme/lib/tests/FooTest.php", False),
        ("src/latest.py", False),
    ],
)
def test_is_test_file(path: str, expected: bool) -> None:
    assert is_test_file(path) is expected
