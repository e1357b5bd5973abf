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


# A compiler's own error inside the optional build (c-family-compile-error, native-header-missing)
# is cleared the same way, and so is a setup.py's optional C extension that falls back to pure
# Python (yaml/pyyaml setup.py; simplejson's and markupsafe's "speedups are not enabled").
_PYTEST_FAILED = [
    "=========================== short test summary info ============================",
    "FAILED tests/test_load.py::test_load - assert None == {}",
    "============================== 1 failed in 0.10s ===============================",
]


@pytest.mark.parametrize(
    "build",
    [
        [
            "building 'yaml._yaml' extension",
            "yaml/_yaml.c:4:10: fatal error: yaml.h: No such file or directory",
            "Error compiling module, falling back to pure Python",
        ],
        [
            "building 'simplejson._speedups' extension",
            "simplejson/_speedups.c:12:3: error: implicit declaration of function 'PyUnicode_READY'",
            "*" * 75,
            "WARNING: The C extension could not be compiled, speedups are not enabled.",
            "Failure information, if any, is above.",
        ],
    ],
    ids=["pyyaml-header", "simplejson-compile"],
)
def test_a_setup_pys_fallback_to_pure_python_leaves_the_test(
    tmp_path: Path, build: list[str]
) -> None:
    lines = [*run_step("pip install . && python -m pytest", *build, *_PYTEST_FAILED), FAILED]
    assert_job_finding(tmp_path, lines, "test_failure", {"test": "tests/test_load.py::test_load"})


def test_a_compile_error_in_yarns_optional_build_leaves_jests_failure(tmp_path: Path) -> None:
    install = [
        *_YARN_OPTIONAL[:6],
        "../deps/cpu_features/src/impl_x86.c:40:3: error: unknown type name 'foo_t'",
        "../src/binding.cc:12:10: fatal error: 'cpu_features_macros.h' file not found",
        *_YARN_OPTIONAL[-2:],
    ]
    jest = ["FAIL src/a.test.js", "  ● a › b", "    expect(received).toBe(expected)"]
    lines = [*run_step("yarn install && yarn test", *install, *jest), FAILED]
    assert_job_finding(tmp_path, lines, "test_failure", {"file": "src/a.test.js"})


def test_npm6s_platform_skip_after_a_required_build_leaves_it_the_cause(tmp_path: Path) -> None:
    # node-sass's own build failed; npm 6 then lists fsevents' platform skip (review rev53).
    skip = (
        "npm WARN optional SKIPPING OPTIONAL DEPENDENCY: fsevents@1.2.13 (node_modules/fsevents):"
    )
    body = [
        "../src/binding.cpp:3:10: fatal error: sass/context.h: No such file or directory",
        "compilation terminated.",
        "gyp ERR! not ok",
        "Build failed with error code: 1",
        skip,
        "npm WARN notsup SKIPPING OPTIONAL DEPENDENCY: Unsupported platform for fsevents@1.2.13",
        "npm ERR! node-sass@4.14.1 postinstall: `node scripts/build.js`",
    ]
    assert_job_finding(
        tmp_path, [*run_step("npm install", *body), FAILED], "missing_dependency", {}
    )
