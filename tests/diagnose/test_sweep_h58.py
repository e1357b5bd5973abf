"""Verdicts for frozen lockfiles and lock drift in whole jobs: the forms the lock rules must see past.

Texts are the tools' real formats with names changed; the thread each comes from is named in the rule
(rules/30-python.yaml, rules/40-node.yaml, rules/45-langs.yaml) or in the tuning case using it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.diagnose.joblog import FAILED, assert_finding, run_step, text_finding

# Nix nests the refusal under the lock update it interrupts, indented and coloured.
_NIX_NESTED = (
    "Run nix build .#default\n"
    "\x1b[31;1merror:\x1b[0m\n"
    "       … while updating the lock file of flake 'git+file:///home/runner/work/app/app'\n"
    "\n"
    "       \x1b[31;1merror:\x1b[0m cannot write modified lock file of flake "
    "'git+file:///home/runner/work/app/app' (use '--no-write-lock-file' to ignore)\n"
    "Error: Process completed with exit code 1.\n"
)


def test_nix_nested_coloured_refusal_is_a_lock_conflict(tmp_path: Path) -> None:
    assert text_finding(tmp_path, _NIX_NESTED)[0] == "dependency_conflict"


@pytest.mark.parametrize(
    "body",
    [
        # Deno with a frozen lockfile, its coloured "error" and the diff after it.
        [
            "\x1b[0m\x1b[1m\x1b[31merror\x1b[0m: The lockfile is out of date. Run `deno install "
            "--frozen=false`, or rerun with `--frozen=false` to update it.",
            "changes:",
            '12 | +          "jsr:@std/http@1": "1.1.0",',
        ],
        # Cargo's oldest wording, no path, and on a Windows runner the path with backslashes.
        ["error: the lock file needs to be updated but --locked was passed to prevent this"],
        [
            r"error: the lock file D:\a\app\app\Cargo.lock needs to be updated but --locked was "
            "passed to prevent this",
            "If you want to try to generate the lock file without accessing the network, remove "
            "the --locked flag and use --offline instead.",
        ],
        # pipx quotes pip's hash refusal indented under its own summary.
        [
            "Fatal error from pip prevented installation. Full pip output in file:",
            "    /opt/pipx/logs/cmd_2025-03-11_08.09.04_pip_errors.log",
            "Some possibly relevant errors from pip install:",
            "    ERROR: THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE. If you "
            "have updated the package versions, please update the hashes. Otherwise, examine the "
            "package contents carefully; someone may have tampered with them.",
            "Error installing hatch.",
        ],
        # Gradle's lock state under the compile task, which is not a compile error.
        [
            "FAILURE: Build failed with an exception.",
            "* What went wrong:",
            "Execution failed for task ':app:compileDebugKotlin'.",
            "> Could not resolve all files for configuration ':app:debugCompileClasspath'.",
            "   > Resolved 'com.squareup.okio:okio:3.9.0' which is not part of the dependency "
            "lock state",
        ],
    ],
)
def test_locked_install_refusals_are_lock_conflicts(tmp_path: Path, body: list[str]) -> None:
    assert_finding(
        tmp_path, [*run_step("./ci/install.sh", *body), FAILED], "dependency_conflict", {}
    )


def test_composer_validate_names_the_constraint_the_lock_breaks(tmp_path: Path) -> None:
    body = [
        "./composer.json is valid but your composer.lock has some errors",
        "# Lock file errors",
        '- Required (in require-dev) package "phpstan/phpstan" is in the lock file as "1.8.8" but '
        'that does not satisfy your constraint "^1.8.10".',
    ]
    lines = [*run_step("composer validate --strict", *body), FAILED]
    assert_finding(tmp_path, lines, "dependency_conflict", {"package": "phpstan/phpstan"})


@pytest.mark.parametrize(
    "body",
    [
        # Composer installs from the old lock after its warning; the job goes on and passes.
        [
            "Installing dependencies from lock file (including require-dev)",
            "Verifying lock file contents can be installed on current platform.",
            "Warning: The lock file is not up to date with the latest changes in composer.json. You "
            "may be getting outdated dependencies. It is recommended that you run `composer update` "
            "or `composer update <package name>`.",
            "Package operations: 42 installs, 0 updates, 0 removals",
            "Generating optimized autoload files",
        ],
        # pipenv without --deploy relocks and carries on.
        [
            "Pipfile.lock (3194b386) out of date: run `pipenv lock` to update to (9a1c3e2f)...",
            "Locking dependencies...",
            "Updated Pipfile.lock (9a1c3e2f)!",
            "Installing dependencies from Pipfile.lock (9a1c3e2f)...",
        ],
        # Nix only warns that it will not write the lock of a flake with an unlocked input.
        [
            "warning: will not write lock file of flake 'git+file:///home/runner/work/app/app' "
            "because it has an unlocked input ('nixpkgs')",
            "these 2 paths will be fetched (12.40 MiB download, 61.02 MiB unpacked):",
        ],
    ],
)
def test_lock_warnings_in_a_passing_job_are_no_finding(tmp_path: Path, body: list[str]) -> None:
    assert_finding(tmp_path, run_step("./ci/install.sh", *body), None, {})
