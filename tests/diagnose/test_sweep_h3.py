"""Facts the compiled-languages sweep (Go, Rust, JVM, C/C++, .NET) reads by output format.

Texts are the tools' real formats with names changed; the thread each comes from is named in the
module or rule that reads it, or in the tuning case that uses it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.failed_tests import first_test
from smartmon.diagnose.file_rows import violations_file
from smartmon.diagnose.locations import location
from smartmon.diagnose.named_failures import named_failure
from smartmon.diagnose.repo_paths import repo_path
from tests.diagnose.joblog import FAILED, top_finding


def test_go_first_failed_test_of_the_package_is_named() -> None:
    # A rule keeps its last match; the package's first failure is the one a person reads first.
    before = [
        "--- FAIL: TestValidateErr (0.01s)",
        "    validate_test.go:118: ",
        '        \tError:      \t"Error: open x.yaml" does not contain "no such file or directory"',
    ]
    assert first_test("TestNewErr", "--- FAIL: TestNewErr (0.00s)", before) == "TestValidateErr"


def test_go_first_failed_leaf_wins_over_its_parent() -> None:
    before = [
        "--- FAIL: TestGracefulStop (1.20s)",
        "    --- FAIL: TestGracefulStop/after_short_time (0.50s)",
    ]
    text = "    --- FAIL: TestGracefulStop/after_long_time (0.70s)"
    assert first_test("TestGracefulStop/after_long_time", text, before) == (
        "TestGracefulStop/after_short_time"
    )


def test_go_first_failed_test_stays_in_its_package() -> None:
    before = ["--- FAIL: TestOther (0.00s)", "FAIL\tgithub.com/acme/app/other\t0.01s"]
    assert first_test("TestParse", "--- FAIL: TestParse (0.00s)", before) == "TestParse"


@pytest.mark.parametrize(
    ("lines", "test"),
    [
        # Maven 3.9 on a runner prints "Error:  " where it prints "[ERROR] " elsewhere.
        (
            ["Error:  testAdd(com.acme.CalcTest)  Time elapsed: 0.01 s  <<< FAILURE!"],
            "testAdd(com.acme.CalcTest)",
        ),
        (["Error:    CalcTest.testAdd:21 expected:<3> but was:<2>"], "CalcTest.testAdd"),
        # libtest's failure header, nextest's rows (old and new), CTest's list, GoogleTest's result.
        (["---- tests::parses stdout ----"], "tests::parses"),
        (["    FAIL [   0.014s] takeoff::main test_set_origin"], "test_set_origin"),
        (
            ["        FAIL [   0.018s] (100/115) ui-runtime transaction::tests::one_patch"],
            "transaction::tests::one_patch",
        ),
        (["\t  3 - parser_test (Failed)"], "parser_test"),
        (["[  FAILED  ] ParserTest.HandlesEmpty (0 ms)"], "ParserTest.HandlesEmpty"),
        # Kotlin Multiplatform tags the target on the class and the test.
        (
            ["com.acme.ParserTest[jvm] > parsesEmpty()[jvm] FAILED"],
            "com.acme.ParserTest[jvm] > parsesEmpty()[jvm]",
        ),
    ],
)
def test_named_failures_by_runner(lines: list[str], test: str) -> None:
    assert named_failure(lines) == test


def test_surefire_results_row_is_no_location() -> None:
    assert location("Error:    CalcTest.testAdd:21 expected:<3> but was:<2>") is None
    assert location("[ERROR]   CalcTest.shouldAdd:21 expected:<3> but was:<2>") is None
    assert location("src/main/java/App.java:12: error: cannot find symbol") == (
        "src/main/java/App.java",
        "12",
    )


@pytest.mark.parametrize(
    ("lines", "file"),
    [
        (
            [
                "Execution failed for task ':spotlessJavaCheck'.",
                "> The following files had format violations:",
                "      launcher/src/app/AccentColorExtractor.java",
                "          @@ -24,19 +24,15 @@",
            ],
            "launcher/src/app/AccentColorExtractor.java",
        ),
        (
            [
                "[ERROR] Failed to execute goal com.diffplug.spotless:spotless-maven-plugin:2.27.0:check"
                " (default) on project web: The following files had format violations:",
                "[ERROR]     src\\main\\java\\com\\example\\BillboardController.java",
            ],
            "src/main/java/com/example/BillboardController.java",
        ),
    ],
)
def test_spotless_lists_the_files_under_its_message(lines: list[str], file: str) -> None:
    assert violations_file(lines) == file


def test_windows_verbatim_prefix_is_dropped() -> None:
    assert repo_path("\\\\?\\D:\\a\\app\\app\\src\\main.rs") == "src/main.rs"


def test_rust_note_span_is_not_the_error_location(tmp_path: Path) -> None:
    # `#![deny(clippy::unwrap_used)]` prints the attribute's place under "note: the lint level is
    # defined here"; the error is where the unwrap is.
    _kind, facts = top_finding(
        tmp_path,
        [
            "##[group]Run cargo clippy --all-targets",
            "##[endgroup]",
            "error: used `unwrap()` on an `Option` value",
            "  --> src/config.rs:42:17",
            "   |",
            "42 |     let port = env_port.unwrap();",
            "   |                ^^^^^^^^^^^^^^^^^",
            "   |",
            "   = note: if this value is `None`, it will panic",
            "note: the lint level is defined here",
            "  --> src/lib.rs:2:9",
            "   |",
            "2  | #![deny(clippy::unwrap_used)]",
            "   |         ^^^^^^^^^^^^^^^^^^^",
            "",
            "error: could not compile `widget` (lib) due to 1 previous error",
            "##[error]Process completed with exit code 101.",
        ],
    )
    assert (facts.get("file"), facts.get("line")) == ("src/config.rs", "42")


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # clippy denied on the command line: a lint, located at the error above the note.
        (
            [
                "##[group]Run cargo clippy -- -D clippy::unwrap-used",
                "##[endgroup]",
                "error: used `unwrap()` on a `Result` value",
                "    --> pallets/accounts/src/lib.rs:1970:24",
                "     |",
                "1970 |         let id = T::AccountId::decode(&mut bytes).unwrap();",
                "     |",
                "     = note: requested on the command line with `-D clippy::unwrap-used`",
                "",
                "error: could not compile `pallet-accounts` (lib) due to 1 previous error",
                FAILED,
            ],
            "lint_failure",
            {"tool": "clippy", "file": "pallets/accounts/src/lib.rs", "line": "1970"},
        ),
        # A go test binary that stopped without "--- FAIL": the package line of a slash-less module.
        (
            [
                "##[group]Run go test -v ./...",
                "##[endgroup]",
                "=== RUN   TestMetadataSecrets/map[]",
                "FAIL\tlint.example.dev\t17.438s",
                "FAIL",
                FAILED,
            ],
            "test_failure",
            {"package": "lint.example.dev"},
        ),
        # Gradle's request that failed below HTTP: the host is the URL's.
        (
            [
                "##[group]Run ./gradlew build",
                "##[endgroup]",
                "   > Could not resolve com.google.googlejavaformat:google-java-format:1.15.0.",
                "      > Could not GET 'https://repo.maven.apache.org/maven2/com/google/gjf-1.15.0.pom'.",
                "         > repo.maven.apache.org",
                "BUILD FAILED in 53s",
                FAILED,
            ],
            "network_error",
            {"host": "repo.maven.apache.org"},
        ),
        # The repository's host of a Maven transfer failure, on a line longer than a finding keeps.
        (
            [
                "##[group]Run mvn -B verify",
                "##[endgroup]",
                "Error:  Failed to execute goal org.apache.maven.plugins:maven-dependency-plugin:2.8:unpack"
                " (default) on project web: Execution default of goal"
                " org.apache.maven.plugins:maven-dependency-plugin:2.8:unpack failed: Plugin"
                " org.apache.maven.plugins:maven-dependency-plugin:2.8 or one of its dependencies could"
                " not be resolved: Failed to collect dependencies at"
                " org.apache.maven.plugins:maven-dependency-plugin:jar:2.8 ->"
                " org.apache.maven.reporting:maven-reporting-impl:jar:2.0.5 ->"
                " org.apache.maven.doxia:doxia-core:jar:1.0: Failed to read artifact descriptor for"
                " org.apache.maven.doxia:doxia-core:jar:1.0: Could not transfer artifact"
                " org.apache.maven.doxia:doxia-core:pom:1.0 from/to central"
                " (https://repo.maven.apache.org/maven2): transfer failed for"
                " https://repo.maven.apache.org/maven2/org/apache/maven/doxia/doxia-core/1.0/"
                "doxia-core-1.0.pom: Connection reset -> [Help 1]",
                FAILED,
            ],
            "network_error",
            {"host": "repo.maven.apache.org"},
        ),
        # Spotless under Gradle: the task names the tool, the list the file.
        (
            [
                "##[group]Run ./gradlew spotlessCheck",
                "##[endgroup]",
                "> Task :spotlessJavaCheck FAILED",
                "* What went wrong:",
                "Execution failed for task ':spotlessJavaCheck'.",
                "> The following files had format violations:",
                "      app/src/main/java/com/acme/App.java",
                "          @@ -3,7 +3,6 @@",
                "BUILD FAILED in 12s",
                FAILED,
            ],
            "lint_failure",
            {"tool": "spotless", "file": "app/src/main/java/com/acme/App.java"},
        ),
        # nextest names the test in its FAIL rows; the run ends "error: test run failed".
        (
            [
                "##[group]Run cargo nextest run",
                "##[endgroup]",
                "        FAIL [   0.014s] takeoff::main test_set_origin",
                "     Summary [   0.015s] 24 tests run: 23 passed, 1 failed, 0 skipped",
                "        FAIL [   0.014s] takeoff::main test_set_origin",
                "error: test run failed",
                FAILED,
            ],
            "test_failure",
            {"test": "test_set_origin"},
        ),
        # MSVC compiles .c++ files; the location is joined from the runner's work folder.
        (
            [
                "##[group]Run cmake --build build --config debug",
                "##[endgroup]",
                "D:\\a\\kit\\kit\\c++\\src\\kj\\exception.c++(1176,8): error C2065: 'ssize_t':"
                " undeclared identifier [D:\\a\\kit\\kit\\build\\src\\kj\\kj.vcxproj]",
                FAILED,
            ],
            "syntax_error",
            {"file": "c++/src/kj/exception.c++", "line": "1176"},
        ),
    ],
)
def test_compiled_language_verdicts(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    kind, got = top_finding(tmp_path, lines)
    assert kind == want
    assert {k: got.get(k) for k in facts} == facts


@pytest.mark.parametrize(
    "lines",
    [
        # A lint level set by an attribute is noted under warnings too; the job passed.
        [
            "##[group]Run cargo build",
            "##[endgroup]",
            "warning: missing documentation for a function",
            "  --> src/lib.rs:10:1",
            "note: the lint level is defined here",
            "  --> src/lib.rs:1:9",
            "   |",
            "1  | #![warn(missing_docs)]",
            "    Finished `dev` profile [unoptimized + debuginfo] target(s) in 4.21s",
        ],
        # Surefire reran a flaky test and it passed.
        [
            "##[group]Run mvn -B verify -Dsurefire.rerunFailingTestsCount=2",
            "##[endgroup]",
            "[WARNING] Flakes: ",
            "[WARNING] com.acme.LedgerTest.testCreate(com.acme.LedgerTest)",
            "[ERROR]   Run 1: LedgerTest.testCreate:93 » Timeout test timed out after 60000 milliseconds",
            "[INFO]   Run 2: PASS",
            "[WARNING] Tests run: 14, Failures: 0, Errors: 0, Skipped: 0, Flakes: 1",
            "[INFO] BUILD SUCCESS",
        ],
    ],
)
def test_passing_look_alikes_give_no_finding(tmp_path: Path, lines: list[str]) -> None:
    assert top_finding(tmp_path, [*lines, "Cleaning up orphan processes"])[0] is None


def test_testify_error_trace_is_a_location() -> None:
    line = "        \tError Trace:\tD:/a/tools/tools/chloggen/cmd/validate_test.go:118"
    assert location(line) == ("chloggen/cmd/validate_test.go", "118")


def test_go_first_test_carries_its_own_location(tmp_path: Path) -> None:
    # The package's first failure is named; its place is the one under it, not the last failure's.
    _kind, facts = top_finding(
        tmp_path,
        [
            "##[group]Run go test ./...",
            "##[endgroup]",
            "--- FAIL: TestValidateErr (0.01s)",
            "    validate_test.go:118: ",
            "        \tError Trace:\t/home/runner/work/tools/tools/chloggen/cmd/validate_test.go:118",
            '        \tError:      \t"a" does not contain "b"',
            "--- FAIL: TestNewErr (0.00s)",
            "    new_test.go:97: ",
            "        \tError Trace:\t/home/runner/work/tools/tools/chloggen/cmd/new_test.go:97",
            "FAIL",
            "FAIL\tgo.example.dev/tools/chloggen/cmd\t3.021s",
            FAILED,
        ],
    )
    assert (facts.get("test"), facts.get("file"), facts.get("line")) == (
        "TestValidateErr",
        "chloggen/cmd/validate_test.go",
        "118",
    )
