""".NET sweep: which formatter printed a lint row (linters.py) and the first row of a restore's
listing (the rule check `first-of-listing`: the scan keeps the first row of the last step with one), in the forms runners and pastes show them.

Texts are the tools' real formats with names changed; each thread is named in the rule or module.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.linters import lint_tool
from tests.diagnose.joblog import FAILED, assert_finding, run_step


@pytest.mark.parametrize(
    ("text", "before", "step", "want"),
    [
        # dotnet format's own pseudo-ids name it, whatever ran it (a script, a paste).
        (
            "/home/runner/work/app/app/src/App/Program.cs(58,14): error WHITESPACE: Fix whitespace"
            " formatting. Insert '\\n\\s\\s\\s\\s'. [/home/runner/work/app/app/src/App/App.csproj]",
            [],
            "Run ./build.sh --lint",
            "dotnet format",
        ),
        (
            "D:\\a\\app\\app\\src\\App\\Program.cs(3,1): error FINALNEWLINE: Fix final newline."
            " Insert '\\r\\n'. [D:\\a\\app\\app\\src\\App\\App.csproj]",
            [],
            "Set up job",
            "dotnet format",
        ),
        # A code-style row is the formatter's when the step ran it, the new and the old command.
        (
            "/home/runner/work/app/app/src/App/Program.cs(3,1): error IDE0055: Fix formatting"
            " [/home/runner/work/app/app/src/App/App.csproj]",
            [],
            "Run dotnet format style --verify-no-changes --severity warn",
            "dotnet format",
        ),
        (
            "  src/App/AboutBox.cs(1,1): Using directives must be placed inside of a namespace"
            " declaration (IDE0065)",
            [],
            "Run dotnet-format --check",
            "dotnet format",
        ),
        # An analyzer error raised in `dotnet build` names no formatter.
        (
            "/home/runner/work/app/app/src/App/Calc.cs(12,21): error CA1822: Member 'Add' does not"
            " access instance data and can be marked as static [/home/runner/work/app/app/App.csproj]",
            [],
            "Run dotnet build -c Release -warnaserror",
            None,
        ),
    ],
)
def test_dotnet_format_named(text: str, before: list[str], step: str, want: str | None) -> None:
    assert lint_tool(text, before, step) == want


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # dotnet format --verify-no-changes on a runner: the first row, repository-relative.
        (
            run_step(
                "dotnet format --verify-no-changes",
                "/home/runner/work/kit/kit/tests/Kit.Tests/NotifyTests.cs(58,14): error WHITESPACE:"
                " Fix whitespace formatting. Insert '\\n\\s\\s\\s\\s'."
                " [/home/runner/work/kit/kit/tests/Kit.Tests/Kit.Tests.csproj]",
                "/home/runner/work/kit/kit/src/Kit/Main.cs(638,14): error WHITESPACE: Fix whitespace"
                " formatting. Insert '\\n\\s\\s\\s\\s'. [/home/runner/work/kit/kit/src/Kit/Kit.csproj]",
                "##[error]Process completed with exit code 2.",
            ),
            "lint_failure",
            {"tool": "dotnet format", "file": "tests/Kit.Tests/NotifyTests.cs", "line": "58"},
        ),
        # The pre-.NET 6 formatter's rows (dotnet/format #979): "(CS8618)" at the end, no "error".
        (
            run_step(
                "dotnet format --check",
                "  Shared/DataSet/DataSet.cs(10,23): Non-nullable property 'Name' must contain a"
                " non-null value when exiting constructor. Consider declaring the property as"
                " nullable. (CS8618)",
                "##[error]Process completed with exit code 2.",
            ),
            "lint_failure",
            {"tool": "dotnet format", "file": "Shared/DataSet/DataSet.cs", "line": "10"},
        ),
        # A restore names every package it lacks, then MSBuild repeats them: the first is the fact.
        (
            run_step(
                "dotnet build -c Release",
                "/home/runner/work/app/app/src/Lib/Lib.csproj : error NU1101: Unable to find package"
                " System.Memory. No packages exist with this id in source(s): github"
                " [/home/runner/work/app/app/App.sln]",
                "/home/runner/work/app/app/src/Lib/Lib.csproj : error NU1101: Unable to find package"
                " NETStandard.Library. No packages exist with this id in source(s): github"
                " [/home/runner/work/app/app/App.sln]",
                "",
                "Build FAILED.",
                "",
                "/home/runner/work/app/app/src/Lib/Lib.csproj : error NU1101: Unable to find package"
                " System.Memory. No packages exist with this id in source(s): github"
                " [/home/runner/work/app/app/App.sln]",
                "/home/runner/work/app/app/src/Lib/Lib.csproj : error NU1101: Unable to find package"
                " NETStandard.Library. No packages exist with this id in source(s): github"
                " [/home/runner/work/app/app/App.sln]",
                FAILED,
            ),
            "missing_dependency",
            {"package": "System.Memory"},
        ),
        # nuget.exe's packages.config restore (mono on macOS), blank lines between the rows.
        (
            run_step(
                "nuget restore src/App.sln",
                "Restoring NuGet package NUnit.Runners.2.6.4.",
                "Unable to find version '2.6.4' of package 'NUnit.Runners'.",
                "",
                "Unable to find version '2.8.3' of package 'NuGet.CommandLine'.",
                "",
                "Unable to find version '1.1.10' of package 'Microsoft.Bcl'.",
                FAILED,
            ),
            "dependency_conflict",
            {"package": "NUnit.Runners"},
        ),
        # A row of an earlier step is not part of the listing.
        (
            [
                *run_step(
                    "nuget restore tools/packages.config",
                    "Unable to find version '4.3.0' of package 'System.Net.Requests'.",
                ),
                *run_step(
                    "nuget restore src/App.sln",
                    "Unable to find version '12.0.3' of package 'Newtonsoft.Json'.",
                    "Unable to find version '2.0.0' of package 'xunit.runners'.",
                    FAILED,
                ),
            ],
            "dependency_conflict",
            {"package": "Newtonsoft.Json"},
        ),
        # NU1102's nearest-version row is not a second package.
        (
            run_step(
                "dotnet restore",
                "error NU1102: Unable to find package Microsoft.NET.Test.Sdk with version (>= 16.8.3)",
                "error NU1102:   - Found 1 version(s) in Microsoft Visual Studio Offline Packages"
                " [ Nearest version: 16.6.1 ]",
                "error NU1102: Unable to find package xunit with version (>= 2.4.1)",
                FAILED,
            ),
            "dependency_conflict",
            {"package": "Microsoft.NET.Test.Sdk"},
        ),
        # The host with no SDK at all, and a workload the SDK's band does not know.
        (
            run_step(
                "dotnet test",
                "The command could not be loaded, possibly because:",
                "  * You intended to execute a .NET application:",
                "      The application 'test' does not exist.",
                "  * You intended to execute a .NET SDK command:",
                "      No .NET SDKs were found.",
                "##[error]Process completed with exit code 145.",
            ),
            "missing_tool",
            {"tool": "dotnet"},
        ),
        (
            run_step(
                "dotnet workload install wasm-tools",
                "Workload ID wasm-tools is not recognized.",
                FAILED,
            ),
            "missing_tool",
            {"name": "wasm-tools"},
        ),
        # dotnet test that named no test: the test platform's exit is the failure; a compiler that
        # segfaulted is the runner's.
        (
            run_step(
                "dotnet test -c Release",
                "  Acme.Core.Tests net9.0 failed with errors (13.2s)",
                "    /usr/share/dotnet/sdk/9.0.100/Microsoft.TestPlatform.targets(41,5): error MSB6006:"
                ' "dotnet" exited with code 1.'
                " [/home/runner/work/acme/acme/test/Acme.Core.Tests/Acme.Core.Tests.csproj]",
                FAILED,
            ),
            "test_failure",
            {},
        ),
        (
            run_step(
                "dotnet build",
                "/home/runner/.dotnet/sdk/7.0.302/Roslyn/Microsoft.CSharp.Core.targets(80,5): error"
                ' MSB6006: "csc.dll" exited with code 139.'
                " [/home/runner/work/app/app/src/App/App.csproj]",
                FAILED,
            ),
            "runner_failure",
            {},
        ),
        # Test display names with spaces (F#) or a generic fixture's arity, named by the row, under
        # VSTest's summary and under xUnit's [FAIL] row.
        (
            run_step(
                "dotnet test --no-build",
                "  Failed Acme.Tests.Parser.parses a nested array [14 ms]",
                "  Error Message:",
                "   Assert.Equal() Failure",
                "Failed!  - Failed:     1, Passed:    41, Skipped:     0, Total:    42, Duration: 1 s"
                " - Acme.Tests.dll (net8.0)",
                FAILED,
            ),
            "test_failure",
            {"test": "Acme.Tests.Parser.parses a nested array"},
        ),
        (
            run_step(
                "dotnet test --no-build",
                "[xUnit.net 00:00:00.48]     Acme.Tests.ListTests`1.Adds_Item [FAIL]",
                "Failed!  - Failed:     1, Passed:    41, Skipped:     0, Total:    42, Duration: 1 s"
                " - Acme.Tests.dll (net8.0)",
                FAILED,
            ),
            "test_failure",
            {"test": "Acme.Tests.ListTests`1.Adds_Item"},
        ),
        (
            run_step(
                "dotnet test --no-build",
                "  Failed Repro.FilterRepro.SpaceBeforeParenthesis (Case 1) [2 ms]",
                "Failed!  - Failed:     1, Passed:     9, Skipped:     0, Total:    10, Duration: 80 ms"
                " - Repro.dll (net8.0)",
                FAILED,
            ),
            "test_failure",
            {"test": "Repro.FilterRepro.SpaceBeforeParenthesis (Case 1)"},
        ),
        # A local tool the job never restored; .NET Framework reference assemblies off Windows.
        (
            run_step(
                "dotnet ef migrations bundle",
                'Run "dotnet tool restore" to make the "dotnet-ef" command available.',
                FAILED,
            ),
            "missing_tool",
            {"command": "dotnet-ef"},
        ),
        (
            run_step(
                "dotnet build -c Release",
                "/home/runner/.dotnet/sdk/3.1.415/Microsoft.Common.CurrentVersion.targets(1177,5): error"
                " MSB3644: The reference assemblies for .NETFramework,Version=v4.6.2 were not found. To"
                " resolve this, install the Developer Pack (SDK/Targeting Pack) for this framework"
                " version or retarget your application. You can download .NET Framework Developer"
                " Packs at aka.ms/msbuild/developerpacks"
                " [/home/runner/work/app/app/src/App.Tests/App.Tests.csproj]",
                FAILED,
            ),
            "missing_tool",
            {},
        ),
        # Bait: NU1603 as a warning in a build that succeeded.
        (
            run_step(
                "dotnet build",
                "/home/runner/work/app/app/src/App/App.csproj : warning NU1603: App depends on"
                " Microsoft.NETCore.App (>= 1.0.5) but Microsoft.NETCore.App 1.0.5 was not found. An"
                " approximate best match of Microsoft.NETCore.App 1.1.0 was resolved.",
                "Build succeeded.",
                "    1 Warning(s)",
                "    0 Error(s)",
            ),
            None,
            {},
        ),
    ],
)
def test_dotnet_family(
    tmp_path: Path, lines: list[str], want: str | None, facts: dict[str, str]
) -> None:
    assert_finding(tmp_path, lines, want, facts)
