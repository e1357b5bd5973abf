"""setup-fpm that cannot fetch the `latest` fpm it was asked for is an outdated action; a pinned
version it cannot fetch is the workflow's own missing tool (the rule check
`latest-is-outdated-action`, diagnose/step_inputs.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.diagnose.joblog import TS, assert_finding

FETCHING = (
    "Fetching fpm from https://github.com/fortran-lang/fpm/releases/download/v0.12.0/"
    "fpm-0.12.0-linux-x86_64"
)
FAILED = (
    "Error while trying to fetch fpm - please check that a version exists at the above release url."
)


def _step(version: str, *, stamped: bool) -> list[str]:
    if stamped:
        lines = [
            "##[group]Run fortran-lang/setup-fpm@v5",
            "with:",
            "  github-token: ***",
            f"  fpm-version: {version}",
            "##[endgroup]",
            "This platform is linux",
            FETCHING,
            f"##[error]{FAILED}",
        ]
        return [TS + line for line in lines]
    return [
        "Run fortran-lang/setup-fpm@v5",
        "  with:",
        "    github-token: ***",
        f"    fpm-version: {version}",
        "This platform is linux",
        FETCHING,
        f"Error: {FAILED}",
    ]


@pytest.mark.parametrize("stamped", [True, False])
def test_latest_that_cannot_be_fetched_is_an_outdated_action(tmp_path: Path, stamped: bool) -> None:
    assert_finding(
        tmp_path,
        _step("latest", stamped=stamped),
        "deprecated_action",
        {"action": "fortran-lang/setup-fpm", "version": "v5"},
    )


@pytest.mark.parametrize("stamped", [True, False])
def test_a_pinned_version_that_cannot_be_fetched_is_a_missing_tool(
    tmp_path: Path, stamped: bool
) -> None:
    assert_finding(tmp_path, _step("v0.99.0", stamped=stamped), "missing_tool", {"tool": "fpm"})


def test_latest_asked_of_an_earlier_step_does_not_count(tmp_path: Path) -> None:
    lines = [
        "Run acme/setup-tool@v2",
        "  with:",
        "    tool-version: latest",
        "Run fortran-lang/setup-fpm@v5",
        "  with:",
        "    fpm-version: v0.99.0",
        FETCHING,
        f"Error: {FAILED}",
    ]
    assert_finding(tmp_path, lines, "missing_tool", {"tool": "fpm"})


def test_another_inputs_latest_does_not_count(tmp_path: Path) -> None:
    lines = [
        "Run fortran-lang/setup-fpm@v5",
        "  with:",
        "    fpm-version: v0.99.0",
        "    python-version: latest",
        FETCHING,
        f"Error: {FAILED}",
    ]
    assert_finding(tmp_path, lines, "missing_tool", {"tool": "fpm"})


@pytest.mark.parametrize(
    "lookup",
    [
        "Error: Error while querying the latest fpm release version - please check your github"
        " token.",
        "Error: To fetch the latest fpm version, please supply a github token. Alternatively you can"
        " specify the fpm release version manually.",
    ],
)
def test_latest_it_could_not_look_up_is_no_outdated_action(tmp_path: Path, lookup: str) -> None:
    lines = [
        "Run fortran-lang/setup-fpm@v5",
        "  with:",
        "    fpm-version: latest",
        "    github-token: ",
        lookup,
        "This platform is linux",
        "Fetching fpm from https://github.com/fortran-lang/fpm/releases/download/latest/"
        "fpm-latest-linux-x86_64",
        f"Error: {FAILED}",
    ]
    assert_finding(tmp_path, lines, "missing_tool", {"tool": "fpm"})
