"""Cross-file requests from the rule sweeps: each checks the whole path (scan, verdict, facts) on a
small log built from the real messages named in the rules' comments."""

from __future__ import annotations

from pathlib import Path

from smartmon.diagnose import classify
from smartmon.diagnose.locations import location
from smartmon.diagnose.locations_below import arrow_below
from tests.diagnose.joblog import run_step, write_job


def _top(tmp_path: Path, lines: list[str], *, stamped: bool = True) -> tuple[str, dict[str, str]]:
    analysis = classify.analyze_paths([write_job(tmp_path, lines, stamped=stamped)])
    assert analysis.findings, analysis.jobs[0].candidates
    top = analysis.findings[0]
    return top.type.value, dict(top.data)


# 1. Next.js dynamic-route and route-group folders are part of the path; javac's and ts-loader's
# brackets and tsc's (line,col) are not.
def test_bracketed_route_segment_is_part_of_the_path() -> None:
    assert location("./src/app/eval/[id]/page.tsx:62:9") == ("src/app/eval/[id]/page.tsx", "62")
    assert location("src/app/[...slug]/page.tsx:3:1  Type error: x") == (
        "src/app/[...slug]/page.tsx",
        "3",
    )
    assert location("app/[[...opt]]/page.tsx:7:2 - error TS2322: x") == (
        "app/[[...opt]]/page.tsx",
        "7",
    )
    assert location("./app/(ee)/settings/layout.tsx:9:11") == ("app/(ee)/settings/layout.tsx", "9")
    assert location("./src/app/[locale]/(auth)/login/page.tsx:12:3") == (
        "src/app/[locale]/(auth)/login/page.tsx",
        "12",
    )
    assert location("src/a.ts(3,5): error TS2322: x") == ("src/a.ts", "3")
    javac = "[ERROR] /home/runner/work/a/a/src/main/java/A.java:[81,40] error: ';' expected"
    assert location(javac) == ("src/main/java/A.java", "81")
    assert location("[tsl] ERROR in /home/runner/work/a/a/src/a.ts(3,5)") == ("src/a.ts", "3")


# 2. SWC's code frame opens on the line under the message.
def test_swc_frame_under_the_message() -> None:
    frame = "    ,-[/home/runner/work/app/app/src/app/page.tsx:12:1]"
    assert arrow_below([frame]) == ("src/app/page.tsx", "12")
    assert arrow_below(["    ╭─[app/types/x.ts:42:1]"]) == ("app/types/x.ts", "42")
    assert arrow_below(["    ,----"]) is None


def test_swc_syntax_error_gets_its_file_and_line(tmp_path: Path) -> None:
    log = run_step(
        "npm run build",
        "Failed to compile.",
        "./src/app/[id]/page.tsx",
        "Error: ",
        "  x Expected ';', got 'ident'",
        "    ,-[/home/runner/work/app/app/src/app/[id]/page.tsx:12:1]",
        " 12 | cosnt b = 2",
        "    `----",
        "##[error]Process completed with exit code 1.",
    )
    kind, data = _top(tmp_path, log)
    assert kind == "syntax_error"
    assert (data["file"], data["line"]) == ("src/app/[id]/page.tsx", "12")


# 3 and 4. A missing PHP extension under Composer's resolution banner is the missing extension.
def test_composer_missing_extension_under_the_banner(tmp_path: Path) -> None:
    for banner in (
        "Your requirements could not be resolved to an installable set of packages.",
        "Your lock file does not contain a compatible set of packages. Please run composer update.",
    ):
        log = run_step(
            "composer install --prefer-dist --no-progress",
            banner,
            "",
            "  Problem 1",
            "    - Root composer.json requires PHP extension ext-gd * but it is missing from your"
            " system. Install or enable PHP's gd extension.",
            "##[error]Process completed with exit code 2.",
        )
        kind, data = _top(tmp_path, log)
        assert (kind, data.get("package")) == ("missing_dependency", "ext-gd")


def test_composer_conflict_stays_a_conflict(tmp_path: Path) -> None:
    log = run_step(
        "composer update",
        "Your requirements could not be resolved to an installable set of packages.",
        "  Problem 1",
        "    - Root composer.json requires acme/http-client ^3.0, found acme/http-client[2.0.0,"
        " 2.1.4] but it does not match the constraint.",
        "##[error]Process completed with exit code 2.",
    )
    kind, data = _top(tmp_path, log)
    assert (kind, data.get("package")) == ("dependency_conflict", "acme/http-client")


