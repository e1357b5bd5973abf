"""Verdicts the Windows/PowerShell/.NET sweep (helper h11) relies on beyond the rules' own examples:
PowerShell's error positions as locations, parser errors in both PowerShell editions, pwsh 7's wrapped
"not recognized" message, a retried MSBuild copy that is not a failure.

Texts are the tools' real formats with names changed; the threads are named in the rules.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.locations import location
from tests.diagnose.joblog import FAILED, top_finding


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # Windows PowerShell 5.1 (and pwsh's NormalView): the position above the "+ ~~~" marker.
        (r"At D:\a\tools\tools\scripts\build.ps1:85 char:21", ("scripts/build.ps1", "85")),
        ("At /home/runner/work/app/app/ci/test.ps1:12 char:5", ("ci/test.ps1", "12")),
        # pwsh 7's ConciseView header: the command or category, then the position alone.
        (r"ParserError: D:\a\tools\tools\scripts\build.ps1:42", ("scripts/build.ps1", "42")),
        (".: /home/runner/work/app/app/ci/run.ps1:2", ("ci/run.ps1", "2")),
        # The runner's temp script and an interactive line are not repository files.
        (r"At D:\a\_temp\6f1c2b3a-0d4e-4f5a-8b7c-6d5e4f3a2b1c.ps1:3 char:1", None),
        ("ParserError: /home/runner/work/_temp/0c6f3b2a.ps1:58", None),
        ("At line:1 char:1", None),
    ],
)
def test_powershell_positions(text: str, want: tuple[str, str] | None) -> None:
    assert location(text) == want


def test_windows_powershell_parser_error_names_the_script(tmp_path: Path) -> None:
    lines = [
        "##[group]Run ./scripts/build.ps1",
        "##[endgroup]",
        r"At D:\a\tools\tools\scripts\build.ps1:85 char:21",
        '+         return "NA" -ErrorAction SilentlyContinue',
        "+                     ~~~~~~~~~~~~",
        "Unexpected token '-ErrorAction' in expression or statement.",
        "    + CategoryInfo          : ParserError: (:) [], ParseException",
        "    + FullyQualifiedErrorId : UnexpectedToken",
        FAILED,
    ]
    kind, facts = top_finding(tmp_path, lines)
    assert kind == "syntax_error"
    assert (facts.get("file"), facts.get("line")) == ("scripts/build.ps1", "85")


def test_pwsh7_parser_error_box(tmp_path: Path) -> None:
    lines = [
        "Run ./scripts/build.ps1",
        r"ParserError: D:\a\tools\tools\scripts\build.ps1:42",
        "Line |",
        "  42 |  if (( $x -eq $true ){",
        "     |                     ~",
        "     | Unexpected token '{' in expression or statement.",
        "Error: Process completed with exit code 1.",
    ]
    kind, facts = top_finding(tmp_path, lines)
    assert kind == "syntax_error"
    assert (facts.get("file"), facts.get("line")) == ("scripts/build.ps1", "42")


def test_pwsh7_wrapped_not_recognized(tmp_path: Path) -> None:
    lines = [
        "Run ./tools/lint.ps1",
        ".: /home/runner/work/_temp/3e5bf93d.ps1:2",
        "Line |",
        "   2 |  . .\\tools\\lint.ps1",
        "     |    ~~~~~~~~~~~~~~~~~",
        "     | The term '.\\tools\\lint.ps1' is not recognized as a name of a",
        "     | cmdlet, function, script file, or executable program. Check the spelling",
        "     | of the name, or if a path was included, verify that the path is correct",
        "     | and try again.",
        "Error: Process completed with exit code 1.",
    ]
    kind, facts = top_finding(tmp_path, lines)
    assert (kind, facts.get("command")) == ("missing_tool", ".\\tools\\lint.ps1")


def test_msbuild_copy_retry_is_not_a_failure(tmp_path: Path) -> None:
    lines = [
        "##[group]Run dotnet build -c Release",
        "##[endgroup]",
        r"C:\Program Files\dotnet\sdk\8.0.202\Microsoft.Common.CurrentVersion.targets(4879,5): warning"
        r' MSB3026: Could not copy "obj\Release\net8.0\App.dll" to "bin\Release\net8.0\App.dll".'
        r" Beginning retry 1 in 1000ms. The process cannot access the file"
        r" 'D:\a\app\app\bin\Release\net8.0\App.dll' because it is being used by another process."
        r" [D:\a\app\app\App.csproj]",
        "Build succeeded.",
        "    1 Warning(s)",
        "    0 Error(s)",
    ]
    assert top_finding(tmp_path, lines) == (None, {})


def test_nuget_project_sdk_is_a_package_dotnet_sdk_a_tool(tmp_path: Path) -> None:
    traversal = [
        "Run dotnet build dirs.proj",
        r"D:\a\app\app\dirs.proj : error MSB4236: The SDK 'Microsoft.Build.Traversal/4.1.0'"
        " specified could not be found.",
        FAILED,
    ]
    kind, facts = top_finding(tmp_path, traversal)
    assert (kind, facts.get("package")) == ("missing_dependency", "Microsoft.Build.Traversal")
    desktop = [
        "Run dotnet build",
        r"D:\a\app\app\App.csproj : error MSB4236: The SDK 'Microsoft.NET.Sdk.WindowsDesktop'"
        " specified could not be found.",
        FAILED,
    ]
    kind, facts = top_finding(tmp_path, desktop)
    assert (kind, facts.get("name")) == ("missing_tool", "Microsoft.NET.Sdk.WindowsDesktop")
