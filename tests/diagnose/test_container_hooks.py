"""The container hooks' "Executing the custom container implementation failed" is the runner's
failure only in "Initialize containers" (the hook's PrepareJob, actions/runner #3372); after a failed
step of the job's own it is no cause (actions/runner #3178; `checks: [initialize-containers-only]`,
diagnose/container_hooks.py)."""

from __future__ import annotations

from pathlib import Path

from tests.diagnose.joblog import assert_job_finding, top_finding

HOOK = (
    "Error: Executing the custom container implementation failed."
    " Please contact your self hosted runner administrator."
)


def test_the_hook_failing_in_initialize_containers(tmp_path: Path) -> None:
    lines = [
        "##[debug]Starting: Initialize containers",
        "##[debug]Register post job cleanup for stopping/deleting containers.",
        "Run '/home/runner/k8s/index.js'",
        "##[debug]/home/runner/externals/node20/bin/node /home/runner/k8s/index.js",
        "##[debug]Job pod created, waiting for it to come online build-runner-abcde-workflow",
        HOOK,
        "##[debug]System.Exception: " + HOOK[len("Error: ") :],
        "##[debug]Finishing: Initialize containers",
    ]
    assert top_finding(tmp_path, lines)[0] == "runner_failure"


def test_the_hook_failing_in_a_pasted_initialize_containers_step(tmp_path: Path) -> None:
    lines = [
        "Set up job",
        "Initialize containers",
        "  Run '/home/runner/k8s/index.js'",
        "  " + HOOK,
    ]
    assert top_finding(tmp_path, lines)[0] == "runner_failure"


def test_the_hook_line_after_a_failed_script_step(tmp_path: Path) -> None:
    # actions/runner #3178: the job's own step failed (pylint found a problem); the hooks' line follows.
    lines = [
        "Run pylint src",
        "  pylint src",
        "  shell: sh -e {0}",
        "Error: Error: failed to run script step: command terminated with non-zero exit code: error"
        " executing command [sh -e /__w/_temp/ccaaadc0-d72a-11ee-8141-5bd0b7d29442.sh], exit code 1",
        "Error: Process completed with exit code 1.",
        HOOK,
    ]
    assert top_finding(tmp_path, lines)[0] != "runner_failure"


def test_the_hook_failing_right_after_set_up_job_in_a_downloaded_log(tmp_path: Path) -> None:
    # A downloaded log has no "Initialize containers" title: the hook's header follows Set up job.
    lines = [
        "Current runner version: '2.311.0'",
        "Runner name: 'arc-runner-set-abcde-runner-xyz'",
        "##[group]GITHUB_TOKEN Permissions",
        "Contents: read",
        "##[endgroup]",
        "Secret source: Actions",
        "Prepare workflow directory",
        "Prepare all required actions",
        "Complete job name: build",
        "##[group]Run '/home/runner/k8s/index.js'",
        "shell: /home/runner/externals/node16/bin/node {0}",
        "##[endgroup]",
        "##[error]HttpError: HTTP request failed",
        "##[error]Process completed with exit code 1.",
        "##[error]" + HOOK[len("Error: ") :],
        "##[group]Run '/home/runner/k8s/index.js'",
        "shell: /home/runner/externals/node16/bin/node {0}",
        "##[endgroup]",
        "Cleaning up orphan processes",
    ]
    assert_job_finding(tmp_path, lines, "runner_failure", {})


def test_the_hook_header_at_the_logs_start(tmp_path: Path) -> None:
    lines = [
        "##[group]Run '/home/runner/k8s/index.js'",
        "##[endgroup]",
        "##[error]HttpError: HTTP request failed",
        "##[error]" + HOOK[len("Error: ") :],
    ]
    assert top_finding(tmp_path, lines)[0] == "runner_failure"


def test_the_hook_running_a_job_step_in_a_downloaded_log(tmp_path: Path) -> None:
    # The job's own step above the hook's header: the hooks' line after its failure is no cause.
    lines = [
        "Complete job name: build",
        "##[group]Run cargo clippy -- -D warnings",
        "cargo clippy -- -D warnings",
        "##[endgroup]",
        "##[group]Run '/home/runner/k8s/index.js'",
        "##[endgroup]",
        "##[error]Error: failed to run script step: command terminated with non-zero exit code:"
        " error executing command [sh -e /__w/_temp/ccaaadc0.sh], exit code 1",
        "##[error]Process completed with exit code 1.",
        "##[error]" + HOOK[len("Error: ") :],
    ]
    assert top_finding(tmp_path, lines)[0] != "runner_failure"


def test_the_hook_after_a_long_job_step_is_no_cause(tmp_path: Path) -> None:
    # The job step's header lies beyond the lines kept above the hit: not the log's start.
    lines = [
        "##[group]Run ./build.sh",
        "./build.sh",
        "##[endgroup]",
        "##[group]Run '/home/runner/k8s/index.js'",
        "##[endgroup]",
        *[f"building part {i}" for i in range(60)],
        "##[error]Process completed with exit code 1.",
        "##[error]" + HOOK[len("Error: ") :],
    ]
    assert top_finding(tmp_path, lines)[0] != "runner_failure"
