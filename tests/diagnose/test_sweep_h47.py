"""Verdicts the JavaScript installs and builds fourth sweep relies on: the package an npm EBADENGINE
block names below a BuildKit or monorepo task prefix, the packageManager field against the manager
that ran, V8's and worker threads' out-of-memory wordings, and tsc's five-digit codes, tsconfig rows
and errors without a place.

Texts are the tools' real formats with names changed; the thread each comes from is named in the rule
or in the tuning case that uses it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.fill_ins import package_below
from tests.diagnose.joblog import assert_finding, top_finding


@pytest.mark.parametrize(
    ("lines", "want"),
    [
        (
            ["npm ERR! engine Not compatible with your version of node/npm: sass@1.64.2"],
            "sass@1.64.2",
        ),
        (
            ["#14 0.392 npm ERR! engine Not compatible with your version of node/npm: sass@1.64.2"],
            "sass@1.64.2",
        ),
        (
            [
                "web:install: npm ERR! notsup Not compatible with your version of node/npm: next@14.2.3"
            ],
            "next@14.2.3",
        ),
        (
            ["npm error notsup Not compatible with your version of node/npm: @acme/ui@2.0.0"],
            "@acme/ui@2.0.0",
        ),
        (['#14 0.392 npm ERR! notsup Required: {"node":">=14.0.0"}'], None),
    ],
)
def test_package_below_sees_past_build_prefixes(lines: list[str], want: str | None) -> None:
    assert package_below(lines) == want


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        (
            [
                "#14 0.390 npm ERR! code EBADENGINE",
                "#14 0.392 npm ERR! engine Unsupported engine",
                "#14 0.392 npm ERR! engine Not compatible with your version of node/npm: sass@1.64.2",
            ],
            "dependency_conflict",
            {"package": "sass@1.64.2"},
        ),
        (
            [
                "web:install: npm ERR! code EBADENGINE",
                "web:install: npm ERR! engine Not compatible with your version of node/npm: next@14.2.3",
            ],
            "dependency_conflict",
            {"package": "next@14.2.3"},
        ),
        (
            [
                'error This project\'s package.json defines "packageManager": "yarn@4.1.0". However the'
                " current global version of Yarn is 1.22.22."
            ],
            "dependency_conflict",
            {},
        ),
        (
            [
                " ERR_PNPM_BAD_PM_VERSION  This project is configured to use v8.15.4 of pnpm. Your current pnpm is v9.1.1"
            ],
            "dependency_conflict",
            {},
        ),
        (
            [
                "docs-kit-zeta:build: Error [ERR_WORKER_OUT_OF_MEMORY]: Worker terminated due to reaching memory limit: JS heap out of memory"
            ],
            "runner_failure",
            {},
        ),
        (
            [
                "FATAL ERROR: MarkCompactCollector: young object promotion failed Allocation failed - JavaScript heap out of memory"
            ],
            "runner_failure",
            {},
        ),
        (
            ["src/main.ts:14:20 - error TS18046: 'error' is of type 'unknown'."],
            "lint_failure",
            {"tool": "tsc", "file": "src/main.ts", "line": "14"},
        ),
        (
            [
                "tsconfig.json:12:5 - error TS6306: Referenced project '/home/runner/work/app/app/packages/core' must have setting \"composite\": true.",
                "",
                "Found 1 error.",
            ],
            "lint_failure",
            {"tool": "tsc", "file": "tsconfig.json", "line": "12"},
        ),
        (
            [
                "error TS18003: No inputs were found in config file '/home/runner/work/app/app/config/tsconfig.json'."
            ],
            "lint_failure",
            {"tool": "tsc"},
        ),
    ],
)
def test_js_install_and_build_verdicts(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    assert_finding(tmp_path, lines, want, facts)


def test_pnpm_strict_off_only_warns(tmp_path: Path) -> None:
    lines = [
        " WARN  This project is configured to use v9.1.1 of pnpm. Your current pnpm is v9.1.2",
        "Done in 3.2s",
    ]
    got, _ = top_finding(tmp_path, lines)
    assert got != "dependency_conflict"
