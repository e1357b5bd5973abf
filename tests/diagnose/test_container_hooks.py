"""The container hooks' "Executing the custom container implementation failed" is the runner's
failure only in "Initialize containers" (the hook's PrepareJob, actions/runner #3372); after a failed
step of the job's own it is no cause (actions/runner #3178; `checks: [initialize-containers-only]`,
diagnose/container_hooks.py)."""

from __future__ import annotations

from pathlib import Path

from tests.diagnose.joblog import top_finding

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
