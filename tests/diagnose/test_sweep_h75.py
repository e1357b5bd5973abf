"""Ruby test runners' failure shapes beyond Minitest 5's default reporter (sweep h75): Minitest 4 and
minitest-reporters ("N tests, …" tallies, "test_x(Class) [file:line]:", "FAIL Class#test_x (0.05s)",
spec rows), test-unit ("Failure: test_x(Class)"), and a skip that prints a failure block."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.named_failures import named_failure
from tests.diagnose.joblog import assert_finding

FAILED = "Error: Process completed with exit code 1."


@pytest.mark.parametrize(
    ("lines", "test"),
    [
        # Minitest 4 (and minitest-reporters' default reporter): the test first, its class in brackets.
        (
            [
                "  1) Failure:",
                "test_parses_dates(ParserTest) [/home/runner/work/lib/lib/test/parser_test.rb:21]:",
                "Expected: 2020",
                "  Actual: 2021",
                "",
                "5 tests, 4 assertions, 1 failures, 0 errors, 1 skips",
                FAILED,
            ],
            "test_parses_dates(ParserTest)",
        ),
        # test-unit 3: "Failure: test_x(Class)" then the source, the tally with pendings.
        (
            [
                "Failure: test_encode_utf8(EncoderTest)",
                "/home/runner/work/enc/enc/test/test_encoder.rb:15:in `test_encode_utf8'",
                '<"héllo"> expected but was',
                '<"hello">',
                "8 tests, 12 assertions, 1 failures, 0 errors, 0 pendings, 0 omissions, 0 notifications",
                "87.5% passed",
                FAILED,
            ],
            "test_encode_utf8(EncoderTest)",
        ),
        # minitest-reporters' progress reporter, current and 1.x forms.
        (
            [
                " FAIL UsersControllerTest#test_should_create_user (0.05s)",
                '        "User.count" didn\'t change by 1.',
                "  22/22: [=====] 100% Time: 00:00:01, Time: 00:00:01",
                "Finished in 1.20s",
                "22 tests, 41 assertions, 1 failures, 0 errors, 0 skips",
                FAILED,
            ],
            "UsersControllerTest#test_should_create_user",
        ),
        (
            [
                'ERROR["test_sends_mail", #<Minitest::Reporters::Suite:0x000056 @name="MailerTest">, 0.01]',
                " test_sends_mail#MailerTest (0.01s)",
                "Finished in 2.11s",
                "30 tests, 52 assertions, 0 failures, 1 errors, 0 skips",
                FAILED,
            ],
            "test_sends_mail",
        ),
        # Its spec reporter: a row under the class.
        (
            [
                "UsersControllerTest",
                "  test_should_get_index                                PASS (0.21s)",
                "  test_should_create_user                              FAIL (0.05s)",
                "Finished in 0.31s",
                "2 tests, 3 assertions, 1 failures, 0 errors, 0 skips",
                FAILED,
            ],
            "test_should_create_user",
        ),
        # Its spec reporter's one-line failure summary.
        (
            [
                "  1) Failure: Acme::BadTest#test_a [test/gallery/bad_test.rb:6]:",
                "        Expected: 1",
                "6 tests, 5 assertions, 2 failures, 1 errors, 1 skips",
            ],
            "Acme::BadTest#test_a",
        ),
        # Rails' reporter in a paste without the tally: the rerun command under the failure.
        (
            [
                "Failure:",
                "SearchTest#test_admin_sees_all [test/system/search_test.rb:409]:",
                'Expected: "/"',
                "",
                "bin/rails test test/system/search_test.rb:401",
            ],
            "SearchTest#test_admin_sees_all",
        ),
        # RSpec reruns an example that shares its line by its quoted id.
        (
            [
                "Failed examples:",
                "",
                "rspec './spec/features/sign_in_spec.rb[1:2:1]' # Sign in behaves like a form submits",
            ],
            "Sign in behaves like a form submits",
        ),
    ],
)
def test_ruby_runner_failures(tmp_path: Path, lines: list[str], test: str) -> None:
    assert_finding(tmp_path, lines, "test_failure", {"test": test})


@pytest.mark.parametrize(
    "lines",
    [
        ["30 tests, 52 assertions, 0 failures, 0 errors, 2 skips"],
        ["8 tests, 12 assertions, 0 failures, 0 errors, 0 pendings, 0 omissions, 0 notifications"],
        ["  test_should_get_index                                PASS (0.21s)"],
        ["Failure: plugin go: could not find protoc plugin for name go"],
    ],
)
def test_ruby_runner_lines_that_name_no_failure(lines: list[str]) -> None:
    assert named_failure(lines) is None


@pytest.mark.parametrize(
    ("lines", "package"),
    [
        (
            [
                "Run bundle install",
                "nokogiri-1.14.3-x86_64-linux requires ruby version >= 2.7, < 3.3.dev, which is",
                "incompatible with the current version, ruby 2.6.4p104",
                FAILED,
            ],
            "nokogiri-1.14.3-x86_64-linux",
        ),
        (
            [
                "/usr/local/lib/ruby/2.7.0/rubygems.rb:275:in `find_spec_for_exe': Could not find"
                " 'bundler' (1.17.3) required by `$BUNDLER_VERSION`. (Gem::GemNotFoundException)",
                "To install the missing version, run `gem install bundler:1.17.3`",
                FAILED,
            ],
            "bundler",
        ),
        (
            ["Run bundle install", "You must use Bundler 2 or greater with this lockfile.", FAILED],
            "bundler",
        ),
        (
            [
                "nokogiri-1.13.6-x86_64-linux requires ruby version < 3.2.dev, >= 2.6, which is"
                " incompatible with ruby 3.2.10",
                FAILED,
            ],
            "nokogiri-1.13.6-x86_64-linux",
        ),
        (["Gem::InstallError: minitest requires Ruby version < 4.0, >= 2.2.", FAILED], "minitest"),
    ],
)
def test_bundler_ruby_and_lockfile_versions(tmp_path: Path, lines: list[str], package: str) -> None:
    assert_finding(tmp_path, lines, "dependency_conflict", {"package": package})