# 3. Gradle's variant mismatch explained by the JDK's version is the java toolchain's case.
GRADLE_VARIANT = [
    "> Could not resolve all files for configuration ':classpath'.",
    "   > Could not resolve com.android.tools.build:gradle:8.2.0.",
    "      > No matching variant of com.android.tools.build:gradle:8.2.0 was found. The consumer"
    " was configured to find a library for use during runtime, compatible with Java 11, packaged"
    " as a jar, and its dependencies declared externally but:",
    "          - Variant 'apiElements' capability com.android.tools.build:gradle:8.2.0 declares a"
    " library, packaged as a jar, and its dependencies declared externally:",
]


def test_gradle_variant_for_a_newer_java_is_the_jdk(tmp_path: Path) -> None:
    log = run_step(
        "./gradlew build",
        *GRADLE_VARIANT,
        "              - Incompatible because this component declares a component for use during"
        " compile-time, compatible with Java 17 and the consumer needed a component for use"
        " during runtime, compatible with Java 11",
        "##[error]Process completed with exit code 1.",
    )
    kind, data = _top(tmp_path, log)
    assert (kind, data.get("tool")) == ("missing_tool", "java")


def test_gradle_variant_for_other_attributes_is_a_conflict(tmp_path: Path) -> None:
    log = run_step(
        "./gradlew build",
        *GRADLE_VARIANT,
        "              - Incompatible because this component declares a component, with the"
        " library elements 'aar' and the consumer needed a component, with the library elements"
        " 'jar'",
        "##[error]Process completed with exit code 1.",
    )
    kind, _ = _top(tmp_path, log)
    assert kind == "dependency_conflict"


# 5. A paste from the run page: its job header says whether the job passed.
SWIFT_PASTE = [
    "check-dependencies",
    "succeeded now in 52s",
    "Run swift package show-dependencies",
    "error: package 'app' is using Swift tools version 5.6.0 but the installed version is 5.5.3",
]


def test_paste_whose_header_says_succeeded_is_a_pass(tmp_path: Path) -> None:
    for header in ("succeeded now in 52s", "succeeded 3 minutes ago in 1m 2s"):
        lines = [SWIFT_PASTE[0], header, *SWIFT_PASTE[2:]]
        analysis = classify.analyze_paths([write_job(tmp_path, lines, stamped=False)])
        assert analysis.findings == ()
        assert analysis.jobs[0].conclusion == "success"


def test_paste_whose_header_says_failed_keeps_its_cause(tmp_path: Path) -> None:
    lines = [SWIFT_PASTE[0], "failed now in 52s", *SWIFT_PASTE[2:]]
    kind, _ = _top(tmp_path, lines, stamped=False)
    assert kind == "dependency_conflict"


def test_caller_verdict_outranks_the_pasted_header(tmp_path: Path) -> None:
    path = write_job(tmp_path, SWIFT_PASTE, stamped=False)
    analysis = classify.analyze_paths([path], verdict="failure")
    assert analysis.findings and analysis.findings[0].type.value == "dependency_conflict"


# 6. bash's CRLF complaint is the CRLF rule's; a node_modules/.bin path is an install that failed.
def test_crlf_script_is_not_a_missing_tool(tmp_path: Path) -> None:
    log = run_step(
        "./scripts/build.sh",
        "./scripts/build.sh: line 2: $'\\r': command not found",
        "##[error]Process completed with exit code 127.",
    )
    kind, _ = _top(tmp_path, log)
    assert kind == "syntax_error"


def test_node_modules_bin_not_found_after_eresolve(tmp_path: Path) -> None:
    log = run_step(
        "reviewdog",
        "npm ERR! code ERESOLVE",
        "npm ERR! ERESOLVE unable to resolve dependency tree",
        "npm ERR! Found: jest@24.9.0",
        "/home/runner/work/_actions/reviewdog/action-eslint/v1/script.sh: 20: /home/runner/work/"
        "_actions/reviewdog/action-eslint/v1/script.sh: /home/runner/work/app/app/node_modules/"
        ".bin/eslint: not found",
        "##[error]Process completed with exit code 127.",
    )
    kind, data = _top(tmp_path, log)
    assert (kind, data.get("package")) == ("dependency_conflict", "jest")


def test_step_summary_variable_missing(tmp_path: Path) -> None:
    log = run_step(
        "./gradlew githubVersionSummary",
        "* What went wrong:",
        "Execution failed for task ':githubVersionSummary'.",
        "> This task may only be run in a Github Actions CI environment! Unable to locate the"
        " GITHUB_STEP_SUMMARY environment variable.",
        "##[error]Process completed with exit code 1.",
    )
    kind, data = _top(tmp_path, log)
    assert (kind, data.get("var")) == ("missing_env_vars", "GITHUB_STEP_SUMMARY")


