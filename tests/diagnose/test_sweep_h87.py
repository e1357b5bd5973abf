"""Verdicts the platform-deprecations sweep (helper h87) relies on beyond the rules' own examples: a
retired image's label in the queue's words, the pool's refusal it leads to, the runner's refusal of an
action's runtime, the old images' deprecation sentences as refusals and as warnings.

Texts are GitHub's real formats with names changed; the threads are named where the rules say why.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.pastes import paste_cleaned
from tests.diagnose.joblog import TS, assert_finding

# The pool's refusal after a day in the queue (sstadick/perbase #89).
NO_RUNNERS = (
    "Error: This request was automatically failed because there were no enabled runners online to "
    "process the request for more than 1 days."
)
DEPRECATED_2016 = (
    "The `windows-2016` environment is deprecated and will be removed on March 15, 2022. Migrate "
    "to windows-latest instead. For more details see https://github.com/actions/virtual-environments/issues/4312"
)


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # volcano-sh/volcano #2768: queued for a label GitHub removed, pasted from the run page.
        (
            [
                "e2e-scheduling-basic",
                "Requested labels: ubuntu-18.04",
                "Job defined at: acme/scheduler/.github/workflows/e2e.yaml@refs/pull/12/merge",
                "Waiting for a runner to pick up this job...",
            ],
            "retired_runner",
            {"label": "ubuntu-18.04"},
        ),
        # The same job a day later: the pool's refusal is what the retired label left behind.
        (
            [
                "test (3.8)",
                "Requested labels: macos-10.15",
                "Waiting for a runner to pick up this job...",
                NO_RUNNERS,
            ],
            "retired_runner",
            {"label": "macos-10.15"},
        ),
        # A current label with no runner is the pool's problem, not a retirement.
        (
            [
                "Requested labels: ubuntu-24.04",
                "Waiting for a runner to pick up this job...",
                NO_RUNNERS,
            ],
            "runner_failure",
            {},
        ),
        # A retired label in the pool's own refusal.
        (
            ["Error: No runner matching the specified labels was found: ubuntu-16.04"],
            "retired_runner",
            {"label": "ubuntu-16.04"},
        ),
        (
            ["Error: No runner matching the specified labels was found: self-hosted, gpu"],
            "runner_failure",
            {"label": "self-hosted, gpu"},
        ),
        # The 2021-22 wording as the job's error, and in prose (holgern/pyedflib PR #173).
        (["Error: " + DEPRECATED_2016], "retired_runner", {"label": "windows-2016"}),
        (
            [
                "build (windows-2016, 3.9)",
                "The Windows 2016 environment is deprecated, consider switching to windows-2019 or "
                "windows-2022 (windows-latest).",
            ],
            "retired_runner",
            {"label": "windows-2016"},
        ),
        # A self-hosted runner older than the action's runtime (gradle/gradle-build-action #176).
        (
            [
                "Current runner version: '2.273.5'",
                "Error: System.ArgumentOutOfRangeException: Specified argument was out of the range of "
                "valid values. (Parameter ''using: node16' is not supported, use 'docker' or 'node12' "
                "instead.')",
                "   at GitHub.Runner.Worker.ActionManifestManager.Load(IExecutionContext "
                "executionContext, String manifestFile)",
                "Error: Fail to load actions/checkout/v3/action.yml",
            ],
            "runner_failure",
            {},
        ),
    ],
)
def test_retired_labels_and_runtime_refusals(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    assert_finding(tmp_path, lines, want, facts)


@pytest.mark.parametrize(
    "notice",
    [
        # ofpinewood/pineblog #146: the warning three days before the removal.
        "##[warning]" + DEPRECATED_2016.replace("`", ""),
        # rubocop/rubocop #9047: the six weeks' notice before set-env was disabled, at error level.
        "##[error]The `set-env` command is deprecated and will be disabled on November 16th. Please "
        "upgrade to using Environment Files.",
    ],
)
def test_deprecation_notices_in_a_passing_job(tmp_path: Path, notice: str) -> None:
    lines = [
        "##[group]Run ./build.ps1",
        "./build.ps1",
        "##[endgroup]",
        notice,
        "Build succeeded.",
        "Cleaning up orphan processes",
    ]
    assert_finding(tmp_path, [TS + line for line in lines], None, {})


@pytest.mark.parametrize(
    ("box", "want"),
    [
        # nanograv/PINT #1855: under "1 error" the deprecation sentence is the refusal.
        (
            [
                "Annotations",
                "1 error",
                "test (macos-12, 3.11)",
                "The macOS-12 environment is deprecated, consider switching to macOS-13.",
            ],
            "retired_runner",
        ),
        # Under "1 warning" the same sentence is a notice of a job that went on.
        (
            [
                "Annotations",
                "1 warning",
                "build (macos-12)",
                "The macOS-12 environment is deprecated, consider switching to macOS-13.",
            ],
            None,
        ),
        (
            [
                "Annotations",
                "2 warnings",
                "test (ubuntu-18.04)",
                "Requested labels: ubuntu-18.04",
                ".github#L1",
                "Unexpected input 'token'",
            ],
            None,
        ),
    ],
)
def test_annotations_box_headed_by_warnings(
    tmp_path: Path, box: list[str], want: str | None
) -> None:
    assert_finding(tmp_path, box, want, {})


def test_warnings_box_ends_at_its_empty_line() -> None:
    pasted = b"Annotations\n1 warning\nbuild\nThe `set-output` command is deprecated\n\nnpm ERR! code E404\n"
    assert paste_cleaned(pasted) == (
        b"Annotations\n1 warning\nWarning: build\nWarning: The `set-output` command is deprecated"
        b"\n\nnpm ERR! code E404\n"
    )
    # A tool's own tally is no annotations box.
    assert (
        paste_cleaned(b"3 warnings\nsrc/a.c:1:1: error: x\n")
        == b"3 warnings\nsrc/a.c:1:1: error: x\n"
    )
