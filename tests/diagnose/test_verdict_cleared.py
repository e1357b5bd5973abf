"""Lines a later success cleared give no finding: retried errors, swallowed exit statuses, and a
failure marker the job went on past (continue-on-error); nor do a probe's lines (xdg-open's search
for a browser). Real failures around the same bait stay."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import classify, sources
from smartmon.diagnose.scan import scan_source
from smartmon.diagnose.verdict import job_findings
from smartmon.model import Finding, IssueType
from tests.diagnose.joblog import run_step, write_job

_FAILED = "##[error]Process completed with exit code 1."

TSC_FAILS = run_step(
    "pnpm exec tsc --noEmit",
    "app/layout.tsx(9,8): error TS2307: Cannot find module './globals.css'.",
    "##[error]Process completed with exit code 2.",
)


def test_continue_on_error_step_then_a_build_that_succeeded_is_a_pass(tmp_path: Path) -> None:
    log = TSC_FAILS + run_step("pnpm build", "> next build", " ✓ Compiled successfully in 24.1s")
    analysis = classify.analyze_paths([write_job(tmp_path, log)])
    assert analysis.findings == ()
    assert analysis.jobs[0].conclusion == "success"
    [lint] = [c for c in analysis.jobs[0].candidates if c.type == "lint_failure"]
    assert "continue-on-error" in lint.outcome


def test_a_cleanup_step_after_the_failure_does_not_clear_it(tmp_path: Path) -> None:
    # `if: always()` steps run after a failure: docker logout, artifact uploads.
    log = TSC_FAILS + run_step("docker logout", "Removing login credentials for https://ghcr.io")
    analysis = classify.analyze_paths([write_job(tmp_path, log)])
    assert analysis.findings[0].type is IssueType.LINT_FAILURE


def test_a_later_step_without_success_does_not_clear_the_failure(tmp_path: Path) -> None:
    log = TSC_FAILS + run_step("pnpm build", "> next build", "Creating an optimized build ...")
    analysis = classify.analyze_paths([write_job(tmp_path, log)])
    assert analysis.findings[0].type is IssueType.LINT_FAILURE


def test_a_whole_log_that_went_on_into_an_ordinary_step_passed(tmp_path: Path) -> None:
    # A failing job runs only `if: always()` steps and the post-job cleanup after its failure: an
    # ordinary build step that ran and succeeded means the failed step had continue-on-error.
    log = TSC_FAILS + run_step("pnpm build", " ✓ Compiled successfully")
    log += ["Post job cleanup.", "Cleaning up orphan processes"]
    analysis = classify.analyze_paths([write_job(tmp_path, log)])
    assert analysis.findings == ()


def test_a_whole_log_with_only_an_upload_after_the_failure_keeps_it(tmp_path: Path) -> None:
    log = TSC_FAILS + run_step(
        "actions/upload-artifact@v4", "Artifact report.zip successfully uploaded"
    )
    log += ["Post job cleanup.", "Cleaning up orphan processes"]
    analysis = classify.analyze_paths([write_job(tmp_path, log)])
    assert analysis.findings[0].type is IssueType.LINT_FAILURE


# An upload that ran after the failure (`if: always()`) and failed on its own transfer: the v1
# artifact client's error (actions/upload-artifact #270's wording) is no cause of the job's failure.
_UPLOAD_FAILS = run_step(
    "actions/upload-artifact@v3",
    "With the provided path, there will be 3 files uploaded",
    "##[error]Unexpected response. Unable to upload chunk to "
    "https://pipelines.actions.githubusercontent.com/x/_apis/resources/Containers/1?itemPath=r",
)
_SCRIPT_FAILS = run_step(
    "./scripts/integration.sh",
    "check 3 of 7: ledger totals differ (41 != 42)",
    "##[error]Process completed with exit code 3.",
)


def test_an_upload_that_failed_after_the_failed_step_is_no_cause(tmp_path: Path) -> None:
    log = _SCRIPT_FAILS + _UPLOAD_FAILS + ["Post job cleanup.", "Cleaning up orphan processes"]
    analysis = classify.analyze_paths([write_job(tmp_path, log)])
    [found] = analysis.findings
    assert (found.type, found.rule, found.step) == (
        IssueType.UNKNOWN,
        "unknown-last-lines",
        "Run ./scripts/integration.sh",
    )
    assert found.text == "check 3 of 7: ledger totals differ (41 != 42)"
    assert found.data["exit_code"] == "3"
    assert found.step_line == 6  # the failed step's exit-code line, counted from its header
    [upload] = [c for c in analysis.jobs[0].candidates if c.type == "network_error"]
    assert "after the job's first failed step" in upload.outcome


# Causes an after-failure step's error does not take: an upload that failed first (a later `if:
# always()` script then exits non-zero), a failed step a rule reads, a build after a step allowed
# to fail (`continue-on-error` still prints the exit-code line), a time limit (the job's, not a
# step's).
@pytest.mark.parametrize(
    ("log", "want"),
    [
        (
            _UPLOAD_FAILS + run_step("./notify.sh", "##[error]Process completed with exit code 1."),
            IssueType.NETWORK_ERROR,
        ),
        (TSC_FAILS + _UPLOAD_FAILS, IssueType.LINT_FAILURE),
        (
            _SCRIPT_FAILS
            + run_step(
                "docker/build-push-action@v5",
                "#5 1.235 ERROR: No matching distribution found for torch==9.9.9",
                "##[error]buildx failed with: ERROR: failed to solve: process did not complete",
            ),
            IssueType.DEPENDENCY_CONFLICT,
        ),
        (
            _SCRIPT_FAILS
            + run_step(
                "./collect-logs.sh",
                "##[error]The job running on runner GitHub Actions 3 has exceeded the maximum "
                "execution time of 360 minutes.",
            ),
            IssueType.TIMEOUT,
        ),
    ],
    ids=["upload-first", "read-step", "after-continue-on-error", "time-limit"],
)
def test_the_cause_an_after_failure_step_does_not_take(
    tmp_path: Path, log: list[str], want: IssueType
) -> None:
    assert classify.analyze_paths([write_job(tmp_path, log)]).findings[0].type is want


def test_a_later_step_that_exited_non_zero_keeps_the_job_s_last_lines(tmp_path: Path) -> None:
    log = (
        _SCRIPT_FAILS
        + _UPLOAD_FAILS
        + run_step(
            "make deploy",
            "deploy.sh: line 12: terraform plan failed for workspace prod",
            "##[error]Process completed with exit code 2.",
        )
    )
    [found] = classify.analyze_paths([write_job(tmp_path, log)]).findings
    assert (found.step, found.data["exit_code"]) == ("Run make deploy", "2")


def test_an_excerpt_with_an_upload_after_the_failed_step_still_failed(tmp_path: Path) -> None:
    # No set-up block or end-of-job lines; a swallowed error in between is no later success.
    log = _SCRIPT_FAILS + run_step(
        "docker compose logs || true", "bash: docker-compose: command not found"
    )
    log += _UPLOAD_FAILS
    analysis = classify.analyze_paths([write_job(tmp_path, log)])
    assert analysis.jobs[0].conclusion == "failure"
    assert analysis.findings[0].step == "Run ./scripts/integration.sh"


def test_the_callers_failure_verdict_is_never_cleared(tmp_path: Path) -> None:
    log = TSC_FAILS + run_step("pnpm build", " ✓ Compiled successfully")
    [source] = sources.discover(write_job(tmp_path, log))
    state = scan_source(source)
    state.verdict = "failure"
    primary, _, _ = job_findings(state)
    assert primary[0].type is IssueType.LINT_FAILURE


def test_an_error_the_tool_retried_past_is_no_failure(tmp_path: Path) -> None:
    log = run_step(
        "actions/download-artifact@v2",
        "Total file count: 1 ---- Processed file #0 (0.0%)",
        "##[error]An error occurred while attempting to read the response stream",
        "Exponential backoff for retry #1. Waiting for 6074 milliseconds before continuing",
        "Finished backoff for retry #1, continuing with download",
        "Artifact download has finished successfully",
    ) + run_step("tar xzf build.tar.gz")
    analysis = classify.analyze_paths([write_job(tmp_path, log)])
    assert analysis.findings == ()


def test_a_retry_that_failed_again_stays_a_failure(tmp_path: Path) -> None:
    body = [
        "WARNING: Retrying (Retry(total=0, connect=None, read=None, redirect=None, status=None))"
        " after connection broken by 'ReadTimeoutError(\"HTTPSConnectionPool(host='pypi.org',"
        " port=443): Read timed out. (read timeout=15)\")': /simple/requests/",
        "ERROR: Could not install packages due to an OSError: HTTPSConnectionPool(host='pypi.org',"
        " port=443): Max retries exceeded with url: /simple/requests/ (Caused by"
        " ReadTimeoutError(\"HTTPSConnectionPool(host='pypi.org', port=443): Read timed out.\"))",
        "##[error]Process completed with exit code 1.",
    ]
    analysis = classify.analyze_paths(
        [write_job(tmp_path, run_step("pip install -r r.txt", *body))]
    )
    assert analysis.findings[0].type is IssueType.NETWORK_ERROR


def test_excerpt_of_a_connection_error_retried_then_done_is_no_failure(tmp_path: Path) -> None:
    lines = [
        "Error: read ECONNRESET",
        "    at TLSWrap.onStreamRead (node:internal/stream_base_commons:217:20)",
        "Attempt 1 failed; retrying in 10 seconds...",
        "Uploaded coverage report successfully",
    ]
    analysis = classify.analyze_paths([write_job(tmp_path, lines, stamped=False)])
    assert analysis.findings == ()
    [net] = [c for c in analysis.jobs[0].candidates if c.type == "network_error"]
    assert "retried" in net.outcome
    lines[-1] = "Error: read ECONNRESET"
    analysis = classify.analyze_paths([write_job(tmp_path, lines, stamped=False)])
    assert analysis.findings[0].type is IssueType.NETWORK_ERROR


def test_a_docker_pull_retried_until_the_image_came_is_no_failure(tmp_path: Path) -> None:
    """docker pull's own last line says the image came ("Status: Downloaded newer image for …")."""
    lines = [
        'Error response from daemon: Get "https://registry-1.docker.io/v2/": net/http: request'
        " canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)",
        "retrying in 5 seconds (attempt 2 of 3)",
        "7: Pulling from library/redis",
        "Digest: sha256:5a93f6b2e391b78e8bd3f9e7e1e1e5b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7",
        "Status: Downloaded newer image for redis:7",
    ]
    analysis = classify.analyze_paths([write_job(tmp_path, lines, stamped=False)])
    assert analysis.findings == ()
    lines[-1] = "Error response from daemon: manifest for redis:7 not found: manifest unknown"
    analysis = classify.analyze_paths([write_job(tmp_path, lines, stamped=False)])
    assert analysis.findings != ()


