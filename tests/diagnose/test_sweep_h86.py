"""Verdicts the dependency-conflict sweep (helper h86: pins the index does not have, beyond pip's
ResolutionImpossible) relies on beyond the rules' own examples: each wording gives the conflict and the
pin as printed both in the runner's downloaded form and pasted from a terminal without the trailer, and
the resolver warnings a passing job prints stay quiet.

Texts are the tools' real formats with names changed; the threads are named in the rules.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.diagnose.joblog import FAILED, TS, run_step, top_finding

_WORDINGS = [
    # npm 2-4 (pasted npm 2.5 logs)
    (
        [
            "npm ERR! code ETARGET",
            "npm ERR! notarget No compatible version found: sqlite3@'>=3.8.10 <3.9.0'",
        ],
        "sqlite3@'>=3.8.10 <3.9.0'",
    ),
    # pip-tools / pipenv lock (pypa/pipenv #1716)
    (
        ["Could not find a version that matches requests>=2.32,<2.31", "Tried: 2.30.0, 2.31.0"],
        "requests>=2.32,<2.31",
    ),
    # Gradle 4+ dynamic version with no release
    (
        [
            "> Could not resolve all files for configuration ':app:debugRuntimeClasspath'.",
            "   > Could not find any matches for app.acme:core:+ as no versions of app.acme:core are available.",
        ],
        "app.acme:core:+",
    ),
    # cmd/go under "x imports", the import path first
    (
        [
            "go: github.com/acme/app imports",
            "\tacme/bt: github.com/acme/bt@v1.2.3: reading github.com/acme/bt/go.mod at revision v1.2.3: "
            "unknown revision v1.2.3",
        ],
        "github.com/acme/bt@v1.2.3",
    ),
    # Bundler >= 2.4, a gem with no release for a lockfile platform
    (
        [
            "Could not find gems matching 'pg (~> 1.1)' valid for all resolution platforms (x86_64-linux, ruby) "
            "in rubygems repository https://rubygems.org/ or installed locally."
        ],
        "pg (~> 1.1)",
    ),
    # pixi's solver
    (
        [
            "  × failed to solve the conda requirements of 'default' 'win-64'",
            "  ╰─▶ Cannot solve the request because of: No candidates were found for gunicorn >=22.",
        ],
        "gunicorn >=22",
    ),
    # helm dependency update
    (
        [
            "Error: can't get a valid version for repositories redis. Try changing the version constraint in Chart.yaml"
        ],
        "redis",
    ),
    # Conan 2
    (
        [
            "ERROR: Package 'vulkan-loader/1.3.296.0' not resolved: Unable to find "
            "'vulkan-loader/1.3.296.0' in remotes."
        ],
        "vulkan-loader/1.3.296.0",
    ),
    # renv restore
    (["Error: failed to retrieve package 'glue@3.6.4'"], "glue@3.6.4"),
]


@pytest.mark.parametrize(("lines", "pin"), _WORDINGS)
def test_pin_in_the_downloaded_form(tmp_path: Path, lines: list[str], pin: str) -> None:
    got, data = top_finding(
        tmp_path, [TS + line for line in [*run_step("./build.sh", *lines), FAILED]]
    )
    assert (got, data.get("package")) == ("dependency_conflict", pin)


@pytest.mark.parametrize(("lines", "pin"), _WORDINGS)
def test_pin_pasted_without_the_trailer(tmp_path: Path, lines: list[str], pin: str) -> None:
    got, data = top_finding(tmp_path, ["Run ./build.sh", *lines])
    assert (got, data.get("package")) == ("dependency_conflict", pin)


@pytest.mark.parametrize(
    "lines",
    [
        # Tycho 1-2 and Tycho 5 behind setup-java's "Error:  " prefix (no pin: a p2 IU)
        [
            "[ERROR] Cannot resolve project dependencies:",
            "[ERROR]   Missing requirement: org.acme.core 10.1.0.81771 requires 'osgi.bundle; "
            "org.acme.rpc [10.1.0,10.2.0)' but it could not be found",
        ],
        [
            "Error:  Cannot resolve project dependencies:",
            "Error:  Cannot resolve dependencies of project org.acme:acme.site:eclipse-repository:1.0.0-SNAPSHOT",
            "Error:   with context {osgi.os=macosx, osgi.ws=cocoa, osgi.arch=x86_64}",
        ],
    ],
)
def test_tycho_resolution_is_a_conflict_not_the_last_error_line(
    tmp_path: Path, lines: list[str]
) -> None:
    got, _ = top_finding(
        tmp_path, [TS + line for line in [*run_step("mvn -B install", *lines), FAILED]]
    )
    assert got == "dependency_conflict"


@pytest.mark.parametrize(
    "lines",
    [
        # Go >= 1.21 fetching a newer toolchain on its own
        [
            "go: module github.com/acme/lib@v1.2.3 requires go >= 1.22.0; switching to go1.22.5",
            "ok  acme 0.8s",
        ],
        # Poetry 1.2 only warns about a stale lock
        [
            "Installing dependencies from lock file",
            "Warning: poetry.lock is not consistent with pyproject.toml. You may be getting improper "
            "dependencies. Run `poetry lock [--no-update]` to fix it.",
            "Installing the current project: acme (0.5.13)",
        ],
        # npm overriding a peer dependency, then installing
        [
            "npm warn ERESOLVE overriding peer dependency",
            "npm warn Could not resolve dependency:",
            'npm warn peer @babel/core@"^7.0.0-0" from @babel/plugin-syntax-top-level-await@7.14.5',
            "npm warn Conflicting peer dependency: @babel/core@7.29.7",
            "added 1642 packages, and audited 1643 packages in 41s",
        ],
    ],
)
def test_resolver_notices_in_a_passing_job_are_quiet(tmp_path: Path, lines: list[str]) -> None:
    steps = [*run_step("./install.sh", *lines), "Post job cleanup.", "Cleaning up orphan processes"]
    got, _ = top_finding(tmp_path, [TS + line for line in steps])
    assert got is None
