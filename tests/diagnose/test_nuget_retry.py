"""NuGet announces its retry on the line above the socket error and then restores (retries.retried,
NuGet/Home #6140): the later test failure is the cause; a restore that then fails stays network's.
Line shapes are NuGet's and dotnet test's; names ours.
"""

from __future__ import annotations

from pathlib import Path

from smartmon.diagnose import analyze_paths
from tests.diagnose.joblog import FAILED, run_step, write_job

_RETRY = (
    "  Retrying 'FindPackagesByIdAsync' for source "
    "'https://api.nuget.org/v3-flatcontainer/newtonsoft.json/index.json'.",
    "  Name or service not known (api.nuget.org:443)",
)
_TEST_FAILED = (
    "  Failed App.Tests.MathTests.Adds [5 ms]",
    "  Error Message:",
    "   Assert.Equal() Failure",
    "Failed!  - Failed:     1, Passed:    10, Skipped:     0, Total:    11, Duration: 1 s - "
    "App.Tests.dll (net8.0)",
)


def _top(tmp_path: Path, lines: list[str]) -> str:
    return analyze_paths([write_job(tmp_path, lines)]).findings[0].type.value


def test_a_retried_restore_leaves_the_test_failure(tmp_path: Path) -> None:
    body = (
        "  Determining projects to restore...",
        *_RETRY,
        "  Restored /home/runner/work/a/a/src/App/App.csproj (in 12.3 sec).",
        *_TEST_FAILED,
    )
    lines = [*run_step("dotnet restore && dotnet test", *body), FAILED]
    assert _top(tmp_path, lines) == "test_failure"


def test_a_restore_that_then_failed_stays_a_network_error(tmp_path: Path) -> None:
    body = ("  Determining projects to restore...", *_RETRY)
    lines = [*run_step("dotnet restore", *body), FAILED]
    assert _top(tmp_path, lines) == "network_error"