def test_lint_output_of_a_swallowed_command_is_no_failure(tmp_path: Path) -> None:
    log = run_step(
        "make lint-extra",
        "flake8 --config flake8.cfg | tee flake8.log || true",
        "./app/urls.py:3:1: F401 'os' imported but unused",
        "./app/urls.py:47:101: E501 line too long (116 > 100 characters)",
        "Lint checks finished.",
    )
    analysis = classify.analyze_paths([write_job(tmp_path, log)])
    assert analysis.findings == ()


def test_make_ignored_error_and_bash_trace_true_swallow_too(tmp_path: Path) -> None:
    for after in ("make: [Makefile:12: lint] Error 1 (ignored)", "+ true"):
        log = run_step("make lint", "./app/urls.py:3:1: F401 'os' imported but unused", after)
        assert classify.analyze_paths([write_job(tmp_path, log)]).findings == ()


def test_a_swallowed_command_before_the_failing_one_does_not_clear_it(tmp_path: Path) -> None:
    log = run_step(
        "make lint",
        "+ pip install flake8-bugbear || true",
        "+ flake8 .",
        "./app/urls.py:3:1: F401 'os' imported but unused",
    )
    analysis = classify.analyze_paths([write_job(tmp_path, log)])
    assert analysis.findings[0].type is IssueType.LINT_FAILURE


