"""A cache restore's network warning is the cause only where the step that fails next says the
restored path is missing (the rule check `cache-path-missing-below`, diagnose/cache_paths.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import analyze_paths
from tests.diagnose.joblog import FAILED, assert_job_finding, run_step, write_job

WARNINGS = [
    "##[warning]Failed to restore: The operation cannot be completed in timeout.",
    "##[warning]Failed to restore: getCacheEntry failed: Cache service responded with 503",
]


def _restore(warning: str) -> list[str]:
    return [
        "##[group]Run actions/cache/restore@v3",
        "with:",
        "  path: images.tar.zst",
        "  key: 5424698109-builder-classic-22",
        "##[endgroup]",
        "Received 130023424 of 337339345 (38.5%), 1.2 MBs/sec",
        warning,
        "Cache not found for input keys: 5424698109-builder-classic-22",
    ]


@pytest.mark.parametrize("warning", WARNINGS)
def test_the_next_step_misses_the_restored_path(tmp_path: Path, warning: str) -> None:
    lines = [
        *_restore(warning),
        *run_step(
            "zstd -dc images.tar.zst | docker load",
            "zstd: can't stat images.tar.zst : No such file or directory -- ignored ",
            "open /var/lib/docker/tmp/docker-import-4200725306/repositories: no such file or directory",
        ),
        FAILED,
    ]
    assert_job_finding(tmp_path, lines, "network_error", {})


@pytest.mark.parametrize("warning", WARNINGS)
def test_a_failure_that_names_something_else(tmp_path: Path, warning: str) -> None:
    lines = [
        *_restore(warning),
        *run_step("./build.sh", "cat: config/settings.json: No such file or directory"),
        FAILED,
    ]
    findings = analyze_paths([write_job(tmp_path, lines)]).findings
    assert "network_error" not in [f.type.value for f in findings]


def test_the_restore_own_cache_miss_line_is_not_the_next_step(tmp_path: Path) -> None:
    lines = [
        "##[group]Run actions/cache@v4",
        "with:",
        "  path: node_modules",
        "  key: node_modules-Linux-0a1b2c",
        "##[endgroup]",
        WARNINGS[0],
        "Cache not found for input keys: node_modules-Linux-0a1b2c",
        *run_step("npm test", "Error: Cannot find module 'jest'"),
        FAILED,
    ]
    findings = analyze_paths([write_job(tmp_path, lines)]).findings
    assert "network_error" not in [f.type.value for f in findings]


def _restore_path(path: str) -> list[str]:
    return [
        "##[group]Run actions/cache@v4",
        "with:",
        f"  path: {path}",
        "  key: Linux-abc",
        "##[endgroup]",
        WARNINGS[1],
        "Cache not found for input keys: Linux-abc",
    ]


@pytest.mark.parametrize(
    ("path", "line"),
    [
        ("vendor/bundle", "bundler: command not found: rspec"),
        ("~/go/pkg/mod", "go: go.mod file not found in current directory or any parent directory"),
        ("vendor/bundle", "ls: cannot access 'vendor/bundles': No such file or directory"),
    ],
)
def test_the_path_inside_another_word_is_not_named(tmp_path: Path, path: str, line: str) -> None:
    lines = [*_restore_path(path), *run_step("make", line), FAILED]
    findings = analyze_paths([write_job(tmp_path, lines)]).findings
    assert "network_error" not in [f.type.value for f in findings]


@pytest.mark.parametrize(
    ("path", "line"),
    [
        ("vendor/bundle", "ls: cannot access 'vendor/bundle': No such file or directory"),
        (
            "~/.m2/repository",
            "cp: cannot stat '/home/runner/.m2/repository/x': No such file or directory",
        ),
        ("dist", "tar: dist: Cannot stat: No such file or directory"),
    ],
)
def test_the_path_as_a_component_is_named(tmp_path: Path, path: str, line: str) -> None:
    lines = [*_restore_path(path), *run_step("make", line), FAILED]
    assert_job_finding(tmp_path, lines, "network_error", {})


def test_a_stronger_cause_in_the_failing_step_wins(tmp_path: Path) -> None:
    lines = [
        *_restore_path("node_modules"),
        *run_step(
            "npm ci && npm test",
            "added 500 packages in 10s",
            "> acme@1.0.0 test",
            "> jest",
            "FAIL src/app.test.js",
            "  ● Test suite failed to run",
            "    Cannot find module './config' from 'src/app.test.js'",
            "Error: ENOENT: no such file or directory, open "
            "'/home/runner/work/acme/acme/node_modules/.cache/jest/x'",
        ),
        FAILED,
    ]
    findings = analyze_paths([write_job(tmp_path, lines)]).findings
    assert [f.type.value for f in findings][:1] == ["test_failure"]
