"""Windows runners, second sweep: PowerShell's error record and Windows/desktop clone folders."""

from __future__ import annotations

from smartmon.diagnose.hosts import network_host
from smartmon.diagnose.repo_paths import repo_path


def test_host_from_the_command_under_a_windows_powershell_error_record() -> None:
    # astral-sh/python-build-standalone #488
    after = [
        r"At C:\a\_temp\573e.ps1:10 char:1",
        r"+ Invoke-WebRequest https://cygwin.com/setup-$platform.exe -OutFile C:\ ...",
    ]
    assert network_host(
        "Invoke-WebRequest : Unable to connect to the remote server", (), after
    ) == ("cygwin.com")
    assert (
        network_host(
            "iwr : Unable to connect to the remote server",
            (),
            ["At line:1 char:1", "+ iwr -useb https://christitus.com/win | iex"],
        )
        == "christitus.com"
    )


def test_host_from_the_command_under_a_pwsh7_error_record() -> None:
    after = [
        "",
        "Line |",
        "   2 |  Invoke-WebRequest -Uri https://downloads.example.org/t.zip -OutFile t.zip",
    ]
    assert network_host("Invoke-WebRequest: Unable to connect to the remote server", (), after) == (
        "downloads.example.org"
    )


def test_only_the_next_line_without_a_powershell_position_line() -> None:
    after = ["something else", "+ see https://mirror.example.org/x"]
    assert (
        network_host("Invoke-WebRequest : Unable to connect to the remote server", (), after)
        is None
    )


def test_visual_studio_and_github_desktop_clone_folders() -> None:
    assert (
        repo_path(r"C:\Users\dev\source\repos\gw\src\Core\Mqtt\Adapter.cs")
        == "src/Core/Mqtt/Adapter.cs"
    )
    assert (
        repo_path("/home/me/Documents/GitHub/vcx/Examples/Lib/Lib.vcxproj")
        == "Examples/Lib/Lib.vcxproj"
    )
    assert repo_path(r"C:\Users\me\Documents\GitHub\app\src\main.c") == "src/main.c"
