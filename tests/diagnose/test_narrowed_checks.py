"""Rules narrowed to the shape their sources show (diagnose/narrowed.py), each against the look-alike
logs a review found them misreading: curl's bare 403 only for a public release download
(release_downloads), a loopback refusal only as its step's last error (loopback_refusals), a kernel
death only without another test's failure (notebook_kernels), TeXtidote's banner only in the failed
step without --ci (textidote_runs), a shell error in TAP comments only under "not ok" (tap_blocks),
Cygwin's "out of retries" only where the job failed on it or on what it left uninstalled, and
Playwright's web server that did not start. Line shapes are the tools'; names and commands ours.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import analyze_paths
from tests.diagnose.joblog import FAILED, run_step, write_job

_CURL_403 = "curl: (22) The requested URL returned error: 403"


def _top(tmp_path: Path, lines: list[str]) -> tuple[str, str]:
    top = analyze_paths([write_job(tmp_path, lines)]).findings[0]
    return top.type.value, top.rule


def test_a_public_release_assets_403_is_the_download_hosts_blip(tmp_path: Path) -> None:
    url = "https://github.com/acme/tq/releases/download/v0.9.2/tq-linux-x86_64"
    lines = [*run_step(f'curl -fsSL -o /usr/local/bin/tq "{url}"', _CURL_403), FAILED]
    assert _top(tmp_path, lines) == ("network_error", "curl-release-asset-403-blip")


def test_a_traced_release_download_counts_too(tmp_path: Path) -> None:
    url = "https://github.com/acme/tq/releases/download/v0.9.2/tq-linux-x86_64"
    lines = [*run_step("./install.sh", f"+ curl -fsSL -o tq {url}", _CURL_403), FAILED]
    assert _top(tmp_path, lines)[0] == "network_error"


@pytest.mark.parametrize(
    "command",
    [
        # the API with a token, an upload with a token, a private asset with a PAT
        'curl --fail -X POST -H "Authorization: Bearer $TOKEN" '
        "https://api.github.com/repos/acme/app/dispatches",
        'curl -f -X POST -H "Authorization: token $GITHUB_TOKEN" --data-binary @dist.zip '
        '"https://uploads.github.com/repos/acme/app/releases/1/assets?name=dist.zip"',
        'curl -fsSL -H "Authorization: token $PAT" '
        "https://github.com/acme/private-tools/releases/download/v1/tool.tgz -o tool.tgz",
        # a pre-signed URL, a script whose URL the log does not show
        'curl -f -o data.tar.gz "$PRESIGNED_URL"',
        '"$GITHUB_ACTION_PATH/scripts/install-bats.sh" "$HOME/.local" "1.11.0"',
    ],
)
def test_any_other_403_stays_a_refused_permission(tmp_path: Path, command: str) -> None:
    lines = [*run_step(command, _CURL_403), FAILED]
    assert _top(tmp_path, lines) == ("permission_error", "tool-http-403-forbidden")


@pytest.mark.parametrize(
    "commands",
    [
        (
            'curl -fsSL "https://github.com/acme/tool/releases/download/v1/tool.tgz" -o tool.tgz '
            "&& curl -fsSL -X POST https://api.acme.dev/deploy -d @tool.tgz",
        ),
        (
            "curl -fsSL https://github.com/acme/tool/releases/download/v1/tool.tgz -o tool.tgz",
            "curl -fsSL https://s3.amazonaws.com/acme-private/secret.bin -o secret.bin",
        ),
    ],
)
def test_a_release_download_beside_another_url_stays_a_refused_permission(
    tmp_path: Path, commands: tuple[str, ...]
) -> None:
    lines = [
        f"##[group]Run {commands[0]}",
        *commands,
        "shell: /usr/bin/bash -e {0}",
        "##[endgroup]",
        _CURL_403,
        FAILED,
    ]
    assert _top(tmp_path, lines) == ("permission_error", "tool-http-403-forbidden")


def test_a_429_stays_a_network_error(tmp_path: Path) -> None:
    lines = [*run_step("curl -fsSL https://example.com/x.tgz -o x.tgz", _CURL_403[:-3] + "429")]
    assert _top(tmp_path, [*lines, FAILED])[0] == "network_error"


_REFUSED = "Error: connect ECONNREFUSED 127.0.0.1:5432"
_FRAME = "    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)"


def test_a_refusal_that_ended_its_step_is_the_cause(tmp_path: Path) -> None:
    lines = [
        *run_step("npm run seed", _REFUSED, _FRAME, "{", "  errno: -111,", "}", "Node.js v20.11.1"),
        FAILED,
    ]
    assert _top(tmp_path, lines) == ("network_error", "loopback-service-port-refused")


@pytest.mark.parametrize(
    "body",
    [
        # a retry that connected, then the script's own error
        (_REFUSED, _FRAME, "retrying in 2s (attempt 1/5)", "Connected to postgres",
         'error: duplicate key value violates unique constraint "users_email_key"'),
        # a wait loop that saw the database come up, then a migration's error
        (f"waiting for postgres... {_REFUSED}", "postgres is up",
         'migration failed with error: relation "users" already exists'),
        # Jest's console block of a suite that passed
        (" PASS  test/redis-down.test.js", "  ● Console", "    console.error",
         "      Error: connect ECONNREFUSED 127.0.0.1:6379", "Tests:       80 passed, 80 total"),
        # Jest's log after the run was torn down
        ("Tests:       42 passed, 42 total", "Cannot log after tests are done.",
         'Attempted to log "Error: connect ECONNREFUSED 127.0.0.1:6379', _FRAME, '}".'),
    ],
)  # fmt: skip
def test_a_refusal_the_step_went_past_is_no_cause(tmp_path: Path, body: tuple[str, ...]) -> None:
    lines = [*run_step("npm test", *body), FAILED]
    assert _top(tmp_path, lines)[1] != "loopback-service-port-refused"


_KERNEL = "FAILED docs/tutorial.ipynb:: - RuntimeError: Kernel died before replying to kernel_info"


def test_another_tests_failure_beside_a_kernel_death_is_the_cause(tmp_path: Path) -> None:
    lines = [
        *run_step(
            "pytest --nbmake docs/ tests/",
            "=========================== short test summary info ============================",
            "FAILED tests/test_core.py::test_add - assert 3 == 4",
            _KERNEL,
            "========================= 2 failed, 10 passed in 12.00s =========================",
        ),
        FAILED,
    ]
    assert _top(tmp_path, lines)[0] == "test_failure"


def test_a_kernel_death_alone_stays_unknown(tmp_path: Path) -> None:
    lines = [
        *run_step(
            "pytest --nbmake examples/",
            _KERNEL,
            "========================= 1 failed in 2.00s =========================",
        ),
        FAILED,
    ]
    assert _top(tmp_path, lines) == ("unknown", "notebook-kernel-died-starting")


def test_a_bare_notebook_row_beside_the_kernel_death_is_its_own(tmp_path: Path) -> None:
    # nbmake's row for the notebook whose kernel client logged the death carries no message.
    died = (
        "ERROR    traitlets:client.py:567 Error occurred while starting new kernel client for kernel"
        " 88152613-62e1-40f8-8d8d-f2590156b679: Kernel died before replying to kernel_info"
    )
    lines = [
        *run_step(
            "pytest --nbmake docs/",
            died,
            "FAILED docs/source/tutorial.ipynb:: ",
            "========================= 1 failed, 8 passed in 97.41s =========================",
        ),
        FAILED,
    ]
    assert _top(tmp_path, lines) == ("unknown", "notebook-kernel-died-starting")


_TEXTIDOTE = "TeXtidote v0.8.3 - A linter for LaTeX documents and others"


def test_a_textidote_step_with_ci_that_passed_is_no_cause(tmp_path: Path) -> None:
    lines = [
        *run_step("textidote --ci --output html paper.tex > report.html", _TEXTIDOTE),
        *run_step("pdflatex paper.tex", "Output written on paper.pdf (3 pages, 100 bytes)."),
        FAILED,
    ]
    assert _top(tmp_path, lines)[1] != "textidote-advice-exit-code"


def test_a_failed_textidote_step_without_ci_is_its_advice_count(tmp_path: Path) -> None:
    lines = [*run_step("textidote --output html paper.tex > report.html", _TEXTIDOTE), FAILED]
    assert _top(tmp_path, lines) == ("lint_failure", "textidote-advice-exit-code")


_CD_ERROR = "# ./bin/tool: line 22: cd: /nonexistent: No such file or directory"


def test_a_shell_error_under_a_failing_bats_test_is_the_cause(tmp_path: Path) -> None:
    lines = [*run_step("bats test/", "1..2", "ok 1 builds", "not ok 2 installs", _CD_ERROR), FAILED]
    assert _top(tmp_path, lines) == ("test_failure", "bats-failed-test-shell-error")


@pytest.mark.parametrize(
    "body",
    [
        # a passing test's output (--show-output-of-passing-tests, prove -v)
        ("1..2", "ok 1 reports a missing directory", _CD_ERROR, "not ok 2 installs"),
        # bash's own warning under the failing test
        ("1..2", "not ok 2 version output matches",
         "# ./bin/tool: line 5: warning: command substitution: ignored null byte in input"),
    ],
)  # fmt: skip
def test_other_tap_comments_are_no_shell_error(tmp_path: Path, body: tuple[str, ...]) -> None:
    lines = [*run_step("bats test/", *body), FAILED]
    assert _top(tmp_path, lines)[1] != "bats-failed-test-shell-error"


_CYGWIN = (
    "mbox note: Unable to get setup from <http://mirrors.kernel.org/sourceware/cygwin/>",
    "download/verify error in unattended_mode: out of retries",
)


def test_a_later_test_failure_outranks_cygwins_download(tmp_path: Path) -> None:
    lines = [
        "##[group]Run cygwin/cygwin-install-action@v2",
        "##[endgroup]",
        *_CYGWIN,
        *run_step("make check", "FAIL: test_parse", "# FAIL:  1", "make: *** [check] Error 1"),
        FAILED,
    ]
    assert _top(tmp_path, lines)[0] == "test_failure"


def test_a_header_missing_later_points_back_at_cygwins_download(tmp_path: Path) -> None:
    lines = [
        "##[group]Run cygwin/cygwin-install-action@v2",
        "##[endgroup]",
        *_CYGWIN,
        *run_step('bash -c "make"', "main.c:3:10: fatal error: zlib.h: No such file or directory"),
        FAILED,
    ]
    assert _top(tmp_path, lines)[0] == "network_error"


def test_playwrights_web_server_that_did_not_start_is_no_test_failure(tmp_path: Path) -> None:
    lines = [
        *run_step(
            "npx playwright test",
            "Error: Process from config.webServer was not able to start. Exit code: 1",
            "",
            "  1 error was not a part of any test, see above for details",
        ),
        FAILED,
    ]
    assert _top(tmp_path, lines) == ("unknown", "playwright-web-server-not-started")


def test_a_shell_error_with_no_tap_result_above_it_stands(tmp_path: Path) -> None:
    # a paste that starts at the failing test's output, as bats prints it (techknowlogick/xgo #260)
    lines = [*run_step("bats test/", _CD_ERROR), FAILED]
    assert _top(tmp_path, lines) == ("test_failure", "bats-failed-test-shell-error")
