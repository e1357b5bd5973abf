"""A native build that fails inside an optional dependency is skipped by the package manager, and
the job's own failure, if any, comes later (benign.optional_build_skipped, review rev41 #5).

The package managers' lines are their real formats (yarn 1's package-install-scripts, mscdex/
cpu-features #1; npm 6, jpenalbae/r2-scripts #2), with names changed; the rest is ours.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.diagnose.joblog import FAILED, assert_finding, assert_job_finding, run_step

_GYP_FAILED = [
    "gyp ERR! build error ",
    "gyp ERR! stack Error: `make` failed with exit code: 2",
    "gyp ERR! stack     at ChildProcess.onExit (/usr/lib/node_modules/node-gyp/lib/build.js:203:23)",
    "gyp ERR! System Linux 6.5.0-1025-azure",
    'gyp ERR! command "/usr/local/bin/node" "/usr/lib/node_modules/node-gyp/bin/node-gyp.js" "rebuild"',
    "gyp ERR! cwd /home/runner/work/app/app/node_modules/cpu-features",
    "gyp ERR! node -v v20.11.0",
    "gyp ERR! node-gyp -v v9.4.1",
    'gyp ERR! not ok"',
]
_YARN_OPTIONAL = [
    'warning Error running install script for optional dependency: "/home/runner/work/app/app/'
    "node_modules/cpu-features: Command failed.",
    "Exit code: 1",
    "Command: node-gyp rebuild",
    "Arguments: ",
    "Directory: /home/runner/work/app/app/node_modules/cpu-features",
    "Output:",
    "gyp info it worked if it ends with ok",
    *_GYP_FAILED,
    "info This module is OPTIONAL, you can safely ignore this error",
    "Done in 41.07s.",
]
_NPM_OPTIONAL = [
    *_GYP_FAILED[:-1],
    "gyp ERR! not ok ",
    "npm WARN optional SKIPPING OPTIONAL DEPENDENCY: syspipe@0.1.4 (node_modules/syspipe):",
    "npm WARN optional SKIPPING OPTIONAL DEPENDENCY: syspipe@0.1.4 install: `node-gyp rebuild`",
    "added 812 packages in 38s",
]
_LATER_FAILURE = [
    "src/schema.ts(12,5): error TS2322: Type 'string' is not assignable to type 'number'.",
]


@pytest.mark.parametrize("install", [_YARN_OPTIONAL, _NPM_OPTIONAL], ids=["yarn", "npm"])
def test_a_skipped_optional_build_leaves_the_later_failure_to_speak(
    tmp_path: Path, install: list[str]
) -> None:
    lines = [
        *run_step("yarn install --frozen-lockfile", *install),
        *run_step("npx tsc --noEmit", *_LATER_FAILURE),
        FAILED,
    ]
    assert_job_finding(tmp_path, lines, "lint_failure", {"file": "src/schema.ts"})


@pytest.mark.parametrize("install", [_YARN_OPTIONAL, _NPM_OPTIONAL], ids=["yarn", "npm"])
def test_pasted_the_same(tmp_path: Path, install: list[str]) -> None:
    assert_finding(tmp_path, [*install, *_LATER_FAILURE], "lint_failure", {"line": "12"})


def test_a_required_build_that_fails_is_still_the_cause(tmp_path: Path) -> None:
    lines = [
        *run_step(
            "npm ci",
            "npm ERR! code 1",
            "npm ERR! path /home/runner/work/app/app/node_modules/sharp",
            "npm ERR! command failed",
            *[f"npm ERR! {line}" for line in _GYP_FAILED],
        ),
        FAILED,
    ]
    assert_job_finding(tmp_path, lines, "dependency_conflict", {"package": "cpu-features"})
