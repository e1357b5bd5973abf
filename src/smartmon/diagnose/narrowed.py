"""The checks that narrow a rule to the shape its sources show (a line that is a cause only with a
certain line, step or command around it), each in the module named for what it reads, with the reason
`--explain` gives when one clears a hit. settle tries them after its own, which name the special
reasons it acts on (swallowed, logged, unmarked); these name none.
"""

from __future__ import annotations

from collections.abc import Callable

from smartmon.diagnose.benign import connection_cause
from smartmon.diagnose.build_went_on import build_went_on
from smartmon.diagnose.cache_paths import path_not_missed_below
from smartmon.diagnose.compile_summaries import no_rustc_error_above
from smartmon.diagnose.container_hooks import not_initializing_containers
from smartmon.diagnose.docker_builds import not_under_docker_build
from smartmon.diagnose.exit_next import exit_not_next, not_exit_or_paste_end, not_git_lines_to_exit
from smartmon.diagnose.failing_test_http import raised_by_failing_test
from smartmon.diagnose.jobstate import Hit
from smartmon.diagnose.later_lines import (
    circular_wrap_below,
    helm_lint_passed,
    not_golangci,
    placeless_error_below,
    pub_retried,
    push_timeout,
)
from smartmon.diagnose.link_statuses import other_status_listed
from smartmon.diagnose.loopback_refusals import refusal_not_last
from smartmon.diagnose.not_missing import clipanion_usage
from smartmon.diagnose.notebook_kernels import other_test_failed
from smartmon.diagnose.npm_publish import not_after_publish_notice
from smartmon.diagnose.package_requires import require_outside_package
from smartmon.diagnose.registry_sources import error_in_project_source
from smartmon.diagnose.release_downloads import not_public_release_download, release_asset_blip
from smartmon.diagnose.retried_tests import in_flaky_block
from smartmon.diagnose.service_env import postgres_password_given
from smartmon.diagnose.tap_blocks import named_tap_failure_above, not_under_failing_test
from smartmon.diagnose.textidote_runs import advice_not_failing
from smartmon.diagnose.west_boards import not_west_boards_format
from smartmon.diagnose.wrapper_exits import child_error_above, turbo_failed_above

NARROWED_BY: tuple[tuple[Callable[[Hit], bool], str], ...] = (
    (build_went_on, "cleared: the build went on past it (a success line or the next step)"),
    (not_west_boards_format, "cleared: west boards' format call did not raise it"),
    (postgres_password_given, "cleared: the postgres service was not created without a password"),
    (
        clipanion_usage,
        "cleared: the command it ran is the first suggested (its arguments were refused)",
    ),
    (
        connection_cause,
        "cleared: the spec did not load because its database refused the connection",
    ),
    (refusal_not_last, "cleared: the refusal did not end its step (it connected, or erred later)"),
    (other_test_failed, "cleared: pytest's summary names another test's failure beside it"),
    (advice_not_failing, "cleared: TeXtidote ran with --ci, or its step did not fail"),
    (not_under_failing_test, "cleared: no failing test's block (not ok N) is above it"),
    (
        named_tap_failure_above,
        "cleared: a named test's failure is above it (the test failure wins)",
    ),
    (not_public_release_download, "cleared: the step fetched no public GitHub release asset"),
    (release_asset_blip, "cleared: a public GitHub release asset's 403, the download host's blip"),
    (
        not_initializing_containers,
        "cleared: the container hooks' line closes a failed step of the job's own",
    ),
    (error_in_project_source, "cleared: rustc located it in the project's code, not a download"),
    (
        require_outside_package,
        "cleared: the file that required it is the project's own, not an installed package's",
    ),
    (not_after_publish_notice, "cleared: npm was not publishing this package when it printed it"),
    (in_flaky_block, "cleared: it reports an attempt of a test that then passed on retry (flaky)"),
    (other_status_listed, "cleared: a dead link answered 404 or 5xx, not only 429 or no answer"),
    (
        exit_not_next,
        "cleared: another command printed after it before the step failed, or XCTest passed above",
    ),
    (not_exit_or_paste_end, "cleared: another command printed after it before the step failed"),
    (not_git_lines_to_exit, "cleared: a line other than git's own followed it before the exit"),
    (path_not_missed_below, "cleared: no failing line below says the restored path is missing"),
    (
        not_under_docker_build,
        "cleared: its step ran no docker build (a pull's or run's --platform)",
    ),
    (pub_retried, "cleared: Flutter retried its tool's solve, or the project's own solve failed"),
    (helm_lint_passed, "cleared: helm lint then tallied 0 failed charts (a warning)"),
    (placeless_error_below, "cleared: the step's error has no place in the code (a link error)"),
    (not_golangci, "cleared: no golangci-lint run, file row or Check failure line beside it"),
    (circular_wrap_below, "cleared: its wrapped rest below says it is a circular import"),
    (push_timeout, "cleared: git's 408 on a push (the upload timed out), not a fetch or clone"),
    (
        raised_by_failing_test,
        "cleared: a failing test raised it (its block, its row, a loopback URL)",
    ),
    (no_rustc_error_above, "cleared: cargo's summary with no rustc error above it in its step"),
    (turbo_failed_above, "cleared: turbo reported its failed run or task above its crash"),
    (child_error_above, "cleared: the child's own error line is above it in its step"),
)