def test_swallowed_script_in_the_header_clears_only_a_one_command_step(tmp_path: Path) -> None:
    one = ["##[group]Run flake8 . || true", "flake8 . || true", "shell: /usr/bin/bash -e {0}"]
    one += ["##[endgroup]", "./app/urls.py:3:1: F401 'os' imported but unused"]
    assert classify.analyze_paths([write_job(tmp_path, one)]).findings == ()
    two = ["##[group]Run flake8 . || true", "flake8 . || true", "pytest"]
    two += ["shell: /usr/bin/bash -e {0}", "##[endgroup]"]
    two += ["./app/urls.py:3:1: F401 'os' imported but unused"]
    analysis = classify.analyze_paths([write_job(tmp_path, two)])
    assert analysis.findings[0].type is IssueType.LINT_FAILURE


def test_excerpt_error_lines_still_count(tmp_path: Path) -> None:
    lines = ["Run flake8 .", "./app/urls.py:3:1: F401 'os' imported but unused"]
    analysis = classify.analyze_paths([write_job(tmp_path, lines, stamped=False)])
    assert analysis.findings[0].type is IssueType.LINT_FAILURE


def test_a_download_that_failed_outranks_the_tool_it_left_missing(tmp_path: Path) -> None:
    log = run_step(
        "pip install flake8",
        "ERROR: Could not install packages due to an OSError: HTTPSConnectionPool(host='pypi.org',"
        " port=443): Max retries exceeded with url: /simple/flake8/ (Caused by"
        " NewConnectionError('<HTTPSConnection object>: Failed to establish a new connection:"
        " [Errno 101] Network is unreachable'))",
    ) + run_step(
        "flake8 .",
        "/home/runner/work/_temp/x.sh: line 1: flake8: command not found",
        "##[error]Process completed with exit code 127.",
    )
    top = classify.analyze_paths([write_job(tmp_path, log)]).findings[0]
    assert top.type is IssueType.NETWORK_ERROR and top.data["host"] == "pypi.org"