# 7. RSpec: a spec file that did not load.
def test_rspec_file_that_did_not_load(tmp_path: Path) -> None:
    log = run_step(
        "bundle exec rspec",
        "An error occurred while loading ./spec/harvesting/client_spec.rb.",
        "Failure/Error:",
        "  RSpec.describe Harvesting::Client do",
        "NameError:",
        "  uninitialized constant Harvesting::Client",
        "# ./spec/harvesting/client_spec.rb:1:in `<top (required)>'",
        "No examples found.",
        "Finished in 0.00003 seconds (files took 0.1 seconds to load)",
        "0 examples, 0 failures, 1 error occurred outside of examples",
        "##[error]Process completed with exit code 1.",
    )
    kind, data = _top(tmp_path, log)
    assert (kind, data.get("file")) == ("test_failure", "spec/harvesting/client_spec.rb")


# 8. The step's command names the linter that printed a shape several linters share.
def test_ruff_output_in_flake8_shape_is_ruff(tmp_path: Path) -> None:
    log = run_step(
        "ruff check --output-format=concise .",
        "src/a.py:3:8: E501 Line too long (120 > 88)",
        "##[error]Process completed with exit code 1.",
    )
    kind, data = _top(tmp_path, log)
    assert (kind, data.get("tool"), data.get("file")) == ("lint_failure", "ruff", "src/a.py")


def test_flake8_output_stays_flake8_without_a_named_linter(tmp_path: Path) -> None:
    log = run_step(
        "make lint",
        "./src/a.py:3:8: E501 line too long (120 > 79 characters)",
        "##[error]Process completed with exit code 1.",
    )
    kind, data = _top(tmp_path, log)
    assert (kind, data.get("tool")) == ("lint_failure", "flake8")


def test_gradle_7_wording_of_the_jdk_mismatch(tmp_path: Path) -> None:
    log = run_step(
        "./gradlew build",
        *GRADLE_VARIANT,
        "              - Incompatible because this component declares an API of a component"
        " compatible with Java 17 and the consumer needed a runtime of a component compatible"
        " with Java 11",
        "##[error]Process completed with exit code 1.",
    )
    kind, data = _top(tmp_path, log)
    assert (kind, data.get("tool")) == ("missing_tool", "java")


def test_node_modules_bin_not_found_alone_is_a_missing_dependency(tmp_path: Path) -> None:
    log = run_step(
        "./scripts/lint.sh",
        "./scripts/lint.sh: line 4: ./node_modules/.bin/eslint: No such file or directory",
        "sh: 1: node_modules/.bin/eslint: not found",
        "##[error]Process completed with exit code 127.",
    )
    kind, data = _top(tmp_path, log)
    assert (kind, data.get("command")) == ("missing_dependency", "eslint")


def test_an_earlier_step_does_not_name_the_linter(tmp_path: Path) -> None:
    lines = [
        "Run pip install ruff",
        "Successfully installed ruff-0.4.4",
        "Run make lint",
        "./src/a.py:3:8: E501 line too long (120 > 79 characters)",
        "Error: Process completed with exit code 1.",
    ]
    kind, data = _top(tmp_path, lines, stamped=False)
    assert (kind, data.get("tool")) == ("lint_failure", "flake8")


def test_pasted_run_line_names_the_linter(tmp_path: Path) -> None:
    lines = [
        "lint",
        "failed now in 12s",
        "Run ruff check --output-format=concise .",
        "Error: src/a.py:3:8: E501 Line too long (120 > 88)",
        "Error: Process completed with exit code 1.",
    ]
    kind, data = _top(tmp_path, lines, stamped=False)
    assert (kind, data.get("tool"), data.get("line")) == ("lint_failure", "ruff", "3")


def test_page_conclusion_reads_a_recorded_head() -> None:
    from smartmon.diagnose.jobstate import JobState, page_conclusion

    assert page_conclusion(JobState(name="x", head=("build", "succeeded now in 5s"))) == "success"
    assert page_conclusion(JobState(name="x", head=("build", "failed 2 days ago in 1m"))) == (
        "failure"
    )
    downloaded = JobState(name="x", head=("build", "succeeded now in 5s"), downloaded=True)
    assert page_conclusion(downloaded) is None
    # a page copied with step debug on has `##[debug]` tags and still its header
    debug_copy = JobState(name="x", head=("build", "succeeded now in 5s"), has_tags=True)
    assert page_conclusion(debug_copy) == "success"
    assert page_conclusion(JobState(name="x", head=("failed to fetch", "x"))) is None
