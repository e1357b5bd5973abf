"""Verdicts the GitHub-platform sweep (workflow files, permissions, publish auth, runner images) relies on.

Texts are GitHub's and the tools' real formats with names changed; the thread each comes from is named
in the rule (rules/10-platform.yaml, rules/20-setup.yaml) or the tuning case that uses it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.facts import enrich
from tests.diagnose.joblog import assert_finding

_MACOS12 = (
    "The macOS-12 environment is deprecated, consider switching to macOS-13, macOS-14 (macos-latest)"
    " or macOS-15. For more details, see https://github.com/actions/runner-images/issues/10721"
)


@pytest.mark.parametrize(
    ("label", "want"),
    [
        ("macOS-12", "macos-12"),
        ("Ubuntu-24.04-arm", "ubuntu-24.04-arm"),
        ("windows-2019", "windows-2019"),
        # Not a hosted image's label: kept as printed.
        ("Self-Hosted-GPU", "Self-Hosted-GPU"),
    ],
)
def test_retired_runner_label_is_the_runs_on_spelling(label: str, want: str) -> None:
    assert enrich("retired_runner", {"label": label}, "", (), "Set up job")["label"] == want


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # Bare, from the failed job's annotations box: the refusal itself (nanograv/PINT #1855).
        (["test (macos-12, 3.11)", _MACOS12], "retired_runner", {"label": "macos-12"}),
        # The same sentence as a warning in a job that passed: a notice only.
        (["build", "succeeded 3 minutes ago in 1m 8s", "Mkdocs built", _MACOS12], None, {}),
        (["Warning: " + _MACOS12], None, {}),
        # Bare beside a cause of the job's own it is only the box's warning: the cause wins.
        (
            ["FAILED tests/test_x.py::test_a - assert 1 == 2", _MACOS12],
            "test_failure",
            {"test": "tests/test_x.py::test_a"},
        ),
        # A cancelled job's box: the image, not the cancellation.
        (["test (macos-12, 3.11)", "The operation was canceled.", _MACOS12], "retired_runner", {}),
        # softprops/action-gh-release refused three times (softprops/action-gh-release #244).
        (
            [
                "⚠️ GitHub release failed with status: 403",
                "undefined",
                "retrying... (0 retries remaining)",
                "❌ Too many retries. Aborting...",
                "Error: Too many retries.",
            ],
            "permission_error",
            {"scope": "contents"},
        ),
        # A broken reusable workflow: its own file and line, not the caller's (fastify/workflows #82).
        (
            [
                "Invalid workflow file: .github/workflows/ci.yml#L20",
                "The workflow is not valid. In .github/workflows/ci.yml (Line: 20, Col: 11): Error from"
                " called workflow acme/workflows/.github/workflows/plugins-ci.yml@v3 (Line: 104,"
                " Col: 11): A mapping was not expected",
            ],
            "yaml_syntax_error",
            {"file": ".github/workflows/plugins-ci.yml", "line": "104"},
        ),
        # The run page's box without a location (superman66/wakatime-sync #10).
        (["Invalid Workflow File", "No event triggers defined in `on`"], "yaml_syntax_error", {}),
        # cargo's format for any 401/403 crates.io answers a publish with.
        (
            [
                "error: failed to publish to registry at https://crates.io",
                "",
                "Caused by:",
                "  the remote server responded with an error (status 403 Forbidden): must be logged"
                " in to perform that action",
            ],
            "auth_error",
            {},
        ),
    ],
)
def test_platform_family_verdicts(
    tmp_path: Path, lines: list[str], want: str | None, facts: dict[str, str]
) -> None:
    assert_finding(tmp_path, lines, want, facts)