def test_a_test_that_could_not_reach_its_local_server_stays_a_test_failure(tmp_path: Path) -> None:
    log = run_step(
        "pytest",
        "E   requests.exceptions.ConnectionError: HTTPConnectionPool(host='localhost', port=8000):"
        " Max retries exceeded with url: /health (Caused by NewConnectionError('<HTTPConnection"
        " object>: Failed to establish a new connection: [Errno 111] Connection refused'))",
        "FAILED tests/test_api.py::test_health - requests.exceptions.ConnectionError",
        "========================= 1 failed, 12 passed in 3.10s =========================",
        "##[error]Process completed with exit code 1.",
    )
    top = classify.analyze_paths([write_job(tmp_path, log)]).findings[0]
    assert top.type is IssueType.TEST_FAILURE


def _octokit(tmp_path: Path, header: list[str]) -> str:
    log = [*header, "##[endgroup]", "##[error]Parameter token or opts.auth is required"]
    log.append("##[error]Process completed with exit code 1.")
    return classify.analyze_paths([write_job(tmp_path, log)]).findings[0].data["var"]


def test_octokit_without_a_token_names_where_the_action_reads_it(tmp_path: Path) -> None:
    # An action with inputs but no token among them: its `token` input.
    with_ = ["##[group]Run acme/pr-stats@v2", "with:", "  organization: acme", "  period: 10"]
    assert _octokit(tmp_path, with_) == "token"
    # The workflow passed the token through env:, which this action does not read.
    env = [
        "##[group]Run acme/eslint-fix@v1",
        "with:",
        "  dry: false",
        "env:",
        "  GITHUB_TOKEN: ***",
    ]
    assert _octokit(tmp_path, env) == "GITHUB_TOKEN"
    # No inputs at all: the action reads the environment.
    assert _octokit(tmp_path, ["##[group]Run acme/get-release@v1"]) == "GITHUB_TOKEN"


