"""A copy of the run page has no step marks: its finding names the last `Run …` line above it as the
step, not "Set up job"; a downloaded log keeps the runner's own step names."""

from __future__ import annotations

from pathlib import Path

from smartmon.diagnose import analyze_paths
from tests.diagnose.joblog import FAILED, run_step, write_job


def test_a_paste_names_its_run_line(tmp_path: Path) -> None:
    log = tmp_path / "paste.txt"
    log.write_text(
        "Run actions/checkout@v4\n"
        "Run npm test\n"
        "> acme@1.0.0 test\n"
        "FAIL src/app.test.js\n"
        "  ● adds numbers\n"
        "Error: Process completed with exit code 1.\n"
    )
    finding = analyze_paths([log]).findings[0]
    assert (finding.type.value, finding.step) == ("test_failure", "Run npm test")


def test_a_paste_without_a_run_line_keeps_the_first_step(tmp_path: Path) -> None:
    log = tmp_path / "paste.txt"
    log.write_text("FAIL src/app.test.js\n  ● adds numbers\n")
    finding = analyze_paths([log]).findings[0]
    assert finding.step == "Set up job"


def test_a_downloaded_log_keeps_the_runner_s_step(tmp_path: Path) -> None:
    lines = run_step("npm test", "FAIL src/app.test.js", "  ● adds numbers", FAILED)
    finding = analyze_paths([write_job(tmp_path, lines)]).findings[0]
    assert finding.step == "Run npm test"


# Tools' own sentences that start with "Run" and are no step header: Gradle before 7 prints its "Try"
# hints unprefixed (gradle/gradle#9580), Bundler "Run `bundle install` to install missing gems."
# (rubygems/rubygems#4647), npm "Run `npm audit` for details.", the .NET SDK 'Run "dotnet tool
# restore" to make the "dotnet-ef" command available.' (dotnet/efcore#21178).
def test_a_tool_s_run_sentence_is_not_a_step(tmp_path: Path) -> None:
    log = tmp_path / "paste.txt"
    log.write_text(
        "Run ./gradlew check\n"
        "> Task :app:test FAILED\n"
        "FAILURE: Build failed with an exception.\n"
        "* What went wrong:\n"
        "Execution failed for task ':app:test'.\n"
        "> There were failing tests. See the report at: file:///home/runner/work/a/a/app/build/"
        "reports/tests/test/index.html\n"
        "* Try:\n"
        "Run with --stacktrace option to get the stack trace. Run with --info or --debug option to "
        "get more log output. Run with --scan to get full insights.\n"
        "Error: Process completed with exit code 1.\n"
    )
    finding = analyze_paths([log]).findings[0]
    assert (finding.type.value, finding.step) == ("test_failure", "Run ./gradlew check")


def test_sentences_that_start_with_run_are_no_header() -> None:
    from smartmon.diagnose.logs import STEP_HEADER

    for sentence in (
        "Run with --stacktrace option to get the stack trace.",
        "Run `bundle install` to install missing gems.",
        "Run `npm audit` for details.",
        'Run "dotnet tool restore" to make the "dotnet-ef" command available.',
        "Run options: --seed 28344",
        "Run options: include {:focus=>true}",
    ):
        assert not STEP_HEADER.match(sentence), sentence
    for header in (
        "Run npm test",
        "##[group]Run with --x",
        'Run "C:\\tools\\x.exe" --flag',
        "Run './build.sh' release",
    ):
        assert STEP_HEADER.match(header), header


def test_a_paste_s_set_up_lines_name_no_action_for_a_later_step(tmp_path: Path) -> None:
    # A copy of the whole run page keeps the set-up block's download lines; a failure under a later
    # `Run …` header is that step's, not the last downloaded action's.
    log = tmp_path / "paste.txt"
    log.write_text(
        "Set up job\n"
        "Download action repository 'actions/checkout@v4' (SHA:11bd71901bbe5b1630ceea73d27597364c9af683)\n"
        "Run actions/checkout@v4\n"
        "Syncing repository: acme/widget\n"
        "Run pytest\n"
        "E   KeyError: 'WIDGET_API_KEY'\n"
        "Error: Process completed with exit code 1.\n"
    )
    finding = analyze_paths([log]).findings[0]
    assert finding.type.value == "missing_env_vars"
    assert "action" not in finding.data and finding.step == "Run pytest"


def test_a_paste_that_failed_in_set_up_names_the_action(tmp_path: Path) -> None:
    log = tmp_path / "paste.txt"
    log.write_text(
        "Set up job\n"
        "Download action repository 'acme/deploy@v2' (SHA:11bd71901bbe5b1630ceea73d27597364c9af683)\n"
        "Error: acme/deploy/v2/action.yml (Line: 12, Col: 5): Unexpected value 'branding-colour'\n"
    )
    finding = analyze_paths([log]).findings[0]
    assert (finding.data.get("action"), finding.data.get("version")) == ("acme/deploy", "v2")


def test_a_paste_that_kept_an_error_tag_names_its_run_line(tmp_path: Path) -> None:
    # A copy of the page with the annotation's `##[error]` kept still has no step marks.
    log = tmp_path / "paste.txt"
    log.write_text(
        "Run ./build.ps1\n"
        "##[error]Unable to locate executable file: pwsh. Please verify either the file path exists"
        " or the file can be found within a directory specified by the PATH environment variable.\n"
    )
    finding = analyze_paths([log]).findings[0]
    assert (finding.data.get("command"), finding.step) == ("pwsh", "Run ./build.ps1")


# pre-commit prints a hook's status row as its name, at least 3 dots and the status (pre-commit's
# output.py, commands/run.py): a hook named "Run pytest" is no step header, a step that runs
# pre-commit is.
def test_a_pre_commit_status_row_is_no_header() -> None:
    from smartmon.diagnose.logs import STEP_HEADER

    for row in (
        "Run pytest...............................................................Failed",
        "Run pytest...............................................................Passed",
        "Run mypy.................................................(no files to check)Skipped",
        "Run unit tests...Skipped  ",
    ):
        assert not STEP_HEADER.match(row), row
    for header in (
        "Run pre-commit run --all-files",
        "Run echo ...",
        "Run echo Failed",
        "Run ./check.sh ...Failed --retry",
    ):
        assert STEP_HEADER.match(header), header


def test_a_paste_under_a_pre_commit_hook_row_keeps_its_step(tmp_path: Path) -> None:
    log = tmp_path / "paste.txt"
    log.write_text(
        "Run pre-commit run --all-files\n"
        "black....................................................................Passed\n"
        "Run pytest...............................................................Failed\n"
        "- hook id: pytest\n"
        "- exit code: 1\n"
        "FAILED tests/test_app.py::test_add - assert 2 == 3\n"
        "1 failed, 4 passed in 0.12s\n"
        "Error: Process completed with exit code 1.\n"
    )
    finding = analyze_paths([log]).findings[0]
    assert finding.step == "Run pre-commit run --all-files"
