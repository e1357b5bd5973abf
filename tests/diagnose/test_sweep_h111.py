"""Verdicts the h111 sweep (Python applications, packaging, data science) relies on beyond its rules.

pip's box over a failed build hook ("× … did not run successfully.") comes above the hook's output:
a cause a rule knows in that output wins, the box alone is the build of a pin that failed (upstream.py,
`build-box`). Texts are pip's real formats (pip 22+'s diagnostics) with names changed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.diagnose.joblog import FAILED, assert_finding, assert_job_finding, run_step

_BOX_DISTUTILS = [
    "  error: subprocess-exited-with-error",
    "  ",
    "  × Getting requirements to build wheel did not run successfully.",
    "  │ exit code: 1",
    "  ╰─> [17 lines of output]",
    "      Traceback (most recent call last):",
    "      ModuleNotFoundError: No module named 'distutils'",
    "      [end of output]",
]
_BOX_UNKNOWN = [
    "  error: subprocess-exited-with-error",
    "  ",
    "  × python setup.py egg_info did not run successfully.",
    "  │ exit code: 1",
    "  ╰─> [6 lines of output]",
    "      SystemExit: The 'sklearn' PyPI package is deprecated, use 'scikit-learn'",
    "      rather than 'sklearn' for pip commands.",
    "      [end of output]",
]

# pip repeats the box at the top level, pointing up at the output (OpenBMB/AgentVerse #142); with -v
# only that one is printed, under the streamed output (k4yt3x/video2x #773).
_BOX_TWICE_MESON = [
    "  × Getting requirements to build wheel did not run successfully.",
    "  │ exit code: 1",
    "  ╰─> [40 lines of output]",
    "      Run-time dependency openblas found: NO (tried pkgconfig and cmake)",
    '      ../../scipy/meson.build:120:0: ERROR: Dependency "openblas" not found, tried pkgconfig and cmake',
    "      [end of output]",
    "  note: This error originates from a subprocess, and is likely not a problem with pip.",
    "error: subprocess-exited-with-error",
    "× Getting requirements to build wheel did not run successfully.",
    "│ exit code: 1",
    "╰─> See above for output.",
]
_BOX_STREAMED_DISTUTILS = [
    "  ModuleNotFoundError: No module named 'distutils'",
    "  error: subprocess-exited-with-error",
    "  × Getting requirements to build wheel did not run successfully.",
    "  │ exit code: 1",
    "  ╰─> See above for output.",
]
_BOX_TWICE_UNKNOWN = [
    *_BOX_UNKNOWN,
    "error: subprocess-exited-with-error",
    "× python setup.py egg_info did not run successfully.",
    "│ exit code: 1",
    "╰─> See above for output.",
]


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        (_BOX_DISTUTILS, "missing_dependency", {"module": "distutils"}),
        (_BOX_UNKNOWN, "dependency_conflict", {}),
        (_BOX_TWICE_MESON, "missing_dependency", {"package": "openblas"}),
        (_BOX_STREAMED_DISTUTILS, "missing_dependency", {"module": "distutils"}),
        (_BOX_TWICE_UNKNOWN, "dependency_conflict", {}),
    ],
)
def test_pip_build_box_pasted(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    assert_finding(tmp_path, lines, want, facts)


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        (_BOX_DISTUTILS, "missing_dependency", {"module": "distutils"}),
        (_BOX_UNKNOWN, "dependency_conflict", {}),
    ],
)
def test_pip_build_box_downloaded(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    job = [*run_step("pip install -r requirements.txt", *lines), FAILED]
    assert_job_finding(tmp_path, job, want, facts)