def test_a_later_steps_script_saying_success_does_not_clear_the_failure(tmp_path: Path) -> None:
    log = TSC_FAILS + run_step('echo "build finished successfully"')
    analysis = classify.analyze_paths([write_job(tmp_path, log)])
    assert analysis.findings[0].type is IssueType.LINT_FAILURE


def test_a_retry_in_the_next_step_does_not_clear_this_one(tmp_path: Path) -> None:
    log = run_step(
        "curl -fsSL https://example.com/x.tgz -o x.tgz", "curl: (28) Operation timed out"
    )
    log += ["##[error]Process completed with exit code 28."]
    log += run_step("actions/upload-artifact@v4", "Retrying upload (attempt 2)", "Upload succeeded")
    analysis = classify.analyze_paths([write_job(tmp_path, log)])
    assert analysis.findings[0].type is IssueType.NETWORK_ERROR


def test_a_resolver_that_gave_up_outranks_the_tool_it_left_missing(tmp_path: Path) -> None:
    log = run_step(
        "npm install && npx eslint .",
        "npm ERR! code ERESOLVE",
        "npm ERR! ERESOLVE unable to resolve dependency tree",
        "sh: 1: eslint: not found",
        "##[error]Process completed with exit code 127.",
    )
    top = classify.analyze_paths([write_job(tmp_path, log)]).findings[0]
    assert top.type is IssueType.DEPENDENCY_CONFLICT


def test_pips_last_retry_then_an_install_is_no_failure_in_an_excerpt(tmp_path: Path) -> None:
    lines = [
        "WARNING: Retrying (Retry(total=0, connect=None, read=None, redirect=None, status=None))"
        " after connection broken by 'ReadTimeoutError(\"HTTPSConnectionPool(host='pypi.org',"
        " port=443): Read timed out. (read timeout=15)\")': /simple/requests/",
        "Collecting requests",
        "  Downloading requests-2.32.3-py3-none-any.whl (64 kB)",
        "Successfully installed requests-2.32.3",
    ]
    assert classify.analyze_paths([write_job(tmp_path, lines, stamped=False)]).findings == ()
    # The same warning as the last word of a paste is the failure.
    analysis = classify.analyze_paths([write_job(tmp_path, lines[:1], stamped=False)])
    assert analysis.findings[0].type is IssueType.NETWORK_ERROR


def test_pasted_header_of_a_two_command_script_does_not_swallow(tmp_path: Path) -> None:
    # The web page indents the script and its shell under "Run …".
    lines = [
        "Run flake8 . || true",
        "  flake8 . || true",
        "  pytest",
        "  shell: /usr/bin/bash -e {0}",
    ]
    lines += ["FAILED tests/test_app.py::test_home - AssertionError: 404 != 200"]
    analysis = classify.analyze_paths([write_job(tmp_path, lines, stamped=False)])
    assert analysis.findings[0].type is IssueType.TEST_FAILURE
    lines[2:3] = []
    assert classify.analyze_paths([write_job(tmp_path, lines, stamped=False)]).findings == ()


_BROWSER_SEARCH = (
    "/usr/bin/xdg-open: 882: www-browser: not found",
    "/usr/bin/xdg-open: 882: links2: not found",
    "/usr/bin/xdg-open: 882: w3m: not found",
    "xdg-open: no method available for opening 'https://app.snyk.io/login?token=x'",
)


def test_xdg_opens_search_for_a_browser_is_not_a_missing_tool(tmp_path: Path) -> None:
    # `minikube dashboard` on a runner: the browser xdg-open did not find is not the cause.
    log = run_step(
        "minikube dashboard", *_BROWSER_SEARCH, "##[error]Process completed with exit code 1."
    )
    analysis = classify.analyze_paths([write_job(tmp_path, log)])
    assert not any(f.type is IssueType.MISSING_TOOL for f in analysis.findings)


