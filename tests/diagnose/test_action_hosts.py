"""JSON.parse refusing an HTML page names no host; in gradle/actions' setup-gradle the page came from
services.gradle.org, the only service whose JSON the action reads (action_hosts.action_json_host;
gradle/actions #707). The error lines are the thread's; the step lines are ours.
"""

from __future__ import annotations

from pathlib import Path

from smartmon.diagnose.action_hosts import action_json_host
from tests.diagnose.joblog import assert_job_finding

_HTML = ["##[error]SyntaxError: Unexpected token '<', \"<html>", '<h"... is not valid JSON']


def _action_step(uses: str) -> list[str]:
    return [f"##[group]Run {uses}", "with:", "  gradle-version: wrapper", "##[endgroup]"]


def test_setup_gradle_reads_its_json_from_services_gradle_org(tmp_path: Path) -> None:
    lines = [*_action_step("gradle/actions/setup-gradle@v4"), *_HTML]
    assert_job_finding(tmp_path, lines, "network_error", {"host": "services.gradle.org"})


def test_another_action_gets_no_host_it_did_not_print(tmp_path: Path) -> None:
    lines = [*_action_step("acme/fetch-versions-action@v1"), *_HTML]
    assert_job_finding(tmp_path, lines, "network_error", {"host": None})


def test_only_the_html_parse_error_names_the_gradle_service() -> None:
    assert action_json_host(_HTML[0], "gradle/actions/setup-gradle") == "services.gradle.org"
    assert (
        action_json_host(
            "##[error]SyntaxError: Unexpected end of JSON input", "gradle/actions/setup-gradle"
        )
        is None
    )
    assert action_json_host(_HTML[0], None) is None


def test_a_gradle_builds_own_task_names_no_host(tmp_path: Path) -> None:
    # gradle-build-action ran the build; a task's script parsed the page
    lines = [
        "##[group]Run gradle/gradle-build-action@v2",
        "with:",
        "  arguments: build",
        "##[endgroup]",
        "> Task :web:npm_run_fetchSchema",
        *_HTML,
        "> Task :web:npm_run_fetchSchema FAILED",
        "FAILURE: Build failed with an exception.",
    ]
    got = action_json_host(_HTML[0], "gradle/gradle-build-action", lines[:5], lines[7:])
    assert got is None
