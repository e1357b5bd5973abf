"""Verdicts the compiled-languages sampled wave (h105) relies on beyond single rule examples.

An action's caught error logged with its stack and gone past (Swatinem/rust-cache's restore,
actions-rust-lang/setup-rust-toolchain PR #29), in a whole job copied from the run page; a
dependency's own source failing to compile (kubernetes-sigs/karpenter #2950, time-rs/time #693); a
testify report pasted without its `--- FAIL:` lines (coder/coder #12939). Names changed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.diagnose.joblog import FAILED, assert_finding, assert_job_finding, run_step

_RUST_CACHE = [
    "Run Swatinem/rust-cache@v2",
    "Error: The process '/home/runner/.cargo/bin/cargo' failed with exit code 101",
    "    at ExecState._setResult (/home/runner/work/_actions/Swatinem/rust-cache/v2/dist/restore/"
    "index.js:7784:25)",
    "    at ExecState.CheckComplete (/home/runner/work/_actions/Swatinem/rust-cache/v2/dist/restore/"
    "index.js:7767:18)",
    "    at ChildProcess.emit (node:events:514:28) {",
    "  commandFailed: {",
    "    command: 'cargo metadata --all-features --format-version 1 --no-deps',",
    "  }",
    "}",
]


def test_action_logged_stack_then_next_step_passes(tmp_path: Path) -> None:
    lines = [*_RUST_CACHE, "Run cargo build", "    Finished `dev` profile", "Post job cleanup."]
    assert_finding(tmp_path, [*lines, "Cleaning up orphan processes"], None, {})


@pytest.mark.parametrize(
    "after",
    [
        # the step failed: the runner's trailer follows the stack
        ["Error: Process completed with exit code 1."],
        # only a cleanup step ran after it
        ["Run actions/upload-artifact@v4", "Post job cleanup.", "Cleaning up orphan processes"],
        # another error before the next step
        ["Error: could not restore the cache", "Run cargo build"],
    ],
)
def test_action_stack_that_ended_its_step_stays_a_failure(tmp_path: Path, after: list[str]) -> None:
    assert_finding(tmp_path, [*_RUST_CACHE, *after], "unknown", {})


@pytest.mark.parametrize(
    ("body", "facts"),
    [
        (
            [
                "# github.com/google/go-licenses",
                "##[error]../../../go/pkg/mod/github.com/google/go-licenses@v1.6.0/save.go:125:9:"
                " cannot use func(src string) (bool, error) {…} (value of type func(src string)"
                " (bool, error)) as func(srcinfo os.FileInfo, src string, dest string) (bool, error)"
                " value in struct literal",
            ],
            {"package": "github.com/google/go-licenses@v1.6.0"},
        ),
        (
            [
                "error[E0282]: type annotations needed for `Box<_>`",
                "  --> /home/runner/.cargo/registry/src/index.crates.io-6f17d22bba15001f/"
                "time-0.3.34/src/format_description/parse/mod.rs:83:9",
                "error: could not compile `time` (lib) due to 1 previous error",
            ],
            {"package": "time-0.3.34"},
        ),
    ],
)
def test_dependency_source_failing_to_compile(
    tmp_path: Path, body: list[str], facts: dict[str, str]
) -> None:
    assert_job_finding(
        tmp_path, [*run_step("make build", *body), FAILED], "dependency_conflict", facts
    )


def test_project_source_failing_to_compile_stays_syntax_error(tmp_path: Path) -> None:
    body = [
        "error[E0308]: mismatched types",
        "  --> src/main.rs:12:5",
        'error: could not compile `app` (bin "app") due to 1 previous error',
    ]
    assert_job_finding(tmp_path, [*run_step("cargo build", *body), FAILED], "syntax_error", {})


def test_testify_report_pasted_without_fail_lines(tmp_path: Path) -> None:
    lines = [
        "    agent_test.go:224: ",
        "        \tError Trace:\t/home/runner/work/app/app/cli/agent_test.go:224",
        "        \tError:      \tCondition never satisfied",
        "        \tTest:       \tTestWorkspaceAgent/PostStartup",
    ]
    assert_finding(tmp_path, lines, "test_failure", {"test": "TestWorkspaceAgent/PostStartup"})