def test_a_missing_command_beside_xdg_opens_search_stays(tmp_path: Path) -> None:
    log = run_step(
        "npm test",
        *_BROWSER_SEARCH,
        "sh: 1: jest: not found",
        "##[error]Process completed with exit code 127.",
    )
    [finding] = classify.analyze_paths([write_job(tmp_path, log)]).findings[:1]
    assert (finding.type, finding.data.get("command")) == (IssueType.MISSING_TOOL, "jest")


def test_activation_scripts_lost_system32_is_not_a_missing_tool(tmp_path: Path) -> None:
    # micromamba's pip step on windows-latest (pySTEPS/pysteps #265): DOSKEY and chcp ship with
    # Windows; the real command cmd could not find, beside them, stays the cause.
    lost = (
        "'DOSKEY' is not recognized as an internal or external command,",
        "'chcp' is not recognized as an internal or external command,",
    )
    log = run_step("micromamba create -f env.yml", *lost, "critical pip failed to install packages")
    analysis = classify.analyze_paths(
        [write_job(tmp_path, [*log, "##[error]Process completed with exit code 1."])]
    )
    assert not any(f.type is IssueType.MISSING_TOOL for f in analysis.findings)
    log = run_step(
        "make.bat", *lost, "'nmake' is not recognized as an internal or external command,"
    )
    analysis = classify.analyze_paths(
        [write_job(tmp_path, [*log, "##[error]Process completed with exit code 1."])]
    )
    assert analysis.findings[0].data.get("command") == "nmake"


def test_fetch_failed_against_the_jobs_own_server_is_not_the_network(tmp_path: Path) -> None:
    # A prerender script ran before its server was up: undici's cause names this machine.
    log = run_step(
        "npm run build",
        "Error: fetch failed",
        "    at node:internal/deps/undici/undici:12345:11 {",
        "  [cause]: Error: connect ECONNREFUSED 127.0.0.1:3000",
        "}",
        "##[error]Process completed with exit code 1.",
    )
    analysis = classify.analyze_paths([write_job(tmp_path, log)])
    assert analysis.findings[0].type is not IssueType.NETWORK_ERROR


def test_a_programs_couldnt_open_file_is_no_vagrant_box(tmp_path: Path) -> None:
    log = run_step(
        "./tools/gen_index /data/corpus",
        "Couldn't open file /data/corpus/index.bin",
        "Segmentation fault (core dumped)",
        "##[error]Process completed with exit code 139.",
    )
    analysis = classify.analyze_paths([write_job(tmp_path, log)])
    assert analysis.findings[0].type is not IssueType.MISSING_DEPENDENCY


def test_a_test_that_needs_a_gpu_on_a_gpu_less_runner_is_the_tests(tmp_path: Path) -> None:
    # pytest's `E` line inside a failure is the test's (a missing skip), not the runner.
    log = run_step(
        "pytest -q",
        "E   RuntimeError: Found no NVIDIA driver on your system. Please check that you have an"
        " NVIDIA GPU and installed a driver from http://www.nvidia.com/Download/index.aspx",
        "FAILED tests/test_model.py::test_to_device - RuntimeError: Found no NVIDIA driver on your"
        " system.",
        "========================= 1 failed, 7 passed in 3.21s ==========================",
        "##[error]Process completed with exit code 1.",
    )
    analysis = classify.analyze_paths([write_job(tmp_path, log)])
    assert analysis.findings[0].type is IssueType.TEST_FAILURE


def test_a_shell_keyword_bun_cannot_run_is_no_missing_program(tmp_path: Path) -> None:
    # Bun's own shell has no `for` loop and names its keywords as programs (bun users' notes).
    log = run_step(
        "bun run test:plugins",
        "$ for f in packages/*; do oxlint -c $f/.oxlintrc.json $f; done",
        "bun: command not found: for",
        "bun: command not found: do",
        "bun: command not found: done",
        'error: script "test:plugins" exited with code 1',
        "##[error]Process completed with exit code 1.",
    )
    analysis = classify.analyze_paths([write_job(tmp_path, log)])
    assert all(f.data.get("command") not in {"for", "do", "done"} for f in analysis.findings)
    missing = run_step(
        "bun run dev",
        "$ vite",
        "bun: command not found: vite",
        "##[error]Process completed with exit code 1.",
    )
    [found] = classify.analyze_paths([write_job(tmp_path, missing)]).findings
    assert (found.type, found.data["command"]) == (IssueType.MISSING_TOOL, "vite")


