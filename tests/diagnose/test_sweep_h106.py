"""Verdicts the JVM/.NET/mobile blind batch (helper h106) relies on beyond the rules' own examples:
an archive's missing decompressor named over tar's generic exit lines and the action's "failed with
exit code 2", in a paste and in a downloaded log, and Gradle's setup action without a wrapper script.

Texts are the tools' real formats with names changed; the thread each comes from is named in the rule
(rules/20-setup.yaml).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.diagnose.joblog import assert_finding, assert_job_finding

_TAR_TAIL = [
    "tar (child): Error is not recoverable: exiting now",
    "/usr/bin/tar: Child returned status 2",
    "/usr/bin/tar: Error is not recoverable: exiting now",
]


@pytest.mark.parametrize(
    ("lines", "facts"),
    [
        # A setup action unpacking its tool in a slim container, pasted without a trailer.
        (
            [
                "Run subosito/flutter-action@v1",
                "tar (child): xz: Cannot exec: No such file or directory",
                *_TAR_TAIL,
                "Error: The process '/usr/bin/tar' failed with exit code 2",
            ],
            {"command": "xz", "action": "subosito/flutter-action"},
        ),
        # --use-compress-program names the program with its options; the command is the program.
        (
            [
                "Run shogo82148/actions-setup-mysql@v1",
                "  tar (child): zstd -d --long=30: Cannot exec: No such file or directory",
                *_TAR_TAIL,
                "Error: The process '/usr/bin/tar' failed with exit code 2",
            ],
            {"command": "zstd"},
        ),
        # bsdtar (Windows' tar.exe) under a build tool's own error line.
        (
            [
                "ERROR: D:/a/app/app/BUILD.bazel:14:22: Extracting npm package foo@1.0.1 failed: (Exit 1)",
                'tar.exe: Error opening archive: Can\'t initialize filter; unable to run program "gzip -d"',
            ],
            {"command": "gzip"},
        ),
    ],
)
def test_tar_decompressor_missing_pasted(
    tmp_path: Path, lines: list[str], facts: dict[str, str]
) -> None:
    assert_finding(tmp_path, lines, "missing_tool", facts)


def test_tar_decompressor_missing_downloaded(tmp_path: Path) -> None:
    lines = [
        "##[group]Run tar -x --zstd -f bundle.tar.zst",
        "tar -x --zstd -f bundle.tar.zst",
        "shell: /usr/bin/bash -e {0}",
        "##[endgroup]",
        "tar (grandchild): zstd: Cannot exec: No such file or directory",
        "tar (grandchild): Error is not recoverable: exiting now",
        "tar: Child died with signal 13",
        "tar: Error is not recoverable: exiting now",
        "##[error]Process completed with exit code 2.",
    ]
    assert_job_finding(tmp_path, lines, "missing_tool", {"command": "zstd"})


def test_gradle_setup_without_wrapper_script(tmp_path: Path) -> None:
    lines = [
        "Run gradle/actions/setup-gradle@v4",
        "  with:",
        "    arguments: build",
        "Error: Cannot locate Gradle Wrapper script at 'D:\\a\\app\\app\\gradlew.bat'. Specify"
        " 'gradle-version' for projects without Gradle wrapper configured.",
    ]
    assert_finding(tmp_path, lines, "missing_tool", {"command": "gradlew.bat"})


def test_tar_lines_without_the_cause_stay_generic(tmp_path: Path) -> None:
    """A corrupt download is not a missing program: no decompressor is named."""
    lines = [
        "gzip: stdin: not in gzip format",
        "tar: Child returned status 1",
        "tar: Error is not recoverable: exiting now",
        "Error: Process completed with exit code 2.",
    ]
    assert_finding(tmp_path, lines, "unknown", {})
