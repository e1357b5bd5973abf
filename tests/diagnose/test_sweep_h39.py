"""Verdicts the mobile and Apple build sweep (helper h39) relies on beyond the rules' own examples:
the test an Apple runner names as failed (xcodebuild's "Failing tests:" list, xcpretty's and
xcbeautify's marks, Swift Testing), the host of CocoaPods' aggregated CDN failure on the line under
it, and a fastlane login message that a passing job printed on its way is no cause.

Texts are the tools' real formats with names changed; the sources are named in the rules' comments
and in `failed_tests`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import analyze_paths
from smartmon.diagnose.named_failures import named_failure
from tests.diagnose.joblog import FAILED, TS, run_step, top_finding, write_job

_XCODE_CLOSING = [
    "Test Suite 'All tests' failed at 2024-03-01 10:00:00.000.",
    "\t Executed 12 tests, with 1 failure (0 unexpected) in 0.120 (0.140) seconds",
    "",
    "Test session results, code coverage, and logs:",
    "\t/Users/runner/Library/Developer/Xcode/DerivedData/App/Logs/Test/Test-App.xcresult",
    "",
]


@pytest.mark.parametrize(
    ("listed", "want"),
    [
        # Xcode 13 and later (XCTest and Swift Testing alike).
        ("\tLoginTests.testInvalidPassword()", "LoginTests.testInvalidPassword()"),
        # Xcode 12 and older: the name as its "Test Case '-[…]' failed" line gives it.
        ("\t-[AppTests.LoginTests testInvalidPassword]", "AppTests.LoginTests testInvalidPassword"),
    ],
)
def test_xcodebuild_failing_tests_list_names_the_test(
    tmp_path: Path, listed: str, want: str
) -> None:
    lines = [
        "Run xcodebuild test -scheme App -destination 'platform=iOS Simulator,name=iPhone 15'",
        *_XCODE_CLOSING,
        "Failing tests:",
        listed,
        "",
        "** TEST FAILED **",
        "",
        "Error: Process completed with exit code 65.",
    ]
    got, data = top_finding(tmp_path, lines)
    assert got == "test_failure"
    assert data.get("test") == want


def test_failing_tests_list_without_a_test_name_gives_none() -> None:
    assert named_failure(["Failing tests:", "\t1 test crashed", "", "** TEST FAILED **"]) is None
    assert named_failure(["Failing tests:", "\tAppTests:", "** TEST FAILED **"]) is None


@pytest.mark.parametrize(
    "mark_line",
    [
        '    ✗ testInvalidPassword, XCTAssertEqual failed: ("1") is not equal to ("2")',
        '    ✖ testInvalidPassword, XCTAssertEqual failed: ("1") is not equal to ("2")',
        '[10:00:40]: ▸     ✗ testInvalidPassword, XCTAssertEqual failed: ("1") is not equal to ("2")',
    ],
)
def test_xcpretty_and_xcbeautify_marks_name_the_failed_method(mark_line: str) -> None:
    lines = [
        "    ✔ testValidPassword (0.004 seconds)",
        mark_line,
        "\t Executed 2 tests, with 1 failure (0 unexpected) in 0.005 (0.007) seconds",
    ]
    assert named_failure(lines) == "testInvalidPassword"


def test_node_test_marks_are_not_read_as_xcode_methods() -> None:
    # node:test's spec reporter: the duration, not a comma, follows the title.
    assert named_failure(["✖ subtracts numbers (1.02ms)"]) == "subtracts numbers"


@pytest.mark.parametrize("mark", ["✘", "\U00100084"])
def test_swift_testing_failure_is_a_test_failure_with_its_test(tmp_path: Path, mark: str) -> None:
    lines = [
        "Run swift test",
        "◇ Test run started.",
        "◇ Test invalidPassword() started.",
        f"{mark} Test invalidPassword() recorded an issue at LoginTests.swift:12:5: "
        "Expectation failed: (result → 1) == 2",
        f"{mark} Test invalidPassword() failed after 0.001 seconds with 1 issue.",
        f"{mark} Test run with 3 tests failed after 0.002 seconds with 1 issue.",
        "Error: Process completed with exit code 1.",
    ]
    got, data = top_finding(tmp_path, lines)
    assert got == "test_failure"
    assert data.get("test") == "invalidPassword()"


def test_swift_testing_run_line_is_no_test_name() -> None:
    assert (
        named_failure(["✘ Test run with 3 tests failed after 0.002 seconds with 1 issue."]) is None
    )


def test_cocoapods_aggregated_cdn_failure_takes_the_host_below(tmp_path: Path) -> None:
    lines = [
        "Run pod install --repo-update",
        "Analyzing dependencies",
        "[!] CDN: trunk Repo update failed - 2 error(s):",
        "CDN: trunk URL couldn't be downloaded: https://raw.githubusercontent.com/CocoaPods/Specs/"
        "master/Specs/a/4/0/YYKit/0.9.5/YYKit.podspec.json, error: execution expired",
        "CDN: trunk URL couldn't be downloaded: https://raw.githubusercontent.com/CocoaPods/Specs/"
        "master/Specs/a/4/0/YYKit/0.9.6/YYKit.podspec.json, error: execution expired",
        "Error: Process completed with exit code 1.",
    ]
    got, data = top_finding(tmp_path, lines)
    assert got == "network_error"
    assert data.get("host") == "raw.githubusercontent.com"


def test_fastlane_login_message_in_a_passing_job_is_no_cause(tmp_path: Path) -> None:
    body = [
        "[16:27:44]: --- Step: upload_to_testflight ---",
        "[16:27:45]: Missing password for user ***, and running in non-interactive shell",
        "[16:31:02]: Successfully distributed build to Internal testers",
        "[16:31:02]: fastlane.tools finished successfully",
    ]
    # The job ran to its end: the runner's closing line, no failure marker.
    log = write_job(
        tmp_path,
        [*run_step("bundle exec fastlane ios beta", *body), "Cleaning up orphan processes"],
    )
    assert not analyze_paths([log]).findings


def test_fastlane_login_message_in_a_failed_job_names_the_variable(tmp_path: Path) -> None:
    body = [
        "[20:01:40]: Missing password for user ci@example.com, and running in non-interactive shell",
        "[20:01:40]: fastlane finished with errors",
        "[!] Missing password for user ci@example.com, and running in non-interactive shell",
    ]
    lines = [TS + line for line in run_step("bundle exec fastlane ios beta", *body)]
    got, data = top_finding(tmp_path, [*lines, TS + FAILED])
    assert got == "missing_env_vars"
    assert data.get("var") == "FASTLANE_PASSWORD"


_AAPT_HEAD = [
    "Run ./gradlew assembleRelease",
    "> Task :app:processReleaseResources FAILED",
    "",
    "FAILURE: Build failed with an exception.",
    "",
    "* What went wrong:",
    "Execution failed for task ':app:processReleaseResources'.",
    "> A failure occurred while executing "
    "com.android.build.gradle.internal.res.LinkApplicationAndroidResourcesTask$TaskAction",
    "   > Android resource linking failed",
]


@pytest.mark.parametrize(
    ("error_line", "file", "line"),
    [
        # AAPT2 indents its error under Gradle's message, the file after "ERROR: ".
        (
            "     ERROR: /home/runner/work/tv/tv/app/src/main/res/layout/main.xml:22: AAPT: error: "
            "resource string/title (aka com.acme.tv:string/title) not found.",
            "app/src/main/res/layout/main.xml",
            "22",
        ),
        # A manifest element's span: line:col-line:col.
        (
            "     ERROR: /home/runner/work/tv/tv/app/src/main/AndroidManifest.xml:14:5-35:19: AAPT: "
            "error: resource mipmap/ic_launcher (aka com.acme.tv:mipmap/ic_launcher) not found.",
            "app/src/main/AndroidManifest.xml",
            "14",
        ),
        # Glued to the word, as glog prints "[ERROR:/…/x.cc:1386]".
        (
            "     ERROR:/Users/runner/work/tv/tv/app/src/main/res/values/values.xml:239: AAPT: error: "
            "resource android:attr/lStar not found.",
            "app/src/main/res/values/values.xml",
            "239",
        ),
        # Windows runner, no prefix.
        (
            "     D:\\a\\tv\\tv\\app\\src\\main\\res\\values\\styles.xml:37: AAPT: error: resource "
            "mipmap/ic_launcher (aka com.acme.tv:mipmap/ic_launcher) not found.",
            "app/src/main/res/values/styles.xml",
            "37",
        ),
    ],
)
def test_aapt_resource_errors_carry_their_location(
    tmp_path: Path, error_line: str, file: str, line: str
) -> None:
    lines = [
        *_AAPT_HEAD,
        error_line,
        "",
        "BUILD FAILED in 41s",
        "Error: Process completed with exit code 1.",
    ]
    got, data = top_finding(tmp_path, lines)
    assert got == "syntax_error"
    assert (data.get("file"), data.get("line")) == (file, line)


def test_error_word_with_no_path_is_no_location(tmp_path: Path) -> None:
    lines = [
        *_AAPT_HEAD,
        "     ERROR: AAPT: error: resource android:style/Theme.Material.DayNight.NoActionBar not found.",
        "     error: failed linking references.",
        "Error: Process completed with exit code 1.",
    ]
    got, data = top_finding(tmp_path, lines)
    assert got == "syntax_error"
    assert "file" not in data