def test_a_404_page_piped_to_bash_52_is_the_fetched_script(tmp_path: Path) -> None:
    # bash 5.2 reading a script from a pipe names no line: "bash: 404:: command not found".
    log = run_step(
        "curl -sSL https://raw.githubusercontent.com/acme/tool/main/setup.sh | bash",
        "bash: 404:: command not found",
        "##[error]Process completed with exit code 127.",
    )
    [found] = classify.analyze_paths([write_job(tmp_path, log)]).findings
    assert found.rule == "fetched-script-is-404-page"


# A tool's warning that it could not write (npm's log file, npm/cli #5183) and a failed vitest test's
# cleanup error printed at the line's start (browserbase/stagehand PR #2321) leave the test failure.
@pytest.mark.parametrize(
    "lines",
    [
        (
            "npm WARN logfile error creating log file Error: EROFS: read-only file system, open"
            " '/github/home/.npm/_logs/2024-01-02T03_04_05_123Z-debug-0.log'",
            "FAIL src/db.test.js",
            "  ● db › connects",
        ),
        (
            " FAIL  tests/cli.test.ts > functions > runs a local dev server",
            "Error: EBUSY: resource busy or locked, rmdir"
            " 'C:\\Users\\RUNNER~1\\AppData\\Local\\Temp\\functions-dev-Xk2a'",
            " Test Files  1 failed | 3 passed (4)",
        ),
    ],
    ids=["npm-erofs-warning", "vitest-windows-ebusy"],
)
def test_a_write_error_beside_a_failed_test_leaves_the_test_failure(
    tmp_path: Path, lines: tuple[str, ...]
) -> None:
    log = run_step("npm test", *lines, "##[error]Process completed with exit code 1.")
    [found] = classify.analyze_paths([write_job(tmp_path, log)]).findings
    assert found.type is IssueType.TEST_FAILURE


def _findings(tmp_path: Path, command: str, *lines: str) -> tuple[Finding, ...]:
    """A one-step job that failed, its findings."""
    log = run_step(command, *lines, "##[error]Process completed with exit code 1.")
    return classify.analyze_paths([write_job(tmp_path, log)]).findings


def test_a_scripts_own_failures_list_is_no_spec_runners(tmp_path: Path) -> None:
    script = ("[ERROR] Update complete: 3 OK, 1 FAIL", "Failures:", "- protoc: download failed")
    findings = _findings(tmp_path, "./scripts/update-tools.sh", *script)
    assert all(f.rule != "spec-failures-header" for f in findings)
    rspec = ("Failures:", "", "  1) users API returns the list", "     Failure/Error: expect(x)")
    [found] = _findings(tmp_path, "bundle exec rspec", *rspec)
    assert found.type is IssueType.TEST_FAILURE


def test_a_ginkgo_spec_whose_message_starts_expected_is_ginkgos(tmp_path: Path) -> None:
    spec = ("• [FAILED] [12.304 seconds]", "Podman pod create", "  [It] pod create --infra-name")
    report = (
        "  [FAILED] Expected",
        "      <int>: 125",
        "  to equal",
        "  In [It] at: e2e_test.go:130",
    )
    [found] = _findings(tmp_path, "ginkgo -r test/e2e", *spec, *report)
    assert found.rule == "ginkgo-v2-spec-failed"


def test_a_compose_service_healthy_on_the_retry_is_no_cause(tmp_path: Path) -> None:
    log = run_step(
        "docker compose up -d --wait",
        "dependency failed to start: container app-db-1 is unhealthy",
        "##[warning]Attempt 1 failed. Reason: Child_process exited with error code 1",
        " Container app-db-1  Healthy",
        "Command completed after 2 attempt(s).",
    ) + run_step("npm run e2e", "Seed aborted: 2 fixtures missing", _FAILED)
    [found] = classify.analyze_paths([write_job(tmp_path, log)]).findings
    assert found.rule != "compose-service-unhealthy"


