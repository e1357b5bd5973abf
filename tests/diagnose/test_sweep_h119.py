"""Verdicts the random-sample sweep (helper h119: workflow mechanics — reusable workflows, artifacts,
tokens, self-hosted runners, concurrency) relies on beyond the rules' own examples, in both forms a log
arrives in: downloaded (timestamped, step headers, the runner's trailer) and pasted (bare lines).

Texts are the tools' real formats with names changed; the rules and data files cite the threads.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.diagnose.joblog import FAILED, assert_finding, assert_job_finding

_CALLER = ".github/workflows/nightly.yml (Line: 54, Col: 3): "
_CALLED = "Error calling workflow 'acme/app/.github/workflows/publish.yml@main'. "
_NESTED = (
    "The nested job 'build' is requesting 'contents: read', but is only allowed 'contents: none'."
)
_PLUGIN = (
    "Exit code 1 returned from process: file name '/home/runner/runners/2.169.1/bin/Runner.PluginHost', "
    "arguments 'action \"GitHub.Runner.Plugins.Artifact.DownloadArtifact, Runner.Plugins\"'."
)


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # The runner's validation message wrapped after its place (openwallet-foundation/acapy #3682).
        (
            ["The workflow is not valid. " + _CALLER, _CALLED + _NESTED],
            "permission_error",
            {"file": ".github/workflows/nightly.yml", "line": "54", "scope": "contents"},
        ),
        (
            [
                "Invalid workflow file: .github/workflows/nightly.yml#L54",
                "The workflow is not valid. " + _CALLER.rstrip(),
                _CALLED + _NESTED,
            ],
            "permission_error",
            {"file": ".github/workflows/nightly.yml", "line": "54", "access": "read"},
        ),
        # On one line the rule's own captures hold.
        (
            ["The workflow is not valid. " + _CALLER + _CALLED + _NESTED],
            "permission_error",
            {"file": ".github/workflows/nightly.yml", "line": "54"},
        ),
        # A place that ends the line above is the runner's only in its own shape (a .yml file).
        (
            [
                "src/app.py (Line: 3, Col: 1):",
                "PermissionError: [Errno 13] Permission denied: '/var/x'",
            ],
            "permission_error",
            {"file": None, "line": None},
        ),
        # Cancelling runs needs actions: write; the action's refusal names no request.
        (
            [
                "Run styfle/cancel-workflow-action@0.11.0",
                "Error while canceling workflow_id 5888667: Resource not accessible by integration",
            ],
            "permission_error",
            {"scope": "actions", "access": "write"},
        ),
        # The v1 artifact plugin's retry notice explains its crash below it.
        (
            [
                "Run actions/download-artifact@v1",
                "1 files failed to download, retry these files after a minute.",
                "Retry file download after 60 seconds.",
                "##[error]Object reference not set to an instance of an object.",
                "##[error]" + _PLUGIN,
            ],
            "network_error",
            {},
        ),
        # .NET's refusal of a path, as the runner's upload plugin printed it.
        (
            [
                "Run actions/upload-artifact@v1",
                "Access to the path '/home/runner/work/web/web/out/.gitattributes' is denied.",
                _PLUGIN.replace("Download", "Publish"),
            ],
            "permission_error",
            {"file": "out/.gitattributes"},
        ),
        # A matrix leg fail-fast cancelled, as its own annotation says (the cause is the other leg's).
        (
            [
                "test (ubuntu-latest, 3.10)",
                'The job was canceled because "ubuntu-latest_3_9" failed.',
                "test (ubuntu-latest, 3.10)",
                "The operation was canceled.",
            ],
            "unknown",
            {"name": "ubuntu-latest_3_9"},
        ),
        (
            [
                "build",
                "The job was canceled because it exceeded the maximum execution time of 360 minutes.",
                "build",
                "The operation was canceled.",
            ],
            "timeout",
            {},
        ),
        # appleboy/ssh-action with its host secret not passed down.
        (
            ["Run appleboy/ssh-action@v1", "2024/05/02 10:11:12 error: missing server host"],
            "missing_env_vars",
            {"action": "appleboy/ssh-action"},
        ),
    ],
)
def test_pasted_verdicts(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str | None]
) -> None:
    assert_finding(tmp_path, lines, want, facts)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        (
            [
                "##[group]Run actions/checkout@v4",
                "##[endgroup]",
                "##[error]The workflow is not valid. " + _CALLER,
                _CALLED + _NESTED.replace("contents: read", "id-token: write"),
            ],
            "permission_error",
            {"file": ".github/workflows/nightly.yml", "line": "54", "scope": "id-token"},
        ),
        (
            [
                "##[group]Run actions/upload-artifact@v1",
                "##[endgroup]",
                "Uploading 412 files",
                "Fail to upload '/home/runner/work/app/app/dist/a.js' due to 'The HTTP request timed out'.",
                "##[error]File upload failed even after retry.",
                "##[error]" + _PLUGIN.replace("Download", "Publish"),
            ],
            "network_error",
            {"action": "actions/upload-artifact"},
        ),
        (
            [
                "##[group]Run actions/upload-artifact@v4",
                "##[endgroup]",
                "Beginning upload of artifact content to blob storage",
                "##[error]Upload progress stalled.",
                FAILED,
            ],
            "network_error",
            {},
        ),
    ],
)
def test_downloaded_verdicts(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    assert_job_finding(tmp_path, lines, want, facts)


def test_plugin_retry_that_succeeded_is_no_finding(tmp_path: Path) -> None:
    lines = [
        "##[group]Run actions/download-artifact@v1",
        "##[endgroup]",
        "##[warning]Fail to download 'dist/a.js', error: Response status code does not indicate "
        "success: 404 (Not Found). (Downloader 0)",
        "1 files failed to download, retry these files after a minute.",
        "Start retry 1 failed files download.",
        "1 files download succeed after retry.",
        "##[group]Run make test",
        "##[endgroup]",
        "ok",
    ]
    assert_finding(tmp_path, [("2025-05-02T00:19:58.1268944Z " + x) for x in lines], None, {})