def test_remarks_combined_frail_flag_fails_on_a_warning(tmp_path: Path) -> None:
    log = run_step(
        "npm run lint:md",
        "> remark . -qfo && prettier . -w --log-level warn",
        "readme.md",
        "24:32-24:38 warning Emphasis should use `_` as a marker emphasis-marker remark-lint",
        _FAILED,
    )
    [found] = classify.analyze_paths([write_job(tmp_path, log)]).findings
    assert found.rule == "remark-frail-warning-row"


_RSPEC_LOAD = (
    "An error occurred while loading ./spec/models/user_spec.rb.",
    "Failure/Error: ActiveRecord::Migration.maintain_test_schema!",
    "",
)


@pytest.mark.parametrize(
    "cause",
    [
        ("PG::ConnectionBad:", "  could not connect to server: No such file or directory"),
        (
            "ActiveRecord::ConnectionNotEstablished:",
            '  connection to server at "127.0.0.1", port 5432 failed: Connection refused',
        ),
    ],
)
def test_a_spec_that_did_not_load_for_a_refused_database_is_the_connection(
    tmp_path: Path, cause: tuple[str, str]
) -> None:
    tail = ("0 examples, 0 failures, 1 error occurred outside of examples", _FAILED)
    log = run_step("bundle exec rspec", *_RSPEC_LOAD, *cause, *tail)
    analysis = classify.analyze_paths([write_job(tmp_path, log)])
    assert analysis.findings[0].type is IssueType.NETWORK_ERROR


def test_a_spec_that_did_not_load_for_its_own_error_stays_a_test_failure(tmp_path: Path) -> None:
    log = run_step(
        "bundle exec rspec",
        "An error occurred while loading ./spec/models/user_spec.rb.",
        "Failure/Error: User.connection_failed!",
        "",
        "NameError:",
        "  uninitialized constant User::ConnectionRefused",
        "0 examples, 0 failures, 1 error occurred outside of examples",
        _FAILED,
    )
    analysis = classify.analyze_paths([write_job(tmp_path, log)])
    assert analysis.findings[0].type is IssueType.TEST_FAILURE


def test_an_id_token_hint_over_the_token_request_s_own_failure_is_no_permission(
    tmp_path: Path,
) -> None:
    """Azure/login #302: id-token was already write; the request was sent and failed (the runner's
    URL was there), so the login's own refusal below is the cause."""
    body = [
        "Error:  Cannot read properties of undefined (reading 'message'). Please make sure to give"
        " write permissions to id-token in the workflow.",
        "Error: : AADSTS50027: JWT token is invalid or malformed.",
        "Error: Az CLI Login failed. Please check the credentials and make sure az is installed on"
        " the runner.",
        "##[error]Process completed with exit code 1.",
    ]
    log = run_step("azure/login@v1", *body)
    findings = classify.analyze_paths([write_job(tmp_path, log)]).findings
    assert findings[0].type is not IssueType.PERMISSION_ERROR
    body[0] = "Error: Please make sure to give write permissions to id-token in the workflow."
    body[1] = "Error: Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable"
    log = run_step("azure/login@v1", *body)
    findings = classify.analyze_paths([write_job(tmp_path, log)]).findings
    assert findings[0].type is IssueType.PERMISSION_ERROR
    assert findings[0].data["scope"] == "id-token"


@pytest.mark.parametrize(
    "warning",
    [
        "zk: warning: yaml: line 4: did not find expected node content",
        'level=warning msg="[config_reader] yaml: line 3: did not find expected key"',
    ],
)
def test_a_tool_s_yaml_warning_is_no_cause(warning: str, tmp_path: Path) -> None:
    """zk-org/zk #33: the tool warned about its config and went on; the download failed."""
    body = [
        warning,
        "curl: (6) Could not resolve host: search.example.com",
        "##[error]Process completed with exit code 6.",
    ]
    findings = classify.analyze_paths([write_job(tmp_path, run_step("make index", *body))]).findings
    assert findings[0].type is IssueType.NETWORK_ERROR
